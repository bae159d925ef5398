//! `poll_oneoff`.

use std::io::Write;
use std::time::{Duration, Instant};

use super::{Env, MEM, event};
use crate::WasiCtxBuilder;
use crate::clocks::FakeClock;
use crate::fs::mem::MemFs;
use crate::types::Errno::*;
use crate::types::{event as ev, rights};

const SUBS: u32 = 1000;
const EVENTS: u32 = 3000;
const NUM: u32 = 900;

/// Writes subscription `i` at `SUBS`: userdata @0, tag @8, then the union
/// at 16.
fn clock_sub(e: &mut Env, i: u32, userdata: u64, id: u32, timeout: u64, flags: u16) {
    let at = SUBS + 48 * i;
    e.put(at, &[0; 48]);
    e.put(at, &userdata.to_le_bytes());
    e.put(at + 8, &[ev::CLOCK]);
    e.put(at + 16, &id.to_le_bytes());
    e.put(at + 24, &timeout.to_le_bytes());
    e.put(at + 40, &flags.to_le_bytes());
}

fn fd_sub(e: &mut Env, i: u32, userdata: u64, ty: u8, fd: u32) {
    let at = SUBS + 48 * i;
    e.put(at, &[0; 48]);
    e.put(at, &userdata.to_le_bytes());
    e.put(at + 8, &[ty]);
    e.put(at + 16, &fd.to_le_bytes());
}

fn poll(e: &mut Env, n: u32) -> crate::types::Errno {
    e.call("poll_oneoff", &[SUBS.into(), EVENTS.into(), n.into(), NUM.into()])
}

fn events(e: &Env) -> Vec<Vec<u8>> {
    (0..e.u32(NUM)).map(|i| e.bytes(EVENTS + 32 * i, 32).to_vec()).collect()
}

