/* crc: table-driven checksums.
 *
 * CRC-32 (reflected, polynomial 0xEDB88320) one byte per step and
 * eight bytes per step (eight 256-entry tables), CRC-64 (reflected
 * ECMA-182 polynomial) with a 64-bit table, and CRC-16/CCITT (MSB-first)
 * with a 16-bit table. All tables are computed at start-up. The byte-wise
 * and sliced CRC-32 must agree.
 *
 * usage: crc.wasm [MEBIBYTES]   (default 96) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t t32[8][256];
static uint64_t t64[256];
static uint16_t t16[256];

static void make_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
    t32[0][i] = c;
    uint64_t d = i;
    for (int k = 0; k < 8; k++) d = d & 1 ? (d >> 1) ^ 0xc96c5795d7870f42ull : d >> 1;
    t64[i] = d;
    uint16_t e = (uint16_t)(i << 8);
    for (int k = 0; k < 8; k++) e = e & 0x8000 ? (uint16_t)(e << 1 ^ 0x1021) : (uint16_t)(e << 1);
    t16[i] = e;
  }
  for (int s = 1; s < 8; s++)
    for (int i = 0; i < 256; i++) t32[s][i] = (t32[s - 1][i] >> 8) ^ t32[0][t32[s - 1][i] & 0xff];
}

__attribute__((noinline)) static uint32_t crc32_bytes(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = (crc >> 8) ^ t32[0][(crc ^ p[i]) & 0xff];
  return ~crc;
}

__attribute__((noinline)) static uint32_t crc32_slice8(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint32_t lo, hi;
    memcpy(&lo, p + i, 4);
    memcpy(&hi, p + i + 4, 4);
    lo ^= crc;
    crc = t32[7][lo & 0xff] ^ t32[6][lo >> 8 & 0xff] ^ t32[5][lo >> 16 & 0xff] ^ t32[4][lo >> 24] ^
          t32[3][hi & 0xff] ^ t32[2][hi >> 8 & 0xff] ^ t32[1][hi >> 16 & 0xff] ^ t32[0][hi >> 24];
  }
  for (; i < n; i++) crc = (crc >> 8) ^ t32[0][(crc ^ p[i]) & 0xff];
  return ~crc;
}

__attribute__((noinline)) static uint64_t crc64(uint64_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = (crc >> 8) ^ t64[(crc ^ p[i]) & 0xff];
  return ~crc;
}

__attribute__((noinline)) static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) crc = (uint16_t)(crc << 8) ^ t16[(crc >> 8 ^ p[i]) & 0xff];
  return crc;
}

#define CHUNK (1u << 16)
static uint8_t data[CHUNK + 64];

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 96;
  make_tables();
  /* Known answers for "123456789". */
  const uint8_t *check = (const uint8_t *)"123456789";
  int failures = 0;
  if (crc32_bytes(0, check, 9) != 0xcbf43926u) failures++;
  if (crc32_slice8(0, check, 9) != 0xcbf43926u) failures++;
  if (crc64(0, check, 9) != 0x995dc9bbdf1939faull) failures++;
  if (crc16(0xffff, check, 9) != 0x29b1) failures++;

  uint64_t s = 0x9e3779b97f4a7c15ull;
  uint32_t a = 0, b = 0;
  uint64_t c = 0;
  uint16_t d = 0xffff;
  long chunks = mib * (long)((1u << 20) / CHUNK);
  for (long k = 0; k < chunks; k++) {
    for (size_t i = 0; i < sizeof data; i++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      data[i] = (uint8_t)(s >> 56);
    }
    size_t off = (size_t)k & 7, n = CHUNK - (size_t)(k % 5);  /* vary alignment and length */
    a = crc32_bytes(a, data + off, n);
    b = crc32_slice8(b, data + off, n);
    c = crc64(c, data + off, n);
    d = crc16(d, data + off, n);
  }
  if (a != b) failures++;
  printf("crc32    %08x\n", a);
  printf("crc32x8  %08x\n", b);
  printf("crc64    %016llx\n", (unsigned long long)c);
  printf("crc16    %04x\n", d);
  printf("check failures %d\n", failures);
  uint64_t all = ((uint64_t)a << 32 | d) ^ c;
  printf("mib %ld checksum %016llx\n", mib, (unsigned long long)all);
  return failures != 0;
}
