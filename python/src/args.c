/* The table-driven binding layer.
 *
 * Every mlx.core function is described by an mxpy_fn: its MLX name, its
 * parameters (name, type, positional-only / keyword-only, default) and a
 * small implementation that receives already converted values.  One parser
 * here handles positional and keyword arguments, defaults, the keyword-only
 * `stream=` every op takes, conversion errors and cleanup, so adding an op is
 * one table row and a few lines of implementation.
 *
 * Each table row becomes an mlx.core function object (below) that calls
 * the parser with its row; the same objects serve as methods of mx.array,
 * binding like Python functions, so `a.sum(1)` calls sum's row with `a`
 * first. */
#include "mlxpy.h"

#include <string.h>

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
    case MXPY_VARARGS:
      return 0;
    case MXPY_AXES:
      return mxpy_parse_ints(obj, what, true, &v->ints);
    case MXPY_SHAPE:
      return mxpy_parse_ints(obj, what, false, &v->ints);
    case MXPY_SHAPE_OR_INT:
      return mxpy_parse_ints(obj, what, true, &v->ints);
    case MXPY_INT: {
      /* bool is an int subclass, and MLX's binding takes True/False for any
       * integer argument (conv2d(..., stride=True) is stride 1). */
      if (!PyIndex_Check(obj)) {
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
      /* Like MLX's bindings, anything with __float__ (a one-element array,
       * a NumPy scalar) is a number here. */
      if (!PyFloat_Check(obj) && !PyLong_Check(obj) &&
          !(Py_TYPE(obj)->tp_as_number && Py_TYPE(obj)->tp_as_number->nb_float)) {
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
  PyObject* varargs = NULL; /* owned: the tuple of a VARARGS parameter */
  int pos = 0;
  if (self) objs[pos++] = self;
  for (Py_ssize_t i = 0; i < nargs; i++, pos++) {
    if (pos < np && fn->params[pos].type == MXPY_VARARGS) {
      varargs = PyTuple_New(nargs - i);
      if (!varargs) return NULL;
      for (Py_ssize_t k = i; k < nargs; k++) PyTuple_SET_ITEM(varargs, k - i, Py_NewRef(args[k]));
      objs[pos] = varargs;
      break;
    }
    if (pos >= np || (fn->params[pos].flags & MXPY_KWONLY)) {
      int max = 0;
      while (max < np && !(fn->params[max].flags & MXPY_KWONLY) &&
             fn->params[max].type != MXPY_VARARGS)
        max++;
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
      if (!(fn->params[j].flags & MXPY_POSONLY) && fn->params[j].type != MXPY_VARARGS &&
          PyUnicode_CompareWithASCIIString(name, fn->params[j].name) == 0)
        break;
    if (j == np) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'.", fn->name,
                   name);
      Py_XDECREF(varargs);
      return NULL;
    }
    if (objs[j]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'.", fn->name,
                   fn->params[j].name);
      Py_XDECREF(varargs);
      return NULL;
    }
    objs[j] = value;
  }
  for (int j = 0; j < np; j++) {
    if (!objs[j] && fn->params[j].type == MXPY_VARARGS) {
      varargs = PyTuple_New(0);
      if (!varargs) return NULL;
      objs[j] = varargs;
    }
    if (!objs[j] && !(fn->params[j].flags & MXPY_OPT)) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'.", fn->name,
                   fn->params[j].name);
      Py_XDECREF(varargs);
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
      Py_XDECREF(varargs);
      return NULL;
    }
  }
  mx_stream s = {0};
  if (!fn->no_stream && mxpy_to_stream(stream_obj, &s) != 0) {
    release_values(v, np);
    Py_XDECREF(varargs);
    return NULL;
  }
  PyObject* result = fn->impl(v, s);
  release_values(v, np);
  Py_XDECREF(varargs);
  return result;
}

/* --- the function type ----------------------------------------------------
 *
 * Each table row becomes an mlx.core function object: a callable with
 * vectorcall (no argument tuples are built), __name__, __doc__, __module__,
 * __text_signature__ and an inspect.Signature built from the row, so help()
 * and inspect.signature() show MLX's signature.  Used as a class attribute it
 * binds like a Python function, which is how array methods are made. */

typedef struct {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  const mxpy_fn* fn;
  PyObject* name;      /* str */
  PyObject* doc;       /* str: the text after the signature header */
  PyObject* text_sig;  /* str: "(a, /, axis=None, ...)" */
  PyObject* signature; /* inspect.Signature, built on first use */
} function_object;

