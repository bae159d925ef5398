/*
 * main.c - driver of the bigc benchmark guest.
 *
 * usage: bigc.wasm [SCALE [KERNEL]]
 *   SCALE   positive integer work multiplier (default 1, clamped to 1..10000)
 *   KERNEL  run only the kernel with this name
 *
 * Prints one digest line per kernel and a final combined checksum. The
 * output depends only on SCALE (and KERNEL), so it can be compared across
 * engines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

typedef uint64_t (*kernel_fn)(int scale);

struct kernel {
    const char *name;
    kernel_fn run;
};

static const struct kernel kernels[] = {
    {"interp", bench_interp},       {"hashtab", bench_hashtab}, {"json", bench_json},
    {"sha256", bench_sha256},       {"crc", bench_crc},         {"sort", bench_sort},
    {"strsearch", bench_strsearch}, {"matrix", bench_matrix},   {"bits", bench_bits},
    {"tree", bench_tree},           {"dispatch", bench_dispatch}, {"bignum", bench_bignum},
    {"lz", bench_lz},
};

#define NKERNELS (sizeof kernels / sizeof kernels[0])

/* Strict decimal parse; returns -1 on anything that is not a plain number. */
static long parse_positive(const char *s)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > 1000000)
            return 1000000;
    }
    return v;
}

int main(int argc, char **argv)
{
    int scale = 1;
    const char *only = NULL;

    if (argc > 1) {
        long v = parse_positive(argv[1]);
        if (v < 0) {
            fprintf(stderr, "usage: %s [SCALE [KERNEL]]\n", argv[0]);
            return 2;
        }
        if (v < 1)
            v = 1;
        if (v > 10000)
            v = 10000;
        scale = (int)v;
    }
    if (argc > 2)
        only = argv[2];

    digest_t total;
    dg_init(&total);
    int ran = 0;
    for (size_t i = 0; i < NKERNELS; i++) {
        if (only && strcmp(only, kernels[i].name) != 0)
            continue;
        uint64_t h = kernels[i].run(scale);
        printf("%-10s %016llx\n", kernels[i].name, (unsigned long long)h);
        dg_u64(&total, h);
        ran++;
    }
    if (!ran) {
        fprintf(stderr, "unknown kernel '%s'\n", only);
        return 2;
    }
    printf("checks %u passed %u failed\n", checks_passed, checks_failed);
    printf("scale %d checksum %016llx\n", scale, (unsigned long long)total.h);
    return checks_failed ? 1 : 0;
}
