//! The builder's SSA construction, checked through the printer and verifier.

use zerowasm_ssa::builder::{BuilderContext, FunctionBuilder};
use zerowasm_ssa::verifier::verify_function;
use zerowasm_ssa::{Block, Function, IntCC, Opcode, Signature, Type, Value};

/// Builds `name(i32) -> i32` in `N` new blocks, the first the entry (with
/// the parameter `p`, entered and sealed), the rest by `body`, then
/// finalizes it; also returns what `body` returns.
fn build_i32_fn<const N: usize, R>(
    name: &str,
    body: impl FnOnce(&mut FunctionBuilder<'_>, [Block; N], Value) -> R,
) -> (Function, R) {
    let sig = Signature { params: vec![Type::I32], results: vec![Type::I32] };
    let mut func = Function::new(name, sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let blocks: [Block; N] = std::array::from_fn(|_| b.create_block());
    let p = b.append_function_params(blocks[0])[0];
    b.switch_to_block(blocks[0]);
    b.seal_block(blocks[0]);
    let out = body(&mut b, blocks, p);
    b.finalize();
    (func, out)
}

/// `fn sum(n) { let mut i = 0; let mut s = 0; while i < n { s += i; i += 1 } s }`
fn build_sum() -> Function {
    build_sum_with(false)
}

/// [`build_sum`], entering the loop header as a structured loop's when
/// `structured` (so sealing it settles `n` from the entry alone).
fn build_sum_with(structured: bool) -> Function {
    let sig = Signature { params: vec![Type::I64, Type::I32], results: vec![Type::I32] };
    let mut func = Function::new("sum", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let entry = b.create_block();
    let header = b.create_block();
    let body = b.create_block();
    let exit = b.create_block();
    let params = b.append_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let (i, s, n) = (b.declare_var(Type::I32), b.declare_var(Type::I32), b.declare_var(Type::I32));
    b.def_var(n, params[1]);
    let zero = b.iconst(Type::I32, 0);
    b.def_var(i, zero);
    b.def_var(s, zero);
    b.jump(header, &[]);

    if structured {
        b.switch_to_loop_header(header);
    } else {
        b.switch_to_block(header);
    }
    let (iv, nv) = (b.use_var(i), b.use_var(n));
    let c = b.icmp(IntCC::SignedLt, iv, nv);
    b.brif(c, body, &[], exit, &[]);

    b.switch_to_block(body);
    b.seal_block(body);
    let (iv, sv) = (b.use_var(i), b.use_var(s));
    let s2 = b.binary(Opcode::Iadd, Type::I32, sv, iv);
    b.def_var(s, s2);
    let one = b.iconst(Type::I32, 1);
    let i2 = b.binary(Opcode::Iadd, Type::I32, iv, one);
    b.def_var(i, i2);
    b.jump(header, &[]);
    b.seal_block(header);

    b.switch_to_block(exit);
    b.seal_block(exit);
    let sv = b.use_var(s);
    b.ret(&[sv]);
    b.finalize();
    func
}

#[test]
fn loop_variables_become_header_parameters() {
    let func = build_sum();
    verify_function(&func).expect("valid IR");
    // `n` is loop-invariant: its parameter is removed as trivial, leaving `i` and `s`.
    assert_eq!(
        func.to_string(),
        "function %sum(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    jump block1(v2, v2)
block1(v3: i32, v6: i32):
    v5 = icmp.i32 slt v3, v1
    brif v5, block2, block3
block2:
    v7 = iadd.i32 v6, v3
    v8 = iconst.i32 1
    v9 = iadd.i32 v3, v8
    jump block1(v9, v7)
block3:
    return v6
}
"
    );
}

#[test]
fn a_structured_loop_settles_unassigned_variables_from_its_entry() {
    // Same IR as the general sealing: `n`'s parameter is removed, found from
    // the entry edge without looking through the body.
    let func = build_sum_with(true);
    verify_function(&func).expect("valid IR");
    assert_eq!(func.to_string(), build_sum().to_string());
}

/// `x = p; k = 7; loop { x = x + k; br_if loop x }; return x + k`, with the
/// header entered as a structured loop's when `structured`.
fn build_constant_invariant(structured: bool) -> Function {
    build_i32_fn("inv", |b, [_, header, exit], p| {
        let (x, k) = (b.declare_var(Type::I32), b.declare_var(Type::I32));
        b.def_var(x, p);
        let seven = b.iconst(Type::I32, 7);
        b.def_var(k, seven);
        b.jump(header, &[]);
        if structured {
            b.switch_to_loop_header(header);
        } else {
            b.switch_to_block(header);
        }
        let (xv, kv) = (b.use_var(x), b.use_var(k));
        let sum = b.binary(Opcode::Iadd, Type::I32, xv, kv);
        b.def_var(x, sum);
        b.brif(sum, header, &[], exit, &[]);
        b.seal_block(header);
        b.switch_to_block(exit);
        b.seal_block(exit);
        let (xv, kv) = (b.use_var(x), b.use_var(k));
        let out = b.binary(Opcode::Iadd, Type::I32, xv, kv);
        b.ret(&[out]);
    })
    .0
}

#[test]
fn a_structured_loop_seals_constant_invariants_the_general_way() {
    // `k` is not assigned in the loop but is a constant, which the loop
    // header is sealed the general way for (a later read could otherwise
    // see the constant where the general path memoized the parameter, and
    // fold differently): the same IR either way.
    let func = build_constant_invariant(true);
    verify_function(&func).expect("valid IR");
    assert_eq!(func.to_string(), build_constant_invariant(false).to_string());
    assert_eq!(
        func.to_string(),
        "function %inv(i32) -> i32 {
block0(v0: i32):
    v1 = iconst.i32 7
    jump block1(v0)
block1(v2: i32):
    v4 = iadd.i32 v2, v1
    brif v4, block1(v4), block2
block2:
    v5 = iadd.i32 v4, v1
    return v5
}
"
    );
}

#[test]
fn verifier_rejects_broken_ir() {
    let mut func = build_sum();
    // Make the exit return an i64 where the signature says i32.
    let exit = func.layout.blocks().last().expect("blocks");
    let ret = func.layout.last_inst(exit).expect("terminator");
    let v0 = func.dfg.block_params(func.entry_block().expect("entry"))[0];
    let args = func.dfg.value_list(&[v0]);
    func.dfg.replace_inst(ret, zerowasm_ssa::InstData::Return { args });
    let e = verify_function(&func).expect_err("type error");
    assert_eq!(e.to_string(), "inst8 (return v0): return values do not match the signature");

    // A use that its definition does not dominate.
    let mut func = build_sum();
    let blocks: Vec<_> = func.layout.blocks().collect();
    let body_add = func.layout.first_inst(blocks[2]).expect("body inst");
    let s2 = func.dfg.first_result(body_add);
    let args = func.dfg.value_list(&[s2]);
    let ret = func.layout.last_inst(blocks[3]).expect("terminator");
    func.dfg.replace_inst(ret, zerowasm_ssa::InstData::Return { args });
    let e = verify_function(&func).expect_err("dominance error");
    assert_eq!(e.message, "v7 is used where its definition does not dominate");

    // A block without a terminator.
    let mut func = build_sum();
    let last = func.layout.blocks().last().expect("blocks");
    let t = func.layout.last_inst(last).expect("terminator");
    func.layout.remove_inst(t);
    assert_eq!(verify_function(&func).expect_err("empty block").message, "block is empty (no terminator)");
}

#[test]
fn deep_merge_chains_do_not_recurse() {
    // 20_000 diamonds in a row, the variable defined only at the entry.
    let sig = Signature { params: vec![Type::I32], results: vec![Type::I32] };
    let mut func = Function::new("deep", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let entry = b.create_block();
    let p = b.append_function_params(entry)[0];
    b.switch_to_block(entry);
    b.seal_block(entry);
    let x = b.declare_var(Type::I32);
    b.def_var(x, p);
    for _ in 0..20_000 {
        let (t, e, j) = (b.create_block(), b.create_block(), b.create_block());
        b.brif(p, t, &[], e, &[]);
        for side in [t, e] {
            b.seal_block(side);
            b.switch_to_block(side);
            b.jump(j, &[]);
        }
        b.seal_block(j);
        b.switch_to_block(j);
    }
    let v = b.use_var(x);
    b.ret(&[v]);
    b.finalize();
    verify_function(&func).expect("valid");
    // Every merge passes the same value: no block parameters at all.
    assert!(func.layout.blocks().skip(1).all(|blk| func.dfg.block_params(blk).is_empty()));
    // Not even created and removed again: the function's only value is `p`.
    assert_eq!(func.dfg.num_values(), 1);
    let last = func.layout.blocks().last().expect("blocks");
    let ret = func.layout.last_inst(last).expect("ret");
    assert_eq!(func.dfg.inst_values(ret).as_slice(), &[p]);
}

#[test]
fn a_redefinition_in_an_unsealed_header_survives_sealing() {
    // x = p; loop { use x; x = x - 1; br_if loop (x != 0) }; return x
    // The header reads `x` while unsealed (creating a parameter) and then
    // assigns it; the exit must see the assignment, not the parameter.
    let (func, ()) = build_i32_fn("countdown", |b, [_, header, exit], p| {
        let x = b.declare_var(Type::I32);
        b.def_var(x, p);
        b.jump(header, &[]);
        b.switch_to_block(header);
        let xv = b.use_var(x);
        let one = b.iconst(Type::I32, 1);
        let dec = b.binary(Opcode::Isub, Type::I32, xv, one);
        b.def_var(x, dec);
        b.brif(dec, header, &[], exit, &[]);
        b.seal_block(header);
        b.switch_to_block(exit);
        b.seal_block(exit);
        let out = b.use_var(x);
        b.ret(&[out]);
    });
    verify_function(&func).expect("valid");
    assert_eq!(
        func.to_string(),
        "function %countdown(i32) -> i32 {
block0(v0: i32):
    jump block1(v0)
block1(v1: i32):
    v2 = iconst.i32 1
    v3 = isub.i32 v1, v2
    brif v3, block1(v3), block2
block2:
    return v3
}
"
    );
}

#[test]
fn a_merge_of_different_values_gets_one_parameter_after_the_explicit_ones() {
    // x = p; if p { x = 1; j(10) } else { j(20) }; j(v): return x + v
    let sig = Signature { params: vec![Type::I32], results: vec![Type::I32] };
    let mut func = Function::new("diamond", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let entry = b.create_block();
    let (t, e, j) = (b.create_block(), b.create_block(), b.create_block());
    let p = b.append_function_params(entry)[0];
    let v = b.append_block_param(j, Type::I32);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let x = b.declare_var(Type::I32);
    b.def_var(x, p);
    b.brif(p, t, &[], e, &[]);
    b.seal_block(t);
    b.switch_to_block(t);
    let one = b.iconst(Type::I32, 1);
    b.def_var(x, one);
    let ten = b.iconst(Type::I32, 10);
    b.jump(j, &[ten]);
    b.seal_block(e);
    b.switch_to_block(e);
    let twenty = b.iconst(Type::I32, 20);
    b.jump(j, &[twenty]);
    b.seal_block(j);
    b.switch_to_block(j);
    let xv = b.use_var(x);
    let sum = b.binary(Opcode::Iadd, Type::I32, xv, v);
    b.ret(&[sum]);
    b.finalize();
    verify_function(&func).expect("valid");
    assert_eq!(
        func.to_string(),
        "function %diamond(i32) -> i32 {
block0(v0: i32):
    brif v0, block1, block2
block1:
    v2 = iconst.i32 1
    v3 = iconst.i32 10
    jump block3(v3, v2)
block2:
    v4 = iconst.i32 20
    jump block3(v4, v0)
block3(v1: i32, v5: i32):
    v6 = iadd.i32 v5, v1
    return v6
}
"
    );
}

/// `y = p; loop { if p { y = 5 if `assign` } else { } } while p; return y`:
/// the function, and its `return` instruction.
fn build_loop_with_merge(assign: bool) -> (Function, zerowasm_ssa::Inst) {
    let (func, ret) = build_i32_fn("cycle", |b, [_, h, body, t, e, j, exit], p| {
        let y = b.declare_var(Type::I32);
        b.def_var(y, p);
        b.jump(h, &[]);
        b.switch_to_block(h);
        b.brif(p, body, &[], exit, &[]);
        b.seal_block(body);
        b.switch_to_block(body);
        b.brif(p, t, &[], e, &[]);
        for side in [t, e] {
            b.seal_block(side);
            b.switch_to_block(side);
            if side == t && assign {
                let five = b.iconst(Type::I32, 5);
                b.def_var(y, five);
            }
            b.jump(j, &[]);
        }
        b.seal_block(j);
        b.switch_to_block(j);
        b.jump(h, &[]);
        b.seal_block(h);
        b.seal_block(exit);
        b.switch_to_block(exit);
        let yv = b.use_var(y);
        b.ret(&[yv])
    });
    verify_function(&func).expect("valid");
    (func, ret)
}

#[test]
fn a_merge_inside_a_loop_looked_up_through_its_header_needs_no_parameter() {
    // Reading `y` after the loop walks the sealed header, the merge in the
    // loop body and back to the header: the cycle ends at the header's
    // placeholder, the merge sees it on both sides, and the placeholder
    // itself turns out to be `p`.
    let (func, ret) = build_loop_with_merge(false);
    let entry = func.entry_block().expect("entry");
    assert!(func.layout.blocks().all(|blk| blk == entry || func.dfg.block_params(blk).is_empty()));
    let p = func.dfg.block_params(entry)[0];
    assert_eq!(func.dfg.inst_values(ret).as_slice(), &[p]);
}

#[test]
fn a_merge_inside_a_loop_passes_what_the_loop_assigns() {
    let (func, _) = build_loop_with_merge(true);
    assert_eq!(
        func.to_string(),
        "function %cycle(i32) -> i32 {
block0(v0: i32):
    jump block1(v0)
block1(v2: i32):
    brif v0, block2, block6
block2:
    brif v0, block3, block4
block3:
    v1 = iconst.i32 5
    jump block5(v1)
block4:
    jump block5(v2)
block5(v3: i32):
    jump block1(v3)
block6:
    return v2
}
"
    );
}

