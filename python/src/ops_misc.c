/* mlx.core functions: dtype utilities (result_type, can_cast, isdtype),
 * depends, from_dlpack, print options (set_printoptions, get_printoptions,
 * printoptions and the PrintOptions / _PrintOptionsContext types) and the
 * constants e, pi, inf, nan, euler_gamma and newaxis.
 *
 * Behaviour, argument names and exception types follow MLX 0.32.4 (checked
 * by running it; tests/python/test_misc.py holds the proof).  The array
 * methods of this area (pickling, copy, DLPack export, __format__) are in
 * array_extras.c. */
#include "mlxpy.h"

#include <math.h>
#include <string.h>
#include <structmember.h>

#include "core/print.h"
#include "ops/ops_misc.h"

/* array_extras.c */
int mxpy_array_extras_init(PyTypeObject* type);
PyObject* mxpy_from_dlpack(PyObject* obj);

/* --- dtype utilities -------------------------------------------------------------- */

/* The dtype of an array or Dtype argument; -1 (no exception) for others. */
static int dtype_of(PyObject* o) {
  if (mxpy_is_array(o)) return (int)mxpy_arr(o)->dtype;
  if (mxpy_is_dtype(o)) return (int)((mxpy_dtype*)o)->dtype;
  return -1;
}

static PyObject* impl_result_type(mxpy_value* v, mx_stream s) {
  (void)s;
  PyObject* args = v[0].obj;
  Py_ssize_t n = args ? PyTuple_GET_SIZE(args) : 0;
  if (n == 0) {
    PyErr_SetString(PyExc_ValueError, "[result_type] At least one array or dtype is required.");
    return NULL;
  }
  int t = -1;
  for (Py_ssize_t i = 0; i < n; i++) {
    int d = dtype_of(PyTuple_GET_ITEM(args, i));
    if (d < 0) {
      PyErr_SetString(PyExc_ValueError, "[result_type] Inputs must be arrays or dtypes.");
      return NULL;
    }
    t = t < 0 ? d : (int)mx_promote_types((mx_dtype)t, (mx_dtype)d);
  }
  PyObject* r = mxpy_dtype_object((mx_dtype)t);
  Py_XINCREF(r);
  return r;
}

static PyObject* impl_can_cast(mxpy_value* v, mx_stream s) {
  (void)s;
  int from = dtype_of(v[0].obj);
  if (!mxpy_is_dtype(v[1].obj)) {
    PyErr_Format(PyExc_TypeError, "can_cast(): argument 'to' must be an mlx.core.Dtype, not %.100s.",
                 Py_TYPE(v[1].obj)->tp_name);
    return NULL;
  }
  if (from < 0) {
    PyErr_SetString(PyExc_ValueError, "[can_cast] `from_` must be an array or a dtype.");
    return NULL;
  }
  mx_dtype to = ((mxpy_dtype*)v[1].obj)->dtype;
  /* As MLX: the cast is safe when promoting the pair gives back `to`. */
  return PyBool_FromLong(mx_promote_types((mx_dtype)from, to) == to);
}

/* Does `t` belong to the kind named by `kind` (a str)?  0 / 1, or -1 with
 * ValueError for an unknown name. */
static int kind_matches(mx_dtype t, PyObject* kind) {
  const char* k = PyUnicode_AsUTF8(kind);
  if (!k) return -1;
  mx_dtype_kind c = mx_dtype_kind_of(t);
  if (strcmp(k, "bool") == 0) return c == MX_KIND_BOOL;
  if (strcmp(k, "signed integer") == 0) return c == MX_KIND_INT;
  if (strcmp(k, "unsigned integer") == 0) return c == MX_KIND_UINT;
  if (strcmp(k, "integral") == 0) return c == MX_KIND_INT || c == MX_KIND_UINT;
  if (strcmp(k, "real floating") == 0) return c == MX_KIND_FLOAT;
  if (strcmp(k, "complex floating") == 0) return c == MX_KIND_COMPLEX;
  if (strcmp(k, "numeric") == 0) return c != MX_KIND_BOOL;
  PyErr_Format(PyExc_ValueError, "[isdtype] Unknown data type kind: %R.", kind);
  return -1;
}

