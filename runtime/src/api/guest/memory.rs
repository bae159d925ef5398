//! Plain data in guest memory ([`GuestValue`]) and the lazy handles a guest
//! passes by address ([`Ptr`], [`Slice`], [`Bytes`], [`Str`]): they carry
//! addresses, not data, so a host function reads only what it needs, and
//! every access is bounds-checked against the memory's current size, an
//! out-of-bounds address becoming a [`TrapCode::MemoryOutOfBounds`] trap.

use std::fmt;
use std::marker::PhantomData;

use crate::memory_view::MemoryView;
use crate::trap::{Trap, TrapCode};

/// The trap every bad guest address becomes, as a Wasm load would raise it.
pub(super) fn oob() -> Trap {
    Trap::new(TrapCode::MemoryOutOfBounds)
}

/// `len` bytes at `addr`, or the out-of-bounds trap.
fn bytes_at<'m>(mem: &'m MemoryView<'_>, addr: u64, len: u64) -> Result<&'m [u8], Trap> {
    mem.slice(addr, len).map_err(|_| oob())
}

/// `len` bytes at `addr`, mutably, or the out-of-bounds trap.
fn bytes_at_mut<'m>(mem: &'m mut MemoryView<'_>, addr: u64, len: u64) -> Result<&'m mut [u8], Trap> {
    mem.slice_mut(addr, len).map_err(|_| oob())
}

/// The guest size of `T`, widened for address arithmetic.
fn size_of<T: GuestValue>() -> u64 {
    u64::try_from(T::SIZE).unwrap_or(u64::MAX)
}

/// A fixed-size value stored little-endian in guest memory, as Wasm's own
/// loads and stores lay it out: the element type of [`Ptr`] and [`Slice`],
/// and the value a method returns through a result pointer.
///
/// Implemented for `u8 i8 u16 i16 u32 i32 u64 i64 f32 f64`, arrays of guest
/// values and [`Ptr`] (a 4-byte address). A guest struct is a few fields at
/// fixed offsets, so implementing the trait by hand is short; arrays keep it
/// free of index arithmetic:
///
/// ```
/// use zerowasm_runtime::{GuestValue, HostModuleBuilder, MemoryView, ModuleConfig, Ptr, Runtime};
///
/// /// `struct point { int32_t x, y; }` on the guest side.
/// #[derive(Debug, PartialEq)]
/// struct Point {
///     x: i32,
///     y: i32,
/// }
///
/// impl GuestValue for Point {
///     const SIZE: usize = 8;
///     fn read_le(bytes: &[u8]) -> Self {
///         let [x, y] = <[i32; 2]>::read_le(bytes);
///         Point { x, y }
///     }
///     fn write_le(self, bytes: &mut [u8]) {
///         [self.x, self.y].write_le(bytes)
///     }
/// }
///
/// let runtime = Runtime::new();
/// HostModuleBuilder::new("geo")
///     .with_state(|_: &ModuleConfig| Ok(0u32))
///     // Scales the point in place and counts the calls.
///     .method("scale", |calls: &mut u32, mem: &mut MemoryView<'_>, p: Ptr<Point>, k: i32| {
///         let Point { x, y } = p.read(mem)?;
///         *calls += 1;
///         p.write(mem, Point { x: x * k, y: y * k })
///     })
///     .instantiate(&runtime)?;
/// let wasm = wat::parse_str(
///     r#"(module
///         (import "geo" "scale" (func $scale (param i32 i32)))
///         (memory (export "memory") 1)
///         (data (i32.const 8) "\02\00\00\00\fd\ff\ff\ff") ;; Point { x: 2, y: -3 }
///         (func (export "run") (call $scale (i32.const 8) (i32.const 10))))"#,
/// )?;
/// let mut module = runtime.instantiate_bytes(&wasm, ModuleConfig::new())?;
/// module.call("run", &[])?;
/// let mem = module.memory().ok_or("no memory")?;
/// assert_eq!(Ptr::<Point>::new(8).read(&mem)?, Point { x: 20, y: -30 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait GuestValue: Sized {
    /// Bytes the value takes in guest memory.
    const SIZE: usize;
    /// Decodes the value from its `SIZE` bytes. Callers pass exactly
    /// `SIZE` bytes; implementations should not panic on fewer (the
    /// built-in ones read missing bytes as zero).
    fn read_le(bytes: &[u8]) -> Self;
    /// Encodes the value into its `SIZE` bytes.
    fn write_le(self, bytes: &mut [u8]);
}

macro_rules! guest_value_le {
    ($($t:ty)*) => {$(
        impl GuestValue for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn read_le(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                for (d, s) in b.iter_mut().zip(bytes) {
                    *d = *s;
                }
                <$t>::from_le_bytes(b)
            }
            #[inline]
            fn write_le(self, bytes: &mut [u8]) {
                for (d, s) in bytes.iter_mut().zip(self.to_le_bytes()) {
                    *d = s;
                }
            }
        }
    )*};
}

