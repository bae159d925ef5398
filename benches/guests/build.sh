#!/usr/bin/env bash
# Rebuilds every benchmark guest .wasm from its C sources.
#
# The built modules are committed next to their sources, so tests and
# benches never need a C toolchain; run this only after changing a guest.
#
# Toolchain: Debian's packages, exactly
#   apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32
# (clang-16 finds wasi-libc's sysroot and the wasm32 compiler-rt builtins on
# its own; nothing else is configured.)
#
# usage: benches/guests/build.sh            # from anywhere
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang-16}"
CFLAGS=(--target=wasm32-wasi -O2 -mbulk-memory -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror)
# Debian builds wasi-libc with -g; its DWARF would be ~180 KB of custom sections that
# validators skip, which would dilute a validation benchmark. Keep the "name" section.
LDFLAGS=(-Wl,--strip-debug)

if ! command -v "$CC" >/dev/null; then
  echo "build.sh: $CC not found; apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32" >&2
  exit 1
fi

# One guest per directory: every .c file in it is linked into <dir>/<dir>.wasm.
for dir in "$here"/*/; do
  name="$(basename "$dir")"
  [ "$name" = kernels ] && continue
  shopt -s nullglob
  sources=("$dir"*.c)
  shopt -u nullglob
  [ ${#sources[@]} -gt 0 ] || continue
  out="$dir$name.wasm"
  echo "build.sh: $name: ${#sources[@]} sources -> ${out#"$here"/}"
  "$CC" "${CFLAGS[@]}" "${sources[@]}" "${LDFLAGS[@]}" -lm -o "$out.tmp"
  mv "$out.tmp" "$out"
  ls -l "$out"
done

# Freestanding kernels: one module per .c file, no libc and no imports, so they
# run on an engine before WASI exists and on every peer (`_start` self-checks).
for src in "$here"/kernels/*.c; do
  out="${src%.c}.wasm"
  echo "build.sh: kernels/$(basename "$src") -> ${out#"$here"/}"
  "$CC" --target=wasm32 -O2 -mbulk-memory -std=c11 -Wall -Wextra -Werror -nostdlib \
    -Wl,--no-entry -Wl,--strip-debug -o "$out.tmp" "$src"
  mv "$out.tmp" "$out"
done
