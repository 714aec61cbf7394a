/* mlx-c functions of the binary family (see include/mlx/c/ops.h): argument
 * checks and handle conversion around src/ops/binary_*.c. */
#include "capi.h"

int mlx_arctan2(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_arctan2, "mlx_arctan2");
}
int mlx_bitwise_and(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_bitwise_and, "mlx_bitwise_and");
}
int mlx_bitwise_or(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_bitwise_or, "mlx_bitwise_or");
}
int mlx_bitwise_xor(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_bitwise_xor, "mlx_bitwise_xor");
}
int mlx_equal(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_equal, "mlx_equal");
}
int mlx_floor_divide(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_floor_divide, "mlx_floor_divide");
}
int mlx_greater(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_greater, "mlx_greater");
}
int mlx_greater_equal(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_greater_equal, "mlx_greater_equal");
}
int mlx_left_shift(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_left_shift, "mlx_left_shift");
}
int mlx_less(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_less, "mlx_less");
}
int mlx_less_equal(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_less_equal, "mlx_less_equal");
}
int mlx_logaddexp(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_logaddexp, "mlx_logaddexp");
}
int mlx_logical_and(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_logical_and, "mlx_logical_and");
}
int mlx_logical_or(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_logical_or, "mlx_logical_or");
}
int mlx_maximum(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_maximum, "mlx_maximum");
}
int mlx_minimum(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_minimum, "mlx_minimum");
}
int mlx_not_equal(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_not_equal, "mlx_not_equal");
}
int mlx_power(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_power, "mlx_power");
}
int mlx_remainder(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_remainder, "mlx_remainder");
}
int mlx_right_shift(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_right_shift, "mlx_right_shift");
}

int mlx_divmod(mlx_vector_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  if (!res) return mx__capi_null_output("mlx_divmod");
  mx_array* x = mx__capi_array(a, "a");
  if (!x) return 1;
  mx_array* y = mx__capi_array(b, "b");
  if (!y) return 1;
  mx_stream st;
  if (!mx__capi_stream(s, &st)) return 1;
  mx_array *q, *r;
  if (mx_divmod(x, y, st, &q, &r) != 0) return mx__capi_fail();
  /* The vector takes its own references to the pair. */
  mlx_array pair[2] = {{q}, {r}};
  int rc = mlx_vector_array_set_data(res, pair, 2);
  mx_array_release(q);
  mx_array_release(r);
  return rc;
}

int mlx_where(mlx_array* res, const mlx_array condition, const mlx_array x, const mlx_array y,
              const mlx_stream s) {
  if (!res) return mx__capi_null_output("mlx_where");
  mx_array* c = mx__capi_array(condition, "condition");
  if (!c) return 1;
  mx_array* u = mx__capi_array(x, "x");
  if (!u) return 1;
  mx_array* v = mx__capi_array(y, "y");
  if (!v) return 1;
  mx_stream st;
  if (!mx__capi_stream(s, &st)) return 1;
  return mx__capi_put_array(res, mx_where(c, u, v, st));
}

/* An empty handle for a bound means "no bound", as in mlx-c. */
int mlx_clip(mlx_array* res, const mlx_array a, const mlx_array a_min, const mlx_array a_max,
             const mlx_stream s) {
  if (!res) return mx__capi_null_output("mlx_clip");
  mx_array* x = mx__capi_array(a, "a");
  if (!x) return 1;
  mx_stream st;
  if (!mx__capi_stream(s, &st)) return 1;
  return mx__capi_put_array(res, mx_clip(x, a_min.ctx, a_max.ctx, st));
}