static int kind_item(mx_dtype t, PyObject* kind) {
  if (mxpy_is_dtype(kind)) return ((mxpy_dtype*)kind)->dtype == t;
  if (PyUnicode_Check(kind)) return kind_matches(t, kind);
  PyErr_SetString(PyExc_ValueError,
                  "[isdtype] `kind` must be a dtype, a string, or a tuple of dtypes and strings.");
  return -1;
}

static PyObject* impl_isdtype(mxpy_value* v, mx_stream s) {
  (void)s;
  if (!mxpy_is_dtype(v[0].obj)) {
    PyErr_Format(PyExc_TypeError, "isdtype(): argument 'dtype' must be an mlx.core.Dtype, not %.100s.",
                 Py_TYPE(v[0].obj)->tp_name);
    return NULL;
  }
  mx_dtype t = ((mxpy_dtype*)v[0].obj)->dtype;
  PyObject* kind = v[1].obj;
  if (!PyTuple_Check(kind)) {
    int r = kind_item(t, kind);
    return r < 0 ? NULL : PyBool_FromLong(r);
  }
  /* MLX checks every entry of a tuple (an invalid one raises even after a
   * match). */
  bool any = false;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kind); i++) {
    int r = kind_item(t, PyTuple_GET_ITEM(kind, i));
    if (r < 0) return NULL;
    any = any || r;
  }
  return PyBool_FromLong(any);
}

/* --- depends ------------------------------------------------------------------------ */

/* An array or a sequence of arrays as a new list of borrowed arrays (in
 * `objs`, a new reference to a tuple).  0 / -1 (TypeError). */
static int array_list(PyObject* o, const char* what, PyObject** objs) {
  if (mxpy_is_array(o)) {
    *objs = PyTuple_Pack(1, o);
    return *objs ? 0 : -1;
  }
  if (!PySequence_Check(o) || PyUnicode_Check(o)) goto bad;
  *objs = PySequence_Tuple(o);
  if (!*objs) return -1;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(*objs); i++)
    if (!mxpy_is_array(PyTuple_GET_ITEM(*objs, i))) {
      Py_CLEAR(*objs);
      goto bad;
    }
  return 0;
bad:
  PyErr_Format(PyExc_TypeError, "depends(): '%s' must be an array or a sequence of arrays, not %.100s.",
               what, Py_TYPE(o)->tp_name);
  return -1;
}

static PyObject* impl_depends(mxpy_value* v, mx_stream s) {
  PyObject *ins = NULL, *deps = NULL, *result = NULL;
  mx_array** arrs = NULL;
  if (array_list(v[0].obj, "inputs", &ins) < 0 || array_list(v[1].obj, "dependencies", &deps) < 0)
    goto done;
  Py_ssize_t ni = PyTuple_GET_SIZE(ins), nd = PyTuple_GET_SIZE(deps);
  if (ni == 0) {
    /* Nothing to return; MLX 0.32.4 crashes here, an empty list is the
     * sensible answer. */
    result = PyList_New(0);
    goto done;
  }
  arrs = PyMem_Malloc(sizeof *arrs * (size_t)(2 * ni + nd));
  if (!arrs) {
    PyErr_NoMemory();
    goto done;
  }
  mx_array** in_a = arrs;
  mx_array** dep_a = arrs + ni;
  mx_array** outs = arrs + ni + nd;
  for (Py_ssize_t i = 0; i < ni; i++) in_a[i] = mxpy_arr(PyTuple_GET_ITEM(ins, i));
  for (Py_ssize_t i = 0; i < nd; i++) dep_a[i] = mxpy_arr(PyTuple_GET_ITEM(deps, i));
  if (mx_depends((int)ni, in_a, (int)nd, dep_a, s, outs) < 0) {
    mxpy_raise();
    goto done;
  }
  if (mxpy_is_array(v[0].obj)) {
    result = mxpy_wrap(outs[0]);
    goto done;
  }
  result = PyList_New(ni);
  for (Py_ssize_t i = 0; i < ni; i++) {
    PyObject* o = result ? mxpy_wrap(outs[i]) : (mx_array_release(outs[i]), NULL);
    if (result && !o) Py_CLEAR(result);
    if (result) PyList_SET_ITEM(result, i, o);
  }
done:
  PyMem_Free(arrs);
  Py_XDECREF(ins);
  Py_XDECREF(deps);
  return result;
}

