/*
 * dispatch.c - indirect calls everywhere: a small "object system" of shapes
 * with per-class method tables, a pipeline of filter stages held in an array
 * of function pointers, a table-driven state machine whose states are
 * functions, and callbacks passed through a generic fold.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- shapes with vtables -------------------------------------------------- */

struct shape;

struct shape_vtable {
    const char *name;
    double (*area)(const struct shape *);
    double (*perimeter)(const struct shape *);
    void (*scale)(struct shape *, double);
    int (*contains)(const struct shape *, double x, double y);
};

struct shape {
    const struct shape_vtable *vt;
    double x, y;
    double a, b; /* radius, or width/height, or two triangle legs */
};

static double circle_area(const struct shape *s) { return M_PI * s->a * s->a; }
static double circle_perimeter(const struct shape *s) { return 2.0 * M_PI * s->a; }
static void circle_scale(struct shape *s, double f) { s->a *= f; }
static int circle_contains(const struct shape *s, double x, double y)
{
    double dx = x - s->x, dy = y - s->y;
    return dx * dx + dy * dy <= s->a * s->a;
}

static double rect_area(const struct shape *s) { return s->a * s->b; }
static double rect_perimeter(const struct shape *s) { return 2.0 * (s->a + s->b); }
static void rect_scale(struct shape *s, double f)
{
    s->a *= f;
    s->b *= f;
}
static int rect_contains(const struct shape *s, double x, double y)
{
    return x >= s->x && x <= s->x + s->a && y >= s->y && y <= s->y + s->b;
}

static double tri_area(const struct shape *s) { return 0.5 * s->a * s->b; }
static double tri_perimeter(const struct shape *s) { return s->a + s->b + sqrt(s->a * s->a + s->b * s->b); }
static int tri_contains(const struct shape *s, double x, double y)
{
    double u = (x - s->x) / s->a, v = (y - s->y) / s->b;
    return u >= 0 && v >= 0 && u + v <= 1.0;
}

static const struct shape_vtable circle_vt = {"circle", circle_area, circle_perimeter, circle_scale, circle_contains};
static const struct shape_vtable rect_vt = {"rect", rect_area, rect_perimeter, rect_scale, rect_contains};
static const struct shape_vtable tri_vt = {"triangle", tri_area, tri_perimeter, rect_scale, tri_contains};

/* ---- filter pipeline ------------------------------------------------------ */

typedef int32_t (*stage_fn)(int32_t v, int32_t *state);

static int32_t st_scale(int32_t v, int32_t *state)
{
    (void)state;
    return v * 3 / 2;
}
static int32_t st_clamp(int32_t v, int32_t *state)
{
    (void)state;
    return v < -30000 ? -30000 : v > 30000 ? 30000 : v;
}
static int32_t st_lowpass(int32_t v, int32_t *state)
{
    *state += (v - *state) / 4;
    return *state;
}
static int32_t st_diff(int32_t v, int32_t *state)
{
    int32_t d = v - *state;
    *state = v;
    return d;
}
static int32_t st_abs(int32_t v, int32_t *state)
{
    (void)state;
    return v < 0 ? -v : v;
}
static int32_t st_quant(int32_t v, int32_t *state)
{
    (void)state;
    return v & ~15; /* round down to a multiple of 16 */
}

static const stage_fn all_stages[] = {st_scale, st_clamp, st_lowpass, st_diff, st_abs, st_quant};
#define NSTAGES (sizeof all_stages / sizeof all_stages[0])

/* ---- state machine: a number recogniser with states as functions ----------- */

struct sm;

/* a state is a function returning the next state; the struct breaks the type recursion */
struct sm_state {
    struct sm_state (*fn)(struct sm *, char c);
};

struct sm {
    uint32_t ints, floats, exps, rejects;
    int digits;
};

static struct sm_state s_start(struct sm *m, char c);
static struct sm_state s_int(struct sm *m, char c);
static struct sm_state s_frac(struct sm *m, char c);
static struct sm_state s_exp(struct sm *m, char c);
static struct sm_state s_junk(struct sm *m, char c);

static int is_sep(char c) { return c == ' ' || c == '\n' || c == ','; }

static struct sm_state s_start(struct sm *m, char c)
{
    m->digits = 0;
    if (c >= '0' && c <= '9') {
        m->digits = 1;
        return (struct sm_state){s_int};
    }
    if (c == '-')
        return (struct sm_state){s_int};
    if (is_sep(c))
        return (struct sm_state){s_start};
    return (struct sm_state){s_junk};
}

static struct sm_state s_int(struct sm *m, char c)
{
    if (c >= '0' && c <= '9') {
        m->digits++;
        return (struct sm_state){s_int};
    }
    if (c == '.')
        return (struct sm_state){s_frac};
    if (c == 'e')
        return (struct sm_state){s_exp};
    if (is_sep(c)) {
        if (m->digits)
            m->ints++;
        else
            m->rejects++;
        return (struct sm_state){s_start};
    }
    return (struct sm_state){s_junk};
}

