//! Bounds-checked access to the caller's linear memory. Every guest pointer
//! goes through here: an access that does not fit returns `EFAULT`, never a
//! trap and never a read outside the slice. Arithmetic on guest pointers is
//! done in `u64`, so `ptr + len` cannot wrap.

use crate::types::{Errno, WasiResult};

/// A view of the guest's memory 0 for the duration of one host call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One entry of an `iovec` array: a guest buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoVec {
    /// Guest address.
    pub ptr: u32,
    /// Length in bytes.
    pub len: u32,
}

impl<'a> GuestMemory<'a> {
    /// Wraps the memory's bytes (an empty slice when the module has none,
    /// so every access faults).
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u64) -> WasiResult<std::ops::Range<usize>> {
        let start = u64::from(ptr);
        let end = start.checked_add(len).ok_or(Errno::Fault)?;
        if end > self.bytes.len() as u64 {
            return Err(Errno::Fault);
        }
        Ok(start as usize..end as usize)
    }

    /// The `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&self.bytes[r])
    }

    /// The `len` bytes at `ptr`, mutably.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&mut self.bytes[r])
    }

    /// Copies `data` to `ptr`.
    pub fn write_bytes(&mut self, ptr: u32, data: &[u8]) -> WasiResult<()> {
        let r = self.range(ptr, data.len() as u64)?;
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }

    fn array<const N: usize>(&self, ptr: u32) -> WasiResult<[u8; N]> {
        let r = self.range(ptr, N as u64)?;
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[r]);
        Ok(out)
    }

    /// Reads an `u8`.
    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.array::<1>(ptr)?[0])
    }

    /// Reads a little-endian `u16`.
    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian `u32`.
    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian `u64`.
    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    /// Writes an `u8`.
    pub fn write_u8(&mut self, ptr: u32, v: u8) -> WasiResult<()> {
        self.write_bytes(ptr, &[v])
    }

    /// Writes a little-endian `u16`.
    pub fn write_u16(&mut self, ptr: u32, v: u16) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u32`.
    pub fn write_u32(&mut self, ptr: u32, v: u32) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u64`.
    pub fn write_u64(&mut self, ptr: u32, v: u64) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// A guest string (`ptr`, `len`) as UTF-8; invalid UTF-8 is `EILSEQ`.
    pub fn read_str(&self, ptr: u32, len: u32) -> WasiResult<String> {
        let bytes = self.slice(ptr, len)?;
        std::str::from_utf8(bytes).map(str::to_string).map_err(|_| Errno::Ilseq)
    }

    /// The `count` entries of an `iovec`/`ciovec` array at `ptr`. Each buffer
    /// is checked here too, so callers may index them without failing halfway
    /// through a transfer; the total length may not exceed `u32::MAX`
    /// (`EINVAL`), as the result is a `size`.
    pub fn iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<IoVec>> {
        let table = self.slice(ptr, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        let mut out = Vec::with_capacity(count as usize);
        let mut total = 0u64;
        for entry in table.chunks_exact(8) {
            let ptr = u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]);
            let len = u32::from_le_bytes([entry[4], entry[5], entry[6], entry[7]]);
            self.range(ptr, u64::from(len))?;
            total += u64::from(len);
            out.push(IoVec { ptr, len });
        }
        if total > u64::from(u32::MAX) {
            return Err(Errno::Inval);
        }
        Ok(out)
    }

    /// The bytes of `iovs` gathered into one buffer (for writes).
    pub fn gather(&self, iovs: &[IoVec]) -> WasiResult<Vec<u8>> {
        let mut out = Vec::new();
        for iov in iovs {
            out.extend_from_slice(self.slice(iov.ptr, iov.len)?);
        }
        Ok(out)
    }

    /// Spreads `data` over `iovs` in order (for reads); returns bytes copied.
    pub fn scatter(&mut self, iovs: &[IoVec], data: &[u8]) -> WasiResult<usize> {
        let mut done = 0;
        for iov in iovs {
            if done == data.len() {
                break;
            }
            let n = (iov.len as usize).min(data.len() - done);
            let dst = self.slice_mut(iov.ptr, n as u32)?;
            dst.copy_from_slice(&data[done..done + n]);
            done += n;
        }
        Ok(done)
    }

    /// Total length of `iovs`.
    pub fn total_len(iovs: &[IoVec]) -> usize {
        iovs.iter().map(|i| i.len as usize).sum()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_in_bounds() {
        let mut buf = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut buf);
        m.write_u64(8, 0x0102_0304_0506_0708).unwrap();
        assert_eq!(m.read_u8(8), Ok(8));
        assert_eq!(m.read_u16(8), Ok(0x0708));
        assert_eq!(m.read_u32(8), Ok(0x0506_0708));
        assert_eq!(m.read_u64(8), Ok(0x0102_0304_0506_0708));
        m.write_u32(0, 0xdead_beef).unwrap();
        m.write_u16(4, 7).unwrap();
        m.write_u8(6, 9).unwrap();
        assert_eq!(m.slice(0, 7).unwrap(), &[0xef, 0xbe, 0xad, 0xde, 7, 0, 9]);
    }

    #[test]
    fn out_of_bounds_is_efault() {
        let mut buf = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut buf);
        assert_eq!(m.read_u64(9), Err(Errno::Fault));
        assert_eq!(m.read_u32(u32::MAX), Err(Errno::Fault));
        assert_eq!(m.write_u16(15, 1), Err(Errno::Fault));
        assert_eq!(m.slice(0, 17).err(), Some(Errno::Fault));
        assert_eq!(m.slice(16, 0).map(<[u8]>::len), Ok(0));
        assert_eq!(m.slice(u32::MAX, u32::MAX).err(), Some(Errno::Fault));
        assert_eq!(m.iovecs(0, u32::MAX).err(), Some(Errno::Fault));
        let mut none: Vec<u8> = Vec::new();
        assert_eq!(GuestMemory::new(&mut none).read_u8(0), Err(Errno::Fault));
    }

    #[test]
    fn iovecs_are_checked_and_scattered() {
        let mut buf = vec![0u8; 64];
        let mut m = GuestMemory::new(&mut buf);
        // two iovecs at 0: (32, 3) and (40, 10)
        m.write_u32(0, 32).unwrap();
        m.write_u32(4, 3).unwrap();
        m.write_u32(8, 40).unwrap();
        m.write_u32(12, 10).unwrap();
        let iovs = m.iovecs(0, 2).unwrap();
        assert_eq!(iovs, vec![IoVec { ptr: 32, len: 3 }, IoVec { ptr: 40, len: 10 }]);
        assert_eq!(m.scatter(&iovs, b"hello"), Ok(5));
        assert_eq!(m.gather(&iovs).unwrap()[..5], *b"hello");
        m.write_u32(12, 100).unwrap();
        assert_eq!(m.iovecs(0, 2).err(), Some(Errno::Fault), "a buffer past the end");
        assert_eq!(m.read_str(32, 3), Ok("hel".to_string()));
        m.write_u8(32, 0xff).unwrap();
        assert_eq!(m.read_str(32, 3), Err(Errno::Ilseq));
    }
}
