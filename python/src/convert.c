/* Python values <-> arrays.
 *
 * Into arrays (mx.array(val, dtype) and every op argument that takes
 * "scalar | array"):
 *   - Python scalars: bool -> bool, int -> int32 (int64 when the value does
 *     not fit in int32), float -> float32, complex -> complex64.
 *   - Nested lists and tuples: the shape comes from the first element of
 *     each level and every other element must agree; the dtype is the
 *     promotion of the arrays found inside and of the Python scalars' own
 *     dtype (as above), which is what MLX does.
 *   - Buffer-protocol objects (NumPy arrays and scalars, bytes, array.array,
 *     memoryview): the dtype is kept, except float64 -> float32 and
 *     complex128 -> complex64, as MLX does; the data is copied.
 *   - mx.array (shared, or cast when a dtype is given) and objects with
 *     __mlx_array__.
 * Out of arrays: item() and tolist() read evaluated host data.
 *
 * Element conversion between dtypes on the host is done here, with C
 * semantics made well defined: float -> integer truncates toward zero and
 * values out of range (or NaN) give the most negative value, as x86 does;
 * integers wrap into narrower integers. */
#include "mlxpy.h"

#include <math.h>
#include <string.h>

#define MAX_DIMS 64
/* Source element types are the mx dtypes plus complex128, which arrays
 * cannot hold but NumPy buffers bring. */
#define SRC_COMPLEX128 MX_DTYPE_COUNT

/* --- element conversion -------------------------------------------------- */

typedef enum { K_INT, K_UINT, K_FLOAT, K_COMPLEX } scal_kind;

typedef struct scal {
  scal_kind k;
  int64_t i;
  uint64_t u;
  double re, im;
} scal;

static inline void load(const char* p, int t, scal* s) {
  switch (t) {
    case MX_BOOL: s->k = K_INT; s->i = *(const bool*)p; break;
    case MX_UINT8: s->k = K_INT; s->i = *(const uint8_t*)p; break;
    case MX_UINT16: s->k = K_INT; s->i = *(const uint16_t*)p; break;
    case MX_UINT32: s->k = K_INT; s->i = *(const uint32_t*)p; break;
    case MX_UINT64: s->k = K_UINT; s->u = *(const uint64_t*)p; break;
    case MX_INT8: s->k = K_INT; s->i = *(const int8_t*)p; break;
    case MX_INT16: s->k = K_INT; s->i = *(const int16_t*)p; break;
    case MX_INT32: s->k = K_INT; s->i = *(const int32_t*)p; break;
    case MX_INT64: s->k = K_INT; s->i = *(const int64_t*)p; break;
    case MX_FLOAT16: s->k = K_FLOAT; s->re = mx_f16_to_f32(*(const uint16_t*)p); break;
    case MX_FLOAT32: s->k = K_FLOAT; s->re = *(const float*)p; break;
    case MX_FLOAT64: s->k = K_FLOAT; s->re = *(const double*)p; break;
    case MX_BFLOAT16: s->k = K_FLOAT; s->re = mx_bf16_to_f32(*(const uint16_t*)p); break;
    case MX_COMPLEX64:
      s->k = K_COMPLEX;
      s->re = ((const float*)p)[0];
      s->im = ((const float*)p)[1];
      break;
    default: /* SRC_COMPLEX128 */
      s->k = K_COMPLEX;
      s->re = ((const double*)p)[0];
      s->im = ((const double*)p)[1];
      break;
  }
}

/* double -> int32 / int64 with x86's answer for NaN and out-of-range values. */
static inline int32_t f_to_i32(double d) {
  return (d > -2147483649.0 && d < 2147483648.0) ? (int32_t)d : INT32_MIN;
}
static inline int64_t f_to_i64(double d) {
  return (d >= -9223372036854775808.0 && d < 9223372036854775808.0) ? (int64_t)d : INT64_MIN;
}

static inline int64_t as_i64(const scal* s, bool narrow) {
  switch (s->k) {
    case K_INT: return s->i;
    case K_UINT: return (int64_t)s->u;
    default: return narrow ? f_to_i32(s->re) : f_to_i64(s->re);
  }
}

