//! An in-memory file system behind the same traits as the host backend: for
//! tests, and for embedders who want guests to have files but no host access.
//! Paths go through the same resolver, so the sandbox rules are identical.
//!
//! Inodes live in one table behind a mutex; a directory handle is an inode
//! number. Timestamps come from a logical clock (one tick of 1 ns per change)
//! so runs are reproducible. Unlinked inodes stay in the table until the
//! `MemFs` is dropped (open descriptors may still use them).

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{DirEntry, Lookup, OpenOptions, Opened, TimeSpec, Walk, WasiDir, WasiFile, resolve};
use crate::types::{Errno, Filestat, Filetype, WasiResult, fdflags};

enum Kind {
    File(Vec<u8>),
    Dir { entries: BTreeMap<String, u64>, parent: u64 },
    Symlink(String),
}

struct Inode {
    kind: Kind,
    nlink: u64,
    atim: u64,
    mtim: u64,
    ctim: u64,
}

struct Inner {
    nodes: HashMap<u64, Inode>,
    next_ino: u64,
    tick: u64,
}

/// An in-memory file system; clones share the same tree.
#[derive(Clone)]
pub struct MemFs {
    inner: Arc<Mutex<Inner>>,
}

impl Default for MemFs {
    fn default() -> Self {
        MemFs::new()
    }
}

const ROOT: u64 = 1;

impl MemFs {
    /// An empty file system (just the root directory).
    pub fn new() -> MemFs {
        let mut nodes = HashMap::new();
        let root = Inode {
            kind: Kind::Dir { entries: BTreeMap::new(), parent: ROOT },
            nlink: 2,
            atim: 0,
            mtim: 0,
            ctim: 0,
        };
        nodes.insert(ROOT, root);
        MemFs { inner: Arc::new(Mutex::new(Inner { nodes, next_ino: 2, tick: 0 })) }
    }

    /// A handle on the root directory, to preopen.
    pub fn root(&self, read_only: bool) -> MemDir {
        MemDir { fs: self.clone(), ino: ROOT, read_only }
    }

    /// Convenience for setting up tests: writes `data` to `path` (relative
    /// to the root), creating missing parent directories.
    pub fn write_file(&self, path: &str, data: &[u8]) -> WasiResult<()> {
        let root = self.root(false);
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let file = parts.pop().ok_or(Errno::Inval)?;
        let mut dir = String::new();
        for p in parts {
            dir.push_str(p);
            match root.create_dir(&dir) {
                Ok(()) | Err(Errno::Exist) => {}
                Err(e) => return Err(e),
            }
            dir.push('/');
        }
        let opts = OpenOptions { write: true, create: true, truncate: true, ..OpenOptions::default() };
        match root.open(&format!("{dir}{file}"), &opts)? {
            Opened::File(mut f) => f.write(data).map(|_| ()),
            Opened::Dir(_) => Err(Errno::Isdir),
        }
    }

