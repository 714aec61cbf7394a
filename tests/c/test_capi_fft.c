/* mlx-c's fft.h: every function is called on a small input and compared
 * with values computed here in double (a direct DFT) or, for fftfreq, with
 * MLX 0.32.4's float32 values; bad arguments return 1 and never abort. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;

/* x = [0, 1, 2, 3, 4, 5, 6, 7] as complex64 / float32, shape (2, 4). */
static mlx_array cx(void) {
  float complex v[8];
  for (int i = 0; i < 8; i++) v[i] = (float)i + I * (float)(i % 3);
  int shape[2] = {2, 4};
  return mlx_array_new_data(v, shape, 2, MLX_COMPLEX64);
}
static mlx_array rx(void) {
  float v[8];
  for (int i = 0; i < 8; i++) v[i] = (float)(i * i % 5) - 1.5f;
  int shape[2] = {2, 4};
  return mlx_array_new_data(v, shape, 2, MLX_FLOAT32);
}

/* Direct DFT of the rows (len 4) or the whole 2x4 array, in double. */
static double complex dft2(const double complex* x, int k0, int k1, int sign, bool rows_only) {
  double complex acc = 0;
  for (int j0 = 0; j0 < 2; j0++)
    for (int j1 = 0; j1 < 4; j1++) {
      if (rows_only && j0 != k0) continue;
      double ph = (rows_only ? 0 : (double)(j0 * k0) / 2) + (double)(j1 * k1) / 4;
      acc += x[j0 * 4 + j1] * cexp(sign * 2 * M_PI * I * ph);
    }
  return acc;
}

static double max_err_c(mlx_array got, const double complex* want, int n) {
  if (mlx_array_eval(got) != 0 || (int)mlx_array_size(got) != n) return INFINITY;
  const mlx_complex64_t* p = mlx_array_data_complex64(got);
  double worst = 0;
  for (int i = 0; i < n; i++) {
    double d = cabs((double complex)p[i] - want[i]);
    if (d > worst) worst = d;
  }
  return worst;
}
static double max_err_r(mlx_array got, const double* want, int n) {
  if (mlx_array_eval(got) != 0 || (int)mlx_array_size(got) != n) return INFINITY;
  const float* p = mlx_array_data_float32(got);
  double worst = 0;
  for (int i = 0; i < n; i++) {
    double d = fabs(p[i] - want[i]);
    if (d > worst) worst = d;
  }
  return worst;
}

