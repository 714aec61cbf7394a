/* The mlx.core.array type: construction, properties, conversion to Python
 * and NumPy, printing, iteration and the methods that are not plain ops.
 *
 * An array object owns one mx_array reference.  Arrays are immutable
 * values; the one exception, as in MLX, is in-place operators (a += 1),
 * which give the same Python object a new mx_array (array_ops.c).  Code that
 * may release the GIL (anything that evaluates) therefore retains the
 * mx_array it works on instead of borrowing it from the object.
 *
 * NumPy interop is through the buffer protocol and __array__: the exported
 * buffer is the array's own memory (zero-copy, writable, as in MLX, so
 * np.asarray(a) sees and makes changes), and the export holds a reference to
 * the data so the array object may go away first. */
#include "mlxpy.h"

#include <string.h>

#include "core/print.h"

extern PyNumberMethods mxpy_array_as_number; /* array_ops.c */
PyObject* mxpy_array_richcompare(PyObject* x, PyObject* y, int op); /* array_ops.c */
Py_hash_t mxpy_array_hash(PyObject* x);                             /* array_ops.c */

PyObject* mxpy_wrap(mx_array* a) {
  if (!a) return mxpy_raise();
  mxpy_array* o = PyObject_New(mxpy_array, &mxpy_array_type);
  if (!o) {
    mx_array_release(a);
    return NULL;
  }
  o->arr = a;
  return (PyObject*)o;
}

/* The object's current mx_array, retained (see the file comment). */
static mx_array* hold(PyObject* self) {
  mx_array* a = mxpy_arr(self);
  mx_array_retain(a);
  return a;
}

/* --- construction ------------------------------------------------------------- */

static PyObject* array_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"val", "dtype", NULL};
  PyObject* val;
  PyObject* dtype_obj = Py_None;
  /* Unpickling calls array.__new__(array) with no arguments and then
   * __setstate__ (array_extras.c); the placeholder is an empty float32
   * array.  (MLX raises TypeError for a plain mx.array() instead.) */
  if (PyTuple_GET_SIZE(args) == 0 && (!kwargs || PyDict_GET_SIZE(kwargs) == 0)) {
    int zero = 0;
    mx_array* a = mx_array_from_data(NULL, MX_FLOAT32, 1, &zero);
    mxpy_array* o = a ? (mxpy_array*)type->tp_alloc(type, 0) : NULL;
    if (!o) {
      if (a) mx_array_release(a);
      return a ? NULL : mxpy_raise();
    }
    o->arr = a;
    return (PyObject*)o;
  }
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:array", kwlist, &val, &dtype_obj))
    return NULL;
  int dtype;
  if (mxpy_parse_dtype(dtype_obj, "array(): argument 'dtype'", true, &dtype) != 0) return NULL;
  if (val == Py_None) {
    PyErr_SetString(PyExc_TypeError,
                    "array(): argument 'val' must be a scalar, list, tuple, array or buffer, not None.");
    return NULL;
  }
  mx_array* a = mxpy_to_array(val, dtype, true);
  if (!a) return NULL;
  mxpy_array* o = (mxpy_array*)type->tp_alloc(type, 0);
  if (!o) {
    mx_array_release(a);
    return NULL;
  }
  o->arr = a;
  return (PyObject*)o;
}

static void array_dealloc(PyObject* self) {
  mxpy_array* o = (mxpy_array*)self;
  /* Releasing may free a long unevaluated chain; the core does that with a
   * worklist, so this cannot overflow the stack. */
  if (o->arr) mx_array_release(o->arr);
  o->arr = NULL;
  Py_TYPE(self)->tp_free(self);
}

/* --- properties ------------------------------------------------------------------ */

static PyObject* get_shape(PyObject* self, void* c) {
  mx_array* a = mxpy_arr(self);
  PyObject* t = PyTuple_New(a->ndim);
  if (!t) return NULL;
  for (int i = 0; i < a->ndim; i++) {
    PyObject* d = PyLong_FromLong(a->shape[i]);
    if (!d) {
      Py_DECREF(t);
      return NULL;
    }
    PyTuple_SET_ITEM(t, i, d);
  }
  return t;
}

