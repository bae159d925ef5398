//! Every raw access of the interpreter (the only module with `unsafe` besides
//! the builtin call in `calls.rs`):
//!
//! - **frame cells** ([`Regs`]): unchecked reads and writes of the current frame.
//!   Sound because an `InterpFunc` is only built after `InterpFunc::verify` has
//!   checked that every cell operand of its code is below its frame size, and a
//!   `Regs` is only made from a frame slice of exactly that size for that code;
//! - **frame headers** ([`Header`]): the cells just below a frame the inner
//!   loop entered itself, which hold pointers to the caller's function, code
//!   and call descriptor; written only by the call that entered the frame,
//!   read only by its return or by the loop's exit, and outside every frame's
//!   cells, so no op touches them;
//! - **op fetch** ([`Pc::op`]): unchecked, because verification also checked that
//!   every branch target is inside the code and that the code ends with
//!   `end_of_code`, which never falls through;
//! - **linear memory and the VM context** ([`load`], [`store`], [`checked_heap_addr`],
//!   [`read_u64`]): raw pointer accesses at addresses the IR computes. The
//!   lowering builds them from pointers in the runtime-built VM context (laid
//!   out by `VmOffsets`) and from linear-memory indices it bounds-checks before
//!   the access (or that the fused access ops check here, against the length the
//!   runtime keeps in `VmMemory`). The memory base never moves (the reservation
//!   covers the maximum), so an address checked against the current length stays
//!   valid for the access. This is the contract `invoke` documents: the `vmctx`
//!   it is given must be a VM context the runtime built for the module.

use std::marker::PhantomData;

use zerowasm_frontend::vmoffsets::VmOffsets;

use crate::code::{Op, Slot, VSlot};
use crate::func::InterpFunc;

/// The cells of the executing frame.
#[derive(Clone, Copy)]
pub(crate) struct Regs<'a> {
    base: *mut u64,
    #[cfg(debug_assertions)]
    len: usize,
    _frame: PhantomData<&'a mut [u64]>,
}

impl<'a> Regs<'a> {
    /// Wraps a frame: exactly `InterpFunc::cells` cells of the value stack.
    #[inline(always)]
    pub(crate) fn new(frame: &'a mut [u64]) -> Self {
        Regs {
            base: frame.as_mut_ptr(),
            #[cfg(debug_assertions)]
            len: frame.len(),
            _frame: PhantomData,
        }
    }

    /// The same frame with a lifetime the caller picks. The threaded handlers
    /// carry a frame across ops while their context (`Cx`) also holds the value
    /// stack it lives in, which the borrow checker cannot see through.
    ///
    /// # Safety
    /// The frame must stay where it is while the result is used: the value
    /// stack is only reallocated by the outer loop (`exec::push_frame`,
    /// `Interpreter::invoke`), never while the inner loop runs.
    #[inline(always)]
    pub(crate) unsafe fn unbind<'b>(self) -> Regs<'b> {
        Regs {
            base: self.base,
            #[cfg(debug_assertions)]
            len: self.len,
            _frame: PhantomData,
        }
    }

    /// Reads cell `s`.
    #[inline(always)]
    pub(crate) fn get(self, s: Slot) -> u64 {
        #[cfg(debug_assertions)]
        if s.0 as usize >= self.len {
            cell_outside_frame(s.0, self.len)
        }
        // SAFETY: `s` comes from verified code whose every cell operand is below the
        // frame size, and `base` points at a live frame of that size (see `new`).
        unsafe { *self.base.add(s.0 as usize) }
    }

    /// Writes cell `s`.
    #[inline(always)]
    pub(crate) fn set(self, s: Slot, v: u64) {
        #[cfg(debug_assertions)]
        if s.0 as usize >= self.len {
            cell_outside_frame(s.0, self.len)
        }
        // SAFETY: as in `get`; the frame is borrowed mutably for `'a`.
        unsafe { *self.base.add(s.0 as usize) = v }
    }

    /// Reads the v128 in cells `s` and `s + 1` (low half first): one 16-byte
    /// load on little-endian hosts, which keeps the lane arithmetic after it
    /// in vector registers (two 8-byte loads put it in integer registers).
    #[inline(always)]
    pub(crate) fn v128(self, s: VSlot) -> u128 {
        u128::from_le_bytes(self.v128_bytes(s))
    }

    /// Writes the v128 `v` to cells `s` and `s + 1` (see [`Regs::v128`]).
    #[inline(always)]
    pub(crate) fn set_v128(self, s: VSlot, v: u128) {
        self.set_v128_bytes(s, v.to_le_bytes())
    }

