//! `ControlFlowGraph`: successors and predecessors of each block, and a
//! reverse post-order of the blocks reachable from the entry.
//!
//! The edge lists are flat arrays: each block's successors are one range of
//! `succs` (pushed block by block in layout order, so no sort is needed),
//! and the predecessor lists are built by one counting sort over those
//! ranges. Computing the graph allocates nothing per block, and
//! [`ControlFlowGraph::recompute`] reuses the arrays of the previous function.

use cranelift_entity::EntityRef;

use crate::entities::{Block, Inst};
use crate::function::Function;
use crate::instructions::InstData;

/// Edges between blocks, from the terminators.
#[derive(Default)]
pub struct ControlFlowGraph {
    /// `succs[succ_range[b].0..succ_range[b].1]` are block `b`'s successors,
    /// in the order its terminator lists them, each once.
    succ_range: Vec<(u32, u32)>,
    succs: Vec<Block>,
    /// `preds[pred_start[b]..pred_start[b + 1]]`: (predecessor block, branch
    /// instruction) pairs of `b`, each listed once, predecessors in layout order.
    pred_start: Vec<u32>,
    preds: Vec<(Block, Inst)>,
    rpo: Vec<Block>,
    /// Position in `rpo` plus one; 0 for blocks the entry cannot reach.
    rpo_index: Vec<u32>,
    /// Blocks with successors and their terminators, in layout order; scratch.
    branches: Vec<(Block, Inst)>,
    /// DFS stack (block, next and end position in `succs`); scratch.
    stack: Vec<(Block, u32, u32)>,
}

impl ControlFlowGraph {
    /// Computes the graph of `func`.
    pub fn compute(func: &Function) -> Self {
        let mut cfg = ControlFlowGraph::default();
        cfg.recompute(func);
        cfg
    }

    /// Computes the graph of `func` into `self`, reusing its allocations.
    pub fn recompute(&mut self, func: &Function) {
        let n = func.dfg.num_blocks();
        self.succ_range.clear();
        self.succ_range.resize(n, (0, 0));
        self.succs.clear();
        self.branches.clear();
        // Predecessor counts go to `pred_start[to + 2]` (shifted so the
        // scatter below can use `pred_start[to + 1]` as its cursor).
        self.pred_start.clear();
        self.pred_start.resize(n + 2, 0);
        // `rpo_index[to]` is borrowed as the mark "the last edge into `to`
        // came from (this block + 1)": a block's edges are listed together,
        // so a repeated edge to the same block is caught by it.
        self.rpo_index.clear();
        self.rpo_index.resize(n, 0);
        {
            let (mark, succs, counts) = (&mut self.rpo_index, &mut self.succs, &mut self.pred_start);
            for block in func.layout.blocks() {
                let Some(term) = func.layout.last_inst(block) else { continue };
                let from = block.index() as u32 + 1;
                let start = succs.len() as u32;
                let mut add = |to: Block| {
                    let m = &mut mark[to.index()];
                    if *m != from {
                        *m = from;
                        succs.push(to);
                        counts[to.index() + 2] += 1;
                    }
                };
                match func.dfg.inst(term) {
                    InstData::Jump { dest } => add(dest.block),
                    InstData::Brif { then_dest, else_dest, .. } => {
                        add(then_dest.block);
                        add(else_dest.block);
                    }
                    InstData::BrTable { table, .. } => {
                        let jt = &func.dfg.jump_tables[*table];
                        add(jt.default.block);
                        jt.targets.iter().for_each(|t| add(t.block));
                    }
                    _ => continue,
                }
                self.succ_range[block.index()] = (start, succs.len() as u32);
                self.branches.push((block, term));
            }
        }
        // Counting sort of the edges by target (stable: layout order).
        for i in 2..n + 2 {
            self.pred_start[i] += self.pred_start[i - 1];
        }
        self.preds.clear();
        self.preds.resize(self.succs.len(), (Block::new(0), Inst::new(0)));
        for &(from, term) in &self.branches {
            let (a, b) = self.succ_range[from.index()];
            for &to in &self.succs[a as usize..b as usize] {
                let p = &mut self.pred_start[to.index() + 1];
                self.preds[*p as usize] = (from, term);
                *p += 1;
            }
        }
        self.pred_start.pop();
        self.compute_rpo(func);
    }

    fn compute_rpo(&mut self, func: &Function) {
        self.rpo.clear();
        self.rpo_index.fill(0);
        let Some(entry) = func.entry_block() else { return };
        // Iterative DFS; `rpo_index` marks visited blocks (with `u32::MAX`)
        // until it is numbered, and `rpo` collects the postorder.
        self.stack.clear();
        let (a, b) = self.succ_range[entry.index()];
        self.stack.push((entry, a, b));
        self.rpo_index[entry.index()] = u32::MAX;
        while let Some(&mut (b, ref mut at, end)) = self.stack.last_mut() {
            if *at < end {
                let s = self.succs[*at as usize];
                *at += 1;
                let mark = &mut self.rpo_index[s.index()];
                if *mark == 0 {
                    *mark = u32::MAX;
                    let (a, b) = self.succ_range[s.index()];
                    self.stack.push((s, a, b));
                }
            } else {
                self.rpo.push(b);
                self.stack.pop();
            }
        }
        self.rpo.reverse();
        for (i, &b) in self.rpo.iter().enumerate() {
            self.rpo_index[b.index()] = i as u32 + 1;
        }
    }

    /// Successor blocks of `block`.
    pub fn succs(&self, block: Block) -> &[Block] {
        match self.succ_range.get(block.index()) {
            Some(&(a, b)) => &self.succs[a as usize..b as usize],
            None => &[],
        }
    }

    /// Predecessors of `block` with the branch that leads here.
    pub fn preds(&self, block: Block) -> &[(Block, Inst)] {
        let i = block.index();
        match (self.pred_start.get(i), self.pred_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.preds[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Number of blocks the graph covers (every block of the function).
    pub(crate) fn num_blocks(&self) -> usize {
        self.rpo_index.len()
    }

    /// Blocks reachable from the entry, in reverse post-order.
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }

    /// True if `block` is reachable from the entry.
    pub fn is_reachable(&self, block: Block) -> bool {
        self.rpo_number(block) != 0
    }

    /// Position of `block` in reverse post-order (reachable blocks only).
    pub fn rpo_number(&self, block: Block) -> u32 {
        self.rpo_index.get(block.index()).copied().unwrap_or(0)
    }
}
