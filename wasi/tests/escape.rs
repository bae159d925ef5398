//! Every escape route out of a host mount, tried against the host backend:
//! each attempt gets its errno, and the host directory next to the mount is
//! checked to be untouched after each one.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

use std::fs;
use std::os::unix::fs::symlink;
use std::path::PathBuf;

use zerowasm_wasi::Errno;
use zerowasm_wasi::fs::host::HostDir;
use zerowasm_wasi::fs::{OpenOptions, Opened, WasiDir};

struct Sandbox {
    root: PathBuf,
    mount: PathBuf,
    outside: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let root = std::env::temp_dir().join(format!("zerowasm-escape-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let mount = root.join("mount");
        let outside = root.join("outside");
        fs::create_dir_all(mount.join("sub/deeper")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret.txt"), "secret").unwrap();
        fs::write(mount.join("a.txt"), "inside").unwrap();
        symlink("../outside", mount.join("out")).unwrap();
        symlink(outside.join("secret.txt"), mount.join("abs")).unwrap();
        symlink("l2", mount.join("l1")).unwrap();
        symlink("sub/../out/secret.txt", mount.join("l2")).unwrap();
        symlink("loop2", mount.join("loop1")).unwrap();
        symlink("loop1", mount.join("loop2")).unwrap();
        symlink("a.txt", mount.join("ok_link")).unwrap();
        Sandbox { root, mount, outside }
    }

    fn dir(&self, read_only: bool) -> HostDir {
        HostDir::open(&self.mount, read_only).unwrap()
    }

    /// The outside directory holds exactly the secret, unchanged.
    fn assert_outside_untouched(&self, what: &str) {
        let names: Vec<_> = fs::read_dir(&self.outside).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["secret.txt"], "after {what}: outside gained or lost entries");
        assert_eq!(fs::read_to_string(self.outside.join("secret.txt")).unwrap(), "secret", "after {what}");
        let root: Vec<_> = fs::read_dir(&self.root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(root.len(), 2, "after {what}: entries appeared next to the mount: {root:?}");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn read() -> OpenOptions {
    OpenOptions { read: true, follow: true, ..OpenOptions::default() }
}

fn create() -> OpenOptions {
    OpenOptions {
        read: true,
        write: true,
        create: true,
        truncate: true,
        follow: true,
        ..OpenOptions::default()
    }
}

fn open_err(d: &dyn WasiDir, path: &str, o: OpenOptions) -> Errno {
    match d.open(path, &o) {
        Ok(_) => panic!("opening {path:?} with {o:?} succeeded"),
        Err(e) => e,
    }
}

fn read_all(d: &dyn WasiDir, path: &str) -> String {
    match d.open(path, &read()) {
        Ok(Opened::File(mut f)) => {
            let mut buf = vec![0u8; 64];
            let n = f.read(&mut buf).unwrap();
            String::from_utf8(buf[..n].to_vec()).unwrap()
        }
        _ => panic!("{path} is not a readable file"),
    }
}

#[test]
fn dot_dot_and_absolute_paths() {
    let s = Sandbox::new("dotdot");
    let d = s.dir(false);
    for path in ["..", "../outside/secret.txt", "sub/../../outside/secret.txt", "sub/deeper/../../../outside"]
    {
        assert_eq!(open_err(&d, path, read()), Errno::Notcapable, "{path}");
        s.assert_outside_untouched(path);
    }
    assert_eq!(open_err(&d, &format!("{}/secret.txt", s.outside.display()), read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "../outside/new.txt", create()), Errno::Notcapable);
    s.assert_outside_untouched("create through ..");
    assert_eq!(d.create_dir("../evil"), Err(Errno::Notcapable));
    assert_eq!(d.unlink_file("../outside/secret.txt"), Err(Errno::Notcapable));
    assert_eq!(d.remove_dir("../outside"), Err(Errno::Notcapable));
    assert_eq!(d.stat("../outside/secret.txt", true).err(), Some(Errno::Notcapable));
    s.assert_outside_untouched("mkdir/unlink/rmdir/stat through ..");
    // Staying inside is fine, even through "..".
    assert_eq!(read_all(&d, "sub/deeper/../../a.txt"), "inside");
    assert_eq!(read_all(&d, "./sub/./../a.txt"), "inside");
}

#[test]
fn symlinks_pointing_out() {
    let s = Sandbox::new("symlink");
    let d = s.dir(false);
    assert_eq!(open_err(&d, "out/secret.txt", read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "abs", read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "l1", read()), Errno::Notcapable, "a chain ending outside");
    assert_eq!(open_err(&d, "loop1", read()), Errno::Loop);
    // Without following, the link itself is the last component: never opened.
    let nofollow = OpenOptions { read: true, ..OpenOptions::default() };
    assert_eq!(open_err(&d, "abs", nofollow), Errno::Loop);
    let write_nofollow = OpenOptions { write: true, create: true, truncate: true, ..OpenOptions::default() };
    assert_eq!(open_err(&d, "abs", write_nofollow), Errno::Loop);
    assert_eq!(open_err(&d, "out/new.txt", create()), Errno::Notcapable);
    assert_eq!(open_err(&d, "abs", create()), Errno::Notcapable);
    assert_eq!(d.create_dir("out/evil"), Err(Errno::Notcapable));
    assert_eq!(d.unlink_file("out/secret.txt"), Err(Errno::Notcapable));
    assert_eq!(d.stat("out/secret.txt", false).err(), Some(Errno::Notcapable));
    assert_eq!(d.stat("abs", true).err(), Some(Errno::Notcapable));
    assert_eq!(
        d.set_times(
            "out/secret.txt",
            false,
            zerowasm_wasi::fs::TimeSpec::Now,
            zerowasm_wasi::fs::TimeSpec::Now
        ),
        Err(Errno::Notcapable)
    );
    s.assert_outside_untouched("symlink attempts");
    // The links themselves can be inspected and removed.
    assert_eq!(d.readlink("out"), Ok("../outside".to_string()));
    assert_eq!(d.stat("abs", false).map(|st| st.filetype), Ok(7));
    assert_eq!(read_all(&d, "ok_link"), "inside");
    assert_eq!(d.unlink_file("abs"), Ok(()));
    s.assert_outside_untouched("unlinking a link");
    // Planting a new absolute link is refused.
    assert_eq!(d.symlink("/etc/passwd", "new_abs"), Err(Errno::Perm));
    assert_eq!(d.symlink("../../outside", "new_rel"), Ok(()));
    assert_eq!(open_err(&d, "new_rel/secret.txt", read()), Errno::Notcapable);
    s.assert_outside_untouched("planting links");
}

#[test]
fn hard_links_and_renames_out() {
    let s = Sandbox::new("links");
    let d = s.dir(false);
    assert_eq!(d.link("../outside/secret.txt", false, &d, "stolen"), Err(Errno::Notcapable));
    assert_eq!(d.link("out/secret.txt", false, &d, "stolen"), Err(Errno::Notcapable));
    assert_eq!(d.link("abs", true, &d, "stolen"), Err(Errno::Notcapable));
    assert_eq!(d.link("a.txt", false, &d, "../outside/planted"), Err(Errno::Notcapable));
    assert_eq!(d.link("a.txt", false, &d, "out/planted"), Err(Errno::Notcapable));
    // Linking the symlink itself is allowed: it stays a link that is not followed out.
    assert_eq!(d.link("abs", false, &d, "abs2"), Ok(()));
    assert_eq!(open_err(&d, "abs2", read()), Errno::Notcapable);
    assert!(!s.mount.join("stolen").exists());
    s.assert_outside_untouched("hard links");
    assert_eq!(d.rename("a.txt", &d, "../outside/moved"), Err(Errno::Notcapable));
    assert_eq!(d.rename("a.txt", &d, "out/moved"), Err(Errno::Notcapable));
    assert_eq!(d.rename("../outside/secret.txt", &d, "got"), Err(Errno::Notcapable));
    assert_eq!(d.rename("out/secret.txt", &d, "got"), Err(Errno::Notcapable));
    s.assert_outside_untouched("renames");
    assert_eq!(d.rename("a.txt", &d, "sub/a.txt"), Ok(()));
    assert!(s.mount.join("sub/a.txt").exists());
}

#[test]
fn renames_across_mounts_respect_read_only() {
    let s = Sandbox::new("mounts");
    let other = s.root.join("mount2");
    fs::create_dir(&other).unwrap();
    let a = s.dir(false);
    let b_ro = HostDir::open(&other, true).unwrap();
    assert_eq!(a.rename("a.txt", &b_ro, "a.txt"), Err(Errno::Rofs));
    assert_eq!(b_ro.rename("x", &a, "x"), Err(Errno::Rofs));
    assert!(!other.join("a.txt").exists());
    let b = HostDir::open(&other, false).unwrap();
    assert_eq!(a.rename("a.txt", &b, "a.txt"), Ok(()), "both mounts writable: a real move");
    assert!(other.join("a.txt").exists());
    let mem = zerowasm_wasi::MemFs::new().root(false);
    assert_eq!(b.rename("a.txt", &mem, "a.txt"), Err(Errno::Xdev));
    fs::remove_dir_all(&other).unwrap();
    s.assert_outside_untouched("cross-mount renames");
}

#[test]
fn read_only_mounts_refuse_every_change() {
    let s = Sandbox::new("ro");
    let d = s.dir(true);
    assert_eq!(open_err(&d, "a.txt", create()), Errno::Rofs);
    assert_eq!(open_err(&d, "a.txt", OpenOptions { write: true, ..OpenOptions::default() }), Errno::Rofs);
    assert_eq!(d.create_dir("x"), Err(Errno::Rofs));
    assert_eq!(d.unlink_file("a.txt"), Err(Errno::Rofs));
    assert_eq!(d.remove_dir("sub/deeper"), Err(Errno::Rofs));
    assert_eq!(d.symlink("a.txt", "y"), Err(Errno::Rofs));
    assert_eq!(d.link("a.txt", false, &d, "z"), Err(Errno::Rofs));
    assert_eq!(read_all(&d, "a.txt"), "inside");
    // A directory opened from a read-only mount is read-only too.
    let Ok(Opened::Dir(sub)) =
        d.open("sub", &OpenOptions { read: true, directory: true, ..OpenOptions::default() })
    else {
        panic!("sub")
    };
    assert_eq!(sub.create_dir("x"), Err(Errno::Rofs));
    assert_eq!(fs::read_to_string(s.mount.join("a.txt")).unwrap(), "inside");
}

#[test]
fn a_directory_swapped_for_a_symlink_cannot_redirect() {
    let s = Sandbox::new("race");
    let d = s.dir(false);
    let Ok(Opened::Dir(sub)) =
        d.open("sub", &OpenOptions { read: true, directory: true, ..OpenOptions::default() })
    else {
        panic!("sub")
    };
    // The "use" step after a "check": replace sub with a link out.
    fs::rename(s.mount.join("sub"), s.mount.join("sub_moved")).unwrap();
    symlink("../outside", s.mount.join("sub")).unwrap();
    // The held handle still names the original directory, wherever it went.
    assert_eq!(sub.create_dir("made"), Ok(()));
    assert!(s.mount.join("sub_moved/made").is_dir());
    // New resolutions see the link and refuse it.
    assert_eq!(open_err(&d, "sub/secret.txt", read()), Errno::Notcapable);
    assert_eq!(d.create_dir("sub/evil"), Err(Errno::Notcapable));
    assert_eq!(open_err(&d, "sub/x", create()), Errno::Notcapable);
    s.assert_outside_untouched("swap race");
}

#[test]
fn memfs_has_the_same_walls() {
    let fs = zerowasm_wasi::MemFs::new();
    fs.write_file("a/b.txt", b"x").unwrap();
    let d = fs.root(false);
    d.symlink("../../x", "a/up").unwrap();
    d.symlink("../a/b.txt", "a/in").unwrap();
    assert_eq!(d.symlink("/x", "a/abs"), Err(Errno::Perm));
    assert_eq!(open_err(&d, "..", read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "a/../..", read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "a/up", read()), Errno::Notcapable);
    assert_eq!(open_err(&d, "/a/b.txt", read()), Errno::Notcapable);
    let Ok(Opened::Dir(a)) =
        d.open("a", &OpenOptions { read: true, directory: true, ..OpenOptions::default() })
    else {
        panic!("a")
    };
    assert_eq!(
        open_err(a.as_ref(), "../a/b.txt", read()),
        Errno::Notcapable,
        "a subdirectory handle is a wall too"
    );
    assert_eq!(fs.read_file("a/b.txt"), Ok(b"x".to_vec()));
    assert_eq!(read_all(&d, "a/in"), "x", "a link that stays inside works");
}
