//! `i32`/`i64` operators: division and remainder (which trap), shifts and rotates
//! (count taken modulo the bit width), bit counts, and sign extension.
//!
//! All take and return the signed Rust type; the unsigned operators reinterpret the
//! bits internally, so the interpreter never casts.

use std::fmt;

/// Why an integer division or remainder traps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntTrap {
    /// The divisor is zero (`div_s`, `div_u`, `rem_s`, `rem_u`).
    DivideByZero,
    /// `div_s` of the minimum value by `-1`: the quotient is not representable.
    Overflow,
}

impl fmt::Display for IntTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The spec test suite's trap messages.
        f.write_str(match self {
            IntTrap::DivideByZero => "integer divide by zero",
            IntTrap::Overflow => "integer overflow",
        })
    }
}

impl std::error::Error for IntTrap {}

/// Defines the integer operators for one width; `i32` and `i64` share one body.
macro_rules! int_ops {
    (
        $s:ident, $u:ident, $ty:literal,
        $div_s:ident, $div_u:ident, $rem_s:ident, $rem_u:ident,
        $shl:ident, $shr_s:ident, $shr_u:ident, $rotl:ident, $rotr:ident,
        $clz:ident, $ctz:ident, $popcnt:ident
    ) => {
        #[doc = concat!("`", $ty, ".div_s`: signed quotient rounded towards zero. Traps on a zero divisor")]
        /// and on `MIN / -1`.
        #[inline]
        pub fn $div_s(a: $s, b: $s) -> Result<$s, IntTrap> {
            if b == 0 { Err(IntTrap::DivideByZero) } else { a.checked_div(b).ok_or(IntTrap::Overflow) }
        }

        #[doc = concat!("`", $ty, ".div_u`: unsigned quotient. Traps on a zero divisor.")]
        #[inline]
        pub fn $div_u(a: $s, b: $s) -> Result<$s, IntTrap> {
            match (a as $u).checked_div(b as $u) {
                Some(q) => Ok(q as $s),
                None => Err(IntTrap::DivideByZero),
            }
        }

        #[doc = concat!("`", $ty, ".rem_s`: signed remainder with the sign of the dividend. Traps on a zero")]
        /// divisor only: `MIN rem_s -1` is `0`.
        #[inline]
        pub fn $rem_s(a: $s, b: $s) -> Result<$s, IntTrap> {
            if b == 0 { Err(IntTrap::DivideByZero) } else { Ok(a.wrapping_rem(b)) }
        }

        #[doc = concat!("`", $ty, ".rem_u`: unsigned remainder. Traps on a zero divisor.")]
        #[inline]
        pub fn $rem_u(a: $s, b: $s) -> Result<$s, IntTrap> {
            match (a as $u).checked_rem(b as $u) {
                Some(r) => Ok(r as $s),
                None => Err(IntTrap::DivideByZero),
            }
        }

        #[doc = concat!("`", $ty, ".shl`: shift left by `b` modulo the bit width.")]
        #[inline]
        #[must_use]
        pub fn $shl(a: $s, b: $s) -> $s {
            a.wrapping_shl(b as u32)
        }

        #[doc = concat!("`", $ty, ".shr_s`: arithmetic shift right by `b` modulo the bit width.")]
        #[inline]
        #[must_use]
        pub fn $shr_s(a: $s, b: $s) -> $s {
            a.wrapping_shr(b as u32)
        }

        #[doc = concat!("`", $ty, ".shr_u`: logical shift right by `b` modulo the bit width.")]
        #[inline]
        #[must_use]
        pub fn $shr_u(a: $s, b: $s) -> $s {
            (a as $u).wrapping_shr(b as u32) as $s
        }

        #[doc = concat!("`", $ty, ".rotl`: rotate left by `b` modulo the bit width.")]
        #[inline]
        #[must_use]
        pub fn $rotl(a: $s, b: $s) -> $s {
            a.rotate_left(b as u32 % $s::BITS)
        }

        #[doc = concat!("`", $ty, ".rotr`: rotate right by `b` modulo the bit width.")]
        #[inline]
        #[must_use]
        pub fn $rotr(a: $s, b: $s) -> $s {
            a.rotate_right(b as u32 % $s::BITS)
        }

        #[doc = concat!("`", $ty, ".clz`: leading zero bits (the bit width for `0`).")]
        #[inline]
        #[must_use]
        pub fn $clz(a: $s) -> $s {
            a.leading_zeros() as $s
        }

        #[doc = concat!("`", $ty, ".ctz`: trailing zero bits (the bit width for `0`).")]
        #[inline]
        #[must_use]
        pub fn $ctz(a: $s) -> $s {
            a.trailing_zeros() as $s
        }

        #[doc = concat!("`", $ty, ".popcnt`: number of set bits.")]
        #[inline]
        #[must_use]
        pub fn $popcnt(a: $s) -> $s {
            a.count_ones() as $s
        }
    };
}