static inline double as_f64(const scal* s) {
  switch (s->k) {
    case K_INT: return (double)s->i;
    case K_UINT: return (double)s->u;
    default: return s->re;
  }
}

static inline void store(char* p, mx_dtype t, const scal* s) {
  switch (t) {
    case MX_BOOL:
      *(bool*)p = s->k == K_INT ? s->i != 0 : s->k == K_UINT ? s->u != 0
                                                             : (s->re != 0 || s->im != 0);
      break;
    /* Narrow integers convert floats through int32 (as x86 code does). */
    case MX_UINT8: *(uint8_t*)p = (uint8_t)as_i64(s, true); break;
    case MX_UINT16: *(uint16_t*)p = (uint16_t)as_i64(s, true); break;
    case MX_INT8: *(int8_t*)p = (int8_t)as_i64(s, true); break;
    case MX_INT16: *(int16_t*)p = (int16_t)as_i64(s, true); break;
    case MX_INT32: *(int32_t*)p = (int32_t)as_i64(s, true); break;
    case MX_UINT32: *(uint32_t*)p = (uint32_t)as_i64(s, false); break;
    case MX_INT64: *(int64_t*)p = as_i64(s, false); break;
    case MX_UINT64:
      if ((s->k == K_FLOAT || s->k == K_COMPLEX) && s->re >= 9223372036854775808.0 &&
          s->re < 18446744073709551616.0)
        *(uint64_t*)p = (uint64_t)s->re;
      else
        *(uint64_t*)p = (uint64_t)as_i64(s, false);
      break;
    case MX_FLOAT16: *(uint16_t*)p = mx_f32_to_f16((float)as_f64(s)); break;
    case MX_FLOAT32: *(float*)p = (float)as_f64(s); break;
    case MX_FLOAT64: *(double*)p = as_f64(s); break;
    case MX_BFLOAT16: *(uint16_t*)p = mx_f32_to_bf16((float)as_f64(s)); break;
    case MX_COMPLEX64:
      ((float*)p)[0] = (float)as_f64(s);
      ((float*)p)[1] = s->k == K_COMPLEX ? (float)s->im : 0.0f;
      break;
    default: break;
  }
}

static size_t src_itemsize(int t) { return t == SRC_COMPLEX128 ? 16 : mx_dtype_size((mx_dtype)t); }

static void convert_any(void* dst, mx_dtype dst_type, const void* src, int src_type, int64_t n) {
  if (src_type == (int)dst_type) {
    memcpy(dst, src, (size_t)n * mx_dtype_size(dst_type));
    return;
  }
  if (src_type == MX_FLOAT64 && dst_type == MX_FLOAT32) {
    /* The common NumPy case (float64 data into MLX's float32) gets a loop
     * the compiler can vectorise. */
    const double* s = src;
    float* d = dst;
    for (int64_t i = 0; i < n; i++) d[i] = (float)s[i];
    return;
  }
  size_t ss = src_itemsize(src_type), ds = mx_dtype_size(dst_type);
  const char* s = src;
  char* d = dst;
  scal v = {K_INT, 0, 0, 0, 0};
  for (int64_t i = 0; i < n; i++, s += ss, d += ds) {
    load(s, src_type, &v);
    store(d, dst_type, &v);
  }
}

void mxpy_convert(void* dst, mx_dtype dst_type, const void* src, mx_dtype src_type, int64_t n) {
  convert_any(dst, dst_type, src, (int)src_type, n);
}

/* Copies the elements of a strided view (byte strides) into `dst` in
 * row-major order.  Iterative over the outer dimensions. */
