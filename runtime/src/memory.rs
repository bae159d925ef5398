//! Linear memories: one anonymous mapping per memory, reserved up front to the
//! memory's maximum so the base address never moves and `memory.grow` only
//! changes the length.
//!
//! Reservation: `min(declared max, 65536 pages, StoreConfig::memory_reservation)`
//! bytes plus `StoreConfig::memory_guard` bytes. The mapping is created with
//! `MAP_NORESERVE`, so untouched pages cost neither memory nor commit charge; on
//! Unix it is mapped `PROT_NONE` (with `mmap` directly: memmap2 maps anonymous
//! memory read-write only) and the current size, then each page the memory
//! grows by, is made read-write with `mprotect`. Opening the small accessible
//! part of a fresh mapping is much cheaper than closing the huge rest of a
//! read-write one, which matters for instantiation time. A stray access past
//! the length therefore faults instead of reading stale data, although both
//! engines bounds-check explicitly anyway. Elsewhere the whole reservation
//! stays read-write. Growing beyond the reservation fails the way the spec
//! allows (`memory.grow` returns -1).
//!
//! This file is one of the few allowed `unsafe`: every access to the bytes goes
//! through the raw base pointer after an explicit bounds check.

use std::cell::Cell;
use std::ptr;

#[cfg(not(unix))]
use memmap2::{MmapMut, MmapOptions};
use zerowasm_frontend::MemoryType;
use zerowasm_frontend::vmoffsets::VmMemory;

use crate::error::Error;
use crate::store::Store;

/// Size of a WebAssembly page in bytes.
pub const WASM_PAGE_SIZE: u64 = 65536;

/// The most pages a 32-bit memory can have (4 GiB).
const MAX_PAGES_32: u64 = 65536;

/// Default byte reservation for a memory without a declared maximum (and the
/// cap for one with a larger maximum): all of a 32-bit memory's 4 GiB on 64-bit
/// Unix hosts, where an untouched `MAP_NORESERVE` reservation costs only
/// address space.
#[cfg(all(unix, target_pointer_width = "64"))]
pub const DEFAULT_MEMORY_RESERVATION: u64 = MAX_PAGES_32 * WASM_PAGE_SIZE;
/// Default byte reservation for a memory without a declared maximum (and the
/// cap for one with a larger maximum): 256 MiB where address space is scarce
/// (32-bit hosts) or an anonymous mapping is charged in full up front
/// (Windows backs it with the page file).
#[cfg(not(all(unix, target_pointer_width = "64")))]
pub const DEFAULT_MEMORY_RESERVATION: u64 = 256 << 20;

/// Default inaccessible bytes after every reservation: one Wasm page, so an
/// access straddling the end of a full-size memory faults rather than touching
/// a neighbouring mapping.
pub const DEFAULT_GUARD_BYTES: u64 = WASM_PAGE_SIZE;

/// An access outside the current size; callers turn it into a trap or an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OutOfBounds;

/// The address range a memory reserves: one anonymous private mapping,
/// unmapped on drop. On Unix it starts inaccessible (`PROT_NONE`).
#[cfg(unix)]
struct Reservation {
    base: *mut u8,
    len: usize,
}

#[cfg(unix)]
impl Reservation {
    fn new(len: usize) -> std::io::Result<Reservation> {
        #[cfg(any(
            target_os = "linux",
            target_os = "android",
            target_vendor = "apple",
            target_os = "netbsd",
            target_os = "solaris",
            target_os = "illumos",
        ))]
        let no_reserve = libc::MAP_NORESERVE;
        #[cfg(not(any(
            target_os = "linux",
            target_os = "android",
            target_vendor = "apple",
            target_os = "netbsd",
            target_os = "solaris",
            target_os = "illumos",
        )))]
        let no_reserve = 0;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANON | no_reserve;
        // SAFETY: a new anonymous mapping at an address the kernel chooses
        // (no `MAP_FIXED`) cannot overlap or change any existing memory.
        let ptr = unsafe { libc::mmap(ptr::null_mut(), len, libc::PROT_NONE, flags, -1, 0) };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Reservation { base: ptr.cast(), len })
    }

    fn base(&self) -> *mut u8 {
        self.base
    }

    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(unix)]
impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: `base..base + len` is the mapping `new` made, unmapped only
        // here; its memory owns it, and no reference into it outlives the
        // memory (`data`/`data_mut` borrow the owning store, which keeps it alive).
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

/// Elsewhere the whole reservation is read-write from the start.
#[cfg(not(unix))]
struct Reservation {
    _map: MmapMut,
    base: *mut u8,
}

#[cfg(not(unix))]
impl Reservation {
    fn new(len: usize) -> std::io::Result<Reservation> {
        let mut map = MmapOptions::new().len(len).no_reserve_swap().map_anon()?;
        let base = map.as_mut_ptr();
        Ok(Reservation { _map: map, base })
    }

    fn base(&self) -> *mut u8 {
        self.base
    }
}

/// One linear memory.
pub(crate) struct LinearMemory {
    /// Owns the reservation; never dereferenced after construction (all access
    /// goes through `base`), so no reference to the bytes is ever live while
    /// engines write them.
    map: Reservation,
    /// Byte 0; fixed for the life of the memory.
    base: *mut u8,
    /// The record the VM contexts point at: `base` and the current length.
    record: Cell<VmMemory>,
    /// The type it was created with (its declared limits).
    ty: MemoryType,
    /// Pages it may grow to: the declared or implied maximum, capped by the reservation.
    max_pages: u64,
    /// Bytes from `base` that are read-write: at least the length, all of
    /// `max_pages` when the store commits capacity up front.
    accessible: Cell<u64>,
}

impl LinearMemory {
    /// Reserves and commits a memory of type `ty`; `reservation` caps the bytes
    /// reserved when the declared maximum is larger or absent. With
    /// `commit_max`, every page up to the maximum is made accessible now, so
    /// `memory.grow` never needs a system call (wazero's "capacity from max").
    pub(crate) fn new(
        ty: MemoryType,
        reservation: u64,
        guard: u64,
        commit_max: bool,
    ) -> Result<LinearMemory, Error> {
        let declared_max = ty.limits.max.unwrap_or(MAX_PAGES_32).min(MAX_PAGES_32);
        let max_pages = declared_max.min(reservation / WASM_PAGE_SIZE);
        if ty.limits.min > max_pages {
            return Err(Error::Resource(format!(
                "memory of {} pages exceeds the maximum of {max_pages} pages this store may reserve",
                ty.limits.min
            )));
        }
        let total = (max_pages * WASM_PAGE_SIZE).checked_add(guard).filter(|&t| t <= isize::MAX as u64);
        let Some(total) = total.and_then(|t| usize::try_from(t.max(WASM_PAGE_SIZE)).ok()) else {
            return Err(Error::Resource(format!("memory reservation of {max_pages} pages is too large")));
        };
        let map = Reservation::new(total)
            .map_err(|e| Error::Resource(format!("cannot reserve {total} bytes for a memory: {e}")))?;
        let base = map.base();
        let length = ty.limits.min * WASM_PAGE_SIZE;
        let memory = LinearMemory {
            map,
            base,
            record: Cell::new(VmMemory { base: base as u64, length }),
            ty,
            max_pages,
            accessible: Cell::new(if commit_max { max_pages * WASM_PAGE_SIZE } else { length }),
        };
        let committed = memory.accessible.get() as usize;
        memory
            .protect(0, committed, true)
            .map_err(|e| Error::Resource(format!("cannot make a memory's pages accessible: {e}")))?;
        Ok(memory)
    }