int_ops!(
    i32, u32, "i32", i32_div_s, i32_div_u, i32_rem_s, i32_rem_u, i32_shl, i32_shr_s, i32_shr_u, i32_rotl,
    i32_rotr, i32_clz, i32_ctz, i32_popcnt
);
int_ops!(
    i64, u64, "i64", i64_div_s, i64_div_u, i64_rem_s, i64_rem_u, i64_shl, i64_shr_s, i64_shr_u, i64_rotl,
    i64_rotr, i64_clz, i64_ctz, i64_popcnt
);

/// `i32.extend8_s`: sign-extends the low 8 bits.
#[inline]
#[must_use]
pub fn i32_extend8_s(a: i32) -> i32 {
    i32::from(a as i8)
}

/// `i32.extend16_s`: sign-extends the low 16 bits.
#[inline]
#[must_use]
pub fn i32_extend16_s(a: i32) -> i32 {
    i32::from(a as i16)
}

/// `i64.extend8_s`: sign-extends the low 8 bits.
#[inline]
#[must_use]
pub fn i64_extend8_s(a: i64) -> i64 {
    i64::from(a as i8)
}

/// `i64.extend16_s`: sign-extends the low 16 bits.
#[inline]
#[must_use]
pub fn i64_extend16_s(a: i64) -> i64 {
    i64::from(a as i16)
}

/// `i64.extend32_s`: sign-extends the low 32 bits.
#[inline]
#[must_use]
pub fn i64_extend32_s(a: i64) -> i64 {
    i64::from(a as i32)
}

/// `i64.extend_i32_s`: widens an `i32` by sign extension.
#[inline]
#[must_use]
pub fn i64_extend_i32_s(a: i32) -> i64 {
    i64::from(a)
}

/// `i64.extend_i32_u`: widens an `i32` by zero extension.
#[inline]
#[must_use]
pub fn i64_extend_i32_u(a: i32) -> i64 {
    i64::from(a as u32)
}

