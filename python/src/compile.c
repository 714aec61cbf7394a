/* mx.compile(fun, inputs=None, outputs=None, shapeless=False), and
 * mx.disable_compile / mx.enable_compile.
 *
 * A compiled function keeps one trace per signature: the tree structure of
 * its arguments, each array's dtype and shape (only its rank when
 * shapeless), the values of non-array arguments, the arrays of the captured
 * `inputs` state, and the default stream.  `inputs` and `outputs` are trees
 * of containers (lists, dicts, nn.Module, an optimizer's state) that the
 * function reads and writes implicitly: during the trace their arrays are
 * swapped for placeholders, and after each call the arrays the function
 * stored in `outputs` are written back into those containers. */
#include "transforms_py.h"
#include "transforms/compile.h"
#include "ops/ops_random.h"

#include <string.h>

typedef struct compile_spec {
  PyObject* fun;
  PyObject* inputs;  /* state read, or NULL */
  PyObject* outputs; /* state written, or NULL */
  bool shapeless;
  PyObject* cache;   /* signature -> capsule(entry) */
} compile_spec;

typedef struct cache_entry {
  mx_compiled* compiled;
  PyObject* result_template; /* the traced function's return value */
  int n_fun_out;             /* arrays in it; the rest are state outputs */
} cache_entry;

static void entry_free(PyObject* capsule) {
  cache_entry* e = PyCapsule_GetPointer(capsule, "mlx.compile_entry");
  if (!e) return;
  mx_compiled_free(e->compiled);
  Py_XDECREF(e->result_template);
  free(e);
}

static void spec_free(PyObject* capsule) {
  compile_spec* s = PyCapsule_GetPointer(capsule, "mlx.compile_spec");
  if (!s) return;
  Py_XDECREF(s->fun);
  Py_XDECREF(s->inputs);
  Py_XDECREF(s->outputs);
  Py_XDECREF(s->cache);
  free(s);
}

/* --- signatures ---------------------------------------------------------------- */

/* A hashable description of a tree: containers by kind and size, arrays by
 * dtype and shape (or rank), other leaves by value (or identity when they
 * are not hashable). */
static PyObject* signature(PyObject* tree, bool shapeless) {
  if (PyList_Check(tree) || PyTuple_Check(tree)) {
    Py_ssize_t n = PySequence_Size(tree);
    PyObject* t = PyTuple_New(n + 1);
    if (!t) return NULL;
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString(PyList_Check(tree) ? "L" : "T"));
    for (Py_ssize_t i = 0; i < n; i++) {
      PyObject* item = PySequence_GetItem(tree, i);
      PyObject* s = item ? signature(item, shapeless) : NULL;
      Py_XDECREF(item);
      if (!s) {
        Py_DECREF(t);
        return NULL;
      }
      PyTuple_SET_ITEM(t, i + 1, s);
    }
    return t;
  }
  if (PyDict_Check(tree)) {
    PyObject* items = PyList_New(0);
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (items && PyDict_Next(tree, &pos, &k, &v)) {
      PyObject* s = signature(v, shapeless);
      PyObject* pair = s ? PyTuple_Pack(2, k, s) : NULL;
      Py_XDECREF(s);
      if (!pair || PyList_Append(items, pair) < 0) {
        Py_XDECREF(pair);
        Py_CLEAR(items);
        break;
      }
      Py_DECREF(pair);
    }
    if (!items) return NULL;
    PyObject* t = PyList_AsTuple(items);
    Py_DECREF(items);
    PyObject* r = t ? Py_BuildValue("(sN)", "D", t) : NULL;
    return r;
  }
  if (mxpy_is_array(tree)) {
    mx_array* a = mxpy_arr(tree);
    if (shapeless) return Py_BuildValue("(sii)", "A", (int)a->dtype, a->ndim);
    PyObject* shape = PyTuple_New(a->ndim);
    for (int d = 0; shape && d < a->ndim; d++) PyTuple_SET_ITEM(shape, d, PyLong_FromLong(a->shape[d]));
    return shape ? Py_BuildValue("(siN)", "A", (int)a->dtype, shape) : NULL;
  }
  if (PyObject_Hash(tree) == -1) {
    PyErr_Clear();
    return Py_BuildValue("(sn)", "O", (Py_ssize_t)(uintptr_t)tree);
  }
  return Py_BuildValue("(sOO)", "C", (PyObject*)Py_TYPE(tree), tree);
}

