/* Shape functions: mx.reshape, transpose, broadcast_to.  (The array methods
 * reshape and transpose take their shape as varargs and live in array.c.) */
#include "mlxpy.h"

static PyObject* impl_reshape(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_reshape(v[0].a, v[1].ints.n, v[1].ints.v, s));
}

static PyObject* impl_transpose(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_transpose(v[0].a, v[1].ints.n, v[1].none ? NULL : v[1].ints.v, s));
}

static PyObject* impl_broadcast_to(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_broadcast_to(v[0].a, v[1].ints.n, v[1].ints.v, s));
}

const mxpy_fn mxpy_ops_shape[] = {
    {"reshape", impl_reshape, "Reshape an array while preserving the size; one dimension may be -1.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, {"shape", MXPY_SHAPE, 0, NULL, {0}}}, false},
    {"transpose", impl_transpose,
     "Transpose the dimensions of the array; axes=None reverses them.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"axes", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}}},
     false},
    {"broadcast_to", impl_broadcast_to, "Broadcast an array to the given shape.",
     {{"a", MXPY_SCALAR_OR_ARRAY, MXPY_POSONLY, NULL, {0}}, {"shape", MXPY_SHAPE, 0, NULL, {0}}},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};
