//! Module-level behaviour the spec testsuite does not pin down: what
//! `ModuleInfo` records, feature gating, error wording and offsets, and
//! robustness against hostile sizes and nesting.

use zerowasm_frontend::module::{ConstOp, DataMode, ElemItems, ElemMode, ImportDesc};
use zerowasm_frontend::{CoreFeatures, Error, ExternKind, ValType, validate};

fn wat(src: &str) -> Vec<u8> {
    wat::parse_str(src).expect("test module parses")
}

fn err(bytes: &[u8], features: CoreFeatures) -> Error {
    validate(bytes, features).expect_err("module should be rejected")
}

#[test]
fn records_index_spaces_segments_and_exports() {
    let bytes = wat(r#"(module $m
        (import "env" "f" (func $imp (param i32) (result i64)))
        (import "env" "g" (global $g i32))
        (memory 1 2)
        (table 3 funcref)
        (global $h (mut f64) (f64.const 1.5))
        (func $add (export "add") (param $a i32) (param $b i32) (result i32)
            (local $tmp i64)
            local.get $a local.get $b i32.add)
        (elem (i32.const 0) $add)
        (data (global.get $g) "hi")
        (data "passive")
        (start $s)
        (func $s))"#);
    let m = validate(&bytes, CoreFeatures::default()).expect("valid");
    assert_eq!(m.num_imported_functions, 1);
    assert_eq!(m.functions.len(), 3);
    assert_eq!(m.func_type(0).map(|t| t.to_string()), Some("[i32] -> [i64]".to_string()));
    assert_eq!(m.imports[0].desc, ImportDesc::Func(0));
    assert_eq!(m.num_imported_globals, 1);
    assert_eq!(m.globals[1].content, ValType::F64);
    assert!(m.globals[1].mutable);
    assert_eq!(&*m.global_inits[0].ops, &[ConstOp::F64Const(1.5f64.to_bits())]);
    assert_eq!(m.memories[0].limits.max, Some(2));
    assert_eq!(m.tables[0].limits.min, 3);
    let add = m.export("add").expect("exported");
    assert_eq!((add.kind, add.index), (ExternKind::Func, 1));
    assert_eq!(m.start, Some(2));
    assert!(matches!(&m.elements[0].mode, ElemMode::Active { table: 0, .. }));
    assert_eq!(m.elements[0].items, ElemItems::Functions(Box::new([1])));
    let DataMode::Active { offset, .. } = &m.data[0].mode else { panic!("active data expected") };
    assert_eq!(&*offset.ops, &[ConstOp::GlobalGet(0)]);
    assert_eq!(&bytes[m.data[0].range.clone()], b"hi");
    assert_eq!(m.data[1].mode, DataMode::Passive);
    assert_eq!(&bytes[m.data[1].range.clone()], b"passive");
    assert_eq!(m.bodies.len(), 2);
    // Names come from the name section the text format emits.
    assert_eq!(m.names.module.as_deref(), Some("m"));
    assert_eq!(m.names.functions.get(&1).map(String::as_str), Some("add"));
    let locals = m.names.locals.get(&1).expect("local names of $add");
    assert_eq!(locals.get(&0).map(String::as_str), Some("a"));
    assert_eq!(locals.get(&2).map(String::as_str), Some("tmp"));
}

#[test]
fn keeps_custom_sections_with_name_and_bytes() {
    let mut bytes = wat("(module)");
    for (name, payload) in [("producers", &b"clang"[..]), ("zw", &b"\x00\x01"[..]), ("zw", &b"two"[..])] {
        bytes.push(0);
        bytes.push((1 + name.len() + payload.len()) as u8);
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(payload);
    }
    let m = validate(&bytes, CoreFeatures::default()).expect("valid");
    let names: Vec<&str> = m.custom_sections.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["producers", "zw", "zw"]);
    let zw: Vec<&[u8]> = m.custom_sections_named(&bytes, "zw").collect();
    assert_eq!(zw, [&b"\x00\x01"[..], &b"two"[..]]);
}

#[test]
fn a_malformed_name_section_is_ignored_not_fatal() {
    let mut bytes = wat("(module)");
    // "name" section whose function-names subsection claims more bytes than it has.
    bytes.extend_from_slice(&[0, 8, 4, b'n', b'a', b'm', b'e', 1, 9, 0]);
    let m = validate(&bytes, CoreFeatures::default()).expect("still valid");
    assert!(m.names.functions.is_empty());
    assert_eq!(m.custom_sections[0].name, "name");
}

#[test]
fn errors_carry_offset_kind_and_spec_wording() {
    let bytes = wat("(module (func (result i32) f64.const 1))");
    let e = err(&bytes, CoreFeatures::default());
    assert!(matches!(e, Error::Validation(_)));
    assert_eq!(e.message(), "type mismatch: expected i32, found f64");
    assert_eq!(
        e.to_string(),
        format!("invalid module at offset {:#x}: type mismatch: expected i32, found f64", e.offset())
    );
    // The offset points at the `end` that checks the result, inside the code section.
    assert_eq!(bytes[e.offset()], 0x0b);

    let e = err(b"\0asm\x02\0\0\0", CoreFeatures::default());
    assert_eq!(e.to_string(), "malformed module at offset 0x4: unknown binary version");

    let bytes = wat("(module (func local.get 7 drop))");
    assert_eq!(err(&bytes, CoreFeatures::default()).message(), "unknown local 7");
}

