//! Runs the directives of `.wast` scripts against a validator and an engine.
//!
//! The runner owns the decisions of the wast format (what counts as passed,
//! failed or skipped, how failures read); the validator and the engine are
//! injected so tests can drive the runner with fakes and so the engines can
//! plug in without touching this file.

use std::path::Path;

use ::wast::core::Module;
use ::wast::lexer::Lexer;
use ::wast::parser::{self, ParseBuffer};
use ::wast::token::{Id, Span};
use ::wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};
use zerowasm_frontend::{CoreFeatures, Error, ModuleInfo};

use super::engine::{EngineError, WastEngine, WastValue};
use super::report::{Report, SkipReason};
use super::values::{arg_value, describe_ret, describe_values, ret_matches};

/// Decodes and validates module bytes. Implemented by the real frontend
/// ([`FrontendValidator`]) and by any `Fn(&[u8]) -> Result<ModuleInfo, Error>`,
/// so tests can script the validator's answers.
pub trait Validator {
    /// Validates a whole module, exactly like [`zerowasm_frontend::validate`].
    fn validate(&self, bytes: &[u8]) -> Result<ModuleInfo, Error>;
}

impl<F> Validator for F
where
    F: Fn(&[u8]) -> Result<ModuleInfo, Error>,
{
    fn validate(&self, bytes: &[u8]) -> Result<ModuleInfo, Error> {
        self(bytes)
    }
}

/// The production validator: `zerowasm_frontend::validate` with a feature set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrontendValidator {
    /// The features modules may use; the official 2.0 suite needs [`CoreFeatures::V2`].
    pub features: CoreFeatures,
}

impl Validator for FrontendValidator {
    fn validate(&self, bytes: &[u8]) -> Result<ModuleInfo, Error> {
        zerowasm_frontend::validate(bytes, self.features)
    }
}

/// What one directive came to; the runner turns `Fail` into a located line.
enum Outcome {
    Pass,
    /// The `expected …, got …` part of the failure line.
    Fail(String),
    Skip(SkipReason),
}

/// Runs scripts one after another and accumulates one [`Report`] over them.
pub struct WastRunner<V, E> {
    validator: V,
    engine: E,
    report: Report,
}

impl<V: Validator, E: WastEngine> WastRunner<V, E> {
    /// A runner with an empty report.
    pub fn new(validator: V, engine: E) -> Self {
        WastRunner { validator, engine, report: Report::default() }
    }

