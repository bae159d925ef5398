//! `sock_*`, and the `fd_*` functions on sockets.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};

use super::{Env, MEM, event, fdstat};
use crate::WasiCtxBuilder;
use crate::fs::mem::MemFs;
use crate::types::Errno::*;
use crate::types::{event as ev, fdflags, rights, sock};

const OUT: u32 = 1000;
const IOVS: u32 = 2000;
const BUF: u32 = 3000;
const NUM: u32 = 900;
const FLAGS: u32 = 904;

/// A MemFs at fd 3 and a listener at fd 4; returns the listener's address.
fn env() -> (Env, std::net::SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    (Env::new(WasiCtxBuilder::new().preopen_memfs(MemFs::new(), "/m", false).preopen_socket(l)), addr)
}

#[test]
fn only_sockets_are_sockets() {
    let (mut e, _) = env();
    e.iovs(IOVS, &[(BUF, 4)]);
    for fd in [0, 1, 3] {
        assert_eq!(e.call("sock_accept", &[fd, 0, OUT.into()]), Notsock, "fd {fd}");
        assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 1, 0, NUM.into(), FLAGS.into()]), Notsock);
        assert_eq!(e.call("sock_send", &[fd, IOVS.into(), 1, 0, NUM.into()]), Notsock);
        assert_eq!(e.call("sock_shutdown", &[fd, 3]), Notsock);
    }
    for fd in [5, 99] {
        assert_eq!(e.call("sock_accept", &[fd, 0, OUT.into()]), Badf, "fd {fd}");
        assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 1, 0, NUM.into(), FLAGS.into()]), Badf);
        assert_eq!(e.call("sock_send", &[fd, IOVS.into(), 1, 0, NUM.into()]), Badf);
        assert_eq!(e.call("sock_shutdown", &[fd, 3]), Badf);
    }
}

