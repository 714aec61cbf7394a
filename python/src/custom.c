/* mx.custom_function and mx.checkpoint over src/transforms/custom.h.
 *
 * A call flattens (args, kwargs) into its array leaves, and hands the C
 * layer a rules record whose payload is the call's state: the Python
 * functions, the argument tree (to rebuild the call from new leaves) and
 * the output tree of the latest run of the function (to give the vjp
 * function cotangents and outputs shaped like what the function returned).
 * The record lives as long as the graph nodes that refer to it, so it may
 * be freed on a stream worker: freeing defers the Python part to the
 * interpreter (Py_AddPendingCall) when the thread does not hold the GIL. */
#include "transforms/custom.h"

#include "transforms_py.h"

/* --- per-call state ------------------------------------------------------------ */

typedef struct cf_call {
  PyObject* fun;
  PyObject* vjp_fun; /* NULL when not replaced */
  PyObject* jvp_fun;
  PyObject* vmap_fun;
  PyObject* structure;     /* (args tuple, kwargs dict) as called */
  PyObject* out_structure; /* what the function last returned */
  bool strict;             /* outputs must be arrays only (custom_function) */
  bool python_error;       /* a Python function raised: the exception is pending */
} cf_call;

static int cf_call_drop_now(void* p) {
  cf_call* c = p;
  Py_XDECREF(c->fun);
  Py_XDECREF(c->vjp_fun);
  Py_XDECREF(c->jvp_fun);
  Py_XDECREF(c->vmap_fun);
  Py_XDECREF(c->structure);
  Py_XDECREF(c->out_structure);
  free(c);
  return 0;
}

static void cf_call_free(void* p) {
  if (!p) return;
  if (!Py_IsInitialized()) return; /* interpreter gone: nothing safe to do */
  if (PyGILState_Check()) {
    cf_call_drop_now(p);
    return;
  }
  /* Another thread holds (or may take) the GIL: let the interpreter drop the
   * references at its next opportunity.  Should its queue be full, the
   * objects are leaked rather than touched without the GIL. */
  (void)Py_AddPendingCall(cf_call_drop_now, p);
}

/* Fails a callback: the Python exception stays pending for the caller. */
static int py_failed(cf_call* c) {
  c->python_error = true;
  return mx_error(MX_ERR_RUNTIME, "[custom_function] The Python function raised an exception.");
}

/* Wraps n borrowed arrays into a new Python list. */
static PyObject* wrap_list(int n, mx_array* const* arrays) {
  PyObject* list = PyList_New(n);
  for (int i = 0; list && i < n; i++) {
    mx_array_retain(arrays[i]);
    PyObject* w = mxpy_wrap(arrays[i]);
    if (!w) Py_CLEAR(list);
    else PyList_SET_ITEM(list, i, w);
  }
  return list;
}

/* The call's (args, kwargs) rebuilt with `leaves`. */
static int rebuild_call(cf_call* c, int n, mx_array* const* leaves, PyObject** args,
                        PyObject** kwargs) {
  PyObject* list = wrap_list(n, leaves);
  if (!list) return -1;
  Py_ssize_t next = 0;
  PyObject* full = mxpy_tree_unflatten(c->structure, list, &next);
  Py_DECREF(list);
  if (!full) return -1;
  *args = Py_NewRef(PyTuple_GET_ITEM(full, 0));
  *kwargs = Py_NewRef(PyTuple_GET_ITEM(full, 1));
  Py_DECREF(full);
  return 0;
}

/* Array leaves of `tree` as a malloc'd list of new references. */
static int leaves_of(PyObject* tree, bool strict, int* n, mx_array*** out) {
  PyObject* flat = PyList_New(0);
  if (!flat) return -1;
  int rc = mxpy_tree_flatten(tree, flat, strict, "tree_flatten");
  if (rc == 0) rc = mxpy_arrays_from_list(flat, n, out);
  Py_DECREF(flat);
  return rc;
}

/* The output tree with its array leaves replaced by `arrays`. */
static PyObject* like_outputs(cf_call* c, int n, mx_array* const* arrays) {
  PyObject* list = wrap_list(n, arrays);
  if (!list) return NULL;
  Py_ssize_t next = 0;
  PyObject* r = mxpy_tree_unflatten(c->out_structure, list, &next);
  Py_DECREF(list);
  return r;
}

