//! Natural loops: a back edge is an edge to a block that dominates its
//! source; the block is the loop's header, and the loop is every block that
//! reaches a back edge's source without passing the header. All back edges to
//! one header make one loop. Loops nest: an inner loop's header lies in the
//! outer loop's body.
//!
//! Headers are processed innermost first (reverse RPO: an inner header comes
//! after its outer one), so each walk jumps over already-found inner loops
//! by their header instead of revisiting their bodies. Cycles that are not
//! natural loops (irreducible control flow) have no header and are ignored.

use cranelift_entity::packed_option::PackedOption;
use cranelift_entity::{PrimaryMap, SecondaryMap, entity_impl};

use crate::analysis::cfg::ControlFlowGraph;
use crate::analysis::domtree::DominatorTree;
use crate::entities::Block;

/// A natural loop.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loop(u32);
entity_impl!(Loop, "loop");

struct LoopData {
    header: Block,
    parent: PackedOption<Loop>,
    depth: u32,
}

/// The loops of a function and the innermost loop of each block.
#[derive(Default)]
pub struct LoopAnalysis {
    loops: PrimaryMap<Loop, LoopData>,
    innermost: SecondaryMap<Block, PackedOption<Loop>>,
    header_of: SecondaryMap<Block, PackedOption<Loop>>,
}

impl LoopAnalysis {
    /// Finds the loops from a function's CFG and dominator tree.
    pub fn compute(cfg: &ControlFlowGraph, domtree: &DominatorTree) -> Self {
        let mut la = LoopAnalysis::default();
        // Sized once, so marking a block never grows the maps.
        la.innermost.resize(cfg.num_blocks());
        la.header_of.resize(cfg.num_blocks());
        let mut stack: Vec<Block> = Vec::new();
        for &header in cfg.rpo().iter().rev() {
            let mut lp: Option<Loop> = None;
            let header_rpo = cfg.rpo_number(header);
            for &(pred, _) in cfg.preds(header) {
                // A block dominating `pred` precedes it in reverse post-order
                // (which also rules out unreachable `pred`s): compare first.
                if cfg.rpo_number(pred) >= header_rpo && domtree.block_dominates(header, pred) {
                    if lp.is_none() {
                        lp = Some(la.loops.push(LoopData { header, parent: None.into(), depth: 0 }));
                    }
                    stack.push(pred);
                }
            }
            let Some(lp) = lp else { continue };
            la.header_of[header] = lp.into();
            la.innermost[header] = lp.into();
            while let Some(block) = stack.pop() {
                if block == header {
                    continue;
                }
                match la.innermost[block].expand() {
                    None => {
                        la.innermost[block] = lp.into();
                        stack.extend(
                            cfg.preds(block).iter().map(|&(p, _)| p).filter(|&p| cfg.is_reachable(p)),
                        );
                    }
                    Some(inner) => {
                        // Part of a loop found earlier: climb to its outermost
                        // loop so far, adopt it, and continue from its header.
                        let mut outer = inner;
                        while let Some(p) = la.loops[outer].parent.expand() {
                            outer = p;
                        }
                        if outer != lp {
                            la.loops[outer].parent = lp.into();
                            let h = la.loops[outer].header;
                            stack.extend(
                                cfg.preds(h).iter().map(|&(p, _)| p).filter(|&p| cfg.is_reachable(p)),
                            );
                        }
                    }
                }
            }
        }
        // Depths: parents were created after their children, so walk backwards.
        let order: Vec<Loop> = la.loops.keys().rev().collect();
        for l in order {
            la.loops[l].depth = match la.loops[l].parent.expand() {
                Some(p) => la.loops[p].depth + 1,
                None => 1,
            };
        }
        la
    }

