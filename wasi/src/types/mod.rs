//! The `wasi_snapshot_preview1` types, with the numbers and layouts of the
//! witx definitions (`typenames.witx`). Everything the guest sees in memory is
//! written through the `encode` helpers here, so a layout mistake is fixed in
//! one place and caught by the tests at the bottom, which pin every value and
//! offset to the witx numbers (as checked by wasi-libc's generated `api.h`).

mod errno;

pub use errno::Errno;

/// The result of a WASI operation before it is turned into an `errno` slot.
pub type WasiResult<T> = Result<T, Errno>;

/// File descriptor rights (witx `rights`, an `u64` bit set). A descriptor can
/// only do what its base rights allow, and hands its inheriting rights to the
/// descriptors `path_open` makes from it: that is how a read-only mount stays
/// read-only all the way down.
pub mod rights {
    /// `fd_datasync`.
    pub const FD_DATASYNC: u64 = 1 << 0;
    /// `fd_read`, `sock_recv`.
    pub const FD_READ: u64 = 1 << 1;
    /// `fd_seek` (implies `fd_tell`).
    pub const FD_SEEK: u64 = 1 << 2;
    /// `fd_fdstat_set_flags`.
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    /// `fd_sync`.
    pub const FD_SYNC: u64 = 1 << 4;
    /// `fd_tell`.
    pub const FD_TELL: u64 = 1 << 5;
    /// `fd_write`, `sock_send`.
    pub const FD_WRITE: u64 = 1 << 6;
    /// `fd_advise`.
    pub const FD_ADVISE: u64 = 1 << 7;
    /// `fd_allocate`.
    pub const FD_ALLOCATE: u64 = 1 << 8;
    /// `path_create_directory`.
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    /// `path_open` with `oflags::CREAT`.
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    /// `path_link` on the source directory.
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    /// `path_link` on the target directory.
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    /// `path_open`.
    pub const PATH_OPEN: u64 = 1 << 13;
    /// `fd_readdir`.
    pub const FD_READDIR: u64 = 1 << 14;
    /// `path_readlink`.
    pub const PATH_READLINK: u64 = 1 << 15;
    /// `path_rename` on the source directory.
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    /// `path_rename` on the target directory.
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    /// `path_filestat_get`.
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    /// Changing a file's size by path (`path_open` with `TRUNC`).
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    /// `path_filestat_set_times`.
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    /// `fd_filestat_get`.
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    /// `fd_filestat_set_size`.
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    /// `fd_filestat_set_times`.
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    /// `path_symlink`.
    pub const PATH_SYMLINK: u64 = 1 << 24;
    /// `path_remove_directory`.
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    /// `path_unlink_file`.
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    /// `poll_oneoff` read/write subscriptions.
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    /// `sock_shutdown`.
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    /// `sock_accept`.
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every right witx defines.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Rights that change anything on the file system: a read-only mount
    /// never grants them, to the directory or to what is opened from it.
    pub const MUTATING: u64 = FD_DATASYNC
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_WRITE
        | FD_ALLOCATE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// What a regular file can ever do.
    pub const REGULAR_FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// What a directory can ever do.
    pub const DIRECTORY: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_DATASYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// What a stream (stdio, pipe) can ever do: no seeking.
    pub const STREAM: u64 = FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// A listening socket: it accepts connections, and `poll_oneoff` says
    /// when one is waiting; it carries no data itself.
    pub const SOCKET_LISTENER: u64 = SOCK_ACCEPT | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// A connected stream socket: `fd_read`/`sock_recv`, `fd_write`/
    /// `sock_send`, `sock_shutdown`; no offsets, so no seeking.
    pub const SOCKET_STREAM: u64 =
        FD_READ | FD_WRITE | SOCK_SHUTDOWN | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
}

/// The type of a file (witx `filetype`, `u8`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Filetype {
    /// Unknown, or a kind WASI has no name for.
    Unknown = 0,
    /// A block device.
    BlockDevice = 1,
    /// A character device.
    CharacterDevice = 2,
    /// A directory.
    Directory = 3,
    /// A regular file.
    RegularFile = 4,
    /// A datagram socket.
    SocketDgram = 5,
    /// A byte-stream socket.
    SocketStream = 6,
    /// A symbolic link.
    SymbolicLink = 7,
}

