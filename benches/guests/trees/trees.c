/* trees: malloc-heavy tree building.
 *
 * Complete binary trees built and torn down node by node (many small
 * malloc/free pairs, recursive checks), a long-lived tree that keeps
 * the heap fragmented, and a treap with random priorities that is
 * grown by insertion and shrunk by deletion, exercising the allocator's
 * reuse of freed blocks.
 *
 * usage: trees.wasm [ROUNDS]   (default 4) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

static void oom(void) {
  fprintf(stderr, "trees: out of memory\n");
  exit(2);
}

/* ---- complete binary trees ---- */
struct node { struct node *l, *r; int32_t v; };

static struct node *build(int depth, int32_t v) {
  struct node *n = malloc(sizeof *n);
  if (!n) oom();
  n->v = v;
  if (depth > 0) {
    n->l = build(depth - 1, 2 * v - 1);
    n->r = build(depth - 1, 2 * v);
  } else {
    n->l = n->r = NULL;
  }
  return n;
}
static int64_t check(const struct node *n) {
  if (!n->l) return n->v;
  return n->v + check(n->l) - check(n->r);
}
static void release(struct node *n) {
  if (n->l) { release(n->l); release(n->r); }
  free(n);
}

__attribute__((noinline)) static uint64_t binary_trees(int maxdepth) {
  uint64_t h = 0;
  struct node *longlived = build(maxdepth, 0);
  for (int d = 4; d <= maxdepth; d += 2) {
    int iters = 1 << (maxdepth - d + 4);
    int64_t sum = 0;
    for (int i = 0; i < iters; i++) {
      struct node *t = build(d, i);
      sum += check(t);
      release(t);
    }
    h = mix(h, (uint64_t)sum ^ (uint64_t)iters << 32);
  }
  h = mix(h, (uint64_t)check(longlived));
  release(longlived);
  return h;
}

/* ---- treap ---- */
struct tnode { struct tnode *c[2]; uint32_t key, prio, size; char payload[12]; };

static uint64_t rng = 88172645463325252ull;
static uint32_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}
static uint32_t sz(const struct tnode *t) { return t ? t->size : 0; }
static void fix(struct tnode *t) { t->size = 1 + sz(t->c[0]) + sz(t->c[1]); }
static struct tnode *rotate(struct tnode *t, int d) {
  struct tnode *s = t->c[d];
  t->c[d] = s->c[!d];
  s->c[!d] = t;
  fix(t);
  fix(s);
  return s;
}
static struct tnode *insert(struct tnode *t, uint32_t key) {
  if (!t) {
    t = malloc(sizeof *t);
    if (!t) oom();
    t->c[0] = t->c[1] = NULL;
    t->key = key;
    t->prio = next();
    t->size = 1;
    for (int i = 0; i < 12; i++) t->payload[i] = (char)(key >> (i & 3));
    return t;
  }
  if (key == t->key) return t;
  int d = key > t->key;
  t->c[d] = insert(t->c[d], key);
  fix(t);
  if (t->c[d]->prio > t->prio) t = rotate(t, d);
  return t;
}
static struct tnode *erase(struct tnode *t, uint32_t key) {
  if (!t) return NULL;
  if (key != t->key) {
    int d = key > t->key;
    t->c[d] = erase(t->c[d], key);
    fix(t);
    return t;
  }
  if (!t->c[0] || !t->c[1]) {
    struct tnode *child = t->c[0] ? t->c[0] : t->c[1];
    free(t);
    return child;
  }
  int d = t->c[1]->prio > t->c[0]->prio;
  t = rotate(t, d);
  t->c[!d] = erase(t->c[!d], key);
  fix(t);
  return t;
}
static uint32_t kth(const struct tnode *t, uint32_t k) {
  for (;;) {
    uint32_t ls = sz(t->c[0]);
    if (k < ls) t = t->c[0];
    else if (k == ls) return t->key;
    else { k -= ls + 1; t = t->c[1]; }
  }
}
static void destroy(struct tnode *t) {
  if (!t) return;
  destroy(t->c[0]);
  destroy(t->c[1]);
  free(t);
}

__attribute__((noinline)) static uint64_t treap(int n) {
  struct tnode *root = NULL;
  uint64_t h = 0;
  for (int i = 0; i < n; i++) root = insert(root, next() % (uint32_t)(4 * n));
  for (int phase = 0; phase < 4; phase++) {
    for (int i = 0; i < n / 2; i++) root = erase(root, next() % (uint32_t)(4 * n));
    for (int i = 0; i < n / 2; i++) root = insert(root, next() % (uint32_t)(4 * n));
    uint32_t s = sz(root);
    for (uint32_t k = 0; k < s; k += 97) h = mix(h, kth(root, k));
    h = mix(h, s);
  }
  destroy(root);
  return h;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 4;
  uint64_t h[2] = {0};
  for (long r = 0; r < rounds; r++) {
    h[0] = mix(h[0], binary_trees(14 + (int)(r & 1)));
    h[1] = mix(h[1], treap(60000));
  }
  printf("binarytrees %016llx\n", (unsigned long long)h[0]);
  printf("treap       %016llx\n", (unsigned long long)h[1]);
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)mix(h[0], h[1]));
  return 0;
}
