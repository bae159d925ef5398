//! Wasm body to interpreter-ready IR: the frontend's lowering, then the SSA
//! interpreter pass pipeline. Lowering and pass scratch state is kept per
//! thread, so translating many functions allocates little.

use std::cell::RefCell;

use zerowasm_frontend::{LowerConfig, LowerContext, ModuleInfo, lower_function};
use zerowasm_ssa::Function;
use zerowasm_ssa::passes::{INTERPRETER_PIPELINE, PassCtx, run_pipeline};

use crate::error::{TranslateError, TranslateErrorKind};

thread_local! {
    static CONTEXTS: RefCell<(LowerContext, PassCtx)> = RefCell::new((LowerContext::new(), PassCtx::new()));
}

fn lowering_error(e: impl std::fmt::Display) -> TranslateError {
    TranslateError { funcidx: None, kind: TranslateErrorKind::Lowering(e.to_string()) }
}

/// Gives a function the caller is done with back to this thread's lowering
/// context, whose next [`lower`] fills its tables instead of new ones.
pub(crate) fn recycle(func: Function) {
    CONTEXTS.with(|cx| {
        if let Ok(mut cx) = cx.try_borrow_mut() {
            cx.0.recycle(func);
        }
    });
}

/// Lowers defined function `funcidx` and runs the interpreter pipeline on it.
pub(crate) fn lower(
    info: &ModuleInfo,
    bytes: &[u8],
    funcidx: u32,
    config: &LowerConfig,
) -> Result<Function, TranslateError> {
    CONTEXTS.with(|cx| {
        // A translation that re-enters (it never does) gets fresh contexts instead of panicking.
        let mut fresh = None;
        let mut guard = cx.try_borrow_mut().ok();
        let (lower_cx, pass_cx) = match guard.as_deref_mut() {
            Some((l, p)) => (l, p),
            None => {
                let (l, p) = fresh.insert((LowerContext::new(), PassCtx::new()));
                (l, p)
            }
        };
        let mut func = lower_function(info, bytes, funcidx, config, lower_cx).map_err(lowering_error)?;
        run_pipeline(&mut func, pass_cx, INTERPRETER_PIPELINE).map_err(lowering_error)?;
        Ok(func)
    })
}