    /// Makes `len` bytes from `start` accessible or not (no-op off Unix).
    #[cfg(unix)]
    fn protect(&self, start: usize, len: usize, accessible: bool) -> std::io::Result<()> {
        if len == 0 {
            return Ok(());
        }
        debug_assert!(start + len <= self.map.len());
        let prot = if accessible { libc::PROT_READ | libc::PROT_WRITE } else { libc::PROT_NONE };
        // SAFETY: `start` is a multiple of the Wasm page size (a multiple of every
        // host page size) and `start + len` lies within the mapping owned by
        // `self.map`, so this changes the protection of our own pages only. No
        // Rust reference to these bytes exists (all access is through `base`).
        let rc = unsafe { libc::mprotect(self.base.add(start).cast(), len, prot) };
        if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
    }

    /// Makes `len` bytes from `start` accessible or not (no-op off Unix).
    #[cfg(not(unix))]
    fn protect(&self, _start: usize, _len: usize, _accessible: bool) -> std::io::Result<()> {
        Ok(())
    }

    /// The record VM contexts point at; its address is stable.
    pub(crate) fn record_ptr(&self) -> *mut VmMemory {
        self.record.as_ptr()
    }

    /// The type the memory was created with.
    pub(crate) fn ty(&self) -> MemoryType {
        self.ty
    }

    /// The pages the memory may grow to in this store.
    pub(crate) fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// Current size in bytes.
    pub(crate) fn byte_len(&self) -> u64 {
        self.record.get().length
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.byte_len() / WASM_PAGE_SIZE
    }

