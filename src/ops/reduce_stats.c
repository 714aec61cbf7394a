/* Statistics built from other ops: mean, var, std, median, count_nonzero,
 * trace, and the LogSumExp / Softmax primitives (over the last axis, after
 * the requested axes have been moved there). */
#include <stdlib.h>

#include "reduce_sort_internal.h"

/* Number of elements a reduction over `mask` combines. */
static double reduced_count(const mx_array* a, const bool* mask) {
  double n = 1;
  for (int i = 0; i < a->ndim; i++)
    if (mask[i]) n *= a->shape[i];
  return n;
}

/* x * scalar(v) with the scalar in `dt`; consumes x. */
static mx_array* scale(mx_array* x, double v, mx_dtype dt, mx_stream s) {
  if (!x) return NULL;
  mx_array* c = mx_array_scalar_f64(v, dt);
  mx_array* r = c ? mx_multiply(x, c, s) : NULL;
  if (c) mx_array_release(c);
  mx_array_release(x);
  return r;
}

mx_array* mx_mean(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (mx__rs_check(a, "mean") != 0) return NULL;
  bool mask[a->ndim + 1];
  if (mx__rs_axes_mask(a, naxes, axes, mask, "mean") < 0) return NULL;
  /* MLX sums in the input dtype (integers wrap) and then scales by 1/n in
   * the float dtype, so an empty mean is 0 * inf = NaN. */
  mx_dtype dt = mx__rs_at_least_float(a->dtype);
  return scale(mx_sum(a, naxes, axes, keepdims, s), 1.0 / reduced_count(a, mask), dt, s);
}

/* Releases every non-NULL array of a list. */
static void release_all(int n, mx_array** xs) {
  for (int i = 0; i < n; i++)
    if (xs[i]) mx_array_release(xs[i]);
}

/* The variance of complex64 data is the mean squared modulus of the
 * deviations, a float32 (as in MLX, whose sums match re^2 + im^2 computed
 * in float32 bit for bit). */
static mx_array* complex_var(mx_array* a, int naxes, const int* axes, bool keepdims, double div,
                             mx_stream s) {
  mx_array* t[7] = {NULL};
  t[0] = mx_mean(a, naxes, axes, true, s);
  t[1] = t[0] ? mx_subtract(a, t[0], s) : NULL;
  t[2] = t[1] ? mx_real(t[1], s) : NULL;
  t[3] = t[1] ? mx_imag(t[1], s) : NULL;
  t[4] = t[2] ? mx_multiply(t[2], t[2], s) : NULL;
  t[5] = t[3] ? mx_multiply(t[3], t[3], s) : NULL;
  t[6] = t[4] && t[5] ? mx_add(t[4], t[5], s) : NULL;
  mx_array* sum = t[6] ? mx_sum(t[6], naxes, axes, keepdims, s) : NULL;
  release_all(7, t);
  return scale(sum, 1.0 / div, MX_FLOAT32, s);
}

mx_array* mx_var(mx_array* a, int naxes, const int* axes, bool keepdims, int ddof, mx_stream s) {
  if (mx__rs_check(a, "var") != 0) return NULL;
  bool mask[a->ndim + 1];
  if (mx__rs_axes_mask(a, naxes, axes, mask, "var") < 0) return NULL;
  double n = reduced_count(a, mask);
  double div = n - ddof > 0 ? n - ddof : 0;
  if (a->dtype == MX_COMPLEX64) return complex_var(a, naxes, axes, keepdims, div, s);
  mx_dtype dt = mx__rs_at_least_float(a->dtype);
  mx_array* x = mx__as_dtype(a, dt, s);
  if (!x) return NULL;
  mx_array* mu = mx_mean(x, naxes, axes, true, s);
  mx_array* d = mu ? mx_subtract(x, mu, s) : NULL;
  mx_array* sq = d ? mx_multiply(d, d, s) : NULL;
  mx_array* sum = sq ? mx_sum(sq, naxes, axes, keepdims, s) : NULL;
  mx_array_release(x);
  if (mu) mx_array_release(mu);
  if (d) mx_array_release(d);
  if (sq) mx_array_release(sq);
  return scale(sum, 1.0 / div, dt, s);
}

mx_array* mx_std(mx_array* a, int naxes, const int* axes, bool keepdims, int ddof, mx_stream s) {
  mx_array* v = mx_var(a, naxes, axes, keepdims, ddof, s);
  if (!v) return NULL;
  mx_array* r = mx_sqrt(v, s);
  mx_array_release(v);
  return r;
}

