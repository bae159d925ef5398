//! Round trips through the printer, and the parser's error reports.

use super::*;
use crate::builder::{BuilderContext, FunctionBuilder};
use crate::instructions::Signature;
use crate::printer::{PrintOptions, print_function};
use crate::verifier::verify_function;

/// Every `InstData` format, calls and declarations included.
const ALL_FORMATS: &str = "function %all(i64, i32, i64, f32, f64, v128) -> i32 {
    sig0 = (i64, i32) -> i32
    sig1 = (i64, i32)
    fn0 = %callee with spaces sig0
    builtin0 = memory_grow sig0
    builtin1 = table_size sig0
block0(v0: i64, v1: i32, v2: i64, v3: f32, v4: f64, v5: v128):
    v6 = iconst.i32 -7
    v7 = iconst.i64 9223372036854775807
    v8 = f32const 0x3f800000 ; 1
    v9 = f64const 0x7ff8000000000000 ; NaN
    v10 = vconst 0x000102030405060708090a0b0c0d0e0f
    v11 = clz.i32 v1
    v12 = uextend.i64 v1
    v13 = iadd.i64 v2, v12
    v14 = fadd.f32 v3, v8
    v15 = select.i32 v1, v6, v11
    v16 = icmp.i64 ult v2, v13
    v17 = fcmp.f64 ne v4, v9
    v18 = load.i32 v2
    v19 = uload8.i64 v2+16
    v20 = load32_zero.v128 v2+4
    store.i32 v18, v2+8
    istore8.i64 v19, v2
    v21 = heap_sload16.i64 v1+65535
    heap_store.f32 v3, v1
    v22 = load_lane.i16x8_u v2+2, v10, 7
    store_lane.f64x2 v22, v2, 1
    v23 = i32x4.add v10, v5
    v24 = v128.bitselect v23, v10, v5
    v25 = i8x16.all_true v24
    v26 = shuffle v10, v5, [0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31]
    v27 = extractlane.f32x4 v26, 3
    v28 = insertlane.i64x2 v26, v2, 1
    v29 = call fn0(v0, v1)
    call_indirect sig1, v2(v0, v29)
    v30 = call_builtin memory_grow(v0, v25)
    v31 = call_builtin table_size(v0, v30)
    trapz v30, int_divz
    trapnz v16, heap_oob
    brif v17, block1(v1), block2
block1(v32: i32):
    br_table v32, block2, [block3(v32), block2, block4]
block2:
    trap unreachable
block3(v33: i32):
    return v33
block4:
    jump block3(v29)
}
";

fn round_trip(text: &str) -> Function {
    let func = parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    verify_function(&func).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(func.to_string(), text);
    func
}

fn format_index(data: &InstData) -> usize {
    match data {
        InstData::Iconst { .. } => 0,
        InstData::F32const { .. } => 1,
        InstData::F64const { .. } => 2,
        InstData::Vconst { .. } => 3,
        InstData::Unary { .. } => 4,
        InstData::Binary { .. } => 5,
        InstData::Ternary { .. } => 6,
        InstData::IntCompare { .. } => 7,
        InstData::FloatCompare { .. } => 8,
        InstData::Load { .. } => 9,
        InstData::Store { .. } => 10,
        InstData::LoadLane { .. } => 11,
        InstData::StoreLane { .. } => 12,
        InstData::Vector { .. } => 13,
        InstData::Shuffle { .. } => 14,
        InstData::ExtractLane { .. } => 15,
        InstData::InsertLane { .. } => 16,
        InstData::Jump { .. } => 17,
        InstData::Brif { .. } => 18,
        InstData::BrTable { .. } => 19,
        InstData::Return { .. } => 20,
        InstData::Call { .. } => 21,
        InstData::CallIndirect { .. } => 22,
        InstData::CallBuiltin { .. } => 23,
        InstData::Trap { .. } => 24,
        InstData::CondTrap { .. } => 25,
        InstData::HeapLoad { .. } => 26,
        InstData::HeapStore { .. } => 27,
    }
}

