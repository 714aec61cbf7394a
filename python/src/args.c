/* The table-driven binding layer.
 *
 * Every mlx.core function is described by an mxpy_fn: its MLX name, its
 * parameters (name, type, positional-only / keyword-only, default) and a
 * small implementation that receives already converted values.  One parser
 * here handles positional and keyword arguments, defaults, the keyword-only
 * `stream=` every op takes, conversion errors and cleanup, so adding an op is
 * one table row and a few lines of implementation.
 *
 * Each table row becomes a builtin function whose `self` is a capsule
 * pointing at the row; methods of mx.array are the same functions wrapped in
 * instancemethod descriptors, so `a.sum(1)` calls sum's row with `a` first.
 * The generated docstring carries a __text_signature__ so inspect.signature
 * and help() show MLX's signature. */
#include "mlxpy.h"

#include <string.h>

static const char* const capsule_name = "mlx.core.fn";

/* --- single-object converters ---------------------------------------------- */

void mxpy_ints_free(mxpy_ints* v) {
  if (v->v && v->v != v->small) free(v->v);
  v->v = v->small;
  v->n = 0;
}

/* One Python integer as a 32-bit shape entry or axis (MLX's shape type). */
static int int32_from(PyObject* item, const char* what, int* out) {
  if (!PyIndex_Check(item)) {
    PyErr_Format(PyExc_TypeError, "%s must contain integers, not %.100s.", what,
                 Py_TYPE(item)->tp_name);
    return -1;
  }
  PyObject* idx = PyNumber_Index(item);
  if (!idx) return -1;
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(idx, &overflow);
  Py_DECREF(idx);
  if (v == -1 && PyErr_Occurred()) return -1;
  if (overflow || v < INT32_MIN || v > INT32_MAX) {
    PyErr_Format(PyExc_OverflowError,
                 "Integer value in %s is outside the supported range [-2147483648, 2147483647]; "
                 "shapes and axes are 32-bit integers as in MLX.",
                 what);
    return -1;
  }
  *out = (int)v;
  return 0;
}

int mxpy_parse_ints(PyObject* obj, const char* what, bool allow_int, mxpy_ints* out) {
  out->v = out->small;
  out->n = 0;
  if (allow_int && PyIndex_Check(obj) && !mxpy_is_array(obj)) {
    out->n = 1;
    return int32_from(obj, what, &out->v[0]);
  }
  if (PyUnicode_Check(obj) || PyBytes_Check(obj) || !PySequence_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s must be %sa sequence of integers, not %.100s.", what,
                 allow_int ? "an integer or " : "", Py_TYPE(obj)->tp_name);
    return -1;
  }
  PyObject* seq = PySequence_Fast(obj, what);
  if (!seq) return -1;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  if (n > (Py_ssize_t)(sizeof out->small / sizeof out->small[0])) {
    out->v = malloc((size_t)n * sizeof(int));
    if (!out->v) {
      out->v = out->small;
      Py_DECREF(seq);
      PyErr_NoMemory();
      return -1;
    }
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    if (int32_from(PySequence_Fast_GET_ITEM(seq, i), what, &out->v[i]) != 0) {
      Py_DECREF(seq);
      mxpy_ints_free(out);
      return -1;
    }
  }
  out->n = (int)n;
  Py_DECREF(seq);
  return 0;
}

int mxpy_parse_dtype(PyObject* obj, const char* what, bool allow_none, int* out) {
  if (allow_none && obj == Py_None) {
    *out = -1;
    return 0;
  }
  if (!mxpy_is_dtype(obj)) {
    PyErr_Format(PyExc_TypeError, "%s must be an mlx.core.Dtype%s, not %.100s.", what,
                 allow_none ? " or None" : "", Py_TYPE(obj)->tp_name);
    return -1;
  }
  *out = (int)((mxpy_dtype*)obj)->dtype;
  return 0;
}

/* --- the parser ------------------------------------------------------------ */

static int count_params(const mxpy_fn* fn) {
  int n = 0;
  while (n < MXPY_MAX_PARAMS && fn->params[n].name) n++;
  return n;
}

static void set_default(const mxpy_param* p, mxpy_value* v) {
  *v = p->def;
  v->given = false;
  v->obj = NULL;
  v->a = NULL;
  v->ints.v = v->ints.small;
  v->ints.n = 0;
  /* A None default is the only way a defaulted AXES/DTYPE value is None. */
  if (p->def_text && strcmp(p->def_text, "None") == 0) {
    v->none = true;
    if (p->type == MXPY_DTYPE) v->dtype = -1;
  }
}

