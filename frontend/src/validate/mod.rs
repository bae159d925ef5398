//! Validation of function bodies (module-level rules live with the decoder).
pub(crate) mod func;
