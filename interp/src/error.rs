//! Errors of translation (IR to slot code): loud values, never panics.

use std::fmt;

/// What went wrong while translating a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TranslateErrorKind {
    /// The IR uses something the interpreter does not implement yet.
    Unsupported(String),
    /// The IR is malformed (the verifier or the translator rejected it).
    InvalidIr(String),
    /// Lowering the Wasm body (or running the passes) failed.
    Lowering(String),
    /// A limit of the encoding was exceeded (frame cells, code size).
    Limit(String),
    /// The function index is not a defined function of the module.
    NoSuchFunction,
}

/// A function that could not be translated to slot code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslateError {
    /// The function index in its module, when known.
    pub funcidx: Option<u32>,
    /// What went wrong.
    pub kind: TranslateErrorKind,
}

impl TranslateError {
    /// An `unsupported: …` error.
    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        TranslateError { funcidx: None, kind: TranslateErrorKind::Unsupported(what.into()) }
    }

    /// An invalid-IR error.
    pub(crate) fn invalid(what: impl Into<String>) -> Self {
        TranslateError { funcidx: None, kind: TranslateErrorKind::InvalidIr(what.into()) }
    }

    /// A limit error.
    pub(crate) fn limit(what: impl Into<String>) -> Self {
        TranslateError { funcidx: None, kind: TranslateErrorKind::Limit(what.into()) }
    }

    /// The same error, located at function `funcidx`.
    pub(crate) fn at(mut self, funcidx: u32) -> Self {
        self.funcidx = Some(funcidx);
        self
    }
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.funcidx {
            write!(f, "function {i}: ")?;
        }
        match &self.kind {
            TranslateErrorKind::Unsupported(s) => write!(f, "unsupported: {s}"),
            TranslateErrorKind::InvalidIr(s) => write!(f, "invalid IR: {s}"),
            TranslateErrorKind::Lowering(s) => write!(f, "lowering failed: {s}"),
            TranslateErrorKind::Limit(s) => write!(f, "limit exceeded: {s}"),
            TranslateErrorKind::NoSuchFunction => f.write_str("not a defined function of the module"),
        }
    }
}

impl std::error::Error for TranslateError {}
