//! Handlers of control: branches (plain, compare-and-branch, loop latches,
//! tables), calls and returns (switching frames in place when the callee or
//! caller runs in the same module, else stopping for the outer loop), builtin
//! calls and traps.

use super::access::table_func;
use super::handlers;
use crate::code::Op;
use crate::code::Slot;
use crate::exec::calls::{self, enter, enter_short, resolved_callee, return_to_below};
use crate::exec::memory::{Code, Header, Pc, Regs, heap_of};
use crate::exec::run::{Bug, Cx, Exit, Ret, next, stop};
use crate::func::{InterpFunc, RET_NONE};

/// The callee of `call_indirect` descriptor `desc` through `handle`, if the
/// callee cache knows it as a function of this frame's module taking `args`
/// (and the VM context); else the exit that lets the outer loop make the call.
#[inline(always)]
fn cached_callee<'m>(cx: &Cx<'m, '_>, handle: u64, args: &[u16], desc: u32) -> Result<&'m InterpFunc, Exit> {
    let callee = cx.callees.get(handle, cx.module_index).ok_or(Exit::CallIndirect(desc))?;
    // SAFETY: an entry of the callee cache is a translated function of this
    // frame's module, which lives for the whole execution (`'m`); the entry
    // is valid only until the outer loop clears the cache (see `CalleeCache`).
    let callee = unsafe { &*callee };
    if args.len() + 1 != callee.arg_cells as usize {
        Err(Exit::CallIndirect(desc))?
    }
    Ok(callee)
}

/// The return op at `at` from the frame the loop started with (which has no
/// header) to its caller, the top of the frame stack: switches to the
/// caller's frame if it runs this module's code and continues there, else
/// stops for the outer loop (nothing changed). Handler-shaped, and jumped to
/// by the return handlers (see `handlers!`), out of line: once the loop has
/// entered a frame itself, returns take the header path. The memory base
/// argument is unused: the caller's comes from its frame.
#[cold]
#[inline(never)]
pub(in crate::exec) fn return_below<'m, const THREADED: bool>(
    at: Pc<'m>,
    r: Regs<'m>,
    vm: u64,
    _heap: u64,
    code: Code<'m>,
    cx: &mut Cx<'m, '_>,
) -> Pc<'m> {
    let ret = match *at.op() {
        Op::Return0 {} => Ret::Zero,
        Op::Return1 { src } => Ret::One(src),
        Op::ReturnN { list } => Ret::List(list),
        _ => return stop(cx, r, code, vm, at, Exit::Internal(&Bug("return_below at another op"))),
    };
    match switch_below(cx, r, ret) {
        Some(pc) => next::<THREADED>(pc, cx.regs, cx.vmctx, cx.heap, cx.code, cx),
        None => stop(cx, r, code, vm, at, Exit::Return(ret)),
    }
}

/// [`return_below`]'s switch: returns `ret`'s cells of `r` to the caller and
/// leaves its cells, VM context, memory base and code in `cx` (`regs`,
/// `vmctx`, `heap`, `code`); `None` (nothing changed) if the caller is not
/// in this module or does not take those cells.
#[inline(always)]
fn switch_below<'m>(cx: &mut Cx<'m, '_>, r: Regs<'m>, ret: Ret) -> Option<Pc<'m>> {
    let one;
    let cells: &[u16] = match ret {
        Ret::Zero => &[],
        Ret::One(s) => {
            one = [s.0];
            &one
        }
        Ret::List(list) => cx.func.returns.get(list as usize)?,
    };
    let (caller, func, regs, results) =
        return_to_below(cx.module, cx.module_index, cx.stack, cx.frames, cells.len())?;
    // SAFETY: the caller's frame, just made from the value stack (see `Regs::unbind`).
    let regs = unsafe { regs.unbind() };
    // Straight from cell to cell: the caller's frame lies below this one.
    for (&to, &c) in results.iter().zip(cells) {
        regs.set(Slot(to), r.get(Slot(c)));
    }
    // One frame fewer below: one more the loop may enter.
    cx.max_entered += 1;
    cx.func = func;
    cx.code = Code::new(&func.code);
    (cx.heap, cx.heap_len) = heap_of(caller.vmctx, func.heap());
    (cx.regs, cx.vmctx) = (regs, caller.vmctx);
    Some(cx.code.at(caller.ip as usize))
}

