/*
 * matrix.c - floating-point kernels in f32 and f64: blocked matrix
 * multiply, LU decomposition with partial pivoting and a linear solve,
 * Jacobi relaxation on a grid, an n-body integrator, a radix-2 FFT, a
 * Mandelbrot escape-time count and some libm calls. NaNs are never
 * produced, so results are bit-for-bit reproducible on any IEEE engine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- matrices ------------------------------------------------------------- */

static void matmul_f64(const double *a, const double *b, double *c, int n)
{
    const int bs = 16;
    memset(c, 0, (size_t)n * (size_t)n * sizeof *c);
    for (int ii = 0; ii < n; ii += bs)
        for (int kk = 0; kk < n; kk += bs)
            for (int jj = 0; jj < n; jj += bs) {
                int imax = ii + bs < n ? ii + bs : n;
                int kmax = kk + bs < n ? kk + bs : n;
                int jmax = jj + bs < n ? jj + bs : n;
                for (int i = ii; i < imax; i++)
                    for (int k = kk; k < kmax; k++) {
                        double aik = a[i * n + k];
                        for (int j = jj; j < jmax; j++)
                            c[i * n + j] += aik * b[k * n + j];
                    }
            }
}

static void matmul_f32(const float *a, const float *b, float *c, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0.0f;
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

/* in-place LU with partial pivoting; returns 0 if singular */
static int lu_decompose(double *a, int *perm, int n)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int k = 0; k < n; k++) {
        int p = k;
        double best = fabs(a[k * n + k]);
        for (int i = k + 1; i < n; i++) {
            double v = fabs(a[i * n + k]);
            if (v > best) {
                best = v;
                p = i;
            }
        }
        if (best < 1e-300)
            return 0;
        if (p != k) {
            for (int j = 0; j < n; j++) {
                double t = a[k * n + j];
                a[k * n + j] = a[p * n + j];
                a[p * n + j] = t;
            }
            int t = perm[k];
            perm[k] = perm[p];
            perm[p] = t;
        }
        double inv = 1.0 / a[k * n + k];
        for (int i = k + 1; i < n; i++) {
            double f = a[i * n + k] * inv;
            a[i * n + k] = f;
            for (int j = k + 1; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
        }
    }
    return 1;
}