guest_value_le!(u8 i8 u16 i16 u32 i32 u64 i64 f32 f64);

/// Element `i`'s bytes in an array of `size`-byte elements (empty past the end).
fn element(bytes: &[u8], i: usize, size: usize) -> &[u8] {
    bytes.get(i * size..(i + 1) * size).unwrap_or(&[])
}

impl<T: GuestValue, const N: usize> GuestValue for [T; N] {
    const SIZE: usize = T::SIZE * N;
    fn read_le(bytes: &[u8]) -> Self {
        std::array::from_fn(|i| T::read_le(element(bytes, i, T::SIZE)))
    }
    fn write_le(self, bytes: &mut [u8]) {
        for (i, v) in self.into_iter().enumerate() {
            if let Some(b) = bytes.get_mut(i * T::SIZE..(i + 1) * T::SIZE) {
                v.write_le(b);
            }
        }
    }
}

/// A guest pointer to one `T`: one `i32` parameter, the address. Nothing is
/// read until [`Ptr::read`], so a function that only sometimes needs the
/// value pays nothing otherwise.
pub struct Ptr<T> {
    addr: u32,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Ptr<T> {}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.addr == other.addr
    }
}

impl<T> Eq for Ptr<T> {}

impl<T> fmt::Debug for Ptr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ptr({:#x})", self.addr)
    }
}

impl<T: GuestValue> Ptr<T> {
    /// A pointer to the `T` at guest address `addr`, for host code that
    /// finds addresses itself (inside a struct, a result pointer).
    pub const fn new(addr: u32) -> Ptr<T> {
        Ptr { addr, _t: PhantomData }
    }

    /// The guest address.
    pub const fn addr(self) -> u32 {
        self.addr
    }

    /// The pointer `n` elements further on, as C's `p + n`. An address past
    /// the 32-bit space is the out-of-bounds trap rather than a wrapped
    /// pointer into unrelated guest data.
    // Named after `<*const T>::add`; it cannot be `ops::Add` because it fails.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, n: u32) -> Result<Ptr<T>, Trap> {
        self.offset(u64::from(n).saturating_mul(size_of::<T>()))
    }

    /// The pointer `bytes` bytes further on, for fields at known offsets.
    /// Overflowing the 32-bit space traps like [`Ptr::add`].
    pub fn byte_add(self, bytes: u32) -> Result<Ptr<T>, Trap> {
        self.offset(u64::from(bytes))
    }

    fn offset(self, bytes: u64) -> Result<Ptr<T>, Trap> {
        let addr =
            u64::from(self.addr).checked_add(bytes).and_then(|a| u32::try_from(a).ok()).ok_or_else(oob)?;
        Ok(Ptr::new(addr))
    }

    /// The same address seen as another type, for a field of a struct or a
    /// buffer reinterpreted.
    pub const fn cast<U: GuestValue>(self) -> Ptr<U> {
        Ptr::new(self.addr)
    }

    /// `len` elements starting here.
    pub const fn slice(self, len: u32) -> Slice<T> {
        Slice::new(self.addr, len)
    }

    /// Reads the value; traps if any of its bytes is out of bounds.
    pub fn read(self, mem: &MemoryView<'_>) -> Result<T, Trap> {
        Ok(T::read_le(bytes_at(mem, u64::from(self.addr), size_of::<T>())?))
    }

    /// Writes `value`; traps, writing nothing, if any of its bytes is out
    /// of bounds.
    pub fn write(self, mem: &mut MemoryView<'_>, value: T) -> Result<(), Trap> {
        value.write_le(bytes_at_mut(mem, u64::from(self.addr), size_of::<T>())?);
        Ok(())
    }
}

impl<T: GuestValue> GuestValue for Ptr<T> {
    const SIZE: usize = 4;
    fn read_le(bytes: &[u8]) -> Self {
        Ptr::new(u32::read_le(bytes))
    }
    fn write_le(self, bytes: &mut [u8]) {
        self.addr.write_le(bytes)
    }
}

/// A guest array of `T`: two `i32` parameters, the address and the element
/// count (not the byte length), as C passes `(const T *p, size_t n)`.
pub struct Slice<T> {
    addr: u32,
    len: u32,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Slice<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slice<T> {}

impl<T> PartialEq for Slice<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.addr, self.len) == (other.addr, other.len)
    }
}

impl<T> Eq for Slice<T> {}

impl<T> fmt::Debug for Slice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slice({:#x}, len {})", self.addr, self.len)
    }
}

impl<T: GuestValue> Slice<T> {
    /// `len` elements at guest address `addr`.
    pub const fn new(addr: u32, len: u32) -> Slice<T> {
        Slice { addr, len, _t: PhantomData }
    }

    /// The guest address of the first element.
    pub const fn addr(self) -> u32 {
        self.addr
    }

    /// The element count, as the guest passed it (not yet checked against
    /// the memory).
    pub const fn len(self) -> u32 {
        self.len
    }

