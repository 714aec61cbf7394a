/* The unary family through the mlx-c API: every exported function is
 * called on a small input and its value compared with the C library's
 * double-precision result (or the exact integer/bool answer); errors go
 * through the error handler and return 1. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "mlx/c/mlx.h"

typedef int (*unary_fn)(mlx_array*, const mlx_array, const mlx_stream);

static float f32_of(unary_fn fn, float x) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_float32(x), r = mlx_array_new();
  float v = NAN;
  if (fn(&r, a, s) != 0 || mlx_array_item_float32(&v, r) != 0) v = -12345.0f;
  mlx_array_free(a);
  mlx_array_free(r);
  mlx_stream_free(s);
  return v;
}

static bool bool_of(unary_fn fn, float x) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_float32(x), r = mlx_array_new();
  bool v = false;
  CHECK(fn(&r, a, s) == 0 && mlx_array_dtype(r) == MLX_BOOL && mlx_array_item_bool(&v, r) == 0);
  mlx_array_free(a);
  mlx_array_free(r);
  mlx_stream_free(s);
  return v;
}

static void test_float_math(void) {
  const float x = 0.375f;
  struct {
    unary_fn fn;
    double want;
  } rows[] = {
      {mlx_abs, fabs(x)},         {mlx_negative, -x},          {mlx_sign, 1.0},
      {mlx_square, x * x},        {mlx_sqrt, sqrt(x)},         {mlx_rsqrt, 1 / sqrt(x)},
      {mlx_reciprocal, 1 / x},    {mlx_exp, exp(x)},           {mlx_expm1, expm1(x)},
      {mlx_log, log(x)},          {mlx_log2, log2(x)},         {mlx_log10, log10(x)},
      {mlx_log1p, log1p(x)},      {mlx_sin, sin(x)},           {mlx_cos, cos(x)},
      {mlx_tan, tan(x)},          {mlx_arcsin, asin(x)},       {mlx_arccos, acos(x)},
      {mlx_arctan, atan(x)},      {mlx_sinh, sinh(x)},         {mlx_cosh, cosh(x)},
      {mlx_tanh, tanh(x)},        {mlx_arcsinh, asinh(x)},     {mlx_arctanh, atanh(x)},
      {mlx_erf, erf(x)},          {mlx_sigmoid, 1 / (1 + exp(-x))},
      {mlx_degrees, x * 180 / M_PI}, {mlx_radians, x * M_PI / 180},
      {mlx_floor, 0.0},           {mlx_ceil, 1.0},             {mlx_stop_gradient, x},
      {mlx_conjugate, x},         {mlx_real, x},               {mlx_imag, 0.0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    float got = f32_of(rows[i].fn, x);
    CHECK_NEAR(got, rows[i].want, 2e-6 * fabs(rows[i].want) + 1e-7);
  }
  CHECK_NEAR(f32_of(mlx_arccosh, 1.5f), acosh(1.5), 1e-6);
  /* erfinv inverts erf. */
  CHECK_NEAR(f32_of(mlx_erfinv, (float)erf(0.625)), 0.625, 2e-6);
  CHECK(isinf(f32_of(mlx_erfinv, 1.0f)));
}

static void test_predicates(void) {
  CHECK(bool_of(mlx_isnan, NAN) && !bool_of(mlx_isnan, 1.0f));
  CHECK(bool_of(mlx_isinf, -INFINITY) && !bool_of(mlx_isinf, 1.0f));
  CHECK(bool_of(mlx_isposinf, INFINITY) && !bool_of(mlx_isposinf, -INFINITY));
  CHECK(bool_of(mlx_isneginf, -INFINITY) && !bool_of(mlx_isneginf, INFINITY));
  CHECK(bool_of(mlx_isfinite, 2.0f) && !bool_of(mlx_isfinite, NAN));
  CHECK(bool_of(mlx_logical_not, 0.0f) && !bool_of(mlx_logical_not, -0.5f));
}

static void test_round_nan_to_num(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_float32(2.5f), r = mlx_array_new();
  float v = 0;
  CHECK(mlx_round(&r, a, 0, s) == 0 && mlx_array_item_float32(&v, r) == 0 && v == 2.0f);
  mlx_array_free(a);
  a = mlx_array_new_float32(1.25f);
  CHECK(mlx_round(&r, a, 1, s) == 0 && mlx_array_item_float32(&v, r) == 0);
  CHECK_NEAR(v, 1.2, 1e-6); /* half to even */
  mlx_array_free(a);

  a = mlx_array_new_float32(INFINITY);
  mlx_optional_float none = {0.0f, false}, two = {2.0f, true};
  CHECK(mlx_nan_to_num(&r, a, 0.0f, none, none, s) == 0 && mlx_array_item_float32(&v, r) == 0);
  CHECK(v == 3.40282347e38f);
  CHECK(mlx_nan_to_num(&r, a, 0.0f, two, none, s) == 0 && mlx_array_item_float32(&v, r) == 0);
  CHECK(v == 2.0f);
  mlx_array_free(a);
  a = mlx_array_new_float32(NAN);
  CHECK(mlx_nan_to_num(&r, a, 7.0f, none, none, s) == 0 && mlx_array_item_float32(&v, r) == 0);
  CHECK(v == 7.0f);
  mlx_array_free(a);
  mlx_array_free(r);
  mlx_stream_free(s);
}

static void test_ints_and_errors(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_int(5), r = mlx_array_new();
  int32_t i = 0;
  CHECK(mlx_bitwise_invert(&r, a, s) == 0 && mlx_array_item_int32(&i, r) == 0 && i == -6);
  CHECK(mlx_negative(&r, a, s) == 0 && mlx_array_item_int32(&i, r) == 0 && i == -5);
  /* sqrt of an integer is float32, as in MLX. */
  CHECK(mlx_sqrt(&r, a, s) == 0 && mlx_array_dtype(r) == MLX_FLOAT32);
  mlx_array_free(a);

  int before = test_errors_seen;
  mlx_array f = mlx_array_new_float32(1.0f), b = mlx_array_new_bool(true), c = mlx_array_new_complex(1, 2);
  CHECK(mlx_bitwise_invert(&r, f, s) == 1);
  CHECK(mlx_negative(&r, b, s) == 1);
  CHECK(mlx_erf(&r, c, s) == 1);
  CHECK(mlx_abs(&r, mlx_array_new(), s) == 1);
  CHECK(test_errors_seen == before + 4);
  /* |1 + 2i| and the parts of a complex number. */
  float v = 0;
  CHECK(mlx_abs(&r, c, s) == 0 && mlx_array_item_float32(&v, r) == 0);
  CHECK_NEAR(v, sqrt(5.0), 1e-6);
  CHECK(mlx_imag(&r, c, s) == 0 && mlx_array_item_float32(&v, r) == 0 && v == 2.0f);
  mlx_array_free(f);
  mlx_array_free(b);
  mlx_array_free(c);
  mlx_array_free(r);
  mlx_stream_free(s);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  RUN(test_float_math);
  RUN(test_predicates);
  RUN(test_round_nan_to_num);
  RUN(test_ints_and_errors);
  return test_summary();
}