static PyObject* get_dtype(PyObject* self, void* c) {
  return Py_NewRef(mxpy_dtype_object(mxpy_arr(self)->dtype));
}
static PyObject* get_ndim(PyObject* self, void* c) { return PyLong_FromLong(mxpy_arr(self)->ndim); }
static PyObject* get_size(PyObject* self, void* c) { return PyLong_FromLongLong(mxpy_arr(self)->size); }
static PyObject* get_itemsize(PyObject* self, void* c) {
  return PyLong_FromSize_t(mx_array_itemsize(mxpy_arr(self)));
}
static PyObject* get_nbytes(PyObject* self, void* c) {
  return PyLong_FromSize_t(mx_array_nbytes(mxpy_arr(self)));
}
static PyObject* get_T(PyObject* self, void* c) {
  return mxpy_wrap(mx_transpose(mxpy_arr(self), 0, NULL, mx_stream_for_default()));
}
static PyObject* get_mT(PyObject* self, void* c) {
  return mxpy_wrap(mx_matrix_transpose(mxpy_arr(self), mx_stream_for_default()));
}
static PyObject* get_real(PyObject* self, void* c) {
  return mxpy_wrap(mx_real(mxpy_arr(self), mx_stream_for_default()));
}
static PyObject* get_imag(PyObject* self, void* c) {
  return mxpy_wrap(mx_imag(mxpy_arr(self), mx_stream_for_default()));
}

static PyGetSetDef array_getset[] = {
    {"shape", get_shape, NULL, "The shape of the array as a Python tuple.", NULL},
    {"dtype", get_dtype, NULL, "The array's Dtype.", NULL},
    {"ndim", get_ndim, NULL, "The array's dimension.", NULL},
    {"size", get_size, NULL, "Number of elements in the array.", NULL},
    {"itemsize", get_itemsize, NULL, "The size of the array's datatype in bytes.", NULL},
    {"nbytes", get_nbytes, NULL, "The number of bytes in the array.", NULL},
    {"T", get_T, NULL, "Equivalent to calling transpose() with no arguments.", NULL},
    {"mT", get_mT, NULL, "The last two axes swapped (matrix_transpose).", NULL},
    {"real", get_real, NULL, "The real part of a complex array.", NULL},
    {"imag", get_imag, NULL, "The imaginary part of a complex array.", NULL},
    {"at", mxpy_array_at, NULL, "Used to apply updates at the given indices.", NULL}, /* indexing.c */
    {NULL, NULL, NULL, NULL, NULL},
};

/* --- printing ---------------------------------------------------------------------- */

static PyObject* print_with(PyObject* self, char* (*fn)(mx_array*)) {
  mx_array* a = hold(self);
  PyObject* r = NULL;
  if (mxpy_eval(a) == 0) {
    char* s = fn(a);
    if (s) {
      r = PyUnicode_FromString(s);
      free(s);
    } else {
      mxpy_raise();
    }
  }
  mx_array_release(a);
  return r;
}

static PyObject* array_repr(PyObject* self) { return print_with(self, mx_array_tostring); }
static PyObject* array_str(PyObject* self) { return print_with(self, mx_array_tostr); }

/* --- item, tolist, __array__ ---------------------------------------------------------- */

static PyObject* m_item(PyObject* self, PyObject* unused) {
  mx_array* a = hold(self);
  PyObject* r = mxpy_item(a);
  mx_array_release(a);
  return r;
}

static PyObject* m_tolist(PyObject* self, PyObject* unused) {
  mx_array* a = hold(self);
  PyObject* r = mxpy_tolist(a);
  mx_array_release(a);
  return r;
}

static PyObject* m_complex(PyObject* self, PyObject* unused) {
  PyObject* item = m_item(self, NULL);
  if (!item) return NULL;
  PyObject* r = PyComplex_Check(item) ? Py_NewRef(item)
                                      : PyObject_CallFunctionObjArgs((PyObject*)&PyComplex_Type, item, NULL);
  Py_DECREF(item);
  return r;
}

