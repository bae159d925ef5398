//! The state of one WASI guest ([`WasiCtx`]) and how an embedder describes
//! it ([`WasiCtxBuilder`]). The builder is shaped so that the embedder API's
//! `ModuleConfig` can own one and forward its args/env/stdio/clock/random/
//! mount settings to it unchanged.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::path::PathBuf;

use crate::clocks::{Clock, CpuClock, MonotonicClock, OsRandom, RandomSource, SystemClock};
use crate::fs::host::HostDir;
use crate::fs::mem::MemFs;
use crate::fs::{DirEntry, WasiDir, WasiFile};
use crate::net::PreopenedSocket;
use crate::stdio::{ReadStream, WriteStream};
use crate::types::{Errno, WasiResult, rights};

/// What a descriptor refers to.
pub enum Handle {
    /// A file or stream.
    File(Box<dyn WasiFile>),
    /// A directory.
    Dir(Box<dyn WasiDir>),
}

/// One open descriptor.
pub struct FdEntry {
    /// The file or directory.
    pub handle: Handle,
    /// What this descriptor may do.
    pub rights_base: u64,
    /// What descriptors opened through it may do.
    pub rights_inheriting: u64,
    /// For a preopened directory: the guest path it is mounted at.
    pub preopen: Option<String>,
    /// `fd_readdir`'s snapshot of the entries, taken at cookie 0 and reused
    /// for later cookies so they stay stable across calls.
    pub(crate) dir_snapshot: Option<Vec<DirEntry>>,
}

impl FdEntry {
    /// Checks that the descriptor has every right in `needed`.
    pub fn require(&self, needed: u64) -> WasiResult<()> {
        if self.rights_base & needed == needed { Ok(()) } else { Err(Errno::Notcapable) }
    }
}

/// A mount: a host directory (`HOST[:GUEST][:ro]`) or an in-memory tree.
enum MountSource {
    Host(PathBuf),
    Mem(MemFs),
}

struct Mount {
    source: MountSource,
    guest: String,
    read_only: bool,
}

/// Why a [`WasiCtxBuilder`] could not build.
#[derive(Debug)]
pub enum WasiConfigError {
    /// A `--mount` spec that does not parse.
    BadMountSpec(String),
    /// A host directory that could not be opened.
    Mount {
        /// The host path.
        host: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

impl std::fmt::Display for WasiConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WasiConfigError::BadMountSpec(s) => {
                write!(f, "invalid mount `{s}`: expected HOST[:GUEST][:ro]")
            }
            WasiConfigError::Mount { host, error } => {
                write!(f, "cannot mount host directory {}: {error}", host.display())
            }
        }
    }
}

impl std::error::Error for WasiConfigError {}

/// Describes a WASI guest's world: arguments, environment, standard streams,
/// clocks, randomness, mounts and sockets. Nothing is inherited from the host
/// unless asked for: the defaults are no args, no env, empty stdin, discarded
/// output, real clocks, OS randomness, no mounts and no sockets.
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Box<dyn Read + Send>,
    /// The descriptor `stdin` reads from, when it has one (see
    /// [`WasiCtxBuilder::stdin_fd`]).
    stdin_fd: Option<RawFd>,
    stdout: Box<dyn Write + Send>,
    stderr: Box<dyn Write + Send>,
    wall: Box<dyn Clock>,
    monotonic: Box<dyn Clock>,
    cputime: Option<Box<dyn Clock>>,
    random: Box<dyn RandomSource>,
    mounts: Vec<Mount>,
    sockets: Vec<PreopenedSocket>,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder::new()
    }
}

