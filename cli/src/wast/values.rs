//! Translation between the wast crate's script values and [`WastValue`], and the
//! matching rules of `assert_return` (NaN patterns, lane-wise v128, references).
//! Anything outside Wasm 2.0 (GC references, component values) is reported as
//! unsupported rather than guessed at.

use ::wast::WastArg;
use ::wast::WastRet;
use ::wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use ::wast::token::{F32, F64};

use super::engine::WastValue;

/// Converts an `invoke` argument; `Err` names the unsupported argument.
pub(crate) fn arg_value(arg: &WastArg<'_>) -> Result<WastValue, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model argument".to_string());
    };
    Ok(match core {
        WastArgCore::I32(v) => WastValue::I32(*v),
        WastArgCore::I64(v) => WastValue::I64(*v),
        WastArgCore::F32(v) => WastValue::F32(v.bits),
        WastArgCore::F64(v) => WastValue::F64(v.bits),
        WastArgCore::V128(v) => WastValue::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract { shared: false, ty: AbstractHeapType::Func }) => {
            WastValue::FuncRef(None)
        }
        WastArgCore::RefNull(HeapType::Abstract { shared: false, ty: AbstractHeapType::Extern }) => {
            WastValue::ExternRef(None)
        }
        WastArgCore::RefExtern(n) => WastValue::ExternRef(Some(*n)),
        other => return Err(format!("argument {other:?}")),
    })
}

/// True if `actual` satisfies the expectation; `Err` names an expectation this
/// runner does not support (it must fail, not silently pass).
pub(crate) fn ret_matches(expected: &WastRet<'_>, actual: &WastValue) -> Result<bool, String> {
    let WastRet::Core(core) = expected else {
        return Err("component-model result".to_string());
    };
    core_matches(core, actual)
}

fn core_matches(expected: &WastRetCore<'_>, actual: &WastValue) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), WastValue::I32(a)) => e == a,
        (WastRetCore::I64(e), WastValue::I64(a)) => e == a,
        (WastRetCore::F32(e), WastValue::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), WastValue::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), WastValue::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(ty), actual) => match ty {
            None => matches!(actual, WastValue::FuncRef(None) | WastValue::ExternRef(None)),
            Some(HeapType::Abstract {
                shared: false,
                ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
            }) => *actual == WastValue::FuncRef(None),
            Some(HeapType::Abstract {
                shared: false,
                ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            }) => *actual == WastValue::ExternRef(None),
            Some(other) => return Err(format!("expected result ref.null {other:?}")),
        },
        (WastRetCore::RefExtern(None), actual) => matches!(actual, WastValue::ExternRef(Some(_))),
        (WastRetCore::RefExtern(Some(n)), actual) => *actual == WastValue::ExternRef(Some(*n)),
        (WastRetCore::RefFunc(None), actual) => matches!(actual, WastValue::FuncRef(Some(_))),
        (WastRetCore::Either(options), actual) => {
            for option in options {
                if core_matches(option, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::I32(_)
            | WastRetCore::I64(_)
            | WastRetCore::F32(_)
            | WastRetCore::F64(_)
            | WastRetCore::V128(_),
            _,
        ) => false,
        (other, _) => return Err(format!("expected result {other:?}")),
    })
}

fn f32_matches(expected: &NanPattern<F32>, bits: u32) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<F64>, bits: u64) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(expected: &V128Pattern, actual: u128) -> bool {
    let bytes = actual.to_le_bytes();
    let lane = |i: usize, width: usize| -> u64 {
        bytes[i * width..(i + 1) * width].iter().rev().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
    };
    match expected {
        V128Pattern::I8x16(e) => e.iter().enumerate().all(|(i, v)| lane(i, 1) as u8 == *v as u8),
        V128Pattern::I16x8(e) => e.iter().enumerate().all(|(i, v)| lane(i, 2) as u16 == *v as u16),
        V128Pattern::I32x4(e) => e.iter().enumerate().all(|(i, v)| lane(i, 4) as u32 == *v as u32),
        V128Pattern::I64x2(e) => e.iter().enumerate().all(|(i, v)| lane(i, 8) == *v as u64),
        V128Pattern::F32x4(e) => e.iter().enumerate().all(|(i, p)| f32_matches(p, lane(i, 4) as u32)),
        V128Pattern::F64x2(e) => e.iter().enumerate().all(|(i, p)| f64_matches(p, lane(i, 8))),
    }
}

/// Renders an expected result for failure lines, in script syntax where it is short.
pub(crate) fn describe_ret(expected: &WastRet<'_>) -> String {
    match expected {
        WastRet::Core(core) => describe_core(core),
        other => format!("{other:?}"),
    }
}

