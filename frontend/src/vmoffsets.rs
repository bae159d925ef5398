//! `VmOffsets`: where everything sits in an instance's VM context. It is the
//! single source of truth shared by the lowering (which emits loads at these
//! offsets), the runtime (which builds instances with them) and the engines.
//!
//! Layout (all offsets from the `vmctx` pointer, every slot 8 bytes):
//!
//! ```text
//! VmContextHeader      fixed, #[repr(C)] below
//! memories[M]          *mut VmMemory       (imported ones point into the exporter)
//! globals[G]           *mut VmGlobal       (16-byte cells, imported ones shared)
//! tables[T]            *mut VmTable
//! func_refs[F]         *const VmFuncRef    (every function, imported first)
//! type_ids[N]          u64                 canonical id of each module type
//! ```
//!
//! The pointed-to records are `#[repr(C)]` too and described here, so a
//! backend needs nothing but this module to emit VM accesses.

use crate::module::ModuleInfo;
use std::mem::{offset_of, size_of};

/// The fixed head of every VM context.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VmContextHeader {
    /// Opaque pointer to the runtime's instance, for builtins.
    pub instance: u64,
    /// Pointer to the builtin table: `Builtin::COUNT` function pointers.
    pub builtins: u64,
    /// Pointer to a u32 that is non-zero when an embedder asked to interrupt.
    pub interrupt_flag: u64,
    /// Pointer to the remaining fuel (i64), charged when fuel is enabled.
    pub fuel: u64,
    /// Lowest stack address compiled code may use (checked in prologues).
    pub stack_limit: u64,
}

/// A linear memory: base never moves (the reservation covers the maximum),
/// `length` changes on `memory.grow`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VmMemory {
    /// Address of byte 0.
    pub base: u64,
    /// Current size in bytes.
    pub length: u64,
}

/// A table: `length` 8-byte elements at `base`. A funcref element is a
/// pointer to a [`VmFuncRef`]; an externref is a host handle; 0 is null.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VmTable {
    /// Address of element 0.
    pub base: u64,
    /// Current number of elements.
    pub length: u64,
}

/// A global's storage: 16 bytes so a v128 fits; scalars use the low bytes
/// (little-endian), references are 8-byte handles.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, Default)]
pub struct VmGlobal {
    /// The value's bytes.
    pub bytes: [u8; 16],
}

/// What a funcref points at and what `call_indirect` calls through.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VmFuncRef {
    /// The engine's handle for the code (an index for the interpreter, an address for compiled code).
    pub func: u64,
    /// The callee's VM context (its instance's, or a host function's).
    pub vmctx: u64,
    /// Canonical type id, compared against `type_ids[typeidx]` by `call_indirect`.
    pub type_id: u64,
}

/// Offsets of one module's VM context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmOffsets {
    num_memories: u32,
    num_globals: u32,
    num_tables: u32,
    num_functions: u32,
    num_types: u32,
}

const SLOT: u32 = 8;

impl VmOffsets {
    /// Computes the layout for `module`.
    pub fn new(module: &ModuleInfo) -> Self {
        VmOffsets {
            num_memories: module.memories.len() as u32,
            num_globals: module.globals.len() as u32,
            num_tables: module.tables.len() as u32,
            num_functions: module.functions.len() as u32,
            num_types: module.types.len() as u32,
        }
    }

    /// `VmContextHeader::instance`.
    pub const fn instance() -> u32 {
        offset_of!(VmContextHeader, instance) as u32
    }
    /// `VmContextHeader::builtins`.
    pub const fn builtins() -> u32 {
        offset_of!(VmContextHeader, builtins) as u32
    }
    /// `VmContextHeader::interrupt_flag`.
    pub const fn interrupt_flag() -> u32 {
        offset_of!(VmContextHeader, interrupt_flag) as u32
    }
    /// `VmContextHeader::fuel`.
    pub const fn fuel() -> u32 {
        offset_of!(VmContextHeader, fuel) as u32
    }
    /// `VmContextHeader::stack_limit`.
    pub const fn stack_limit() -> u32 {
        offset_of!(VmContextHeader, stack_limit) as u32
    }

