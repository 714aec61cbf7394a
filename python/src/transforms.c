/* mx.grad, mx.value_and_grad, mx.vjp, mx.jvp and mx.vmap.
 *
 * Python functions take and return trees (lists, tuples, dicts) of arrays.
 * The C transforms (src/transforms) see flat lists: the arguments being
 * transformed are flattened into their array leaves, and a trampoline
 * (call_traced) rebuilds the Python arguments from the stand-in arrays the
 * transform passes, calls the function and flattens what it returns.
 * A Python exception raised inside the function stops the transform and
 * reaches the caller unchanged. */
#include "transforms_py.h"

#include <string.h>

/* --- trees ------------------------------------------------------------------ */

int mxpy_tree_flatten(PyObject* tree, PyObject* leaves, bool arrays_only, const char* who) {
  if (PyList_Check(tree) || PyTuple_Check(tree)) {
    PyObject* seq = PySequence_Fast(tree, "");
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
      if (mxpy_tree_flatten(PySequence_Fast_GET_ITEM(seq, i), leaves, arrays_only, who) < 0) {
        Py_DECREF(seq);
        return -1;
      }
    }
    Py_DECREF(seq);
    return 0;
  }
  if (PyDict_Check(tree)) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(tree, &pos, &k, &v))
      if (mxpy_tree_flatten(v, leaves, arrays_only, who) < 0) return -1;
    return 0;
  }
  if (mxpy_is_array(tree)) return PyList_Append(leaves, tree);
  if (arrays_only) {
    PyErr_Format(PyExc_ValueError, "[%s] The argument should contain only arrays", who);
    return -1;
  }
  return 0; /* a non-array leaf is kept by the tree itself */
}

PyObject* mxpy_tree_map_leaves(PyObject* tree, PyObject* leaves, Py_ssize_t* next, PyObject* other) {
  if (PyList_Check(tree) || PyTuple_Check(tree)) {
    Py_ssize_t n = PySequence_Size(tree);
    PyObject* out = PyList_New(n);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
      PyObject* item = PySequence_GetItem(tree, i);
      PyObject* r = item ? mxpy_tree_map_leaves(item, leaves, next, other) : NULL;
      Py_XDECREF(item);
      if (!r) {
        Py_DECREF(out);
        return NULL;
      }
      PyList_SET_ITEM(out, i, r);
    }
    if (PyTuple_Check(tree)) {
      PyObject* t = PyList_AsTuple(out);
      Py_DECREF(out);
      return t;
    }
    return out;
  }
  if (PyDict_Check(tree)) {
    PyObject* out = PyDict_New();
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (out && PyDict_Next(tree, &pos, &k, &v)) {
      PyObject* r = mxpy_tree_map_leaves(v, leaves, next, other);
      if (!r || PyDict_SetItem(out, k, r) < 0) {
        Py_XDECREF(r);
        Py_DECREF(out);
        return NULL;
      }
      Py_DECREF(r);
    }
    return out;
  }
  if (mxpy_is_array(tree)) {
    if (*next >= PyList_GET_SIZE(leaves)) {
      PyErr_SetString(PyExc_RuntimeError, "[tree_unflatten] Not enough leaves.");
      return NULL;
    }
    PyObject* leaf = PyList_GET_ITEM(leaves, (*next)++);
    Py_INCREF(leaf);
    return leaf;
  }
  return Py_NewRef(other ? other : tree);
}

PyObject* mxpy_tree_unflatten(PyObject* tree, PyObject* leaves, Py_ssize_t* next) {
  return mxpy_tree_map_leaves(tree, leaves, next, NULL);
}

/* Python list of arrays -> C list of new references. */
int mxpy_arrays_from_list(PyObject* list, int* n, mx_array*** out) {
  Py_ssize_t len = PyList_GET_SIZE(list);
  mx_array** arr = calloc((size_t)(len ? len : 1), sizeof *arr);
  if (!arr) {
    PyErr_NoMemory();
    return -1;
  }
  for (Py_ssize_t i = 0; i < len; i++) {
    arr[i] = mxpy_arr(PyList_GET_ITEM(list, i));
    mx_array_retain(arr[i]);
  }
  *n = (int)len;
  *out = arr;
  return 0;
}