    /// The little-endian bytes of the v128 in cells `s` and `s + 1`: integer
    /// lane handlers work on these, since lane loops over byte arrays
    /// vectorize where the same loops over a `u128` go through scalar shifts.
    #[inline(always)]
    pub(crate) fn v128_bytes(self, s: VSlot) -> [u8; 16] {
        if cfg!(target_endian = "big") {
            let lo = self.get(Slot(s.0));
            let hi = self.get(Slot(s.0.wrapping_add(1)));
            return (u128::from(lo) | (u128::from(hi) << 64)).to_le_bytes();
        }
        #[cfg(debug_assertions)]
        if s.0 as usize + 1 >= self.len {
            cell_outside_frame(s.0, self.len)
        }
        // SAFETY: verified code has both cells of every v128 operand below the
        // frame size (`VSlot::in_range`), and `base` points at a live frame of
        // that size (see `new`); the read is unaligned-safe.
        unsafe { self.base.add(s.0 as usize).cast::<[u8; 16]>().read_unaligned() }
    }

    /// Writes the v128 of little-endian bytes `v` to cells `s` and `s + 1`
    /// (see [`Regs::v128_bytes`]).
    #[inline(always)]
    pub(crate) fn set_v128_bytes(self, s: VSlot, v: [u8; 16]) {
        if cfg!(target_endian = "big") {
            let v = u128::from_le_bytes(v);
            self.set(Slot(s.0), v as u64);
            self.set(Slot(s.0.wrapping_add(1)), (v >> 64) as u64);
            return;
        }
        #[cfg(debug_assertions)]
        if s.0 as usize + 1 >= self.len {
            cell_outside_frame(s.0, self.len)
        }
        // SAFETY: as in `v128_bytes`; the frame is borrowed mutably for `'a`.
        unsafe { self.base.add(s.0 as usize).cast::<[u8; 16]>().write_unaligned(v) }
    }

    /// Reads an i32 (the low half of the cell).
    #[inline(always)]
    pub(crate) fn i32(self, s: Slot) -> i32 {
        self.get(s) as u32 as i32
    }

    /// Writes an i32 zero-extended.
    #[inline(always)]
    pub(crate) fn set_i32(self, s: Slot, v: i32) {
        self.set(s, u64::from(v as u32))
    }

    /// Reads an i64.
    #[inline(always)]
    pub(crate) fn i64(self, s: Slot) -> i64 {
        self.get(s) as i64
    }

    /// Writes an i64.
    #[inline(always)]
    pub(crate) fn set_i64(self, s: Slot, v: i64) {
        self.set(s, v as u64)
    }

    /// Reads an f32 from the low half.
    #[inline(always)]
    pub(crate) fn f32(self, s: Slot) -> f32 {
        f32::from_bits(self.get(s) as u32)
    }

    /// Writes an f32's bits zero-extended.
    #[inline(always)]
    pub(crate) fn set_f32(self, s: Slot, v: f32) {
        self.set(s, u64::from(v.to_bits()))
    }

    /// Reads an f64.
    #[inline(always)]
    pub(crate) fn f64(self, s: Slot) -> f64 {
        f64::from_bits(self.get(s))
    }

    /// Writes an f64.
    #[inline(always)]
    pub(crate) fn set_f64(self, s: Slot, v: f64) {
        self.set(s, v.to_bits())
    }

    /// Writes a boolean as i32 0/1.
    #[inline(always)]
    pub(crate) fn set_bool(self, s: Slot, b: bool) {
        self.set(s, u64::from(b))
    }
}

/// Cells just below a frame that the inner loop entered itself (a call within
/// the module, see `calls.rs`), holding that frame's [`Header`].
pub(crate) const HEADER_CELLS: usize = 4;

/// What a return to the caller needs, kept in the [`HEADER_CELLS`] cells
/// just below the callee's frame: where nothing else reads or writes (every
/// cell operand of verified code is inside its own frame), and where the
/// return finds it from the frame's own address, with no bookkeeping of its
/// own to update.
#[derive(Clone, Copy)]
pub(crate) struct Header<'m> {
    /// The caller's function.
    pub(crate) func: &'m InterpFunc,
    /// Where the caller resumes (just after its call op).
    pub(crate) resume: Pc<'m>,
    /// The caller's VM context.
    pub(crate) vmctx: u64,
    /// Where the results go: the caller's call descriptor's
    /// [`crate::func::CallDesc::ret`] (the call op itself is the one before `resume`).
    pub(crate) ret: u32,
}

