//! The baseline translator: a Wasm function body straight to slot code, in one
//! pass over its bytes, with no IR in between.
//!
//! The SSA pipeline (`lowering`, then `translate`) makes the best code, but it
//! spends about 1,200 machine instructions per Wasm operator doing so. This
//! pass spends a small fraction of that, so that a module is runnable sooner:
//! eager translation of a large module, or the first call of a function. It
//! keeps the stack machine's shape:
//!
//! * every local has a fixed cell (after `vmctx` and the parameters), and
//!   every operand-stack entry a *home* cell above them, at its depth;
//! * an entry whose value is a local or a constant stays lazy (no copy): the
//!   op that pops it reads the local's cell or takes the constant as an
//!   immediate, and a `local.set` right after the op that made its value
//!   points that op's result at the local;
//! * a `local.set` first copies the lazy reads of that local still on the
//!   stack to their homes; entering a block does the same for all of them, so
//!   that a copy made on one path inside the block is never relied on by
//!   another;
//! * a branch moves its values to the target's home cells; a compare just
//!   before a `br_if` or an `if` fuses with it, and an `i32.add` of a constant
//!   just before a memory access folds into the access.
//!
//! What it does not handle (SIMD, reference and table instructions, memories
//! other than memory 0, instrumentation) makes it give up on the function with
//! [`Bail`], and the caller translates that function through the SSA pipeline
//! instead, which handles everything: the program means the same either way.

mod control;
mod numeric;
mod ops;
mod thread;

use zerowasm_frontend::reader::BinaryReader;
use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_frontend::{BlockType, CoreFeatures, ModuleInfo, Operator, ValType, read_operator};
use zerowasm_ssa::Type;

use crate::code::{CALL_CELLS, Cells, Op, Slot, Target, VmOff};
use crate::func::{BuiltinDesc, CallDesc, InterpFunc, NO_HEAP};

/// Why the baseline translator gave up on a function. The caller translates
/// it through the SSA pipeline instead, which supports everything and reports
/// the real error if the function cannot be translated at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail(pub &'static str);

type Res<T = ()> = Result<T, Bail>;

/// The decoder's features: those of the SSA lowering, whose input this is too.
const DECODE_FEATURES: CoreFeatures = CoreFeatures::V2.with(CoreFeatures::MULTI_MEMORY);

/// Where an operand-stack entry's value is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Src {
    /// In the entry's home cell.
    Temp,
    /// In a local's cell (a lazy `local.get`).
    Cell(u16),
    /// A scalar constant not yet written anywhere (its bits, 32-bit ones
    /// zero-extended; `v128.const` is not handled).
    Const(u64),
}

/// One operand-stack entry.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The cell (the first of two for a v128) the value lives in as a temporary.
    home: u16,
    ty: ValType,
    src: Src,
}

/// Cells a value of type `ty` takes.
fn width(ty: ValType) -> u32 {
    if ty == ValType::V128 { 2 } else { 1 }
}

/// What kind of construct a control frame is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Block,
    Loop,
    If,
    Else,
    Func,
}

/// One entry of the control stack.
#[derive(Clone, Copy, Debug)]
struct Frame {
    kind: Kind,
    ty: BlockType,
    /// Operand-stack length at entry, the block's parameters excluded.
    height: u32,
    /// Home cell of the first parameter or result.
    base: u16,
    /// Where branches to this frame go: a loop's start, else its end.
    label: u32,
    /// An `if`'s `else` arm (or its end, without one).
    else_label: u32,
    /// The rest of the frame's code is unreachable.
    dead: bool,
    /// Some branch goes to `label` (so the code after a block is reachable).
    branched: bool,
    /// The locals assigned on every branch to the frame's end so far
    /// (all of them while there is none; see [`Assigned`]).
    at_end: Assigned,
    /// An `if`'s locals assigned when its condition is tested: the state
    /// its `else` arm (or its end, without one) starts from.
    at_if: Assigned,
}

/// The first [`TRACKED_LOCALS`] locals definitely assigned on the path being
/// translated: a declared local read while its bit is set needs no zero.
/// Unreachable code has every bit set (it joins nothing).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Assigned([u64; 4]);

