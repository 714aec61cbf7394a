/* Array methods of the misc area: copy.copy / copy.deepcopy, pickling,
 * __format__, __array_namespace__, the legacy __div__ / __rdiv__, and DLPack
 * (__dlpack__, __dlpack_device__ and the consumer behind mx.from_dlpack).
 *
 * Pickles use MLX 0.32.4's format, so pickles move between MLX and cmlx
 * both ways: protocol 2+ stores copyreg.__newobj__(mlx.core.array) and the
 * state (a NumPy array, the dtype's enum value); bfloat16, which NumPy lacks,
 * travels as its uint16 bit pattern.  Unpickling creates the object with
 * array.__new__(array) (a placeholder) and then calls __setstate__.
 *
 * DLPack structures are declared here from the DLPack specification (a
 * stable C ABI); only the unversioned "dltensor" capsule is produced, as by
 * MLX 0.32.4, and both capsule kinds are consumed. */
#include "mlxpy.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops_shape.h"

/* --- DLPack ABI ------------------------------------------------------------------- */

enum { DL_INT = 0, DL_UINT = 1, DL_FLOAT = 2, DL_BFLOAT = 4, DL_COMPLEX = 5, DL_BOOL = 6 };
enum { DL_CPU = 1, DL_CUDA_HOST = 3, DL_CUDA_MANAGED = 13 };

typedef struct {
  int32_t device_type;
  int32_t device_id;
} dl_device;

typedef struct {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
} dl_dtype;

typedef struct {
  void* data;
  dl_device device;
  int32_t ndim;
  dl_dtype dtype;
  int64_t* shape;
  int64_t* strides; /* in elements; NULL means row-major */
  uint64_t byte_offset;
} dl_tensor;

typedef struct dl_managed {
  dl_tensor t;
  void* ctx;
  void (*deleter)(struct dl_managed*);
} dl_managed;

typedef struct dl_managed_v {
  struct {
    uint32_t major, minor;
  } version;
  void* ctx;
  void (*deleter)(struct dl_managed_v*);
  uint64_t flags;
  dl_tensor t;
} dl_managed_v;

/* Our exported tensor: the DLPack header, the retained array and room for
 * shape and strides. */
typedef struct {
  dl_managed m;
  mx_array* arr;
  int64_t dims[];
} export_t;

static void export_delete(dl_managed* m) {
  export_t* e = (export_t*)m;
  mx_array_release(e->arr);
  free(e);
}

static void capsule_destructor(PyObject* cap) {
  /* A consumer renames the capsule to "used_dltensor" and then owns the
   * tensor; an unconsumed capsule frees it here. */
  if (!PyCapsule_IsValid(cap, "dltensor")) return;
  dl_managed* m = PyCapsule_GetPointer(cap, "dltensor");
  if (m && m->deleter) m->deleter(m);
}

static bool dl_dtype_of(mx_dtype t, dl_dtype* d) {
  static const dl_dtype table[MX_DTYPE_COUNT] = {
      [MX_BOOL] = {DL_BOOL, 8, 1},       [MX_UINT8] = {DL_UINT, 8, 1},
      [MX_UINT16] = {DL_UINT, 16, 1},    [MX_UINT32] = {DL_UINT, 32, 1},
      [MX_UINT64] = {DL_UINT, 64, 1},    [MX_INT8] = {DL_INT, 8, 1},
      [MX_INT16] = {DL_INT, 16, 1},      [MX_INT32] = {DL_INT, 32, 1},
      [MX_INT64] = {DL_INT, 64, 1},      [MX_FLOAT16] = {DL_FLOAT, 16, 1},
      [MX_FLOAT32] = {DL_FLOAT, 32, 1},  [MX_FLOAT64] = {DL_FLOAT, 64, 1},
      [MX_BFLOAT16] = {DL_BFLOAT, 16, 1}, [MX_COMPLEX64] = {DL_COMPLEX, 64, 1},
  };
  if ((int)t < 0 || t >= MX_DTYPE_COUNT) return false;
  *d = table[t];
  return true;
}

