//! `poll_oneoff`: wait for the first of a set of clock and fd subscriptions.
//!
//! * A regular file is always ready (as POSIX says), reading with the bytes
//!   left between its offset and its end.
//! * A stream backed by a host descriptor (a socket, a pipe, stdin given with
//!   `WasiCtxBuilder::stdin_fd` or inherited) is probed with `poll(2)`: ready
//!   when a read or write would not block, with `FIONREAD`'s byte count and
//!   the hangup flag when the other end is gone.
//! * A stream without a descriptor (stdin as a plain `Read`, stdout as a
//!   plain `Write`) cannot be probed without blocking: it is reported ready
//!   with 0 bytes, and a read may then block.
//! * Clocks: relative or absolute (`ABSTIME`) timeouts on any clock, turned
//!   into a wait on the monotonic clock, so a fake monotonic clock makes
//!   clock-only waits instant and deterministic.
//!
//! When nothing is ready at once, the call waits for the earliest clock, or,
//! with descriptors to watch, in `poll(2)` on them with that timeout (no
//! timeout: until one is ready). Then it reports everything that is ready,
//! including every clock whose time has come.

use std::time::{Duration, Instant};

use super::a32;
use crate::ctx::{Handle, WasiCtx};
use crate::funcs::clock::clock;
use crate::memory::GuestMemory;
use crate::sys;
use crate::types::{Errno, Subscription, WasiResult, encode_event, event, rights, size};

/// A subscription on a host descriptor that was not ready at once.
struct Watched {
    userdata: u64,
    ty: u8,
}

/// What an fd subscription gives before any waiting.
enum Probe {
    /// An event to report now (ready, or an error).
    Now([u8; 32]),
    /// A host descriptor to watch with `poll(2)`.
    Watch(i32),
}

/// Reads the `n` subscriptions at `inp`.
fn subscriptions(mem: &GuestMemory<'_>, inp: u32, n: u32) -> WasiResult<Vec<Subscription>> {
    mem.slice(inp, n.checked_mul(size::SUBSCRIPTION).ok_or(Errno::Fault)?)?;
    let mut subs = Vec::with_capacity(n as usize);
    for i in 0..n {
        let at = inp.checked_add(i * size::SUBSCRIPTION).ok_or(Errno::Fault)?;
        let bytes: [u8; 48] = mem.slice(at, size::SUBSCRIPTION)?.try_into().map_err(|_| Errno::Fault)?;
        subs.push(Subscription::decode(&bytes)?);
    }
    Ok(subs)
}

/// The readiness of `fd` for `ty` (`FD_READ`/`FD_WRITE`) as far as it can be
/// known without a system call that could block.
fn probe(ctx: &mut WasiCtx, userdata: u64, ty: u8, fd: u32) -> Probe {
    let now = |error: Errno, nbytes: u64| Probe::Now(encode_event(userdata, error, ty, nbytes, 0));
    let e = match ctx.fd(fd) {
        Ok(e) => e,
        Err(err) => return now(err, 0),
    };
    if e.rights_base & rights::POLL_FD_READWRITE == 0 {
        return now(Errno::Notcapable, 0);
    }
    let f = match &e.handle {
        Handle::File(f) => f,
        // Directories are neither read nor written as streams.
        Handle::Dir(_) => return now(Errno::Badf, 0),
    };
    if let Some(left) = f.readable_bytes() {
        return now(Errno::Success, if ty == event::FD_READ { left } else { 0 });
    }
    match f.poll_fd() {
        Some(raw) => Probe::Watch(raw),
        None => now(Errno::Success, 0),
    }
}

/// The event for a watched descriptor `poll(2)` answered `revents` for, or
/// `None` if it is not ready. Read: ready on data, end of stream or hangup
/// (with the hangup flag and the bytes waiting); write: ready when a write
/// would not block, `EPIPE` once the other end is gone.
fn watched_event(w: &Watched, pfd: &libc::pollfd) -> Option<[u8; 32]> {
    let r = pfd.revents;
    if r == 0 {
        return None;
    }
    let hangup = if r & libc::POLLHUP != 0 { event::HANGUP } else { 0 };
    let ev = |error, nbytes, flags| Some(encode_event(w.userdata, error, w.ty, nbytes, flags));
    if r & libc::POLLNVAL != 0 {
        return ev(Errno::Badf, 0, 0);
    }
    if w.ty == event::FD_READ {
        if r & (libc::POLLIN | libc::POLLHUP) != 0 {
            let nbytes = sys::bytes_readable(pfd.fd).unwrap_or(0);
            return ev(Errno::Success, nbytes, hangup);
        }
    } else if r & libc::POLLOUT != 0 {
        return ev(Errno::Success, 0, hangup);
    } else if r & libc::POLLHUP != 0 {
        return ev(Errno::Pipe, 0, hangup);
    }
    if r & libc::POLLERR != 0 {
        return ev(Errno::Io, 0, hangup);
    }
    None
}

