/* The FFT engine and the FFT kernel, against a direct O(n^2) DFT computed
 * in double: complex transforms of every code path (radix 2/3/4/5 passes,
 * generic odd radices, Bluestein, four-step), real transforms of even and
 * odd lengths, in-place execution, plans shared by many threads, and the
 * kernel on strided inputs and several axes.  Errors must come back as
 * errors, never crashes. */
#include <complex.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/fft_engine.h"
#include "harness.h"
#include "ops/ops.h"

static mx_stream S;

/* Reference DFT in double (sign -1 forward, +1 inverse, unnormalised). */
static void dft(int64_t n, const double complex* x, double complex* y, int sign) {
  for (int64_t k = 0; k < n; k++) {
    double complex acc = 0;
    for (int64_t j = 0; j < n; j++) {
      int64_t e = (j * k) % n;
      acc += x[j] * cexp(sign * 2.0 * M_PI * I * (double)e / (double)n);
    }
    y[k] = acc;
  }
}

static double frand(unsigned* st) {
  *st = *st * 1103515245u + 12345u;
  return ((*st >> 8) & 0xffff) / 32768.0 - 1.0;
}

/* Relative L2 error of n values against the reference. */
static double rel_err(int64_t n, const mx__cpx* got, const double complex* ref) {
  double num = 0, den = 0;
  for (int64_t i = 0; i < n; i++) {
    double dr = got[i].re - creal(ref[i]), di = got[i].im - cimag(ref[i]);
    num += dr * dr + di * di;
    den += creal(ref[i]) * creal(ref[i]) + cimag(ref[i]) * cimag(ref[i]);
  }
  return den > 0 ? sqrt(num / den) : sqrt(num);
}

static void check_c2c(int64_t n, int inverse, int in_place) {
  const mx__fft_plan* p = mx__fft_plan_c2c(n);
  CHECK(p != NULL);
  if (!p) return;
  unsigned st = (unsigned)n * 7u + 1u;
  mx__cpx* x = malloc(sizeof(mx__cpx) * (size_t)n);
  mx__cpx* y = malloc(sizeof(mx__cpx) * (size_t)n);
  mx__cpx* w = malloc(sizeof(mx__cpx) * (size_t)(mx__fft_work_size(p) + 1));
  double complex* xd = malloc(sizeof(double complex) * (size_t)n);
  double complex* yd = malloc(sizeof(double complex) * (size_t)n);
  for (int64_t i = 0; i < n; i++) {
    x[i].re = (float)frand(&st);
    x[i].im = (float)frand(&st);
    xd[i] = x[i].re + I * x[i].im;
  }
  dft(n, xd, yd, inverse ? 1 : -1);
  if (in_place) {
    mx__fft_c2c(p, x, x, w, inverse);
    memcpy(y, x, sizeof(mx__cpx) * (size_t)n);
  } else {
    mx__fft_c2c(p, x, y, w, inverse);
  }
  double e = rel_err(n, y, yd);
  if (e > 2e-6 * (4 + log2((double)n))) printf("   c2c n=%lld inv=%d err=%g\n", (long long)n, inverse, e);
  CHECK(e <= 2e-6 * (4 + log2((double)n)));
  free(x), free(y), free(w), free(xd), free(yd);
}

static void test_complex_lengths(void) {
  /* Radices 2, 3, 4, 5; generic odd primes 7..41; Bluestein (43, 97, 101,
   * 1009); mixes. */
  static const int64_t ns[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 25, 27, 30, 32,
                               37, 41, 43, 64, 97, 101, 120, 128, 210, 256, 360, 1000, 1009,
                               1024, 2048 + 6};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
    check_c2c(ns[i], 0, 0);
    check_c2c(ns[i], 1, 0);
    check_c2c(ns[i], 0, 1);
  }
}

/* Long transforms against the same engine's round trip and against a few
 * DFT bins computed directly (a full O(n^2) reference would be too slow). */
