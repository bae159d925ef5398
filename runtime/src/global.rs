//! Globals: a `VmGlobal` cell at a stable address (inside an `Rc` the store
//! keeps), so an imported global is shared by pointer with its exporter.

use std::cell::Cell;

use zerowasm_frontend::GlobalType;
use zerowasm_frontend::vmoffsets::VmGlobal;

/// One global. Its value is kept as raw little-endian bytes: scalars in the low
/// bytes, references as 8-byte store handles (see [`crate::values`]).
pub(crate) struct GlobalData {
    /// Value type and mutability.
    ty: GlobalType,
    /// What VM contexts point at.
    cell: Cell<VmGlobal>,
}

impl GlobalData {
    /// A global holding `raw`.
    pub(crate) fn new(ty: GlobalType, raw: u128) -> GlobalData {
        GlobalData { ty, cell: Cell::new(VmGlobal { bytes: raw.to_le_bytes() }) }
    }

    /// Its type.
    pub(crate) fn ty(&self) -> GlobalType {
        self.ty
    }

    /// The raw value.
    pub(crate) fn get(&self) -> u128 {
        u128::from_le_bytes(self.cell.get().bytes)
    }

    /// Overwrites the raw value; mutability is the caller's business
    /// (initialisers write immutable globals once).
    pub(crate) fn set(&self, raw: u128) {
        self.cell.set(VmGlobal { bytes: raw.to_le_bytes() });
    }

    /// The cell VM contexts point at; its address is stable.
    pub(crate) fn cell_ptr(&self) -> *mut VmGlobal {
        self.cell.as_ptr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::ValType;

    #[test]
    fn scalars_sit_in_the_low_bytes() {
        let g = GlobalData::new(GlobalType { content: ValType::I32, mutable: true }, 0x1234_5678);
        assert_eq!(g.cell.get().bytes[..4], [0x78, 0x56, 0x34, 0x12]);
        assert_eq!(g.cell.get().bytes[4..], [0; 12]);
        g.set(u128::MAX);
        assert_eq!(g.get(), u128::MAX);
    }
}
