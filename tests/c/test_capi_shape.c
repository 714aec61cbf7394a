/* The shape family's mlx-c functions: every one is called, results are
 * compared with values checked against real MLX 0.32.4, and failures
 * return 1 without aborting. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;

/* Checks `arr` (made row-contiguous first) against int32 values and shape
 * size; frees `arr`. */
static void want_i32(mlx_array arr, const int32_t* want, size_t n) {
  mlx_array c = mlx_array_new();
  CHECK(mlx_contiguous(&c, arr, false, S) == 0);
  CHECK(mlx_array_eval(c) == 0);
  CHECK(mlx_array_size(c) == n);
  const int32_t* p = mlx_array_data_int32(c);
  bool same = p != NULL || n == 0;
  for (size_t i = 0; same && i < n; i++) same = p[i] == want[i];
  CHECK(same);
  mlx_array_free(c);
  mlx_array_free(arr);
}

static void want_f32(mlx_array arr, const float* want, size_t n) {
  CHECK(mlx_array_eval(arr) == 0);
  CHECK(mlx_array_size(arr) == n);
  const float* p = mlx_array_data_float32(arr);
  bool same = p != NULL;
  for (size_t i = 0; same && i < n; i++) same = p[i] == want[i];
  CHECK(same);
  mlx_array_free(arr);
}

static bool shape2(mlx_array a, int d0, int d1) {
  return mlx_array_ndim(a) == 2 && mlx_array_shape(a)[0] == d0 && mlx_array_shape(a)[1] == d1;
}

static mlx_array iota23(void) {
  const int32_t data[6] = {0, 1, 2, 3, 4, 5};
  const int shape[2] = {2, 3};
  return mlx_array_new_data(data, shape, 2, MLX_INT32);
}

static void test_creation(void) {
  mlx_array r = mlx_array_new();
  CHECK(mlx_linspace(&r, 0, 1, 5, MLX_FLOAT32, S) == 0);
  const float l[] = {0, 0.25f, 0.5f, 0.75f, 1};
  want_f32(r, l, 5);
  r = mlx_array_new();
  CHECK(mlx_eye(&r, 2, 3, 1, MLX_INT32, S) == 0);
  const int32_t e[] = {0, 1, 0, 0, 0, 1};
  want_i32(r, e, 6);
  r = mlx_array_new();
  CHECK(mlx_identity(&r, 2, MLX_INT32, S) == 0);
  const int32_t id[] = {1, 0, 0, 1};
  want_i32(r, id, 4);
  r = mlx_array_new();
  CHECK(mlx_tri(&r, 2, 3, 0, MLX_INT32, S) == 0);
  const int32_t t[] = {1, 0, 0, 1, 1, 0};
  want_i32(r, t, 6);
  mlx_array a = iota23();
  r = mlx_array_new();
  CHECK(mlx_tril(&r, a, 0, S) == 0);
  const int32_t tl[] = {0, 0, 0, 3, 4, 0};
  want_i32(r, tl, 6);
  r = mlx_array_new();
  CHECK(mlx_triu(&r, a, 1, S) == 0);
  const int32_t tu[] = {0, 1, 2, 0, 0, 5};
  want_i32(r, tu, 6);
  r = mlx_array_new();
  CHECK(mlx_eye(&r, -1, 2, 0, MLX_FLOAT32, S) == 1); /* reported, not fatal */
  mlx_array_free(r);

  const int32_t xs[2] = {0, 1}, ys[3] = {0, 1, 2};
  int n2 = 2, n3 = 3;
  mlx_array x = mlx_array_new_data(xs, &n2, 1, MLX_INT32);
  mlx_array y = mlx_array_new_data(ys, &n3, 1, MLX_INT32);
  mlx_array both[2] = {x, y};
  mlx_vector_array in = mlx_vector_array_new_data(both, 2);
  mlx_vector_array out = mlx_vector_array_new();
  CHECK(mlx_meshgrid(&out, in, false, "xy", S) == 0);
  CHECK(mlx_vector_array_size(out) == 2);
  mlx_array g = mlx_array_new();
  CHECK(mlx_vector_array_get(&g, out, 1) == 0);
  const int32_t g1[] = {0, 0, 1, 1, 2, 2};
  want_i32(g, g1, 6);
  CHECK(mlx_meshgrid(&out, in, false, "bad", S) == 1);
  mlx_vector_array_free(out);
  mlx_vector_array_free(in);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(a);
}

