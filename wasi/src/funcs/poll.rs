//! `poll_oneoff`. Regular files are always ready (as POSIX says); a stream
//! whose readiness cannot be known without blocking (stdin given as a plain
//! `Read`) is reported ready with 0 bytes. Clock subscriptions sleep on the
//! monotonic clock, so a fake one makes timeouts instant and
//! deterministic.
//! TODO(issue 5): real readiness for pipes and stdin (non-blocking probes).

use super::a32;
use crate::ctx::{Handle, WasiCtx};
use crate::funcs::clock::clock;
use crate::memory::GuestMemory;
use crate::types::{Errno, Subscription, WasiResult, encode_event, event, rights, size};

pub(crate) fn poll_oneoff(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (inp, out, n) = (a32(a, 0), a32(a, 1), a32(a, 2));
    if n == 0 {
        return Err(Errno::Inval);
    }
    let total_in = n.checked_mul(size::SUBSCRIPTION).ok_or(Errno::Fault)?;
    mem.slice(inp, total_in)?;
    mem.slice(out, n.checked_mul(size::EVENT).ok_or(Errno::Fault)?)?;
    let mut subs = Vec::with_capacity(n as usize);
    for i in 0..n {
        let bytes: [u8; 48] = mem
            .slice(inp + i * size::SUBSCRIPTION, size::SUBSCRIPTION)?
            .try_into()
            .map_err(|_| Errno::Fault)?;
        subs.push(Subscription::decode(&bytes)?);
    }
    let mut events: Vec<[u8; 32]> = Vec::new();
    // Fd subscriptions first: they are ready (or failed) right away.
    for s in &subs {
        if let Subscription::Fd { userdata, ty, fd } = *s {
            let ev = match ctx.fd(fd) {
                Err(e) => encode_event(userdata, e, ty, 0, 0),
                Ok(e) if e.rights_base & rights::POLL_FD_READWRITE == 0 => {
                    encode_event(userdata, Errno::Notcapable, ty, 0, 0)
                }
                Ok(e) => match &e.handle {
                    Handle::File(f) if ty == event::FD_READ => {
                        encode_event(userdata, Errno::Success, ty, f.readable_bytes().unwrap_or(0), 0)
                    }
                    Handle::File(_) => encode_event(userdata, Errno::Success, ty, 0, 0),
                    Handle::Dir(_) => encode_event(userdata, Errno::Badf, ty, 0, 0),
                },
            };
            events.push(ev);
        }
    }
    // Clocks: find the earliest deadline; wait for it only if nothing else fired.
    let mut earliest: Option<u64> = None;
    let mut clock_events = Vec::new();
    for s in &subs {
        if let Subscription::Clock { userdata, id, timeout, flags, .. } = *s {
            let c = match clock(ctx, id) {
                Ok(c) => c,
                Err(e) => {
                    events.push(encode_event(userdata, e, event::CLOCK, 0, 0));
                    continue;
                }
            };
            let wait = if flags & event::ABSTIME != 0 { timeout.saturating_sub(c.now()) } else { timeout };
            clock_events.push((wait, userdata));
            if earliest.is_none_or(|w| wait < w) {
                earliest = Some(wait);
            }
        }
    }
    if events.is_empty()
        && let Some(wait) = earliest
    {
        // Every wait happens on the monotonic clock (a deadline on another
        // clock was turned into a duration above), so one fake clock makes
        // every sleep instant and visible to the guest.
        if wait > 0 {
            ctx.monotonic.sleep(wait);
        }
        for (w, userdata) in clock_events {
            if w <= wait {
                events.push(encode_event(userdata, Errno::Success, event::CLOCK, 0, 0));
            }
        }
    }
    for (i, ev) in events.iter().enumerate() {
        mem.write_bytes(out + i as u32 * size::EVENT, ev)?;
    }
    mem.write_u32(a32(a, 3), events.len() as u32)
}
