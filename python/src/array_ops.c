/* Operators of mlx.core.array: + - * / @, unary -, the in-place forms, and
 * the conversions bool() int() float() and operator.index().
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

/* -a is a * (-1 in a's dtype): the same dtype as MLX's negative, and
 * unsigned types wrap the same way (-1 becomes their largest value).  bool
 * is refused as in MLX.  A dedicated negative op can replace this later. */
static PyObject* nb_neg(PyObject* x) {
  mx_array* a = mxpy_arr(x);
  if (a->dtype == MX_BOOL) {
    PyErr_SetString(PyExc_ValueError, "[negative] Not supported for bool, use logical_not instead.");
    return NULL;
  }
  mx_array* m = mx_array_scalar_i64(-1, a->dtype);
  if (!m) return mxpy_raise();
  mx_array* r = mx_multiply(a, m, mx_stream_for_default());
  mx_array_release(m);
  return mxpy_wrap(r);
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
    .nb_bool = nb_bool,
    .nb_int = nb_int,
    .nb_float = nb_float,
    .nb_index = nb_index,
};
