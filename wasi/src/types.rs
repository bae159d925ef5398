//! The `wasi_snapshot_preview1` types, with the numbers and layouts of the
//! witx definitions (`typenames.witx`). Everything the guest sees in memory is
//! written through the `encode` helpers here, so a layout mistake is fixed in
//! one place and caught by the tests at the bottom, which pin every value and
//! offset to the witx numbers (as checked by wasi-libc's generated `api.h`).

use std::fmt;

/// Error codes returned by every WASI function except `proc_exit` (witx
/// `errno`, an `u16` enum). Host functions return it in an `i32` result.
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Errno {
    /// No error occurred.
    Success = 0,
    /// `2big` (witx value 1).
    TooBig = 1,
    /// `acces` (witx value 2).
    Acces = 2,
    /// `addrinuse` (witx value 3).
    Addrinuse = 3,
    /// `addrnotavail` (witx value 4).
    Addrnotavail = 4,
    /// `afnosupport` (witx value 5).
    Afnosupport = 5,
    /// `again` (witx value 6).
    Again = 6,
    /// `already` (witx value 7).
    Already = 7,
    /// `badf` (witx value 8).
    Badf = 8,
    /// `badmsg` (witx value 9).
    Badmsg = 9,
    /// `busy` (witx value 10).
    Busy = 10,
    /// `canceled` (witx value 11).
    Canceled = 11,
    /// `child` (witx value 12).
    Child = 12,
    /// `connaborted` (witx value 13).
    Connaborted = 13,
    /// `connrefused` (witx value 14).
    Connrefused = 14,
    /// `connreset` (witx value 15).
    Connreset = 15,
    /// `deadlk` (witx value 16).
    Deadlk = 16,
    /// `destaddrreq` (witx value 17).
    Destaddrreq = 17,
    /// `dom` (witx value 18).
    Dom = 18,
    /// `dquot` (witx value 19).
    Dquot = 19,
    /// `exist` (witx value 20).
    Exist = 20,
    /// `fault` (witx value 21).
    Fault = 21,
    /// `fbig` (witx value 22).
    Fbig = 22,
    /// `hostunreach` (witx value 23).
    Hostunreach = 23,
    /// `idrm` (witx value 24).
    Idrm = 24,
    /// `ilseq` (witx value 25).
    Ilseq = 25,
    /// `inprogress` (witx value 26).
    Inprogress = 26,
    /// `intr` (witx value 27).
    Intr = 27,
    /// `inval` (witx value 28).
    Inval = 28,
    /// `io` (witx value 29).
    Io = 29,
    /// `isconn` (witx value 30).
    Isconn = 30,
    /// `isdir` (witx value 31).
    Isdir = 31,
    /// `loop` (witx value 32).
    Loop = 32,
    /// `mfile` (witx value 33).
    Mfile = 33,
    /// `mlink` (witx value 34).
    Mlink = 34,
    /// `msgsize` (witx value 35).
    Msgsize = 35,
    /// `multihop` (witx value 36).
    Multihop = 36,
    /// `nametoolong` (witx value 37).
    Nametoolong = 37,
    /// `netdown` (witx value 38).
    Netdown = 38,
    /// `netreset` (witx value 39).
    Netreset = 39,
    /// `netunreach` (witx value 40).
    Netunreach = 40,
    /// `nfile` (witx value 41).
    Nfile = 41,
    /// `nobufs` (witx value 42).
    Nobufs = 42,
    /// `nodev` (witx value 43).
    Nodev = 43,
    /// `noent` (witx value 44).
    Noent = 44,
    /// `noexec` (witx value 45).
    Noexec = 45,
    /// `nolck` (witx value 46).
    Nolck = 46,
    /// `nolink` (witx value 47).
    Nolink = 47,
    /// `nomem` (witx value 48).
    Nomem = 48,
    /// `nomsg` (witx value 49).
    Nomsg = 49,
    /// `noprotoopt` (witx value 50).
    Noprotoopt = 50,
    /// `nospc` (witx value 51).
    Nospc = 51,
    /// `nosys` (witx value 52).
    Nosys = 52,
    /// `notconn` (witx value 53).
    Notconn = 53,
    /// `notdir` (witx value 54).
    Notdir = 54,
    /// `notempty` (witx value 55).
    Notempty = 55,
    /// `notrecoverable` (witx value 56).
    Notrecoverable = 56,
    /// `notsock` (witx value 57).
    Notsock = 57,
    /// `notsup` (witx value 58).
    Notsup = 58,
    /// `notty` (witx value 59).
    Notty = 59,
    /// `nxio` (witx value 60).
    Nxio = 60,
    /// `overflow` (witx value 61).
    Overflow = 61,
    /// `ownerdead` (witx value 62).
    Ownerdead = 62,
    /// `perm` (witx value 63).
    Perm = 63,
    /// `pipe` (witx value 64).
    Pipe = 64,
    /// `proto` (witx value 65).
    Proto = 65,
    /// `protonosupport` (witx value 66).
    Protonosupport = 66,
    /// `prototype` (witx value 67).
    Prototype = 67,
    /// `range` (witx value 68).
    Range = 68,
    /// `rofs` (witx value 69).
    Rofs = 69,
    /// `spipe` (witx value 70).
    Spipe = 70,
    /// `srch` (witx value 71).
    Srch = 71,
    /// `stale` (witx value 72).
    Stale = 72,
    /// `timedout` (witx value 73).
    Timedout = 73,
    /// `txtbsy` (witx value 74).
    Txtbsy = 74,
    /// `xdev` (witx value 75).
    Xdev = 75,
    /// `notcapable` (witx value 76).
    Notcapable = 76,
}

