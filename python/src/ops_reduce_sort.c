/* mlx.core functions: reductions beyond sum, scans, sort/partition/topk/searchsorted,
 * and the matching array methods (mxpy_reduce_sort_methods).
 *
 * Axis conventions follow MLX: reductions take None / an int / a sequence
 * (None: every axis); argmin/argmax, the scans and the sorts take None or
 * an int, where None works on the flattened array (the sorts default to
 * axis=-1, the scans to None). */
#include <string.h>

#include "mlxpy.h"

#define AXES_ARG(x) ((x).none ? NULL : (x).ints.v)

typedef mx_array* (*red_fn)(mx_array*, int, const int*, bool, mx_stream);

static PyObject* call_red(mxpy_value* v, mx_stream s, red_fn fn) {
  return mxpy_wrap(fn(v[0].a, v[1].ints.n, AXES_ARG(v[1]), v[2].b, s));
}
static PyObject* impl_all(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_all); }
static PyObject* impl_any(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_any); }
static PyObject* impl_prod(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_prod); }
static PyObject* impl_max(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_max); }
static PyObject* impl_min(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_min); }
static PyObject* impl_mean(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_mean); }
static PyObject* impl_median(mxpy_value* v, mx_stream s) { return call_red(v, s, mx_median); }
static PyObject* impl_logsumexp(mxpy_value* v, mx_stream s) {
  return call_red(v, s, mx_logsumexp);
}
static PyObject* impl_count_nonzero(mxpy_value* v, mx_stream s) {
  return call_red(v, s, mx_count_nonzero);
}

/* var/std: `correction`, when given, replaces ddof (as MLX accepts it). */
static int ddof_of(mxpy_value* v) { return (int)(v[4].given && !v[4].none ? v[4].i : v[3].i); }
static PyObject* impl_var(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_var(v[0].a, v[1].ints.n, AXES_ARG(v[1]), v[2].b, ddof_of(v), s));
}
static PyObject* impl_std(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_std(v[0].a, v[1].ints.n, AXES_ARG(v[1]), v[2].b, ddof_of(v), s));
}

static PyObject* impl_argmax(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_argmax(v[0].a, v[1].none, (int)v[1].i, v[2].b, s));
}
static PyObject* impl_argmin(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_argmin(v[0].a, v[1].none, (int)v[1].i, v[2].b, s));
}

static PyObject* impl_trace(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_trace(v[0].a, (int)v[1].i, (int)v[2].i, (int)v[3].i, v[4].dtype, s));
}

static PyObject* impl_softmax(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_softmax(v[0].a, v[1].ints.n, AXES_ARG(v[1]), v[2].b, s));
}

static PyObject* impl_array_equal(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_array_equal(v[0].a, v[1].a, v[2].b, s));
}
static PyObject* impl_isclose(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_isclose(v[0].a, v[1].a, v[2].f, v[3].f, v[4].b, s));
}
static PyObject* impl_allclose(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_allclose(v[0].a, v[1].a, v[2].f, v[3].f, v[4].b, s));
}

/* Scans: (a, axis, reverse, inclusive[, dtype]). */
static PyObject* impl_cumsum(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cumsum(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, v[4].dtype, s));
}
static PyObject* impl_cumprod(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cumprod(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, v[4].dtype, s));
}
static PyObject* impl_cumsum_m(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cumsum(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, -1, s));
}
static PyObject* impl_cumprod_m(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cumprod(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, -1, s));
}
static PyObject* impl_cummax(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cummax(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, s));
}
static PyObject* impl_cummin(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_cummin(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, s));
}
static PyObject* impl_logcumsumexp(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_logcumsumexp(v[0].a, v[1].none, (int)v[1].i, v[2].b, v[3].b, s));
}
static PyObject* impl_diff(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_diff(v[0].a, (int)v[1].i, (int)v[2].i, s));
}

static PyObject* impl_sort(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_sort(v[0].a, v[1].none, (int)v[1].i, s));
}
static PyObject* impl_argsort(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_argsort(v[0].a, v[1].none, (int)v[1].i, s));
}
static PyObject* impl_partition(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_partition(v[0].a, (int)v[1].i, v[2].none, (int)v[2].i, s));
}
static PyObject* impl_argpartition(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_argpartition(v[0].a, (int)v[1].i, v[2].none, (int)v[2].i, s));
}
static PyObject* impl_topk(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_topk(v[0].a, (int)v[1].i, v[2].none, (int)v[2].i, s));
}