fn describe_core(expected: &WastRetCore<'_>) -> String {
    match expected {
        WastRetCore::I32(v) => WastValue::I32(*v).to_string(),
        WastRetCore::I64(v) => WastValue::I64(*v).to_string(),
        WastRetCore::F32(NanPattern::Value(v)) => WastValue::F32(v.bits).to_string(),
        WastRetCore::F64(NanPattern::Value(v)) => WastValue::F64(v.bits).to_string(),
        WastRetCore::F32(p) => format!("f32.const {}", nan_name(p)),
        WastRetCore::F64(p) => format!("f64.const {}", nan_name(p)),
        WastRetCore::Either(options) => {
            let options: Vec<String> = options.iter().map(describe_core).collect();
            format!("either({})", options.join(" | "))
        }
        other => format!("{other:?}"),
    }
}

fn nan_name<T>(pattern: &NanPattern<T>) -> &'static str {
    match pattern {
        NanPattern::CanonicalNan => "nan:canonical",
        NanPattern::ArithmeticNan => "nan:arithmetic",
        NanPattern::Value(_) => "value",
    }
}

/// Renders actual results for failure lines.
pub(crate) fn describe_values(values: &[WastValue]) -> String {
    let values: Vec<String> = values.iter().map(|v| format!("({v})")).collect();
    if values.is_empty() { "no results".to_string() } else { values.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `(assert_return (invoke "f") RESULTS)` and returns its results.
    fn with_results(results: &str, check: impl FnOnce(&[WastRet<'_>])) {
        let src = format!("(assert_return (invoke \"f\") {results})");
        let buf = ::wast::parser::ParseBuffer::new(&src).expect("test script lexes");
        let script = ::wast::parser::parse::<::wast::Wast<'_>>(&buf).expect("test script parses");
        match &script.directives[0] {
            ::wast::WastDirective::AssertReturn { results, .. } => check(results),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nan_patterns() {
        with_results("(f32.const nan:canonical) (f64.const nan:arithmetic)", |r| {
            assert_eq!(ret_matches(&r[0], &WastValue::F32(0xffc0_0000)), Ok(true));
            assert_eq!(ret_matches(&r[0], &WastValue::F32(0x7fc0_0001)), Ok(false));
            assert_eq!(ret_matches(&r[1], &WastValue::F64(0x7ff8_0000_0000_0001)), Ok(true));
            assert_eq!(ret_matches(&r[1], &WastValue::F64(0x7ff0_0000_0000_0001)), Ok(false));
            assert_eq!(ret_matches(&r[1], &WastValue::F32(0x7fc0_0000)), Ok(false));
        });
    }

    #[test]
    fn v128_lanes_and_refs() {
        with_results(
            "(v128.const i16x8 1 -1 0 0 0 0 0 0x7fff) (ref.null extern) (ref.extern 3) (ref.func)",
            |r| {
                let v = 0x7fff_u128 << 112 | 0xffff_0001;
                assert_eq!(ret_matches(&r[0], &WastValue::V128(v)), Ok(true));
                assert_eq!(ret_matches(&r[0], &WastValue::V128(v ^ 1)), Ok(false));
                assert_eq!(ret_matches(&r[1], &WastValue::ExternRef(None)), Ok(true));
                assert_eq!(ret_matches(&r[1], &WastValue::FuncRef(None)), Ok(false));
                assert_eq!(ret_matches(&r[2], &WastValue::ExternRef(Some(3))), Ok(true));
                assert_eq!(ret_matches(&r[3], &WastValue::FuncRef(Some(0))), Ok(true));
                assert_eq!(ret_matches(&r[3], &WastValue::FuncRef(None)), Ok(false));
            },
        );
    }

    #[test]
    fn either_and_descriptions() {
        with_results("(either (i32.const 1) (i32.const 2)) (f32.const nan:canonical)", |r| {
            assert_eq!(ret_matches(&r[0], &WastValue::I32(2)), Ok(true));
            assert_eq!(ret_matches(&r[0], &WastValue::I32(3)), Ok(false));
            assert_eq!(describe_ret(&r[0]), "either(i32.const 1 | i32.const 2)");
            assert_eq!(describe_ret(&r[1]), "f32.const nan:canonical");
        });
        assert_eq!(describe_values(&[WastValue::I32(1), WastValue::I64(2)]), "(i32.const 1) (i64.const 2)");
        assert_eq!(describe_values(&[]), "no results");
    }

    #[test]
    fn gc_expectations_are_unsupported() {
        with_results("(ref.i31)", |r| assert!(ret_matches(&r[0], &WastValue::I32(0)).is_err()));
    }
}