/// Continues in the caller of the running frame (entered by this loop, with
/// header `h`) after a return to it: the new `(pc, r, vm, heap, code)`.
/// The memory base and length stay when the caller uses the same memory.
#[inline(always)]
fn resume<'m>(
    cx: &mut Cx<'m, '_>,
    h: Header<'m>,
    caller: Regs<'m>,
    vm: u64,
    mut heap: u64,
) -> (Pc<'m>, Regs<'m>, u64, u64, Code<'m>) {
    cx.entered -= 1;
    if h.func.heap != cx.func.heap || h.vmctx != vm {
        (heap, cx.heap_len) = heap_of(h.vmctx, h.func.heap());
    }
    cx.func = h.func;
    (h.resume, caller, h.vmctx, heap, Code::new(&h.func.code))
}

/// Runs `callee` (entered with cells `regs` and VM context `vm`) after a call
/// from the running frame, which used memory `heap` of VM context `caller_vm`:
/// the new `(pc, r, vm, heap, code)`.
#[inline(always)]
fn begin<'m>(
    cx: &mut Cx<'m, '_>,
    callee: &'m InterpFunc,
    regs: Regs<'m>,
    vm: u64,
    caller_vm: u64,
    mut heap: u64,
) -> (Pc<'m>, Regs<'m>, u64, u64, Code<'m>) {
    cx.entered += 1;
    if callee.heap != cx.func.heap || vm != caller_vm {
        (heap, cx.heap_len) = heap_of(vm, callee.heap());
    }
    cx.func = callee;
    let code = Code::new(&callee.code);
    (code.at(0), regs, vm, heap, code)
}