/* --- from_dlpack -------------------------------------------------------------------- */

static PyObject* impl_from_dlpack(mxpy_value* v, mx_stream s) {
  (void)s;
  PyObject* x = v[0].obj;
  if (!PyObject_HasAttrString(x, "__dlpack__")) {
    PyErr_Format(PyExc_TypeError, "from_dlpack(): argument must support __dlpack__, not %.100s.",
                 Py_TYPE(x)->tp_name);
    return NULL;
  }
  if (v[1].given && !v[1].none && !v[1].b) {
    /* MLX 0.32.4 always copies into its own memory on the CPU. */
    PyErr_SetString(PyExc_ValueError, "[convert] Cannot import a CPU array without a copy.");
    return NULL;
  }
  return mxpy_from_dlpack(x);
}

/* --- print options ------------------------------------------------------------------ */

typedef struct {
  PyObject_HEAD
  int precision;
} printoptions_object;

static int parse_precision(PyObject* args, PyObject* kwargs, const char* fname, int* out) {
  static char* kwlist[] = {"precision", NULL};
  PyObject* p = NULL;
  char fmt[64];
  snprintf(fmt, sizeof fmt, "|O:%s", fname);
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &p)) return -1;
  *out = -1;
  if (!p) return 0;
  if (!PyLong_Check(p) || PyBool_Check(p)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument 'precision' must be an int, not %.100s.", fname,
                 Py_TYPE(p)->tp_name);
    return -1;
  }
  long long v = PyLong_AsLongLong(p);
  if (v == -1 && PyErr_Occurred()) return -1;
  if (v < INT32_MIN || v > INT32_MAX) {
    PyErr_Format(PyExc_OverflowError, "%s(): precision does not fit in a 32-bit integer.", fname);
    return -1;
  }
  *out = (int)v;
  return 0;
}

static PyObject* printoptions_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  int precision;
  if (parse_precision(args, kwargs, "PrintOptions", &precision) < 0) return NULL;
  printoptions_object* o = (printoptions_object*)type->tp_alloc(type, 0);
  if (o) o->precision = precision;
  return (PyObject*)o;
}