static void test_reshape_family(void) {
  mlx_array a = iota23();
  mlx_array r = mlx_array_new();
  CHECK(mlx_flatten(&r, a, 0, -1, S) == 0 && mlx_array_ndim(r) == 1);
  const int ush[2] = {3, 1};
  CHECK(mlx_unflatten(&r, a, 1, ush, 2, S) == 0 && mlx_array_ndim(r) == 3);
  CHECK(mlx_expand_dims(&r, a, 0, S) == 0 && mlx_array_ndim(r) == 3);
  mlx_array e = mlx_array_new();
  const int axes[2] = {0, 3};
  CHECK(mlx_expand_dims_axes(&e, a, axes, 2, S) == 0 && mlx_array_ndim(e) == 4);
  CHECK(mlx_squeeze(&r, e, S) == 0 && shape2(r, 2, 3));
  CHECK(mlx_squeeze_axis(&r, e, 0, S) == 0 && mlx_array_ndim(r) == 3);
  CHECK(mlx_squeeze_axes(&r, e, axes, 2, S) == 0 && shape2(r, 2, 3));
  CHECK(mlx_squeeze_axis(&r, e, 1, S) == 1); /* size 2 */
  CHECK(mlx_atleast_1d(&r, a, S) == 0 && shape2(r, 2, 3));
  CHECK(mlx_atleast_2d(&r, a, S) == 0 && shape2(r, 2, 3));
  CHECK(mlx_atleast_3d(&r, a, S) == 0 && mlx_array_ndim(r) == 3 && mlx_array_shape(r)[2] == 1);
  CHECK(mlx_moveaxis(&r, a, 0, 1, S) == 0 && shape2(r, 3, 2));
  CHECK(mlx_swapaxes(&r, a, 0, 1, S) == 0 && shape2(r, 3, 2));
  const int32_t tr[] = {0, 3, 1, 4, 2, 5};
  mlx_array keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, tr, 6);
  mlx_array_free(r);
  mlx_array_free(e);
  mlx_array_free(a);
}

static void test_join_split(void) {
  mlx_array a = iota23();
  mlx_array pair[2] = {a, a};
  mlx_vector_array v = mlx_vector_array_new_data(pair, 2);
  mlx_array r = mlx_array_new();
  CHECK(mlx_concatenate_axis(&r, v, 1, S) == 0 && shape2(r, 2, 6));
  CHECK(mlx_concatenate(&r, v, S) == 0 && mlx_array_ndim(r) == 1 && mlx_array_size(r) == 12);
  CHECK(mlx_stack(&r, v, S) == 0 && mlx_array_ndim(r) == 3 && mlx_array_shape(r)[0] == 2);
  CHECK(mlx_stack_axis(&r, v, 2, S) == 0 && mlx_array_shape(r)[2] == 2);
  mlx_vector_array out = mlx_vector_array_new();
  CHECK(mlx_broadcast_arrays(&out, v, S) == 0 && mlx_vector_array_size(out) == 2);
  CHECK(mlx_split(&out, a, 3, 1, S) == 0 && mlx_vector_array_size(out) == 3);
  mlx_array p = mlx_array_new();
  CHECK(mlx_vector_array_get(&p, out, 2) == 0);
  const int32_t p2[] = {2, 5};
  want_i32(p, p2, 2);
  CHECK(mlx_split(&out, a, 4, 1, S) == 1);
  const int idx[1] = {1};
  CHECK(mlx_split_sections(&out, a, idx, 1, 1, S) == 0 && mlx_vector_array_size(out) == 2);
  p = mlx_array_new();
  CHECK(mlx_vector_array_get(&p, out, 1) == 0);
  const int32_t s1[] = {1, 2, 4, 5};
  want_i32(p, s1, 4);
  mlx_vector_array_free(out);
  mlx_vector_array_free(v);

  CHECK(mlx_repeat(&r, a, 2, S) == 0 && mlx_array_size(r) == 12);
  CHECK(mlx_repeat_axis(&r, a, 2, 0, S) == 0 && shape2(r, 4, 3));
  const int reps[2] = {1, 2};
  CHECK(mlx_tile(&r, a, reps, 2, S) == 0 && shape2(r, 2, 6));
  const int32_t tl[] = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5};
  mlx_array keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, tl, 12);

  const int sh[1] = {1}, ax[2] = {0, 1}, sh2[2] = {1, 2};
  CHECK(mlx_roll(&r, a, sh, 1, S) == 0);
  const int32_t r1[] = {5, 0, 1, 2, 3, 4};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, r1, 6);
  CHECK(mlx_roll_axis(&r, a, sh, 1, 1, S) == 0);
  const int32_t r2[] = {2, 0, 1, 5, 3, 4};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, r2, 6);
  CHECK(mlx_roll_axes(&r, a, sh2, 2, ax, 2, S) == 0);
  const int32_t r3[] = {4, 5, 3, 1, 2, 0};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, r3, 6);
  mlx_array_free(r);
  mlx_array_free(a);
}

