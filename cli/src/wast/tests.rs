//! Runner tests on small synthetic scripts, with a fake validator whose answer
//! is spelled inside the module bytes (`MALFORMED:msg|`, `INVALID:msg|`) and a
//! fake engine, so every expected count and line is known in advance.

use zerowasm_frontend::{DecodeError, Error, ModuleInfo, ValidationError};

use super::*;

/// Rejects modules whose bytes contain `MALFORMED:msg|` or `INVALID:msg|`
/// (offset = where the marker starts), accepts everything else.
fn fake_validate(bytes: &[u8]) -> Result<ModuleInfo, Error> {
    for (marker, malformed) in [(&b"MALFORMED:"[..], true), (&b"INVALID:"[..], false)] {
        if let Some(at) = bytes.windows(marker.len()).position(|w| w == marker) {
            let rest = &bytes[at + marker.len()..];
            let end = rest.iter().position(|b| *b == b'|').unwrap_or(rest.len());
            let message = String::from_utf8_lossy(&rest[..end]).into_owned();
            return Err(if malformed {
                DecodeError::new(at, message).into()
            } else {
                ValidationError::new(at, message).into()
            });
        }
    }
    Ok(ModuleInfo::default())
}

fn run_fake(src: &str) -> Report {
    let mut runner = WastRunner::new(fake_validate, NoEngine::new(EngineKind::Interpreter));
    runner.run_script("t.wast", src);
    runner.into_report()
}

const VALIDATION_SCRIPT: &str = r#"(module (func))
(module binary "INVALID:type mismatch|")
(assert_malformed (module binary "MALFORMED:unexpected end|") "unexpected end")
(assert_malformed (module binary "MALFORMED:unexpected end of section or function|") "unexpected end")
(assert_malformed (module binary "INVALID:type mismatch|") "unexpected end")
(assert_malformed (module binary "MALFORMED:integer too large|") "unexpected end")
(assert_malformed (module binary "") "magic header not detected")
(assert_malformed (module quote "(func") "unexpected token")
(assert_invalid (module (memory 1) (data (i32.const 0) "INVALID:type mismatch|")) "type mismatch")
(assert_invalid (module quote "(memory 1) (data (i32.const 0) \"INVALID:unknown local 3|\")") "unknown local")
(assert_invalid (module binary "MALFORMED:unexpected end|") "type mismatch")
(assert_invalid (module quote "(func (i32.const") "type mismatch")
(assert_invalid (module (func)) "type mismatch")
"#;

#[test]
fn validation_directives_pass_fail_and_skip_exactly() {
    let report = run_fake(VALIDATION_SCRIPT);
    assert_eq!(
        report.failures,
        [
            "t.wast:2: module: expected a valid module, got invalid module at offset 0x0: type mismatch",
            "t.wast:5: assert_malformed: expected malformed \"unexpected end\", \
             got invalid module at offset 0x0: type mismatch",
            "t.wast:6: assert_malformed: expected malformed \"unexpected end\", \
             got malformed module at offset 0x0: integer too large",
            "t.wast:7: assert_malformed: expected malformed \"magic header not detected\", got module accepted",
            "t.wast:11: assert_invalid: expected invalid \"type mismatch\", \
             got malformed module at offset 0x0: unexpected end",
            "t.wast:12: assert_invalid: expected invalid \"type mismatch\", \
             got wast crate failed to encode the module: expected a i32",
            "t.wast:13: assert_invalid: expected invalid \"type mismatch\", got module accepted",
        ]
    );
    assert_eq!((report.passed, report.failed, report.skipped, report.skipped_quote), (4, 7, 2, 1));
    assert_eq!(report.malformed, Tally { seen: 5, passed: 2 });
    assert_eq!(report.invalid, Tally { seen: 5, passed: 2 });
}

#[test]
fn execution_directives_are_skipped_without_an_engine() {
    let src = r#"(module $M (func (export "f") (result i32) i32.const 1) (global (export "g") i32 (i32.const 1)))
(register "M" $M)
(invoke "f")
(assert_return (invoke $M "f") (i32.const 1))
(assert_return (get "g") (i32.const 1))
(assert_trap (invoke "f" (i32.const 0) (f64.const nan)) "integer divide by zero")
(assert_exhaustion (invoke "f") "call stack exhausted")
(assert_unlinkable (module (import "no" "such" (func))) "unknown import")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_unlinkable (module binary "INVALID:type mismatch|") "unknown import")
(assert_trap (module binary "INVALID:unknown function|") "unreachable")
"#;
    let report = run_fake(src);
    assert_eq!(
        report.failures,
        [
            "t.wast:10: assert_unlinkable: expected a valid module, got invalid module at offset 0x0: type mismatch",
            "t.wast:11: assert_trap: expected a valid module, got invalid module at offset 0x0: unknown function",
        ]
    );
    assert_eq!((report.passed, report.failed, report.skipped, report.skipped_quote), (0, 2, 9, 0));
    assert_eq!(report.skipped_execution(), 9);
}

#[test]
fn unparseable_script_is_one_failure() {
    let report = run_fake("(module (func))\n\n(assert_return (invoke \"f\") (i32.const 1)\n");
    assert_eq!((report.passed, report.failed, report.skipped), (0, 1, 0));
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0].starts_with("t.wast:4: script: expected a parseable wast script, got "),
        "{}",
        report.failures[0]
    );
    let report = run_fake("(frobnicate)");
    assert_eq!(report.failed, 1);
    assert!(report.failures[0].starts_with("t.wast:1: script: "), "{}", report.failures[0]);
}