impl<'a> Regs<'a> {
    /// The frame of a callee of this frame (of `caller_cells` cells): `callee_cells`
    /// cells starting [`HEADER_CELLS`] after this frame's end, if they all end at
    /// or below `stack_end` (the address just past the value stack).
    #[inline(always)]
    pub(crate) fn callee_frame(
        self,
        caller_cells: u32,
        callee_cells: u32,
        stack_end: usize,
    ) -> Option<Regs<'a>> {
        // Frame sizes are below 2^32 cells and the stack is a Rust allocation,
        // so neither sum can wrap around the address space.
        let base = self.base.wrapping_add(caller_cells as usize + HEADER_CELLS);
        let end = (base as usize).wrapping_add(callee_cells as usize * 8);
        (end <= stack_end).then_some(Regs {
            base,
            #[cfg(debug_assertions)]
            len: callee_cells as usize,
            _frame: PhantomData,
        })
    }

    /// Writes this frame's header.
    ///
    /// # Safety
    /// The frame must come from [`Regs::callee_frame`]: its header cells are
    /// then inside the value stack, between the caller's frame and this one.
    #[inline(always)]
    pub(crate) unsafe fn set_header(self, h: Header<'_>) {
        // SAFETY: the header cells lie below this frame, above its caller's
        // (see the function's contract), inside the value stack.
        unsafe {
            let at = self.base.sub(HEADER_CELLS);
            *at = h.func as *const InterpFunc as u64;
            *at.add(1) = h.resume.ptr as u64;
            *at.add(2) = h.vmctx;
            *at.add(3) = u64::from(h.ret);
        }
    }

    /// This frame's header.
    ///
    /// # Safety
    /// The frame must have been entered by the running inner loop, which wrote
    /// its header with [`Regs::set_header`] from references that live for
    /// `'m`; no op writes header cells (they are outside every frame).
    #[inline(always)]
    pub(crate) unsafe fn header<'m>(self) -> Header<'m> {
        // SAFETY: see the function's contract: the cells hold what
        // `set_header` wrote, pointers made from `'m` references.
        unsafe {
            let at = self.base.sub(HEADER_CELLS);
            Header {
                func: &*(*at as usize as *const InterpFunc),
                resume: Pc { ptr: *at.add(1) as usize as *const Op, _code: PhantomData },
                vmctx: *at.add(2),
                ret: *at.add(3) as u32,
            }
        }
    }

    /// The caller's frame (of `caller_cells` cells) of a frame with a header.
    ///
    /// # Safety
    /// As for [`Regs::header`], and `caller_cells` is the cell count of the
    /// header's function.
    #[inline(always)]
    pub(crate) unsafe fn caller_frame(self, caller_cells: u32) -> Regs<'a> {
        Regs {
            base: self.base.wrapping_sub(caller_cells as usize + HEADER_CELLS),
            #[cfg(debug_assertions)]
            len: caller_cells as usize,
            _frame: PhantomData,
        }
    }

    /// The address of the frame's first cell.
    #[inline(always)]
    pub(crate) fn addr(self) -> usize {
        self.base as usize
    }
}

/// The debug check of a cell index, out of line: a handler that formats a
/// message itself would keep it on its stack frame, and a handler with
/// anything on its frame cannot tail-call the next one (see `run.rs`).
#[cfg(debug_assertions)]
#[cold]
#[inline(never)]
fn cell_outside_frame(cell: u16, len: usize) -> ! {
    panic!("cell {cell} outside a frame of {len}")
}

/// The code of the executing function, for [`Pc`]s into it.
#[derive(Clone, Copy)]
pub(crate) struct Code<'a> {
    start: *const Op,
    _code: PhantomData<&'a [Op]>,
}

/// A position in a [`Code`]: a pointer, so fetching and advancing cost no index arithmetic.
#[derive(Clone, Copy)]
pub(crate) struct Pc<'a> {
    ptr: *const Op,
    _code: PhantomData<&'a [Op]>,
}

impl<'a> Code<'a> {
    /// Wraps verified code (see [`InterpFunc::verify`](crate::func::InterpFunc)).
    #[inline(always)]
    pub(crate) fn new(code: &'a [Op]) -> Self {
        Code { start: code.as_ptr(), _code: PhantomData }
    }

    /// The position of op `ip`, which must be inside the code: a verified branch
    /// target, a resume position after a call op, or 0. (No debug check here:
    /// `Code` is one register in the handlers' signature, see `run.rs`.)
    #[inline(always)]
    pub(crate) fn at(self, ip: usize) -> Pc<'a> {
        Pc { ptr: self.start.wrapping_add(ip), _code: PhantomData }
    }

    /// The op index of `pc`.
    #[inline(always)]
    pub(crate) fn index(self, pc: Pc<'a>) -> usize {
        (pc.ptr as usize).wrapping_sub(self.start as usize) / std::mem::size_of::<Op>()
    }
}

impl<'a> Pc<'a> {
    /// The position no op is at: what a handler returns when execution stops.
    #[inline(always)]
    pub(crate) fn stop() -> Self {
        Pc { ptr: std::ptr::null(), _code: PhantomData }
    }