static void test_pad_diag_views(void) {
  mlx_array a = iota23();
  mlx_array zero = mlx_array_new_int(0);
  mlx_array r = mlx_array_new();
  const int axes[1] = {1}, lo[1] = {1}, hi[1] = {0};
  CHECK(mlx_pad(&r, a, axes, 1, lo, 1, hi, 1, zero, "edge", S) == 0 && shape2(r, 2, 4));
  const int32_t pe[] = {0, 0, 1, 2, 3, 3, 4, 5};
  mlx_array keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, pe, 8);
  CHECK(mlx_pad(&r, a, axes, 1, lo, 1, hi, 1, zero, "wrap", S) == 1);
  CHECK(mlx_pad_symmetric(&r, a, 1, zero, "constant", S) == 0 && shape2(r, 4, 5));
  CHECK(mlx_diag(&r, a, 1, S) == 0);
  const int32_t d[] = {1, 5};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, d, 2);
  CHECK(mlx_diagonal(&r, a, 0, 1, 0, S) == 0);
  const int32_t d0[] = {0, 4};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, d0, 2);
  const int shape[2] = {3, 2};
  const int64_t strides[2] = {1, 3};
  CHECK(mlx_as_strided(&r, a, shape, 2, strides, 2, 0, S) == 0);
  const int32_t as[] = {0, 3, 1, 4, 2, 5};
  keep = mlx_array_new();
  mlx_array_set(&keep, r);
  want_i32(keep, as, 6);
  CHECK(mlx_view(&r, a, MLX_UINT8, S) == 0 && shape2(r, 2, 12));
  CHECK(mlx_view(&r, a, MLX_INT64, S) == 1);
  CHECK(mlx_contiguous(&r, a, true, S) == 0);
  mlx_array_free(r);
  mlx_array_free(zero);
  mlx_array_free(a);
}

/* Windows, full_like and number_of_elements (values read off MLX 0.32.4). */
static void test_windows_like_count(void) {
  typedef int (*window_fn)(mlx_array*, int, const mlx_stream);
  const window_fn fns[4] = {mlx_bartlett, mlx_blackman, mlx_hamming, mlx_hanning};
  const float want[4][5] = {{0, 0.5f, 1, 0.5f, 0},
                            {0, 0.34f, 1, 0.34f, 0},
                            {0.08f, 0.54f, 1, 0.54f, 0.08f},
                            {0, 0.5f, 1, 0.5f, 0}};
  for (int w = 0; w < 4; w++) {
    mlx_array r = mlx_array_new();
    CHECK(fns[w](&r, 5, S) == 0);
    CHECK(mlx_array_eval(r) == 0);
    CHECK(mlx_array_size(r) == 5 && mlx_array_dtype(r) == MLX_FLOAT32);
    const float* p = mlx_array_data_float32(r);
    for (int i = 0; p && i < 5; i++) CHECK_NEAR(p[i], want[w][i], 1e-6);
    CHECK(fns[w](&r, 1, S) == 0); /* a single point is 1 */
    CHECK(mlx_array_eval(r) == 0);
    CHECK(mlx_array_size(r) == 1 && mlx_array_data_float32(r)[0] == 1.0f);
    CHECK(fns[w](&r, 0, S) == 0);
    CHECK(mlx_array_eval(r) == 0);
    CHECK(mlx_array_size(r) == 0);
    mlx_array_free(r);
  }
  mlx_array a = iota23();
  mlx_array v = mlx_array_new_int(7);
  mlx_array r = mlx_array_new();
  CHECK(mlx_full_like(&r, a, v, MLX_FLOAT32, S) == 0);
  CHECK(shape2(r, 2, 3) && mlx_array_dtype(r) == MLX_FLOAT32);
  const float sevens[6] = {7, 7, 7, 7, 7, 7};
  want_f32(r, sevens, 6);
  r = mlx_array_new();
  const int ax1[1] = {-1};
  CHECK(mlx_number_of_elements(&r, a, ax1, 1, false, MLX_INT32, S) == 0);
  const int32_t three[1] = {3};
  want_i32(r, three, 1);
  r = mlx_array_new();
  CHECK(mlx_number_of_elements(&r, a, ax1, 1, true, MLX_FLOAT32, S) == 0);
  const float two[1] = {2};
  want_f32(r, two, 1);
  r = mlx_array_new();
  const int bad[1] = {2};
  CHECK(mlx_number_of_elements(&r, a, bad, 1, false, MLX_INT32, S) == 1);
  mlx_array_free(r);
  mlx_array_free(v);
  mlx_array_free(a);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_creation);
  RUN(test_reshape_family);
  RUN(test_join_split);
  RUN(test_pad_diag_views);
  RUN(test_windows_like_count);
  mlx_stream_free(S);
  return test_summary();
}
