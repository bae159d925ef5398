#!/usr/bin/env bash
# Records the reference output of the bigc guest in bigc/EXPECTED.txt, for
# execution tests of zerowasm's engines.
#
# The reference engine is V8 through node's WASI (node >= 20), via the
# project's runner script. Every run is repeated on V8's baseline compiler
# (Liftoff) and its optimizing compiler (TurboFan), and the script fails
# unless all three agree.
#
# usage: benches/guests/record-expected.sh [path/to/node-wasi-run.mjs]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner="${1:-$here/../../../shared/tools/peers/node-wasi-run.mjs}"
wasm="$here/bigc/bigc.wasm"
out="$here/bigc/EXPECTED.txt"

# Argument lists to record, one per line ("" = no arguments).
runs=("" "1" "10" "3 bits")

tmp="$(mktemp)"
trap 'rm -f "$tmp" "$tmp".*' EXIT

{
  echo "# Expected output of bigc.wasm (see record-expected.sh). One block per run:"
  echo "#   args: <arguments after the module name, space separated; empty = none>"
  echo "#   exit: <WASI exit code>"
  echo "#   stdout:"
  echo "#   <stdout lines, verbatim>"
  echo "#   end"
  echo "# argv[0] is \"bigc.wasm\"; no files, environment or stdin are used."
  echo "# Recorded with node $(node --version) (V8 $(node -p process.versions.v8)) WASI preview1;"
  echo "# identical under --liftoff-only and --no-liftoff (both eager)."
  echo "# bigc.wasm sha256: $(sha256sum "$wasm" | cut -d' ' -f1)"
  # checked by benches/tests/guests.rs, so a rebuilt module with a stale file fails
  echo "module-bytes: $(wc -c < "$wasm")"
} > "$tmp"

cd "$here/bigc"
for args in "${runs[@]}"; do
  # shellcheck disable=SC2086 # word splitting of $args is intended
  set +e
  node --no-warnings "$runner" bigc.wasm $args > "$tmp.default"
  code=$?
  node --no-warnings --liftoff-only --no-wasm-lazy-compilation "$runner" bigc.wasm $args > "$tmp.liftoff"
  node --no-warnings --no-liftoff --no-wasm-lazy-compilation "$runner" bigc.wasm $args > "$tmp.turbofan"
  set -e
  if ! cmp -s "$tmp.default" "$tmp.liftoff" || ! cmp -s "$tmp.default" "$tmp.turbofan"; then
    echo "record-expected.sh: V8 tiers disagree for args '$args'" >&2
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
mv "$tmp" "$out"
trap - EXIT
rm -f "$tmp".*
echo "record-expected.sh: wrote $out"
