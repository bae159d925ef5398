//! `InterpModule`: the interpreter's code for one module, translated lazily,
//! one function at a time, on first use.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_frontend::{LowerConfig, ModuleInfo};
use zerowasm_ssa::Function;

use crate::error::{TranslateError, TranslateErrorKind};
use crate::func::InterpFunc;

/// Execution limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpConfig {
    /// Wasm frames allowed on the interpreter's frame stack before
    /// `TrapCode::StackOverflow`.
    pub max_call_depth: u32,
    /// Value-stack cells (8 bytes each) allowed before `TrapCode::StackOverflow`.
    pub max_stack_cells: usize,
    /// How ops are dispatched; both run the same handlers.
    pub dispatch: Dispatch,
    /// Which translator makes a function's slot code.
    pub translator: Translator,
}

impl Default for InterpConfig {
    fn default() -> Self {
        InterpConfig {
            max_call_depth: 20_000,
            max_stack_cells: 8 << 20,
            dispatch: Dispatch::Auto,
            translator: Translator::default(),
        }
    }
}

/// How the interpreter moves from one op to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dispatch {
    /// Threaded (every op handler jumps to the next one's) when this build
    /// compiles tail calls to jumps, which the interpreter checks once per
    /// process; the loop otherwise (unoptimized builds).
    #[default]
    Auto,
    /// A loop that calls one handler per op: slower, for comparison and tests.
    Loop,
}

/// Which translator makes a function's slot code. Both give code with the
/// same behaviour; they trade translation time against execution time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Translator {
    /// The SSA pipeline: lowering, the interpreter's passes, instruction
    /// selection, slot assignment and encoding. About 5% faster code, for
    /// long-running programs, at 4-6x the translation time.
    Optimizing,
    /// One pass from the Wasm bytes to slot code: the default, because it
    /// translates several times faster and its code runs within about 5% of
    /// the optimizing translator's (on `benches/guests`). A function it does
    /// not handle (SIMD, reference and table instructions, a memory other
    /// than memory 0, or any instrumentation of `LowerConfig`) goes through
    /// the SSA pipeline instead.
    #[default]
    Baseline,
}

/// Functions a worker takes at a time in [`InterpModule::translate_all`]: few,
/// so the chunks at the end (the smallest functions) finish together.
const PARALLEL_CHUNK: usize = 2;
/// Below this many defined functions per thread, threads cost more than they save.
const PARALLEL_MIN_FUNCS_PER_THREAD: usize = 4;
/// Below this much code (bytes of function bodies, about 1 ms of translation),
/// [`InterpModule::translate_all`] stays on the caller's thread.
const PARALLEL_MIN_BYTES: usize = 4096;

/// Where function bodies come from.
enum Source {
    /// A validated Wasm module: bodies are lowered from the bytes.
    Wasm { info: Arc<ModuleInfo>, bytes: Arc<[u8]> },
    /// Ready-made IR, function `i` at index `i` (no imports).
    Ir(Box<[Function]>),
}

/// The interpreter's code for one module. Functions are translated (lowering,
/// interpreter pass pipeline, slot assignment, encoding) on first call, once,
/// thread-safely; a function that cannot be translated gives a
/// [`TranslateError`] every time it is asked for, never a panic.
pub struct InterpModule {
    source: Source,
    num_imported: u32,
    /// The translated functions by function index (imported ones stay
    /// empty), so that the execution loop's `call_indirect` finds its callee
    /// with one bounds check and one state check (a direct call keeps its
    /// callee in its descriptor, `CallDesc::resolved`).
    funcs: Box<[OnceLock<InterpFunc>]>,
    /// The translation failures by defined-function index.
    failed: Box<[OnceLock<TranslateError>]>,
    offsets: Option<VmOffsets>,
    /// The VM-context field of memory 0's `VmMemory` pointer, if the module
    /// has a memory: the memory of functions with no fused access of their
    /// own, so that a call between such a function and one that has them
    /// keeps the memory base in its register instead of reloading it.
    default_heap: Option<u16>,
    config: InterpConfig,
    lower: LowerConfig,
}