    /// Every loop (inner loops before the loops containing them).
    pub fn loops(&self) -> impl Iterator<Item = Loop> + '_ {
        self.loops.keys()
    }

    /// The header of `lp`: the block every entry into the loop goes through.
    pub fn header(&self, lp: Loop) -> Block {
        self.loops[lp].header
    }

    /// The loop immediately containing `lp`.
    pub fn parent(&self, lp: Loop) -> Option<Loop> {
        self.loops[lp].parent.expand()
    }

    /// Nesting depth of `lp`: 1 for an outermost loop.
    pub fn loop_depth(&self, lp: Loop) -> u32 {
        self.loops[lp].depth
    }

    /// The innermost loop containing `block`, if any.
    pub fn innermost_loop(&self, block: Block) -> Option<Loop> {
        self.innermost[block].expand()
    }

    /// How many loops contain `block` (0 outside loops).
    pub fn depth(&self, block: Block) -> u32 {
        self.innermost_loop(block).map_or(0, |l| self.loop_depth(l))
    }

    /// True if `block` is the header of a loop.
    pub fn is_loop_header(&self, block: Block) -> bool {
        self.header_of[block].is_some()
    }

    /// The loop `block` is the header of.
    pub fn loop_of_header(&self, block: Block) -> Option<Loop> {
        self.header_of[block].expand()
    }

    /// True if `block` is in `lp` (or in a loop nested in it).
    pub fn contains(&self, lp: Loop, block: Block) -> bool {
        let mut cur = self.innermost_loop(block);
        while let Some(l) = cur {
            if l == lp {
                return true;
            }
            cur = self.parent(l);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_function;
    use cranelift_entity::EntityRef;

    fn analyze(text: &str) -> LoopAnalysis {
        let func = parse_function(text).expect("parses");
        crate::verifier::verify_function(&func).expect("verifies");
        let cfg = ControlFlowGraph::compute(&func);
        let domtree = DominatorTree::compute(&func, &cfg);
        LoopAnalysis::compute(&cfg, &domtree)
    }

    fn b(n: usize) -> Block {
        Block::new(n)
    }

    #[test]
    fn nested_loops_with_two_latches_and_an_exit() {
        // block1: outer header; block2: inner header with latch block3 and a
        // second back edge from block2 itself; block4: outer latch; block5: exit.
        let la = analyze(
            "function %f(i64, i32) {
block0(v0: i64, v1: i32):
    jump block1
block1:
    brif v1, block2, block5
block2:
    brif v1, block2, block3
block3:
    brif v1, block2, block4
block4:
    jump block1
block5:
    return
}
",
        );
        let loops: Vec<Loop> = la.loops().collect();
        assert_eq!(loops.len(), 2);
        let (inner, outer) = (loops[0], loops[1]);
        assert_eq!((la.header(inner), la.header(outer)), (b(2), b(1)));
        assert_eq!(la.parent(inner), Some(outer));
        assert_eq!(la.parent(outer), None);
        assert_eq!((la.loop_depth(inner), la.loop_depth(outer)), (2, 1));
        let depths: Vec<u32> = (0..6).map(|i| la.depth(b(i))).collect();
        assert_eq!(depths, [0, 1, 2, 2, 1, 0]);
        let headers: Vec<bool> = (0..6).map(|i| la.is_loop_header(b(i))).collect();
        assert_eq!(headers, [false, true, true, false, false, false]);
        assert!(la.contains(outer, b(3)) && !la.contains(inner, b(4)));
        assert_eq!(la.loop_of_header(b(2)), Some(inner));
    }

    #[test]
    fn three_deep_and_sibling_loops() {
        // block1 ⊃ block2 ⊃ block3 (self loop), then a sibling loop block5.
        let la = analyze(
            "function %f(i64, i32) {
block0(v0: i64, v1: i32):
    jump block1
block1:
    jump block2
block2:
    jump block3
block3:
    brif v1, block3, block4
block4:
    brif v1, block2, block6
block6:
    brif v1, block1, block5
block5:
    brif v1, block5, block7
block7:
    return
}
",
        );
        let depths: Vec<u32> = [0, 1, 2, 3, 4, 6, 5, 7].iter().map(|&i| la.depth(b(i))).collect();
        assert_eq!(depths, [0, 1, 2, 3, 2, 1, 1, 0]);
        let l5 = la.loop_of_header(b(5)).expect("loop at block5");
        let l1 = la.loop_of_header(b(1)).expect("loop at block1");
        assert_eq!(la.parent(l5), None);
        assert_eq!(la.parent(la.loop_of_header(b(2)).expect("loop")), Some(l1));
        assert_eq!(la.loops().count(), 4);
    }

    #[test]
    fn straight_line_and_irreducible_cycles_have_no_loops() {
        // block1 and block2 form a cycle entered at both: neither dominates the other.
        let la = analyze(
            "function %f(i64, i32) {
block0(v0: i64, v1: i32):
    brif v1, block1, block2
block1:
    brif v1, block2, block3
block2:
    brif v1, block1, block3
block3:
    return
}
",
        );
        assert_eq!(la.loops().count(), 0);
        assert_eq!(la.depth(b(1)), 0);
    }
}
