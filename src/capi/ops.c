/* Array operations: argument checks and handle conversion around the op
 * constructors of src/ops.  Each wrapper follows the same three steps:
 * resolve the inputs (arrays, stream, shape, dtype), call the constructor,
 * store the result in *res (mx__capi_put_array reports failures). */
#include <limits.h>

#include "capi.h"

int mx__capi_binary(mlx_array* res, mlx_array a, mlx_array b, mlx_stream s,
                    mx__capi_binary_fn fn, const char* name) {
  OUT(res, name);
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, fn(x, y, st));
}

int mx__capi_unary(mlx_array* res, mlx_array a, mlx_stream s, mx__capi_unary_fn fn,
                   const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, fn(x, st));
}

/* --- arithmetic ---------------------------------------------------------------- */


int mlx_add(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_add, "mlx_add");
}
int mlx_subtract(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_subtract, "mlx_subtract");
}
int mlx_multiply(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_multiply, "mlx_multiply");
}
int mlx_divide(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_divide, "mlx_divide");
}
int mlx_matmul(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_matmul, "mlx_matmul");
}

/* --- reductions ---------------------------------------------------------------- */

/* mx_sum reads axes == NULL as "all axes"; an explicit empty list must stay
 * an empty list (MLX then reduces nothing), so it gets a non-NULL pointer. */
static int sum(mlx_array* res, mlx_array a, const int* axes, size_t naxes, bool all,
               bool keepdims, mlx_stream s, const char* name) {
  static const int no_axes[1] = {0};
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  if (!all && !mx__capi_shape(axes, naxes, name)) return 1;
  const int* list = all ? NULL : (axes ? axes : no_axes);
  return mx__capi_put_array(res, mx_sum(x, all ? 0 : (int)naxes, list, keepdims, st));
}

int mlx_sum_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                 bool keepdims, const mlx_stream s) {
  return sum(res, a, axes, axes_num, false, keepdims, s, "mlx_sum_axes");
}
int mlx_sum_axis(mlx_array* res, const mlx_array a, int axis, bool keepdims, const mlx_stream s) {
  return sum(res, a, &axis, 1, false, keepdims, s, "mlx_sum_axis");
}
int mlx_sum(mlx_array* res, const mlx_array a, bool keepdims, const mlx_stream s) {
  return sum(res, a, NULL, 0, true, keepdims, s, "mlx_sum");
}

/* --- shape and type ------------------------------------------------------------- */

int mlx_reshape(mlx_array* res, const mlx_array a, const int* shape, size_t shape_num,
                const mlx_stream s) {
  OUT(res, "mlx_reshape");
  ARG(x, a);
  STREAM(st, s);
  if (!mx__capi_shape(shape, shape_num, "mlx_reshape")) return 1;
  return mx__capi_put_array(res, mx_reshape(x, (int)shape_num, shape, st));
}

int mlx_transpose_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                       const mlx_stream s) {
  static const int no_axes[1] = {0};
  OUT(res, "mlx_transpose_axes");
  ARG(x, a);
  STREAM(st, s);
  if (!mx__capi_shape(axes, axes_num, "mlx_transpose_axes")) return 1;
  /* As for sums, NULL would mean "reverse"; an empty list is a list. */
  return mx__capi_put_array(res, mx_transpose(x, (int)axes_num, axes ? axes : no_axes, st));
}

int mlx_transpose(mlx_array* res, const mlx_array a, const mlx_stream s) {
  OUT(res, "mlx_transpose");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_transpose(x, 0, NULL, st));
}

int mlx_broadcast_to(mlx_array* res, const mlx_array a, const int* shape, size_t shape_num,
                     const mlx_stream s) {
  OUT(res, "mlx_broadcast_to");
  ARG(x, a);
  STREAM(st, s);
  if (!mx__capi_shape(shape, shape_num, "mlx_broadcast_to")) return 1;
  return mx__capi_put_array(res, mx_broadcast_to(x, (int)shape_num, shape, st));
}

int mlx_astype(mlx_array* res, const mlx_array a, mlx_dtype dtype, const mlx_stream s) {
  mx_dtype dt;
  OUT(res, "mlx_astype");
  ARG(x, a);
  STREAM(st, s);
  if (!mx__capi_dtype(dtype, &dt)) return 1;
  return mx__capi_put_array(res, mx_astype(x, dt, st));
}

int mlx_copy(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_copy, "mlx_copy");
}

/* --- creation ------------------------------------------------------------------- */

int mlx_full(mlx_array* res, const int* shape, size_t shape_num, const mlx_array vals,
             mlx_dtype dtype, const mlx_stream s) {
  mx_dtype dt;
  OUT(res, "mlx_full");
  ARG(v, vals);
  STREAM(st, s);
  if (!mx__capi_shape(shape, shape_num, "mlx_full") || !mx__capi_dtype(dtype, &dt)) return 1;
  return mx__capi_put_array(res, mx_full((int)shape_num, shape, v, dt, st));
}

typedef mx_array* (*fill_fn)(int, const int*, mx_dtype, mx_stream);

static int fill(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                mlx_stream s, fill_fn fn, const char* name) {
  mx_dtype dt;
  OUT(res, name);
  STREAM(st, s);
  if (!mx__capi_shape(shape, shape_num, name) || !mx__capi_dtype(dtype, &dt)) return 1;
  return mx__capi_put_array(res, fn((int)shape_num, shape, dt, st));
}

int mlx_zeros(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
              const mlx_stream s) {
  return fill(res, shape, shape_num, dtype, s, mx_zeros, "mlx_zeros");
}
int mlx_ones(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
             const mlx_stream s) {
  return fill(res, shape, shape_num, dtype, s, mx_ones, "mlx_ones");
}

int mlx_zeros_like(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_zeros_like, "mlx_zeros_like");
}

int mlx_ones_like(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_ones_like, "mlx_ones_like");
}

int mlx_arange(mlx_array* res, double start, double stop, double step, mlx_dtype dtype,
               const mlx_stream s) {
  mx_dtype dt;
  OUT(res, "mlx_arange");
  STREAM(st, s);
  if (!mx__capi_dtype(dtype, &dt)) return 1;
  return mx__capi_put_array(res, mx_arange(start, stop, step, dt, st));
}
