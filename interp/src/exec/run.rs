//! The inner execution loop: runs the top frame's code until it traps, calls
//! outside its module (an import, a host function, a callee it does not know
//! yet), or returns to a frame of another module or to the embedder. Calls
//! within the module — direct ones, and `call_indirect` through a handle the
//! outer loop already resolved ([`CalleeCache`]) — and the returns from them
//! switch frames here without leaving the loop.
//!
//! # Dispatch
//! Every op kind has a handler (`handlers/`), a function with the signature
//! [`Handler`]: the code position, the frame's cells, the VM context, the
//! base of the linear memory the running function accesses, the code's
//! start and the context [`Cx`] (everything else, touched by calls, returns,
//! exits and the bounds checks, which read the memory's length there). Those
//! six are arguments, so they live in registers across the whole run
//! (x86-64 passes six integer arguments in registers, AArch64 eight).
//! Handlers are dispatched in one of two ways:
//!
//! - **threaded** (the default): each handler ends by looking the next op's
//!   handler up in [`THREADED`] and calling it in tail position. Optimized
//!   builds turn that call into a jump, so every handler has its own indirect
//!   jump (which the branch predictor learns per op) and no handler returns
//!   until execution stops, when the stopping handler's return goes straight
//!   back to [`run`].
//! - **loop**: each handler of [`LOOP`] returns the next position and a loop
//!   calls the next handler. Used when the build does not turn tail calls into
//!   jumps (unoptimized builds, where threaded dispatch would grow the native
//!   stack by one frame per op) — [`threaded_ok`] probes that once per process
//!   —, in builds with debug assertions (std's checks put things on the
//!   handlers' stack frames), and when [`Dispatch::Loop`] asks for it.
//!
//! Both tables come from the one op list ([`crate::code::op_list`]), in tag
//! order, and the handlers are the same functions instantiated twice.
//!
//! The loop keeps what the return from a frame it entered itself needs in
//! header cells just below that frame (`memory::Header`: the caller's
//! function, resume position, VM context and call descriptor), so a call
//! and its return update no bookkeeping but the frame count; when the loop
//! exits, it rebuilds the frame stack's records of those frames from the
//! headers.

use std::sync::atomic::{AtomicU8, Ordering};

use super::Frame;
use super::calls::{CalleeCache, caller_record};
use super::handlers;
use super::memory::{Code, Pc, Regs, heap_of};
use crate::code::{OP_COUNT, Slot};
use crate::func::InterpFunc;
use crate::module::{Dispatch, InterpConfig, InterpModule};
use zerowasm_ssa::TrapCode;

/// What a returning `return` hands back.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ret {
    /// No values.
    Zero,
    /// One scalar cell.
    One(Slot),
    /// The cells of `returns[list]`.
    List(u32),
}

/// Why the inner loop stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Exit {
    /// `call` of `calls[desc]`.
    Call(u32),
    /// `call_indirect` of `calls[desc]`.
    CallIndirect(u32),
    /// The function returned.
    Return(Ret),
    /// A Wasm trap at the op before the returned ip.
    Trap(TrapCode),
    /// An interpreter or runtime bug (never a Wasm-visible condition).
    Internal(&'static Bug),
}

