/*
 * strsearch.c - substring search and a small regular-expression engine.
 *
 * Three substring searches (naive, Knuth-Morris-Pratt, Boyer-Moore-Horspool)
 * must report the same match counts. The regex engine compiles a pattern
 * into an array of items (literal, any, class, with *, +, ? quantifiers and
 * ^ $ anchors) and matches by backtracking.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- substring search ----------------------------------------------------- */

static size_t count_naive(const char *text, size_t n, const char *pat, size_t m)
{
    size_t count = 0;
    if (m == 0 || m > n)
        return 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && text[i + j] == pat[j])
            j++;
        count += j == m;
    }
    return count;
}

static size_t count_kmp(const char *text, size_t n, const char *pat, size_t m)
{
    if (m == 0 || m > n)
        return 0;
    size_t *fail = xmalloc(m * sizeof *fail);
    fail[0] = 0;
    for (size_t i = 1, k = 0; i < m; i++) {
        while (k > 0 && pat[i] != pat[k])
            k = fail[k - 1];
        if (pat[i] == pat[k])
            k++;
        fail[i] = k;
    }
    size_t count = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        while (k > 0 && text[i] != pat[k])
            k = fail[k - 1];
        if (text[i] == pat[k])
            k++;
        if (k == m) {
            count++;
            k = fail[k - 1];
        }
    }
    free(fail);
    return count;
}

static size_t count_horspool(const char *text, size_t n, const char *pat, size_t m)
{
    if (m == 0 || m > n)
        return 0;
    size_t shift[256];
    for (int i = 0; i < 256; i++)
        shift[i] = m;
    for (size_t i = 0; i + 1 < m; i++)
        shift[(uint8_t)pat[i]] = m - 1 - i;
    size_t count = 0;
    size_t i = 0;
    while (i + m <= n) {
        uint8_t last = (uint8_t)text[i + m - 1];
        if (last == (uint8_t)pat[m - 1] && memcmp(text + i, pat, m - 1) == 0)
            count++;
        i += shift[last];
    }
    return count;
}

/* ---- regular expressions -------------------------------------------------- */

enum item_kind { I_CHAR, I_ANY, I_CLASS };
enum quant { Q_ONE, Q_STAR, Q_PLUS, Q_OPT };

struct item {
    uint8_t kind;
    uint8_t quant;
    uint8_t ch;
    uint8_t negate;
    uint32_t set[8]; /* 256-bit membership for classes */
};

struct regex {
    struct item *items;
    int n;
    int anchored_start;
    int anchored_end;
};

static void set_add(uint32_t *set, int c) { set[c >> 5] |= 1u << (c & 31); }
static int set_has(const uint32_t *set, int c) { return (set[c >> 5] >> (c & 31)) & 1; }

static void set_add_escape(uint32_t *set, char e)
{
    switch (e) {
    case 'd':
        for (int c = '0'; c <= '9'; c++)
            set_add(set, c);
        break;
    case 'w':
        for (int c = 'a'; c <= 'z'; c++)
            set_add(set, c);
        for (int c = 'A'; c <= 'Z'; c++)
            set_add(set, c);
        for (int c = '0'; c <= '9'; c++)
            set_add(set, c);
        set_add(set, '_');
        break;
    case 's':
        set_add(set, ' ');
        set_add(set, '\t');
        set_add(set, '\n');
        set_add(set, '\r');
        break;
    default:
        set_add(set, (uint8_t)e);
        break;
    }
}

/* returns 0 on a malformed pattern */
static int re_compile(struct regex *re, const char *pat)
{
    size_t len = strlen(pat);
    re->items = xcalloc(len + 1, sizeof *re->items);
    re->n = 0;
    re->anchored_start = 0;
    re->anchored_end = 0;
    size_t i = 0;
    if (pat[0] == '^') {
        re->anchored_start = 1;
        i++;
    }
    while (i < len) {
        char c = pat[i];
        if (c == '$' && i + 1 == len) {
            re->anchored_end = 1;
            break;
        }
        struct item *it = &re->items[re->n];
        memset(it, 0, sizeof *it);
        if (c == '.') {
            it->kind = I_ANY;
            i++;
        } else if (c == '[') {
            it->kind = I_CLASS;
            i++;
            if (pat[i] == '^') {
                it->negate = 1;
                i++;
            }
            int first = 1;
            while (i < len && (pat[i] != ']' || first)) {
                first = 0;
                if (pat[i] == '\\' && i + 1 < len) {
                    set_add_escape(it->set, pat[i + 1]);
                    i += 2;
                } else if (i + 2 < len && pat[i + 1] == '-' && pat[i + 2] != ']') {
                    for (int ch = (uint8_t)pat[i]; ch <= (uint8_t)pat[i + 2]; ch++)
                        set_add(it->set, ch);
                    i += 3;
                } else {
                    set_add(it->set, (uint8_t)pat[i]);
                    i++;
                }
            }
            if (i >= len)
                return 0;
            i++; /* ']' */
        } else if (c == '\\' && i + 1 < len) {
            char e = pat[i + 1];
            if (e == 'd' || e == 'w' || e == 's') {
                it->kind = I_CLASS;
                set_add_escape(it->set, e);
            } else {
                it->kind = I_CHAR;
                it->ch = (uint8_t)e;
            }
            i += 2;
        } else if (c == '*' || c == '+' || c == '?') {
            return 0; /* quantifier with nothing to repeat */
        } else {
            it->kind = I_CHAR;
            it->ch = (uint8_t)c;
            i++;
        }
        if (i < len) {
            char q = pat[i];
            if (q == '*' || q == '+' || q == '?') {
                it->quant = q == '*' ? Q_STAR : q == '+' ? Q_PLUS : Q_OPT;
                i++;
            }
        }
        re->n++;
    }
    return 1;
}

