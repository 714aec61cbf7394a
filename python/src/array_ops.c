/* Operators of mlx.core.array: + - * / // % ** @, unary - + abs ~, the
 * bitwise operators and shifts, comparisons, the in-place forms, and the
 * conversions bool() int() float() and operator.index().
 *
 * The other operand may be an array, a Python scalar, or anything mx.array
 * converts (NumPy arrays and scalars, buffers).  Scalars follow MLX's weak
 * typing (see mxpy_binary_operands in convert.c): array([1], float16) + 1.5
 * stays float16.  As in MLX, strings, lists and tuples raise ValueError
 * ("Cannot perform addition on an mlx.core.array and str"); None and other
 * objects give NotImplemented so their own reflected operator may run.
 *
 * In-place operators compute a new array and give it to the same Python
 * object, as MLX does: `b = a; a += 1` changes what b shows too, while
 * arrays computed from the old value keep it. */
#include "mlxpy.h"

typedef mx_array* (*binary_fn)(mx_array*, mx_array*, mx_stream);

static PyObject* binary(PyObject* x, PyObject* y, binary_fn fn, const char* verb) {
  PyObject* other = mxpy_is_array(x) ? y : x;
  if (!mxpy_is_operand(other)) {
    if (PyUnicode_Check(other) || PyList_Check(other) || PyTuple_Check(other)) {
      PyErr_Format(PyExc_ValueError, "Cannot perform %s on an mlx.core.array and %.100s", verb,
                   Py_TYPE(other)->tp_name);
      return NULL;
    }
    Py_RETURN_NOTIMPLEMENTED;
  }
  mx_array *a, *b;
  if (mxpy_binary_operands(x, y, &a, &b) != 0) return NULL;
  mx_array* r = fn(a, b, mx_stream_for_default());
  mx_array_release(a);
  mx_array_release(b);
  return mxpy_wrap(r);
}

/* Gives the result of an operator to `self` (in-place forms). */
static PyObject* assign(PyObject* self, PyObject* result) {
  if (!result || result == Py_NotImplemented) return result;
  mxpy_array* s = (mxpy_array*)self;
  mxpy_array* r = (mxpy_array*)result;
  mx_array* old = s->arr;
  s->arr = r->arr;
  mx_array_retain(s->arr);
  Py_DECREF(result);
  mx_array_release(old);
  return Py_NewRef(self);
}

static PyObject* nb_add(PyObject* x, PyObject* y) { return binary(x, y, mx_add, "addition"); }
static PyObject* nb_sub(PyObject* x, PyObject* y) { return binary(x, y, mx_subtract, "subtraction"); }
static PyObject* nb_mul(PyObject* x, PyObject* y) { return binary(x, y, mx_multiply, "multiplication"); }
static PyObject* nb_div(PyObject* x, PyObject* y) { return binary(x, y, mx_divide, "division"); }

/* a @ b takes arrays only (MLX raises TypeError for anything else). */
static PyObject* nb_matmul(PyObject* x, PyObject* y) {
  if (!mxpy_is_array(x) || !mxpy_is_array(y)) Py_RETURN_NOTIMPLEMENTED;
  return mxpy_wrap(mx_matmul(mxpy_arr(x), mxpy_arr(y), mx_stream_for_default()));
}

static PyObject* nb_iadd(PyObject* x, PyObject* y) {
  return assign(x, binary(x, y, mx_add, "inplace addition"));
}
static PyObject* nb_isub(PyObject* x, PyObject* y) {
  return assign(x, binary(x, y, mx_subtract, "inplace subtraction"));
}
static PyObject* nb_imul(PyObject* x, PyObject* y) {
  return assign(x, binary(x, y, mx_multiply, "inplace multiplication"));
}
/* The in-place forms may change the dtype (int += 1.5 gives float32, as in
 * MLX), except that MLX refuses a /= on an array that is not floating. */
static PyObject* nb_idiv(PyObject* x, PyObject* y) {
  if (mxpy_is_array(x) && !mx_dtype_is_inexact(mxpy_arr(x)->dtype)) {
    PyErr_SetString(PyExc_ValueError, "In place division cannot cast to non-floating point type.");
    return NULL;
  }
  return assign(x, binary(x, y, mx_divide, "inplace division"));
}
static PyObject* nb_imatmul(PyObject* x, PyObject* y) { return assign(x, nb_matmul(x, y)); }