    /// Convenience for tests: the contents of the file at `path`.
    pub fn read_file(&self, path: &str) -> WasiResult<Vec<u8>> {
        let r = resolve(&MemWalk(self), ROOT, path, true)?;
        let g = self.lock();
        let ino = g.child(r.dir, &r.name)?;
        match &g.node(ino)?.kind {
            Kind::File(d) => Ok(d.clone()),
            _ => Err(Errno::Isdir),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the tree half-updated
        // in a way that matters more than the panic itself.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn node(&self, ino: u64) -> WasiResult<&Inode> {
        self.nodes.get(&ino).ok_or(Errno::Noent)
    }
    fn node_mut(&mut self, ino: u64) -> WasiResult<&mut Inode> {
        self.nodes.get_mut(&ino).ok_or(Errno::Noent)
    }
    fn now(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }
    fn entries(&self, dir: u64) -> WasiResult<&BTreeMap<String, u64>> {
        match &self.node(dir)?.kind {
            Kind::Dir { entries, .. } => Ok(entries),
            _ => Err(Errno::Notdir),
        }
    }
    fn entries_mut(&mut self, dir: u64) -> WasiResult<&mut BTreeMap<String, u64>> {
        match &mut self.node_mut(dir)?.kind {
            Kind::Dir { entries, .. } => Ok(entries),
            _ => Err(Errno::Notdir),
        }
    }
    /// The inode `name` names in `dir` ("." and ".." included).
    fn child(&self, dir: u64, name: &str) -> WasiResult<u64> {
        match name {
            "." => Ok(dir),
            ".." => match &self.node(dir)?.kind {
                Kind::Dir { parent, .. } => Ok(*parent),
                _ => Err(Errno::Notdir),
            },
            _ => self.entries(dir)?.get(name).copied().ok_or(Errno::Noent),
        }
    }
    fn add(&mut self, dir: u64, name: &str, kind: Kind) -> WasiResult<u64> {
        if name == "." || name == ".." || self.entries(dir)?.contains_key(name) {
            return Err(Errno::Exist);
        }
        let ino = self.next_ino;
        self.next_ino += 1;
        let t = self.now();
        let nlink = if matches!(kind, Kind::Dir { .. }) { 2 } else { 1 };
        self.nodes.insert(ino, Inode { kind, nlink, atim: t, mtim: t, ctim: t });
        self.entries_mut(dir)?.insert(name.to_string(), ino);
        self.node_mut(dir)?.mtim = t;
        Ok(ino)
    }
    fn stat(&self, ino: u64) -> WasiResult<Filestat> {
        let n = self.node(ino)?;
        let (filetype, size) = match &n.kind {
            Kind::File(d) => (Filetype::RegularFile, d.len() as u64),
            Kind::Dir { entries, .. } => (Filetype::Directory, entries.len() as u64),
            Kind::Symlink(t) => (Filetype::SymbolicLink, t.len() as u64),
        };
        Ok(Filestat {
            dev: 0,
            ino,
            filetype: filetype as u8,
            nlink: n.nlink,
            size,
            atim: n.atim,
            mtim: n.mtim,
            ctim: n.ctim,
        })
    }
}

struct MemWalk<'a>(&'a MemFs);

impl Walk for MemWalk<'_> {
    type Dir = u64;
    fn lookup(&self, dir: &u64, name: &str) -> WasiResult<Lookup<u64>> {
        let g = self.0.lock();
        let Some(&ino) = g.entries(*dir)?.get(name) else { return Ok(Lookup::Missing) };
        Ok(match &g.node(ino)?.kind {
            Kind::Dir { .. } => Lookup::Dir(ino),
            Kind::Symlink(t) => Lookup::Symlink(t.clone()),
            Kind::File(_) => Lookup::Other,
        })
    }
}

/// A directory of a [`MemFs`].
pub struct MemDir {
    fs: MemFs,
    ino: u64,
    read_only: bool,
}

impl MemDir {
    fn resolve(&self, path: &str, follow: bool) -> WasiResult<super::Resolved<u64>> {
        resolve(&MemWalk(&self.fs), self.ino, path, follow)
    }
    fn writable(&self) -> WasiResult<()> {
        if self.read_only { Err(Errno::Rofs) } else { Ok(()) }
    }
    fn same_fs<'a>(&self, other: &'a dyn WasiDir) -> WasiResult<&'a MemDir> {
        let o = other.as_any().downcast_ref::<MemDir>().ok_or(Errno::Xdev)?;
        if !Arc::ptr_eq(&o.fs.inner, &self.fs.inner) {
            return Err(Errno::Xdev);
        }
        o.writable()?;
        Ok(o)
    }
}

fn apply(t: TimeSpec, now: u64, field: &mut u64) {
    match t {
        TimeSpec::Omit => {}
        TimeSpec::Now => *field = now,
        TimeSpec::At(v) => *field = v,
    }
}