/// The message of an [`Exit::Internal`], behind a thin pointer so that an
/// `Exit` (and a `Result<(), Exit>`) fits in two registers: a handler that
/// receives one from a helper in memory could not tail-call the next handler.
#[derive(Debug)]
pub(crate) struct Bug(pub(crate) &'static str);

/// An op handler: runs the op at `pc` and continues (threaded) or returns the
/// next position (loop); returns [`Pc::stop`] once execution stops, with the
/// exit in [`Cx::exit`].
///
/// The arguments are the op's position, the frame's cells, the frame's VM
/// context, the base address of the linear memory the running function's
/// fused accesses use (`InterpFunc::heap`; it never moves, so it can live in
/// a register across `memory.grow`, and 0 if the function has none), the
/// code's start, and the rest of the state.
pub(super) type Handler = for<'m, 'x> fn(Pc<'m>, Regs<'m>, u64, u64, Code<'m>, &mut Cx<'m, 'x>) -> Pc<'m>;

macro_rules! handler_tables {
    ($( $(#[$doc:meta])* $name:ident = $text:literal [$($d:ident: $dt:ty),*] ($($f:ident: $t:ty),*); )*) => {
        /// The handlers that tail-call the next op's handler, by op tag.
        static THREADED: [Handler; OP_COUNT] = [$( handlers::$name::<true> as Handler, )*];
        /// The handlers that return to the dispatch loop, by op tag.
        static LOOP: [Handler; OP_COUNT] = [$( handlers::$name::<false> as Handler, )*];
    };
}
crate::code::op_list!(handler_tables);

/// Everything the handlers reach besides their register arguments: the frame
/// bookkeeping of calls and returns within the module, and the exit.
pub(super) struct Cx<'m, 'x> {
    pub(super) module: &'m InterpModule,
    pub(super) module_index: u32,
    pub(super) stack: &'x mut Vec<u64>,
    /// The frames below the one the loop started with.
    pub(super) frames: &'x mut Vec<Frame>,
    /// How many frames, the running one innermost, the loop entered itself
    /// (each with a header, see `memory::Header`).
    pub(super) entered: usize,
    /// The address just past the value stack's last cell; only the outer
    /// loop grows the stack, so it holds for the whole run.
    pub(super) stack_end: usize,
    pub(super) callees: &'x CalleeCache,
    /// The running frame's function.
    pub(super) func: &'m InterpFunc,
    /// How many frames the loop may enter (`entered`) before a call goes to
    /// the outer loop, which reports `StackOverflow`: the `InterpConfig`'s
    /// `max_call_depth` less the frames below and the one it started with.
    pub(super) max_entered: usize,
    /// Why and where execution stopped (see [`stop`]).
    pub(super) exit: (Exit, usize),
    /// The register arguments between two handlers of the loop dispatch (and
    /// the frame and VM context at the exit in both).
    pub(super) regs: Regs<'m>,
    pub(super) vmctx: u64,
    pub(super) heap: u64,
    /// The current length of the memory at `heap` (see `memory::heap_of`).
    pub(super) heap_len: u64,
    pub(super) code: Code<'m>,
    /// The lowest stack pointer threaded dispatch may reach (see [`stack_grew`]).
    pub(super) stack_floor: usize,
    /// A failure an out-of-line helper reports (see `calls::call_builtin`).
    pub(super) failed: Option<Exit>,
    /// Where to continue in the loop after [`redispatch`].
    pub(super) resume: Option<Pc<'m>>,
}

/// Continues at `pc`: tail-calls its handler (threaded), or hands the
/// registers back to the dispatch loop.
#[inline(always)]
pub(super) fn next<'m, const THREADED_DISPATCH: bool>(
    pc: Pc<'m>,
    r: Regs<'m>,
    vmctx: u64,
    heap: u64,
    code: Code<'m>,
    cx: &mut Cx<'m, '_>,
) -> Pc<'m> {
    if THREADED_DISPATCH {
        let handler = THREADED[pc.op().tag()];
        handler(pc, r, vmctx, heap, code, cx)
    } else {
        cx.regs = r;
        cx.vmctx = vmctx;
        cx.heap = heap;
        cx.code = code;
        pc
    }
}

/// True if threaded dispatch has grown the native stack: some handler
/// called the next one instead of jumping to it (it kept something on its
/// stack frame, see `handlers!`), which in a long loop would overflow the
/// stack. Checked by the call handlers (every recursion passes through one);
/// a check in the branch handlers too would cost a fifth of the run time on
/// call-heavy code, so the handlers' tail calls are instead proven by
/// `runtime/tests/dispatch.rs`, which runs them all in a long loop.
#[inline(always)]
pub(super) fn stack_grew(cx: &Cx<'_, '_>) -> bool {
    probe::stack_pointer().is_some_and(|sp| sp < cx.stack_floor)
}

/// Stops threaded dispatch before the op at `at` (after [`stack_grew`]):
/// unwinds to [`run`], which turns threaded dispatch off for the process and
/// continues from `at` in the loop.
#[cold]
#[inline(never)]
pub(super) fn redispatch<'m>(
    cx: &mut Cx<'m, '_>,
    at: Pc<'m>,
    r: Regs<'m>,
    vmctx: u64,
    heap: u64,
    code: Code<'m>,
) -> Pc<'m> {
    (cx.resume, cx.regs, cx.vmctx, cx.heap, cx.code) = (Some(at), r, vmctx, heap, code);
    Pc::stop()
}

/// Stops execution with `exit` at the op at `at`: calls and returns resume
/// after it, traps and errors report it.
#[cold]
#[inline(never)]
pub(super) fn stop<'m>(
    cx: &mut Cx<'m, '_>,
    r: Regs<'m>,
    code: Code<'m>,
    vmctx: u64,
    at: Pc<'m>,
    exit: Exit,
) -> Pc<'m> {
    let ip = code.index(at);
    let ip = match exit {
        Exit::Call(_) | Exit::CallIndirect(_) | Exit::Return(_) => ip + 1,
        Exit::Trap(_) | Exit::Internal(_) => ip,
    };
    cx.exit = (exit, ip);
    cx.regs = r;
    cx.vmctx = vmctx;
    Pc::stop()
}

