/* The 1-D FFT engine (see fft_engine.h for the contract).
 *
 * Stockham passes.  A length n = r1 r2 ... rk is transformed in k passes
 * that ping-pong between two buffers and leave the result in natural order
 * (no bit reversal).  Before a pass of radix r, `s` is the product of the
 * radices already done and the sub-length is L = n / s = r m; the pass
 * reads the r inputs x[q + s (p + j m)], j < r, takes their r-point DFT and
 * writes output k, multiplied by the twiddle w_L^(p k), to y[q + s (r p +
 * k)].  The innermost loop runs over q, whose s elements share one twiddle,
 * so late passes stream through memory with few twiddle loads.
 *
 * Four-step.  From 2^17 points on a smooth length is split n = n1 n2: n2
 * transforms of length n1 over the columns of the n1 x n2 input, a twiddle
 * multiply, and n1 transforms of length n2 over the rows of the transposed
 * intermediate.  Columns are moved in blocks of 16 whose transforms run
 * side by side (16 interleaved lanes, so the passes' inner loops are long
 * and vectorise), every memory access is a run of whole cache lines, each
 * piece fits in cache, and the blocks are spread over the thread pool.
 *
 * Bluestein.  With a prime factor above 41, the DFT is rewritten through
 * j k = (j^2 + k^2 - (k - j)^2) / 2 as a chirp multiply, a circular
 * convolution of smooth length m >= 2n - 1 (two transforms of length m and
 * a precomputed filter spectrum) and a second chirp multiply. */
#include "fft_engine.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

enum { PLAN_STOCKHAM, PLAN_FOURSTEP, PLAN_BLUESTEIN, PLAN_REAL_EVEN, PLAN_REAL_ODD };

#define MAX_STAGES 64
#define MAX_GENERIC_RADIX 41
#define FOURSTEP_MIN (1 << 17)
#define BLOCK 16

struct mx__fft_plan {
  int kind;
  int64_t n;
  int64_t work;
  /* Stockham */
  int nstages;
  int radix[MAX_STAGES];
  mx__cpx* tw[MAX_STAGES];    /* per pass: m * (r - 1) twiddles */
  mx__cpx* roots[MAX_STAGES]; /* generic radix passes: the r roots of unity */
  /* four-step: n = n1 * n2, twiddle w_n^t = coarse[t / n1] * fine[t % n1] */
  int64_t n1, n2;
  const mx__fft_plan *p1, *p2;
  mx__cpx *coarse, *fine;
  /* Bluestein */
  int64_t m;
  const mx__fft_plan* sub;
  mx__cpx *chirp, *filt;
  /* real: the half-length (even) or full-length (odd) complex plan */
  const mx__fft_plan* cplan;
  mx__cpx* rtw; /* even n: w_n^k for k <= n/4 */
};

/* --- complex arithmetic (written out: C's complex multiply calls a NaN
 * fixing helper that would stop vectorisation) --------------------------- */