impl WasiCtxBuilder {
    /// The defaults described on the type.
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: Box::new(std::io::empty()),
            stdin_fd: None,
            stdout: Box::new(std::io::sink()),
            stderr: Box::new(std::io::sink()),
            wall: Box::new(SystemClock),
            monotonic: Box::new(MonotonicClock::default()),
            cputime: None,
            random: Box::new(OsRandom),
            mounts: Vec::new(),
            sockets: Vec::new(),
        }
    }

    /// Appends one argument (the first is the program name by convention).
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The guest's stdin, any reader. `poll_oneoff` cannot know whether a
    /// plain `Read` has data without reading it, so it always reports it
    /// ready (a read may then block); use [`WasiCtxBuilder::stdin_fd`] for a
    /// stream backed by a host descriptor.
    pub fn stdin(mut self, r: impl Read + Send + 'static) -> Self {
        self.stdin = Box::new(r);
        self.stdin_fd = None;
        self
    }

    /// The guest's stdin, read from a host descriptor it owns (a pipe end, a
    /// `ChildStdout`, a `TcpStream`, a `File` duplicated from fd 0), so
    /// `poll_oneoff` reports it ready only when a read would not block.
    /// `r` should not buffer (a `BufReader` holding data the descriptor no
    /// longer shows would read as not ready).
    pub fn stdin_fd<R: Read + AsFd + Send + 'static>(mut self, r: R) -> Self {
        self.stdin_fd = Some(r.as_fd().as_raw_fd());
        self.stdin = Box::new(r);
        self
    }

    /// The guest's stdout.
    pub fn stdout(mut self, w: impl Write + Send + 'static) -> Self {
        self.stdout = Box::new(w);
        self
    }

    /// The guest's stderr.
    pub fn stderr(mut self, w: impl Write + Send + 'static) -> Self {
        self.stderr = Box::new(w);
        self
    }

    /// Connects the three streams to the host process's. Stdin is read
    /// unbuffered from a duplicate of fd 0, so `poll_oneoff` can probe it
    /// (and the guest never loses bytes to a host-side buffer); if fd 0
    /// cannot be duplicated, it falls back to `std::io::stdin()`, always
    /// reported ready.
    pub fn inherit_stdio(self) -> Self {
        let b = match std::io::stdin().as_fd().try_clone_to_owned() {
            Ok(fd) => self.stdin_fd(std::fs::File::from(fd)),
            Err(_) => self.stdin(std::io::stdin()),
        };
        b.stdout(std::io::stdout()).stderr(std::io::stderr())
    }

    /// The realtime clock.
    pub fn wall_clock(mut self, c: impl Clock + 'static) -> Self {
        self.wall = Box::new(c);
        self
    }

    /// The monotonic clock (also what `poll_oneoff` sleeps on).
    pub fn monotonic_clock(mut self, c: impl Clock + 'static) -> Self {
        self.monotonic = Box::new(c);
        self
    }

    /// The clock for both CPU-time clock ids; by default the host's.
    pub fn cputime_clock(mut self, c: impl Clock + 'static) -> Self {
        self.cputime = Some(Box::new(c));
        self
    }

    /// The source of `random_get`.
    pub fn random(mut self, r: impl RandomSource + 'static) -> Self {
        self.random = Box::new(r);
        self
    }

    /// Mounts host directory `host` at guest path `guest`.
    pub fn preopen_dir(
        mut self,
        host: impl Into<PathBuf>,
        guest: impl Into<String>,
        read_only: bool,
    ) -> Self {
        self.mounts.push(Mount { source: MountSource::Host(host.into()), guest: guest.into(), read_only });
        self
    }

    /// Mounts the root of an in-memory file system at `guest`.
    pub fn preopen_memfs(mut self, fs: MemFs, guest: impl Into<String>, read_only: bool) -> Self {
        self.mounts.push(Mount { source: MountSource::Mem(fs), guest: guest.into(), read_only });
        self
    }

    /// Gives the guest a socket: a listener to `sock_accept` on, or a
    /// connected stream. Sockets get the descriptors after every mount, in the
    /// order added (see [`PreopenedSocket`]).
    pub fn preopen_socket(mut self, socket: impl Into<PreopenedSocket>) -> Self {
        self.sockets.push(socket.into());
        self
    }

    /// Parses a CLI-style mount, `HOST[:GUEST][:ro]` (GUEST defaults to
    /// HOST), and adds it.
    pub fn mount(self, spec: &str) -> Result<Self, WasiConfigError> {
        let (rest, read_only) = match spec.strip_suffix(":ro") {
            Some(r) => (r, true),
            None => (spec, false),
        };
        let (host, guest) = match rest.split_once(':') {
            Some((h, g)) => (h, g),
            None => (rest, rest),
        };
        if host.is_empty() || guest.is_empty() || guest.contains(':') {
            return Err(WasiConfigError::BadMountSpec(spec.to_string()));
        }
        Ok(self.preopen_dir(host, guest, read_only))
    }

    /// Opens the mounts and makes the context. Descriptors 0-2 are the
    /// streams; mounts follow from 3 in the order they were added, then the
    /// sockets.
    pub fn build(self) -> Result<WasiCtx, WasiConfigError> {
        let mut fds = BTreeMap::new();
        let stream = |h: Box<dyn WasiFile>, r: u64| FdEntry {
            handle: Handle::File(h),
            rights_base: r,
            rights_inheriting: 0,
            preopen: None,
            dir_snapshot: None,
        };
        let common = rights::FD_FDSTAT_SET_FLAGS | rights::FD_FILESTAT_GET | rights::POLL_FD_READWRITE;
        let stdin = ReadStream { reader: self.stdin, fd: self.stdin_fd };
        fds.insert(0, stream(Box::new(stdin), rights::FD_READ | common));
        fds.insert(1, stream(Box::new(WriteStream(self.stdout)), rights::FD_WRITE | common));
        fds.insert(2, stream(Box::new(WriteStream(self.stderr)), rights::FD_WRITE | common));
        let mut next = 3u32;
        for m in self.mounts {
            let dir: Box<dyn WasiDir> = match m.source {
                MountSource::Host(host) => match HostDir::open(&host, m.read_only) {
                    Ok(d) => Box::new(d),
                    Err(error) => return Err(WasiConfigError::Mount { host, error }),
                },
                MountSource::Mem(fs) => Box::new(fs.root(m.read_only)),
            };
            let mask = if m.read_only { !rights::MUTATING } else { rights::ALL };
            fds.insert(
                next,
                FdEntry {
                    handle: Handle::Dir(dir),
                    rights_base: rights::DIRECTORY & mask,
                    rights_inheriting: (rights::DIRECTORY | rights::REGULAR_FILE) & mask,
                    preopen: Some(m.guest),
                    dir_snapshot: None,
                },
            );
            next += 1;
        }
        for socket in self.sockets {
            fds.insert(next, socket.into_entry());
            next += 1;
        }
        Ok(WasiCtx {
            args: self.args,
            env: self.env.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
            fds,
            wall: self.wall,
            monotonic: self.monotonic,
            thread_cputime: match self.cputime {
                Some(_) => None,
                None => Some(Box::new(CpuClock::new(true))),
            },
            process_cputime: self.cputime.unwrap_or_else(|| Box::new(CpuClock::new(false))),
            random: self.random,
        })
    }
}

