/* mx.fft helpers that are not transforms: the sample frequencies and the
 * spectrum shifts. */
#include <stdlib.h>

#include "ops_internal.h"

/* Frequencies are k * (1 / (n d)) in float32 with the reciprocal rounded
 * once from double: that is how MLX's values come out, bit for bit. */
static mx_array* freqs(int n, double d, bool real, const char* fn) {
  if (n <= 0) {
    mx_error(MX_ERR_VALUE, "[%s] `n` must be greater than 0.", fn);
    return NULL;
  }
  if (d == 0) {
    mx_error(MX_ERR_VALUE, "[%s] `d` must be non-zero.", fn);
    return NULL;
  }
  int len = real ? n / 2 + 1 : n;
  float* v = malloc(sizeof(float) * (size_t)len);
  if (!v) {
    mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", fn);
    return NULL;
  }
  float step = (float)(1.0 / ((double)n * d));
  int pos = real ? len : (n - 1) / 2 + 1;
  for (int k = 0; k < pos; k++) v[k] = (float)k * step;
  for (int k = pos; k < len; k++) v[k] = (float)(k - n) * step;
  mx_array* out = mx_array_from_data(v, MX_FLOAT32, 1, &len);
  free(v);
  return out;
}

mx_array* mx_fft_fftfreq(int n, double d, mx_stream s) {
  (void)s;
  return freqs(n, d, false, "fftfreq");
}

mx_array* mx_fft_rfftfreq(int n, double d, mx_stream s) {
  (void)s;
  return freqs(n, d, true, "rfftfreq");
}

static mx_array* shift(mx_array* a, int naxes, const int* axes, bool inverse, const char* fn,
                       mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", fn);
    return NULL;
  }
  int nd = a->ndim;
  int all[nd > 0 ? nd : 1];
  if (!axes) {
    for (int d = 0; d < nd; d++) all[d] = d;
    axes = all;
    naxes = nd;
  }
  if (naxes <= 0) {
    mx_array_retain(a);
    return a;
  }
  int ax[naxes], sh[naxes];
  for (int i = 0; i < naxes; i++) {
    int v = axes[i] < 0 ? axes[i] + nd : axes[i];
    if (v < 0 || v >= nd) {
      mx_error(MX_ERR_INDEX, "[%s] Invalid axis %d for array with %d dimensions.", fn, axes[i],
               nd);
      return NULL;
    }
    ax[i] = v;
    sh[i] = inverse ? -(a->shape[v] / 2) : a->shape[v] / 2;
  }
  return mx_roll(a, naxes, sh, naxes, ax, s);
}

mx_array* mx_fft_fftshift(mx_array* a, int naxes, const int* axes, mx_stream s) {
  return shift(a, naxes, axes, false, "fftshift", s);
}

mx_array* mx_fft_ifftshift(mx_array* a, int naxes, const int* axes, mx_stream s) {
  return shift(a, naxes, axes, true, "ifftshift", s);
}
