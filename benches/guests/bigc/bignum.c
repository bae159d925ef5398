/*
 * bignum.c - arbitrary-precision unsigned integers on 32-bit limbs:
 * addition, subtraction, schoolbook and Karatsuba multiplication, division
 * by a small number, conversion to decimal, and some classic workloads
 * (factorials, Fibonacci by fast doubling, powers).
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

struct big {
    uint32_t *limb; /* little endian */
    size_t n;       /* used limbs; no leading zero limbs, zero has n == 0 */
    size_t cap;
};

static void big_init(struct big *b)
{
    b->limb = NULL;
    b->n = b->cap = 0;
}

static void big_free(struct big *b)
{
    free(b->limb);
    big_init(b);
}

static void big_reserve(struct big *b, size_t cap)
{
    if (cap <= b->cap)
        return;
    b->limb = xrealloc(b->limb, cap * sizeof *b->limb);
    b->cap = cap;
}

static void big_trim(struct big *b)
{
    while (b->n && b->limb[b->n - 1] == 0)
        b->n--;
}

static void big_set_u64(struct big *b, uint64_t v)
{
    big_reserve(b, 2);
    b->limb[0] = (uint32_t)v;
    b->limb[1] = (uint32_t)(v >> 32);
    b->n = 2;
    big_trim(b);
}

static void big_copy(struct big *dst, const struct big *src)
{
    big_reserve(dst, src->n);
    if (src->n)
        memcpy(dst->limb, src->limb, src->n * sizeof *src->limb);
    dst->n = src->n;
}

