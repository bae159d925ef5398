//! Host I/O the standard library does not offer, for streams and sockets:
//! readiness probes (`poll`), the bytes waiting on a descriptor
//! (`FIONREAD`), `recv` with WASI's flags, `send` that never raises
//! `SIGPIPE`, and the `O_NONBLOCK` status of a descriptor.
//!
//! Like [`crate::fs::host`], this module holds `unsafe` only around the libc
//! calls themselves. Every call takes a descriptor the caller holds open for
//! its duration; a stale one makes the call fail (`EBADF`, `POLLNVAL`), it
//! never touches memory it should not.

use std::os::fd::{AsRawFd, BorrowedFd, RawFd};

use crate::types::{Errno, WasiResult};

/// The errno of the libc call that just failed.
fn last_errno() -> Errno {
    Errno::from(std::io::Error::last_os_error())
}

/// `poll(fds, timeout_ms)`: waits until one of `fds` is ready or
/// `timeout_ms` passes (`-1`: no limit, `0`: probe only); returns how many
/// entries have `revents` set. A signal shows as `Err(Errno::Intr)`, for the
/// caller to retry with what is left of its timeout.
pub(crate) fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) -> WasiResult<usize> {
    let n = libc::nfds_t::try_from(fds.len()).map_err(|_| Errno::Inval)?;
    // SAFETY: `fds` is a valid, writable array of `n` pollfd structs for the
    // duration of the call, and poll writes only their `revents` fields.
    let r = unsafe { libc::poll(fds.as_mut_ptr(), n, timeout_ms) };
    if r < 0 { Err(last_errno()) } else { Ok(r as usize) }
}

/// How many bytes a read of `fd` would return without blocking (pipes,
/// sockets, terminals), or `None` where the host does not say (a listening
/// socket). Takes a raw number, like `poll`: the caller got it from a
/// descriptor it holds open, and the call only reads a count.
pub(crate) fn bytes_readable(fd: RawFd) -> Option<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD stores one `c_int` through the pointer, which points
    // at `n`, live and writable for the call.
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n as *mut libc::c_int) };
    if r < 0 { None } else { u64::try_from(n).ok() }
}

/// `recv(fd, buf, flags)`.
pub(crate) fn recv(fd: BorrowedFd<'_>, buf: &mut [u8], flags: libc::c_int) -> WasiResult<usize> {
    // SAFETY: `buf` is valid and writable for `buf.len()` bytes during the
    // call; recv writes at most that many.
    let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags) };
    if n < 0 { Err(last_errno()) } else { Ok(n as usize) }
}

/// `send(fd, buf, MSG_NOSIGNAL)`: a peer that has gone away is `EPIPE` for
/// the guest, never a signal that would end the embedder's process.
pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> WasiResult<usize> {
    // SAFETY: `buf` is valid and readable for `buf.len()` bytes during the
    // call.
    let n = unsafe { libc::send(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
    if n < 0 { Err(last_errno()) } else { Ok(n as usize) }
}

/// Whether `O_NONBLOCK` is set on the open file description of `fd` (shared
/// with every duplicate of it, so it is read rather than remembered).
pub(crate) fn is_nonblocking(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: F_GETFL only reads the descriptor's status flags.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    flags >= 0 && flags & libc::O_NONBLOCK != 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use std::io::Write;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    use super::*;

    #[test]
    fn probes_see_what_is_waiting() {
        let (mut a, b) = UnixStream::pair().unwrap();
        let mut p = [libc::pollfd { fd: b.as_raw_fd(), events: libc::POLLIN, revents: 0 }];
        assert_eq!(poll(&mut p, 0), Ok(0));
        assert_eq!(bytes_readable(b.as_raw_fd()), Some(0));
        a.write_all(b"abc").unwrap();
        assert_eq!(poll(&mut p, 0), Ok(1));
        assert_eq!(p[0].revents & libc::POLLIN, libc::POLLIN);
        assert_eq!(bytes_readable(b.as_raw_fd()), Some(3));
        let mut buf = [0u8; 8];
        assert_eq!(recv(b.as_fd(), &mut buf, libc::MSG_PEEK), Ok(3));
        assert_eq!(recv(b.as_fd(), &mut buf[..2], 0), Ok(2));
        assert_eq!(&buf[..2], b"ab");
        assert_eq!(send(b.as_fd(), b"xy"), Ok(2));
        drop(a);
        assert_eq!(send(b.as_fd(), b"xy"), Err(Errno::Pipe), "EPIPE, and no SIGPIPE");
        assert!(!is_nonblocking(b.as_fd()));
        b.set_nonblocking(true).unwrap();
        assert!(is_nonblocking(b.as_fd()));
    }
}
