/* mlx-c's fft.h over src/ops/fft*.c: argument checks and handle conversion
 * only.  Lengths and axes pass through as given, so a count mismatch gets
 * MLX's own error. */
#include <limits.h>

#include "capi.h"
#include "mlx/c/fft.h"

static bool norm_of(mlx_fft_norm norm, mx_fft_norm* out) {
  switch (norm) {
    case MLX_FFT_NORM_BACKWARD: *out = MX_FFT_NORM_BACKWARD; return true;
    case MLX_FFT_NORM_ORTHO: *out = MX_FFT_NORM_ORTHO; return true;
    case MLX_FFT_NORM_FORWARD: *out = MX_FFT_NORM_FORWARD; return true;
  }
  mx__capi_failf(MX_ERR_VALUE, "[fft] Invalid norm value %d.", (int)norm);
  return false;
}

/* A pointer/count pair: a NULL pointer is only valid with count 0. */
static bool list_ok(const int* v, size_t n, const char* what) {
  if ((!v && n > 0) || n > INT_MAX) {
    mx__capi_failf(MX_ERR_VALUE, "[fft] Invalid %s argument.", what);
    return false;
  }
  return true;
}

static const int axes_num_zero = 0;

typedef mx_array* (*fft1_fn)(mx_array*, const int*, int, mx_fft_norm, mx_stream);
typedef mx_array* (*fftn_fn)(mx_array*, int, const int*, int, const int*, mx_fft_norm, mx_stream);

static int one(mlx_array* res, mlx_array a, int n, int axis, mlx_fft_norm norm, mlx_stream s,
               fft1_fn fn, const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  mx_fft_norm nm;
  if (!norm_of(norm, &nm)) return 1;
  return mx__capi_put_array(res, fn(x, &n, axis, nm, st));
}

static int many(mlx_array* res, mlx_array a, const int* n, size_t n_num, const int* axes,
                size_t axes_num, mlx_fft_norm norm, mlx_stream s, fftn_fn fn, const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  mx_fft_norm nm;
  if (!norm_of(norm, &nm)) return 1;
  if (!list_ok(n, n_num, "n") || !list_ok(axes, axes_num, "axes")) return 1;
  static const int none[1] = {0};
  return mx__capi_put_array(res, fn(x, (int)n_num, n ? n : none, (int)axes_num,
                                    axes ? axes : none, nm, st));
}

int mlx_fft_fft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                const mlx_stream s) {
  return one(res, a, n, axis, norm, s, mx_fft_fft, "mlx_fft_fft");
}
int mlx_fft_ifft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                 const mlx_stream s) {
  return one(res, a, n, axis, norm, s, mx_fft_ifft, "mlx_fft_ifft");
}
int mlx_fft_rfft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                 const mlx_stream s) {
  return one(res, a, n, axis, norm, s, mx_fft_rfft, "mlx_fft_rfft");
}
int mlx_fft_irfft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                  const mlx_stream s) {
  return one(res, a, n, axis, norm, s, mx_fft_irfft, "mlx_fft_irfft");
}

#define MANY(name, fn)                                                                       \
  int name(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,   \
           size_t axes_num, mlx_fft_norm norm, const mlx_stream s) {                         \
    return many(res, a, n, n_num, axes, axes_num, norm, s, fn, #name);                      \
  }
MANY(mlx_fft_fft2, mx_fft_fftn)
MANY(mlx_fft_fftn, mx_fft_fftn)
MANY(mlx_fft_ifft2, mx_fft_ifftn)
MANY(mlx_fft_ifftn, mx_fft_ifftn)
MANY(mlx_fft_rfft2, mx_fft_rfftn)
MANY(mlx_fft_rfftn, mx_fft_rfftn)
MANY(mlx_fft_irfft2, mx_fft_irfftn)
MANY(mlx_fft_irfftn, mx_fft_irfftn)

int mlx_fft_fftfreq(mlx_array* res, int n, double d, const mlx_stream s) {
  OUT(res, "mlx_fft_fftfreq");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_fft_fftfreq(n, d, st));
}
int mlx_fft_rfftfreq(mlx_array* res, int n, double d, const mlx_stream s) {
  OUT(res, "mlx_fft_rfftfreq");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_fft_rfftfreq(n, d, st));
}

typedef mx_array* (*shift_fn)(mx_array*, int, const int*, mx_stream);

/* The axes are used as given: an empty list shifts nothing, as MLX's
 * fftshift(a, axes) does. */
static int shift(mlx_array* res, mlx_array a, const int* axes, size_t axes_num, mlx_stream s,
                 shift_fn fn, const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  if (!list_ok(axes, axes_num, "axes")) return 1;
  return mx__capi_put_array(res, fn(x, (int)axes_num, axes_num ? axes : &axes_num_zero, st));
}

int mlx_fft_fftshift(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                     const mlx_stream s) {
  return shift(res, a, axes, axes_num, s, mx_fft_fftshift, "mlx_fft_fftshift");
}
int mlx_fft_ifftshift(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                      const mlx_stream s) {
  return shift(res, a, axes, axes_num, s, mx_fft_ifftshift, "mlx_fft_ifftshift");
}