/* C list of new references (stolen) -> Python list. */
PyObject* mxpy_list_from_arrays(int n, mx_array** arrays) {
  PyObject* list = PyList_New(n);
  for (int i = 0; i < n; i++) {
    PyObject* w = list ? mxpy_wrap(arrays[i]) : NULL;
    if (!w) {
      for (int j = i + (list ? 1 : 0); j < n; j++) mx_array_release(arrays[j]);
      Py_XDECREF(list);
      free(arrays);
      return NULL;
    }
    PyList_SET_ITEM(list, i, w);
  }
  free(arrays);
  return list;
}

/* --- the trampoline ---------------------------------------------------------- */

int mxpy_call_traced(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out) {
  mxpy_traced* t = payload;
  *n_out = 0;
  *out = NULL;
  PyObject* leaves = PyList_New(n_in);
  if (!leaves) goto py_fail;
  for (int i = 0; i < n_in; i++) {
    mx_array_retain(in[i]);
    PyObject* w = mxpy_wrap(in[i]);
    if (!w) {
      Py_DECREF(leaves);
      goto py_fail;
    }
    PyList_SET_ITEM(leaves, i, w);
  }
  PyObject* result = t->build_and_call(t, leaves);
  Py_DECREF(leaves);
  if (!result) goto py_fail;
  Py_XSETREF(t->result, result);
  PyObject* flat = t->outputs_of(t, result);
  if (!flat) goto py_fail;
  int rc = mxpy_arrays_from_list(flat, n_out, out);
  Py_DECREF(flat);
  if (rc < 0) goto py_fail;
  return 0;
py_fail:
  t->python_error = true;
  return mx_error(MX_ERR_RUNTIME, "[transforms] The Python function raised an exception.");
}

PyObject* mxpy_transform_failed(mxpy_traced* t) {
  if (t->python_error && PyErr_Occurred()) {
    mx_error_clear();
    return NULL;
  }
  return mxpy_raise();
}

/* Calls fun(*args, **kwargs) with positional argument argnums[i] and keyword
 * argument argnames[j] rebuilt from `leaves` (in that order). */
static PyObject* call_with_leaves(mxpy_traced* t, PyObject* leaves) {
  Py_ssize_t next = 0;
  PyObject* args = PySequence_List(t->args);
  PyObject* kwargs = t->kwargs ? PyDict_Copy(t->kwargs) : PyDict_New();
  if (!args || !kwargs) goto fail;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t->argnums); i++) {
    Py_ssize_t k = PyLong_AsSsize_t(PyTuple_GET_ITEM(t->argnums, i));
    PyObject* r = mxpy_tree_unflatten(PyList_GET_ITEM(args, k), leaves, &next);
    if (!r) goto fail;
    PyList_SetItem(args, k, r);
  }
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t->argnames); i++) {
    PyObject* name = PyTuple_GET_ITEM(t->argnames, i);
    PyObject* r = mxpy_tree_unflatten(PyDict_GetItem(kwargs, name), leaves, &next);
    if (!r || PyDict_SetItem(kwargs, name, r) < 0) {
      Py_XDECREF(r);
      goto fail;
    }
    Py_DECREF(r);
  }
  PyObject* targs = PyList_AsTuple(args);
  PyObject* res = targs ? PyObject_Call(t->fun, targs, kwargs) : NULL;
  Py_XDECREF(targs);
  Py_DECREF(args);
  Py_DECREF(kwargs);
  return res;
fail:
  Py_XDECREF(args);
  Py_XDECREF(kwargs);
  return NULL;
}

/* --- grad and value_and_grad -------------------------------------------------- */