/// Locals whose definite assignment is tracked (a declared local beyond
/// them is zeroed whenever some `local.get` reads it).
const TRACKED_LOCALS: u32 = 256;

impl Assigned {
    const NONE: Assigned = Assigned([0; 4]);
    const ALL: Assigned = Assigned([u64::MAX; 4]);

    fn set(&mut self, i: u32) {
        if i < TRACKED_LOCALS {
            self.0[(i / 64) as usize] |= 1 << (i % 64);
        }
    }

    fn has(self, i: u32) -> bool {
        i < TRACKED_LOCALS && self.0[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    /// The locals assigned on both paths.
    fn meet(self, other: Assigned) -> Assigned {
        Assigned(std::array::from_fn(|w| self.0[w] & other.0[w]))
    }
}

/// Entries of a frame's part of the operand stack that a `local.set` or a
/// block entry scans for lazy local reads: beyond it the function goes to the
/// SSA pipeline, so that translation time stays linear in the body's size.
const MAX_SCAN: usize = 1024;

/// Cells a function keeps at most for constants read inside its loops.
const CONST_CELLS: u16 = 8;

/// How many cells to keep for constants read inside loops: none without a
/// `loop` opcode byte, else one per constant opcode byte, up to
/// [`CONST_CELLS`]. Bytes of immediates count too, which only over-counts:
/// a frame keeps few cells it does not use, and none in a function without
/// loops or constants.
fn const_room(body: &[u8]) -> u16 {
    if !body.contains(&0x03) {
        return 0;
    }
    let consts = body.iter().filter(|&&b| b.wrapping_sub(0x41) < 4).take(usize::from(CONST_CELLS)).count();
    consts as u16
}

/// A label's position before it is bound.
const UNBOUND: u32 = u32::MAX;

/// Buffers kept between translations on one thread.
#[derive(Default)]
pub(crate) struct Scratch {
    stack: Vec<Entry>,
    frames: Vec<Frame>,
    /// Cell and type of each local, parameters first.
    locals: Vec<(u16, ValType)>,
    /// Per local: read where it may not be assigned (so a declared one
    /// needs its zero in the prologue).
    read: Vec<bool>,
    /// The constants read inside loops that have a cell of their own, set
    /// once in the prologue: `(bits, cell)`.
    const_cells: Vec<(u64, u16)>,
    /// Position of each label ([`UNBOUND`] until bound).
    labels: Vec<u32>,
    /// Ops whose target still holds a label number.
    fixups: Vec<u32>,
    /// The code and source offsets as they are made (the function gets
    /// exact copies, after its prologue).
    code: Vec<Op>,
    srclocs: Vec<u32>,
    prologue: Vec<Op>,
}

/// The state of one function's translation.
struct Translator<'a> {
    info: &'a ModuleInfo,
    offsets: &'a VmOffsets,
    s: &'a mut Scratch,
    results: &'a [ValType],
    code: Vec<Op>,
    srclocs: Vec<u32>,
    /// Module offset of the operator being translated.
    at: u32,
    /// First cell of the operand stack (after vmctx, parameters, locals and
    /// the constants' cells).
    stack_base: u16,
    /// First declared (non-parameter) local's cell.
    first_declared: u16,
    /// The locals definitely assigned here.
    assigned: Assigned,
    /// First of the cells kept for constants read inside loops, and how many.
    const_base: u16,
    const_room: u16,
    /// Loops open around the operator being translated.
    loop_depth: u32,
    /// Cells used so far (the frame size).
    max_cell: u32,
    /// Position of the last label bound (an op there may not fuse with the one before).
    bound_at: u32,
    /// Blocks opened inside unreachable code, whose `end`s are skipped.
    dead_depth: u32,
    /// A fused memory access names memory 0.
    heap_used: bool,
    br_tables: Vec<Box<[u32]>>,
    calls: Vec<CallDesc>,
    returns: Vec<Box<[u16]>>,
    builtins: Vec<BuiltinDesc>,
    /// `(op position, label number)` of every bound label, for listings.
    listing_labels: Vec<(u32, u32)>,
}

/// Translates defined function `funcidx` of the validated module `info`
/// (whose bytes are `bytes`) to slot code, or gives up with [`Bail`].
pub(crate) fn translate(
    info: &ModuleInfo,
    bytes: &[u8],
    offsets: &VmOffsets,
    funcidx: u32,
    scratch: &mut Scratch,
) -> Result<InterpFunc, Bail> {
    let defined = funcidx.checked_sub(info.num_imported_functions).ok_or(Bail("not a defined function"))?;
    let body = info.bodies.get(defined as usize).ok_or(Bail("not a defined function"))?;
    let type_index = *info.functions.get(funcidx as usize).ok_or(Bail("no type"))?;
    let ty = info.types.get(type_index as usize).ok_or(Bail("no type"))?;
    let code = bytes.get(body.range.clone()).ok_or(Bail("body outside the module"))?;
    let mut reader = BinaryReader::with_offset(code, body.range.start);
    scratch.stack.clear();
    scratch.frames.clear();
    scratch.locals.clear();
    scratch.read.clear();
    scratch.const_cells.clear();
    scratch.labels.clear();
    scratch.fixups.clear();
    let mut ops = std::mem::take(&mut scratch.code);
    ops.clear();
    let mut srclocs = std::mem::take(&mut scratch.srclocs);
    srclocs.clear();
    let mut t = Translator {
        info,
        offsets,
        s: scratch,
        results: &ty.results,
        code: ops,
        srclocs,
        at: body.range.start as u32,
        stack_base: 0,
        first_declared: 0,
        assigned: Assigned::NONE,
        const_base: 0,
        const_room: 0,
        loop_depth: 0,
        max_cell: 0,
        bound_at: UNBOUND,
        dead_depth: 0,
        heap_used: false,
        br_tables: Vec::new(),
        calls: Vec::new(),
        returns: Vec::new(),
        builtins: Vec::new(),
        listing_labels: Vec::new(),
    };
    t.locals(&mut reader, &ty.params, code)?;
    t.s.frames.push(Frame {
        kind: Kind::Func,
        ty: BlockType::Func(type_index),
        height: 0,
        base: t.stack_base,
        label: 0,
        else_label: 0,
        dead: false,
        branched: false,
        at_end: Assigned::ALL,
        at_if: Assigned::ALL,
    });
    while !t.s.frames.is_empty() {
        t.at = reader.offset() as u32;
        let op = read_operator(&mut reader, DECODE_FEATURES).map_err(|_| Bail("decode error"))?;
        t.operator(op)?;
    }
    if !reader.eof() {
        return Err(Bail("operators after the end of the function"));
    }
    t.finish(funcidx, ty)
}

impl<'a> Translator<'a> {
    /// Reads the local declarations and gives every local its cell. The
    /// declared locals that are read get their zero in the prologue (see
    /// [`Translator::finish`]); the parameters arrive in theirs.
    fn locals(&mut self, r: &mut BinaryReader<'_>, params: &[ValType], body: &[u8]) -> Res {
        let mut cell = 1u32;
        for &p in params {
            self.s.locals.push((cell as u16, p));
            cell += width(p);
        }
        self.first_declared = cell as u16;
        let groups = r.read_count().map_err(|_| Bail("decode error"))?;
        for _ in 0..groups {
            let n = r.read_var_u32().map_err(|_| Bail("decode error"))?;
            let ty = r.read_val_type().map_err(|_| Bail("decode error"))?;
            if u64::from(cell) + u64::from(n) * 2 > u64::from(u16::MAX) / 2 {
                return Err(Bail("too many locals for 16-bit cells"));
            }
            for _ in 0..n {
                self.s.locals.push((cell as u16, ty));
                cell += width(ty);
            }
        }
        self.s.read.resize(self.s.locals.len(), false);
        self.at = r.offset() as u32;
        self.const_base = cell as u16;
        self.const_room = const_room(body);
        cell += u32::from(self.const_room);
        self.stack_base = cell as u16;
        self.max_cell = cell;
        Ok(())
    }