static void check_long(int64_t n) {
  const mx__fft_plan* p = mx__fft_plan_c2c(n);
  CHECK(p != NULL);
  if (!p) return;
  unsigned st = 99;
  mx__cpx* x = malloc(sizeof(mx__cpx) * (size_t)n);
  mx__cpx* y = malloc(sizeof(mx__cpx) * (size_t)n);
  mx__cpx* w = malloc(sizeof(mx__cpx) * (size_t)mx__fft_work_size(p));
  for (int64_t i = 0; i < n; i++) x[i].re = (float)frand(&st), x[i].im = (float)frand(&st);
  mx__fft_c2c(p, x, y, w, 0);
  double worst = 0, norm = 0;
  for (int64_t i = 0; i < n; i++) norm += (double)x[i].re * x[i].re + (double)x[i].im * x[i].im;
  norm = sqrt(norm); /* |X_k| is about this size */
  static const int64_t bins[] = {0, 1, 2, 3, 1000, 65537};
  for (size_t b = 0; b < sizeof bins / sizeof bins[0]; b++) {
    int64_t k = bins[b] % n;
    double complex acc = 0;
    for (int64_t j = 0; j < n; j++) {
      int64_t e = (int64_t)(((__int128)j * k) % n);
      acc += (x[j].re + I * x[j].im) * cexp(-2.0 * M_PI * I * (double)e / (double)n);
    }
    double d = cabs(acc - (y[k].re + I * y[k].im)) / norm;
    if (d > worst) worst = d;
  }
  CHECK(worst < 1e-5);
  /* Round trip: inverse(forward(x)) / n == x. */
  mx__fft_c2c(p, y, y, w, 1);
  double rt = 0;
  for (int64_t i = 0; i < n; i++) {
    double dr = y[i].re / (double)n - x[i].re, di = y[i].im / (double)n - x[i].im;
    rt += dr * dr + di * di;
  }
  CHECK(sqrt(rt) / norm < 1e-5);
  free(x), free(y), free(w);
}

static void test_long_lengths(void) {
  check_long(1 << 17);     /* four-step, 2^17 = 256 x 512 */
  check_long(1 << 20);     /* four-step, 1024 x 1024 */
  check_long(3 * 5 << 14); /* four-step with mixed radices */
  check_long(131101);      /* prime: Bluestein over a four-step length */
}

static void check_real(int64_t n) {
  const mx__fft_plan* p = mx__fft_plan_real(n);
  CHECK(p != NULL);
  if (!p) return;
  unsigned st = (unsigned)n + 5u;
  int64_t h = n / 2 + 1;
  float* x = malloc(sizeof(float) * (size_t)n);
  float* back = malloc(sizeof(float) * (size_t)n);
  mx__cpx* y = malloc(sizeof(mx__cpx) * (size_t)h);
  mx__cpx* w = malloc(sizeof(mx__cpx) * (size_t)(mx__fft_work_size(p) + 1));
  double complex* xd = malloc(sizeof(double complex) * (size_t)n);
  double complex* yd = malloc(sizeof(double complex) * (size_t)n);
  for (int64_t i = 0; i < n; i++) x[i] = (float)frand(&st), xd[i] = x[i];
  dft(n, xd, yd, -1);
  mx__fft_r2c(p, x, y, w);
  CHECK(rel_err(h, y, yd) <= 2e-6 * (4 + log2((double)n)));
  /* The inverse gives n times the samples, and ignores the imaginary parts
   * of bins 0 and n/2. */
  y[0].im = 123.0f;
  if (n % 2 == 0) y[n / 2].im = -7.0f;
  mx__fft_c2r(p, y, back, w);
  double num = 0, den = 0;
  for (int64_t i = 0; i < n; i++) {
    double d = back[i] / (double)n - x[i];
    num += d * d;
    den += (double)x[i] * x[i];
  }
  CHECK(sqrt(num / (den > 0 ? den : 1)) <= 2e-6 * (4 + log2((double)n)));
  free(x), free(back), free(y), free(w), free(xd), free(yd);
}

static void test_real_lengths(void) {
  static const int64_t ns[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 17, 30, 64, 97, 100, 101, 1000,
                               1024, 4096, 4098};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) check_real(ns[i]);
}

/* Many threads asking for and running the same new plans at once. */
static void* worker(void* arg) {
  int64_t n = (int64_t)(intptr_t)arg;
  for (int rep = 0; rep < 3; rep++) check_c2c(n, rep & 1, 0);
  return NULL;
}

static void test_threads_share_plans(void) {
  pthread_t t[8];
  for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, worker, (void*)(intptr_t)(5 * 7 * 11 + (i % 2)));
  for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
  CHECK(mx__fft_plan_c2c(385) == mx__fft_plan_c2c(385));
}

/* The kernel through the op constructors: a transposed input, two axes,
 * and the real transforms' shapes. */
static const mx__cpx* cdata(mx_array* a) {
  if (!a || mx_eval(1, &a) != 0) return NULL;
  return mx_array_host_data(a);
}

