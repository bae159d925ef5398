//! IR to slot code: instruction selection ([`select`]), liveness
//! ([`liveness`]), cell assignment ([`slots`]) and encoding ([`encode`],
//! [`emit`], with edge moves ordered by [`moves`]).

mod emit;
mod encode;
pub(crate) mod liveness;
pub(crate) mod moves;
mod optable;
pub(crate) mod select;
pub(crate) mod slots;

use zerowasm_ssa::Function;
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::analysis::domtree::DominatorTree;

use crate::error::TranslateError;
use crate::func::InterpFunc;

/// Translates IR the caller trusts to be well-formed (lowered and passed);
/// malformed IR still gives an error, never a panic, where it is detected.
pub(crate) fn translate(func: &Function) -> Result<InterpFunc, TranslateError> {
    let entry = func.entry_block().ok_or_else(|| TranslateError::invalid("function has no entry block"))?;
    let params: Vec<_> = func.dfg.block_params(entry).iter().map(|&v| func.dfg.value_type(v)).collect();
    if params != func.signature.params {
        return Err(TranslateError::invalid("entry block parameters do not match the signature"));
    }
    if func.signature.params.first() != Some(&zerowasm_ssa::Type::I64) {
        return Err(TranslateError::invalid("the first parameter must be vmctx: i64"));
    }
    let cfg = ControlFlowGraph::compute(func);
    let domtree = DominatorTree::compute(func, &cfg);
    let sel = select::Selection::compute(func, &cfg);
    let live = liveness::Liveness::compute(func, &cfg, &sel)?;
    let slots = slots::SlotMap::compute(func, &cfg, &domtree, &sel, &live)?;
    encode::encode(func, &cfg, &sel, &slots)
}