/* grad: the function must return a scalar array; value_and_grad: an array
 * or a tuple whose first element is one (the rest is auxiliary data). */
static PyObject* loss_of(mxpy_traced* t, PyObject* result) {
  PyObject* loss = result;
  if (t->value_and_grad && PyTuple_Check(result) && PyTuple_GET_SIZE(result) > 0)
    loss = PyTuple_GET_ITEM(result, 0);
  if (!mxpy_is_array(loss)) {
    if (t->value_and_grad)
      PyErr_Format(PyExc_ValueError,
                   "[value_and_grad] The return value of the function whose gradient we want to "
                   "compute should be either a scalar array or a tuple with the first value being "
                   "a scalar array (Union[array, tuple[array, Any, ...]]); but %s was returned.",
                   Py_TYPE(result)->tp_name);
    else
      PyErr_Format(PyExc_ValueError,
                   "[grad] The return value of the function whose gradient we want to compute "
                   "should be a scalar array; but %s was returned.",
                   Py_TYPE(result)->tp_name);
    return NULL;
  }
  mx_array* l = mxpy_arr(loss);
  if (l->ndim != 0) {
    char sh[64];
    PyErr_Format(PyExc_ValueError, "[vjp] Output shape %s does not match cotangent shape ().",
                 mx_shape_str(l->ndim, l->shape, sh, sizeof sh));
    return NULL;
  }
  return Py_BuildValue("[O]", loss);
}

typedef struct grad_spec {
  PyObject* fun;
  PyObject* argnums; /* tuple of ints */
  PyObject* argnames; /* tuple of str */
  int argnums_form;  /* 0: None given with argnames, 1: a single int, 2: a tuple */
  bool value_and_grad;
} grad_spec;

static void grad_spec_free(PyObject* capsule) {
  grad_spec* g = PyCapsule_GetPointer(capsule, "mlx.grad_spec");
  if (!g) return;
  Py_XDECREF(g->fun);
  Py_XDECREF(g->argnums);
  Py_XDECREF(g->argnames);
  free(g);
}

