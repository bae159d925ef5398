//! The WASI C guests of `wasi/tests/guests/` run through the built
//! `zerowasm run`, with `--mount`, `--env` and stdin piped in: the same
//! programs and the same stdout and exit codes as the API tests in
//! `wasi/tests/guests.rs`; `sockets.wasm` gets its listener from
//! `--tcplisten`.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[path = "../../wasi/tests/common/expected.rs"]
mod expected;

use expected::{FILES_OUT, manyfiles_expected};

fn guest(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wasi/tests/guests").join(format!("{name}.wasm"))
}

/// `zerowasm run FLAGS... GUEST ARGS...` with `stdin` piped in.
fn zerowasm(flags: &[&str], wasm: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
        .arg("run")
        .args(flags)
        .arg(wasm)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// An empty host directory for one test, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("zerowasm-cli-wasi-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn mount(&self, guest: &str) -> String {
        format!("{}:{guest}", self.0.display())
    }
    fn is_empty(&self) -> bool {
        std::fs::read_dir(&self.0).unwrap().next().is_none()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn hello_gets_args_env_stderr_and_its_exit_code() {
    let wasm = guest("hello");
    let o = zerowasm(&["--env", "GREETING=hi there"], &wasm, &["7", "two words"], b"");
    assert_eq!(
        stdout(&o),
        format!(
            "hello from wasi, argc=3\nargv[0]={}\nargv[1]=7\nargv[2]=two words\nGREETING=hi there\nMISSING=(unset)\n",
            wasm.display()
        )
    );
    assert_eq!(String::from_utf8_lossy(&o.stderr), "to stderr\n");
    assert_eq!(o.status.code(), Some(7));
    assert_eq!(zerowasm(&[], &wasm, &[], b"").status.code(), Some(0));
}

#[test]
fn files_in_a_mount() {
    let dir = TempDir::new("files");
    let o = zerowasm(&["--mount", &dir.mount("/data")], &guest("files"), &[], b"");
    assert_eq!(stdout(&o), FILES_OUT, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.is_empty(), "the guest cleaned up");
    let o = zerowasm(&["--dir", &format!("{}:ro", dir.mount("/data"))], &guest("files"), &[], b"");
    assert!(stdout(&o).starts_with("FAIL line"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
    assert!(dir.is_empty(), "nothing written through a read-only mount");
}

/// Real clocks and randomness: the deterministic lines exactly, the others
/// by shape (the CLI has no fake clock or seed).
#[test]
fn clocks_with_the_hosts_sources() {
    let o = zerowasm(&[], &guest("clocks"), &[], b"");
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    let (secs, nanos) = lines[0].strip_prefix("realtime: ").unwrap().split_once('.').unwrap();
    assert!(secs.parse::<u64>().unwrap() > 1_600_000_000 && nanos.len() == 9, "{out}");
    assert_eq!(lines[1..3], ["monotonic res: 1", "slept at least 5ms: yes"]);
    let bytes: Vec<&str> = lines[3].strip_prefix("random: ").unwrap().split(' ').collect();
    assert!(bytes.len() == 8 && bytes.iter().all(|b| u8::from_str_radix(b, 16).is_ok()), "{out}");
    assert_eq!(lines[4], "cputime: ok");
}

#[test]
fn stdin_is_piped_through() {
    let input = b"hello\nWasi World 42\n\nno newline at the end";
    let o = zerowasm(&[], &guest("stdin"), &[], input);
    assert_eq!(
        stdout(&o),
        "1: HELLO\n2: WASI WORLD 42\n3: \n4: NO NEWLINE AT THE END\nlines: 4\nbytes: 42\n"
    );
    assert_eq!(o.status.code(), Some(0));
    let o = zerowasm(&[], &guest("stdin"), &[], b"");
    assert_eq!(stdout(&o), "lines: 0\nbytes: 0\n");
    assert_eq!(o.status.code(), Some(3));
}

/// Stdin from a file has its data before the guest polls, so the first poll
/// sees stdin whether or not the CLI can probe it.
#[test]
fn poll_with_stdin_from_a_file() {
    let dir = TempDir::new("poll");
    let input = dir.0.join("input.txt");
    std::fs::write(&input, "hello\nworld\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
        .arg("run")
        .arg(guest("poll"))
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "clock alone: 0 ready, waited 30ms: yes\nstdin or 100ms: stdin\n\
         stdin until eof: 12 bytes: HELLO\nWORLD\nfd 42: 1, POLLNVAL\n"
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn manyfiles_in_a_mount() {
    let dir = TempDir::new("manyfiles");
    let o = zerowasm(&["--mount", &dir.mount("/data")], &guest("manyfiles"), &["500", "/data"], b"");
    assert_eq!(stdout(&o), manyfiles_expected(500), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.is_empty(), "every file deleted");
    // The guest path "." works too (what the benchmark runs use).
    let o = zerowasm(&["--mount", &dir.mount(".")], &guest("manyfiles"), &["50"], b"");
    assert_eq!(stdout(&o), manyfiles_expected(50), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.is_empty());
}

#[test]
fn sockets_echo_through_a_tcplisten_socket() {
    use std::io::Read;
    use std::net::{Shutdown, TcpListener, TcpStream};
    // A port that was free a moment ago.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
        .args(["run", "--tcplisten", &addr])
        .arg(guest("sockets"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stream = None;
    for _ in 0..200 {
        match TcpStream::connect(&addr) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(25)),
        }
    }
    let mut s = stream.expect("the guest's listener accepts connections");
    s.write_all(b"hello sockets\n").unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(answer, "echo: hello sockets\n");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout(&out),
        "listening socket: fd 3\nconnection waiting\naccepted: fd 4\nfirst 5 (waitall): hello\n\
         peek: 1 ' '\nreceived: 14 bytes\nshutdown: ok\nrecv on stdout: ENOTSOCK\n\
         shutdown listener: ENOTCAPABLE\nsend after close: EBADF\n"
    );
}

/// The escape guest through `zerowasm run --engine interpreter --mount
/// HOST:/data --mount HOST2:/ro:ro`, in step mode: after each line it
/// prints, the guest waits for a byte on stdin while the test checks that
/// outside/ and ro/ are exactly as before (entries, sizes, times, link
/// counts), nothing appeared next to the mounts, and /data holds only what
/// the guest may create.
#[test]
fn escape_attempts_are_refused() {
    use std::io::BufRead;
    let dir = TempDir::new("escape");
    let (mount, ro, outside) = (dir.0.join("mount"), dir.0.join("ro"), dir.0.join("outside"));
    std::fs::create_dir_all(mount.join("dir")).unwrap();
    std::fs::create_dir_all(ro.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(mount.join("a.txt"), "inside").unwrap();
    std::fs::write(ro.join("ro.txt"), "read only").unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    let (outside_before, ro_before) = (expected::snapshot(&outside), expected::snapshot(&ro));
    let a_txt = || {
        let m = std::fs::symlink_metadata(mount.join("a.txt")).unwrap();
        (
            std::fs::read(mount.join("a.txt")).unwrap(),
            std::os::unix::fs::MetadataExt::nlink(&m),
            m.modified().unwrap(),
        )
    };
    let a_before = a_txt();
    let check = |after: &str| {
        assert_eq!(expected::names(&dir.0), ["mount", "outside", "ro"], "after {after:?}");
        assert_eq!(expected::snapshot(&outside), outside_before, "outside/ changed after {after:?}");
        assert_eq!(expected::snapshot(&ro), ro_before, "ro/ changed after {after:?}");
        assert_eq!(a_txt(), a_before, "a.txt changed after {after:?}");
        for name in expected::names(&mount) {
            assert!(
                name == "a.txt" || name == "dir" || expected::PLANTED.iter().any(|(n, _)| *n == name),
                "after {after:?}: the guest created /data/{name}"
            );
        }
    };

    let mut child = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
        .args(["run", "--engine", "interpreter", "--mount"])
        .arg(format!("{}:/data", mount.display()))
        .arg("--mount")
        .arg(format!("{}:/ro:ro", ro.display()))
        .arg(guest("escape"))
        .arg("step")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut go = child.stdin.take().unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in lines {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let mut out = String::new();
    // Each line comes with the guest waiting for its go-ahead.
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(120)) {
        check(&line);
        out.push_str(&line);
        out.push('\n');
        if go.write_all(b"x").and_then(|()| go.flush()).is_err() {
            break; // the guest is gone; its exit status says why
        }
    }
    drop(go);
    let o = child.wait_with_output().unwrap();
    reader.join().unwrap();
    // The wrong answers one per line first, then the exact output.
    let wrong: Vec<String> = out
        .lines()
        .zip(expected::ESCAPE_OUT.lines())
        .filter(|(got, want)| got != want)
        .map(|(got, want)| format!("got {got:?}, want {want:?}"))
        .collect();
    assert!(wrong.is_empty(), "wrong answers:\n{}", wrong.join("\n"));
    assert_eq!(out, expected::ESCAPE_OUT, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "the guest counted unexpected results");
    check("the end");

    // The mount holds a.txt, dir/deeper/ and exactly the planted links,
    // each still pointing where the guest said.
    let mut want: Vec<&str> = expected::PLANTED.iter().map(|(n, _)| *n).collect();
    want.extend(["a.txt", "dir"]);
    want.sort();
    assert_eq!(expected::names(&mount), want);
    for (name, target) in expected::PLANTED {
        assert_eq!(std::fs::read_link(mount.join(name)).unwrap(), Path::new(target), "{name}");
    }
    assert_eq!(expected::names(&mount.join("dir")), ["deeper"]);
    assert!(expected::names(&mount.join("dir/deeper")).is_empty());
}