handlers! { |pc, r, vm, heap, code, cx|
    Jump { target } => pc = code.at(target.0 as usize);
    CopyJump { dst, src, target } => {
        r.set(dst, r.get(src));
        pc = code.at(target.0 as usize);
    };
    Const32Jump { dst, imm, target } => {
        r.set(dst, u64::from(imm));
        pc = code.at(target.0 as usize);
    };
    Copy2Jump { dst, dst2, src, src2, target } => {
        r.set(dst, r.get(src));
        r.set(dst2, r.get(src2));
        pc = code.at(target.0 as usize);
    };
    BrIf { c, target } => if r.i32(c) != 0 { pc = code.at(target.0 as usize).taken() };
    BrIfNot { c, target } => if r.i32(c) == 0 { pc = code.at(target.0 as usize).taken() };
    BrI32AndNz { a, mask, target } => if r.i32(a) & mask != 0 { pc = code.at(target.0 as usize).taken() };
    BrI32AndZ { a, mask, target } => if r.i32(a) & mask == 0 { pc = code.at(target.0 as usize).taken() };
    BrI32Eq { a, b, target } => if r.i32(a) == r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32Ne { a, b, target } => if r.i32(a) != r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32LtS { a, b, target } => if r.i32(a) < r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32LtU { a, b, target } => if (r.i32(a) as u32) < r.i32(b) as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32GtS { a, b, target } => if r.i32(a) > r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32GtU { a, b, target } => if r.i32(a) as u32 > r.i32(b) as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32LeS { a, b, target } => if r.i32(a) <= r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32LeU { a, b, target } => if r.i32(a) as u32 <= r.i32(b) as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32GeS { a, b, target } => if r.i32(a) >= r.i32(b) { pc = code.at(target.0 as usize).taken() };
    BrI32GeU { a, b, target } => if r.i32(a) as u32 >= r.i32(b) as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32EqImm { a, imm, target } => if r.i32(a) == imm { pc = code.at(target.0 as usize).taken() };
    BrI32NeImm { a, imm, target } => if r.i32(a) != imm { pc = code.at(target.0 as usize).taken() };
    BrI32LtSImm { a, imm, target } => if r.i32(a) < imm { pc = code.at(target.0 as usize).taken() };
    BrI32LtUImm { a, imm, target } => if (r.i32(a) as u32) < imm as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32GtSImm { a, imm, target } => if r.i32(a) > imm { pc = code.at(target.0 as usize).taken() };
    BrI32GtUImm { a, imm, target } => if r.i32(a) as u32 > imm as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32LeSImm { a, imm, target } => if r.i32(a) <= imm { pc = code.at(target.0 as usize).taken() };
    BrI32LeUImm { a, imm, target } => if r.i32(a) as u32 <= imm as u32 { pc = code.at(target.0 as usize).taken() };
    BrI32GeSImm { a, imm, target } => if r.i32(a) >= imm { pc = code.at(target.0 as usize).taken() };
    BrI32GeUImm { a, imm, target } => if r.i32(a) as u32 >= imm as u32 { pc = code.at(target.0 as usize).taken() };
    BrI64Eq { a, b, target } => if r.i64(a) == r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64Ne { a, b, target } => if r.i64(a) != r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64LtS { a, b, target } => if r.i64(a) < r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64LtU { a, b, target } => if r.get(a) < r.get(b) { pc = code.at(target.0 as usize).taken() };
    BrI64GtS { a, b, target } => if r.i64(a) > r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64GtU { a, b, target } => if r.get(a) > r.get(b) { pc = code.at(target.0 as usize).taken() };
    BrI64LeS { a, b, target } => if r.i64(a) <= r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64LeU { a, b, target } => if r.get(a) <= r.get(b) { pc = code.at(target.0 as usize).taken() };
    BrI64GeS { a, b, target } => if r.i64(a) >= r.i64(b) { pc = code.at(target.0 as usize).taken() };
    BrI64GeU { a, b, target } => if r.get(a) >= r.get(b) { pc = code.at(target.0 as usize).taken() };
    BrI64EqImm { a, imm, target } => if r.i64(a) == imm { pc = code.at(target.0 as usize).taken() };
    BrI64NeImm { a, imm, target } => if r.i64(a) != imm { pc = code.at(target.0 as usize).taken() };
    BrI64LtSImm { a, imm, target } => if r.i64(a) < imm { pc = code.at(target.0 as usize).taken() };
    BrI64LtUImm { a, imm, target } => if r.get(a) < imm as u64 { pc = code.at(target.0 as usize).taken() };
    BrI64GtSImm { a, imm, target } => if r.i64(a) > imm { pc = code.at(target.0 as usize).taken() };
    BrI64GtUImm { a, imm, target } => if r.get(a) > imm as u64 { pc = code.at(target.0 as usize).taken() };
    BrI64LeSImm { a, imm, target } => if r.i64(a) <= imm { pc = code.at(target.0 as usize).taken() };
    BrI64LeUImm { a, imm, target } => if r.get(a) <= imm as u64 { pc = code.at(target.0 as usize).taken() };
    BrI64GeSImm { a, imm, target } => if r.i64(a) >= imm { pc = code.at(target.0 as usize).taken() };
    BrI64GeUImm { a, imm, target } => if r.get(a) >= imm as u64 { pc = code.at(target.0 as usize).taken() };
    AddBrI32Ne { dst, imm, b, target } => {
        let x = r.i32(dst).wrapping_add(imm);
        r.set_i32(dst, x);
        if x != r.i32(b) {
            pc = code.at(target.0 as usize).taken()
        }
    };
    AddBrI32NeImm { dst, imm, k, target } => {
        let x = r.i32(dst).wrapping_add(imm);
        r.set_i32(dst, x);
        if x != k {
            pc = code.at(target.0 as usize).taken()
        }
    };
    AddBrI64Ne { dst, imm, b, target } => {
        let x = r.i64(dst).wrapping_add(i64::from(imm));
        r.set_i64(dst, x);
        if x != r.i64(b) {
            pc = code.at(target.0 as usize).taken()
        }
    };
    AddBrI64NeImm { dst, imm, k, target } => {
        let x = r.i64(dst).wrapping_add(i64::from(imm));
        r.set_i64(dst, x);
        if x != i64::from(k) {
            pc = code.at(target.0 as usize).taken()
        }
    };
    BrF32 { cond, a, b, target } => {
        if cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))) {
            pc = code.at(target.0 as usize).taken()
        }
    };
    BrF32Not { cond, a, b, target } => {
        if !cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))) {
            pc = code.at(target.0 as usize).taken()
        }
    };
    BrF64 { cond, a, b, target } => if cond.eval(r.f64(a), r.f64(b)) { pc = code.at(target.0 as usize).taken() };
    BrF64Not { cond, a, b, target } => if !cond.eval(r.f64(a), r.f64(b)) { pc = code.at(target.0 as usize).taken() };
    BrTable { index, table } => pc = table_target(cx, code, table, r.i32(index) as u32)?;
    BrTableAdd { index, add, table } => pc = table_target(cx, code, table, r.i32(index).wrapping_add(add) as u32)?;
}