/* The first argument alone when the function takes one, else the tuple. */
static PyObject* primal_arg(PyObject* args) {
  return PyTuple_GET_SIZE(args) == 1 ? Py_NewRef(PyTuple_GET_ITEM(args, 0)) : Py_NewRef(args);
}

/* --- the callbacks the C layer calls --------------------------------------------- */

static int cf_fun(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out) {
  cf_call* c = payload;
  PyObject *args, *kwargs;
  if (rebuild_call(c, n_in, in, &args, &kwargs) < 0) return py_failed(c);
  PyObject* result = PyObject_Call(c->fun, args, kwargs);
  Py_DECREF(args);
  Py_DECREF(kwargs);
  if (!result) return py_failed(c);
  Py_XSETREF(c->out_structure, result);
  if (leaves_of(result, c->strict, n_out, out) < 0) return py_failed(c);
  return 0;
}

static int cf_vjp(mx_custom_rules* r, int np_, mx_array* const* primals, int nc,
                  mx_array* const* cots, mx_array* const* outputs, int* nv, mx_array*** vjps) {
  cf_call* c = r->payload;
  PyObject *args = NULL, *kwargs = NULL, *pc = NULL, *po = NULL, *res = NULL;
  if (rebuild_call(c, np_, primals, &args, &kwargs) < 0) return py_failed(c);
  pc = like_outputs(c, nc, cots);
  po = pc ? like_outputs(c, nc, outputs) : NULL;
  PyObject* first = po ? primal_arg(args) : NULL;
  PyObject* call_args = first ? PyTuple_Pack(3, first, pc, po) : NULL;
  if (call_args) res = PyObject_Call(c->vjp_fun, call_args, kwargs);
  Py_XDECREF(call_args);
  Py_XDECREF(first);
  Py_XDECREF(pc);
  Py_XDECREF(po);
  Py_DECREF(args);
  Py_DECREF(kwargs);
  if (!res) return py_failed(c);
  int rc = leaves_of(res, false, nv, vjps);
  Py_DECREF(res);
  return rc < 0 ? py_failed(c) : 0;
}

static int cf_jvp(mx_custom_rules* r, int np_, mx_array* const* primals, int nt,
                  mx_array* const* tangents, const int* argnums, int* nj, mx_array*** jvps) {
  cf_call* c = r->payload;
  PyObject *args, *kwargs;
  if (rebuild_call(c, np_, primals, &args, &kwargs) < 0) return py_failed(c);
  if (PyDict_GET_SIZE(kwargs) > 0) {
    Py_DECREF(args);
    Py_DECREF(kwargs);
    PyErr_SetString(PyExc_ValueError,
                    "[custom jvp] Function should only accept positional arguments");
    return py_failed(c);
  }
  Py_DECREF(kwargs);
  /* Tangents shaped like the arguments: the tangent of each array that has
   * one, None for every other leaf. */
  PyObject* leaves = PyList_New(np_);
  for (int i = 0; leaves && i < np_; i++) PyList_SET_ITEM(leaves, i, Py_NewRef(Py_None));
  for (int k = 0; leaves && k < nt; k++) {
    mx_array_retain(tangents[k]);
    PyObject* w = mxpy_wrap(tangents[k]);
    if (!w) Py_CLEAR(leaves);
    else PyList_SetItem(leaves, argnums[k], w);
  }
  Py_ssize_t next = 0;
  PyObject* tans = leaves ? mxpy_tree_map_leaves(args, leaves, &next, Py_None) : NULL;
  Py_XDECREF(leaves);
  PyObject* res = NULL;
  if (tans) {
    if (PyTuple_GET_SIZE(args) == 1)
      res = PyObject_CallFunctionObjArgs(c->jvp_fun, PyTuple_GET_ITEM(args, 0),
                                         PyTuple_GET_ITEM(tans, 0), NULL);
    else
      res = PyObject_CallFunctionObjArgs(c->jvp_fun, args, tans, NULL);
  }
  Py_XDECREF(tans);
  Py_DECREF(args);
  if (!res) return py_failed(c);
  int rc = leaves_of(res, false, nj, jvps);
  Py_DECREF(res);
  return rc < 0 ? py_failed(c) : 0;
}

/* Collects the arrays of `outs` with the matching axis of `axes` (an int or
 * None at the level of an array, or a tree shaped like `outs`; an int or
 * None above applies to everything below it). */
