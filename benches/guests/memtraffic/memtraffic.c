/* memtraffic: byte, halfword, word and doubleword loads and stores.
 *
 * Over a 1 MiB working buffer: a byte histogram, a byte-wise substitution
 * pass, 16-bit prefix sums, 32-bit strided read-modify-write, 64-bit
 * unaligned loads (memcpy into a register), a pointer chase through a
 * random cyclic permutation (dependent word loads), and a byte-granular
 * run-length scan. Every pass depends on the previous one.
 *
 * usage: memtraffic.wasm [ROUNDS]   (default 140) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTES (1u << 20)
#define WORDS (BYTES / 4)

static uint8_t buf[BYTES];
static uint32_t perm[WORDS];
static uint8_t sbox[256];

static uint64_t state = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

__attribute__((noinline)) static uint64_t histogram(void) {
  uint32_t counts[256] = {0};
  for (uint32_t i = 0; i < BYTES; i++) counts[buf[i]]++;
  uint64_t h = 0;
  for (int i = 0; i < 256; i++) h = h * 31 + counts[i];
  return h;
}

__attribute__((noinline)) static void substitute(uint8_t key) {
  for (uint32_t i = 0; i < BYTES; i++) buf[i] = sbox[(uint8_t)(buf[i] ^ key)] + (uint8_t)i;
}

__attribute__((noinline)) static uint64_t prefix16(void) {
  uint16_t *h = (uint16_t *)buf;
  uint16_t acc = 0;
  for (uint32_t i = 0; i < BYTES / 2; i++) {
    acc = (uint16_t)(acc + h[i]);
    h[i] = acc;
  }
  return acc;
}

__attribute__((noinline)) static uint64_t strided32(uint32_t stride) {
  uint32_t *w = (uint32_t *)buf;
  uint64_t sum = 0;
  for (uint32_t start = 0; start < stride; start++)
    for (uint32_t i = start; i < WORDS; i += stride) {
      uint32_t v = w[i];
      sum += v;
      w[i] = (v << 3 | v >> 29) ^ (uint32_t)sum;
    }
  return sum;
}

__attribute__((noinline)) static uint64_t unaligned64(void) {
  uint64_t h = 0;
  for (uint32_t i = 0; i + 8 <= BYTES; i += 7) {
    uint64_t v;
    memcpy(&v, buf + i, 8);
    h = (h ^ v) * 0x100000001b3ull;
  }
  return h;
}

__attribute__((noinline)) static uint64_t chase(uint32_t steps, uint32_t start) {
  uint32_t p = start % WORDS;
  uint64_t sum = 0;
  for (uint32_t i = 0; i < steps; i++) {
    p = perm[p];
    sum += p ^ buf[p];
  }
  return sum + p;
}

__attribute__((noinline)) static uint64_t runs(void) {
  uint64_t n = 0, longest = 0, cur = 1;
  for (uint32_t i = 1; i < BYTES; i++) {
    if ((buf[i] & 0xf0) == (buf[i - 1] & 0xf0)) {
      cur++;
    } else {
      n++;
      if (cur > longest) longest = cur;
      cur = 1;
    }
  }
  return n << 16 | longest;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 140;
  for (uint32_t i = 0; i < BYTES; i += 8) {
    uint64_t v = next();
    memcpy(buf + i, &v, 8);
  }
  for (int i = 0; i < 256; i++) sbox[i] = (uint8_t)i;
  for (int i = 255; i > 0; i--) {
    int j = (int)(next() % (uint64_t)(i + 1));
    uint8_t t = sbox[i]; sbox[i] = sbox[j]; sbox[j] = t;
  }
  /* Sattolo's algorithm: a single cycle through every word index. */
  for (uint32_t i = 0; i < WORDS; i++) perm[i] = i;
  for (uint32_t i = WORDS - 1; i > 0; i--) {
    uint32_t j = (uint32_t)(next() % i);
    uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  uint64_t h[6] = {0};
  for (long r = 0; r < rounds; r++) {
    substitute((uint8_t)r);
    h[0] = mix(h[0], histogram());
    h[1] = mix(h[1], prefix16());
    h[2] = mix(h[2], strided32(3 + (uint32_t)(r % 13)));
    h[3] = mix(h[3], unaligned64());
    h[4] = mix(h[4], chase(WORDS, (uint32_t)h[3]));
    h[5] = mix(h[5], runs());
  }
  static const char *names[6] = {"histogram", "prefix16", "strided32", "unaligned64", "chase", "runs"};
  uint64_t all = 0;
  for (int i = 0; i < 6; i++) {
    printf("%-11s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return 0;
}