/* -a, +a, abs(a), ~a: the unary ops (negative refuses bool, as MLX). */
static PyObject* nb_neg(PyObject* x) { return mxpy_wrap(mx_negative(mxpy_arr(x), mx_stream_for_default())); }
static PyObject* nb_pos(PyObject* x) { return mxpy_wrap(mx_positive(mxpy_arr(x), mx_stream_for_default())); }
static PyObject* nb_abs(PyObject* x) { return mxpy_wrap(mx_abs(mxpy_arr(x), mx_stream_for_default())); }
static PyObject* nb_invert(PyObject* x) {
  if (mx_dtype_is_inexact(mxpy_arr(x)->dtype)) {
    PyErr_SetString(PyExc_ValueError, "Floating point types not allowed with bitwise inversion.");
    return NULL;
  }
  return mxpy_wrap(mx_bitwise_invert(mxpy_arr(x), mx_stream_for_default()));
}

/* //, % and ** have reflected forms (7 // a); the bitwise operators and
 * shifts do not in MLX (1 & a is a TypeError), so a non-array left operand
 * gives NotImplemented there.  Bitwise operands must not be floating
 * point (ValueError, checked after the scalar took its dtype). */
static PyObject* nb_floordiv(PyObject* x, PyObject* y) {
  return binary(x, y, mx_floor_divide, "floor division");
}
static PyObject* nb_mod(PyObject* x, PyObject* y) { return binary(x, y, mx_remainder, "modulus"); }
static PyObject* nb_pow(PyObject* x, PyObject* y, PyObject* mod) {
  if (mod != Py_None) {
    PyErr_SetString(PyExc_TypeError, "pow() with a modulus is not supported for mlx.core.array.");
    return NULL;
  }
  return binary(x, y, mx_power, "power");
}

static PyObject* bitwise(PyObject* x, PyObject* y, binary_fn fn, const char* verb) {
  if (!mxpy_is_array(x)) Py_RETURN_NOTIMPLEMENTED;
  if (!mxpy_is_operand(y)) return binary(x, y, fn, verb);
  mx_array *a, *b;
  if (mxpy_binary_operands(x, y, &a, &b) != 0) return NULL;
  mx_array* r = NULL;
  if (mx_dtype_is_inexact(a->dtype) || mx_dtype_is_inexact(b->dtype))
    PyErr_Format(PyExc_ValueError, "Floating point types not allowed with %s.", verb);
  else
    r = fn(a, b, mx_stream_for_default());
  mx_array_release(a);
  mx_array_release(b);
  if (!r) return PyErr_Occurred() ? NULL : mxpy_raise();
  return mxpy_wrap(r);
}
static PyObject* nb_and(PyObject* x, PyObject* y) { return bitwise(x, y, mx_bitwise_and, "bitwise and"); }
static PyObject* nb_or(PyObject* x, PyObject* y) { return bitwise(x, y, mx_bitwise_or, "bitwise or"); }
static PyObject* nb_xor(PyObject* x, PyObject* y) { return bitwise(x, y, mx_bitwise_xor, "bitwise xor"); }
static PyObject* nb_lshift(PyObject* x, PyObject* y) { return bitwise(x, y, mx_left_shift, "left shift"); }
static PyObject* nb_rshift(PyObject* x, PyObject* y) { return bitwise(x, y, mx_right_shift, "right shift"); }

static PyObject* nb_ifloordiv(PyObject* x, PyObject* y) { return assign(x, nb_floordiv(x, y)); }
static PyObject* nb_imod(PyObject* x, PyObject* y) { return assign(x, nb_mod(x, y)); }
static PyObject* nb_ipow(PyObject* x, PyObject* y, PyObject* m) { return assign(x, nb_pow(x, y, m)); }
static PyObject* nb_iand(PyObject* x, PyObject* y) { return assign(x, nb_and(x, y)); }
static PyObject* nb_ior(PyObject* x, PyObject* y) { return assign(x, nb_or(x, y)); }
static PyObject* nb_ixor(PyObject* x, PyObject* y) { return assign(x, nb_xor(x, y)); }
static PyObject* nb_ilshift(PyObject* x, PyObject* y) { return assign(x, nb_lshift(x, y)); }
static PyObject* nb_irshift(PyObject* x, PyObject* y) { return assign(x, nb_rshift(x, y)); }

/* ==, !=, <, <=, >, >= (array.c installs this as tp_richcompare).  As in
 * MLX: strings, lists, tuples and other non-operands compare unequal for
 * == and != (False / True) and raise ValueError for the orderings; None is
 * a TypeError. */
