//! Global value numbering over the dominator tree.
//!
//! Visits the blocks in dominator-tree pre-order with a scoped hash map from
//! (operation with resolved operands, result type) to the value that computes
//! it. An instruction equal to one in the map is dominated by it, so its
//! result becomes an alias of that value and the instruction goes. Leaving a
//! block's subtree drops what the block added.
//!
//! Only pure instructions take part: no side effects (no calls, stores,
//! traps, or divisions that may trap) and no loads, since memory may change
//! between two equal loads. Integer `iadd`/`imul`/`band`/`bor`/`bxor` and
//! `icmp eq`/`ne` are matched with their operands in either order; `vconst`
//! and `shuffle` by the bits of their constants.

use std::collections::HashMap;

use cranelift_entity::EntityRef;

use crate::analysis::cfg::ControlFlowGraph;
use crate::analysis::domtree::DominatorTree;
use crate::codes::IntCC;
use crate::dfg::DataFlowGraph;
use crate::entities::{Block, Constant, Inst, Value};
use crate::function::Function;
use crate::instructions::{InstData, Opcode};
use crate::passes::{FastBuild, PassCtx, resolve_all_aliases};
use crate::types::Type;

/// What makes two instructions equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    data: InstData,
    ty: Type,
    /// The 128-bit constant of `vconst`/`shuffle` (whose handle is zeroed in `data`).
    constant: u128,
}

/// Buffers reused between runs.
#[derive(Default)]
pub(crate) struct Scratch {
    map: HashMap<Key, Value, FastBuild>,
    /// Keys added, in order; a scope is a length of this log.
    log: Vec<Key>,
    /// Dominator-tree walk: block, next child, log length on entry.
    stack: Vec<(Block, usize, usize)>,
}

/// Merges pure instructions with an equal dominating one.
pub fn gvn(func: &mut Function, cx: &mut PassCtx) {
    let Some(entry) = func.entry_block() else { return };
    let cfg = ControlFlowGraph::compute(func);
    let domtree = DominatorTree::compute(func, &cfg);
    let s = &mut cx.gvn;
    s.map.clear();
    s.log.clear();
    s.stack.clear();
    let mut merged = 0;
    merged += number_block(func, s, entry);
    s.stack.push((entry, 0, 0));
    while let Some(top) = s.stack.last_mut() {
        let (block, next, mark) = *top;
        if let Some(&child) = domtree.children(block).get(next) {
            top.1 += 1;
            let mark = s.log.len();
            merged += number_block(func, s, child);
            s.stack.push((child, 0, mark));
        } else {
            s.stack.pop();
            for key in s.log.drain(mark..) {
                s.map.remove(&key);
            }
        }
    }
    cx.stats.gvn_merged += merged;
    if merged != 0 {
        resolve_all_aliases(func);
    }
}

/// Numbers the instructions of `block`; returns how many were merged.
fn number_block(func: &mut Function, s: &mut Scratch, block: Block) -> u64 {
    let mut merged = 0;
    let mut next = func.layout.first_inst(block);
    while let Some(inst) = next {
        next = func.layout.next_inst(inst);
        func.dfg.resolve_all_aliases(std::iter::once(inst));
        let Some(key) = key(&func.dfg, inst) else { continue };
        let result = func.dfg.first_result(inst);
        match s.map.get(&key) {
            Some(&earlier) => {
                func.dfg.change_to_alias(result, earlier);
                func.layout.remove_inst(inst);
                merged += 1;
            }
            None => {
                s.map.insert(key, result);
                s.log.push(key);
            }
        }
    }
    merged
}