    /// The cell holding constant `bits` for reads inside a loop, if it has
    /// one or one is left: the prologue sets it once per call, where the
    /// loop would write the constant on every iteration.
    fn const_cell(&mut self, bits: u64) -> Option<u16> {
        if self.loop_depth == 0 {
            return None;
        }
        if let Some(&(_, c)) = self.s.const_cells.iter().find(|&&(k, _)| k == bits) {
            return Some(c);
        }
        let n = self.s.const_cells.len() as u16;
        if n == self.const_room {
            return None;
        }
        let c = self.const_base + n;
        self.s.const_cells.push((bits, c));
        Some(c)
    }

    /// Appends `op`, located at the current operator.
    #[inline]
    fn emit(&mut self, op: Op) {
        self.code.push(op);
        self.srclocs.push(self.at);
    }

    /// Appends a branch whose target is a label number, patched at the end:
    /// fused with the op before when they have a joint form (a loop latch's
    /// add, an edge's copy).
    fn emit_branch(&mut self, op: Op) {
        let op = match self.last_fusable().and_then(|&mut last| crate::translate::fuse_latch_pair(last, op)) {
            Some(fused) => {
                self.unemit();
                fused
            }
            None => op,
        };
        self.s.fixups.push(self.code.len() as u32);
        self.emit(op);
    }