static PyObject* function_vectorcall(PyObject* self, PyObject* const* args, size_t nargsf,
                                     PyObject* kwnames) {
  function_object* f = (function_object*)self;
  return mxpy_call(f->fn, NULL, args, PyVectorcall_NARGS(nargsf), kwnames);
}

static void function_dealloc(PyObject* self) {
  function_object* f = (function_object*)self;
  Py_XDECREF(f->name);
  Py_XDECREF(f->doc);
  Py_XDECREF(f->text_sig);
  Py_XDECREF(f->signature);
  Py_TYPE(self)->tp_free(self);
}

static PyObject* function_repr(PyObject* self) {
  return PyUnicode_FromFormat("<mlx.core function %U>", ((function_object*)self)->name);
}

/* Binding: a function stored in a class becomes a bound method on instances. */
static PyObject* function_descr_get(PyObject* self, PyObject* obj, PyObject* type) {
  if (!obj || obj == Py_None) return Py_NewRef(self);
  return PyMethod_New(self, obj);
}

/* Builds the inspect.Signature of the row.  Defaults are the Python values
 * of their texts, looked up in mlx.core (so "float32" is mx.float32). */
static PyObject* build_signature(function_object* f) {
  PyObject *inspect = NULL, *param_cls = NULL, *sig_cls = NULL, *params = NULL, *core = NULL;
  PyObject* result = NULL;
  inspect = PyImport_ImportModule("inspect");
  core = PyImport_ImportModule(MLXPY_MODULE);
  if (!inspect || !core) goto done;
  param_cls = PyObject_GetAttrString(inspect, "Parameter");
  sig_cls = PyObject_GetAttrString(inspect, "Signature");
  params = PyList_New(0);
  if (!param_cls || !sig_cls || !params) goto done;
  const mxpy_fn* fn = f->fn;
  int np = count_params(fn);
  for (int j = 0; j <= np; j++) {
    const char* name;
    const char* kind_name;
    const char* def_text = NULL;
    if (j == np) {
      if (fn->no_stream) break;
      name = "stream", kind_name = "KEYWORD_ONLY", def_text = "None";
    } else {
      const mxpy_param* p = &fn->params[j];
      name = p->name;
      kind_name = p->type == MXPY_VARARGS    ? "VAR_POSITIONAL"
                  : (p->flags & MXPY_POSONLY) ? "POSITIONAL_ONLY"
                  : (p->flags & MXPY_KWONLY)  ? "KEYWORD_ONLY"
                                              : "POSITIONAL_OR_KEYWORD";
      if ((p->flags & MXPY_OPT) && p->type != MXPY_VARARGS)
        def_text = p->def_text ? p->def_text : "None";
    }
    PyObject* kind = PyObject_GetAttrString(param_cls, kind_name);
    PyObject* kwargs = PyDict_New();
    PyObject* def = NULL;
    if (def_text) {
      PyObject* globals = PyModule_GetDict(core); /* borrowed */
      def = PyRun_String(def_text, Py_eval_input, globals, globals);
    }
    PyObject* args = kind ? Py_BuildValue("(sO)", name, kind) : NULL;
    int ok = args && kwargs && (!def_text || (def && PyDict_SetItemString(kwargs, "default", def) == 0));
    PyObject* param = ok ? PyObject_Call(param_cls, args, kwargs) : NULL;
    Py_XDECREF(kind);
    Py_XDECREF(kwargs);
    Py_XDECREF(def);
    Py_XDECREF(args);
    if (!param || PyList_Append(params, param) != 0) {
      Py_XDECREF(param);
      goto done;
    }
    Py_DECREF(param);
  }
  result = PyObject_CallFunctionObjArgs(sig_cls, params, NULL);
done:
  Py_XDECREF(inspect);
  Py_XDECREF(core);
  Py_XDECREF(param_cls);
  Py_XDECREF(sig_cls);
  Py_XDECREF(params);
  return result;
}

static PyObject* get_signature(PyObject* self, void* c) {
  function_object* f = (function_object*)self;
  if (!f->signature) f->signature = build_signature(f);
  return Py_XNewRef(f->signature);
}

