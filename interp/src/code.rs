//! The interpreter's instruction set: a flat enum of small fixed-size ops
//! (16 bytes each, asserted below) whose operands are frame-cell indices.
//!
//! # Frame cells
//! A frame is a run of `u64` cells on the interpreter's value stack. A scalar
//! occupies one cell: `i32` and `f32` as their 32 bits **zero-extended** (every
//! op that writes an `i32`/`f32` keeps the upper half zero, so `uextend` and
//! same-width `bitcast` are free), `i64`/`f64` as their 64 bits. A `v128`
//! occupies two consecutive cells, low half first ([`VSlot`]).
//!
//! # Families
//! Most IR instructions map to one op per type (`i32.add`), with an immediate
//! form when a constant operand was folded (`i32.add s1, 5`). The
//! superinstructions are: compare-and-branch (`br_i32.lt_s s1, s2, @7`), the
//! loop latch add-compare-and-branch (`s3 = i32.add_br_ne 1, s2, @7`), compare-
//! and-trap (`trap_if.i32`), and the bounds-checked memory accesses
//! (`mem.load32 vm+40, s<index>, <offset>`), which check
//! `index + offset + size <= length` and access `base + index + offset` in the
//! memory whose `VmMemory` pointer is at that offset of the frame's VM context.
//! All fused accesses of a function name one memory (`InterpFunc::heap`), whose
//! base the execution loop keeps in a register and whose length it keeps in
//! its context. The scalar ones also fold an address computation
//! `index = i32.add x, K` (`mem.load32 vm+40, s<x>+K, <offset>`): the op adds
//! `K` to `x` in 32 bits, as the `i32.add` would, before the check; the array
//! forms (`mem.load32 s<base>+s<i>*4+K, <offset>`) also fold the `i32.shl_add`
//! (or for bytes the `i32.add`) that scales the index by the access's size.
//!
//! The op list is one macro table, which also generates the listing text, the
//! operand verifier (every cell and branch target in range) and target patching.

use std::fmt::{self, Write};

use zerowasm_ssa::{FloatCC, IntCC, LaneShape, LoadKind, TrapCode, VecOp};

/// A frame cell holding a scalar.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Slot(pub u16);

/// Two consecutive frame cells holding a `v128` (low half in the first).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct VSlot(pub u16);

/// `n` (at least 1) consecutive cells from `first`, printed as the range
/// `s{first}..=s{first + n - 1}`: a function's declared locals, zeroed on
/// entry by one op.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Cells {
    pub first: u16,
    pub n: u16,
}

/// A byte offset in the executing function's VM context (where a memory's
/// `VmMemory` pointer sits).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct VmOff(pub u16);

/// A constant added (wrapping, in 32 bits) to a linear-memory index before the
/// bounds check: the folded `i32.add x, K` of an address. Printed as a suffix of
/// the index (`s3+16`), and not at all when zero.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Addend(pub i32);

/// The scaled index of a fused array access (`base + (index << SHIFT)`), the
/// shift being the access's own size, so that the op needs no field for it
/// (the op has no room left for one, nor for its memory: these ops use the
/// function's one fused memory, see `Op::heap_ok`). Printed as a suffix
/// of the base (`s1+s2*4`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Scaled<const SHIFT: u8>(pub Slot);

impl<const SHIFT: u8> Field for Scaled<SHIFT> {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        match SHIFT {
            0 => write!(w, "+s{}", self.0.0),
            _ => write!(w, "+s{}*{}", self.0.0, 1u32 << SHIFT),
        }
    }
    fn in_range(&self, limits: &Limits) -> bool {
        self.0.in_range(limits)
    }
    fn is_suffix(&self) -> bool {
        true
    }
}

/// The scaled index of a fused static-array access (`index << SHIFT`, the
/// shift being the access's own size, the array's address in the addend).
/// Printed `s2*4`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Index<const SHIFT: u8>(pub Slot);

impl<const SHIFT: u8> Field for Index<SHIFT> {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "s{}*{}", self.0.0, 1u32 << SHIFT)
    }
    fn in_range(&self, limits: &Limits) -> bool {
        self.0.in_range(limits)
    }
}