    /// Start of the memory pointer array.
    pub fn memories_start(&self) -> u32 {
        Self::memory0()
    }
    /// Slot holding the pointer to memory 0's [`VmMemory`], the memory
    /// `heap_load`/`heap_store` access: at the same place in every module.
    pub const fn memory0() -> u32 {
        size_of::<VmContextHeader>() as u32
    }
    /// Slot holding the pointer to memory `index`'s [`VmMemory`].
    pub fn memory(&self, index: u32) -> u32 {
        self.memories_start() + index * SLOT
    }
    /// Start of the global pointer array.
    pub fn globals_start(&self) -> u32 {
        self.memories_start() + self.num_memories * SLOT
    }
    /// Slot holding the pointer to global `index`'s [`VmGlobal`].
    pub fn global(&self, index: u32) -> u32 {
        self.globals_start() + index * SLOT
    }
    /// Start of the table pointer array.
    pub fn tables_start(&self) -> u32 {
        self.globals_start() + self.num_globals * SLOT
    }
    /// Slot holding the pointer to table `index`'s [`VmTable`].
    pub fn table(&self, index: u32) -> u32 {
        self.tables_start() + index * SLOT
    }
    /// Start of the funcref pointer array.
    pub fn func_refs_start(&self) -> u32 {
        self.tables_start() + self.num_tables * SLOT
    }
    /// Slot holding the pointer to function `index`'s [`VmFuncRef`].
    pub fn func_ref(&self, index: u32) -> u32 {
        self.func_refs_start() + index * SLOT
    }
    /// Start of the canonical type id array.
    pub fn type_ids_start(&self) -> u32 {
        self.func_refs_start() + self.num_functions * SLOT
    }
    /// Slot holding the canonical id of module type `index`.
    pub fn type_id(&self, index: u32) -> u32 {
        self.type_ids_start() + index * SLOT
    }
    /// Total size in bytes (a multiple of 8).
    pub fn size(&self) -> u32 {
        self.type_ids_start() + self.num_types * SLOT
    }

    /// `VmMemory::base`.
    pub const fn memory_base() -> u32 {
        offset_of!(VmMemory, base) as u32
    }
    /// `VmMemory::length`.
    pub const fn memory_length() -> u32 {
        offset_of!(VmMemory, length) as u32
    }
    /// `VmTable::base`.
    pub const fn table_base() -> u32 {
        offset_of!(VmTable, base) as u32
    }
    /// `VmTable::length`.
    pub const fn table_length() -> u32 {
        offset_of!(VmTable, length) as u32
    }
    /// `VmFuncRef::func`.
    pub const fn func_ref_func() -> u32 {
        offset_of!(VmFuncRef, func) as u32
    }
    /// `VmFuncRef::vmctx`.
    pub const fn func_ref_vmctx() -> u32 {
        offset_of!(VmFuncRef, vmctx) as u32
    }
    /// `VmFuncRef::type_id`.
    pub const fn func_ref_type_id() -> u32 {
        offset_of!(VmFuncRef, type_id) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CoreFeatures, validate};

    #[test]
    fn fixed_parts_match_their_structs() {
        assert_eq!(size_of::<VmContextHeader>(), 40);
        assert_eq!(VmOffsets::interrupt_flag(), 16);
        assert_eq!((VmOffsets::memory_base(), VmOffsets::memory_length()), (0, 8));
        assert_eq!((VmOffsets::table_base(), VmOffsets::table_length()), (0, 8));
        assert_eq!(
            (VmOffsets::func_ref_func(), VmOffsets::func_ref_vmctx(), VmOffsets::func_ref_type_id()),
            (0, 8, 16)
        );
        assert_eq!(size_of::<VmGlobal>(), 16);
    }

    #[test]
    fn variable_parts_follow_in_order() {
        let bytes = wat::parse_str(
            r#"(module (import "a" "g" (global i32)) (memory 1) (global i64 (i64.const 0))
                 (table 1 funcref) (func) (func) (type (func (param i32))))"#,
        )
        .expect("wat");
        let m = validate(&bytes, CoreFeatures::default()).expect("valid");
        let o = VmOffsets::new(&m);
        assert_eq!(o.memory(0), 40);
        assert_eq!((o.global(0), o.global(1)), (48, 56));
        assert_eq!(o.table(0), 64);
        assert_eq!((o.func_ref(0), o.func_ref(1)), (72, 80));
        assert_eq!(o.type_id(0), 88);
        assert_eq!(o.size(), 88 + 2 * 8);
    }
}
