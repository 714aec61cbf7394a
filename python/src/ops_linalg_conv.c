/* mlx.core functions: matmul family and convolutions.
 *
 * Array arguments are arrays only, as in MLX (which rejects NumPy arrays,
 * lists and scalars for these functions with a TypeError). */
#include <string.h>

#include "mlxpy.h"

/* --- products ------------------------------------------------------------------- */

static PyObject* impl_addmm(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_addmm(v[0].a, v[1].a, v[2].a, (float)v[3].f, (float)v[4].f, s));
}

/* axes: an int (that many trailing/leading axes) or a pair of sequences. */
static PyObject* impl_tensordot(mxpy_value* v, mx_stream s) {
  PyObject* axes = v[2].obj;
  if (!axes) return mxpy_wrap(mx_tensordot_n(v[0].a, v[1].a, 2, s));
  if (PyIndex_Check(axes) && !PyBool_Check(axes)) {
    long n = PyLong_AsLong(axes);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (n < INT32_MIN || n > INT32_MAX) n = n < 0 ? INT32_MIN : INT32_MAX;
    return mxpy_wrap(mx_tensordot_n(v[0].a, v[1].a, (int)n, s));
  }
  if (!PyList_Check(axes) && !PyTuple_Check(axes)) goto bad;
  if (PySequence_Size(axes) != 2) goto bad;
  PyObject* xa = PySequence_GetItem(axes, 0);
  PyObject* xb = xa ? PySequence_GetItem(axes, 1) : NULL;
  if (!xb) {
    Py_XDECREF(xa);
    return NULL;
  }
  mxpy_ints ia, ib;
  int rc = mxpy_parse_ints(xa, "tensordot(): axes", false, &ia);
  if (rc == 0 && mxpy_parse_ints(xb, "tensordot(): axes", false, &ib) != 0) {
    mxpy_ints_free(&ia);
    rc = -1;
  }
  Py_DECREF(xa);
  Py_DECREF(xb);
  if (rc != 0) {
    PyErr_Clear();
    goto bad;
  }
  PyObject* r = NULL;
  if (ia.n != ib.n) {
    PyErr_SetString(PyExc_ValueError, "[tensordot] axes must have the same size.");
  } else {
    r = mxpy_wrap(mx_tensordot(v[0].a, v[1].a, ia.n, ia.v, ib.v, s));
  }
  mxpy_ints_free(&ia);
  mxpy_ints_free(&ib);
  return r;
bad:
  PyErr_SetString(PyExc_TypeError,
                  "tensordot(): axes must be an int or a list of two sequences of ints.");
  return NULL;
}

static PyObject* impl_inner(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_inner(v[0].a, v[1].a, s));
}
static PyObject* impl_outer(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_outer(v[0].a, v[1].a, s));
}
static PyObject* impl_vecdot(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_vecdot(v[0].a, v[1].a, (int)v[2].i, s));
}
static PyObject* impl_kron(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_kron(v[0].a, v[1].a, s));
}

static PyObject* impl_gather_mm(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_gather_mm(v[0].a, v[1].a, v[2].a, v[3].a, v[4].b, s));
}
static PyObject* impl_block_masked_mm(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_block_masked_mm(v[0].a, v[1].a, (int)v[2].i, v[3].a, v[4].a, v[5].a, s));
}
static PyObject* impl_segmented_mm(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_segmented_mm(v[0].a, v[1].a, v[2].a, s));
}

/* MLX's docstring shows `stream` as a plain parameter, but its binding
 * takes `a` positionally and `stream` by keyword only, as here. */
static PyObject* impl_hadamard(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_hadamard_transform(v[0].a, !v[1].none, (float)v[1].f, s));
}

/* --- einsum ---------------------------------------------------------------------- */

/* The operands tuple as borrowed arrays (TypeError for anything else). */
static mx_array** einsum_operands(PyObject* tuple, int* n) {
  Py_ssize_t k = PyTuple_GET_SIZE(tuple);
  mx_array** ops = PyMem_Malloc((size_t)(k ? k : 1) * sizeof(mx_array*));
  if (!ops) {
    PyErr_NoMemory();
    return NULL;
  }
  for (Py_ssize_t i = 0; i < k; i++) {
    PyObject* o = PyTuple_GET_ITEM(tuple, i);
    if (!mxpy_is_array(o)) {
      PyErr_Format(PyExc_TypeError, "einsum(): operands must be mlx.core.array, not %.100s.",
                   Py_TYPE(o)->tp_name);
      PyMem_Free(ops);
      return NULL;
    }
    ops[i] = mxpy_arr(o);
  }
  *n = (int)k;
  return ops;
}