/// Descriptor flags (witx `fdflags`, `u16`).
pub mod fdflags {
    /// Writes append to the end of the file.
    pub const APPEND: u16 = 1 << 0;
    /// Data integrity on write.
    pub const DSYNC: u16 = 1 << 1;
    /// Non-blocking mode.
    pub const NONBLOCK: u16 = 1 << 2;
    /// Synchronized reads.
    pub const RSYNC: u16 = 1 << 3;
    /// File integrity on write.
    pub const SYNC: u16 = 1 << 4;
}

/// `path_open` flags (witx `oflags`, `u16`).
pub mod oflags {
    /// Create the file if it does not exist.
    pub const CREAT: u16 = 1 << 0;
    /// Fail unless it is a directory.
    pub const DIRECTORY: u16 = 1 << 1;
    /// With `CREAT`: fail if it exists.
    pub const EXCL: u16 = 1 << 2;
    /// Truncate to size 0.
    pub const TRUNC: u16 = 1 << 3;
}

/// Path lookup flags (witx `lookupflags`, `u32`).
pub mod lookupflags {
    /// Follow a symbolic link in the last component.
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// Which timestamps `*_filestat_set_times` changes (witx `fstflags`, `u16`).
pub mod fstflags {
    /// Set the access time to the given value.
    pub const ATIM: u16 = 1 << 0;
    /// Set the access time to now.
    pub const ATIM_NOW: u16 = 1 << 1;
    /// Set the modification time to the given value.
    pub const MTIM: u16 = 1 << 2;
    /// Set the modification time to now.
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `fd_seek` origin (witx `whence`, `u8`).
pub mod whence {
    /// From the start.
    pub const SET: u8 = 0;
    /// From the current offset.
    pub const CUR: u8 = 1;
    /// From the end.
    pub const END: u8 = 2;
}

/// Clock identifiers (witx `clockid`, `u32`).
pub mod clockid {
    /// Wall-clock time since the Unix epoch.
    pub const REALTIME: u32 = 0;
    /// A monotonic clock with an arbitrary epoch.
    pub const MONOTONIC: u32 = 1;
    /// CPU time of the process.
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    /// CPU time of the thread.
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `fd_advise` advice (witx `advice`, `u8`).
pub mod advice {
    /// No advice.
    pub const NORMAL: u8 = 0;
    /// Sequential access.
    pub const SEQUENTIAL: u8 = 1;
    /// Random access.
    pub const RANDOM: u8 = 2;
    /// Will be needed soon.
    pub const WILLNEED: u8 = 3;
    /// Will not be needed soon.
    pub const DONTNEED: u8 = 4;
    /// Accessed once.
    pub const NOREUSE: u8 = 5;
}

/// Event and subscription constants for `poll_oneoff`.
pub mod event {
    /// `eventtype::clock`.
    pub const CLOCK: u8 = 0;
    /// `eventtype::fd_read`.
    pub const FD_READ: u8 = 1;
    /// `eventtype::fd_write`.
    pub const FD_WRITE: u8 = 2;
    /// `eventrwflags::fd_readwrite_hangup`.
    pub const HANGUP: u16 = 1 << 0;
    /// `subclockflags::subscription_clock_abstime`.
    pub const ABSTIME: u16 = 1 << 0;
}

/// Socket flags.
pub mod sock {
    /// `riflags::recv_peek`.
    pub const RECV_PEEK: u16 = 1 << 0;
    /// `riflags::recv_waitall`.
    pub const RECV_WAITALL: u16 = 1 << 1;
    /// `roflags::recv_data_truncated`.
    pub const RECV_DATA_TRUNCATED: u16 = 1 << 0;
    /// `sdflags::rd`.
    pub const SHUT_RD: u8 = 1 << 0;
    /// `sdflags::wr`.
    pub const SHUT_WR: u8 = 1 << 1;
}

/// `preopentype::dir`, the only preopen kind.
pub const PREOPENTYPE_DIR: u8 = 0;

/// Sizes of the structures the guest reads and writes (witx layouts).
pub mod size {
    /// `iovec` / `ciovec`: `buf: u32` at 0, `buf_len: u32` at 4.
    pub const IOVEC: u32 = 8;
    /// `fdstat`.
    pub const FDSTAT: u32 = 24;
    /// `filestat`.
    pub const FILESTAT: u32 = 64;
    /// `prestat`: tag `u8` at 0, `pr_name_len: u32` at 4.
    pub const PRESTAT: u32 = 8;
    /// `dirent` header, followed by the name bytes.
    pub const DIRENT: u32 = 24;
    /// `subscription`.
    pub const SUBSCRIPTION: u32 = 48;
    /// `event`.
    pub const EVENT: u32 = 32;
}

/// A file's metadata (witx `filestat`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filestat {
    /// Device id.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// File type.
    pub filetype: u8,
    /// Number of hard links.
    pub nlink: u64,
    /// Size in bytes.
    pub size: u64,
    /// Last access, ns since the epoch.
    pub atim: u64,
    /// Last modification, ns since the epoch.
    pub mtim: u64,
    /// Last status change, ns since the epoch.
    pub ctim: u64,
}

impl Filestat {
    /// The 64-byte witx encoding: dev@0 ino@8 filetype@16 nlink@24 size@32
    /// atim@40 mtim@48 ctim@56.
    pub fn encode(&self) -> [u8; 64] {
        let mut b = [0u8; 64];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        b
    }
}

/// A descriptor's status (witx `fdstat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fdstat {
    /// File type.
    pub filetype: u8,
    /// `fdflags`.
    pub flags: u16,
    /// Base rights.
    pub rights_base: u64,
    /// Inheriting rights.
    pub rights_inheriting: u64,
}

impl Fdstat {
    /// The 24-byte witx encoding: filetype@0 flags@2 rights_base@8
    /// rights_inheriting@16.
    pub fn encode(&self) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[0] = self.filetype;
        b[2..4].copy_from_slice(&self.flags.to_le_bytes());
        b[8..16].copy_from_slice(&self.rights_base.to_le_bytes());
        b[16..24].copy_from_slice(&self.rights_inheriting.to_le_bytes());
        b
    }
}

