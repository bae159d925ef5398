/* simd: 128-bit SIMD kernels (built with -msimd128).
 *
 * Explicit wasm_simd128.h intrinsics: an f32x4 dot product and SAXPY, an
 * i8x16 byte-class count (compare + bitmask + popcount), an i16x8
 * saturating image blend, an i32x4 multiply-rotate hash lane-parallel,
 * and an i8x16 swizzle-based nibble lookup. A plain scalar loop that clang
 * auto-vectorizes (i32 dot product) rounds it off. Scalar reference
 * versions check the SIMD results on a sample.
 *
 * usage: simd.wasm [ROUNDS]   (default 2500) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#define N 16384
static float fa[N], fb[N];
static uint8_t text[N * 4];
static int16_t img1[N], img2[N], blend[N];
static uint32_t words[N];
static int32_t ia[N], ib[N];
static int failures;

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

__attribute__((noinline)) static float dot_f32x4(const float *a, const float *b, int n) {
  v128_t acc0 = wasm_f32x4_splat(0), acc1 = wasm_f32x4_splat(0);
  for (int i = 0; i < n; i += 8) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
  }
  v128_t s = wasm_f32x4_add(acc0, acc1);
  return (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
         (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
}

__attribute__((noinline)) static void saxpy_f32x4(float *y, const float *x, float a, int n) {
  v128_t va = wasm_f32x4_splat(a), lo = wasm_f32x4_splat(-4.0f), hi = wasm_f32x4_splat(4.0f);
  for (int i = 0; i < n; i += 4) {
    v128_t v = wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i)), wasm_v128_load(y + i));
    wasm_v128_store(y + i, wasm_f32x4_pmax(lo, wasm_f32x4_pmin(hi, v)));
  }
}

/* Count bytes that are ASCII letters, by (b|0x20) in ['a','z']. */
__attribute__((noinline)) static uint32_t count_letters(const uint8_t *p, int n) {
  uint32_t count = 0;
  v128_t low = wasm_i8x16_splat(0x20), a = wasm_i8x16_splat('a'), span = wasm_i8x16_splat('z' - 'a');
  for (int i = 0; i < n; i += 16) {
    v128_t v = wasm_v128_or(wasm_v128_load(p + i), low);
    v128_t d = wasm_i8x16_sub(v, a);
    v128_t in = wasm_u8x16_le(d, span);
    count += (uint32_t)__builtin_popcount(wasm_i8x16_bitmask(in));
  }
  return count;
}
static uint32_t count_letters_scalar(const uint8_t *p, int n) {
  uint32_t c = 0;
  for (int i = 0; i < n; i++) c += (uint8_t)((p[i] | 0x20) - 'a') <= 'z' - 'a';
  return c;
}

__attribute__((noinline)) static void blend_i16x8(int16_t *out, const int16_t *x, const int16_t *y, int n, int16_t alpha) {
  v128_t va = wasm_i16x8_splat(alpha);
  for (int i = 0; i < n; i += 8) {
    v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(y + i);
    v128_t mixd = wasm_i16x8_q15mulr_sat(wasm_i16x8_sub_sat(a, b), va);
    wasm_v128_store(out + i, wasm_i16x8_add_sat(b, mixd));
  }
}

__attribute__((noinline)) static uint64_t hash_i32x4(const uint32_t *w, int n, uint32_t seed) {
  v128_t h = wasm_i32x4_make((int32_t)seed, (int32_t)(seed * 3), (int32_t)(seed * 5), (int32_t)(seed * 7));
  v128_t m = wasm_i32x4_splat((int32_t)0x9e3779b1);
  for (int i = 0; i < n; i += 4) {
    h = wasm_v128_xor(h, wasm_v128_load(w + i));
    h = wasm_i32x4_mul(h, m);
    h = wasm_v128_or(wasm_i32x4_shl(h, 13), wasm_u32x4_shr(h, 19));
    h = wasm_i32x4_add(h, wasm_i32x4_shuffle(h, h, 1, 2, 3, 0));
  }
  return (uint64_t)(uint32_t)wasm_i32x4_extract_lane(h, 0) << 32 ^
         (uint32_t)wasm_i32x4_extract_lane(h, 1) ^ (uint64_t)(uint32_t)wasm_i32x4_extract_lane(h, 2) << 16 ^
         (uint32_t)wasm_i32x4_extract_lane(h, 3);
}

