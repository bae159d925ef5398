//! Clocks and random sources for WASI. The portable ones live in the
//! runtime (a [`zerowasm_runtime::ModuleConfig`] carries them) and are
//! re-exported here; the CPU-time clocks need the host file-system layer.

pub use zerowasm_runtime::sys::{
    Clock, FakeClock, MonotonicClock, OsRandom, RandomSource, SeededRandom, SystemClock,
};

use crate::types::WasiResult;

/// A CPU-time clock of the host (process or thread).
pub struct CpuClock {
    thread: bool,
}

impl CpuClock {
    /// Process CPU time (`thread` false) or the calling thread's.
    pub fn new(thread: bool) -> CpuClock {
        CpuClock { thread }
    }
    /// The time, or the host's error.
    pub fn try_now(&self) -> WasiResult<u64> {
        crate::fs::host::cputime_ns(self.thread)
    }
}

impl Clock for CpuClock {
    fn now(&self) -> u64 {
        self.try_now().unwrap_or(0)
    }
    fn resolution(&self) -> u64 {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_clock_reads() {
        assert!(CpuClock::new(false).try_now().is_ok());
        assert!(CpuClock::new(true).try_now().is_ok());
    }
}