static PyObject* impl_searchsorted(mxpy_value* v, mx_stream s) {
  bool right = false;
  if (v[2].given) {
    if (!PyUnicode_Check(v[2].obj)) {
      PyErr_Format(PyExc_TypeError, "searchsorted(): argument 'side' must be a str, not %.100s.",
                   Py_TYPE(v[2].obj)->tp_name);
      return NULL;
    }
    const char* side = PyUnicode_AsUTF8(v[2].obj);
    if (!side) return NULL;
    if (strcmp(side, "right") == 0) {
      right = true;
    } else if (strcmp(side, "left") != 0) {
      PyErr_Format(PyExc_ValueError, "[searchsorted] Invalid side '%s'. Expected 'left' or 'right'.",
                   side);
      return NULL;
    }
  }
  return mxpy_wrap(mx_searchsorted(v[0].a, v[1].a, right, s));
}

/* --- parameter lists ---------------------------------------------------------------- */

#define A_ {"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define SELF_ {"self", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define AXES_ {"axis", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}}
#define KEEPDIMS_ {"keepdims", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}
#define AXIS_NONE_ {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "None", {0}}
#define AXIS_LAST_ {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "-1", {.i = -1}}
#define DDOF_ {"ddof", MXPY_INT, MXPY_OPT, "0", {.i = 0}}
#define CORRECTION_ {"correction", MXPY_INT, MXPY_KWONLY | MXPY_OPT | MXPY_NONE, "None", {0}}
#define REVERSE_ {"reverse", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "False", {.b = false}}
#define INCLUSIVE_ {"inclusive", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "True", {.b = true}}
#define DTYPE_KW_ {"dtype", MXPY_DTYPE, MXPY_KWONLY | MXPY_OPT | MXPY_NONE, "None", {.dtype = -1}}
#define RTOL_ATOL_                                                 \
  {"rtol", MXPY_FLOAT, MXPY_OPT, "1e-05", {.f = 1e-05}},           \
  {"atol", MXPY_FLOAT, MXPY_OPT, "1e-08", {.f = 1e-08}},           \
  {"equal_nan", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "False", {.b = false}}

#define RED(name, doc) {#name, impl_##name, doc, {A_, AXES_, KEEPDIMS_}, false}
#define RED_M(name) {#name, impl_##name, "See :func:`" #name "`.", {SELF_, AXES_, KEEPDIMS_}, false}

