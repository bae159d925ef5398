#!/usr/bin/env python3
"""Eager translation time of one guest: zerowasm's interpreter against wasmi.

Issue 6's bar: translation (module bytes to runnable interpreter code) at
least as fast as wasmi's eager translation on the largest guest. Both sides
are timed as whole processes, wall clock, one run of each command per round
in turn (this machine's speed drifts by a third within minutes, so the
commands must share every phase of it), and each side's fixed costs are
subtracted:

- zerowasm: `translate GUEST 1 --threads=N` (validate, then translate every
  function; benches/examples/translate.rs) minus the same on a tiny module;
- wasmi: `wasmi run --compilation-mode eager` minus `--compilation-mode lazy`
  (lazy validates and translates nothing up front), `--invoke` of a missing
  export so that nothing runs.

perf's task-clock is not used: on this VM it swings by half against wall
time for the same single-threaded process.

Both of the interpreter's translators are timed: the optimizing one (the SSA
pipeline, this example's default) and the baseline one (`--baseline`: one pass from
the Wasm bytes to slot code).

usage: benches/translate-vs-wasmi.py [--rounds N] [--guest PATH] [--translate PATH]
needs: ../shared/tools/install-peers.sh (wasmi), and
       cargo build --release -p zerowasm-benches --example translate
"""

import argparse
import os
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--guest", default=os.path.join(HERE, "guests/lua/lua.wasm"))
    ap.add_argument("--translate", default=os.path.join(ROOT, "target/release/examples/translate"))
    ap.add_argument("--wasmi", default=os.path.expanduser("~/.cache/zerowasm-peers/bin/wasmi"))
    args = ap.parse_args()
    tiny = os.path.join(HERE, "guests/kernels/fib.wasm")
    for path in (args.translate, args.wasmi):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"translate-vs-wasmi: {path} is missing (see the usage in this script)")
    cmds = {
        "optimizing 1 thread": [args.translate, args.guest, "1", "--threads=1"],
        "optimizing 2 threads": [args.translate, args.guest, "1", "--threads=2"],
        "baseline 1 thread": [args.translate, args.guest, "1", "--threads=1", "--baseline"],
        "baseline 2 threads": [args.translate, args.guest, "1", "--threads=2", "--baseline"],
        "zerowasm tiny": [args.translate, tiny, "1", "--threads=1"],
        "wasmi eager": [args.wasmi, "run", "--compilation-mode", "eager", "--invoke", "nonexist", args.guest],
        "wasmi lazy": [args.wasmi, "run", "--compilation-mode", "lazy", "--invoke", "nonexist", args.guest],
    }
    env = dict(os.environ, RUST_BACKTRACE="0", RUST_LIB_BACKTRACE="0")
    times = {k: [] for k in cmds}
    for _ in range(args.rounds):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            times[name].append((time.perf_counter() - start) * 1e3)
    print(f"{os.path.basename(args.guest)}, {args.rounds} rounds, wall ms per process:")
    for name, t in times.items():
        print(f"  {name:20} min {min(t):7.2f}  median {statistics.median(t):7.2f}")
    for label, f in (("min", min), ("median", statistics.median)):
        wasmi = f(times["wasmi eager"]) - f(times["wasmi lazy"])
        print(f"{label}: wasmi eager translation {wasmi:.2f} ms")
        for translator in ("optimizing", "baseline"):
            one = f(times[f"{translator} 1 thread"]) - f(times["zerowasm tiny"])
            two = f(times[f"{translator} 2 threads"]) - f(times["zerowasm tiny"])
            print(
                f"  zerowasm {translator:10} {one:6.2f} ms on 1 thread ({one / wasmi:.2f}x), "
                f"{two:6.2f} ms on 2 threads ({two / wasmi:.2f}x)"
            )


if __name__ == "__main__":
    main()
