/* Array creation: mx.zeros, ones, full, zeros_like, ones_like, arange. */
#include "mlxpy.h"

static PyObject* impl_zeros(mxpy_value* v, mx_stream s) {
  mx_dtype t = v[1].dtype < 0 ? MX_FLOAT32 : (mx_dtype)v[1].dtype;
  return mxpy_wrap(mx_zeros(v[0].ints.n, v[0].ints.v, t, s));
}

static PyObject* impl_ones(mxpy_value* v, mx_stream s) {
  mx_dtype t = v[1].dtype < 0 ? MX_FLOAT32 : (mx_dtype)v[1].dtype;
  return mxpy_wrap(mx_ones(v[0].ints.n, v[0].ints.v, t, s));
}

/* full(shape, vals, dtype=None): without a dtype the result has vals'
 * dtype (a Python scalar's default dtype, as MLX). */
static PyObject* impl_full(mxpy_value* v, mx_stream s) {
  mx_dtype t = v[2].dtype < 0 ? v[1].a->dtype : (mx_dtype)v[2].dtype;
  return mxpy_wrap(mx_full(v[0].ints.n, v[0].ints.v, v[1].a, t, s));
}

static PyObject* impl_zeros_like(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  if (v[1].dtype < 0) return mxpy_wrap(mx_zeros_like(a, s));
  return mxpy_wrap(mx_zeros(a->ndim, a->shape, (mx_dtype)v[1].dtype, s));
}

static PyObject* impl_ones_like(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  if (v[1].dtype < 0) return mxpy_wrap(mx_ones_like(a, s));
  return mxpy_wrap(mx_ones(a->ndim, a->shape, (mx_dtype)v[1].dtype, s));
}

/* One arange bound: an int or a float (bool and arrays are refused as in
 * MLX).  Sets *is_float for floats. */
static int arange_number(PyObject* o, const char* name, double* out, bool* is_float) {
  if (PyBool_Check(o)) {
    PyErr_SetString(PyExc_ValueError, "bool not supported for arange.");
    return -1;
  }
  if (PyFloat_Check(o)) *is_float = true;
  else if (!PyLong_Check(o)) {
    PyErr_Format(PyExc_TypeError, "arange(): argument '%s' must be an int or a float, not %.100s.",
                 name, Py_TYPE(o)->tp_name);
    return -1;
  }
  *out = PyFloat_AsDouble(o);
  return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* MLX has two overloads, arange(start, stop, step=None, dtype=None) and
 * arange(stop, step=None, dtype=None).  One parameter list covers both: a
 * lone first number is the stop, and a Dtype given positionally in place of
 * stop or step is the dtype.  Without a dtype the result is float32 when any
 * bound is a float, else int32. */
static PyObject* impl_arange(mxpy_value* v, mx_stream s) {
  PyObject* start = v[0].none ? NULL : v[0].obj;
  PyObject* stop = v[1].none ? NULL : v[1].obj;
  PyObject* step = v[2].none ? NULL : v[2].obj;
  PyObject* dtype = v[3].none ? NULL : v[3].obj;
  if (step && mxpy_is_dtype(step) && !dtype) dtype = step, step = NULL;
  if (stop && mxpy_is_dtype(stop) && !dtype && !step) dtype = stop, stop = NULL;
  if (!stop) stop = start, start = NULL;
  if (!stop) {
    PyErr_SetString(PyExc_TypeError, "arange() missing required argument 'stop'.");
    return NULL;
  }
  double a = 0, b, c = 1;
  bool is_float = false;
  if ((start && arange_number(start, "start", &a, &is_float) != 0) ||
      arange_number(stop, "stop", &b, &is_float) != 0 ||
      (step && arange_number(step, "step", &c, &is_float) != 0))
    return NULL;
  int t = is_float ? MX_FLOAT32 : MX_INT32;
  if (dtype && mxpy_parse_dtype(dtype, "arange(): argument 'dtype'", false, &t) != 0) return NULL;
  return mxpy_wrap(mx_arange(a, b, c, (mx_dtype)t, s));
}

#define OPT_NONE(n, type) {n, type, MXPY_OPT | MXPY_NONE, "None", {0}}

const mxpy_fn mxpy_ops_create[] = {
    {"zeros", impl_zeros, "Construct an array of zeros.",
     {{"shape", MXPY_SHAPE_OR_INT, 0, NULL, {0}},
      {"dtype", MXPY_DTYPE, MXPY_OPT | MXPY_NONE, "float32", {.dtype = MX_FLOAT32}}},
     false},
    {"ones", impl_ones, "Construct an array of ones.",
     {{"shape", MXPY_SHAPE_OR_INT, 0, NULL, {0}},
      {"dtype", MXPY_DTYPE, MXPY_OPT | MXPY_NONE, "float32", {.dtype = MX_FLOAT32}}},
     false},
    {"full", impl_full,
     "Construct an array with the given value, broadcast to the shape; the dtype\n"
     "defaults to the value's.",
     {{"shape", MXPY_SHAPE_OR_INT, 0, NULL, {0}},
      {"vals", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}},
      OPT_NONE("dtype", MXPY_DTYPE)},
     false},
    {"zeros_like", impl_zeros_like, "An array of zeros with the same shape (and dtype) as the input.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, OPT_NONE("dtype", MXPY_DTYPE)}, false},
    {"ones_like", impl_ones_like, "An array of ones with the same shape (and dtype) as the input.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, OPT_NONE("dtype", MXPY_DTYPE)}, false},
    {"arange", impl_arange,
     "Generate values in [start, stop) spaced by step: arange(stop) or\n"
     "arange(start, stop, step=None, dtype=None).",
     {OPT_NONE("start", MXPY_OBJECT), OPT_NONE("stop", MXPY_OBJECT), OPT_NONE("step", MXPY_OBJECT),
      OPT_NONE("dtype", MXPY_OBJECT)},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};
