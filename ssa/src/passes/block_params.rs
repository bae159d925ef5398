//! Redundant block-parameter elimination.
//!
//! A parameter whose incoming arguments, over every branch to its block
//! (`br_table` entries included), are all one value `x` or the parameter
//! itself is a copy of `x`: it becomes an alias of `x` and is removed with the
//! matching argument of every branch. Removing one parameter can make others
//! redundant (a loop parameter fed by a removed one), so the pass keeps a
//! worklist of blocks whose arguments mention a removed parameter, to a
//! fixed point. Each parameter is removed at most once; the lists of blocks
//! to revisit are merged smaller-into-larger, so the pass is O(n log n) in
//! the number of branch arguments in the worst case and linear in practice.
//!
//! [`super::copy_prop`] shares the sweep in its simple form: no self
//! references and no cascade.

use cranelift_entity::{EntityRef, SecondaryMap};
use smallvec::SmallVec;

use crate::dfg::ValueDef;
use crate::entities::{Block, Value};
use crate::function::Function;
use crate::instructions::BlockCall;
use crate::passes::{PassCtx, for_each_dest, resolve_all_aliases};

/// Buffers reused between runs.
#[derive(Default)]
pub(crate) struct Scratch {
    /// For each parameter value, the blocks whose incoming arguments use it
    /// (directly or through parameters that became its aliases); gathered
    /// only once a parameter is about to be removed.
    users: SecondaryMap<Value, Vec<Block>>,
    /// Values with a non-empty `users` entry, to clear them cheaply.
    used_keys: Vec<Value>,
    worklist: Vec<Block>,
    queued: SecondaryMap<Block, bool>,
    /// The branch destinations into the block being simplified, gathered
    /// once for all its parameters (a `br_table` is scanned once, not once
    /// per parameter).
    dests: Vec<BlockCall>,
}

/// How thorough a sweep is.
#[derive(Clone, Copy)]
pub(crate) struct Mode {
    /// An argument equal to the parameter itself does not count (loops).
    pub ignore_self: bool,
    /// Revisit blocks after a parameter they receive was removed.
    pub cascade: bool,
}

/// Removes redundant block parameters, to a fixed point.
pub fn block_params(func: &mut Function, cx: &mut PassCtx) {
    simplify_params(func, cx, Mode { ignore_self: true, cascade: true });
}

/// The sweep behind [`block_params`] and [`super::copy_prop`].
pub(crate) fn simplify_params(func: &mut Function, cx: &mut PassCtx, mode: Mode) {
    let Some(entry) = func.entry_block() else { return };
    // The graph (and its predecessor lists) stays right: only arguments change.
    cx.ensure_cfg(func);
    let cfg = &cx.cfg;
    let preds = |block: Block| cfg.preds(block).iter().map(|&(_, term)| term);
    let s = &mut cx.params;
    for v in s.used_keys.drain(..) {
        s.users[v].clear();
    }
    s.worklist.clear();
    s.queued.clear();
    for block in func.layout.blocks() {
        let dfg = &func.dfg;
        if block != entry && !dfg.block_params(block).is_empty() && !cfg.preds(block).is_empty() {
            s.worklist.push(block);
            s.queued[block] = true;
        }
    }
    // Process in layout order (the worklist is a stack).
    s.worklist.reverse();
    // Most functions lose no parameter here: `users` is only gathered
    // before the first removal (from the same, still untouched arguments).
    let mut users_gathered = !mode.cascade;

    let mut removed: SmallVec<[usize; 8]> = SmallVec::new();
    while let Some(block) = s.worklist.pop() {
        s.queued[block] = false;
        removed.clear();
        let params: SmallVec<[Value; 8]> = func.dfg.block_params(block).iter().copied().collect();
        s.dests.clear();
        for term in preds(block) {
            for_each_dest(&func.dfg, term, |dest| {
                if dest.block == block {
                    s.dests.push(*dest);
                }
            });
        }
        for (i, &param) in params.iter().enumerate() {
            let Some(same) = single_incoming(func, &s.dests, block, i, param, mode) else {
                continue;
            };
            if !users_gathered {
                gather_users(func, s);
                users_gathered = true;
            }
            func.dfg.change_to_alias(param, same);
            removed.push(i);
            if mode.cascade {
                let mut moved = std::mem::take(&mut s.users[param]);
                for &b in &moved {
                    if !s.queued[b] && b != entry {
                        s.queued[b] = true;
                        s.worklist.push(b);
                    }
                }
                if matches!(func.dfg.value_def(same), ValueDef::Param(..)) && !moved.is_empty() {
                    let target = &mut s.users[same];
                    if target.is_empty() {
                        s.used_keys.push(same);
                    }
                    if target.len() < moved.len() {
                        std::mem::swap(target, &mut moved);
                    }
                    target.append(&mut moved);
                }
                // Give the buffer back so its capacity is reused.
                s.users[param] = moved;
                s.users[param].clear();
            }
        }
        if removed.is_empty() {
            continue;
        }
        cx.stats.params_removed += removed.len() as u64;
        for &i in removed.iter().rev() {
            func.dfg.remove_block_param(block, i);
        }
        for term in preds(block) {
            func.dfg.map_branch_destinations(term, |pool, dest| {
                if dest.block == block {
                    for &i in removed.iter().rev() {
                        dest.args.remove(i, pool);
                    }
                }
            });
        }
    }
    resolve_all_aliases(func);
}