/// The 24-byte `dirent` header: d_next@0 d_ino@8 d_namlen@16 d_type@20.
pub fn encode_dirent(next: u64, ino: u64, namlen: u32, filetype: u8) -> [u8; 24] {
    let mut b = [0u8; 24];
    b[0..8].copy_from_slice(&next.to_le_bytes());
    b[8..16].copy_from_slice(&ino.to_le_bytes());
    b[16..20].copy_from_slice(&namlen.to_le_bytes());
    b[20] = filetype;
    b
}

/// The 32-byte `event`: userdata@0 error@8 type@10, then for fd events
/// `nbytes: u64`@16 and `flags: u16`@24.
pub fn encode_event(userdata: u64, error: Errno, ty: u8, nbytes: u64, flags: u16) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8..10].copy_from_slice(&(error as u16).to_le_bytes());
    b[10] = ty;
    b[16..24].copy_from_slice(&nbytes.to_le_bytes());
    b[24..26].copy_from_slice(&flags.to_le_bytes());
    b
}

/// A decoded `subscription` (48 bytes): userdata@0, tag `u8`@8, then the
/// union at 16. Clock: id `u32`@16 timeout `u64`@24 precision `u64`@32
/// flags `u16`@40. Fd read/write: fd `u32`@16.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subscription {
    /// Wait for a clock.
    Clock {
        /// Returned in the event.
        userdata: u64,
        /// `clockid`.
        id: u32,
        /// Relative or absolute (see `flags`) timeout in ns.
        timeout: u64,
        /// Accepted precision in ns.
        precision: u64,
        /// `subclockflags`.
        flags: u16,
    },
    /// Wait until `fd` is readable (`FD_READ`) or writable (`FD_WRITE`).
    Fd {
        /// Returned in the event.
        userdata: u64,
        /// `eventtype::fd_read` or `fd_write`.
        ty: u8,
        /// The descriptor.
        fd: u32,
    },
}