/// The argument cells of a direct call with at most [`CALL_CELLS`] of them
/// (`vmctx` first), inline in the op, padded with cell 0: the call copies all
/// [`CALL_CELLS`] of them, with no loop and no lookup of the descriptor's
/// list, into a frame that has at least that many cells (see
/// `InterpFunc::verify`). Printed from the descriptor instead.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct CallCells(pub [u16; CALL_CELLS]);

/// Cells a [`CallCells`] holds; every frame has at least this many.
pub(crate) const CALL_CELLS: usize = 5;

impl Field for CallCells {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        let cells: Vec<String> = self.0.iter().map(|c| format!("s{c}")).collect();
        write!(w, "[{}]", cells.join(", "))
    }
    fn in_range(&self, limits: &Limits) -> bool {
        self.0.iter().all(|&c| u32::from(c) < limits.cells)
    }
}

/// The constant address of a fused access whose index is a constant: that
/// index plus the access's offset, checked and used as is. Printed `[addr]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Abs(pub u32);

/// A position in the code (op index). During encoding it holds a label id,
/// patched to the label's position before the code is verified.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Target(pub u32);

/// What operand verification checks against.
pub(crate) struct Limits {
    /// Frame size in cells.
    pub cells: u32,
    /// Number of ops.
    pub code_len: u32,
}

/// One operand field of an op: how it prints and how it is verified.
pub(crate) trait Field {
    /// Writes the operand in listing syntax.
    fn write(&self, w: &mut dyn Write) -> fmt::Result;
    /// True if the operand is in range (cells inside the frame, targets inside the code).
    fn in_range(&self, _limits: &Limits) -> bool {
        true
    }
    /// The branch target, for patching.
    fn target_mut(&mut self) -> Option<&mut Target> {
        None
    }
    /// The cell, if the operand is one scalar cell (for [`Op::dst_mut`]).
    fn slot_mut(&mut self) -> Option<&mut Slot> {
        None
    }
    /// True if the operand prints as a suffix of the previous one (no separator).
    fn is_suffix(&self) -> bool {
        false
    }
}

impl Field for Addend {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        match self.0 {
            0 => Ok(()),
            k if k > 0 => write!(w, "+{k}"),
            k => write!(w, "{k}"),
        }
    }
    fn is_suffix(&self) -> bool {
        true
    }
}

impl Field for Slot {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "s{}", self.0)
    }
    fn in_range(&self, limits: &Limits) -> bool {
        u32::from(self.0) < limits.cells
    }
    fn slot_mut(&mut self) -> Option<&mut Slot> {
        Some(self)
    }
}

impl Field for VSlot {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "s{}", self.0)
    }
    fn in_range(&self, limits: &Limits) -> bool {
        u32::from(self.0) + 1 < limits.cells
    }
}

impl Field for Cells {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "s{}..=s{}", self.first, u32::from(self.first) + u32::from(self.n) - 1)
    }
    fn in_range(&self, limits: &Limits) -> bool {
        u32::from(self.first) + u32::from(self.n) <= limits.cells
    }
}

impl Field for VmOff {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "vm+{}", self.0)
    }
}

impl Field for Abs {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "[{}]", self.0)
    }
}

impl Field for Target {
    fn write(&self, w: &mut dyn Write) -> fmt::Result {
        write!(w, "@{}", self.0)
    }
    fn in_range(&self, limits: &Limits) -> bool {
        self.0 < limits.code_len
    }
    fn target_mut(&mut self) -> Option<&mut Target> {
        Some(self)
    }
}

macro_rules! display_fields {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn write(&self, w: &mut dyn Write) -> fmt::Result {
                write!(w, "{self}")
            }
        }
    )*};
}
display_fields!(u8, u32, u64, i32, i64);

macro_rules! named_fields {
    ($($t:ty => $name:ident),*) => {$(
        impl Field for $t {
            fn write(&self, w: &mut dyn Write) -> fmt::Result {
                w.write_str(self.$name())
            }
        }
    )*};
}
named_fields!(TrapCode => ir_name, IntCC => name, FloatCC => name, VecOp => name, LaneShape => name, LoadKind => name);

/// Writes `dsts = name args`.
fn write_parts(w: &mut dyn Write, name: &str, dsts: &[&dyn Field], args: &[&dyn Field]) -> fmt::Result {
    for (i, d) in dsts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        d.write(w)?;
    }
    if !dsts.is_empty() {
        w.write_str(" = ")?;
    }
    w.write_str(name)?;
    for (i, a) in args.iter().enumerate() {
        if !a.is_suffix() {
            w.write_str(if i == 0 { " " } else { ", " })?;
        }
        a.write(w)?;
    }
    Ok(())
}