/// Fills `s.users`: for each parameter, the blocks whose incoming
/// arguments (over every branch, in layout order) use it.
fn gather_users(func: &Function, s: &mut Scratch) {
    let dfg = &func.dfg;
    for block in func.layout.blocks() {
        let Some(term) = func.layout.last_inst(block) else { continue };
        for_each_dest(dfg, term, |dest| {
            for &a in dfg.block_call_args(dest) {
                let a = dfg.resolve_aliases(a);
                if matches!(dfg.value_def(a), ValueDef::Param(..)) {
                    if s.users[a].is_empty() {
                        s.used_keys.push(a);
                    }
                    s.users[a].push(dest.block);
                }
            }
        });
    }
}

/// The one value parameter `index` (`param`) of `block` receives from every
/// branch destination in `dests` (those into `block`), if there is one.
fn single_incoming(
    func: &Function,
    dests: &[BlockCall],
    block: Block,
    index: usize,
    param: Value,
    mode: Mode,
) -> Option<Value> {
    let dfg = &func.dfg;
    let mut same: Option<Value> = None;
    for dest in dests {
        let &a = dfg.block_call_args(dest).get(index)?;
        let a = dfg.resolve_aliases(a);
        if a == param {
            // A loop passing the parameter back adds no new value; without
            // `ignore_self` it disqualifies the parameter.
            if !mode.ignore_self {
                return None;
            }
            continue;
        }
        match same {
            None => same = Some(a),
            Some(s) if s == a => {}
            Some(_) => return None,
        }
    }
    let same = same?;
    // A value defined by a parameter of this very block can only reach it
    // around a cycle that does not pass the entry (unreachable code).
    if let ValueDef::Param(b, _) = dfg.value_def(same)
        && b == block
    {
        return None;
    }
    debug_assert!(same.index() < dfg.num_values());
    Some(same)
}

#[cfg(test)]
mod tests {
    use crate::passes::tests::check;

    use super::block_params;

    #[test]
    fn loop_invariant_parameter_is_removed() {
        // v3 receives v1 from the entry and itself from the latch.
        let cx = check(
            block_params,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1, v1)
block1(v2: i32, v3: i32):
    v4 = iadd.i32 v2, v3
    brif v4, block1(v4, v3), block2
block2:
    return v3
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1)
block1(v2: i32):
    v4 = iadd.i32 v2, v1
    brif v4, block1(v4), block2
block2:
    return v1
}
",
        );
        assert_eq!(cx.stats.params_removed, 1);
    }

    #[test]
    fn removals_cascade_through_nested_loops() {
        // The inner header's v4 is fed by v3 and itself; v3 is fed by v1 and v4.
        // Once v4 is known to be v3, v3 is fed only by v1 and itself.
        let cx = check(
            block_params,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1)
block1(v3: i32):
    jump block2(v3)
block2(v4: i32):
    brif v4, block2(v4), block3
block3:
    brif v4, block1(v4), block4
block4:
    return v4
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1
block1:
    jump block2
block2:
    brif v1, block2, block3
block3:
    brif v1, block1, block4
block4:
    return v1
}
",
        );
        assert_eq!(cx.stats.params_removed, 2);
    }

    #[test]
    fn br_table_entries_count_as_incoming_edges() {
        // block2's first parameter gets v1 on every edge, the second differs.
        check(
            block_params,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 7
    br_table v1, block2(v1, v2), [block2(v1, v1), block1]
block1:
    jump block2(v1, v2)
block2(v3: i32, v4: i32):
    v5 = iadd.i32 v3, v4
    return v5
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 7
    br_table v1, block2(v2), [block2(v1), block1]
block1:
    jump block2(v2)
block2(v4: i32):
    v5 = iadd.i32 v1, v4
    return v5
}
",
        );
    }

    #[test]
    fn real_merges_and_entry_parameters_stay() {
        let text = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    brif v1, block1(v1), block1(v2)
block1(v3: i32):
    return v3
}
";
        let cx = check(block_params, text, text);
        assert_eq!(cx.stats.params_removed, 0);
    }

    #[test]
    fn parameters_of_one_block_resolve_through_each_other() {
        // v3 receives v1 and v2; v2 is v1, so v3 is v1 too (same sweep).
        check(
            block_params,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1, v1)
block1(v2: i32, v3: i32):
    brif v3, block1(v2, v2), block2
block2:
    return v3
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1
block1:
    brif v1, block1, block2
block2:
    return v1
}
",
        );
    }

    #[test]
    fn parameters_swapped_around_a_loop_stay() {
        // Both are v1 in fact, but each sees the other as a second value: a
        // cycle of copies needs an SCC-based analysis, which this pass is not.
        let text = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1, v1)
block1(v2: i32, v3: i32):
    brif v2, block1(v3, v2), block2
block2:
    return v3
}
";
        check(block_params, text, text);
    }
}
