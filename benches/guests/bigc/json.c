/*
 * json.c - a JSON tokenizer, a recursive-descent parser into a DOM of
 * heap nodes, a serializer, and a document generator. The workload
 * generates documents, parses them, queries them, serializes them back,
 * re-parses the output and checks the two trees are equal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

enum jtype { J_NULL, J_FALSE, J_TRUE, J_INT, J_FLOAT, J_STRING, J_ARRAY, J_OBJECT };

struct jvalue {
    enum jtype type;
    union {
        int64_t i;
        double f;
        struct {
            char *s;
            size_t len;
        } str;
        struct {
            struct jvalue **items;
            char **keys; /* objects only */
            size_t n, cap;
        } list;
    } u;
};

/* ---- tokenizer ------------------------------------------------------------ */

enum jtok { JT_EOF, JT_LBRACE, JT_RBRACE, JT_LBRACK, JT_RBRACK, JT_COLON, JT_COMMA,
            JT_STRING, JT_NUMBER, JT_TRUE, JT_FALSE, JT_NULL, JT_ERROR };

struct jlexer {
    const char *src;
    size_t pos, len;
    enum jtok tok;
    strbuf_t text;      /* decoded string token */
    int is_int;
    int64_t ival;
    double fval;
    int depth;
    uint32_t estimate_misses;
};

static void skip_ws(struct jlexer *lx)
{
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            break;
        lx->pos++;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(strbuf_t *sb, uint32_t cp)
{
    if (cp < 0x80) {
        sb_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        sb_putc(sb, (char)(0xc0 | (cp >> 6)));
        sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        sb_putc(sb, (char)(0xe0 | (cp >> 12)));
        sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
        sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
    } else {
        sb_putc(sb, (char)(0xf0 | (cp >> 18)));
        sb_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
        sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
        sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
    }
}

static int read_hex4(struct jlexer *lx, uint32_t *out)
{
    if (lx->pos + 4 > lx->len)
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(lx->src[lx->pos + (size_t)i]);
        if (h < 0)
            return 0;
        v = v << 4 | (uint32_t)h;
    }
    lx->pos += 4;
    *out = v;
    return 1;
}

static enum jtok lex_string(struct jlexer *lx)
{
    lx->text.len = 0;
    lx->pos++; /* opening quote */
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos++];
        if (c == '"')
            return JT_STRING;
        if ((unsigned char)c < 0x20)
            return JT_ERROR;
        if (c != '\\') {
            sb_putc(&lx->text, c);
            continue;
        }
        if (lx->pos >= lx->len)
            return JT_ERROR;
        char e = lx->src[lx->pos++];
        switch (e) {
        case '"': sb_putc(&lx->text, '"'); break;
        case '\\': sb_putc(&lx->text, '\\'); break;
        case '/': sb_putc(&lx->text, '/'); break;
        case 'b': sb_putc(&lx->text, '\b'); break;
        case 'f': sb_putc(&lx->text, '\f'); break;
        case 'n': sb_putc(&lx->text, '\n'); break;
        case 'r': sb_putc(&lx->text, '\r'); break;
        case 't': sb_putc(&lx->text, '\t'); break;
        case 'u': {
            uint32_t cp;
            if (!read_hex4(lx, &cp))
                return JT_ERROR;
            if (cp >= 0xd800 && cp < 0xdc00) {
                uint32_t lo;
                if (lx->pos + 2 > lx->len || lx->src[lx->pos] != '\\' || lx->src[lx->pos + 1] != 'u')
                    return JT_ERROR;
                lx->pos += 2;
                if (!read_hex4(lx, &lo) || lo < 0xdc00 || lo >= 0xe000)
                    return JT_ERROR;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return JT_ERROR;
            }
            put_utf8(&lx->text, cp);
            break;
        }
        default:
            return JT_ERROR;
        }
    }
    return JT_ERROR;
}

static double pow10_int(int e)
{
    double r = 1.0, b = 10.0;
    int neg = e < 0;
    unsigned u = neg ? (unsigned)-e : (unsigned)e;
    while (u) {
        if (u & 1)
            r *= b;
        b *= b;
        u >>= 1;
    }
    return neg ? 1.0 / r : r;
}

