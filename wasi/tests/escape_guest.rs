//! The escape guest (`guests/escape.c`) through the embedder API on the
//! interpreter: a read-write host mount at /data and a read-only one at /ro,
//! every escape route of the WASI issue tried with ordinary libc calls, each
//! answered with its errno. The guest runs in its "step" mode, waiting on
//! stdin after each line, so the host file system is checked after every
//! single attempt: nothing next to the mounts or in `outside/` is read into
//! the mount, written, created or linked, and /ro never changes.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zerowasm_runtime::{EngineKind, ModuleConfig, Runtime, RuntimeConfig};
use zerowasm_wasi::OutputBuffer;

const ESCAPE: &[u8] = include_bytes!("guests/escape.wasm");

#[path = "common/expected.rs"]
mod expected;

use expected::{ESCAPE_OUT, PLANTED, names, snapshot};

/// root/{mount/{a.txt, dir/}, ro/{ro.txt, sub/}, outside/secret.txt}, and
/// what outside/ and ro/ looked like before the guest ran.
struct Tree {
    root: PathBuf,
    outside: BTreeMap<String, String>,
    ro: BTreeMap<String, String>,
    a_txt: String,
}

impl Tree {
    fn new() -> Tree {
        let root = std::env::temp_dir().join(format!("zerowasm-escape-guest-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("mount/dir")).unwrap();
        fs::create_dir_all(root.join("ro/sub")).unwrap();
        fs::create_dir_all(root.join("outside")).unwrap();
        fs::write(root.join("mount/a.txt"), "inside").unwrap();
        fs::write(root.join("ro/ro.txt"), "read only").unwrap();
        fs::write(root.join("outside/secret.txt"), "secret").unwrap();
        let outside = snapshot(&root.join("outside"));
        let ro = snapshot(&root.join("ro"));
        let a_txt = a_txt(&root);
        Tree { root, outside, ro, a_txt }
    }

    /// The host side after any prefix of the attempts: outside/ and ro/
    /// exactly as before (entries, sizes, times, link counts), nothing new
    /// next to the mounts, a.txt neither changed nor hard-linked, and only
    /// names the guest is meant to create inside the mount.
    fn check(&self, after: &str) {
        assert_eq!(names(&self.root), ["mount", "outside", "ro"], "after {after:?}");
        assert_eq!(snapshot(&self.root.join("outside")), self.outside, "outside/ changed after {after:?}");
        assert_eq!(snapshot(&self.root.join("ro")), self.ro, "ro/ changed after {after:?}");
        assert_eq!(a_txt(&self.root), self.a_txt, "a.txt changed after {after:?}");
        for name in names(&self.root.join("mount")) {
            assert!(
                name == "a.txt" || name == "dir" || PLANTED.iter().any(|(n, _)| *n == name),
                "after {after:?}: the guest created /data/{name}"
            );
        }
    }

    /// The final state of the mount: a.txt, dir/deeper/ and exactly the
    /// planted links, each still pointing where the guest said.
    fn check_mount(&self) {
        let mount = self.root.join("mount");
        let mut want: Vec<&str> = PLANTED.iter().map(|(n, _)| *n).collect();
        want.extend(["a.txt", "dir"]);
        want.sort();
        assert_eq!(names(&mount), want);
        for (name, target) in PLANTED {
            assert_eq!(fs::read_link(mount.join(name)).unwrap(), Path::new(target), "{name}");
        }
        assert_eq!(names(&mount.join("dir")), ["deeper"]);
        assert_eq!(names(&mount.join("dir/deeper")), Vec::<String>::new());
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// a.txt's contents, size, mtime, ctime and link count.
fn a_txt(root: &Path) -> String {
    let p = root.join("mount/a.txt");
    let m = fs::symlink_metadata(&p).unwrap();
    format!(
        "{:?} {} {}.{} {}.{} {}",
        fs::read(&p).unwrap(),
        m.size(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
        m.nlink()
    )
}

fn interpreter() -> Runtime {
    let rt = Runtime::with_config(RuntimeConfig::new().with_engine(EngineKind::Interpreter)).unwrap();
    zerowasm_wasi::instantiate(&rt).unwrap();
    rt
}

/// Runs the guest in step mode on `tree`, checking the host after each
/// line; returns stdout and the exit code.
fn run_stepping(tree: &Tree) -> (String, u32) {
    let rt = interpreter();
    let compiled = rt.compile(ESCAPE).unwrap();
    let (reader, mut writer) = std::io::pipe().unwrap();
    let out = OutputBuffer::new();
    let (stdout, mount, ro) = (out.clone(), tree.root.join("mount"), tree.root.join("ro"));
    let guest = std::thread::spawn(move || {
        let config = ModuleConfig::new()
            .with_args(["escape", "step"])
            .with_stdin(reader)
            .with_stdout(stdout)
            .with_mount(mount, "/data", false)
            .with_mount(ro, "/ro", true);
        match rt.instantiate(&compiled, config) {
            Ok(m) => m.exit_code().unwrap_or(0),
            Err(e) => e.exit_code().unwrap_or_else(|| panic!("the guest failed: {e}")),
        }
    });
    let start = Instant::now();
    let mut seen = 0;
    loop {
        let text = out.to_string_lossy();
        let lines: Vec<&str> = text.lines().collect();
        if text.ends_with('\n') && lines.len() > seen {
            // The guest printed a line and now waits for a byte on stdin
            // (one byte per line, should several ever arrive at once).
            for line in &lines[seen..] {
                tree.check(line);
            }
            let go = vec![b'x'; lines.len() - seen];
            seen = lines.len();
            if writer.write_all(&go).is_err() {
                break; // the guest is gone; the join below says why
            }
        } else if guest.is_finished() {
            break;
        } else {
            assert!(start.elapsed() < Duration::from_secs(120), "the guest stalled after {seen} lines");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let code = guest.join().unwrap();
    (out.to_string_lossy(), code)
}

#[test]
fn every_escape_route_is_refused_through_the_api() {
    let tree = Tree::new();
    let (out, code) = run_stepping(&tree);
    // The wrong answers one per line first, then the exact output.
    let wrong: Vec<String> = out
        .lines()
        .zip(ESCAPE_OUT.lines())
        .filter(|(got, want)| got != want)
        .map(|(got, want)| format!("got {got:?}, want {want:?}"))
        .collect();
    assert!(wrong.is_empty(), "wrong answers:\n{}", wrong.join("\n"));
    assert_eq!(out, ESCAPE_OUT);
    assert_eq!(code, 0, "the guest counted unexpected results");
    tree.check("the end");
    tree.check_mount();
}