/* --- in-place updates of state containers --------------------------------------- */

/* mx.random.state is a read-only sequence over the library's global key,
 * not a list: as a state container its one leaf is read with state[0] and
 * written with mx_random_state_set, so a compiled sampler advances the key
 * (the trace sees a placeholder key, and the split key comes back out). */
static bool is_random_state(PyObject* o) {
  return strcmp(Py_TYPE(o)->tp_name, "mlx.core.random._RandomState") == 0;
}

/* mxpy_tree_flatten, plus the random state's key. */
static int state_flatten(PyObject* tree, PyObject* leaves) {
  if (is_random_state(tree)) {
    PyObject* k = PySequence_GetItem(tree, 0);
    int rc = k ? PyList_Append(leaves, k) : -1;
    Py_XDECREF(k);
    return rc;
  }
  if (PyList_Check(tree) || PyTuple_Check(tree)) {
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(tree); i++)
      if (state_flatten(PySequence_Fast_GET_ITEM(tree, i), leaves) < 0) return -1;
    return 0;
  }
  if (PyDict_Check(tree)) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(tree, &pos, &k, &v))
      if (state_flatten(v, leaves) < 0) return -1;
    return 0;
  }
  return mxpy_tree_flatten(tree, leaves, false, "compile");
}

/* Replaces the array leaves of `tree` in place with leaves[*next...]. */
static int tree_fill(PyObject* tree, PyObject* leaves, Py_ssize_t* next) {
  if (is_random_state(tree)) {
    if (*next >= PyList_GET_SIZE(leaves)) return 0;
    PyObject* v = PyList_GET_ITEM(leaves, (*next)++);
    if (!mxpy_is_array(v)) return 0;
    if (mx_random_state_set(mxpy_arr(v)) != 0) {
      mxpy_raise();
      return -1;
    }
    return 0;
  }
  if (PyList_Check(tree) || PyDict_Check(tree)) {
    PyObject* keys = PyList_Check(tree) ? NULL : PyDict_Keys(tree);
    Py_ssize_t n = keys ? PyList_GET_SIZE(keys) : PyList_GET_SIZE(tree);
    if (PyDict_Check(tree) && !keys) return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
      PyObject* key = keys ? PyList_GET_ITEM(keys, i) : NULL;
      PyObject* item = keys ? PyDict_GetItem(tree, key) : PyList_GET_ITEM(tree, i);
      if (mxpy_is_array(item)) {
        if (*next >= PyList_GET_SIZE(leaves)) break;
        PyObject* v = PyList_GET_ITEM(leaves, (*next)++);
        int rc = keys ? PyObject_SetItem(tree, key, v) : PyList_SetItem(tree, i, Py_NewRef(v));
        if (rc < 0) {
          Py_XDECREF(keys);
          return -1;
        }
      } else if (tree_fill(item, leaves, next) < 0) {
        Py_XDECREF(keys);
        return -1;
      }
    }
    Py_XDECREF(keys);
    return 0;
  }
  if (PyTuple_Check(tree)) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tree); i++) {
      PyObject* item = PyTuple_GET_ITEM(tree, i);
      if (mxpy_is_array(item)) {
        PyErr_SetString(PyExc_ValueError,
                        "[compile] The inputs and outputs state must be mutable trees (lists, "
                        "dicts, modules), not tuples holding arrays.");
        return -1;
      }
      if (tree_fill(item, leaves, next) < 0) return -1;
    }
  }
  return 0;
}

/* --- the traced call --------------------------------------------------------------- */