    /// True if the guest passed no elements.
    pub const fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The byte length, saturating: a count whose bytes overflow `u64`
    /// cannot fit any memory and fails the bounds check anyway.
    fn byte_len(self) -> u64 {
        u64::from(self.len).saturating_mul(size_of::<T>())
    }

    /// The guest address of element `i`; `i` past the end is out of bounds.
    fn element_addr(self, i: u32) -> Result<u64, Trap> {
        if i >= self.len {
            return Err(oob());
        }
        Ok(u64::from(self.addr).saturating_add(u64::from(i).saturating_mul(size_of::<T>())))
    }

    /// A pointer to element `i`, which must be in the slice.
    pub fn ptr(self, i: u32) -> Result<Ptr<T>, Trap> {
        let addr = self.element_addr(i)?;
        Ok(Ptr::new(u32::try_from(addr).map_err(|_| oob())?))
    }

    /// Reads element `i`; traps if `i` is past the end or the element's
    /// bytes are out of bounds.
    pub fn get(self, mem: &MemoryView<'_>, i: u32) -> Result<T, Trap> {
        Ok(T::read_le(bytes_at(mem, self.element_addr(i)?, size_of::<T>())?))
    }

    /// Writes element `i`; traps like [`Slice::get`].
    pub fn set(self, mem: &mut MemoryView<'_>, i: u32, value: T) -> Result<(), Trap> {
        value.write_le(bytes_at_mut(mem, self.element_addr(i)?, size_of::<T>())?);
        Ok(())
    }

    /// The elements, decoded one by one without copying the bytes; traps
    /// up front if any of the slice is out of bounds.
    pub fn iter<'m>(self, mem: &'m MemoryView<'_>) -> Result<impl ExactSizeIterator<Item = T> + 'm, Trap>
    where
        T: 'm,
    {
        let bytes = bytes_at(mem, u64::from(self.addr), self.byte_len())?;
        let len = usize::try_from(self.len).map_err(|_| oob())?;
        Ok((0..len).map(move |i| T::read_le(element(bytes, i, T::SIZE))))
    }

    /// All the elements, copied out; traps if any of the slice is out of
    /// bounds.
    pub fn read(self, mem: &MemoryView<'_>) -> Result<Vec<T>, Trap> {
        Ok(self.iter(mem)?.collect())
    }
}

/// A guest byte buffer: two `i32` parameters, the address and the length.
/// Borrowed in place ([`Bytes::as_slice`]), so large buffers are not copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bytes {
    addr: u32,
    len: u32,
}

impl Bytes {
    /// `len` bytes at guest address `addr`.
    pub const fn new(addr: u32, len: u32) -> Bytes {
        Bytes { addr, len }
    }

    /// The guest address.
    pub const fn addr(self) -> u32 {
        self.addr
    }

    /// The length the guest passed (not yet checked against the memory).
    pub const fn len(self) -> u32 {
        self.len
    }

    /// True if the guest passed no bytes.
    pub const fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The bytes, borrowed from guest memory; traps if any is out of bounds.
    pub fn as_slice<'m>(self, mem: &'m MemoryView<'_>) -> Result<&'m [u8], Trap> {
        bytes_at(mem, u64::from(self.addr), u64::from(self.len))
    }

    /// The bytes, mutably borrowed, for filling an output buffer; traps if
    /// any is out of bounds.
    pub fn as_mut_slice<'m>(self, mem: &'m mut MemoryView<'_>) -> Result<&'m mut [u8], Trap> {
        bytes_at_mut(mem, u64::from(self.addr), u64::from(self.len))
    }
}

/// A guest string: two `i32` parameters, the address and the byte length
/// (no terminating NUL). UTF-8 is checked when it is read, and a string that
/// is not UTF-8 is a trap, never a lossy conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Str {
    addr: u32,
    len: u32,
}

impl Str {
    /// The `len`-byte string at guest address `addr`.
    pub const fn new(addr: u32, len: u32) -> Str {
        Str { addr, len }
    }

    /// The guest address.
    pub const fn addr(self) -> u32 {
        self.addr
    }

    /// The byte length the guest passed.
    pub const fn len(self) -> u32 {
        self.len
    }

    /// True if the guest passed an empty string.
    pub const fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The raw bytes, not checked for UTF-8.
    pub fn as_bytes<'m>(self, mem: &'m MemoryView<'_>) -> Result<&'m [u8], Trap> {
        Bytes::new(self.addr, self.len).as_slice(mem)
    }

    /// The string, borrowed from guest memory. Traps with
    /// [`TrapCode::MemoryOutOfBounds`] if it is out of bounds, and with a
    /// host error naming the address if it is not UTF-8.
    pub fn as_str<'m>(self, mem: &'m MemoryView<'_>) -> Result<&'m str, Trap> {
        std::str::from_utf8(self.as_bytes(mem)?).map_err(|e| {
            Trap::msg(format!(
                "the guest string at {:#x} ({} bytes) is not valid UTF-8: {e}",
                self.addr, self.len
            ))
        })
    }
}
