/* bulkmem: memcpy / memmove / memset heavy code.
 *
 * Built with -mbulk-memory, so clang lowers these calls to the
 * memory.copy and memory.fill instructions. A gap buffer edited at
 * random positions (overlapping memmove of the text behind the cursor),
 * a framed message queue copying variable-length records in and out of a
 * ring, a frame-buffer of rows cleared with memset and blitted with
 * memcpy, and a string builder that doubles its capacity.
 *
 * usage: bulkmem.wasm [ROUNDS]   (default 90) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}
static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}
static uint64_t fnv(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i += 61) h = (h ^ p[i]) * 0x100000001b3ull;
  return h ^ n;
}

/* ---- gap buffer ---- */
#define GAPCAP (1u << 20)
static uint8_t gapbuf[GAPCAP];
__attribute__((noinline)) static uint64_t gap_edit(int edits) {
  size_t len = 0, gap = 0, gapend = GAPCAP;  /* text = [0,gap) ++ [gapend,GAPCAP) */
  uint8_t chunk[256];
  for (int e = 0; e < edits; e++) {
    size_t target = len ? next() % (len + 1) : 0;
    /* move the gap to target */
    if (target < gap) {
      size_t n = gap - target;
      memmove(gapbuf + gapend - n, gapbuf + target, n);
      gap = target; gapend -= n;
    } else if (target > gap) {
      size_t n = target - gap;
      memmove(gapbuf + gap, gapbuf + gapend, n);
      gap += n; gapend += n;
    }
    uint32_t r = next();
    if ((r & 3) != 0 && gapend - gap > sizeof chunk) {  /* insert */
      size_t n = 1 + (r >> 2) % sizeof chunk;
      memset(chunk, 'a' + (int)(r % 26), n);
      chunk[0] = (uint8_t)e;
      memcpy(gapbuf + gap, chunk, n);
      gap += n; len += n;
    } else {  /* delete forward */
      size_t n = (r >> 2) % 512;
      if (n > GAPCAP - gapend) n = GAPCAP - gapend;
      gapend += n; len -= n;
    }
  }
  memmove(gapbuf + gap, gapbuf + gapend, GAPCAP - gapend);  /* close the gap */
  return fnv(gapbuf, len);
}

/* ---- ring of framed messages ---- */
#define RING (1u << 16)
static uint8_t ring[RING];
__attribute__((noinline)) static uint64_t queue(int messages) {
  uint32_t head = 0, tail = 0;  /* free-running */
  uint8_t msg[2048], out[2048];
  uint64_t h = 0;
  for (int m = 0; m < messages; m++) {
    uint16_t n = (uint16_t)(16 + next() % (sizeof msg - 16));
    memset(msg, (int)(m & 0xff), n);
    memcpy(msg, &m, sizeof m);
    while (RING - (tail - head) < n + 2u) {  /* drain until it fits */
      uint16_t k;
      uint32_t at = head % RING;
      uint8_t hdr[2] = {ring[at], ring[(at + 1) % RING]};
      memcpy(&k, hdr, 2);
      at = (head + 2) % RING;
      uint32_t first = k < RING - at ? k : RING - at;
      memcpy(out, ring + at, first);
      memcpy(out + first, ring, k - first);
      h = mix(h, fnv(out, k));
      head += 2u + k;
    }
    uint8_t hdr[2];
    memcpy(hdr, &n, 2);
    ring[tail % RING] = hdr[0];
    ring[(tail + 1) % RING] = hdr[1];
    uint32_t at = (tail + 2) % RING;
    uint32_t first = n < RING - at ? n : RING - at;
    memcpy(ring + at, msg, first);
    memcpy(ring, msg + first, n - first);
    tail += 2u + n;
  }
  return mix(h, tail - head);
}

/* ---- frame buffer ---- */
#define W 640
#define H 480
static uint32_t fb[H][W], sprite[64][64];
__attribute__((noinline)) static uint64_t blit(int frames) {
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++) sprite[y][x] = (uint32_t)(x * 4 + y * 256 + 0xff000000u);
  uint64_t h = 0;
  for (int f = 0; f < frames; f++) {
    memset(fb, f & 0xff, sizeof fb);
    for (int s = 0; s < 64; s++) {
      int sx = (int)(next() % (W - 64)), sy = (int)(next() % (H - 64));
      for (int y = 0; y < 64; y++) memcpy(&fb[sy + y][sx], sprite[y], sizeof sprite[y]);
    }
    /* scroll up by 8 rows */
    memmove(fb[0], fb[8], sizeof fb - 8 * sizeof fb[0]);
    memset(fb[H - 8], 0, 8 * sizeof fb[0]);
    h = mix(h, fnv((const uint8_t *)fb, sizeof fb));
  }
  return h;
}

/* ---- growing string builder ---- */
__attribute__((noinline)) static uint64_t builder(int pieces) {
  size_t cap = 16, len = 0;
  char *s = malloc(cap);
  if (!s) exit(2);
  static const char *words[] = {"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta "};
  for (int i = 0; i < pieces; i++) {
    const char *w = words[next() & 7];
    size_t n = strlen(w);
    if (len + n + 1 > cap) {
      char *t = malloc(cap * 2);
      if (!t) exit(2);
      memcpy(t, s, len);
      free(s);
      s = t;
      cap *= 2;
    }
    memcpy(s + len, w, n);
    len += n;
  }
  uint64_t h = fnv((const uint8_t *)s, len);
  free(s);
  return h;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 90;
  uint64_t h[4] = {0};
  for (long r = 0; r < rounds; r++) {
    h[0] = mix(h[0], gap_edit(3000));
    h[1] = mix(h[1], queue(40000));
    h[2] = mix(h[2], blit(12));
    h[3] = mix(h[3], builder(200000));
  }
  static const char *names[4] = {"gapbuffer", "queue", "blit", "builder"};
  uint64_t all = 0;
  for (int i = 0; i < 4; i++) {
    printf("%-10s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return 0;
}
