//! Wasm body to slot code: the frontend's lowering, the SSA interpreter pass
//! pipeline, then [`crate::translate`]. Lowering, pass and translation scratch
//! state is kept per thread, so translating many functions allocates little.

use std::borrow::Cow;
use std::cell::RefCell;

use zerowasm_frontend::{LowerConfig, LowerContext, ModuleInfo, lower_function};
use zerowasm_ssa::passes::{INTERPRETER_PIPELINE, PassCtx, run_pipeline};

use crate::error::{TranslateError, TranslateErrorKind};
use crate::func::InterpFunc;
use crate::translate::{Scratch, translate_with};

/// One thread's reusable state for [`lower_and_translate`].
#[derive(Default)]
struct Contexts {
    lower: LowerContext,
    passes: PassCtx,
    translate: Scratch,
    baseline: crate::baseline::Scratch,
}

thread_local! {
    static CONTEXTS: RefCell<Contexts> = RefCell::new(Contexts::default());
}

fn lowering_error(e: impl std::fmt::Display) -> TranslateError {
    TranslateError { funcidx: None, kind: TranslateErrorKind::Lowering(e.to_string()) }
}

/// Translates defined function `funcidx` with the baseline translator and
/// this thread's buffers; [`crate::baseline::Bail`] when it does not handle
/// the function.
pub(crate) fn baseline(
    info: &ModuleInfo,
    bytes: &[u8],
    offsets: &zerowasm_frontend::vmoffsets::VmOffsets,
    funcidx: u32,
) -> Result<InterpFunc, crate::baseline::Bail> {
    CONTEXTS.with(|cx| match cx.try_borrow_mut() {
        Ok(mut cx) => crate::baseline::translate(info, bytes, offsets, funcidx, &mut cx.baseline),
        Err(_) => crate::baseline::translate(info, bytes, offsets, funcidx, &mut Default::default()),
    })
}

/// Lowers defined function `funcidx`, runs the interpreter pipeline on it and
/// translates the result to slot code, with this thread's contexts. The
/// lowered function goes back to the lowering context afterwards, whose next
/// lowering fills its tables instead of new ones.
pub(crate) fn lower_and_translate(
    info: &ModuleInfo,
    bytes: &[u8],
    funcidx: u32,
    config: &LowerConfig,
) -> Result<InterpFunc, TranslateError> {
    CONTEXTS.with(|cx| {
        // A translation that re-enters (it never does) gets fresh contexts instead of panicking.
        let mut fresh = None;
        let mut guard = cx.try_borrow_mut().ok();
        let cx = match guard.as_deref_mut() {
            Some(cx) => cx,
            None => fresh.insert(Contexts::default()),
        };
        let mut func = lower_function(info, bytes, funcidx, config, &mut cx.lower).map_err(lowering_error)?;
        run_pipeline(&mut func, &mut cx.passes, INTERPRETER_PIPELINE).map_err(lowering_error)?;
        // The pipeline's graph is still the function's: its last passes keep the control flow.
        let mut func = Cow::Owned(func);
        let out = translate_with(&mut func, cx.passes.pipeline_cfg(), &mut cx.translate);
        cx.lower.recycle(func.into_owned());
        out
    })
}