impl WasiDir for MemDir {
    fn open(&self, path: &str, o: &OpenOptions) -> WasiResult<Opened> {
        if o.write || o.create || o.truncate || o.append {
            self.writable()?;
        }
        let r = self.resolve(path, o.follow)?;
        let mut g = self.fs.lock();
        let ino = match g.child(r.dir, &r.name) {
            Ok(_) if o.create && o.exclusive => return Err(Errno::Exist),
            Ok(ino) => ino,
            Err(Errno::Noent) if o.create && !o.directory && !r.trailing_slash => {
                g.add(r.dir, &r.name, Kind::File(Vec::new()))?
            }
            Err(e) => return Err(e),
        };
        let now = g.now();
        let node = g.node_mut(ino)?;
        match &mut node.kind {
            Kind::Dir { .. } => {
                if o.write || o.truncate {
                    return Err(Errno::Isdir);
                }
                Ok(Opened::Dir(Box::new(MemDir { fs: self.fs.clone(), ino, read_only: self.read_only })))
            }
            Kind::Symlink(_) => Err(Errno::Loop),
            Kind::File(data) => {
                if o.directory || r.trailing_slash {
                    return Err(Errno::Notdir);
                }
                if o.truncate {
                    data.clear();
                    node.mtim = now;
                }
                // Memory is as durable as it gets: the synchronized-I/O
                // bits are accepted, kept for `fd_fdstat_get`, and free.
                let append = if o.append { fdflags::APPEND } else { 0 };
                let f = MemFile { fs: self.fs.clone(), ino, pos: 0, fdflags: append | o.sync };
                Ok(Opened::File(Box::new(f)))
            }
        }
    }

    fn create_dir(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        let mut g = self.fs.lock();
        g.add(r.dir, &r.name, Kind::Dir { entries: BTreeMap::new(), parent: r.dir })?;
        g.node_mut(r.dir)?.nlink += 1;
        Ok(())
    }

    fn remove_dir(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        if r.name == "." {
            return Err(Errno::Inval);
        }
        let mut g = self.fs.lock();
        let ino = g.child(r.dir, &r.name)?;
        if !g.entries(ino)?.is_empty() {
            return Err(Errno::Notempty);
        }
        g.entries_mut(r.dir)?.remove(&r.name);
        g.node_mut(ino)?.nlink = 0;
        g.node_mut(r.dir)?.nlink -= 1;
        Ok(())
    }

    fn unlink_file(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        let mut g = self.fs.lock();
        let ino = g.child(r.dir, &r.name)?;
        match g.node(ino)?.kind {
            Kind::Dir { .. } => return Err(Errno::Isdir),
            _ if r.trailing_slash => return Err(Errno::Notdir),
            _ => {}
        }
        g.entries_mut(r.dir)?.remove(&r.name);
        let n = g.node_mut(ino)?;
        n.nlink = n.nlink.saturating_sub(1);
        Ok(())
    }