static void gather(char* dst, const char* src, int ndim, const int64_t* shape,
                   const int64_t* bstrides, size_t itemsize) {
  int64_t total = 1;
  for (int i = 0; i < ndim; i++) total *= shape[i];
  if (total == 0) return;
  if (ndim == 0) {
    memcpy(dst, src, itemsize);
    return;
  }
  int64_t idx[MAX_DIMS] = {0};
  int64_t inner = shape[ndim - 1], inner_stride = bstrides[ndim - 1];
  const char* p = src;
  for (;;) {
    if (inner_stride == (int64_t)itemsize) {
      memcpy(dst, p, (size_t)inner * itemsize);
      dst += inner * (int64_t)itemsize;
    } else {
      const char* q = p;
      for (int64_t j = 0; j < inner; j++, q += inner_stride, dst += itemsize) memcpy(dst, q, itemsize);
    }
    int d = ndim - 2;
    for (; d >= 0; d--) {
      p += bstrides[d];
      if (++idx[d] < shape[d]) break;
      p -= bstrides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/* Reads all elements of an evaluated array, converted to `dst_type`, into
 * dst (row-major).  Returns 0 / -1 (exception set). */
static int read_array(mx_array* a, mx_dtype dst_type, char* dst) {
  if (mxpy_eval(a) != 0) return -1;
  if (a->size == 0) return 0;
  const char* src = mx_array_host_data(a);
  if (!src) return mxpy_raise_int();
  size_t is = mx_array_itemsize(a);
  if ((a->flags & MX_FLAG_ROW_CONTIGUOUS) || a->ndim == 0 || a->size == 1) {
    convert_any(dst, dst_type, src, (int)a->dtype, a->size);
    return 0;
  }
  int64_t shape[MAX_DIMS], bs[MAX_DIMS];
  if (a->ndim > MAX_DIMS) {
    PyErr_SetString(PyExc_ValueError, "Arrays with more than 64 dimensions are not supported here.");
    return -1;
  }
  for (int i = 0; i < a->ndim; i++) {
    shape[i] = a->shape[i];
    bs[i] = a->strides[i] * (int64_t)is;
  }
  if ((int)a->dtype == (int)dst_type) {
    gather(dst, src, a->ndim, shape, bs, is);
    return 0;
  }
  char* tmp = malloc((size_t)a->size * is);
  if (!tmp) {
    PyErr_NoMemory();
    return -1;
  }
  gather(tmp, src, a->ndim, shape, bs, is);
  convert_any(dst, dst_type, tmp, (int)a->dtype, a->size);
  free(tmp);
  return 0;
}

/* --- Python scalars --------------------------------------------------------- */

static const char* short_type_name(PyObject* o) {
  const char* n = Py_TYPE(o)->tp_name;
  const char* dot = strrchr(n, '.');
  return dot ? dot + 1 : n;
}

static bool is_py_scalar(PyObject* o) {
  return PyBool_Check(o) || PyLong_Check(o) || PyFloat_Check(o) || PyComplex_Check(o);
}

/* Python ints are limited to int64, as in MLX (which cannot convert larger
 * ones either). */
static int py_int64(PyObject* o, int64_t* out) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (v == -1 && PyErr_Occurred()) return -1;
  if (overflow) {
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large to convert to an array element (the limit is int64).");
    return -1;
  }
  *out = v;
  return 0;
}

static int scal_from_py(PyObject* o, scal* s) {
  if (PyBool_Check(o)) {
    s->k = K_INT;
    s->i = o == Py_True;
  } else if (PyLong_Check(o)) {
    s->k = K_INT;
    if (py_int64(o, &s->i) != 0) return -1;
  } else if (PyFloat_Check(o)) {
    s->k = K_FLOAT;
    s->re = PyFloat_AS_DOUBLE(o);
  } else {
    Py_complex c = PyComplex_AsCComplex(o);
    if (c.real == -1.0 && PyErr_Occurred()) return -1;
    s->k = K_COMPLEX;
    s->re = c.real;
    s->im = c.imag;
  }
  return 0;
}

/* Kind rank used for inference: bool < int < float < complex. */
enum { PY_NONE = -1, PY_BOOL, PY_INT, PY_FLOAT, PY_COMPLEX };

static mx_dtype py_kind_dtype(int kind, bool need_i64) {
  switch (kind) {
    case PY_BOOL: return MX_BOOL;
    case PY_INT: return need_i64 ? MX_INT64 : MX_INT32;
    case PY_COMPLEX: return MX_COMPLEX64;
    default: return MX_FLOAT32;
  }
}

/* Infers a scalar's kind, checking int range. */
static int note_scalar(PyObject* o, int* kind, bool* need_i64) {
  int k;
  if (PyBool_Check(o)) k = PY_BOOL;
  else if (PyLong_Check(o)) {
    k = PY_INT;
    int64_t v;
    if (py_int64(o, &v) != 0) return -1;
    if (v < INT32_MIN || v > INT32_MAX) *need_i64 = true;
  } else if (PyFloat_Check(o)) k = PY_FLOAT;
  else k = PY_COMPLEX;
  if (k > *kind) *kind = k;
  return 0;
}

/* A new host array of `shape`; *data points at its (uninitialised) bytes. */
static mx_array* new_filled(mx_dtype dtype, int ndim, const int* shape, char** data) {
  size_t n = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] && n > SIZE_MAX / 16 / (size_t)shape[i]) {
      PyErr_SetString(PyExc_MemoryError, "Array is too large.");
      return NULL;
    }
    n *= (size_t)shape[i];
  }
  mx_buffer* b = mx_buffer_new(n * mx_dtype_size(dtype), false);
  if (!b) return (mx_array*)mxpy_raise();
  mx_array* a = mx_array_from_buffer(b, dtype, ndim, shape, NULL, 0);
  mx_buffer_release(b);
  if (!a) return (mx_array*)mxpy_raise();
  *data = b->host;
  return a;
}

