//! Handlers of control: branches (plain, compare-and-branch, loop latches,
//! tables), calls and returns (switching frames in place when the callee or
//! caller runs in the same module, else stopping for the outer loop), builtin
//! calls and traps.

use super::handlers;
use crate::code::Slot;
use crate::exec::Frame;
use crate::exec::calls::{self, Callee, Site, enter, return_to};
use crate::exec::memory::{Code, Pc, Regs, heap_of};
use crate::exec::run::{Bug, Cx, Exit, Ret};
use crate::func::InterpFunc;

/// Continues in `caller`'s frame (of `func`, with cells `regs`) after a
/// return within the module: the new `(pc, r, vm, heap, code)`.
#[inline(always)]
fn resume<'m>(
    cx: &mut Cx<'m, '_>,
    caller: Frame,
    func: &'m InterpFunc,
    regs: Regs<'m>,
) -> (Pc<'m>, Regs<'m>, u64, u64, Code<'m>) {
    cx.depth -= 1;
    (cx.func, cx.funcidx, cx.base) = (func, caller.funcidx, caller.base);
    let code = Code::new(&func.code);
    let heap;
    (heap, cx.heap_len) = heap_of(caller.vmctx, func.heap);
    (code.at(caller.ip as usize), regs, caller.vmctx, heap, code)
}

/// Runs `callee` (entered at `base` with cells `regs`): the new `(pc, r, vm, heap, code)`.
#[inline(always)]
fn begin<'m>(
    cx: &mut Cx<'m, '_>,
    callee: Callee<'m, '_>,
    base: usize,
    regs: Regs<'m>,
) -> (Pc<'m>, Regs<'m>, u64, u64, Code<'m>) {
    cx.depth += 1;
    (cx.func, cx.funcidx, cx.base) = (callee.func, callee.funcidx, base);
    let code = Code::new(&callee.func.code);
    let vm = callee.vmctx.unwrap_or(0);
    let heap;
    (heap, cx.heap_len) = heap_of(vm, callee.func.heap);
    (code.at(0), regs, vm, heap, code)
}