static PyObject* grad_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  grad_spec* g = PyCapsule_GetPointer(self, "mlx.grad_spec");
  const char* who = g->value_and_grad ? "value_and_grad" : "grad";
  Py_ssize_t nargs = PyTuple_GET_SIZE(args);
  PyObject* leaves = PyList_New(0);
  if (!leaves) return NULL;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(g->argnums); i++) {
    Py_ssize_t k = PyLong_AsSsize_t(PyTuple_GET_ITEM(g->argnums, i));
    if (k >= nargs) {
      PyErr_Format(PyExc_ValueError,
                   "[%s] Can't compute the gradient of argument index %zd because the function "
                   "is called with only %zd positional arguments.",
                   who, k, nargs);
      Py_DECREF(leaves);
      return NULL;
    }
    if (mxpy_tree_flatten(PyTuple_GET_ITEM(args, k), leaves, true, "tree_flatten") < 0) {
      Py_DECREF(leaves);
      return NULL;
    }
  }
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(g->argnames); i++) {
    PyObject* name = PyTuple_GET_ITEM(g->argnames, i);
    PyObject* v = kwargs ? PyDict_GetItemWithError(kwargs, name) : NULL;
    if (!v) {
      if (!PyErr_Occurred())
        PyErr_Format(PyExc_ValueError,
                     "[%s] Can't compute the gradient of keyword argument '%U' because the "
                     "function is called with the following keyword arguments {%S}",
                     who, name, kwargs ? kwargs : Py_None);
      Py_DECREF(leaves);
      return NULL;
    }
    if (mxpy_tree_flatten(v, leaves, true, "tree_flatten") < 0) {
      Py_DECREF(leaves);
      return NULL;
    }
  }
  int n_primals = 0;
  mx_array** primals = NULL;
  if (mxpy_arrays_from_list(leaves, &n_primals, &primals) < 0) {
    Py_DECREF(leaves);
    return NULL;
  }
  mxpy_traced t = {.fun = g->fun, .args = args, .kwargs = kwargs, .argnums = g->argnums,
                   .argnames = g->argnames, .value_and_grad = g->value_and_grad,
                   .build_and_call = call_with_leaves, .outputs_of = loss_of};
  /* The cotangent of the loss is one in the loss's dtype (NULL asks mx_vjp
   * for that); a loss that is not a scalar fails with MLX's message. */
  mx_array* one = NULL;
  int n_out = 0;
  mx_array **outs = NULL, **grads = NULL;
  int rc = mx_vjp(mxpy_call_traced, &t, n_primals, primals, 1, &one, &n_out, &outs, &grads);
  mx_arrays_free(n_primals, primals);
  if (rc != 0) {
    Py_DECREF(leaves);
    Py_XDECREF(t.result);
    return mxpy_transform_failed(&t);
  }
  mx_arrays_free(n_out, outs);
  PyObject* glist = mxpy_list_from_arrays(n_primals, grads);
  PyObject* positional = NULL;
  PyObject* named = NULL;
  Py_ssize_t next = 0;
  PyObject* result = NULL;
  if (!glist) goto done;
  Py_ssize_t na = PyTuple_GET_SIZE(g->argnums);
  if (g->argnums_form == 0) {
    positional = Py_NewRef(Py_None);
  } else if (g->argnums_form == 1) {
    positional = mxpy_tree_unflatten(PyTuple_GET_ITEM(args, PyLong_AsSsize_t(PyTuple_GET_ITEM(g->argnums, 0))), glist, &next);
  } else {
    positional = PyTuple_New(na);
    for (Py_ssize_t i = 0; positional && i < na; i++) {
      PyObject* r = mxpy_tree_unflatten(PyTuple_GET_ITEM(args, PyLong_AsSsize_t(PyTuple_GET_ITEM(g->argnums, i))), glist, &next);
      if (!r) {
        Py_CLEAR(positional);
        break;
      }
      PyTuple_SET_ITEM(positional, i, r);
    }
  }
  if (!positional) goto done;
  if (PyTuple_GET_SIZE(g->argnames) > 0) {
    named = PyDict_New();
    for (Py_ssize_t i = 0; named && i < PyTuple_GET_SIZE(g->argnames); i++) {
      PyObject* name = PyTuple_GET_ITEM(g->argnames, i);
      PyObject* r = mxpy_tree_unflatten(PyDict_GetItem(kwargs, name), glist, &next);
      if (!r || PyDict_SetItem(named, name, r) < 0) {
        Py_XDECREF(r);
        Py_CLEAR(named);
        break;
      }
      Py_DECREF(r);
    }
    if (!named) goto done;
    result = PyTuple_Pack(2, positional, named);
  } else {
    result = Py_NewRef(positional);
  }
  if (result && g->value_and_grad) {
    PyObject* pair = PyTuple_Pack(2, t.result, result);
    Py_SETREF(result, pair);
  }
done:
  Py_XDECREF(positional);
  Py_XDECREF(named);
  Py_XDECREF(glist);
  Py_DECREF(leaves);
  Py_XDECREF(t.result);
  return result;
}

static PyMethodDef grad_call_def = {"grad_fn", (PyCFunction)(void (*)(void))grad_call,
                                    METH_VARARGS | METH_KEYWORDS, NULL};

/* Wraps `capsule` (owning the transform's C struct; reference stolen) as a
 * callable whose self is the capsule. */
PyObject* mxpy_make_callable(PyMethodDef* def, PyObject* capsule) {
  PyObject* f = PyCFunction_NewEx(def, capsule, NULL);
  Py_DECREF(capsule);
  return f;
}