    /// A new unbound label.
    fn new_label(&mut self) -> u32 {
        self.s.labels.push(UNBOUND);
        self.s.labels.len() as u32 - 1
    }

    /// Binds `label` to the next op's position.
    fn bind(&mut self, label: u32) {
        let pos = self.code.len() as u32;
        self.s.labels[label as usize] = pos;
        self.bound_at = pos;
        self.listing_labels.push((pos, label));
    }

    /// The last op, if the next one may replace or change it (no label between).
    fn last_fusable(&mut self) -> Option<&mut Op> {
        if self.bound_at == self.code.len() as u32 {
            return None;
        }
        self.code.last_mut()
    }

    /// The op before the last, if the last op and the next one may fold it
    /// in too (no label between any of them; labels are bound in order).
    fn fusable_before_last(&self) -> Option<Op> {
        let n = self.code.len() as u32;
        if n < 2 || (self.bound_at != UNBOUND && self.bound_at + 1 >= n) {
            return None;
        }
        self.code.get(n as usize - 2).copied()
    }

    /// Removes the last op (fused into the next one).
    fn unemit(&mut self) {
        self.code.pop();
        self.srclocs.pop();
    }

    // ---- the operand stack ----

    /// The cell after the top entry.
    fn top_cell(&self) -> u32 {
        self.s.stack.last().map_or(u32::from(self.stack_base), |e| u32::from(e.home) + width(e.ty))
    }

    /// Reserves `n` cells from cell `from` (scratch cells above the stack).
    fn reserve(&mut self, from: u32, n: u32) -> Res<u16> {
        let end = from + n;
        if end > u32::from(u16::MAX) {
            return Err(Bail("frame too large for 16-bit cells"));
        }
        self.max_cell = self.max_cell.max(end);
        Ok(from as u16)
    }

    /// Pushes an entry of type `ty` holding `src`; returns its home.
    fn push(&mut self, ty: ValType, src: Src) -> Res<u16> {
        let home = self.reserve(self.top_cell(), width(ty))?;
        self.s.stack.push(Entry { home, ty, src });
        Ok(home)
    }

    /// Pushes a temporary of type `ty` (the result of the op about to be
    /// emitted) and returns its cell.
    fn push_temp(&mut self, ty: ValType) -> Res<Slot> {
        self.push(ty, Src::Temp).map(Slot)
    }

    fn pop(&mut self) -> Res<Entry> {
        self.s.stack.pop().ok_or(Bail("operand stack underflow"))
    }

    /// Writes constant `bits` of type `ty` to cell `dst`.
    fn emit_const(&mut self, dst: u16, ty: ValType, bits: u64) {
        match ty {
            ValType::I32 | ValType::F32 => self.emit(Op::Const32 { dst: Slot(dst), imm: bits as u32 }),
            _ => self.emit(Op::Const64 { dst: Slot(dst), imm: bits }),
        }
    }

