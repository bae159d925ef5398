/* bits: i32 and i64 bit manipulation.
 *
 * A 32-bit ARX stream cipher block function (ChaCha-style quarter rounds:
 * add, xor, rotate), a 64-bit ARX block cipher (Speck-style rounds with a
 * key schedule, encrypting in CTR mode and decrypting back), a 64-bit
 * multiply-xorshift hash over a byte stream, and a mix of popcount, clz,
 * ctz, byte swaps and bit reversal.
 *
 * usage: bits.wasm [ROUNDS]   (default 400) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

static inline uint32_t rotl32(uint32_t x, int r) { return x << r | x >> (32 - r); }
static inline uint64_t rotl64(uint64_t x, int r) { return x << r | x >> (64 - r); }
static inline uint64_t rotr64(uint64_t x, int r) { return x >> r | x << (64 - r); }

/* ---- 32-bit ARX block function ---- */
#define QR(a, b, c, d)                                \
  a += b; d ^= a; d = rotl32(d, 16);                  \
  c += d; b ^= c; b = rotl32(b, 12);                  \
  a += b; d ^= a; d = rotl32(d, 8);                   \
  c += d; b ^= c; b = rotl32(b, 7)

__attribute__((noinline)) static void arx_block(uint32_t out[16], const uint32_t in[16]) {
  uint32_t x[16];
  memcpy(x, in, sizeof x);
  for (int i = 0; i < 10; i++) {
    QR(x[0], x[4], x[8], x[12]); QR(x[1], x[5], x[9], x[13]);
    QR(x[2], x[6], x[10], x[14]); QR(x[3], x[7], x[11], x[15]);
    QR(x[0], x[5], x[10], x[15]); QR(x[1], x[6], x[11], x[12]);
    QR(x[2], x[7], x[8], x[13]); QR(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; i++) out[i] = x[i] + in[i];
}

__attribute__((noinline)) static uint64_t stream32(uint32_t blocks, uint32_t nonce) {
  uint32_t st[16], ks[16];
  for (int i = 0; i < 16; i++) st[i] = 0x61707865u * (uint32_t)(i + 1) ^ nonce;
  uint64_t h = 0;
  for (uint32_t b = 0; b < blocks; b++) {
    st[12] = b;
    arx_block(ks, st);
    for (int i = 0; i < 16; i++) h = (h ^ ks[i]) * 0x100000001b3ull;
  }
  return h;
}

/* ---- 64-bit ARX block cipher, 32 rounds ---- */
#define SROUNDS 32
struct key64 { uint64_t rk[SROUNDS]; };

static void key_schedule(struct key64 *k, uint64_t k0, uint64_t k1) {
  for (int i = 0; i < SROUNDS; i++) {
    k->rk[i] = k0;
    k1 = (rotr64(k1, 8) + k0) ^ (uint64_t)i;
    k0 = rotl64(k0, 3) ^ k1;
  }
}
static inline void enc64(const struct key64 *k, uint64_t *x, uint64_t *y) {
  for (int i = 0; i < SROUNDS; i++) {
    *x = (rotr64(*x, 8) + *y) ^ k->rk[i];
    *y = rotl64(*y, 3) ^ *x;
  }
}
static inline void dec64(const struct key64 *k, uint64_t *x, uint64_t *y) {
  for (int i = SROUNDS - 1; i >= 0; i--) {
    *y = rotr64(*y ^ *x, 3);
    *x = rotl64((*x ^ k->rk[i]) - *y, 8);
  }
}

#define WORDS64 4096
static uint64_t plain[WORDS64], cipher[WORDS64];

__attribute__((noinline)) static uint64_t ctr64(uint64_t seed, int *bad) {
  struct key64 k;
  key_schedule(&k, seed, seed ^ 0x0123456789abcdefull);
  for (int i = 0; i < WORDS64; i++) plain[i] = seed * (uint64_t)(i + 1) ^ (uint64_t)i << 40;
  uint64_t h = 0;
  for (int i = 0; i < WORDS64; i += 2) {
    uint64_t x = (uint64_t)i, y = seed;
    enc64(&k, &x, &y);
    cipher[i] = plain[i] ^ x;
    cipher[i + 1] = plain[i + 1] ^ y;
    h = mix(h, cipher[i] ^ rotl64(cipher[i + 1], 17));
  }
  /* Decrypt a sample of counter blocks back to check the inverse. */
  for (int i = 0; i < WORDS64; i += 64) {
    uint64_t x = (uint64_t)i, y = seed;
    enc64(&k, &x, &y);
    dec64(&k, &x, &y);
    if (x != (uint64_t)i || y != seed) (*bad)++;
  }
  return h;
}

/* ---- 64-bit multiply-xorshift hash over bytes ---- */
static uint8_t bytes[1 << 16];
__attribute__((noinline)) static uint64_t hash64(const uint8_t *p, size_t n, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ull;
  uint64_t h = seed ^ (n * m);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t k;
    memcpy(&k, p + i, 8);
    k *= m; k ^= k >> 47; k *= m;
    h ^= k; h *= m;
  }
  for (; i < n; i++) h = (h ^ p[i]) * m;
  h ^= h >> 47; h *= m; h ^= h >> 47;
  return h;
}

/* ---- counting, scanning, swapping ---- */
static uint32_t rev32(uint32_t x) {
  x = (x >> 1 & 0x55555555u) | (x & 0x55555555u) << 1;
  x = (x >> 2 & 0x33333333u) | (x & 0x33333333u) << 2;
  x = (x >> 4 & 0x0f0f0f0fu) | (x & 0x0f0f0f0fu) << 4;
  return __builtin_bswap32(x);
}
__attribute__((noinline)) static uint64_t twiddle(uint32_t n, uint64_t s) {
  uint64_t acc = 0;
  for (uint32_t i = 0; i < n; i++) {
    s ^= s << 7; s ^= s >> 9;
    uint32_t lo = (uint32_t)s, hi = (uint32_t)(s >> 32);
    acc += (uint64_t)__builtin_popcountll(s) + (uint64_t)__builtin_clz(lo | 1) * 3 +
           (uint64_t)__builtin_ctzll(s | 1ull << 63) * 5;
    acc ^= __builtin_bswap64(acc) + rev32(hi);
    acc = rotl64(acc, (int)(lo & 63) | 1);
    acc += (uint64_t)(((int64_t)s >> 13) & 0xff) + (lo >> (hi & 31)) + ((uint64_t)lo * hi >> 32);
  }
  return acc;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 400;
  for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)(i * 131 + (i >> 7));
  uint64_t h[4] = {0};
  int bad = 0;
  for (long r = 0; r < rounds; r++) {
    h[0] = mix(h[0], stream32(2048, (uint32_t)r));
    h[1] = mix(h[1], ctr64(0x9e3779b97f4a7c15ull * (uint64_t)(r + 1), &bad));
    for (int k = 0; k < 16; k++) h[2] = mix(h[2], hash64(bytes + k, sizeof bytes - 16, h[2] + (uint64_t)r));
    h[3] = mix(h[3], twiddle(400000, (uint64_t)r * 0x2545f4914f6cdd1dull + 1));
  }
  static const char *names[4] = {"arx32", "ctr64", "hash64", "twiddle"};
  uint64_t all = 0;
  for (int i = 0; i < 4; i++) {
    printf("%-8s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("roundtrip failures %d\n", bad);
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return bad != 0;
}
