/* recursion: deep and wide recursive calls.
 *
 * Naive Fibonacci (two calls per frame, tiny bodies), Takeuchi's function
 * (three-way mutual argument recursion), Ackermann (deep, narrow stacks),
 * N-queens by backtracking (recursion with a loop and locals across calls)
 * and a recursive merge-free partition count.
 *
 * usage: recursion.wasm [ROUNDS]   (default 18) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static int tak(int x, int y, int z) {
  if (y >= x) return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

/* Backtracking over column/diagonal bitmasks. */
__attribute__((noinline)) static uint32_t queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2) {
  if (row == n) return 1;
  uint32_t count = 0;
  uint32_t free = ~(cols | d1 | d2) & ((1u << n) - 1);
  while (free) {
    uint32_t bit = free & -free;
    free ^= bit;
    count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
  return count;
}

/* Number of partitions of n into parts no larger than k, by plain recursion. */
__attribute__((noinline)) static uint64_t partitions(int n, int k) {
  if (n == 0) return 1;
  if (n < 0 || k == 0) return 0;
  return partitions(n - k, k) + partitions(n, k - 1);
}

/* Recursive sum over an implicit binary tree with a data-dependent shape. */
__attribute__((noinline)) static uint64_t walk(uint64_t seed, int depth) {
  if (depth == 0) return seed & 0xffff;
  uint64_t s = seed * 6364136223846793005ull + 1442695040888963407ull;
  uint64_t r = walk(s, depth - 1);
  if (s >> 62) r += walk(s ^ (s >> 29), depth - 1);
  return r ^ (uint64_t)depth;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 18;
  uint64_t h_fib = 0, h_tak = 0, h_ack = 0, h_q = 0, h_part = 0, h_walk = 0;
  for (long r = 0; r < rounds; r++) {
    int v = (int)(r & 3);
    h_fib = mix(h_fib, fib(27 + (uint32_t)(v & 1)));
    h_tak = mix(h_tak, (uint64_t)tak(18 + v, 12, 6));
    h_ack = mix(h_ack, ack(2, 2000 + (uint32_t)v) + ack(3, 6));
    h_q = mix(h_q, queens(9 + (v & 1), 0, 0, 0, 0));
    h_part = mix(h_part, partitions(60 + v, 30));
    h_walk = mix(h_walk, walk((uint64_t)r + 1, 18));
  }
  printf("fib        %016llx\n", (unsigned long long)h_fib);
  printf("tak        %016llx\n", (unsigned long long)h_tak);
  printf("ackermann  %016llx\n", (unsigned long long)h_ack);
  printf("queens     %016llx\n", (unsigned long long)h_q);
  printf("partitions %016llx\n", (unsigned long long)h_part);
  printf("walk       %016llx\n", (unsigned long long)h_walk);
  uint64_t all = mix(mix(mix(mix(mix(mix(0, h_fib), h_tak), h_ack), h_q), h_part), h_walk);
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return 0;
}
