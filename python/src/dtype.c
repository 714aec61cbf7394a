/* mlx.core.Dtype, DtypeCategory, issubdtype, finfo and iinfo.
 *
 * There is one Dtype object per dtype (mx.float32 ...), created at import;
 * Python code compares them with == and uses them as dict keys, and the
 * hash is the dtype's enum value as in MLX.  DtypeCategory is a real
 * enum.Enum (as MLX's is) whose repr is "DtypeCategory.floating". */
#include "mlxpy.h"

#include <float.h>
#include <math.h>
#include <structmember.h>

static PyObject* dtype_objects[MX_DTYPE_COUNT];
static PyObject* category_enum; /* the DtypeCategory class */

PyObject* mxpy_dtype_object(mx_dtype t) { return dtype_objects[t]; }

static PyObject* dtype_repr(PyObject* self) {
  return PyUnicode_FromFormat("mlx.core.%s", mx_dtype_name(((mxpy_dtype*)self)->dtype));
}

static Py_hash_t dtype_hash(PyObject* self) { return (Py_hash_t)((mxpy_dtype*)self)->dtype; }

static PyObject* dtype_richcompare(PyObject* a, PyObject* b, int op) {
  if (!mxpy_is_dtype(a) || !mxpy_is_dtype(b) || (op != Py_EQ && op != Py_NE))
    Py_RETURN_NOTIMPLEMENTED;
  bool eq = ((mxpy_dtype*)a)->dtype == ((mxpy_dtype*)b)->dtype;
  return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static PyObject* dtype_size(PyObject* self, void* closure) {
  return PyLong_FromSize_t(mx_dtype_size(((mxpy_dtype*)self)->dtype));
}

static PyGetSetDef dtype_getset[] = {
    {"size", dtype_size, NULL, "Size of the type in bytes.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject mxpy_dtype_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.Dtype",
    .tp_basicsize = sizeof(mxpy_dtype),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An object to hold the type of a :class:`array`.",
    .tp_repr = dtype_repr,
    .tp_hash = dtype_hash,
    .tp_richcompare = dtype_richcompare,
    .tp_getset = dtype_getset,
    /* No tp_new: Dtype objects are the module's singletons, as in MLX. */
};

/* --- DtypeCategory and issubdtype ------------------------------------------ */

/* Category values, in MLX's order. */
enum {
  CAT_COMPLEXFLOATING,
  CAT_FLOATING,
  CAT_INEXACT,
  CAT_SIGNEDINTEGER,
  CAT_UNSIGNEDINTEGER,
  CAT_INTEGER,
  CAT_NUMBER,
  CAT_GENERIC,
};

/* The parent of each category in the hierarchy (generic has none). */
static const int category_parent[] = {
    [CAT_COMPLEXFLOATING] = CAT_INEXACT, [CAT_FLOATING] = CAT_INEXACT,
    [CAT_INEXACT] = CAT_NUMBER,          [CAT_SIGNEDINTEGER] = CAT_INTEGER,
    [CAT_UNSIGNEDINTEGER] = CAT_INTEGER, [CAT_INTEGER] = CAT_NUMBER,
    [CAT_NUMBER] = CAT_GENERIC,          [CAT_GENERIC] = -1,
};

/* The category directly above a dtype (bool sits only under generic). */
static int dtype_category(mx_dtype t) {
  switch (mx_dtype_kind_of(t)) {
    case MX_KIND_BOOL: return CAT_GENERIC;
    case MX_KIND_UINT: return CAT_UNSIGNEDINTEGER;
    case MX_KIND_INT: return CAT_SIGNEDINTEGER;
    case MX_KIND_FLOAT: return CAT_FLOATING;
    case MX_KIND_COMPLEX: return CAT_COMPLEXFLOATING;
  }
  return CAT_GENERIC;
}

static bool category_within(int c, int ancestor) {
  for (; c >= 0; c = category_parent[c])
    if (c == ancestor) return true;
  return false;
}

/* Reads a DtypeCategory member's value; -1 (no exception) when not one. */
static int category_value(PyObject* obj) {
  if (!category_enum) return -1;
  int is = PyObject_IsInstance(obj, category_enum);
  if (is <= 0) {
    PyErr_Clear();
    return -1;
  }
  PyObject* v = PyObject_GetAttrString(obj, "value");
  if (!v) {
    PyErr_Clear();
    return -1;
  }
  long c = PyLong_AsLong(v);
  Py_DECREF(v);
  if (c < 0 || c > CAT_GENERIC) {
    PyErr_Clear();
    return -1;
  }
  return (int)c;
}

static PyObject* issubdtype(PyObject* mod, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_SetString(PyExc_TypeError, "issubdtype() takes exactly 2 arguments.");
    return NULL;
  }
  PyObject *a = args[0], *b = args[1];
  int ca = category_value(a), cb = category_value(b);
  bool da = mxpy_is_dtype(a), db = mxpy_is_dtype(b);
  if ((!da && ca < 0) || (!db && cb < 0)) {
    PyErr_SetString(PyExc_TypeError,
                    "issubdtype() arguments must be mlx.core.Dtype or mlx.core.DtypeCategory.");
    return NULL;
  }
  if (da && db) return PyBool_FromLong(((mxpy_dtype*)a)->dtype == ((mxpy_dtype*)b)->dtype);
  if (!da && db) Py_RETURN_FALSE; /* a category is never inside a single dtype */
  int from = da ? dtype_category(((mxpy_dtype*)a)->dtype) : ca;
  return PyBool_FromLong(category_within(from, cb));
}

/* --- finfo / iinfo ---------------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  double min, max, eps, smallest_normal;
  int bits;
  PyObject* dtype;
} finfo_object;

typedef struct {
  PyObject_HEAD
  PyObject* min;
  PyObject* max;
  PyObject* dtype;
} iinfo_object;

static PyObject* finfo_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* d;
  if (!PyArg_ParseTuple(args, "O:finfo", &d)) return NULL;
  if (kwargs && PyDict_GET_SIZE(kwargs)) {
    PyErr_SetString(PyExc_TypeError, "finfo() takes no keyword arguments.");
    return NULL;
  }
  if (!mxpy_is_dtype(d)) {
    PyErr_Format(PyExc_TypeError, "finfo(): argument must be an mlx.core.Dtype, not %.100s.",
                 Py_TYPE(d)->tp_name);
    return NULL;
  }
  mx_dtype t = ((mxpy_dtype*)d)->dtype;
  if (!mx_dtype_is_inexact(t)) {
    PyErr_Format(PyExc_ValueError, "[finfo] dtype %s is not inexact.", mx_dtype_name(t));
    return NULL;
  }
  /* A complex type reports its real component's type, as MLX does. */
  if (t == MX_COMPLEX64) t = MX_FLOAT32;
  finfo_object* f = (finfo_object*)type->tp_alloc(type, 0);
  if (!f) return NULL;
  switch (t) {
    case MX_FLOAT16:
      f->max = 65504.0;
      f->eps = ldexp(1.0, -10);
      f->smallest_normal = ldexp(1.0, -14);
      f->bits = 16;
      break;
    case MX_BFLOAT16:
      /* Largest bfloat16: exponent 254, all 7 mantissa bits set. */
      f->max = ldexp(255.0 / 128.0, 127);
      f->eps = ldexp(1.0, -7);
      f->smallest_normal = ldexp(1.0, -126);
      f->bits = 16;
      break;
    case MX_FLOAT64:
      f->max = DBL_MAX;
      f->eps = DBL_EPSILON;
      f->smallest_normal = DBL_MIN;
      f->bits = 64;
      break;
    default:
      f->max = FLT_MAX;
      f->eps = FLT_EPSILON;
      f->smallest_normal = FLT_MIN;
      f->bits = 32;
      break;
  }
  f->min = -f->max;
  f->dtype = Py_NewRef(mxpy_dtype_object(t));
  return (PyObject*)f;
}