    /// Copies a value of type `ty` from cell `src` to cell `dst`: joined to
    /// a copy just before it (a block's values, a loop's moved locals), as
    /// the pair op copies in order.
    fn emit_copy(&mut self, dst: u16, src: u16, ty: ValType) {
        let (dst, src) = (Slot(dst), Slot(src));
        if ty == ValType::V128 {
            self.emit(Op::Copy2 { dst, dst2: Slot(dst.0 + 1), src, src2: Slot(src.0 + 1) });
        } else if let Some(last @ &mut Op::Copy { dst: d, src: s }) = self.last_fusable() {
            *last = Op::Copy2 { dst: d, src: s, dst2: dst, src2: src };
            // The pair stands where the second copy would.
            if let Some(at) = self.srclocs.last_mut() {
                *at = self.at;
            }
        } else {
            self.emit(Op::Copy { dst, src });
        }
    }

    /// Writes entry `e`'s value to cell `dst` (nothing if it is there already).
    fn move_to(&mut self, dst: u16, e: Entry) {
        match e.src {
            Src::Temp if e.home == dst => {}
            Src::Temp => self.emit_copy(dst, e.home, e.ty),
            Src::Cell(c) => self.emit_copy(dst, c, e.ty),
            Src::Const(k) => self.emit_const(dst, e.ty, k),
        }
    }

    /// The cell an op reads entry `e` from: a constant is written to the
    /// entry's home first.
    fn operand(&mut self, e: Entry) -> Slot {
        match e.src {
            Src::Temp => Slot(e.home),
            Src::Cell(c) => Slot(c),
            Src::Const(k) => match self.const_cell(k) {
                Some(c) => Slot(c),
                None => {
                    self.emit_const(e.home, e.ty, k);
                    Slot(e.home)
                }
            },
        }
    }

    /// Appends the cells an op reads the stack entries from `start` on from
    /// (see [`Translator::operand`]; two for a v128).
    fn operand_cells(&mut self, start: usize, list: &mut Vec<u16>) {
        for i in start..self.s.stack.len() {
            let e = self.s.stack[i];
            let Slot(c) = self.operand(e);
            list.push(c);
            if e.ty == ValType::V128 {
                list.push(c + 1);
            }
        }
    }

    /// [`Translator::operand_cells`] of the top `n` entries, which are popped.
    fn pop_operand_cells(&mut self, n: usize, list: &mut Vec<u16>) -> Res {
        let start = self.s.stack.len().checked_sub(n).ok_or(Bail("operands missing"))?;
        self.operand_cells(start, list);
        self.s.stack.truncate(start);
        Ok(())
    }

    /// The cell an op reads entry `e` from, if that needs no op.
    fn operand_in_place(&mut self, e: Entry) -> Option<Slot> {
        match e.src {
            Src::Temp => Some(Slot(e.home)),
            Src::Cell(c) => Some(Slot(c)),
            Src::Const(k) => self.const_cell(k).map(Slot),
        }
    }

    /// Writes stack entry `i` to its home and makes it a temporary.
    fn materialize(&mut self, i: usize) {
        let e = self.s.stack[i];
        if e.src != Src::Temp {
            self.move_to(e.home, e);
            self.s.stack[i].src = Src::Temp;
        }
    }

    /// The VM-context field at `offset`, if it fits an op's 16-bit field.
    fn vm_field(offset: u32) -> Res<VmOff> {
        u16::try_from(offset).map(VmOff).map_err(|_| Bail("VM-context field beyond 16 bits"))
    }

    /// Parameter and result types of block type `bt`.
    fn block_types(&self, bt: BlockType) -> Res<(&'a [ValType], &'a [ValType])> {
        Ok(match bt {
            BlockType::Empty => (&[], &[]),
            BlockType::Value(t) => (&[], t.as_slice()),
            BlockType::Func(i) => {
                let info: &'a ModuleInfo = self.info;
                let ft = info.types.get(i as usize).ok_or(Bail("unknown block type"))?;
                (&ft.params, &ft.results)
            }
        })
    }