static void re_free(struct regex *re) { free(re->items); }

static int item_matches(const struct item *it, uint8_t c)
{
    switch (it->kind) {
    case I_CHAR: return c == it->ch;
    case I_ANY: return c != '\n';
    default: return set_has(it->set, c) != it->negate;
    }
}

/* length of the match of items[k..] at text[pos..], or -1; greedy with backtracking */
static long match_here(const struct regex *re, int k, const char *text, size_t pos, size_t n, uint64_t *steps)
{
    for (;;) {
        (*steps)++;
        if (k == re->n) {
            if (re->anchored_end && pos != n)
                return -1;
            return (long)pos;
        }
        const struct item *it = &re->items[k];
        if (it->quant == Q_ONE) {
            if (pos < n && item_matches(it, (uint8_t)text[pos])) {
                pos++;
                k++;
                continue;
            }
            return -1;
        }
        size_t min = it->quant == Q_PLUS ? 1 : 0;
        size_t max = it->quant == Q_OPT ? 1 : (size_t)-1;
        size_t count = 0;
        while (count < max && pos + count < n && item_matches(it, (uint8_t)text[pos + count]))
            count++;
        for (;;) {
            if (count < min)
                return -1;
            long end = match_here(re, k + 1, text, pos + count, n, steps);
            if (end >= 0)
                return end;
            if (count == 0)
                return -1;
            count--;
        }
    }
}

/* counts non-overlapping leftmost-longest-ish matches and sums their lengths */
static size_t re_count(const struct regex *re, const char *text, size_t n, uint64_t *total_len, uint64_t *steps)
{
    size_t count = 0;
    size_t pos = 0;
    while (pos <= n) {
        long end = match_here(re, 0, text, pos, n, steps);
        if (end >= 0) {
            count++;
            *total_len += (uint64_t)end - pos;
            pos = (size_t)end > pos ? (size_t)end : pos + 1;
        } else {
            pos++;
        }
        if (re->anchored_start)
            break;
    }
    return count;
}

/* line by line, like grep -c */
static size_t re_count_lines(const struct regex *re, const char *text, size_t n, uint64_t *steps)
{
    size_t lines = 0;
    size_t start = 0;
    while (start < n) {
        const char *nl = memchr(text + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - text) : n;
        uint64_t dummy = 0;
        if (re_count(re, text + start, end - start, &dummy, steps) > 0)
            lines++;
        start = end + 1;
    }
    return lines;
}

static char *make_text(size_t n, uint64_t seed)
{
    static const char *const words[] = {
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "abracadabra", "banana",
        "id_42", "x1", "mississippi", "aaab", "2024-01-31", "foo@bar.org", "error:", "warning:",
    };
    const size_t nw = sizeof words / sizeof words[0];
    char *t = xmalloc(n + 1);
    rng_t r;
    rng_seed(&r, seed);
    size_t len = 0;
    while (len < n) {
        const char *w = words[rng_below(&r, (uint32_t)nw)];
        size_t wl = strlen(w);
        if (len + wl + 1 > n)
            break;
        memcpy(t + len, w, wl);
        len += wl;
        uint32_t sep = rng_below(&r, 12);
        t[len++] = sep == 0 ? '\n' : sep == 1 ? ',' : ' ';
    }
    memset(t + len, ' ', n - len);
    t[n] = 0;
    return t;
}

uint64_t bench_strsearch(int scale)
{
    digest_t d;
    dg_init(&d);
    size_t n = 60000u * (size_t)scale;
    char *text = make_text(n, 999);

    static const char *const needles[] = {
        "fox", "abracadabra", "ana", "ssi", "aaab", "the quick", "banana banana", "zzz", "a", "error: id_42",
    };
    uint32_t disagree = 0;
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        size_t m = strlen(needles[i]);
        size_t a = count_naive(text, n, needles[i], m);
        size_t b = count_kmp(text, n, needles[i], m);
        size_t c = count_horspool(text, n, needles[i], m);
        disagree += (a != b) + (a != c);
        dg_u64(&d, a);
        /* strstr from the C library as a fourth opinion (non-overlapping starts differ, so only presence) */
        dg_u64(&d, strstr(text, needles[i]) != NULL);
    }
    check(&d, disagree == 0, "strsearch: naive, KMP and Horspool agree");

    static const char *const patterns[] = {
        "fox", "qu.ck", "ba(na)", "[0-9]+-[0-9]+-[0-9]+", "\\w+@\\w+\\.org", "^the", "dog$",
        "a+b", "m[is]+ippi", "[^a-z ,\n]+", "x?1", "er+or:", "\\d\\d", "l.*y",
    };
    uint64_t steps = 0;
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        struct regex re;
        int ok = re_compile(&re, patterns[i]);
        check(&d, ok, "strsearch: pattern compiles");
        if (ok) {
            uint64_t total = 0;
            size_t count = re_count(&re, text, n < 20000 ? n : 20000, &total, &steps);
            dg_u64(&d, count);
            dg_u64(&d, total);
            dg_u64(&d, re_count_lines(&re, text, n, &steps));
        }
        re_free(&re);
    }
    dg_u64(&d, steps);
    free(text);
    return d.h;
}
