//! The C guests of `tests/guests/` (rebuilt by `build.sh`) run through the
//! runtime with exact stdout and exit codes.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{run, run_to};
use zerowasm_wasi::fs::WasiDir;
use zerowasm_wasi::{FakeClock, MemFs, OutputBuffer, SeededRandom, WasiCtxBuilder};

#[path = "common/expected.rs"]
mod expected;

use expected::{FILES_OUT, manyfiles_expected};

const HELLO: &[u8] = include_bytes!("guests/hello.wasm");
const FILES: &[u8] = include_bytes!("guests/files.wasm");
const CLOCKS: &[u8] = include_bytes!("guests/clocks.wasm");
const STDIN: &[u8] = include_bytes!("guests/stdin.wasm");
const POLL: &[u8] = include_bytes!("guests/poll.wasm");
const SOCKETS: &[u8] = include_bytes!("guests/sockets.wasm");
const MANYFILES: &[u8] = include_bytes!("guests/manyfiles.wasm");

#[test]
fn hello_prints_args_env_and_exits_with_code() {
    let err = OutputBuffer::new();
    let b = WasiCtxBuilder::new()
        .args(["hello", "7", "two words"])
        .env("GREETING", "hi there")
        .stderr(err.clone());
    let (out, code) = run(HELLO, b);
    assert_eq!(
        out,
        "hello from wasi, argc=3\nargv[0]=hello\nargv[1]=7\nargv[2]=two words\nGREETING=hi there\nMISSING=(unset)\n"
    );
    assert_eq!(code, 7);
    assert_eq!(err.to_string_lossy(), "to stderr\n");
    let (_, code) = run(HELLO, WasiCtxBuilder::new().arg("hello"));
    assert_eq!(code, 0);
}

#[test]
fn files_on_memfs() {
    let fs = MemFs::new();
    let (out, code) = run(FILES, WasiCtxBuilder::new().preopen_memfs(fs, "/data", false));
    assert_eq!(out, FILES_OUT);
    assert_eq!(code, 0);
}