/* --- nested lists ------------------------------------------------------------ */

typedef struct list_info {
  int ndim;
  int shape[MAX_DIMS];
  int kind;      /* PY_* of the Python scalars found */
  bool need_i64; /* some int does not fit in int32 */
  int arr_dtype; /* promotion of the arrays found, -1 when none */
} list_info;

static int list_error(const char* what) {
  PyErr_Format(PyExc_ValueError, "Initialization encountered %s.", what);
  return -1;
}

static int invalid_type(PyObject* o) {
  PyErr_Format(PyExc_ValueError, "Invalid type %s received in array initialization.",
               short_type_name(o));
  return -1;
}

/* Checks the structure below `o` (at depth d) and collects dtype facts.
 * Recursion depth is bounded by the number of dimensions (<= MAX_DIMS). */
static int list_check(PyObject* o, int d, list_info* info) {
  if (PyList_Check(o) || PyTuple_Check(o)) {
    if (d >= info->ndim) return list_error("extra dimension");
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    if (n != info->shape[d]) return list_error("non-uniform length");
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < n; i++)
      if (list_check(items[i], d + 1, info) != 0) return -1;
    return 0;
  }
  if (mxpy_is_array(o)) {
    mx_array* a = mxpy_arr(o);
    if (!mx_shape_equal(a->ndim, a->shape, info->ndim - d, info->shape + d))
      return list_error("non-uniform length");
    info->arr_dtype = info->arr_dtype < 0 ? (int)a->dtype
                                          : (int)mx_promote_types((mx_dtype)info->arr_dtype, a->dtype);
    return 0;
  }
  if (is_py_scalar(o)) {
    if (d != info->ndim) return list_error("non-uniform length");
    return note_scalar(o, &info->kind, &info->need_i64);
  }
  return invalid_type(o);
}

/* Writes the elements below `o` (at depth d) at *dst, advancing it.  Reading
 * an array inside the list releases the GIL while it is evaluated, so another
 * thread may change the lists meanwhile: sizes and shapes are checked again
 * and items are held while used, so that can only raise an error. */