/// Where branch table `table` of the running function sends `index`: its
/// entry, or past the end its last (the default). The default is a real
/// branch (see `Pc::taken`), not a clamp of the index: a clamp would make
/// the entry's load wait for the compare.
#[inline(always)]
pub(super) fn table_target<'m>(
    cx: &Cx<'m, '_>,
    code: Code<'m>,
    table: u32,
    index: u32,
) -> Result<Pc<'m>, Exit> {
    let t = cx
        .func
        .br_tables
        .get(table as usize)
        .ok_or(Exit::Internal(&Bug("branch table index out of range")))?;
    Ok(match t.get(index as usize) {
        Some(&entry) => code.at(entry as usize),
        None => code.at(*t.last().ok_or(Exit::Internal(&Bug("empty branch table")))? as usize).taken(),
    })
}

// Returns from a frame the loop did not enter itself go to `return_below`.
handlers! { returning |pc, r, vm, heap, code, cx|
    Return0 {} => {
        // SAFETY: the loop entered the running frame (`entered > 0`), with a header.
        let h = unsafe { r.header() };
        if h.ret != RET_NONE {
            Err(Exit::Return(Ret::Zero))?
        }
        // SAFETY: as above; the header's function is the caller's.
        let caller = unsafe { r.caller_frame(h.func.cells) };
        (pc, r, vm, heap, code) = resume(cx, h, caller, vm, heap);
    };
    Return1 { src } => {
        // SAFETY: as in `Return0`.
        let h = unsafe { r.header() };
        let Ok(to) = u16::try_from(h.ret) else { Err(Exit::Return(Ret::One(src)))? };
        // SAFETY: as in `Return0`.
        let caller = unsafe { r.caller_frame(h.func.cells) };
        // The one result cell of the caller's (verified) call descriptor: inside its frame.
        caller.set(Slot(to), r.get(src));
        (pc, r, vm, heap, code) = resume(cx, h, caller, vm, heap);
    };
    ReturnN { list } => {
        let cells = cx.func.returns.get(list as usize).ok_or(Exit::Return(Ret::List(list)))?;
        // SAFETY: as in `Return0`.
        let h = unsafe { r.header() };
        // The caller's descriptor, from its call op (the one before `resume`).
        let desc = calls::call_desc_before(h.func, Code::new(&h.func.code).index(h.resume))
            .and_then(|d| h.func.calls.get(d as usize))
            .ok_or(Exit::Return(Ret::List(list)))?;
        if desc.results.len() != cells.len() {
            Err(Exit::Return(Ret::List(list)))?
        }
        // SAFETY: as in `Return0`.
        let caller = unsafe { r.caller_frame(h.func.cells) };
        // Straight from cell to cell: the caller's frame lies below this one.
        for (&to, &c) in desc.results.iter().zip(cells) {
            caller.set(Slot(to), r.get(Slot(c)));
        }
        (pc, r, vm, heap, code) = resume(cx, h, caller, vm, heap);
    };
}

handlers! { |pc, r, vm, heap, code, cx|
    CallBuiltin { desc } => {
        if !calls::call_builtin(cx.func, desc, r, &mut cx.failed) {
            Err(cx.failed.take().unwrap_or(Exit::Internal(&Bug("builtin failed without a reason"))))?
        }
        // `memory.grow` is a builtin: re-read the length (the base stays).
        cx.heap_len = heap_of(vm, cx.func.heap()).1;
    };
    Trap { code: trap } => Err(Exit::Trap(trap))?;
    Trapz { c, code: trap } => if r.i32(c) == 0 { Err(Exit::Trap(trap))? };
    Trapnz { c, code: trap } => if r.i32(c) != 0 { Err(Exit::Trap(trap))? };
    TrapIfI32 { cond, a, b, code: trap } => if cond.eval(r.get(a) as i64, r.get(b) as i64, false) { Err(Exit::Trap(trap))? };
    TrapIfI32Imm { cond, a, imm, code: trap } => if cond.eval(r.get(a) as i64, i64::from(imm), false) { Err(Exit::Trap(trap))? };
    TrapIfI64 { cond, a, b, code: trap } => if cond.eval(r.get(a) as i64, r.get(b) as i64, true) { Err(Exit::Trap(trap))? };
    TrapIfI64Imm { cond, a, imm, code: trap } => if cond.eval(r.get(a) as i64, imm, true) { Err(Exit::Trap(trap))? };
    EndOfCode {} => Err(Exit::Internal(&Bug("execution ran past the end of the code")))?;
}