    /// Runs every directive of one script. `file` is only used to label failure
    /// lines. A script that does not parse counts as a single failure. The engine
    /// is reset first because scripts share no state.
    pub fn run_script(&mut self, file: &str, src: &str) {
        self.engine.reset();
        let mut lexer = Lexer::new(src);
        // The official names.wast deliberately contains bidi control characters.
        lexer.allow_confusing_unicode(true);
        let parsed = ParseBuffer::new_with_lexer(lexer).and_then(|buf| {
            let script = parser::parse::<Wast<'_>>(&buf)?;
            for directive in script.directives {
                let span = directive.span();
                let name = directive_name(&directive);
                if let Outcome::Fail(detail) = self.run_directive(directive) {
                    self.report.fail(format!("{file}:{}: {name}: {detail}", line_of(span, src)));
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            let line = line_of(e.span(), src);
            self.report.fail(format!(
                "{file}:{line}: script: expected a parseable wast script, got {}",
                e.message()
            ));
        }
    }

    /// Reads and runs a script file; a file that cannot be read (missing, not
    /// UTF-8) counts as one failure, like a script that does not parse.
    pub fn run_file(&mut self, path: &Path) {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(src) => self.run_script(&file, &src),
            Err(e) => self.report.fail(format!("{file}: script: expected a readable UTF-8 file, got {e}")),
        }
    }

    /// Everything recorded so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Ends the run and hands over the report.
    pub fn into_report(self) -> Report {
        self.report
    }

    /// The engine, e.g. to inspect the one the CLI selected.
    pub fn engine(&self) -> &E {
        &self.engine
    }

    /// Runs one directive and books passes and skips; failures are booked by the
    /// caller, which knows where the directive sits.
    fn run_directive(&mut self, directive: WastDirective<'_>) -> Outcome {
        let outcome = self.outcome_of(directive);
        match outcome {
            Outcome::Pass => self.report.pass(),
            Outcome::Skip(reason) => self.report.skip(reason),
            Outcome::Fail(_) => {}
        }
        outcome
    }

    fn outcome_of(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(module) if is_component(&module) => unsupported("component"),
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name());
                let bytes = match encode(&mut module) {
                    Ok(bytes) => bytes,
                    Err(message) => return encode_failure("a valid module", &message),
                };
                match self.validator.validate(&bytes) {
                    Err(e) => Outcome::Fail(format!("expected a valid module, got {e}")),
                    Ok(info) => match self.engine.instantiate(name, &bytes, &info) {
                        Ok(()) => Outcome::Pass,
                        Err(e) => engine_failure("successful instantiation", e),
                    },
                }
            }
            WastDirective::AssertMalformed { module: QuoteWat::QuoteModule(..), .. } => {
                Outcome::Skip(SkipReason::ModuleQuote)
            }
            WastDirective::AssertMalformed { module, .. } if is_component(&module) => {
                unsupported("component")
            }
            WastDirective::AssertMalformed { mut module, message, .. } => {
                self.report.malformed.seen += 1;
                let outcome = self.expect_rejection(&mut module, message, Rejection::Malformed);
                if let Outcome::Pass = outcome {
                    self.report.malformed.passed += 1;
                }
                outcome
            }
            WastDirective::AssertInvalid { module, .. } if is_component(&module) => unsupported("component"),
            WastDirective::AssertInvalid { mut module, message, .. } => {
                self.report.invalid.seen += 1;
                let outcome = self.expect_rejection(&mut module, message, Rejection::Invalid);
                if let Outcome::Pass = outcome {
                    self.report.invalid.passed += 1;
                }
                outcome
            }
            WastDirective::AssertUnlinkable { module: Wat::Component(_), .. } => unsupported("component"),
            WastDirective::AssertUnlinkable { module: Wat::Module(module), message, .. } => {
                self.expect_failed_instantiation(module, message, FailureKind::Link)
            }
            WastDirective::AssertTrap { exec: WastExecute::Wat(Wat::Component(_)), .. } => {
                unsupported("component")
            }
            WastDirective::AssertTrap { exec: WastExecute::Wat(Wat::Module(module)), message, .. } => {
                self.expect_failed_instantiation(module, message, FailureKind::Trap)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Err(EngineError::Trap(got)) if trap_matches(&got, message) => Outcome::Pass,
                Ok(values) => {
                    Outcome::Fail(format!("expected trap \"{message}\", got {}", describe_values(&values)))
                }
                Err(e) => engine_failure(&format!("trap \"{message}\""), e),
            },
            WastDirective::AssertReturn { exec: WastExecute::Wat(_), .. } => {
                unsupported("assert_return with a module")
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let expected: Vec<String> =
                    results.iter().map(|r| format!("({})", describe_ret(r))).collect();
                let expected =
                    if expected.is_empty() { "no results".to_string() } else { expected.join(" ") };
                match self.execute(exec) {
                    Ok(values) if values.len() == results.len() => {
                        for (want, got) in results.iter().zip(&values) {
                            match ret_matches(want, got) {
                                Ok(true) => {}
                                Ok(false) => {
                                    return Outcome::Fail(format!(
                                        "expected {expected}, got {}",
                                        describe_values(&values)
                                    ));
                                }
                                Err(what) => return Outcome::Fail(format!("unsupported {what}")),
                            }
                        }
                        Outcome::Pass
                    }
                    Ok(values) => {
                        Outcome::Fail(format!("expected {expected}, got {}", describe_values(&values)))
                    }
                    Err(e) => engine_failure(&expected, e),
                }
            }
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(call) {
                Err(EngineError::Exhaustion(got)) if got.contains(message) => Outcome::Pass,
                Ok(values) => Outcome::Fail(format!(
                    "expected exhaustion \"{message}\", got {}",
                    describe_values(&values)
                )),
                Err(e) => engine_failure(&format!("exhaustion \"{message}\""), e),
            },
            WastDirective::Invoke(call) => {
                let what = format!("invoke \"{}\" to succeed", call.name);
                match self.invoke(call) {
                    Ok(_) => Outcome::Pass,
                    Err(e) => engine_failure(&what, e),
                }
            }
            WastDirective::Register { name, module, .. } => {
                match self.engine.register(name, module.as_ref().map(Id::name)) {
                    Ok(()) => Outcome::Pass,
                    Err(e) => engine_failure(&format!("register \"{name}\" to succeed"), e),
                }
            }
            other => unsupported(directive_name(&other)),
        }
    }

    /// `assert_malformed` / `assert_invalid`: the module must be rejected with
    /// the right kind of error, and our message must contain the script's text.
    fn expect_rejection(&mut self, module: &mut QuoteWat<'_>, message: &str, kind: Rejection) -> Outcome {
        let expected = format!("{} \"{message}\"", kind.word());
        let bytes = match encode(module) {
            Ok(bytes) => bytes,
            Err(message) => return encode_failure(&expected, &message),
        };
        match self.validator.validate(&bytes) {
            Ok(_) => Outcome::Fail(format!("expected {expected}, got module accepted")),
            Err(e) => {
                let right_kind = matches!(
                    (&e, kind),
                    (Error::Decode(_), Rejection::Malformed) | (Error::Validation(_), Rejection::Invalid)
                );
                if right_kind && e.message().contains(message) {
                    Outcome::Pass
                } else {
                    Outcome::Fail(format!("expected {expected}, got {e}"))
                }
            }
        }
    }

    /// `assert_unlinkable` / `assert_trap (module …)`: the module must be valid
    /// and its instantiation must fail the expected way.
    fn expect_failed_instantiation(
        &mut self,
        module: Module<'_>,
        message: &str,
        kind: FailureKind,
    ) -> Outcome {
        let mut module = QuoteWat::Wat(Wat::Module(module));
        let bytes = match encode(&mut module) {
            Ok(bytes) => bytes,
            Err(message) => return encode_failure("a valid module", &message),
        };
        let info = match self.validator.validate(&bytes) {
            Ok(info) => info,
            Err(e) => return Outcome::Fail(format!("expected a valid module, got {e}")),
        };
        let expected = format!("{} \"{message}\"", kind.word());
        match self.engine.instantiate(None, &bytes, &info) {
            Err(EngineError::Link(got)) if kind == FailureKind::Link && got.contains(message) => {
                Outcome::Pass
            }
            Err(EngineError::Trap(got)) if kind == FailureKind::Trap && trap_matches(&got, message) => {
                Outcome::Pass
            }
            Ok(()) => Outcome::Fail(format!("expected {expected}, got module instantiated")),
            Err(e) => engine_failure(&expected, e),
        }
    }

    /// Runs the `invoke` or `get` of an assertion.
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<WastValue>, EngineError> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(call),
            WastExecute::Get { module, global, .. } => {
                self.engine.get(module.as_ref().map(Id::name), global).map(|v| vec![v])
            }
            WastExecute::Wat(_) => Err(EngineError::Other("a module is not an invocation".to_string())),
        }
    }

    fn invoke(&mut self, call: WastInvoke<'_>) -> Result<Vec<WastValue>, EngineError> {
        let args = call
            .args
            .iter()
            .map(arg_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|what| EngineError::Other(format!("unsupported {what}")))?;
        self.engine.invoke(call.module.as_ref().map(Id::name), call.name, &args)
    }
}

