//! Builtin calls (through the VM context's builtin table, with the uniform
//! [`BuiltinFn`] ABI), and the call and return fast paths of the inner loop
//! with the caches they use.

use std::sync::atomic::Ordering;

use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::TrapCode;

use super::Frame;
use super::memory::{Code, Header, Regs, read_u64};
use super::run::{Bug, Exit};
use crate::code::{CallCells, Op, Slot};
use crate::env::{BuiltinFn, trap_code_from_status};
use crate::func::{CallDesc, InterpFunc};
use crate::module::InterpModule;

/// Arguments and results of most builtins fit here without allocating.
const INLINE_CELLS: usize = 8;

/// Calls `func.builtins[desc]`: reads `vmctx` (its first argument), finds the
/// function pointer at `builtins[index]` of that VM context, passes the other
/// arguments in a cell buffer and writes the results back (i32/f32 narrowed).
///
/// Out of line, and reporting a failure through `failed` (returning false): a
/// `Result` would come back through memory on the handler's stack frame,
/// which would keep the handler from tail-calling the next one.
#[inline(never)]
pub(crate) fn call_builtin(func: &InterpFunc, desc: u32, r: Regs<'_>, failed: &mut Option<Exit>) -> bool {
    match builtin(func, desc, r) {
        Ok(()) => true,
        Err(exit) => {
            *failed = Some(exit);
            false
        }
    }
}

/// [`call_builtin`], with the failure as an error.
#[inline(always)]
fn builtin(func: &InterpFunc, desc: u32, r: Regs<'_>) -> Result<(), Exit> {
    let Some(d) = func.builtins.get(desc as usize) else {
        return Err(Exit::Internal(&Bug("builtin descriptor out of range")));
    };
    let Some((&vmctx_cell, args)) = d.args.split_first() else {
        return Err(Exit::Internal(&Bug("builtin call without vmctx")));
    };
    let vmctx = r.get(Slot(vmctx_cell));
    let table = read_u64(vmctx.wrapping_add(u64::from(VmOffsets::builtins())));
    if table == 0 {
        return Err(Exit::Internal(&Bug("the VM context has no builtin table")));
    }
    let entry = read_u64(table.wrapping_add(8 * u64::from(d.index)));
    if entry == 0 {
        return Err(Exit::Internal(&Bug("builtin table entry is null")));
    }
    let n = args.len().max(d.results.len());
    let mut inline = [0u64; INLINE_CELLS];
    let mut heap = Vec::new();
    let buf: &mut [u64] = if n <= INLINE_CELLS {
        &mut inline[..n]
    } else {
        heap.resize(n, 0);
        &mut heap
    };
    for (b, &c) in buf.iter_mut().zip(args) {
        *b = r.get(Slot(c));
    }
    // SAFETY: the runtime fills the builtin table of every VM context it builds
    // with `BuiltinFn` pointers (`VmContextHeader::builtins`, `Builtin::COUNT`
    // entries; `index` was checked against `Builtin::COUNT` at translation), and
    // a non-null entry is such a pointer.
    let f: BuiltinFn = unsafe { std::mem::transmute::<usize, BuiltinFn>(entry as usize) };
    // SAFETY: the ABI of every builtin: the caller's VM context and a buffer
    // holding the arguments, large enough for the results.
    let status = unsafe { f(vmctx as usize as *mut u8, buf.as_mut_ptr()) };
    if status != 0 {
        return Err(match trap_code_from_status(status) {
            Some(code) => Exit::Trap(code),
            None => Exit::Internal(&Bug("builtin returned an unknown status")),
        });
    }
    for ((&c, &narrow), &v) in d.results.iter().zip(&d.narrow).zip(buf.iter()) {
        r.set(Slot(c), if narrow { v & 0xffff_ffff } else { v });
    }
    Ok(())
}