static PyObject* m_array(PyObject* self, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"dtype", "copy", NULL};
  PyObject *dtype = Py_None, *copy = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:__array__", kwlist, &dtype, &copy))
    return NULL;
  PyObject* np = PyImport_ImportModule("numpy");
  if (!np) return NULL;
  PyObject* view = PyMemoryView_FromObject(self);
  PyObject* arr = view ? PyObject_CallMethod(np, "asarray", "O", view) : NULL;
  Py_XDECREF(view);
  Py_DECREF(np);
  if (!arr) return NULL;
  if (dtype != Py_None) {
    PyObject* kw = Py_BuildValue("{s:O}", "copy", Py_False);
    PyObject* meth = kw ? PyObject_GetAttrString(arr, "astype") : NULL;
    PyObject* margs = meth ? PyTuple_Pack(1, dtype) : NULL;
    PyObject* cast = margs ? PyObject_Call(meth, margs, kw) : NULL;
    Py_XDECREF(kw);
    Py_XDECREF(meth);
    Py_XDECREF(margs);
    Py_DECREF(arr);
    if (!cast) return NULL;
    arr = cast;
  }
  if (copy == Py_True) {
    PyObject* c = PyObject_CallMethod(arr, "copy", NULL);
    Py_DECREF(arr);
    arr = c;
  }
  return arr;
}

/* --- reshape and transpose take their shape / axes as varargs -------------------------- */

/* Parses "(*ints, stream=None)" where a single sequence argument also works
 * (a.reshape(2, 3) and a.reshape((2, 3))). */
static int parse_varints(const char* fn, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                         mxpy_ints* out, bool* given, mx_stream* s) {
  PyObject* stream = NULL;
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; k++) {
    PyObject* name = PyTuple_GET_ITEM(kwnames, k);
    if (PyUnicode_CompareWithASCIIString(name, "stream") != 0) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'.", fn, name);
      return -1;
    }
    stream = args[nargs + k];
  }
  if (mxpy_to_stream(stream, s) != 0) return -1;
  char what[64];
  snprintf(what, sizeof what, "%s(): argument", fn);
  *given = nargs > 0;
  if (nargs == 1 && !PyIndex_Check(args[0])) return mxpy_parse_ints(args[0], what, false, out);
  PyObject* tuple = PyTuple_New(nargs);
  if (!tuple) return -1;
  for (Py_ssize_t i = 0; i < nargs; i++) PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
  int rc = mxpy_parse_ints(tuple, what, false, out);
  Py_DECREF(tuple);
  return rc;
}

static PyObject* m_reshape(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  mxpy_ints shape;
  bool given;
  mx_stream s;
  if (parse_varints("reshape", args, nargs, kw, &shape, &given, &s) != 0) return NULL;
  PyObject* r = mxpy_wrap(mx_reshape(mxpy_arr(self), shape.n, shape.v, s));
  mxpy_ints_free(&shape);
  return r;
}

static PyObject* m_transpose(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  mxpy_ints axes;
  bool given;
  mx_stream s;
  if (parse_varints("transpose", args, nargs, kw, &axes, &given, &s) != 0) return NULL;
  PyObject* r = mxpy_wrap(mx_transpose(mxpy_arr(self), axes.n, given ? axes.v : NULL, s));
  mxpy_ints_free(&axes);
  return r;
}

static PyMethodDef array_methods[] = {
    {"item", m_item, METH_NOARGS,
     "item($self, /)\n--\n\nAccess the value of a scalar array as a Python scalar."},
    {"tolist", m_tolist, METH_NOARGS,
     "tolist($self, /)\n--\n\nConvert the array to a (nested) list of Python scalars."},
    {"__complex__", m_complex, METH_NOARGS, NULL},
    {"__array__", (PyCFunction)(void (*)(void))m_array, METH_VARARGS | METH_KEYWORDS,
     "__array__($self, /, dtype=None, copy=None)\n--\n\nA NumPy array sharing this array's memory."},
    {"reshape", (PyCFunction)(void (*)(void))m_reshape, METH_FASTCALL | METH_KEYWORDS,
     "reshape($self, /, *shape, stream=None)\n--\n\n"
     "Equivalent to :func:`reshape`; the shape may be a tuple or separate arguments."},
    {"transpose", (PyCFunction)(void (*)(void))m_transpose, METH_FASTCALL | METH_KEYWORDS,
     "transpose($self, /, *axes, stream=None)\n--\n\n"
     "Equivalent to :func:`transpose`; the axes may be a tuple or separate arguments."},
    {NULL, NULL, 0, NULL},
};

