/* The mx.fft transforms: argument checks in MLX's order, the cast, crop and
 * zero-pad to the transform lengths, and one FFT node (src/core/prims/fft.h)
 * that also carries the normalisation as a scale, so no separate multiply
 * pass is needed.  fftfreq, rfftfreq and the shifts are in fft_util.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_internal.h"

enum { KIND_C2C, KIND_R2C, KIND_C2R };

int mx_fft_norm_parse(const char* text, const char* fn, mx_fft_norm* out) {
  if (text && strcmp(text, "backward") == 0) *out = MX_FFT_NORM_BACKWARD;
  else if (text && strcmp(text, "ortho") == 0) *out = MX_FFT_NORM_ORTHO;
  else if (text && strcmp(text, "forward") == 0) *out = MX_FFT_NORM_FORWARD;
  else
    return mx_error(MX_ERR_VALUE,
                    "[%s] Invalid norm. Expected one of {'backward', 'ortho', 'forward'}.", fn);
  return 0;
}

/* "(a,b,c)" for the error messages. */
static void list_str(int n, const int* v, char* buf, size_t len) {
  size_t k = 0;
  k += (size_t)snprintf(buf, len, "(");
  for (int i = 0; i < n && k < len; i++)
    k += (size_t)snprintf(buf + k, len - k, i ? ",%d" : "%d", v[i]);
  if (k < len) snprintf(buf + k, len - k, ")");
}

/* Crops or zero-pads `x` so that axis ax[i] has target[i] entries. */
static mx_array* fit_lengths(mx_array* x, int na, const int* ax, const int* target, mx_stream s) {
  int nd = x->ndim;
  int start[nd], stop[nd];
  bool crop = false;
  for (int d = 0; d < nd; d++) start[d] = 0, stop[d] = x->shape[d];
  for (int i = 0; i < na; i++)
    if (x->shape[ax[i]] > target[i]) stop[ax[i]] = target[i], crop = true;
  mx_array_retain(x);
  if (crop) {
    mx_array* y = mx_slice(x, nd, start, stop, NULL, s);
    mx_array_release(x);
    if (!y) return NULL;
    x = y;
  }
  int pax[na > 0 ? na : 1], lo[na > 0 ? na : 1], hi[na > 0 ? na : 1], np = 0;
  for (int i = 0; i < na; i++) {
    if (x->shape[ax[i]] < target[i]) {
      pax[np] = ax[i];
      lo[np] = 0;
      hi[np] = target[i] - x->shape[ax[i]];
      np++;
    }
  }
  if (np > 0) {
    mx_array* y = mx_pad(x, np, pax, lo, hi, NULL, "constant", s);
    mx_array_release(x);
    x = y;
  }
  return x;
}