/// The `(handle, callee vmctx)` of imported function `funcidx`, read from the
/// caller's VM context (`func_refs[funcidx]`).
pub(crate) fn import_target(offsets: &VmOffsets, vmctx: u64, funcidx: u32) -> Option<(u64, u64)> {
    let func_ref = read_u64(vmctx.wrapping_add(u64::from(offsets.func_ref(funcidx))));
    if func_ref == 0 {
        return None;
    }
    let handle = read_u64(func_ref.wrapping_add(u64::from(VmOffsets::func_ref_func())));
    let callee_vmctx = read_u64(func_ref.wrapping_add(u64::from(VmOffsets::func_ref_vmctx())));
    Some((handle, callee_vmctx))
}

/// The trap for a call to a handle the runtime does not know.
pub(crate) const UNKNOWN_CALLEE: TrapCode = TrapCode::UninitializedElement;

/// Slots of the [`CalleeCache`] (a power of two).
const CACHE_SLOTS: usize = 256;

/// A direct-mapped cache of function handles the outer loop resolved through
/// [`Env::callee`](crate::env::Env::callee) to a Wasm function, so the inner
/// loop can enter the callee of a `call_indirect` itself when it is in the
/// module it runs. Only valid while the environment cannot have changed: the
/// outer loop clears it when an invocation starts and after every host call
/// (the only points where anything but the interpreter holds the `Env`).
///
/// An entry holds the callee's translated code itself, not its index: a
/// `call_indirect` then reads the callee straight from the entry instead of
/// through the module's table of functions, a chain of four dependent loads
/// on every indirect call.
pub(crate) struct CalleeCache {
    /// `(handle, callee, frame module index, generation)`; an entry counts only
    /// when its generation is the cache's. Empty until the first insertion.
    entries: Vec<(u64, *const InterpFunc, u32, u32)>,
    generation: u32,
}

impl CalleeCache {
    pub(crate) fn new() -> Self {
        CalleeCache { entries: Vec::new(), generation: 1 }
    }

    /// Forgets every entry.
    pub(crate) fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.entries.fill((0, std::ptr::null(), 0, 0));
            self.generation = 1;
        }
    }

    /// Records that `handle` is `callee`, a translated function of frame
    /// module `module` (which outlives the entry: the module is in the
    /// execution, and the outer loop clears the cache before anything but the
    /// interpreter could drop it).
    pub(crate) fn insert(&mut self, handle: u64, module: u32, callee: &InterpFunc) {
        let generation = self.generation;
        if self.entries.is_empty() {
            self.entries = vec![(0, std::ptr::null(), 0, 0); CACHE_SLOTS];
        }
        if let Some(e) = self.entries.get_mut(handle as usize & (CACHE_SLOTS - 1)) {
            *e = (handle, callee as *const InterpFunc, module, generation);
        }
    }

    /// The function `handle` is, if the cache knows it as a function of frame
    /// module `module`: a pointer that stays valid while the entry does (see
    /// [`Self::insert`]).
    #[inline(always)]
    pub(crate) fn get(&self, handle: u64, module: u32) -> Option<*const InterpFunc> {
        let &(h, f, m, g) = self.entries.get(handle as usize & (CACHE_SLOTS - 1))?;
        (h == handle && m == module && g == self.generation).then_some(f)
    }
}

/// The callee of direct call `d`, if the outer loop resolved it
/// ([`resolve_callee`]): translated, with `d.args` matching its parameter
/// cells.
#[inline(always)]
pub(super) fn resolved_callee(d: &CallDesc) -> Option<&InterpFunc> {
    let callee = d.resolved.load(Ordering::Acquire);
    // SAFETY: `resolve_callee` is the only writer, and stores (with release
    // ordering, so the function's contents are visible here) a function of
    // the module holding `d`: a set `OnceLock` cell of `InterpModule::funcs`,
    // which never changes or moves and lives as long as the module. Borrowing
    // `d` borrows that module, so the function outlives the borrow.
    unsafe { callee.as_ref() }
}

