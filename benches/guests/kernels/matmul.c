#include "kernels.h"
#define MAXN 256
static double a[MAXN * MAXN], b[MAXN * MAXN], c[MAXN * MAXN];
/* n x n double matrix product; returns a checksum of the result's bits. */
EXPORT("run") uint32_t run(uint32_t n) {
  if (n > MAXN) n = MAXN;
  for (uint32_t i = 0; i < n * n; i++) {
    a[i] = (double)(i % 17) * 0.25 - 1.0;
    b[i] = (double)(i % 13) * 0.5 + 0.125;
    c[i] = 0.0;
  }
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (uint32_t j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < n * n; i++) {
    uint64_t bits;
    __builtin_memcpy(&bits, &c[i], 8);
    h = (h ^ bits) * 1099511628211ull;
  }
  return (uint32_t)(h ^ (h >> 32));
}
START(200, 4261060246u)