static PyObject* m_dlpack(PyObject* self, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"stream", "max_version", "dl_device", "copy", NULL};
  PyObject *stream = NULL, *max_version = NULL, *dl_dev = NULL, *copy = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OOOO:__dlpack__", kwlist, &stream,
                                   &max_version, &dl_dev, &copy))
    return NULL;
  mx_array* a = mxpy_arr(self);
  mx_array_retain(a);
  if (mxpy_eval(a) < 0) {
    mx_array_release(a);
    return NULL;
  }
  int nd = a->ndim;
  export_t* e = calloc(1, sizeof *e + sizeof(int64_t) * (size_t)(2 * (nd > 0 ? nd : 1)));
  if (!e) {
    mx_array_release(a);
    return PyErr_NoMemory();
  }
  e->arr = a;
  for (int i = 0; i < nd; i++) {
    e->dims[i] = a->shape[i];
    e->dims[nd + i] = a->strides[i];
  }
  void* data = a->size > 0 ? mx_array_host_data(a) : NULL;
  if (a->size > 0 && !data) {
    export_delete(&e->m);
    return mxpy_raise();
  }
  e->m.t.data = data;
  e->m.t.device = (dl_device){DL_CPU, 0};
  e->m.t.ndim = nd;
  dl_dtype_of(a->dtype, &e->m.t.dtype);
  e->m.t.shape = e->dims;
  e->m.t.strides = e->dims + nd;
  e->m.t.byte_offset = 0;
  e->m.ctx = e;
  e->m.deleter = export_delete;
  PyObject* cap = PyCapsule_New(&e->m, "dltensor", capsule_destructor);
  if (!cap) export_delete(&e->m);
  return cap;
}

static PyObject* m_dlpack_device(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  /* Memory is unified: every array is readable by the CPU. */
  return Py_BuildValue("(ii)", DL_CPU, 0);
}

/* The mx dtype an imported DLPack dtype becomes.  As MLX 0.32.4 does (its
 * import goes through the same conversion as mx.array), float64 and
 * complex128 data arrive as float32 and complex64. */
static int import_dtype(dl_dtype d, mx_dtype* t, int* src_bytes) {
  if (d.lanes != 1) return -1;
  *src_bytes = d.bits / 8;
  switch (d.code) {
    case DL_BOOL: *t = MX_BOOL; return d.bits == 8 ? 0 : -1;
    case DL_INT:
      switch (d.bits) {
        case 8: *t = MX_INT8; return 0;
        case 16: *t = MX_INT16; return 0;
        case 32: *t = MX_INT32; return 0;
        case 64: *t = MX_INT64; return 0;
      }
      return -1;
    case DL_UINT:
      switch (d.bits) {
        case 8: *t = MX_UINT8; return 0;
        case 16: *t = MX_UINT16; return 0;
        case 32: *t = MX_UINT32; return 0;
        case 64: *t = MX_UINT64; return 0;
      }
      return -1;
    case DL_FLOAT:
      switch (d.bits) {
        case 16: *t = MX_FLOAT16; return 0;
        case 32: *t = MX_FLOAT32; return 0;
        case 64: *t = MX_FLOAT32; return 0;
      }
      return -1;
    case DL_BFLOAT: *t = MX_BFLOAT16; return d.bits == 16 ? 0 : -1;
    case DL_COMPLEX: *t = MX_COMPLEX64; return (d.bits == 64 || d.bits == 128) ? 0 : -1;
  }
  return -1;
}

/* Copies a DLPack tensor into a new row-major leaf array. */
static mx_array* import_tensor(const dl_tensor* t) {
  if (t->device.device_type != DL_CPU && t->device.device_type != DL_CUDA_HOST &&
      t->device.device_type != DL_CUDA_MANAGED) {
    PyErr_Format(PyExc_ValueError,
                 "[from_dlpack] Only CPU-readable memory can be imported (device type %d).",
                 (int)t->device.device_type);
    return NULL;
  }
  mx_dtype dst;
  int sb;
  if (import_dtype(t->dtype, &dst, &sb) < 0) {
    PyErr_SetString(PyExc_ValueError, "[from_dlpack] Unsupported dtype in DLTensor.");
    return NULL;
  }
  int nd = t->ndim;
  if (nd < 0 || nd > 64) {
    PyErr_SetString(PyExc_ValueError, "[from_dlpack] Invalid number of dimensions.");
    return NULL;
  }
  int shape[64];
  int64_t n = 1;
  for (int i = 0; i < nd; i++) {
    if (t->shape[i] < 0 || t->shape[i] > INT32_MAX) {
      PyErr_SetString(PyExc_ValueError, "[from_dlpack] Dimension out of range.");
      return NULL;
    }
    shape[i] = (int)t->shape[i];
    n *= t->shape[i];
  }
  char* gathered = malloc((size_t)(n > 0 ? n : 1) * (size_t)sb);
  if (!gathered) {
    PyErr_NoMemory();
    return NULL;
  }
  /* Gather in row-major order, walking an index counter over the strides
   * (element strides; a NULL strides pointer means row-major). */
  if (n > 0) {
    const char* base = (const char*)t->data + t->byte_offset;
    int64_t st[64], idx[64] = {0};
    int64_t acc = 1;
    for (int d = nd - 1; d >= 0; d--) {
      st[d] = t->strides ? t->strides[d] : acc;
      acc *= shape[d];
    }
    int64_t off = 0;
    for (int64_t k = 0; k < n; k++) {
      memcpy(gathered + k * sb, base + off * sb, (size_t)sb);
      for (int d = nd - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          off += st[d];
          break;
        }
        off -= st[d] * (idx[d] - 1);
        idx[d] = 0;
      }
    }
  }
  mx_array* out;
  if (t->dtype.code == DL_FLOAT && t->dtype.bits == 64) {
    float* f = malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    if (!f) {
      free(gathered);
      PyErr_NoMemory();
      return NULL;
    }
    mxpy_convert(f, MX_FLOAT32, gathered, MX_FLOAT64, n);
    out = mx_array_from_data(f, MX_FLOAT32, nd, shape);
    free(f);
  } else if (t->dtype.code == DL_COMPLEX && t->dtype.bits == 128) {
    float* f = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof(float));
    if (!f) {
      free(gathered);
      PyErr_NoMemory();
      return NULL;
    }
    for (int64_t k = 0; k < 2 * n; k++) f[k] = (float)((double*)gathered)[k];
    out = mx_array_from_data(f, MX_COMPLEX64, nd, shape);
    free(f);
  } else {
    out = mx_array_from_data(gathered, dst, nd, shape);
  }
  free(gathered);
  if (!out) mxpy_raise();
  return out;
}