/// The key of a pure single-result instruction; `None` for the others.
fn key(dfg: &DataFlowGraph, inst: Inst) -> Option<Key> {
    let mut data = *dfg.inst(inst);
    let op = data.opcode();
    if op.has_side_effects() || op.reads_memory() {
        return None;
    }
    let &[result] = dfg.inst_results(inst) else { return None };
    let ty = dfg.value_type(result);
    let mut constant = 0;
    let sort = |args: &mut [Value; 2]| {
        if args[1] < args[0] {
            args.swap(0, 1);
        }
    };
    match &mut data {
        InstData::Vconst { constant: c } | InstData::Shuffle { mask: c, .. } => {
            constant = dfg.constants[*c];
            *c = Constant::new(0);
        }
        InstData::Binary {
            opcode: Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor,
            args,
        } => sort(args),
        InstData::IntCompare { cond: IntCC::Eq | IntCC::Ne, args } => sort(args),
        InstData::Vector { op, args } => {
            // Unused operands are conventionally the first; make sure.
            for i in op.arity()..3 {
                args[i] = args[0];
            }
        }
        _ => {}
    }
    Some(Key { data, ty, constant })
}

#[cfg(test)]
mod tests {
    use super::gvn;
    use crate::passes::tests::check;

    #[test]
    fn duplicates_in_dominated_blocks_merge() {
        let cx = check(
            gvn,
            "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    v4 = iconst.i32 7
    brif v1, block1, block2
block1:
    v5 = iadd.i32 v2, v1
    v6 = iconst.i32 7
    v7 = imul.i32 v5, v6
    v8 = imul.i32 v3, v4
    return v8
block2:
    v9 = iadd.i32 v1, v2
    v10 = isub.i32 v9, v3
    v11 = isub.i32 v3, v9
    return v11
}
",
            "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    v4 = iconst.i32 7
    brif v1, block1, block2
block1:
    v7 = imul.i32 v3, v4
    return v7
block2:
    v10 = isub.i32 v3, v3
    return v10
}
",
        );
        assert_eq!(cx.stats.gvn_merged, 5);
    }

    #[test]
    fn siblings_do_not_share_and_types_differ() {
        // block1 and block2 do not dominate each other; iconst 1 of i32 and
        // i64 are different values; a non-commutative isub keeps its order.
        let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 1
    v4 = iconst.i64 1
    brif v1, block1, block2
block1:
    v5 = isub.i32 v1, v2
    jump block3(v5)
block2:
    v6 = isub.i32 v1, v2
    v7 = isub.i32 v2, v1
    jump block3(v7)
block3(v8: i32):
    return v8
}
";
        check(gvn, text, text);
    }

    #[test]
    fn loads_calls_and_trapping_ops_are_not_merged() {
        let text = "function %f(i64, i32) -> i32 {
    sig0 = (i64) -> i32
    fn0 = %g sig0
block0(v0: i64, v1: i32):
    v2 = load.i32 v0
    store.i32 v1, v0
    v3 = load.i32 v0
    v4 = call fn0(v0)
    v5 = call fn0(v0)
    v6 = udiv.i32 v1, v2
    v7 = udiv.i32 v1, v2
    v8 = iadd.i32 v2, v3
    v9 = iadd.i32 v4, v5
    v10 = iadd.i32 v6, v7
    v11 = iadd.i32 v8, v9
    v12 = iadd.i32 v11, v10
    return v12
}
";
        check(gvn, text, text);
    }

    #[test]
    fn vector_constants_match_by_value_and_chains_merge() {
        check(
            gvn,
            "function %f(i64) -> v128 {
block0(v0: i64):
    v1 = vconst 0x0000000000000000000000000000002a
    v2 = vconst 0x0000000000000000000000000000002a
    v3 = i32x4.add v1, v1
    v4 = i32x4.add v2, v2
    v5 = shuffle v3, v4, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]
    v6 = shuffle v4, v3, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]
    v7 = v128.xor v5, v6
    return v7
}
",
            "function %f(i64) -> v128 {
block0(v0: i64):
    v1 = vconst 0x0000000000000000000000000000002a
    v3 = i32x4.add v1, v1
    v5 = shuffle v3, v3, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]
    v7 = v128.xor v5, v5
    return v7
}
",
        );
    }
}
