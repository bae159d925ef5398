//! The dominator tree, by Cooper, Harvey and Kennedy's iterative algorithm
//! ("A Simple, Fast Dominance Algorithm") over reverse post-order.
//!
//! Its first round over reverse post-order sees every edge but the retreating
//! ones. When each of those returns to a block dominating its source (always,
//! for the reducible graphs structured Wasm control flow lowers to), that round
//! is the answer: a check of those edges (collected during the round) replaces
//! the confirming second round the algorithm would otherwise run.
//!
//! The algorithm runs on positions in reverse post-order, where "nearer the
//! entry" is a comparison of numbers and walking up the tree reads one flat
//! array. Dominators precede the blocks they dominate in that order, so the
//! subtree sizes (one backward pass) give every block's pre- and post-order
//! number in the tree (one forward pass), without a depth-first walk.

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
    /// Per position in reverse post-order; scratch.
    nodes: Vec<Node>,
    /// Retreating edges (target, source) by position in reverse post-order; scratch.
    retreating: Vec<(u32, u32)>,
}

/// One block's state while computing the tree, by position in reverse post-order.
#[derive(Clone, Copy)]
struct Node {
    /// Position of the dominator found so far (`UNSET` before the first).
    dom: u32,
    /// Blocks in the subtree rooted here.
    size: u32,
    /// Depth in the tree (the entry is 0).
    depth: u32,
    /// Pre-order number of the next child to number.
    next: u32,
}

/// No dominator found yet (in `Node::dom`).
const UNSET: u32 = u32::MAX;

/// True if every retreating edge goes to a block that dominates its source,
/// by the dominators computed so far.
fn back_edges_only(retreating: &[(u32, u32)], nodes: &[Node]) -> bool {
    retreating.iter().all(|&(to, from)| {
        let mut a = from;
        // Dominators come before the blocks they dominate (the entry is its
        // own), so the walk up ends.
        while a > to {
            match nodes.get(a as usize) {
                Some(n) if n.dom < a => a = n.dom,
                _ => return false,
            }
        }
        a == to
    })
}

/// The nearest common dominator of positions `a` and `b` in reverse post-order.
fn intersect(nodes: &[Node], mut a: u32, mut b: u32) -> u32 {
    while a != b {
        while a > b {
            a = nodes[a as usize].dom;
        }
        while b > a {
            b = nodes[b as usize].dom;
        }
    }
    a
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
        let nodes = &mut dt.nodes;
        nodes.clear();
        nodes.resize(rpo.len(), Node { dom: UNSET, size: 1, depth: 0, next: 0 });
        if let Some(first) = nodes.first_mut() {
            first.dom = 0;
        }
        // First round: exactly the blocks before `i` are processed, so an
        // edge from one of them is used and any other (retreating) is kept
        // for the check.
        dt.retreating.clear();
        for (i, &b) in rpo.iter().enumerate().skip(1) {
            let i = i as u32;
            let mut new_idom = UNSET;
            for &(p, _) in cfg.preds(b) {
                let Some(p) = cfg.rpo_number(p).checked_sub(1) else { continue };
                if p >= i {
                    dt.retreating.push((i, p));
                } else {
                    new_idom = if new_idom == UNSET { p } else { intersect(nodes, p, new_idom) };
                }
            }
            nodes[i as usize].dom = new_idom;
        }
        // The first round saw every edge but the retreating ones; if those all
        // return to a block dominating their source (as in every graph from
        // structured control flow), such edges add no path that avoids a
        // dominator, so the tree is final. Otherwise iterate to the fixpoint.
        if !back_edges_only(&dt.retreating, nodes) {
            let mut changed = true;
            while changed {
                changed = false;
                for (i, &b) in rpo.iter().enumerate().skip(1) {
                    let mut new_idom = UNSET;
                    for &(p, _) in cfg.preds(b) {
                        let Some(p) = cfg.rpo_number(p).checked_sub(1) else { continue };
                        if nodes[p as usize].dom == UNSET {
                            continue; // not yet processed
                        }
                        new_idom = if new_idom == UNSET { p } else { intersect(nodes, p, new_idom) };
                    }
                    if new_idom != UNSET && nodes[i].dom != new_idom {
                        nodes[i].dom = new_idom;
                        changed = true;
                    }
                }
            }
        }
        // Backward: subtree sizes, and how many children each block has
        // (counting sort of the children, stable over reverse post-order).
        for i in (1..nodes.len()).rev() {
            let Node { dom, size, .. } = nodes[i];
            nodes[dom as usize].size += size;
            dt.child_start[rpo[dom as usize].index() + 2] += 1;
        }
        for i in 2..n + 2 {
            dt.child_start[i] += dt.child_start[i - 1];
        }
        dt.children.resize(dt.child_start[n + 1] as usize, entry);
        // Forward: dominators before the blocks they dominate, siblings in
        // reverse post-order, as a depth-first walk of the tree visits them.
        // A block's pre-order number is its parent's next free one; its
        // post-order number counts the subtrees finished before it (its
        // pre-order number minus its ancestors and itself) plus its own.
        nodes[0].next = 2;
        dt.pre[entry] = 1;
        dt.post[entry] = nodes[0].size;
        for (i, &b) in rpo.iter().enumerate().skip(1) {
            let Node { dom, size, .. } = nodes[i];
            let parent = &mut nodes[dom as usize];
            let (pre, depth) = (parent.next, parent.depth + 1);
            parent.next += size;
            nodes[i].next = pre + 1;
            nodes[i].depth = depth;
            let p = rpo[dom as usize];
            dt.idom[b] = p.into();
            dt.pre[b] = pre;
            dt.post[b] = pre + size - depth - 1;
            let at = &mut dt.child_start[p.index() + 1];
            dt.children[*at as usize] = b;
            *at += 1;
        }
        dt.child_start.pop();
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
