//! The public trap type. It wraps the interpreter's [`zerowasm_interp::env::Trap`]
//! so that traps cross the engine boundary without conversion, and adds the
//! `Display`/`Error` impls an embedder needs.

use std::fmt;

use zerowasm_interp::env::{self, TrapReason};

pub use zerowasm_interp::env::FrameInfo;
pub use zerowasm_ssa::TrapCode;

/// Why Wasm execution stopped abnormally: a Wasm trap ([`TrapCode`]) or an
/// error raised by a host function, with the Wasm frames that were active.
/// `Display` prints the spec testsuite's wording (`out of bounds memory access`)
/// for Wasm traps and the host error's own message otherwise.
pub struct Trap {
    inner: env::Trap,
}

/// A host error made from a plain message, for [`Trap::msg`].
#[derive(Debug)]
struct Message(String);

/// The guest exited: carried as a host error so it unwinds like a trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitError {
    /// The exit code.
    pub code: u32,
}

impl fmt::Display for ExitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "module closed with exit_code({})", self.code)
    }
}

impl std::error::Error for ExitError {}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl Trap {
    /// A Wasm trap, as builtins and host functions raise them.
    pub fn new(code: TrapCode) -> Trap {
        Trap { inner: env::Trap::code(code) }
    }

    /// A host function failure carrying the embedder's error untouched, so it
    /// can be downcast again after the call returns.
    pub fn host(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Trap {
        Trap { inner: env::Trap { reason: TrapReason::Host(error.into()), frames: Vec::new() } }
    }

    /// A host failure with just a message.
    pub fn msg(message: impl Into<String>) -> Trap {
        Trap::host(Message(message.into()))
    }

    /// The Wasm trap code, or `None` for a host error.
    pub fn code(&self) -> Option<TrapCode> {
        self.inner.trap_code()
    }

    /// The host error, if a host function raised this trap.
    pub fn host_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &self.inner.reason {
            TrapReason::Host(e) => Some(e.as_ref()),
            TrapReason::Code(_) => None,
        }
    }

    /// The Wasm frames active when the trap happened, innermost first.
    pub fn frames(&self) -> &[FrameInfo] {
        &self.inner.frames
    }

    /// The guest ended its instance with `code` (WASI `proc_exit`, or a call
    /// on a module closed with that code): an exit, not a crash, and
    /// [`Trap::exit_code`] says so.
    pub fn exit(code: u32) -> Trap {
        Trap::host(ExitError { code })
    }

    /// The exit code if this is an exit rather than a trap.
    pub fn exit_code(&self) -> Option<u32> {
        self.host_error()?.downcast_ref::<ExitError>().map(|e| e.code)
    }

    /// The backtrace as users read it: one line per Wasm frame, innermost
    /// first, `  0: module.func (wasm offset 0x2a)`.
    pub fn backtrace(&self) -> String {
        let mut out = String::new();
        for (i, frame) in self.inner.frames.iter().enumerate() {
            out.push_str(&format!("  {i}: {frame}\n"));
        }
        out
    }

    /// True if the trap is the call-stack limit, which the spec tests call
    /// "exhaustion" rather than a trap.
    pub fn is_exhaustion(&self) -> bool {
        self.code() == Some(TrapCode::StackOverflow)
    }

    /// The engine-level trap, for handing back to an engine.
    pub(crate) fn into_env(self) -> env::Trap {
        self.inner
    }
}

impl From<env::Trap> for Trap {
    fn from(inner: env::Trap) -> Self {
        Trap { inner }
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.reason {
            TrapReason::Code(c) => f.write_str(c.message()),
            TrapReason::Host(e) => e.fmt(f),
        }
    }
}

impl fmt::Debug for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Trap({self}")?;
        for frame in &self.inner.frames {
            write!(f, "; {frame}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for Trap {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.reason {
            TrapReason::Host(e) => Some(e.as_ref()),
            TrapReason::Code(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_spec_wording() {
        assert_eq!(Trap::new(TrapCode::MemoryOutOfBounds).to_string(), "out of bounds memory access");
        assert_eq!(Trap::new(TrapCode::TableOutOfBounds).to_string(), "out of bounds table access");
        assert!(Trap::new(TrapCode::StackOverflow).is_exhaustion());
    }

    #[test]
    fn exits_are_recognised() {
        let t = Trap::exit(3);
        assert_eq!(t.exit_code(), Some(3));
        assert_eq!(t.to_string(), "module closed with exit_code(3)");
        assert_eq!(Trap::msg("x").exit_code(), None);
        assert_eq!(Trap::new(TrapCode::Unreachable).exit_code(), None);
    }

    #[test]
    fn host_errors_survive_the_round_trip() {
        let t = Trap::msg("boom");
        assert_eq!(t.to_string(), "boom");
        assert_eq!(t.code(), None);
        let back = Trap::from(t.into_env());
        assert_eq!(back.host_error().map(|e| e.to_string()), Some("boom".to_string()));
    }
}