static PyMemberDef printoptions_members[] = {
    {"precision", T_INT, offsetof(printoptions_object, precision), 0,
     "Digits after the decimal point; -1 prints like %g with 6 significant digits."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject printoptions_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.PrintOptions",
    .tp_basicsize = sizeof(printoptions_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "PrintOptions(precision=-1)\n--\n\nOptions used when printing arrays.",
    .tp_new = printoptions_new,
    .tp_members = printoptions_members,
};

/* The context manager: applies its options on __enter__ and puts back the
 * options that were in effect then on __exit__ (so contexts nest). */
typedef struct {
  PyObject_HEAD
  mx_print_options opts;
  mx_print_options saved;
} printctx_object;

static PyObject* printctx_enter(PyObject* self, PyObject* unused) {
  (void)unused;
  printctx_object* c = (printctx_object*)self;
  c->saved = mx_get_print_options();
  mx_set_print_options(c->opts);
  Py_INCREF(self);
  return self;
}

static PyObject* printctx_exit(PyObject* self, PyObject* args) {
  (void)args;
  mx_set_print_options(((printctx_object*)self)->saved);
  Py_RETURN_FALSE;
}

static PyMethodDef printctx_methods[] = {
    {"__enter__", printctx_enter, METH_NOARGS, NULL},
    {"__exit__", printctx_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject printctx_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core._PrintOptionsContext",
    .tp_basicsize = sizeof(printctx_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Context manager returned by printoptions().",
    .tp_methods = printctx_methods,
};

static PyObject* impl_set_printoptions(mxpy_value* v, mx_stream s) {
  (void)s;
  if (v[0].i < INT32_MIN || v[0].i > INT32_MAX) {
    PyErr_SetString(PyExc_OverflowError, "set_printoptions(): precision does not fit in 32 bits.");
    return NULL;
  }
  mx_print_options o = mx_get_print_options();
  o.precision = (int)v[0].i;
  mx_set_print_options(o);
  Py_RETURN_NONE;
}

static PyObject* impl_get_printoptions(mxpy_value* v, mx_stream s) {
  (void)v;
  (void)s;
  /* A snapshot: changing its fields does not change the global options. */
  printoptions_object* o = PyObject_New(printoptions_object, &printoptions_type);
  if (o) o->precision = mx_get_print_options().precision;
  return (PyObject*)o;
}

static PyObject* impl_printoptions(mxpy_value* v, mx_stream s) {
  (void)s;
  if (v[0].i < INT32_MIN || v[0].i > INT32_MAX) {
    PyErr_SetString(PyExc_OverflowError, "printoptions(): precision does not fit in 32 bits.");
    return NULL;
  }
  printctx_object* c = PyObject_New(printctx_object, &printctx_type);
  if (!c) return NULL;
  c->opts = mx_get_print_options();
  c->opts.precision = (int)v[0].i;
  c->saved = c->opts;
  return (PyObject*)c;
}

/* --- the table ------------------------------------------------------------------------ */

#define PRECISION {"precision", MXPY_INT, MXPY_OPT, "-1", {.i = -1}}

const mxpy_fn mxpy_ops_misc[] = {
    {"result_type", impl_result_type,
     "The type that results from applying type promotion to the arrays and dtypes given.",
     {{"arrays_and_dtypes", MXPY_VARARGS, 0, NULL, {0}}}, true},
    {"can_cast", impl_can_cast,
     "Whether `from_` (an array or dtype) can be cast to `to`: true when promoting the two "
     "gives back `to`.",
     {{"from_", MXPY_OBJECT, 0, NULL, {0}}, {"to", MXPY_OBJECT, 0, NULL, {0}}}, true},
    {"isdtype", impl_isdtype,
     "Whether a dtype belongs to a kind: a dtype, one of \"bool\", \"signed integer\", "
     "\"unsigned integer\", \"integral\", \"real floating\", \"complex floating\", "
     "\"numeric\", or a tuple of those.",
     {{"dtype", MXPY_OBJECT, 0, NULL, {0}}, {"kind", MXPY_OBJECT, 0, NULL, {0}}}, true},
    {"depends", impl_depends,
     "Outputs equal to `inputs` that are computed only after `dependencies`.",
     {{"inputs", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}},
      {"dependencies", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}}},
     true},
    {"from_dlpack", impl_from_dlpack,
     "Create an array from an object that supports DLPack (the data is copied).",
     {{"x", MXPY_OBJECT, MXPY_POSONLY, NULL, {0}},
      {"copy", MXPY_BOOL, MXPY_KWONLY | MXPY_OPT | MXPY_NONE, "None", {0}}},
     true},
    {"set_printoptions", impl_set_printoptions,
     "Set the global printing precision for array formatting.", {PRECISION}, true},
    {"get_printoptions", impl_get_printoptions,
     "The print options in effect (a PrintOptions snapshot).", {{0}}, true},
    {"printoptions", impl_printoptions,
     "Context manager that sets the print options while its block runs.", {PRECISION}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

/* --- module init: types and constants ------------------------------------------------- */

int mxpy_misc_init(PyObject* m) {
  if (PyType_Ready(&printoptions_type) < 0 || PyType_Ready(&printctx_type) < 0) return -1;
  Py_INCREF(&printoptions_type);
  if (PyModule_AddObject(m, "PrintOptions", (PyObject*)&printoptions_type) < 0) return -1;
  Py_INCREF(&printctx_type);
  if (PyModule_AddObject(m, "_PrintOptionsContext", (PyObject*)&printctx_type) < 0) return -1;
  const struct {
    const char* name;
    double value;
  } consts[] = {
      {"e", 2.718281828459045},      {"pi", 3.141592653589793},   {"inf", INFINITY},
      {"nan", NAN},                  {"euler_gamma", 0.5772156649015329},
  };
  for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++) {
    PyObject* f = PyFloat_FromDouble(consts[i].value);
    if (!f || PyModule_AddObject(m, consts[i].name, f) < 0) {
      Py_XDECREF(f);
      return -1;
    }
  }
  Py_INCREF(Py_None);
  if (PyModule_AddObject(m, "newaxis", Py_None) < 0) {
    Py_DECREF(Py_None);
    return -1;
  }
  return mxpy_array_extras_init(&mxpy_array_type);
}
