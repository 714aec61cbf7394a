/* The binary family through the mlx-c API: every exported function is
 * called and its value checked (NumPy / MLX semantics: floor division and
 * remainder with the divisor's sign, comparisons to bool, integer power,
 * shifts), plus divmod's vector result, where, clip with a missing bound,
 * and errors returned through the handler. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "mlx/c/mlx.h"

typedef int (*binary_fn)(mlx_array*, const mlx_array, const mlx_array, const mlx_stream);

static int32_t ii(binary_fn fn, int x, int y) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_int(x), b = mlx_array_new_int(y), r = mlx_array_new();
  int32_t v = -12345;
  if (fn(&r, a, b, s) != 0 || mlx_array_item_int32(&v, r) != 0) v = -12345;
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_array_free(r);
  mlx_stream_free(s);
  return v;
}

static bool cmp(binary_fn fn, float x, float y) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_float32(x), b = mlx_array_new_float32(y), r = mlx_array_new();
  bool v = false;
  CHECK(fn(&r, a, b, s) == 0 && mlx_array_dtype(r) == MLX_BOOL && mlx_array_item_bool(&v, r) == 0);
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_array_free(r);
  mlx_stream_free(s);
  return v;
}

static float ff(binary_fn fn, float x, float y) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array a = mlx_array_new_float32(x), b = mlx_array_new_float32(y), r = mlx_array_new();
  float v = -12345.0f;
  if (fn(&r, a, b, s) != 0 || mlx_array_item_float32(&v, r) != 0) v = -12345.0f;
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_array_free(r);
  mlx_stream_free(s);
  return v;
}

static void test_comparisons(void) {
  CHECK(cmp(mlx_equal, 1, 1) && !cmp(mlx_equal, NAN, NAN));
  CHECK(cmp(mlx_not_equal, NAN, NAN) && !cmp(mlx_not_equal, 2, 2));
  CHECK(cmp(mlx_less, 1, 2) && !cmp(mlx_less, 2, 2));
  CHECK(cmp(mlx_less_equal, 2, 2) && !cmp(mlx_less_equal, 3, 2));
  CHECK(cmp(mlx_greater, 3, 2) && !cmp(mlx_greater, NAN, 2));
  CHECK(cmp(mlx_greater_equal, 2, 2) && !cmp(mlx_greater_equal, 1, 2));
  CHECK(cmp(mlx_logical_and, 2, -1) && !cmp(mlx_logical_and, 2, 0));
  CHECK(cmp(mlx_logical_or, 0, -1) && !cmp(mlx_logical_or, 0, 0));
}

static void test_arithmetic(void) {
  CHECK(ii(mlx_floor_divide, -7, 2) == -4 && ii(mlx_floor_divide, 7, -2) == -4);
  CHECK(ii(mlx_remainder, -7, 2) == 1 && ii(mlx_remainder, 7, -2) == -1);
  CHECK(ii(mlx_floor_divide, 5, 0) == 0 && ii(mlx_remainder, 5, 0) == 5);
  CHECK(ii(mlx_power, 3, 4) == 81 && ii(mlx_power, 2, -1) == 0 && ii(mlx_power, 3, 40) == 689956897);
  CHECK(ii(mlx_maximum, -3, 2) == 2 && ii(mlx_minimum, -3, 2) == -3);
  CHECK(ii(mlx_bitwise_and, 12, 10) == 8 && ii(mlx_bitwise_or, 12, 10) == 14);
  CHECK(ii(mlx_bitwise_xor, 12, 10) == 6);
  CHECK(ii(mlx_left_shift, 1, 33) == 2 && ii(mlx_right_shift, -8, 1) == -4);
  CHECK_NEAR(ff(mlx_remainder, -3.5f, 2.0f), 0.5, 0);
  CHECK_NEAR(ff(mlx_floor_divide, -3.5f, 2.0f), -2.0, 0);
  CHECK_NEAR(ff(mlx_power, 2.0f, 0.5f), sqrt(2.0), 1e-6);
  CHECK(isnan(ff(mlx_maximum, NAN, 1.0f)) && isnan(ff(mlx_minimum, 1.0f, NAN)));
  CHECK_NEAR(ff(mlx_logaddexp, 1.0f, 2.0f), log(exp(1.0) + exp(2.0)), 1e-6);
  CHECK(ff(mlx_logaddexp, -INFINITY, -INFINITY) == -INFINITY);
  CHECK_NEAR(ff(mlx_arctan2, 1.0f, -1.0f), atan2(1.0, -1.0), 1e-6);
}

static void test_divmod_where_clip(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  int xs[3] = {7, -7, 9}, ys[3] = {2, 2, -4}, sh[1] = {3};
  mlx_array a = mlx_array_new_data(xs, sh, 1, MLX_INT32), b = mlx_array_new_data(ys, sh, 1, MLX_INT32);
  mlx_vector_array qr = mlx_vector_array_new();
  CHECK(mlx_divmod(&qr, a, b, s) == 0 && mlx_vector_array_size(qr) == 2);
  mlx_array q = mlx_array_new(), r = mlx_array_new();
  CHECK(mlx_vector_array_get(&q, qr, 0) == 0 && mlx_vector_array_get(&r, qr, 1) == 0);
  CHECK(mlx_array_eval(q) == 0 && mlx_array_eval(r) == 0);
  const int32_t* qd = mlx_array_data_int32(q);
  const int32_t* rd = mlx_array_data_int32(r);
  CHECK(qd && rd && qd[0] == 3 && qd[1] == -4 && qd[2] == -3 && rd[0] == 1 && rd[1] == 1 && rd[2] == -3);

  bool cs[3] = {true, false, true};
  mlx_array c = mlx_array_new_data(cs, sh, 1, MLX_BOOL), w = mlx_array_new();
  CHECK(mlx_where(&w, c, a, b, s) == 0 && mlx_array_eval(w) == 0);
  const int32_t* wd = mlx_array_data_int32(w);
  CHECK(wd && wd[0] == 7 && wd[1] == 2 && wd[2] == 9);

  mlx_array lo = mlx_array_new_int(0), hi = mlx_array_new_int(8);
  CHECK(mlx_clip(&w, a, lo, mlx_array_new(), s) == 0 && mlx_array_eval(w) == 0);
  wd = mlx_array_data_int32(w);
  CHECK(wd && wd[0] == 7 && wd[1] == 0 && wd[2] == 9);
  CHECK(mlx_clip(&w, a, mlx_array_new(), hi, s) == 0 && mlx_array_eval(w) == 0);
  wd = mlx_array_data_int32(w);
  CHECK(wd && wd[0] == 7 && wd[1] == -7 && wd[2] == 8);

  int before = test_errors_seen;
  CHECK(mlx_clip(&w, a, mlx_array_new(), mlx_array_new(), s) == 1);
  mlx_array f = mlx_array_new_float32(1.5f), z = mlx_array_new_complex(1, 1);
  CHECK(mlx_bitwise_and(&w, a, f, s) == 1);
  CHECK(mlx_remainder(&w, z, z, s) == 1);
  CHECK(mlx_arctan2(&w, z, z, s) == 1);
  int ys2[2] = {1, 2}, sh2[1] = {2};
  mlx_array b2 = mlx_array_new_data(ys2, sh2, 1, MLX_INT32);
  CHECK(mlx_equal(&w, a, b2, s) == 1); /* shapes (3) and (2) */
  CHECK(test_errors_seen == before + 5);

  mlx_array arrs[] = {a, b, q, r, c, w, lo, hi, f, z, b2};
  for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++) mlx_array_free(arrs[i]);
  mlx_vector_array_free(qr);
  mlx_stream_free(s);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  RUN(test_comparisons);
  RUN(test_arithmetic);
  RUN(test_divmod_where_clip);
  return test_summary();
}
