/* mx.vmap(fun, in_axes=0, out_axes=0).
 *
 * in_axes is a tree prefix of the positional arguments: an int or None
 * applies to every array below it, a list/tuple/dict matches the structure
 * of the argument at that place.  out_axes works the same way against the
 * function's result.  Non-array leaves are passed through unchanged. */
#include "transforms_py.h"

typedef struct vmap_spec {
  PyObject* fun;
  PyObject* in_axes;
  PyObject* out_axes;
} vmap_spec;

static void vmap_spec_free(PyObject* capsule) {
  vmap_spec* v = PyCapsule_GetPointer(capsule, "mlx.vmap_spec");
  if (!v) return;
  Py_XDECREF(v->fun);
  Py_XDECREF(v->in_axes);
  Py_XDECREF(v->out_axes);
  free(v);
}

static bool is_axis(PyObject* o) { return o == Py_None || PyLong_Check(o); }

/* Appends the array leaves of `tree` with their axes (-1 for None). */
/* `for_inputs`: axes of the arguments (checked against each array, None ->
 * -1); otherwise out_axes (checked later against the batched outputs, None
 * -> 0, the batch staying in front). */
static int flatten_with_axes(PyObject* tree, PyObject* axes, PyObject* leaves, PyObject* axis_list,
                             bool for_inputs) {
  const char* what = for_inputs ? "in_axes" : "out_axes";
  if (is_axis(axes)) {
    PyObject* found = PyList_New(0);
    if (!found || mxpy_tree_flatten(tree, found, false, "vmap") < 0) {
      Py_XDECREF(found);
      return -1;
    }
    long ax = axes == Py_None ? (for_inputs ? -1 : 0) : PyLong_AsLong(axes);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++) {
      PyObject* leaf = PyList_GET_ITEM(found, i);
      long a = ax;
      if (axes != Py_None && for_inputs) {
        int nd = mxpy_arr(leaf)->ndim;
        if (a < 0) a += nd;
        if (a < 0 || a >= nd) {
          char sb[64];
          PyErr_Format(PyExc_IndexError, "[vmap] Invalid vectorization axis %ld for array with shape %s",
                       ax, mx_shape_str(nd, mxpy_arr(leaf)->shape, sb, sizeof sb));
          Py_DECREF(found);
          return -1;
        }
      }
      PyObject* pa = PyLong_FromLong(a);
      if (!pa || PyList_Append(leaves, leaf) < 0 || PyList_Append(axis_list, pa) < 0) {
        Py_XDECREF(pa);
        Py_DECREF(found);
        return -1;
      }
      Py_DECREF(pa);
    }
    Py_DECREF(found);
    return 0;
  }
  if ((PyList_Check(axes) || PyTuple_Check(axes)) && (PyList_Check(tree) || PyTuple_Check(tree))) {
    Py_ssize_t n = PySequence_Size(axes);
    if (PySequence_Size(tree) != n) {
      PyErr_Format(PyExc_ValueError, "[vmap] %s has %zd entries but the tree it maps has %zd.", what,
                   n, PySequence_Size(tree));
      return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
      PyObject* t = PySequence_GetItem(tree, i);
      PyObject* a = PySequence_GetItem(axes, i);
      int rc = t && a ? flatten_with_axes(t, a, leaves, axis_list, for_inputs) : -1;
      Py_XDECREF(t);
      Py_XDECREF(a);
      if (rc < 0) return -1;
    }
    return 0;
  }
  if (PyDict_Check(axes) && PyDict_Check(tree)) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(tree, &pos, &k, &v)) {
      PyObject* a = PyDict_GetItemWithError(axes, k);
      if (!a) {
        if (!PyErr_Occurred())
          PyErr_Format(PyExc_ValueError, "[vmap] %s has no entry for key %R.", what, k);
        return -1;
      }
      if (flatten_with_axes(v, a, leaves, axis_list, for_inputs) < 0) return -1;
    }
    return 0;
  }
  PyErr_Format(PyExc_ValueError, "[vmap] %s must be an int, None, or a tree matching the %s.", what,
               for_inputs ? "arguments" : "outputs");
  return -1;
}

static PyObject* call_vmapped_args(mxpy_traced* t, PyObject* leaves) {
  Py_ssize_t next = 0;
  PyObject* args = mxpy_tree_unflatten(t->args, leaves, &next);
  if (!args) return NULL;
  PyObject* targs = PySequence_Tuple(args);
  Py_DECREF(args);
  if (!targs) return NULL;
  PyObject* r = PyObject_Call(t->fun, targs, t->kwargs);
  Py_DECREF(targs);
  return r;
}

static PyObject* outputs_any(mxpy_traced* t, PyObject* result) {
  PyObject* flat = PyList_New(0);
  if (flat && mxpy_tree_flatten(result, flat, true, "vmap") < 0) Py_CLEAR(flat);
  return flat;
}