static int list_fill(PyObject* o, int d, const list_info* info, mx_dtype dtype, char** dst) {
  if (PyList_Check(o) || PyTuple_Check(o)) {
    Py_ssize_t n = info->shape[d];
    for (Py_ssize_t i = 0; i < n; i++) {
      if (d >= info->ndim || PySequence_Fast_GET_SIZE(o) != n) {
        PyErr_SetString(PyExc_RuntimeError, "A list changed during array initialization.");
        return -1;
      }
      PyObject* item = PySequence_Fast_GET_ITEM(o, i);
      Py_INCREF(item);
      int rc = list_fill(item, d + 1, info, dtype, dst);
      Py_DECREF(item);
      if (rc != 0) return -1;
    }
    return 0;
  }
  if (mxpy_is_array(o)) {
    mx_array* a = mxpy_arr(o);
    if (!mx_shape_equal(a->ndim, a->shape, info->ndim - d, info->shape + d)) {
      PyErr_SetString(PyExc_RuntimeError, "An array changed during array initialization.");
      return -1;
    }
    mx_array_retain(a);
    int rc = read_array(a, dtype, *dst);
    *dst += a->size * (int64_t)mx_dtype_size(dtype);
    mx_array_release(a);
    return rc;
  }
  if (!is_py_scalar(o) || d != info->ndim) {
    PyErr_SetString(PyExc_RuntimeError, "A list changed during array initialization.");
    return -1;
  }
  scal s;
  if (scal_from_py(o, &s) != 0) return -1;
  store(*dst, dtype, &s);
  *dst += mx_dtype_size(dtype);
  return 0;
}

