/* mlx.core functions: shape/view ops and creation ops beyond the foundation
 * (linspace, eye, tri, meshgrid, windows, flatten ... pad, roll, view), and
 * the array methods of this family (mxpy_shape_methods). */
#include "mlxpy.h"

#include <string.h>

/* --- helpers -------------------------------------------------------------- */

/* Wraps `n` new references (stolen) into a list or tuple; on failure the
 * ones not yet wrapped are released. */
static PyObject* wrap_many(mx_array** arrays, int n, bool tuple) {
  PyObject* seq = tuple ? PyTuple_New(n) : PyList_New(n);
  if (!seq) {
    for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    PyObject* o = mxpy_wrap(arrays[i]);
    if (!o) {
      for (int k = i + 1; k < n; k++) mx_array_release(arrays[k]);
      Py_DECREF(seq);
      return NULL;
    }
    if (tuple) PyTuple_SET_ITEM(seq, i, o);
    else PyList_SET_ITEM(seq, i, o);
  }
  return seq;
}

/* The result list of a multi-output constructor (freed here). */
static PyObject* wrap_list(mx_array** list, int n, bool tuple) {
  if (!list) return mxpy_raise();
  PyObject* r = wrap_many(list, n, tuple);
  free(list);
  return r;
}

/* The arrays of a sequence (borrowed from the Python objects); every item
 * must be an mlx.core.array.  *out is malloc'd (free it). */
static int array_items(PyObject* seq, const char* fname, mx_array*** out, Py_ssize_t* n) {
  if (!PyList_Check(seq) && !PyTuple_Check(seq)) {
    PyErr_Format(PyExc_TypeError, "%s(): expected a list of arrays, not %.100s.", fname,
                 Py_TYPE(seq)->tp_name);
    return -1;
  }
  Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
  mx_array** arr = malloc((size_t)(len > 0 ? len : 1) * sizeof *arr);
  if (!arr) {
    PyErr_NoMemory();
    return -1;
  }
  for (Py_ssize_t i = 0; i < len; i++) {
    PyObject* item = PySequence_Fast_GET_ITEM(seq, i);
    if (!mxpy_is_array(item)) {
      PyErr_Format(PyExc_TypeError, "%s(): every item must be an mlx.core.array, not %.100s.",
                   fname, Py_TYPE(item)->tp_name);
      free(arr);
      return -1;
    }
    arr[i] = mxpy_arr(item);
  }
  *out = arr;
  *n = len;
  return 0;
}

static mx_dtype dtype_or(const mxpy_value* v, mx_dtype def) {
  return v->dtype < 0 ? def : (mx_dtype)v->dtype;
}

/* An int argument that must fit in 32 bits (shapes, axes, counts). */
static int as_int32(const mxpy_value* v, const char* what, int* out) {
  if (v->i < INT32_MIN || v->i > INT32_MAX) {
    PyErr_Format(PyExc_OverflowError, "%s is outside the 32-bit integer range.", what);
    return -1;
  }
  *out = (int)v->i;
  return 0;
}

#define I32(var, val, what) \
  int var;                  \
  if (as_int32(val, what, &var) != 0) return NULL

/* --- creation ------------------------------------------------------------- */

static PyObject* impl_linspace(mxpy_value* v, mx_stream s) {
  if (v[2].none) {
    PyErr_SetString(PyExc_TypeError, "linspace(): argument 'num' must be an int, not None.");
    return NULL;
  }
  I32(num, &v[2], "linspace(): num");
  return mxpy_wrap(mx_linspace(v[0].f, v[1].f, num, v[3].b, dtype_or(&v[4], MX_FLOAT32), s));
}

static PyObject* impl_full_like(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_full_like(v[0].a, v[1].a, dtype_or(&v[2], v[0].a->dtype), s));
}

static PyObject* impl_eye(mxpy_value* v, mx_stream s) {
  I32(n, &v[0], "eye(): n");
  int m = n;
  if (!v[1].none && as_int32(&v[1], "eye(): m", &m) != 0) return NULL;
  I32(k, &v[2], "eye(): k");
  return mxpy_wrap(mx_eye(n, m, k, dtype_or(&v[3], MX_FLOAT32), s));
}