/* Moves the masked axes last and runs a last-axis primitive on the float
 * version of `a`.  `reduce` drops the last axis from the output. */
static mx_array* last_axis_prim(mx_array* a, const bool* mask, mx_prim prim, const void* params,
                                size_t psize, bool reduce, mx_stream s) {
  mx_dtype dt = mx__rs_at_least_float(a->dtype);
  mx_array* x = mx__as_dtype(a, dt, s);
  if (!x) return NULL;
  mx_array* t = mx__rs_axes_to_last(x, mask, s);
  mx_array_release(x);
  if (!t) return NULL;
  mx_array* r = mx_array_make(prim, params, psize, s, 1, &t, dt, reduce ? t->ndim - 1 : t->ndim,
                              t->shape);
  mx_array_release(t);
  return r;
}

/* complex64 logsumexp, composed as MLX composes it: the (lexicographic)
 * maximum m is taken out, log(sum(exp(a - m))) + m, and where m is infinite
 * the result is m itself. */
static mx_array* complex_logsumexp(mx_array* a, int naxes, const int* axes, bool keepdims,
                                   mx_stream s) {
  mx_array* t[8] = {NULL};
  t[0] = mx_max(a, naxes, axes, true, s);
  t[1] = t[0] ? mx_stop_gradient(t[0], s) : NULL;
  t[2] = t[1] ? mx_subtract(a, t[1], s) : NULL;
  t[3] = t[2] ? mx_exp(t[2], s) : NULL;
  t[4] = t[3] ? mx_sum(t[3], naxes, axes, keepdims, s) : NULL;
  t[5] = t[4] ? mx_log(t[4], s) : NULL;
  t[6] = t[5] ? mx_reshape(t[1], t[5]->ndim, t[5]->shape, s) : NULL;
  t[7] = t[6] ? mx_add(t[5], t[6], s) : NULL;
  mx_array* inf = t[6] ? mx_isinf(t[6], s) : NULL;
  mx_array* r = inf && t[7] ? mx_where(inf, t[6], t[7], s) : NULL;
  if (inf) mx_array_release(inf);
  release_all(8, t);
  return r;
}

mx_array* mx_logsumexp(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (mx__rs_check(a, "logsumexp") != 0) return NULL;
  bool mask[a->ndim + 1];
  if (mx__rs_axes_mask(a, naxes, axes, mask, "logsumexp") < 0) return NULL;
  if (a->size == 0) {
    mx_error(MX_ERR_VALUE, "[logsumexp] Received empty array.");
    return NULL;
  }
  if (a->dtype == MX_COMPLEX64) return complex_logsumexp(a, naxes, axes, keepdims, s);
  mx_array* r = last_axis_prim(a, mask, MX_PRIM_LOGSUMEXP, NULL, 0, true, s);
  if (!r || !keepdims) return r;
  int shape[a->ndim + 1];
  int nd = mx__rs_reduced_shape(a, mask, true, shape);
  mx_array* k = mx_reshape(r, nd, shape, s);
  mx_array_release(r);
  return k;
}

mx_array* mx_softmax(mx_array* a, int naxes, const int* axes, bool precise, mx_stream s) {
  if (mx__rs_check(a, "softmax") != 0) return NULL;
  int nd = a->ndim;
  bool mask[nd + 1];
  if (mx__rs_axes_mask(a, naxes, axes, mask, "softmax") < 0) return NULL;
  if (a->dtype == MX_COMPLEX64) {
    mx_error(MX_ERR_VALUE, "[softmax] complex64 inputs are not supported.");
    return NULL;
  }
  mx_softmax_params p = {.precise = precise ? 1 : 0};
  mx_array* r = last_axis_prim(a, mask, MX_PRIM_SOFTMAX, &p, sizeof p, false, s);
  if (!r) return NULL;
  /* Undo the move: reshape to (kept..., masked...) and transpose back. */
  int perm[nd + 1], inv[nd + 1], shape[nd + 1], k = 0;
  for (int i = 0; i < nd; i++)
    if (!mask[i]) perm[k++] = i;
  for (int i = 0; i < nd; i++)
    if (mask[i]) perm[k++] = i;
  bool moved = false;
  for (int i = 0; i < nd; i++) {
    shape[i] = a->shape[perm[i]];
    inv[perm[i]] = i;
    moved |= perm[i] != i;
  }
  mx_array* y = mx_reshape(r, nd, shape, s);
  mx_array_release(r);
  if (!y || !moved) return y;
  mx_array* z = mx_transpose(y, nd, inv, s);
  mx_array_release(y);
  return z;
}

