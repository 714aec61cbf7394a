/* The linalg kernels and op checks through the internal API: strided and
 * broadcast inputs reach LAPACK in the right layout, multi-output nodes
 * survive dropped siblings, and every failure is an error of MLX's kind
 * (never an abort).  Reference values are NumPy float64 (np.linalg). */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static mx_stream S;

/* Evaluates `a` and reads element i (row-major over its shape) as double. */
static double at(mx_array* a, int64_t i) {
  const char* base = mx_array_host_data(a);
  int64_t off = 0, rem = i;
  for (int d = a->ndim - 1; d >= 0; d--) {
    off += (rem % a->shape[d]) * a->strides[d];
    rem /= a->shape[d];
  }
  return test_read_element(base + off * (int64_t)mx_array_itemsize(a), a->dtype, NULL);
}

static mx_array* mat(const double* v, int r, int c, mx_dtype dt) {
  int sh[2] = {r, c};
  mx_array* d = mx_array_from_data(v, MX_FLOAT64, 2, sh);
  mx_array* x = mx_astype(d, dt, S);
  mx_array_release(d);
  return x;
}

static const double AV[9] = {1, 2, 3, 4, 5, 6, 7, 8, 10};

static void test_inverse_of_transposed_view(void) {
  /* inv(A^T) through a transpose view (column-major strides). */
  mx_array* a = mat(AV, 3, 3, MX_FLOAT64);
  mx_array* t = mx_transpose(a, 0, NULL, S);
  mx_array* inv = mx_linalg_inv(t, S);
  CHECK(inv && mx_array_eval(inv) == 0);
  /* np.linalg.inv(A.T) */
  const double want[9] = {-2.0 / 3, -2.0 / 3, 1, -4.0 / 3, 11.0 / 3, -2, 1, -2, 1};
  for (int i = 0; inv && i < 9; i++) CHECK_NEAR(at(inv, i), want[i], 1e-12);
  mx_array_release(inv), mx_array_release(t), mx_array_release(a);
}

static void test_solve_broadcast_batch(void) {
  /* A (3,3) against B broadcast to (4,3,2) from (3,2): stride-0 batch. */
  mx_array* a = mat(AV, 3, 3, MX_FLOAT32);
  const double bv[6] = {1, 0, 0, 1, 0, 0};
  mx_array* b = mat(bv, 3, 2, MX_FLOAT32);
  int sh[3] = {4, 3, 2};
  mx_array* bb = mx_broadcast_to(b, 3, sh, S);
  mx_array* x = mx_linalg_solve(a, bb, S);
  CHECK(x && mx_array_eval(x) == 0 && x->ndim == 3 && x->shape[0] == 4);
  /* The first two columns of np.linalg.inv(A). */
  const double want[6] = {-2.0 / 3, -4.0 / 3, -2.0 / 3, 11.0 / 3, 1, -2};
  for (int k = 0; x && k < 4; k++)
    for (int i = 0; i < 6; i++) CHECK_NEAR(at(x, k * 6 + i), want[i], 1e-5);
  mx_array_release(x), mx_array_release(bb), mx_array_release(b), mx_array_release(a);
}

static void test_dropped_siblings(void) {
  /* Only S of a full SVD kept: the node recreates U and Vt as temporaries. */
  mx_array* a = mat(AV, 3, 3, MX_FLOAT32);
  mx_array *u, *sv, *vt;
  CHECK(mx_linalg_svd(a, true, S, &u, &sv, &vt) == 0);
  mx_array_release(u), mx_array_release(vt);
  CHECK(mx_array_eval(sv) == 0);
  CHECK_NEAR(at(sv, 0), 17.41250517, 1e-4);
  CHECK_NEAR(at(sv, 2), 0.19686652, 1e-5);
  mx_array_release(sv);
  /* lu_factor drops the permutation output itself. */
  mx_array *lu, *piv;
  CHECK(mx_linalg_lu_factor(a, S, &lu, &piv) == 0);
  CHECK(mx_array_eval(piv) == 0 && at(piv, 0) == 2 && at(piv, 1) == 2 && at(piv, 2) == 2);
  mx_array_release(lu), mx_array_release(piv), mx_array_release(a);
}

static void test_errors(void) {
  const double z[4] = {0, 0, 0, 0};
  mx_array* zero = mat(z, 2, 2, MX_FLOAT32);
  mx_array* inv = mx_linalg_inv(zero, S);
  CHECK(inv && mx_array_eval(inv) != 0 && mx_error_last_kind() == MX_ERR_RUNTIME);
  mx_error_clear();
  mx_array_release(inv);
  mx_array* zi = mx_astype(zero, MX_INT32, S);
  CHECK(mx_linalg_inv(zi, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(strstr(mx_error_message(), "float32 or float64") != NULL);
  mx_error_clear();
  mx_array* v = mx_zeros(1, (int[]){3}, MX_FLOAT32, S);
  CHECK(mx_linalg_cholesky(v, false, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(mx_linalg_cross(v, v, 3, S) == NULL && mx_error_last_kind() == MX_ERR_INDEX);
  mx_error_clear();
  /* NaN into the iterative routines is a RuntimeError, not LAPACK's abort. */
  mx_array* nan = mx_full_f64(2, (int[]){3, 3}, NAN, MX_FLOAT32, S);
  mx_array* w = mx_linalg_eigvals(nan, S);
  CHECK(w && mx_array_eval(w) != 0 && mx_error_last_kind() == MX_ERR_RUNTIME);
  mx_error_clear();
  mx_array_release(w), mx_array_release(nan), mx_array_release(v);
  mx_array_release(zi), mx_array_release(zero);
}

int main(void) {
  S = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  RUN(test_inverse_of_transposed_view);
  RUN(test_solve_broadcast_batch);
  RUN(test_dropped_siblings);
  RUN(test_errors);
  return test_summary();
}