static PyObject* impl_identity(mxpy_value* v, mx_stream s) {
  I32(n, &v[0], "identity(): n");
  return mxpy_wrap(mx_identity(n, dtype_or(&v[1], MX_FLOAT32), s));
}

static PyObject* impl_tri(mxpy_value* v, mx_stream s) {
  I32(n, &v[0], "tri(): n");
  int m = n;
  if (!v[1].none && as_int32(&v[1], "tri(): m", &m) != 0) return NULL;
  I32(k, &v[2], "tri(): k");
  return mxpy_wrap(mx_tri(n, m, k, dtype_or(&v[3], MX_FLOAT32), s));
}

static PyObject* impl_tril(mxpy_value* v, mx_stream s) {
  I32(k, &v[1], "tril(): k");
  return mxpy_wrap(mx_tril(v[0].a, k, s));
}

static PyObject* impl_triu(mxpy_value* v, mx_stream s) {
  I32(k, &v[1], "triu(): k");
  return mxpy_wrap(mx_triu(v[0].a, k, s));
}

static PyObject* impl_empty(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_zeros(v[0].ints.n, v[0].ints.v, dtype_or(&v[1], MX_FLOAT32), s));
}

static PyObject* impl_empty_like(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  return mxpy_wrap(mx_zeros(a->ndim, a->shape, dtype_or(&v[1], a->dtype), s));
}

typedef mx_array* (*window_fn)(int, mx_stream);
static PyObject* window(mxpy_value* v, mx_stream s, window_fn fn) {
  I32(m, &v[0], "M");
  return mxpy_wrap(fn(m, s));
}
static PyObject* impl_bartlett(mxpy_value* v, mx_stream s) { return window(v, s, mx_bartlett); }
static PyObject* impl_hanning(mxpy_value* v, mx_stream s) { return window(v, s, mx_hanning); }
static PyObject* impl_hamming(mxpy_value* v, mx_stream s) { return window(v, s, mx_hamming); }
static PyObject* impl_blackman(mxpy_value* v, mx_stream s) { return window(v, s, mx_blackman); }

/* asarray(a, dtype=None, *, copy=None): arrays are shared when possible;
 * copy=False cannot be honoured for host data, as in MLX on the CPU. */
static PyObject* impl_asarray(mxpy_value* v, mx_stream s) {
  (void)s;
  PyObject* copy = v[2].obj;
  if (copy && copy != Py_None && !PyBool_Check(copy)) {
    PyErr_Format(PyExc_TypeError, "asarray(): argument 'copy' must be a bool or None, not %.100s.",
                 Py_TYPE(copy)->tp_name);
    return NULL;
  }
  if (copy == Py_False) {
    PyErr_SetString(PyExc_ValueError,
                    mxpy_is_array(v[0].obj)
                        ? "Unable to avoid copy while creating an array as requested."
                        : "[convert] Cannot import a CPU array without a copy.");
    return NULL;
  }
  mx_array* a = mxpy_to_array(v[0].obj, v[1].dtype, true);
  if (!a) return NULL;
  if (copy == Py_True && mxpy_is_array(v[0].obj) && a == mxpy_arr(v[0].obj)) {
    mx_array* c = mx_copy(a, mx_stream_for_default());
    mx_array_release(a);
    return mxpy_wrap(c);
  }
  return mxpy_wrap(a);
}

static PyObject* impl_meshgrid(mxpy_value* v, mx_stream s) {
  mx_array** arr;
  Py_ssize_t n;
  if (array_items(v[0].obj, "meshgrid", &arr, &n) != 0) return NULL;
  const char* indexing = "xy";
  if (v[2].given && !v[2].none) {
    if (!PyUnicode_Check(v[2].obj)) {
      free(arr);
      PyErr_SetString(PyExc_TypeError, "meshgrid(): argument 'indexing' must be a str.");
      return NULL;
    }
    indexing = PyUnicode_AsUTF8(v[2].obj);
    if (!indexing) {
      free(arr);
      return NULL;
    }
  }
  mx_array** out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!out) {
    free(arr);
    return PyErr_NoMemory();
  }
  bool sparse = v[1].given && !v[1].none && v[1].b;
  int rc = mx_meshgrid((int)n, arr, sparse, indexing, s, out);
  free(arr);
  if (rc != 0) {
    free(out);
    return mxpy_raise();
  }
  return wrap_list(out, (int)n, true);
}

/* --- shape ----------------------------------------------------------------- */

