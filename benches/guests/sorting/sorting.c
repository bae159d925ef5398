/* sorting: comparison and distribution sorts over arrays.
 *
 * Introsort-style quicksort on i32 (median of three, insertion sort for
 * short ranges), bottom-up merge sort on i64 with a scratch buffer, heap
 * sort on u32, LSD radix sort on u32 keys, shell sort on f64, and libc
 * qsort on small records with a comparator. Each result is checked to be
 * sorted (and a permutation, by an order-independent sum).
 *
 * usage: sorting.wasm [ROUNDS]   (default 9) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 200000

static uint64_t rng;
static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}
static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

static int32_t a32[N];
static int64_t a64[N], t64[N];
static uint32_t u32[N], tu32[N], r32[N];
static double f64[N];
struct rec { uint32_t key; uint16_t tag; char name[6]; };
static struct rec recs[N / 4];
static int failures;

/* ---- quicksort on i32 ---- */
static void insertion32(int32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}
static void quick32(int32_t *a, int n) {
  while (n > 16) {
    int32_t x = a[0], y = a[n / 2], z = a[n - 1];
    int32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    int i = 0, j = n - 1;
    for (;;) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i >= j) break;
      int32_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    /* recurse into the smaller side, loop on the larger */
    if (j + 1 < n - j - 1) { quick32(a, j + 1); a += j + 1; n -= j + 1; }
    else { quick32(a + j + 1, n - j - 1); n = j + 1; }
  }
  insertion32(a, n);
}

/* ---- bottom-up merge sort on i64 ---- */
static void merge64(int64_t *a, int64_t *tmp, int n) {
  int64_t *src = a, *dst = tmp;
  for (int w = 1; w < n; w *= 2) {
    for (int lo = 0; lo < n; lo += 2 * w) {
      int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    int64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, (size_t)n * sizeof *a);
}

/* ---- heap sort on u32 ---- */
static void sift(uint32_t *a, int i, int n) {
  uint32_t v = a[i];
  for (;;) {
    int c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && a[c + 1] > a[c]) c++;
    if (a[c] <= v) break;
    a[i] = a[c];
    i = c;
  }
  a[i] = v;
}
static void heapsort32(uint32_t *a, int n) {
  for (int i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
  for (int end = n - 1; end > 0; end--) {
    uint32_t t = a[0]; a[0] = a[end]; a[end] = t;
    sift(a, 0, end);
  }
}

/* ---- LSD radix sort on u32, 8 bits per pass ---- */
static void radix32(uint32_t *a, uint32_t *tmp, int n) {
  for (int shift = 0; shift < 32; shift += 8) {
    uint32_t count[257] = {0};
    for (int i = 0; i < n; i++) count[((a[i] >> shift) & 0xff) + 1]++;
    for (int i = 0; i < 256; i++) count[i + 1] += count[i];
    for (int i = 0; i < n; i++) tmp[count[(a[i] >> shift) & 0xff]++] = a[i];
    uint32_t *t = a; a = tmp; tmp = t;
  }
}

/* ---- shell sort on f64 (Ciura gaps, extended) ---- */
static void shell64(double *a, int n) {
  static const int gaps[] = {88573, 39366, 17496, 7776, 3456, 1536, 701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
    int gap = gaps[g];
    for (int i = gap; i < n; i++) {
      double v = a[i];
      int j = i;
      while (j >= gap && a[j - gap] > v) { a[j] = a[j - gap]; j -= gap; }
      a[j] = v;
    }
  }
}

static int cmp_rec(const void *x, const void *y) {
  const struct rec *a = x, *b = y;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  if (a->tag != b->tag) return a->tag < b->tag ? -1 : 1;
  return memcmp(a->name, b->name, sizeof a->name);
}

#define CHECK_SORTED(arr, n, name)                                   \
  do {                                                               \
    for (int i_ = 1; i_ < (n); i_++)                                 \
      if ((arr)[i_ - 1] > (arr)[i_]) { failures++; printf("%s not sorted\n", name); break; } \
  } while (0)

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 9;
  uint64_t h[6] = {0};
  for (long r = 0; r < rounds; r++) {
    rng = 0x853c49e6748fea9bull + (uint64_t)r;
    uint64_t sum_before = 0, sum_after = 0;
    for (int i = 0; i < N; i++) {
      a32[i] = (int32_t)next() % (r & 1 ? 1000 : 0x7fffffff);  /* odd rounds: many duplicates */
      a64[i] = (int64_t)next();
      u32[i] = (uint32_t)(next() >> 20);
      f64[i] = (double)(int64_t)(next() >> 11) * 0x1p-40 - 1000.0;
      sum_before += (uint64_t)a32[i];
    }
    quick32(a32, N);
    for (int i = 0; i < N; i++) sum_after += (uint64_t)a32[i];
    if (sum_before != sum_after) failures++;
    CHECK_SORTED(a32, N, "quick32");
    merge64(a64, t64, N);
    CHECK_SORTED(a64, N, "merge64");
    memcpy(tu32, u32, sizeof u32);
    heapsort32(tu32, N);
    CHECK_SORTED(tu32, N, "heap32");
    radix32(u32, r32, N);
    CHECK_SORTED(u32, N, "radix32");
    if (memcmp(u32, tu32, sizeof u32) != 0) { failures++; printf("heap and radix disagree\n"); }
    shell64(f64, N);
    CHECK_SORTED(f64, N, "shell64");
    for (int i = 0; i < N / 4; i++) {
      uint64_t v = next();
      recs[i].key = (uint32_t)(v % 5000);
      recs[i].tag = (uint16_t)(v >> 32);
      for (int k = 0; k < 6; k++) recs[i].name[k] = (char)('a' + (v >> (40 + 3 * k)) % 26);
    }
    qsort(recs, N / 4, sizeof recs[0], cmp_rec);
    for (int i = 1; i < N / 4; i++)
      if (cmp_rec(&recs[i - 1], &recs[i]) > 0) { failures++; printf("qsort not sorted\n"); break; }
    for (int i = 0; i < N; i += 331) {
      h[0] = mix(h[0], (uint32_t)a32[i]);
      h[1] = mix(h[1], (uint64_t)a64[i]);
      h[2] = mix(h[2], tu32[i]);
      h[3] = mix(h[3], u32[(i * 7) % N]);
      uint64_t fb; memcpy(&fb, &f64[i], 8);
      h[4] = mix(h[4], fb);
      if (i < N / 4) h[5] = mix(h[5], (uint64_t)recs[i].key << 16 ^ recs[i].tag ^ (uint64_t)recs[i].name[0] << 48);
    }
  }
  static const char *names[6] = {"quick32", "merge64", "heap32", "radix32", "shell64", "qsort"};
  uint64_t all = 0;
  for (int i = 0; i < 6; i++) {
    printf("%-8s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("sort failures %d\n", failures);
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return failures != 0;
}