static mx_array* fft_impl(mx_array* a, int kind, int inverse, int ns, const int* sizes, int naxes,
                          const int* axes, mx_fft_norm norm, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[fftn] Invalid (null) array argument.");
    return NULL;
  }
  int nd = a->ndim;
  if (nd == 0) {
    mx_error(MX_ERR_VALUE, "[fftn] Requires array with at least one dimension.");
    return NULL;
  }
  /* Default axes: all of them. */
  int all[nd];
  if (!axes) {
    for (int d = 0; d < nd; d++) all[d] = d;
    axes = all;
    naxes = nd;
  }
  if (naxes < 0) naxes = 0;
  if (sizes && ns != naxes) {
    mx_error(MX_ERR_VALUE, "[fftn] Shape and axes have different sizes.");
    return NULL;
  }
  if (naxes == 0) {
    mx_array_retain(a);
    return a;
  }
  int ax[naxes], n[naxes];
  for (int i = 0; i < naxes; i++) {
    int v = axes[i] < 0 ? axes[i] + nd : axes[i];
    if (v < 0 || v >= nd) {
      mx_error(MX_ERR_INDEX, "[fftn] Invalid axis received for array with %d dimensions.", nd);
      return NULL;
    }
    ax[i] = v;
  }
  for (int i = 0; i < naxes; i++)
    for (int j = 0; j < i; j++)
      if (ax[i] == ax[j]) {
        char buf[256];
        list_str(naxes, axes, buf, sizeof buf);
        mx_error(MX_ERR_VALUE, "[fftn] Duplicated axis received %s", buf);
        return NULL;
      }
  for (int i = 0; i < naxes; i++) {
    if (sizes) n[i] = sizes[i];
    else if (kind == KIND_C2R && i == naxes - 1) n[i] = 2 * (a->shape[ax[i]] - 1);
    else n[i] = a->shape[ax[i]];
  }
  for (int i = 0; i < naxes; i++)
    if (n[i] <= 0) {
      char buf[256];
      list_str(naxes, n, buf, sizeof buf);
      mx_error(MX_ERR_VALUE, "[fftn] Invalid FFT output size requested %s", buf);
      return NULL;
    }

  /* The input's lengths: for the inverse real transform the last axis holds
   * n/2+1 frequencies. */
  int in_len[naxes];
  memcpy(in_len, n, sizeof in_len);
  if (kind == KIND_C2R) in_len[naxes - 1] = n[naxes - 1] / 2 + 1;
  mx_dtype in_dt = kind == KIND_R2C ? MX_FLOAT32 : MX_COMPLEX64;
  mx_array* x = mx__as_dtype(a, in_dt, s);
  if (!x) return NULL;
  mx_array* y = fit_lengths(x, naxes, ax, in_len, s);
  mx_array_release(x);
  if (!y) return NULL;

  int oshape[nd];
  memcpy(oshape, y->shape, sizeof oshape);
  int last = ax[naxes - 1];
  if (kind == KIND_R2C) oshape[last] = n[naxes - 1] / 2 + 1;
  if (kind == KIND_C2R) oshape[last] = n[naxes - 1];

  double N = 1;
  for (int i = 0; i < naxes; i++) N *= n[i];
  double scale = 1;
  if (norm == MX_FFT_NORM_ORTHO) scale = 1 / sqrt(N);
  else if ((norm == MX_FFT_NORM_BACKWARD) == (inverse != 0)) scale = 1 / N;

  size_t psize = sizeof(mx_fft_params) + sizeof(int) * (size_t)naxes;
  mx_fft_params* p = calloc(1, psize);
  if (!p) {
    mx_array_release(y);
    mx_error(MX_ERR_MEMORY, "[fftn] Out of memory.");
    return NULL;
  }
  p->inverse = inverse;
  p->real = kind != KIND_C2C;
  p->scale = (float)scale;
  p->naxes = naxes;
  memcpy(p->axes, ax, sizeof(int) * (size_t)naxes);
  mx_dtype odt = kind == KIND_C2R ? MX_FLOAT32 : MX_COMPLEX64;
  mx_array* out = mx_array_make(MX_PRIM_FFT, p, psize, s, 1, &y, odt, nd, oshape);
  free(p);
  mx_array_release(y);
  return out;
}

/* The one-dimensional forms: MLX looks up the axis (an IndexError when it
 * is out of range) before anything else. */
static mx_array* fft1(mx_array* a, int kind, int inverse, const int* n, int axis,
                      mx_fft_norm norm, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[fftn] Invalid (null) array argument.");
    return NULL;
  }
  int nd = a->ndim, v = axis < 0 ? axis + nd : axis;
  if (v < 0 || v >= nd) {
    mx_error(MX_ERR_INDEX, "[fftn] Invalid axis %d for array with %d dimensions.", axis, nd);
    return NULL;
  }
  return fft_impl(a, kind, inverse, n ? 1 : 0, n, 1, &axis, norm, s);
}

mx_array* mx_fft_fft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s) {
  return fft1(a, KIND_C2C, 0, n, axis, norm, s);
}
mx_array* mx_fft_ifft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s) {
  return fft1(a, KIND_C2C, 1, n, axis, norm, s);
}
mx_array* mx_fft_rfft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s) {
  return fft1(a, KIND_R2C, 0, n, axis, norm, s);
}
mx_array* mx_fft_irfft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s) {
  return fft1(a, KIND_C2R, 1, n, axis, norm, s);
}

mx_array* mx_fft_fftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                      mx_fft_norm norm, mx_stream s) {
  return fft_impl(a, KIND_C2C, 0, ns, sizes, naxes, axes, norm, s);
}
mx_array* mx_fft_ifftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                       mx_fft_norm norm, mx_stream s) {
  return fft_impl(a, KIND_C2C, 1, ns, sizes, naxes, axes, norm, s);
}
mx_array* mx_fft_rfftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                       mx_fft_norm norm, mx_stream s) {
  return fft_impl(a, KIND_R2C, 0, ns, sizes, naxes, axes, norm, s);
}
mx_array* mx_fft_irfftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                        mx_fft_norm norm, mx_stream s) {
  return fft_impl(a, KIND_C2R, 1, ns, sizes, naxes, axes, norm, s);
}
