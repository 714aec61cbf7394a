/* Evaluating vectors of arrays. */
#include <limits.h>

#include "capi.h"

typedef int (*eval_fn)(int, mx_array* const*);

static int eval_vector(mlx_vector_array outputs, eval_fn fn, const char* name) {
  if (!outputs.ctx) return mx__capi_failf(MX_ERR_VALUE, "[%s] Expected a non-empty mlx_vector_array.", name);
  size_t n;
  mx_array* const* arrays = mx__capi_vector_arrays(outputs, &n);
  if (n > INT_MAX) return mx__capi_failf(MX_ERR_VALUE, "[%s] Too many arrays (%zu).", name, n);
  if (n == 0) return 0;
  return fn((int)n, arrays) == 0 ? 0 : mx__capi_fail();
}

int mlx_eval(const mlx_vector_array outputs) { return eval_vector(outputs, mx_eval, "mlx_eval"); }

int mlx_async_eval(const mlx_vector_array outputs) {
  return eval_vector(outputs, mx_async_eval, "mlx_async_eval");
}
