/* Shared by the transform bindings (transforms.c, vmap.c, and later
 * compile.c): Python trees <-> flat array lists, and the trampoline that
 * lets a C transform call a Python function. */
#ifndef MLXPY_TRANSFORMS_PY_H
#define MLXPY_TRANSFORMS_PY_H

#include "mlxpy.h"
#include "transforms/transforms.h"

/* Appends the array leaves of `tree` (lists, tuples, dicts, in order) to
 * `leaves`.  With arrays_only, any other leaf raises ValueError naming
 * `who`; otherwise other leaves are skipped (they stay in the tree). */
int mxpy_tree_flatten(PyObject* tree, PyObject* leaves, bool arrays_only, const char* who);
/* A copy of `tree` whose array leaves are taken in order from `leaves`
 * starting at *next (tuples stay tuples, lists lists, dicts dicts). */
PyObject* mxpy_tree_unflatten(PyObject* tree, PyObject* leaves, Py_ssize_t* next);
/* The same, with every non-array leaf replaced by `other` (NULL: kept). */
PyObject* mxpy_tree_map_leaves(PyObject* tree, PyObject* leaves, Py_ssize_t* next, PyObject* other);

/* Python list of arrays -> malloc'd list of new references. */
int mxpy_arrays_from_list(PyObject* list, int* n, mx_array*** out);
/* Steals the references and frees the list. */
PyObject* mxpy_list_from_arrays(int n, mx_array** arrays);

/* One traced call: how to rebuild the Python call from the stand-in leaves
 * and which arrays of the result the transform sees. */
typedef struct mxpy_traced mxpy_traced;
struct mxpy_traced {
  PyObject* fun;
  PyObject* args;     /* the original call (borrowed) */
  PyObject* kwargs;
  PyObject* argnums;  /* grad: tuple of positional indices */
  PyObject* argnames; /* grad: tuple of keyword names */
  bool value_and_grad;
  const char* who;    /* name for error messages */
  void* extra;        /* per-transform data */
  PyObject* (*build_and_call)(mxpy_traced* t, PyObject* leaves);
  PyObject* (*outputs_of)(mxpy_traced* t, PyObject* result); /* list of arrays */
  PyObject* result;   /* what the function returned (owned) */
  bool python_error;  /* the function raised: the exception is pending */
};

/* The mx_fn that runs a mxpy_traced. */
int mxpy_call_traced(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out);
/* After a transform failed: re-raises the Python function's exception, or
 * raises the library error. Returns NULL. */
PyObject* mxpy_transform_failed(mxpy_traced* t);
/* A callable wrapping `def` whose self is `capsule` (reference stolen). */
PyObject* mxpy_make_callable(PyMethodDef* def, PyObject* capsule);

int mxpy_vmap_init(PyObject* module);
int mxpy_compile_init(PyObject* module);
int mxpy_custom_init(PyObject* module); /* custom.c: custom_function, checkpoint */

#endif
