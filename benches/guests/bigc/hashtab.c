/*
 * hashtab.c - an open-addressing hash map from strings to 64-bit values.
 *
 * Linear probing, tombstones for deletion, growth at 70% load and a
 * rebuild when tombstones pile up. The workload counts words of generated
 * text, deletes a pseudo random subset, re-inserts, and folds a walk of the
 * table into the digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

enum slot_state { EMPTY = 0, FULL = 1, DEAD = 2 };

struct slot {
    char *key;
    uint32_t hash;
    uint8_t state;
    uint64_t value;
};

struct map {
    struct slot *slots;
    uint32_t cap;   /* power of two */
    uint32_t live;
    uint32_t dead;
    uint64_t probes;
};

static uint32_t hash_str(const char *s)
{
    /* FNV-1a followed by a final avalanche */
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    return h;
}

static void map_init(struct map *m, uint32_t cap)
{
    uint32_t c = 8;
    while (c < cap)
        c <<= 1;
    m->cap = c;
    m->slots = xcalloc(c, sizeof *m->slots);
    m->live = m->dead = 0;
    m->probes = 0;
}

static void map_free(struct map *m)
{
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->slots[i].state == FULL)
            free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
}

static void map_rehash(struct map *m, uint32_t newcap)
{
    struct slot *old = m->slots;
    uint32_t oldcap = m->cap;
    m->slots = xcalloc(newcap, sizeof *m->slots);
    m->cap = newcap;
    m->dead = 0;
    for (uint32_t i = 0; i < oldcap; i++) {
        if (old[i].state != FULL)
            continue;
        uint32_t j = old[i].hash & (newcap - 1);
        while (m->slots[j].state == FULL)
            j = (j + 1) & (newcap - 1);
        m->slots[j] = old[i];
    }
    free(old);
}

/* index of the key's slot, or -1 */
static long map_find(struct map *m, const char *key, uint32_t h)
{
    uint32_t mask = m->cap - 1;
    uint32_t i = h & mask;
    for (;;) {
        struct slot *s = &m->slots[i];
        m->probes++;
        if (s->state == EMPTY)
            return -1;
        if (s->state == FULL && s->hash == h && strcmp(s->key, key) == 0)
            return (long)i;
        i = (i + 1) & mask;
    }
}

static uint64_t *map_upsert(struct map *m, const char *key)
{
    if ((m->live + m->dead + 1) * 10 >= m->cap * 7) {
        uint32_t newcap = m->live * 2 * 10 >= m->cap * 7 ? m->cap * 2 : m->cap;
        map_rehash(m, newcap);
    }
    uint32_t h = hash_str(key);
    long found = map_find(m, key, h);
    if (found >= 0)
        return &m->slots[found].value;
    uint32_t mask = m->cap - 1;
    uint32_t i = h & mask;
    while (m->slots[i].state == FULL) {
        i = (i + 1) & mask;
        m->probes++;
    }
    struct slot *s = &m->slots[i];
    if (s->state == DEAD)
        m->dead--;
    s->state = FULL;
    s->hash = h;
    s->key = xstrdup(key);
    s->value = 0;
    m->live++;
    return &s->value;
}

static int map_get(struct map *m, const char *key, uint64_t *out)
{
    long i = map_find(m, key, hash_str(key));
    if (i < 0)
        return 0;
    *out = m->slots[i].value;
    return 1;
}

static int map_remove(struct map *m, const char *key)
{
    long i = map_find(m, key, hash_str(key));
    if (i < 0)
        return 0;
    struct slot *s = &m->slots[i];
    free(s->key);
    s->key = NULL;
    s->state = DEAD;
    m->live--;
    m->dead++;
    return 1;
}

static const char *const syllables[] = {
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "we", "xi", "yu", "zo",
    "ba", "ce", "di", "fo", "gu", "ha", "je", "qu", "pre", "str", "ing", "ion",
};

#define NSYL (sizeof syllables / sizeof syllables[0])

static void make_word(rng_t *r, char *buf, size_t cap)
{
    /* Zipf-ish: short words are much more frequent */
    uint32_t parts = 1 + rng_below(r, 3);
    if (rng_below(r, 8) == 0)
        parts += rng_below(r, 4);
    buf[0] = 0;
    size_t len = 0;
    for (uint32_t i = 0; i < parts; i++) {
        uint32_t pick = rng_below(r, NSYL);
        pick = (pick * pick) / NSYL; /* skew towards the first syllables */
        const char *s = syllables[pick];
        size_t n = strlen(s);
        if (len + n + 1 >= cap)
            break;
        memcpy(buf + len, s, n + 1);
        len += n;
    }
}

struct walk_ctx {
    digest_t *d;
    uint64_t total;
    uint32_t maxcount;
};

typedef void (*visit_fn)(const char *key, uint64_t value, void *ctx);

static void map_each(const struct map *m, visit_fn fn, void *ctx)
{
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->slots[i].state == FULL)
            fn(m->slots[i].key, m->slots[i].value, ctx);
}

static void visit(const char *key, uint64_t value, void *ctx)
{
    struct walk_ctx *w = ctx;
    /* order independent: combine per-entry hashes with addition */
    w->total += mix64(hash_str(key) ^ (value << 32));
    if (value > w->maxcount)
        w->maxcount = (uint32_t)value;
}

uint64_t bench_hashtab(int scale)
{
    digest_t d;
    dg_init(&d);
    struct map m;
    map_init(&m, 16);
    rng_t r;
    rng_seed(&r, 0xabcdef12345ULL);
    char word[64];
    uint32_t nwords = 20000u * (uint32_t)scale;

    for (uint32_t i = 0; i < nwords; i++) {
        make_word(&r, word, sizeof word);
        (*map_upsert(&m, word))++;
    }
    dg_u64(&d, m.live);

    /* numbered keys: exercises snprintf and many distinct strings */
    uint32_t nkeys = 3000u * (uint32_t)scale;
    for (uint32_t i = 0; i < nkeys; i++) {
        snprintf(word, sizeof word, "key:%u:%x", i, i * 2654435761u);
        *map_upsert(&m, word) = i;
    }
    dg_u64(&d, m.live);

    /* delete every third numbered key, then look all of them up */
    uint32_t removed = 0;
    for (uint32_t i = 0; i < nkeys; i += 3) {
        snprintf(word, sizeof word, "key:%u:%x", i, i * 2654435761u);
        removed += (uint32_t)map_remove(&m, word);
    }
    uint64_t found_sum = 0;
    uint32_t missing = 0;
    for (uint32_t i = 0; i < nkeys; i++) {
        uint64_t v;
        snprintf(word, sizeof word, "key:%u:%x", i, i * 2654435761u);
        if (map_get(&m, word, &v))
            found_sum += v;
        else
            missing++;
    }
    check(&d, removed == (nkeys + 2) / 3, "hashtab: removed every third key");
    check(&d, missing == removed, "hashtab: exactly the removed keys are missing");
    dg_u64(&d, found_sum);

    /* churn: insert and delete words so tombstones accumulate */
    for (uint32_t i = 0; i < nwords / 2; i++) {
        make_word(&r, word, sizeof word);
        if (i & 1)
            map_remove(&m, word);
        else
            (*map_upsert(&m, word)) += 7;
    }

    struct walk_ctx w = {&d, 0, 0};
    map_each(&m, visit, &w);
    dg_u64(&d, w.total);
    dg_u64(&d, w.maxcount);
    dg_u64(&d, m.live);
    dg_u64(&d, m.cap);
    dg_u64(&d, m.probes);
    map_free(&m);
    return d.h;
}