    fn rename(&self, from: &str, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()> {
        self.writable()?;
        let other = self.same_fs(to_dir)?;
        let a = self.resolve(from, false)?;
        let b = other.resolve(to, false)?;
        let mut g = self.fs.lock();
        if a.name == "." || a.name == ".." || b.name == "." || b.name == ".." {
            return Err(Errno::Busy);
        }
        let ino = g.child(a.dir, &a.name)?;
        let is_dir = matches!(g.node(ino)?.kind, Kind::Dir { .. });
        // A directory may not move into itself or below it.
        let mut up = b.dir;
        // Walk from the target directory up to the root.
        while is_dir && up != ROOT {
            if up == ino {
                return Err(Errno::Inval);
            }
            up = g.child(up, "..")?;
        }
        if let Ok(existing) = g.child(b.dir, &b.name) {
            if existing == ino {
                return Ok(());
            }
            match (&g.node(existing)?.kind, is_dir) {
                (Kind::Dir { entries, .. }, true) if !entries.is_empty() => return Err(Errno::Notempty),
                (Kind::Dir { .. }, false) => return Err(Errno::Isdir),
                (Kind::Dir { .. }, true) => {}
                (_, true) => return Err(Errno::Notdir),
                _ => {}
            }
            g.entries_mut(b.dir)?.remove(&b.name);
            g.node_mut(existing)?.nlink = 0;
        }
        g.entries_mut(a.dir)?.remove(&a.name);
        g.entries_mut(b.dir)?.insert(b.name.clone(), ino);
        if let Kind::Dir { parent, .. } = &mut g.node_mut(ino)?.kind {
            *parent = b.dir;
        }
        let now = g.now();
        g.node_mut(ino)?.ctim = now;
        Ok(())
    }

    fn link(&self, from: &str, follow: bool, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()> {
        self.writable()?;
        let other = self.same_fs(to_dir)?;
        let a = self.resolve(from, follow)?;
        let b = other.resolve(to, false)?;
        let mut g = self.fs.lock();
        let ino = g.child(a.dir, &a.name)?;
        if matches!(g.node(ino)?.kind, Kind::Dir { .. }) {
            return Err(Errno::Perm);
        }
        if g.child(b.dir, &b.name).is_ok() {
            return Err(Errno::Exist);
        }
        g.entries_mut(b.dir)?.insert(b.name.clone(), ino);
        g.node_mut(ino)?.nlink += 1;
        Ok(())
    }

    fn symlink(&self, target: &str, path: &str) -> WasiResult<()> {
        self.writable()?;
        if target.starts_with('/') {
            return Err(Errno::Perm);
        }
        let r = self.resolve(path, false)?;
        self.fs.lock().add(r.dir, &r.name, Kind::Symlink(target.to_string())).map(|_| ())
    }

    fn readlink(&self, path: &str) -> WasiResult<String> {
        let r = self.resolve(path, false)?;
        let g = self.fs.lock();
        match &g.node(g.child(r.dir, &r.name)?)?.kind {
            Kind::Symlink(t) => Ok(t.clone()),
            _ => Err(Errno::Inval),
        }
    }

    fn stat(&self, path: &str, follow: bool) -> WasiResult<Filestat> {
        let r = self.resolve(path, follow)?;
        let g = self.fs.lock();
        let st = g.stat(g.child(r.dir, &r.name)?)?;
        if r.trailing_slash && st.filetype != Filetype::Directory as u8 {
            return Err(Errno::Notdir);
        }
        Ok(st)
    }

    fn set_times(&self, path: &str, follow: bool, atim: TimeSpec, mtim: TimeSpec) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, follow)?;
        let mut g = self.fs.lock();
        let ino = g.child(r.dir, &r.name)?;
        let now = g.now();
        let n = g.node_mut(ino)?;
        apply(atim, now, &mut n.atim);
        apply(mtim, now, &mut n.mtim);
        Ok(())
    }

    fn entries(&self) -> WasiResult<Vec<DirEntry>> {
        let g = self.fs.lock();
        let mut out = Vec::new();
        for name in [".", ".."] {
            let ino = g.child(self.ino, name)?;
            out.push(DirEntry { name: name.to_string(), ino, filetype: Filetype::Directory });
        }
        for (name, &ino) in g.entries(self.ino)? {
            let filetype = match g.node(ino)?.kind {
                Kind::File(_) => Filetype::RegularFile,
                Kind::Dir { .. } => Filetype::Directory,
                Kind::Symlink(_) => Filetype::SymbolicLink,
            };
            out.push(DirEntry { name: name.clone(), ino, filetype });
        }
        Ok(out)
    }