#[test]
fn constant_operations_fold_as_they_are_built() {
    // (6 * 7 + 0) as the operand, `p + 0`, `p * 1` and `select` on a constant
    // leave no instruction; a `brif` on a constant becomes a `jump`.
    let sig = Signature { params: vec![Type::I32], results: vec![Type::I32] };
    let mut func = Function::new("fold", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let entry = b.create_block();
    let (t, e) = (b.create_block(), b.create_block());
    let p = b.append_function_params(entry)[0];
    b.switch_to_block(entry);
    b.seal_block(entry);
    let six = b.iconst(Type::I32, 6);
    let seven = b.iconst(Type::I32, 7);
    let product = b.binary(Opcode::Imul, Type::I32, six, seven);
    let zero = b.iconst(Type::I32, 0);
    let one = b.iconst(Type::I32, 1);
    assert_eq!(b.binary(Opcode::Iadd, Type::I32, p, zero), p);
    assert_eq!(b.binary(Opcode::Imul, Type::I32, one, p), p);
    assert_eq!(b.select(one, product, p), product);
    let never = b.icmp(IntCC::SignedGt, zero, one);
    b.brif(never, t, &[], e, &[]);
    b.seal_block(t);
    b.switch_to_block(t);
    b.ret(&[product]);
    b.seal_block(e);
    b.switch_to_block(e);
    let sum = b.binary(Opcode::Iadd, Type::I32, product, p);
    b.ret(&[sum]);
    b.finalize();
    verify_function(&func).expect("valid");
    assert_eq!(
        func.to_string(),
        "function %fold(i32) -> i32 {
block0(v0: i32):
    v1 = iconst.i32 6
    v2 = iconst.i32 7
    v3 = iconst.i32 42
    v4 = iconst.i32 0
    v5 = iconst.i32 1
    v6 = iconst.i32 0
    jump block2
block1:
    return v3
block2:
    v7 = iadd.i32 v3, v0
    return v7
}
"
    );
}
