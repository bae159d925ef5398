//! The VM context allocation: `VmOffsets::size()` zeroed, 8-aligned bytes that
//! instantiation fills slot by slot and engines read through the raw pointer.
//! This is the "VM-context construction" place where `unsafe` is allowed.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

/// One instance's VM context. It is written only during instantiation (before
/// any code of the instance runs); afterwards engines read it through
/// [`VmContext::as_ptr`]. Its address never changes.
pub(crate) struct VmContext {
    ptr: NonNull<u64>,
    words: usize,
    layout: Layout,
}

impl VmContext {
    /// Allocates `size` zeroed bytes (rounded up to whole 8-byte slots).
    pub(crate) fn new(size: u32) -> VmContext {
        let words = (size as usize).div_ceil(8).max(1);
        // At most u32::MAX bytes, far below `isize::MAX`: this cannot fail.
        let layout = Layout::array::<u64>(words).expect("a VM context fits in a Layout");
        // SAFETY: `layout` has a non-zero size (at least one slot).
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<u64>()) else {
            alloc::handle_alloc_error(layout);
        };
        VmContext { ptr, words, layout }
    }

    /// The `vmctx` pointer engines receive.
    pub(crate) fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr().cast()
    }

    /// The `vmctx` pointer as the integer stored in `VmFuncRef::vmctx`.
    pub(crate) fn addr(&self) -> u64 {
        self.as_ptr() as u64
    }

    /// The slot index for byte `offset`.
    ///
    /// # Panics
    /// If `offset` is not a slot of this context: a mismatch between the
    /// VmOffsets used for allocation and for filling, i.e. a runtime bug that
    /// must not turn into an out-of-bounds write.
    fn slot(&self, offset: u32) -> usize {
        let index = offset as usize / 8;
        assert!(offset.is_multiple_of(8) && index < self.words, "VM context offset {offset} is not a slot");
        index
    }

    /// Writes the 8-byte slot at `offset`.
    pub(crate) fn set(&self, offset: u32, value: u64) {
        let index = self.slot(offset);
        // SAFETY: `index < words` (checked by `slot`), so the write is inside
        // our allocation. The allocation is only reached through raw pointers
        // (ours and the engines'), never through a Rust reference, and no code
        // of the instance runs while it is being filled.
        unsafe { self.ptr.as_ptr().add(index).write(value) };
    }

    /// Reads the 8-byte slot at `offset`.
    #[cfg(test)]
    pub(crate) fn get(&self, offset: u32) -> u64 {
        let index = self.slot(offset);
        // SAFETY: in bounds as for `set`; slots are plain u64 (zero-initialised).
        unsafe { self.ptr.as_ptr().add(index).read() }
    }
}

impl Drop for VmContext {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with exactly this layout and not freed before.
        unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), self.layout) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_start_zeroed_and_are_aligned() {
        let ctx = VmContext::new(48);
        assert_eq!(ctx.addr() % 8, 0);
        assert_eq!((ctx.get(0), ctx.get(40)), (0, 0));
        ctx.set(40, 7);
        assert_eq!(ctx.get(40), 7);
    }

    #[test]
    #[should_panic(expected = "not a slot")]
    fn writes_outside_the_context_are_refused() {
        VmContext::new(48).set(48, 1);
    }
}
