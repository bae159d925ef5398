//! Sockets the embedder pre-opens for a guest. WASI preview1 has no call to
//! create, bind or connect a socket: a guest can only accept connections on
//! a listener it was given and talk over streams (given, or accepted). So the
//! embedder binds, and hands the socket over as a [`PreopenedSocket`], with
//! [`crate::WasiCtxBuilder::preopen_socket`] or as a `ModuleConfig`
//! extension.
//!
//! An open socket is a [`Socket`]: a [`WasiFile`] of type `SOCKET_STREAM`,
//! so `fd_read`, `fd_write`, `fd_close`, `fd_fdstat_*`, `fd_filestat_get` and
//! `poll_oneoff` work on it like on any stream, and the `sock_*` functions
//! find it by downcasting.

use std::any::Any;
use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use crate::ctx::{FdEntry, Handle};
use crate::fs::WasiFile;
use crate::sys;
use crate::types::{Errno, Filestat, Filetype, WasiResult, fdflags, rights, sock};

/// A socket to give the guest: a listener it can `sock_accept` on, or a
/// connected stream. It becomes the next descriptor after the directory
/// mounts (wasi-libc scans preopened directories from fd 3 up to the first
/// `EBADF`, so sockets must come after them), with `filetype` `SOCKET_STREAM`.
///
/// As a `ModuleConfig` extension (`with_extension(PreopenedSocket::..)`),
/// every instance made from the config gets a duplicate of the descriptor
/// (`dup`): they share the socket, and its non-blocking mode, with each other
/// and with the embedder.
#[derive(Debug)]
pub struct PreopenedSocket(Kind);

#[derive(Debug)]
enum Kind {
    Listener(TcpListener),
    Stream(TcpStream),
}

impl PreopenedSocket {
    /// A bound, listening socket: the guest accepts connections on it.
    pub fn listener(listener: TcpListener) -> PreopenedSocket {
        PreopenedSocket(Kind::Listener(listener))
    }

    /// A connected stream: the guest reads, writes and shuts it down.
    pub fn stream(stream: TcpStream) -> PreopenedSocket {
        PreopenedSocket(Kind::Stream(stream))
    }

    /// A second handle on the same socket (a `dup` of its descriptor), for
    /// contexts built from a shared configuration.
    pub fn try_clone(&self) -> io::Result<PreopenedSocket> {
        Ok(PreopenedSocket(match &self.0 {
            Kind::Listener(l) => Kind::Listener(l.try_clone()?),
            Kind::Stream(s) => Kind::Stream(s.try_clone()?),
        }))
    }

    /// The descriptor entry the guest gets: a listener may accept, a stream
    /// may read, write and shut down; neither hands rights on.
    pub(crate) fn into_entry(self) -> FdEntry {
        let rights_base = match self.0 {
            Kind::Listener(_) => rights::SOCKET_LISTENER,
            Kind::Stream(_) => rights::SOCKET_STREAM,
        };
        FdEntry {
            handle: Handle::File(Box::new(Socket(self.0))),
            rights_base,
            rights_inheriting: 0,
            preopen: None,
            dir_snapshot: None,
        }
    }
}

impl From<TcpListener> for PreopenedSocket {
    fn from(l: TcpListener) -> PreopenedSocket {
        PreopenedSocket::listener(l)
    }
}

impl From<TcpStream> for PreopenedSocket {
    fn from(s: TcpStream) -> PreopenedSocket {
        PreopenedSocket::stream(s)
    }
}

/// An open socket descriptor. Every operation works through `&self` (the
/// host calls do), so the `sock_*` functions reach it with
/// `as_any().downcast_ref()`.
pub struct Socket(Kind);

impl Socket {
    fn fd(&self) -> BorrowedFd<'_> {
        match &self.0 {
            Kind::Listener(l) => l.as_fd(),
            Kind::Stream(s) => s.as_fd(),
        }
    }

    fn stream(&self) -> WasiResult<&TcpStream> {
        match &self.0 {
            Kind::Stream(s) => Ok(s),
            // What Linux answers for data calls on a listening socket.
            Kind::Listener(_) => Err(Errno::Notconn),
        }
    }

    /// `sock_accept`: the next connection, as a new stream descriptor entry;
    /// blocks unless the listener was made non-blocking (then `EAGAIN`).
    /// `nonblocking` sets the new stream's mode. A stream is not a listener:
    /// `EINVAL`, as `accept(2)` says.
    pub(crate) fn accept(&self, nonblocking: bool) -> WasiResult<FdEntry> {
        let Kind::Listener(l) = &self.0 else { return Err(Errno::Inval) };
        let (stream, _peer) = l.accept()?;
        stream.set_nonblocking(nonblocking)?;
        Ok(PreopenedSocket::stream(stream).into_entry())
    }

    /// `sock_recv` with `riflags` (`RECV_PEEK`, `RECV_WAITALL`).
    pub(crate) fn recv(&self, buf: &mut [u8], riflags: u16) -> WasiResult<usize> {
        let s = self.stream()?;
        let mut flags = 0;
        if riflags & sock::RECV_PEEK != 0 {
            flags |= libc::MSG_PEEK;
        }
        if riflags & sock::RECV_WAITALL != 0 {
            flags |= libc::MSG_WAITALL;
        }
        sys::recv(s.as_fd(), buf, flags)
    }

    /// `sock_send`: one `send`, which may take fewer bytes than offered.
    pub(crate) fn send(&self, buf: &[u8]) -> WasiResult<usize> {
        sys::send(self.stream()?.as_fd(), buf)
    }

    /// `sock_shutdown`.
    pub(crate) fn shutdown(&self, how: Shutdown) -> WasiResult<()> {
        Ok(self.stream()?.shutdown(how)?)
    }
}

impl WasiFile for Socket {
    fn filetype(&self) -> Filetype {
        Filetype::SocketStream
    }
    fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        self.recv(buf, 0)
    }
    fn write(&mut self, buf: &[u8]) -> WasiResult<usize> {
        self.send(buf)
    }
    fn stat(&self) -> WasiResult<Filestat> {
        Ok(Filestat { filetype: Filetype::SocketStream as u8, nlink: 1, ..Filestat::default() })
    }
    /// A socket has nothing to flush to storage (`fsync(2)` says `EINVAL`).
    fn sync(&mut self) -> WasiResult<()> {
        Err(Errno::Inval)
    }
    fn fdflags(&self) -> u16 {
        if sys::is_nonblocking(self.fd()) { fdflags::NONBLOCK } else { 0 }
    }
    /// Only `NONBLOCK` means anything for a socket.
    fn set_fdflags(&mut self, flags: u16) -> WasiResult<()> {
        if flags & !fdflags::NONBLOCK != 0 {
            return Err(Errno::Notsup);
        }
        let nonblocking = flags & fdflags::NONBLOCK != 0;
        match &self.0 {
            Kind::Listener(l) => l.set_nonblocking(nonblocking)?,
            Kind::Stream(s) => s.set_nonblocking(nonblocking)?,
        }
        Ok(())
    }
    fn poll_fd(&self) -> Option<RawFd> {
        Some(self.fd().as_raw_fd())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
