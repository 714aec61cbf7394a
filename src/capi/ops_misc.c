/* mlx-c functions of the misc family (see include/mlx/c/ops.h): mlx_depends. */
#include <limits.h>
#include <stdlib.h>

#include "capi.h"
#include "ops/ops_misc.h"

int mlx_depends(mlx_vector_array* res, const mlx_vector_array inputs,
                const mlx_vector_array dependencies) {
  if (!res) return mx__capi_null_output("mlx_depends");
  size_t ni = 0, nd = 0;
  mx_array* const* in = mx__capi_vector_arrays(inputs, &ni);
  if (!in && ni) return 1;
  mx_array* const* deps = mx__capi_vector_arrays(dependencies, &nd);
  if (!deps && nd) return 1;
  if (ni > INT_MAX || nd > INT_MAX)
    return mx__capi_failf(MX_ERR_VALUE, "[depends] Too many arrays.");
  if (ni == 0) return mlx_vector_array_set_data(res, NULL, 0);
  mx_array** outs = calloc(ni, sizeof *outs);
  mlx_array* handles = calloc(ni, sizeof *handles);
  if (!outs || !handles) {
    free(outs);
    free(handles);
    return mx__capi_failf(MX_ERR_MEMORY, "[depends] Out of memory.");
  }
  /* mlx-c's depends has no stream argument: the outputs are made on the
   * default stream. */
  mx_stream s = mx_default_stream(mx_default_device());
  int rc = mx_depends((int)ni, in, (int)nd, deps, s, outs);
  if (rc == 0) {
    for (size_t i = 0; i < ni; i++) handles[i].ctx = outs[i];
    rc = mlx_vector_array_set_data(res, handles, ni);
    for (size_t i = 0; i < ni; i++) mx_array_release(outs[i]);
  } else {
    rc = mx__capi_fail();
  }
  free(outs);
  free(handles);
  return rc;
}
