/* Freestanding benchmark kernels: no libc, no imports, so the same module runs
 * on zerowasm before WASI exists and on every peer runtime.
 *   run(n)   -> checksum   for criterion (size chosen by the bench)
 *   _start() -> traps unless run(DEFAULT_N) == EXPECTED   for compare.sh */
#include <stdint.h>
#define EXPORT(name) __attribute__((export_name(name)))
#define START(default_n, expected)                                            \
  EXPORT("_start") void start(void) {                                         \
    if (run(default_n) != (expected)) __builtin_trap();                       \
  }
