//! Errors of decoding and validation. Both carry the byte offset into the module
//! so users can find the offending byte with any hex viewer.

use std::fmt;

/// Where and what: boxed so that results on the decoder's hot paths stay one
/// pointer wide on the error side.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    offset: usize,
    message: String,
}

/// The binary is not a well-formed WebAssembly module ("malformed" in the spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

/// The module is well formed but breaks a validation rule ("invalid" in the spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError(Box<Inner>);

/// Either kind of rejection; the wast runner and embedders tell them apart by variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Malformed binary.
    Decode(DecodeError),
    /// Well-formed but invalid module.
    Validation(ValidationError),
}

macro_rules! accessors {
    ($t:ident) => {
        impl $t {
            /// Builds the error; cold so error paths stay out of line in hot decoders.
            #[cold]
            pub fn new(offset: usize, message: impl Into<String>) -> Self {
                $t(Box::new(Inner { offset, message: message.into() }))
            }

            /// Byte offset in the module of the offending byte, instruction or item.
            pub fn offset(&self) -> usize {
                self.0.offset
            }

            /// The spec testsuite's wording where it has one (`unexpected end`,
            /// `type mismatch`, `unknown local 3`, ...), without the offset.
            pub fn message(&self) -> &str {
                &self.0.message
            }
        }
    };
}

accessors!(DecodeError);
accessors!(ValidationError);

impl Error {
    /// Byte offset of the failure, whichever kind it is.
    pub fn offset(&self) -> usize {
        match self {
            Error::Decode(e) => e.offset(),
            Error::Validation(e) => e.offset(),
        }
    }

    /// The bare message without offset, for matching against the spec's wording.
    pub fn message(&self) -> &str {
        match self {
            Error::Decode(e) => e.message(),
            Error::Validation(e) => e.message(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed module at offset {:#x}: {}", self.offset(), self.message())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid module at offset {:#x}: {}", self.offset(), self.message())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Decode(e) => e.fmt(f),
            Error::Validation(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DecodeError {}
impl std::error::Error for ValidationError {}
impl std::error::Error for Error {}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

/// Result of decoding alone.
pub type DecodeResult<T> = Result<T, DecodeError>;