macro_rules! ops {
    ($( $(#[$doc:meta])* $name:ident = $text:literal [$($d:ident: $dt:ty),*] ($($f:ident: $t:ty),*); )*) => {
        /// One interpreter instruction. Results first, then operands; see the module docs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Op {
            $( $(#[$doc])* $name { $($d: $dt,)* $($f: $t,)* }, )*
        }

        /// The ops' tags, in declaration order: the index of an op's handler.
        #[allow(dead_code)]
        enum OpTag { $($name),* }

        /// Number of op kinds (the length of a handler table).
        pub(crate) const OP_COUNT: usize = [$(OpTag::$name),*].len();

        impl Op {
            /// The op's tag: its index in the handler tables (declaration order).
            #[inline(always)]
            pub(crate) fn tag(&self) -> usize {
                match self { $( Op::$name { .. } => OpTag::$name as usize, )* }
            }

            /// The mnemonic.
            #[allow(dead_code)]
            pub(crate) fn name(&self) -> &'static str {
                match self { $( Op::$name { .. } => $text, )* }
            }

            /// Writes the op in listing syntax: `s3 = i32.add s1, s2`.
            pub(crate) fn write(&self, w: &mut dyn Write) -> fmt::Result {
                match self {
                    $( Op::$name { $($d,)* $($f,)* } => {
                        let dsts: &[&dyn Field] = &[$($d),*];
                        let args: &[&dyn Field] = &[$($f),*];
                        write_parts(w, $text, dsts, args)
                    } )*
                }
            }

            /// True if every cell and target operand is in range (inlined in
            /// `InterpFunc::verify`, its one caller outside tests).
            #[inline(always)]
            pub(crate) fn in_range(&self, limits: &Limits) -> bool {
                match self {
                    $( Op::$name { $($d,)* $($f,)* } => {
                        true $(&& $d.in_range(limits))* $(&& $f.in_range(limits))*
                    } )*
                }
            }

            /// The op's result cell if it has exactly one, a scalar: the
            /// baseline translator points an op's result at the local a
            /// `local.set` stores it to, instead of copying it there.
            #[inline]
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $( Op::$name { $($d,)* .. } => {
                        let dsts: &mut [Option<&mut Slot>] = &mut [$(Field::slot_mut($d)),*];
                        match dsts {
                            [one] => one.take(),
                            _ => None,
                        }
                    } )*
                }
            }

            /// The op's branch target, if it has one.
            #[inline]
            pub(crate) fn target_mut(&mut self) -> Option<&mut Target> {
                match self {
                    $( Op::$name { $($f,)* .. } => {
                        $( if let Some(t) = $f.target_mut() { return Some(t); } )*
                        None
                    } )*
                }
            }
        }
    };
}

mod vector;
pub(crate) use vector::vector_op_table;

mod list;
pub(crate) use list::op_list;

op_list!(ops);