static const char* subscripts_of(PyObject* o) {
  if (!PyUnicode_Check(o)) {
    PyErr_Format(PyExc_TypeError, "einsum(): subscripts must be a str, not %.100s.",
                 Py_TYPE(o)->tp_name);
    return NULL;
  }
  return PyUnicode_AsUTF8(o);
}

static PyObject* impl_einsum(mxpy_value* v, mx_stream s) {
  const char* sub = subscripts_of(v[0].obj);
  if (!sub) return NULL;
  int n;
  mx_array** ops = einsum_operands(v[1].obj, &n);
  if (!ops) return NULL;
  PyObject* r = mxpy_wrap(mx_einsum(sub, n, ops, s));
  PyMem_Free(ops);
  return r;
}

static PyObject* impl_einsum_path(mxpy_value* v, mx_stream s) {
  (void)s;
  const char* sub = subscripts_of(v[0].obj);
  if (!sub) return NULL;
  int n;
  mx_array** ops = einsum_operands(v[1].obj, &n);
  if (!ops) return NULL;
  int nsteps, *sizes, *steps;
  char* info;
  int rc = mx_einsum_path(sub, n, ops, &nsteps, &sizes, &steps, &info);
  PyMem_Free(ops);
  if (rc != 0) return mxpy_raise();
  PyObject* path = PyList_New(nsteps);
  for (int i = 0, k = 0; path && i < nsteps; i++) {
    PyObject* t = PyTuple_New(sizes[i]);
    if (!t) {
      Py_CLEAR(path);
      break;
    }
    for (int j = 0; j < sizes[i]; j++) PyTuple_SET_ITEM(t, j, PyLong_FromLong(steps[k++]));
    PyList_SET_ITEM(path, i, t);
  }
  PyObject* r = path ? Py_BuildValue("(Ns)", path, info) : NULL;
  free(sizes);
  free(steps);
  free(info);
  return r;
}

/* --- convolutions --------------------------------------------------------------- */

/* An `int | tuple[int, ...d]` argument of conv2d/conv3d: d entries, or a
 * TypeError as MLX's binding gives for other lengths. */
static int ints_d(const char* fn, const mxpy_value* v, int d, int def, int* out) {
  if (!v->given) {
    for (int i = 0; i < d; i++) out[i] = def;
    return 0;
  }
  if (v->ints.n == 1 && PyIndex_Check(v->obj)) {
    for (int i = 0; i < d; i++) out[i] = v->ints.v[0];
    return 0;
  }
  if (v->ints.n != d) {
    PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: expected an int or a "
                 "tuple of %d ints.", fn, d);
    return -1;
  }
  memcpy(out, v->ints.v, (size_t)d * sizeof(int));
  return 0;
}

static PyObject* conv_nd(mxpy_value* v, mx_stream s, int d, const char* fn) {
  int st[3], pd[3], dl[3];
  if (ints_d(fn, &v[2], d, 1, st) != 0 || ints_d(fn, &v[3], d, 0, pd) != 0 ||
      ints_d(fn, &v[4], d, 1, dl) != 0)
    return NULL;
  return mxpy_wrap(mx_conv_nd(v[0].a, v[1].a, d, st, pd, dl, (int)v[5].i, s));
}

static PyObject* impl_conv1d(mxpy_value* v, mx_stream s) {
  int st = (int)v[2].i, pd = (int)v[3].i, dl = (int)v[4].i;
  return mxpy_wrap(mx_conv_nd(v[0].a, v[1].a, 1, &st, &pd, &dl, (int)v[5].i, s));
}
static PyObject* impl_conv2d(mxpy_value* v, mx_stream s) { return conv_nd(v, s, 2, "conv2d"); }
static PyObject* impl_conv3d(mxpy_value* v, mx_stream s) { return conv_nd(v, s, 3, "conv3d"); }

static PyObject* conv_transpose_nd(mxpy_value* v, mx_stream s, int d, const char* fn) {
  int st[3], pd[3], dl[3], op[3];
  if (ints_d(fn, &v[2], d, 1, st) != 0 || ints_d(fn, &v[3], d, 0, pd) != 0 ||
      ints_d(fn, &v[4], d, 1, dl) != 0 || ints_d(fn, &v[5], d, 0, op) != 0)
    return NULL;
  return mxpy_wrap(mx_conv_transpose_nd(v[0].a, v[1].a, d, st, pd, dl, op, (int)v[6].i, s));
}