static int collect_axes(PyObject* outs, PyObject* axes, PyObject* arrays, int** ax, int* n,
                        int* cap) {
  bool axes_tree = PyList_Check(axes) || PyTuple_Check(axes) || PyDict_Check(axes);
  if (PyList_Check(outs) || PyTuple_Check(outs)) {
    Py_ssize_t k = PySequence_Size(outs);
    for (Py_ssize_t i = 0; i < k; i++) {
      PyObject* o = PySequence_GetItem(outs, i);
      PyObject* a = axes_tree && !PyDict_Check(axes) ? PySequence_GetItem(axes, i) : Py_NewRef(axes);
      int rc = o && a ? collect_axes(o, a, arrays, ax, n, cap) : -1;
      Py_XDECREF(o);
      Py_XDECREF(a);
      if (rc < 0) return -1;
    }
    return 0;
  }
  if (PyDict_Check(outs)) {
    PyObject *key, *o;
    Py_ssize_t pos = 0;
    while (PyDict_Next(outs, &pos, &key, &o)) {
      PyObject* a = PyDict_Check(axes) ? PyDict_GetItemWithError(axes, key) : axes;
      if (!a) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "[custom vmap] Missing output axis.");
        return -1;
      }
      if (collect_axes(o, a, arrays, ax, n, cap) < 0) return -1;
    }
    return 0;
  }
  if (!mxpy_is_array(outs)) return 0;
  int axis = -1;
  if (axes != Py_None) {
    long v = PyLong_AsLong(axes);
    if (v == -1 && PyErr_Occurred()) return -1;
    axis = (int)v;
  }
  if (*n == *cap) {
    *cap = *cap ? 2 * *cap : 8;
    int* bigger = realloc(*ax, (size_t)*cap * sizeof **ax);
    if (!bigger) {
      PyErr_NoMemory();
      return -1;
    }
    *ax = bigger;
  }
  (*ax)[(*n)++] = axis;
  return PyList_Append(arrays, outs);
}

static int cf_vmap(mx_custom_rules* r, int n_in, mx_array* const* inputs, const int* axes,
                   int* n_out, mx_array*** outputs, int** out_axes) {
  cf_call* c = r->payload;
  PyObject *args, *kwargs;
  if (rebuild_call(c, n_in, inputs, &args, &kwargs) < 0) return py_failed(c);
  if (PyDict_GET_SIZE(kwargs) > 0) {
    Py_DECREF(args);
    Py_DECREF(kwargs);
    PyErr_SetString(PyExc_ValueError,
                    "[custom vmap] Function should only accept positional arguments");
    return py_failed(c);
  }
  Py_DECREF(kwargs);
  PyObject* leaves = PyList_New(n_in);
  for (int i = 0; leaves && i < n_in; i++) {
    PyObject* a = axes[i] >= 0 ? PyLong_FromLong(axes[i]) : Py_NewRef(Py_None);
    if (!a) Py_CLEAR(leaves);
    else PyList_SET_ITEM(leaves, i, a);
  }
  Py_ssize_t next = 0;
  PyObject* ax_tree = leaves ? mxpy_tree_map_leaves(args, leaves, &next, Py_None) : NULL;
  Py_XDECREF(leaves);
  PyObject* res = NULL;
  if (ax_tree) {
    if (PyTuple_GET_SIZE(args) == 1)
      res = PyObject_CallFunctionObjArgs(c->vmap_fun, PyTuple_GET_ITEM(args, 0),
                                         PyTuple_GET_ITEM(ax_tree, 0), NULL);
    else
      res = PyObject_CallFunctionObjArgs(c->vmap_fun, args, ax_tree, NULL);
  }
  Py_XDECREF(ax_tree);
  Py_DECREF(args);
  if (!res) return py_failed(c);
  if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 2) {
    Py_DECREF(res);
    PyErr_SetString(PyExc_ValueError,
                    "[custom vmap] Vmap function should return a tuple with 2 items.");
    return py_failed(c);
  }
  PyObject* arrays = PyList_New(0);
  int n = 0, cap = 0;
  int* ax = NULL;
  int rc = arrays ? collect_axes(PyTuple_GET_ITEM(res, 0), PyTuple_GET_ITEM(res, 1), arrays, &ax,
                                 &n, &cap)
                  : -1;
  Py_DECREF(res);
  if (rc == 0) rc = mxpy_arrays_from_list(arrays, n_out, outputs);
  Py_XDECREF(arrays);
  if (rc < 0) {
    free(ax);
    return py_failed(c);
  }
  *out_axes = ax ? ax : calloc(1, sizeof(int));
  return 0;
}

