/* mlx.core functions: elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...).
 *
 * Operands are arrays or scalars with MLX's weak typing (a Python scalar
 * takes the other operand's dtype where it fits: mxpy_binary_operands).
 * All operands are positional only; `stream` is keyword only. */
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

#define B(fn) \
  static PyObject* impl_##fn(mxpy_value* v, mx_stream s) { return call_binary(v, s, mx_##fn); }
B(equal) B(not_equal) B(less) B(less_equal) B(greater) B(greater_equal) B(logical_and)
B(logical_or) B(logical_xor) B(maximum) B(minimum) B(power) B(floor_divide) B(remainder)
B(logaddexp) B(arctan2) B(bitwise_and) B(bitwise_or) B(bitwise_xor) B(left_shift) B(right_shift)
#undef B

/* divmod returns [quotient, remainder] (a list, as MLX does). */
static PyObject* impl_divmod(mxpy_value* v, mx_stream s) {
  mx_array *a, *b, *q, *r;
  if (mxpy_binary_operands(v[0].obj, v[1].obj, &a, &b) != 0) return NULL;
  int rc = mx_divmod(a, b, s, &q, &r);
  mx_array_release(a);
  mx_array_release(b);
  if (rc != 0) return mxpy_raise();
  PyObject* pq = mxpy_wrap(q);
  PyObject* pr = pq ? mxpy_wrap(r) : (mx_array_release(r), NULL);
  if (!pr) {
    Py_XDECREF(pq);
    return NULL;
  }
  PyObject* list = PyList_New(2);
  if (!list) {
    Py_DECREF(pq);
    Py_DECREF(pr);
    return NULL;
  }
  PyList_SET_ITEM(list, 0, pq);
  PyList_SET_ITEM(list, 1, pr);
  return list;
}

/* where(condition, x, y): x and y are typed against each other like the
 * operands of a binary op; the condition on its own. */
static PyObject* impl_where(mxpy_value* v, mx_stream s) {
  mx_array *x, *y;
  if (mxpy_binary_operands(v[1].obj, v[2].obj, &x, &y) != 0) return NULL;
  mx_array* c = mxpy_to_array(v[0].obj, -1, false);
  mx_array* r = c ? mx_where(c, x, y, s) : NULL;
  mx_array_release(x);
  mx_array_release(y);
  if (!c) return NULL;
  mx_array_release(c);
  return mxpy_wrap(r);
}

/* clip(a, a_min, a_max): each bound is typed against `a` (so an int bound
 * must fit an integer array's dtype) and may be None, but not both. */
static int bound(PyObject* self, mxpy_value* v, mx_array** out) {
  *out = NULL;
  if (v->none) return 0;
  mx_array *a, *b;
  if (mxpy_binary_operands(self, v->obj, &a, &b) != 0) return -1;
  mx_array_release(a);
  *out = b;
  return 0;
}

static PyObject* impl_clip(mxpy_value* v, mx_stream s) {
  mx_array *lo, *hi;
  if (v[1].none && v[2].none) {
    PyErr_SetString(PyExc_ValueError, "At most one of a_min and a_max may be None");
    return NULL;
  }
  if (bound(v[0].obj, &v[1], &lo) != 0) return NULL;
  if (bound(v[0].obj, &v[2], &hi) != 0) {
    mx_array_release(lo);
    return NULL;
  }
  mx_array* r = mx_clip(v[0].a, lo, hi, s);
  mx_array_release(lo);
  mx_array_release(hi);
  return mxpy_wrap(r);
}

#define AB {{"a", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}, {"b", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}}
#define ROW(name, impl, doc) {name, impl_##impl, doc, AB, false}

const mxpy_fn mxpy_ops_binary[] = {
    ROW("equal", equal, "Element-wise equality."),
    ROW("not_equal", not_equal, "Element-wise not equal."),
    ROW("less", less, "Element-wise less than."),
    ROW("less_equal", less_equal, "Element-wise less than or equal."),
    ROW("greater", greater, "Element-wise greater than."),
    ROW("greater_equal", greater_equal, "Element-wise greater or equal."),
    ROW("logical_and", logical_and, "Element-wise logical and."),
    ROW("logical_or", logical_or, "Element-wise logical or."),
    ROW("logical_xor", logical_xor, "Element-wise logical exclusive or."),
    ROW("maximum", maximum, "Element-wise maximum (NaN propagates)."),
    ROW("minimum", minimum, "Element-wise minimum (NaN propagates)."),
    ROW("power", power, "Element-wise power operation."),
    ROW("pow", power, "Element-wise power operation (alias of power)."),
    ROW("floor_divide", floor_divide, "Element-wise integer division (floor of the quotient)."),
    ROW("remainder", remainder, "Element-wise remainder of division, with the sign of the divisor."),
    ROW("divmod", divmod, "Element-wise quotient and remainder: [a // b, a % b]."),
    ROW("logaddexp", logaddexp, "Element-wise log-add-exp: log(exp(a) + exp(b)), computed stably."),
    ROW("arctan2", arctan2, "Element-wise inverse tangent of the ratio of two arrays."),
    ROW("atan2", arctan2, "Element-wise inverse tangent of the ratio (alias of arctan2)."),
    ROW("bitwise_and", bitwise_and, "Element-wise bitwise and."),
    ROW("bitwise_or", bitwise_or, "Element-wise bitwise or."),
    ROW("bitwise_xor", bitwise_xor, "Element-wise bitwise xor."),
    ROW("left_shift", left_shift, "Element-wise left shift."),
    ROW("bitwise_left_shift", left_shift, "Element-wise left shift (alias of left_shift)."),
    ROW("right_shift", right_shift, "Element-wise right shift."),
    ROW("bitwise_right_shift", right_shift, "Element-wise right shift (alias of right_shift)."),
    {"where", impl_where, "Select from x or y according to condition.",
     {{"condition", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}},
      {"x", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}},
      {"y", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}},
     false},
    {"clip", impl_clip, "Clip the values of the array between the given minimum and maximum.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"a_min", MXPY_OBJECT, MXPY_NONE, NULL, {0}},
      {"a_max", MXPY_OBJECT, MXPY_NONE, NULL, {0}}},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};
