/*
 * crc.c - table-driven checksums: CRC-32 (byte-wise and slicing-by-4),
 * CRC-16/CCITT, Adler-32 and a Fletcher variant. The byte-wise and
 * sliced CRC must agree on every buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

static uint32_t crc_table[4][256];
static uint16_t crc16_table[256];
static int tables_ready;

static void build_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = crc_table[0][i];
        for (int t = 1; t < 4; t++) {
            c = crc_table[0][c & 0xff] ^ (c >> 8);
            crc_table[t][i] = c;
        }
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint16_t c = (uint16_t)(i << 8);
        for (int k = 0; k < 8; k++)
            c = (c & 0x8000) ? (uint16_t)((c << 1) ^ 0x1021) : (uint16_t)(c << 1);
        crc16_table[i] = c;
    }
    tables_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
    if (!tables_ready)
        build_tables();
    const uint8_t *p = data;
    crc = ~crc;
    while (len--)
        crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t crc32_slice4(uint32_t crc, const void *data, size_t len)
{
    if (!tables_ready)
        build_tables();
    const uint8_t *p = data;
    crc = ~crc;
    while (len >= 4) {
        uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        crc ^= w;
        crc = crc_table[3][crc & 0xff] ^ crc_table[2][(crc >> 8) & 0xff] ^ crc_table[1][(crc >> 16) & 0xff] ^
              crc_table[0][crc >> 24];
        p += 4;
        len -= 4;
    }
    while (len--)
        crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint16_t crc16_ccitt(const uint8_t *p, size_t len)
{
    uint16_t crc = 0xffff;
    while (len--)
        crc = (uint16_t)((crc << 8) ^ crc16_table[((crc >> 8) ^ *p++) & 0xff]);
    return crc;
}

static uint32_t adler32(const uint8_t *p, size_t len)
{
    const uint32_t mod = 65521;
    uint32_t a = 1, b = 0;
    while (len) {
        /* defer the modulo: 5552 is the largest n keeping b below 2^32 */
        size_t n = len < 5552 ? len : 5552;
        len -= n;
        while (n--) {
            a += *p++;
            b += a;
        }
        a %= mod;
        b %= mod;
    }
    return b << 16 | a;
}

static uint32_t fletcher32(const uint8_t *p, size_t len)
{
    uint32_t s1 = 0xffff, s2 = 0xffff;
    size_t words = len / 2;
    while (words) {
        size_t n = words > 359 ? 359 : words;
        words -= n;
        while (n--) {
            s1 += (uint32_t)p[0] << 8 | p[1];
            s2 += s1;
            p += 2;
        }
        s1 = (s1 & 0xffff) + (s1 >> 16);
        s2 = (s2 & 0xffff) + (s2 >> 16);
    }
    if (len & 1) {
        s1 += (uint32_t)*p << 8;
        s2 += s1;
    }
    s1 = (s1 & 0xffff) + (s1 >> 16);
    s2 = (s2 & 0xffff) + (s2 >> 16);
    return s2 << 16 | s1;
}

uint64_t bench_crc(int scale)
{
    digest_t d;
    dg_init(&d);
    check(&d, crc32_update(0, "123456789", 9) == 0xcbf43926u, "crc: CRC-32 check value");
    check(&d, crc16_ccitt((const uint8_t *)"123456789", 9) == 0x29b1, "crc: CRC-16/CCITT check value");
    check(&d, adler32((const uint8_t *)"Wikipedia", 9) == 0x11e60398u, "crc: Adler-32 check value");

    size_t n = 65536;
    uint8_t *buf = xmalloc(n);
    rng_t r;
    rng_seed(&r, 77);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(rng_u32(&r) >> 5);

    uint32_t mismatches = 0;
    uint32_t acc = 0;
    for (int round = 0; round < 4 * scale; round++) {
        /* unaligned starts and ragged lengths */
        size_t start = (size_t)round % 7;
        size_t len = n - start - (size_t)(round % 13);
        uint32_t a = crc32_update(acc, buf + start, len);
        uint32_t b = crc32_slice4(acc, buf + start, len);
        mismatches += a != b;
        acc = a;
        dg_u64(&d, a);
        dg_u64(&d, crc16_ccitt(buf + start, len));
        dg_u64(&d, adler32(buf + start, len));
        dg_u64(&d, fletcher32(buf + start, len));
        buf[(size_t)round * 7919 % n] ^= (uint8_t)acc;
    }
    /* incremental CRC over pieces equals the one-shot CRC */
    uint32_t inc = 0;
    for (size_t off = 0; off < n; off += 1000)
        inc = crc32_update(inc, buf + off, off + 1000 <= n ? 1000 : n - off);
    mismatches += inc != crc32_update(0, buf, n);
    check(&d, mismatches == 0, "crc: byte-wise, sliced and incremental CRC agree");
    free(buf);
    return d.h;
}
