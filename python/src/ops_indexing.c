/* mlx.core functions: gather/scatter, slice/slice_update, take/put_along_axis.
 * (Subscripting, a[...] and a[...] = v, lives in indexing.c.) */
#include "mlxpy.h"

/* take(a, /, indices, axis=None): `indices` is an int or an array. */
static PyObject* impl_take(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  PyObject* ind = v[1].obj;
  bool all = v[2].none;
  if (mxpy_is_array(ind)) {
    mx_array* idx = mxpy_arr(ind);
    return mxpy_wrap(all ? mx_take_all(a, idx, s) : mx_take(a, idx, (int)v[2].i, s));
  }
  if (PyBool_Check(ind) || !PyIndex_Check(ind)) {
    PyErr_Format(PyExc_TypeError, "take(): argument 'indices' must be an int or an array, not "
                 "%.100s.", Py_TYPE(ind)->tp_name);
    return NULL;
  }
  Py_ssize_t i = PyNumber_AsSsize_t(ind, PyExc_IndexError);
  if (i == -1 && PyErr_Occurred()) return NULL;
  if (!all) return mxpy_wrap(mx_take_int(a, i, (int)v[2].i, s));
  int n = (int)a->size;
  mx_array* f = mx_reshape(a, 1, &n, s);
  if (!f) return mxpy_raise();
  mx_array* r = mx_take_int(f, i, 0, s);
  mx_array_release(f);
  return mxpy_wrap(r);
}

static PyObject* impl_take_along_axis(mxpy_value* v, mx_stream s) {
  if (v[2].none) return mxpy_wrap(mx_take_along_axis_all(v[0].a, v[1].a, s));
  return mxpy_wrap(mx_take_along_axis(v[0].a, v[1].a, (int)v[2].i, s));
}

static PyObject* impl_put_along_axis(mxpy_value* v, mx_stream s) {
  if (v[3].none) return mxpy_wrap(mx_put_along_axis_all(v[0].a, v[1].a, v[2].a, s));
  return mxpy_wrap(mx_put_along_axis(v[0].a, v[1].a, v[2].a, (int)v[3].i, s));
}

static PyObject* impl_slice(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_slice_dynamic(v[0].a, v[1].a, v[2].ints.n, v[2].ints.v, v[3].ints.n,
                                    v[3].ints.v, s));
}

static PyObject* impl_slice_update(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(
      mx_slice_update_dynamic(v[0].a, v[1].a, v[2].a, v[3].ints.n, v[3].ints.v, s));
}

#define A_POS {"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define AXIS_NONE {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "None", {0}}

const mxpy_fn mxpy_ops_indexing[] = {
    {"take", impl_take,
     "Take elements along an axis.\n\nThe elements are taken from ``indices`` along the "
     "specified axis.\nIf the axis is not specified the array is treated as a flattened\n1-D "
     "array prior to performing the take.",
     {A_POS, {"indices", MXPY_OBJECT, 0, NULL, {0}}, AXIS_NONE}, false},
    {"take_along_axis", impl_take_along_axis,
     "Take values along an axis at the specified indices.",
     {A_POS, {"indices", MXPY_ARRAY, 0, NULL, {0}},
      {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "-1", {.i = -1}}},
     false},
    {"put_along_axis", impl_put_along_axis,
     "Put values along an axis at the specified indices.",
     {A_POS, {"indices", MXPY_ARRAY, 0, NULL, {0}},
      {"values", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}}, AXIS_NONE},
     false},
    {"slice", impl_slice,
     "Extract a sub-array from the input array.\n\nThe start along each of ``axes`` is read "
     "from ``start_indices``;\n``slice_size`` gives the shape of the result.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}}, {"start_indices", MXPY_ARRAY, 0, NULL, {0}},
      {"axes", MXPY_SHAPE, 0, NULL, {0}}, {"slice_size", MXPY_SHAPE, 0, NULL, {0}}},
     false},
    {"slice_update", impl_slice_update,
     "Update a sub-array of the input array.\n\nThe window has the shape of ``update`` and "
     "starts, along each of ``axes``,\nat the corresponding entry of ``start_indices``.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}}, {"update", MXPY_ARRAY, 0, NULL, {0}},
      {"start_indices", MXPY_ARRAY, 0, NULL, {0}}, {"axes", MXPY_SHAPE, 0, NULL, {0}}},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};
