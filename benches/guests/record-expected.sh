#!/usr/bin/env bash
# Records the reference output of benchmark guests in <guest>/EXPECTED.txt,
# for execution tests of zerowasm's engines.
#
# Reference engines (every run must print the same stdout and exit code on
# all of them, or the script fails and writes nothing for that guest):
#   * V8 through node's WASI (node >= 20), via the project's runner script,
#     on its default tiering, on Liftoff only and on TurboFan only;
#   * wasmtime (the peers' wasmtime-run) on Cranelift and on Pulley, its
#     interpreter. Skipped with a note in the header if wasmtime-run is
#     missing (install it with ../shared/tools/install-peers.sh).
#
# usage: benches/guests/record-expected.sh [GUEST...]   # default: every guest but bigc
#   NODE_WASI_RUN=path/to/node-wasi-run.mjs   (default ../shared/tools/peers/)
#   WASMTIME_RUN=path/to/wasmtime-run         (default ~/.cache/zerowasm-peers/bin/)
#
# bigc is recorded only when named (its file predates the wasmtime checks).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner="${NODE_WASI_RUN:-$here/../../../shared/tools/peers/node-wasi-run.mjs}"
wasmtime_run="${WASMTIME_RUN:-$HOME/.cache/zerowasm-peers/bin/wasmtime-run}"

# Argument lists to record per guest, one per element ("" = no arguments,
# i.e. the default size that the benchmarks time).
runs_for() {
  case "$1" in
    bigc) runs=("" "1" "10" "3 bits") ;;
    *) runs=("" "1") ;;
  esac
}

if [ $# -gt 0 ]; then
  guests=("$@")
else
  guests=()
  for dir in "$here"/*/; do
    name="$(basename "$dir")"
    case "$name" in bigc | kernels) continue ;; esac
    [ -f "$dir$name.wasm" ] && guests+=("$name")
  done
fi

have_wasmtime=0
wasmtime_version="?"
if [ -x "$wasmtime_run" ]; then
  have_wasmtime=1
  # wasmtime-run is the PyPI package's bundled libwasmtime, in the peers' venv.
  py="$(dirname "$wasmtime_run")/../venv/bin/python"
  wasmtime_version="$("$py" -c 'import importlib.metadata as m; print(m.version("wasmtime"))' 2>/dev/null || echo "?")"
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp" "$tmp".*' EXIT

for guest in "${guests[@]}"; do
  wasm="$here/$guest/$guest.wasm"
  out="$here/$guest/EXPECTED.txt"
  [ -f "$wasm" ] || { echo "record-expected.sh: no $wasm" >&2; exit 1; }
  runs_for "$guest"
  {
    echo "# Expected output of $guest.wasm (see ../record-expected.sh). One block per run:"
    echo "#   args: <arguments after the module name, space separated; empty = none>"
    echo "#   exit: <WASI exit code>"
    echo "#   stdout:"
    echo "#   <stdout lines, verbatim>"
    echo "#   end"
    echo "# argv[0] is \"$guest.wasm\"; no files, environment or stdin are used."
    echo "# Recorded with node $(node --version) (V8 $(node -p process.versions.v8)) WASI preview1;"
    echo "# identical under --liftoff-only and --no-liftoff (both eager)."
    if [ $have_wasmtime = 1 ]; then
      echo "# Identical on wasmtime $wasmtime_version (wasmtime-run) with Cranelift and with Pulley."
    else
      echo "# (wasmtime-run was not installed: not cross-checked on wasmtime.)"
    fi
    echo "# $guest.wasm sha256: $(sha256sum "$wasm" | cut -d' ' -f1)"
    # checked by benches/tests/guests.rs, so a rebuilt module with a stale file fails
    echo "module-bytes: $(wc -c < "$wasm")"
  } > "$tmp"

  cd "$here/$guest"
  for args in "${runs[@]}"; do
    echo "record-expected.sh: $guest ${args:-(default)}" >&2
    # shellcheck disable=SC2086 # word splitting of $args is intended
    set +e
    node --no-warnings "$runner" "$guest.wasm" $args > "$tmp.default"
    code=$?
    node --no-warnings --liftoff-only --no-wasm-lazy-compilation "$runner" "$guest.wasm" $args > "$tmp.liftoff"
    c1=$?
    node --no-warnings --no-liftoff --no-wasm-lazy-compilation "$runner" "$guest.wasm" $args > "$tmp.turbofan"
    c2=$?
    c3=$code c4=$code
    if [ $have_wasmtime = 1 ]; then
      # --time: compile/run seconds go to stderr, for the record of the runner
      "$wasmtime_run" --time "$guest.wasm" $args > "$tmp.cranelift"
      c3=$?
      "$wasmtime_run" --time --pulley "$guest.wasm" $args > "$tmp.pulley"
      c4=$?
    else
      cp "$tmp.default" "$tmp.cranelift"
      cp "$tmp.default" "$tmp.pulley"
    fi
    set -e
    for other in liftoff turbofan cranelift pulley; do
      if ! cmp -s "$tmp.default" "$tmp.$other"; then
        echo "record-expected.sh: $guest: node and $other disagree for args '$args'" >&2
        diff "$tmp.default" "$tmp.$other" >&2 || true
        exit 1
      fi
    done
    if [ "$code" != "$c1" ] || [ "$code" != "$c2" ] || [ "$code" != "$c3" ] || [ "$code" != "$c4" ]; then
      echo "record-expected.sh: $guest: exit codes differ for args '$args': $code $c1 $c2 $c3 $c4" >&2
      exit 1
    fi
    {
      echo
      echo "args:${args:+ $args}"
      echo "exit: $code"
      echo "stdout:"
      cat "$tmp.default"
      echo "end"
    } >> "$tmp"
  done
  cp "$tmp" "$out"
  echo "record-expected.sh: wrote $out" >&2
done