static enum jtok lex_number(struct jlexer *lx)
{
    const char *s = lx->src;
    size_t p = lx->pos, start = lx->pos;
    int neg = 0;
    if (s[p] == '-') {
        neg = 1;
        p++;
    }
    if (p >= lx->len || s[p] < '0' || s[p] > '9')
        return JT_ERROR;
    uint64_t mant = 0;
    int digits = 0, dropped = 0;
    if (s[p] == '0') {
        p++;
    } else {
        while (p < lx->len && s[p] >= '0' && s[p] <= '9') {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(s[p] - '0');
                digits++;
            } else {
                dropped++;
            }
            p++;
        }
    }
    int frac = 0, is_int = 1;
    if (p < lx->len && s[p] == '.') {
        is_int = 0;
        p++;
        if (p >= lx->len || s[p] < '0' || s[p] > '9')
            return JT_ERROR;
        while (p < lx->len && s[p] >= '0' && s[p] <= '9') {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(s[p] - '0');
                digits++;
                frac++;
            }
            p++;
        }
    }
    int exp = 0;
    if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
        is_int = 0;
        p++;
        int eneg = 0;
        if (p < lx->len && (s[p] == '+' || s[p] == '-')) {
            eneg = s[p] == '-';
            p++;
        }
        if (p >= lx->len || s[p] < '0' || s[p] > '9')
            return JT_ERROR;
        while (p < lx->len && s[p] >= '0' && s[p] <= '9') {
            if (exp < 10000)
                exp = exp * 10 + (s[p] - '0');
            p++;
        }
        if (eneg)
            exp = -exp;
    }
    lx->pos = p;
    if (is_int && !dropped && mant <= (uint64_t)INT64_MAX) {
        lx->is_int = 1;
        lx->ival = neg ? -(int64_t)mant : (int64_t)mant;
        return JT_NUMBER;
    }
    lx->is_int = 0;
    /*
     * The C library's strtod rounds correctly, so printing with %.17g and
     * parsing again is exact. The quick estimate from the digits above must
     * come close; a large gap means one of the two is broken.
     */
    lx->fval = strtod(s + start, NULL);
    int e10 = exp - frac + dropped;
    if (e10 > 300)
        e10 = 300;
    if (e10 < -300)
        e10 = -300;
    double est = (double)mant * pow10_int(e10);
    if (neg)
        est = -est;
    double diff = fabs(est - lx->fval), mag = fabs(lx->fval);
    if (mag > 1e-280 && mag < 1e280 && diff > mag * 1e-12)
        lx->estimate_misses++;
    return JT_NUMBER;
}

static int match_word(struct jlexer *lx, const char *w)
{
    size_t n = strlen(w);
    if (lx->pos + n > lx->len || memcmp(lx->src + lx->pos, w, n) != 0)
        return 0;
    lx->pos += n;
    return 1;
}

static void jnext(struct jlexer *lx)
{
    skip_ws(lx);
    if (lx->pos >= lx->len) {
        lx->tok = JT_EOF;
        return;
    }
    char c = lx->src[lx->pos];
    switch (c) {
    case '{': lx->pos++; lx->tok = JT_LBRACE; return;
    case '}': lx->pos++; lx->tok = JT_RBRACE; return;
    case '[': lx->pos++; lx->tok = JT_LBRACK; return;
    case ']': lx->pos++; lx->tok = JT_RBRACK; return;
    case ':': lx->pos++; lx->tok = JT_COLON; return;
    case ',': lx->pos++; lx->tok = JT_COMMA; return;
    case '"': lx->tok = lex_string(lx); return;
    case 't': lx->tok = match_word(lx, "true") ? JT_TRUE : JT_ERROR; return;
    case 'f': lx->tok = match_word(lx, "false") ? JT_FALSE : JT_ERROR; return;
    case 'n': lx->tok = match_word(lx, "null") ? JT_NULL : JT_ERROR; return;
    default:
        lx->tok = (c == '-' || (c >= '0' && c <= '9')) ? lex_number(lx) : JT_ERROR;
        return;
    }
}

/* ---- DOM ------------------------------------------------------------------ */

static struct jvalue *jnew(enum jtype t)
{
    struct jvalue *v = xcalloc(1, sizeof *v);
    v->type = t;
    return v;
}

static void jfree(struct jvalue *v)
{
    if (!v)
        return;
    if (v->type == J_STRING) {
        free(v->u.str.s);
    } else if (v->type == J_ARRAY || v->type == J_OBJECT) {
        for (size_t i = 0; i < v->u.list.n; i++) {
            jfree(v->u.list.items[i]);
            if (v->u.list.keys)
                free(v->u.list.keys[i]);
        }
        free(v->u.list.items);
        free(v->u.list.keys);
    }
    free(v);
}

