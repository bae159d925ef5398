/*
 * bits.c - 64-bit integer work: population counts, leading/trailing zeros,
 * rotations, bit reversal, Morton codes, Gray codes, 128-bit products,
 * modular exponentiation, deterministic Miller-Rabin, integer square roots,
 * signed and unsigned division, and sign extension from narrow types.
 * Portable loop versions are checked against the compiler builtins.
 */
#include <string.h>

#include "common.h"

static int popcount_loop(uint64_t x)
{
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static int popcount_swar(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

static int clz_loop(uint64_t x)
{
    if (!x)
        return 64;
    int n = 0;
    if (!(x >> 32)) { n += 32; x <<= 32; }
    if (!(x >> 48)) { n += 16; x <<= 16; }
    if (!(x >> 56)) { n += 8; x <<= 8; }
    if (!(x >> 60)) { n += 4; x <<= 4; }
    if (!(x >> 62)) { n += 2; x <<= 2; }
    if (!(x >> 63)) { n += 1; }
    return n;
}

static int ctz_loop(uint64_t x)
{
    if (!x)
        return 64;
    int n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}

static inline uint64_t rotl64(uint64_t x, unsigned r) { return (x << (r & 63)) | (x >> ((64 - r) & 63)); }
static inline uint32_t rotl32(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }

static uint64_t reverse_bits(uint64_t x)
{
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((x & 0x0f0f0f0f0f0f0f0fULL) << 4);
    x = ((x >> 8) & 0x00ff00ff00ff00ffULL) | ((x & 0x00ff00ff00ff00ffULL) << 8);
    x = ((x >> 16) & 0x0000ffff0000ffffULL) | ((x & 0x0000ffff0000ffffULL) << 16);
    return (x >> 32) | (x << 32);
}

static uint64_t bswap_manual(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) {
        r = (r << 8) | (x & 0xff);
        x >>= 8;
    }
    return r;
}

/* spreads the low 32 bits to the even positions */
static uint64_t spread_bits(uint32_t v)
{
    uint64_t x = v;
    x = (x | (x << 16)) & 0x0000ffff0000ffffULL;
    x = (x | (x << 8)) & 0x00ff00ff00ff00ffULL;
    x = (x | (x << 4)) & 0x0f0f0f0f0f0f0f0fULL;
    x = (x | (x << 2)) & 0x3333333333333333ULL;
    x = (x | (x << 1)) & 0x5555555555555555ULL;
    return x;
}

static uint32_t compact_bits(uint64_t x)
{
    x &= 0x5555555555555555ULL;
    x = (x | (x >> 1)) & 0x3333333333333333ULL;
    x = (x | (x >> 2)) & 0x0f0f0f0f0f0f0f0fULL;
    x = (x | (x >> 4)) & 0x00ff00ff00ff00ffULL;
    x = (x | (x >> 8)) & 0x0000ffff0000ffffULL;
    x = (x | (x >> 16)) & 0x00000000ffffffffULL;
    return (uint32_t)x;
}

static uint64_t morton(uint32_t x, uint32_t y) { return spread_bits(x) | (spread_bits(y) << 1); }

static uint64_t gray(uint64_t x) { return x ^ (x >> 1); }

static uint64_t gray_inverse(uint64_t g)
{
    for (unsigned s = 1; s < 64; s <<= 1)
        g ^= g >> s;
    return g;
}

/* high 64 bits of a 64x64 product, from 32-bit halves */
static uint64_t mulhi_manual(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static uint64_t mulhi_u128(uint64_t a, uint64_t b) { return (uint64_t)(((unsigned __int128)a * b) >> 64); }

/*
 * Montgomery arithmetic modulo an odd n, R = 2^64. (A 128-bit "%" would pull
 * in __umodti3, which Debian's wasm32 compiler-rt builds with a stack
 * protector that wasi-libc cannot satisfy; this is faster anyway.)
 */
struct mont {
    uint64_t n, ninv; /* n * ninv == -1 (mod 2^64) */
    uint64_t r1;      /* R mod n: Montgomery form of 1 */
    uint64_t r2;      /* R^2 mod n: converts into Montgomery form */
};

static uint64_t addmod(uint64_t a, uint64_t b, uint64_t n) { return a >= n - b ? a - (n - b) : a + b; }

static void mont_init(struct mont *m, uint64_t n)
{
    uint64_t inv = n; /* correct to 3 bits for odd n; each step doubles the bits */
    for (int i = 0; i < 5; i++)
        inv *= 2 - n * inv;
    m->n = n;
    m->ninv = 0 - inv;
    m->r1 = (0 - n) % n;
    uint64_t r2 = m->r1;
    for (int i = 0; i < 64; i++)
        r2 = addmod(r2, r2, n);
    m->r2 = r2;
}

/* a * b / R mod n for a, b < n */
static uint64_t mont_mul(const struct mont *m, uint64_t a, uint64_t b)
{
    uint64_t lo = a * b, hi = mulhi_u128(a, b);
    uint64_t q = lo * m->ninv;
    uint64_t qn_hi = mulhi_u128(q, m->n);
    /* lo + q*n is 0 mod 2^64; it carries exactly when lo != 0 */
    uint64_t carry = lo != 0;
    uint64_t t = hi + qn_hi;
    int over = t < hi;
    uint64_t t2 = t + carry;
    over |= t2 < t;
    if (over || t2 >= m->n)
        t2 -= m->n;
    return t2;
}

static uint64_t powmod(const struct mont *m, uint64_t base, uint64_t exp)
{
    uint64_t r = m->r1;
    uint64_t b = mont_mul(m, base % m->n, m->r2);
    while (exp) {
        if (exp & 1)
            r = mont_mul(m, r, b);
        b = mont_mul(m, b, b);
        exp >>= 1;
    }
    return r; /* still in Montgomery form */
}

/* deterministic for all 64-bit n with these witnesses */
static int is_prime_u64(uint64_t n)
{
    static const uint64_t witnesses[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return 0;
    for (size_t i = 0; i < sizeof witnesses / sizeof witnesses[0]; i++) {
        if (n == witnesses[i])
            return 1;
        if (n % witnesses[i] == 0)
            return 0;
    }
    struct mont m;
    mont_init(&m, n);
    uint64_t one = m.r1, minus_one = n - m.r1; /* Montgomery forms of 1 and n-1 */
    uint64_t dd = n - 1;
    int s = __builtin_ctzll(dd);
    dd >>= s;
    for (size_t i = 0; i < sizeof witnesses / sizeof witnesses[0]; i++) {
        uint64_t x = powmod(&m, witnesses[i], dd);
        if (x == one || x == minus_one)
            continue;
        int composite = 1;
        for (int r = 1; r < s; r++) {
            x = mont_mul(&m, x, x);
            if (x == minus_one) {
                composite = 0;
                break;
            }
        }
        if (composite)
            return 0;
    }
    return 1;
}

/* slow reference: trial division, for small n */
static int is_prime_trial(uint64_t n)
{
    if (n < 2)
        return 0;
    for (uint64_t p = 2; p * p <= n; p++)
        if (n % p == 0)
            return 0;
    return 1;
}

static uint64_t isqrt64(uint64_t n)
{
    /* bit by bit; no floating point */
    uint64_t res = 0, bit = 1ULL << 62;
    while (bit > n)
        bit >>= 2;
    while (bit) {
        if (n >= res + bit) {
            n -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return res;
}

static uint64_t gcd_binary(uint64_t a, uint64_t b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

/* a division-heavy mix over signed and unsigned, 32 and 64 bit */
static uint64_t division_mix(rng_t *r, int rounds)
{
    uint64_t acc = 0;
    for (int i = 0; i < rounds; i++) {
        /* one call per declarator: argument evaluation order is unspecified in C */
        uint64_t a = rng_u64(r), b = rng_u64(r);
        b >>= rng_u32(r) & 63;
        if (!b)
            b = 7;
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        if (sb == -1)
            sb = 3;
        uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b | 1;
        int32_t sa32 = (int32_t)a32, sb32 = (int32_t)b32;
        if (sb32 == -1)
            sb32 = 5;
        acc += a / b;
        acc ^= a % b;
        acc += (uint64_t)(sa / sb);
        acc ^= (uint64_t)(sa % sb);
        acc += a32 / b32 + (a32 % b32);
        acc ^= (uint64_t)(int64_t)(sa32 / sb32) + (uint64_t)(int64_t)(sa32 % sb32);
        acc = rotl64(acc, 7);
    }
    return acc;
}

/* sign extension from 8/16/32 bits and narrowing stores */
static uint64_t extend_mix(rng_t *r, int rounds)
{
    uint64_t acc = 0;
    uint8_t buf[16];
    for (int i = 0; i < rounds; i++) {
        uint64_t v = rng_u64(r);
        int8_t b8 = (int8_t)v;
        int16_t b16 = (int16_t)(v >> 8);
        int32_t b32 = (int32_t)(v >> 16);
        int64_t e = (int64_t)b8 + (int64_t)b16 * 3 + (int64_t)b32 * 5;
        acc += (uint64_t)e;
        memcpy(buf, &v, 8);
        memcpy(buf + 8, &acc, 8);
        int16_t u;
        memcpy(&u, buf + (i & 7) + 1, 2); /* unaligned load */
        acc ^= (uint64_t)(int64_t)u;
        acc ^= (uint64_t)(int64_t)(int8_t)buf[i & 15];
        acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
        /* comparisons producing booleans in both signednesses */
        acc += (uint64_t)(b32 < (int32_t)acc) + ((uint32_t)b32 < (uint32_t)acc) * 2u +
               ((int64_t)v < (int64_t)acc) * 4u + (v < acc) * 8u;
    }
    return acc;
}

uint64_t bench_bits(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 0xfeedfaceULL);
    uint32_t mismatches = 0;
    int rounds = 20000 * scale;
    uint64_t acc = 0;

    for (int i = 0; i < rounds; i++) {
        uint64_t x = rng_u64(&r);
        if (i % 5 == 0)
            x >>= rng_u32(&r) & 63; /* plenty of leading zeros */
        if (i % 7 == 0)
            x <<= rng_u32(&r) & 63; /* and trailing ones */
        int pc = __builtin_popcountll(x);
        mismatches += pc != popcount_loop(x);
        mismatches += pc != popcount_swar(x);
        int lz = x ? __builtin_clzll(x) : 64;
        int tz = x ? __builtin_ctzll(x) : 64;
        mismatches += lz != clz_loop(x);
        mismatches += tz != ctz_loop(x);
        mismatches += __builtin_bswap64(x) != bswap_manual(x);
        mismatches += reverse_bits(reverse_bits(x)) != x;
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        uint64_t mc = morton(lo, hi);
        mismatches += compact_bits(mc) != lo || compact_bits(mc >> 1) != hi;
        mismatches += gray_inverse(gray(x)) != x;
        uint64_t y = rng_u64(&r);
        mismatches += mulhi_manual(x, y) != mulhi_u128(x, y);
        acc += (uint64_t)pc + (uint64_t)lz * 64 + (uint64_t)tz * 4096;
        acc ^= rotl64(x, (unsigned)i) + rotl32(lo, (unsigned)i);
        acc += reverse_bits(x) >> 7;
        acc ^= mc;
        acc += x * y;
        acc ^= (uint64_t)((int64_t)x >> (i & 63));
    }
    check(&d, mismatches == 0, "bits: builtins equal portable versions");
    dg_u64(&d, acc);

    /* primes near powers of two and a pseudo random sample */
    uint64_t primes = 0, psum = 0;
    for (int k = 20; k < 64; k += 3) {
        uint64_t base = 1ULL << k;
        for (uint64_t n = base - 200; n < base; n++)
            if (is_prime_u64(n)) {
                primes++;
                psum ^= n;
            }
    }
    for (int i = 0; i < 300 * scale; i++) {
        uint64_t n = rng_u64(&r) | 1;
        if (is_prime_u64(n)) {
            primes++;
            psum += n;
        }
    }
    dg_u64(&d, primes);
    dg_u64(&d, psum);
    uint32_t disagree = 0;
    for (uint64_t n = 0; n < 3000; n++)
        disagree += is_prime_u64(n) != is_prime_trial(n);
    for (uint64_t n = 4294967000ULL; n < 4294967400ULL; n++)
        disagree += is_prime_u64(n) != is_prime_trial(n);
    check(&d, disagree == 0, "bits: Miller-Rabin agrees with trial division");
    /* 2^61 - 1 is prime, 2^61 + 1 is not */
    check(&d, is_prime_u64((1ULL << 61) - 1) && !is_prime_u64((1ULL << 61) + 1), "bits: Mersenne 2^61-1");

    uint64_t sq = 0;
    for (int i = 0; i < 2000 * scale; i++) {
        uint64_t n = rng_u64(&r) >> (i & 31);
        uint64_t s = isqrt64(n);
        /* s^2 <= n < (s+1)^2, written to avoid overflow */
        mismatches += s * s > n || (s + 1) <= n / (s + 1);
        sq += s;
        sq ^= gcd_binary(n, rng_u64(&r) >> 20);
    }
    dg_u64(&d, sq);
    check(&d, mismatches == 0, "bits: integer square roots are exact");
    dg_u64(&d, division_mix(&r, 5000 * scale));
    dg_u64(&d, extend_mix(&r, 5000 * scale));
    return d.h;
}
