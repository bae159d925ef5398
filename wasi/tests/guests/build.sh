#!/bin/sh
# Rebuilds the guest programs (Debian's clang-16 and wasi-libc). The .wasm
# files are committed so tests need no C toolchain.
set -eu
cd "$(dirname "$0")"
for src in *.c; do
    clang-16 --target=wasm32-wasi -O2 -Wl,--strip-all -o "${src%.c}.wasm" "$src"
done