const mxpy_fn mxpy_ops_reduce_sort[] = {
    RED(all, "An `and` reduction over the given axes."),
    RED(any, "An `or` reduction over the given axes."),
    RED(prod, "A product reduction over the given axes."),
    RED(max, "A `max` reduction over the given axes."),
    RED(min, "A `min` reduction over the given axes."),
    RED(mean, "Compute the mean(s) over the given axes."),
    RED(median, "Compute the median(s) over the given axes."),
    RED(logsumexp, "A log-sum-exp reduction over the given axes."),
    {"var", impl_var, "Compute the variance(s) over the given axes.",
     {A_, AXES_, KEEPDIMS_, DDOF_, CORRECTION_}, false},
    {"std", impl_std, "Compute the standard deviation(s) over the given axes.",
     {A_, AXES_, KEEPDIMS_, DDOF_, CORRECTION_}, false},
    {"count_nonzero", impl_count_nonzero, "Count the number of non-zero elements.",
     {A_, {"axis", MXPY_AXES, MXPY_KWONLY | MXPY_OPT | MXPY_NONE, "None", {0}},
      {"keepdims", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "False", {.b = false}}},
     false},
    {"argmax", impl_argmax, "Indices of the maximum values along the axis.",
     {A_, AXIS_NONE_, KEEPDIMS_}, false},
    {"argmin", impl_argmin, "Indices of the minimum values along the axis.",
     {A_, AXIS_NONE_, KEEPDIMS_}, false},
    {"trace", impl_trace, "Return the sum along a specified diagonal in the given array.",
     {A_, {"offset", MXPY_INT, MXPY_OPT, "0", {.i = 0}},
      {"axis1", MXPY_INT, MXPY_OPT, "0", {.i = 0}}, {"axis2", MXPY_INT, MXPY_OPT, "1", {.i = 1}},
      {"dtype", MXPY_DTYPE, MXPY_OPT | MXPY_NONE, "None", {.dtype = -1}}},
     false},
    {"softmax", impl_softmax, "Perform the softmax along the given axis.",
     {A_, AXES_, {"precise", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "False", {.b = false}}}, false},
    {"array_equal", impl_array_equal, "Array equality check.",
     {{"a", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}}, {"b", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}},
      {"equal_nan", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}},
     false},
    {"isclose", impl_isclose, "Returns a boolean array where two arrays are element-wise equal within a tolerance.",
     {A_, {"b", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, RTOL_ATOL_}, false},
    {"allclose", impl_allclose, "Approximate comparison of two arrays.",
     {A_, {"b", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, RTOL_ATOL_}, false},
    {"cumsum", impl_cumsum, "Return the cumulative sum of the elements along the given axis.",
     {A_, AXIS_NONE_, REVERSE_, INCLUSIVE_, DTYPE_KW_}, false},
    {"cumprod", impl_cumprod, "Return the cumulative product of the elements along the given axis.",
     {A_, AXIS_NONE_, REVERSE_, INCLUSIVE_, DTYPE_KW_}, false},
    {"cummax", impl_cummax, "Return the cumulative maximum of the elements along the given axis.",
     {A_, AXIS_NONE_, REVERSE_, INCLUSIVE_}, false},
    {"cummin", impl_cummin, "Return the cumulative minimum of the elements along the given axis.",
     {A_, AXIS_NONE_, REVERSE_, INCLUSIVE_}, false},
    {"logcumsumexp", impl_logcumsumexp,
     "Return the cumulative logsumexp of the elements along the given axis.",
     {A_, AXIS_NONE_, REVERSE_, INCLUSIVE_}, false},
    {"diff", impl_diff, "Compute the n-th discrete difference along the given axis.",
     {A_, {"n", MXPY_INT, MXPY_OPT, "1", {.i = 1}}, {"axis", MXPY_INT, MXPY_OPT, "-1", {.i = -1}}},
     false},
    {"sort", impl_sort, "Returns a sorted copy of the array.", {A_, AXIS_LAST_}, false},
    {"argsort", impl_argsort, "Returns the indices that sort the array.", {A_, AXIS_LAST_}, false},
    {"partition", impl_partition, "Returns a partitioned copy of the array.",
     {A_, {"kth", MXPY_INT, 0, NULL, {0}}, AXIS_LAST_}, false},
    {"argpartition", impl_argpartition, "Returns the indices that partition the array.",
     {A_, {"kth", MXPY_INT, 0, NULL, {0}}, AXIS_LAST_}, false},
    {"topk", impl_topk, "Returns the ``k`` largest elements from the input along a given axis.",
     {A_, {"k", MXPY_INT, 0, NULL, {0}}, AXIS_LAST_}, false},
    {"searchsorted", impl_searchsorted,
     "Find the indices that keep ``sorted_sequence`` sorted when inserting ``values``.",
     {{"sorted_sequence", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"values", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"side", MXPY_OBJECT, MXPY_OPT, "'left'", {0}}},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};

const mxpy_fn mxpy_reduce_sort_methods[] = {
    RED_M(all),
    RED_M(any),
    RED_M(prod),
    RED_M(max),
    RED_M(min),
    RED_M(mean),
    RED_M(logsumexp),
    {"var", impl_var, "See :func:`var`.", {SELF_, AXES_, KEEPDIMS_, DDOF_, CORRECTION_}, false},
    {"std", impl_std, "See :func:`std`.", {SELF_, AXES_, KEEPDIMS_, DDOF_, CORRECTION_}, false},
    {"argmax", impl_argmax, "See :func:`argmax`.", {SELF_, AXIS_NONE_, KEEPDIMS_}, false},
    {"argmin", impl_argmin, "See :func:`argmin`.", {SELF_, AXIS_NONE_, KEEPDIMS_}, false},
    {"cumsum", impl_cumsum_m, "See :func:`cumsum`.", {SELF_, AXIS_NONE_, REVERSE_, INCLUSIVE_},
     false},
    {"cumprod", impl_cumprod_m, "See :func:`cumprod`.",
     {SELF_, AXIS_NONE_, REVERSE_, INCLUSIVE_}, false},
    {"cummax", impl_cummax, "See :func:`cummax`.", {SELF_, AXIS_NONE_, REVERSE_, INCLUSIVE_},
     false},
    {"cummin", impl_cummin, "See :func:`cummin`.", {SELF_, AXIS_NONE_, REVERSE_, INCLUSIVE_},
     false},
    {"logcumsumexp", impl_logcumsumexp, "See :func:`logcumsumexp`.",
     {SELF_, AXIS_NONE_, REVERSE_, INCLUSIVE_}, false},
    {NULL, NULL, NULL, {{0}}, false},
};