    /// True for [`Pc::stop`].
    #[inline(always)]
    pub(crate) fn is_stop(self) -> bool {
        self.ptr.is_null()
    }

    /// The op at `self`.
    #[inline(always)]
    pub(crate) fn op(self) -> &'a Op {
        // SAFETY: a `Pc` is made by `Code::at` at a position inside the code (verified
        // code keeps branch targets and resume positions in range), or by `next` from
        // an op that is not the last: the last op (`end_of_code`) leaves the loop
        // instead of advancing, and verification checked it is the last.
        unsafe { &*self.ptr }
    }

    /// The position before, for a handler that reads its own op late.
    ///
    /// # Safety
    /// `self` must come from [`Pc::next`]: the position before is then an op.
    #[inline(always)]
    pub(crate) unsafe fn prev(self) -> Pc<'a> {
        Pc { ptr: self.ptr.wrapping_sub(1), _code: PhantomData }
    }

    /// This position, as a value the compiler cannot compute before the
    /// branch that takes it: a conditional branch handler then ends in a
    /// real branch, not in a conditional move of the next position. With a
    /// conditional move, the next handler's address waits for the compared
    /// cells, and the indirect jump after it is predicted without the
    /// branch's history; measured, that cost bigc, trees, sorting and switch
    /// 12-20% of their run time.
    #[inline(always)]
    pub(crate) fn taken(self) -> Pc<'a> {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        let ptr = {
            let mut addr = self.ptr.addr();
            // SAFETY: an empty instruction sequence: it reads and writes
            // nothing and hands `addr` back unchanged in the same register.
            // Not `pure`, so the compiler may not hoist it out of the branch.
            unsafe {
                std::arch::asm!("/* {0} */", inout(reg) addr, options(nomem, nostack, preserves_flags));
            }
            self.ptr.with_addr(addr)
        };
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        let ptr = self.ptr;
        Pc { ptr, _code: PhantomData }
    }

    /// The next position.
    #[inline(always)]
    pub(crate) fn next(self) -> Pc<'a> {
        Pc { ptr: self.ptr.wrapping_add(1), _code: PhantomData }
    }
}

/// Reads `N` bytes at `addr`.
#[inline(always)]
pub(crate) fn load<const N: usize>(addr: u64) -> [u8; N] {
    // SAFETY: `addr` is an IR-computed address: inside a VM-context record the
    // runtime built, or inside a linear memory after a bounds check (see the module
    // docs). No alignment is assumed.
    unsafe { std::ptr::read_unaligned(addr as usize as *const [u8; N]) }
}

/// Writes `N` bytes at `addr`.
#[inline(always)]
pub(crate) fn store<const N: usize>(addr: u64, bytes: [u8; N]) {
    // SAFETY: as in `load`; linear memory is only written after a bounds check, and
    // no Rust reference to it exists while the interpreter runs.
    unsafe { std::ptr::write_unaligned(addr as usize as *mut [u8; N], bytes) }
}

/// Reads the u64 at `addr` (a VM-context field).
#[inline(always)]
pub(crate) fn read_u64(addr: u64) -> u64 {
    u64::from_le_bytes(load::<8>(addr))
}

/// The base address and current length of the linear memory whose
/// `VmMemory` pointer is at byte `heap` of the VM context `vmctx` (a
/// function's [`InterpFunc::heap`]), or `(0, 0)` for none. The execution loop
/// keeps the base in a handler register (it never moves, not even on
/// `memory.grow`) and the length in its context, re-read whenever the frame
/// changes and after every builtin call (`memory.grow` is one); nothing else
/// changes a length while the loop runs. The fused accesses check against
/// them ([`checked_heap_addr`]).
///
/// [`InterpFunc::heap`]: crate::func::InterpFunc
#[inline(always)]
pub(crate) fn heap_of(vmctx: u64, heap: Option<u16>) -> (u64, u64) {
    match heap {
        Some(field) => {
            let mp = read_u64(vmctx.wrapping_add(u64::from(field)));
            let base = read_u64(mp.wrapping_add(u64::from(VmOffsets::memory_base())));
            (base, read_u64(mp.wrapping_add(u64::from(VmOffsets::memory_length()))))
        }
        None => (0, 0),
    }
}

/// The address of `index + offset` in the memory at `heap` of `length`
/// bytes (see [`heap_of`]), if `index + offset + size` is within it. The
/// index is a memory32 index, so the sum cannot overflow.
#[inline(always)]
pub(crate) fn checked_heap_addr(heap: u64, length: u64, index: u32, offset: u32, size: u64) -> Option<u64> {
    let at = u64::from(index) + u64::from(offset);
    (at + size <= length).then(|| heap.wrapping_add(at))
}
