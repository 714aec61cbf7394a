/* mlx.core.eval and mlx.core.async_eval, and evaluation with the GIL
 * released for the rest of the extension.
 *
 * Both functions take any number of arguments, each an array or a nested
 * list / tuple / dict (values) of arrays; anything else in the structure is
 * ignored, as MLX does.  The arrays are retained while the GIL is released,
 * so another thread replacing an array object's data (a += 1) cannot free
 * what is being evaluated. */
#include "mlxpy.h"

typedef struct {
  mx_array** items;
  int n, cap;
} array_vec;

static int vec_push(array_vec* v, mx_array* a) {
  if (v->n == v->cap) {
    int cap = v->cap ? v->cap * 2 : 16;
    mx_array** items = realloc(v->items, (size_t)cap * sizeof *items);
    if (!items) {
      PyErr_NoMemory();
      return -1;
    }
    v->items = items;
    v->cap = cap;
  }
  mx_array_retain(a);
  v->items[v->n++] = a;
  return 0;
}

static void vec_free(array_vec* v) {
  for (int i = 0; i < v->n; i++) mx_array_release(v->items[i]);
  free(v->items);
}

/* Collects the arrays in `obj`.  Recursion follows the nesting of the
 * containers and is guarded by Python's recursion limit. */
static int collect(PyObject* obj, array_vec* out) {
  if (mxpy_is_array(obj)) return vec_push(out, mxpy_arr(obj));
  bool seq = PyList_Check(obj) || PyTuple_Check(obj), dict = PyDict_Check(obj);
  if (!seq && !dict) return 0;
  if (Py_EnterRecursiveCall(" while collecting arrays to evaluate")) return -1;
  int rc = 0;
  if (seq) {
    PyObject* fast = PySequence_Fast(obj, "");
    if (!fast) rc = -1;
    for (Py_ssize_t i = 0; fast && rc == 0 && i < PySequence_Fast_GET_SIZE(fast); i++)
      rc = collect(PySequence_Fast_GET_ITEM(fast, i), out);
    Py_XDECREF(fast);
  } else {
    PyObject* values = PyDict_Values(obj);
    if (!values) rc = -1;
    for (Py_ssize_t i = 0; values && rc == 0 && i < PyList_GET_SIZE(values); i++)
      rc = collect(PyList_GET_ITEM(values, i), out);
    Py_XDECREF(values);
  }
  Py_LeaveRecursiveCall();
  return rc;
}

int mxpy_eval_arrays(int n, mx_array* const* arrays, bool async) {
  /* Fast path: nothing to do for arrays that already have data. */
  bool all_ready = !async;
  for (int i = 0; i < n && all_ready; i++)
    all_ready = mx_array_is_available(arrays[i]) && arrays[i]->event.stream < 0 && !arrays[i]->error;
  if (all_ready) return 0;
  for (int i = 0; i < n; i++) mx_array_retain(arrays[i]);
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = async ? mx_async_eval(n, arrays) : mx_eval(n, arrays);
  Py_END_ALLOW_THREADS
  for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
  return rc == 0 ? 0 : mxpy_raise_int();
}

static PyObject* eval_impl(PyObject* args, bool async) {
  array_vec v = {0};
  if (collect(args, &v) != 0) {
    vec_free(&v);
    return NULL;
  }
  int rc = mxpy_eval_arrays(v.n, v.items, async);
  vec_free(&v);
  if (rc != 0) return NULL;
  Py_RETURN_NONE;
}

static PyObject* py_eval(PyObject* mod, PyObject* args) { return eval_impl(args, false); }
static PyObject* py_async_eval(PyObject* mod, PyObject* args) { return eval_impl(args, true); }

static PyMethodDef eval_methods[] = {
    {"eval", py_eval, METH_VARARGS,
     "eval(*args)\n--\n\n"
     "Evaluate each array in the arguments, which may be arrays or nested lists,\n"
     "tuples and dicts of arrays; other values are ignored. Returns when every\n"
     "array has its data."},
    {"async_eval", py_async_eval, METH_VARARGS,
     "async_eval(*args)\n--\n\n"
     "Queue the evaluation of the arrays in the arguments (as for eval) and return\n"
     "at once; reading an array, or eval, waits for it."},
    {NULL, NULL, 0, NULL},
};

int mxpy_eval_init(PyObject* module) { return PyModule_AddFunctions(module, eval_methods); }