/// Runs the top frame of `frames` (a frame of `func`, in module `module`, which
/// is module `module_index` of the interpreter: 0 the entry module, `i + 1`
/// its `modules[i]`) until it traps, calls an import, a host function or
/// another module, or returns to a frame of another module (or to the
/// embedder). Calls to functions of the same module (direct, or indirect
/// through a handle in `callees`) and the returns from them stay in this loop:
/// the callee's frame is laid out (or the caller's frame resumed) here.
/// Anything unusual — a callee that is not translated yet or fails to, a depth
/// or stack limit, a descriptor that does not match — leaves the loop with the
/// plain `Call`/`CallIndirect`/`Return` exit, and the outer loop handles it
/// (and reports the error) exactly as without the fast path.
///
/// On return `frames` holds every frame again, the running one on top, and the
/// result is the exit and the ip to resume that frame at (for a trap: the
/// trapping op's position).
pub(crate) fn run(
    module: &InterpModule,
    module_index: u32,
    func: &InterpFunc,
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    config: &InterpConfig,
    callees: &CalleeCache,
) -> (Exit, usize) {
    let Some(top) = frames.pop() else { return (Exit::Internal(&Bug("no frame to run")), 0) };
    let Some(frame) = stack.get_mut(top.base..top.base + func.cells as usize) else {
        frames.push(top);
        return (Exit::Internal(&Bug("frame outside the value stack")), top.ip as usize);
    };
    // SAFETY: the frame is exactly `func`'s cells of the value stack, which
    // only the outer loop reallocates (see `Regs::unbind`).
    let r = unsafe { Regs::new(frame).unbind() };
    let threaded = config.dispatch == Dispatch::Auto && threaded_ok();
    // Frames in all: those below and the running one.
    let depth = frames.len() + 1;
    let max_entered = (config.max_call_depth as usize).saturating_sub(depth);
    let (heap, heap_len) = heap_of(top.vmctx, func.heap());
    let stack_start = stack.as_ptr() as usize;
    let stack_end = stack_start + stack.len() * 8;
    let (exit, entered, regs, vmctx, func) = {
        let code = Code::new(&func.code);
        let mut cx = Cx {
            module,
            module_index,
            stack,
            frames,
            entered: 0,
            stack_end,
            callees,
            func,
            max_entered,
            exit: (Exit::Internal(&Bug("execution stopped without an exit")), top.ip as usize),
            regs: r,
            vmctx: top.vmctx,
            heap,
            heap_len,
            code,
            stack_floor: probe::stack_pointer().map_or(0, |sp| sp.saturating_sub(STACK_SLACK)),
            failed: None,
            resume: None,
        };
        let mut pc = code.at(top.ip as usize);
        if threaded {
            next::<true>(pc, r, top.vmctx, heap, code, &mut cx);
            pc = Pc::stop();
            if let Some(at) = cx.resume.take() {
                THREADED_OK.store(FELL_BACK, Ordering::Relaxed);
                pc = at;
            }
        }
        while !pc.is_stop() {
            let handler = LOOP[pc.op().tag()];
            pc = handler(pc, cx.regs, cx.vmctx, cx.heap, cx.code, &mut cx);
        }
        (cx.exit, cx.entered, cx.regs, cx.vmctx, cx.func)
    };
    // The frames the loop entered itself, innermost first, back to the one it
    // started with, from their headers.
    let first = frames.len();
    let mut inner = regs;
    for _ in 0..entered {
        // SAFETY: each of the `entered` innermost frames was entered by this
        // run, with a header (see `Cx::entered`).
        let header = unsafe { inner.header() };
        // SAFETY: as above; the header's function is the caller's.
        let caller = unsafe { inner.caller_frame(header.func.cells) };
        frames.push(caller_record(module_index, caller, header, stack_start));
        inner = caller;
    }
    frames[first..].reverse();
    // The frame the loop started with keeps its pending call if it is still running.
    let call = if entered == 0 { top.call } else { 0 };
    frames.push(Frame {
        module: module_index,
        funcidx: func.funcidx,
        ip: top.ip,
        base: regs.addr().wrapping_sub(stack_start) / 8,
        vmctx,
        call,
    });
    exit
}

/// How far below `run`'s stack pointer the handlers' own frames may reach
/// (a handler's frame, and the functions it calls) before [`stack_grew`].
const STACK_SLACK: usize = 64 << 10;

