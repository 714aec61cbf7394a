/* The linalg family's mlx-c functions: every exported function is called
 * once on A = [[1,2,3],[4,5,6],[7,8,10]] (or a matrix derived from it) and
 * its result compared with NumPy float64 values (np.linalg on the same
 * matrix, rounded to float32 tolerance).  Error paths return 1 and call the
 * handler without aborting. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;
static const float AV[9] = {1, 2, 3, 4, 5, 6, 7, 8, 10};
static mlx_array mat(const float* v, int r, int c) {
  int sh[2] = {r, c};
  return mlx_array_new_data(v, sh, 2, MLX_FLOAT32);
}

/* Evaluates `a` (float32) and compares with `want` (n values) within tol. */
static void near(mlx_array a, const float* want, size_t n, double tol) {
  CHECK(mlx_array_eval(a) == 0);
  CHECK(mlx_array_size(a) == n);
  const float* p = mlx_array_data_float32(a);
  bool ok = p != NULL && mlx_array_size(a) == n;
  for (size_t i = 0; ok && i < n; i++) ok = fabs((double)p[i] - want[i]) <= tol;
  CHECK(ok);
}

static void test_inverses_and_solvers(void) {
  mlx_array a = mat(AV, 3, 3), r = mlx_array_new();
  /* np.linalg.inv(A) */
  const float inv[9] = {-2.0f / 3, -4.0f / 3, 1, -2.0f / 3, 11.0f / 3, -2, 1, -2, 1};
  CHECK(mlx_linalg_inv(&r, a, S) == 0);
  near(r, inv, 9, 1e-4);
  /* inverse of the lower triangle [[1,0,0],[4,5,0],[7,8,10]] */
  const float tinv[9] = {1, 0, 0, -0.8f, 0.2f, 0, -0.06f, -0.16f, 0.1f};
  CHECK(mlx_linalg_tri_inv(&r, a, false, S) == 0);
  near(r, tinv, 9, 1e-5);
  const float b3[3] = {1, 2, 3};
  int three = 3;
  mlx_array b = mlx_array_new_data(b3, &three, 1, MLX_FLOAT32);
  const float x[3] = {-1.0f / 3, 2.0f / 3, 0};
  CHECK(mlx_linalg_solve(&r, a, b, S) == 0);
  near(r, x, 3, 1e-5);
  /* upper triangle [[1,2,3],[0,5,6],[0,0,10]] x = b */
  const float xu[3] = {0.02f, 0.04f, 0.3f};
  CHECK(mlx_linalg_solve_triangular(&r, a, b, true, S) == 0);
  near(r, xu, 3, 1e-6);
  CHECK(mlx_linalg_det(&r, a, S) == 0);
  near(r, (const float[]){-3}, 1, 1e-5);
  mlx_array sg = mlx_array_new();
  CHECK(mlx_linalg_slogdet(&sg, &r, a, S) == 0);
  near(sg, (const float[]){-1}, 1, 0);
  near(r, (const float[]){(float)log(3.0)}, 1, 1e-5);
  /* pinv of the rank-1 4x2 ones matrix is 1/8 everywhere. */
  const float ones[8] = {1, 1, 1, 1, 1, 1, 1, 1}, eighth[8] = {.125f, .125f, .125f, .125f,
                                                                .125f, .125f, .125f, .125f};
  mlx_array o = mat(ones, 4, 2);
  CHECK(mlx_linalg_pinv(&r, o, S) == 0);
  near(r, eighth, 8, 1e-6);
  /* Cholesky of SPD [[4,2],[2,3]]: L = [[2,0],[1,sqrt(2)]]; inverse from L. */
  const float spd[4] = {4, 2, 2, 3}, l[4] = {2, 0, 1, (float)sqrt(2.0)},
              u[4] = {2, 1, 0, (float)sqrt(2.0)}, spdinv[4] = {0.375f, -0.25f, -0.25f, 0.5f};
  mlx_array m = mat(spd, 2, 2), lf = mlx_array_new();
  CHECK(mlx_linalg_cholesky(&lf, m, false, S) == 0);
  near(lf, l, 4, 1e-6);
  CHECK(mlx_linalg_cholesky_inv(&r, lf, false, S) == 0);
  near(r, spdinv, 4, 1e-6);
  CHECK(mlx_linalg_cholesky(&lf, m, true, S) == 0);
  near(lf, u, 4, 1e-6);
  CHECK(mlx_linalg_cholesky_inv(&r, lf, true, S) == 0);
  near(r, spdinv, 4, 1e-6);
  /* A singular matrix: solve fails at evaluation, through the handler. */
  const float zero[4] = {0, 0, 0, 0};
  mlx_array z = mat(zero, 2, 2);
  CHECK(mlx_linalg_inv(&r, z, S) == 0);
  int before = test_errors_seen;
  CHECK(mlx_array_eval(r) == 1);
  CHECK(test_errors_seen == before + 1);
  mlx_array_free(z), mlx_array_free(m), mlx_array_free(lf), mlx_array_free(o);
  mlx_array_free(sg), mlx_array_free(b), mlx_array_free(a), mlx_array_free(r);
}