#[test]
fn unsupported_directives_fail_loudly() {
    let src = r#"(module definition $D (func))
(component)
(assert_invalid (component) "x")
(assert_exception (invoke "f"))
(thread $T (invoke "f"))
(wait $T)
(assert_return (module) (i32.const 1))
"#;
    let report = run_fake(src);
    assert_eq!(
        report.failures,
        [
            "t.wast:1: module definition: unsupported directive module definition",
            "t.wast:2: module: unsupported directive component",
            "t.wast:3: assert_invalid: unsupported directive component",
            "t.wast:4: assert_exception: unsupported directive assert_exception",
            "t.wast:5: thread: unsupported directive thread",
            "t.wast:6: wait: unsupported directive wait",
            "t.wast:7: assert_return: unsupported directive assert_return with a module",
        ]
    );
    assert_eq!((report.passed, report.failed, report.skipped), (0, 7, 0));
    assert_eq!(report.invalid, Tally::default());
}

#[test]
fn confusing_unicode_is_allowed() {
    // U+202E RIGHT-TO-LEFT OVERRIDE inside a string, as in the official names.wast.
    let report = run_fake("(module (func (export \"\u{202e}abc\")))\n(assert_invalid (module) \"\u{202e}\")");
    assert_eq!(
        report.failures,
        ["t.wast:2: assert_invalid: expected invalid \"\u{202e}\", got module accepted"]
    );
    assert_eq!(report.skipped, 1);
}

#[test]
fn reports_accumulate_over_scripts() {
    let mut runner = WastRunner::new(fake_validate, NoEngine::new(EngineKind::Compiler));
    runner.run_script("a.wast", "(assert_malformed (module binary \"MALFORMED:x|\") \"x\")");
    runner.run_script("b.wast", "(assert_malformed (module binary \"MALFORMED:y|\") \"x\")");
    assert_eq!(runner.engine().kind(), EngineKind::Compiler);
    let report = runner.report();
    assert_eq!(report.totals_line(), "1 passed, 1 failed, 0 skipped");
    assert_eq!(
        report.failures,
        ["b.wast:1: assert_malformed: expected malformed \"x\", got malformed module at offset 0x0: y"]
    );
}

/// Answers by export name and by markers in module bytes; counts resets.
#[derive(Default)]
struct FakeEngine {
    resets: usize,
    calls: Vec<String>,
}

impl WastEngine for FakeEngine {
    fn reset(&mut self) {
        self.resets += 1;
    }

    fn instantiate(&mut self, name: Option<&str>, bytes: &[u8], _: &ModuleInfo) -> Result<(), EngineError> {
        self.calls.push(format!("instantiate {name:?}"));
        if bytes.windows(4).any(|w| w == b"LINK") {
            Err(EngineError::Link("unknown import no.such".to_string()))
        } else if bytes.windows(4).any(|w| w == b"TRAP") {
            Err(EngineError::Trap("unreachable executed".to_string()))
        } else {
            Ok(())
        }
    }

    fn register(&mut self, as_name: &str, instance: Option<&str>) -> Result<(), EngineError> {
        self.calls.push(format!("register {as_name} {instance:?}"));
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: Option<&str>,
        export: &str,
        args: &[WastValue],
    ) -> Result<Vec<WastValue>, EngineError> {
        self.calls.push(format!("invoke {instance:?} {export} {args:?}"));
        match export {
            "id" => Ok(args.to_vec()),
            "div" => Err(EngineError::Trap("integer divide by zero".to_string())),
            "deep" => Err(EngineError::Exhaustion("call stack exhausted".to_string())),
            "nan" => Ok(vec![WastValue::F32(0x7fc0_0000), WastValue::F64(0xfff8_0000_0000_0000)]),
            _ => Err(EngineError::Other(format!("unknown export {export}"))),
        }
    }

    fn get(&mut self, _: Option<&str>, export: &str) -> Result<WastValue, EngineError> {
        match export {
            "g" => Ok(WastValue::I64(7)),
            _ => Err(EngineError::Other(format!("unknown global {export}"))),
        }
    }
}

#[test]
fn an_engine_plugs_in() {
    let src = r#"(module $M (func (export "id")))
(register "m" $M)
(invoke "id" (i32.const 1))
(assert_return (invoke $M "id" (i32.const 1) (v128.const i64x2 1 2)) (i32.const 1) (v128.const i32x4 1 0 2 0))
(assert_return (invoke "id" (i32.const 1)) (i32.const 2))
(assert_return (invoke "nan") (f32.const nan:canonical) (f64.const nan:arithmetic))
(assert_return (get "g") (i64.const 7))
(assert_trap (invoke "div") "integer divide by zero")
(assert_trap (invoke "id") "unreachable")
(assert_exhaustion (invoke "deep") "call stack exhausted")
(assert_unlinkable (module (import "LINK" "x" (func))) "unknown import")
(assert_trap (module (memory 1) (data (i32.const 0) "TRAP")) "unreachable")
(assert_unlinkable (module (func)) "unknown import")
(invoke "missing")
"#;
    let mut runner = WastRunner::new(fake_validate, FakeEngine::default());
    runner.run_script("e.wast", src);
    runner.run_script("f.wast", "(module)");
    assert_eq!(runner.engine().resets, 2);
    assert_eq!(runner.engine().calls[..2], ["instantiate Some(\"M\")", "register m Some(\"M\")"]);
    let report = runner.into_report();
    assert_eq!(
        report.failures,
        [
            "e.wast:5: assert_return: expected (i32.const 2), got (i32.const 1)",
            "e.wast:9: assert_trap: expected trap \"unreachable\", got no results",
            "e.wast:13: assert_unlinkable: expected unlinkable \"unknown import\", got module instantiated",
            "e.wast:14: invoke: expected invoke \"missing\" to succeed, got error: unknown export missing",
        ]
    );
    assert_eq!((report.passed, report.failed, report.skipped), (11, 4, 0));
}