typedef struct trace_extra {
  compile_spec* spec;
  Py_ssize_t n_arg_leaves;
  PyObject* call_tree; /* (args, kwargs) */
  int n_fun_out;
} trace_extra;

static PyObject* call_traced(mxpy_traced* t, PyObject* leaves) {
  trace_extra* x = t->extra;
  Py_ssize_t next = 0;
  PyObject* rebuilt = mxpy_tree_unflatten(x->call_tree, leaves, &next);
  if (!rebuilt) return NULL;
  if (x->spec->inputs && tree_fill(x->spec->inputs, leaves, &next) < 0) {
    Py_DECREF(rebuilt);
    return NULL;
  }
  PyObject* args = PyTuple_GET_ITEM(rebuilt, 0);
  PyObject* kwargs = PyTuple_GET_ITEM(rebuilt, 1);
  PyObject* r = PyObject_Call(x->spec->fun, args, PyDict_Size(kwargs) ? kwargs : NULL);
  Py_DECREF(rebuilt);
  return r;
}

static PyObject* outputs_with_state(mxpy_traced* t, PyObject* result) {
  trace_extra* x = t->extra;
  PyObject* flat = PyList_New(0);
  if (!flat) return NULL;
  if (mxpy_tree_flatten(result, flat, false, "compile") < 0) {
    Py_DECREF(flat);
    return NULL;
  }
  x->n_fun_out = (int)PyList_GET_SIZE(flat);
  if (x->spec->outputs && state_flatten(x->spec->outputs, flat) < 0) {
    Py_DECREF(flat);
    return NULL;
  }
  return flat;
}