/* --- methods that are plain ops (table-driven, see args.c) ----------------------------- */

static PyObject* impl_astype(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_astype(v[0].a, (mx_dtype)v[1].dtype, s));
}

const mxpy_fn mxpy_array_methods_table[] = {
    {"astype", impl_astype, "Cast the array to a specified type.",
     {{"self", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}, {"dtype", MXPY_DTYPE, 0, NULL, {0}}}, false},
    {NULL, NULL, NULL, {{0}}, false},
};

/* --- __len__ and iteration ---------------------------------------------------------- */

static Py_ssize_t array_len(PyObject* self) {
  mx_array* a = mxpy_arr(self);
  if (a->ndim == 0) {
    PyErr_SetString(PyExc_TypeError, "len() 0-dimensional array.");
    return -1;
  }
  return a->shape[0];
}

typedef struct {
  PyObject_HEAD
  mx_array* arr; /* evaluated */
  int next;
} iter_object;

static void iter_dealloc(PyObject* self) {
  iter_object* it = (iter_object*)self;
  if (it->arr) mx_array_release(it->arr);
  Py_TYPE(self)->tp_free(self);
}

/* Yields views of the rows.  The array is evaluated once when iteration
 * starts and each row shares its buffer, which makes iterating cheap.  (The
 * rows are leaves, not slices in the graph; when the slicing op exists,
 * gradients through iteration will want real slices.) */
static PyObject* iter_next(PyObject* self) {
  iter_object* it = (iter_object*)self;
  mx_array* a = it->arr;
  if (!a || it->next >= a->shape[0]) return NULL;
  int i = it->next++;
  if (!a->buffer) /* empty arrays may have no storage at all */
    return mxpy_wrap(mx_array_from_data(NULL, a->dtype, a->ndim - 1, a->shape + 1));
  return mxpy_wrap(mx_array_from_buffer(a->buffer, a->dtype, a->ndim - 1, a->shape + 1,
                                        a->strides + 1, a->offset + (int64_t)i * a->strides[0]));
}

static PyTypeObject iter_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.ArrayIterator",
    .tp_basicsize = sizeof(iter_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = iter_dealloc,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = iter_next,
};

static PyObject* array_iter(PyObject* self) {
  mx_array* a = mxpy_arr(self);
  if (a->ndim == 0) {
    PyErr_SetString(PyExc_TypeError, "iter() 0-dimensional array.");
    return NULL;
  }
  a = hold(self);
  if (mxpy_eval(a) != 0) {
    mx_array_release(a);
    return NULL;
  }
  iter_object* it = PyObject_New(iter_object, &iter_type);
  if (!it) {
    mx_array_release(a);
    return NULL;
  }
  it->arr = a;
  it->next = 0;
  return (PyObject*)it;
}

static PyMappingMethods array_as_mapping = {
    .mp_length = array_len,
    .mp_subscript = mxpy_array_getitem,     /* indexing.c */
    .mp_ass_subscript = mxpy_array_setitem, /* indexing.c */
};

/* --- buffer protocol --------------------------------------------------------------- */

typedef struct {
  mx_array* arr;        /* the exported data (maybe a contiguous copy) */
  Py_ssize_t dims[];    /* ndim shape entries, then ndim byte strides */
} export_info;

static const char* buffer_format(mx_dtype t) {
  switch (t) {
    case MX_BOOL: return "?";
    case MX_UINT8: return "B";
    case MX_UINT16: return "H";
    case MX_UINT32: return "I";
    case MX_UINT64: return "Q";
    case MX_INT8: return "b";
    case MX_INT16: return "h";
    case MX_INT32: return "i";
    case MX_INT64: return "q";
    case MX_FLOAT16: return "e";
    case MX_FLOAT32: return "f";
    case MX_FLOAT64: return "d";
    case MX_COMPLEX64: return "Zf";
    /* PEP 3118 has no bfloat16; MLX exports this name, which NumPy rejects
     * with a ValueError, so np.array(bf16_array) fails the same way. */
    case MX_BFLOAT16: return "bfloat16";
    default: return "B";
  }
}

