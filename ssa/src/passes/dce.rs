//! Dead-code elimination: removes instructions whose results are unused and
//! that have no side effects ([`crate::Opcode::has_side_effects`]). Loads have
//! none, so unused loads go too. One count of uses, then a worklist: removing
//! an instruction lowers the counts of its operands, which may free their
//! definitions in turn. Linear in the size of the function.
//!
//! Block parameters are not touched, even when only their own block passes
//! them around.

use cranelift_entity::SecondaryMap;

use crate::dfg::ValueDef;
use crate::entities::{Inst, Value};
use crate::function::Function;
use crate::passes::PassCtx;

/// Buffers reused between runs.
#[derive(Default)]
pub(crate) struct Scratch {
    uses: SecondaryMap<Value, u32>,
    worklist: Vec<Inst>,
}

/// Removes unused instructions without side effects.
pub fn dce(func: &mut Function, cx: &mut PassCtx) {
    let s = &mut cx.dce;
    // Sized up front: growing on first touch resizes once per new value.
    s.uses.clear();
    s.uses.resize(func.dfg.num_values());
    s.worklist.clear();
    let (dfg, layout) = (&func.dfg, &func.layout);
    // One walk counts the uses and lists the instructions without side
    // effects (in layout order); those whose results end up unused start
    // the worklist.
    for block in layout.blocks() {
        for inst in layout.block_insts(block) {
            dfg.for_each_inst_value(inst, |v| s.uses[dfg.resolve_aliases(v)] += 1);
            if !dfg.inst(inst).opcode().has_side_effects() {
                s.worklist.push(inst);
            }
        }
    }
    let uses = &s.uses;
    s.worklist.retain(|&inst| dfg.inst_results(inst).iter().all(|&r| uses[r] == 0));
    let mut removed = 0u64;
    while let Some(inst) = s.worklist.pop() {
        // Listed twice (pushed again after it was found dead), or kept alive.
        if func.layout.inst_block(inst).is_none() || !is_dead(func, &s.uses, inst) {
            continue;
        }
        func.layout.remove_inst(inst);
        removed += 1;
        for v in func.dfg.inst_values(inst) {
            let v = func.dfg.resolve_aliases(v);
            s.uses[v] -= 1;
            if s.uses[v] == 0
                && let ValueDef::Result(def, _) = func.dfg.value_def(v)
            {
                s.worklist.push(def);
            }
        }
    }
    cx.stats.dead_insts_removed += removed;
}

fn is_dead(func: &Function, uses: &SecondaryMap<Value, u32>, inst: Inst) -> bool {
    let dfg = &func.dfg;
    !dfg.inst(inst).opcode().has_side_effects() && dfg.inst_results(inst).iter().all(|&r| uses[r] == 0)
}

#[cfg(test)]
mod tests {
    use super::dce;
    use crate::passes::tests::check;

    #[test]
    fn chains_of_unused_pure_instructions_go() {
        let cx = check(
            dce,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 3
    v3 = iadd.i32 v1, v2
    v4 = imul.i32 v3, v3
    v5 = load.i32 v0+8
    v6 = uload8.i64 v0
    v7 = icmp.i32 eq v1, v2
    return v7
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 3
    v7 = icmp.i32 eq v1, v2
    return v7
}
",
        );
        assert_eq!(cx.stats.dead_insts_removed, 4);
    }

    #[test]
    fn side_effects_stay_even_when_unused() {
        let text = "function %f(i64, i32) {
    sig0 = (i64, i32) -> i32
    fn0 = %g sig0
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = sdiv.i32 v1, v2
    v5 = f32const 0x00000000 ; 0
    v4 = fcvt_to_sint.i32 v5
    v6 = call fn0(v0, v1)
    store.i32 v1, v0
    trapnz v1, int_ovf
    jump block1(v1)
block1(v7: i32):
    return
}
";
        check(dce, text, text);
    }
    #[test]
    fn values_used_only_in_other_blocks_and_branches_stay() {
        check(
            dce,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 3
    v3 = iconst.i32 4
    v4 = iadd.i32 v1, v2
    brif v1, block1(v4), block2
block1(v5: i32):
    v6 = isub.i32 v5, v5
    return v5
block2:
    return v3
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 3
    v3 = iconst.i32 4
    v4 = iadd.i32 v1, v2
    brif v1, block1(v4), block2
block1(v5: i32):
    return v5
block2:
    return v3
}
",
        );
    }
}
