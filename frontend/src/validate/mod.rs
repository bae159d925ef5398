//! Validation of function bodies (module-level rules live with the decoder).
mod fast;
pub(crate) mod func;
mod ops;