static int convert(const mxpy_fn* fn, const mxpy_param* p, PyObject* obj, mxpy_value* v) {
  char what[160];
  snprintf(what, sizeof what, "%s(): argument '%s'", fn->name, p->name);
  memset(v, 0, sizeof *v);
  v->ints.v = v->ints.small;
  v->given = true;
  v->obj = obj;
  if (obj == Py_None && (p->flags & MXPY_NONE)) {
    v->none = true;
    v->dtype = -1;
    return 0;
  }
  switch (p->type) {
    case MXPY_ARRAY:
      if (!mxpy_is_array(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an mlx.core.array, not %.100s.", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
      }
      v->a = mxpy_arr(obj);
      mx_array_retain(v->a);
      return 0;
    case MXPY_SCALAR_OR_ARRAY:
      v->a = mxpy_to_array(obj, -1, false);
      return v->a ? 0 : -1;
    case MXPY_OBJECT:
      return 0;
    case MXPY_AXES:
      return mxpy_parse_ints(obj, what, true, &v->ints);
    case MXPY_SHAPE:
      return mxpy_parse_ints(obj, what, false, &v->ints);
    case MXPY_SHAPE_OR_INT:
      return mxpy_parse_ints(obj, what, true, &v->ints);
    case MXPY_INT: {
      if (!PyIndex_Check(obj) || PyBool_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an integer, not %.100s.", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
      }
      PyObject* idx = PyNumber_Index(obj);
      if (!idx) return -1;
      long long i = PyLong_AsLongLong(idx);
      Py_DECREF(idx);
      if (i == -1 && PyErr_Occurred()) return -1;
      v->i = i;
      return 0;
    }
    case MXPY_FLOAT:
      if (!PyFloat_Check(obj) && !PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a number, not %.100s.", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
      }
      v->f = PyFloat_AsDouble(obj);
      return (v->f == -1.0 && PyErr_Occurred()) ? -1 : 0;
    case MXPY_BOOL:
      if (!PyBool_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a bool, not %.100s.", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
      }
      v->b = obj == Py_True;
      return 0;
    case MXPY_DTYPE:
      return mxpy_parse_dtype(obj, what, (p->flags & MXPY_NONE) != 0, &v->dtype);
  }
  PyErr_SetString(PyExc_SystemError, "mlx.core: unknown parameter type");
  return -1;
}

static void release_values(mxpy_value* v, int n) {
  for (int i = 0; i < n; i++) {
    if (v[i].a) mx_array_release(v[i].a);
    v[i].a = NULL;
    mxpy_ints_free(&v[i].ints);
  }
}

PyObject* mxpy_call(const mxpy_fn* fn, PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                    PyObject* kwnames) {
  const int np = count_params(fn);
  PyObject* objs[MXPY_MAX_PARAMS] = {0};
  PyObject* stream_obj = NULL;
  int pos = 0;
  if (self) objs[pos++] = self;
  for (Py_ssize_t i = 0; i < nargs; i++, pos++) {
    if (pos >= np || (fn->params[pos].flags & MXPY_KWONLY)) {
      int max = 0;
      while (max < np && !(fn->params[max].flags & MXPY_KWONLY)) max++;
      PyErr_Format(PyExc_TypeError, "%s() takes at most %d positional argument%s (%zd given).",
                   fn->name, max, max == 1 ? "" : "s", nargs + (self ? 1 : 0));
      return NULL;
    }
    objs[pos] = args[i];
  }
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; k++) {
    PyObject* name = PyTuple_GET_ITEM(kwnames, k);
    PyObject* value = args[nargs + k];
    if (!fn->no_stream && PyUnicode_CompareWithASCIIString(name, "stream") == 0) {
      stream_obj = value;
      continue;
    }
    int j = self ? 1 : 0;
    for (; j < np; j++)
      if (!(fn->params[j].flags & MXPY_POSONLY) &&
          PyUnicode_CompareWithASCIIString(name, fn->params[j].name) == 0)
        break;
    if (j == np) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'.", fn->name,
                   name);
      return NULL;
    }
    if (objs[j]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'.", fn->name,
                   fn->params[j].name);
      return NULL;
    }
    objs[j] = value;
  }
  for (int j = 0; j < np; j++) {
    if (!objs[j] && !(fn->params[j].flags & MXPY_OPT)) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'.", fn->name,
                   fn->params[j].name);
      return NULL;
    }
  }

  mxpy_value v[MXPY_MAX_PARAMS];
  int done = 0;
  for (; done < np; done++) {
    if (!objs[done]) {
      set_default(&fn->params[done], &v[done]);
    } else if (convert(fn, &fn->params[done], objs[done], &v[done]) != 0) {
      release_values(v, done + 1);
      return NULL;
    }
  }
  mx_stream s = {0};
  if (!fn->no_stream && mxpy_to_stream(stream_obj, &s) != 0) {
    release_values(v, np);
    return NULL;
  }
  PyObject* result = fn->impl(v, s);
  release_values(v, np);
  return result;
}