static PyObject* make_grad(PyObject* args, PyObject* kwargs, bool value_and_grad) {
  static char* kwlist[] = {"fun", "argnums", "argnames", NULL};
  PyObject *fun, *argnums = Py_None, *argnames = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO", kwlist, &fun, &argnums, &argnames))
    return NULL;
  if (!PyCallable_Check(fun)) {
    PyErr_SetString(PyExc_TypeError, "The function argument must be callable.");
    return NULL;
  }
  grad_spec* g = calloc(1, sizeof *g);
  if (!g) return PyErr_NoMemory();
  g->value_and_grad = value_and_grad;
  g->fun = Py_NewRef(fun);
  if (!argnames || argnames == Py_None) g->argnames = PyTuple_New(0);
  else if (PyUnicode_Check(argnames)) g->argnames = PyTuple_Pack(1, argnames);
  else g->argnames = PySequence_Tuple(argnames);
  if (!g->argnames) goto fail;
  if (argnums == Py_None) {
    if (PyTuple_GET_SIZE(g->argnames) > 0) {
      g->argnums_form = 0;
      g->argnums = PyTuple_New(0);
    } else {
      g->argnums_form = 1;
      g->argnums = Py_BuildValue("(i)", 0);
    }
  } else if (PyLong_Check(argnums)) {
    g->argnums_form = 1;
    g->argnums = PyTuple_Pack(1, argnums);
  } else {
    g->argnums_form = 2;
    g->argnums = PySequence_Tuple(argnums);
  }
  if (!g->argnums) goto fail;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(g->argnums); i++) {
    Py_ssize_t k = PyLong_AsSsize_t(PyTuple_GET_ITEM(g->argnums, i));
    if (k == -1 && PyErr_Occurred()) goto fail;
    if (k < 0) {
      PyErr_Format(PyExc_ValueError,
                   "%s Can't compute the gradient of negative argument index %zd.",
                   value_and_grad ? "[value_and_grad]" : "[grad]", k);
      goto fail;
    }
  }
  PyObject* capsule = PyCapsule_New(g, "mlx.grad_spec", grad_spec_free);
  if (!capsule) goto fail;
  return mxpy_make_callable(&grad_call_def, capsule);
fail:
  Py_XDECREF(g->fun);
  Py_XDECREF(g->argnums);
  Py_XDECREF(g->argnames);
  free(g);
  return NULL;
}

static PyObject* py_grad(PyObject* m, PyObject* args, PyObject* kwargs) {
  return make_grad(args, kwargs, false);
}

static PyObject* py_value_and_grad(PyObject* m, PyObject* args, PyObject* kwargs) {
  return make_grad(args, kwargs, true);
}

/* --- vjp and jvp ------------------------------------------------------------------ */

static PyObject* call_positional(mxpy_traced* t, PyObject* leaves) {
  PyObject* args = PyList_AsTuple(leaves);
  if (!args) return NULL;
  PyObject* r = PyObject_Call(t->fun, args, NULL);
  Py_DECREF(args);
  return r;
}

static PyObject* flat_outputs(mxpy_traced* t, PyObject* result) {
  PyObject* flat = PyList_New(0);
  if (flat && mxpy_tree_flatten(result, flat, true, t->who) < 0) Py_CLEAR(flat);
  return flat;
}

static int list_of_arrays(PyObject* obj, const char* what, int* n, mx_array*** out) {
  PyObject* leaves = PyList_New(0);
  if (!leaves) return -1;
  if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s must be a list of arrays.", what);
    Py_DECREF(leaves);
    return -1;
  }
  int rc = mxpy_tree_flatten(obj, leaves, true, "tree_flatten");
  if (rc == 0) rc = mxpy_arrays_from_list(leaves, n, out);
  Py_DECREF(leaves);
  return rc;
}