/* --- one call: flatten, run through the C layer, rebuild ------------------------ */

static PyObject* run_custom(PyObject* fun, PyObject* vjp_fun, PyObject* jvp_fun,
                            PyObject* vmap_fun, bool checkpoint, PyObject* args,
                            PyObject* kwargs) {
  cf_call* c = calloc(1, sizeof *c);
  if (!c) return PyErr_NoMemory();
  c->fun = Py_NewRef(fun);
  c->vjp_fun = Py_XNewRef(vjp_fun);
  c->jvp_fun = Py_XNewRef(jvp_fun);
  c->vmap_fun = Py_XNewRef(vmap_fun);
  c->strict = !checkpoint;
  PyObject* kw = kwargs ? Py_NewRef(kwargs) : PyDict_New();
  c->structure = kw ? PyTuple_Pack(2, args, kw) : NULL;
  Py_XDECREF(kw);
  mx_custom_rules* r = c->structure ? mx_custom_rules_new() : NULL;
  if (!r) {
    bool lib_error = c->structure != NULL;
    cf_call_drop_now(c);
    return lib_error ? mxpy_raise() : NULL;
  }
  r->payload = c;
  r->payload_free = cf_call_free;
  r->fun = cf_fun;
  r->fun_payload = c;
  r->vjp = vjp_fun ? cf_vjp : NULL;
  r->jvp = jvp_fun ? cf_jvp : NULL;
  r->vmap = vmap_fun ? cf_vmap : NULL;
  r->checkpoint = checkpoint;
  int n_in = 0, n_out = 0;
  mx_array **in = NULL, **out = NULL;
  PyObject* result = NULL;
  if (leaves_of(c->structure, false, &n_in, &in) == 0) {
    int rc = mx_custom_call(r, n_in, in, &n_out, &out);
    mx_arrays_free(n_in, in);
    if (rc != 0) {
      if (c->python_error && PyErr_Occurred()) mx_error_clear();
      else mxpy_raise();
    } else {
      result = like_outputs(c, n_out, out);
      mx_arrays_free(n_out, out);
    }
  }
  mx_custom_rules_release(r);
  return result;
}

/* --- the custom_function type ---------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  PyObject* fun;
  PyObject* vjp_fun;
  PyObject* jvp_fun;
  PyObject* vmap_fun;
  PyObject* dict; /* __dict__: functools.wraps-style attributes */
} custom_object;

static PyTypeObject custom_type;

static PyObject* custom_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"f", NULL};
  PyObject* f;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:custom_function", kwlist, &f)) return NULL;
  if (!PyCallable_Check(f)) {
    PyErr_SetString(PyExc_TypeError, "[custom_function] The argument must be callable.");
    return NULL;
  }
  custom_object* o = (custom_object*)type->tp_alloc(type, 0);
  if (!o) return NULL;
  o->fun = Py_NewRef(f);
  return (PyObject*)o;
}

static int custom_traverse(custom_object* o, visitproc visit, void* arg) {
  Py_VISIT(o->fun);
  Py_VISIT(o->vjp_fun);
  Py_VISIT(o->jvp_fun);
  Py_VISIT(o->vmap_fun);
  Py_VISIT(o->dict);
  return 0;
}

static int custom_clear(custom_object* o) {
  Py_CLEAR(o->fun);
  Py_CLEAR(o->vjp_fun);
  Py_CLEAR(o->jvp_fun);
  Py_CLEAR(o->vmap_fun);
  Py_CLEAR(o->dict);
  return 0;
}

static void custom_dealloc(custom_object* o) {
  PyObject_GC_UnTrack(o);
  custom_clear(o);
  Py_TYPE(o)->tp_free((PyObject*)o);
}

static PyObject* custom_call(custom_object* o, PyObject* args, PyObject* kwargs) {
  if (!o->vjp_fun && !o->jvp_fun && !o->vmap_fun) return PyObject_Call(o->fun, args, kwargs);
  return run_custom(o->fun, o->vjp_fun, o->jvp_fun, o->vmap_fun, false, args, kwargs);
}

/* The decorators store the rule and return the custom function itself, so
 * `@f.vjp def f_vjp(...)` leaves f_vjp naming a usable custom function. */
