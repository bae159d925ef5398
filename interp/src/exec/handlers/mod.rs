//! The op handlers, one function per op kind, grouped by concern: scalar
//! arithmetic and conversions (`scalar.rs`), memory and VM-context accesses
//! (`access.rs`), vectors (`vector.rs`), and control: branches, calls,
//! returns, traps (`control.rs`).
//!
//! Each is written once with [`handlers!`] as `Name { fields } => body;`,
//! where the body sees the op's fields and the registers `pc` (already past
//! the op), `r` (the frame's cells), `vm` (the VM context), `heap` (see
//! `run::Handler`), `code` and `cx`,
//! may reassign them (branches move `pc`, calls switch all of them), and stops
//! execution by failing with an [`Exit`] through `?` or `Err(..)?`. The macro
//! instantiates every handler for both dispatch modes (see `run.rs`).

mod access;
mod control;
mod scalar;
mod vector;

pub(super) use access::*;
pub(super) use control::*;
pub(super) use scalar::*;
pub(super) use vector::*;

use super::memory::checked_heap_addr;
use super::run::{Bug, Exit};
use crate::semantics::scalar::{IntTrap, TruncError};
use zerowasm_ssa::TrapCode;

/// Defines one handler per `Name { fields } => body;` (see the module docs).
///
/// A handler is only ever reached through a handler table at its op's tag
/// (both tables are built from the op list in tag order), so the op at `pc`
/// is of its kind. The body runs in a closure so that `?` stops execution and
/// every temporary is dropped before the tail call.
macro_rules! handlers {
    (|$pc:ident, $r:ident, $vm:ident, $heap:ident, $code:ident, $cx:ident| $($rest:tt)*) => {
        handlers!(@each [false] {} |$pc, $r, $vm, $heap, $code, $cx| $($rest)*);
    };
    // The call handlers first check that threaded dispatch has not grown the
    // native stack (see `run::stack_grew`).
    (guarded |$pc:ident, $r:ident, $vm:ident, $heap:ident, $code:ident, $cx:ident| $($rest:tt)*) => {
        handlers!(@each [true] {} |$pc, $r, $vm, $heap, $code, $cx| $($rest)*);
    };
    // The return handlers leave a return from a frame the loop did not enter
    // itself to an out-of-line handler (`control::return_below`), jumping to
    // it, so that their own fast path keeps everything in the argument
    // registers.
    (returning |$pc:ident, $r:ident, $vm:ident, $heap:ident, $code:ident, $cx:ident| $($rest:tt)*) => {
        handlers!(@each [false] {
            if $cx.entered == 0 {
                return crate::exec::handlers::control::return_below::<THREADED>($pc, $r, $vm, $heap, $code, $cx);
            }
        } |$pc, $r, $vm, $heap, $code, $cx| $($rest)*);
    };
    (@each [$guarded:literal] $pre:tt |$pc:ident, $r:ident, $vm:ident, $heap:ident, $code:ident, $cx:ident| $( $name:ident $fields:tt => $body:expr; )*) => {$(
        #[allow(non_snake_case, unused_mut, unused_variables, clippy::redundant_closure_call)]
        pub(in crate::exec) fn $name<'m, const THREADED: bool>(
            mut $pc: crate::exec::memory::Pc<'m>,
            mut $r: crate::exec::memory::Regs<'m>,
            mut $vm: u64,
            mut $heap: u64,
            mut $code: crate::exec::memory::Code<'m>,
            $cx: &mut crate::exec::run::Cx<'m, '_>,
        ) -> crate::exec::memory::Pc<'m> {
            let at = $pc;
            let crate::code::Op::$name $fields = *at.op() else {
                // SAFETY: handlers are reached through the handler tables only,
                // at their op's tag (see the macro's docs).
                unsafe { std::hint::unreachable_unchecked() }
            };
            if THREADED && $guarded && crate::exec::run::stack_grew($cx) {
                return crate::exec::run::redispatch($cx, at, $r, $vm, $heap, $code);
            }
            $pre
            $pc = at.next();
            let done = (|| -> Result<(), crate::exec::run::Exit> {
                $body;
                Ok(())
            })();
            match done {
                Ok(()) => crate::exec::run::next::<THREADED>($pc, $r, $vm, $heap, $code, $cx),
                Err(exit) => crate::exec::run::stop($cx, $r, $code, $vm, at, exit),
            }
        }
    )*};
}
pub(super) use handlers;

/// The trap of an integer division or remainder error.
pub(super) fn int_trap(e: IntTrap) -> Exit {
    Exit::Trap(match e {
        IntTrap::DivideByZero => TrapCode::IntegerDivideByZero,
        IntTrap::Overflow => TrapCode::IntegerOverflow,
    })
}

/// The trap of a failed float-to-integer truncation.
pub(super) fn trunc_trap(e: TruncError) -> Exit {
    Exit::Trap(match e {
        TruncError::InvalidConversion => TrapCode::BadConversionToInteger,
        TruncError::IntegerOverflow => TrapCode::IntegerOverflow,
    })
}

/// The address of `index + offset` in the memory at `heap` of `length` bytes
/// (the running function's, see `memory::heap_of`), or the out-of-bounds
/// trap if `size` bytes there are not all inside it.
#[inline(always)]
pub(super) fn mem(heap: u64, length: u64, index: u32, offset: u32, size: u64) -> Result<u64, Exit> {
    checked_heap_addr(heap, length, index, offset, size).ok_or(Exit::Trap(TrapCode::MemoryOutOfBounds))
}

/// The error of a vector op given an op of another family.
pub(super) const WRONG_FAMILY: Exit = Exit::Internal(&Bug("vector op outside its family"));
/// The error of a constant-pool index out of range.
pub(super) const NO_CONSTANT: Exit = Exit::Internal(&Bug("constant index out of range"));
