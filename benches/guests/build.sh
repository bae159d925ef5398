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
# Every guest is built with exactly `clang-16 --target=wasm32-wasi -O2
# -mbulk-memory` (plus -msimd128 for simd/); see the per-guest flags below.
#
# The lua/ guest is the Lua 5.4 interpreter from the crates.io package
# lua-src (pinned below), driven by our lua/main.c. Its C sources are NOT
# committed: this script finds them in the cargo registry
# (~/.cargo/registry/src/*/lua-src-$LUA_SRC_VERSION/lua-5.4*/) and, if they are
# missing, fetches them with `cargo fetch` in a scratch crate that depends on
# lua-src (crates.io only; no other download).
#
# usage: benches/guests/build.sh [GUEST...]  # from anywhere; no argument = all
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang-16}"
CFLAGS=(--target=wasm32-wasi -O2 -mbulk-memory -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror)
# Debian builds wasi-libc with -g; its DWARF would be ~180 KB of custom sections that
# validators skip, which would dilute a validation benchmark. Keep the "name" section.
LDFLAGS=(-Wl,--strip-debug)

# Guests whose sources are not all ours, built by their own section below.
special=(kernels lua)
# Extra compiler flags per guest.
extra_flags() {
  case "$1" in
    simd) echo "-msimd128" ;;
    *) ;;
  esac
}
# Which guests to build (default: all).
wanted() {
  [ ${#selected[@]} -eq 0 ] && return 0
  local g
  for g in "${selected[@]}"; do [ "$g" = "$1" ] && return 0; done
  return 1
}
selected=("$@")

if ! command -v "$CC" >/dev/null; then
  echo "build.sh: $CC not found; apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32" >&2
  exit 1
fi

# One guest per directory: every .c file in it is linked into <dir>/<dir>.wasm.
for dir in "$here"/*/; do
  name="$(basename "$dir")"
  [[ " ${special[*]} " == *" $name "* ]] && continue
  wanted "$name" || continue
  shopt -s nullglob
  sources=("$dir"*.c)
  shopt -u nullglob
  [ ${#sources[@]} -gt 0 ] || continue
  out="$dir$name.wasm"
  echo "build.sh: $name: ${#sources[@]} sources -> ${out#"$here"/}"
  # shellcheck disable=SC2046 # extra_flags is a word list
  "$CC" "${CFLAGS[@]}" $(extra_flags "$name") "${sources[@]}" "${LDFLAGS[@]}" -lm -o "$out.tmp"
  mv "$out.tmp" "$out"
  ls -l "$out"
done

# Freestanding kernels: one module per .c file, no libc and no imports, so they
# run on an engine before WASI exists and on every peer (`_start` self-checks).
wanted kernels &&
for src in "$here"/kernels/*.c; do
  out="${src%.c}.wasm"
  echo "build.sh: kernels/$(basename "$src") -> ${out#"$here"/}"
  "$CC" --target=wasm32 -O2 -mbulk-memory -std=c11 -Wall -Wextra -Werror -nostdlib \
    -Wl,--no-entry -Wl,--strip-debug -o "$out.tmp" "$src"
  mv "$out.tmp" "$out"
done

# Lua 5.4 from the lua-src crate, with our main (lua/main.c) and two small
# headers (lua/include/) that replace setjmp-based error handling, which
# WASI lacks, and fix Lua's hash seed so the output is deterministic.
LUA_SRC_VERSION=551.1.0   # crates.io lua-src; ships lua-5.4.9
if wanted lua; then
  cargo_home="${CARGO_HOME:-$HOME/.cargo}"
  find_lua() {
    ls -d "$cargo_home"/registry/src/*/lua-src-"$LUA_SRC_VERSION"/lua-5.4* 2>/dev/null | head -n1 || true
  }
  lua_dir="$(find_lua)"
  if [ -z "$lua_dir" ]; then
    scratch="$(mktemp -d)"
    echo "build.sh: lua: fetching lua-src $LUA_SRC_VERSION from crates.io (cargo fetch in $scratch)"
    mkdir -p "$scratch/src"
    : > "$scratch/src/lib.rs"
    printf '[package]\nname = "fetch-lua-src"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nlua-src = "=%s"\n' \
      "$LUA_SRC_VERSION" > "$scratch/Cargo.toml"
    (cd "$scratch" && cargo fetch --quiet)
    rm -rf "$scratch"
    lua_dir="$(find_lua)"
  fi
  if [ -z "$lua_dir" ]; then
    echo "build.sh: lua: cannot find lua-src $LUA_SRC_VERSION sources under $cargo_home/registry/src" >&2
    exit 1
  fi
  # The Lua core and the libraries the script uses (no io, os, package, debug).
  lua_sources=()
  for f in lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser lstate \
           lstring ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib lmathlib lstrlib ltablib lutf8lib; do
    lua_sources+=("$lua_dir/$f.c")
  done
  out="$here/lua/lua.wasm"
  echo "build.sh: lua: ${#lua_sources[@]} sources from ${lua_dir#"$cargo_home"/} + lua/main.c -> lua/lua.wasm"
  # Third-party code: no -Wall/-Werror for it, our main.c is built with them.
  "$CC" --target=wasm32-wasi -O2 -mbulk-memory -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
    -I"$here/lua/include" -I"$lua_dir" -c "$here/lua/main.c" -o "$out.main.o"
  "$CC" --target=wasm32-wasi -O2 -mbulk-memory -std=c11 -D_DEFAULT_SOURCE -w \
    -I"$here/lua/include" -include "$here/lua/include/luawasi.h" -I"$lua_dir" \
    "${lua_sources[@]}" "$out.main.o" "${LDFLAGS[@]}" -lm -o "$out.tmp"
  rm -f "$out.main.o"
  mv "$out.tmp" "$out"
  ls -l "$out"
fi