static PyObject* impl_flatten(mxpy_value* v, mx_stream s) {
  I32(a0, &v[1], "flatten(): start_axis");
  I32(a1, &v[2], "flatten(): end_axis");
  return mxpy_wrap(mx_flatten(v[0].a, a0, a1, s));
}

static PyObject* impl_unflatten(mxpy_value* v, mx_stream s) {
  I32(ax, &v[1], "unflatten(): axis");
  return mxpy_wrap(mx_unflatten(v[0].a, ax, v[2].ints.n, v[2].ints.v, s));
}

static PyObject* impl_squeeze(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_squeeze(v[0].a, v[1].ints.n, v[1].none ? NULL : v[1].ints.v, s));
}

static PyObject* impl_expand_dims(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_expand_dims(v[0].a, v[1].ints.n, v[1].ints.v, s));
}

static PyObject* impl_flip(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_flip(v[0].a, v[1].ints.n, v[1].none ? NULL : v[1].ints.v, s));
}

static PyObject* impl_unstack(mxpy_value* v, mx_stream s) {
  I32(ax, &v[1], "unstack(): axis");
  int n = 0;
  mx_array** list = mx_unstack(v[0].a, ax, s, &n);
  return wrap_list(list, n, true);
}

static PyObject* impl_moveaxis(mxpy_value* v, mx_stream s) {
  I32(a0, &v[1], "moveaxis(): source");
  I32(a1, &v[2], "moveaxis(): destination");
  return mxpy_wrap(mx_moveaxis(v[0].a, a0, a1, s));
}

static PyObject* impl_swapaxes(mxpy_value* v, mx_stream s) {
  I32(a0, &v[1], "swapaxes(): axis1");
  I32(a1, &v[2], "swapaxes(): axis2");
  return mxpy_wrap(mx_swapaxes(v[0].a, a0, a1, s));
}

static PyObject* impl_permute_dims(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_transpose(v[0].a, v[1].ints.n, v[1].none ? NULL : v[1].ints.v, s));
}

static PyObject* impl_matrix_transpose(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_matrix_transpose(v[0].a, s));
}

static PyObject* impl_broadcast_arrays(mxpy_value* v, mx_stream s) {
  mx_array** arr;
  Py_ssize_t n;
  if (array_items(v[0].obj, "broadcast_arrays", &arr, &n) != 0) return NULL;
  mx_array** out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!out) {
    free(arr);
    return PyErr_NoMemory();
  }
  int rc = mx_broadcast_arrays((int)n, arr, s, out);
  free(arr);
  if (rc != 0) {
    free(out);
    return mxpy_raise();
  }
  return wrap_list(out, (int)n, false);
}

static PyObject* impl_broadcast_shapes(mxpy_value* v, mx_stream s) {
  (void)s;
  PyObject* shapes = v[0].obj;
  Py_ssize_t n = PyTuple_GET_SIZE(shapes);
  if (n == 0) {
    PyErr_SetString(PyExc_ValueError, "[broadcast_shapes] Must provide at least one shape.");
    return NULL;
  }
  mxpy_ints acc, cur;
  if (mxpy_parse_ints(PyTuple_GET_ITEM(shapes, 0), "broadcast_shapes(): shape", false, &acc) != 0)
    return NULL;
  PyObject* result = NULL;
  for (Py_ssize_t i = 1; i < n; i++) {
    if (mxpy_parse_ints(PyTuple_GET_ITEM(shapes, i), "broadcast_shapes(): shape", false, &cur) !=
        0)
      goto done;
    int nd = acc.n > cur.n ? acc.n : cur.n;
    int* out = malloc((size_t)(nd > 0 ? nd : 1) * sizeof(int));
    int ond = 0;
    if (!out) {
      mxpy_ints_free(&cur);
      PyErr_NoMemory();
      goto done;
    }
    int rc = mx_broadcast_shapes(acc.n, acc.v, cur.n, cur.v, &ond, out);
    mxpy_ints_free(&cur);
    if (rc != 0) {
      free(out);
      mxpy_raise();
      goto done;
    }
    mxpy_ints_free(&acc);
    acc.v = out;
    acc.n = ond;
  }
  result = PyTuple_New(acc.n);
  for (int i = 0; result && i < acc.n; i++) {
    PyObject* d = PyLong_FromLong(acc.v[i]);
    if (!d) {
      Py_CLEAR(result);
      break;
    }
    PyTuple_SET_ITEM(result, i, d);
  }
done:
  mxpy_ints_free(&acc);
  return result;
}

