/* indirect: calls through function pointers (call_indirect).
 *
 * A table of arithmetic operators picked per element by data, a vtable
 * "class hierarchy" of shapes dispatched through struct-held pointers, a
 * state machine whose states are functions returning the next state, and
 * an iterator/visitor pipeline of composable callbacks. The targets
 * depend on run-time data so clang cannot devirtualize them.
 *
 * usage: indirect.wasm [ROUNDS]   (default 130) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (uint32_t)(rng >> 17);
}

/* ---- operator table ---- */
typedef uint32_t (*binop)(uint32_t, uint32_t);
static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1); }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_rot(uint32_t a, uint32_t b) { return a << (b & 31) | a >> ((32 - (b & 31)) & 31); }
static uint32_t op_min(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t op_avg(uint32_t a, uint32_t b) { return (a & b) + ((a ^ b) >> 1); }
static uint32_t op_div(uint32_t a, uint32_t b) { return a / (b | 1) + b; }
static binop ops[8] = {op_add, op_sub, op_mul, op_xor, op_rot, op_min, op_avg, op_div};

#define NOPS 4096
static uint8_t opcode[NOPS];
static uint32_t operand[NOPS];

__attribute__((noinline)) static uint32_t run_ops(uint32_t acc, int passes) {
  for (int p = 0; p < passes; p++)
    for (int i = 0; i < NOPS; i++) acc = ops[opcode[i]](acc, operand[i] + (uint32_t)p);
  return acc;
}

/* ---- vtables ---- */
struct shape;
struct shape_vt {
  int64_t (*area2)(const struct shape *);      /* twice the area, integral */
  int64_t (*perimeter_q)(const struct shape *); /* a rough perimeter */
  void (*scale)(struct shape *, int32_t num, int32_t den);
};
struct shape { const struct shape_vt *vt; int32_t a, b, c; };

static int64_t rect_area2(const struct shape *s) { return 2 * (int64_t)s->a * s->b; }
static int64_t rect_per(const struct shape *s) { return 2 * ((int64_t)s->a + s->b); }
static void rect_scale(struct shape *s, int32_t n, int32_t d) { s->a = s->a * n / d + 1; s->b = s->b * n / d + 1; }
static int64_t tri_area2(const struct shape *s) { return (int64_t)s->a * s->b; }
static int64_t tri_per(const struct shape *s) { return (int64_t)s->a + s->b + s->c; }
static void tri_scale(struct shape *s, int32_t n, int32_t d) { s->a = s->a * n / d + 1; s->b = s->b * d / n + 1; s->c = (s->a + s->b) / 2; }
static int64_t circ_area2(const struct shape *s) { return (int64_t)s->a * s->a * 628 / 100; }
static int64_t circ_per(const struct shape *s) { return (int64_t)s->a * 628 / 100; }
static void circ_scale(struct shape *s, int32_t n, int32_t d) { s->a = (s->a * n + d - 1) / d; }
static const struct shape_vt rect_vt = {rect_area2, rect_per, rect_scale};
static const struct shape_vt tri_vt = {tri_area2, tri_per, tri_scale};
static const struct shape_vt circ_vt = {circ_area2, circ_per, circ_scale};

#define NSHAPES 2048
static struct shape shapes[NSHAPES];

__attribute__((noinline)) static uint64_t run_shapes(int passes) {
  uint64_t h = 0;
  for (int p = 0; p < passes; p++) {
    int64_t total = 0;
    for (int i = 0; i < NSHAPES; i++) {
      struct shape *s = &shapes[i];
      total += s->vt->area2(s) - s->vt->perimeter_q(s);
      s->vt->scale(s, 3 + (i & 3), 4 + ((i >> 2) & 1));
      if (s->a > 4000 || s->a < 2 || s->b > 4000) { s->a = 1 + (i & 63); s->b = 2 + (i & 31); }
    }
    h = mix(h, (uint64_t)total);
  }
  return h;
}

/* ---- state machine: each state is a function returning the next ---- */
struct machine;
typedef const void *(*state_fn)(struct machine *, uint8_t);
struct machine { uint32_t words, numbers, digits, other; };
static const void *st_space(struct machine *m, uint8_t c);
static const void *st_word(struct machine *m, uint8_t c);
static const void *st_number(struct machine *m, uint8_t c);
static const void *classify(struct machine *m, uint8_t c) {
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') { m->words++; return (const void *)st_word; }
  if (c >= '0' && c <= '9') { m->numbers++; m->digits++; return (const void *)st_number; }
  if (c != ' ') m->other++;
  return (const void *)st_space;
}
static const void *st_space(struct machine *m, uint8_t c) { return classify(m, c); }
static const void *st_word(struct machine *m, uint8_t c) {
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return (const void *)st_word;
  return classify(m, c);
}
static const void *st_number(struct machine *m, uint8_t c) {
  if (c >= '0' && c <= '9') { m->digits++; return (const void *)st_number; }
  return classify(m, c);
}

#define TEXT 65536
static uint8_t text[TEXT];
__attribute__((noinline)) static uint64_t run_machine(int passes) {
  struct machine m = {0, 0, 0, 0};
  for (int p = 0; p < passes; p++) {
    state_fn st = st_space;
    for (int i = 0; i < TEXT; i++) st = (state_fn)st(&m, text[(i + p) & (TEXT - 1)]);
  }
  return (uint64_t)m.words << 48 ^ (uint64_t)m.numbers << 32 ^ (uint64_t)m.digits << 16 ^ m.other;
}

/* ---- callback pipeline ---- */
typedef int64_t (*map_fn)(int64_t);
typedef int (*pred_fn)(int64_t);
typedef int64_t (*fold_fn)(int64_t, int64_t);
static int64_t m_sq(int64_t x) { return x * x % 1000003; }
static int64_t m_inc(int64_t x) { return x + 7; }
static int64_t m_neg(int64_t x) { return -x ^ 0x55; }
static int64_t m_half(int64_t x) { return x / 2; }
static int p_even(int64_t x) { return (x & 1) == 0; }
static int p_pos(int64_t x) { return x > 0; }
static int p_mod3(int64_t x) { return x % 3 != 0; }
static int64_t f_sum(int64_t a, int64_t x) { return a + x; }
static int64_t f_xor(int64_t a, int64_t x) { return (int64_t)((uint64_t)(a ^ x) * 31); }
static int64_t f_max(int64_t a, int64_t x) { return a > x ? a : x; }
static map_fn maps[4] = {m_sq, m_inc, m_neg, m_half};
static pred_fn preds[3] = {p_even, p_pos, p_mod3};
static fold_fn folds[3] = {f_sum, f_xor, f_max};

__attribute__((noinline)) static int64_t pipeline(int64_t n, map_fn m1, map_fn m2, pred_fn p, fold_fn f) {
  int64_t acc = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t v = m2(m1(i));
    if (p(v)) acc = f(acc, v);
  }
  return acc;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 130;
  for (int i = 0; i < NOPS; i++) { opcode[i] = (uint8_t)(next() & 7); operand[i] = next(); }
  for (int i = 0; i < NSHAPES; i++) {
    uint32_t r = next();
    shapes[i].vt = r % 3 == 0 ? &rect_vt : r % 3 == 1 ? &tri_vt : &circ_vt;
    shapes[i].a = 1 + (int32_t)(r >> 8) % 200;
    shapes[i].b = 1 + (int32_t)(r >> 16) % 200;
    shapes[i].c = (shapes[i].a + shapes[i].b) / 2;
  }
  for (int i = 0; i < TEXT; i++) {
    uint32_t r = next() % 100;
    text[i] = (uint8_t)(r < 55 ? 'a' + r % 26 : r < 75 ? '0' + r % 10 : r < 95 ? ' ' : ",.;!-"[r % 5]);
  }
  uint64_t h[4] = {0};
  for (long r = 0; r < rounds; r++) {
    h[0] = mix(h[0], run_ops((uint32_t)r, 40));
    h[1] = mix(h[1], run_shapes(40));
    h[2] = mix(h[2], run_machine(4));
    for (int k = 0; k < 6; k++) {
      uint32_t sel = next();
      h[3] = mix(h[3], (uint64_t)pipeline(20000, maps[sel & 3], maps[(sel >> 2) & 3], preds[(sel >> 4) % 3],
                                          folds[(sel >> 6) % 3]));
    }
  }
  static const char *names[4] = {"optable", "vtables", "states", "pipeline"};
  uint64_t all = 0;
  for (int i = 0; i < 4; i++) {
    printf("%-9s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return 0;
}
