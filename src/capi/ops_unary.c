/* mlx-c functions of the unary family (see include/mlx/c/ops.h): argument
 * checks and handle conversion around src/ops/unary_*.c. */
#include "capi.h"

int mlx_abs(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_abs, "mlx_abs");
}
int mlx_arccos(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arccos, "mlx_arccos");
}
int mlx_arccosh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arccosh, "mlx_arccosh");
}
int mlx_arcsin(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arcsin, "mlx_arcsin");
}
int mlx_arcsinh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arcsinh, "mlx_arcsinh");
}
int mlx_arctan(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arctan, "mlx_arctan");
}
int mlx_arctanh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_arctanh, "mlx_arctanh");
}
int mlx_bitwise_invert(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_bitwise_invert, "mlx_bitwise_invert");
}
int mlx_ceil(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_ceil, "mlx_ceil");
}
int mlx_conjugate(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_conjugate, "mlx_conjugate");
}
int mlx_cos(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_cos, "mlx_cos");
}
int mlx_cosh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_cosh, "mlx_cosh");
}
int mlx_degrees(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_degrees, "mlx_degrees");
}
int mlx_erf(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_erf, "mlx_erf");
}
int mlx_erfinv(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_erfinv, "mlx_erfinv");
}
int mlx_exp(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_exp, "mlx_exp");
}
int mlx_expm1(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_expm1, "mlx_expm1");
}
int mlx_floor(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_floor, "mlx_floor");
}
int mlx_imag(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_imag, "mlx_imag");
}
int mlx_isfinite(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_isfinite, "mlx_isfinite");
}
int mlx_isinf(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_isinf, "mlx_isinf");
}
int mlx_isnan(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_isnan, "mlx_isnan");
}
int mlx_isneginf(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_isneginf, "mlx_isneginf");
}
int mlx_isposinf(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_isposinf, "mlx_isposinf");
}
int mlx_log(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_log, "mlx_log");
}
int mlx_log10(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_log10, "mlx_log10");
}
int mlx_log1p(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_log1p, "mlx_log1p");
}
int mlx_log2(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_log2, "mlx_log2");
}
int mlx_logical_not(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_logical_not, "mlx_logical_not");
}
int mlx_negative(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_negative, "mlx_negative");
}
int mlx_radians(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_radians, "mlx_radians");
}
int mlx_real(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_real, "mlx_real");
}
int mlx_reciprocal(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_reciprocal, "mlx_reciprocal");
}
int mlx_rsqrt(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_rsqrt, "mlx_rsqrt");
}
int mlx_sigmoid(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_sigmoid, "mlx_sigmoid");
}
int mlx_sign(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_sign, "mlx_sign");
}
int mlx_sin(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_sin, "mlx_sin");
}
int mlx_sinh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_sinh, "mlx_sinh");
}
int mlx_sqrt(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_sqrt, "mlx_sqrt");
}
int mlx_square(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_square, "mlx_square");
}
int mlx_stop_gradient(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_stop_gradient, "mlx_stop_gradient");
}
int mlx_tan(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_tan, "mlx_tan");
}
int mlx_tanh(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_tanh, "mlx_tanh");
}

int mlx_round(mlx_array* res, const mlx_array a, int decimals, const mlx_stream s) {
  if (!res) return mx__capi_null_output("mlx_round");
  mx_array* x = mx__capi_array(a, "a");
  if (!x) return 1;
  mx_stream st;
  if (!mx__capi_stream(s, &st)) return 1;
  return mx__capi_put_array(res, mx_round(x, decimals, st));
}

int mlx_nan_to_num(mlx_array* res, const mlx_array a, float nan, mlx_optional_float posinf,
                   mlx_optional_float neginf, const mlx_stream s) {
  if (!res) return mx__capi_null_output("mlx_nan_to_num");
  mx_array* x = mx__capi_array(a, "a");
  if (!x) return 1;
  mx_stream st;
  if (!mx__capi_stream(s, &st)) return 1;
  return mx__capi_put_array(res, mx_nan_to_num(x, nan, posinf.has_value, posinf.value,
                                               neginf.has_value, neginf.value, st));
}