PyObject* mxpy_array_richcompare(PyObject* x, PyObject* y, int op) {
  static const char* const verbs[] = {"less than", "less than or equal", "equal", "not equal",
                                      "greater than", "greater than or equal"};
  PyObject* other = mxpy_is_array(x) ? y : x;
  if (other == Py_None) {
    PyErr_SetString(PyExc_TypeError, "Cannot compare an mlx.core.array with None.");
    return NULL;
  }
  if (!mxpy_is_operand(other)) {
    if (op == Py_EQ) Py_RETURN_FALSE;
    if (op == Py_NE) Py_RETURN_TRUE;
    if (PyUnicode_Check(other) || PyList_Check(other) || PyTuple_Check(other)) {
      PyErr_Format(PyExc_ValueError, "Cannot perform %s on an mlx.core.array and %.100s", verbs[op],
                   Py_TYPE(other)->tp_name);
      return NULL;
    }
    Py_RETURN_NOTIMPLEMENTED;
  }
  static const binary_fn fns[] = {mx_less, mx_less_equal, mx_equal,
                                  mx_not_equal, mx_greater, mx_greater_equal};
  return binary(x, y, fns[op], verbs[op]);
}

/* Arrays hash by identity (as Python objects do by default), which MLX
 * keeps even though == is elementwise. */
Py_hash_t mxpy_array_hash(PyObject* x) {
  size_t y = (size_t)x;
  y = (y >> 4) | (y << (8 * sizeof(void*) - 4));
  Py_hash_t h = (Py_hash_t)y;
  return h == -1 ? -2 : h;
}

/* --- conversions to Python numbers ----------------------------------------------- */

static PyObject* item_of(PyObject* x) {
  mx_array* a = mxpy_arr(x);
  mx_array_retain(a);
  PyObject* r = mxpy_item(a);
  mx_array_release(a);
  return r;
}

static int nb_bool(PyObject* x) {
  PyObject* item = item_of(x);
  if (!item) return -1;
  int r = PyObject_IsTrue(item);
  Py_DECREF(item);
  return r;
}

static PyObject* nb_int(PyObject* x) {
  PyObject* item = item_of(x);
  if (!item) return NULL;
  PyObject* r = PyNumber_Long(item);
  Py_DECREF(item);
  return r;
}

static PyObject* nb_float(PyObject* x) {
  PyObject* item = item_of(x);
  if (!item) return NULL;
  PyObject* r = PyNumber_Float(item);
  Py_DECREF(item);
  return r;
}

static PyObject* nb_index(PyObject* x) {
  mx_array* a = mxpy_arr(x);
  if (a->ndim != 0 || !(mx_dtype_is_integer(a->dtype) || a->dtype == MX_BOOL)) {
    PyErr_SetString(PyExc_TypeError, "Only 0-dimensional integer arrays can be converted to an index.");
    return NULL;
  }
  PyObject* item = item_of(x);
  if (!item) return NULL;
  PyObject* r = PyNumber_Index(item);
  Py_DECREF(item);
  return r;
}

PyNumberMethods mxpy_array_as_number = {
    .nb_add = nb_add,
    .nb_subtract = nb_sub,
    .nb_multiply = nb_mul,
    .nb_true_divide = nb_div,
    .nb_matrix_multiply = nb_matmul,
    .nb_inplace_add = nb_iadd,
    .nb_inplace_subtract = nb_isub,
    .nb_inplace_multiply = nb_imul,
    .nb_inplace_true_divide = nb_idiv,
    .nb_inplace_matrix_multiply = nb_imatmul,
    .nb_negative = nb_neg,
    .nb_positive = nb_pos,
    .nb_absolute = nb_abs,
    .nb_invert = nb_invert,
    .nb_floor_divide = nb_floordiv,
    .nb_remainder = nb_mod,
    .nb_power = nb_pow,
    .nb_and = nb_and,
    .nb_or = nb_or,
    .nb_xor = nb_xor,
    .nb_lshift = nb_lshift,
    .nb_rshift = nb_rshift,
    .nb_inplace_floor_divide = nb_ifloordiv,
    .nb_inplace_remainder = nb_imod,
    .nb_inplace_power = nb_ipow,
    .nb_inplace_and = nb_iand,
    .nb_inplace_or = nb_ior,
    .nb_inplace_xor = nb_ixor,
    .nb_inplace_lshift = nb_ilshift,
    .nb_inplace_rshift = nb_irshift,
    .nb_bool = nb_bool,
    .nb_int = nb_int,
    .nb_float = nb_float,
    .nb_index = nb_index,
};
