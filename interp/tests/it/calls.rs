//! Direct and indirect calls, host functions, builtins, recursion limits.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use zerowasm_interp::env::status_from_trap_code;
use zerowasm_interp::{InterpConfig, InterpModule, Trap, TrapReason};
use zerowasm_ssa::TrapCode;

use crate::common::*;

const FIB_REC: &str = "function %fib(i64, i32) -> i32 {
    sig0 = (i64, i32) -> i32
    fn0 = %fib sig0
block0(v0: i64, v1: i32):
    v2 = iconst.i32 2
    v3 = icmp.i32 slt v1, v2
    brif v3, block1, block2
block1:
    return v1
block2:
    v4 = iconst.i32 -1
    v5 = iadd.i32 v1, v4
    v6 = call fn0(v0, v5)
    v7 = iconst.i32 -2
    v8 = iadd.i32 v1, v7
    v9 = call fn0(v0, v8)
    v10 = iadd.i32 v6, v9
    return v10
}";

#[test]
fn recursive_fib() {
    let m = module(&[FIB_REC]);
    assert_eq!(call1(&m, 0, &[1]), 1);
    assert_eq!(call1(&m, 0, &[10]), 55);
    assert_eq!(call1(&m, 0, &[20]), 6765);
}

const FOREVER: &str = "function %forever(i64, i32) -> i32 {
    sig0 = (i64, i32) -> i32
    fn0 = %forever sig0
block0(v0: i64, v1: i32):
@0040    v2 = call fn0(v0, v1)
    return v2
}";

#[test]
fn deep_recursion_is_a_stack_overflow_trap() {
    let m = module_with(&[FOREVER], InterpConfig { max_call_depth: 500, ..InterpConfig::default() });
    let t = call(&m, 0, &[1], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(t.frames.len(), 500);
    assert!(t.frames.iter().all(|f| f.funcidx == 0 && f.offset == 0x40), "{:?}", &t.frames[..3]);
    // The default limit is deep, and Rust recursion is never used: this must not crash.
    let m = module(&[FOREVER]);
    let t = call(&m, 0, &[1], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(t.frames.len(), InterpConfig::default().max_call_depth as usize);
}

const MAIN: &str = "function %main(i64, i64, f64) -> f64, i64, i32 {
    sig0 = (i64, i64, f64) -> i64, f64
    fn0 = %pair sig0
block0(v0: i64, v1: i64, v2: f64):
    v3, v4 = call fn0(v0, v1, v2)
    v5 = iconst.i32 7
    return v4, v3, v5
}";

const PAIR: &str = "function %pair(i64, i64, f64) -> i64, f64 {
block0(v0: i64, v1: i64, v2: f64):
    v3 = iconst.i64 1
    v4 = iadd.i64 v1, v3
    v5 = fadd.f64 v2, v2
    return v4, v5
}";

/// `text` with every callee pointed at function `index` (the parser numbers
/// callees in declaration order).
fn calling(text: &str, index: u32) -> zerowasm_ssa::Function {
    let mut f = parse(text);
    for (_, e) in f.dfg.ext_funcs.iter_mut() {
        e.index = index;
    }
    f
}

#[test]
fn calls_between_functions_with_several_results() {
    let m = Arc::new(InterpModule::from_ir(vec![calling(MAIN, 1), parse(PAIR)]));
    assert!(!m.is_translated(1));
    let r = call(&m, 0, &[41, 1.25f64.to_bits()], 3).expect("call succeeds");
    assert_eq!(r, vec![2.5f64.to_bits(), 42, 7]);
    assert!(m.is_translated(1), "the callee was translated on first call");
}

/// `outer` calls `middle` twice (the second time with a divisor of 0), and
/// `middle` calls `inner`, which divides: every frame but the first is
/// entered by the execution loop itself.
const OUTER: &str = "function %outer(i64, i32) -> i32 {
    sig0 = (i64, i32, i32) -> i32
    fn0 = %middle sig0
block0(v0: i64, v1: i32):
@0010    v2 = call fn0(v0, v1, v1)
    v3 = iconst.i32 0
@0018    v4 = call fn0(v0, v2, v3)
    return v4
}";

const MIDDLE: &str = "function %middle(i64, i32, i32) -> i32 {
    sig0 = (i64, i32, i32) -> i32
    fn0 = %inner sig0
block0(v0: i64, v1: i32, v2: i32):
@0020    v3 = call fn0(v0, v1, v2)
    v4 = iconst.i32 5
    v5 = iadd.i32 v3, v4
    return v5
}";

const INNER: &str = "function %inner(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
@0030    v3 = udiv.i32 v1, v2
    return v3
}";

