//! The hook through which an execution engine plugs into the wast runner.
//!
//! Validation is the frontend's job and the runner does it itself; everything
//! that needs a store (instantiation, linking, calls, globals) goes through
//! [`WastEngine`]. Until an engine exists, [`NoEngine`] answers every request with
//! [`EngineError::Unsupported`] and the runner counts those directives as skipped,
//! so they never show up as passed.

use std::fmt;

use zerowasm_frontend::ModuleInfo;

/// Which engine the user asked for with `--engine`. The default is the best
/// engine that exists: the interpreter until the compiler lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// The portable interpreter.
    #[default]
    Interpreter,
    /// The optimizing compiler (not implemented yet; asking for it is an error).
    Compiler,
}

impl EngineKind {
    /// Parses the `--engine` value; `None` lets the caller print its usage message.
    pub fn from_name(name: &str) -> Option<EngineKind> {
        match name {
            "interpreter" => Some(EngineKind::Interpreter),
            "compiler" => Some(EngineKind::Compiler),
            _ => None,
        }
    }

    /// The spelling accepted by `--engine`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Interpreter => "interpreter",
            EngineKind::Compiler => "compiler",
        }
    }
}

/// A value crossing the boundary between script and engine: arguments of
/// `invoke`, results compared by `assert_return`, globals read by `get`.
/// Floats are raw bits so NaN payloads survive the round trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WastValue {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bit pattern.
    F32(u32),
    /// An `f64`, as its bit pattern.
    F64(u64),
    /// A `v128`, lane 0 in the least significant byte.
    V128(u128),
    /// A `funcref`: `None` is null; `Some` carries an engine-chosen identity the
    /// runner never interprets beyond "non-null".
    FuncRef(Option<u32>),
    /// An `externref`: `None` is null; `Some(n)` is the host value `ref.extern n`.
    ExternRef(Option<u32>),
}

impl fmt::Display for WastValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WastValue::I32(v) => write!(f, "i32.const {v}"),
            WastValue::I64(v) => write!(f, "i64.const {v}"),
            WastValue::F32(bits) => write!(f, "f32.const {} (bits {bits:#010x})", f32::from_bits(bits)),
            WastValue::F64(bits) => write!(f, "f64.const {} (bits {bits:#018x})", f64::from_bits(bits)),
            WastValue::V128(v) => write!(f, "v128.const i32x4 {}", V128Lanes(v)),
            WastValue::FuncRef(None) => f.write_str("ref.null func"),
            WastValue::FuncRef(Some(_)) => f.write_str("ref.func"),
            WastValue::ExternRef(None) => f.write_str("ref.null extern"),
            WastValue::ExternRef(Some(n)) => write!(f, "ref.extern {n}"),
        }
    }
}

/// Prints a v128 as four hexadecimal i32 lanes, the most readable neutral shape.
struct V128Lanes(u128);

impl fmt::Display for V128Lanes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for lane in 0..4 {
            let bits = (self.0 >> (lane * 32)) as u32;
            if lane > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{bits:#010x}")?;
        }
        Ok(())
    }
}

/// Why an engine could not do what a directive asked. The runner matches trap,
/// link and exhaustion messages against the script's expected text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// The engine cannot do this yet; the directive is counted as skipped.
    Unsupported,
    /// Instantiation failed to link (unknown import, incompatible import type).
    Link(String),
    /// Execution trapped, including in a start function during instantiation.
    Trap(String),
    /// A resource ran out, typically the call stack.
    Exhaustion(String),
    /// Anything else: an unknown instance or export, a wrong argument count.
    Other(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Unsupported => f.write_str("not supported by the engine yet"),
            EngineError::Link(m) => write!(f, "link error: {m}"),
            EngineError::Trap(m) => write!(f, "trap: {m}"),
            EngineError::Exhaustion(m) => write!(f, "exhaustion: {m}"),
            EngineError::Other(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// What the runner needs from an engine to execute a script. Instances are
/// addressed by the script's `$name`s; `None` means the most recently
/// instantiated module, as the wast format defines.
pub trait WastEngine {
    /// Forgets every instance and registration, so each script starts from an
    /// empty store (scripts are independent by definition).
    fn reset(&mut self);

    /// Instantiates an already validated module. On success it becomes the
    /// current module (and is also reachable as `name`); on failure nothing changes.
    fn instantiate(
        &mut self,
        name: Option<&str>,
        bytes: &[u8],
        module: &ModuleInfo,
    ) -> Result<(), EngineError>;

    /// Makes the exports of `instance` importable under the module name `as_name`.
    fn register(&mut self, as_name: &str, instance: Option<&str>) -> Result<(), EngineError>;

    /// Calls the exported function `export` of `instance`.
    fn invoke(
        &mut self,
        instance: Option<&str>,
        export: &str,
        args: &[WastValue],
    ) -> Result<Vec<WastValue>, EngineError>;

    /// Reads the exported global `export` of `instance`.
    fn get(&mut self, instance: Option<&str>, export: &str) -> Result<WastValue, EngineError>;
}

/// The engine used until a real one lands: it remembers which one was asked for
/// and declines everything, so execution directives are skipped, never passed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoEngine {
    kind: EngineKind,
}

impl NoEngine {
    /// Stands in for the engine `kind`.
    pub fn new(kind: EngineKind) -> NoEngine {
        NoEngine { kind }
    }

    /// The engine the user selected.
    pub fn kind(&self) -> EngineKind {
        self.kind
    }
}

impl WastEngine for NoEngine {
    fn reset(&mut self) {}

    fn instantiate(&mut self, _: Option<&str>, _: &[u8], _: &ModuleInfo) -> Result<(), EngineError> {
        Err(EngineError::Unsupported)
    }

    fn register(&mut self, _: &str, _: Option<&str>) -> Result<(), EngineError> {
        Err(EngineError::Unsupported)
    }

    fn invoke(&mut self, _: Option<&str>, _: &str, _: &[WastValue]) -> Result<Vec<WastValue>, EngineError> {
        Err(EngineError::Unsupported)
    }

    fn get(&mut self, _: Option<&str>, _: &str) -> Result<WastValue, EngineError> {
        Err(EngineError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_names_round_trip() {
        for kind in [EngineKind::Interpreter, EngineKind::Compiler] {
            assert_eq!(EngineKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(EngineKind::from_name("jit"), None);
    }

    #[test]
    fn values_print_readably() {
        assert_eq!(WastValue::I32(-1).to_string(), "i32.const -1");
        assert_eq!(WastValue::F32(0x3fc0_0000).to_string(), "f32.const 1.5 (bits 0x3fc00000)");
        assert_eq!(
            WastValue::V128(0x0000_0004_0000_0003_0000_0002_0000_0001).to_string(),
            "v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004"
        );
        assert_eq!(WastValue::ExternRef(Some(7)).to_string(), "ref.extern 7");
    }
}
