/* Creation ops of the shape family: linspace, eye, identity, tri, tril,
 * triu, full_like and the window functions. */
#include <string.h>

#include "ops_internal.h"

/* MLX computes t = i / (num - 1) and (1 - t) * start + t * stop in
 * float32, then casts; doing the same keeps results bit-identical to MLX
 * (NumPy's start + i * step differs in the last place). */
mx_array* mx_linspace(double start, double stop, int num, bool endpoint, mx_dtype dtype,
                      mx_stream s) {
  if (num < 0) {
    mx_error(MX_ERR_VALUE, "[linspace] number of samples, %d, must be non-negative.", num);
    return NULL;
  }
  int denom = endpoint ? num - 1 : num;
  if (denom < 1) denom = 1;
  mx_array *i = NULL, *d = NULL, *t = NULL, *one = NULL, *u = NULL, *a = NULL, *b = NULL,
           *sa = NULL, *sb = NULL, *sum = NULL, *out = NULL;
  i = mx_arange(0, num, 1, MX_FLOAT32, s);
  d = mx_array_scalar_f64(denom, MX_FLOAT32);
  one = mx_array_scalar_f64(1, MX_FLOAT32);
  a = mx_array_scalar_f64(start, MX_FLOAT32);
  b = mx_array_scalar_f64(stop, MX_FLOAT32);
  if (i && d && one && a && b) t = mx_divide(i, d, s);
  if (t) u = mx_subtract(one, t, s);
  if (u) sa = mx_multiply(u, a, s);
  if (sa) sb = mx_multiply(t, b, s);
  if (sb) sum = mx_add(sa, sb, s);
  if (sum) out = mx__as_dtype(sum, dtype, s);
  mx_array* tmp[] = {i, d, t, one, u, a, b, sa, sb, sum};
  for (size_t k = 0; k < sizeof tmp / sizeof tmp[0]; k++)
    if (tmp[k]) mx_array_release(tmp[k]);
  return out;
}

static mx_array* tri_like(mx_prim prim, const char* name, int n, int m, int k, mx_dtype dtype,
                          mx_stream s) {
  if (!mx_dtype_valid((int)dtype)) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid dtype.", name);
    return NULL;
  }
  mx_tri_params p = {n, m, k};
  int shape[2] = {n, m};
  return mx_array_make(prim, &p, sizeof p, s, 0, NULL, dtype, 2, shape);
}

mx_array* mx_eye(int n, int m, int k, mx_dtype dtype, mx_stream s) {
  if (n < 0 || m < 0) {
    mx_error(MX_ERR_VALUE, "[eye] N and M must be positive integers.");
    return NULL;
  }
  return tri_like(MX_PRIM_EYE, "eye", n, m, k, dtype, s);
}

mx_array* mx_identity(int n, mx_dtype dtype, mx_stream s) { return mx_eye(n, n, 0, dtype, s); }

mx_array* mx_tri(int n, int m, int k, mx_dtype dtype, mx_stream s) {
  /* MLX gives an empty matrix for negative sizes. */
  if (n < 0) n = 0;
  if (m < 0) m = 0;
  return tri_like(MX_PRIM_TRI, "tri", n, m, k, dtype, s);
}

static mx_array* tri_mask(mx_array* a, int k, bool upper, mx_stream s) {
  const char* name = upper ? "triu" : "tril";
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  if (a->ndim < 2) {
    mx_error(MX_ERR_VALUE, "[%s] array must be at least 2-D", name);
    return NULL;
  }
  mx_tri_mask_params p = {k, upper ? 1 : 0};
  return mx_array_make(MX_PRIM_TRI_MASK, &p, sizeof p, s, 1, &a, a->dtype, a->ndim, a->shape);
}

mx_array* mx_tril(mx_array* a, int k, mx_stream s) { return tri_mask(a, k, false, s); }
mx_array* mx_triu(mx_array* a, int k, mx_stream s) { return tri_mask(a, k, true, s); }

mx_array* mx_full_like(mx_array* a, mx_array* vals, mx_dtype dtype, mx_stream s) {
  if (!a || !vals) {
    mx_error(MX_ERR_VALUE, "[full_like] Invalid (null) array argument.");
    return NULL;
  }
  return mx_full(a->ndim, a->shape, vals, dtype, s);
}

static mx_array* window(mx_window_kind kind, int m, mx_stream s) {
  if (m < 0) m = 0;
  mx_window_params p = {(int)kind, m};
  return mx_array_make(MX_PRIM_WINDOW, &p, sizeof p, s, 0, NULL, MX_FLOAT32, 1, &m);
}

mx_array* mx_bartlett(int m, mx_stream s) { return window(MX_WINDOW_BARTLETT, m, s); }
mx_array* mx_hanning(int m, mx_stream s) { return window(MX_WINDOW_HANNING, m, s); }
mx_array* mx_hamming(int m, mx_stream s) { return window(MX_WINDOW_HAMMING, m, s); }
mx_array* mx_blackman(int m, mx_stream s) { return window(MX_WINDOW_BLACKMAN, m, s); }
