/* PyInit_core: the mlx.core module.
 *
 * The package has no __init__.py (mlx is a namespace package, as in MLX), so
 * this extension is python/mlx/core.cpython-*.so.  Each area of the
 * extension registers its types and functions here; the op families are
 * tables (ops_*.c) added in one loop. */
#include "mlxpy.h"

PyObject* mxpy_submodule(PyObject* parent, const char* name) {
  PyObject* existing = PyObject_GetAttrString(parent, name);
  if (existing) {
    Py_DECREF(existing); /* the parent keeps it alive */
    return existing;
  }
  PyErr_Clear();
  char full[128];
  snprintf(full, sizeof full, "%s.%s", MLXPY_MODULE, name);
  PyObject* m = PyModule_New(full);
  if (!m) return NULL;
  PyObject* modules = PyImport_GetModuleDict();
  if (PyDict_SetItemString(modules, full, m) != 0 || PyModule_AddObject(parent, name, m) != 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = MLXPY_MODULE,
    .m_doc = "mlx: an array framework (cmlx, the MLX programming model in C).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit_core(void) {
  mx_init();
  PyObject* m = PyModule_Create(&core_module);
  if (!m) return NULL;
  const mxpy_fn* const op_tables[] = {
      mxpy_ops_arith,       mxpy_ops_reduce,  mxpy_ops_shape,       mxpy_ops_create,
      mxpy_ops_unary,       mxpy_ops_binary,  mxpy_ops_reduce_sort, mxpy_ops_shape_more,
      mxpy_ops_indexing,    mxpy_ops_linalg_conv, mxpy_ops_misc};
  const mxpy_fn* const method_tables[] = {mxpy_array_methods_table, mxpy_reduce_methods, mxpy_shape_methods,
                                          mxpy_reduce_sort_methods, mxpy_unary_methods};
  if (PyModule_AddStringConstant(m, "__version__", MX_VERSION_STRING) < 0 ||
      mxpy_dtype_init(m) < 0 || mxpy_device_init(m) < 0 || mxpy_array_init(m) < 0 ||
      mxpy_memory_init(m) < 0 || mxpy_eval_init(m) < 0 || mxpy_random_init(m) < 0 ||
      mxpy_misc_init(m) < 0 || mxpy_linalg_init(m) < 0 || mxpy_fft_init(m) < 0 ||
      mxpy_transforms_init(m) < 0 || mxpy_io_init(m) < 0)
    goto fail;
  for (size_t i = 0; i < sizeof op_tables / sizeof op_tables[0]; i++)
    if (mxpy_add_functions(m, op_tables[i]) < 0) goto fail;
  for (size_t i = 0; i < sizeof method_tables / sizeof method_tables[0]; i++)
    if (mxpy_add_methods(&mxpy_array_type, method_tables[i]) < 0) goto fail;
  return m;
fail:
  Py_DECREF(m);
  return NULL;
}