/// Which rejection an assertion expects.
#[derive(Clone, Copy)]
enum Rejection {
    Malformed,
    Invalid,
}

impl Rejection {
    fn word(self) -> &'static str {
        match self {
            Rejection::Malformed => "malformed",
            Rejection::Invalid => "invalid",
        }
    }
}

/// Which instantiation failure an assertion expects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FailureKind {
    Link,
    Trap,
}

impl FailureKind {
    fn word(self) -> &'static str {
        match self {
            FailureKind::Link => "unlinkable",
            FailureKind::Trap => "trap",
        }
    }
}

/// Encodes a script module to bytes; `Err` carries the wast crate's one-line message.
fn encode(module: &mut QuoteWat<'_>) -> Result<Vec<u8>, String> {
    module.encode().map_err(|e| e.message())
}

/// The failure for a module the wast crate could not encode: our validator never saw it.
fn encode_failure(expected: &str, message: &str) -> Outcome {
    Outcome::Fail(format!("expected {expected}, got wast crate failed to encode the module: {message}"))
}

/// Maps an engine error to an outcome: `Unsupported` is a skip, anything else a failure.
fn engine_failure(expected: &str, error: EngineError) -> Outcome {
    match error {
        EngineError::Unsupported => Outcome::Skip(SkipReason::NeedsExecution),
        e => Outcome::Fail(format!("expected {expected}, got {e}")),
    }
}

fn unsupported(kind: &str) -> Outcome {
    Outcome::Fail(format!("unsupported directive {kind}"))
}

fn is_component(module: &QuoteWat<'_>) -> bool {
    matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)))
}

/// 1-based line of a span, as editors and `file:line:` links expect.
fn line_of(span: Span, src: &str) -> usize {
    span.linecol_in(src).0 + 1
}

/// The directive's keyword, used as the middle part of failure lines.
fn directive_name(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

/// Whether a trap's text satisfies an `assert_trap` message. The reference
/// interpreter appends the element index to one message ("uninitialized
/// element 2"); a trap value carries no operands, so that index is the one
/// part we accept without seeing: the rest must match exactly.
fn trap_matches(got: &str, expected: &str) -> bool {
    if got.contains(expected) {
        return true;
    }
    match expected.strip_prefix("uninitialized element ") {
        Some(index) => {
            !index.is_empty()
                && index.bytes().all(|b| b.is_ascii_digit())
                && got.contains("uninitialized element")
        }
        None => false,
    }
}

#[cfg(test)]
mod trap_message_tests {
    use super::trap_matches;

    #[test]
    fn only_the_element_index_may_be_missing() {
        assert!(trap_matches("trap: out of bounds memory access", "out of bounds memory access"));
        assert!(trap_matches("uninitialized element", "uninitialized element 2"));
        assert!(!trap_matches("uninitialized element", "uninitialized element x"));
        assert!(!trap_matches("out of bounds table access", "uninitialized element 2"));
        assert!(!trap_matches("undefined element", "uninitialized element"));
    }
}