handlers! { |pc, r, vm, heap, code, cx|
    Jump { target } => pc = code.at(target.0 as usize);
    BrIf { c, target } => if r.i32(c) != 0 { pc = code.at(target.0 as usize) };
    BrIfNot { c, target } => if r.i32(c) == 0 { pc = code.at(target.0 as usize) };
    BrI32Eq { a, b, target } => if r.i32(a) == r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32Ne { a, b, target } => if r.i32(a) != r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32LtS { a, b, target } => if r.i32(a) < r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32LtU { a, b, target } => if (r.i32(a) as u32) < r.i32(b) as u32 { pc = code.at(target.0 as usize) };
    BrI32GtS { a, b, target } => if r.i32(a) > r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32GtU { a, b, target } => if r.i32(a) as u32 > r.i32(b) as u32 { pc = code.at(target.0 as usize) };
    BrI32LeS { a, b, target } => if r.i32(a) <= r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32LeU { a, b, target } => if r.i32(a) as u32 <= r.i32(b) as u32 { pc = code.at(target.0 as usize) };
    BrI32GeS { a, b, target } => if r.i32(a) >= r.i32(b) { pc = code.at(target.0 as usize) };
    BrI32GeU { a, b, target } => if r.i32(a) as u32 >= r.i32(b) as u32 { pc = code.at(target.0 as usize) };
    BrI32EqImm { a, imm, target } => if r.i32(a) == imm { pc = code.at(target.0 as usize) };
    BrI32NeImm { a, imm, target } => if r.i32(a) != imm { pc = code.at(target.0 as usize) };
    BrI32LtSImm { a, imm, target } => if r.i32(a) < imm { pc = code.at(target.0 as usize) };
    BrI32LtUImm { a, imm, target } => if (r.i32(a) as u32) < imm as u32 { pc = code.at(target.0 as usize) };
    BrI32GtSImm { a, imm, target } => if r.i32(a) > imm { pc = code.at(target.0 as usize) };
    BrI32GtUImm { a, imm, target } => if r.i32(a) as u32 > imm as u32 { pc = code.at(target.0 as usize) };
    BrI32LeSImm { a, imm, target } => if r.i32(a) <= imm { pc = code.at(target.0 as usize) };
    BrI32LeUImm { a, imm, target } => if r.i32(a) as u32 <= imm as u32 { pc = code.at(target.0 as usize) };
    BrI32GeSImm { a, imm, target } => if r.i32(a) >= imm { pc = code.at(target.0 as usize) };
    BrI32GeUImm { a, imm, target } => if r.i32(a) as u32 >= imm as u32 { pc = code.at(target.0 as usize) };
    BrI64Eq { a, b, target } => if r.i64(a) == r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64Ne { a, b, target } => if r.i64(a) != r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64LtS { a, b, target } => if r.i64(a) < r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64LtU { a, b, target } => if r.get(a) < r.get(b) { pc = code.at(target.0 as usize) };
    BrI64GtS { a, b, target } => if r.i64(a) > r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64GtU { a, b, target } => if r.get(a) > r.get(b) { pc = code.at(target.0 as usize) };
    BrI64LeS { a, b, target } => if r.i64(a) <= r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64LeU { a, b, target } => if r.get(a) <= r.get(b) { pc = code.at(target.0 as usize) };
    BrI64GeS { a, b, target } => if r.i64(a) >= r.i64(b) { pc = code.at(target.0 as usize) };
    BrI64GeU { a, b, target } => if r.get(a) >= r.get(b) { pc = code.at(target.0 as usize) };
    BrI64EqImm { a, imm, target } => if r.i64(a) == imm { pc = code.at(target.0 as usize) };
    BrI64NeImm { a, imm, target } => if r.i64(a) != imm { pc = code.at(target.0 as usize) };
    BrI64LtSImm { a, imm, target } => if r.i64(a) < imm { pc = code.at(target.0 as usize) };
    BrI64LtUImm { a, imm, target } => if r.get(a) < imm as u64 { pc = code.at(target.0 as usize) };
    BrI64GtSImm { a, imm, target } => if r.i64(a) > imm { pc = code.at(target.0 as usize) };
    BrI64GtUImm { a, imm, target } => if r.get(a) > imm as u64 { pc = code.at(target.0 as usize) };
    BrI64LeSImm { a, imm, target } => if r.i64(a) <= imm { pc = code.at(target.0 as usize) };
    BrI64LeUImm { a, imm, target } => if r.get(a) <= imm as u64 { pc = code.at(target.0 as usize) };
    BrI64GeSImm { a, imm, target } => if r.i64(a) >= imm { pc = code.at(target.0 as usize) };
    BrI64GeUImm { a, imm, target } => if r.get(a) >= imm as u64 { pc = code.at(target.0 as usize) };
    AddBrI32Ne { dst, imm, b, target } => {
        let x = r.i32(dst).wrapping_add(imm);
        r.set_i32(dst, x);
        if x != r.i32(b) {
            pc = code.at(target.0 as usize)
        }
    };
    AddBrI32NeImm { dst, imm, k, target } => {
        let x = r.i32(dst).wrapping_add(imm);
        r.set_i32(dst, x);
        if x != k {
            pc = code.at(target.0 as usize)
        }
    };
    AddBrI64Ne { dst, imm, b, target } => {
        let x = r.i64(dst).wrapping_add(i64::from(imm));
        r.set_i64(dst, x);
        if x != r.i64(b) {
            pc = code.at(target.0 as usize)
        }
    };
    AddBrI64NeImm { dst, imm, k, target } => {
        let x = r.i64(dst).wrapping_add(i64::from(imm));
        r.set_i64(dst, x);
        if x != i64::from(k) {
            pc = code.at(target.0 as usize)
        }
    };
    BrF32 { cond, a, b, target } => {
        if cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))) {
            pc = code.at(target.0 as usize)
        }
    };
    BrF32Not { cond, a, b, target } => {
        if !cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))) {
            pc = code.at(target.0 as usize)
        }
    };
    BrF64 { cond, a, b, target } => if cond.eval(r.f64(a), r.f64(b)) { pc = code.at(target.0 as usize) };
    BrF64Not { cond, a, b, target } => if !cond.eval(r.f64(a), r.f64(b)) { pc = code.at(target.0 as usize) };
    BrTable { index, table } => {
        let t = cx.func.br_tables.get(table as usize).ok_or(Exit::Internal(&Bug("branch table index out of range")))?;
        let last = t.len().checked_sub(1).ok_or(Exit::Internal(&Bug("empty branch table")))?;
        let i = (r.i32(index) as u32 as usize).min(last);
        pc = code.at(t[i] as usize);
    };
}

