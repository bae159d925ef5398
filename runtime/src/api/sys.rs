//! The guest's view of time and randomness, as a [`crate::ModuleConfig`]
//! carries it to system interfaces such as WASI: the host's clocks and
//! CSPRNG by default, deterministic ones for tests. With a [`FakeClock`] and
//! a [`SeededRandom`], two runs of a guest see the same times and bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A clock in ns: the wall clock (since the Unix epoch) or a monotonic one
/// (arbitrary epoch). `sleep` is how `poll_oneoff` waits, so a fake clock can
/// advance instead of blocking.
pub trait Clock: Send + Sync {
    /// The current time in ns.
    fn now(&self) -> u64;
    /// The resolution in ns.
    fn resolution(&self) -> u64;
    /// Waits `ns` nanoseconds of this clock.
    fn sleep(&self, ns: u64) {
        std::thread::sleep(Duration::from_nanos(ns));
    }
}

/// The host's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
    }
    fn resolution(&self) -> u64 {
        1_000
    }
}

/// The host's monotonic clock, counted from when it was created.
pub struct MonotonicClock {
    start: Instant,
}

impl Default for MonotonicClock {
    fn default() -> Self {
        MonotonicClock { start: Instant::now() }
    }
}

impl Clock for MonotonicClock {
    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }
    fn resolution(&self) -> u64 {
        1
    }
}

/// A deterministic clock: starts at `start`, advances by `step` on every
/// reading, and `sleep` advances it instead of waiting. Clones share time.
#[derive(Clone)]
pub struct FakeClock {
    now: Arc<AtomicU64>,
    step: u64,
}

impl FakeClock {
    /// A clock reading `start` first, then `start + step`, ...
    pub fn new(start: u64, step: u64) -> FakeClock {
        FakeClock { now: Arc::new(AtomicU64::new(start)), step }
    }
    /// Moves the clock forward by `ns`.
    pub fn advance(&self, ns: u64) {
        self.now.fetch_add(ns, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> u64 {
        self.now.fetch_add(self.step, Ordering::SeqCst)
    }
    fn resolution(&self) -> u64 {
        self.step.max(1)
    }
    fn sleep(&self, ns: u64) {
        self.advance(ns);
    }
}

/// Where a guest's random bytes (`random_get`) come from.
pub trait RandomSource: Send {
    /// Fills `buf`.
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()>;
}

/// The host's CSPRNG (`/dev/urandom`).
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")?.read_exact(buf)
    }
}

/// A deterministic generator (SplitMix64) for tests: not for secrets.
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    /// A generator whose output depends only on `seed`.
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom { state: seed }
    }
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        for chunk in buf.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;

    #[test]
    fn fake_clock_steps_and_sleeps() {
        let c = FakeClock::new(100, 10);
        assert_eq!((c.now(), c.now()), (100, 110));
        c.sleep(1000);
        assert_eq!(c.now(), 1120);
        assert_eq!(c.resolution(), 10);
    }

    #[test]
    fn seeded_random_is_reproducible() {
        let (mut a, mut b) = (SeededRandom::new(7), SeededRandom::new(7));
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.fill(&mut x).unwrap();
        b.fill(&mut y).unwrap();
        assert_eq!(x, y);
        assert_ne!(x, [0u8; 13]);
        // SplitMix64's first output for seed 0 (reference value).
        let mut z = SeededRandom::new(0);
        assert_eq!(z.next(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn real_clocks_move_forward() {
        let m = MonotonicClock::default();
        let a = m.now();
        assert!(m.now() >= a);
        assert!(SystemClock.now() > 1_600_000_000_000_000_000);
        let mut buf = [0u8; 32];
        OsRandom.fill(&mut buf).unwrap();
    }
}
