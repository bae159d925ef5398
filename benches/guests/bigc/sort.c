/*
 * sort.c - several sorting algorithms over integers, doubles and records,
 * compared against each other and against the C library's qsort.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "common.h"

typedef int (*cmp_fn)(const void *, const void *);

struct record {
    char name[16];
    int32_t age;
    double score;
    uint32_t id; /* unique: makes every comparison a total order */
};

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_f64(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_record_name(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_record_score(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1; /* descending */
    if (x->age != y->age)
        return x->age - y->age;
    return (x->id > y->id) - (x->id < y->id);
}

/* generic byte swap used by the generic sorts */
static void swap_bytes(void *a, void *b, size_t size)
{
    uint8_t tmp[64];
    uint8_t *p = a, *q = b;
    while (size) {
        size_t n = size < sizeof tmp ? size : sizeof tmp;
        memcpy(tmp, p, n);
        memcpy(p, q, n);
        memcpy(q, tmp, n);
        p += n;
        q += n;
        size -= n;
    }
}

static void insertion_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    uint8_t *a = base;
    uint8_t *tmp = xmalloc(size);
    for (size_t i = 1; i < n; i++) {
        memcpy(tmp, a + i * size, size);
        size_t j = i;
        while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
            memcpy(a + j * size, a + (j - 1) * size, size);
            j--;
        }
        memcpy(a + j * size, tmp, size);
    }
    free(tmp);
}

static void merge_rec(uint8_t *a, uint8_t *tmp, size_t lo, size_t hi, size_t size, cmp_fn cmp)
{
    if (hi - lo <= 12) {
        insertion_sort(a + lo * size, hi - lo, size, cmp);
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    merge_rec(a, tmp, lo, mid, size, cmp);
    merge_rec(a, tmp, mid, hi, size, cmp);
    if (cmp(a + (mid - 1) * size, a + mid * size) <= 0)
        return; /* already in order */
    size_t i = lo, j = mid, k = 0;
    while (i < mid && j < hi) {
        if (cmp(a + j * size, a + i * size) < 0) {
            memcpy(tmp + k * size, a + j * size, size);
            j++;
        } else {
            memcpy(tmp + k * size, a + i * size, size);
            i++;
        }
        k++;
    }
    if (i < mid) {
        memcpy(tmp + k * size, a + i * size, (mid - i) * size);
        k += mid - i;
    }
    /* the tail [j, hi) is already in place */
    memcpy(a + lo * size, tmp, k * size);
}

static void merge_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    if (n < 2)
        return;
    uint8_t *tmp = xmalloc(n * size);
    merge_rec(base, tmp, 0, n, size, cmp);
    free(tmp);
}

static void sift_down(uint8_t *a, size_t root, size_t n, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(a + child * size, a + (child + 1) * size) < 0)
            child++;
        if (cmp(a + root * size, a + child * size) >= 0)
            return;
        swap_bytes(a + root * size, a + child * size, size);
        root = child;
    }
}

static void heap_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    uint8_t *a = base;
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(a, a + end * size, size);
        sift_down(a, 0, end, size, cmp);
    }
}

