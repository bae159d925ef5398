//! The dominator tree, by Cooper, Harvey and Kennedy's iterative algorithm
//! ("A Simple, Fast Dominance Algorithm") over reverse post-order.
//!
//! Its first round over reverse post-order sees every edge but the retreating
//! ones. When each of those returns to a block dominating its source (always,
//! for the reducible graphs structured Wasm control flow lowers to), that round
//! is the answer: a check of those edges replaces the confirming second round
//! the algorithm would otherwise run.

use cranelift_entity::packed_option::PackedOption;
use cranelift_entity::{EntityRef, SecondaryMap};

use crate::analysis::cfg::ControlFlowGraph;
use crate::entities::{Block, Inst};
use crate::function::Function;

/// Immediate dominators of the reachable blocks.
#[derive(Default)]
pub struct DominatorTree {
    idom: SecondaryMap<Block, PackedOption<Block>>,
    /// `children[child_start[b]..child_start[b + 1]]` are the blocks `b`
    /// immediately dominates, in reverse post-order (flat, so recomputing
    /// allocates nothing per block).
    child_start: Vec<u32>,
    children: Vec<Block>,
    entry: PackedOption<Block>,
    /// Pre- and post-order numbers in the tree (from 1; 0 = unreachable), so
    /// dominance is two comparisons instead of a walk up the tree.
    pre: SecondaryMap<Block, u32>,
    post: SecondaryMap<Block, u32>,
    /// DFS stack for the numbering; scratch.
    stack: Vec<(Block, u32)>,
}

impl DominatorTree {
    /// Computes the tree for `func` with its `cfg`.
    pub fn compute(func: &Function, cfg: &ControlFlowGraph) -> Self {
        let mut dt = DominatorTree::default();
        dt.recompute(func, cfg);
        dt
    }

    /// Computes the tree for `func` with its `cfg` into `self`, reusing its allocations.
    pub fn recompute(&mut self, func: &Function, cfg: &ControlFlowGraph) {
        let n = func.dfg.num_blocks();
        let dt = self;
        dt.idom.clear();
        dt.idom.resize(n);
        dt.pre.clear();
        dt.pre.resize(n);
        dt.post.clear();
        dt.post.resize(n);
        dt.child_start.clear();
        dt.child_start.resize(n + 2, 0);
        dt.children.clear();
        dt.entry = None.into();
        let Some(entry) = func.entry_block() else { return };
        dt.entry = entry.into();
        dt.idom[entry] = entry.into();
        let rpo = cfg.rpo();
        let mut changed = true;
        let mut first = true;
        while changed {
            changed = false;
            if !std::mem::take(&mut first) && dt.back_edges_only(cfg) {
                // The first round saw every edge but the retreating ones, and
                // those all return to a block dominating their source (as in
                // every graph from structured control flow): such edges add no
                // path that avoids a dominator, so the tree is final.
                break;
            }
            for &b in rpo.iter().skip(1) {
                let mut new_idom: Option<Block> = None;
                for &(p, _) in cfg.preds(b) {
                    if dt.idom[p].is_none() {
                        continue; // unreachable or not yet processed
                    }
                    new_idom = Some(match new_idom {
                        None => p,
                        Some(cur) => dt.intersect(cfg, p, cur),
                    });
                }
                if let Some(n) = new_idom
                    && dt.idom[b].expand() != Some(n)
                {
                    dt.idom[b] = n.into();
                    changed = true;
                }
            }
        }
        // Children by a stable counting sort over the blocks in reverse post-order.
        for &b in rpo.iter().skip(1) {
            if let Some(i) = dt.idom[b].expand() {
                dt.child_start[i.index() + 2] += 1;
            }
        }
        for i in 2..n + 2 {
            dt.child_start[i] += dt.child_start[i - 1];
        }
        dt.children.resize(dt.child_start[n + 1] as usize, entry);
        for &b in rpo.iter().skip(1) {
            if let Some(i) = dt.idom[b].expand() {
                let at = &mut dt.child_start[i.index() + 1];
                dt.children[*at as usize] = b;
                *at += 1;
            }
        }
        dt.child_start.pop();
        dt.number(entry);
    }

