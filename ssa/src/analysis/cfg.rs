//! `ControlFlowGraph`: successors and predecessors of each block, and a
//! reverse post-order of the blocks reachable from the entry.

use cranelift_entity::SecondaryMap;
use smallvec::SmallVec;

use crate::entities::{Block, Inst};
use crate::function::Function;

/// Edges between blocks, from the terminators.
#[derive(Default)]
pub struct ControlFlowGraph {
    succs: SecondaryMap<Block, SmallVec<[Block; 2]>>,
    /// (predecessor block, branch instruction) pairs, each listed once.
    preds: SecondaryMap<Block, SmallVec<[(Block, Inst); 2]>>,
    rpo: Vec<Block>,
    rpo_index: SecondaryMap<Block, u32>,
}

impl ControlFlowGraph {
    /// Computes the graph of `func`.
    pub fn compute(func: &Function) -> Self {
        let mut cfg = ControlFlowGraph::default();
        let n = func.dfg.num_blocks();
        cfg.succs.resize(n);
        cfg.preds.resize(n);
        cfg.rpo_index.resize(n);
        for block in func.layout.blocks() {
            let Some(term) = func.layout.last_inst(block) else { continue };
            let (succs, preds) = (&mut cfg.succs, &mut cfg.preds);
            crate::passes::for_each_dest(&func.dfg, term, |dest| {
                // A block's edges are added together, so a repeated edge to
                // `dest.block` is the last one listed there.
                if preds[dest.block].last() != Some(&(block, term)) {
                    succs[block].push(dest.block);
                    preds[dest.block].push((block, term));
                }
            });
        }
        cfg.compute_rpo(func);
        cfg
    }

    fn compute_rpo(&mut self, func: &Function) {
        let Some(entry) = func.entry_block() else { return };
        // Iterative DFS: (block, next successor index).
        let mut visited: SecondaryMap<Block, bool> = SecondaryMap::with_capacity(func.dfg.num_blocks());
        visited.resize(func.dfg.num_blocks());
        let mut post = Vec::new();
        let mut stack = vec![(entry, 0usize)];
        visited[entry] = true;
        while let Some(&mut (b, ref mut i)) = stack.last_mut() {
            if let Some(&s) = self.succs[b].get(*i) {
                *i += 1;
                if !visited[s] {
                    visited[s] = true;
                    stack.push((s, 0));
                }
            } else {
                post.push(b);
                stack.pop();
            }
        }
        post.reverse();
        for (i, &b) in post.iter().enumerate() {
            self.rpo_index[b] = i as u32 + 1;
        }
        self.rpo = post;
    }

    /// Successor blocks of `block`.
    pub fn succs(&self, block: Block) -> &[Block] {
        &self.succs[block]
    }

    /// Predecessors of `block` with the branch that leads here.
    pub fn preds(&self, block: Block) -> &[(Block, Inst)] {
        &self.preds[block]
    }

    /// Blocks reachable from the entry, in reverse post-order.
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }

    /// True if `block` is reachable from the entry.
    pub fn is_reachable(&self, block: Block) -> bool {
        self.rpo_index[block] != 0
    }

    /// Position of `block` in reverse post-order (reachable blocks only).
    pub fn rpo_number(&self, block: Block) -> u32 {
        self.rpo_index[block]
    }
}
