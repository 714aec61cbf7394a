/* mlx-c's detail vmap (mlx/c/transforms_impl.h) over mx_vmap_trace and
 * mx_vmap_replace. */
#include <stdlib.h>

#include "capi_closure.h"
#include "mlx/c/transforms_impl.h"
#include "transforms/transforms.h"

/* The axes as ints, -1 meaning "not mapped"; checks the count. */
static int axes_arg(const int* axes, size_t n, size_t want, const char* what, const char* who) {
  if (n != want)
    return mx__capi_failf(MX_ERR_VALUE, "[%s] Expected %zu %s but got %zu.", who, want, what, n);
  if (n && !axes) return mx__capi_failf(MX_ERR_VALUE, "[%s] %s is NULL.", who, what);
  return 0;
}

int mlx_detail_vmap_trace(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
                          const mlx_vector_array inputs, const int* in_axes, size_t in_axes_num) {
  OUT(res_0, "mlx_detail_vmap_trace");
  OUT(res_1, "mlx_detail_vmap_trace");
  if (!fun.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_detail_vmap_trace] The closure is empty.");
  int n_in = 0, n_out = 0;
  mx_array **in = NULL, **standins = NULL, **outs = NULL;
  if (mx__capi_vector_take(inputs, &n_in, &in) != 0) return mx__capi_fail();
  if (axes_arg(in_axes, in_axes_num, (size_t)n_in, "in_axes", "mlx_detail_vmap_trace") != 0) {
    mx_arrays_free(n_in, in);
    return 1;
  }
  int rc = mx_vmap_trace(mx__capi_closure_fn, fun.ctx, n_in, in, in_axes, &standins, &n_out, &outs);
  if (rc != 0) {
    mx_arrays_free(n_in, in);
    return mx__capi_fail();
  }
  rc = mx__capi_put_vector(res_0, n_in, standins);
  if (rc == 0) rc = mx__capi_put_vector(res_1, n_out, outs);
  mx_arrays_free(n_in, in);
  mx_arrays_free(n_in, standins);
  mx_arrays_free(n_out, outs);
  return rc;
}

int mlx_detail_vmap_replace(mlx_vector_array* res, const mlx_vector_array inputs,
                            const mlx_vector_array s_inputs, const mlx_vector_array s_outputs,
                            const int* in_axes, size_t in_axes_num, const int* out_axes,
                            size_t out_axes_num) {
  OUT(res, "mlx_detail_vmap_replace");
  int n_in = 0, n_s = 0, n_out = 0, rc = 0;
  mx_array **in = NULL, **s_in = NULL, **s_out = NULL, **result = NULL;
  if (mx__capi_vector_take(inputs, &n_in, &in) != 0 ||
      mx__capi_vector_take(s_inputs, &n_s, &s_in) != 0 ||
      mx__capi_vector_take(s_outputs, &n_out, &s_out) != 0) {
    rc = mx__capi_fail();
    goto done;
  }
  if (n_s != n_in) {
    rc = mx__capi_failf(MX_ERR_VALUE,
                        "[mlx_detail_vmap_replace] %d inputs but %d traced inputs.", n_in, n_s);
    goto done;
  }
  if (axes_arg(in_axes, in_axes_num, (size_t)n_in, "in_axes", "mlx_detail_vmap_replace") != 0 ||
      (out_axes_num != 1 &&
       axes_arg(out_axes, out_axes_num, (size_t)n_out, "out_axes", "mlx_detail_vmap_replace") != 0)) {
    rc = 1;
    goto done;
  }
  if (mx_vmap_replace(n_in, in, s_in, in_axes, n_out, s_out, (int)out_axes_num, out_axes,
                      &result) != 0) {
    rc = mx__capi_fail();
    goto done;
  }
  rc = mx__capi_put_vector(res, n_out, result);
done:
  mx_arrays_free(n_in, in);
  mx_arrays_free(n_s, s_in);
  mx_arrays_free(n_out, s_out);
  mx_arrays_free(n_out, result);
  return rc;
}