/// A WASI guest's state: what [`crate::add_to_linker`] functions read and
/// change. Shared with them as `Arc<Mutex<WasiCtx>>`.
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<String>,
    pub(crate) fds: BTreeMap<u32, FdEntry>,
    pub(crate) wall: Box<dyn Clock>,
    pub(crate) monotonic: Box<dyn Clock>,
    pub(crate) process_cputime: Box<dyn Clock>,
    /// The thread clock when it differs from the process one (host default).
    pub(crate) thread_cputime: Option<Box<dyn Clock>>,
    pub(crate) random: Box<dyn RandomSource>,
}

impl WasiCtx {
    /// A builder.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }

    /// The entry for `fd`, or `EBADF`.
    pub fn fd(&mut self, fd: u32) -> WasiResult<&mut FdEntry> {
        self.fds.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// The file behind `fd`: rights are checked first (`ENOTCAPABLE`), then
    /// a directory is `EISDIR`.
    pub fn file(&mut self, fd: u32, needed: u64) -> WasiResult<&mut Box<dyn WasiFile>> {
        let e = self.fd(fd)?;
        e.require(needed)?;
        match &mut e.handle {
            Handle::File(f) => Ok(f),
            Handle::Dir(_) => Err(Errno::Isdir),
        }
    }

    /// The directory behind `fd` after checking `needed` rights.
    pub fn dir(&self, fd: u32, needed: u64) -> WasiResult<&dyn WasiDir> {
        let e = self.fds.get(&fd).ok_or(Errno::Badf)?;
        e.require(needed)?;
        match &e.handle {
            Handle::Dir(d) => Ok(d.as_ref()),
            Handle::File(_) => Err(Errno::Notdir),
        }
    }

    /// Adds a descriptor at the lowest free number.
    pub fn insert(&mut self, entry: FdEntry) -> WasiResult<u32> {
        let mut n = 0u32;
        for &k in self.fds.keys() {
            if k != n {
                break;
            }
            n = n.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.fds.insert(n, entry);
        Ok(n)
    }

    /// Flushes stdout and stderr (at exit).
    pub fn flush(&mut self) {
        for fd in [1, 2] {
            if let Ok(Handle::File(f)) = self.fd(fd).map(|e| &mut e.handle) {
                let _ = f.flush();
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;

    #[test]
    fn mount_specs_parse() {
        let b = WasiCtxBuilder::new().mount("/tmp").unwrap().mount("/tmp:/data:ro").unwrap();
        let g: Vec<_> = b.mounts.iter().map(|m| (m.guest.as_str(), m.read_only)).collect();
        assert_eq!(g, [("/tmp", false), ("/data", true)]);
        assert!(WasiCtxBuilder::new().mount(":x").is_err());
        assert!(WasiCtxBuilder::new().mount("a:b:c").is_err());
        let err = WasiCtxBuilder::new().preopen_dir("/definitely/not/here", "/x", false).build();
        assert!(matches!(err, Err(WasiConfigError::Mount { .. })));
    }

    #[test]
    fn descriptors_take_the_lowest_free_number() {
        let mut ctx = WasiCtxBuilder::new().preopen_memfs(MemFs::new(), "/", false).build().unwrap();
        assert!(ctx.fds.contains_key(&3));
        ctx.fds.remove(&1);
        let e = FdEntry {
            handle: Handle::Dir(Box::new(MemFs::new().root(true))),
            rights_base: 0,
            rights_inheriting: 0,
            preopen: None,
            dir_snapshot: None,
        };
        assert_eq!(ctx.insert(e), Ok(1));
        assert_eq!(ctx.dir(1, rights::PATH_OPEN).err(), Some(Errno::Notcapable));
        assert_eq!(ctx.file(3, 0).err(), Some(Errno::Isdir));
        assert_eq!(ctx.fd(99).err(), Some(Errno::Badf));
    }
}