static void finfo_dealloc(PyObject* self) {
  Py_XDECREF(((finfo_object*)self)->dtype);
  Py_TYPE(self)->tp_free(self);
}

static PyObject* finfo_repr(PyObject* self) {
  finfo_object* f = (finfo_object*)self;
  char buf[160];
  snprintf(buf, sizeof buf, "finfo(min=%g, max=%g, dtype=%s)", f->min, f->max,
           mx_dtype_name(((mxpy_dtype*)f->dtype)->dtype));
  return PyUnicode_FromString(buf);
}

static PyMemberDef finfo_members[] = {
    {"min", T_DOUBLE, offsetof(finfo_object, min), READONLY, "The smallest representable number."},
    {"max", T_DOUBLE, offsetof(finfo_object, max), READONLY, "The largest representable number."},
    {"eps", T_DOUBLE, offsetof(finfo_object, eps), READONLY,
     "The difference between 1.0 and the next larger representable number."},
    {"smallest_normal", T_DOUBLE, offsetof(finfo_object, smallest_normal), READONLY,
     "The smallest positive normal number."},
    {"bits", T_INT, offsetof(finfo_object, bits), READONLY, "Bits in the type."},
    {"dtype", T_OBJECT, offsetof(finfo_object, dtype), READONLY, "The type."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject finfo_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.finfo",
    .tp_basicsize = sizeof(finfo_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Get information on floating-point types.",
    .tp_new = finfo_new,
    .tp_dealloc = finfo_dealloc,
    .tp_repr = finfo_repr,
    .tp_members = finfo_members,
};

static PyObject* iinfo_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* d;
  if (!PyArg_ParseTuple(args, "O:iinfo", &d)) return NULL;
  if (kwargs && PyDict_GET_SIZE(kwargs)) {
    PyErr_SetString(PyExc_TypeError, "iinfo() takes no keyword arguments.");
    return NULL;
  }
  if (!mxpy_is_dtype(d)) {
    PyErr_Format(PyExc_TypeError, "iinfo(): argument must be an mlx.core.Dtype, not %.100s.",
                 Py_TYPE(d)->tp_name);
    return NULL;
  }
  mx_dtype t = ((mxpy_dtype*)d)->dtype;
  if (!mx_dtype_is_integer(t)) {
    PyErr_Format(PyExc_ValueError, "[iinfo] Only integer types supported but %s was provided",
                 mx_dtype_name(t));
    return NULL;
  }
  int bits = (int)mx_dtype_size(t) * 8;
  iinfo_object* o = (iinfo_object*)type->tp_alloc(type, 0);
  if (!o) return NULL;
  if (mx_dtype_kind_of(t) == MX_KIND_UINT) {
    o->min = PyLong_FromLong(0);
    o->max = PyLong_FromUnsignedLongLong(bits == 64 ? UINT64_MAX : ((1ull << bits) - 1));
  } else {
    long long hi = bits == 64 ? INT64_MAX : (long long)((1ull << (bits - 1)) - 1);
    o->min = PyLong_FromLongLong(-hi - 1);
    o->max = PyLong_FromLongLong(hi);
  }
  o->dtype = Py_NewRef(d);
  if (!o->min || !o->max) {
    Py_DECREF(o);
    return NULL;
  }
  return (PyObject*)o;
}

static void iinfo_dealloc(PyObject* self) {
  iinfo_object* o = (iinfo_object*)self;
  Py_XDECREF(o->min);
  Py_XDECREF(o->max);
  Py_XDECREF(o->dtype);
  Py_TYPE(self)->tp_free(self);
}

static PyObject* iinfo_repr(PyObject* self) {
  iinfo_object* o = (iinfo_object*)self;
  return PyUnicode_FromFormat("iinfo(min=%S, max=%S, dtype=%s)", o->min, o->max,
                              mx_dtype_name(((mxpy_dtype*)o->dtype)->dtype));
}

static PyMemberDef iinfo_members[] = {
    {"min", T_OBJECT, offsetof(iinfo_object, min), READONLY, "The smallest representable number."},
    {"max", T_OBJECT, offsetof(iinfo_object, max), READONLY, "The largest representable number."},
    {"dtype", T_OBJECT, offsetof(iinfo_object, dtype), READONLY, "The type."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject iinfo_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.iinfo",
    .tp_basicsize = sizeof(iinfo_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Get information on integer types.",
    .tp_new = iinfo_new,
    .tp_dealloc = iinfo_dealloc,
    .tp_repr = iinfo_repr,
    .tp_members = iinfo_members,
};

/* --- module init ------------------------------------------------------------ */

static PyMethodDef dtype_functions[] = {
    {"issubdtype", (PyCFunction)(void (*)(void))issubdtype, METH_FASTCALL,
     "issubdtype(arg1, arg2, /)\n--\n\n"
     "Whether arg1 (a Dtype or DtypeCategory) lies within arg2 in the type hierarchy\n"
     "generic > number > {inexact > {floating, complexfloating},\n"
     "integer > {signedinteger, unsignedinteger}}; bool is only a generic."},
    {NULL, NULL, 0, NULL},
};

/* Builds DtypeCategory as an enum.Enum whose repr is "DtypeCategory.x". */
static const char category_source[] =
    "import enum\n"
    "class DtypeCategory(enum.Enum):\n"
    "    complexfloating = 0\n"
    "    floating = 1\n"
    "    inexact = 2\n"
    "    signedinteger = 3\n"
    "    unsignedinteger = 4\n"
    "    integer = 5\n"
    "    number = 6\n"
    "    generic = 7\n"
    "    def __repr__(self):\n"
    "        return 'DtypeCategory.' + self.name\n"
    "    __str__ = __repr__\n"
    "DtypeCategory.__module__ = 'mlx.core'\n";

/* Runs `source` in a fresh namespace and returns the object it binds to
 * `name` (new reference).  Shared with device.c for DeviceType. */
PyObject* mxpy_run_and_get(const char* source, const char* name) {
  PyObject* ns = PyDict_New();
  if (!ns) return NULL;
  if (PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) != 0) {
    Py_DECREF(ns);
    return NULL;
  }
  PyObject* r = PyRun_String(source, Py_file_input, ns, ns);
  if (!r) {
    Py_DECREF(ns);
    return NULL;
  }
  Py_DECREF(r);
  PyObject* obj = PyDict_GetItemString(ns, name);
  Py_XINCREF(obj);
  Py_DECREF(ns);
  if (!obj) PyErr_Format(PyExc_SystemError, "mlx.core: %s was not created", name);
  return obj;
}

int mxpy_dtype_init(PyObject* module) {
  if (PyType_Ready(&mxpy_dtype_type) < 0 || PyType_Ready(&finfo_type) < 0 ||
      PyType_Ready(&iinfo_type) < 0)
    return -1;
  Py_INCREF(&mxpy_dtype_type);
  if (PyModule_AddObject(module, "Dtype", (PyObject*)&mxpy_dtype_type) < 0) return -1;
  Py_INCREF(&finfo_type);
  if (PyModule_AddObject(module, "finfo", (PyObject*)&finfo_type) < 0) return -1;
  Py_INCREF(&iinfo_type);
  if (PyModule_AddObject(module, "iinfo", (PyObject*)&iinfo_type) < 0) return -1;

  for (int t = 0; t < MX_DTYPE_COUNT; t++) {
    mxpy_dtype* d = PyObject_New(mxpy_dtype, &mxpy_dtype_type);
    if (!d) return -1;
    d->dtype = (mx_dtype)t;
    dtype_objects[t] = (PyObject*)d;
    /* "bool" is a Python builtin, so MLX exposes that one as bool_. */
    const char* name = t == MX_BOOL ? "bool_" : mx_dtype_name((mx_dtype)t);
    Py_INCREF(d);
    if (PyModule_AddObject(module, name, (PyObject*)d) < 0) {
      Py_DECREF(d);
      return -1;
    }
  }

  category_enum = mxpy_run_and_get(category_source, "DtypeCategory");
  if (!category_enum) return -1;
  Py_INCREF(category_enum);
  if (PyModule_AddObject(module, "DtypeCategory", category_enum) < 0) return -1;
  static const char* const names[] = {"complexfloating", "floating", "inexact", "signedinteger",
                                      "unsignedinteger", "integer", "number", "generic"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    PyObject* m = PyObject_GetAttrString(category_enum, names[i]);
    if (!m || PyModule_AddObject(module, names[i], m) < 0) {
      Py_XDECREF(m);
      return -1;
    }
  }
  return PyModule_AddFunctions(module, dtype_functions);
}