handlers! { |pc, r, vm, heap, code, cx|
    Return0 {} => {
        let (caller, func, regs, _) = return_to(cx.module, cx.module_index, cx.stack, cx.frames, cx.suspended, 0)
            .ok_or(Exit::Return(Ret::Zero))?;
        // SAFETY: the caller's frame, just made from the value stack (see `Regs::unbind`).
        let regs = unsafe { regs.unbind() };
        (pc, r, vm, heap, code) = resume(cx, caller, func, regs);
    };
    Return1 { src } => {
        let v = r.get(src);
        let (caller, func, regs, results) =
            return_to(cx.module, cx.module_index, cx.stack, cx.frames, cx.suspended, 1)
                .ok_or(Exit::Return(Ret::One(src)))?;
        // SAFETY: as in `Return0`.
        let regs = unsafe { regs.unbind() };
        if let Some(&to) = results.first() {
            regs.set(Slot(to), v);
        }
        (pc, r, vm, heap, code) = resume(cx, caller, func, regs);
    };
    ReturnN { list } => {
        let cells = cx.func.returns.get(list as usize).ok_or(Exit::Return(Ret::List(list)))?;
        let (caller, func, regs, results) =
            return_to(cx.module, cx.module_index, cx.stack, cx.frames, cx.suspended, cells.len())
                .ok_or(Exit::Return(Ret::List(list)))?;
        // SAFETY: as in `Return0`.
        let regs = unsafe { regs.unbind() };
        // Straight from cell to cell: the caller's frame lies below this one.
        for (&to, &c) in results.iter().zip(cells) {
            regs.set(Slot(to), r.get(Slot(c)));
        }
        (pc, r, vm, heap, code) = resume(cx, caller, func, regs);
    };
    CallBuiltin { desc } => {
        if !calls::call_builtin(cx.func, desc, r, &mut cx.failed) {
            Err(cx.failed.take().unwrap_or(Exit::Internal(&Bug("builtin failed without a reason"))))?
        }
        // `memory.grow` is a builtin: re-read the length (the base stays).
        cx.heap_len = heap_of(vm, cx.func.heap).1;
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
        let callee = cx.module.translated(d.callee).ok_or(Exit::Call(desc))?;
        let site = Site { caller, funcidx: cx.funcidx, desc, base: cx.base, ip: code.index(pc), vmctx: vm };
        let to = Callee { func: callee, funcidx: d.callee, args: &d.args, vmctx: None };
        let (callee, base, regs) =
            enter(site, r, &d.results, to, cx.module_index, cx.stack, cx.depth, cx.suspended, cx.limits)
                .ok_or(Exit::Call(desc))?;
        // SAFETY: the callee's frame, just laid out on the value stack (see `Regs::unbind`).
        let regs = unsafe { regs.unbind() };
        (pc, r, vm, heap, code) = begin(cx, callee, base, regs);
    };
    CallIndirect { desc } => {
        let caller = cx.func;
        let d = caller.calls.get(desc as usize).ok_or(Exit::CallIndirect(desc))?;
        let (handle, callee_vmctx) = match *d.args {
            [handle, callee_vmctx, ..] => (r.get(Slot(handle)), r.get(Slot(callee_vmctx))),
            _ => Err(Exit::CallIndirect(desc))?,
        };
        let funcidx = cx.callees.get(handle, cx.module_index).ok_or(Exit::CallIndirect(desc))?;
        let callee = cx.module.translated(funcidx).ok_or(Exit::CallIndirect(desc))?;
        let site = Site { caller, funcidx: cx.funcidx, desc, base: cx.base, ip: code.index(pc), vmctx: vm };
        let args = d.args.get(2..).ok_or(Exit::CallIndirect(desc))?;
        let to = Callee { func: callee, funcidx, args, vmctx: Some(callee_vmctx) };
        let (callee, base, regs) =
            enter(site, r, &d.results, to, cx.module_index, cx.stack, cx.depth, cx.suspended, cx.limits)
                .ok_or(Exit::CallIndirect(desc))?;
        // SAFETY: as in `Call`.
        let regs = unsafe { regs.unbind() };
        (pc, r, vm, heap, code) = begin(cx, callee, base, regs);
    };
}
