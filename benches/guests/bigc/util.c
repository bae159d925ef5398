/*
 * util.c - digest helpers, checked allocation and a growable string buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

unsigned checks_passed, checks_failed;

void check(digest_t *d, int ok, const char *what)
{
    ok = ok != 0;
    if (ok) {
        checks_passed++;
    } else {
        checks_failed++;
        fprintf(stderr, "bigc: self-check failed: %s\n", what);
    }
    dg_u64(d, (uint64_t)ok);
}

void dg_bytes(digest_t *d, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    uint64_t acc = 0;
    size_t i = 0;
    /* eight bytes at a time, little endian, then the tail */
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        dg_u64(d, w ^ acc);
        acc += w;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i < len; i++, k++)
        tail |= (uint64_t)p[i] << (8 * k);
    dg_u64(d, tail ^ ((uint64_t)len << 56));
}

void dg_str(digest_t *d, const char *s) { dg_bytes(d, s, strlen(s)); }

void dg_f64(digest_t *d, double v)
{
    uint64_t bits;
    if (v != v) {
        /* canonicalise NaN so payload differences between engines do not matter */
        bits = 0x7ff8000000000000ULL;
    } else {
        memcpy(&bits, &v, sizeof bits);
    }
    dg_u64(d, bits);
}

void dg_f32(digest_t *d, float v)
{
    uint32_t bits;
    if (v != v) {
        bits = 0x7fc00000U;
    } else {
        memcpy(&bits, &v, sizeof bits);
    }
    dg_u64(d, bits);
}

static void out_of_memory(size_t n)
{
    fprintf(stderr, "bigc: out of memory allocating %lu bytes\n", (unsigned long)n);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void sb_init(strbuf_t *sb)
{
    sb->cap = 64;
    sb->len = 0;
    sb->data = xmalloc(sb->cap);
    sb->data[0] = 0;
}

void sb_free(strbuf_t *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

static void sb_reserve(strbuf_t *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap * 2;
    while (cap < need)
        cap *= 2;
    sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
}

void sb_putc(strbuf_t *sb, char c)
{
    sb_reserve(sb, 1);
    sb->data[sb->len++] = c;
    sb->data[sb->len] = 0;
}

void sb_write(strbuf_t *sb, const void *p, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->data + sb->len, p, n);
    sb->len += n;
    sb->data[sb->len] = 0;
}

void sb_puts(strbuf_t *sb, const char *s) { sb_write(sb, s, strlen(s)); }

void sb_printf(strbuf_t *sb, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sb_write(sb, small, (size_t)n);
        return;
    }
    sb_reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}
