//! [`MemoryView`]: one linear memory together with the store that owns it,
//! so embedders and host functions read and write guest memory with plain
//! method calls, every access bounds-checked and failing as a value.

use crate::error::Error;
use crate::externals::Memory;
use crate::store::Store;

/// A memory and its store, borrowed for a few accesses. Offsets are byte
/// offsets in the memory; anything beyond its current size is
/// [`Error::OutOfBounds`], never a panic.
pub struct MemoryView<'a> {
    store: &'a mut Store,
    memory: Memory,
}

impl std::fmt::Debug for MemoryView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryView").field("memory", &self.memory).field("size", &self.size()).finish()
    }
}

macro_rules! le_access {
    ($($read:ident $write:ident $t:ty;)*) => {$(
        #[doc = concat!("Reads a little-endian `", stringify!($t), "` at `offset`.")]
        pub fn $read(&self, offset: u64) -> Result<$t, Error> {
            let mut b = [0u8; std::mem::size_of::<$t>()];
            self.read(offset, &mut b)?;
            Ok(<$t>::from_le_bytes(b))
        }

        #[doc = concat!("Writes `value` as a little-endian `", stringify!($t), "` at `offset`.")]
        pub fn $write(&mut self, offset: u64, value: $t) -> Result<(), Error> {
            self.write(offset, &value.to_le_bytes())
        }
    )*};
}

impl<'a> MemoryView<'a> {
    /// A view of `memory`, which must belong to `store`.
    pub fn new(store: &'a mut Store, memory: Memory) -> MemoryView<'a> {
        MemoryView { store, memory }
    }

    /// The memory's handle.
    pub fn memory(&self) -> Memory {
        self.memory
    }

    /// Current size in bytes.
    pub fn size(&self) -> u64 {
        self.memory.data_size(self.store)
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        self.memory.size(self.store)
    }

    /// Grows by `delta` pages; the old size in pages, or an error beyond the
    /// maximum (declared, or the runtime's limit).
    pub fn grow(&mut self, delta: u64) -> Result<u64, Error> {
        self.memory.grow(self.store, delta)
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        self.memory.read(self.store, offset, buf)
    }

    /// Copies `data` to `offset`.
    pub fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), Error> {
        self.memory.write(self.store, offset, data)
    }

    /// `len` bytes at `offset`, borrowed.
    pub fn slice(&self, offset: u64, len: u64) -> Result<&[u8], Error> {
        let data = self.memory.data(self.store);
        range(offset, len, data.len()).map(|r| &data[r])
    }

    /// `len` bytes at `offset`, mutably borrowed.
    pub fn slice_mut(&mut self, offset: u64, len: u64) -> Result<&mut [u8], Error> {
        let data = self.memory.data_mut(self.store);
        let r = range(offset, len, data.len())?;
        Ok(&mut data[r])
    }

    /// All of the memory's bytes.
    pub fn data(&self) -> &[u8] {
        self.memory.data(self.store)
    }

    /// All of the memory's bytes, mutably.
    pub fn data_mut(&mut self) -> &mut [u8] {
        self.memory.data_mut(self.store)
    }

    le_access! {
        read_u8 write_u8 u8;
        read_u16_le write_u16_le u16;
        read_u32_le write_u32_le u32;
        read_u64_le write_u64_le u64;
        read_i32_le write_i32_le i32;
        read_i64_le write_i64_le i64;
        read_f32_le write_f32_le f32;
        read_f64_le write_f64_le f64;
    }
}

/// `offset..offset + len` if it lies within `size` bytes.
fn range(offset: u64, len: u64, size: usize) -> Result<std::ops::Range<usize>, Error> {
    let oob = || Error::OutOfBounds { what: "memory", offset, len, size: size as u64 };
    let end = offset.checked_add(len).filter(|&e| e <= size as u64).ok_or_else(oob)?;
    Ok(offset as usize..end as usize)
}