/// Lets [`resolved_callee`] find the callee of direct call `d` from now on,
/// if `module` has translated it and its parameter cells match `d.args`.
///
/// # Safety
/// `d` is a call descriptor of a function of `module` (its lifetime is the
/// callee's).
pub(super) unsafe fn resolve_callee(module: &InterpModule, d: &CallDesc) {
    if let Some(callee) = module.translated(d.callee)
        && d.args.len() == callee.arg_cells as usize
    {
        d.resolved.store(callee as *const InterpFunc as *mut InterpFunc, Ordering::Release);
    }
}

/// The fast path of a call to `callee`, a function of the running module,
/// from the frame `from` (of `header.func`): lays out the callee's frame
/// `memory::HEADER_CELLS` after the caller's, with `header` (what the return
/// needs) in those cells, `vmctx` in its cell 0 and the caller's cells
/// `args` after it, which the caller has matched with the callee's parameter
/// cells. `depth` counts the frames in all, the caller's included.
/// Returns the callee's frame. `None` (nothing written) sends the call to
/// the outer loop, which repeats the checks and reports what failed, or grows
/// the value stack (which only the outer loop does, so the frames the loop
/// holds never move).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn enter<'m>(
    from: Regs<'m>,
    header: Header<'m>,
    callee: &'m InterpFunc,
    vmctx: u64,
    args: &[u16],
    stack_end: usize,
    entered: usize,
    max_entered: usize,
) -> Option<Regs<'m>> {
    let frame = new_frame(from, header, callee, stack_end, entered, max_entered)?;
    // The callee's parameter cells, inside its frame (verified: `arg_cells`,
    // which the caller matched, is at most its cell count): the VM context,
    // then the arguments.
    frame.set(Slot(0), vmctx);
    let at = |i: usize| Slot((1 + i) as u16);
    // Spelled out for the usual few arguments: a loop that the compiler
    // unrolls costs more in setup than the copies themselves.
    match *args {
        [] => {}
        [a] => frame.set(at(0), from.get(Slot(a))),
        [a, b] => {
            frame.set(at(0), from.get(Slot(a)));
            frame.set(at(1), from.get(Slot(b)));
        }
        [a, b, c] => {
            frame.set(at(0), from.get(Slot(a)));
            frame.set(at(1), from.get(Slot(b)));
            frame.set(at(2), from.get(Slot(c)));
        }
        _ => {
            for (i, &c) in args.iter().enumerate() {
                frame.set(at(i), from.get(Slot(c)));
            }
        }
    }
    Some(frame)
}

/// [`enter`] for a call whose argument cells (`vmctx` first) are `args`, padded
/// to [`CALL_CELLS`]: copies all of them, with no loop or branch on their
/// number (the cells past the callee's parameters are its own, unused yet).
#[inline(always)]
pub(super) fn enter_short<'m>(
    from: Regs<'m>,
    header: Header<'m>,
    callee: &'m InterpFunc,
    args: &CallCells,
    stack_end: usize,
    entered: usize,
    max_entered: usize,
) -> Option<Regs<'m>> {
    let frame = new_frame(from, header, callee, stack_end, entered, max_entered)?;
    // Inside the callee's frame: verified code has at least `CALL_CELLS`
    // cells (`InterpFunc::verify`), and `args` are the caller's (verified
    // op operands).
    let [a, b, c, d, e] = args.0;
    let (a, b, c, d, e) =
        (from.get(Slot(a)), from.get(Slot(b)), from.get(Slot(c)), from.get(Slot(d)), from.get(Slot(e)));
    frame.set(Slot(0), a);
    frame.set(Slot(1), b);
    frame.set(Slot(2), c);
    frame.set(Slot(3), d);
    frame.set(Slot(4), e);
    Some(frame)
}

/// The frame of a call to `callee` from `from` (see [`enter`]) with `header`
/// written below it, if the depth limit and the value stack allow it.
#[inline(always)]
fn new_frame<'m>(
    from: Regs<'m>,
    header: Header<'m>,
    callee: &'m InterpFunc,
    stack_end: usize,
    entered: usize,
    max_entered: usize,
) -> Option<Regs<'m>> {
    if entered >= max_entered {
        return None;
    }
    let frame = from.callee_frame(header.func.cells, callee.cells, stack_end)?;
    // SAFETY: the frame comes from `callee_frame`.
    unsafe { frame.set_header(header) };
    Some(frame)
}