static PyObject* join(mxpy_value* v, mx_stream s, bool stack) {
  mx_array** arr;
  Py_ssize_t n;
  const char* name = stack ? "stack" : "concatenate";
  if (array_items(v[0].obj, name, &arr, &n) != 0) return NULL;
  mx_array* out;
  if (v[1].none) {
    out = stack ? mx_stack((int)n, arr, 0, s) : mx_concatenate_all((int)n, arr, s);
  } else if (v[1].i < INT32_MIN || v[1].i > INT32_MAX) {
    free(arr);
    PyErr_Format(PyExc_OverflowError, "%s(): axis is outside the 32-bit integer range.", name);
    return NULL;
  } else {
    out = stack ? mx_stack((int)n, arr, (int)v[1].i, s)
                : mx_concatenate((int)n, arr, (int)v[1].i, s);
  }
  free(arr);
  return mxpy_wrap(out);
}
static PyObject* impl_concatenate(mxpy_value* v, mx_stream s) { return join(v, s, false); }
static PyObject* impl_stack(mxpy_value* v, mx_stream s) { return join(v, s, true); }

static PyObject* impl_split(mxpy_value* v, mx_stream s) {
  I32(ax, &v[2], "split(): axis");
  PyObject* ios = v[1].obj;
  int n = 0;
  mx_array** list;
  if (PyIndex_Check(ios) && !mxpy_is_array(ios)) {
    Py_ssize_t k = PyNumber_AsSsize_t(ios, PyExc_OverflowError);
    if (k == -1 && PyErr_Occurred()) return NULL;
    if (k > INT32_MAX || k < INT32_MIN) {
      PyErr_SetString(PyExc_OverflowError, "split(): too many sections.");
      return NULL;
    }
    list = mx_split(v[0].a, (int)k, ax, s, &n);
  } else {
    mxpy_ints idx;
    if (mxpy_parse_ints(ios, "split(): argument 'indices_or_sections'", false, &idx) != 0)
      return NULL;
    list = mx_split_sections(v[0].a, idx.n, idx.v, ax, s, &n);
    mxpy_ints_free(&idx);
  }
  return wrap_list(list, n, false);
}

static PyObject* impl_repeat(mxpy_value* v, mx_stream s) {
  I32(r, &v[1], "repeat(): repeats");
  if (v[2].none) return mxpy_wrap(mx_repeat_flat(v[0].a, r, s));
  I32(ax, &v[2], "repeat(): axis");
  return mxpy_wrap(mx_repeat(v[0].a, r, ax, s));
}

static PyObject* impl_tile(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_tile(v[0].a, v[1].ints.n, v[1].ints.v, s));
}

/* One (low, high) pair: an int, or a sequence of one or two ints. */
static int pad_pair(PyObject* o, int* lo, int* hi, bool allow_int) {
  mxpy_ints p;
  if (PyIndex_Check(o) && !allow_int) return 1;
  if (mxpy_parse_ints(o, "pad(): argument 'pad_width'", allow_int, &p) != 0) return -1;
  int rc = 0;
  if (p.n == 1) *lo = *hi = p.v[0];
  else if (p.n == 2) *lo = p.v[0], *hi = p.v[1];
  else rc = 1;
  mxpy_ints_free(&p);
  return rc;
}