#[test]
fn clocks_fire_on_the_fake_monotonic_clock() {
    let mono = FakeClock::new(1_000, 0);
    let mut e =
        Env::new(WasiCtxBuilder::new().monotonic_clock(mono.clone()).wall_clock(FakeClock::new(500, 0)));
    assert_eq!(poll(&mut e, 0), Inval, "no subscriptions");
    clock_sub(&mut e, 0, 7, 1, 5_000_000, 0);
    clock_sub(&mut e, 1, 8, 1, 9_000_000, 0);
    assert_eq!(poll(&mut e, 2), Success);
    assert_eq!(events(&e), [event(7, Success, ev::CLOCK, 0, 0)], "only the earliest");
    assert_eq!(crate::clocks::Clock::now(&mono), 5_001_000, "the wait went to the fake clock");
    // An absolute deadline already passed on the realtime clock fires at once.
    clock_sub(&mut e, 0, 9, 0, 100, ev::ABSTIME);
    assert_eq!(poll(&mut e, 1), Success);
    assert_eq!(events(&e), [event(9, Success, ev::CLOCK, 0, 0)]);
    assert_eq!(crate::clocks::Clock::now(&mono), 5_001_000, "no wait");
    // A bad clock id is an event with its error, not a failed call.
    clock_sub(&mut e, 0, 10, 99, 0, 0);
    assert_eq!(poll(&mut e, 1), Success);
    assert_eq!(events(&e), [event(10, Inval, ev::CLOCK, 0, 0)]);
    e.put(SUBS + 8, &[3]);
    assert_eq!(poll(&mut e, 1), Inval, "unknown subscription tag");
    assert_eq!(e.call("poll_oneoff", &[u64::from(MEM - 47), EVENTS.into(), 1, NUM.into()]), Fault);
    assert_eq!(e.call("poll_oneoff", &[SUBS.into(), u64::from(MEM - 31), 1, NUM.into()]), Fault);
    assert_eq!(e.call("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, u64::from(MEM - 3)]), Fault);
}

#[test]
fn files_are_ready_with_the_bytes_left() {
    let fs = MemFs::new();
    fs.write_file("f", b"0123456789").unwrap();
    let mut e =
        Env::new(WasiCtxBuilder::new().monotonic_clock(FakeClock::new(0, 0)).preopen_memfs(fs, "/m", false));
    let (p, len) = e.string(5000, "f");
    let open = [3, 0, p, len, 0, rights::ALL, 0, 0, u64::from(NUM)];
    assert_eq!(e.call("path_open", &open), Success);
    let fd = e.u32(NUM);
    assert_eq!(e.call("fd_seek", &[fd.into(), 4, 0, 6000]), Success);
    fd_sub(&mut e, 0, 1, ev::FD_READ, fd);
    fd_sub(&mut e, 1, 2, ev::FD_WRITE, fd);
    clock_sub(&mut e, 2, 3, 1, 1_000_000_000, 0);
    fd_sub(&mut e, 3, 4, ev::FD_READ, 42);
    fd_sub(&mut e, 4, 5, ev::FD_READ, 3); // a directory has no poll right
    fd_sub(&mut e, 5, 6, ev::FD_WRITE, 1);
    assert_eq!(poll(&mut e, 6), Success);
    assert_eq!(
        events(&e),
        [
            event(1, Success, ev::FD_READ, 6, 0),
            event(2, Success, ev::FD_WRITE, 0, 0),
            event(4, Badf, ev::FD_READ, 0, 0),
            event(5, Notcapable, ev::FD_READ, 0, 0),
            event(6, Success, ev::FD_WRITE, 0, 0),
        ],
        "the clock has not fired"
    );
    assert_eq!(e.call("fd_fdstat_set_rights", &[fd.into(), rights::FD_READ, 0]), Success);
    fd_sub(&mut e, 0, 1, ev::FD_READ, fd);
    assert_eq!(poll(&mut e, 1), Success);
    assert_eq!(events(&e), [event(1, Notcapable, ev::FD_READ, 0, 0)]);
}

/// Stdin on a pipe: not ready (the clock fires after really waiting), then
/// ready with the bytes written, then the hangup once the writer is gone.
#[test]
fn a_pipe_is_probed() {
    let (reader, mut writer) = std::io::pipe().unwrap();
    let mut e = Env::new(WasiCtxBuilder::new().stdin_fd(reader));
    fd_sub(&mut e, 0, 1, ev::FD_READ, 0);
    clock_sub(&mut e, 1, 2, 1, 20_000_000, 0);
    let start = Instant::now();
    assert_eq!(poll(&mut e, 2), Success);
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert_eq!(events(&e), [event(2, Success, ev::CLOCK, 0, 0)]);
    writer.write_all(b"hello").unwrap();
    assert_eq!(poll(&mut e, 2), Success);
    assert_eq!(events(&e), [event(1, Success, ev::FD_READ, 5, 0)]);
    drop(writer);
    assert_eq!(poll(&mut e, 1), Success);
    assert_eq!(events(&e), [event(1, Success, ev::FD_READ, 5, ev::HANGUP)]);
    // Without a clock the call waits for the descriptor alone.
    let (reader, mut writer) = std::io::pipe().unwrap();
    let mut e = Env::new(WasiCtxBuilder::new().stdin_fd(reader));
    let feeder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        writer.write_all(b"x").unwrap();
        writer // kept open until the poll has answered
    });
    fd_sub(&mut e, 0, 1, ev::FD_READ, 0);
    assert_eq!(poll(&mut e, 1), Success);
    assert_eq!(events(&e), [event(1, Success, ev::FD_READ, 1, 0)]);
    drop(feeder.join().unwrap());
}

#[test]
fn a_plain_reader_is_always_ready() {
    let mut e = Env::new(WasiCtxBuilder::new().stdin(std::io::empty()));
    fd_sub(&mut e, 0, 1, ev::FD_READ, 0);
    clock_sub(&mut e, 1, 2, 1, 60_000_000_000, 0);
    assert_eq!(poll(&mut e, 2), Success);
    assert_eq!(events(&e), [event(1, Success, ev::FD_READ, 0, 0)]);
}