/* specialised int quicksort: median of three, three-way partition, loop on the larger half */
static void quick_i32(int32_t *a, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        int32_t x = a[lo], y = a[mid], z = a[hi];
        int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long lt = lo, gt = hi, i = lo;
        while (i <= gt) {
            if (a[i] < pivot) {
                int32_t t = a[lt]; a[lt] = a[i]; a[i] = t;
                lt++;
                i++;
            } else if (a[i] > pivot) {
                int32_t t = a[gt]; a[gt] = a[i]; a[i] = t;
                gt--;
            } else {
                i++;
            }
        }
        if (lt - lo < hi - gt) {
            quick_i32(a, lo, lt - 1);
            lo = gt + 1;
        } else {
            quick_i32(a, gt + 1, hi);
            hi = lt - 1;
        }
    }
    for (long i = lo + 1; i <= hi; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* LSD radix sort on the bit pattern of the ints (sign bit flipped) */
static void radix_i32(int32_t *a, size_t n)
{
    uint32_t *src = xmalloc(n * sizeof *src), *dst = xmalloc(n * sizeof *dst);
    for (size_t i = 0; i < n; i++)
        src[i] = (uint32_t)a[i] ^ 0x80000000u;
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[257];
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (int32_t)(src[i] ^ 0x80000000u);
    free(src);
    free(dst);
}

static int is_sorted(const void *base, size_t n, size_t size, cmp_fn cmp)
{
    const uint8_t *a = base;
    for (size_t i = 1; i < n; i++)
        if (cmp(a + (i - 1) * size, a + i * size) > 0)
            return 0;
    return 1;
}

static void make_records(struct record *r, size_t n, rng_t *g)
{
    static const char *const first[] = {"ada", "bob", "cyd", "dee", "eve", "fay", "gus", "hal"};
    for (size_t i = 0; i < n; i++) {
        const char *f = first[rng_below(g, 8)];
        uint32_t k = rng_below(g, 50);
        snprintf(r[i].name, sizeof r[i].name, "%s%u", f, k);
        r[i].age = (int32_t)rng_below(g, 90);
        r[i].score = (double)rng_below(g, 1000) / 8.0;
        r[i].id = (uint32_t)i;
    }
}

uint64_t bench_sort(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t g;
    rng_seed(&g, 4242);
    size_t n = 6000u * (size_t)scale;

    int32_t *orig = xmalloc(n * sizeof *orig);
    int32_t *work = xmalloc(n * sizeof *work);
    int32_t *ref = xmalloc(n * sizeof *ref);
    for (size_t i = 0; i < n; i++)
        orig[i] = (int32_t)(rng_u32(&g) % 20000u) - 10000; /* many duplicates, negatives */

    memcpy(ref, orig, n * sizeof *ref);
    qsort(ref, n, sizeof *ref, cmp_i32);
    dg_bytes(&d, ref, n * sizeof *ref);

    struct {
        const char *name;
        void (*sort)(void *, size_t, size_t, cmp_fn);
    } generic[] = {{"sort: merge sort equals qsort", merge_sort}, {"sort: heap sort equals qsort", heap_sort}};
    for (size_t s = 0; s < sizeof generic / sizeof generic[0]; s++) {
        memcpy(work, orig, n * sizeof *work);
        generic[s].sort(work, n, sizeof *work, cmp_i32);
        check(&d, memcmp(work, ref, n * sizeof *work) == 0, generic[s].name);
    }
    memcpy(work, orig, n * sizeof *work);
    quick_i32(work, 0, (long)n - 1);
    check(&d, memcmp(work, ref, n * sizeof *work) == 0, "sort: quicksort equals qsort");
    memcpy(work, orig, n * sizeof *work);
    radix_i32(work, n);
    check(&d, memcmp(work, ref, n * sizeof *work) == 0, "sort: radix sort equals qsort");

    /* insertion sort only on a prefix: it is quadratic */
    size_t small = n < 800 ? n : 800;
    memcpy(work, orig, small * sizeof *work);
    insertion_sort(work, small, sizeof *work, cmp_i32);
    check(&d, is_sorted(work, small, sizeof *work, cmp_i32), "sort: insertion sort sorts");
    dg_bytes(&d, work, small * sizeof *work);

    /* doubles, including negative zero and large magnitudes */
    double *f = xmalloc(n * sizeof *f);
    double *f2 = xmalloc(n * sizeof *f2);
    for (size_t i = 0; i < n; i++) {
        double v = (rng_f64(&g) - 0.5) * 1e6;
        if (i % 97 == 0)
            v = 0.0;
        f[i] = v;
    }
    memcpy(f2, f, n * sizeof *f);
    merge_sort(f, n, sizeof *f, cmp_f64);
    heap_sort(f2, n, sizeof *f2, cmp_f64);
    check(&d, memcmp(f, f2, n * sizeof *f) == 0, "sort: merge and heap sort agree on doubles");
    double acc = 0;
    for (size_t i = 0; i < n; i++)
        acc = acc * 0.5 + f[i];
    dg_f64(&d, acc);

    /* records by two keys, with qsort and merge sort */
    size_t nr = n / 4;
    struct record *rec = xmalloc(nr * sizeof *rec);
    struct record *rec2 = xmalloc(nr * sizeof *rec2);
    make_records(rec, nr, &g);
    memcpy(rec2, rec, nr * sizeof *rec);
    qsort(rec, nr, sizeof *rec, cmp_record_name);
    merge_sort(rec2, nr, sizeof *rec2, cmp_record_name);
    uint32_t agree = 0;
    for (size_t i = 0; i < nr; i++)
        agree += rec[i].id == rec2[i].id;
    check(&d, agree == nr, "sort: qsort and merge sort agree on records");
    qsort(rec, nr, sizeof *rec, cmp_record_score);
    for (size_t i = 0; i < nr; i += 17) {
        dg_str(&d, rec[i].name);
        dg_u64(&d, rec[i].id);
    }
    free(rec);
    free(rec2);
    free(f);
    free(f2);
    free(orig);
    free(work);
    free(ref);
    return d.h;
}