    /// Ends the translation: puts the prologue before the code, patches the
    /// branches and builds the function.
    fn finish(mut self, funcidx: u32, ty: &zerowasm_frontend::FuncType) -> Result<InterpFunc, Bail> {
        self.emit(Op::EndOfCode {});
        self.thread_jumps();
        let n = self.prologue();
        // Every label moves by the prologue's length.
        let labels = &self.s.labels;
        let label = |l: u32| labels.get(l as usize).map(|&at| at + n).ok_or(Bail("unknown label"));
        for &at in &self.s.fixups {
            if let Some(t) = self.code[at as usize].target_mut() {
                *t = Target(label(t.0)?);
            }
        }
        for table in &mut self.br_tables {
            for t in table.iter_mut() {
                *t = label(*t)?;
            }
        }
        for (pos, _) in &mut self.listing_labels {
            *pos += n;
        }
        let at = self.srclocs.first().copied().unwrap_or(self.at);
        let code: Box<[Op]> = self.s.prologue.iter().chain(&self.code).copied().collect();
        let srclocs: Box<[u32]> =
            std::iter::repeat_n(at, n as usize).chain(self.srclocs.iter().copied()).collect();
        self.s.code = std::mem::take(&mut self.code);
        self.s.srclocs = std::mem::take(&mut self.srclocs);
        let cells = self.max_cell.max(CALL_CELLS as u32);
        let ir = |t: ValType| zerowasm_frontend::lower::ir_type(t);
        let params: Box<[Type]> =
            std::iter::once(Type::I64).chain(ty.params.iter().map(|&t| ir(t))).collect();
        let arg_cells = 1 + ty.params.iter().map(|&t| width(t)).sum::<u32>();
        let heap = if self.heap_used { self.offsets.memory(0) } else { NO_HEAP };
        let func = InterpFunc {
            name: zerowasm_frontend::lower::function_name(self.info, funcidx),
            code,
            srclocs,
            cells,
            arg_cells,
            params,
            results: ty.results.iter().map(|&t| ir(t)).collect(),
            // No `v128.const` or shuffle: the constant pool stays empty.
            consts: Box::default(),
            br_tables: self.br_tables.into_boxed_slice(),
            calls: self.calls.into_boxed_slice(),
            returns: self.returns.into_boxed_slice(),
            builtins: self.builtins.into_boxed_slice(),
            labels: self.listing_labels.into_boxed_slice(),
            heap,
            funcidx,
        };
        match func.verify() {
            Ok(()) => Ok(func),
            Err(_) => {
                debug_assert!(
                    false,
                    "baseline code of function {funcidx} fails verification: {}",
                    func.listing()
                );
                Err(Bail("the code failed verification"))
            }
        }
    }

    /// Makes the prologue (in `Scratch::prologue`): the zeros of the declared
    /// locals that are read, and the constants that have cells. Returns its
    /// length.
    fn prologue(&mut self) -> u32 {
        let prologue = &mut self.s.prologue;
        prologue.clear();
        // Runs of read declared locals' cells: one `zero` for each run of
        // two cells or more.
        let first = self.first_declared;
        let mut run: Option<Cells> = None;
        let flush = |run: Cells, prologue: &mut Vec<Op>| match run.n {
            1 => prologue.push(Op::Const64 { dst: Slot(run.first), imm: 0 }),
            _ => prologue.push(Op::Zero { cells: run }),
        };
        for (&(cell, ty), _) in self.s.locals.iter().zip(&self.s.read).filter(|(_, r)| **r) {
            if cell < first {
                continue;
            }
            let n = if ty == ValType::V128 { 2 } else { 1 };
            match &mut run {
                Some(r) if r.first + r.n == cell => r.n += n,
                _ => {
                    if let Some(r) = run.replace(Cells { first: cell, n }) {
                        flush(r, prologue);
                    }
                }
            }
        }
        if let Some(r) = run {
            flush(r, prologue);
        }
        for &(bits, cell) in &self.s.const_cells {
            prologue.push(Op::Const64 { dst: Slot(cell), imm: bits });
        }
        prologue.len() as u32
    }