// Calls check first that threaded dispatch has not grown the native stack
// (see `run::stack_grew`): a recursion passes through them.
handlers! { guarded |pc, r, vm, heap, code, cx|
    Call { desc } => {
        let caller = cx.func;
        let d = caller.calls.get(desc as usize).ok_or(Exit::Call(desc))?;
        let callee = resolved_callee(d).ok_or(Exit::Call(desc))?;
        // `vmctx` is the first argument of a direct call.
        let (&vmctx_cell, args) = d.args.split_first().ok_or(Exit::Call(desc))?;
        let callee_vm = r.get(Slot(vmctx_cell));
        let header = Header { func: caller, resume: pc, vmctx: vm, ret: d.ret };
        let frame = enter(r, header, callee, callee_vm, args, cx.stack_end, cx.entered, cx.max_entered)
            .ok_or(Exit::Call(desc))?;
        (pc, r, vm, heap, code) = begin(cx, callee, frame, callee_vm, vm, heap);
    };
    CallShort { desc, args: _ } => {
        let caller = cx.func;
        // SAFETY: the code is verified (`InterpFunc::verify`): a short call's
        // descriptor is in range.
        let d = unsafe { caller.calls.get_unchecked(desc as usize) };
        let callee = resolved_callee(d).ok_or(Exit::Call(desc))?;
        let header = Header { func: caller, resume: pc, vmctx: vm, ret: d.ret };
        // The argument cells are read only now, from the op itself: read
        // with the other fields, they would be held (spilled) across the checks.
        // SAFETY: `pc` was made by `next` from this op.
        let Op::CallShort { args, .. } = *unsafe { pc.prev() }.op() else {
            Err(Exit::Internal(&Bug("short call at another op")))?
        };
        let frame = enter_short(r, header, callee, &args, cx.stack_end, cx.entered, cx.max_entered)
            .ok_or(Exit::Call(desc))?;
        // `vmctx` is the first argument of a direct call (now cell 0 of the frame).
        let callee_vm = frame.get(Slot(0));
        (pc, r, vm, heap, code) = begin(cx, callee, frame, callee_vm, vm, heap);
    };
    CallIndirect { desc } => {
        let caller = cx.func;
        let d = caller.calls.get(desc as usize).ok_or(Exit::CallIndirect(desc))?;
        let (handle, callee_vm, args) = match *d.args {
            [handle, callee_vm, ref args @ ..] => (r.get(Slot(handle)), r.get(Slot(callee_vm)), args),
            _ => Err(Exit::CallIndirect(desc))?,
        };
        let callee = cached_callee(cx, handle, args, desc)?;
        let header = Header { func: caller, resume: pc, vmctx: vm, ret: d.ret };
        let frame = enter(r, header, callee, callee_vm, args, cx.stack_end, cx.entered, cx.max_entered)
            .ok_or(Exit::CallIndirect(desc))?;
        (pc, r, vm, heap, code) = begin(cx, callee, frame, callee_vm, vm, heap);
    };
    CallTable { desc, table, index, sig } => {
        let caller = cx.func;
        let d = caller.calls.get(desc as usize).ok_or(Exit::CallIndirect(desc))?;
        let (handle_cell, vm_cell, args) = match *d.args {
            [h, v, ref args @ ..] => (Slot(h), Slot(v), args),
            _ => Err(Exit::CallIndirect(desc))?,
        };
        let (handle, callee_vm) = table_func(vm, table, r.get(index) as u32, sig)?;
        // The outer loop reads them there when it makes the call itself.
        r.set(handle_cell, handle);
        r.set(vm_cell, callee_vm);
        let callee = cached_callee(cx, handle, args, desc)?;
        let header = Header { func: caller, resume: pc, vmctx: vm, ret: d.ret };
        let frame = enter(r, header, callee, callee_vm, args, cx.stack_end, cx.entered, cx.max_entered)
            .ok_or(Exit::CallIndirect(desc))?;
        (pc, r, vm, heap, code) = begin(cx, callee, frame, callee_vm, vm, heap);
    };
}
