/* The reduce_sort family through the mlx-c API: every exported function is
 * called on x = [[3, 1, 2], [0, 5, 4]] (float32) and its values checked
 * against hand-computed results (the same ones NumPy gives). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;
static mlx_array X;

/* Evaluates `a` as float32 (converting) and compares with `want`. */
static bool values_are(mlx_array a, const float* want, size_t n, double tol) {
  /* The copy makes the data row-contiguous (views such as topk's slice
   * keep their strides through a same-dtype astype). */
  mlx_array t = mlx_array_new(), f = mlx_array_new();
  bool made = mlx_astype(&t, a, MLX_FLOAT32, S) == 0 && mlx_copy(&f, t, S) == 0;
  mlx_array_free(t);
  if (!made || mlx_array_eval(f) != 0) return false;
  bool ok = mlx_array_size(f) == n;
  const float* d = mlx_array_data_float32(f);
  for (size_t i = 0; ok && i < n; i++) {
    bool both_nan = isnan(d[i]) && isnan(want[i]);
    if (!both_nan && !(fabs((double)d[i] - want[i]) <= tol)) ok = false;
  }
  if (!ok) {
    fprintf(stderr, "got:");
    for (size_t i = 0; d && i < mlx_array_size(f); i++) fprintf(stderr, " %g", d[i]);
    fprintf(stderr, "\n");
  }
  mlx_array_free(f);
  return ok;
}
#define CHECK_VALUES(expr_arr, ...)                                 \
  do {                                                              \
    const float want_[] = {__VA_ARGS__};                            \
    CHECK(values_are(expr_arr, want_, sizeof want_ / sizeof *want_, 1e-5)); \
  } while (0)

