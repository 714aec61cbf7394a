/* The memory API: mlx.core.get_active_memory ... clear_cache, and the
 * deprecated mlx.core.metal.* aliases MLX 0.32 still has (they print a
 * deprecation notice to stderr and forward, as MLX's do). */
#include "mlxpy.h"

PyObject* mxpy_submodule(PyObject* parent, const char* name); /* module.c */

static PyObject* size_result(size_t v) { return PyLong_FromSize_t(v); }

/* A byte count argument: a non-negative int. */
static int parse_limit(PyObject* obj, const char* fn, size_t* out) {
  if (!PyLong_Check(obj) || PyBool_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument 'limit' must be an int, not %.100s.", fn,
                 Py_TYPE(obj)->tp_name);
    return -1;
  }
  size_t v = PyLong_AsSize_t(obj);
  if (v == (size_t)-1 && PyErr_Occurred()) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s(): argument 'limit' must be a non-negative int that fits in 64 bits.", fn);
    return -1;
  }
  *out = v;
  return 0;
}

static PyObject* f_get_active_memory(mxpy_value* v, mx_stream s) { return size_result(mx_memory_active()); }
static PyObject* f_get_peak_memory(mxpy_value* v, mx_stream s) { return size_result(mx_memory_peak()); }
static PyObject* f_get_cache_memory(mxpy_value* v, mx_stream s) { return size_result(mx_memory_cache()); }
static PyObject* f_get_memory_limit(mxpy_value* v, mx_stream s) { return size_result(mx_memory_limit()); }

static PyObject* f_reset_peak_memory(mxpy_value* v, mx_stream s) {
  mx_memory_reset_peak();
  Py_RETURN_NONE;
}

static PyObject* f_clear_cache(mxpy_value* v, mx_stream s) {
  mx_memory_clear_cache();
  Py_RETURN_NONE;
}

static PyObject* f_set_memory_limit(mxpy_value* v, mx_stream s) {
  size_t limit;
  if (parse_limit(v[0].obj, "set_memory_limit", &limit) != 0) return NULL;
  return size_result(mx_memory_set_limit(limit));
}

static PyObject* f_set_cache_limit(mxpy_value* v, mx_stream s) {
  size_t limit;
  if (parse_limit(v[0].obj, "set_cache_limit", &limit) != 0) return NULL;
  return size_result(mx_memory_set_cache_limit(limit));
}

static PyObject* f_set_wired_limit(mxpy_value* v, mx_stream s) {
  size_t limit;
  if (parse_limit(v[0].obj, "set_wired_limit", &limit) != 0) return NULL;
  return size_result(mx_memory_set_wired_limit(limit));
}

#define LIMIT_PARAM {{"limit", MXPY_OBJECT, 0, NULL, {0}}}

static const mxpy_fn memory_fns[] = {
    {"get_active_memory", f_get_active_memory,
     "Get the actively used memory in bytes.\n\n"
     "This does not include cached memory, which can be reused without a new allocation.",
     {{0}}, true},
    {"get_peak_memory", f_get_peak_memory,
     "Get the peak amount of used memory in bytes since the program started or since\n"
     ":func:`reset_peak_memory` was last called.",
     {{0}}, true},
    {"reset_peak_memory", f_reset_peak_memory, "Reset the peak memory to zero.", {{0}}, true},
    {"get_cache_memory", f_get_cache_memory,
     "Get the cache size in bytes: memory not in use that the allocator keeps for reuse.",
     {{0}}, true},
    {"get_memory_limit", f_get_memory_limit, "Get the memory limit in bytes.", {{0}}, true},
    {"set_memory_limit", f_set_memory_limit,
     "Set the memory limit (a guideline for the most memory evaluation uses) and return\n"
     "the previous limit in bytes.",
     LIMIT_PARAM, true},
    {"set_cache_limit", f_set_cache_limit,
     "Set the free cache limit and return the previous one in bytes. Freed memory\n"
     "beyond the limit goes back to the system; 0 disables the cache.",
     LIMIT_PARAM, true},
    {"set_wired_limit", f_set_wired_limit,
     "Set the wired size limit and return the previous one in bytes. Only macOS wires\n"
     "memory; elsewhere the value is kept and has no effect.",
     LIMIT_PARAM, true},
    {"clear_cache", f_clear_cache, "Clear the memory cache.", {{0}}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

/* --- deprecated mlx.core.metal aliases --------------------------------------- */

/* Each alias prints MLX's notice, then forwards to the mlx.core function of
 * the same name.  `self` is that function. */
static PyObject* deprecated_call(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                 PyObject* kwnames) {
  PyObject* name = PyObject_GetAttrString(self, "__name__");
  if (!name) return NULL;
  PySys_FormatStderr(
      "mx.metal.%U is deprecated and will be removed in a future version. Use mx.%U instead.\n",
      name, name);
  Py_DECREF(name);
  return PyObject_Vectorcall(self, args, (size_t)nargs, kwnames);
}

static PyMethodDef deprecated_def = {"deprecated", (PyCFunction)(void (*)(void))deprecated_call,
                                     METH_FASTCALL | METH_KEYWORDS,
                                     "Deprecated alias of the mlx.core function of the same name."};

int mxpy_memory_init(PyObject* module) {
  if (mxpy_add_functions(module, memory_fns) < 0) return -1;
  PyObject* metal = mxpy_submodule(module, "metal");
  if (!metal) return -1;
  static const char* const aliases[] = {"get_active_memory", "get_peak_memory", "reset_peak_memory",
                                        "get_cache_memory", "set_memory_limit", "set_cache_limit",
                                        "set_wired_limit", "clear_cache", "device_info"};
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    PyObject* target = PyObject_GetAttrString(module, aliases[i]);
    if (!target) return -1;
    /* Each alias gets its own method def (for its __name__); the target
     * function rides along as `self`.  The defs live for the process. */
    PyMethodDef* def = malloc(sizeof *def);
    if (!def) {
      Py_DECREF(target);
      PyErr_NoMemory();
      return -1;
    }
    *def = deprecated_def;
    def->ml_name = aliases[i];
    PyObject* f = PyCFunction_New(def, target);
    Py_DECREF(target);
    if (!f || PyModule_AddObject(metal, aliases[i], f) < 0) {
      Py_XDECREF(f);
      return -1;
    }
  }
  return 0;
}