#[test]
fn every_format_round_trips() {
    let func = round_trip(ALL_FORMATS);
    let mut seen = [false; 28];
    for inst in func.insts() {
        seen[format_index(func.dfg.inst(inst))] = true;
    }
    assert!(seen.iter().all(|&s| s), "formats not covered: {seen:?}");
    assert_eq!(func.dfg.ext_funcs[FuncRef::new(0)].name, "callee with spaces");
    let grow = &func.dfg.builtins[crate::BuiltinRef::new(0)];
    assert_eq!((grow.name, grow.index), ("memory_grow", 0));
    // Interned: parsing again hands out the same string.
    let again = parse_function(ALL_FORMATS).expect("parses");
    assert!(std::ptr::eq(again.dfg.builtins[crate::BuiltinRef::new(0)].name, grow.name));
}

#[test]
fn builder_output_round_trips_with_its_numbering() {
    // A loop: the builder drops a trivial parameter, leaving a gap at v4.
    let sig = Signature { params: vec![Type::I64, Type::I32], results: vec![Type::I32] };
    let mut func = Function::new("sum", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let (entry, header, body, exit) =
        (b.create_block(), b.create_block(), b.create_block(), b.create_block());
    let params = b.append_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let (i, s, n) = (b.declare_var(Type::I32), b.declare_var(Type::I32), b.declare_var(Type::I32));
    b.def_var(n, params[1]);
    let zero = b.iconst(Type::I32, 0);
    b.def_var(i, zero);
    b.def_var(s, zero);
    b.jump(header, &[]);
    b.switch_to_block(header);
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
    let text = func.to_string();
    assert!(text.contains("block1(v3: i32, v6: i32):"), "{text}");
    let parsed = round_trip(&text);
    assert_eq!(parsed.dfg.num_values(), func.dfg.num_values());
}

#[test]
fn gaps_and_block_order_are_kept() {
    round_trip(
        "function %gaps(i64) -> i64 {
block7(v3: i64):
    v9 = iconst.i64 1
    jump block2(v9, v9)
block2(v12: i64, v40: i64):
    v41 = iadd.i64 v12, v40
    return v41
}
",
    );
    // The entry is the first block in the text, whatever its number.
    let f = parse_function("function %e() {\nblock3:\n    jump block0\nblock0:\n    return\n}\n")
        .expect("parses");
    assert_eq!(f.entry_block(), Some(Block::new(3)));
}

#[test]
fn srclocs_round_trip() {
    let text = "function %locs(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    @001a v2 = iconst.i32 3
          v3 = iadd.i32 v1, v2
    @ffff return v3
}
";
    let func = parse_function(text).expect("parses");
    assert_eq!(print_function(&func, PrintOptions { srclocs: true }), text);
    let insts: Vec<Inst> = func.insts().collect();
    assert_eq!(func.srclocs[insts[0]], SourceLoc(0x1a));
    assert!(!func.srclocs[insts[1]].is_some());
    // Without the option the locations are simply not printed.
    assert!(func.to_string().contains("    v2 = iconst.i32 3\n"));
}

#[test]
fn comments_and_blank_lines_are_skipped() {
    let f = parse_function(
        "; leading comment\n\nfunction %c() {\n; inside\nblock0:\n    return ; trailing\n\n}\n\n",
    )
    .expect("parses");
    assert_eq!(f.to_string(), "function %c() {\nblock0:\n    return\n}\n");
}

