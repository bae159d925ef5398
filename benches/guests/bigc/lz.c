/*
 * lz.c - a small LZ77 compressor with a hash-chain match finder, its
 * decompressor, and run-length coding. Round trips must reproduce the
 * input exactly. Heavy on memcpy/memset/memmove and byte loads.
 *
 * Format: a sequence of tokens. A control byte c:
 *   c < 0x80  : c + 1 literal bytes follow
 *   c >= 0x80 : match of length (c & 0x7f) + MIN_MATCH, then a 16-bit little
 *               endian distance (1..WINDOW)
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MIN_MATCH 4
#define MAX_MATCH (0x7f + MIN_MATCH)
#define WINDOW 65535
#define HASH_BITS 14
#define MAX_CHAIN 32

static uint32_t hash4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static size_t flush_literals(uint8_t *out, size_t o, const uint8_t *lit, size_t n)
{
    while (n) {
        size_t k = n > 128 ? 128 : n;
        out[o++] = (uint8_t)(k - 1);
        memcpy(out + o, lit, k);
        o += k;
        lit += k;
        n -= k;
    }
    return o;
}

/* out must hold n + n/128 + 16 bytes */
static size_t lz_compress(const uint8_t *in, size_t n, uint8_t *out)
{
    int32_t *head = xmalloc(((size_t)1 << HASH_BITS) * sizeof *head);
    int32_t *prev = xmalloc((n ? n : 1) * sizeof *prev);
    for (size_t i = 0; i < ((size_t)1 << HASH_BITS); i++)
        head[i] = -1;
    size_t o = 0, i = 0, lit_start = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        size_t best_len = 0, best_dist = 0;
        int32_t cand = head[h];
        for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
            size_t dist = i - (size_t)cand;
            if (dist > WINDOW)
                break;
            size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            size_t len = 0;
            while (len < max && in[(size_t)cand + len] == in[i + len])
                len++;
            if (len > best_len) {
                best_len = len;
                best_dist = dist;
                if (len == max)
                    break;
            }
            cand = prev[cand];
        }
        prev[i] = head[h];
        head[h] = (int32_t)i;
        if (best_len >= MIN_MATCH) {
            o = flush_literals(out, o, in + lit_start, i - lit_start);
            out[o++] = (uint8_t)(0x80 | (best_len - MIN_MATCH));
            out[o++] = (uint8_t)best_dist;
            out[o++] = (uint8_t)(best_dist >> 8);
            /* index the skipped positions too */
            for (size_t k = 1; k < best_len && i + k + MIN_MATCH <= n; k++) {
                uint32_t hk = hash4(in + i + k);
                prev[i + k] = head[hk];
                head[hk] = (int32_t)(i + k);
            }
            i += best_len;
            lit_start = i;
        } else {
            i++;
        }
    }
    o = flush_literals(out, o, in + lit_start, n - lit_start);
    free(head);
    free(prev);
    return o;
}

/* returns the decompressed size, or (size_t)-1 on corrupt input */
static size_t lz_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t c = in[i++];
        if (c < 0x80) {
            size_t k = (size_t)c + 1;
            if (i + k > n || o + k > cap)
                return (size_t)-1;
            memcpy(out + o, in + i, k);
            i += k;
            o += k;
        } else {
            if (i + 2 > n)
                return (size_t)-1;
            size_t len = (size_t)(c & 0x7f) + MIN_MATCH;
            size_t dist = (size_t)in[i] | (size_t)in[i + 1] << 8;
            i += 2;
            if (dist == 0 || dist > o || o + len > cap)
                return (size_t)-1;
            if (dist >= len) {
                memcpy(out + o, out + o - dist, len);
            } else {
                /* overlapping copy replicates the pattern */
                for (size_t k = 0; k < len; k++)
                    out[o + k] = out[o - dist + k];
            }
            o += len;
        }
    }
    return o;
}

/* run-length: (count, byte) pairs with count 1..255 */
static size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (i + run < n && run < 255 && in[i + run] == in[i])
            run++;
        out[o++] = (uint8_t)run;
        out[o++] = in[i];
        i += run;
    }
    return o;
}

static size_t rle_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        memset(out + o, in[i + 1], in[i]);
        o += in[i];
    }
    return o;
}

static void make_input(uint8_t *buf, size_t n, rng_t *r, int kind)
{
    static const char *const phrases[] = {
        "int main(void) {\n", "    return 0;\n", "}\n", "for (i = 0; i < n; i++)\n",
        "    sum += a[i] * b[i];\n", "#include <stdio.h>\n", "/* comment */\n", "        break;\n",
    };
    size_t i = 0;
    switch (kind) {
    case 0: /* text-like with repetition */
        while (i < n) {
            const char *p = phrases[rng_below(r, 8)];
            size_t len = strlen(p);
            if (len > n - i)
                len = n - i;
            memcpy(buf + i, p, len);
            i += len;
        }
        break;
    case 1: /* runs */
        while (i < n) {
            size_t run = 1 + rng_below(r, 40);
            if (run > n - i)
                run = n - i;
            memset(buf + i, 'A' + (int)rng_below(r, 4), run);
            i += run;
        }
        break;
    case 2: /* noise: incompressible */
        for (; i < n; i++)
            buf[i] = (uint8_t)rng_u32(r);
        break;
    default: /* short period patterns: overlapping matches */
        for (; i < n; i++)
            buf[i] = (uint8_t)("abcab"[i % 5] + (i / 4096) % 3);
        break;
    }
}

uint64_t bench_lz(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 0x1f2e3d4cULL);
    size_t n = 40000u * (size_t)scale;
    uint8_t *in = xmalloc(n);
    uint8_t *comp = xmalloc(2 * n + 64);
    uint8_t *back = xmalloc(n + 16);

    for (int kind = 0; kind < 4; kind++) {
        make_input(in, n, &r, kind);
        size_t cn = lz_compress(in, n, comp);
        memset(back, 0, n + 16);
        size_t dn = lz_decompress(comp, cn, back, n + 16);
        dg_u64(&d, cn);
        check(&d, dn == n && memcmp(in, back, n) == 0, "lz: LZ77 round trip");
        dg_u64(&d, crc32_update(0, comp, cn));

        size_t rn = rle_encode(in, n, comp);
        size_t rd = rle_decode(comp, rn, back);
        dg_u64(&d, rn);
        check(&d, rd == n && memcmp(in, back, n) == 0, "lz: run-length round trip");

        /* corrupting the stream must be detected or at least not overrun */
        if (cn > 10) {
            comp[cn / 2] ^= 0x55;
            size_t bad = lz_decompress(comp, cn, back, n + 16);
            dg_u64(&d, bad == (size_t)-1 ? 1 : 2);
        }
    }

    /* memmove with overlap in both directions */
    memmove(in + 1, in, n - 1);
    memmove(in, in + 3, n - 3);
    dg_u64(&d, crc32_update(0, in, n));
    free(in);
    free(comp);
    free(back);
    return d.h;
}