#[test]
fn a_trap_three_calls_deep_names_every_frame_at_its_call_site() {
    let m = Arc::new(InterpModule::from_ir(vec![calling(OUTER, 1), calling(MIDDLE, 2), parse(INNER)]));
    // 42/42 + 5 = 6, then 6/0 traps in `inner`.
    let t = call(&m, 0, &[42], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IntegerDivideByZero));
    let frames: Vec<_> = t.frames.iter().map(|f| (f.funcidx, f.offset)).collect();
    assert_eq!(frames, vec![(2, 0x30), (1, 0x20), (0, 0x18)]);
    // The same calls without the trap return through every frame.
    let m = Arc::new(InterpModule::from_ir(vec![calling(MIDDLE, 1), parse(INNER)]));
    assert_eq!(call(&m, 0, &[42, 6], 1).expect("call succeeds"), vec![12]);
}

const INDIRECT: &str = "function %ind(i64, i64, i32, i32) -> i32 {
    sig0 = (i64, i32, i32) -> i32
block0(v0: i64, v1: i64, v2: i32, v3: i32):
    v4 = iconst.i64 4096
@0030    v5 = call_indirect sig0, v1(v4, v2, v3)
    v6 = iconst.i32 1
    v7 = iadd.i32 v5, v6
    return v7
}";

#[test]
fn call_indirect_to_a_host_function() {
    let m = module(&[INDIRECT]);
    let seen = Arc::new(AtomicU64::new(0));
    let mut env = TestEnv::default();
    let s = seen.clone();
    env.hosts.insert(
        7,
        Box::new(move |caller_vmctx, cells: &mut [u64]| {
            s.store(caller_vmctx, Ordering::Relaxed);
            // i32 result with garbage in the upper half: the interpreter narrows it.
            cells[0] = (cells[0] * 10 + cells[1]) | 0xdead_0000_0000_0000;
            Ok(())
        }),
    );
    let r = call_env(&mut env, &m, 0, 777, &[7, 4, 2], 1).expect("call succeeds");
    assert_eq!(r, vec![43]);
    assert_eq!(seen.load(Ordering::Relaxed), 777, "host sees the caller's vmctx");

    env.hosts.insert(8, Box::new(|_, _| Err(Trap::code(TrapCode::Interrupted))));
    let t = call_env(&mut env, &m, 0, 777, &[8, 4, 2], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::Interrupted));
    assert_eq!((t.frames.len(), t.frames[0].offset), (1, 0x30), "the call site is in the backtrace");

    let t = call_env(&mut env, &m, 0, 777, &[99, 4, 2], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::UninitializedElement), "unknown handle");
}

#[test]
fn call_indirect_into_another_module() {
    let callee = module(&["function %mul(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = imul.i32 v1, v2
    v4 = ireduce.i32 v0
    v5 = iadd.i32 v3, v4
    return v5
}"]);
    let m = module(&[INDIRECT]);
    let mut env = TestEnv::default();
    env.wasm.insert(3, (callee, 0));
    // 6 * 7 + callee vmctx (4096) + 1
    assert_eq!(call_env(&mut env, &m, 0, 1, &[3, 6, 7], 1).expect("call succeeds"), vec![42 + 4096 + 1]);
}

unsafe extern "C" fn builtin_add(_vmctx: *mut u8, args: *mut u64) -> u32 {
    // SAFETY: the interpreter passes a buffer with the arguments.
    unsafe {
        let (a, b) = (*args, *args.add(1));
        *args = a.wrapping_add(b) | 0xffff_0000_0000_0000;
    }
    0
}

unsafe extern "C" fn builtin_trap(_vmctx: *mut u8, _args: *mut u64) -> u32 {
    status_from_trap_code(TrapCode::TableOutOfBounds)
}

const BUILTINS: &str = "function %b(i64, i32, i32) -> i32 {
    sig0 = (i64, i32, i32) -> i32
    builtin0 = memory_grow sig0
    builtin1 = memory_fill sig0
block0(v0: i64, v1: i32, v2: i32):
    v3 = call_builtin memory_grow(v0, v1, v2)
    brif v3, block1, block2
block1:
    return v3
block2:
@0077    v4 = call_builtin memory_fill(v0, v1, v2)
    return v4
}";

#[test]
fn builtins_are_called_through_the_vm_context_table() {
    let table: Vec<usize> =
        vec![builtin_add as *const () as usize, builtin_trap as *const () as usize, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut vmctx = vec![0u64; 8];
    vmctx[1] = table.as_ptr() as u64; // VmContextHeader::builtins
    let m = module(&[BUILTINS]);
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx.as_mut_ptr() as u64, &[40, 2], 1)
        .expect("call succeeds");
    assert_eq!(r, vec![42], "result narrowed to i32");
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx.as_mut_ptr() as u64, &[0, 0], 1)
        .expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::TableOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x77);
    assert!(listing(&m, 0).contains("call_builtin memory_grow#0(s0, s1, s2)"), "{}", listing(&m, 0));
}