/// `i32.wrap_i64`: keeps the low 32 bits.
#[inline]
#[must_use]
pub fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div_s_traps_and_rounds_towards_zero() {
        assert_eq!(i32_div_s(7, 2), Ok(3));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_div_s(7, -2), Ok(-3));
        assert_eq!(i32_div_s(-7, -2), Ok(3));
        assert_eq!(i32_div_s(1, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i32_div_s(0, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(IntTrap::Overflow));
        assert_eq!(i32_div_s(i32::MIN, 1), Ok(i32::MIN));
        assert_eq!(i32_div_s(i32::MIN, 2), Ok(-0x4000_0000));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(IntTrap::Overflow));
        assert_eq!(i64_div_s(i64::MIN, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i64_div_s(-11, 5), Ok(-2));
    }

    #[test]
    fn rem_s_of_min_by_minus_one_is_zero() {
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1), "sign of the dividend");
        assert_eq!(i32_rem_s(7, -2), Ok(1));
        assert_eq!(i32_rem_s(5, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i64_rem_s(-11, 5), Ok(-1));
        assert_eq!(i64_rem_s(i64::MIN, 0), Err(IntTrap::DivideByZero));
    }

    #[test]
    fn unsigned_division_reinterprets_bits() {
        assert_eq!(i32_div_u(-1, 2), Ok(0x7fff_ffff));
        assert_eq!(i32_div_u(i32::MIN, -1), Ok(0), "0x80000000 / 0xffffffff");
        assert_eq!(i32_rem_u(-1, 10), Ok(5), "4294967295 % 10");
        assert_eq!(i32_div_u(1, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i32_rem_u(1, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i64_div_u(-1, 2), Ok(i64::MAX));
        assert_eq!(i64_rem_u(i64::MIN, -1), Ok(i64::MIN));
        assert_eq!(i64_div_u(0, 0), Err(IntTrap::DivideByZero));
        assert_eq!(i64_rem_u(7, 0), Err(IntTrap::DivideByZero));
    }

    #[test]
    fn shifts_and_rotates_take_count_modulo_width() {
        assert_eq!(i32_shl(1, 31), i32::MIN);
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN, "-1 mod 32 = 31");
        assert_eq!(i32_shr_s(i32::MIN, 31), -1);
        assert_eq!(i32_shr_s(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_u(i32::MIN, 31), 1);
        assert_eq!(i32_shr_u(-1, 36), 0x0fff_ffff);
        assert_eq!(i32_rotl(0x8000_0001u32 as i32, 1), 3);
        assert_eq!(i32_rotl(0x1234_5678, 36), 0x2345_6781);
        assert_eq!(i32_rotr(1, 1), i32::MIN);
        assert_eq!(i32_rotr(0x1234_5678, -4), 0x2345_6781, "-4 mod 32 = 28");
        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 63), i64::MIN);
        assert_eq!(i64_shr_s(i64::MIN, 127), -1);
        assert_eq!(i64_shr_u(i64::MIN, 127), 1);
        assert_eq!(i64_rotl(i64::MIN, 65), 1);
        assert_eq!(i64_rotr(1, 64), 1);
        assert_eq!(i64_rotr(1, -1), 2, "-1 mod 64 = 63");
    }

    #[test]
    fn bit_counts() {
        assert_eq!(i32_clz(0), 32);
        assert_eq!(i32_clz(1), 31);
        assert_eq!(i32_clz(-1), 0);
        assert_eq!(i32_ctz(0), 32);
        assert_eq!(i32_ctz(i32::MIN), 31);
        assert_eq!(i32_popcnt(-1), 32);
        assert_eq!(i32_popcnt(0x5555_5555), 16);
        assert_eq!(i64_clz(0), 64);
        assert_eq!(i64_clz(0x0000_0000_8000_0000), 32);
        assert_eq!(i64_ctz(0), 64);
        assert_eq!(i64_ctz(0x0001_0000_0000_0000), 48);
        assert_eq!(i64_popcnt(-1), 64);
    }

    #[test]
    fn sign_extension() {
        assert_eq!(i32_extend8_s(0x7f), 0x7f);
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0x1234_56ff), -1);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x1234_7fff), 0x7fff);
        assert_eq!(i64_extend8_s(0x0123_4567_89ab_cd80), -128);
        assert_eq!(i64_extend16_s(0xffff), -1);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x1_7fff_ffff), 0x7fff_ffff);
        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
        assert_eq!(i32_wrap_i64(0x1_2345_6789_abcd), 0x6789_abcd);
        assert_eq!(i32_wrap_i64(-1), -1);
    }

    #[test]
    fn trap_messages_match_the_spec_suite() {
        assert_eq!(IntTrap::DivideByZero.to_string(), "integer divide by zero");
        assert_eq!(IntTrap::Overflow.to_string(), "integer overflow");
    }
}