/* Element `i` of the last axis of t, keeping that axis as size 1. */
static mx_array* last_axis_at(mx_array* t, int i, mx_stream s) {
  int nd = t->ndim;
  int start[nd], stop[nd];
  for (int d = 0; d < nd; d++) {
    start[d] = 0;
    stop[d] = t->shape[d];
  }
  start[nd - 1] = i;
  stop[nd - 1] = i + 1;
  return mx_slice(t, nd, start, stop, NULL, s);
}

mx_array* mx_median(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (mx__rs_check(a, "median") != 0) return NULL;
  bool mask[a->ndim + 1];
  if (mx__rs_axes_mask(a, naxes, axes, mask, "median") < 0) return NULL;
  int n = (int)reduced_count(a, mask);
  if (n == 0) {
    mx_error(MX_ERR_VALUE, "[median] Cannot take median along empty axis.");
    return NULL;
  }
  mx_dtype dt = mx__rs_at_least_float(a->dtype);
  int oshape[a->ndim + 1];
  int ond = mx__rs_reduced_shape(a, mask, keepdims, oshape);
  mx_array* t = mx__rs_axes_to_last(a, mask, s);
  mx_array* srt = t ? mx_sort(t, false, -1, s) : NULL;
  if (t) mx_array_release(t);
  if (!srt) return NULL;
  /* Sorting puts NaNs last, so the line has a NaN exactly when its last
   * element is one; the median is then NaN, as in NumPy and MLX. */
  mx_array* hi = last_axis_at(srt, n / 2, s);
  mx_array* lo = n % 2 == 0 ? last_axis_at(srt, n / 2 - 1, s) : NULL;
  mx_array* last = last_axis_at(srt, n - 1, s);
  mx_array_release(srt);
  mx_array* med = NULL;
  if (hi && last && (n % 2 == 1 || lo)) {
    mx_array* hf = mx__as_dtype(hi, dt, s);
    if (n % 2 == 0 && hf) {
      mx_array* lf = mx__as_dtype(lo, dt, s);
      mx_array* sum = lf ? mx_add(lf, hf, s) : NULL;
      if (lf) mx_array_release(lf);
      mx_array_release(hf);
      med = scale(sum, 0.5, dt, s);
    } else {
      med = hf;
    }
  }
  mx_array* out = NULL;
  if (med) {
    mx_array* lastf = mx__as_dtype(last, dt, s);
    mx_array* nan = lastf ? mx_isnan(lastf, s) : NULL;
    mx_array* w = nan ? mx_where(nan, lastf, med, s) : NULL;
    if (w) out = mx_reshape(w, ond, oshape, s);
    if (lastf) mx_array_release(lastf);
    if (nan) mx_array_release(nan);
    if (w) mx_array_release(w);
    mx_array_release(med);
  }
  if (hi) mx_array_release(hi);
  if (lo) mx_array_release(lo);
  if (last) mx_array_release(last);
  return out;
}

mx_array* mx_count_nonzero(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (mx__rs_check(a, "count_nonzero") != 0) return NULL;
  mx_array* b = mx__as_dtype(a, MX_BOOL, s);
  if (!b) return NULL;
  mx_array* r = mx_sum(b, naxes, axes, keepdims, s);
  mx_array_release(b);
  return r;
}

mx_array* mx_trace(mx_array* a, int offset, int axis1, int axis2, int dtype, mx_stream s) {
  if (mx__rs_check(a, "trace") != 0) return NULL;
  if (dtype >= 0 && !mx_dtype_valid(dtype)) {
    mx_error(MX_ERR_VALUE, "[trace] Invalid dtype %d.", dtype);
    return NULL;
  }
  mx_array* d = mx_diagonal(a, offset, axis1, axis2, s);
  if (!d) return NULL;
  mx_array* c = d;
  if (dtype >= 0) {
    c = mx__as_dtype(d, (mx_dtype)dtype, s);
    mx_array_release(d);
    if (!c) return NULL;
  }
  int last = -1;
  mx_array* r = mx_sum(c, 1, &last, false, s);
  mx_array_release(c);
  return r;
}
