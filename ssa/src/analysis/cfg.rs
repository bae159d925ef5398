//! `ControlFlowGraph`: successors and predecessors of each block, and a
//! reverse post-order of the blocks reachable from the entry.
//!
//! The edge lists are flat arrays indexed by per-block offsets (built by a
//! counting sort over the terminators), so computing the graph allocates
//! nothing per block, and [`ControlFlowGraph::recompute`] reuses the arrays
//! of the previous function.

use cranelift_entity::EntityRef;

use crate::entities::{Block, Inst};
use crate::function::Function;

/// Edges between blocks, from the terminators.
#[derive(Default)]
pub struct ControlFlowGraph {
    /// `succs[succ_start[b]..succ_start[b + 1]]` are block `b`'s successors,
    /// in the order its terminator lists them, each once.
    succ_start: Vec<u32>,
    succs: Vec<Block>,
    /// `preds[pred_start[b]..pred_start[b + 1]]`: (predecessor block, branch
    /// instruction) pairs of `b`, each listed once, predecessors in layout order.
    pred_start: Vec<u32>,
    preds: Vec<(Block, Inst)>,
    rpo: Vec<Block>,
    /// Position in `rpo` plus one; 0 for blocks the entry cannot reach.
    rpo_index: Vec<u32>,
    /// Every distinct edge (from, to, branch) in layout order; scratch.
    edges: Vec<(Block, Block, Inst)>,
    /// DFS stack (block, next successor index); scratch.
    stack: Vec<(Block, u32)>,
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
        self.edges.clear();
        // `pred_start[to + 1]` doubles as the mark "the last edge into `to`
        // came from (this block + 1)": a block's edges are listed together,
        // so a repeated edge to the same block is caught by it.
        self.succ_start.clear();
        self.succ_start.resize(n + 2, 0);
        self.pred_start.clear();
        self.pred_start.resize(n + 2, 0);
        {
            let last_from = &mut self.pred_start;
            for block in func.layout.blocks() {
                let Some(term) = func.layout.last_inst(block) else { continue };
                let from = block.index() as u32 + 1;
                let edges = &mut self.edges;
                crate::passes::for_each_dest(&func.dfg, term, |dest| {
                    let mark = &mut last_from[dest.block.index()];
                    if *mark != from {
                        *mark = from;
                        edges.push((block, dest.block, term));
                    }
                });
            }
        }
        // Counting sorts (stable, so each list keeps the layout order).
        self.pred_start.iter_mut().for_each(|x| *x = 0);
        for &(from, to, _) in &self.edges {
            self.succ_start[from.index() + 2] += 1;
            self.pred_start[to.index() + 2] += 1;
        }
        for i in 2..n + 2 {
            self.succ_start[i] += self.succ_start[i - 1];
            self.pred_start[i] += self.pred_start[i - 1];
        }
        let total = self.edges.len();
        self.succs.clear();
        self.succs.resize(total, Block::new(0));
        self.preds.clear();
        self.preds.resize(total, (Block::new(0), Inst::new(0)));
        for &(from, to, term) in &self.edges {
            let s = &mut self.succ_start[from.index() + 1];
            self.succs[*s as usize] = to;
            *s += 1;
            let p = &mut self.pred_start[to.index() + 1];
            self.preds[*p as usize] = (from, term);
            *p += 1;
        }
        self.succ_start.pop();
        self.pred_start.pop();
        self.compute_rpo(func, n);
    }

    fn compute_rpo(&mut self, func: &Function, n: usize) {
        self.rpo.clear();
        self.rpo_index.clear();
        self.rpo_index.resize(n, 0);
        let Some(entry) = func.entry_block() else { return };
        // Iterative DFS; `rpo_index` marks visited blocks (with `u32::MAX`)
        // until it is numbered, and `rpo` collects the postorder.
        self.stack.clear();
        self.stack.push((entry, 0));
        self.rpo_index[entry.index()] = u32::MAX;
        while let Some(&mut (b, ref mut i)) = self.stack.last_mut() {
            let at = self.succ_start[b.index()] + *i;
            if at < self.succ_start[b.index() + 1] {
                *i += 1;
                let s = self.succs[at as usize];
                if self.rpo_index[s.index()] == 0 {
                    self.rpo_index[s.index()] = u32::MAX;
                    self.stack.push((s, 0));
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
        let i = block.index();
        match (self.succ_start.get(i), self.succ_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.succs[a as usize..b as usize],
            _ => &[],
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
