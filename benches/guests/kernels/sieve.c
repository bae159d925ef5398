#include "kernels.h"
static uint8_t composite[1 << 24];
/* Counts primes below n (n <= 2^24), repeated so small n still does work. */
EXPORT("run") uint32_t run(uint32_t n) {
  if (n > sizeof composite) n = sizeof composite;
  uint32_t count = 0;
  for (uint32_t round = 0; round < 8; round++) {
    __builtin_memset(composite, 0, n);
    count = 0;
    for (uint32_t i = 2; i < n; i++) {
      if (composite[i]) continue;
      count++;
      for (uint64_t j = (uint64_t)i * i; j < n; j += i) composite[j] = 1;
    }
  }
  return count;
}
START(4000000, 283146u)