static void test_decompositions(void) {
  mlx_array a = mat(AV, 3, 3), r0 = mlx_array_new(), r1 = mlx_array_new();
  mlx_vector_array v = mlx_vector_array_new();
  /* np.linalg.svd(A, compute_uv=False) */
  const float sv[3] = {17.41250706f, 0.87516135f, 0.19686652f};
  CHECK(mlx_linalg_svd(&v, a, false, S) == 0);
  CHECK(mlx_vector_array_size(v) == 1);
  CHECK(mlx_vector_array_get(&r0, v, 0) == 0);
  near(r0, sv, 3, 1e-4);
  CHECK(mlx_linalg_svd(&v, a, true, S) == 0);
  CHECK(mlx_vector_array_size(v) == 3);
  CHECK(mlx_vector_array_get(&r0, v, 1) == 0);
  near(r0, sv, 3, 1e-4);
  /* QR: |R| diagonal from np.linalg.qr(A): 8.12403840, 0.90453403, 0.40824829 */
  CHECK(mlx_linalg_qr(&r0, &r1, a, S) == 0);
  CHECK(mlx_array_eval(r1) == 0);
  const float* rp = mlx_array_data_float32(r1);
  CHECK(rp && fabs(fabs(rp[0]) - 8.1240384) < 1e-4 && fabs(fabs(rp[4]) - 0.904534) < 1e-4 &&
        fabs(fabs(rp[8]) - 0.408248) < 1e-4 && rp[3] == 0 && rp[6] == 0 && rp[7] == 0);
  /* lu_factor: LAPACK pivots [2,2,2] (0-based) and the packed factors. */
  CHECK(mlx_linalg_lu_factor(&r0, &r1, a, S) == 0);
  const float lu[9] = {7, 8, 10, 1.0f / 7, 6.0f / 7, 11.0f / 7, 4.0f / 7, 0.5f, -0.5f};
  near(r0, lu, 9, 1e-5);
  CHECK(mlx_array_eval(r1) == 0);
  const uint32_t* piv = mlx_array_data_uint32(r1);
  CHECK(piv && piv[0] == 2 && piv[1] == 2 && piv[2] == 2);
  CHECK(mlx_linalg_lu(&v, a, S) == 0);
  CHECK(mlx_vector_array_size(v) == 3);
  CHECK(mlx_vector_array_get(&r0, v, 0) == 0 && mlx_array_eval(r0) == 0);
  const uint32_t* perm = mlx_array_data_uint32(r0);
  CHECK(perm && perm[0] == 2 && perm[1] == 0 && perm[2] == 1);
  /* Symmetric part of A's lower triangle: np.linalg.eigvalsh(A, 'L'). */
  const float wl[3] = {-2.85562624f, -0.52402444f, 19.37965068f};
  CHECK(mlx_linalg_eigvalsh(&r0, a, "L", S) == 0);
  near(r0, wl, 3, 1e-4);
  CHECK(mlx_linalg_eigh(&r0, &r1, a, "L", S) == 0);
  near(r0, wl, 3, 1e-4);
  /* Rotation by 90 degrees: eigenvalues +-i (complex64). */
  const float rot[4] = {0, -1, 1, 0};
  mlx_array rm = mat(rot, 2, 2);
  CHECK(mlx_linalg_eigvals(&r0, rm, S) == 0);
  CHECK(mlx_array_eval(r0) == 0 && mlx_array_dtype(r0) == MLX_COMPLEX64);
  CHECK(mlx_linalg_eig(&r0, &r1, rm, S) == 0);
  CHECK(mlx_array_eval(r1) == 0 && mlx_array_ndim(r1) == 2);
  /* Non-square input: an argument error at call time. */
  const float six[6] = {1, 2, 3, 4, 5, 6};
  mlx_array ns = mat(six, 2, 3);
  int before = test_errors_seen;
  CHECK(mlx_linalg_inv(&r0, ns, S) == 1);
  CHECK(test_errors_seen == before + 1);
  mlx_array_free(ns), mlx_array_free(rm), mlx_vector_array_free(v);
  mlx_array_free(a), mlx_array_free(r0), mlx_array_free(r1);
}

static void test_norms_and_cross(void) {
  mlx_array a = mat(AV, 3, 3), r = mlx_array_new();
  CHECK(mlx_linalg_norm_l2(&r, a, NULL, 0, false, S) == 0);
  near(r, (const float[]){(float)sqrt(304.0)}, 1, 1e-4);
  CHECK(mlx_linalg_norm(&r, a, 1.0, NULL, 0, false, S) == 0);
  near(r, (const float[]){19}, 1, 0);
  CHECK(mlx_linalg_norm(&r, a, INFINITY, NULL, 0, false, S) == 0);
  near(r, (const float[]){25}, 1, 0);
  CHECK(mlx_linalg_norm_matrix(&r, a, "nuc", NULL, 0, false, S) == 0);
  near(r, (const float[]){18.48453494f}, 1, 1e-4);
  int ax = 1;
  const float rows2[3] = {(float)sqrt(14.0), (float)sqrt(77.0), (float)sqrt(213.0)};
  CHECK(mlx_linalg_norm_l2(&r, a, &ax, 1, false, S) == 0);
  near(r, rows2, 3, 1e-4);
  const float x[3] = {1, 2, 3}, y[3] = {0, 1, 0}, c[3] = {-3, 0, 1};
  int three = 3;
  mlx_array xa = mlx_array_new_data(x, &three, 1, MLX_FLOAT32),
            ya = mlx_array_new_data(y, &three, 1, MLX_FLOAT32);
  CHECK(mlx_linalg_cross(&r, xa, ya, -1, S) == 0);
  near(r, c, 3, 0);
  int before = test_errors_seen;
  CHECK(mlx_linalg_norm_matrix(&r, xa, "fro", NULL, 0, false, S) == 1);
  CHECK(test_errors_seen == before + 1);
  mlx_array_free(xa), mlx_array_free(ya), mlx_array_free(a), mlx_array_free(r);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_inverses_and_solvers);
  RUN(test_decompositions);
  RUN(test_norms_and_cross);
  mlx_stream_free(S);
  return test_summary();
}