static PyObject* get_name(PyObject* self, void* c) { return Py_NewRef(((function_object*)self)->name); }
static PyObject* get_doc(PyObject* self, void* c) { return Py_NewRef(((function_object*)self)->doc); }
static PyObject* get_text_sig(PyObject* self, void* c) {
  return Py_NewRef(((function_object*)self)->text_sig);
}
static PyObject* get_module(PyObject* self, void* c) { return PyUnicode_FromString(MLXPY_MODULE); }

static PyObject* function_reduce(PyObject* self, PyObject* unused) {
  /* Pickled by name, like builtin functions. */
  return Py_NewRef(((function_object*)self)->name);
}

static PyGetSetDef function_getset[] = {
    {"__name__", get_name, NULL, NULL, NULL},
    {"__qualname__", get_name, NULL, NULL, NULL},
    {"__doc__", get_doc, NULL, NULL, NULL},
    {"__text_signature__", get_text_sig, NULL, NULL, NULL},
    {"__signature__", get_signature, NULL, NULL, NULL},
    {"__module__", get_module, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef function_methods[] = {
    {"__reduce__", function_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject function_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.function",
    .tp_basicsize = sizeof(function_object),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_vectorcall_offset = offsetof(function_object, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_dealloc = function_dealloc,
    .tp_repr = function_repr,
    .tp_descr_get = function_descr_get,
    .tp_getset = function_getset,
    .tp_methods = function_methods,
};

/* Appends printf-style text to a buffer; returns -1 on overflow. */
static int append(char* buf, size_t cap, size_t* len, const char* fmt, const char* s) {
  int n = snprintf(buf + *len, cap - *len, fmt, s);
  if (n < 0 || (size_t)n >= cap - *len) return -1;
  *len += (size_t)n;
  return 0;
}

/* "(a, /, axis=None, *, stream=None)" for __text_signature__. */
static PyObject* make_text_signature(const mxpy_fn* fn) {
  char buf[1024];
  size_t len = 0;
  int np = count_params(fn);
  bool slash_pending = false, star_done = false;
  int rc = append(buf, sizeof buf, &len, "%s", "(");
  for (int j = 0; j < np && rc == 0; j++) {
    const mxpy_param* p = &fn->params[j];
    if (slash_pending && !(p->flags & MXPY_POSONLY)) {
      rc |= append(buf, sizeof buf, &len, "%s", ", /");
      slash_pending = false;
    }
    if ((p->flags & MXPY_KWONLY) && !star_done) {
      rc |= append(buf, sizeof buf, &len, "%s", j ? ", *" : "*");
      star_done = true;
    }
    if (p->type == MXPY_VARARGS) {
      /* "*arrays": what follows is keyword-only without a bare "*". */
      rc |= append(buf, sizeof buf, &len, j ? ", *%s" : "*%s", p->name);
      star_done = true;
      continue;
    }
    rc |= append(buf, sizeof buf, &len, j || star_done ? ", %s" : "%s", p->name);
    if (p->flags & MXPY_OPT)
      rc |= append(buf, sizeof buf, &len, "=%s", p->def_text ? p->def_text : "None");
    if (p->flags & MXPY_POSONLY) slash_pending = true;
  }
  if (slash_pending) rc |= append(buf, sizeof buf, &len, "%s", ", /");
  if (!fn->no_stream)
    rc |= append(buf, sizeof buf, &len, "%s",
                 star_done ? ", stream=None" : (np ? ", *, stream=None" : "*, stream=None"));
  rc |= append(buf, sizeof buf, &len, "%s", ")");
  if (rc) {
    PyErr_SetString(PyExc_SystemError, "mlx.core: signature too long");
    return NULL;
  }
  return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
}

static PyObject* make_function(const mxpy_fn* fn) {
  if (PyType_Ready(&function_type) < 0) return NULL;
  function_object* f = PyObject_New(function_object, &function_type);
  if (!f) return NULL;
  f->vectorcall = function_vectorcall;
  f->fn = fn;
  f->signature = NULL;
  f->name = PyUnicode_FromString(fn->name);
  f->text_sig = make_text_signature(fn);
  f->doc = f->text_sig ? PyUnicode_FromFormat("%s%U\n\n%s", fn->name, f->text_sig, fn->doc ? fn->doc : "")
                       : NULL;
  if (!f->name || !f->text_sig || !f->doc) {
    Py_DECREF(f);
    return NULL;
  }
  return (PyObject*)f;
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
    int rc = PyDict_SetItemString(type->tp_dict, fn->name, f);
    Py_DECREF(f);
    if (rc != 0) return -1;
  }
  PyType_Modified(type);
  return 0;
}