    /// `memory.grow`: the old size in pages, or `None` when the result would
    /// exceed the maximum (or the host refuses the pages).
    pub(crate) fn grow(&self, delta_pages: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta_pages).filter(|&n| n <= self.max_pages)?;
        if delta_pages > 0 {
            let accessible = self.accessible.get();
            let new_len = new * WASM_PAGE_SIZE;
            if new_len > accessible {
                let start = usize::try_from(accessible).ok()?;
                let len = usize::try_from(new_len - accessible).ok()?;
                self.protect(start, len, true).ok()?;
                self.accessible.set(new_len);
            }
            let mut record = self.record.get();
            record.length = new * WASM_PAGE_SIZE;
            self.record.set(record);
        }
        Some(old)
    }

    /// Checks `[offset, offset + len)` against the current size and returns the start.
    fn check(&self, offset: u64, len: u64) -> Result<usize, OutOfBounds> {
        let end = offset.checked_add(len).ok_or(OutOfBounds)?;
        if end > self.byte_len() {
            return Err(OutOfBounds);
        }
        // In bounds of the length, which is at most the mapping's `usize` length.
        usize::try_from(offset).map_err(|_| OutOfBounds)
    }

    /// `memory.fill`.
    pub(crate) fn fill(&self, dst: u64, byte: u8, len: u64) -> Result<(), OutOfBounds> {
        let start = self.check(dst, len)?;
        // SAFETY: `[start, start + len)` is within the current length, which is
        // committed read-write memory of this mapping; `len` fits in usize
        // because the range is inside the mapping.
        unsafe { ptr::write_bytes(self.base.add(start), byte, len as usize) };
        Ok(())
    }

    /// `memory.copy` within this memory (the ranges may overlap).
    pub(crate) fn copy_within(&self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        let d = self.check(dst, len)?;
        let s = self.check(src, len)?;
        // SAFETY: both ranges are within the current length (checked above);
        // `ptr::copy` has memmove semantics, so overlap is fine.
        unsafe { ptr::copy(self.base.add(s), self.base.add(d), len as usize) };
        Ok(())
    }

    /// `memory.copy` from another memory (or this one: then like `copy_within`).
    pub(crate) fn copy_from(
        &self,
        src_mem: &LinearMemory,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), OutOfBounds> {
        if ptr::eq(self, src_mem) {
            return self.copy_within(dst, src, len);
        }
        let d = self.check(dst, len)?;
        let s = src_mem.check(src, len)?;
        // SAFETY: both ranges are in bounds of their memories; two distinct
        // memories are distinct mappings, so the ranges cannot overlap.
        unsafe { ptr::copy_nonoverlapping(src_mem.base.add(s), self.base.add(d), len as usize) };
        Ok(())
    }

    /// Writes `data` at `offset` (`memory.init`, data segments, the embedder API).
    pub(crate) fn write(&self, offset: u64, data: &[u8]) -> Result<(), OutOfBounds> {
        let start = self.check(offset, data.len() as u64)?;
        // SAFETY: the destination range is in bounds (checked above). `ptr::copy`
        // tolerates `data` aliasing this memory.
        unsafe { ptr::copy(data.as_ptr(), self.base.add(start), data.len()) };
        Ok(())
    }

    /// Reads `buf.len()` bytes at `offset`.
    pub(crate) fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfBounds> {
        let start = self.check(offset, buf.len() as u64)?;
        // SAFETY: the source range is in bounds (checked above); `buf` is a
        // distinct Rust allocation or, at worst, aliases this memory, which
        // `ptr::copy` tolerates.
        unsafe { ptr::copy(self.base.add(start), buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// The current bytes, borrowed for as long as the store is.
    ///
    /// Only the store that owns this memory may be passed: its shared borrow is
    /// what rules out writers (Wasm execution, builtins and every mutating API
    /// need `&mut Store`), and it keeps the mapping alive.
    pub(crate) fn data<'a>(&self, _owner: &'a Store) -> &'a [u8] {
        // SAFETY: `[base, base + length)` is committed read-write memory of this
        // mapping, which the store keeps alive (it holds an `Rc` of this memory)
        // for at least 'a. Nothing writes the bytes or shrinks the memory while
        // the store is borrowed shared, because every path that writes needs
        // `&mut Store`. The base never moves.
        unsafe { std::slice::from_raw_parts(self.base, self.byte_len() as usize) }
    }

    /// The current bytes, mutably, for as long as the store is borrowed mutably.
    ///
    /// Only the store that owns this memory may be passed (see [`Self::data`]).
    pub(crate) fn data_mut<'a>(&self, _owner: &'a mut Store) -> &'a mut [u8] {
        // SAFETY: as for `data`; the exclusive store borrow also rules out any
        // other slice of this memory (another `data`/`data_mut`, possibly through
        // a different handle to the same memory) for 'a.
        unsafe { std::slice::from_raw_parts_mut(self.base, self.byte_len() as usize) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::Limits;

    fn mem(min: u64, max: Option<u64>) -> LinearMemory {
        LinearMemory::new(
            MemoryType { limits: Limits { min, max } },
            MAX_PAGES_32 * WASM_PAGE_SIZE,
            DEFAULT_GUARD_BYTES,
            false,
        )
        .expect("memory")
    }

    #[test]
    fn committed_capacity_grows_without_protecting() {
        let ty = MemoryType { limits: Limits { min: 1, max: Some(3) } };
        let m = LinearMemory::new(ty, 4 * WASM_PAGE_SIZE, 0, true).expect("memory");
        assert_eq!(m.accessible.get(), 3 * WASM_PAGE_SIZE);
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.byte_len(), 3 * WASM_PAGE_SIZE);
        assert_eq!(m.grow(1), None);
    }

    #[test]
    fn reserves_to_the_maximum_and_keeps_the_base() {
        let m = mem(1, None);
        let base = m.record.get().base;
        assert_eq!(m.byte_len(), WASM_PAGE_SIZE);
        assert_eq!(m.max_pages(), 65536);
        assert_eq!(m.grow(3), Some(1));
        assert_eq!(m.pages(), 4);
        assert_eq!(m.record.get().base, base, "the base never moves");
        assert_eq!(m.record.get().length, 4 * WASM_PAGE_SIZE);
    }

    #[test]
    fn grow_respects_limits() {
        let m = mem(0, Some(2));
        assert_eq!(m.grow(0), Some(0));
        assert_eq!(m.grow(1), Some(0));
        assert_eq!(m.grow(2), None);
        assert_eq!(m.grow(1), Some(1));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.grow(u64::MAX), None);
        assert_eq!(m.pages(), 2);
        // Without a maximum the 32-bit limit applies.
        let m = mem(0, None);
        assert_eq!(m.grow(65537), None);
        assert_eq!(m.grow(0x10000), Some(0));
    }

    #[test]
    fn reservation_cap_limits_growth_and_min() {
        let ty = MemoryType { limits: Limits { min: 1, max: None } };
        let m = LinearMemory::new(ty, 4 * WASM_PAGE_SIZE, 0, false).expect("memory");
        assert_eq!(m.grow(3), Some(1));
        assert_eq!(m.grow(1), None);
        let big = MemoryType { limits: Limits { min: 5, max: None } };
        let err = LinearMemory::new(big, 4 * WASM_PAGE_SIZE, 0, false).err().expect("too big");
        assert!(err.to_string().contains("5 pages"), "{err}");
    }

    #[test]
    fn grown_pages_are_zero_and_writable() {
        let m = mem(0, Some(2));
        assert_eq!(m.write(0, &[1]), Err(OutOfBounds));
        m.grow(1);
        m.write(WASM_PAGE_SIZE - 2, &[7, 8]).expect("in bounds");
        assert_eq!(m.write(WASM_PAGE_SIZE - 1, &[7, 8]), Err(OutOfBounds));
        m.grow(1);
        let mut buf = [9u8; 4];
        m.read(WASM_PAGE_SIZE - 2, &mut buf).expect("in bounds");
        assert_eq!(buf, [7, 8, 0, 0]);
    }

    #[test]
    fn bulk_operations_check_bounds() {
        let m = mem(1, Some(1));
        let n = WASM_PAGE_SIZE;
        assert_eq!(m.fill(n - 4, 0xaa, 4), Ok(()));
        assert_eq!(m.fill(n - 4, 0xaa, 5), Err(OutOfBounds));
        assert_eq!(m.fill(n, 0, 0), Ok(()), "zero length at the end is in bounds");
        assert_eq!(m.fill(n + 1, 0, 0), Err(OutOfBounds));
        assert_eq!(m.fill(u64::MAX, 0, 2), Err(OutOfBounds), "no overflow");
        m.write(0, &[1, 2, 3, 4, 5]).expect("write");
        m.copy_within(1, 0, 4).expect("overlapping copy");
        let mut buf = [0u8; 5];
        m.read(0, &mut buf).expect("read");
        assert_eq!(buf, [1, 1, 2, 3, 4]);
        assert_eq!(m.copy_within(n - 1, 0, 2), Err(OutOfBounds));
        let other = mem(1, Some(1));
        other.copy_from(&m, 10, 0, 5).expect("copy between memories");
        other.read(10, &mut buf).expect("read");
        assert_eq!(buf, [1, 1, 2, 3, 4]);
        assert_eq!(other.copy_from(&m, 0, n - 2, 3), Err(OutOfBounds));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn beyond_the_length_is_inaccessible() {
        let m = mem(1, Some(4));
        let base = m.record.get().base;
        let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
        let perms_at = |addr: u64| {
            maps.lines().find_map(|line| {
                let (range, rest) = line.split_once(' ')?;
                let (lo, hi) = range.split_once('-')?;
                let (lo, hi) = (u64::from_str_radix(lo, 16).ok()?, u64::from_str_radix(hi, 16).ok()?);
                (lo <= addr && addr < hi).then(|| rest[..4].to_string())
            })
        };
        assert_eq!(perms_at(base).as_deref(), Some("rw-p"));
        assert_eq!(perms_at(base + WASM_PAGE_SIZE).as_deref(), Some("---p"));
    }
}