#[test]
fn disabled_features_are_named() {
    let simd = wat("(module (func (result v128) v128.const i64x2 1 2))");
    assert!(validate(&simd, CoreFeatures::V2).is_ok());
    let e = err(&simd, CoreFeatures::V2.without(CoreFeatures::SIMD));
    assert_eq!(e.message(), "v128 requires the simd feature, which is not enabled");

    let bulk = wat("(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))");
    let e = err(&bulk, CoreFeatures::V1);
    assert_eq!(e.message(), "memory.fill requires the bulk-memory feature, which is not enabled");

    let sext = wat("(module (func (result i32) i32.const 1 i32.extend8_s))");
    let e = err(&sext, CoreFeatures::V1);
    assert_eq!(e.message(), "i32.extend8_s requires the sign-extension-ops feature, which is not enabled");

    let multi = wat("(module (func (result i32 i32) i32.const 1 i32.const 2))");
    assert!(err(&multi, CoreFeatures::V1).message().contains("multi-value"));

    let e = err(&wat("(module)"), CoreFeatures::V2 | CoreFeatures::TAIL_CALL);
    assert_eq!(e.message(), "unsupported: zerowasm does not implement the tail-call proposal(s)");
}

#[test]
fn later_proposal_opcodes_fail_loudly() {
    // `return_call 0` in a function body.
    let e = err(&module_with_body(&[0x12, 0x00, 0x0b]), CoreFeatures::default());
    assert_eq!(
        e.message(),
        "illegal opcode 0x12: return_call of the tail-call proposal, which zerowasm does not support"
    );
}

#[test]
fn multi_memory_needs_its_flag() {
    let bytes = wat("(module (memory 1) (memory $b 1) (func (result i32) (i32.load $b (i32.const 0))))");
    assert_eq!(err(&bytes, CoreFeatures::V2).message(), "multiple memories");
    let m = validate(&bytes, CoreFeatures::V2 | CoreFeatures::MULTI_MEMORY).expect("valid with multi-memory");
    assert_eq!(m.memories.len(), 2);
}

/// A module whose only function body is `body` (no locals), type `[] -> []`.
fn module_with_body(body: &[u8]) -> Vec<u8> {
    let mut code = vec![0u8]; // no local groups
    code.extend_from_slice(body);
    module_with_code(&code)
}

/// A module whose only function has the raw `code` (local groups, then instructions).
fn module_with_code(code: &[u8]) -> Vec<u8> {
    let mut section = Vec::new();
    leb(&mut section, 1);
    leb(&mut section, code.len() as u64);
    section.extend_from_slice(code);
    let mut m = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0".to_vec();
    m.push(10);
    leb(&mut m, section.len() as u64);
    m.extend_from_slice(&section);
    m
}

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

#[test]
fn deep_nesting_neither_overflows_nor_panics() {
    let depth = 50_000;
    let mut body = [0x02, 0x40].repeat(depth);
    body.extend(std::iter::repeat_n(0x0b, depth + 1));
    assert!(validate(&module_with_body(&body), CoreFeatures::default()).is_ok());

    let mut body = [0x02, 0x40].repeat(200_000);
    body.extend(std::iter::repeat_n(0x0b, 200_001));
    assert_eq!(err(&module_with_body(&body), CoreFeatures::default()).message(), "too many nested blocks");
}

#[test]
fn huge_counts_are_rejected_before_allocating() {
    // Type section claiming 0xffff_ffff entries in 5 bytes.
    let bytes = b"\0asm\x01\0\0\0\x01\x05\xff\xff\xff\xff\x0f";
    assert_eq!(err(bytes, CoreFeatures::default()).message(), "unexpected end of section or function");
    // A function declaring 4 billion i32 locals.
    let m = module_with_code(&[0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b]);
    assert_eq!(err(&m, CoreFeatures::default()).message(), "too many locals");
}

/// A module of 200 functions of about 600 bytes each (large enough for the
/// code section to be validated on several threads where there are cores),
/// each `local.get 0; drop` repeated and then `last` (one byte) before `end`.
fn many_bodies(last: impl Fn(usize) -> &'static str) -> Vec<u8> {
    let mut src = String::from("(module");
    for i in 0..200 {
        src.push_str(" (func (param i32)");
        for _ in 0..150 {
            src.push_str(" local.get 0 drop");
        }
        src.push(' ');
        src.push_str(last(i));
        src.push(')');
    }
    src.push(')');
    wat(&src)
}

#[test]
fn the_first_invalid_body_is_reported_however_many_threads_validate() {
    // `i32.add` on an empty stack in bodies 150 and 170; `nop` (also one
    // byte) in the valid twin, which gives the bodies' extents.
    let valid = validate(&many_bodies(|_| "nop"), CoreFeatures::default()).expect("valid");
    assert_eq!(valid.bodies.len(), 200);
    let bad = many_bodies(|i| if i == 150 || i == 170 { "i32.add" } else { "nop" });
    let e = err(&bad, CoreFeatures::default());
    assert!(matches!(e, Error::Validation(_)), "{e}");
    assert_eq!(e.message(), "type mismatch: expected i32, but nothing on stack");
    // The `i32.add`, just before the body's `end`.
    assert_eq!(e.offset(), valid.bodies[150].range.end - 2);
}
