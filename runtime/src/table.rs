//! Tables: a `Vec<u64>` of elements (funcref: address of a `VmFuncRef`;
//! externref: store handle; 0: null) and the `VmTable` record VM contexts point
//! at. The vector may reallocate on grow, so every mutation re-publishes its
//! base and length in the record, which itself never moves.

use std::cell::{Cell, RefCell};
use std::ptr;

use zerowasm_frontend::TableType;
use zerowasm_frontend::vmoffsets::VmTable;

use crate::error::Error;

/// An access outside the current size; callers turn it into a trap or an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OutOfBounds;

/// One table.
pub(crate) struct TableData {
    /// The type it was created with.
    ty: TableType,
    /// The elements. Borrowed only inside the methods below, never across a
    /// call into Wasm, so engines see a consistent `record`.
    elems: RefCell<Vec<u64>>,
    /// What VM contexts point at.
    record: Cell<VmTable>,
    /// Elements it may grow to: the declared maximum capped by the store's limit.
    max: u64,
}

impl TableData {
    /// A table of `ty.limits.min` elements set to `init`; `cap` bounds the
    /// number of elements this store allows.
    pub(crate) fn new(ty: TableType, init: u64, cap: u64) -> Result<TableData, Error> {
        let max = ty.limits.max.unwrap_or(u64::from(u32::MAX)).min(u64::from(u32::MAX)).min(cap);
        let min = ty.limits.min;
        let too_big = || Error::Resource(format!("table of {min} elements exceeds the limit of {max}"));
        if min > max {
            return Err(too_big());
        }
        let n = usize::try_from(min).map_err(|_| too_big())?;
        let mut elems = Vec::new();
        elems.try_reserve_exact(n).map_err(|_| too_big())?;
        elems.resize(n, init);
        let table = TableData { ty, elems: RefCell::new(elems), record: Cell::new(VmTable::default()), max };
        table.publish(&mut table.elems.borrow_mut());
        Ok(table)
    }

    /// Writes the current base and length into the record. Called after every
    /// mutable borrow of the vector, so pointers engines hold stay derived from
    /// the latest one.
    fn publish(&self, elems: &mut Vec<u64>) {
        self.record.set(VmTable { base: elems.as_mut_ptr() as u64, length: elems.len() as u64 });
    }

    /// Runs `f` on the elements and re-publishes the record. Fails (instead of
    /// panicking) in the impossible case of a re-entrant borrow.
    fn with_mut<R>(&self, f: impl FnOnce(&mut Vec<u64>) -> Result<R, OutOfBounds>) -> Result<R, OutOfBounds> {
        let mut elems = self.elems.try_borrow_mut().map_err(|_| OutOfBounds)?;
        let result = f(&mut elems);
        self.publish(&mut elems);
        result
    }

    /// The record VM contexts point at; its address is stable.
    pub(crate) fn record_ptr(&self) -> *mut VmTable {
        self.record.as_ptr()
    }

    /// The type the table was created with.
    pub(crate) fn ty(&self) -> TableType {
        self.ty
    }

    /// Current number of elements.
    pub(crate) fn size(&self) -> u64 {
        self.record.get().length
    }

    /// Element `index`.
    pub(crate) fn get(&self, index: u64) -> Option<u64> {
        let elems = self.elems.try_borrow().ok()?;
        usize::try_from(index).ok().and_then(|i| elems.get(i).copied())
    }

    /// Sets element `index`.
    pub(crate) fn set(&self, index: u64, value: u64) -> Result<(), OutOfBounds> {
        self.with_mut(|elems| {
            let slot = usize::try_from(index).ok().and_then(|i| elems.get_mut(i)).ok_or(OutOfBounds)?;
            *slot = value;
            Ok(())
        })
    }

    /// `table.grow`: the old size, or `None` beyond the maximum or when the
    /// host cannot provide the memory.
    pub(crate) fn grow(&self, delta: u64, init: u64) -> Option<u64> {
        let old = self.size();
        let new = old.checked_add(delta).filter(|&n| n <= self.max)?;
        let new = usize::try_from(new).ok()?;
        self.with_mut(|elems| {
            elems.try_reserve_exact(new - elems.len()).map_err(|_| OutOfBounds)?;
            elems.resize(new, init);
            Ok(old)
        })
        .ok()
    }

