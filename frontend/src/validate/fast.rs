//! What the body validator's byte-level fast path needs: a table of the
//! plain (unprefixed) opcodes with fixed typing, and LEB128 readers that
//! accept only encodings of at most five bytes that the general reader
//! accepts too. Anything they decline (a long, out-of-range or truncated
//! integer, an opcode outside the table) goes to the
//! general decoder, which reports the exact error, so the fast path never
//! has to reproduce an error of its own.

use std::sync::OnceLock;

use crate::operator::{LoadOp, StoreOp};
use crate::simple_ops::SimpleOp;
use crate::types::ValType;

/// How the fast path types a plain opcode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shape {
    /// Not handled by the table (control, variables, constants, feature-gated ops).
    Other,
    /// `[a] -> [result]`.
    Unary,
    /// `[a b] -> [result]`.
    Binary,
    /// A load: memarg immediate, `[i32] -> [result]`.
    Load,
    /// A store: memarg immediate, `[i32 a] -> []`.
    Store,
}

/// One opcode's typing, as operand-stack entries so the checks are byte compares.
#[derive(Clone, Copy, Debug)]
pub(super) struct Plain {
    pub shape: Shape,
    pub a: Option<ValType>,
    pub b: Option<ValType>,
    pub result: Option<ValType>,
    /// Natural alignment (log2 bytes) of a load or store.
    pub natural: u8,
}

const OTHER: Plain = Plain { shape: Shape::Other, a: None, b: None, result: None, natural: 0 };

/// The table indexed by opcode byte, built on first use from the operator
/// tables (their accessors are not `const`), so there is one source of truth.
pub(super) fn plain_table() -> &'static [Plain; 256] {
    static TABLE: OnceLock<[Plain; 256]> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> [Plain; 256] {
    let mut t = [OTHER; 256];
    for (byte, entry) in t.iter_mut().enumerate() {
        // Feature-gated ops (sign extension) keep their check on the general path.
        let Some(op) = SimpleOp::from_encoding(byte as u32).filter(|op| op.feature().is_none()) else {
            continue;
        };
        let sig = op.sig();
        let result = Some(sig.result);
        *entry = match *sig.params {
            [a] => Plain { shape: Shape::Unary, a: Some(a), result, ..OTHER },
            [a, b] => Plain { shape: Shape::Binary, a: Some(a), b: Some(b), result, ..OTHER },
            _ => OTHER,
        };
    }
    for op in LoadOp::ALL.iter().filter(|op| op.encoding() <= 0xff) {
        t[op.encoding() as usize] =
            Plain { shape: Shape::Load, result: Some(op.val_type()), natural: op.natural_align(), ..OTHER };
    }
    for op in StoreOp::ALL.iter().filter(|op| op.encoding() <= 0xff) {
        t[op.encoding() as usize] =
            Plain { shape: Shape::Store, a: Some(op.val_type()), natural: op.natural_align(), ..OTHER };
    }
    t
}

/// An unsigned LEB128 u32 at `pos`, with the position after it; `None` for
/// anything the general reader would reject (too long, too large, cut off).
/// Linkers pad relocated indices and addresses to five bytes, so those count.
#[inline(always)]
pub(super) fn short_u32(code: &[u8], pos: usize) -> Option<(u32, usize)> {
    let b = *code.get(pos)?;
    if b < 0x80 {
        return Some((u32::from(b), pos + 1));
    }
    short_u32_multi(code, pos)
}

#[inline(never)]
fn short_u32_multi(code: &[u8], pos: usize) -> Option<(u32, usize)> {
    let mut result = 0u32;
    for i in 0..4 {
        let b = *code.get(pos + i)?;
        result |= u32::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((result, pos + i + 1));
        }
    }
    // The fifth byte ends the number and holds only the top four bits.
    let b = *code.get(pos + 4)?;
    if b & 0xf0 != 0 {
        return None;
    }
    Some((result | u32::from(b) << 28, pos + 5))
}

/// The end of a signed LEB128 integer at `pos` of at most five bytes, or
/// `None` for anything longer, cut off, or (for an `i32`) out of range.
#[inline]
pub(super) fn short_signed_end(code: &[u8], pos: usize, is_i32: bool) -> Option<usize> {
    for i in 0..4 {
        if *code.get(pos + i)? < 0x80 {
            return Some(pos + i + 1);
        }
    }
    let b = *code.get(pos + 4)?;
    // An i32's fifth byte is its last: bits 3..=6 are sign bits, all equal.
    let high = b & 0x78;
    if b >= 0x80 || (is_i32 && high != 0 && high != 0x78) {
        return None;
    }
    Some(pos + 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_the_mvp_numeric_ops_loads_and_stores() {
        let t = plain_table();
        assert_eq!(t[0x6a].shape, Shape::Binary); // i32.add
        assert_eq!(t[0x45].shape, Shape::Unary); // i32.eqz
        assert_eq!(t[0x28].shape, Shape::Load);
        assert_eq!(t[0x28].natural, 2);
        assert_eq!(t[0x3e].shape, Shape::Store);
        assert_eq!(t[0x3e].a, Some(ValType::I64));
        assert_eq!(t[0xc0].shape, Shape::Other); // sign extension: feature-gated
        assert_eq!(t[0x20].shape, Shape::Other);
        // The validator's numeric fast path relies on this range being fully typed.
        assert!(t[0x45..=0xbf].iter().all(|e| matches!(e.shape, Shape::Unary | Shape::Binary)));
    }

    #[test]
    fn short_leb128_declines_long_and_truncated_encodings() {
        assert_eq!(short_u32(&[0x05], 0), Some((5, 1)));
        assert_eq!(short_u32(&[0xe5, 0x8e, 0x26], 0), Some((624_485, 3)));
        assert_eq!(short_u32(&[0x80, 0x80, 0x80, 0x80, 0x00], 0), Some((0, 5)));
        assert_eq!(short_u32(&[0xff, 0xff, 0xff, 0xff, 0x0f], 0), Some((u32::MAX, 5)));
        assert_eq!(short_u32(&[0xff, 0xff, 0xff, 0xff, 0x1f], 0), None);
        assert_eq!(short_u32(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0), None);
        assert_eq!(short_u32(&[0x80], 0), None);
        assert_eq!(short_signed_end(&[0xc0, 0xbb, 0x78], 0, true), Some(3));
        assert_eq!(short_signed_end(&[0xff, 0xff, 0xff, 0xff, 0x07], 0, true), Some(5));
        assert_eq!(short_signed_end(&[0x80, 0x80, 0x80, 0x80, 0x78], 0, true), Some(5));
        assert_eq!(short_signed_end(&[0xff, 0xff, 0xff, 0xff, 0x4f], 0, true), None);
        assert_eq!(short_signed_end(&[0xff, 0xff, 0xff, 0xff, 0x4f], 0, false), Some(5));
        assert_eq!(short_signed_end(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], 0, true), None);
        assert_eq!(short_signed_end(&[0xff], 0, true), None);
    }
}