    fn sync(&self) -> WasiResult<()> {
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An open file of a [`MemFs`].
pub struct MemFile {
    fs: MemFs,
    ino: u64,
    pos: u64,
    /// `APPEND`, `NONBLOCK` (no effect: memory never blocks) and the
    /// synchronized-I/O bits given at open (no effect either).
    fdflags: u16,
}

impl MemFile {
    /// Runs `f` on the file's bytes.
    fn with_data<T>(&self, f: impl FnOnce(&mut Vec<u8>) -> WasiResult<T>) -> WasiResult<T> {
        let mut g = self.fs.lock();
        match &mut g.node_mut(self.ino)?.kind {
            Kind::File(d) => f(d),
            _ => Err(Errno::Badf),
        }
    }

    /// Runs `f` on the file's bytes and, if it succeeds, stamps the change
    /// (`mtim`, `ctim`) with the next tick, as a host write would.
    fn modify<T>(&self, f: impl FnOnce(&mut Vec<u8>) -> WasiResult<T>) -> WasiResult<T> {
        let mut g = self.fs.lock();
        let now = g.now();
        let node = g.node_mut(self.ino)?;
        let Kind::File(d) = &mut node.kind else { return Err(Errno::Badf) };
        let r = f(d)?;
        node.mtim = now;
        node.ctim = now;
        Ok(r)
    }
}

fn read_at(data: &[u8], buf: &mut [u8], offset: u64) -> usize {
    let start = (offset.min(data.len() as u64)) as usize;
    let n = buf.len().min(data.len() - start);
    buf[..n].copy_from_slice(&data[start..start + n]);
    n
}

fn write_at(data: &mut Vec<u8>, buf: &[u8], offset: u64) -> WasiResult<usize> {
    let start = usize::try_from(offset).map_err(|_| Errno::Fbig)?;
    let end = start.checked_add(buf.len()).ok_or(Errno::Fbig)?;
    if end > data.len() {
        data.resize(end, 0);
    }
    data[start..end].copy_from_slice(buf);
    Ok(buf.len())
}

impl WasiFile for MemFile {
    fn filetype(&self) -> Filetype {
        Filetype::RegularFile
    }
    fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        let pos = self.pos;
        let n = self.with_data(|d| Ok(read_at(d, buf, pos)))?;
        self.pos += n as u64;
        Ok(n)
    }
    fn write(&mut self, buf: &[u8]) -> WasiResult<usize> {
        let (pos, append) = (self.pos, self.fdflags & fdflags::APPEND != 0);
        let end = self.modify(|d| {
            let at = if append { d.len() as u64 } else { pos };
            write_at(d, buf, at).map(|n| at + n as u64)
        })?;
        self.pos = end;
        Ok(buf.len())
    }
    fn pread(&mut self, buf: &mut [u8], offset: u64) -> WasiResult<usize> {
        self.with_data(|d| Ok(read_at(d, buf, offset)))
    }
    fn pwrite(&mut self, buf: &[u8], offset: u64) -> WasiResult<usize> {
        self.modify(|d| write_at(d, buf, offset))
    }
    fn seek(&mut self, pos: std::io::SeekFrom) -> WasiResult<u64> {
        let len = self.with_data(|d| Ok(d.len() as u64))?;
        let new = match pos {
            std::io::SeekFrom::Start(o) => Some(o),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            std::io::SeekFrom::End(d) => len.checked_add_signed(d),
        };
        self.pos = new.ok_or(Errno::Inval)?;
        Ok(self.pos)
    }
    fn stat(&self) -> WasiResult<Filestat> {
        self.fs.lock().stat(self.ino)
    }
    fn set_size(&mut self, size: u64) -> WasiResult<()> {
        let size = usize::try_from(size).map_err(|_| Errno::Fbig)?;
        self.modify(|d| {
            d.resize(size, 0);
            Ok(())
        })
    }
    fn set_times(&mut self, atim: TimeSpec, mtim: TimeSpec) -> WasiResult<()> {
        let mut g = self.fs.lock();
        let now = g.now();
        let n = g.node_mut(self.ino)?;
        apply(atim, now, &mut n.atim);
        apply(mtim, now, &mut n.mtim);
        Ok(())
    }
    fn sync(&mut self) -> WasiResult<()> {
        Ok(())
    }
    fn fdflags(&self) -> u16 {
        self.fdflags
    }
    fn set_fdflags(&mut self, flags: u16) -> WasiResult<()> {
        self.fdflags = super::checked_file_fdflags(self.fdflags, flags)?;
        Ok(())
    }
    fn readable_bytes(&self) -> Option<u64> {
        let len = self.with_data(|d| Ok(d.len() as u64)).ok()?;
        Some(len.saturating_sub(self.pos))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