static PyObject* compiled_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  compile_spec* spec = PyCapsule_GetPointer(self, "mlx.compile_spec");
  if (!mx_compile_enabled()) return PyObject_Call(spec->fun, args, kwargs);
  PyObject* kw = kwargs ? Py_NewRef(kwargs) : PyDict_New();
  PyObject* call_tree = kw ? PyTuple_Pack(2, args, kw) : NULL;
  Py_XDECREF(kw);
  if (!call_tree) return NULL;
  PyObject* leaves = PyList_New(0);
  PyObject* key = NULL;
  PyObject* result = NULL;
  PyObject* state_orig = NULL;
  Py_ssize_t n_arg_leaves = 0;
  if (!leaves || mxpy_tree_flatten(call_tree, leaves, false, "compile") < 0) goto done;
  n_arg_leaves = PyList_GET_SIZE(leaves);
  if (spec->inputs && state_flatten(spec->inputs, leaves) < 0) goto done;
  {
    PyObject* sig_call = signature(call_tree, spec->shapeless);
    PyObject* sig_state = spec->inputs ? signature(spec->inputs, spec->shapeless) : Py_NewRef(Py_None);
    mx_stream s = mx_stream_for_default();
    key = sig_call && sig_state ? Py_BuildValue("(NNi)", sig_call, sig_state, s.index) : NULL;
    if (!key) {
      Py_XDECREF(sig_call);
      Py_XDECREF(sig_state);
      goto done;
    }
  }
  int n_in = 0;
  mx_array** inputs = NULL;
  if (mxpy_arrays_from_list(leaves, &n_in, &inputs) < 0) goto done;
  PyObject* cap = PyDict_GetItemWithError(spec->cache, key);
  cache_entry* entry = cap ? PyCapsule_GetPointer(cap, "mlx.compile_entry") : NULL;
  if (!entry) {
    if (PyErr_Occurred()) {
      mx_arrays_free(n_in, inputs);
      goto done;
    }
    trace_extra x = {.spec = spec, .n_arg_leaves = n_arg_leaves, .call_tree = call_tree};
    mxpy_traced t = {.fun = spec->fun, .who = "compile", .extra = &x,
                     .build_and_call = call_traced, .outputs_of = outputs_with_state};
    /* The state containers get placeholders during the trace; keep the real
     * arrays to put back. */
    if (spec->inputs) {
      state_orig = PyList_GetSlice(leaves, n_arg_leaves, PyList_GET_SIZE(leaves));
      if (!state_orig) {
        mx_arrays_free(n_in, inputs);
        goto done;
      }
    }
    mx_compiled* c = mx_compile_trace(mxpy_call_traced, &t, n_in, inputs, spec->shapeless);
    if (spec->inputs) {
      Py_ssize_t next = 0;
      PyObject* err_type, *err_val, *err_tb;
      PyErr_Fetch(&err_type, &err_val, &err_tb);
      if (tree_fill(spec->inputs, state_orig, &next) < 0) PyErr_Clear();
      PyErr_Restore(err_type, err_val, err_tb);
    }
    if (!c) {
      Py_XDECREF(t.result);
      mx_arrays_free(n_in, inputs);
      mxpy_transform_failed(&t);
      goto done;
    }
    entry = calloc(1, sizeof *entry);
    if (!entry) {
      mx_compiled_free(c);
      Py_XDECREF(t.result);
      mx_arrays_free(n_in, inputs);
      PyErr_NoMemory();
      goto done;
    }
    entry->compiled = c;
    entry->result_template = t.result;
    entry->n_fun_out = x.n_fun_out;
    PyObject* ncap = PyCapsule_New(entry, "mlx.compile_entry", entry_free);
    if (!ncap || PyDict_SetItem(spec->cache, key, ncap) < 0) {
      Py_XDECREF(ncap);
      mx_arrays_free(n_in, inputs);
      goto done;
    }
    Py_DECREF(ncap);
  }
  int n_out = 0;
  mx_array** outs = NULL;
  int rc = mx_compile_run(entry->compiled, n_in, inputs, &n_out, &outs);
  mx_arrays_free(n_in, inputs);
  if (rc != 0) {
    mxpy_raise();
    goto done;
  }
  PyObject* out_list = mxpy_list_from_arrays(n_out, outs);
  if (!out_list) goto done;
  Py_ssize_t next = 0;
  PyObject* fun_part = PyList_GetSlice(out_list, 0, entry->n_fun_out);
  result = fun_part ? mxpy_tree_unflatten(entry->result_template, fun_part, &next) : NULL;
  Py_XDECREF(fun_part);
  if (result && spec->outputs) {
    PyObject* state_part = PyList_GetSlice(out_list, entry->n_fun_out, n_out);
    Py_ssize_t snext = 0;
    if (!state_part || tree_fill(spec->outputs, state_part, &snext) < 0) Py_CLEAR(result);
    Py_XDECREF(state_part);
  }
  Py_DECREF(out_list);
done:
  Py_XDECREF(state_orig);
  Py_XDECREF(key);
  Py_XDECREF(leaves);
  Py_DECREF(call_tree);
  return result;
}

static PyMethodDef compiled_call_def = {"compiled_fn", (PyCFunction)(void (*)(void))compiled_call,
                                        METH_VARARGS | METH_KEYWORDS, NULL};

/* A capsule owning a new compile_spec with an empty cache (inputs and
 * outputs may be NULL), or NULL with an exception set. */
static PyObject* new_spec(PyObject* fun, PyObject* inputs, PyObject* outputs, bool shapeless) {
  compile_spec* s = calloc(1, sizeof *s);
  if (!s) return PyErr_NoMemory();
  s->fun = Py_NewRef(fun);
  s->inputs = Py_XNewRef(inputs);
  s->outputs = Py_XNewRef(outputs);
  s->shapeless = shapeless;
  s->cache = PyDict_New();
  PyObject* capsule = s->cache ? PyCapsule_New(s, "mlx.compile_spec", spec_free) : NULL;
  if (!capsule) {
    Py_XDECREF(s->fun);
    Py_XDECREF(s->inputs);
    Py_XDECREF(s->outputs);
    Py_XDECREF(s->cache);
    free(s);
  }
  return capsule;
}