static PyObject* impl_conv_transpose1d(mxpy_value* v, mx_stream s) {
  int st = (int)v[2].i, pd = (int)v[3].i, dl = (int)v[4].i, op = (int)v[5].i;
  return mxpy_wrap(mx_conv_transpose_nd(v[0].a, v[1].a, 1, &st, &pd, &dl, &op, (int)v[6].i, s));
}
static PyObject* impl_conv_transpose2d(mxpy_value* v, mx_stream s) {
  return conv_transpose_nd(v, s, 2, "conv_transpose2d");
}
static PyObject* impl_conv_transpose3d(mxpy_value* v, mx_stream s) {
  return conv_transpose_nd(v, s, 3, "conv_transpose3d");
}

/* conv_general's padding: an int, a sequence of ints (the same low and
 * high), or a pair of sequences (low, high). */
static int parse_padding(PyObject* obj, mxpy_ints* lo, mxpy_ints* hi) {
  const char* what = "conv_general(): argument 'padding'";
  lo->v = lo->small;
  hi->v = hi->small;
  lo->n = hi->n = 0;
  if (!obj) return 0;
  if ((PyTuple_Check(obj) || PyList_Check(obj)) && PySequence_Size(obj) == 2) {
    PyObject* a = PySequence_GetItem(obj, 0);
    PyObject* b = a ? PySequence_GetItem(obj, 1) : NULL;
    bool pair = a && b && PySequence_Check(a) && PySequence_Check(b) && !PyUnicode_Check(a) &&
                !PyUnicode_Check(b);
    int rc = 0;
    if (pair) {
      rc = mxpy_parse_ints(a, what, false, lo);
      if (rc == 0 && mxpy_parse_ints(b, what, false, hi) != 0) {
        mxpy_ints_free(lo);
        rc = -1;
      }
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    if (pair || rc != 0) return rc;
  }
  if (mxpy_parse_ints(obj, what, true, lo) != 0) return -1;
  if (mxpy_parse_ints(obj, what, true, hi) != 0) {
    mxpy_ints_free(lo);
    return -1;
  }
  return 0;
}

static PyObject* impl_conv_general(mxpy_value* v, mx_stream s) {
  mxpy_ints lo, hi;
  if (parse_padding(v[3].obj, &lo, &hi) != 0) return NULL;
  mx_array* r = mx_conv_general(v[0].a, v[1].a, v[2].ints.n, v[2].ints.v, lo.n, lo.v, hi.n, hi.v,
                                v[4].ints.n, v[4].ints.v, v[5].ints.n, v[5].ints.v, (int)v[6].i,
                                v[7].b, s);
  mxpy_ints_free(&lo);
  mxpy_ints_free(&hi);
  return mxpy_wrap(r);
}

static PyObject* impl_convolve(mxpy_value* v, mx_stream s) {
  const char* mode = "full";
  if (v[2].obj) {
    if (!PyUnicode_Check(v[2].obj)) {
      PyErr_Format(PyExc_TypeError, "convolve(): argument 'mode' must be a str, not %.100s.",
                   Py_TYPE(v[2].obj)->tp_name);
      return NULL;
    }
    mode = PyUnicode_AsUTF8(v[2].obj);
    if (!mode) return NULL;
  }
  return mxpy_wrap(mx_convolve(v[0].a, v[1].a, mode, s));
}

/* --- the table -------------------------------------------------------------------- */

#define POS(n) {n, MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define OPT_INT(n, d, t) {n, MXPY_INT, MXPY_OPT, t, {.i = d}}
#define OPT_IOT(n, t) {n, MXPY_SHAPE_OR_INT, MXPY_OPT, t, {0}}
#define OPT_ARR(n) {n, MXPY_ARRAY, MXPY_OPT | MXPY_NONE, "None", {0}}

const mxpy_fn mxpy_ops_linalg_conv[] = {
    {"addmm", impl_addmm,
     "Matrix multiplication with addition and optional scaling: alpha * (a @ b) + beta * c.",
     {POS("c"), POS("a"), POS("b"), {"alpha", MXPY_FLOAT, MXPY_OPT, "1.0", {.f = 1.0}},
      {"beta", MXPY_FLOAT, MXPY_OPT, "1.0", {.f = 1.0}}},
     false},
    {"tensordot", impl_tensordot,
     "Tensor dot product over the last `axes` axes of a and the first of b, or over\n"
     "the axes listed in a pair of lists.",
     {POS("a"), POS("b"), {"axes", MXPY_OBJECT, MXPY_OPT, "2", {0}}}, false},
    {"inner", impl_inner,
     "Ordinary inner product of vectors for 1-D arrays, in higher dimensions a sum\n"
     "product over the last axes.",
     {POS("a"), POS("b")}, false},
    {"outer", impl_outer,
     "Outer product of two 1-D arrays (other arrays are flattened first).",
     {POS("a"), POS("b")}, false},
    {"vecdot", impl_vecdot, "Vector dot product of two arrays along an axis.",
     /* MLX's docstring shows axis as keyword-only; its binding takes it
      * positionally too. */
     {POS("a"), POS("b"), {"axis", MXPY_INT, MXPY_OPT, "-1", {.i = -1}}}, false},
    {"kron", impl_kron, "Kronecker product of two arrays.",
     {{"a", MXPY_ARRAY, 0, NULL, {0}}, {"b", MXPY_ARRAY, 0, NULL, {0}}}, false},
    {"einsum", impl_einsum, "Einstein summation over the operands.",
     {{"subscripts", MXPY_OBJECT, 0, NULL, {0}}, {"operands", MXPY_VARARGS, 0, NULL, {0}}}, false},
    {"einsum_path", impl_einsum_path,
     "The contraction order einsum uses, and a report on its cost.",
     {{"subscripts", MXPY_OBJECT, 0, NULL, {0}}, {"operands", MXPY_VARARGS, 0, NULL, {0}}}, true},
    {"gather_mm", impl_gather_mm,
     "Matrix multiplication of matrices gathered by flat indices into the batch\n"
     "dimensions of a and b.",
     {POS("a"), POS("b"), OPT_ARR("lhs_indices"), OPT_ARR("rhs_indices"),
      {"sorted_indices", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT, "False", {.b = false}}},
     false},
    {"block_masked_mm", impl_block_masked_mm,
     "Matrix multiplication with (block_size x block_size) blocks of the operands\n"
     "and of the result masked.",
     {POS("a"), POS("b"), OPT_INT("block_size", 64, "64"), OPT_ARR("mask_out"),
      OPT_ARR("mask_lhs"), OPT_ARR("mask_rhs")},
     false},
    {"segmented_mm", impl_segmented_mm,
     "Matrix multiplication with the inner dimension split into segments, one\n"
     "result per segment.",
     {POS("a"), POS("b"), {"segments", MXPY_ARRAY, 0, NULL, {0}}}, false},
    {"hadamard_transform", impl_hadamard,
     "Walsh-Hadamard transform along the last axis, scaled by `scale`\n"
     "(default 1/sqrt(n)).",
     {POS("a"), {"scale", MXPY_FLOAT, MXPY_OPT | MXPY_NONE, "None", {0}}},
     false},
    {"conv1d", impl_conv1d, "1-D convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_INT("stride", 1, "1"), OPT_INT("padding", 0, "0"),
      OPT_INT("dilation", 1, "1"), OPT_INT("groups", 1, "1")},
     false},
    {"conv2d", impl_conv2d, "2-D convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_IOT("stride", "1"), OPT_IOT("padding", "0"),
      OPT_IOT("dilation", "1"), OPT_INT("groups", 1, "1")},
     false},
    {"conv3d", impl_conv3d, "3-D convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_IOT("stride", "1"), OPT_IOT("padding", "0"),
      OPT_IOT("dilation", "1"), OPT_INT("groups", 1, "1")},
     false},
    {"conv_transpose1d", impl_conv_transpose1d,
     "1-D transposed convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_INT("stride", 1, "1"), OPT_INT("padding", 0, "0"),
      OPT_INT("dilation", 1, "1"), OPT_INT("output_padding", 0, "0"), OPT_INT("groups", 1, "1")},
     false},
    {"conv_transpose2d", impl_conv_transpose2d,
     "2-D transposed convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_IOT("stride", "1"), OPT_IOT("padding", "0"),
      OPT_IOT("dilation", "1"), OPT_IOT("output_padding", "0"), OPT_INT("groups", 1, "1")},
     false},
    {"conv_transpose3d", impl_conv_transpose3d,
     "3-D transposed convolution over an input with several channels.",
     {POS("input"), POS("weight"), OPT_IOT("stride", "1"), OPT_IOT("padding", "0"),
      OPT_IOT("dilation", "1"), OPT_IOT("output_padding", "0"), OPT_INT("groups", 1, "1")},
     false},
    {"conv_general", impl_conv_general,
     "General convolution over an input with several channels (strides, low and\n"
     "high padding, kernel and input dilation, groups, flipped kernels).",
     {POS("input"), POS("weight"), OPT_IOT("stride", "1"),
      {"padding", MXPY_OBJECT, MXPY_OPT, "0", {0}}, OPT_IOT("kernel_dilation", "1"),
      OPT_IOT("input_dilation", "1"), OPT_INT("groups", 1, "1"),
      {"flip", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}},
     false},
    {"convolve", impl_convolve, "The discrete convolution of 1-D arrays.",
     {POS("a"), POS("v"), {"mode", MXPY_OBJECT, MXPY_OPT, "\"full\"", {0}}}, false},
    {NULL, NULL, NULL, {{0}}, false},
};