static void test_reductions(void) {
  mlx_array r = mlx_array_new();
  int ax0[1] = {0}, ax1[1] = {1};
  CHECK(mlx_all(&r, X, false, S) == 0);
  CHECK_VALUES(r, 0);
  CHECK(mlx_all_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 1, 0);
  CHECK(mlx_all_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 0, 1, 1);
  CHECK(mlx_any(&r, X, false, S) == 0);
  CHECK_VALUES(r, 1);
  CHECK(mlx_any_axis(&r, X, 0, true, S) == 0);
  CHECK(mlx_array_ndim(r) == 2);
  CHECK_VALUES(r, 1, 1, 1);
  CHECK(mlx_any_axes(&r, X, ax1, 1, false, S) == 0);
  CHECK_VALUES(r, 1, 1);
  CHECK(mlx_prod(&r, X, false, S) == 0);
  CHECK_VALUES(r, 0);
  CHECK(mlx_prod_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 6, 0);
  CHECK(mlx_prod_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 0, 5, 8);
  CHECK(mlx_max(&r, X, false, S) == 0);
  CHECK_VALUES(r, 5);
  CHECK(mlx_max_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 3, 5);
  CHECK(mlx_max_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 3, 5, 4);
  CHECK(mlx_min(&r, X, false, S) == 0);
  CHECK_VALUES(r, 0);
  CHECK(mlx_min_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 1, 0);
  CHECK(mlx_min_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 0, 1, 2);
  CHECK(mlx_mean(&r, X, false, S) == 0);
  CHECK_VALUES(r, 2.5);
  CHECK(mlx_mean_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 2, 3);
  CHECK(mlx_mean_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 1.5, 3, 3);
  double lse = log(exp(3) + exp(1) + exp(2) + exp(0) + exp(5) + exp(4));
  CHECK(mlx_logsumexp(&r, X, false, S) == 0);
  CHECK_VALUES(r, (float)lse);
  CHECK(mlx_logsumexp_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, (float)log(exp(3) + exp(1) + exp(2)), (float)log(exp(0) + exp(5) + exp(4)));
  CHECK(mlx_logsumexp_axes(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, (float)log(exp(3) + 1), (float)log(exp(1) + exp(5)), (float)log(exp(2) + exp(4)));
  CHECK(mlx_var(&r, X, false, 0, S) == 0);
  CHECK_VALUES(r, 17.5f / 6);
  CHECK(mlx_var_axis(&r, X, 1, false, 1, S) == 0);
  CHECK_VALUES(r, 1, 7);
  CHECK(mlx_var_axes(&r, X, ax0, 1, false, 0, S) == 0);
  CHECK_VALUES(r, 2.25, 4, 1);
  CHECK(mlx_std(&r, X, false, 0, S) == 0);
  CHECK_VALUES(r, (float)sqrt(17.5 / 6));
  CHECK(mlx_std_axis(&r, X, 1, false, 1, S) == 0);
  CHECK_VALUES(r, 1, (float)sqrt(7));
  CHECK(mlx_std_axes(&r, X, ax0, 1, false, 0, S) == 0);
  CHECK_VALUES(r, 1.5, 2, 1);
  CHECK(mlx_median(&r, X, ax1, 1, false, S) == 0);
  CHECK_VALUES(r, 2, 4);
  CHECK(mlx_median(&r, X, ax0, 1, false, S) == 0);
  CHECK_VALUES(r, 1.5, 3, 3);
  mlx_array_free(r);
}

static void test_arg_and_misc(void) {
  mlx_array r = mlx_array_new();
  int both[2] = {0, 1}, ax1[1] = {1};
  CHECK(mlx_argmax(&r, X, false, S) == 0);
  CHECK(mlx_array_dtype(r) == MLX_UINT32);
  CHECK_VALUES(r, 4);
  CHECK(mlx_argmax_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, 0, 1);
  CHECK(mlx_argmin(&r, X, true, S) == 0);
  CHECK(mlx_array_ndim(r) == 2);
  CHECK_VALUES(r, 3);
  CHECK(mlx_argmin_axis(&r, X, 0, false, S) == 0);
  CHECK_VALUES(r, 1, 0, 0);
  double z = exp(3) + exp(1) + exp(2) + exp(0) + exp(5) + exp(4);
  CHECK(mlx_softmax(&r, X, false, S) == 0);
  CHECK_VALUES(r, (float)(exp(3) / z), (float)(exp(1) / z), (float)(exp(2) / z),
               (float)(exp(0) / z), (float)(exp(5) / z), (float)(exp(4) / z));
  CHECK(mlx_softmax_axes(&r, X, both, 2, true, S) == 0);
  CHECK_VALUES(r, (float)(exp(3) / z), (float)(exp(1) / z), (float)(exp(2) / z),
               (float)(exp(0) / z), (float)(exp(5) / z), (float)(exp(4) / z));
  double z0 = exp(3) + exp(1) + exp(2), z1 = exp(0) + exp(5) + exp(4);
  CHECK(mlx_softmax_axis(&r, X, 1, false, S) == 0);
  CHECK_VALUES(r, (float)(exp(3) / z0), (float)(exp(1) / z0), (float)(exp(2) / z0),
               (float)(exp(0) / z1), (float)(exp(5) / z1), (float)(exp(4) / z1));
  (void)ax1;

  mlx_array y = mlx_array_new();
  mlx_array eps = mlx_array_new_float(1e-3f);
  CHECK(mlx_add(&y, X, eps, S) == 0);
  CHECK(mlx_array_equal(&r, X, X, false, S) == 0);
  CHECK_VALUES(r, 1);
  CHECK(mlx_array_equal(&r, X, y, false, S) == 0);
  CHECK_VALUES(r, 0);
  CHECK(mlx_allclose(&r, X, y, 1e-5, 1e-8, false, S) == 0);
  CHECK_VALUES(r, 0);
  CHECK(mlx_allclose(&r, X, y, 0, 1e-2, false, S) == 0);
  CHECK_VALUES(r, 1);
  CHECK(mlx_isclose(&r, X, y, 1e-3, 0, false, S) == 0);
  /* |x - y| = 1e-3 <= 1e-3 * |y| only where |y| >= 1: not at the 0 entry. */
  CHECK_VALUES(r, 1, 1, 1, 0, 1, 1);
  CHECK(mlx_trace(&r, X, 0, 0, 1, MLX_FLOAT32, S) == 0);
  CHECK_VALUES(r, 8);
  CHECK(mlx_trace(&r, X, 1, 0, 1, MLX_INT32, S) == 0);
  CHECK(mlx_array_dtype(r) == MLX_INT32);
  CHECK_VALUES(r, 5);
  mlx_array_free(eps);
  mlx_array_free(y);
  mlx_array_free(r);
}

static void test_scans(void) {
  mlx_array r = mlx_array_new();
  CHECK(mlx_cumsum(&r, X, 1, false, true, S) == 0);
  CHECK_VALUES(r, 3, 4, 6, 0, 5, 9);
  CHECK(mlx_cumsum(&r, X, 0, true, false, S) == 0);
  CHECK_VALUES(r, 0, 5, 4, 0, 0, 0);
  CHECK(mlx_cumprod(&r, X, 1, false, true, S) == 0);
  CHECK_VALUES(r, 3, 3, 6, 0, 0, 0);
  CHECK(mlx_cummax(&r, X, 1, false, true, S) == 0);
  CHECK_VALUES(r, 3, 3, 3, 0, 5, 5);
  CHECK(mlx_cummin(&r, X, 1, true, true, S) == 0);
  CHECK_VALUES(r, 1, 1, 2, 0, 4, 4);
  CHECK(mlx_logcumsumexp(&r, X, 1, false, true, S) == 0);
  CHECK_VALUES(r, 3, (float)log(exp(3) + exp(1)), (float)log(exp(3) + exp(1) + exp(2)), 0,
               (float)log(1 + exp(5)), (float)log(1 + exp(5) + exp(4)));
  mlx_array_free(r);
}

static void test_sorting(void) {
  mlx_array r = mlx_array_new();
  CHECK(mlx_sort_axis(&r, X, 1, S) == 0);
  CHECK_VALUES(r, 1, 2, 3, 0, 4, 5);
  CHECK(mlx_sort(&r, X, S) == 0);
  CHECK_VALUES(r, 0, 1, 2, 3, 4, 5);
  CHECK(mlx_argsort_axis(&r, X, 1, S) == 0);
  CHECK_VALUES(r, 1, 2, 0, 0, 2, 1);
  CHECK(mlx_argsort(&r, X, S) == 0);
  CHECK_VALUES(r, 3, 1, 2, 0, 5, 4);
  /* Partitions promise only the kth element and the sides; check those. */
  CHECK(mlx_partition_axis(&r, X, 1, 1, S) == 0 && mlx_array_eval(r) == 0);
  {
    mlx_array f = mlx_array_new();
    mlx_astype(&f, r, MLX_FLOAT32, S);
    mlx_array_eval(f);
    const float* d = mlx_array_data_float32(f);
    CHECK(d && d[1] == 2 && d[0] <= 2 && d[2] >= 2 && d[4] == 4 && d[3] <= 4 && d[5] >= 4);
    mlx_array_free(f);
  }
  CHECK(mlx_partition(&r, X, 2, S) == 0);
  CHECK(mlx_array_size(r) == 6);
  CHECK(mlx_argpartition_axis(&r, X, 0, 1, S) == 0 && mlx_array_eval(r) == 0);
  {
    const uint32_t* d = mlx_array_data_uint32(r);
    CHECK(d && d[0] == 1 && d[3] == 0); /* the row minima's positions */
  }
  CHECK(mlx_argpartition(&r, X, 0, S) == 0 && mlx_array_eval(r) == 0);
  CHECK(mlx_array_data_uint32(r)[0] == 3);
  CHECK(mlx_topk_axis(&r, X, 1, 1, S) == 0);
  CHECK_VALUES(r, 3, 5);
  CHECK(mlx_topk(&r, X, 1, S) == 0);
  CHECK_VALUES(r, 5);

  /* Errors come back as 1 through the handler, never abort. */
  int before = test_errors_seen;
  CHECK(mlx_sort_axis(&r, X, 5, S) != 0);
  CHECK(mlx_topk(&r, X, 9, S) != 0);
  CHECK(mlx_argmax_axis(&r, X, -3, false, S) != 0);
  CHECK(mlx_partition_axis(&r, X, 3, 1, S) != 0);
  CHECK(test_errors_seen == before + 4);
  mlx_array_free(r);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  const float data[6] = {3, 1, 2, 0, 5, 4};
  const int shape[2] = {2, 3};
  X = mlx_array_new_data(data, shape, 2, MLX_FLOAT32);
  RUN(test_reductions);
  RUN(test_arg_and_misc);
  RUN(test_scans);
  RUN(test_sorting);
  mlx_array_free(X);
  mlx_stream_free(S);
  return test_summary();
}
