/* Placeholder for the transforms bindings; the module init is filled in by the
 * engineer building them. */
#include "mlxpy.h"

int mxpy_transforms_init(PyObject* module) {
  (void)module;
  return 0;
}