static PyObject* vmap_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  vmap_spec* v = PyCapsule_GetPointer(self, "mlx.vmap_spec");
  PyObject* leaves = PyList_New(0);
  PyObject* axes = PyList_New(0);
  PyObject* result = NULL;
  PyObject* in_axes = v->in_axes;
  if (!leaves || !axes) goto done;
  if ((PyList_Check(in_axes) || PyTuple_Check(in_axes)) &&
      PySequence_Size(in_axes) != PyTuple_GET_SIZE(args)) {
    PyErr_Format(PyExc_ValueError,
                 "[vmap] The number of in axes (%zd) must match the number of positional "
                 "arguments (%zd).",
                 PySequence_Size(in_axes), PyTuple_GET_SIZE(args));
    goto done;
  }
  if (flatten_with_axes(args, in_axes, leaves, axes, true) < 0) goto done;
  int n = (int)PyList_GET_SIZE(leaves);
  mx_array** inputs = NULL;
  int n_in = 0;
  if (mxpy_arrays_from_list(leaves, &n_in, &inputs) < 0) goto done;
  int* in_ax = malloc((size_t)(n ? n : 1) * sizeof *in_ax);
  if (!in_ax) {
    mx_arrays_free(n_in, inputs);
    PyErr_NoMemory();
    goto done;
  }
  for (int i = 0; i < n; i++) in_ax[i] = (int)PyLong_AsLong(PyList_GET_ITEM(axes, i));
  mxpy_traced t = {.fun = v->fun, .args = args, .kwargs = kwargs, .who = "vmap",
                   .build_and_call = call_vmapped_args, .outputs_of = outputs_any};
  int zero = 0, n_out = 0;
  mx_array** outs = NULL;
  int rc = mx_vmap(mxpy_call_traced, &t, n, inputs, in_ax, 1, &zero, &n_out, &outs);
  free(in_ax);
  mx_arrays_free(n_in, inputs);
  if (rc != 0) {
    Py_XDECREF(t.result);
    mxpy_transform_failed(&t);
    goto done;
  }
  PyObject* out_list = mxpy_list_from_arrays(n_out, outs);
  if (!out_list) {
    Py_XDECREF(t.result);
    goto done;
  }
  /* Every output has its batch at axis 0; move it where out_axes says. */
  PyObject* oleaves = PyList_New(0);
  PyObject* oaxes = PyList_New(0);
  if (oleaves && oaxes &&
      flatten_with_axes(t.result, v->out_axes, oleaves, oaxes, false) == 0) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(out_list) && i < PyList_GET_SIZE(oaxes); i++) {
      long to = PyLong_AsLong(PyList_GET_ITEM(oaxes, i));
      if (to == 0) continue; /* 0 or None: the batch stays in front */
      mx_array* moved = mx_moveaxis(mxpy_arr(PyList_GET_ITEM(out_list, i)), 0, (int)to, mx_stream_for_default());
      PyObject* w = mxpy_wrap(moved);
      if (!w) {
        Py_CLEAR(out_list);
        break;
      }
      PyList_SetItem(out_list, i, w);
    }
    if (out_list) {
      Py_ssize_t next = 0;
      result = mxpy_tree_unflatten(t.result, out_list, &next);
    }
  }
  Py_XDECREF(oleaves);
  Py_XDECREF(oaxes);
  Py_XDECREF(out_list);
  Py_XDECREF(t.result);
done:
  Py_XDECREF(leaves);
  Py_XDECREF(axes);
  return result;
}

static PyMethodDef vmap_call_def = {"vmap_fn", (PyCFunction)(void (*)(void))vmap_call,
                                    METH_VARARGS | METH_KEYWORDS, NULL};

static PyObject* py_vmap(PyObject* m, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"fun", "in_axes", "out_axes", NULL};
  PyObject *fun, *in_axes = NULL, *out_axes = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO", kwlist, &fun, &in_axes, &out_axes))
    return NULL;
  vmap_spec* v = calloc(1, sizeof *v);
  if (!v) return PyErr_NoMemory();
  v->fun = Py_NewRef(fun);
  v->in_axes = in_axes ? Py_NewRef(in_axes) : PyLong_FromLong(0);
  v->out_axes = out_axes ? Py_NewRef(out_axes) : PyLong_FromLong(0);
  PyObject* capsule = PyCapsule_New(v, "mlx.vmap_spec", vmap_spec_free);
  if (!capsule) {
    Py_XDECREF(v->fun);
    Py_XDECREF(v->in_axes);
    Py_XDECREF(v->out_axes);
    free(v);
    return NULL;
  }
  return mxpy_make_callable(&vmap_call_def, capsule);
}

static PyMethodDef vmap_functions[] = {
    {"vmap", (PyCFunction)(void (*)(void))py_vmap, METH_VARARGS | METH_KEYWORDS,
     "vmap(fun, in_axes=0, out_axes=0): a vectorized version of fun."},
    {NULL, NULL, 0, NULL},
};

int mxpy_vmap_init(PyObject* module) { return PyModule_AddFunctions(module, vmap_functions); }