static inline mx__cpx cadd(mx__cpx a, mx__cpx b) { return (mx__cpx){a.re + b.re, a.im + b.im}; }
static inline mx__cpx csub(mx__cpx a, mx__cpx b) { return (mx__cpx){a.re - b.re, a.im - b.im}; }
static inline mx__cpx cmul(mx__cpx a, mx__cpx b) {
  return (mx__cpx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
static inline mx__cpx cconj(mx__cpx a) { return (mx__cpx){a.re, -a.im}; }
static inline mx__cpx cscale(mx__cpx a, float s) { return (mx__cpx){a.re * s, a.im * s}; }
/* a times -i (forward) or +i (inverse): sign is +1 forward, -1 inverse. */
static inline mx__cpx cmuli(mx__cpx a, float sign) { return (mx__cpx){sign * a.im, -sign * a.re}; }

/* exp(-2 pi i num / den), the phase reduced exactly in integers first. */
static mx__cpx root(int64_t num, int64_t den) {
  num %= den;
  if (num < 0) num += den;
  double a = -2.0 * M_PI * (double)num / (double)den;
  return (mx__cpx){(float)cos(a), (float)sin(a)};
}

/* --- Stockham passes ------------------------------------------------------ */

MX__SIMD static void pass2(int64_t s, int64_t m, const mx__cpx* x, mx__cpx* y, const mx__cpx* tw,
                           int inv) {
  for (int64_t p = 0; p < m; p++) {
    mx__cpx w = inv ? cconj(tw[p]) : tw[p];
    const mx__cpx *x0 = x + s * p, *x1 = x + s * (p + m);
    mx__cpx *y0 = y + s * 2 * p, *y1 = y0 + s;
    for (int64_t q = 0; q < s; q++) {
      mx__cpx a = x0[q], b = x1[q];
      y0[q] = cadd(a, b);
      y1[q] = cmul(csub(a, b), w);
    }
  }
}

MX__SIMD static void pass3(int64_t s, int64_t m, const mx__cpx* x, mx__cpx* y, const mx__cpx* tw,
                           int inv) {
  const float h = inv ? -0.86602540378443865f : 0.86602540378443865f;
  for (int64_t p = 0; p < m; p++) {
    mx__cpx w1 = tw[2 * p], w2 = tw[2 * p + 1];
    if (inv) w1 = cconj(w1), w2 = cconj(w2);
    const mx__cpx *x0 = x + s * p, *x1 = x + s * (p + m), *x2 = x + s * (p + 2 * m);
    mx__cpx *y0 = y + s * 3 * p, *y1 = y0 + s, *y2 = y1 + s;
    for (int64_t q = 0; q < s; q++) {
      mx__cpx a0 = x0[q], a1 = x1[q], a2 = x2[q];
      mx__cpx t = cadd(a1, a2), d = csub(a1, a2);
      mx__cpx u = {a0.re - 0.5f * t.re, a0.im - 0.5f * t.im};
      /* v = -i h (a1 - a2) forward, +i h (a1 - a2) inverse (h carries the sign). */
      mx__cpx v = {h * d.im, -h * d.re};
      y0[q] = cadd(a0, t);
      y1[q] = cmul(cadd(u, v), w1);
      y2[q] = cmul(csub(u, v), w2);
    }
  }
}

MX__SIMD static void pass4(int64_t s, int64_t m, const mx__cpx* x, mx__cpx* y, const mx__cpx* tw,
                           int inv) {
  const float sg = inv ? -1.0f : 1.0f;
  for (int64_t p = 0; p < m; p++) {
    mx__cpx w1 = tw[3 * p], w2 = tw[3 * p + 1], w3 = tw[3 * p + 2];
    if (inv) w1 = cconj(w1), w2 = cconj(w2), w3 = cconj(w3);
    const mx__cpx *x0 = x + s * p, *x1 = x + s * (p + m), *x2 = x + s * (p + 2 * m),
                  *x3 = x + s * (p + 3 * m);
    mx__cpx *y0 = y + s * 4 * p, *y1 = y0 + s, *y2 = y1 + s, *y3 = y2 + s;
    if (p == 0) {
      for (int64_t q = 0; q < s; q++) {
        mx__cpx a0 = x0[q], a1 = x1[q], a2 = x2[q], a3 = x3[q];
        mx__cpx t0 = cadd(a0, a2), t1 = csub(a0, a2), t2 = cadd(a1, a3);
        mx__cpx t3 = cmuli(csub(a1, a3), sg);
        y0[q] = cadd(t0, t2);
        y1[q] = cadd(t1, t3);
        y2[q] = csub(t0, t2);
        y3[q] = csub(t1, t3);
      }
      continue;
    }
    for (int64_t q = 0; q < s; q++) {
      mx__cpx a0 = x0[q], a1 = x1[q], a2 = x2[q], a3 = x3[q];
      mx__cpx t0 = cadd(a0, a2), t1 = csub(a0, a2), t2 = cadd(a1, a3);
      mx__cpx t3 = cmuli(csub(a1, a3), sg);
      y0[q] = cadd(t0, t2);
      y1[q] = cmul(cadd(t1, t3), w1);
      y2[q] = cmul(csub(t0, t2), w2);
      y3[q] = cmul(csub(t1, t3), w3);
    }
  }
}

MX__SIMD static void pass5(int64_t s, int64_t m, const mx__cpx* x, mx__cpx* y, const mx__cpx* tw,
                           int inv) {
  const float c1 = 0.30901699437494742f, c2 = -0.80901699437494742f;
  const float s1 = inv ? -0.95105651629515357f : 0.95105651629515357f;
  const float s2 = inv ? -0.58778525229247313f : 0.58778525229247313f;
  for (int64_t p = 0; p < m; p++) {
    mx__cpx w[4];
    for (int k = 0; k < 4; k++) w[k] = inv ? cconj(tw[4 * p + k]) : tw[4 * p + k];
    const mx__cpx* xs[5];
    mx__cpx* ys[5];
    for (int j = 0; j < 5; j++) xs[j] = x + s * (p + j * m), ys[j] = y + s * (5 * p + j);
    for (int64_t q = 0; q < s; q++) {
      mx__cpx a0 = xs[0][q], a1 = xs[1][q], a2 = xs[2][q], a3 = xs[3][q], a4 = xs[4][q];
      mx__cpx t1 = cadd(a1, a4), t2 = cadd(a2, a3), t3 = csub(a1, a4), t4 = csub(a2, a3);
      mx__cpx b1 = {a0.re + c1 * t1.re + c2 * t2.re, a0.im + c1 * t1.im + c2 * t2.im};
      mx__cpx b2 = {a0.re + c2 * t1.re + c1 * t2.re, a0.im + c2 * t1.im + c1 * t2.im};
      mx__cpx d1 = {s1 * t3.re + s2 * t4.re, s1 * t3.im + s2 * t4.im};
      mx__cpx d2 = {s2 * t3.re - s1 * t4.re, s2 * t3.im - s1 * t4.im};
      /* z1 = b1 - i d1, z4 = b1 + i d1, z2 = b2 - i d2, z3 = b2 + i d2 (the
       * sign of the sines flips them for the inverse). */
      mx__cpx md1 = {d1.im, -d1.re}, md2 = {d2.im, -d2.re};
      ys[0][q] = cadd(a0, cadd(t1, t2));
      ys[1][q] = cmul(cadd(b1, md1), w[0]);
      ys[2][q] = cmul(cadd(b2, md2), w[1]);
      ys[3][q] = cmul(csub(b2, md2), w[2]);
      ys[4][q] = cmul(csub(b1, md1), w[3]);
    }
  }
}

/* Any odd radix r <= MAX_GENERIC_RADIX, as a direct r-point DFT. */
static void passg(int r, int64_t s, int64_t m, const mx__cpx* x, mx__cpx* y, const mx__cpx* tw,
                  const mx__cpx* roots, int inv) {
  mx__cpx a[MAX_GENERIC_RADIX];
  for (int64_t p = 0; p < m; p++) {
    for (int64_t q = 0; q < s; q++) {
      for (int j = 0; j < r; j++) a[j] = x[q + s * (p + j * m)];
      for (int k = 0; k < r; k++) {
        float re = 0, im = 0;
        int idx = 0;
        for (int j = 0; j < r; j++) {
          mx__cpx w = roots[idx];
          if (inv) w.im = -w.im;
          re += a[j].re * w.re - a[j].im * w.im;
          im += a[j].re * w.im + a[j].im * w.re;
          idx += k;
          if (idx >= r) idx -= r;
        }
        mx__cpx z = {re, im};
        if (k > 0) {
          mx__cpx t = tw[p * (r - 1) + k - 1];
          z = cmul(z, inv ? cconj(t) : t);
        }
        y[q + s * (r * p + k)] = z;
      }
    }
  }
}

/* Runs the plan's passes on `v` interleaved transforms: element i of
 * transform c is at [i * v + c].  A pass on such data is the ordinary pass
 * with every stride multiplied by v, so the same pass code serves, and its
 * innermost loop then runs over the v lanes that share each twiddle. */
static void stockham_v(const mx__fft_plan* P, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                       int inv, int64_t v) {
  int S = P->nstages;
  int64_t n = P->n;
  if (S == 0) {
    if (src != dst) memcpy(dst, src, sizeof(mx__cpx) * (size_t)v);
    return;
  }
  const mx__cpx* in = src;
  if (src == dst && (S & 1)) {
    memcpy(work, src, sizeof(mx__cpx) * (size_t)(n * v));
    in = work;
  }
  int64_t s = 1;
  for (int i = 0; i < S; i++) {
    /* The last pass must write dst, so passes alternate back from it. */
    mx__cpx* out = ((S - i) & 1) ? dst : work;
    int r = P->radix[i];
    int64_t m = n / (s * r), sv = s * v;
    switch (r) {
      case 2: pass2(sv, m, in, out, P->tw[i], inv); break;
      case 3: pass3(sv, m, in, out, P->tw[i], inv); break;
      case 4: pass4(sv, m, in, out, P->tw[i], inv); break;
      case 5: pass5(sv, m, in, out, P->tw[i], inv); break;
      default: passg(r, sv, m, in, out, P->tw[i], P->roots[i], inv); break;
    }
    in = out;
    s *= r;
  }
}

static void stockham(const mx__fft_plan* P, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                     int inv) {
  stockham_v(P, src, dst, work, inv, 1);
}

/* --- four-step ----------------------------------------------------------- */

typedef struct fourstep_job {
  const mx__fft_plan* P;
  const mx__cpx* src;
  mx__cpx* mid; /* n2 rows of n1: mid[j2 * n1 + k1] */
  mx__cpx* dst;
  mx__cpx* scratch; /* one slice of `slice` elements per task */
  int64_t slice, tasks, blocks;
  int inv;
} fourstep_job;

/* Step one, task t: for blocks of up to BLOCK columns j2 of src (n1 rows of
 * n2), the length-n1 transforms run side by side as lanes (rows of the
 * block are contiguous runs of src), then are twiddled and written to rows
 * j2 of mid. */
static void fourstep_cols(int64_t t0, int64_t t1, void* ctx) {
  fourstep_job* J = ctx;
  const mx__fft_plan* P = J->P;
  int64_t n1 = P->n1, n2 = P->n2;
  for (int64_t t = t0; t < t1; t++) {
    mx__cpx* buf = J->scratch + t * J->slice;
    mx__cpx* w = buf + BLOCK * n1;
    int64_t nblk = (n2 + BLOCK - 1) / BLOCK;
    for (int64_t b = nblk * t / J->tasks; b < nblk * (t + 1) / J->tasks; b++) {
      int64_t c0 = b * BLOCK, nb = n2 - c0 < BLOCK ? n2 - c0 : BLOCK;
      for (int64_t j1 = 0; j1 < n1; j1++)
        memcpy(buf + j1 * nb, J->src + j1 * n2 + c0, sizeof(mx__cpx) * (size_t)nb);
      stockham_v(P->p1, buf, buf, w, J->inv, nb);
      for (int64_t c = 0; c < nb; c++) {
        int64_t j2 = c0 + c;
        mx__cpx* row = J->mid + j2 * n1;
        /* Twiddle w_n^(j2 k1), from the two short tables. */
        int64_t e = 0;
        for (int64_t k1 = 0; k1 < n1; k1++, e += j2) {
          mx__cpx tw = cmul(P->coarse[e / n1], P->fine[e % n1]);
          row[k1] = cmul(buf[k1 * nb + c], J->inv ? cconj(tw) : tw);
        }
      }
    }
  }
}

/* Step two, task t: for blocks of up to BLOCK values of k1, the length-n2
 * transforms over j2 of mid side by side as lanes, written to
 * dst[k1 + n1 k2] (again contiguous runs). */
static void fourstep_rows(int64_t t0, int64_t t1, void* ctx) {
  fourstep_job* J = ctx;
  const mx__fft_plan* P = J->P;
  int64_t n1 = P->n1, n2 = P->n2;
  for (int64_t t = t0; t < t1; t++) {
    mx__cpx* buf = J->scratch + t * J->slice;
    mx__cpx* w = buf + BLOCK * n2;
    int64_t nblk = (n1 + BLOCK - 1) / BLOCK;
    for (int64_t b = nblk * t / J->tasks; b < nblk * (t + 1) / J->tasks; b++) {
      int64_t c0 = b * BLOCK, nb = n1 - c0 < BLOCK ? n1 - c0 : BLOCK;
      for (int64_t j2 = 0; j2 < n2; j2++)
        memcpy(buf + j2 * nb, J->mid + j2 * n1 + c0, sizeof(mx__cpx) * (size_t)nb);
      stockham_v(P->p2, buf, buf, w, J->inv, nb);
      for (int64_t k2 = 0; k2 < n2; k2++)
        memcpy(J->dst + k2 * n1 + c0, buf + k2 * nb, sizeof(mx__cpx) * (size_t)nb);
    }
  }
}

/* The per-task scratch is taken before anything is written, so when it
 * cannot be had the plain Stockham passes (which the plan also holds, and
 * which need only `work`) run instead. */
static void fourstep(const mx__fft_plan* P, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                     int inv) {
  int64_t s1 = 2 * BLOCK * P->n1, s2 = 2 * BLOCK * P->n2;
  int64_t tasks = 4 * (int64_t)mx_cpu_num_threads();
  fourstep_job J = {P, src, work, dst, NULL, s1 > s2 ? s1 : s2, tasks, 0, inv};
  J.scratch = malloc(sizeof(mx__cpx) * (size_t)(J.slice * tasks));
  if (!J.scratch) {
    stockham(P, src, dst, work, inv);
    return;
  }
  mx_parallel_for(tasks, 1, fourstep_cols, &J);
  mx_parallel_for(tasks, 1, fourstep_rows, &J);
  free(J.scratch);
}

/* --- Bluestein ------------------------------------------------------------ */

static void bluestein(const mx__fft_plan* P, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                      int inv) {
  int64_t n = P->n, m = P->m;
  mx__cpx *a = work, *w = work + m;
  /* The inverse is conj(DFT(conj(x))). */
  for (int64_t j = 0; j < n; j++) a[j] = cmul(inv ? cconj(src[j]) : src[j], P->chirp[j]);
  memset(a + n, 0, sizeof(mx__cpx) * (size_t)(m - n));
  mx__fft_c2c(P->sub, a, a, w, 0);
  for (int64_t k = 0; k < m; k++) a[k] = cmul(a[k], P->filt[k]);
  mx__fft_c2c(P->sub, a, a, w, 1);
  for (int64_t k = 0; k < n; k++) {
    mx__cpx y = cmul(a[k], P->chirp[k]);
    dst[k] = inv ? cconj(y) : y;
  }
}

/* --- dispatch -------------------------------------------------------------- */

void mx__fft_c2c(const mx__fft_plan* P, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                 int inverse) {
  switch (P->kind) {
    case PLAN_FOURSTEP: fourstep(P, src, dst, work, inverse); break;
    case PLAN_BLUESTEIN: bluestein(P, src, dst, work, inverse); break;
    default: stockham(P, src, dst, work, inverse); break;
  }
}

int64_t mx__fft_work_size(const mx__fft_plan* P) { return P->work; }

int mx__fft_plan_threaded(const mx__fft_plan* P) {
  if (P->kind == PLAN_FOURSTEP) return 1;
  if (P->kind == PLAN_BLUESTEIN) return mx__fft_plan_threaded(P->sub);
  if (P->kind == PLAN_REAL_EVEN || P->kind == PLAN_REAL_ODD) return mx__fft_plan_threaded(P->cplan);
  return 0;
}

/* --- real transforms ------------------------------------------------------- */

/* Even n = 2h: the h complex values z_j = x_2j + i x_2j+1 are transformed,
 * and the spectra of the even and odd samples are separated from Z:
 * E_k = (Z_k + conj Z_(h-k)) / 2, O_k = (Z_k - conj Z_(h-k)) / 2i, giving
 * X_k = E_k + w^k O_k and X_(h-k) = conj(E_k - w^k O_k), w = w_n. */
MX__SIMD static void r2c_post(int64_t h, mx__cpx* X, const mx__cpx* rtw) {
  mx__cpx z0 = X[0];
  X[0] = (mx__cpx){z0.re + z0.im, 0};
  X[h] = (mx__cpx){z0.re - z0.im, 0};
  for (int64_t k = 1; k <= h / 2; k++) {
    mx__cpx a = X[k], b = cconj(X[h - k]);
    mx__cpx e = {0.5f * (a.re + b.re), 0.5f * (a.im + b.im)};
    mx__cpx d = {0.5f * (a.re - b.re), 0.5f * (a.im - b.im)};
    mx__cpx o = {d.im, -d.re}; /* d / i */
    mx__cpx wo = cmul(rtw[k], o);
    X[k] = cadd(e, wo);
    X[h - k] = cconj(csub(e, wo));
  }
}

/* The inverse of r2c_post, scaled by 2 so that the half-length inverse
 * transform yields n times the samples: Z_k = (X_k + conj X_(h-k)) + i (X_k
 * - conj X_(h-k)) conj(w^k), for k < h (Z_(h-k) from the same pair). */
MX__SIMD static void c2r_pre(int64_t h, const mx__cpx* X, mx__cpx* Z, const mx__cpx* rtw) {
  float a0 = X[0].re, ah = X[h].re;
  Z[0] = (mx__cpx){a0 + ah, a0 - ah};
  for (int64_t k = 1; k <= h / 2; k++) {
    mx__cpx a = X[k], b = cconj(X[h - k]);
    mx__cpx e = cadd(a, b), d = cmul(csub(a, b), cconj(rtw[k]));
    mx__cpx id = {-d.im, d.re};
    Z[k] = cadd(e, id);
    /* The partner: E_(h-k) = conj E_k and the odd part turns into
     * conj(d) times i, so Z_(h-k) = conj(e) + i conj(d) ... written out. */
    Z[h - k] = cadd(cconj(e), (mx__cpx){d.im, d.re});
  }
}

void mx__fft_r2c(const mx__fft_plan* P, const float* src, mx__cpx* dst, mx__cpx* work) {
  int64_t n = P->n;
  if (P->kind == PLAN_REAL_EVEN) {
    int64_t h = n / 2;
    mx__fft_c2c(P->cplan, (const mx__cpx*)src, dst, work, 0);
    r2c_post(h, dst, P->rtw);
    return;
  }
  mx__cpx *a = work, *b = work + n, *w = work + 2 * n;
  for (int64_t j = 0; j < n; j++) a[j] = (mx__cpx){src[j], 0};
  mx__fft_c2c(P->cplan, a, b, w, 0);
  memcpy(dst, b, sizeof(mx__cpx) * (size_t)(n / 2 + 1));
}

void mx__fft_c2r(const mx__fft_plan* P, const mx__cpx* src, float* dst, mx__cpx* work) {
  int64_t n = P->n;
  if (P->kind == PLAN_REAL_EVEN) {
    int64_t h = n / 2;
    mx__cpx* Z = work;
    c2r_pre(h, src, Z, P->rtw);
    mx__fft_c2c(P->cplan, Z, (mx__cpx*)dst, work + h, 1);
    return;
  }
  /* Odd n: rebuild the full Hermitian spectrum and take real parts. */
  mx__cpx *a = work, *b = work + n, *w = work + 2 * n;
  int64_t half = n / 2;
  a[0] = (mx__cpx){src[0].re, 0};
  for (int64_t k = 1; k <= half; k++) {
    a[k] = src[k];
    a[n - k] = cconj(src[k]);
  }
  mx__fft_c2c(P->cplan, a, b, w, 1);
  for (int64_t j = 0; j < n; j++) dst[j] = b[j].re;
}

/* --- plan construction -------------------------------------------------------- */

static void plan_free(mx__fft_plan* P) {
  if (!P) return;
  for (int i = 0; i < MAX_STAGES; i++) {
    free(P->tw[i]);
    free(P->roots[i]);
  }
  free(P->coarse);
  free(P->fine);
  free(P->chirp);
  free(P->filt);
  free(P->rtw);
  free(P);
}

/* Splits n into radices (4s first, then 2, 3, 5, other odd primes).
 * Returns the count, or -1 when a prime factor exceeds
 * MAX_GENERIC_RADIX. */
static int factorize(int64_t n, int* radix) {
  int k = 0;
  while (n % 4 == 0) radix[k++] = 4, n /= 4;
  while (n % 2 == 0) radix[k++] = 2, n /= 2;
  for (int64_t p = 3; n > 1; p += 2) {
    if (p > MAX_GENERIC_RADIX) return -1;
    while (n % p == 0) radix[k++] = (int)p, n /= p;
  }
  return k;
}

static int build_stockham(mx__fft_plan* P) {
  int64_t n = P->n;
  int S = factorize(n, P->radix);
  if (S < 0) return 1; /* needs Bluestein */
  P->nstages = S;
  int64_t s = 1;
  for (int i = 0; i < S; i++) {
    int r = P->radix[i];
    int64_t L = n / s, m = L / r;
    P->tw[i] = malloc(sizeof(mx__cpx) * (size_t)(m * (r - 1)));
    if (!P->tw[i]) return -1;
    for (int64_t p = 0; p < m; p++)
      for (int k = 1; k < r; k++) P->tw[i][p * (r - 1) + k - 1] = root(p * k, L);
    if (r > 5) {
      P->roots[i] = malloc(sizeof(mx__cpx) * (size_t)r);
      if (!P->roots[i]) return -1;
      for (int j = 0; j < r; j++) P->roots[i][j] = root(j, r);
    }
    s *= r;
  }
  P->work = n;
  return 0;
}

/* The smallest 2^a 3^b 5^c >= x. */
static int64_t smooth_at_least(int64_t x) {
  int64_t best = INT64_MAX;
  for (int64_t a = 1; a < 2 * x; a *= 2)
    for (int64_t b = a; b < 2 * x; b *= 3)
      for (int64_t c = b; c < 2 * x; c *= 5)
        if (c >= x && c < best) best = c;
  return best;
}

static const mx__fft_plan* plan_get(int kind, int64_t n);

static int build_bluestein(mx__fft_plan* P) {
  int64_t n = P->n, m = smooth_at_least(2 * n - 1);
  P->kind = PLAN_BLUESTEIN;
  P->m = m;
  P->sub = plan_get(PLAN_STOCKHAM, m);
  if (!P->sub) return -1;
  P->chirp = malloc(sizeof(mx__cpx) * (size_t)n);
  P->filt = malloc(sizeof(mx__cpx) * (size_t)m);
  mx__cpx* w = malloc(sizeof(mx__cpx) * (size_t)mx__fft_work_size(P->sub));
  if (!P->chirp || !P->filt || !w) {
    free(w);
    return -1;
  }
  /* chirp_k = exp(-i pi k^2 / n) = w_2n^(k^2), k^2 reduced mod 2n. */
  for (int64_t k = 0; k < n; k++) {
    int64_t k2 = (int64_t)((unsigned __int128)k * (unsigned __int128)k % (unsigned)(2 * n));
    P->chirp[k] = root(k2, 2 * n);
  }
  /* The filter conj(chirp) at lags -(n-1)..n-1, wrapped to length m, and
   * its spectrum with the 1/m of the inverse folded in. */
  memset(P->filt, 0, sizeof(mx__cpx) * (size_t)m);
  for (int64_t k = 0; k < n; k++) {
    P->filt[k] = cconj(P->chirp[k]);
    if (k > 0) P->filt[m - k] = cconj(P->chirp[k]);
  }
  mx__fft_c2c(P->sub, P->filt, P->filt, w, 0);
  float inv_m = (float)(1.0 / (double)m);
  for (int64_t k = 0; k < m; k++) P->filt[k] = cscale(P->filt[k], inv_m);
  free(w);
  P->work = m + mx__fft_work_size(P->sub);
  return 0;
}

static int build_fourstep(mx__fft_plan* P) {
  int64_t n = P->n, n1 = (int64_t)sqrt((double)n);
  while (n1 > 1 && n % n1 != 0) n1--;
  if (n1 < 16) return 1;
  int64_t n2 = n / n1;
  P->n1 = n1;
  P->n2 = n2;
  P->p1 = plan_get(PLAN_STOCKHAM, n1);
  P->p2 = plan_get(PLAN_STOCKHAM, n2);
  if (!P->p1 || !P->p2) return -1;
  P->coarse = malloc(sizeof(mx__cpx) * (size_t)n2);
  P->fine = malloc(sizeof(mx__cpx) * (size_t)n1);
  if (!P->coarse || !P->fine) return -1;
  for (int64_t t = 0; t < n2; t++) P->coarse[t] = root(t * n1, n);
  for (int64_t t = 0; t < n1; t++) P->fine[t] = root(t, n);
  P->kind = PLAN_FOURSTEP;
  return 0;
}

static int build_real(mx__fft_plan* P) {
  int64_t n = P->n;
  if (n % 2 == 0) {
    int64_t h = n / 2;
    P->kind = PLAN_REAL_EVEN;
    P->cplan = plan_get(PLAN_STOCKHAM, h);
    if (!P->cplan) return -1;
    P->rtw = malloc(sizeof(mx__cpx) * (size_t)(h / 2 + 1));
    if (!P->rtw) return -1;
    for (int64_t k = 0; k <= h / 2; k++) P->rtw[k] = root(k, n);
    P->work = h + mx__fft_work_size(P->cplan);
  } else {
    P->kind = PLAN_REAL_ODD;
    P->cplan = plan_get(PLAN_STOCKHAM, n);
    if (!P->cplan) return -1;
    P->work = 2 * n + mx__fft_work_size(P->cplan);
  }
  return 0;
}

/* Builds a plan.  PLAN_STOCKHAM requests "the best complex plan": Stockham
 * passes, four-step for long smooth lengths, or Bluestein. */
static mx__fft_plan* plan_build(int kind, int64_t n) {
  mx__fft_plan* P = calloc(1, sizeof *P);
  if (!P) return NULL;
  P->n = n;
  P->kind = kind;
  int rc;
  if (kind == PLAN_REAL_EVEN) {
    rc = build_real(P);
  } else {
    rc = build_stockham(P);
    if (rc == 1) {
      rc = build_bluestein(P);
    } else if (rc == 0 && n >= FOURSTEP_MIN) {
      rc = build_fourstep(P);
      if (rc == 1) rc = 0; /* no good split: plain passes */
    }
  }
  if (rc != 0) {
    plan_free(P);
    return NULL;
  }
  return P;
}

/* --- the cache ------------------------------------------------------------------ */

typedef struct cache_entry {
  int kind;
  int64_t n;
  mx__fft_plan* plan;
  struct cache_entry* next;
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry* cache_head;

static mx__fft_plan* cache_find(int kind, int64_t n) {
  for (cache_entry* e = cache_head; e; e = e->next)
    if (e->kind == kind && e->n == n) return e->plan;
  return NULL;
}

/* kind is PLAN_STOCKHAM (any complex plan) or PLAN_REAL_EVEN (any real
 * plan).  Plans are built outside the lock (building one gets its
 * sub-plans through here); when two threads race, the first one stored
 * wins and the other copy is freed. */
static const mx__fft_plan* plan_get(int kind, int64_t n) {
  pthread_mutex_lock(&cache_lock);
  mx__fft_plan* P = cache_find(kind, n);
  pthread_mutex_unlock(&cache_lock);
  if (P) return P;
  mx__fft_plan* fresh = plan_build(kind, n);
  cache_entry* e = fresh ? malloc(sizeof *e) : NULL;
  if (!e) {
    plan_free(fresh);
    mx_error(MX_ERR_MEMORY, "[fft] Out of memory building a plan of length %lld.", (long long)n);
    return NULL;
  }
  pthread_mutex_lock(&cache_lock);
  P = cache_find(kind, n);
  if (!P) {
    e->kind = kind;
    e->n = n;
    e->plan = fresh;
    e->next = cache_head;
    cache_head = e;
    P = fresh;
    fresh = NULL;
  }
  pthread_mutex_unlock(&cache_lock);
  if (fresh) {
    plan_free(fresh);
    free(e);
  }
  return P;
}

const mx__fft_plan* mx__fft_plan_c2c(int64_t n) { return plan_get(PLAN_STOCKHAM, n); }
const mx__fft_plan* mx__fft_plan_real(int64_t n) { return plan_get(PLAN_REAL_EVEN, n); }
