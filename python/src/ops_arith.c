/* Arithmetic functions: mx.add, subtract, multiply, divide, matmul.
 *
 * MLX's signatures are add(a, b, stream=None) with `a` and `b` each "scalar
 * or array" (positional only, as MLX rejects add(a=..., b=...)).  Scalars
 * follow the weak typing of the operators (convert.c). */
#include "mlxpy.h"

typedef mx_array* (*binary_fn)(mx_array*, mx_array*, mx_stream);

static PyObject* call_binary(mxpy_value* v, mx_stream s, binary_fn fn) {
  mx_array *a, *b;
  if (mxpy_binary_operands(v[0].obj, v[1].obj, &a, &b) != 0) return NULL;
  mx_array* r = fn(a, b, s);
  mx_array_release(a);
  mx_array_release(b);
  return mxpy_wrap(r);
}

static PyObject* impl_add(mxpy_value* v, mx_stream s) { return call_binary(v, s, mx_add); }
static PyObject* impl_subtract(mxpy_value* v, mx_stream s) { return call_binary(v, s, mx_subtract); }
static PyObject* impl_multiply(mxpy_value* v, mx_stream s) { return call_binary(v, s, mx_multiply); }
static PyObject* impl_divide(mxpy_value* v, mx_stream s) { return call_binary(v, s, mx_divide); }
static PyObject* impl_matmul(mxpy_value* v, mx_stream s) { return mxpy_wrap(mx_matmul(v[0].a, v[1].a, s)); }

/* Parameter lists shared by the rows below. */
#define SCALAR_OR_ARRAY_AB                                                   \
  {{"a", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}, {"b", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}}
#define ARRAY_AB {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, {"b", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}}

const mxpy_fn mxpy_ops_arith[] = {
    {"add", impl_add, "Element-wise addition with numpy-style broadcasting.", SCALAR_OR_ARRAY_AB, false},
    {"subtract", impl_subtract, "Element-wise subtraction with numpy-style broadcasting.",
     SCALAR_OR_ARRAY_AB, false},
    {"multiply", impl_multiply, "Element-wise multiplication with numpy-style broadcasting.",
     SCALAR_OR_ARRAY_AB, false},
    {"divide", impl_divide,
     "Element-wise division with numpy-style broadcasting; integer inputs give a\nfloating point result.",
     SCALAR_OR_ARRAY_AB, false},
    {"matmul", impl_matmul,
     "Matrix multiplication with numpy semantics: 1-D operands are promoted and the\n"
     "added dimension removed; leading dimensions broadcast.",
     ARRAY_AB, false},
    {NULL, NULL, NULL, {{0}}, false},
};