static mx_array* from_list(PyObject* obj, int dtype) {
  list_info info = {.ndim = 0, .kind = PY_NONE, .need_i64 = false, .arr_dtype = -1};
  /* The shape: lengths along the first elements, then the shape of an
   * array found there. */
  PyObject* cur = obj;
  while (PyList_Check(cur) || PyTuple_Check(cur)) {
    if (info.ndim == MAX_DIMS) {
      PyErr_SetString(PyExc_ValueError, "Initialization has too many dimensions (the limit is 64).");
      return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(cur);
    if (n > INT32_MAX) {
      PyErr_SetString(PyExc_ValueError, "Initialization list is too long.");
      return NULL;
    }
    info.shape[info.ndim++] = (int)n;
    if (n == 0) break;
    cur = PySequence_Fast_GET_ITEM(cur, 0);
  }
  if (mxpy_is_array(cur)) {
    mx_array* a = mxpy_arr(cur);
    if (info.ndim + a->ndim > MAX_DIMS) {
      PyErr_SetString(PyExc_ValueError, "Initialization has too many dimensions (the limit is 64).");
      return NULL;
    }
    for (int i = 0; i < a->ndim; i++) info.shape[info.ndim++] = a->shape[i];
  }
  if (list_check(obj, 0, &info) != 0) return NULL;

  mx_dtype t;
  if (dtype >= 0) {
    t = (mx_dtype)dtype;
  } else if (info.arr_dtype >= 0) {
    t = (mx_dtype)info.arr_dtype;
    if (info.kind != PY_NONE) t = mx_promote_types(t, py_kind_dtype(info.kind, info.need_i64));
  } else {
    t = py_kind_dtype(info.kind == PY_NONE ? PY_FLOAT : info.kind, info.need_i64);
  }
  char* data = NULL;
  mx_array* a = new_filled(t, info.ndim, info.shape, &data);
  if (!a) return NULL;
  if (list_fill(obj, 0, &info, t, &data) != 0) {
    mx_array_release(a);
    return NULL;
  }
  return a;
}

/* --- buffers ------------------------------------------------------------------ */

/* The element type of a PEP 3118 format, or -1 (exception set). */
static int format_type(const char* fmt, Py_ssize_t itemsize) {
  if (!fmt) fmt = "B";
  const char* f = fmt;
  if (*f == '@' || *f == '=' || *f == '<') f++;
  else if (*f == '>' || *f == '!') {
    PyErr_Format(PyExc_ValueError, "Big-endian buffers (format '%s') are not supported.", fmt);
    return -1;
  }
  int t = -1;
  bool is_signed = false, is_int = false;
  switch (f[0]) {
    case '?': t = MX_BOOL; break;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': is_int = is_signed = true; break;
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N': case 'c': is_int = true; break;
    case 'e': t = MX_FLOAT16; break;
    case 'f': t = MX_FLOAT32; break;
    case 'd': t = MX_FLOAT64; break;
    case 'Z':
      if (f[1] == 'f') t = MX_COMPLEX64;
      else if (f[1] == 'd') t = SRC_COMPLEX128;
      break;
    default: break;
  }
  if (is_int && f[1] == '\0') {
    switch (itemsize) {
      case 1: t = is_signed ? MX_INT8 : MX_UINT8; break;
      case 2: t = is_signed ? MX_INT16 : MX_UINT16; break;
      case 4: t = is_signed ? MX_INT32 : MX_UINT32; break;
      case 8: t = is_signed ? MX_INT64 : MX_UINT64; break;
      default: break;
    }
  }
  if (t >= 0 && f[(t == MX_COMPLEX64 || t == SRC_COMPLEX128) ? 2 : 1] != '\0') t = -1;
  if (t < 0 || (Py_ssize_t)src_itemsize(t) != itemsize) {
    PyErr_Format(PyExc_ValueError, "Unsupported buffer format '%s' in array initialization.", fmt);
    return -1;
  }
  return t;
}

static mx_array* from_buffer(PyObject* obj, int dtype) {
  Py_buffer view;
  if (PyObject_GetBuffer(obj, &view, PyBUF_RECORDS_RO) != 0) return NULL;
  mx_array* result = NULL;
  int st = format_type(view.format, view.itemsize);
  if (st < 0) goto done;
  if (view.ndim > MAX_DIMS) {
    PyErr_SetString(PyExc_ValueError, "Buffers with more than 64 dimensions are not supported.");
    goto done;
  }
  int shape[MAX_DIMS];
  int64_t shape64[MAX_DIMS], bstrides[MAX_DIMS];
  bool contiguous = true;
  int64_t expect = view.itemsize;
  for (int i = view.ndim - 1; i >= 0; i--) {
    if (view.shape[i] > INT32_MAX) {
      PyErr_SetString(PyExc_OverflowError, "Buffer dimension is larger than MLX's 32-bit shapes allow.");
      goto done;
    }
    shape[i] = (int)view.shape[i];
    shape64[i] = view.shape[i];
    bstrides[i] = view.strides ? view.strides[i] : expect;
    if (view.shape[i] != 1 && bstrides[i] != expect) contiguous = false;
    expect *= view.shape[i];
  }
  mx_dtype t;
  if (dtype >= 0) t = (mx_dtype)dtype;
  else if (st == MX_FLOAT64) t = MX_FLOAT32; /* as MLX does for NumPy's default float */
  else if (st == SRC_COMPLEX128) t = MX_COMPLEX64;
  else t = (mx_dtype)st;

  char* data = NULL;
  result = new_filled(t, view.ndim, shape, &data);
  if (!result) goto done;
  int64_t n = result->size;
  if (n == 0) goto done;
  if (contiguous) {
    convert_any(data, t, view.buf, st, n);
  } else if (st == (int)t) {
    gather(data, view.buf, view.ndim, shape64, bstrides, (size_t)view.itemsize);
  } else {
    char* tmp = malloc((size_t)n * (size_t)view.itemsize);
    if (!tmp) {
      mx_array_release(result);
      result = NULL;
      PyErr_NoMemory();
      goto done;
    }
    gather(tmp, view.buf, view.ndim, shape64, bstrides, (size_t)view.itemsize);
    convert_any(data, t, tmp, st, n);
    free(tmp);
  }
done:
  PyBuffer_Release(&view);
  return result;
}

/* --- entry points -------------------------------------------------------------- */

static mx_array* from_scalar(PyObject* obj, int dtype) {
  int kind = PY_NONE;
  bool need_i64 = false;
  if (note_scalar(obj, &kind, &need_i64) != 0) return NULL;
  mx_dtype t = dtype >= 0 ? (mx_dtype)dtype : py_kind_dtype(kind, need_i64);
  scal s;
  if (scal_from_py(obj, &s) != 0) return NULL;
  char* data = NULL;
  mx_array* a = new_filled(t, 0, NULL, &data);
  if (a) store(data, t, &s);
  return a;
}

static mx_array* cast_or_share(mx_array* a, int dtype) {
  if (dtype < 0 || (mx_dtype)dtype == a->dtype) {
    mx_array_retain(a);
    return a;
  }
  mx_array* r = mx_astype(a, (mx_dtype)dtype, mx_stream_for_default());
  return r ? r : (mx_array*)mxpy_raise();
}

mx_array* mxpy_to_array(PyObject* obj, int dtype, bool allow_lists) {
  if (mxpy_is_array(obj)) return cast_or_share(mxpy_arr(obj), dtype);
  if (is_py_scalar(obj)) return from_scalar(obj, dtype);
  if (PyList_Check(obj) || PyTuple_Check(obj)) {
    if (!allow_lists) return invalid_type(obj), NULL;
    return from_list(obj, dtype);
  }
  if (PyObject_CheckBuffer(obj)) return from_buffer(obj, dtype);
  if (PyObject_HasAttrString(obj, "__mlx_array__")) {
    PyObject* r = PyObject_CallMethod(obj, "__mlx_array__", NULL);
    if (!r) return NULL;
    mx_array* a = NULL;
    if (mxpy_is_array(r)) a = cast_or_share(mxpy_arr(r), dtype);
    else
      PyErr_Format(PyExc_TypeError, "__mlx_array__ returned %.100s, not an mlx.core.array.",
                   Py_TYPE(r)->tp_name);
    Py_DECREF(r);
    return a;
  }
  return invalid_type(obj), NULL;
}

/* --- binary operands and MLX's weak scalars --------------------------------- */

bool mxpy_is_operand(PyObject* obj) {
  return mxpy_is_array(obj) || is_py_scalar(obj) || PyObject_CheckBuffer(obj) ||
         PyObject_HasAttrString(obj, "__mlx_array__");
}

/* A Python int against an integer array of type t: it must fit in t (MLX
 * raises ValueError otherwise; 64-bit types take any int64, and uint64 wraps
 * negative values). */
static int check_int_fits(int64_t v, mx_dtype t) {
  int64_t lo, hi;
  switch (t) {
    case MX_UINT8: lo = 0; hi = UINT8_MAX; break;
    case MX_UINT16: lo = 0; hi = UINT16_MAX; break;
    case MX_UINT32: lo = 0; hi = UINT32_MAX; break;
    case MX_INT8: lo = INT8_MIN; hi = INT8_MAX; break;
    case MX_INT16: lo = INT16_MIN; hi = INT16_MAX; break;
    case MX_INT32: lo = INT32_MIN; hi = INT32_MAX; break;
    default: return 0;
  }
  if (v < lo || v > hi) {
    PyErr_Format(PyExc_ValueError, "Converting %lld to %s would result in overflow.", (long long)v,
                 mx_dtype_name(t));
    return -1;
  }
  return 0;
}

/* The Python scalar or array-like `obj` as the other operand of an array of
 * dtype `t`.  The rules (checked against MLX 0.32):
 *   bool    -> t
 *   int     -> t, except bool arrays -> int32 (wrapping a value that does
 *              not fit, exactly as MLX does)
 *   float   -> t when t is inexact, else float32
 *   complex -> complex64
 *   others (NumPy arrays and scalars, buffers) -> converted to t. */
static mx_array* weak_operand(PyObject* obj, mx_dtype t) {
  if (PyBool_Check(obj)) return from_scalar(obj, (int)t);
  if (PyLong_Check(obj)) {
    int64_t v;
    if (py_int64(obj, &v) != 0) return NULL;
    if (t == MX_BOOL) return from_scalar(obj, MX_INT32);
    if (mx_dtype_is_integer(t) && check_int_fits(v, t) != 0) return NULL;
    return from_scalar(obj, (int)t);
  }
  if (PyFloat_Check(obj)) return from_scalar(obj, mx_dtype_is_inexact(t) ? (int)t : MX_FLOAT32);
  if (PyComplex_Check(obj)) return from_scalar(obj, MX_COMPLEX64);
  return mxpy_to_array(obj, (int)t, false);
}

int mxpy_binary_operands(PyObject* x, PyObject* y, mx_array** a, mx_array** b) {
  bool xa = mxpy_is_array(x), ya = mxpy_is_array(y);
  *a = *b = NULL;
  if (x == Py_None || y == Py_None) {
    /* MLX rejects None as an operand with a TypeError (not a ValueError). */
    PyErr_SetString(PyExc_TypeError, "Operands must be scalars or arrays, not None.");
    return -1;
  }
  if (xa) {
    *a = mxpy_arr(x);
    mx_array_retain(*a);
    *b = ya ? (mx_array_retain(mxpy_arr(y)), mxpy_arr(y)) : weak_operand(y, (*a)->dtype);
  } else if (ya) {
    *b = mxpy_arr(y);
    mx_array_retain(*b);
    *a = weak_operand(x, (*b)->dtype);
  } else {
    *a = mxpy_to_array(x, -1, false);
    if (*a) *b = mxpy_to_array(y, -1, false);
  }
  if (*a && *b) return 0;
  if (*a) mx_array_release(*a);
  if (*b) mx_array_release(*b);
  *a = *b = NULL;
  return -1;
}

/* --- out of arrays: item() and tolist() --------------------------------------- */

static PyObject* element_to_py(const char* p, mx_dtype t) {
  switch (t) {
    case MX_BOOL: return PyBool_FromLong(*(const bool*)p);
    case MX_UINT8: return PyLong_FromLong(*(const uint8_t*)p);
    case MX_UINT16: return PyLong_FromLong(*(const uint16_t*)p);
    case MX_UINT32: return PyLong_FromUnsignedLong(*(const uint32_t*)p);
    case MX_UINT64: return PyLong_FromUnsignedLongLong(*(const uint64_t*)p);
    case MX_INT8: return PyLong_FromLong(*(const int8_t*)p);
    case MX_INT16: return PyLong_FromLong(*(const int16_t*)p);
    case MX_INT32: return PyLong_FromLong(*(const int32_t*)p);
    case MX_INT64: return PyLong_FromLongLong(*(const int64_t*)p);
    case MX_FLOAT16: return PyFloat_FromDouble(mx_f16_to_f32(*(const uint16_t*)p));
    case MX_FLOAT32: return PyFloat_FromDouble(*(const float*)p);
    case MX_FLOAT64: return PyFloat_FromDouble(*(const double*)p);
    case MX_BFLOAT16: return PyFloat_FromDouble(mx_bf16_to_f32(*(const uint16_t*)p));
    case MX_COMPLEX64: return PyComplex_FromDoubles(((const float*)p)[0], ((const float*)p)[1]);
    default: break;
  }
  PyErr_SetString(PyExc_SystemError, "mlx.core: unknown dtype");
  return NULL;
}

PyObject* mxpy_item(mx_array* a) {
  if (a->size != 1) {
    PyErr_SetString(PyExc_ValueError,
                    "[convert] Only length-1 arrays can be converted to Python scalars.");
    return NULL;
  }
  if (mxpy_eval(a) != 0) return NULL;
  const char* p = mx_array_host_data(a);
  if (!p) return mxpy_raise();
  return element_to_py(p, a->dtype);
}

/* Builds the nested list for dimension d from element pointer p. */
static PyObject* tolist_dim(const mx_array* a, const char* p, int d, size_t is) {
  int n = a->shape[d];
  PyObject* list = PyList_New(n);
  if (!list) return NULL;
  int64_t step = a->strides[d] * (int64_t)is;
  for (int i = 0; i < n; i++, p += step) {
    PyObject* item = d + 1 == a->ndim ? element_to_py(p, a->dtype) : tolist_dim(a, p, d + 1, is);
    if (!item) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, i, item);
  }
  return list;
}

PyObject* mxpy_tolist(mx_array* a) {
  if (a->ndim == 0) return mxpy_item(a);
  if (mxpy_eval(a) != 0) return NULL;
  const char* p = "";
  if (a->size > 0) {
    p = mx_array_host_data(a);
    if (!p) return mxpy_raise();
  }
  return tolist_dim(a, p, 0, mx_array_itemsize(a));
}
