/* floats: f64 and f32 numeric kernels.
 *
 * f64: an n-body integration (sqrt, divides, dependent chains), a
 * Mandelbrot escape-time grid, and Simpson integration of a polynomial.
 * f32: a dense single-precision matrix product, a 2-D Jacobi stencil, and
 * a Horner-evaluated polynomial with float<->int conversions.
 * Results are hashed by their bit patterns; no NaN is ever produced.
 *
 * usage: floats.wasm [ROUNDS]   (default 140) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}
static uint64_t bits64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t bits32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* ---- f64 n-body ---- */
#define BODIES 5
struct body { double x, y, z, vx, vy, vz, m; };

__attribute__((noinline)) static double nbody(int steps, double dt) {
  struct body b[BODIES];
  for (int i = 0; i < BODIES; i++) {
    double k = (double)(i + 1);
    b[i] = (struct body){k * 1.5, k * -0.75 + 0.3, k * 0.125, 0.01 * k, -0.02 * k + 0.05, 0.003 * k,
                         i == 0 ? 39.47 : 0.04 / k};
  }
  for (int s = 0; s < steps; s++) {
    for (int i = 0; i < BODIES; i++)
      for (int j = i + 1; j < BODIES; j++) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz + 1e-9;
        double mag = dt / (d2 * sqrt(d2));
        b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
        b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
      }
    for (int i = 0; i < BODIES; i++) {
      b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz;
    }
  }
  double e = 0;
  for (int i = 0; i < BODIES; i++)
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
  return e;
}

/* ---- f64 Mandelbrot ---- */
__attribute__((noinline)) static uint64_t mandel(int w, int h, int maxit, double cx0) {
  uint64_t total = 0;
  for (int py = 0; py < h; py++) {
    double ci = -1.2 + 2.4 * py / h;
    for (int px = 0; px < w; px++) {
      double cr = cx0 + 3.0 * px / w, zr = 0, zi = 0;
      int it = 0;
      while (it < maxit && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        it++;
      }
      total = total * 3 + (uint64_t)it;
    }
  }
  return total;
}

/* ---- f64 Simpson integration ---- */
static double poly(double x) { return ((0.25 * x - 1.5) * x + 2.0) * x * x - x + 7.0; }
__attribute__((noinline)) static double simpson(double a, double b, int n) {
  double hh = (b - a) / n, s = poly(a) + poly(b);
  for (int i = 1; i < n; i++) s += poly(a + i * hh) * ((i & 1) ? 4.0 : 2.0);
  return s * hh / 3.0;
}

/* ---- f32 matrix product ---- */
#define N32 64
static float ma[N32][N32], mb[N32][N32], mc[N32][N32];
__attribute__((noinline)) static float matmul32(float seed) {
  for (int i = 0; i < N32; i++)
    for (int j = 0; j < N32; j++) {
      ma[i][j] = (float)((i * 7 + j * 3) % 17) * 0.0625f - 0.5f + seed;
      mb[i][j] = (float)((i * 5 + j * 11) % 13) * 0.125f - 0.75f;
    }
  for (int i = 0; i < N32; i++)
    for (int j = 0; j < N32; j++) {
      float s = 0;
      for (int k = 0; k < N32; k++) s += ma[i][k] * mb[k][j];
      mc[i][j] = s;
    }
  float t = 0;
  for (int i = 0; i < N32; i++) t += mc[i][(i * 13) % N32] - mc[(i * 5) % N32][i] * 0.5f;
  return t;
}

/* ---- f32 Jacobi stencil ---- */
#define G 96
static float grid[2][G][G];
__attribute__((noinline)) static float jacobi(int iters, float hot) {
  memset(grid, 0, sizeof grid);
  for (int i = 0; i < G; i++) grid[0][0][i] = grid[1][0][i] = hot;
  int cur = 0;
  for (int it = 0; it < iters; it++) {
    for (int y = 1; y < G - 1; y++)
      for (int x = 1; x < G - 1; x++)
        grid[cur ^ 1][y][x] = 0.25f * (grid[cur][y - 1][x] + grid[cur][y + 1][x] + grid[cur][y][x - 1] +
                                       grid[cur][y][x + 1]);
    cur ^= 1;
  }
  float s = 0;
  for (int y = 0; y < G; y++) s += grid[cur][y][G / 2] + grid[cur][G / 3][y];
  return s;
}

/* ---- f32 polynomial and conversions ---- */
__attribute__((noinline)) static uint64_t convert32(int n) {
  uint64_t h = 0;
  float x = -3.0f;
  for (int i = 0; i < n; i++) {
    float y = ((((0.01f * x - 0.2f) * x + 0.5f) * x - 1.0f) * x + 2.0f);
    int32_t q = (int32_t)(y * 1000.0f);
    h = h * 1099511628211ull + (uint32_t)q + bits32(fabsf(y));
    x += 6.0f / (float)n;
    if (x > 3.0f) x = -3.0f + (float)(q & 7) * 0.01f;
  }
  return h;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 140;
  uint64_t h[6] = {0};
  for (long r = 0; r < rounds; r++) {
    h[0] = mix(h[0], bits64(nbody(20000, 0.001 + 0.0001 * (double)(r % 5))));
    h[1] = mix(h[1], mandel(160, 120, 200, -2.2 + 0.01 * (double)(r % 7)));
    h[2] = mix(h[2], bits64(simpson(-2.0, 3.0 + 0.5 * (double)(r % 3), 200000)));
    h[3] = mix(h[3], bits32(matmul32(0.03125f * (float)(r % 4))));
    h[4] = mix(h[4], bits32(jacobi(60, 100.0f + (float)(r % 9))));
    h[5] = mix(h[5], convert32(300000));
  }
  static const char *names[6] = {"nbody64", "mandel64", "simpson64", "matmul32", "jacobi32", "convert32"};
  uint64_t all = 0;
  for (int i = 0; i < 6; i++) {
    printf("%-10s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return 0;
}