static void jpush(struct jvalue *v, char *key, struct jvalue *item)
{
    if (v->u.list.n == v->u.list.cap) {
        v->u.list.cap = v->u.list.cap ? v->u.list.cap * 2 : 4;
        v->u.list.items = xrealloc(v->u.list.items, v->u.list.cap * sizeof *v->u.list.items);
        if (v->type == J_OBJECT)
            v->u.list.keys = xrealloc(v->u.list.keys, v->u.list.cap * sizeof *v->u.list.keys);
    }
    if (v->type == J_OBJECT)
        v->u.list.keys[v->u.list.n] = key;
    v->u.list.items[v->u.list.n++] = item;
}

static char *take_text(strbuf_t *sb, size_t *len)
{
    char *s = xmalloc(sb->len + 1);
    memcpy(s, sb->data, sb->len);
    s[sb->len] = 0;
    *len = sb->len;
    return s;
}

#define MAX_DEPTH 64

static struct jvalue *parse_value(struct jlexer *lx)
{
    struct jvalue *v;
    switch (lx->tok) {
    case JT_NULL: v = jnew(J_NULL); jnext(lx); return v;
    case JT_TRUE: v = jnew(J_TRUE); jnext(lx); return v;
    case JT_FALSE: v = jnew(J_FALSE); jnext(lx); return v;
    case JT_NUMBER:
        if (lx->is_int) {
            v = jnew(J_INT);
            v->u.i = lx->ival;
        } else {
            v = jnew(J_FLOAT);
            v->u.f = lx->fval;
        }
        jnext(lx);
        return v;
    case JT_STRING:
        v = jnew(J_STRING);
        v->u.str.s = take_text(&lx->text, &v->u.str.len);
        jnext(lx);
        return v;
    case JT_LBRACK:
        if (++lx->depth > MAX_DEPTH)
            return NULL;
        v = jnew(J_ARRAY);
        jnext(lx);
        if (lx->tok != JT_RBRACK) {
            for (;;) {
                struct jvalue *item = parse_value(lx);
                if (!item) {
                    jfree(v);
                    return NULL;
                }
                jpush(v, NULL, item);
                if (lx->tok == JT_COMMA) {
                    jnext(lx);
                    continue;
                }
                if (lx->tok == JT_RBRACK)
                    break;
                jfree(v);
                return NULL;
            }
        }
        jnext(lx);
        lx->depth--;
        return v;
    case JT_LBRACE:
        if (++lx->depth > MAX_DEPTH)
            return NULL;
        v = jnew(J_OBJECT);
        jnext(lx);
        if (lx->tok != JT_RBRACE) {
            for (;;) {
                if (lx->tok != JT_STRING) {
                    jfree(v);
                    return NULL;
                }
                size_t klen;
                char *key = take_text(&lx->text, &klen);
                jnext(lx);
                if (lx->tok != JT_COLON) {
                    free(key);
                    jfree(v);
                    return NULL;
                }
                jnext(lx);
                struct jvalue *item = parse_value(lx);
                if (!item) {
                    free(key);
                    jfree(v);
                    return NULL;
                }
                jpush(v, key, item);
                if (lx->tok == JT_COMMA) {
                    jnext(lx);
                    continue;
                }
                if (lx->tok == JT_RBRACE)
                    break;
                jfree(v);
                return NULL;
            }
        }
        jnext(lx);
        lx->depth--;
        return v;
    default:
        return NULL;
    }
}

/* src must be NUL-terminated at src[len] (numbers are converted with strtod) */
static struct jvalue *json_parse(const char *src, size_t len, uint32_t *estimate_misses)
{
    struct jlexer lx;
    memset(&lx, 0, sizeof lx);
    lx.src = src;
    lx.len = len;
    sb_init(&lx.text);
    jnext(&lx);
    struct jvalue *v = parse_value(&lx);
    if (v && lx.tok != JT_EOF) {
        jfree(v);
        v = NULL;
    }
    sb_free(&lx.text);
    *estimate_misses += lx.estimate_misses;
    return v;
}

/* ---- serializer ----------------------------------------------------------- */

