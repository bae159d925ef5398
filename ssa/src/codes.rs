//! Condition codes and trap codes.

use std::fmt;

/// Integer comparison conditions.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[allow(missing_docs)]
pub enum IntCC {
    Eq,
    Ne,
    SignedLt,
    SignedGe,
    SignedGt,
    SignedLe,
    UnsignedLt,
    UnsignedGe,
    UnsignedGt,
    UnsignedLe,
}

impl IntCC {
    /// Every condition, for parsers and exhaustive tests.
    pub const ALL: [IntCC; 10] = [
        IntCC::Eq,
        IntCC::Ne,
        IntCC::SignedLt,
        IntCC::SignedGe,
        IntCC::SignedGt,
        IntCC::SignedLe,
        IntCC::UnsignedLt,
        IntCC::UnsignedGe,
        IntCC::UnsignedGt,
        IntCC::UnsignedLe,
    ];

    /// Printer spelling.
    pub fn name(self) -> &'static str {
        match self {
            IntCC::Eq => "eq",
            IntCC::Ne => "ne",
            IntCC::SignedLt => "slt",
            IntCC::SignedGe => "sge",
            IntCC::SignedGt => "sgt",
            IntCC::SignedLe => "sle",
            IntCC::UnsignedLt => "ult",
            IntCC::UnsignedGe => "uge",
            IntCC::UnsignedGt => "ugt",
            IntCC::UnsignedLe => "ule",
        }
    }

    /// The condition that holds exactly when this one does not (for branch inversion).
    pub fn inverse(self) -> IntCC {
        match self {
            IntCC::Eq => IntCC::Ne,
            IntCC::Ne => IntCC::Eq,
            IntCC::SignedLt => IntCC::SignedGe,
            IntCC::SignedGe => IntCC::SignedLt,
            IntCC::SignedGt => IntCC::SignedLe,
            IntCC::SignedLe => IntCC::SignedGt,
            IntCC::UnsignedLt => IntCC::UnsignedGe,
            IntCC::UnsignedGe => IntCC::UnsignedLt,
            IntCC::UnsignedGt => IntCC::UnsignedLe,
            IntCC::UnsignedLe => IntCC::UnsignedGt,
        }
    }

    /// Evaluates the condition on two integers of the given width (32 or 64 bits).
    pub fn eval(self, a: i64, b: i64, is_64: bool) -> bool {
        let (sa, sb, ua, ub) = if is_64 {
            (a, b, a as u64, b as u64)
        } else {
            (i64::from(a as i32), i64::from(b as i32), u64::from(a as u32), u64::from(b as u32))
        };
        match self {
            IntCC::Eq => ua == ub,
            IntCC::Ne => ua != ub,
            IntCC::SignedLt => sa < sb,
            IntCC::SignedGe => sa >= sb,
            IntCC::SignedGt => sa > sb,
            IntCC::SignedLe => sa <= sb,
            IntCC::UnsignedLt => ua < ub,
            IntCC::UnsignedGe => ua >= ub,
            IntCC::UnsignedGt => ua > ub,
            IntCC::UnsignedLe => ua <= ub,
        }
    }
}

/// Float comparison conditions with Wasm's semantics: all are false on NaN
/// except `ne`, which is true.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[allow(missing_docs)]
pub enum FloatCC {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl FloatCC {
    /// Every condition.
    pub const ALL: [FloatCC; 6] =
        [FloatCC::Eq, FloatCC::Ne, FloatCC::Lt, FloatCC::Gt, FloatCC::Le, FloatCC::Ge];

    /// Printer spelling.
    pub fn name(self) -> &'static str {
        match self {
            FloatCC::Eq => "eq",
            FloatCC::Ne => "ne",
            FloatCC::Lt => "lt",
            FloatCC::Gt => "gt",
            FloatCC::Le => "le",
            FloatCC::Ge => "ge",
        }
    }

    /// Evaluates the condition.
    pub fn eval(self, a: f64, b: f64) -> bool {
        match self {
            FloatCC::Eq => a == b,
            FloatCC::Ne => a != b,
            FloatCC::Lt => a < b,
            FloatCC::Gt => a > b,
            FloatCC::Le => a <= b,
            FloatCC::Ge => a >= b,
        }
    }
}

/// Why execution trapped. The `Display` text is the spec testsuite's wording.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// `div_s` of the minimum value by -1, or a float-to-int conversion out of range.
    IntegerOverflow,
    /// Float-to-int conversion of NaN.
    BadConversionToInteger,
    /// Linear memory access out of bounds.
    MemoryOutOfBounds,
    /// Table access out of bounds.
    TableOutOfBounds,
    /// `call_indirect` through an entry of the wrong type.
    IndirectCallTypeMismatch,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    /// The Wasm stack limit was reached.
    StackOverflow,
    /// An embedder interrupted execution.
    Interrupted,
    /// Fuel ran out.
    OutOfFuel,
    /// `call_indirect` with an index past the end of the table (the spec's
    /// wording differs from `table.get`'s "out of bounds table access").
    UndefinedElement,
}

impl TrapCode {
    /// Every trap code.
    pub const ALL: [TrapCode; 12] = [
        TrapCode::Unreachable,
        TrapCode::IntegerDivideByZero,
        TrapCode::IntegerOverflow,
        TrapCode::BadConversionToInteger,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::UninitializedElement,
        TrapCode::StackOverflow,
        TrapCode::Interrupted,
        TrapCode::OutOfFuel,
        TrapCode::UndefinedElement,
    ];

    /// The short name used in IR text (`trap heap_oob`).
    pub fn ir_name(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerDivideByZero => "int_divz",
            TrapCode::IntegerOverflow => "int_ovf",
            TrapCode::BadConversionToInteger => "bad_toint",
            TrapCode::MemoryOutOfBounds => "heap_oob",
            TrapCode::TableOutOfBounds => "table_oob",
            TrapCode::IndirectCallTypeMismatch => "bad_sig",
            TrapCode::UninitializedElement => "null_elem",
            TrapCode::StackOverflow => "stk_ovf",
            TrapCode::Interrupted => "interrupt",
            TrapCode::OutOfFuel => "out_of_fuel",
            TrapCode::UndefinedElement => "undef_elem",
        }
    }

    /// The spec testsuite's message for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::Interrupted => "interrupted",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::UndefinedElement => "undefined element",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}