/* --- registration ---------------------------------------------------------- */

static PyObject* trampoline(PyObject* capsule, PyObject* const* args, Py_ssize_t nargs,
                            PyObject* kwnames) {
  const mxpy_fn* fn = PyCapsule_GetPointer(capsule, capsule_name);
  if (!fn) return NULL;
  return mxpy_call(fn, NULL, args, nargs, kwnames);
}

/* Appends printf-style text to a growing buffer; returns -1 on overflow. */
static int append(char* buf, size_t cap, size_t* len, const char* fmt, const char* s) {
  int n = snprintf(buf + *len, cap - *len, fmt, s);
  if (n < 0 || (size_t)n >= cap - *len) return -1;
  *len += (size_t)n;
  return 0;
}

/* "name($module, a, /, axis=None, *, stream=None)\n--\n\n" + doc.  The
 * memory lives as long as the process (builtin functions keep pointers). */
static char* make_doc(const mxpy_fn* fn) {
  size_t cap = 1024 + (fn->doc ? strlen(fn->doc) : 0);
  char* buf = malloc(cap);
  if (!buf) return NULL;
  size_t len = 0;
  int np = count_params(fn);
  bool slash_pending = false, star_done = false;
  int rc = append(buf, cap, &len, "%s($module", fn->name);
  for (int j = 0; j < np && rc == 0; j++) {
    const mxpy_param* p = &fn->params[j];
    if (slash_pending && !(p->flags & MXPY_POSONLY)) {
      rc |= append(buf, cap, &len, "%s", ", /");
      slash_pending = false;
    }
    if ((p->flags & MXPY_KWONLY) && !star_done) {
      rc |= append(buf, cap, &len, "%s", ", *");
      star_done = true;
    }
    rc |= append(buf, cap, &len, ", %s", p->name);
    if (p->flags & MXPY_OPT) rc |= append(buf, cap, &len, "=%s", p->def_text ? p->def_text : "None");
    if (p->flags & MXPY_POSONLY) slash_pending = true;
  }
  if (slash_pending) rc |= append(buf, cap, &len, "%s", ", /");
  if (!fn->no_stream) rc |= append(buf, cap, &len, "%s", star_done ? ", stream=None" : ", *, stream=None");
  rc |= append(buf, cap, &len, "%s", ")\n--\n\n");
  if (fn->doc) rc |= append(buf, cap, &len, "%s", fn->doc);
  if (rc) {
    free(buf);
    PyErr_SetString(PyExc_SystemError, "mlx.core: docstring too long");
    return NULL;
  }
  return buf;
}

static PyObject* make_function(const mxpy_fn* fn) {
  PyMethodDef* def = calloc(1, sizeof *def);
  if (!def) return PyErr_NoMemory();
  def->ml_name = fn->name;
  def->ml_meth = (PyCFunction)(void (*)(void))trampoline;
  def->ml_flags = METH_FASTCALL | METH_KEYWORDS;
  def->ml_doc = make_doc(fn);
  if (!def->ml_doc) {
    free(def);
    return NULL;
  }
  PyObject* cap = PyCapsule_New((void*)fn, capsule_name, NULL);
  if (!cap) return NULL;
  PyObject* modname = PyUnicode_FromString(MLXPY_MODULE);
  PyObject* f = modname ? PyCFunction_NewEx(def, cap, modname) : NULL;
  Py_XDECREF(modname);
  Py_DECREF(cap);
  return f;
}

int mxpy_add_functions(PyObject* module, const mxpy_fn* fns) {
  for (const mxpy_fn* fn = fns; fn->name; fn++) {
    PyObject* f = make_function(fn);
    if (!f || PyModule_AddObject(module, fn->name, f) != 0) {
      Py_XDECREF(f);
      return -1;
    }
  }
  return 0;
}

int mxpy_add_methods(PyTypeObject* type, const mxpy_fn* fns) {
  for (const mxpy_fn* fn = fns; fn->name; fn++) {
    PyObject* f = make_function(fn);
    if (!f) return -1;
    PyObject* m = PyInstanceMethod_New(f);
    Py_DECREF(f);
    if (!m) return -1;
    int rc = PyDict_SetItemString(type->tp_dict, fn->name, m);
    Py_DECREF(m);
    if (rc != 0) return -1;
  }
  PyType_Modified(type);
  return 0;
}
