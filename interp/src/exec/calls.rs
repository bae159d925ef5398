//! Builtin calls (through the VM context's builtin table, with the uniform
//! [`BuiltinFn`] ABI), and the call and return fast paths of the inner loop
//! with the caches they use.

use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::TrapCode;

use super::Frame;
use super::memory::{Regs, read_u64};
use super::run::{Bug, Exit};
use crate::code::Slot;
use crate::env::{BuiltinFn, trap_code_from_status};
use crate::func::InterpFunc;
use crate::module::{InterpConfig, InterpModule};

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
pub(crate) struct CalleeCache {
    /// `(handle, frame module index, funcidx, generation)`; an entry counts only
    /// when its generation is the cache's. Empty until the first insertion.
    entries: Vec<(u64, u32, u32, u32)>,
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
            self.entries.fill((0, 0, 0, 0));
            self.generation = 1;
        }
    }

    /// Records that `handle` is function `funcidx` of frame module `module`.
    pub(crate) fn insert(&mut self, handle: u64, module: u32, funcidx: u32) {
        let generation = self.generation;
        if self.entries.is_empty() {
            self.entries = vec![(0, 0, 0, 0); CACHE_SLOTS];
        }
        if let Some(e) = self.entries.get_mut(handle as usize & (CACHE_SLOTS - 1)) {
            *e = (handle, module, funcidx, generation);
        }
    }

    /// The function index of `handle` if the cache knows it as a function of
    /// frame module `module`.
    #[inline(always)]
    pub(crate) fn get(&self, handle: u64, module: u32) -> Option<u32> {
        let &(h, m, f, g) = self.entries.get(handle as usize & (CACHE_SLOTS - 1))?;
        (h == handle && m == module && g == self.generation).then_some(f)
    }
}

/// A frame the inner loop suspended for a call within the module. It stays
/// here, with what its return needs, until the loop exits and moves it to
/// the frame stack.
#[derive(Clone, Copy)]
pub(super) struct Suspended<'m> {
    /// The frame, `ip` and `call` set.
    pub(super) frame: Frame,
    pub(super) func: &'m InterpFunc,
    /// The cells the pending call's results go to.
    pub(super) results: &'m [u16],
}

/// A call op being executed: the calling function (function `funcidx` of the
/// running module), its call descriptor, and its frame's base, resume
/// position and VM context.
#[derive(Clone, Copy)]
pub(super) struct Site<'m> {
    pub(super) caller: &'m InterpFunc,
    pub(super) funcidx: u32,
    pub(super) desc: u32,
    pub(super) base: usize,
    pub(super) ip: usize,
    pub(super) vmctx: u64,
}

/// The function a call enters, the caller's cells its arguments come from,
/// and the VM context it is passed before them (an indirect call's), if any.
/// Once entered, `vmctx` is the callee frame's VM context.
#[derive(Clone, Copy)]
pub(super) struct Callee<'m, 'a> {
    pub(super) func: &'m InterpFunc,
    pub(super) funcidx: u32,
    pub(super) args: &'a [u16],
    pub(super) vmctx: Option<u64>,
}