static PyObject* py_compile(PyObject* m, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"fun", "inputs", "outputs", "shapeless", NULL};
  PyObject *fun, *inputs = Py_None, *outputs = Py_None;
  int shapeless = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOp", kwlist, &fun, &inputs, &outputs,
                                   &shapeless))
    return NULL;
  if (!PyCallable_Check(fun)) {
    PyErr_SetString(PyExc_TypeError, "[compile] The function argument must be callable.");
    return NULL;
  }
  PyObject* capsule = new_spec(fun, inputs == Py_None ? NULL : inputs,
                               outputs == Py_None ? NULL : outputs, shapeless);
  return capsule ? mxpy_make_callable(&compiled_call_def, capsule) : NULL;
}

static PyObject* py_disable_compile(PyObject* m, PyObject* unused) {
  mx_compile_set_enabled(false);
  Py_RETURN_NONE;
}

static PyObject* py_enable_compile(PyObject* m, PyObject* unused) {
  mx_compile_set_enabled(true);
  Py_RETURN_NONE;
}

/* mx._compile_stats(fun, *args, **kwargs): traces fun (a Python function,
 * or a compiled one: then with its shapeless flag and state) for these
 * arguments in a fresh cache, runs it once, and returns the trace's size
 * after simplification: {"steps", "groups", "fused_steps"}.  A private
 * helper for tests and benchmarks of the graph simplification. */
static PyObject* py_compile_stats(PyObject* m, PyObject* args, PyObject* kwargs) {
  if (PyTuple_GET_SIZE(args) < 1) {
    PyErr_SetString(PyExc_TypeError, "_compile_stats(fun, *args) needs a function.");
    return NULL;
  }
  PyObject* fun = PyTuple_GET_ITEM(args, 0);
  compile_spec* src = NULL;
  if (PyCFunction_Check(fun)) {
    PyObject* self = PyCFunction_GET_SELF(fun);
    if (self && PyCapsule_IsValid(self, "mlx.compile_spec"))
      src = PyCapsule_GetPointer(self, "mlx.compile_spec");
  }
  PyObject* capsule = src ? new_spec(src->fun, src->inputs, src->outputs, src->shapeless)
                          : new_spec(fun, NULL, NULL, false);
  if (!capsule) return NULL;
  compile_spec* s = PyCapsule_GetPointer(capsule, "mlx.compile_spec");
  PyObject* rest = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
  PyObject* r = rest ? compiled_call(capsule, rest, kwargs) : NULL;
  Py_XDECREF(rest);
  PyObject* out = NULL;
  if (r) {
    Py_DECREF(r);
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    if (PyDict_Size(s->cache) != 1 || !PyDict_Next(s->cache, &pos, &k, &v)) {
      PyErr_SetString(PyExc_RuntimeError, "[compile] Nothing was traced (is compile disabled?).");
    } else {
      cache_entry* e = PyCapsule_GetPointer(v, "mlx.compile_entry");
      int steps = 0, groups = 0, fused = 0;
      if (e) {
        mx_compiled_stats(e->compiled, &steps, &groups, &fused);
        out = Py_BuildValue("{s:i,s:i,s:i}", "steps", steps, "groups", groups, "fused_steps", fused);
      }
    }
  }
  Py_DECREF(capsule);
  return out;
}

static PyMethodDef compile_functions[] = {
    {"_compile_stats", (PyCFunction)(void (*)(void))py_compile_stats, METH_VARARGS | METH_KEYWORDS,
     "_compile_stats(fun, *args, **kwargs): steps, fused groups and fused steps of fun's trace."},
    {"compile", (PyCFunction)(void (*)(void))py_compile, METH_VARARGS | METH_KEYWORDS,
     "compile(fun, inputs=None, outputs=None, shapeless=False): a compiled version of fun."},
    {"disable_compile", py_disable_compile, METH_NOARGS,
     "disable_compile(): compiled functions run uncompiled from now on."},
    {"enable_compile", py_enable_compile, METH_NOARGS,
     "enable_compile(): compiled functions are compiled again."},
    {NULL, NULL, 0, NULL},
};

int mxpy_compile_init(PyObject* module) { return PyModule_AddFunctions(module, compile_functions); }
