/*
 * common.h - shared helpers for the bigc benchmark guest.
 *
 * Every kernel returns a 64-bit digest of everything it computed, so a
 * miscompiled instruction anywhere shows up in the final checksum. Nothing
 * here depends on pointer values, the host, or time: the output is a pure
 * function of the scale argument.
 */
#ifndef BIGC_COMMON_H
#define BIGC_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* ---- digest ------------------------------------------------------------ */

/* A running 64-bit digest. Order-sensitive: folding a then b differs from b then a. */
typedef struct {
    uint64_t h;
} digest_t;

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    x ^= x >> 33;
    return x;
}

static inline void dg_init(digest_t *d) { d->h = 0x243f6a8885a308d3ULL; }

static inline void dg_u64(digest_t *d, uint64_t v)
{
    d->h = mix64(d->h ^ v) + 0x6a09e667f3bcc909ULL;
}

static inline void dg_i64(digest_t *d, int64_t v) { dg_u64(d, (uint64_t)v); }

void dg_bytes(digest_t *d, const void *data, size_t len);
void dg_str(digest_t *d, const char *s);
void dg_f64(digest_t *d, double v);
void dg_f32(digest_t *d, float v);

/* ---- self checks -------------------------------------------------------- */

/*
 * Records the outcome of a kernel's internal consistency check (two
 * algorithms agreeing, a round trip, a known answer) and folds it into the
 * digest. A failure is also reported on stderr by name, and main() prints
 * the totals, so a wrong engine result points at the kernel that broke.
 */
void check(digest_t *d, int ok, const char *what);
extern unsigned checks_passed, checks_failed;

/* ---- deterministic pseudo random numbers ------------------------------- */

typedef struct {
    uint64_t s;
} rng_t;

static inline void rng_seed(rng_t *r, uint64_t seed) { r->s = seed ? seed : 0x1234567ULL; }

static inline uint64_t rng_u64(rng_t *r)
{
    /* xorshift with a multiplicative output scramble */
    uint64_t x = r->s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    r->s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static inline uint32_t rng_u32(rng_t *r) { return (uint32_t)(rng_u64(r) >> 32); }

/* uniform in [0, n) for n > 0 (slightly biased, which is fine here) */
static inline uint32_t rng_below(rng_t *r, uint32_t n) { return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32); }

/* uniform double in [0, 1) with 53 random bits */
static inline double rng_f64(rng_t *r) { return (double)(rng_u64(r) >> 11) * (1.0 / 9007199254740992.0); }

static inline float rng_f32(rng_t *r) { return (float)(rng_u32(r) >> 8) * (1.0f / 16777216.0f); }

/* ---- allocation that never returns NULL -------------------------------- */

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* ---- a growable byte buffer --------------------------------------------- */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} strbuf_t;

void sb_init(strbuf_t *sb);
void sb_free(strbuf_t *sb);
void sb_putc(strbuf_t *sb, char c);
void sb_puts(strbuf_t *sb, const char *s);
void sb_write(strbuf_t *sb, const void *p, size_t n);
void sb_printf(strbuf_t *sb, const char *fmt, ...);

/* ---- the kernels (one per source file) --------------------------------- */

uint64_t bench_interp(int scale);
uint64_t bench_hashtab(int scale);
uint64_t bench_json(int scale);
uint64_t bench_sha256(int scale);
uint64_t bench_crc(int scale);
uint64_t bench_sort(int scale);
uint64_t bench_strsearch(int scale);
uint64_t bench_matrix(int scale);
uint64_t bench_bits(int scale);
uint64_t bench_tree(int scale);
uint64_t bench_dispatch(int scale);
uint64_t bench_bignum(int scale);
uint64_t bench_lz(int scale);

/* exposed for cross-checks between kernels */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);
void sha256_digest(const void *data, size_t len, uint8_t out[32]);

#endif