impl Errno {
    /// The witx name (`badf`, `notcapable`, ...), for messages and tests.
    pub fn name(self) -> &'static str {
        match self {
            Errno::Success => "success",
            Errno::TooBig => "2big",
            Errno::Acces => "acces",
            Errno::Addrinuse => "addrinuse",
            Errno::Addrnotavail => "addrnotavail",
            Errno::Afnosupport => "afnosupport",
            Errno::Again => "again",
            Errno::Already => "already",
            Errno::Badf => "badf",
            Errno::Badmsg => "badmsg",
            Errno::Busy => "busy",
            Errno::Canceled => "canceled",
            Errno::Child => "child",
            Errno::Connaborted => "connaborted",
            Errno::Connrefused => "connrefused",
            Errno::Connreset => "connreset",
            Errno::Deadlk => "deadlk",
            Errno::Destaddrreq => "destaddrreq",
            Errno::Dom => "dom",
            Errno::Dquot => "dquot",
            Errno::Exist => "exist",
            Errno::Fault => "fault",
            Errno::Fbig => "fbig",
            Errno::Hostunreach => "hostunreach",
            Errno::Idrm => "idrm",
            Errno::Ilseq => "ilseq",
            Errno::Inprogress => "inprogress",
            Errno::Intr => "intr",
            Errno::Inval => "inval",
            Errno::Io => "io",
            Errno::Isconn => "isconn",
            Errno::Isdir => "isdir",
            Errno::Loop => "loop",
            Errno::Mfile => "mfile",
            Errno::Mlink => "mlink",
            Errno::Msgsize => "msgsize",
            Errno::Multihop => "multihop",
            Errno::Nametoolong => "nametoolong",
            Errno::Netdown => "netdown",
            Errno::Netreset => "netreset",
            Errno::Netunreach => "netunreach",
            Errno::Nfile => "nfile",
            Errno::Nobufs => "nobufs",
            Errno::Nodev => "nodev",
            Errno::Noent => "noent",
            Errno::Noexec => "noexec",
            Errno::Nolck => "nolck",
            Errno::Nolink => "nolink",
            Errno::Nomem => "nomem",
            Errno::Nomsg => "nomsg",
            Errno::Noprotoopt => "noprotoopt",
            Errno::Nospc => "nospc",
            Errno::Nosys => "nosys",
            Errno::Notconn => "notconn",
            Errno::Notdir => "notdir",
            Errno::Notempty => "notempty",
            Errno::Notrecoverable => "notrecoverable",
            Errno::Notsock => "notsock",
            Errno::Notsup => "notsup",
            Errno::Notty => "notty",
            Errno::Nxio => "nxio",
            Errno::Overflow => "overflow",
            Errno::Ownerdead => "ownerdead",
            Errno::Perm => "perm",
            Errno::Pipe => "pipe",
            Errno::Proto => "proto",
            Errno::Protonosupport => "protonosupport",
            Errno::Prototype => "prototype",
            Errno::Range => "range",
            Errno::Rofs => "rofs",
            Errno::Spipe => "spipe",
            Errno::Srch => "srch",
            Errno::Stale => "stale",
            Errno::Timedout => "timedout",
            Errno::Txtbsy => "txtbsy",
            Errno::Xdev => "xdev",
            Errno::Notcapable => "notcapable",
        }
    }

    /// The host's `errno` value mapped to the closest WASI one, for errors
    /// the host file system reports. Unknown values become `Io` rather than
    /// being guessed at.
    pub fn from_host(code: i32) -> Errno {
        match code {
            libc::E2BIG => Errno::TooBig,
            libc::EACCES => Errno::Acces,
            libc::EAGAIN => Errno::Again,
            libc::EBADF => Errno::Badf,
            libc::EBUSY => Errno::Busy,
            libc::EDQUOT => Errno::Dquot,
            libc::EEXIST => Errno::Exist,
            libc::EFAULT => Errno::Fault,
            libc::EFBIG => Errno::Fbig,
            libc::EILSEQ => Errno::Ilseq,
            libc::EINTR => Errno::Intr,
            libc::EINVAL => Errno::Inval,
            libc::EIO => Errno::Io,
            libc::EISDIR => Errno::Isdir,
            libc::ELOOP => Errno::Loop,
            libc::EMFILE => Errno::Mfile,
            libc::EMLINK => Errno::Mlink,
            libc::ENAMETOOLONG => Errno::Nametoolong,
            libc::ENFILE => Errno::Nfile,
            libc::ENODEV => Errno::Nodev,
            libc::ENOENT => Errno::Noent,
            libc::ENOMEM => Errno::Nomem,
            libc::ENOSPC => Errno::Nospc,
            libc::ENOSYS => Errno::Nosys,
            libc::ENOTDIR => Errno::Notdir,
            libc::ENOTEMPTY => Errno::Notempty,
            libc::ENOTSUP => Errno::Notsup,
            libc::ENOTTY => Errno::Notty,
            libc::ENXIO => Errno::Nxio,
            libc::EOVERFLOW => Errno::Overflow,
            libc::EPERM => Errno::Perm,
            libc::EPIPE => Errno::Pipe,
            libc::EROFS => Errno::Rofs,
            libc::ESPIPE => Errno::Spipe,
            libc::ETXTBSY => Errno::Txtbsy,
            libc::EXDEV => Errno::Xdev,
            _ => Errno::Io,
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), *self as u16)
    }
}

impl std::error::Error for Errno {}

impl From<std::io::Error> for Errno {
    fn from(e: std::io::Error) -> Errno {
        match e.raw_os_error() {
            Some(code) => Errno::from_host(code),
            None => match e.kind() {
                std::io::ErrorKind::NotFound => Errno::Noent,
                std::io::ErrorKind::PermissionDenied => Errno::Acces,
                std::io::ErrorKind::BrokenPipe => Errno::Pipe,
                std::io::ErrorKind::InvalidInput => Errno::Inval,
                std::io::ErrorKind::WouldBlock => Errno::Again,
                _ => Errno::Io,
            },
        }
    }
}

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