static void test_transforms(void) {
  mlx_array c = cx(), r = rx(), res = mlx_array_new();
  double complex xc[8], xr[8], want[8];
  for (int i = 0; i < 8; i++) xc[i] = (double)i + I * (double)(i % 3);
  for (int i = 0; i < 8; i++) xr[i] = (double)(i * i % 5) - 1.5;
  const int axes[2] = {0, 1}, sz[2] = {2, 4};

  /* 1-D along the last axis, each norm. */
  for (int i = 0; i < 8; i++) want[i] = dft2(xc, i / 4, i % 4, -1, true);
  CHECK(mlx_fft_fft(&res, c, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);
  CHECK(mlx_fft_fft(&res, c, 4, 1, MLX_FFT_NORM_ORTHO, S) == 0);
  for (int i = 0; i < 8; i++) want[i] /= 2;
  CHECK(max_err_c(res, want, 8) < 1e-4);
  for (int i = 0; i < 8; i++) want[i] = dft2(xc, i / 4, i % 4, 1, true);
  CHECK(mlx_fft_ifft(&res, c, 4, 1, MLX_FFT_NORM_FORWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);

  /* 2-D and n-D, forward and inverse. */
  for (int i = 0; i < 8; i++) want[i] = dft2(xc, i / 4, i % 4, -1, false);
  CHECK(mlx_fft_fft2(&res, c, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);
  CHECK(mlx_fft_fftn(&res, c, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);
  for (int i = 0; i < 8; i++) want[i] = dft2(xc, i / 4, i % 4, 1, false) / 8;
  CHECK(mlx_fft_ifft2(&res, c, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);
  CHECK(mlx_fft_ifftn(&res, c, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, want, 8) < 1e-4);

  /* Real transforms: rfft keeps bins 0..2 of each row; rfft2/rfftn the
   * same bins of the 2-D transform. */
  double complex half[6];
  for (int i = 0; i < 6; i++) half[i] = dft2(xr, i / 3, i % 3, -1, true);
  CHECK(mlx_fft_rfft(&res, r, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, half, 6) < 1e-4);
  for (int i = 0; i < 6; i++) half[i] = dft2(xr, i / 3, i % 3, -1, false);
  CHECK(mlx_fft_rfft2(&res, r, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, half, 6) < 1e-4);
  CHECK(mlx_fft_rfftn(&res, r, sz, 2, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_c(res, half, 6) < 1e-4);

  /* The inverse real transforms give the real input back. */
  mlx_array spec = mlx_array_new(), back = mlx_array_new();
  double orig[8];
  for (int i = 0; i < 8; i++) orig[i] = creal(xr[i]);
  CHECK(mlx_fft_rfft(&spec, r, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(mlx_fft_irfft(&back, spec, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(max_err_r(back, orig, 8) < 1e-5);
  CHECK(mlx_fft_rfft2(&spec, r, sz, 2, axes, 2, MLX_FFT_NORM_ORTHO, S) == 0);
  CHECK(mlx_fft_irfft2(&back, spec, sz, 2, axes, 2, MLX_FFT_NORM_ORTHO, S) == 0);
  CHECK(max_err_r(back, orig, 8) < 1e-5);
  CHECK(mlx_fft_rfftn(&spec, r, sz, 2, axes, 2, MLX_FFT_NORM_FORWARD, S) == 0);
  CHECK(mlx_fft_irfftn(&back, spec, sz, 2, axes, 2, MLX_FFT_NORM_FORWARD, S) == 0);
  CHECK(max_err_r(back, orig, 8) < 1e-5);
  CHECK(mlx_array_dtype(back) == MLX_FLOAT32);

  mlx_array_free(spec), mlx_array_free(back);
  mlx_array_free(c), mlx_array_free(r), mlx_array_free(res);
}

static void test_freq_and_shift(void) {
  mlx_array res = mlx_array_new();
  /* MLX 0.32.4: fftfreq(5, 0.5) and rfftfreq(6, 2.0). */
  const double f5[5] = {0.0, 0.4, 0.8, -0.8, -0.4};
  CHECK(mlx_fft_fftfreq(&res, 5, 0.5, S) == 0);
  CHECK(max_err_r(res, f5, 5) < 1e-7);
  const double f6[4] = {0.0, 0.083333336, 0.16666667, 0.25};
  CHECK(mlx_fft_rfftfreq(&res, 6, 2.0, S) == 0);
  CHECK(max_err_r(res, f6, 4) < 1e-7);

  float v[5] = {0, 1, 2, 3, 4};
  int five = 5, ax = 0;
  mlx_array a = mlx_array_new_data(v, &five, 1, MLX_FLOAT32);
  const double sh[5] = {3, 4, 0, 1, 2}, ish[5] = {2, 3, 4, 0, 1};
  CHECK(mlx_fft_fftshift(&res, a, &ax, 1, S) == 0);
  CHECK(max_err_r(res, sh, 5) == 0);
  CHECK(mlx_fft_ifftshift(&res, a, &ax, 1, S) == 0);
  CHECK(max_err_r(res, ish, 5) == 0);
  const double same[5] = {0, 1, 2, 3, 4};
  CHECK(mlx_fft_fftshift(&res, a, NULL, 0, S) == 0);
  CHECK(max_err_r(res, same, 5) == 0);
  mlx_array_free(a);
  mlx_array_free(res);
}

static void test_errors(void) {
  mlx_array c = cx(), res = mlx_array_new();
  const int axes[2] = {0, 1}, sz[1] = {2}, dup[2] = {1, 1}, bad[1] = {7};
  CHECK(mlx_fft_fft(&res, c, 0, -1, MLX_FFT_NORM_BACKWARD, S) == 1);
  CHECK(mlx_fft_fft(&res, c, 4, 5, MLX_FFT_NORM_BACKWARD, S) == 1);
  CHECK(mlx_fft_fft(&res, c, 4, -1, (mlx_fft_norm)9, S) == 1);
  CHECK(mlx_fft_fftn(&res, c, sz, 1, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 1);
  CHECK(mlx_fft_fftn(&res, c, NULL, 0, dup, 2, MLX_FFT_NORM_BACKWARD, S) == 1);
  CHECK(mlx_fft_fftn(&res, c, NULL, 1, axes, 2, MLX_FFT_NORM_BACKWARD, S) == 1);
  CHECK(mlx_fft_fftshift(&res, c, bad, 1, S) == 1);
  CHECK(mlx_fft_fftfreq(&res, 0, 1.0, S) == 1);
  CHECK(mlx_fft_rfftfreq(&res, 3, 0.0, S) == 1);
  CHECK(mlx_fft_fft(NULL, c, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 1);
  mlx_array empty = mlx_array_new();
  CHECK(mlx_fft_rfft(&res, empty, 4, -1, MLX_FFT_NORM_BACKWARD, S) == 1);
  /* n-D with no axes returns the input unchanged. */
  CHECK(mlx_fft_fftn(&res, c, NULL, 0, NULL, 0, MLX_FFT_NORM_BACKWARD, S) == 0);
  CHECK(mlx_array_dtype(res) == MLX_COMPLEX64 && mlx_array_size(res) == 8);
  mlx_array_free(c), mlx_array_free(res);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_transforms);
  RUN(test_freq_and_shift);
  RUN(test_errors);
  mlx_stream_free(S);
  return test_summary();
}
