//! Copy propagation.
//!
//! The IR has no copy instruction: copies are *aliases* (a value that stands
//! for another, [`crate::dfg::ValueDef::Alias`]), which other passes create
//! when they prove two values equal, and block parameters that only ever
//! receive one value. This pass
//!
//! 1. rewrites every operand that is an alias to the value it stands for, so
//!    the function is alias-free whatever the pass before it left behind; and
//! 2. in one sweep, turns each block parameter that receives *the same
//!    argument on every incoming edge* into an alias of that argument, and
//!    drops it with its arguments.
//!
//! Difference from [`super::block_params`]: that pass also treats an argument
//! equal to the parameter itself (a loop passing it back) as no new value and
//! iterates to a fixed point, so it removes loop-invariant parameters and
//! cascades through nested loops. `copy_prop` does neither; it is the cheap
//! cleanup after passes that drop edges (a folded `brif` leaves its other
//! target with one predecessor, whose parameters are then plain copies).

use crate::function::Function;
use crate::passes::block_params::{Mode, simplify_params};
use crate::passes::{PassCtx, resolve_all_aliases};

/// Resolves aliases and removes parameters that receive one value everywhere.
pub fn copy_prop(func: &mut Function, cx: &mut PassCtx) {
    resolve_all_aliases(func);
    simplify_params(func, cx, Mode { ignore_self: false, cascade: false });
}

#[cfg(test)]
mod tests {
    use super::copy_prop;
    use crate::passes::tests::check;

    #[test]
    fn single_predecessor_parameters_become_their_arguments() {
        let cx = check(
            copy_prop,
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 2
    jump block1(v1, v2)
block1(v3: i32, v4: i32):
    v5 = iadd.i32 v3, v4
    return v5
}
",
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 2
    jump block1
block1:
    v5 = iadd.i32 v1, v2
    return v5
}
",
        );
        assert_eq!(cx.stats.params_removed, 2);
    }

    #[test]
    fn loop_invariant_parameters_are_left_to_block_params() {
        // v3 receives v1 or itself: block_params removes it, copy_prop does not.
        let text = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1)
block1(v3: i32):
    brif v3, block1(v3), block2
block2:
    return v3
}
";
        check(copy_prop, text, text);
    }

    #[test]
    fn leftover_aliases_are_resolved() {
        use crate::parser::parse_function;
        use crate::passes::PassCtx;
        use crate::verifier::verify_function;

        let mut func = parse_function(
            "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = iadd.i32 v1, v2
    v4 = imul.i32 v3, v3
    return v4
}
",
        )
        .expect("parses");
        // What a pass might leave: v3 proven equal to v1, its definition gone.
        let insts: Vec<_> = func.insts().collect();
        let v3 = func.dfg.first_result(insts[1]);
        let v1 = func.dfg.block_params(func.entry_block().expect("entry"))[1];
        func.dfg.change_to_alias(v3, v1);
        func.layout.remove_inst(insts[1]);
        assert!(verify_function(&func).is_err());
        copy_prop(&mut func, &mut PassCtx::default());
        verify_function(&func).expect("alias-free");
        assert!(func.to_string().contains("v4 = imul.i32 v1, v1\n"), "{func}");
    }
}