impl Subscription {
    /// Decodes the 48 bytes of a subscription; an unknown tag is `EINVAL`.
    pub fn decode(b: &[u8; 48]) -> WasiResult<Subscription> {
        let u64_at = |o: usize| {
            u64::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]])
        };
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let userdata = u64_at(0);
        match b[8] {
            event::CLOCK => Ok(Subscription::Clock {
                userdata,
                id: u32_at(16),
                timeout: u64_at(24),
                precision: u64_at(32),
                flags: u16::from_le_bytes([b[40], b[41]]),
            }),
            ty @ (event::FD_READ | event::FD_WRITE) => Ok(Subscription::Fd { userdata, ty, fd: u32_at(16) }),
            _ => Err(Errno::Inval),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;

    #[test]
    fn errno_values_are_the_witx_ones() {
        assert_eq!(Errno::Success as u16, 0);
        assert_eq!(Errno::TooBig as u16, 1);
        assert_eq!(Errno::Acces as u16, 2);
        assert_eq!(Errno::Badf as u16, 8);
        assert_eq!(Errno::Exist as u16, 20);
        assert_eq!(Errno::Fault as u16, 21);
        assert_eq!(Errno::Inval as u16, 28);
        assert_eq!(Errno::Io as u16, 29);
        assert_eq!(Errno::Isdir as u16, 31);
        assert_eq!(Errno::Loop as u16, 32);
        assert_eq!(Errno::Nametoolong as u16, 37);
        assert_eq!(Errno::Noent as u16, 44);
        assert_eq!(Errno::Nosys as u16, 52);
        assert_eq!(Errno::Notdir as u16, 54);
        assert_eq!(Errno::Notempty as u16, 55);
        assert_eq!(Errno::Notsup as u16, 58);
        assert_eq!(Errno::Perm as u16, 63);
        assert_eq!(Errno::Rofs as u16, 69);
        assert_eq!(Errno::Spipe as u16, 70);
        assert_eq!(Errno::Xdev as u16, 75);
        assert_eq!(Errno::Notcapable as u16, 76);
        assert_eq!(Errno::Notcapable.to_string(), "notcapable (76)");
    }

    #[test]
    fn flag_and_enum_values_are_the_witx_ones() {
        assert_eq!(rights::FD_READ, 2);
        assert_eq!(rights::FD_WRITE, 64);
        assert_eq!(rights::PATH_OPEN, 1 << 13);
        assert_eq!(rights::FD_READDIR, 1 << 14);
        assert_eq!(rights::PATH_UNLINK_FILE, 1 << 26);
        assert_eq!(rights::SOCK_ACCEPT, 1 << 29);
        assert_eq!(rights::ALL, 0x3fff_ffff);
        assert_eq!(Filetype::Directory as u8, 3);
        assert_eq!(Filetype::RegularFile as u8, 4);
        assert_eq!(Filetype::SymbolicLink as u8, 7);
        assert_eq!((fdflags::APPEND, fdflags::NONBLOCK, fdflags::SYNC), (1, 4, 16));
        assert_eq!((oflags::CREAT, oflags::DIRECTORY, oflags::EXCL, oflags::TRUNC), (1, 2, 4, 8));
        assert_eq!((fstflags::ATIM, fstflags::ATIM_NOW, fstflags::MTIM, fstflags::MTIM_NOW), (1, 2, 4, 8));
        assert_eq!((whence::SET, whence::CUR, whence::END), (0, 1, 2));
        assert_eq!(clockid::THREAD_CPUTIME_ID, 3);
        assert_eq!(advice::NOREUSE, 5);
        assert_eq!((event::CLOCK, event::FD_READ, event::FD_WRITE), (0, 1, 2));
    }

    #[test]
    fn layouts_are_the_witx_ones() {
        let st = Filestat { dev: 1, ino: 2, filetype: 4, nlink: 3, size: 5, atim: 6, mtim: 7, ctim: 8 };
        let b = st.encode();
        assert_eq!(b.len() as u32, size::FILESTAT);
        for (off, v) in [(0, 1u64), (8, 2), (24, 3), (32, 5), (40, 6), (48, 7), (56, 8)] {
            assert_eq!(b[off], v as u8, "filestat field at {off}");
        }
        assert_eq!(b[16], 4);
        let fs = Fdstat { filetype: 3, flags: 0x0102, rights_base: 9, rights_inheriting: 10 }.encode();
        assert_eq!((fs[0], fs[2], fs[3], fs[8], fs[16]), (3, 2, 1, 9, 10));
        let d = encode_dirent(1, 2, 3, 4);
        assert_eq!((d[0], d[8], d[16], d[20]), (1, 2, 3, 4));
        let e = encode_event(7, Errno::Badf, 1, 9, 1);
        assert_eq!((e[0], e[8], e[10], e[16], e[24]), (7, 8, 1, 9, 1));
        let mut s = [0u8; 48];
        s[0] = 5;
        s[8] = 0;
        s[16] = 1;
        s[24] = 100;
        s[32] = 10;
        s[40] = 1;
        assert_eq!(
            Subscription::decode(&s),
            Ok(Subscription::Clock { userdata: 5, id: 1, timeout: 100, precision: 10, flags: 1 })
        );
        s[8] = 2;
        s[16] = 4;
        assert_eq!(Subscription::decode(&s), Ok(Subscription::Fd { userdata: 5, ty: 2, fd: 4 }));
        s[8] = 3;
        assert_eq!(Subscription::decode(&s), Err(Errno::Inval));
    }
}