/// `poll(2)` on `pfds` until one is ready or `timeout_ns` has passed (`None`:
/// no limit); returns whether any is ready. Signals restart the wait with
/// what is left of the timeout.
fn wait(pfds: &mut [libc::pollfd], timeout_ns: Option<u64>) -> WasiResult<bool> {
    let deadline = timeout_ns.and_then(|ns| Instant::now().checked_add(Duration::from_nanos(ns)));
    loop {
        let ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now()).as_nanos().div_ceil(1_000_000);
                i32::try_from(left).unwrap_or(i32::MAX)
            }
        };
        match sys::poll(pfds, ms) {
            Ok(0) if ms == 0 => return Ok(false),
            Ok(0) | Err(Errno::Intr) => continue,
            Ok(_) => return Ok(true),
            Err(e) => return Err(e),
        }
    }
}

pub(crate) fn poll_oneoff(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (inp, out, n) = (a32(a, 0), a32(a, 1), a32(a, 2));
    if n == 0 {
        return Err(Errno::Inval);
    }
    mem.slice(out, n.checked_mul(size::EVENT).ok_or(Errno::Fault)?)?;
    mem.slice(a32(a, 3), 4)?;
    let subs = subscriptions(mem, inp, n)?;
    let mut events: Vec<[u8; 32]> = Vec::new();
    let mut watched = Vec::new();
    let mut pfds = Vec::new();
    let mut clocks = Vec::new();
    for s in &subs {
        match *s {
            Subscription::Fd { userdata, ty, fd } => match probe(ctx, userdata, ty, fd) {
                Probe::Now(ev) => events.push(ev),
                Probe::Watch(raw) => {
                    let interest = if ty == event::FD_READ { libc::POLLIN } else { libc::POLLOUT };
                    pfds.push(libc::pollfd { fd: raw, events: interest, revents: 0 });
                    watched.push(Watched { userdata, ty });
                }
            },
            Subscription::Clock { userdata, id, timeout, flags, .. } => match clock(ctx, id) {
                Ok(c) => {
                    let wait =
                        if flags & event::ABSTIME != 0 { timeout.saturating_sub(c.now()) } else { timeout };
                    clocks.push((wait, userdata));
                }
                Err(e) => events.push(encode_event(userdata, e, event::CLOCK, 0, 0)),
            },
        }
    }
    let earliest = clocks.iter().map(|&(w, _)| w).min();
    // How long the guest has waited, on its monotonic clock.
    let mut waited = 0;
    let mut any_ready = !pfds.is_empty() && wait(&mut pfds, Some(0))?;
    if events.is_empty() && !any_ready {
        if pfds.is_empty() {
            if let Some(w) = earliest.filter(|&w| w > 0) {
                // Every wait happens on the monotonic clock (a deadline on
                // another clock was turned into a duration above), so one fake
                // clock makes every sleep instant and visible to the guest.
                ctx.monotonic.sleep(w);
                waited = w;
            }
        } else {
            let start = ctx.monotonic.now();
            any_ready = wait(&mut pfds, earliest)?;
            waited = ctx.monotonic.now().saturating_sub(start);
            if let Some(w) = earliest.filter(|_| !any_ready) {
                // Timed out: the host waited `w`; a fake monotonic clock has
                // not seen it, so move it on by what it is missing.
                if waited < w {
                    ctx.monotonic.sleep(w - waited);
                }
                waited = waited.max(w);
            }
        }
    }
    if any_ready {
        events.extend(watched.iter().zip(&pfds).filter_map(|(w, p)| watched_event(w, p)));
    }
    for &(w, userdata) in &clocks {
        if w <= waited {
            events.push(encode_event(userdata, Errno::Success, event::CLOCK, 0, 0));
        }
    }
    for (i, ev) in events.iter().enumerate() {
        mem.write_bytes(out + i as u32 * size::EVENT, ev)?;
    }
    mem.write_u32(a32(a, 3), events.len() as u32)
}
