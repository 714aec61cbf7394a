/* Reductions: mx.sum and array.sum.
 *
 * axis is None (every axis), an int or a sequence of ints; keepdims keeps
 * the reduced axes as size-1 dimensions. */
#include "mlxpy.h"

static PyObject* impl_sum(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_sum(v[0].a, v[1].ints.n, v[1].none ? NULL : v[1].ints.v, v[2].b, s));
}

#define AXIS_KEEPDIMS                                                      \
  {"axis", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}},                  \
  {"keepdims", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}

const mxpy_fn mxpy_ops_reduce[] = {
    {"sum", impl_sum, "Sum reduction over the given axes.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, AXIS_KEEPDIMS}, false},
    {NULL, NULL, NULL, {{0}}, false},
};

const mxpy_fn mxpy_reduce_methods[] = {
    {"sum", impl_sum, "See :func:`sum`.", {{"self", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, AXIS_KEEPDIMS},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};
