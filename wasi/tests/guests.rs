//! The C guests of `tests/guests/` (rebuilt by `build.sh`) run through the
//! runtime with exact stdout and exit codes.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

mod common;

use common::run;
use zerowasm_wasi::{FakeClock, MemFs, OutputBuffer, SeededRandom, WasiCtxBuilder};

const HELLO: &[u8] = include_bytes!("guests/hello.wasm");
const FILES: &[u8] = include_bytes!("guests/files.wasm");
const CLOCKS: &[u8] = include_bytes!("guests/clocks.wasm");

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

const FILES_OUT: &str = "read after seek: world
size after truncate: 5
pread: HEllo
b.txt: line 42
b.txt: appended
/data: . .. a.txt sub
/data/sub: . .. b.txt
readlink: c.txt
through link: HEllo
/data/sub: . .. b.txt c.txt link
escape errno: denied
/data: . ..
done
";

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