static int array_getbuffer(PyObject* self, Py_buffer* view, int flags) {
  view->obj = NULL;
  mx_array* a = hold(self);
  if (mxpy_eval(a) != 0) goto fail;
  bool want_c = (flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS ||
                (flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS ||
                (flags & PyBUF_STRIDES) != PyBUF_STRIDES;
  bool want_f = (flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS &&
                (flags & PyBUF_ANY_CONTIGUOUS) != PyBUF_ANY_CONTIGUOUS;
  if (want_f && !(a->flags & MX_FLAG_COL_CONTIGUOUS)) {
    PyErr_SetString(PyExc_BufferError, "mlx.core.array: the array is not Fortran contiguous.");
    goto fail;
  }
  if (want_c && !want_f && !(a->flags & MX_FLAG_ROW_CONTIGUOUS) && a->size > 1) {
    /* The consumer cannot take strides: export a row-contiguous copy. */
    mx_array* c = mx_copy(a, mx_stream_for_default());
    mx_array_release(a);
    a = c;
    if (!a) {
      mxpy_raise();
      return -1;
    }
    if (mxpy_eval(a) != 0) goto fail;
  }
  static char empty[16];
  char* data = a->size ? mx_array_host_data(a) : NULL;
  if (a->size && !data) {
    mxpy_raise();
    goto fail;
  }
  if (!data) data = empty;
  /* The consumer may write; the GPU copy (if any) is stale from now on. */
  if ((flags & PyBUF_WRITABLE) && a->buffer) mx_buffer_mark_written(a->buffer, MX_VALID_HOST);

  export_info* info = malloc(sizeof *info + 2 * (size_t)a->ndim * sizeof(Py_ssize_t));
  if (!info) {
    PyErr_NoMemory();
    goto fail;
  }
  info->arr = a;
  size_t is = mx_array_itemsize(a);
  for (int i = 0; i < a->ndim; i++) {
    info->dims[i] = a->shape[i];
    info->dims[a->ndim + i] = (Py_ssize_t)(a->strides[i] * (int64_t)is);
  }
  view->buf = data;
  view->obj = Py_NewRef(self);
  view->len = (Py_ssize_t)mx_array_nbytes(a);
  view->itemsize = (Py_ssize_t)is;
  view->readonly = 0;
  view->ndim = a->ndim;
  view->format = (flags & PyBUF_FORMAT) ? (char*)buffer_format(a->dtype) : NULL;
  view->shape = (flags & PyBUF_ND) == PyBUF_ND ? info->dims : NULL;
  view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? info->dims + a->ndim : NULL;
  view->suboffsets = NULL;
  view->internal = info;
  return 0;
fail:
  if (a) mx_array_release(a);
  return -1;
}

static void array_releasebuffer(PyObject* self, Py_buffer* view) {
  export_info* info = view->internal;
  if (!info) return;
  mx_array_release(info->arr);
  free(info);
  view->internal = NULL;
}

static PyBufferProcs array_as_buffer = {
    .bf_getbuffer = array_getbuffer,
    .bf_releasebuffer = array_releasebuffer,
};

/* --- the type ---------------------------------------------------------------------- */

PyTypeObject mxpy_array_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.array",
    .tp_basicsize = sizeof(mxpy_array),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "array(val, dtype=None)\n--\n\nAn N-dimensional array object.",
    .tp_new = array_new,
    .tp_dealloc = array_dealloc,
    .tp_repr = array_repr,
    .tp_str = array_str,
    .tp_getset = array_getset,
    .tp_methods = array_methods,
    .tp_as_mapping = &array_as_mapping,
    .tp_as_buffer = &array_as_buffer,
    .tp_as_number = &mxpy_array_as_number,
    .tp_richcompare = mxpy_array_richcompare,
    .tp_hash = mxpy_array_hash,
    .tp_iter = array_iter,
};

int mxpy_array_init(PyObject* module) {
  if (PyType_Ready(&iter_type) < 0 || PyType_Ready(&mxpy_array_type) < 0) return -1;
  Py_INCREF(&mxpy_array_type);
  if (PyModule_AddObject(module, "array", (PyObject*)&mxpy_array_type) < 0) return -1;
  Py_INCREF(&iter_type);
  if (PyModule_AddObject(module, "ArrayIterator", (PyObject*)&iter_type) < 0) return -1;
  return 0;
}
