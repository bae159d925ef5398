//! Runtime services that lowered code reaches through `call_builtin`: an
//! indirect call through `VmContextHeader::builtins[index]`. Every builtin takes
//! the caller's `vmctx` first. A builtin that traps records the trap in the
//! execution context and the engine unwinds after the call returns (see
//! DESIGN.md §5), so traps do not show in the IR's data flow.

use zerowasm_ssa::Type::{self, I32, I64};

macro_rules! builtins {
    ($($(#[$doc:meta])* $name:ident = $text:literal, [$($p:ident),*] -> [$($r:ident),*];)*) => {
        /// A runtime service.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum Builtin { $($(#[$doc])* $name,)* }

        impl Builtin {
            /// Every builtin, in table order.
            pub const ALL: &'static [Builtin] = &[$(Builtin::$name,)*];
            /// Number of entries in the builtin table.
            pub const COUNT: usize = Self::ALL.len();

            /// Name in IR listings.
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$name => $text,)* }
            }

            /// Parameter types after `vmctx: i64`, and result types.
            pub fn signature(self) -> (&'static [Type], &'static [Type]) {
                match self { $(Builtin::$name => (&[$($p),*], &[$($r),*]),)* }
            }
        }
    };
}

builtins! {
    /// `memory.grow`: (memidx, delta pages) -> old size in pages or -1.
    MemoryGrow = "memory_grow", [I32, I32] -> [I32];
    /// `memory.fill`: (memidx, dst, byte, len); traps out of bounds.
    MemoryFill = "memory_fill", [I32, I32, I32, I32] -> [];
    /// `memory.copy`: (dst memidx, src memidx, dst, src, len).
    MemoryCopy = "memory_copy", [I32, I32, I32, I32, I32] -> [];
    /// `memory.init`: (memidx, dataidx, dst, src, len).
    MemoryInit = "memory_init", [I32, I32, I32, I32, I32] -> [];
    /// `data.drop`: (dataidx).
    DataDrop = "data_drop", [I32] -> [];
    /// `table.grow`: (tableidx, init ref, delta) -> old size or -1.
    TableGrow = "table_grow", [I32, I64, I32] -> [I32];
    /// `table.fill`: (tableidx, dst, ref, len).
    TableFill = "table_fill", [I32, I32, I64, I32] -> [];
    /// `table.copy`: (dst tableidx, src tableidx, dst, src, len).
    TableCopy = "table_copy", [I32, I32, I32, I32, I32] -> [];
    /// `table.init`: (tableidx, elemidx, dst, src, len).
    TableInit = "table_init", [I32, I32, I32, I32, I32] -> [];
    /// `elem.drop`: (elemidx).
    ElemDrop = "elem_drop", [I32] -> [];
    /// Listener hook: (slot, bits) stages one raw slot of the parameters or
    /// results the next `listener_enter`/`listener_exit` reports (see
    /// `LowerConfig::listener`).
    ListenerArg = "listener_arg", [I32, I64] -> [];
    /// Listener hook: (funcidx) is entered with the staged parameters.
    ListenerEnter = "listener_enter", [I32] -> [];
    /// Listener hook: (funcidx) returns the staged results.
    ListenerExit = "listener_exit", [I32] -> [];
}

impl Builtin {
    /// The builtin at table position `index`.
    pub fn from_index(index: u32) -> Option<Builtin> {
        Self::ALL.get(index as usize).copied()
    }
}
