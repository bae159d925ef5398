//! Removes the blocks that the entry cannot reach (by the CFG's reverse
//! post-order), with their instructions. Branches from removed blocks into
//! live ones disappear with them; live code cannot use their values, since a
//! definition in an unreachable block dominates nothing reachable.

use crate::function::Function;
use crate::passes::PassCtx;

/// Removes blocks unreachable from the entry.
pub fn unreachable_blocks(func: &mut Function, cx: &mut PassCtx) {
    cx.ensure_cfg(func);
    if cx.cfg.rpo().len() == func.layout.blocks().count() {
        return;
    }
    let mut next = func.layout.entry_block();
    while let Some(block) = next {
        next = func.layout.next_block(block);
        if cx.cfg.is_reachable(block) {
            continue;
        }
        while let Some(inst) = func.layout.first_inst(block) {
            func.layout.remove_inst(inst);
            cx.stats.unreachable_insts_removed += 1;
        }
        func.layout.remove_block(block);
        cx.stats.blocks_removed += 1;
    }
    // The removed blocks' edges are gone from the predecessor lists.
    cx.cfg.recompute(func);
    cx.set_cfg_fresh(true);
}

#[cfg(test)]
mod tests {
    use super::unreachable_blocks;
    use crate::passes::tests::check;

    #[test]
    fn dead_blocks_and_dead_cycles_go() {
        let cx = check(
            unreachable_blocks,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block2
block1:
    v2 = iconst.i32 1
    jump block3(v2)
block2:
    return v1
block3(v3: i32):
    v4 = iadd.i32 v3, v3
    brif v4, block3(v4), block1
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block2
block2:
    return v1
}
",
        );
        assert_eq!((cx.stats.blocks_removed, cx.stats.unreachable_insts_removed), (2, 4));
    }

    #[test]
    fn a_dead_block_branching_into_live_code_goes_with_its_arguments() {
        check(
            unreachable_blocks,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block2(v1)
block1:
    v2 = iconst.i32 5
    jump block2(v2)
block2(v3: i32):
    return v3
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block2(v1)
block2(v3: i32):
    return v3
}
",
        );
    }

    #[test]
    fn fully_reachable_functions_are_untouched() {
        let text = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    brif v1, block1, block2
block1:
    return v1
block2:
    trap unreachable
}
";
        let cx = check(unreachable_blocks, text, text);
        assert_eq!(cx.stats.blocks_removed, 0);
    }
}