#[test]
fn a_listener_accepts_and_only_accepts() {
    let (mut e, addr) = env();
    assert_eq!(e.call("fd_fdstat_get", &[4, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(6, 0, rights::SOCKET_LISTENER, 0));
    // SOCK_ACCEPT | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE.
    assert_eq!(rights::SOCKET_LISTENER, 0x2820_0008);
    assert_eq!(e.call("fd_prestat_get", &[4, OUT.into()]), Badf, "not a preopened directory");
    assert_eq!(e.call("fd_filestat_get", &[4, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT + 16, 1), [6]);
    e.iovs(IOVS, &[(BUF, 4)]);
    assert_eq!(e.call("sock_recv", &[4, IOVS.into(), 1, 0, NUM.into(), FLAGS.into()]), Notcapable);
    assert_eq!(e.call("sock_send", &[4, IOVS.into(), 1, 0, NUM.into()]), Notcapable);
    assert_eq!(e.call("sock_shutdown", &[4, 3]), Notcapable);
    assert_eq!(e.call("fd_read", &[4, IOVS.into(), 1, NUM.into()]), Notcapable);
    assert_eq!(e.call("sock_accept", &[4, u64::from(fdflags::APPEND), OUT.into()]), Inval);
    assert_eq!(e.call("sock_accept", &[4, 0, u64::from(MEM - 3)]), Fault);
    // Non-blocking with nobody waiting: EAGAIN, and poll says not ready.
    assert_eq!(e.call("fd_fdstat_set_flags", &[4, u64::from(fdflags::NONBLOCK)]), Success);
    assert_eq!(e.call("fd_fdstat_get", &[4, OUT.into()]), Success);
    assert_eq!(e.u16(OUT + 2), fdflags::NONBLOCK);
    assert_eq!(e.call("fd_fdstat_set_flags", &[4, u64::from(fdflags::APPEND)]), Notsup);
    assert_eq!(e.call("sock_accept", &[4, 0, OUT.into()]), Again);
    let client = TcpStream::connect(addr).unwrap();
    // Subscription: userdata 1, fd_read on fd 4.
    let mut sub = [0u8; 48];
    sub[0] = 1;
    sub[8] = ev::FD_READ;
    sub[16] = 4;
    e.put(5000, &sub);
    assert_eq!(e.call("poll_oneoff", &[5000, 6000, 1, NUM.into()]), Success);
    assert_eq!((e.u32(NUM), e.bytes(6000, 32)), (1, &event(1, Success, ev::FD_READ, 0, 0)[..]));
    assert_eq!(e.call("sock_accept", &[4, u64::from(fdflags::NONBLOCK), OUT.into()]), Success);
    let fd = e.u32(OUT);
    assert_eq!(fd, 5);
    assert_eq!(e.call("fd_fdstat_get", &[fd.into(), OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(6, fdflags::NONBLOCK, rights::SOCKET_STREAM, 0));
    // FD_READ | FD_FDSTAT_SET_FLAGS | FD_WRITE | FD_FILESTAT_GET | POLL_FD_READWRITE | SOCK_SHUTDOWN.
    assert_eq!(rights::SOCKET_STREAM, 0x1820_004a);
    assert_eq!(e.call("sock_accept", &[fd.into(), 0, OUT.into()]), Notcapable, "a stream accepts nothing");
    e.iovs(IOVS, &[(BUF, 4)]);
    assert_eq!(e.call("sock_recv", &[fd.into(), IOVS.into(), 1, 0, NUM.into(), FLAGS.into()]), Again);
    drop(client);
}

#[test]
fn streams_receive_send_and_shut_down() {
    let (mut e, addr) = env();
    let mut client = TcpStream::connect(addr).unwrap();
    assert_eq!(e.call("sock_accept", &[4, 0, OUT.into()]), Success);
    let fd = u64::from(e.u32(OUT));
    client.write_all(b"hello world").unwrap();
    e.put(FLAGS, &[0xff, 0xff]);
    e.iovs(IOVS, &[(BUF, 5)]);
    let peek = u64::from(sock::RECV_PEEK | sock::RECV_WAITALL);
    assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 1, peek, NUM.into(), FLAGS.into()]), Success);
    assert_eq!((e.u32(NUM), e.u16(FLAGS), e.bytes(BUF, 5)), (5, 0, &b"hello"[..]), "roflags written as 0");
    e.iovs(IOVS, &[(BUF, 2), (BUF + 100, 9)]);
    let waitall = u64::from(sock::RECV_WAITALL);
    assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 2, waitall, NUM.into(), FLAGS.into()]), Success);
    assert_eq!((e.u32(NUM), e.bytes(BUF, 2), e.bytes(BUF + 100, 9)), (11, &b"he"[..], &b"llo world"[..]));
    assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 2, 4, NUM.into(), FLAGS.into()]), Inval, "riflags 4");
    assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 2, 0, NUM.into(), u64::from(MEM - 1)]), Fault);
    assert_eq!(e.call("sock_recv", &[fd, u64::from(MEM - 4), 1, 0, NUM.into(), FLAGS.into()]), Fault);

    e.put(BUF, b"abcdef");
    e.iovs(IOVS, &[(BUF, 3), (BUF + 3, 3)]);
    assert_eq!(e.call("sock_send", &[fd, IOVS.into(), 2, 1, NUM.into()]), Inval, "no siflags exist");
    assert_eq!(e.call("sock_send", &[fd, IOVS.into(), 2, 0, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 6);
    e.iovs(IOVS, &[(BUF, 2)]);
    assert_eq!(e.call("fd_write", &[fd, IOVS.into(), 1, NUM.into()]), Success);
    let mut got = [0u8; 8];
    client.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"abcdefab");

    client.write_all(b"xyz").unwrap();
    e.iovs(IOVS, &[(BUF, 3)]);
    assert_eq!(e.call("fd_read", &[fd, IOVS.into(), 1, NUM.into()]), Success);
    assert_eq!((e.u32(NUM), e.bytes(BUF, 3)), (3, &b"xyz"[..]));
    assert_eq!(e.call("fd_seek", &[fd, 0, 0, OUT.into()]), Notcapable, "no offsets on a socket");

    assert_eq!(e.call("sock_shutdown", &[fd, 0]), Inval);
    assert_eq!(e.call("sock_shutdown", &[fd, 4]), Inval);
    assert_eq!(e.call("sock_shutdown", &[fd, u64::from(sock::SHUT_WR)]), Success);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "the client sees the end of the stream");
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(e.call("sock_recv", &[fd, IOVS.into(), 1, 0, NUM.into(), FLAGS.into()]), Success);
    assert_eq!(e.u32(NUM), 0, "and the guest sees the client's");
    assert_eq!(e.call("fd_close", &[fd]), Success);
    assert_eq!(e.call("sock_shutdown", &[fd, 3]), Badf);
}

#[test]
fn a_preopened_stream_is_one_too() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (server, _) = l.accept().unwrap();
    let mut e = Env::new(WasiCtxBuilder::new().preopen_socket(server));
    assert_eq!(e.call("fd_fdstat_get", &[3, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(6, 0, rights::SOCKET_STREAM, 0));
    e.put(BUF, b"ping");
    e.iovs(IOVS, &[(BUF, 4)]);
    assert_eq!(e.call("sock_send", &[3, IOVS.into(), 1, 0, NUM.into()]), Success);
    let mut got = [0u8; 4];
    client.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    assert_eq!(e.call("sock_shutdown", &[3, 3]), Success);
    assert_eq!(e.call("sock_accept", &[3, 0, OUT.into()]), Notcapable);
}