    /// Numbers the tree in pre- and post-order with an explicit stack.
    fn number(&mut self, entry: Block) {
        let (mut pre, mut post) = (0u32, 0u32);
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((entry, 0));
        pre += 1;
        self.pre[entry] = pre;
        while let Some(&mut (b, ref mut i)) = stack.last_mut() {
            if let Some(&c) = self.children(b).get(*i as usize) {
                *i += 1;
                pre += 1;
                self.pre[c] = pre;
                stack.push((c, 0));
            } else {
                post += 1;
                self.post[b] = post;
                stack.pop();
            }
        }
        self.stack = stack;
    }

    /// True if every edge into a block from one at or after it in reverse
    /// post-order goes to a block that dominates its source, by the
    /// dominators computed so far.
    fn back_edges_only(&self, cfg: &ControlFlowGraph) -> bool {
        cfg.rpo().iter().all(|&b| {
            let n = cfg.rpo_number(b);
            cfg.preds(b).iter().all(|&(p, _)| {
                if !cfg.is_reachable(p) || cfg.rpo_number(p) < n {
                    return true;
                }
                let mut a = p;
                while cfg.rpo_number(a) > n {
                    match self.idom[a].expand() {
                        Some(i) if i != a => a = i,
                        _ => return false,
                    }
                }
                a == b
            })
        })
    }

    fn intersect(&self, cfg: &ControlFlowGraph, mut a: Block, mut b: Block) -> Block {
        while a != b {
            while cfg.rpo_number(a) > cfg.rpo_number(b) {
                a = self.idom[a].expand().unwrap_or(a);
            }
            while cfg.rpo_number(b) > cfg.rpo_number(a) {
                b = self.idom[b].expand().unwrap_or(b);
            }
        }
        a
    }

    /// The immediate dominator of `block` (`None` for the entry and unreachable blocks).
    pub fn idom(&self, block: Block) -> Option<Block> {
        let i = self.idom[block].expand()?;
        if Some(block) == self.entry.expand() { None } else { Some(i) }
    }

    /// Blocks immediately dominated by `block`.
    pub fn children(&self, block: Block) -> &[Block] {
        let i = block.index();
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.children[a as usize..b as usize],
            _ => &[],
        }
    }

    /// True if `a` dominates `b` (every block dominates itself).
    pub fn block_dominates(&self, a: Block, b: Block) -> bool {
        if a == b {
            return true;
        }
        let (pa, pb) = (self.pre[a], self.pre[b]);
        pa != 0 && pb != 0 && pa <= pb && self.post[b] <= self.post[a]
    }

    /// True if instruction `a` dominates instruction `b` (same block: comes first).
    pub fn inst_dominates(&self, func: &Function, a: Inst, b: Inst) -> bool {
        let (Some(ba), Some(bb)) = (func.layout.inst_block(a), func.layout.inst_block(b)) else {
            return false;
        };
        if ba != bb {
            return self.block_dominates(ba, bb);
        }
        func.layout.block_insts(ba).find(|&i| i == a || i == b) == Some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_function;

    fn idoms(text: &str, blocks: usize) -> Vec<Option<usize>> {
        let func = parse_function(text).expect("parses");
        let cfg = ControlFlowGraph::compute(&func);
        let dt = DominatorTree::compute(&func, &cfg);
        (0..blocks).map(|i| dt.idom(Block::new(i)).map(|b| b.index())).collect()
    }

    #[test]
    fn a_loop_with_an_exit_from_its_latch() {
        let text = "function %f(i64, i32) {
block0(v0: i64, v1: i32):
    jump block1
block1:
    brif v1, block2, block3
block2:
    brif v1, block1, block3
block3:
    return
}
";
        assert_eq!(idoms(text, 4), [None, Some(0), Some(1), Some(1)]);
    }

    #[test]
    fn a_cycle_entered_at_two_blocks_is_iterated_to_the_true_dominators() {
        // block2 and block3 form a cycle entered at both. Without the edge
        // block3 -> block2 (the one round over forward edges) block1 would
        // dominate block2; with it only block0 does.
        let text = "function %f(i64, i32) {
block0(v0: i64, v1: i32):
    brif v1, block1, block3
block1:
    jump block2
block2:
    brif v1, block3, block4
block3:
    jump block2
block4:
    return
}
";
        assert_eq!(idoms(text, 5), [None, Some(0), Some(0), Some(0), Some(2)]);
    }
}