static PyObject* set_rule(custom_object* o, PyObject* f, PyObject** slot, const char* name) {
  if (!PyCallable_Check(f)) {
    PyErr_Format(PyExc_TypeError, "[custom_function.%s] The argument must be callable.", name);
    return NULL;
  }
  Py_XSETREF(*slot, Py_NewRef(f));
  return Py_NewRef((PyObject*)o);
}

static PyObject* custom_vjp(custom_object* o, PyObject* f) { return set_rule(o, f, &o->vjp_fun, "vjp"); }
static PyObject* custom_jvp(custom_object* o, PyObject* f) { return set_rule(o, f, &o->jvp_fun, "jvp"); }
static PyObject* custom_vmap(custom_object* o, PyObject* f) { return set_rule(o, f, &o->vmap_fun, "vmap"); }

static PyMethodDef custom_methods[] = {
    {"vjp", (PyCFunction)custom_vjp, METH_O,
     "vjp(f_vjp): use f_vjp(primals, cotangents, outputs) for the vector-Jacobian product."},
    {"jvp", (PyCFunction)custom_jvp, METH_O,
     "jvp(f_jvp): use f_jvp(primals, tangents) for the Jacobian-vector product."},
    {"vmap", (PyCFunction)custom_vmap, METH_O,
     "vmap(f_vmap): use f_vmap(inputs, axes) -> (outputs, out_axes) to vectorize."},
    {NULL, NULL, 0, NULL},
};

static PyObject* custom_descr_get(PyObject* self, PyObject* obj, PyObject* type) {
  (void)type;
  /* Used as a method: bind the instance as the first argument. */
  if (!obj || obj == Py_None) return Py_NewRef(self);
  return PyMethod_New(self, obj);
}

static PyTypeObject custom_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.custom_function",
    .tp_basicsize = sizeof(custom_object),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "custom_function(f)\n--\n\n"
              "A function whose vjp, jvp and vmap can be replaced with the .vjp, .jvp and "
              ".vmap decorators; transforms without a replacement use the function's own.",
    .tp_new = custom_new,
    .tp_dealloc = (destructor)custom_dealloc,
    .tp_traverse = (traverseproc)custom_traverse,
    .tp_clear = (inquiry)custom_clear,
    .tp_call = (ternaryfunc)custom_call,
    .tp_methods = custom_methods,
    .tp_descr_get = custom_descr_get,
    .tp_dictoffset = offsetof(custom_object, dict),
};

/* --- mx.checkpoint ----------------------------------------------------------------- */

static void checkpoint_capsule_free(PyObject* capsule) {
  PyObject* fun = PyCapsule_GetPointer(capsule, "mlx.checkpoint");
  Py_XDECREF(fun);
}

static PyObject* checkpoint_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  PyObject* fun = PyCapsule_GetPointer(self, "mlx.checkpoint");
  if (!fun) return NULL;
  return run_custom(fun, NULL, NULL, NULL, true, args, kwargs);
}

static PyMethodDef checkpoint_call_def = {"checkpointed", (PyCFunction)(void (*)(void))checkpoint_call,
                                          METH_VARARGS | METH_KEYWORDS, NULL};

static PyObject* py_checkpoint(PyObject* m, PyObject* args, PyObject* kwargs) {
  (void)m;
  static char* kwlist[] = {"fun", NULL};
  PyObject* fun;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:checkpoint", kwlist, &fun)) return NULL;
  if (!PyCallable_Check(fun)) {
    PyErr_SetString(PyExc_TypeError, "[checkpoint] The argument must be callable.");
    return NULL;
  }
  PyObject* capsule = PyCapsule_New(Py_NewRef(fun), "mlx.checkpoint", checkpoint_capsule_free);
  if (!capsule) {
    Py_DECREF(fun);
    return NULL;
  }
  return mxpy_make_callable(&checkpoint_call_def, capsule);
}

static PyMethodDef custom_functions[] = {
    {"checkpoint", (PyCFunction)(void (*)(void))py_checkpoint, METH_VARARGS | METH_KEYWORDS,
     "checkpoint(fun): a function computing fun whose gradient recomputes fun's intermediate "
     "values in the backward pass instead of keeping them."},
    {NULL, NULL, 0, NULL},
};

int mxpy_custom_init(PyObject* module) {
  if (PyType_Ready(&custom_type) < 0) return -1;
  if (PyModule_AddObjectRef(module, "custom_function", (PyObject*)&custom_type) < 0) return -1;
  return PyModule_AddFunctions(module, custom_functions);
}
