/* Creation ops: full, zeros, ones (and the _like forms) and arange. */
#include <math.h>

#include "ops_internal.h"

static int check_dims(int ndim, const int* shape, const char* what) {
  if (ndim < 0) return mx_error(MX_ERR_VALUE, "[%s] Negative number of dimensions.", what);
  for (int i = 0; i < ndim; i++)
    if (shape[i] < 0) return mx_error(MX_ERR_VALUE, "[%s] Negative dimensions not allowed.", what);
  return 0;
}

mx_array* mx_full(int ndim, const int* shape, mx_array* vals, mx_dtype dtype, mx_stream s) {
  if (!vals) {
    mx_error(MX_ERR_VALUE, "[full] Invalid (null) value array.");
    return NULL;
  }
  if (!mx_dtype_valid(dtype)) {
    mx_error(MX_ERR_VALUE, "[full] Invalid dtype %d.", (int)dtype);
    return NULL;
  }
  if (check_dims(ndim, shape, "full") != 0) return NULL;
  if (mx__check_broadcast_to(vals, ndim, shape) != 0) return NULL;
  /* The FULL kernel broadcasts and converts the value itself, so the node
   * takes `vals` as it is. */
  return mx_array_make(MX_PRIM_FULL, NULL, 0, s, 1, &vals, dtype, ndim, shape);
}

mx_array* mx_full_f64(int ndim, const int* shape, double val, mx_dtype dtype, mx_stream s) {
  if (!mx_dtype_valid(dtype)) {
    mx_error(MX_ERR_VALUE, "[full] Invalid dtype %d.", (int)dtype);
    return NULL;
  }
  if (check_dims(ndim, shape, "full") != 0) return NULL;
  mx_array* v = mx_array_scalar_f64(val, dtype);
  if (!v) return NULL;
  mx_array* out = mx_full(ndim, shape, v, dtype, s);
  mx_array_release(v);
  return out;
}

mx_array* mx_zeros(int ndim, const int* shape, mx_dtype dtype, mx_stream s) {
  return mx_full_f64(ndim, shape, 0.0, dtype, s);
}

mx_array* mx_ones(int ndim, const int* shape, mx_dtype dtype, mx_stream s) {
  return mx_full_f64(ndim, shape, 1.0, dtype, s);
}

mx_array* mx_zeros_like(mx_array* a, mx_stream s) {
  return mx_zeros(a->ndim, a->shape, a->dtype, s);
}

mx_array* mx_ones_like(mx_array* a, mx_stream s) {
  return mx_ones(a->ndim, a->shape, a->dtype, s);
}

mx_array* mx_arange(double start, double stop, double step, mx_dtype dtype, mx_stream s) {
  if (!mx_dtype_valid(dtype)) {
    mx_error(MX_ERR_VALUE, "[arange] Invalid dtype %d.", (int)dtype);
    return NULL;
  }
  if (dtype == MX_BOOL) {
    mx_error(MX_ERR_VALUE, "[arange] bool not supported for arange.");
    return NULL;
  }
  if (step == 0) {
    mx_error(MX_ERR_VALUE, "[arange] step must be nonzero.");
    return NULL;
  }
  double n;
  if (isinf(step) && isfinite(start) && isfinite(stop)) {
    /* An infinite step yields just `start` when it points towards `stop`
     * (MLX and NumPy agree on this). */
    n = ((stop > start && step > 0) || (stop < start && step < 0)) ? 1 : 0;
  } else {
    n = ceil((stop - start) / step);
  }
  if (isnan(n) || isinf(n)) {
    mx_error(MX_ERR_VALUE, "[arange] Cannot compute length.");
    return NULL;
  }
  if (n < 0) n = 0;
  if (n > 2147483647.0) {
    /* Shapes hold 32-bit dims, as in MLX. */
    mx_error(MX_ERR_VALUE, "[arange] Maximum size exceeded.");
    return NULL;
  }
  int shape[1] = {(int)n};
  mx_arange_params p = {.start = start, .step = step};
  return mx_array_make(MX_PRIM_ARANGE, &p, sizeof p, s, 0, NULL, dtype, 1, shape);
}
