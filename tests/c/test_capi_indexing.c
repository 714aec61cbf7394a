/* The mlx-c functions of the indexing family: every exported function is
 * called and its result compared with the value NumPy (or real MLX 0.32.4,
 * for MLX-only ops) gives for the same inputs. */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;

static mlx_array ints(const int32_t* v, const int* shape, int nd) {
  return mlx_array_new_data(v, shape, nd, MLX_INT32);
}

/* x (0..n-1) reshaped to shape. */
static mlx_array iota(const int* shape, int nd) {
  int32_t v[64];
  int n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  for (int i = 0; i < n; i++) v[i] = i;
  return ints(v, shape, nd);
}

/* Checks that `r` (rc from the call) succeeded and holds `want`.  Views
 * (slices, takes) may be strided, so the data is read from a row-major
 * copy. */
static int same(int rc, mlx_array r, const int32_t* want, size_t n, int nd, const int* shape) {
  if (rc != 0 || mlx_array_eval(r) != 0) return 0;
  if (mlx_array_size(r) != n || (int)mlx_array_ndim(r) != nd) return 0;
  for (int i = 0; i < nd; i++)
    if (mlx_array_shape(r)[i] != shape[i]) return 0;
  mlx_array c = mlx_array_new();
  int ok = mlx_copy(&c, r, S) == 0 && mlx_array_eval(c) == 0;
  const int32_t* d = ok ? mlx_array_data_int32(c) : NULL;
  ok = d && memcmp(d, want, n * sizeof *d) == 0;
  mlx_array_free(c);
  return ok;
}

static void test_take(void) {
  int sh[2] = {3, 4};
  mlx_array a = iota(sh, 2);
  int32_t iv[2] = {2, -1};
  int ish[1] = {2};
  mlx_array idx = ints(iv, ish, 1);
  mlx_array r = mlx_array_new();
  /* np.take(a, [2, -1], axis=1) */
  int32_t w1[6] = {2, 3, 6, 7, 10, 11};
  int s1[2] = {3, 2};
  CHECK(same(mlx_take_axis(&r, a, idx, 1, S), r, w1, 6, 2, s1));
  /* np.take(a, [2, -1]) on the flattened array */
  int32_t w2[2] = {2, 11};
  CHECK(same(mlx_take(&r, a, idx, S), r, w2, 2, 1, ish));
  /* np.take_along_axis(a, [[0],[3],[1]], axis=1) */
  int32_t tv[3] = {0, 3, 1};
  int tsh[2] = {3, 1};
  mlx_array t = ints(tv, tsh, 2);
  int32_t w3[3] = {0, 7, 9};
  CHECK(same(mlx_take_along_axis(&r, a, t, 1, S), r, w3, 3, 2, tsh));
  /* out-of-range axis: an error, not a crash */
  CHECK(mlx_take_axis(&r, a, idx, 2, S) != 0);
  mlx_array_free(t);
  mlx_array_free(idx);
  mlx_array_free(a);
  mlx_array_free(r);
}

