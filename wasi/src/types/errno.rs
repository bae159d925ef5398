//! `errno`: the witx error codes, their names, and the mapping from the
//! host's `errno` values and `std::io::Error`s.

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
            libc::EADDRINUSE => Errno::Addrinuse,
            libc::EADDRNOTAVAIL => Errno::Addrnotavail,
            libc::EAGAIN => Errno::Again,
            libc::EALREADY => Errno::Already,
            libc::EBADF => Errno::Badf,
            libc::EBUSY => Errno::Busy,
            libc::ECONNABORTED => Errno::Connaborted,
            libc::ECONNREFUSED => Errno::Connrefused,
            libc::ECONNRESET => Errno::Connreset,
            libc::EDESTADDRREQ => Errno::Destaddrreq,
            libc::EHOSTUNREACH => Errno::Hostunreach,
            libc::EINPROGRESS => Errno::Inprogress,
            libc::EISCONN => Errno::Isconn,
            libc::EMSGSIZE => Errno::Msgsize,
            libc::ENETDOWN => Errno::Netdown,
            libc::ENETRESET => Errno::Netreset,
            libc::ENETUNREACH => Errno::Netunreach,
            libc::ENOBUFS => Errno::Nobufs,
            libc::ENOPROTOOPT => Errno::Noprotoopt,
            libc::ENOTCONN => Errno::Notconn,
            libc::ENOTSOCK => Errno::Notsock,
            libc::EPROTO => Errno::Proto,
            libc::ETIMEDOUT => Errno::Timedout,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_errors_map_to_their_wasi_names() {
        for (host, wasi) in [
            (libc::ECONNRESET, Errno::Connreset),
            (libc::ENOTCONN, Errno::Notconn),
            (libc::ENOTSOCK, Errno::Notsock),
            (libc::EPIPE, Errno::Pipe),
            (libc::EAGAIN, Errno::Again),
            (libc::EADDRINUSE, Errno::Addrinuse),
            (libc::ETIMEDOUT, Errno::Timedout),
            (libc::ENOENT, Errno::Noent),
            (9999, Errno::Io),
        ] {
            assert_eq!(Errno::from_host(host), wasi, "host errno {host}");
        }
        assert_eq!(Errno::from(std::io::Error::from(std::io::ErrorKind::WouldBlock)), Errno::Again);
        assert_eq!(Errno::from(std::io::Error::from_raw_os_error(libc::EBADF)), Errno::Badf);
    }
}