static PyObject* impl_pad(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  int nd = a->ndim;
  int axes[nd > 0 ? nd : 1], lo[nd > 0 ? nd : 1], hi[nd > 0 ? nd : 1];
  PyObject* pw = v[1].obj;
  int rc;
  bool per_axis = (PyList_Check(pw) || PyTuple_Check(pw)) && PySequence_Fast_GET_SIZE(pw) > 0 &&
                  !PyIndex_Check(PySequence_Fast_GET_ITEM(pw, 0));
  if (per_axis) {
    /* [(lo, hi), ...] or ((lo, hi), ...): one pair per axis, or one pair
     * for all. */
    Py_ssize_t n = PySequence_Fast_GET_SIZE(pw);
    if (n != 1 && n != nd) {
      PyErr_Format(PyExc_ValueError,
                   "Invalid number of padding sizes passed to pad with axes of size %d", nd);
      return NULL;
    }
    for (int i = 0; i < nd; i++) {
      PyObject* item = PySequence_Fast_GET_ITEM(pw, n == 1 ? 0 : i);
      if (PyIndex_Check(item) || PyUnicode_Check(item) || !PySequence_Check(item) ||
          PySequence_Size(item) != 2) {
        PyErr_SetString(PyExc_TypeError,
                        "pad(): pad_width must be an int, a tuple of one or two ints, or a list "
                        "of (low, high) pairs.");
        return NULL;
      }
      if ((rc = pad_pair(item, &lo[i], &hi[i], false)) != 0) {
        if (rc > 0)
          PyErr_SetString(PyExc_TypeError, "pad(): each pad_width pair must hold two ints.");
        return NULL;
      }
    }
  } else {
    int l = 0, h = 0;
    if ((rc = pad_pair(pw, &l, &h, true)) != 0) {
      if (rc > 0)
        PyErr_SetString(PyExc_TypeError,
                        "pad(): pad_width must be an int, a tuple of one or two ints, or a list "
                        "of (low, high) pairs.");
      return NULL;
    }
    for (int i = 0; i < nd; i++) lo[i] = l, hi[i] = h;
  }
  for (int i = 0; i < nd; i++) axes[i] = i;
  const char* mode = "constant";
  if (v[2].given) {
    if (!PyUnicode_Check(v[2].obj)) {
      PyErr_SetString(PyExc_TypeError, "pad(): argument 'mode' must be a str.");
      return NULL;
    }
    mode = PyUnicode_AsUTF8(v[2].obj);
    if (!mode) return NULL;
  }
  mx_array* value = v[3].given ? v[3].a : NULL;
  return mxpy_wrap(mx_pad(a, nd, axes, lo, hi, value, mode, s));
}

static PyObject* impl_as_strided(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  int nd = v[1].none ? a->ndim : v[1].ints.n;
  const int* shape = v[1].none ? a->shape : v[1].ints.v;
  int64_t st[nd > 0 ? nd : 1];
  if (v[2].none) {
    mx_row_strides(nd, shape, st);
  } else {
    PyObject* seq = PySequence_Fast(v[2].obj, "as_strided(): strides must be a sequence of ints.");
    if (!seq) return NULL;
    if (PySequence_Fast_GET_SIZE(seq) != nd) {
      Py_DECREF(seq);
      PyErr_SetString(PyExc_ValueError,
                      "[as_strided] The shape and strides must have the same length.");
      return NULL;
    }
    for (int i = 0; i < nd; i++) {
      st[i] = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(seq, i));
      if (st[i] == -1 && PyErr_Occurred()) {
        Py_DECREF(seq);
        return NULL;
      }
    }
    Py_DECREF(seq);
  }
  return mxpy_wrap(mx_as_strided(a, nd, shape, st, v[3].i, s));
}

static PyObject* atleast(mxpy_value* v, mx_stream s, int nd) {
  mx_array** arr;
  Py_ssize_t n;
  if (array_items(v[0].obj, nd == 1 ? "atleast_1d" : nd == 2 ? "atleast_2d" : "atleast_3d",
                  &arr, &n) != 0)
    return NULL;
  mx_array** out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!out) {
    free(arr);
    return PyErr_NoMemory();
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    out[i] = mx_atleast(arr[i], nd, s);
    if (!out[i]) {
      for (Py_ssize_t k = 0; k < i; k++) mx_array_release(out[k]);
      free(out);
      free(arr);
      return mxpy_raise();
    }
  }
  free(arr);
  if (n == 1) {
    PyObject* r = mxpy_wrap(out[0]);
    free(out);
    return r;
  }
  return wrap_list(out, (int)n, false);
}
static PyObject* impl_atleast_1d(mxpy_value* v, mx_stream s) { return atleast(v, s, 1); }
static PyObject* impl_atleast_2d(mxpy_value* v, mx_stream s) { return atleast(v, s, 2); }
static PyObject* impl_atleast_3d(mxpy_value* v, mx_stream s) { return atleast(v, s, 3); }

static PyObject* impl_roll(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_roll(v[0].a, v[1].ints.n, v[1].ints.v, v[2].ints.n,
                           v[2].none ? NULL : v[2].ints.v, s));
}

