/* mlx-c wrappers of the reduce_sort family: reductions, arg-reductions,
 * softmax, closeness tests, trace, scans and sorting.  Each resolves its
 * handles, calls the src/ops constructor and stores the result. */
#include "capi.h"


/* --- reductions over axes ---------------------------------------------------- */

typedef mx_array* (*red_fn)(mx_array*, int, const int*, bool, mx_stream);

/* `all` reduces every axis (axes == NULL for the constructor); an explicit
 * empty list stays an empty list (non-NULL pointer), which reduces nothing. */
static int red(mlx_array* res, mlx_array a, const int* axes, size_t naxes, bool all,
               bool keepdims, mlx_stream s, red_fn fn, const char* name) {
  static const int no_axes[1] = {0};
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  if (!all && !mx__capi_shape(axes, naxes, name)) return 1;
  const int* list = all ? NULL : (axes ? axes : no_axes);
  return mx__capi_put_array(res, fn(x, all ? 0 : (int)naxes, list, keepdims, st));
}

#define RED_FAMILY(NAME)                                                                      \
  int mlx_##NAME##_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,   \
                        bool keepdims, const mlx_stream s) {                                   \
    return red(res, a, axes, axes_num, false, keepdims, s, mx_##NAME, "mlx_" #NAME "_axes");   \
  }                                                                                            \
  int mlx_##NAME##_axis(mlx_array* res, const mlx_array a, int axis, bool keepdims,            \
                        const mlx_stream s) {                                                  \
    return red(res, a, &axis, 1, false, keepdims, s, mx_##NAME, "mlx_" #NAME "_axis");         \
  }                                                                                            \
  int mlx_##NAME(mlx_array* res, const mlx_array a, bool keepdims, const mlx_stream s) {       \
    return red(res, a, NULL, 0, true, keepdims, s, mx_##NAME, "mlx_" #NAME);                   \
  }
RED_FAMILY(all)
RED_FAMILY(any)
RED_FAMILY(prod)
RED_FAMILY(max)
RED_FAMILY(min)
RED_FAMILY(mean)
RED_FAMILY(logsumexp)

int mlx_median(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
               bool keepdims, const mlx_stream s) {
  return red(res, a, axes, axes_num, false, keepdims, s, mx_median, "mlx_median");
}

typedef mx_array* (*var_fn)(mx_array*, int, const int*, bool, int, mx_stream);

static int var_like(mlx_array* res, mlx_array a, const int* axes, size_t naxes, bool all,
                    bool keepdims, int ddof, mlx_stream s, var_fn fn, const char* name) {
  static const int no_axes[1] = {0};
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  if (!all && !mx__capi_shape(axes, naxes, name)) return 1;
  const int* list = all ? NULL : (axes ? axes : no_axes);
  return mx__capi_put_array(res, fn(x, all ? 0 : (int)naxes, list, keepdims, ddof, st));
}

#define VAR_FAMILY(NAME)                                                                       \
  int mlx_##NAME##_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,    \
                        bool keepdims, int ddof, const mlx_stream s) {                          \
    return var_like(res, a, axes, axes_num, false, keepdims, ddof, s, mx_##NAME,                \
                    "mlx_" #NAME "_axes");                                                      \
  }                                                                                             \
  int mlx_##NAME##_axis(mlx_array* res, const mlx_array a, int axis, bool keepdims, int ddof,   \
                        const mlx_stream s) {                                                   \
    return var_like(res, a, &axis, 1, false, keepdims, ddof, s, mx_##NAME, "mlx_" #NAME "_axis"); \
  }                                                                                             \
  int mlx_##NAME(mlx_array* res, const mlx_array a, bool keepdims, int ddof, const mlx_stream s) { \
    return var_like(res, a, NULL, 0, true, keepdims, ddof, s, mx_##NAME, "mlx_" #NAME);         \
  }
VAR_FAMILY(var)
VAR_FAMILY(std)

/* --- argmax / argmin ------------------------------------------------------------ */

typedef mx_array* (*arg_fn)(mx_array*, bool, int, bool, mx_stream);

static int arg(mlx_array* res, mlx_array a, bool all, int axis, bool keepdims, mlx_stream s,
               arg_fn fn, const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, fn(x, all, axis, keepdims, st));
}

int mlx_argmax_axis(mlx_array* res, const mlx_array a, int axis, bool keepdims,
                    const mlx_stream s) {
  return arg(res, a, false, axis, keepdims, s, mx_argmax, "mlx_argmax_axis");
}
int mlx_argmax(mlx_array* res, const mlx_array a, bool keepdims, const mlx_stream s) {
  return arg(res, a, true, 0, keepdims, s, mx_argmax, "mlx_argmax");
}
int mlx_argmin_axis(mlx_array* res, const mlx_array a, int axis, bool keepdims,
                    const mlx_stream s) {
  return arg(res, a, false, axis, keepdims, s, mx_argmin, "mlx_argmin_axis");
}
int mlx_argmin(mlx_array* res, const mlx_array a, bool keepdims, const mlx_stream s) {
  return arg(res, a, true, 0, keepdims, s, mx_argmin, "mlx_argmin");
}

/* --- softmax ---------------------------------------------------------------------- */