static PyObject* py_vjp(PyObject* m, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"fun", "primals", "cotangents", NULL};
  PyObject *fun, *pp, *cp;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO", kwlist, &fun, &pp, &cp)) return NULL;
  int np_ = 0, nc = 0, n_out = 0;
  mx_array **primals = NULL, **cots = NULL, **outs = NULL, **vjps = NULL;
  if (list_of_arrays(pp, "primals", &np_, &primals) < 0) return NULL;
  if (list_of_arrays(cp, "cotangents", &nc, &cots) < 0) {
    mx_arrays_free(np_, primals);
    return NULL;
  }
  mxpy_traced t = {.fun = fun, .who = "vjp", .build_and_call = call_positional,
                   .outputs_of = flat_outputs};
  int rc = mx_vjp(mxpy_call_traced, &t, np_, primals, nc, cots, &n_out, &outs, &vjps);
  mx_arrays_free(np_, primals);
  mx_arrays_free(nc, cots);
  Py_XDECREF(t.result);
  if (rc != 0) return mxpy_transform_failed(&t);
  PyObject* o = mxpy_list_from_arrays(n_out, outs);
  PyObject* v = mxpy_list_from_arrays(np_, vjps);
  PyObject* r = o && v ? PyTuple_Pack(2, o, v) : NULL;
  Py_XDECREF(o);
  Py_XDECREF(v);
  return r;
}

static PyObject* py_jvp(PyObject* m, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"fun", "primals", "tangents", NULL};
  PyObject *fun, *pp, *tp;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO", kwlist, &fun, &pp, &tp)) return NULL;
  int np_ = 0, nt = 0, n_out = 0;
  mx_array **primals = NULL, **tans = NULL, **outs = NULL, **jvps = NULL;
  if (list_of_arrays(pp, "primals", &np_, &primals) < 0) return NULL;
  if (list_of_arrays(tp, "tangents", &nt, &tans) < 0) {
    mx_arrays_free(np_, primals);
    return NULL;
  }
  if (nt != np_) {
    mx_arrays_free(np_, primals);
    mx_arrays_free(nt, tans);
    PyErr_SetString(PyExc_ValueError, "[jvp] Number of inputs does not match number of tangents.");
    return NULL;
  }
  mxpy_traced t = {.fun = fun, .who = "jvp", .build_and_call = call_positional,
                   .outputs_of = flat_outputs};
  int rc = mx_jvp(mxpy_call_traced, &t, np_, primals, tans, &n_out, &outs, &jvps);
  mx_arrays_free(np_, primals);
  mx_arrays_free(nt, tans);
  Py_XDECREF(t.result);
  if (rc != 0) return mxpy_transform_failed(&t);
  PyObject* o = mxpy_list_from_arrays(n_out, outs);
  PyObject* v = mxpy_list_from_arrays(n_out, jvps);
  PyObject* r = o && v ? PyTuple_Pack(2, o, v) : NULL;
  Py_XDECREF(o);
  Py_XDECREF(v);
  return r;
}

static PyMethodDef transform_functions[] = {
    {"grad", (PyCFunction)(void (*)(void))py_grad, METH_VARARGS | METH_KEYWORDS,
     "grad(fun, argnums=None, argnames=[]): a function computing the gradient of fun."},
    {"value_and_grad", (PyCFunction)(void (*)(void))py_value_and_grad, METH_VARARGS | METH_KEYWORDS,
     "value_and_grad(fun, argnums=None, argnames=[]): a function computing fun and its gradient."},
    {"vjp", (PyCFunction)(void (*)(void))py_vjp, METH_VARARGS | METH_KEYWORDS,
     "vjp(fun, primals, cotangents): the outputs of fun and the vector-Jacobian products."},
    {"jvp", (PyCFunction)(void (*)(void))py_jvp, METH_VARARGS | METH_KEYWORDS,
     "jvp(fun, primals, tangents): the outputs of fun and the Jacobian-vector products."},
    {NULL, NULL, 0, NULL},
};

int mxpy_transforms_init(PyObject* module) {
  if (PyModule_AddFunctions(module, transform_functions) < 0) return -1;
  if (mxpy_vmap_init(module) < 0) return -1;
  if (mxpy_custom_init(module) < 0) return -1;
  return mxpy_compile_init(module);
}