static void write_string(strbuf_t *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    sb_putc(sb, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_puts(sb, "\\\""); break;
        case '\\': sb_puts(sb, "\\\\"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        default:
            if (c < 0x20) {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                sb_puts(sb, u);
            } else {
                sb_putc(sb, (char)c);
            }
        }
    }
    sb_putc(sb, '"');
}

static void json_write(strbuf_t *sb, const struct jvalue *v, int indent, int level)
{
    switch (v->type) {
    case J_NULL: sb_puts(sb, "null"); break;
    case J_FALSE: sb_puts(sb, "false"); break;
    case J_TRUE: sb_puts(sb, "true"); break;
    case J_INT: sb_printf(sb, "%lld", (long long)v->u.i); break;
    case J_FLOAT: {
        /* keep it a float on re-parse: "5000" and "-0" would come back as integers */
        char num[40];
        snprintf(num, sizeof num, "%.17g", v->u.f);
        sb_puts(sb, num);
        if (strspn(num, "-0123456789") == strlen(num))
            sb_puts(sb, ".0");
        break;
    }
    case J_STRING: write_string(sb, v->u.str.s, v->u.str.len); break;
    case J_ARRAY:
    case J_OBJECT: {
        int obj = v->type == J_OBJECT;
        sb_putc(sb, obj ? '{' : '[');
        for (size_t i = 0; i < v->u.list.n; i++) {
            if (i)
                sb_putc(sb, ',');
            if (indent) {
                sb_putc(sb, '\n');
                for (int k = 0; k < (level + 1) * indent; k++)
                    sb_putc(sb, ' ');
            }
            if (obj) {
                write_string(sb, v->u.list.keys[i], strlen(v->u.list.keys[i]));
                sb_putc(sb, ':');
                if (indent)
                    sb_putc(sb, ' ');
            }
            json_write(sb, v->u.list.items[i], indent, level + 1);
        }
        if (indent && v->u.list.n) {
            sb_putc(sb, '\n');
            for (int k = 0; k < level * indent; k++)
                sb_putc(sb, ' ');
        }
        sb_putc(sb, obj ? '}' : ']');
        break;
    }
    }
}

static int json_equal(const struct jvalue *a, const struct jvalue *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case J_INT: return a->u.i == b->u.i;
    case J_FLOAT: return a->u.f == b->u.f;
    case J_STRING: return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case J_ARRAY:
    case J_OBJECT:
        if (a->u.list.n != b->u.list.n)
            return 0;
        for (size_t i = 0; i < a->u.list.n; i++) {
            if (a->type == J_OBJECT && strcmp(a->u.list.keys[i], b->u.list.keys[i]) != 0)
                return 0;
            if (!json_equal(a->u.list.items[i], b->u.list.items[i]))
                return 0;
        }
        return 1;
    default:
        return 1;
    }
}

static const struct jvalue *json_get(const struct jvalue *obj, const char *key)
{
    if (!obj || obj->type != J_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->u.list.n; i++)
        if (strcmp(obj->u.list.keys[i], key) == 0)
            return obj->u.list.items[i];
    return NULL;
}

/* digest of a tree, with statistics */
static void json_digest(digest_t *d, const struct jvalue *v, uint32_t *counts)
{
    counts[v->type]++;
    dg_u64(d, (uint64_t)v->type);
    switch (v->type) {
    case J_INT: dg_i64(d, v->u.i); break;
    case J_FLOAT: dg_f64(d, v->u.f); break;
    case J_STRING: dg_bytes(d, v->u.str.s, v->u.str.len); break;
    case J_ARRAY:
    case J_OBJECT:
        dg_u64(d, v->u.list.n);
        for (size_t i = 0; i < v->u.list.n; i++) {
            if (v->type == J_OBJECT)
                dg_str(d, v->u.list.keys[i]);
            json_digest(d, v->u.list.items[i], counts);
        }
        break;
    default:
        break;
    }
}

/* ---- generator ------------------------------------------------------------ */

static void gen_string(strbuf_t *sb, rng_t *r)
{
    static const char *const parts[] = {"alpha", "beta", "gamma", " ", "\\n", "\\\"q\\\"", "\\u00e9",
                                        "\\ud83d\\ude00", "x", "\\t", "42", "\\/", "\\u0001"};
    sb_putc(sb, '"');
    int n = (int)rng_below(r, 6);
    for (int i = 0; i < n; i++)
        sb_puts(sb, parts[rng_below(r, sizeof parts / sizeof parts[0])]);
    sb_putc(sb, '"');
}