impl Op {
    /// True if the op may run in a function whose fused memory (see
    /// `InterpFunc::heap`) is `heap`: the execution loop adds the checked
    /// index of a fused linear-memory access to the base of the function's
    /// one such memory, which it keeps in a register, so an access that
    /// names a memory must name that one; and the fused array accesses, which
    /// name no memory, use it, so a function without one must not have them.
    /// One match, since `InterpFunc::verify` asks it of every op.
    #[inline]
    pub(crate) fn heap_ok(&self, heap: Option<u16>) -> bool {
        match *self {
            Op::MemLoad8U { memory, .. }
            | Op::MemLoad8S32 { memory, .. }
            | Op::MemLoad8S64 { memory, .. }
            | Op::MemLoad16U { memory, .. }
            | Op::MemLoad16S32 { memory, .. }
            | Op::MemLoad16S64 { memory, .. }
            | Op::MemLoad32 { memory, .. }
            | Op::MemLoad32S64 { memory, .. }
            | Op::MemLoad64 { memory, .. }
            | Op::MemLoadV { memory, .. }
            | Op::MemLoadVExt { memory, .. }
            | Op::MemLoadLane { memory, .. }
            | Op::MemStore8 { memory, .. }
            | Op::MemStore16 { memory, .. }
            | Op::MemStore32 { memory, .. }
            | Op::MemStore64 { memory, .. }
            | Op::MemStoreV { memory, .. }
            | Op::MemStoreLane { memory, .. }
            | Op::MemLoad8UAt { memory, .. }
            | Op::MemLoad8S32At { memory, .. }
            | Op::MemLoad8S64At { memory, .. }
            | Op::MemLoad16UAt { memory, .. }
            | Op::MemLoad16S32At { memory, .. }
            | Op::MemLoad16S64At { memory, .. }
            | Op::MemLoad32At { memory, .. }
            | Op::MemLoad32S64At { memory, .. }
            | Op::MemLoad64At { memory, .. }
            | Op::MemStore8At { memory, .. }
            | Op::MemStore16At { memory, .. }
            | Op::MemStore32At { memory, .. }
            | Op::MemStore64At { memory, .. } => Some(memory.0) == heap,
            Op::BrTableLoad32X { .. }
            | Op::BrTableAddLoad32Scaled { .. }
            | Op::MemLoad8UX { .. }
            | Op::MemLoad8S32X { .. }
            | Op::MemLoad8S64X { .. }
            | Op::MemLoad16UX { .. }
            | Op::MemLoad16S32X { .. }
            | Op::MemLoad16S64X { .. }
            | Op::MemLoad32X { .. }
            | Op::MemLoad32S64X { .. }
            | Op::MemLoad64X { .. }
            | Op::MemStore8X { .. }
            | Op::MemStore16X { .. }
            | Op::MemStore32X { .. }
            | Op::MemStore64X { .. }
            | Op::MemLoad16UScaled { .. }
            | Op::MemLoad16S32Scaled { .. }
            | Op::MemLoad16S64Scaled { .. }
            | Op::MemLoad32Scaled { .. }
            | Op::MemLoad32S64Scaled { .. }
            | Op::MemLoad64Scaled { .. }
            | Op::MemStore16Scaled { .. }
            | Op::MemStore32Scaled { .. }
            | Op::MemStore64Scaled { .. } => heap.is_some(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_are_16_bytes() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
        assert_eq!(std::mem::size_of::<Option<Op>>(), 16);
    }

    #[test]
    fn listing_syntax() {
        let mut s = String::new();
        Op::I32Add { dst: Slot(3), a: Slot(1), b: Slot(2) }.write(&mut s).expect("writes to a String");
        assert_eq!(s, "s3 = i32.add s1, s2");
        s.clear();
        Op::BrI32LtSImm { a: Slot(0), imm: 10, target: Target(7) }.write(&mut s).expect("writes to a String");
        assert_eq!(s, "br_i32.lt_s s0, 10, @7");
        s.clear();
        Op::MemStore32 { memory: VmOff(40), index: Slot(2), add: Addend(0), value: Slot(3), offset: 4 }
            .write(&mut s)
            .expect("writes to a String");
        assert_eq!(s, "mem.store32 vm+40, s2, s3, 4");
        s.clear();
        Op::MemLoad8U { dst: Slot(1), memory: VmOff(40), index: Slot(2), add: Addend(1024), offset: 0 }
            .write(&mut s)
            .expect("writes to a String");
        assert_eq!(s, "s1 = mem.load8_u vm+40, s2+1024, 0");
        s.clear();
        Op::MemStore64At { memory: VmOff(40), addr: Abs(3504), value: Slot(3) }
            .write(&mut s)
            .expect("writes to a String");
        assert_eq!(s, "mem.store64 vm+40, [3504], s3");
    }

    #[test]
    fn verification_catches_out_of_range_operands() {
        let limits = Limits { cells: 4, code_len: 3 };
        assert!(Op::I32Add { dst: Slot(3), a: Slot(1), b: Slot(2) }.in_range(&limits));
        assert!(!Op::I32Add { dst: Slot(4), a: Slot(1), b: Slot(2) }.in_range(&limits));
        assert!(!Op::ConstV { dst: VSlot(3), index: 0 }.in_range(&limits));
        assert!(!Op::Jump { target: Target(3) }.in_range(&limits));
        let mut j = Op::BrIf { c: Slot(0), target: Target(9) };
        *j.target_mut().expect("a branch has a target") = Target(2);
        assert!(j.in_range(&limits));
    }
}