    /// Translates one operator.
    fn operator(&mut self, op: Operator<'_>) -> Res {
        if self.dead_depth > 0 || self.s.frames.last().is_some_and(|f| f.dead) {
            return self.dead_operator(op);
        }
        match op {
            Operator::Unreachable => {
                self.emit(Op::Trap { code: zerowasm_ssa::TrapCode::Unreachable });
                self.set_dead();
            }
            Operator::Nop => {}
            Operator::Block(bt) => self.block(Kind::Block, bt)?,
            Operator::Loop(bt) => self.block(Kind::Loop, bt)?,
            Operator::If(bt) => self.if_(bt)?,
            Operator::Else => self.else_()?,
            Operator::End => self.end()?,
            Operator::Br(depth) => {
                self.branch(depth)?;
                self.set_dead();
            }
            Operator::BrIf(depth) => self.br_if(depth)?,
            Operator::BrTable(table) => self.br_table(&table)?,
            Operator::Return => {
                self.return_()?;
                self.set_dead();
            }
            Operator::Call(f) => self.call(f)?,
            Operator::CallIndirect { type_index, table } => self.call_indirect(type_index, table)?,
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select => self.select()?,
            Operator::TypedSelect(t) if t != ValType::V128 => self.select()?,
            Operator::LocalGet(i) => {
                let &(cell, ty) = self.s.locals.get(i as usize).ok_or(Bail("unknown local"))?;
                if !self.assigned.has(i) {
                    self.s.read[i as usize] = true;
                }
                self.push(ty, Src::Cell(cell))?;
            }
            Operator::LocalSet(i) => self.local_set(i, false)?,
            Operator::LocalTee(i) => self.local_set(i, true)?,
            Operator::GlobalGet(g) => self.global_get(g)?,
            Operator::GlobalSet(g) => self.global_set(g)?,
            Operator::Load(op, m) => self.load(op, m)?,
            Operator::Store(op, m) => self.store(op, m)?,
            Operator::MemorySize(m) => self.memory_size(m)?,
            Operator::MemoryGrow(m) => self.memory_grow(m)?,
            Operator::I32Const(k) => {
                self.push(ValType::I32, Src::Const(u64::from(k as u32)))?;
            }
            Operator::I64Const(k) => {
                self.push(ValType::I64, Src::Const(k as u64))?;
            }
            Operator::F32Const(bits) => {
                self.push(ValType::F32, Src::Const(u64::from(bits)))?;
            }
            Operator::F64Const(bits) => {
                self.push(ValType::F64, Src::Const(bits))?;
            }
            Operator::Simple(s) => self.simple(s)?,
            Operator::MemoryCopy { dst, src } => self.memory_copy(dst, src)?,
            Operator::MemoryFill(m) => self.memory_fill(m)?,
            Operator::MemoryInit { data, memory } => self.memory_init(data, memory)?,
            Operator::DataDrop(d) => self.data_drop(d)?,
            _ => return Err(Bail("instruction the baseline translator does not handle")),
        }
        Ok(())
    }

    /// Skips an operator of unreachable code, keeping track of block nesting.
    fn dead_operator(&mut self, op: Operator<'_>) -> Res {
        match op {
            Operator::Block(_) | Operator::Loop(_) | Operator::If(_) => self.dead_depth += 1,
            Operator::Else if self.dead_depth == 0 => self.else_()?,
            Operator::End if self.dead_depth == 0 => self.end()?,
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    /// Marks the rest of the current frame unreachable.
    fn set_dead(&mut self) {
        self.assigned = Assigned::ALL;
        if let Some(f) = self.s.frames.last_mut() {
            f.dead = true;
            let h = f.height as usize;
            self.s.stack.truncate(h);
        }
    }
}

/// A builtin's descriptor, with argument cells `args` (vmctx first) and result cells `results`.
fn builtin_desc(b: zerowasm_frontend::builtins::Builtin, args: Vec<u16>, results: &[u16]) -> BuiltinDesc {
    BuiltinDesc {
        index: b as u32,
        name: b.name(),
        args: args.into_boxed_slice(),
        results: results.into(),
        narrow: results.iter().map(|_| true).collect(),
    }
}

#[cfg(test)]
mod tests;