    /// Checks `[offset, offset + len)` against `size` and returns it as a range.
    fn range(offset: u64, len: u64, size: usize) -> Result<std::ops::Range<usize>, OutOfBounds> {
        let end = offset.checked_add(len).ok_or(OutOfBounds)?;
        if end > size as u64 {
            return Err(OutOfBounds);
        }
        Ok(offset as usize..end as usize)
    }

    /// `table.fill`.
    pub(crate) fn fill(&self, dst: u64, value: u64, len: u64) -> Result<(), OutOfBounds> {
        self.with_mut(|elems| {
            let r = Self::range(dst, len, elems.len())?;
            elems[r].fill(value);
            Ok(())
        })
    }

    /// `table.copy` within this table (the ranges may overlap).
    pub(crate) fn copy_within(&self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        self.with_mut(|elems| {
            let s = Self::range(src, len, elems.len())?;
            let d = Self::range(dst, len, elems.len())?;
            elems.copy_within(s, d.start);
            Ok(())
        })
    }

    /// `table.copy` from another table (or this one: then like `copy_within`).
    pub(crate) fn copy_from(
        &self,
        src_table: &TableData,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), OutOfBounds> {
        if ptr::eq(self, src_table) {
            return self.copy_within(dst, src, len);
        }
        let from = src_table.elems.try_borrow().map_err(|_| OutOfBounds)?;
        let s = Self::range(src, len, from.len())?;
        self.with_mut(|elems| {
            let d = Self::range(dst, len, elems.len())?;
            elems[d].copy_from_slice(&from[s]);
            Ok(())
        })
    }

    /// `table.init` (and active element segments): copies `items[src..src+len]` to `dst`.
    pub(crate) fn init(&self, dst: u64, items: &[u64], src: u64, len: u64) -> Result<(), OutOfBounds> {
        let s = Self::range(src, len, items.len())?;
        self.with_mut(|elems| {
            let d = Self::range(dst, len, elems.len())?;
            elems[d].copy_from_slice(&items[s]);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::{Limits, RefType};

    fn table(min: u64, max: Option<u64>) -> TableData {
        TableData::new(TableType { element: RefType::FuncRef, limits: Limits { min, max } }, 0, 1 << 20)
            .expect("table")
    }

    #[test]
    fn grow_updates_the_record_and_respects_limits() {
        let t = table(1, Some(4));
        assert_eq!(t.grow(2, 7), Some(1));
        assert_eq!(t.size(), 3);
        let rec = t.record.get();
        assert_eq!(rec.length, 3);
        assert_eq!((t.get(0), t.get(1), t.get(2), t.get(3)), (Some(0), Some(7), Some(7), None));
        assert_eq!(t.grow(2, 0), None);
        assert_eq!(t.grow(1, 0), Some(3));
        assert_eq!(t.grow(0, 0), Some(4));
        assert_eq!(t.grow(u64::MAX, 0), None);
        let unbounded = table(0, None);
        assert_eq!(unbounded.grow(1 << 21, 0), None, "the store's cap applies");
        assert_eq!(unbounded.grow(0xffff_fff0, 0), None);
    }

    #[test]
    fn fill_copy_and_init_check_bounds() {
        let t = table(4, None);
        assert_eq!(t.fill(1, 9, 3), Ok(()));
        assert_eq!(t.fill(2, 9, 3), Err(OutOfBounds));
        assert_eq!(t.fill(4, 9, 0), Ok(()));
        assert_eq!(t.fill(5, 9, 0), Err(OutOfBounds));
        t.set(0, 1).expect("set");
        assert_eq!(t.copy_within(1, 0, 3), Ok(()));
        assert_eq!((t.get(0), t.get(1), t.get(2), t.get(3)), (Some(1), Some(1), Some(9), Some(9)));
        assert_eq!(t.init(0, &[5, 6], 1, 1), Ok(()));
        assert_eq!(t.get(0), Some(6));
        assert_eq!(t.init(0, &[5, 6], 1, 2), Err(OutOfBounds));
        assert_eq!(t.set(4, 0), Err(OutOfBounds));
        let u = table(2, None);
        assert_eq!(u.copy_from(&t, 0, 2, 2), Ok(()));
        assert_eq!((u.get(0), u.get(1)), (Some(9), Some(9)));
        assert_eq!(u.copy_from(&t, 1, 0, 2), Err(OutOfBounds));
    }

    #[test]
    fn minimum_beyond_the_cap_is_a_resource_error() {
        let ty = TableType { element: RefType::ExternRef, limits: Limits { min: 11, max: None } };
        assert!(TableData::new(ty, 0, 10).is_err());
    }
}
