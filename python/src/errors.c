/* Turning the C library's per-thread error status into Python exceptions.
 *
 * The library records a kind with every error (src/core/error.h); the kind
 * was chosen to match the exception MLX raises for the same mistake, so the
 * mapping here is one line per kind.  The message is the library's own. */
#include "mlxpy.h"

PyObject* mxpy_raise(void) {
  /* A converter may already have raised a Python exception; keep it. */
  if (PyErr_Occurred()) return NULL;
  PyObject* type;
  switch (mx_error_last_kind()) {
    case MX_ERR_VALUE: type = PyExc_ValueError; break;
    case MX_ERR_TYPE: type = PyExc_TypeError; break;
    case MX_ERR_INDEX: type = PyExc_IndexError; break;
    case MX_ERR_MEMORY: type = PyExc_MemoryError; break;
    default: type = PyExc_RuntimeError; break;
  }
  const char* msg = mx_error_message();
  PyErr_SetString(type, msg && msg[0] ? msg : "[mlx] Unknown error.");
  mx_error_clear();
  return NULL;
}

int mxpy_raise_int(void) {
  mxpy_raise();
  return -1;
}