static void lu_solve(const double *lu, const int *perm, const double *b, double *x, int n)
{
    for (int i = 0; i < n; i++) {
        double s = b[perm[i]];
        for (int j = 0; j < i; j++)
            s -= lu[i * n + j] * x[j];
        x[i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = x[i];
        for (int j = i + 1; j < n; j++)
            s -= lu[i * n + j] * x[j];
        x[i] = s / lu[i * n + i];
    }
}

/* ---- grid relaxation (f32) ------------------------------------------------ */

static float jacobi_f32(int n, int iters)
{
    float *u = xcalloc((size_t)n * (size_t)n, sizeof *u);
    float *v = xcalloc((size_t)n * (size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) {
        u[i] = v[i] = 1.0f;                              /* top edge hot */
        u[(n - 1) * n + i] = v[(n - 1) * n + i] = -0.5f; /* bottom edge cold */
    }
    for (int it = 0; it < iters; it++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                v[i * n + j] = 0.25f * (u[(i - 1) * n + j] + u[(i + 1) * n + j] + u[i * n + j - 1] + u[i * n + j + 1]);
        float *t = u;
        u = v;
        v = t;
    }
    float s = 0.0f;
    for (int i = 0; i < n * n; i++)
        s += u[i] * (float)(i % 7 + 1);
    free(u);
    free(v);
    return s;
}

/* ---- n-body (f64) --------------------------------------------------------- */

struct body {
    double x, y, z, vx, vy, vz, m;
};

static double nbody_energy(const struct body *b, int n)
{
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void nbody_step(struct body *b, int n, double dt)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz + 1e-3; /* softening keeps it finite */
            double mag = dt / (d2 * sqrt(d2));
            b[i].vx -= dx * b[j].m * mag;
            b[i].vy -= dy * b[j].m * mag;
            b[i].vz -= dz * b[j].m * mag;
            b[j].vx += dx * b[i].m * mag;
            b[j].vy += dy * b[i].m * mag;
            b[j].vz += dz * b[i].m * mag;
        }
    for (int i = 0; i < n; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

/* ---- FFT (f64, iterative radix 2) ----------------------------------------- */

static void fft(double *re, double *im, int n, int inverse)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double ang = 2.0 * M_PI / len * (inverse ? 1.0 : -1.0);
        double wr = cos(ang), wi = sin(ang);
        for (int i = 0; i < n; i += len) {
            double cr = 1.0, ci = 0.0;
            for (int k = 0; k < len / 2; k++) {
                int a = i + k, b = i + k + len / 2;
                double xr = re[b] * cr - im[b] * ci;
                double xi = re[b] * ci + im[b] * cr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
                double ncr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = ncr;
            }
        }
    }
    if (inverse)
        for (int i = 0; i < n; i++) {
            re[i] /= n;
            im[i] /= n;
        }
}

/* ---- Mandelbrot (f64 and f32) --------------------------------------------- */

static uint64_t mandel_f64(int w, int h, int maxit)
{
    uint64_t total = 0;
    for (int py = 0; py < h; py++)
        for (int px = 0; px < w; px++) {
            double cr = -2.2 + 3.0 * px / w, ci = -1.2 + 2.4 * py / h;
            double zr = 0, zi = 0;
            int it = 0;
            while (it < maxit && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                it++;
            }
            total = total * 31 + (uint64_t)it;
        }
    return total;
}

static uint64_t mandel_f32(int w, int h, int maxit)
{
    uint64_t total = 0;
    for (int py = 0; py < h; py++)
        for (int px = 0; px < w; px++) {
            float cr = -2.2f + 3.0f * (float)px / (float)w, ci = -1.2f + 2.4f * (float)py / (float)h;
            float zr = 0, zi = 0;
            int it = 0;
            while (it < maxit && zr * zr + zi * zi <= 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                it++;
            }
            total += (uint64_t)it * (uint64_t)(px + 1);
        }
    return total;
}

/* ---- conversions and libm ------------------------------------------------- */

static void conversions(digest_t *d, rng_t *r)
{
    for (int i = 0; i < 200; i++) {
        double x = (rng_f64(r) - 0.5) * 1e12;
        float f = (float)x;
        dg_i64(d, (int64_t)x);
        dg_u64(d, (uint64_t)fabs(x));
        dg_i64(d, (int32_t)(x / 1e4));
        dg_f32(d, f);
        dg_f64(d, (double)f);
        dg_f64(d, floor(x) - ceil(x / 3));
        dg_f64(d, trunc(x / 7) + nearbyint(x / 11));
        dg_f64(d, fmin(x, -x) + fmax(x, 1.0));
        dg_f64(d, copysign(3.5, x));
        dg_f32(d, sqrtf(fabsf(f)));
        dg_f64(d, (double)(uint32_t)(rng_u32(r)) * 0.5);
        dg_f64(d, (double)(int64_t)rng_u64(r));
        dg_f32(d, (float)rng_u64(r));
    }
    /* transcendental functions from the C library (software, so deterministic) */
    double s = 0;
    for (int i = 1; i <= 300; i++) {
        double x = i * 0.037;
        s += sin(x) * cos(x * 0.5) + exp(-x) + log(x + 1.0) + pow(x, 1.5) + atan2(x, 2.0) + tanh(x - 3.0);
    }
    dg_f64(d, s);
}

uint64_t bench_matrix(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 31337);

    int n = 48 + 8 * (scale > 8 ? 8 : scale);
    size_t nn = (size_t)n * (size_t)n;
    double *a = xmalloc(nn * sizeof *a), *b = xmalloc(nn * sizeof *b), *c = xmalloc(nn * sizeof *c);
    for (size_t i = 0; i < nn; i++) {
        a[i] = rng_f64(&r) - 0.5;
        b[i] = rng_f64(&r) * 2.0 - 1.0;
    }
    for (int rep = 0; rep < scale; rep++) {
        matmul_f64(a, b, c, n);
        memcpy(b, c, nn * sizeof *c);
        /* renormalise to keep values bounded */
        double mx = 0;
        for (size_t i = 0; i < nn; i++)
            mx = fmax(mx, fabs(b[i]));
        for (size_t i = 0; i < nn; i++)
            b[i] /= mx;
    }
    for (size_t i = 0; i < nn; i += 37)
        dg_f64(&d, b[i]);

    /* solve A x = y and check the residual */
    for (size_t i = 0; i < nn; i++)
        c[i] = a[i] + (i % ((size_t)n + 1) == 0 ? (double)n : 0.0); /* diagonally dominant */
    memcpy(b, c, nn * sizeof *c);
    int *perm = xmalloc((size_t)n * sizeof *perm);
    double *y = xmalloc((size_t)n * sizeof *y), *x = xmalloc((size_t)n * sizeof *x);
    for (int i = 0; i < n; i++)
        y[i] = (double)(i % 5) - 2.0;
    int ok = lu_decompose(c, perm, n);
    check(&d, ok, "matrix: LU finds no singular pivot");
    if (ok) {
        lu_solve(c, perm, y, x, n);
        double resid = 0;
        for (int i = 0; i < n; i++) {
            double s = -y[i];
            for (int j = 0; j < n; j++)
                s += b[i * n + j] * x[j];
            resid = fmax(resid, fabs(s));
        }
        check(&d, resid < 1e-9, "matrix: LU solve residual is small");
        for (int i = 0; i < n; i++)
            dg_f64(&d, x[i]);
    }

    /* f32 matmul */
    int m = 40;
    float *fa = xmalloc((size_t)m * m * sizeof *fa), *fb = xmalloc((size_t)m * m * sizeof *fb),
          *fc = xmalloc((size_t)m * m * sizeof *fc);
    for (int i = 0; i < m * m; i++) {
        fa[i] = rng_f32(&r) - 0.5f;
        fb[i] = rng_f32(&r);
    }
    for (int rep = 0; rep < scale; rep++) {
        matmul_f32(fa, fb, fc, m);
        for (int i = 0; i < m * m; i++)
            fa[i] = fc[i] / (float)m;
    }
    for (int i = 0; i < m * m; i += 13)
        dg_f32(&d, fa[i]);

    dg_f32(&d, jacobi_f32(48, 30 * scale));

    struct body bodies[6];
    for (int i = 0; i < 6; i++) {
        bodies[i].x = rng_f64(&r) * 10 - 5;
        bodies[i].y = rng_f64(&r) * 10 - 5;
        bodies[i].z = rng_f64(&r) * 2 - 1;
        bodies[i].vx = rng_f64(&r) - 0.5;
        bodies[i].vy = rng_f64(&r) - 0.5;
        bodies[i].vz = 0;
        bodies[i].m = 0.5 + rng_f64(&r);
    }
    dg_f64(&d, nbody_energy(bodies, 6));
    for (int s = 0; s < 2000 * scale; s++)
        nbody_step(bodies, 6, 0.001);
    dg_f64(&d, nbody_energy(bodies, 6));
    dg_f64(&d, bodies[0].x);

    int fn = 1024;
    double *re = xmalloc((size_t)fn * sizeof *re), *im = xmalloc((size_t)fn * sizeof *im);
    double *orig = xmalloc((size_t)fn * sizeof *orig);
    for (int i = 0; i < fn; i++) {
        re[i] = orig[i] = sin(i * 0.1) + 0.5 * sin(i * 0.73) + (rng_f64(&r) - 0.5) * 0.1;
        im[i] = 0;
    }
    for (int rep = 0; rep < scale; rep++) {
        fft(re, im, fn, 0);
        if (rep == 0)
            for (int i = 0; i < fn / 2; i += 31)
                dg_f64(&d, sqrt(re[i] * re[i] + im[i] * im[i]));
        fft(re, im, fn, 1);
    }
    double err = 0;
    for (int i = 0; i < fn; i++)
        err = fmax(err, fabs(re[i] - orig[i]));
    check(&d, err < 1e-9, "matrix: inverse FFT restores the signal");

    dg_u64(&d, mandel_f64(64, 48, 50 + 20 * scale));
    dg_u64(&d, mandel_f32(64, 48, 50 + 20 * scale));
    conversions(&d, &r);

    free(a); free(b); free(c); free(perm); free(y); free(x);
    free(fa); free(fb); free(fc); free(re); free(im); free(orig);
    return d.h;
}
