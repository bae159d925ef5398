//! WASI through the embedder API: `zerowasm_wasi::instantiate` plus a
//! `ModuleConfig` per instance, with the same guests as `guests.rs`.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::OwnedFd;

use zerowasm_runtime::{ModuleConfig, Runtime};
use zerowasm_wasi::{FakeClock, MemFs, MemFsMount, OutputBuffer, PreopenedSocket, SeededRandom, StdinFd};

const HELLO: &[u8] = include_bytes!("guests/hello.wasm");
const FILES: &[u8] = include_bytes!("guests/files.wasm");
const CLOCKS: &[u8] = include_bytes!("guests/clocks.wasm");
const POLL: &[u8] = include_bytes!("guests/poll.wasm");
const SOCKETS: &[u8] = include_bytes!("guests/sockets.wasm");

fn runtime() -> Runtime {
    let rt = Runtime::new();
    zerowasm_wasi::instantiate(&rt).unwrap();
    rt
}

#[test]
fn module_config_supplies_args_env_stdio_and_the_exit_code() {
    let rt = runtime();
    let compiled = rt.compile(HELLO).unwrap();
    let (out, err) = (OutputBuffer::new(), OutputBuffer::new());
    let config = ModuleConfig::new()
        .with_args(["hello", "7", "two words"])
        .with_env("GREETING", "hi there")
        .with_stdout(out.clone())
        .with_stderr(err.clone());
    let e = rt.instantiate(&compiled, config).unwrap_err();
    assert_eq!(e.exit_code(), Some(7));
    assert_eq!(e.to_string(), "instantiation failed: module closed with exit_code(7)");
    assert_eq!(
        out.to_string_lossy(),
        "hello from wasi, argc=3\nargv[0]=hello\nargv[1]=7\nargv[2]=two words\nGREETING=hi there\nMISSING=(unset)\n"
    );
    assert_eq!(err.to_string_lossy(), "to stderr\n");
    // Exit code 0 is success: the instance comes back, closed.
    let m = rt.instantiate(&compiled, ModuleConfig::new().with_args(["hello"])).unwrap();
    assert!(matches!(m.exit_code(), None | Some(0)), "{:?}", m.exit_code());
}

#[test]
fn each_instance_has_its_own_wasi_context() {
    let rt = runtime();
    let compiled = rt.compile(FILES).unwrap();
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (rt, compiled) = (rt.clone(), compiled.clone());
            std::thread::spawn(move || {
                let out = OutputBuffer::new();
                let mount = MemFsMount { fs: MemFs::new(), guest: "/data".into(), read_only: false };
                let config = ModuleConfig::new().with_stdout(out.clone()).with_extension(mount);
                rt.instantiate(&compiled, config).unwrap();
                out.to_string_lossy()
            })
        })
        .collect();
    let outs: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(outs[0].starts_with("read after seek: world\n"), "{}", outs[0]);
    assert!(outs[0].ends_with("escape errno: denied\n/data: . ..\ndone\n"), "{}", outs[0]);
    assert!(outs.iter().all(|o| *o == outs[0]), "every instance saw its own empty file system");
}

#[test]
fn host_mounts_come_from_module_config() {
    let dir = std::env::temp_dir().join(format!("zerowasm-wasi-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let rt = runtime();
    let out = OutputBuffer::new();
    rt.instantiate_bytes(
        FILES,
        ModuleConfig::new().with_stdout(out.clone()).with_mount(&dir, "/data", false),
    )
    .unwrap();
    assert!(out.to_string_lossy().ends_with("done\n"), "{}", out.to_string_lossy());
    std::fs::remove_dir_all(&dir).unwrap();
    let err = rt
        .instantiate_bytes(FILES, ModuleConfig::new().with_mount("/definitely/not/here", "/data", false))
        .unwrap_err();
    assert!(err.to_string().starts_with("configuration error: "), "{err}");
}

#[test]
fn fake_clocks_and_seeded_random_make_runs_identical() {
    let rt = runtime();
    let compiled = rt.compile(CLOCKS).unwrap();
    let run = || {
        let out = OutputBuffer::new();
        let config = ModuleConfig::new()
            .with_stdout(out.clone())
            .with_wall_clock(FakeClock::new(1_700_000_000_123_456_789, 0))
            .with_monotonic_clock(FakeClock::new(0, 1_000))
            .with_random(SeededRandom::new(42));
        rt.instantiate(&compiled, config).unwrap();
        out.to_string_lossy()
    };
    let a = run();
    assert_eq!(a, run());
    assert!(
        a.starts_with("realtime: 1700000000.123456789\nmonotonic res: 1000\nslept at least 5ms: yes\n"),
        "{a}"
    );
}

#[test]
fn sockets_ride_on_module_config_extensions() {
    let rt = runtime();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = ModuleConfig::new().with_extension(PreopenedSocket::listener(listener));
    // Two instances from one config share the listener (each has a `dup`).
    for round in 0..2 {
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(format!("round {round}").as_bytes()).unwrap();
            s.shutdown(Shutdown::Write).unwrap();
            let mut answer = String::new();
            s.read_to_string(&mut answer).unwrap();
            answer
        });
        let out = OutputBuffer::new();
        rt.instantiate_bytes(SOCKETS, config.clone().with_stdout(out.clone())).unwrap();
        assert_eq!(client.join().unwrap(), format!("echo: round {round}"));
        assert!(out.to_string_lossy().starts_with("listening socket: fd 3\n"), "{}", out.to_string_lossy());
    }
}

#[test]
fn a_stdin_descriptor_from_module_config_is_probed() {
    let rt = runtime();
    let (reader, mut writer) = std::io::pipe().unwrap();
    let out = OutputBuffer::new();
    let watcher = out.clone();
    let feeder = std::thread::spawn(move || {
        while !watcher.to_string_lossy().contains("stdin or 100ms:") {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        writer.write_all(b"hello\nworld\n").unwrap();
    });
    let config = ModuleConfig::new()
        .with_stdin(std::io::empty())
        .with_extension(StdinFd::from(OwnedFd::from(reader)))
        .with_stdout(out.clone());
    rt.instantiate_bytes(POLL, config).unwrap();
    feeder.join().unwrap();
    assert_eq!(
        out.to_string_lossy(),
        "clock alone: 0 ready, waited 30ms: yes\nstdin or 100ms: timeout\n\
         stdin until eof: 12 bytes: HELLO\nWORLD\nfd 42: 1, POLLNVAL\n"
    );
}