static PyObject* impl_diagonal(mxpy_value* v, mx_stream s) {
  I32(off, &v[1], "diagonal(): offset");
  I32(a1, &v[2], "diagonal(): axis1");
  I32(a2, &v[3], "diagonal(): axis2");
  return mxpy_wrap(mx_diagonal(v[0].a, off, a1, a2, s));
}

static PyObject* impl_diag(mxpy_value* v, mx_stream s) {
  I32(k, &v[1], "diag(): k");
  return mxpy_wrap(mx_diag(v[0].a, k, s));
}

static PyObject* impl_view(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_view(v[0].a, (mx_dtype)v[1].dtype, s));
}

static PyObject* impl_contiguous(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_contiguous(v[0].a, v[1].b, s));
}

/* --- tables ------------------------------------------------------------------ */

#define A_POS {"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define OPT_NONE(n, type) {n, type, MXPY_OPT | MXPY_NONE, "None", {0}}
#define OPT_INT(n, v) {n, MXPY_INT, MXPY_OPT, #v, {.i = v}}
#define DTYPE_F32 {"dtype", MXPY_DTYPE, MXPY_OPT | MXPY_NONE, "float32", {.dtype = MX_FLOAT32}}
#define END {NULL, NULL, NULL, {{0}}, false}

const mxpy_fn mxpy_ops_shape_more[] = {
    {"linspace", impl_linspace, "Generate num evenly spaced numbers over the interval [start, stop].",
     {{"start", MXPY_FLOAT, 0, NULL, {0}},
      {"stop", MXPY_FLOAT, 0, NULL, {0}},
      {"num", MXPY_INT, MXPY_OPT | MXPY_NONE, "50", {.i = 50}},
      {"endpoint", MXPY_BOOL, MXPY_OPT, "True", {.b = true}},
      DTYPE_F32},
     false},
    {"full_like", impl_full_like,
     "An array with the shape of `a` filled with `vals`; the dtype defaults to a's.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}}, {"vals", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}},
      OPT_NONE("dtype", MXPY_DTYPE)},
     false},
    {"eye", impl_eye, "An identity-like matrix with ones on diagonal k.",
     {{"n", MXPY_INT, 0, NULL, {0}}, OPT_NONE("m", MXPY_INT), OPT_INT("k", 0), DTYPE_F32}, false},
    {"identity", impl_identity, "The n x n identity matrix.",
     {{"n", MXPY_INT, 0, NULL, {0}}, DTYPE_F32}, false},
    {"tri", impl_tri, "An n x m array with ones at and below diagonal k and zeros elsewhere.",
     {{"n", MXPY_INT, 0, NULL, {0}}, OPT_NONE("m", MXPY_INT), OPT_INT("k", 0),
      OPT_NONE("dtype", MXPY_DTYPE)},
     false},
    {"tril", impl_tril, "Zeros the elements above diagonal k of the last two axes.",
     {{"x", MXPY_ARRAY, 0, NULL, {0}}, OPT_INT("k", 0)}, false},
    {"triu", impl_triu, "Zeros the elements below diagonal k of the last two axes.",
     {{"x", MXPY_ARRAY, 0, NULL, {0}}, OPT_INT("k", 0)}, false},
    {"empty", impl_empty, "An array of the given shape (zero-filled; MLX's empty is zeros).",
     {{"shape", MXPY_SHAPE_OR_INT, 0, NULL, {0}}, DTYPE_F32}, false},
    {"empty_like", impl_empty_like, "An array with the shape and dtype of `a` (zero-filled).",
     {A_POS, OPT_NONE("dtype", MXPY_DTYPE)}, false},
    {"bartlett", impl_bartlett, "The Bartlett window of length M.",
     {{"M", MXPY_INT, 0, NULL, {0}}}, false},
    {"hanning", impl_hanning, "The Hanning window of length M.",
     {{"M", MXPY_INT, 0, NULL, {0}}}, false},
    {"hamming", impl_hamming, "The Hamming window of length M.",
     {{"M", MXPY_INT, 0, NULL, {0}}}, false},
    {"blackman", impl_blackman, "The Blackman window of length M.",
     {{"M", MXPY_INT, 0, NULL, {0}}}, false},
    {"asarray", impl_asarray, "Convert the input to an array.",
     {{"a", MXPY_OBJECT, 0, NULL, {0}}, OPT_NONE("dtype", MXPY_DTYPE),
      {"copy", MXPY_OBJECT, MXPY_OPT | MXPY_NONE | MXPY_KWONLY, "None", {0}}},
     true},
    {"meshgrid", impl_meshgrid, "Coordinate matrices from coordinate vectors.",
     {{"arrays", MXPY_VARARGS, 0, NULL, {0}},
      {"sparse", MXPY_BOOL, MXPY_OPT | MXPY_NONE | MXPY_KWONLY, "False", {.b = false}},
      {"indexing", MXPY_OBJECT, MXPY_OPT | MXPY_NONE | MXPY_KWONLY, "'xy'", {0}}},
     false},
    {"flatten", impl_flatten, "Flatten the axes start_axis..end_axis into one.",
     {A_POS, OPT_INT("start_axis", 0), OPT_INT("end_axis", -1)}, false},
    {"unflatten", impl_unflatten, "Split one axis into several with the given shape.",
     {A_POS, {"axis", MXPY_INT, 0, NULL, {0}}, {"shape", MXPY_SHAPE, 0, NULL, {0}}}, false},
    {"squeeze", impl_squeeze, "Remove size-1 axes (all of them when axis is None).",
     {A_POS, OPT_NONE("axis", MXPY_AXES)}, false},
    {"expand_dims", impl_expand_dims, "Add size-1 axes at the given positions.",
     {A_POS, {"axis", MXPY_AXES, 0, NULL, {0}}}, false},
    {"flip", impl_flip, "Reverse the order of elements along the given axes (all by default).",
     {A_POS, OPT_NONE("axis", MXPY_AXES)}, false},
    {"unstack", impl_unstack, "Split an array into a tuple of arrays along an axis.",
     {{"x", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"axis", MXPY_INT, MXPY_OPT | MXPY_KWONLY, "0", {.i = 0}}},
     false},
    {"moveaxis", impl_moveaxis, "Move an axis to a new position.",
     {A_POS, {"source", MXPY_INT, 0, NULL, {0}}, {"destination", MXPY_INT, 0, NULL, {0}}}, false},
    {"swapaxes", impl_swapaxes, "Swap two axes.",
     {A_POS, {"axis1", MXPY_INT, 0, NULL, {0}}, {"axis2", MXPY_INT, 0, NULL, {0}}}, false},
    {"permute_dims", impl_permute_dims, "Permute the axes (reverse them when axes is None).",
     {A_POS, OPT_NONE("axes", MXPY_AXES)}, false},
    {"matrix_transpose", impl_matrix_transpose, "Swap the last two axes.", {A_POS}, false},
    {"broadcast_arrays", impl_broadcast_arrays, "Broadcast arrays against each other.",
     {{"arrays", MXPY_VARARGS, 0, NULL, {0}}}, false},
    {"broadcast_shapes", impl_broadcast_shapes, "The shape the given shapes broadcast to.",
     {{"shapes", MXPY_VARARGS, 0, NULL, {0}}}, true},
    {"concatenate", impl_concatenate,
     "Concatenate arrays along an axis (flattened first when axis is None).",
     {{"arrays", MXPY_OBJECT, 0, NULL, {0}}, {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "0", {.i = 0}}},
     false},
    {"concat", impl_concatenate, "Alias of concatenate.",
     {{"arrays", MXPY_OBJECT, 0, NULL, {0}}, {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "0", {.i = 0}}},
     false},
    {"stack", impl_stack, "Stack arrays along a new axis.",
     {{"arrays", MXPY_OBJECT, 0, NULL, {0}}, {"axis", MXPY_INT, MXPY_OPT | MXPY_NONE, "0", {.i = 0}}},
     false},
    {"split", impl_split,
     "Split an array into equal parts (an int) or at the given indices (a sequence).",
     {A_POS, {"indices_or_sections", MXPY_OBJECT, 0, NULL, {0}}, OPT_INT("axis", 0)}, false},
    {"repeat", impl_repeat, "Repeat each element (of the flattened array when axis is None).",
     {{"array", MXPY_ARRAY, 0, NULL, {0}}, {"repeats", MXPY_INT, 0, NULL, {0}},
      OPT_NONE("axis", MXPY_INT)},
     false},
    {"tile", impl_tile, "Repeat the whole array reps times along each axis.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, {"reps", MXPY_SHAPE_OR_INT, MXPY_POSONLY, NULL, {0}}},
     false},
    {"pad", impl_pad,
     "Pad an array: mode 'constant' (with constant_values), 'edge', 'reflect' or 'symmetric'.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}},
      {"pad_width", MXPY_OBJECT, 0, NULL, {0}},
      {"mode", MXPY_OBJECT, MXPY_OPT, "'constant'", {0}},
      {"constant_values", MXPY_SCALAR_OR_ARRAY, MXPY_OPT, "0", {0}}},
     false},
    {"as_strided", impl_as_strided,
     "A view of the row-major data of `a` with the given shape, strides and offset.",
     {A_POS, OPT_NONE("shape", MXPY_SHAPE), OPT_NONE("strides", MXPY_OBJECT), OPT_INT("offset", 0)},
     false},
    {"atleast_1d", impl_atleast_1d, "Convert arrays to have at least one dimension.",
     {{"arys", MXPY_VARARGS, 0, NULL, {0}}}, false},
    {"atleast_2d", impl_atleast_2d, "Convert arrays to have at least two dimensions.",
     {{"arys", MXPY_VARARGS, 0, NULL, {0}}}, false},
    {"atleast_3d", impl_atleast_3d, "Convert arrays to have at least three dimensions.",
     {{"arys", MXPY_VARARGS, 0, NULL, {0}}}, false},
    {"roll", impl_roll, "Roll elements along the given axes (of the flattened array by default).",
     {A_POS, {"shift", MXPY_SHAPE_OR_INT, 0, NULL, {0}},
      {"axis", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}}},
     false},
    {"diagonal", impl_diagonal, "The diagonal of axes axis1 and axis2 at the given offset.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}}, OPT_INT("offset", 0), OPT_INT("axis1", 0),
      OPT_INT("axis2", 1)},
     false},
    {"diag", impl_diag, "Extract a diagonal (2-D input) or build a diagonal matrix (1-D input).",
     {A_POS, OPT_INT("k", 0)}, false},
    {"view", impl_view, "View the array's bytes as another dtype.",
     {{"a", MXPY_SCALAR_OR_ARRAY, 0, NULL, {0}}, {"dtype", MXPY_DTYPE, 0, NULL, {0}}}, false},
    {"contiguous", impl_contiguous, "A row-contiguous (or column-contiguous, if allowed) array.",
     {A_POS, {"allow_col_major", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}}, false},
    END,
};