static struct sm_state s_frac(struct sm *m, char c)
{
    if (c >= '0' && c <= '9')
        return (struct sm_state){s_frac};
    if (c == 'e')
        return (struct sm_state){s_exp};
    if (is_sep(c)) {
        m->floats++;
        return (struct sm_state){s_start};
    }
    return (struct sm_state){s_junk};
}

static struct sm_state s_exp(struct sm *m, char c)
{
    if ((c >= '0' && c <= '9') || c == '-')
        return (struct sm_state){s_exp};
    if (is_sep(c)) {
        m->exps++;
        return (struct sm_state){s_start};
    }
    return (struct sm_state){s_junk};
}

static struct sm_state s_junk(struct sm *m, char c)
{
    if (is_sep(c)) {
        m->rejects++;
        return (struct sm_state){s_start};
    }
    return (struct sm_state){s_junk};
}

/* ---- generic fold with callbacks ------------------------------------------ */

typedef uint64_t (*fold_fn)(uint64_t acc, uint32_t x);

static uint64_t f_sum(uint64_t acc, uint32_t x) { return acc + x; }
static uint64_t f_xor(uint64_t acc, uint32_t x) { return acc ^ ((uint64_t)x << (x & 31)); }
static uint64_t f_max(uint64_t acc, uint32_t x) { return acc > x ? acc : x; }
static uint64_t f_poly(uint64_t acc, uint32_t x) { return acc * 31 + x; }

static uint64_t fold(const uint32_t *xs, size_t n, fold_fn f, uint64_t init)
{
    for (size_t i = 0; i < n; i++)
        init = f(init, xs[i]);
    return init;
}

uint64_t bench_dispatch(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 0xd15ba7c4ULL);

    size_t ns = 500u * (size_t)scale;
    struct shape *shapes = xmalloc(ns * sizeof *shapes);
    const struct shape_vtable *vts[] = {&circle_vt, &rect_vt, &tri_vt};
    for (size_t i = 0; i < ns; i++) {
        shapes[i].vt = vts[rng_below(&r, 3)];
        shapes[i].x = rng_f64(&r) * 100;
        shapes[i].y = rng_f64(&r) * 100;
        shapes[i].a = 1 + rng_f64(&r) * 10;
        shapes[i].b = 1 + rng_f64(&r) * 10;
    }
    double area = 0, perim = 0;
    uint32_t hits = 0;
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < ns; i++) {
            const struct shape *s = &shapes[i];
            area += s->vt->area(s);
            perim += s->vt->perimeter(s);
        }
        for (int q = 0; q < 200; q++) {
            double px = rng_f64(&r) * 100, py = rng_f64(&r) * 100;
            for (size_t i = 0; i < ns; i++)
                hits += (uint32_t)shapes[i].vt->contains(&shapes[i], px, py);
        }
        for (size_t i = 0; i < ns; i++)
            shapes[i].vt->scale(&shapes[i], round & 1 ? 1.25 : 0.8);
    }
    dg_f64(&d, area);
    dg_f64(&d, perim);
    dg_u64(&d, hits);
    uint32_t per_class[3] = {0, 0, 0};
    for (size_t i = 0; i < ns; i++)
        for (int k = 0; k < 3; k++)
            per_class[k] += strcmp(shapes[i].vt->name, vts[k]->name) == 0;
    for (int k = 0; k < 3; k++)
        dg_u64(&d, per_class[k]);
    free(shapes);

    /* pipelines: random subsets of stages in random orders */
    for (int p = 0; p < 12; p++) {
        stage_fn pipe[8];
        int32_t state[8];
        int len = 2 + (int)rng_below(&r, 6);
        for (int k = 0; k < len; k++) {
            pipe[k] = all_stages[rng_below(&r, NSTAGES)];
            state[k] = 0;
        }
        int64_t sum = 0;
        for (int i = 0; i < 3000 * scale; i++) {
            int32_t v = (int32_t)(rng_u32(&r) % 20001u) - 10000;
            for (int k = 0; k < len; k++)
                v = pipe[k](v, &state[k]);
            sum += v;
        }
        dg_i64(&d, sum);
    }

    /* state machine over generated tokens */
    static const char *const toks[] = {"12", "-7", "3.25", "1e10", "x9", "0", "-", "4.5e-3", "abc", "77."};
    struct sm m = {0, 0, 0, 0, 0};
    struct sm_state st = {s_start};
    for (int i = 0; i < 20000 * scale; i++) {
        const char *t = toks[rng_below(&r, 10)];
        for (; *t; t++)
            st = st.fn(&m, *t);
        st = st.fn(&m, i % 9 == 0 ? '\n' : ' ');
    }
    dg_u64(&d, m.ints);
    dg_u64(&d, m.floats);
    dg_u64(&d, m.exps);
    dg_u64(&d, m.rejects);

    /* folds */
    size_t nx = 10000u * (size_t)scale;
    uint32_t *xs = xmalloc(nx * sizeof *xs);
    for (size_t i = 0; i < nx; i++)
        xs[i] = rng_u32(&r);
    static const fold_fn folds[] = {f_sum, f_xor, f_max, f_poly};
    for (size_t k = 0; k < sizeof folds / sizeof folds[0]; k++)
        dg_u64(&d, fold(xs, nx, folds[k], k));
    free(xs);
    return d.h;
}