/// The frame a frame with a header (see [`enter`]) returns to: the caller's
/// frame record, as the outer loop keeps it, for when the inner loop exits
/// with frames it entered itself (`module_index` is the running module's).
pub(super) fn caller_record(
    module_index: u32,
    caller: Regs<'_>,
    header: Header<'_>,
    stack_start: usize,
) -> Frame {
    let ip = Code::new(&header.func.code).index(header.resume);
    Frame {
        module: module_index,
        funcidx: header.func.funcidx,
        ip: ip as u32,
        base: caller.addr().wrapping_sub(stack_start) / 8,
        vmctx: header.vmctx,
        call: call_desc_before(header.func, ip).unwrap_or(u32::MAX),
    }
}

/// The call descriptor of the call op just before op `ip` of `func`: where a
/// frame the loop entered returns to (`ip` is its header's `resume`).
pub(super) fn call_desc_before(func: &InterpFunc, ip: usize) -> Option<u32> {
    match *func.code.get(ip.checked_sub(1)?)? {
        Op::Call { desc }
        | Op::CallShort { desc, .. }
        | Op::CallIndirect { desc }
        | Op::CallTable { desc, .. } => Some(desc),
        _ => None,
    }
}

/// The fast path of a return of `n` cells from the frame the loop started
/// with to its caller, the top of `frames`, if that runs this module's code.
/// Returns the caller's frame, function and cells, and the cells its call
/// wants the results in. `None` (nothing changed) sends the return to the
/// outer loop.
#[inline(always)]
pub(super) fn return_to_below<'m, 's>(
    module: &'m InterpModule,
    module_index: u32,
    stack: &'s mut [u64],
    frames: &mut Vec<Frame>,
    n: usize,
) -> Option<(Frame, &'m InterpFunc, Regs<'s>, &'m [u16])> {
    let caller = *frames.last()?;
    if caller.module != module_index {
        return None;
    }
    let caller_func = module.translated(caller.funcidx)?;
    let results = &caller_func.calls.get(caller.call as usize)?.results;
    if results.len() != n {
        return None;
    }
    let frame = stack.get_mut(caller.base..caller.base + caller_func.cells as usize)?;
    frames.pop();
    Some((caller, caller_func, Regs::new(frame), results))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A translated function to point cache entries at.
    fn test_func() -> InterpFunc {
        let ir =
            zerowasm_ssa::parser::parse_function("function %f(i64) {\nblock0(v0: i64):\n    return\n}\n")
                .expect("valid IR");
        InterpFunc::compile(&ir).expect("translates")
    }

    #[test]
    fn callee_cache_keeps_entries_until_cleared() {
        let (f, g) = (test_func(), test_func());
        let (pf, pg) = (&f as *const InterpFunc, &g as *const InterpFunc);
        let mut c = CalleeCache::new();
        assert_eq!(c.get(7, 0), None);
        c.insert(7, 0, &f);
        assert_eq!(c.get(7, 0), Some(pf));
        // Another module, another handle in the same slot.
        assert_eq!(c.get(7, 1), None);
        assert_eq!(c.get(7 + CACHE_SLOTS as u64, 0), None);
        c.insert(7 + CACHE_SLOTS as u64, 0, &g);
        assert_eq!(c.get(7, 0), None);
        assert_eq!(c.get(7 + CACHE_SLOTS as u64, 0), Some(pg));
        c.clear();
        assert_eq!(c.get(7 + CACHE_SLOTS as u64, 0), None);
        // A wrapping generation forgets everything too.
        c.insert(3, 0, &f);
        c.generation = u32::MAX;
        c.entries[3].3 = u32::MAX;
        assert_eq!(c.get(3, 0), Some(pf));
        c.clear();
        assert_eq!(c.get(3, 0), None);
    }
}