#[test]
fn files_on_the_host() {
    let dir = std::env::temp_dir().join(format!("zerowasm-wasi-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (out, code) = run(FILES, WasiCtxBuilder::new().preopen_dir(&dir, "/data", false));
    assert_eq!(out, FILES_OUT);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the guest cleaned up");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_on_a_read_only_mount_fail_cleanly() {
    let (out, code) = run(FILES, WasiCtxBuilder::new().preopen_memfs(MemFs::new(), "/data", true));
    assert!(out.starts_with("FAIL line"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn clocks_and_random_are_deterministic_with_fakes() {
    let b = || {
        WasiCtxBuilder::new()
            .wall_clock(FakeClock::new(1_700_000_000_123_456_789, 0))
            .monotonic_clock(FakeClock::new(0, 1_000))
            .cputime_clock(FakeClock::new(0, 1))
            .random(SeededRandom::new(42))
    };
    let (a, code) = run(CLOCKS, b());
    assert_eq!(code, 0);
    let (again, _) = run(CLOCKS, b());
    assert_eq!(a, again);
    let mut expect = [0u8; 8];
    zerowasm_wasi::RandomSource::fill(&mut SeededRandom::new(42), &mut expect).unwrap();
    let hex: String = expect.iter().map(|b| format!(" {b:02x}")).collect();
    assert_eq!(
        a,
        format!(
            "realtime: 1700000000.123456789\nmonotonic res: 1000\nslept at least 5ms: yes\nrandom:{hex}\ncputime: ok\n"
        )
    );
}

#[test]
fn clocks_with_real_sources() {
    let (out, code) = run(CLOCKS, WasiCtxBuilder::new());
    assert_eq!(code, 0);
    assert!(out.contains("slept at least 5ms: yes\n"), "{out}");
}

#[test]
fn stdin_is_read_line_by_line() {
    let input = "hello\nWasi World 42\n\nno newline at the end";
    let (out, code) = run(STDIN, WasiCtxBuilder::new().stdin(std::io::Cursor::new(input)));
    assert_eq!(out, "1: HELLO\n2: WASI WORLD 42\n3: \n4: NO NEWLINE AT THE END\nlines: 4\nbytes: 42\n");
    assert_eq!(code, 0);
    let (out, code) = run(STDIN, WasiCtxBuilder::new());
    assert_eq!(out, "lines: 0\nbytes: 0\n");
    assert_eq!(code, 3);
}

const POLL_TAIL: &str = "stdin until eof: 12 bytes: HELLO\nWORLD\nfd 42: 1, POLLNVAL\n";

/// Stdin given as a plain `Read` cannot be probed: it is always ready, so
/// the clock never wins; with a fake clock the 30 ms wait is instant.
#[test]
fn poll_on_a_plain_reader_is_always_ready() {
    let b = WasiCtxBuilder::new()
        .monotonic_clock(FakeClock::new(0, 1))
        .stdin(std::io::Cursor::new("hello\nworld\n"));
    let start = Instant::now();
    let (out, code) = run(POLL, b);
    assert_eq!(out, format!("clock alone: 0 ready, waited 30ms: yes\nstdin or 100ms: stdin\n{POLL_TAIL}"));
    assert_eq!(code, 0);
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// Stdin on a pipe is probed: the 100 ms clock fires first, then the data
/// the test writes once it has seen that, then the end of the input.
#[test]
fn poll_on_a_pipe_waits_for_data_or_the_clock() {
    let (reader, mut writer) = std::io::pipe().unwrap();
    let out = OutputBuffer::new();
    let watcher = out.clone();
    let feeder = std::thread::spawn(move || {
        let start = Instant::now();
        while !watcher.to_string_lossy().contains("stdin or 100ms:") {
            assert!(start.elapsed() < Duration::from_secs(20), "the guest never polled");
            std::thread::sleep(Duration::from_millis(5));
        }
        writer.write_all(b"hello\nworld\n").unwrap();
    });
    let (out, code) = run_to(POLL, WasiCtxBuilder::new().stdin_fd(reader), out);
    feeder.join().unwrap();
    assert_eq!(out, format!("clock alone: 0 ready, waited 30ms: yes\nstdin or 100ms: timeout\n{POLL_TAIL}"));
    assert_eq!(code, 0);
}

/// The echo server guest on a pre-opened listener; a client thread sends a
/// line, closes its side and reads the answer.
fn socket_echo(b: WasiCtxBuilder, fd: u32) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"hello sockets\n").unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    });
    let (out, code) = run(SOCKETS, b.preopen_socket(listener));
    assert_eq!(client.join().unwrap(), "echo: hello sockets\n");
    assert_eq!(
        out,
        format!(
            "listening socket: fd {fd}\nconnection waiting\naccepted: fd {}\nfirst 5 (waitall): hello\n\
             peek: 1 ' '\nreceived: 14 bytes\nshutdown: ok\nrecv on stdout: ENOTSOCK\n\
             shutdown listener: ENOTCAPABLE\nsend after close: EBADF\n",
            fd + 1
        )
    );
    assert_eq!(code, 0);
}

#[test]
fn sockets_echo_through_a_preopened_listener() {
    socket_echo(WasiCtxBuilder::new(), 3);
}

#[test]
fn sockets_come_after_the_directory_mounts() {
    socket_echo(WasiCtxBuilder::new().preopen_memfs(MemFs::new(), "/data", false), 4);
}

#[test]
fn manyfiles_on_memfs() {
    let fs = MemFs::new();
    let b =
        WasiCtxBuilder::new().args(["manyfiles", "300", "/data"]).preopen_memfs(fs.clone(), "/data", false);
    let (out, code) = run(MANYFILES, b);
    assert_eq!(out, manyfiles_expected(300));
    assert_eq!(code, 0);
    assert_eq!(fs.root(true).entries().map(|e| e.len()).ok(), Some(2), "only . and .. are left");
}

#[test]
fn manyfiles_on_the_host() {
    let dir = std::env::temp_dir().join(format!("zerowasm-wasi-manyfiles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let b = WasiCtxBuilder::new().args(["manyfiles", "1000", "/data"]).preopen_dir(&dir, "/data", false);
    let (out, code) = run(MANYFILES, b);
    assert_eq!(out, manyfiles_expected(1000));
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the guest deleted every file");
    std::fs::remove_dir_all(&dir).unwrap();
}