#[test]
fn errors_name_the_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "expected `function %name(…) {`"),
        ("function %f() {\nblock0:\n    return\n", 3, "missing `}`"),
        ("function %f() {\nblock0:\n    v1 = frob.i32 v0\n    return\n}", 3, "unknown opcode `frob.i32`"),
        ("function %f() -> i32 {\nblock0:\n    return v5\n}", 3, "v5 is used but never defined"),
        (
            "function %f(i32) {\nblock0(v0: i32):\n    v0 = iconst.i32 1\n    return\n}",
            3,
            "v0 is already defined on line 2",
        ),
        ("function %f() {\nblock0:\n    jump block9\n}", 3, "block9 is used but never defined"),
        ("function %f(i33) {\nblock0:\n    return\n}", 1, "unknown type `i33`"),
        (
            "function %f() {\nblock0:\n    v99999999 = iconst.i32 1\n    return\n}",
            3,
            "exceeds the parser's limit",
        ),
        ("function %f() {\nblock0:\n    v2, v1 = iconst.i32 1\n    return\n}", 3, "increasing order"),
        ("function %f() {\nblock0:\n    return\n}\nblock1:", 5, "text after the end"),
        ("function %f() {\n    sig1 = ()\nblock0:\n    return\n}", 2, "sig1 is out of order"),
        ("function %f() {\n    fn0 = %g sig0\nblock0:\n    return\n}", 2, "sig0 is not declared"),
        ("function %f() {\nblock0:\n    v1 = iadd v0, v0\n    return\n}", 3, "suffix is required"),
        (
            "function %f() {\nblock0:\n    v1 = iconst.i32 x\n    return\n}",
            3,
            "expected an integer, found `x`",
        ),
        ("function %f() {\nblock0:\n    store.i32 v1, v2\n    trap bogus\n}", 4, "unknown trap code `bogus`"),
        ("function %f() {\nblock0:\n    call_builtin nope()\n}", 3, "builtin `nope` is not declared"),
        ("function %f() {\nblock0:\n    return\nblock0:\n    return\n}", 4, "block0 is defined twice"),
        ("function %f() {\n}", 2, "the function has no blocks"),
        ("function %f() {\nblock0:\n    v1 = f32const 0x1ffffffff\n    return\n}", 3, "exceed 32 bits"),
        ("function %f() {\nblock0:\n    jump block0(v1\n}", 3, "expected `,`, found end of line"),
    ];
    for &(text, line, message) in cases {
        match parse_function(text) {
            Ok(f) => panic!("parsed {text:?} into\n{f}"),
            Err(e) => {
                assert!(e.line == line && e.message.contains(message), "{text:?}: got `{e}`");
            }
        }
    }
}

#[test]
fn truncated_and_mangled_lines_never_panic() {
    let lines: Vec<&str> = ALL_FORMATS.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        for cut in 0..line.len() {
            if !line.is_char_boundary(cut) {
                continue;
            }
            for variant in [&line[..cut], &line[cut..]] {
                let mut mangled = lines.clone();
                mangled[i] = variant;
                let _ = parse_function(&mangled.join("\n"));
            }
        }
    }
}

#[test]
fn heap_accesses_take_an_i32_index_and_raw_ones_an_i64_address() {
    let reject = |body: &str| {
        let text = format!("function %f(i64, i32) {{\nblock0(v0: i64, v1: i32):\n{body}    return\n}}\n");
        let func = parse_function(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        verify_function(&func).expect_err("rejected").to_string()
    };
    assert_eq!(
        reject("    v2 = heap_load.i32 v0+4\n"),
        "inst0 (v2 = heap_load.i32 v0+4): index has type i64, expected i32"
    );
    assert_eq!(
        reject("    heap_istore8.i32 v1, v0\n"),
        "inst0 (heap_istore8.i32 v1, v0): index has type i64, expected i32"
    );
    assert_eq!(
        reject("    v2 = load.i32 v1\n"),
        "inst0 (v2 = load.i32 v1): address has type i32, expected i64"
    );
    assert_eq!(
        reject("    v2 = heap_sload32.i32 v1\n"),
        "inst0 (v2 = heap_sload32.i32 v1): heap_sload32 cannot produce i32"
    );
}