static int softmax(mlx_array* res, mlx_array a, const int* axes, size_t naxes, bool all,
                   bool precise, mlx_stream s, const char* name) {
  static const int no_axes[1] = {0};
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  if (!all && !mx__capi_shape(axes, naxes, name)) return 1;
  const int* list = all ? NULL : (axes ? axes : no_axes);
  return mx__capi_put_array(res, mx_softmax(x, all ? 0 : (int)naxes, list, precise, st));
}

int mlx_softmax_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                     bool precise, const mlx_stream s) {
  return softmax(res, a, axes, axes_num, false, precise, s, "mlx_softmax_axes");
}
int mlx_softmax_axis(mlx_array* res, const mlx_array a, int axis, bool precise,
                     const mlx_stream s) {
  return softmax(res, a, &axis, 1, false, precise, s, "mlx_softmax_axis");
}
int mlx_softmax(mlx_array* res, const mlx_array a, bool precise, const mlx_stream s) {
  return softmax(res, a, NULL, 0, true, precise, s, "mlx_softmax");
}

/* --- comparisons and trace ----------------------------------------------------------- */

int mlx_array_equal(mlx_array* res, const mlx_array a, const mlx_array b, bool equal_nan,
                    const mlx_stream s) {
  OUT(res, "mlx_array_equal");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_array_equal(x, y, equal_nan, st));
}
int mlx_allclose(mlx_array* res, const mlx_array a, const mlx_array b, double rtol, double atol,
                 bool equal_nan, const mlx_stream s) {
  OUT(res, "mlx_allclose");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_allclose(x, y, rtol, atol, equal_nan, st));
}
int mlx_isclose(mlx_array* res, const mlx_array a, const mlx_array b, double rtol, double atol,
                bool equal_nan, const mlx_stream s) {
  OUT(res, "mlx_isclose");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_isclose(x, y, rtol, atol, equal_nan, st));
}
int mlx_trace(mlx_array* res, const mlx_array a, int offset, int axis1, int axis2,
              mlx_dtype dtype, const mlx_stream s) {
  OUT(res, "mlx_trace");
  ARG(x, a);
  STREAM(st, s);
  mx_dtype dt;
  if (!mx__capi_dtype(dtype, &dt)) return 1;
  return mx__capi_put_array(res, mx_trace(x, offset, axis1, axis2, (int)dt, st));
}

/* --- scans ---------------------------------------------------------------------------- */

#define SCAN(NAME, CALL)                                                                     \
  int mlx_##NAME(mlx_array* res, const mlx_array a, int axis, bool reverse, bool inclusive,   \
                 const mlx_stream s) {                                                        \
    OUT(res, "mlx_" #NAME);                                                                   \
    ARG(x, a);                                                                                \
    STREAM(st, s);                                                                            \
    return mx__capi_put_array(res, CALL);                                                     \
  }
SCAN(cumsum, mx_cumsum(x, false, axis, reverse, inclusive, -1, st))
SCAN(cumprod, mx_cumprod(x, false, axis, reverse, inclusive, -1, st))
SCAN(cummax, mx_cummax(x, false, axis, reverse, inclusive, st))
SCAN(cummin, mx_cummin(x, false, axis, reverse, inclusive, st))
SCAN(logcumsumexp, mx_logcumsumexp(x, false, axis, reverse, inclusive, st))

/* --- sorting ---------------------------------------------------------------------------- */

#define SORT_PAIR(NAME)                                                                     \
  int mlx_##NAME##_axis(mlx_array* res, const mlx_array a, int axis, const mlx_stream s) {   \
    OUT(res, "mlx_" #NAME "_axis");                                                          \
    ARG(x, a);                                                                               \
    STREAM(st, s);                                                                           \
    return mx__capi_put_array(res, mx_##NAME(x, false, axis, st));                           \
  }                                                                                          \
  int mlx_##NAME(mlx_array* res, const mlx_array a, const mlx_stream s) {                    \
    OUT(res, "mlx_" #NAME);                                                                  \
    ARG(x, a);                                                                               \
    STREAM(st, s);                                                                           \
    return mx__capi_put_array(res, mx_##NAME(x, true, 0, st));                               \
  }
SORT_PAIR(sort)
SORT_PAIR(argsort)

#define KTH_PAIR(NAME, ARGN)                                                                     \
  int mlx_##NAME##_axis(mlx_array* res, const mlx_array a, int ARGN, int axis,                 \
                        const mlx_stream s) {                                                    \
    OUT(res, "mlx_" #NAME "_axis");                                                              \
    ARG(x, a);                                                                                   \
    STREAM(st, s);                                                                               \
    return mx__capi_put_array(res, mx_##NAME(x, ARGN, false, axis, st));                         \
  }                                                                                              \
  int mlx_##NAME(mlx_array* res, const mlx_array a, int ARGN, const mlx_stream s) {             \
    OUT(res, "mlx_" #NAME);                                                                      \
    ARG(x, a);                                                                                   \
    STREAM(st, s);                                                                               \
    return mx__capi_put_array(res, mx_##NAME(x, ARGN, true, 0, st));                             \
  }
KTH_PAIR(partition, kth)
KTH_PAIR(argpartition, kth)
KTH_PAIR(topk, k)