/* Map each nibble through a 16-entry table with i8x16.swizzle; sum the results. */
__attribute__((noinline)) static uint64_t nibble_map(const uint8_t *p, int n) {
  v128_t table = wasm_i8x16_make(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3);
  v128_t mask = wasm_i8x16_splat(0x0f);
  v128_t acc = wasm_i32x4_splat(0);
  for (int i = 0; i < n; i += 16) {
    v128_t v = wasm_v128_load(p + i);
    v128_t lo = wasm_i8x16_swizzle(table, wasm_v128_and(v, mask));
    v128_t hi = wasm_i8x16_swizzle(table, wasm_u8x16_shr(v, 4));
    v128_t s16 = wasm_u16x8_extadd_pairwise_u8x16(wasm_i8x16_add(lo, hi));
    acc = wasm_i32x4_add(acc, wasm_u32x4_extadd_pairwise_u16x8(s16));
  }
  return (uint64_t)wasm_i32x4_extract_lane(acc, 0) + (uint64_t)wasm_i32x4_extract_lane(acc, 1) * 3 +
         (uint64_t)wasm_i32x4_extract_lane(acc, 2) * 5 + (uint64_t)wasm_i32x4_extract_lane(acc, 3) * 7;
}

/* Plain C: clang's loop vectorizer turns this into i32x4 code. */
__attribute__((noinline)) static int64_t dot_i32_auto(const int32_t *a, const int32_t *b, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += (uint32_t)a[i] * (uint32_t)b[i];
  return (int32_t)s;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 2500;
  uint64_t s = 0x853c49e6748fea9bull;
  for (int i = 0; i < N; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    fa[i] = (float)((int)(s >> 40) % 2000) * 0.001f;
    fb[i] = (float)((int)(s >> 20 & 0xfff) - 2048) * 0.0005f;
    img1[i] = (int16_t)(s >> 16);
    img2[i] = (int16_t)(s >> 32);
    words[i] = (uint32_t)(s >> 29);
    ia[i] = (int32_t)(s >> 50) - 8000;
    ib[i] = (int32_t)(s >> 7 & 0xffff) - 30000;
  }
  for (int i = 0; i < N * 4; i++) text[i] = (uint8_t)(" etaoinshrdluETAOIN,.;0123456789\n"[(i * 7 + i / 13) % 33] ^ (i % 97 == 0 ? 0x80 : 0));
  if (count_letters(text, N * 4) != count_letters_scalar(text, N * 4)) failures++;
  uint64_t h[6] = {0};
  for (long r = 0; r < rounds; r++) {
    for (int k = 0; k < 8; k++) {
      h[0] = mix(h[0], fbits(dot_f32x4(fa, fb, N)));
      saxpy_f32x4(fb, fa, 0.125f - 0.03125f * (float)k, N);
      h[1] = mix(h[1], count_letters(text + k * 16, N * 4 - 256));
      blend_i16x8(blend, img1, img2, N, (int16_t)(r * 977 + k * 131));
      h[2] = mix(h[2], (uint64_t)(uint16_t)blend[(r * 31 + k) % N] << 16 ^ (uint16_t)blend[k * 7]);
      memcpy(img2, blend, sizeof blend);
      h[3] = mix(h[3], hash_i32x4(words, N, (uint32_t)(r * 8 + k)));
      h[4] = mix(h[4], nibble_map(text + k * 16, N * 4 - 256));
      ia[(r + k) % N] += 1;
      h[5] = mix(h[5], (uint64_t)dot_i32_auto(ia, ib, N));
    }
  }
  static const char *names[6] = {"dot_f32x4", "letters", "blend_i16", "hash_i32x4", "nibbles", "dot_auto"};
  uint64_t all = 0;
  for (int i = 0; i < 6; i++) {
    printf("%-10s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("check failures %d\n", failures);
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return failures != 0;
}
