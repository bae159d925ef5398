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
    /// `values[start[b]..start[b + 1]]` are the values live on entry to block
    /// `b`, excluding its parameters, in increasing value order.
    start: Vec<u32>,
    values: Vec<Value>,
}

impl Liveness {
    /// The values live on entry to `block`, excluding its parameters.
    pub(crate) fn live_in(&self, block: Block) -> &[Value] {
        let i = block.index();
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }
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
                if matches!(sel.plans[inst], Plan::Skip) {
                    continue;
                }
                let mut err = None;
                sel.for_each_use(func, inst, |v| match def_block(func, v) {
                    Ok(d) if d != block => pairs.push((v, block)),
                    Ok(_) => {}
                    Err(e) => {
                        err.get_or_insert(e);
                    }
                });
                if let Some(e) = err {
                    return Err(e);
                }
            }
        }
        // The use blocks of each value, grouped by value (a counting sort:
        // values are then visited in increasing order).
        let nv = func.dfg.num_values();
        let mut first = vec![0u32; nv + 2];
        for &(v, _) in &pairs {
            first[v.index() + 2] += 1;
        }
        for i in 2..first.len() {
            first[i] += first[i - 1];
        }
        let mut use_blocks = vec![Block::new(0); pairs.len()];
        for &(v, b) in &pairs {
            let slot = &mut first[v.index() + 1];
            use_blocks[*slot as usize] = b;
            *slot += 1;
        }

        // (block, value) live-in pairs, grouped by value in increasing order.
        let mut found: Vec<(Block, Value)> = Vec::new();
        // `stamp[b] == v + 1`: `v` already marked live-in at `b`.
        let mut stamp: SecondaryMap<Block, u32> = SecondaryMap::with_capacity(func.dfg.num_blocks());
        stamp.resize(func.dfg.num_blocks());
        let mut work: Vec<Block> = Vec::new();
        let entry = func.entry_block();
        for vi in 0..nv {
            let uses = &use_blocks[first[vi] as usize..first[vi + 1] as usize];
            if uses.is_empty() {
                continue;
            }
            let v = Value::new(vi);
            let def = def_block(func, v)?;
            let mark = vi as u32 + 1;
            work.extend_from_slice(uses);
            while let Some(b) = work.pop() {
                if b == def || stamp[b] == mark {
                    continue;
                }
                if Some(b) == entry {
                    return Err(TranslateError::invalid(format!(
                        "{v} is used where its definition does not dominate"
                    )));
                }
                stamp[b] = mark;
                found.push((b, v));
                work.extend(cfg.preds(b).iter().map(|&(p, _)| p).filter(|&p| cfg.is_reachable(p)));
            }
        }
        // Counting sort by block (stable: each block's values stay in value order).
        let n = func.dfg.num_blocks();
        let mut start = vec![0u32; n + 2];
        for &(b, _) in &found {
            start[b.index() + 2] += 1;
        }
        for i in 2..start.len() {
            start[i] += start[i - 1];
        }
        let mut values = vec![Value::new(0); found.len()];
        for &(b, v) in &found {
            let slot = &mut start[b.index() + 1];
            values[*slot as usize] = v;
            *slot += 1;
        }
        start.pop();
        Ok(Liveness { start, values })
    }
}
