//! The IR-in/IR-out harness for pass tests, and tests of the pipelines.

use super::*;
use crate::parser::parse_function;

/// Parses `input`, verifies it, runs `pass`, verifies the result and compares
/// its text with `expected`; then checks that a second run changes nothing.
/// Returns the context so tests can check the counters of the first run.
pub(crate) fn check(pass: fn(&mut Function, &mut PassCtx), input: &str, expected: &str) -> PassCtx {
    let mut func = parse_function(input).unwrap_or_else(|e| panic!("{e}\n{input}"));
    verify_function(&func).unwrap_or_else(|e| panic!("input does not verify: {e}\n{input}"));
    let mut cx = PassCtx::default();
    pass(&mut func, &mut cx);
    verify_function(&func).unwrap_or_else(|e| panic!("output does not verify: {e}\n{func}"));
    assert_eq!(func.to_string(), expected, "\n--- got ---\n{func}\n--- expected ---\n{expected}");
    let stats = cx.stats;
    pass(&mut func, &mut cx);
    verify_function(&func).unwrap_or_else(|e| panic!("second run does not verify: {e}\n{func}"));
    assert_eq!(func.to_string(), expected, "a second run changed the function");
    cx.stats = stats;
    cx
}

fn run(pipeline: &[Pass], input: &str) -> (String, PassStats) {
    let mut func = parse_function(input).unwrap_or_else(|e| panic!("{e}\n{input}"));
    let mut cx = PassCtx { verify: true, ..PassCtx::default() };
    run_pipeline(&mut func, &mut cx, pipeline).unwrap_or_else(|e| panic!("{e}\n{func}"));
    (func.to_string(), cx.stats)
}

/// A loop whose trip count and step are constants behind a constant branch,
/// with redundant work: something for every pass.
const LOOP: &str = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    v3 = iconst.i32 0
    v4 = icmp.i32 eq v2, v3
    brif v4, block5, block1(v3, v1)
block1(v5: i32, v6: i32):
    v7 = iconst.i32 10
    v8 = icmp.i32 slt v5, v7
    brif v8, block2, block4(v5)
block2:
    v9 = iconst.i32 1
    v10 = iadd.i32 v5, v9
    v11 = imul.i32 v10, v2
    v12 = iadd.i32 v5, v9
    v13 = load.i32 v0
    jump block1(v11, v6)
block4(v14: i32):
    v15 = iadd.i32 v14, v1
    return v15
block5:
    v16 = iconst.i32 99
    jump block4(v16)
}
";

#[test]
fn interpreter_pipeline() {
    let (text, stats) = run(INTERPRETER_PIPELINE, LOOP);
    // Only `block_params`: the loop-invariant `v6` goes. The constant branch
    // and arithmetic stay, because this IR is written by hand; lowered IR
    // comes from the builder, which folds them as it builds. Unused
    // instructions stay too (v12, v13): the interpreter's selection skips them.
    assert_eq!(
        text,
        "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    v3 = iconst.i32 0
    v4 = icmp.i32 eq v2, v3
    brif v4, block5, block1(v3)
block1(v5: i32):
    v7 = iconst.i32 10
    v8 = icmp.i32 slt v5, v7
    brif v8, block2, block4(v5)
block2:
    v9 = iconst.i32 1
    v10 = iadd.i32 v5, v9
    v11 = imul.i32 v10, v2
    v12 = iadd.i32 v5, v9
    v13 = load.i32 v0
    jump block1(v11)
block4(v14: i32):
    v15 = iadd.i32 v14, v1
    return v15
block5:
    v16 = iconst.i32 99
    jump block4(v16)
}
"
    );
    assert_eq!(stats.to_string(), "params_removed=1");
}

