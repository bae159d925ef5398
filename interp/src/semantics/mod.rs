//! Bit-exact WebAssembly 2.0 numeric semantics, as pure functions on raw values.
//!
//! The execution loop calls these for every numeric instruction whose meaning is not
//! a one-line Rust operator, and for every SIMD (`0xFD`) instruction.
//!
//! # Naming
//! Each function is named after the instruction's text-format mnemonic with `.`
//! replaced by `_`: `i32.trunc_f32_s` is [`scalar::i32_trunc_f32_s`],
//! `i8x16.add_sat_u` is [`simd::i8x16_add_sat_u`], `v128.load8x8_s` is
//! [`simd::v128_load8x8_s`]. So the frontend's `SimpleOp::I8x16AddSatU` maps to
//! `i8x16_add_sat_u` mechanically.
//!
//! # Value representation
//! - `i32`/`i64` values are Rust `i32`/`i64` (Wasm integers carry no sign; the
//!   unsigned operators reinterpret internally).
//! - `f32`/`f64` values are Rust `f32`/`f64`. Moving them around (`from_bits`,
//!   `to_bits`, copies) preserves every bit, NaN payloads included, on every 64-bit
//!   target.
//! - `v128` is a `u128` whose lane 0 is the least significant bits, i.e. the byte
//!   order of `u128::to_le_bytes` is the byte order of linear memory.
//!
//! # NaN policy
//! The spec lets an operator that produces a NaN return any element of
//! `nans{inputs}`: a canonical NaN (either sign) if every NaN input is canonical,
//! otherwise any arithmetic NaN (quiet bit set). Sign-bit operators (`abs`, `neg`,
//! `copysign`) and data movement must preserve the bits exactly. Here:
//! - `min`/`max` return the positive canonical NaN whenever an operand is a NaN.
//!   That is always a member of `nans{..}`, is deterministic across hosts, and is
//!   what the spec's deterministic profile (Wasm 3.0) prescribes.
//! - Unary rounding operators (`ceil`, `floor`, `trunc`, `nearest`, `sqrt`) and
//!   `demote`/`promote` return the input NaN with the quiet bit set (payload kept
//!   or truncated). A canonical input therefore stays canonical, and a signalling
//!   input becomes arithmetic. This is done explicitly, because baseline x86-64
//!   lowers `ceil`/`floor`/`trunc` to libm calls that may return a signalling NaN
//!   unchanged, which the spec forbids.
//! - Binary arithmetic (`add`, `sub`, `mul`, `div`) uses the Rust operators. Rust
//!   guarantees (RFC 3514) that a NaN result is either a quieted input NaN or the
//!   quiet "preferred" NaN of either sign, which is exactly the spec's rule, so no
//!   fix-up is needed. The scalar forms are plain operators and have no function
//!   here; the SIMD forms do.
//! - `pmin`/`pmax` are defined by the spec as a comparison that returns one operand
//!   unchanged, so they propagate NaN bits exactly.

pub mod scalar;
pub mod simd;