impl std::fmt::Debug for InterpModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InterpModule")
            .field("num_imported", &self.num_imported)
            .field("num_defined", &self.failed.len())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl InterpModule {
    /// The interpreter's code for a validated module (`info` describes `bytes`).
    pub fn new(info: Arc<ModuleInfo>, bytes: Arc<[u8]>) -> Self {
        let num_imported = info.num_imported_functions;
        let defined = info.bodies.len();
        let offsets = VmOffsets::new(&info);
        let default_heap =
            if info.memories.is_empty() { None } else { u16::try_from(offsets.memory(0)).ok() };
        let offsets = Some(offsets);
        InterpModule {
            source: Source::Wasm { info, bytes },
            num_imported,
            funcs: (0..num_imported as usize + defined).map(|_| OnceLock::new()).collect(),
            failed: (0..defined).map(|_| OnceLock::new()).collect(),
            offsets,
            default_heap,
            config: InterpConfig::default(),
            lower: LowerConfig::default(),
        }
    }

    /// A module made of ready IR (for tests and tools): function `i` of the list is
    /// function index `i`, and there are no imports. A `call` names its callee by
    /// `ExtFuncData::index`.
    pub fn from_ir(functions: Vec<Function>) -> Self {
        let n = functions.len();
        InterpModule {
            source: Source::Ir(functions.into()),
            num_imported: 0,
            funcs: (0..n).map(|_| OnceLock::new()).collect(),
            failed: (0..n).map(|_| OnceLock::new()).collect(),
            offsets: None,
            default_heap: None,
            config: InterpConfig::default(),
            lower: LowerConfig::default(),
        }
    }

    /// The same module with other execution limits.
    pub fn with_config(mut self, config: InterpConfig) -> Self {
        self.config = config;
        self
    }

    /// The same module lowered with other options (interrupt checks, fuel). Set it
    /// before the first call: functions already translated keep their code.
    pub fn with_lower_config(mut self, lower: LowerConfig) -> Self {
        self.lower = lower;
        self
    }

    /// The lowering options.
    pub fn lower_config(&self) -> &LowerConfig {
        &self.lower
    }

    /// The execution limits [`crate::invoke`] uses when this module is the entry.
    pub fn config(&self) -> &InterpConfig {
        &self.config
    }

    /// The module description, for modules built from Wasm.
    pub fn module_info(&self) -> Option<&Arc<ModuleInfo>> {
        match &self.source {
            Source::Wasm { info, .. } => Some(info),
            Source::Ir(_) => None,
        }
    }

    /// The module's name and function `funcidx`'s name (name section, else
    /// first export name), for backtraces.
    pub fn frame_names(&self, funcidx: u32) -> (Option<Arc<str>>, Option<Arc<str>>) {
        let Some(info) = self.module_info() else { return (None, None) };
        let module = info.names.module.as_deref().map(Arc::from);
        let func = info.names.functions.get(&funcidx).map(|s| s.as_str()).or_else(|| {
            info.exports
                .iter()
                .find(|e| e.kind == zerowasm_frontend::ExternKind::Func && e.index == funcidx)
                .map(|e| e.name.as_str())
        });
        (module, func.map(Arc::from))
    }

    /// Number of imported functions (they come first in the function index space).
    pub fn num_imported_functions(&self) -> u32 {
        self.num_imported
    }

    /// Number of functions, imported and defined.
    pub fn num_functions(&self) -> u32 {
        self.num_imported + self.failed.len() as u32
    }

    /// The VM-context layout, for modules built from Wasm.
    pub(crate) fn vm_offsets(&self) -> Option<&VmOffsets> {
        self.offsets.as_ref()
    }

    /// The result cells of defined function `funcidx`: its code once
    /// translated, and its translation failure.
    fn cells(&self, funcidx: u32) -> Option<(&OnceLock<InterpFunc>, &OnceLock<TranslateError>)> {
        let failed = self.failed.get(funcidx.checked_sub(self.num_imported)? as usize)?;
        Some((self.funcs.get(funcidx as usize)?, failed))
    }

    /// The slot code of defined function `funcidx`, translating it on first use.
    ///
    /// Two threads asking for the same function at once may both translate
    /// it; translation is deterministic, and the first result stored wins.
    pub fn function(&self, funcidx: u32) -> Result<&InterpFunc, TranslateError> {
        let Some((cell, failed)) = self.cells(funcidx) else {
            return Err(TranslateError { funcidx: Some(funcidx), kind: TranslateErrorKind::NoSuchFunction });
        };
        if let Some(f) = cell.get() {
            return Ok(f);
        }
        if let Some(e) = failed.get() {
            return Err(e.clone());
        }
        match self.translate(funcidx) {
            Ok(f) => Ok(cell.get_or_init(|| f)),
            Err(e) => Err(failed.get_or_init(|| e.at(funcidx)).clone()),
        }
    }

    /// The slot code of defined function `funcidx` if it is already translated
    /// (successfully): the execution loop's fast call path, which leaves
    /// translation and its errors to [`InterpModule::function`].
    #[inline]
    pub(crate) fn translated(&self, funcidx: u32) -> Option<&InterpFunc> {
        self.funcs.get(funcidx as usize)?.get()
    }

    /// True once defined function `funcidx` has been translated (successfully or not).
    pub fn is_translated(&self, funcidx: u32) -> bool {
        self.cells(funcidx).is_some_and(|(cell, failed)| cell.get().is_some() || failed.get().is_some())
    }

    /// Translates every defined function now, on all available cores (the
    /// functions are independent), and returns the failure of the lowest
    /// function index that fails, as a one-by-one translation in index order
    /// would.
    pub fn translate_all(&self) -> Result<(), TranslateError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.translate_all_on(threads)
    }

    /// [`Self::translate_all`] on at most `threads` threads (1: on the caller's
    /// thread only), for measurements and tests.
    pub fn translate_all_on(&self, threads: usize) -> Result<(), TranslateError> {
        let threads = threads.min(self.failed.len() / PARALLEL_MIN_FUNCS_PER_THREAD);
        if threads > 1 && self.body_bytes() >= PARALLEL_MIN_BYTES {
            self.translate_in_parallel(threads);
        }
        // In index order: after the parallel phase this only finds the results
        // (and translates whatever was left when a failure stopped the workers),
        // so the error reported is always the lowest failing index's.
        for i in 0..self.failed.len() as u32 {
            self.function(self.num_imported + i)?;
        }
        Ok(())
    }

    /// Total size of the function bodies (for IR modules, a rough stand-in).
    fn body_bytes(&self) -> usize {
        (0..self.failed.len()).map(|i| self.body_size(i)).sum()
    }

    /// The size of defined function `i`'s body (for IR modules, a rough stand-in).
    fn body_size(&self, i: usize) -> usize {
        match &self.source {
            Source::Wasm { info, .. } => info.bodies.get(i).map_or(0, |b| b.range.len()),
            Source::Ir(funcs) => funcs.get(i).map_or(0, |f| f.dfg.num_insts() * 2),
        }
    }

    /// Translates the defined functions on `threads` threads (the caller's
    /// included) that take chunks of functions, largest bodies first, from a
    /// shared counter; workers stop taking chunks after the first failure.
    /// Largest first, so no thread is left translating a large function
    /// while the others are done: in index order, lua.wasm's second largest
    /// function (a tenth of its translation) came in the last chunks.
    fn translate_in_parallel(&self, threads: usize) {
        let n = self.failed.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.body_size(i)));
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let work = || {
            while !failed.load(Ordering::Relaxed) {
                let start = next.fetch_add(PARALLEL_CHUNK, Ordering::Relaxed);
                if start >= n {
                    break;
                }
                for &i in order.iter().skip(start).take(PARALLEL_CHUNK) {
                    if self.function(self.num_imported + i as u32).is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                }
            }
        };
        std::thread::scope(|s| {
            for _ in 1..threads {
                // A thread that cannot be spawned leaves its share to the others.
                let _ = std::thread::Builder::new().spawn_scoped(s, work);
            }
            work();
        });
    }

    /// The slot-code listing of defined function `funcidx` (see [`InterpFunc::listing`]),
    /// stable for snapshot tests.
    pub fn slot_code_text(&self, funcidx: u32) -> Result<String, TranslateError> {
        self.function(funcidx).map(InterpFunc::listing)
    }

    fn translate(&self, funcidx: u32) -> Result<InterpFunc, TranslateError> {
        let mut func = self.translate_body(funcidx)?;
        func.funcidx = funcidx;
        if func.heap == crate::func::NO_HEAP
            && let Some(h) = self.default_heap
        {
            func.heap = u32::from(h);
        }
        Ok(func)
    }

    fn translate_body(&self, funcidx: u32) -> Result<InterpFunc, TranslateError> {
        match &self.source {
            Source::Ir(funcs) => {
                let func = funcs
                    .get(funcidx as usize)
                    .ok_or(TranslateError { funcidx: None, kind: TranslateErrorKind::NoSuchFunction })?;
                InterpFunc::compile(func)
            }
            Source::Wasm { info, bytes } => {
                if self.config.translator == Translator::Baseline
                    && self.lower == LowerConfig::default()
                    && let Some(offsets) = &self.offsets
                    && let Ok(func) = crate::lowering::baseline(info, bytes, offsets, funcidx)
                {
                    return Ok(func);
                }
                // The pass pipeline verifies its input and every result in debug builds.
                crate::lowering::lower_and_translate(info, bytes, funcidx, &self.lower)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<InterpModule>();
        check::<InterpFunc>();
    }
}
