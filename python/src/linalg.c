/* Placeholder for the linalg bindings; the module init is filled in by the
 * engineer building them. */
#include "mlxpy.h"

int mxpy_linalg_init(PyObject* module) {
  (void)module;
  return 0;
}
