//! `CoreFeatures`: which WebAssembly versions and proposals a module may use.
//! Hand-written bit flags (no extra dependency); each feature has a spec name so
//! a module using a disabled one gets an error naming it.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A set of WebAssembly core features. The default is [`CoreFeatures::V2`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoreFeatures(u64);

macro_rules! features {
    ($($(#[$doc:meta])* $name:ident = $bit:expr, $text:literal;)*) => {
        impl CoreFeatures {
            $($(#[$doc])* pub const $name: CoreFeatures = CoreFeatures(1 << $bit);)*

            /// Every named feature with its proposal name, for messages and CLI flags.
            pub const ALL_NAMED: &'static [(CoreFeatures, &'static str)] = &[
                $((CoreFeatures::$name, $text),)*
            ];
        }
    };
}

features! {
    /// Importing and exporting mutable globals (merged into 2.0).
    MUTABLE_GLOBAL = 0, "mutable-global";
    /// `i32.extend8_s` and friends (merged into 2.0).
    SIGN_EXTENSION = 1, "sign-extension-ops";
    /// `i32.trunc_sat_f32_s` and friends, 0xFC 0..7 (merged into 2.0).
    SATURATING_FLOAT_TO_INT = 2, "nontrapping-float-to-int-conversions";
    /// Multiple results and block parameters (merged into 2.0).
    MULTI_VALUE = 3, "multi-value";
    /// `memory.copy`, `memory.fill`, passive segments, 0xFC 8..17 (merged into 2.0).
    BULK_MEMORY = 4, "bulk-memory";
    /// `funcref`/`externref` values, multiple tables, `table.*` (merged into 2.0).
    REFERENCE_TYPES = 5, "reference-types";
    /// The 128-bit SIMD instructions, 0xFD prefix (merged into 2.0).
    SIMD = 6, "simd";
    /// Extended constant expressions (after 2.0).
    EXTENDED_CONST = 7, "extended-const";
    /// Tail calls (after 2.0).
    TAIL_CALL = 8, "tail-call";
    /// Multiple memories (after 2.0).
    MULTI_MEMORY = 9, "multi-memory";
    /// 64-bit memories (after 2.0).
    MEMORY64 = 10, "memory64";
    /// Relaxed SIMD (after 2.0).
    RELAXED_SIMD = 11, "relaxed-simd";
    /// Threads and atomics (after 2.0).
    THREADS = 12, "threads";
    /// Exception handling (after 2.0).
    EXCEPTIONS = 13, "exceptions";
}

impl CoreFeatures {
    /// No feature beyond the 1.0 MVP.
    pub const V1: CoreFeatures = CoreFeatures(0);

    /// WebAssembly 2.0: the MVP plus every proposal merged into 2.0.
    pub const V2: CoreFeatures = CoreFeatures(
        Self::MUTABLE_GLOBAL.0
            | Self::SIGN_EXTENSION.0
            | Self::SATURATING_FLOAT_TO_INT.0
            | Self::MULTI_VALUE.0
            | Self::BULK_MEMORY.0
            | Self::REFERENCE_TYPES.0
            | Self::SIMD.0,
    );

    /// True if every feature in `other` is enabled.
    #[inline]
    pub const fn contains(self, other: CoreFeatures) -> bool {
        self.0 & other.0 == other.0
    }

    /// This set with `other` added.
    pub const fn with(self, other: CoreFeatures) -> CoreFeatures {
        CoreFeatures(self.0 | other.0)
    }

    /// This set with `other` removed.
    pub const fn without(self, other: CoreFeatures) -> CoreFeatures {
        CoreFeatures(self.0 & !other.0)
    }

    /// The proposal name of a single feature, as used in error messages.
    pub fn name(self) -> &'static str {
        Self::ALL_NAMED.iter().find(|(f, _)| *f == self).map_or("unknown feature", |(_, n)| n)
    }

    /// Looks up a feature by its proposal name (`"simd"`, `"tail-call"`, ...).
    pub fn from_name(name: &str) -> Option<CoreFeatures> {
        Self::ALL_NAMED.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }
}

impl Default for CoreFeatures {
    fn default() -> Self {
        CoreFeatures::V2
    }
}

impl BitOr for CoreFeatures {
    type Output = CoreFeatures;
    fn bitor(self, rhs: CoreFeatures) -> CoreFeatures {
        self.with(rhs)
    }
}

impl BitOrAssign for CoreFeatures {
    fn bitor_assign(&mut self, rhs: CoreFeatures) {
        *self = self.with(rhs);
    }
}

impl fmt::Debug for CoreFeatures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> =
            Self::ALL_NAMED.iter().filter(|(x, _)| self.contains(*x)).map(|(_, n)| *n).collect();
        write!(f, "CoreFeatures({})", names.join(" | "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_contains_merged_proposals_only() {
        let v2 = CoreFeatures::V2;
        assert!(v2.contains(CoreFeatures::SIMD));
        assert!(v2.contains(CoreFeatures::BULK_MEMORY | CoreFeatures::REFERENCE_TYPES));
        assert!(!v2.contains(CoreFeatures::TAIL_CALL));
        assert!(!CoreFeatures::V1.contains(CoreFeatures::MULTI_VALUE));
        assert_eq!(CoreFeatures::default(), v2);
    }

    #[test]
    fn names_round_trip() {
        for (f, n) in CoreFeatures::ALL_NAMED {
            assert_eq!(f.name(), *n);
            assert_eq!(CoreFeatures::from_name(n), Some(*f));
        }
        assert_eq!(CoreFeatures::from_name("nope"), None);
    }
}