/// The fast path of a call from `site` to `to`, a function of the running
/// module: suspends the caller (keeping `results`, where its call wants the
/// results) and lays out the callee's frame right after the caller's, with
/// `to.vmctx` (when given) and then the caller's cells `to.args` (read
/// through `from`, the caller's frame) copied to its first cells. Returns
/// the callee (its VM context set), its frame's base and its cells. `None`
/// (nothing changed) sends the call to the outer loop, which repeats the
/// checks and reports what failed.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn enter<'m, 'a, 's>(
    site: Site<'m>,
    from: Regs<'_>,
    results: &'m [u16],
    mut to: Callee<'m, 'a>,
    module_index: u32,
    stack: &'s mut Vec<u64>,
    depth: usize,
    suspended: &mut Vec<Suspended<'m>>,
    limits: Limits,
) -> Option<(Callee<'m, 'a>, usize, Regs<'s>)> {
    let first = usize::from(to.vmctx.is_some());
    if to.args.len() + first != to.func.arg_cells as usize || depth >= limits.max_depth {
        return None;
    }
    let base = site.base + site.caller.cells as usize;
    let end = base + to.func.cells as usize;
    // The caller's cells (`from`) stay where they are unless the stack grows.
    let from = if stack.len() < end {
        grow(stack, end, limits.max_cells)?;
        // SAFETY: the caller's frame, exactly its function's cells, made anew
        // from the stack just grown; it is only read, below, before the
        // callee's frame (after it) is handed out.
        unsafe { Regs::new(stack.get_mut(site.base..base)?).unbind() }
    } else {
        from
    };
    let frame = Regs::new(stack.get_mut(base..end)?);
    // The callee's parameter cells, inside its frame (verified: `arg_cells`,
    // which the check above matched, is at most its cell count): the VM
    // context first if the call passes one, then the arguments.
    if let Some(v) = to.vmctx {
        frame.set(Slot(0), v);
    }
    let at = |i: usize| Slot((first + i) as u16);
    // Spelled out for the usual few arguments: a loop that the compiler
    // unrolls costs more in setup than the copies themselves.
    match *to.args {
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
            for (i, &c) in to.args.iter().enumerate() {
                frame.set(at(i), from.get(Slot(c)));
            }
        }
    }
    // Every function's first parameter is its VM context (checked at translation).
    to.vmctx = Some(frame.get(Slot(0)));
    let caller = Frame {
        module: module_index,
        funcidx: site.funcidx,
        ip: site.ip as u32,
        base: site.base,
        vmctx: site.vmctx,
        call: site.desc,
    };
    suspended.push(Suspended { frame: caller, func: site.caller, results });
    Some((to, base, frame))
}

/// The limits a call checks, copied out of the `InterpConfig` so that the
/// call handlers read them from the context directly.
#[derive(Clone, Copy)]
pub(super) struct Limits {
    /// Frames in all (`InterpConfig::max_call_depth`).
    pub(super) max_depth: usize,
    /// Value-stack cells (`InterpConfig::max_stack_cells`).
    pub(super) max_cells: usize,
}

impl Limits {
    pub(super) fn of(config: &InterpConfig) -> Self {
        Limits { max_depth: config.max_call_depth as usize, max_cells: config.max_stack_cells }
    }
}

/// Grows the value stack to at least `end` cells (doubling, up to `max`);
/// `None` past `max`. Out of line: it runs a handful of times per
/// invocation, and inline its code would crowd the call handlers.
#[cold]
#[inline(never)]
fn grow(stack: &mut Vec<u64>, end: usize, max: usize) -> Option<()> {
    if end > max {
        return None;
    }
    stack.resize(end.max(stack.len() * 2).min(max), 0);
    Some(())
}

/// The fast path of a return of `n` cells to a caller in the running module:
/// resumes the innermost suspended frame, else the top of `frames` if it runs
/// this module's code. Returns the caller's frame, function and cells, and the
/// cells its call wants the results in. `None` (nothing changed) sends the
/// return to the outer loop.
#[inline(always)]
pub(super) fn return_to<'m, 's>(
    module: &'m InterpModule,
    module_index: u32,
    stack: &'s mut [u64],
    frames: &mut Vec<Frame>,
    suspended: &mut Vec<Suspended<'m>>,
    n: usize,
) -> Option<(Frame, &'m InterpFunc, Regs<'s>, &'m [u16])> {
    if let Some(&s) = suspended.last() {
        if s.results.len() != n {
            return None;
        }
        // Exactly the caller function's cells, which its verified result cells index.
        let frame = stack.get_mut(s.frame.base..s.frame.base + s.func.cells as usize)?;
        suspended.pop();
        return Some((s.frame, s.func, Regs::new(frame), s.results));
    }
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

    #[test]
    fn callee_cache_keeps_entries_until_cleared() {
        let mut c = CalleeCache::new();
        assert_eq!(c.get(7, 0), None);
        c.insert(7, 0, 42);
        assert_eq!(c.get(7, 0), Some(42));
        // Another module, another handle in the same slot.
        assert_eq!(c.get(7, 1), None);
        assert_eq!(c.get(7 + CACHE_SLOTS as u64, 0), None);
        c.insert(7 + CACHE_SLOTS as u64, 0, 43);
        assert_eq!(c.get(7, 0), None);
        c.clear();
        assert_eq!(c.get(7 + CACHE_SLOTS as u64, 0), None);
        // A wrapping generation forgets everything too.
        c.insert(3, 0, 1);
        c.generation = u32::MAX;
        c.entries[3].3 = u32::MAX;
        assert_eq!(c.get(3, 0), Some(1));
        c.clear();
        assert_eq!(c.get(3, 0), None);
    }
}