/// Whether threaded dispatch is used: one of the four states below.
static THREADED_OK: AtomicU8 = AtomicU8::new(UNPROBED);
/// No run has probed yet.
const UNPROBED: u8 = 0;
/// Threaded.
const THREADED_YES: u8 = 1;
/// The loop: the probe failed, or debug assertions are on.
const PROBE_FAILED: u8 = 2;
/// The loop: a run fell back (see [`redispatch`]).
const FELL_BACK: u8 = 3;

/// True if handler tail calls compile to jumps here, probed once per process
/// (and false for good once a run had to fall back to the loop).
fn threaded_ok() -> bool {
    match THREADED_OK.load(Ordering::Relaxed) {
        UNPROBED => {
            // Debug assertions turn on std's checks of raw accesses, which put
            // things on the handlers' frames: such builds use the loop.
            let ok = !cfg!(debug_assertions) && probe::tail_calls_are_jumps();
            THREADED_OK.store(if ok { THREADED_YES } else { PROBE_FAILED }, Ordering::Relaxed);
            ok
        }
        state => state == THREADED_YES,
    }
}

/// How this process dispatches ops (with [`Dispatch::Auto`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DispatchStatus {
    /// Threaded: every handler jumps to the next.
    Threaded,
    /// The loop, because this build does not compile tail calls to jumps
    /// (an unoptimized build) or has debug assertions on.
    Loop,
    /// The loop, because a handler did not jump to the next one and threaded
    /// dispatch noticed the native stack growing: an interpreter bug, worth
    /// a report (nothing else goes wrong; execution continued in the loop).
    FellBack,
}

/// How this process dispatches ops, probing first if no run has yet.
pub fn dispatch_status() -> DispatchStatus {
    threaded_ok();
    match THREADED_OK.load(Ordering::Relaxed) {
        THREADED_YES => DispatchStatus::Threaded,
        FELL_BACK => DispatchStatus::FellBack,
        _ => DispatchStatus::Loop,
    }
}

/// The tail-call probe: a chain of calls through a handler table, shaped like
/// the handlers' own (same argument and return types, the callee loaded from
/// a table in tail position), that records the stack pointer at each step.
/// With tail calls compiled to jumps every step sees the same stack pointer;
/// without, each step is a frame deeper.
mod probe {
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Steps of the chain.
    const STEPS: usize = 8;

    type Step = fn(usize, &mut [usize; STEPS]) -> usize;

    /// The stack pointer, where this architecture has a way to read it.
    #[inline(always)]
    pub(super) fn stack_pointer() -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        {
            let sp: usize;
            // SAFETY: reads the stack pointer register into a general register;
            // touches no memory and no flags.
            unsafe { std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
            Some(sp)
        }
        #[cfg(target_arch = "aarch64")]
        {
            let sp: usize;
            // SAFETY: as above, `mov` from `sp` to a general register.
            unsafe { std::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
            Some(sp)
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        {
            None
        }
    }

    /// Counts steps into a static so the chain cannot be folded away.
    static CALLS: AtomicUsize = AtomicUsize::new(0);

    /// Two copies of the step, alternating, so the callee is a real table load
    /// (as in dispatch), not a call the compiler could resolve.
    static TABLE: [Step; 2] = [step::<0>, step::<1>];

    #[inline(never)]
    fn step<const K: usize>(i: usize, seen: &mut [usize; STEPS]) -> usize {
        CALLS.fetch_add(K + 1, Ordering::Relaxed);
        if let Some(s) = seen.get_mut(i) {
            *s = stack_pointer().unwrap_or(usize::MAX - i);
        }
        if i + 1 >= STEPS {
            return i;
        }
        let next = TABLE[(i + 1) % 2];
        next(i + 1, seen)
    }

    /// True if every step of the chain after the first ran at the same stack
    /// depth. (The first is called from here, where `seen` lives on the stack,
    /// so its call to the second may not be a tail call.)
    pub(super) fn tail_calls_are_jumps() -> bool {
        let mut seen = [0usize; STEPS];
        step::<0>(0, &mut seen);
        seen[2..].iter().all(|&s| s == seen[1]) && seen[1] != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_answers_consistently() {
        // Whatever this build does, asking twice gives the same answer, and
        // an optimized build of the test binary turns tail calls into jumps.
        let first = threaded_ok();
        assert_eq!(threaded_ok(), first);
        if !cfg!(debug_assertions) {
            assert!(first, "an optimized build should dispatch threaded");
        }
    }
}