PyObject* mxpy_from_dlpack(PyObject* obj) {
  PyObject* cap = PyObject_CallMethod(obj, "__dlpack__", NULL);
  if (!cap) return NULL;
  mx_array* out = NULL;
  if (PyCapsule_IsValid(cap, "dltensor")) {
    dl_managed* m = PyCapsule_GetPointer(cap, "dltensor");
    out = import_tensor(&m->t);
    /* Consumed: we own it now and release it as the protocol asks. */
    if (PyCapsule_SetName(cap, "used_dltensor") == 0 && m->deleter) m->deleter(m);
  } else if (PyCapsule_IsValid(cap, "dltensor_versioned")) {
    dl_managed_v* m = PyCapsule_GetPointer(cap, "dltensor_versioned");
    out = import_tensor(&m->t);
    if (PyCapsule_SetName(cap, "used_dltensor_versioned") == 0 && m->deleter) m->deleter(m);
  } else {
    PyErr_SetString(PyExc_TypeError, "from_dlpack(): __dlpack__ did not return a DLPack capsule.");
  }
  Py_DECREF(cap);
  return out ? mxpy_wrap(out) : NULL;
}

/* --- copy, deepcopy, pickling ----------------------------------------------------------- */

static PyObject* m_copy(PyObject* self, PyObject* unused) {
  (void)unused;
  /* Arrays are immutable values, so a shallow copy shares the array (as in
   * MLX, memory written through NumPy shows in both). */
  mx_array* a = mxpy_arr(self);
  mx_array_retain(a);
  return mxpy_wrap(a);
}

/* A leaf array holding its own copy of `a`'s elements. */
static mx_array* own_copy(mx_array* a) {
  mx_stream s = mx_default_stream(mx_default_device());
  mx_array* c = mx_contiguous(a, false, s);
  if (!c) return NULL;
  if (mxpy_eval(c) < 0) {
    mx_array_release(c);
    return NULL;
  }
  mx_array* out = mx_array_from_data(c->size > 0 ? mx_array_host_data(c) : NULL, c->dtype, c->ndim,
                                     c->shape);
  mx_array_release(c);
  return out;
}

static PyObject* m_deepcopy(PyObject* self, PyObject* memo) {
  (void)memo;
  mx_array* a = own_copy(mxpy_arr(self));
  return a ? mxpy_wrap(a) : (PyErr_Occurred() ? NULL : mxpy_raise());
}

static PyObject* m_getstate(PyObject* self, PyObject* unused) {
  (void)unused;
  mx_array* a = mxpy_arr(self);
  PyObject* view = NULL;
  if (a->dtype == MX_BFLOAT16) {
    view = mxpy_wrap(mx_view(a, MX_UINT16, mx_default_stream(mx_default_device())));
  } else {
    view = self;
    Py_INCREF(view);
  }
  if (!view) return NULL;
  PyObject* np = PyImport_ImportModule("numpy");
  PyObject* arr = np ? PyObject_CallMethod(np, "array", "O", view) : NULL;
  Py_XDECREF(np);
  Py_DECREF(view);
  if (!arr) return NULL;
  PyObject* state = Py_BuildValue("(Ni)", arr, (int)a->dtype);
  return state;
}