#define SELF {"self", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}

/* Array methods: the same implementations with the array as `self`. */
const mxpy_fn mxpy_shape_methods[] = {
    {"flatten", impl_flatten, "Flatten the axes start_axis..end_axis into one.",
     {SELF, OPT_INT("start_axis", 0), OPT_INT("end_axis", -1)}, false},
    {"squeeze", impl_squeeze, "Remove size-1 axes (all of them when axis is None).",
     {SELF, OPT_NONE("axis", MXPY_AXES)}, false},
    {"swapaxes", impl_swapaxes, "Swap two axes.",
     {SELF, {"axis1", MXPY_INT, 0, NULL, {0}}, {"axis2", MXPY_INT, 0, NULL, {0}}}, false},
    {"moveaxis", impl_moveaxis, "Move an axis to a new position.",
     {SELF, {"source", MXPY_INT, 0, NULL, {0}}, {"destination", MXPY_INT, 0, NULL, {0}}}, false},
    {"split", impl_split,
     "Split into equal parts (an int) or at the given indices (a sequence).",
     {SELF, {"indices_or_sections", MXPY_OBJECT, 0, NULL, {0}}, OPT_INT("axis", 0)}, false},
    {"diagonal", impl_diagonal, "The diagonal of axes axis1 and axis2 at the given offset.",
     {SELF, OPT_INT("offset", 0), OPT_INT("axis1", 0), OPT_INT("axis2", 1)}, false},
    {"diag", impl_diag, "Extract a diagonal or build a diagonal matrix.", {SELF, OPT_INT("k", 0)},
     false},
    {"view", impl_view, "View the array's bytes as another dtype.",
     {SELF, {"dtype", MXPY_DTYPE, 0, NULL, {0}}}, false},
    END,
};