static void gen_value(strbuf_t *sb, rng_t *r, int depth)
{
    uint32_t pick = rng_below(r, depth > 5 ? 6 : 9);
    switch (pick) {
    case 0: sb_puts(sb, "null"); break;
    case 1: sb_puts(sb, rng_below(r, 2) ? "true" : "false"); break;
    case 2: sb_printf(sb, "%d", (int)rng_u32(r)); break;
    case 3: {
        /* draw in a fixed order: argument evaluation order is unspecified in C */
        uint32_t ip = rng_below(r, 1000), fp = rng_below(r, 1000);
        int e = (int)rng_below(r, 40) - 20;
        sb_printf(sb, "%u.%03ue%d", ip, fp, e);
        break;
    }
    case 4: {
        uint32_t ip = rng_below(r, 100000), fp = rng_below(r, 100);
        sb_printf(sb, "-%u.%u", ip, fp);
        break;
    }
    case 5: gen_string(sb, r); break;
    case 6:
    case 7: {
        int n = (int)rng_below(r, 6);
        sb_puts(sb, "{ ");
        for (int i = 0; i < n; i++) {
            if (i)
                sb_puts(sb, ", ");
            sb_printf(sb, "\"k%u_%d\": ", rng_below(r, 50), i);
            gen_value(sb, r, depth + 1);
        }
        sb_puts(sb, " }");
        break;
    }
    default: {
        int n = (int)rng_below(r, 8);
        sb_putc(sb, '[');
        for (int i = 0; i < n; i++) {
            if (i)
                sb_putc(sb, ',');
            gen_value(sb, r, depth + 1);
        }
        sb_putc(sb, ']');
        break;
    }
    }
}

static const char *const bad_docs[] = {
    "", "{", "[1,]", "{\"a\" 1}", "[\"unterminated]", "tru", "01x", "[1 2]", "{\"a\":}", "\"\\ud800\"",
    "[-]", "1.", "2e", "\"\\q\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]",
};

uint64_t bench_json(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 0x15015015ULL);
    uint32_t counts[8] = {0};
    uint32_t roundtrips = 0, failures = 0, misses = 0;

    for (int doc = 0; doc < 40 * scale; doc++) {
        strbuf_t src;
        sb_init(&src);
        sb_puts(&src, "{\"id\": ");
        sb_printf(&src, "%d, \"name\": \"doc%d\", \"items\": [", doc, doc);
        int nitems = 5 + (int)rng_below(&r, 20);
        for (int i = 0; i < nitems; i++) {
            if (i)
                sb_puts(&src, ",\n  ");
            gen_value(&src, &r, 1);
        }
        sb_puts(&src, "], \"meta\": ");
        gen_value(&src, &r, 3);
        sb_puts(&src, "}");

        struct jvalue *v = json_parse(src.data, src.len, &misses);
        if (!v) {
            failures++;
            sb_free(&src);
            continue;
        }
        const struct jvalue *id = json_get(v, "id");
        dg_i64(&d, id && id->type == J_INT ? id->u.i : -1);
        const struct jvalue *items = json_get(v, "items");
        dg_u64(&d, items && items->type == J_ARRAY ? items->u.list.n : 0);
        json_digest(&d, v, counts);

        /* compact and pretty output both re-parse to an equal tree */
        for (int indent = 0; indent <= 2; indent += 2) {
            strbuf_t out;
            sb_init(&out);
            json_write(&out, v, indent, 0);
            struct jvalue *w = json_parse(out.data, out.len, &misses);
            if (w && json_equal(v, w))
                roundtrips++;
            dg_u64(&d, out.len);
            if (indent == 0)
                dg_u64(&d, crc32_update(0, out.data, out.len));
            jfree(w);
            sb_free(&out);
        }
        jfree(v);
        sb_free(&src);
    }
    for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
        struct jvalue *v = json_parse(bad_docs[i], strlen(bad_docs[i]), &misses);
        check(&d, v == NULL, "json: malformed document rejected");
        jfree(v);
    }
    for (int t = 0; t < 8; t++)
        dg_u64(&d, counts[t]);
    check(&d, roundtrips == 2u * 40u * (unsigned)scale, "json: serialized output re-parses equal");
    check(&d, failures == 0, "json: generated documents parse");
    check(&d, misses == 0, "json: digit-based estimate matches strtod");
    return d.h;
}
