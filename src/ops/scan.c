/* Scans (cumsum, cumprod, cummax, cummin, logcumsumexp) on the Scan
 * primitive, and diff built from slices. */
#include "reduce_sort_internal.h"

/* Builds a Scan node on `a` converted to `dt` (the flattened array when
 * `all`). */
static mx_array* scan(mx_array* a, bool all, int axis, bool reverse, bool inclusive, int op,
                      mx_dtype dt, const char* name, mx_stream s) {
  mx_array* x;
  int ax = 0;
  if (all) {
    x = mx__rs_flatten(a, s);
  } else {
    if (mx_normalize_axis(axis, a->ndim, name, &ax) != 0) return NULL;
    x = a;
    mx_array_retain(a);
  }
  if (!x) return NULL;
  mx_array* c = mx__as_dtype(x, dt, s);
  mx_array_release(x);
  if (!c) return NULL;
  mx_scan_params p = {.op = op, .axis = ax, .reverse = reverse, .inclusive = inclusive};
  mx_array* r = mx_array_make(MX_PRIM_SCAN, &p, sizeof p, s, 1, &c, dt, c->ndim, c->shape);
  mx_array_release(c);
  return r;
}

static int check_dtype(int dtype, const char* name) {
  if (dtype >= 0 && !mx_dtype_valid(dtype))
    return mx_error(MX_ERR_VALUE, "[%s] Invalid dtype %d.", name, dtype);
  return 0;
}

mx_array* mx_cumsum(mx_array* a, bool all, int axis, bool reverse, bool inclusive, int dtype,
                    mx_stream s) {
  if (mx__rs_check(a, "cumsum") != 0 || check_dtype(dtype, "cumsum") != 0) return NULL;
  /* Only bool widens (to int32): small integers keep their width and wrap. */
  mx_dtype dt = dtype >= 0 ? (mx_dtype)dtype : a->dtype == MX_BOOL ? MX_INT32 : a->dtype;
  return scan(a, all, axis, reverse, inclusive, MX_SCAN_SUM, dt, "cumsum", s);
}

mx_array* mx_cumprod(mx_array* a, bool all, int axis, bool reverse, bool inclusive, int dtype,
                     mx_stream s) {
  if (mx__rs_check(a, "cumprod") != 0 || check_dtype(dtype, "cumprod") != 0) return NULL;
  mx_dtype dt = dtype >= 0 ? (mx_dtype)dtype : a->dtype;
  return scan(a, all, axis, reverse, inclusive, MX_SCAN_PROD, dt, "cumprod", s);
}

mx_array* mx_cummax(mx_array* a, bool all, int axis, bool reverse, bool inclusive, mx_stream s) {
  if (mx__rs_check(a, "cummax") != 0) return NULL;
  return scan(a, all, axis, reverse, inclusive, MX_SCAN_MAX, a->dtype, "cummax", s);
}

mx_array* mx_cummin(mx_array* a, bool all, int axis, bool reverse, bool inclusive, mx_stream s) {
  if (mx__rs_check(a, "cummin") != 0) return NULL;
  return scan(a, all, axis, reverse, inclusive, MX_SCAN_MIN, a->dtype, "cummin", s);
}

mx_array* mx_logcumsumexp(mx_array* a, bool all, int axis, bool reverse, bool inclusive,
                          mx_stream s) {
  if (mx__rs_check(a, "logcumsumexp") != 0) return NULL;
  return scan(a, all, axis, reverse, inclusive, MX_SCAN_LOGADDEXP,
              mx__rs_at_least_float(a->dtype), "logcumsumexp", s);
}

mx_array* mx_diff(mx_array* a, int n, int axis, mx_stream s) {
  if (mx__rs_check(a, "diff") != 0) return NULL;
  if (n < 0) {
    mx_error(MX_ERR_VALUE, "[diff] Order `n` must be non-negative.");
    return NULL;
  }
  int nd = a->ndim;
  if (axis < -nd || axis >= nd) {
    mx_error(MX_ERR_INDEX, "[diff] Axis is out of bounds for the array.");
    return NULL;
  }
  int ax = axis < 0 ? axis + nd : axis;
  mx_array* cur = a;
  mx_array_retain(a);
  int start[nd], stop[nd];
  for (int k = 0; k < n && cur; k++) {
    int len = cur->shape[ax];
    if (len == 0) break;
    for (int i = 0; i < nd; i++) {
      start[i] = 0;
      stop[i] = cur->shape[i];
    }
    start[ax] = 1;
    mx_array* hi = mx_slice(cur, nd, start, stop, NULL, s);
    start[ax] = 0;
    stop[ax] = len - 1;
    mx_array* lo = mx_slice(cur, nd, start, stop, NULL, s);
    mx_array* next = NULL;
    /* bool has no subtraction; MLX's diff of bools is "differs". */
    if (hi && lo) next = cur->dtype == MX_BOOL ? mx_not_equal(hi, lo, s) : mx_subtract(hi, lo, s);
    if (hi) mx_array_release(hi);
    if (lo) mx_array_release(lo);
    mx_array_release(cur);
    cur = next;
  }
  return cur;
}