static PyObject* m_setstate(PyObject* self, PyObject* state) {
  PyObject* data;
  int dtype;
  if (!PyTuple_Check(state) || !PyArg_ParseTuple(state, "Oi:__setstate__", &data, &dtype))
    return PyErr_Occurred() ? NULL
                            : (PyErr_SetString(PyExc_TypeError,
                                               "__setstate__(): state must be a tuple"),
                               NULL);
  if (!mx_dtype_valid(dtype)) {
    PyErr_Format(PyExc_ValueError, "__setstate__(): invalid dtype value %d.", dtype);
    return NULL;
  }
  mx_array* a;
  if (dtype == MX_BFLOAT16) {
    mx_array* bits = mxpy_to_array(data, MX_UINT16, false);
    if (!bits) return NULL;
    a = mx_view(bits, MX_BFLOAT16, mx_default_stream(mx_default_device()));
    mx_array_release(bits);
    if (!a) return mxpy_raise();
  } else {
    a = mxpy_to_array(data, dtype, false);
    if (!a) return NULL;
  }
  mxpy_array* o = (mxpy_array*)self;
  mx_array* old = o->arr;
  o->arr = a;
  if (old) mx_array_release(old);
  Py_RETURN_NONE;
}

/* --- formatting, namespace, legacy division ------------------------------------------------ */

static PyObject* m_format(PyObject* self, PyObject* spec) {
  if (!PyUnicode_Check(spec)) {
    PyErr_SetString(PyExc_TypeError, "__format__(): format spec must be a str.");
    return NULL;
  }
  /* A 0-d array formats its value (f"{mx.array(True)}" is "True"); larger
   * arrays print as str() with an empty spec and refuse any other. */
  mx_array* a = mxpy_arr(self);
  if (a->ndim != 0 && PyUnicode_GetLength(spec) == 0) return PyObject_Str(self);
  if (a->ndim != 0) {
    PyErr_SetString(PyExc_TypeError, "unsupported format string passed to mx.array.__format__");
    return NULL;
  }
  mx_array_retain(a);
  PyObject* item = mxpy_eval(a) < 0 ? NULL : mxpy_item(a);
  mx_array_release(a);
  if (!item) return NULL;
  PyObject* r = PyObject_Format(item, spec);
  Py_DECREF(item);
  return r;
}

static PyObject* m_array_namespace(PyObject* self, PyObject* args, PyObject* kwargs) {
  (void)self;
  static char* kwlist[] = {"api_version", NULL};
  PyObject* version = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:__array_namespace__", kwlist, &version))
    return NULL;
  if (version != Py_None) {
    PyErr_SetString(PyExc_ValueError, "Explicitly specifying api_version is not yet implemented.");
    return NULL;
  }
  return PyImport_ImportModule(MLXPY_MODULE);
}

static PyObject* m_div(PyObject* self, PyObject* other) { return PyNumber_TrueDivide(self, other); }
static PyObject* m_rdiv(PyObject* self, PyObject* other) { return PyNumber_TrueDivide(other, self); }

static PyMethodDef extras[] = {
    {"__copy__", m_copy, METH_NOARGS, "__copy__($self, /)\n--\n\nA shallow copy (shares data)."},
    {"__deepcopy__", m_deepcopy, METH_O,
     "__deepcopy__($self, memo, /)\n--\n\nA copy with its own memory."},
    {"__getstate__", m_getstate, METH_NOARGS,
     "__getstate__($self, /)\n--\n\nPickle state: (NumPy array, dtype value)."},
    {"__setstate__", m_setstate, METH_O, "__setstate__($self, state, /)\n--\n\nRestore a pickle."},
    {"__format__", m_format, METH_O,
     "__format__($self, spec, /)\n--\n\nFormat a 0-d array's value with `spec`."},
    {"__array_namespace__", (PyCFunction)(void (*)(void))m_array_namespace,
     METH_VARARGS | METH_KEYWORDS,
     "__array_namespace__($self, /, api_version=None)\n--\n\nThe array API namespace (mlx.core)."},
    {"__dlpack__", (PyCFunction)(void (*)(void))m_dlpack, METH_VARARGS | METH_KEYWORDS,
     "__dlpack__($self, /, *, stream=None, max_version=None, dl_device=None, copy=None)\n--\n\n"
     "Export the array as a DLPack capsule (shares memory)."},
    {"__dlpack_device__", m_dlpack_device, METH_NOARGS,
     "__dlpack_device__($self, /)\n--\n\nThe DLPack device: (1, 0), the CPU."},
    {"__div__", m_div, METH_O, "__div__($self, other, /)\n--\n\nTrue division."},
    {"__rdiv__", m_rdiv, METH_O, "__rdiv__($self, other, /)\n--\n\nReflected true division."},
    {NULL, NULL, 0, NULL},
};

int mxpy_array_extras_init(PyTypeObject* type) {
  for (PyMethodDef* d = extras; d->ml_name; d++) {
    PyObject* f = PyDescr_NewMethod(type, d);
    if (!f) return -1;
    int rc = PyDict_SetItemString(type->tp_dict, d->ml_name, f);
    Py_DECREF(f);
    if (rc < 0) return -1;
  }
  PyType_Modified(type);
  return 0;
}
