//! `BinaryReader`: a cursor over module bytes with the spec's LEB128 rules.
//! Every read is bounds-checked and reports the absolute module offset, so a
//! reader over a section or function body still gives offsets users can find.

use crate::error::{DecodeError, DecodeResult};
use crate::types::{RefType, ValType};

/// A cursor over a slice of a module. `base` is the slice's offset in the module.
#[derive(Clone, Debug)]
pub struct BinaryReader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    /// Message used when a read runs past the end of this reader's data.
    eof_message: &'static str,
}

/// Message for running out of bytes of the whole module.
pub const UNEXPECTED_END: &str = "unexpected end";
/// Message for running out of bytes inside a sized section or function body.
pub const UNEXPECTED_END_OF_SECTION: &str = "unexpected end of section or function";

impl<'a> BinaryReader<'a> {
    /// A reader over a whole module (offset 0).
    pub fn new(data: &'a [u8]) -> Self {
        BinaryReader { data, pos: 0, base: 0, eof_message: UNEXPECTED_END }
    }

    /// A reader over `data` that starts at module offset `base`.
    pub fn with_offset(data: &'a [u8], base: usize) -> Self {
        BinaryReader { data, pos: 0, base, eof_message: UNEXPECTED_END_OF_SECTION }
    }

    /// Absolute module offset of the next byte.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Position within this reader's slice.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// True when every byte has been consumed.
    #[inline]
    pub fn eof(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Bytes left to read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The unread bytes, without consuming them.
    pub fn remaining_bytes(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    /// An error at the current offset.
    #[cold]
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(self.offset(), message)
    }

    #[cold]
    fn eof_error(&self) -> DecodeError {
        DecodeError::new(self.base + self.data.len(), self.eof_message)
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> DecodeResult<u8> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof_error()),
        }
    }

    /// The next two bytes, without consuming them, for fast paths that
    /// decode an instruction's common one-byte encodings in one step.
    #[inline]
    pub(crate) fn peek2(&self) -> Option<[u8; 2]> {
        match self.data.get(self.pos..self.pos + 2) {
            Some(&[a, b]) => Some([a, b]),
            _ => None,
        }
    }

    /// Steps over `n` bytes a fast path has already looked at (see [`Self::peek2`]).
    #[inline]
    pub(crate) fn bump(&mut self, n: usize) {
        debug_assert!(self.pos + n <= self.data.len());
        self.pos += n;
    }

    /// Looks at the next byte without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> DecodeResult<u8> {
        self.data.get(self.pos).copied().ok_or_else(|| self.eof_error())
    }

    /// Reads `n` raw bytes.
    pub fn read_bytes(&mut self, n: usize) -> DecodeResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.eof_error());
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> DecodeResult<()> {
        self.read_bytes(n).map(|_| ())
    }

    /// Reads a little-endian u32 (used for the version field).
    pub fn read_u32_le(&mut self) -> DecodeResult<u32> {
        let b = self.read_bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a little-endian u64.
    pub fn read_u64_le(&mut self) -> DecodeResult<u64> {
        let b = self.read_bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Reads the raw bits of an `f32` immediate.
    pub fn read_f32_bits(&mut self) -> DecodeResult<u32> {
        self.read_u32_le()
    }

    /// Reads the raw bits of an `f64` immediate.
    pub fn read_f64_bits(&mut self) -> DecodeResult<u64> {
        self.read_u64_le()
    }

    /// Reads a 16-byte vector immediate.
    pub fn read_v128(&mut self) -> DecodeResult<u128> {
        let b = self.read_bytes(16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Ok(u128::from_le_bytes(a))
    }

    /// Reads an unsigned LEB128 u32 (at most 5 bytes, unused bits zero).
    #[inline]
    pub fn read_var_u32(&mut self) -> DecodeResult<u32> {
        // Fast path: one byte.
        if let Some(&b) = self.data.get(self.pos)
            && b & 0x80 == 0
        {
            self.pos += 1;
            return Ok(u32::from(b));
        }
        self.read_var_u32_slow()
    }

    #[inline(never)]
    fn read_var_u32_slow(&mut self) -> DecodeResult<u32> {
        let mut result: u32 = 0;
        let mut shift = 0;
        loop {
            let b = self.read_u8()?;
            if shift == 28 {
                if b & 0x80 != 0 {
                    return Err(self.error_before("integer representation too long"));
                }
                if b & 0x70 != 0 {
                    return Err(self.error_before("integer too large"));
                }
            }
            result |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Reads an unsigned LEB128 u64 (at most 10 bytes).
    pub fn read_var_u64(&mut self) -> DecodeResult<u64> {
        let mut result: u64 = 0;
        let mut shift = 0;
        loop {
            let b = self.read_u8()?;
            if shift == 63 {
                if b & 0x80 != 0 {
                    return Err(self.error_before("integer representation too long"));
                }
                if b & 0x7e != 0 {
                    return Err(self.error_before("integer too large"));
                }
            }
            result |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Reads an unsigned LEB128 of at most `max_bytes` bytes, with no check on
    /// unused bits (the caller bounds the value). Memarg offsets of 32-bit
    /// memories use it: 5 bytes, up to 35 bits, then "offset out of range".
    pub fn read_var_u64_bytes(&mut self, max_bytes: u32) -> DecodeResult<u64> {
        let mut result: u64 = 0;
        for i in 0..max_bytes {
            let b = self.read_u8()?;
            result |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(result);
            }
        }
        Err(self.error_before("integer representation too long"))
    }

    /// Reads a signed LEB128 integer of `bits` width (32, 33 or 64), sign-extended to i64.
    fn read_var_signed(&mut self, bits: u32) -> DecodeResult<i64> {
        let mut result: i64 = 0;
        let mut shift: u32 = 0;
        let max_bytes = bits.div_ceil(7);
        let mut count = 0;
        loop {
            let b = self.read_u8()?;
            count += 1;
            if count == max_bytes {
                if b & 0x80 != 0 {
                    return Err(self.error_before("integer representation too long"));
                }
                // Bits `used-1..=6` of the last byte are the sign bit and the unused
                // bits: they must be all zeros or all ones.
                let used = bits - shift;
                let mask = (0x7fu8 << (used - 1)) & 0x7f;
                let high = b & mask;
                if high != 0 && high != mask {
                    return Err(self.error_before("integer too large"));
                }
            }
            result |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    result |= -1i64 << shift;
                }
                return Ok(result);
            }
        }
    }

    /// Reads a signed LEB128 i32.
    #[inline]
    pub fn read_var_i32(&mut self) -> DecodeResult<i32> {
        if let Some(&b) = self.data.get(self.pos)
            && b & 0x80 == 0
        {
            self.pos += 1;
            return Ok(i32::from(((b << 1) as i8) >> 1));
        }
        // In range by construction: read_var_signed(32) checks the unused bits.
        self.read_var_signed(32).map(|v| v as i32)
    }

    /// Reads a signed LEB128 i64.
    #[inline]
    pub fn read_var_i64(&mut self) -> DecodeResult<i64> {
        if let Some(&b) = self.data.get(self.pos)
            && b & 0x80 == 0
        {
            self.pos += 1;
            return Ok(i64::from(((b << 1) as i8) >> 1));
        }
        self.read_var_signed(64)
    }

    /// Reads a signed LEB128 33-bit integer (block types).
    pub fn read_var_s33(&mut self) -> DecodeResult<i64> {
        self.read_var_signed(33)
    }

    /// Reads a length-prefixed UTF-8 name.
    pub fn read_name(&mut self) -> DecodeResult<&'a str> {
        let len = self.read_size("length out of bounds")?;
        let bytes = self.read_bytes(len)?;
        std::str::from_utf8(bytes).map_err(|_| self.error_before("malformed UTF-8 encoding"))
    }

    /// Reads a u32 length and checks it fits in the remaining bytes.
    pub fn read_size(&mut self, message: &'static str) -> DecodeResult<usize> {
        let at = self.offset();
        let n = self.read_var_u32()? as usize;
        if n > self.remaining() {
            return Err(DecodeError::new(at, message));
        }
        Ok(n)
    }

    /// Reads a vector count. Every element takes at least one byte, so a count
    /// larger than the remaining bytes is rejected before anything is reserved:
    /// allocations stay proportional to the input.
    pub fn read_count(&mut self) -> DecodeResult<u32> {
        let at = self.offset();
        let n = self.read_var_u32()?;
        if n as usize > self.remaining() {
            return Err(DecodeError::new(at, self.eof_message));
        }
        Ok(n)
    }

    /// A sub-reader over the next `len` bytes, which this reader skips.
    pub fn sub_reader(&mut self, len: usize) -> DecodeResult<BinaryReader<'a>> {
        let base = self.offset();
        let data = self.read_bytes(len)?;
        Ok(BinaryReader::with_offset(data, base))
    }

    /// Reads a one-byte flag field that the reference decoder reads as a LEB128
    /// integer of `bits` bits: a continuation bit is "too long", a value of more
    /// bits is "too large".
    pub fn read_small_flags(&mut self, max: u8) -> DecodeResult<u8> {
        let b = self.read_u8()?;
        if b & 0x80 != 0 {
            return Err(self.error_before("integer representation too long"));
        }
        if b > max {
            return Err(self.error_before("integer too large"));
        }
        Ok(b)
    }

    /// Reads a value type byte.
    pub fn read_val_type(&mut self) -> DecodeResult<ValType> {
        let at = self.offset();
        let b = self.read_u8()?;
        val_type_from_byte(b).ok_or_else(|| DecodeError::new(at, "malformed value type"))
    }

    /// Reads a reference type byte.
    pub fn read_ref_type(&mut self) -> DecodeResult<RefType> {
        let at = self.offset();
        match self.read_u8()? {
            0x70 => Ok(RefType::FuncRef),
            0x6f => Ok(RefType::ExternRef),
            _ => Err(DecodeError::new(at, "malformed reference type")),
        }
    }

    // Errors about a value just read point at the byte that ended it.
    #[cold]
    fn error_before(&self, message: &str) -> DecodeError {
        DecodeError::new(self.offset().saturating_sub(1), message)
    }
}

/// Decodes a value type from its encoding byte.
pub fn val_type_from_byte(b: u8) -> Option<ValType> {
    Some(match b {
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        0x7b => ValType::V128,
        0x70 => ValType::FuncRef,
        0x6f => ValType::ExternRef,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_of(bytes: &[u8]) -> DecodeResult<u32> {
        BinaryReader::new(bytes).read_var_u32()
    }
    fn i32_of(bytes: &[u8]) -> DecodeResult<i32> {
        BinaryReader::new(bytes).read_var_i32()
    }
    fn i64_of(bytes: &[u8]) -> DecodeResult<i64> {
        BinaryReader::new(bytes).read_var_i64()
    }
    fn msg<T: std::fmt::Debug>(r: DecodeResult<T>) -> String {
        r.expect_err("expected an error").message().to_string()
    }

    #[test]
    fn unsigned_leb128() {
        assert_eq!(u32_of(&[0x00]), Ok(0));
        assert_eq!(u32_of(&[0xe5, 0x8e, 0x26]), Ok(624_485));
        assert_eq!(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        assert_eq!(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX));
        assert_eq!(msg(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])), "integer representation too long");
        assert_eq!(msg(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x1f])), "integer too large");
        assert_eq!(msg(u32_of(&[0x80])), "unexpected end");
    }

    #[test]
    fn unsigned_leb128_u64() {
        let u64_of = |b: &[u8]| BinaryReader::new(b).read_var_u64();
        assert_eq!(u64_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), Ok(u64::MAX));
        assert_eq!(u64_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        assert_eq!(
            msg(u64_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])),
            "integer too large"
        );
        assert_eq!(
            msg(u64_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])),
            "integer representation too long"
        );
    }

    #[test]
    fn signed_leb128() {
        assert_eq!(i32_of(&[0x7f]), Ok(-1));
        assert_eq!(i32_of(&[0xc0, 0xbb, 0x78]), Ok(-123_456));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x07]), Ok(i32::MAX));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x78]), Ok(i32::MIN));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Ok(-1));
        assert_eq!(msg(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x4f])), "integer too large");
        assert_eq!(msg(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x70])), "integer too large");
        assert_eq!(msg(i32_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])), "integer representation too long");
        assert_eq!(i64_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]), Ok(i64::MIN));
        assert_eq!(i64_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]), Ok(i64::MAX));
        assert_eq!(
            msg(i64_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
            "integer too large"
        );
        assert_eq!(
            msg(i64_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e])),
            "integer too large"
        );
    }

    #[test]
    fn s33_block_types() {
        let mut r = BinaryReader::new(&[0x40]);
        assert_eq!(r.read_var_s33(), Ok(-64));
        let mut r = BinaryReader::new(&[0x80, 0x80, 0x80, 0x80, 0x0f]);
        assert_eq!(r.read_var_s33(), Ok(0xf000_0000));
        let mut r = BinaryReader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]);
        assert_eq!(
            r.read_var_s33().map_err(|e| e.message().to_string()),
            Err("integer too large".to_string())
        );
    }

    #[test]
    fn offsets_are_absolute() {
        let mut r = BinaryReader::with_offset(&[1, 2, 3], 100);
        assert_eq!(r.read_u8(), Ok(1));
        assert_eq!(r.offset(), 101);
        let e = r.read_bytes(5).expect_err("past the end");
        assert_eq!(e.offset(), 103);
        assert_eq!(e.message(), "unexpected end of section or function");
    }

    #[test]
    fn huge_count_is_rejected_without_allocating() {
        let mut r = BinaryReader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
        assert!(r.read_count().is_err());
    }
}