#[test]
fn optimizing_pipeline() {
    let (text, stats) = run(OPTIMIZING_PIPELINE, LOOP);
    assert_eq!(
        text,
        "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    v3 = iconst.i32 0
    jump block1(v3)
block1(v5: i32):
    v7 = iconst.i32 10
    v8 = icmp.i32 slt v5, v7
    brif v8, block2, block4
block2:
    v10 = iadd.i32 v5, v2
    jump block1(v10)
block4:
    v15 = iadd.i32 v5, v1
    return v15
}
"
    );
    // iconst 1 (v9), the second iadd (v12), and the folded icmp (v4, now iconst 0 like v3).
    assert_eq!(stats.gvn_merged, 3);
}

#[test]
fn pass_names_round_trip() {
    for pass in Pass::ALL {
        assert_eq!(Pass::from_name(pass.name()), Some(pass));
        assert_eq!(pass.to_string(), pass.name());
    }
    assert_eq!(Pass::from_name("const-fold"), Some(Pass::ConstFold));
    assert_eq!(Pass::parse_list("dce, gvn,"), Ok(vec![Pass::Dce, Pass::Gvn]));
    let e = Pass::parse_list("dce,licm").expect_err("unknown");
    assert!(e.starts_with("unknown pass `licm` (known: unreachable_blocks, "), "{e}");
}

#[test]
fn pipeline_reports_broken_input() {
    // The entry block's parameters do not match the signature.
    let mut func = parse_function("function %f(i32) {\nblock0:\n    return\n}\n").expect("parses");
    let mut cx = PassCtx { verify: true, ..PassCtx::default() };
    let e = run_pipeline(&mut func, &mut cx, INTERPRETER_PIPELINE).expect_err("broken");
    assert_eq!(e.to_string(), "block0: before passes: entry block parameters do not match the signature");
    cx.verify = false;
    run_pipeline(&mut func, &mut cx, &[Pass::Dce]).expect("not checked");
}

#[test]
fn one_context_serves_many_functions() {
    // Scratch buffers sized for a big function must not confuse a small one.
    let mut cx = PassCtx::new();
    for input in [LOOP, "function %g(i64) {\nblock0(v0: i64):\n    return\n}\n", LOOP] {
        let mut func = parse_function(input).expect("parses");
        run_pipeline(&mut func, &mut cx, OPTIMIZING_PIPELINE).expect("valid");
    }
    assert_eq!(cx.stats.blocks_removed, 2);
}

#[test]
fn passes_scale_linearly_on_a_long_chain() {
    // 20 000 diamonds, each passing a parameter the merge does not need, and
    // a chain of constant arithmetic: a quadratic pass would take minutes.
    let n = 20_000;
    let mut text = String::from("function %big(i64, i32) -> i32 {\nblock0(v0: i64, v1: i32):\n");
    text.push_str("    v2 = iconst.i32 1\n    jump block1(v2)\n");
    let mut v = 3;
    for i in 0..n {
        let (b, t, e, j) = (1 + 3 * i, 2 + 3 * i, 3 + 3 * i, 4 + 3 * i);
        let p = v;
        text.push_str(&format!("block{b}(v{p}: i32):\n"));
        text.push_str(&format!("    v{} = iadd.i32 v{p}, v2\n", p + 1));
        text.push_str(&format!("    brif v1, block{t}, block{e}\n"));
        text.push_str(&format!("block{t}:\n    jump block{j}(v{})\n", p + 1));
        text.push_str(&format!("block{e}:\n    jump block{j}(v{})\n", p + 1));
        v = p + 2;
    }
    let last = 1 + 3 * n;
    text.push_str(&format!("block{last}(v{v}: i32):\n    return v{v}\n}}\n"));
    let mut func = parse_function(&text).expect("parses");
    let mut cx = PassCtx { verify: false, ..PassCtx::default() };
    let start = std::time::Instant::now();
    run_pipeline(&mut func, &mut cx, OPTIMIZING_PIPELINE).expect("runs");
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    verify_function(&func).expect("valid");
    // Every merge parameter received one value from both sides (and block1's from the entry).
    assert_eq!(cx.stats.params_removed, n as u64 + 1);
    // The chain folds to 1 + n.
    assert!(func.to_string().contains(&format!("iconst.i32 {}", n + 1)), "chain not folded");
}
