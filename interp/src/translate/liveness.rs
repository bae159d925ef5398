//! Liveness over the CFG, from the effective uses of the selected instructions.
//!
//! SSA liveness by path exploration: for each use of `v` in a block other than
//! the one defining it, walk predecessors upward, marking `v` live-in, until
//! reaching the defining block. A branch argument is a use in the branching
//! block; a block's parameters are defined at its entry, so they are never
//! live-in to it. The work is proportional to the size of the result, and the
//! sets are sparse lists, so large functions stay cheap.

use cranelift_entity::{EntityRef, SecondaryMap};
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::{Block, Function, Value};

use super::select::{Plan, Selection};
use crate::error::TranslateError;

/// Live-in values of every reachable block.
pub(crate) struct Liveness {
    /// Values live on entry to the block, excluding its parameters.
    pub live_in: SecondaryMap<Block, Vec<Value>>,
}

/// The block defining `v`.
pub(crate) fn def_block(func: &Function, v: Value) -> Result<Block, TranslateError> {
    match func.dfg.value_def(v) {
        ValueDef::Param(b, _) => Ok(b),
        ValueDef::Result(i, _) => func.layout.inst_block(i).ok_or_else(|| {
            TranslateError::invalid(format!("{v} is defined by an instruction not in the layout"))
        }),
        ValueDef::Alias(_) => Err(TranslateError::invalid(format!("{v} is an unresolved alias"))),
    }
}

impl Liveness {
    /// Computes live-in sets for `func` under `sel`.
    pub(crate) fn compute(
        func: &Function,
        cfg: &ControlFlowGraph,
        sel: &Selection,
    ) -> Result<Liveness, TranslateError> {
        let mut pairs: Vec<(Value, Block)> = Vec::new();
        for &block in cfg.rpo() {
            for inst in func.layout.block_insts(block) {
                if sel.plans[inst] == Plan::Skip {
                    continue;
                }
                for v in sel.uses(func, inst) {
                    if def_block(func, v)? != block {
                        pairs.push((v, block));
                    }
                }
            }
        }
        pairs.sort_unstable_by_key(|&(v, b)| (v.index(), b.index()));
        pairs.dedup();

        let mut live_in: SecondaryMap<Block, Vec<Value>> = SecondaryMap::new();
        // `stamp[b] == v + 1`: `v` already marked live-in at `b`.
        let mut stamp: SecondaryMap<Block, u32> = SecondaryMap::new();
        let mut work: Vec<Block> = Vec::new();
        for &(v, use_block) in &pairs {
            let def = def_block(func, v)?;
            let mark = v.index() as u32 + 1;
            work.push(use_block);
            while let Some(b) = work.pop() {
                if b == def || stamp[b] == mark {
                    continue;
                }
                if Some(b) == func.entry_block() {
                    return Err(TranslateError::invalid(format!(
                        "{v} is used where its definition does not dominate"
                    )));
                }
                stamp[b] = mark;
                live_in[b].push(v);
                work.extend(cfg.preds(b).iter().map(|&(p, _)| p).filter(|&p| cfg.is_reachable(p)));
            }
        }
        Ok(Liveness { live_in })
    }
}
