//! The runtime's error types. Traps have their own type ([`crate::Trap`])
//! because they carry a backtrace and may wrap a host error.

use std::fmt;

use crate::trap::Trap;

/// Why a runtime operation other than executing Wasm failed. Messages name the
/// thing that was wrong so an embedder can report them as they are.
#[derive(Debug)]
pub enum Error {
    /// The module bytes are malformed or invalid.
    Module(zerowasm_frontend::Error),
    /// The engine could not compile a valid module.
    Engine(String),
    /// A value of the wrong type was given (to a global, a table, a call).
    TypeMismatch {
        /// What was being written or passed.
        what: String,
        /// The type that was required.
        expected: String,
        /// The type that was given.
        found: String,
    },
    /// `global.set` on an immutable global.
    ImmutableGlobal,
    /// An offset or index beyond the current size of a memory or table.
    OutOfBounds {
        /// `"memory"` or `"table"`.
        what: &'static str,
        /// The first position that would be touched.
        offset: u64,
        /// How many bytes or elements.
        len: u64,
        /// The current size in bytes or elements.
        size: u64,
    },
    /// A memory or table could not be created or grown within its limits or
    /// within what the store may reserve.
    Resource(String),
    /// Instantiation failed (linking, a trap in a segment or start function).
    Instantiation(InstantiationError),
    /// A configuration value is unusable (a bad mount, a missing directory,
    /// an option the runtime was not configured for).
    Config(String),
    /// The runtime cannot do this on this host or in this build yet.
    Unsupported(String),
    /// The instance has no export of that name and kind.
    UnknownExport {
        /// `"function"`, `"memory"`, `"global"`, `"table"`.
        kind: &'static str,
        /// The name asked for.
        name: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Module(e) => e.fmt(f),
            Error::Engine(m) => write!(f, "compilation failed: {m}"),
            Error::TypeMismatch { what, expected, found } => {
                write!(f, "type mismatch: {what} expects {expected}, found {found}")
            }
            Error::ImmutableGlobal => f.write_str("cannot set an immutable global"),
            Error::OutOfBounds { what, offset, len, size } => {
                write!(f, "out of bounds {what} access: {len} at {offset} exceeds size {size}")
            }
            Error::Resource(m) => f.write_str(m),
            Error::Instantiation(e) => write!(f, "instantiation failed: {e}"),
            Error::Config(m) => write!(f, "configuration error: {m}"),
            Error::Unsupported(m) => write!(f, "unsupported: {m}"),
            Error::UnknownExport { kind, name } => write!(f, "no exported {kind} named `{name}`"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Module(e) => Some(e),
            Error::Instantiation(e) => Some(e),
            _ => None,
        }
    }
}

impl From<zerowasm_frontend::Error> for Error {
    fn from(e: zerowasm_frontend::Error) -> Self {
        Error::Module(e)
    }
}

impl Error {
    /// The guest's exit code, if this is a guest exit during instantiation
    /// (a start function called `proc_exit` with a nonzero code).
    pub fn exit_code(&self) -> Option<u32> {
        match self {
            Error::Instantiation(InstantiationError::Trap(t)) => t.exit_code(),
            _ => None,
        }
    }
}

impl From<InstantiationError> for Error {
    fn from(e: InstantiationError) -> Self {
        Error::Instantiation(e)
    }
}

/// Why instantiation failed. The wast runner tells `assert_unlinkable` from
/// `assert_trap (module …)` by the variant and matches the message text.
#[derive(Debug)]
pub enum InstantiationError {
    /// An import is missing (`unknown import: …`) or does not match the
    /// required type (`incompatible import type: …`). Nothing was created.
    Link(String),
    /// An active segment was out of bounds or the start function trapped. The
    /// instance is not returned, but as Wasm 2.0 specifies, writes made before
    /// the trap stay visible in imported memories and tables (and functions of
    /// the failed instance stay callable through them).
    Trap(Trap),
    /// A memory or table of the module could not be allocated.
    Resource(String),
    /// A validated module broke an invariant the runtime relies on (a bug in
    /// the validator or the runtime, reported instead of panicking).
    Internal(String),
}

impl fmt::Display for InstantiationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiationError::Link(m) => f.write_str(m),
            InstantiationError::Trap(t) => t.fmt(f),
            InstantiationError::Resource(m) => f.write_str(m),
            InstantiationError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for InstantiationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InstantiationError::Trap(t) => Some(t),
            _ => None,
        }
    }
}

impl From<Trap> for InstantiationError {
    fn from(t: Trap) -> Self {
        InstantiationError::Trap(t)
    }
}