static void test_gather_scatter(void) {
  int sh[2] = {3, 4};
  mlx_array a = iota(sh, 2);
  int32_t iv[2] = {2, 0};
  int ish[1] = {2};
  mlx_array idx = ints(iv, ish, 1);
  mlx_vector_array vi = mlx_vector_array_new_data(&idx, 1);
  mlx_array r = mlx_array_new();
  int axes[1] = {0};
  int ss[2] = {1, 4};
  /* gather rows 2 and 0: shape (2, 1, 4) */
  int32_t wg[8] = {8, 9, 10, 11, 0, 1, 2, 3};
  int gsh[3] = {2, 1, 4};
  CHECK(same(mlx_gather(&r, a, vi, axes, 1, ss, 2, S), r, wg, 8, 3, gsh));
  int ss2[2] = {3, 1};
  int32_t wg2[6] = {2, 6, 10, 0, 4, 8};
  int gsh2[3] = {2, 3, 1};
  CHECK(same(mlx_gather_single(&r, a, idx, 1, ss2, 2, S), r, wg2, 6, 3, gsh2));

  /* scatter rows: updates (2, 1, 4) */
  int32_t uv[8] = {100, 101, 102, 103, 200, 201, 202, 203};
  mlx_array upd = ints(uv, gsh, 3);
  int32_t ws[12] = {200, 201, 202, 203, 4, 5, 6, 7, 100, 101, 102, 103};
  CHECK(same(mlx_scatter(&r, a, vi, upd, axes, 1, S), r, ws, 12, 2, sh));
  CHECK(same(mlx_scatter_single(&r, a, idx, upd, 0, S), r, ws, 12, 2, sh));
  /* repeated indices accumulate: rows 1, 1 */
  int32_t rv[2] = {1, 1};
  mlx_array rep = ints(rv, ish, 1);
  mlx_vector_array vr = mlx_vector_array_new_data(&rep, 1);
  int32_t wa[12] = {0, 1, 2, 3, 304, 307, 310, 313, 8, 9, 10, 11};
  CHECK(same(mlx_scatter_add(&r, a, vr, upd, axes, 1, S), r, wa, 12, 2, sh));
  CHECK(same(mlx_scatter_add_single(&r, a, rep, upd, 0, S), r, wa, 12, 2, sh));
  int32_t wp[12] = {0, 1, 2, 3, 80000, 101 * 201 * 5, 102 * 202 * 6, 103 * 203 * 7,
                    8, 9, 10, 11};
  CHECK(same(mlx_scatter_prod(&r, a, vr, upd, axes, 1, S), r, wp, 12, 2, sh));
  CHECK(same(mlx_scatter_prod_single(&r, a, rep, upd, 0, S), r, wp, 12, 2, sh));
  int32_t wmax[12] = {0, 1, 2, 3, 200, 201, 202, 203, 8, 9, 10, 11};
  CHECK(same(mlx_scatter_max(&r, a, vr, upd, axes, 1, S), r, wmax, 12, 2, sh));
  CHECK(same(mlx_scatter_max_single(&r, a, rep, upd, 0, S), r, wmax, 12, 2, sh));
  int32_t wmin[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  CHECK(same(mlx_scatter_min(&r, a, vr, upd, axes, 1, S), r, wmin, 12, 2, sh));
  CHECK(same(mlx_scatter_min_single(&r, a, rep, upd, 0, S), r, wmin, 12, 2, sh));
  /* wrong update rank */
  CHECK(mlx_scatter(&r, a, vi, a, axes, 1, S) != 0);

  /* along an axis: put_along_axis / scatter_add_axis with [[0],[0],[3]] */
  int32_t pv[3] = {0, 0, 3};
  int psh[2] = {3, 1};
  mlx_array pi = ints(pv, psh, 2);
  int32_t vv[3] = {-1, -2, -3};
  mlx_array pvals = ints(vv, psh, 2);
  int32_t wput[12] = {-1, 1, 2, 3, -2, 5, 6, 7, 8, 9, 10, -3};
  CHECK(same(mlx_put_along_axis(&r, a, pi, pvals, 1, S), r, wput, 12, 2, sh));
  int32_t wadd[12] = {-1, 1, 2, 3, 2, 5, 6, 7, 8, 9, 10, 8};
  CHECK(same(mlx_scatter_add_axis(&r, a, pi, pvals, 1, S), r, wadd, 12, 2, sh));

  /* masked_scatter: rows 0 and 2 take the source in order */
  bool mv[3] = {true, false, true};
  int msh[1] = {3};
  mlx_array mask = mlx_array_new_data(mv, msh, 1, MLX_BOOL);
  int32_t sv[8] = {50, 51, 52, 53, 54, 55, 56, 57};
  int ssh[2] = {2, 4};
  mlx_array src = ints(sv, ssh, 2);
  int32_t wm[12] = {50, 51, 52, 53, 4, 5, 6, 7, 54, 55, 56, 57};
  CHECK(same(mlx_masked_scatter(&r, a, mask, src, S), r, wm, 12, 2, sh));
  /* too few source elements: the error surfaces at evaluation */
  mlx_array small = ints(sv, msh, 1);
  int rc = mlx_masked_scatter(&r, a, mask, small, S);
  CHECK(rc != 0 || mlx_array_eval(r) != 0);

  mlx_array_free(small);
  mlx_array_free(src);
  mlx_array_free(mask);
  mlx_array_free(pvals);
  mlx_array_free(pi);
  mlx_vector_array_free(vr);
  mlx_array_free(rep);
  mlx_array_free(upd);
  mlx_vector_array_free(vi);
  mlx_array_free(idx);
  mlx_array_free(a);
  mlx_array_free(r);
}

static void test_slices(void) {
  int sh[2] = {3, 4};
  mlx_array a = iota(sh, 2);
  mlx_array r = mlx_array_new();
  /* a[::-1, 1:-1] and a[-2:, ::2] (NumPy) */
  int st1[2] = {-1, 1}, sp1[2] = {-4, -1}, sd1[2] = {-1, 1};
  int32_t w1[6] = {9, 10, 5, 6, 1, 2};
  int s1[2] = {3, 2};
  CHECK(same(mlx_slice(&r, a, st1, 2, sp1, 2, sd1, 2, S), r, w1, 6, 2, s1));
  int st2[2] = {-2, 0}, sp2[2] = {100, 4}, sd2[2] = {1, 2};
  int32_t w2[4] = {4, 6, 8, 10};
  int s2[2] = {2, 2};
  CHECK(same(mlx_slice(&r, a, st2, 2, sp2, 2, sd2, 2, S), r, w2, 4, 2, s2));
  int zero[2] = {0, 0};
  CHECK(mlx_slice(&r, a, st2, 2, sp2, 2, zero, 2, S) != 0); /* zero step */

  /* slice updates on a[1:, ::3] (a (2, 2) window) */
  int us[2] = {1, 0}, ue[2] = {3, 4}, ud[2] = {1, 3};
  int32_t uv[4] = {-1, -2, -3, -4};
  int ush[2] = {2, 2};
  mlx_array u = ints(uv, ush, 2);
  int32_t wu[12] = {0, 1, 2, 3, -1, 5, 6, -2, -3, 9, 10, -4};
  CHECK(same(mlx_slice_update(&r, a, u, us, 2, ue, 2, ud, 2, S), r, wu, 12, 2, sh));
  int32_t wa[12] = {0, 1, 2, 3, 3, 5, 6, 5, 5, 9, 10, 7};
  CHECK(same(mlx_slice_update_add(&r, a, u, us, 2, ue, 2, ud, 2, S), r, wa, 12, 2, sh));
  int32_t wp[12] = {0, 1, 2, 3, -4, 5, 6, -14, -24, 9, 10, -44};
  CHECK(same(mlx_slice_update_prod(&r, a, u, us, 2, ue, 2, ud, 2, S), r, wp, 12, 2, sh));
  CHECK(same(mlx_slice_update_max(&r, a, u, us, 2, ue, 2, ud, 2, S), r,
             (const int32_t[12]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 12, 2, sh));
  CHECK(same(mlx_slice_update_min(&r, a, u, us, 2, ue, 2, ud, 2, S), r, wu, 12, 2, sh));

  /* dynamic forms: start [1] on axis 1, window (2, 2) / update of shape (1, 2) */
  int32_t bv[1] = {1};
  int bsh[1] = {1};
  mlx_array b = ints(bv, bsh, 1);
  int ax[1] = {1};
  int size[2] = {2, 2};
  int32_t wd[4] = {1, 2, 5, 6};
  CHECK(same(mlx_slice_dynamic(&r, a, b, ax, 1, size, 2, S), r, wd, 4, 2, size));
  int32_t sv[2] = {7, 7};
  int svsh[2] = {1, 2};
  mlx_array small = ints(sv, svsh, 2);
  int32_t wdu[12] = {0, 7, 7, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  CHECK(same(mlx_slice_update_dynamic(&r, a, small, b, ax, 1, S), r, wdu, 12, 2, sh));

  mlx_array_free(small);
  mlx_array_free(b);
  mlx_array_free(u);
  mlx_array_free(a);
  mlx_array_free(r);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_take);
  RUN(test_gather_scatter);
  RUN(test_slices);
  mlx_stream_free(S);
  return test_summary();
}
