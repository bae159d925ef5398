//! Stopping running Wasm from outside: [`InterruptHandle`] (any thread, any
//! time) and deadlines (a watchdog thread per runtime that raises the
//! interrupt flag of calls whose time is up). Both need the interrupt checks
//! that [`crate::RuntimeConfig::with_close_on_deadline`] compiles in.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Instant;

/// Flag value: stop, at the embedder's request.
pub(crate) const INTERRUPT: u32 = 1;
/// Flag value: stop, the call's deadline passed.
pub(crate) const DEADLINE: u32 = 2;

/// Stops the Wasm code of one instance: the running call (or the next one,
/// if none runs) traps with `TrapCode::Interrupted`. Cheap to clone, `Send +
/// Sync`, usable from any thread.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    pub(crate) flag: Arc<AtomicU32>,
}

impl InterruptHandle {
    /// Asks the instance to stop at its next interrupt check (function entry
    /// or loop header).
    pub fn interrupt(&self) {
        // A deadline already pending keeps its own reason.
        let _ = self.flag.compare_exchange(0, INTERRUPT, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// One armed deadline.
struct Entry {
    at: Instant,
    id: u64,
    flag: Weak<AtomicU32>,
}

#[derive(Default)]
struct State {
    entries: Vec<Entry>,
    next_id: u64,
    running: bool,
}

/// The per-runtime deadline thread: sleeps until the earliest deadline, then
/// raises that call's flag. Started on first use, ended when the runtime is
/// dropped (it holds only a `Weak` to the shared state).
#[derive(Default)]
pub(crate) struct Watchdog {
    shared: Arc<(Mutex<State>, Condvar)>,
}

/// Disarms its deadline when dropped, so a call that returns early leaves
/// nothing behind.
pub(crate) struct Armed<'a> {
    watchdog: &'a Watchdog,
    id: u64,
}

impl Drop for Armed<'_> {
    fn drop(&mut self) {
        let (lock, _) = &*self.watchdog.shared;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.entries.retain(|e| e.id != self.id);
    }
}

impl Watchdog {
    /// Raises `flag` to [`DEADLINE`] at `at` unless the returned guard is dropped first.
    pub(crate) fn arm(&self, at: Instant, flag: &Arc<AtomicU32>) -> Armed<'_> {
        let (lock, cvar) = &*self.shared;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.next_id += 1;
        let id = state.next_id;
        state.entries.push(Entry { at, id, flag: Arc::downgrade(flag) });
        if !state.running {
            state.running = true;
            let shared = Arc::downgrade(&self.shared);
            std::thread::Builder::new()
                .name("zerowasm-deadlines".into())
                .spawn(move || run(shared))
                .map_err(|_| state.running = false)
                .ok();
        }
        cvar.notify_one();
        Armed { watchdog: self, id }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        lock.lock().unwrap_or_else(|e| e.into_inner()).entries.clear();
        cvar.notify_one();
    }
}

/// The watchdog thread's loop.
fn run(shared: Weak<(Mutex<State>, Condvar)>) {
    loop {
        let Some(shared) = shared.upgrade() else { return };
        let (lock, cvar) = &*shared;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        state.entries.retain(|e| {
            if e.at > now {
                return true;
            }
            if let Some(flag) = e.flag.upgrade() {
                flag.store(DEADLINE, Ordering::SeqCst);
            }
            false
        });
        let wait = state.entries.iter().map(|e| e.at).min().map(|at| at.saturating_duration_since(now));
        // Wake at the next deadline, or after a while to notice the runtime
        // went away (the `Weak` then fails to upgrade).
        let wait = wait.unwrap_or(std::time::Duration::from_millis(200));
        drop(cvar.wait_timeout(state, wait).unwrap_or_else(|e| e.into_inner()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn deadlines_fire_and_disarm() {
        let w = Watchdog::default();
        let flag = Arc::new(AtomicU32::new(0));
        {
            let _armed = w.arm(Instant::now() + Duration::from_millis(20), &flag);
            let t = Instant::now();
            while flag.load(Ordering::SeqCst) == 0 && t.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        assert_eq!(flag.load(Ordering::SeqCst), DEADLINE);
        flag.store(0, Ordering::SeqCst);
        drop(w.arm(Instant::now() + Duration::from_millis(20), &flag));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(flag.load(Ordering::SeqCst), 0, "a disarmed deadline never fires");
    }

    #[test]
    fn interrupt_keeps_a_deadline_reason() {
        let h = InterruptHandle { flag: Arc::new(AtomicU32::new(0)) };
        h.interrupt();
        assert_eq!(h.flag.load(Ordering::SeqCst), INTERRUPT);
        h.flag.store(DEADLINE, Ordering::SeqCst);
        h.interrupt();
        assert_eq!(h.flag.load(Ordering::SeqCst), DEADLINE);
    }
}