static int big_cmp(const struct big *a, const struct big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (size_t i = a->n; i-- > 0;)
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

/* r = a + b (r may alias either) */
static void big_add(struct big *r, const struct big *a, const struct big *b)
{
    if (a->n < b->n) {
        const struct big *t = a;
        a = b;
        b = t;
    }
    size_t an = a->n, bn = b->n;
    big_reserve(r, an + 1);
    uint64_t carry = 0;
    for (size_t i = 0; i < an; i++) {
        uint64_t s = (uint64_t)a->limb[i] + (i < bn ? b->limb[i] : 0) + carry;
        r->limb[i] = (uint32_t)s;
        carry = s >> 32;
    }
    r->limb[an] = (uint32_t)carry;
    r->n = an + 1;
    big_trim(r);
}

/* r = a - b, requires a >= b (r may alias a) */
static void big_sub(struct big *r, const struct big *a, const struct big *b)
{
    size_t an = a->n, bn = b->n;
    big_reserve(r, an);
    int64_t borrow = 0;
    for (size_t i = 0; i < an; i++) {
        int64_t s = (int64_t)a->limb[i] - (i < bn ? (int64_t)b->limb[i] : 0) - borrow;
        borrow = s < 0;
        r->limb[i] = (uint32_t)(s + (borrow << 32));
    }
    r->n = an;
    big_trim(r);
}

/* out[0..an+bn) = a * b on raw limb arrays */
static void mul_school(uint32_t *out, const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
    memset(out, 0, (an + bn) * sizeof *out);
    for (size_t i = 0; i < an; i++) {
        uint64_t carry = 0;
        uint64_t ai = a[i];
        for (size_t j = 0; j < bn; j++) {
            uint64_t t = ai * b[j] + out[i + j] + carry;
            out[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        out[i + bn] = (uint32_t)carry;
    }
}

/* adds src[0..n) into dst starting at dst[0], propagating the carry up to dst[len) */
static void limbs_add_into(uint32_t *dst, size_t len, const uint32_t *src, size_t n)
{
    uint64_t carry = 0;
    size_t i = 0;
    for (; i < n; i++) {
        uint64_t s = (uint64_t)dst[i] + src[i] + carry;
        dst[i] = (uint32_t)s;
        carry = s >> 32;
    }
    for (; carry && i < len; i++) {
        uint64_t s = (uint64_t)dst[i] + carry;
        dst[i] = (uint32_t)s;
        carry = s >> 32;
    }
}

static void limbs_sub_into(uint32_t *dst, size_t len, const uint32_t *src, size_t n)
{
    int64_t borrow = 0;
    size_t i = 0;
    for (; i < n; i++) {
        int64_t s = (int64_t)dst[i] - src[i] - borrow;
        borrow = s < 0;
        dst[i] = (uint32_t)(s + (borrow << 32));
    }
    for (; borrow && i < len; i++) {
        int64_t s = (int64_t)dst[i] - borrow;
        borrow = s < 0;
        dst[i] = (uint32_t)(s + (borrow << 32));
    }
}

/* Karatsuba for equal lengths n; out has 2n limbs */
static void mul_kara(uint32_t *out, const uint32_t *a, const uint32_t *b, size_t n)
{
    if (n < 24) {
        mul_school(out, a, n, b, n);
        return;
    }
    size_t h = n / 2, hh = n - h;
    /* z0 = alo*blo (2h limbs), z2 = ahi*bhi (2hh limbs) */
    mul_kara(out, a, b, h);
    uint32_t *z2 = xmalloc(2 * hh * sizeof *z2);
    if (h == hh)
        mul_kara(z2, a + h, b + h, hh);
    else
        mul_school(z2, a + h, hh, b + h, hh);
    /* sums of halves, hh + 1 limbs each */
    uint32_t *sa = xcalloc(hh + 1, sizeof *sa), *sb = xcalloc(hh + 1, sizeof *sb);
    memcpy(sa, a + h, hh * sizeof *sa);
    memcpy(sb, b + h, hh * sizeof *sb);
    limbs_add_into(sa, hh + 1, a, h);
    limbs_add_into(sb, hh + 1, b, h);
    uint32_t *z1 = xmalloc(2 * (hh + 1) * sizeof *z1);
    mul_school(z1, sa, hh + 1, sb, hh + 1);
    /* z1 -= z0 + z2 */
    limbs_sub_into(z1, 2 * (hh + 1), out, 2 * h);
    limbs_sub_into(z1, 2 * (hh + 1), z2, 2 * hh);
    memcpy(out + 2 * h, z2, 2 * hh * sizeof *z2);
    limbs_add_into(out + h, 2 * n - h, z1, 2 * (hh + 1) < 2 * n - h ? 2 * (hh + 1) : 2 * n - h);
    free(z2);
    free(sa);
    free(sb);
    free(z1);
}

static void big_mul(struct big *r, const struct big *a, const struct big *b, int karatsuba)
{
    if (!a->n || !b->n) {
        r->n = 0;
        return;
    }
    size_t n = a->n + b->n;
    uint32_t *out;
    if (karatsuba && a->n == b->n && a->n >= 24) {
        out = xmalloc(2 * a->n * sizeof *out);
        mul_kara(out, a->limb, b->limb, a->n);
    } else {
        out = xmalloc(n * sizeof *out);
        mul_school(out, a->limb, a->n, b->limb, b->n);
    }
    free(r->limb);
    r->limb = out;
    r->cap = n;
    r->n = n;
    big_trim(r);
}

static void big_mul_small(struct big *r, uint32_t m)
{
    big_reserve(r, r->n + 1);
    uint64_t carry = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint64_t t = (uint64_t)r->limb[i] * m + carry;
        r->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->limb[r->n] = (uint32_t)carry;
    r->n++;
    big_trim(r);
}

/* r /= d, returns the remainder */
static uint32_t big_div_small(struct big *r, uint32_t d)
{
    uint64_t rem = 0;
    for (size_t i = r->n; i-- > 0;) {
        uint64_t cur = rem << 32 | r->limb[i];
        r->limb[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    big_trim(r);
    return (uint32_t)rem;
}

/* decimal digits into a fresh string */
static char *big_to_dec(const struct big *b)
{
    struct big t;
    big_init(&t);
    big_copy(&t, b);
    size_t cap = b->n * 10 + 2;
    char *s = xmalloc(cap);
    size_t len = 0;
    if (!t.n)
        s[len++] = '0';
    while (t.n) {
        uint32_t chunk = big_div_small(&t, 1000000000u);
        for (int k = 0; k < 9; k++) {
            s[len++] = (char)('0' + chunk % 10);
            chunk /= 10;
            if (!t.n && !chunk)
                break;
        }
    }
    for (size_t i = 0; i < len / 2; i++) {
        char c = s[i];
        s[i] = s[len - 1 - i];
        s[len - 1 - i] = c;
    }
    s[len] = 0;
    big_free(&t);
    return s;
}

/* F(n) and F(n+1) by fast doubling */
static void fib(struct big *fn, struct big *fn1, unsigned n)
{
    struct big a, b, t1, t2;
    big_init(&a);
    big_init(&b);
    big_init(&t1);
    big_init(&t2);
    big_set_u64(&a, 0);
    big_set_u64(&b, 1);
    for (int bit = 31; bit >= 0; bit--) {
        /* c = a(2b - a), d = a^2 + b^2 */
        big_add(&t1, &b, &b);
        big_sub(&t1, &t1, &a);
        big_mul(&t1, &a, &t1, 1);
        big_mul(&t2, &a, &a, 1);
        big_mul(&a, &b, &b, 1);
        big_add(&t2, &t2, &a);
        if ((n >> bit) & 1) {
            big_add(&b, &t1, &t2);
            big_copy(&a, &t2);
        } else {
            big_copy(&a, &t1);
            big_copy(&b, &t2);
        }
    }
    big_copy(fn, &a);
    big_copy(fn1, &b);
    big_free(&a);
    big_free(&b);
    big_free(&t1);
    big_free(&t2);
}

uint64_t bench_bignum(int scale)
{
    digest_t d;
    dg_init(&d);

    /* factorial */
    struct big f;
    big_init(&f);
    big_set_u64(&f, 1);
    unsigned nf = 300u * (unsigned)scale;
    for (unsigned i = 2; i <= nf; i++)
        big_mul_small(&f, i);
    char *s = big_to_dec(&f);
    dg_str(&d, s);
    dg_u64(&d, strlen(s));
    free(s);

    /* 2^k by repeated squaring equals 2^k by doubling; both multiplications agree */
    struct big p, q, sq1, sq2;
    big_init(&p);
    big_init(&q);
    big_init(&sq1);
    big_init(&sq2);
    big_set_u64(&p, 3);
    for (int i = 0; i < 10; i++)
        big_mul(&p, &p, &p, 1); /* 3^(2^10) */
    big_set_u64(&q, 1);
    for (int i = 0; i < 1024; i++)
        big_mul_small(&q, 3);
    check(&d, big_cmp(&p, &q) == 0, "bignum: squaring equals repeated multiplication");
    big_mul(&sq1, &f, &f, 0);
    big_mul(&sq2, &f, &f, 1);
    check(&d, big_cmp(&sq1, &sq2) == 0, "bignum: Karatsuba equals schoolbook");
    dg_u64(&d, sq1.n);
    dg_bytes(&d, sq1.limb, sq1.n * sizeof *sq1.limb);

    /* Fibonacci by fast doubling, checked with Cassini's identity */
    struct big fa, fb, fc, l, r;
    big_init(&fa);
    big_init(&fb);
    big_init(&fc);
    big_init(&l);
    big_init(&r);
    unsigned nfib = 2000u * (unsigned)scale;
    fib(&fa, &fb, nfib);
    big_add(&fc, &fa, &fb);
    big_mul(&l, &fb, &fb, 1);
    big_mul(&r, &fa, &fc, 1);
    /* F(n)F(n+2) - F(n+1)^2 = (-1)^(n+1): n even means r + 1 == l, n odd means r == l + 1 */
    struct big one;
    big_init(&one);
    big_set_u64(&one, 1);
    if (nfib % 2 == 0)
        big_add(&r, &r, &one);
    else
        big_add(&l, &l, &one);
    check(&d, big_cmp(&l, &r) == 0, "bignum: Cassini identity");
    s = big_to_dec(&fa);
    dg_str(&d, s);
    free(s);

    big_free(&f);
    big_free(&p);
    big_free(&q);
    big_free(&sq1);
    big_free(&sq2);
    big_free(&fa);
    big_free(&fb);
    big_free(&fc);
    big_free(&l);
    big_free(&r);
    big_free(&one);
    return d.h;
}