static void test_kernel_axes(void) {
  enum { R = 6, C = 10 };
  float complex v[R * C];
  double complex vd[R * C], t[R * C], u[R * C];
  unsigned st = 3;
  for (int i = 0; i < R * C; i++) {
    v[i] = (float)frand(&st) + I * (float)frand(&st);
    vd[i] = v[i];
  }
  int shape[2] = {R, C};
  mx_array* a = mx_array_from_data(v, MX_COMPLEX64, 2, shape);
  /* fft2 = DFT along rows then along columns. */
  mx_array* f = mx_fft_fftn(a, 0, NULL, -1, NULL, MX_FFT_NORM_BACKWARD, S);
  const mx__cpx* got = cdata(f);
  CHECK(got != NULL);
  for (int r = 0; r < R; r++) dft(C, vd + r * C, t + r * C, -1);
  for (int c = 0; c < C; c++) {
    double complex col[R], out[R];
    for (int r = 0; r < R; r++) col[r] = t[r * C + c];
    dft(R, col, out, -1);
    for (int r = 0; r < R; r++) u[r * C + c] = out[r];
  }
  if (got) CHECK(rel_err(R * C, got, u) < 1e-5);
  /* The same along axis 0 of the transpose: a strided input. */
  mx_array* at = mx_transpose(a, 0, NULL, S);
  int ax0 = 0;
  mx_array* g = mx_fft_fft(at, NULL, ax0, MX_FFT_NORM_ORTHO, S);
  const mx__cpx* gp = cdata(g);
  CHECK(gp != NULL && g->shape[0] == C && g->shape[1] == R);
  if (gp) {
    /* g[k][r] = DFT over c of a[r][c] / sqrt(C) = t[r][k] / sqrt(C). */
    double worst = 0;
    for (int k = 0; k < C; k++)
      for (int r = 0; r < R; r++) {
        double complex want = t[r * C + k] / sqrt((double)C);
        double d = cabs((gp[k * R + r].re + I * gp[k * R + r].im) - want);
        if (d > worst) worst = d;
      }
    CHECK(worst < 1e-5);
  }
  /* Real forward and inverse shapes and dtypes. */
  mx_array* re = mx_real(a, S);
  mx_array* rf = mx_fft_rfftn(re, 0, NULL, -1, NULL, MX_FFT_NORM_BACKWARD, S);
  CHECK(rf && rf->dtype == MX_COMPLEX64 && rf->shape[0] == R && rf->shape[1] == C / 2 + 1);
  int sz[2] = {R, C};
  int axes[2] = {0, 1};
  mx_array* back = mx_fft_irfftn(rf, 2, sz, 2, axes, MX_FFT_NORM_BACKWARD, S);
  CHECK(back && back->dtype == MX_FLOAT32 && back->shape[1] == C);
  if (back && mx_eval(1, &back) == 0) {
    const float* bp = mx_array_host_data(back);
    double worst = 0;
    for (int i = 0; i < R * C; i++) {
      double d = fabs(bp[i] - crealf(v[i]));
      if (d > worst) worst = d;
    }
    CHECK(worst < 1e-5);
  }
  mx_array_release(a), mx_array_release(f), mx_array_release(at), mx_array_release(g);
  mx_array_release(re), mx_array_release(rf), mx_array_release(back);
}

static void test_errors(void) {
  float x[4] = {1, 2, 3, 4};
  int four = 4;
  mx_array* a = mx_array_from_data(x, MX_FLOAT32, 1, &four);
  int zero = 0, bad_axis = 3, dup[2] = {0, 0};
  CHECK(mx_fft_fft(a, &zero, -1, MX_FFT_NORM_BACKWARD, S) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(mx_fft_fft(a, NULL, bad_axis, MX_FFT_NORM_BACKWARD, S) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_INDEX);
  CHECK(mx_fft_fftn(a, 0, NULL, 2, dup, MX_FFT_NORM_BACKWARD, S) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(mx_fft_fftn(NULL, 0, NULL, -1, NULL, MX_FFT_NORM_BACKWARD, S) == NULL);
  mx_fft_norm nm;
  CHECK(mx_fft_norm_parse("sideways", "fft", &nm) != 0);
  CHECK(mx_fft_norm_parse("ortho", "fft", &nm) == 0 && nm == MX_FFT_NORM_ORTHO);
  CHECK(mx_fft_fftfreq(0, 1.0, S) == NULL);
  CHECK(mx_fft_rfftfreq(4, 0.0, S) == NULL);
  CHECK(mx_fft_fftshift(a, 1, &bad_axis, S) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_INDEX);
  mx_error_clear();
  mx_array_release(a);
}

int main(void) {
  S = mx_stream_for_default();
  RUN(test_complex_lengths);
  RUN(test_long_lengths);
  RUN(test_real_lengths);
  RUN(test_threads_share_plans);
  RUN(test_kernel_axes);
  RUN(test_errors);
  return test_summary();
}
