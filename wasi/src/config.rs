//! WASI as a host module of a [`Runtime`]: each instance's [`WasiCtx`] is
//! built from its [`ModuleConfig`] (args, env, stdio, clocks, random,
//! mounts), so one registration serves every guest. What the runtime has no
//! notion of rides on `ModuleConfig::with_extension`: in-memory file systems
//! ([`MemFsMount`]), sockets ([`PreopenedSocket`]) and a stdin with a host
//! descriptor ([`StdinFd`]).

use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use zerowasm_runtime::sys::{Clock, RandomSource};
use zerowasm_runtime::{Error, ModuleConfig, Runtime};

use crate::ctx::{WasiCtx, WasiCtxBuilder};
use crate::fs::mem::MemFs;
use crate::net::PreopenedSocket;

/// An in-memory file system to mount, attached to a [`ModuleConfig`] with
/// `with_extension(MemFsMount { .. })` (the runtime knows nothing of WASI's
/// file systems).
#[derive(Clone)]
pub struct MemFsMount {
    /// The file system; clones share its files.
    pub fs: MemFs,
    /// Where the guest sees it.
    pub guest: String,
    /// Refuse writes.
    pub read_only: bool,
}

/// The guest's stdin as a host descriptor, attached to a [`ModuleConfig`]
/// with `with_extension(StdinFd::inherit()?)`; it replaces the config's
/// stdin. A `ModuleConfig` stream is a plain `Read`, which `poll_oneoff` must
/// report as always ready; a descriptor can be probed, so a guest polling
/// stdin with a timeout sees the timeout. Each instance reads from its own
/// duplicate of the descriptor.
#[derive(Debug)]
pub struct StdinFd(OwnedFd);

impl StdinFd {
    /// The host process's stdin (a duplicate of fd 0, read unbuffered).
    pub fn inherit() -> std::io::Result<StdinFd> {
        Ok(StdinFd(std::io::stdin().as_fd().try_clone_to_owned()?))
    }
}

impl From<OwnedFd> for StdinFd {
    /// Any readable descriptor: a pipe end, a `ChildStdout`, a file.
    fn from(fd: OwnedFd) -> StdinFd {
        StdinFd(fd)
    }
}

/// Registers `wasi_snapshot_preview1` in `runtime`; every instance that
/// imports it gets a context built by [`ctx_from_config`].
pub fn instantiate(runtime: &Runtime) -> Result<(), Error> {
    crate::host_module().instantiate(runtime)
}

/// The WASI context a [`ModuleConfig`] describes. Streams not given are
/// empty (stdin) or discarded (stdout, stderr); clocks and random default
/// to the host's. Extensions: every [`MemFsMount`] after the host mounts,
/// every [`PreopenedSocket`] after the mounts, and a [`StdinFd`] in place of
/// the config's stdin. The config's fuel, timeout, name and start functions
/// are the runtime's business, not WASI's.
pub fn ctx_from_config(config: &ModuleConfig) -> Result<WasiCtx, Error> {
    let mut b = WasiCtxBuilder::new().args(config.args().iter().cloned());
    for (k, v) in config.env() {
        b = b.env(k.clone(), v.clone());
    }
    if let Some(r) = config.stdin() {
        b = b.stdin(SharedRead(r.clone()));
    }
    if let Some(w) = config.stdout() {
        b = b.stdout(SharedWrite(w.clone()));
    }
    if let Some(w) = config.stderr() {
        b = b.stderr(SharedWrite(w.clone()));
    }
    if let Some(c) = config.wall_clock() {
        b = b.wall_clock(SharedClock(c.clone()));
    }
    if let Some(c) = config.monotonic_clock() {
        b = b.monotonic_clock(SharedClock(c.clone()));
    }
    if let Some(c) = config.cputime_clock() {
        b = b.cputime_clock(SharedClock(c.clone()));
    }
    if let Some(r) = config.random() {
        b = b.random(SharedRandom(r.clone()));
    }
    for m in config.mounts() {
        b = b.preopen_dir(m.host.clone(), m.guest.clone(), m.read_only);
    }
    for m in config.extensions::<MemFsMount>() {
        b = b.preopen_memfs(m.fs.clone(), m.guest.clone(), m.read_only);
    }
    if let Some(StdinFd(fd)) = config.extension::<StdinFd>() {
        let fd = fd.try_clone().map_err(|e| Error::Config(format!("cannot duplicate stdin: {e}")))?;
        b = b.stdin_fd(std::fs::File::from(fd));
    }
    for s in config.extensions::<PreopenedSocket>() {
        let s = s.try_clone().map_err(|e| Error::Config(format!("cannot duplicate a socket: {e}")))?;
        b = b.preopen_socket(s);
    }
    b.build().map_err(|e| Error::Config(e.to_string()))
}

struct SharedRead(zerowasm_runtime::api::module_config::SharedReader);

impl Read for SharedRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).read(buf)
    }
}

struct SharedWrite(zerowasm_runtime::api::module_config::SharedWriter);

impl Write for SharedWrite {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).flush()
    }
}

struct SharedClock(Arc<dyn Clock>);

impl Clock for SharedClock {
    fn now(&self) -> u64 {
        self.0.now()
    }
    fn resolution(&self) -> u64 {
        self.0.resolution()
    }
    fn sleep(&self, ns: u64) {
        self.0.sleep(ns)
    }
}

struct SharedRandom(zerowasm_runtime::api::module_config::SharedRandom);

impl RandomSource for SharedRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).fill(buf)
    }
}