#[test]
fn v128_arguments_and_results_are_two_cells() {
    let m = module(&["function %v(i64, v128, i32) -> v128, i32 {
block0(v0: i64, v1: v128, v2: i32):
    v3 = i32x4.splat v2
    v4 = i32x4.add v1, v3
    v5 = extractlane.i32x4 v4, 3
    return v4, v5
}"]);
    let a: u128 = 0x0000_0004_0000_0003_0000_0002_0000_0001;
    let r = call(&m, 0, &[a as u64, (a >> 64) as u64, 10], 3).expect("call succeeds");
    let expect: u128 = 0x0000_000e_0000_000d_0000_000c_0000_000b;
    assert_eq!(r, vec![expect as u64, (expect >> 64) as u64, 14]);
}

#[test]
fn translation_failures_surface_as_host_traps() {
    let text = "function %c(i64) {
    sig0 = (i64)
    fn0 = %missing sig0
block0(v0: i64):
    call fn0(v0)
    return
}";
    let m = Arc::new(InterpModule::from_ir(vec![calling(text, 9)]));
    let t = call(&m, 0, &[], 0).expect_err("expected a trap");
    match t.reason {
        TrapReason::Host(e) => assert!(e.to_string().contains("function 9"), "{e}"),
        other => panic!("{other:?}"),
    }
}

/// Calls with up to five argument cells (`vmctx` included) carry them in the
/// op and copy five cells whatever the callee takes; longer ones go through
/// the descriptor. Each callee is called twice per caller, so both the first
/// call (resolved by the outer loop) and the fast path run.
#[test]
fn short_and_long_argument_lists_reach_the_callee_in_order() {
    let texts = [
        "function %caller(i64, i32) -> i32 {
    sig0 = (i64, i32, i32, i32, i32) -> i32
    sig1 = (i64, i32, i32, i32, i32, i32) -> i32
    sig2 = (i64) -> i32
    fn0 = %four sig0
    fn1 = %five sig1
    fn2 = %none sig2
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    v3 = iconst.i32 2
    v4 = iconst.i32 3
    v5 = call fn0(v0, v1, v2, v3, v4)
    v6 = call fn0(v0, v4, v3, v2, v1)
    v7 = call fn1(v0, v1, v2, v3, v4, v1)
    v8 = call fn1(v0, v4, v4, v4, v4, v4)
    v9 = call fn2(v0)
    v10 = call fn2(v0)
    v11 = iadd.i32 v5, v6
    v12 = iadd.i32 v7, v8
    v13 = iadd.i32 v9, v10
    v14 = imul.i32 v11, v12
    v15 = iadd.i32 v14, v13
    return v15
}",
        "function %four(i64, i32, i32, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: i32):
    v5 = iconst.i32 10
    v6 = imul.i32 v1, v5
    v7 = iadd.i32 v6, v2
    v8 = imul.i32 v7, v5
    v9 = iadd.i32 v8, v3
    v10 = imul.i32 v9, v5
    v11 = iadd.i32 v10, v4
    return v11
}",
        "function %five(i64, i32, i32, i32, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: i32, v5: i32):
    v6 = isub.i32 v1, v2
    v7 = isub.i32 v6, v3
    v8 = isub.i32 v7, v4
    v9 = isub.i32 v8, v5
    return v9
}",
        "function %none(i64) -> i32 {
block0(v0: i64):
    v1 = iconst.i32 7
    return v1
}",
    ];
    let mut caller = parse(texts[0]);
    for (i, (_, e)) in caller.dfg.ext_funcs.iter_mut().enumerate() {
        e.index = i as u32 + 1;
    }
    let funcs = [caller].into_iter().chain(texts[1..].iter().map(|t| parse(t))).collect();
    let m = Arc::new(InterpModule::from_ir(funcs));
    let f = |x: i32| call1(&m, 0, &[x as u32 as u64]) as u32 as i32;
    // four(9, 1, 2, 3) + four(3, 2, 1, 9) = 9123 + 3219;
    // five(9, 1, 2, 3, 9) + five(3, 3, 3, 3, 3) = -6 + -9; none() twice = 14.
    assert_eq!(f(9), (9123 + 3219) * (-6 - 9) + 14);
    assert_eq!(f(0), (123 + 3210) * (-6 - 9) + 14);
}
