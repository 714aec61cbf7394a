/* mlx-c's linalg.h over src/ops/ops_linalg.h: argument checks and handle
 * conversion only. */
#include "capi.h"
#include "mlx/c/linalg.h"

/* Stores two results, or releases them and reports when rc failed. */
static int put2(int rc, mlx_array* r0, mlx_array* r1, mx_array* a, mx_array* b) {
  if (rc != 0) return mx__capi_fail();
  mx__capi_put_array(r0, a);
  mx__capi_put_array(r1, b);
  return 0;
}

/* The wrappers of ops that take one matrix and return two arrays (eig, qr,
 * lu_factor, slogdet) differ only in the op they call. */
typedef int (*pair_fn)(mx_array*, mx_stream, mx_array**, mx_array**);
static int pair(mlx_array* res_0, mlx_array* res_1, mlx_array a, mlx_stream s, pair_fn fn,
                const char* name) {
  OUT(res_0, name);
  OUT(res_1, name);
  ARG(x, a);
  STREAM(st, s);
  mx_array *r0, *r1;
  int rc = fn(x, st, &r0, &r1);
  return put2(rc, res_0, res_1, r0, r1);
}

/* Likewise for the ops that take one matrix and a triangle flag. */
typedef mx_array* (*triangle_fn)(mx_array*, bool, mx_stream);
static int triangle(mlx_array* res, mlx_array a, bool upper, mlx_stream s, triangle_fn fn,
                    const char* name) {
  OUT(res, name);
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, fn(x, upper, st));
}

/* Stores n results into a vector (which takes its own references). */
static int put_vec(mlx_vector_array* res, int n, mx_array** arrs) {
  mlx_array h[3];
  for (int i = 0; i < n; i++) h[i].ctx = arrs[i];
  int rc = mlx_vector_array_set_data(res, h, (size_t)n);
  for (int i = 0; i < n; i++) mx_array_release(arrs[i]);
  return rc;
}

static bool axes_ok(const int* axis, size_t n) {
  if (n > 0 && !axis) {
    mx__capi_failf(MX_ERR_VALUE, "[linalg::norm] axis is NULL but axis_num is %zu.", n);
    return false;
  }
  return true;
}
/* mlx-c passes no axes as (NULL, 0): MLX's axis=None. */
static const int* axes_or_none(const int* axis, size_t n) { return n ? axis : NULL; }

int mlx_linalg_cholesky(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s) {
  return triangle(res, a, upper, s, mx_linalg_cholesky, "mlx_linalg_cholesky");
}

int mlx_linalg_cholesky_inv(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s) {
  return triangle(res, a, upper, s, mx_linalg_cholesky_inv, "mlx_linalg_cholesky_inv");
}

int mlx_linalg_cross(mlx_array* res, const mlx_array a, const mlx_array b, int axis,
                     const mlx_stream s) {
  OUT(res, "mlx_linalg_cross");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_cross(x, y, axis, st));
}

int mlx_linalg_eig(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const mlx_stream s) {
  return pair(res_0, res_1, a, s, mx_linalg_eig, "mlx_linalg_eig");
}

int mlx_linalg_eigh(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const char* UPLO,
                    const mlx_stream s) {
  OUT(res_0, "mlx_linalg_eigh");
  OUT(res_1, "mlx_linalg_eigh");
  ARG(x, a);
  STREAM(st, s);
  mx_array *w, *v;
  int rc = mx_linalg_eigh(x, UPLO ? UPLO : "L", st, &w, &v);
  return put2(rc, res_0, res_1, w, v);
}

int mlx_linalg_eigvals(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_linalg_eigvals, "mlx_linalg_eigvals");
}

int mlx_linalg_eigvalsh(mlx_array* res, const mlx_array a, const char* UPLO,
                        const mlx_stream s) {
  OUT(res, "mlx_linalg_eigvalsh");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_eigvalsh(x, UPLO ? UPLO : "L", st));
}

int mlx_linalg_inv(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_linalg_inv, "mlx_linalg_inv");
}

int mlx_linalg_lu(mlx_vector_array* res, const mlx_array a, const mlx_stream s) {
  OUT(res, "mlx_linalg_lu");
  ARG(x, a);
  STREAM(st, s);
  mx_array* r[3];
  if (mx_linalg_lu(x, st, &r[0], &r[1], &r[2])) return mx__capi_fail();
  return put_vec(res, 3, r);
}

int mlx_linalg_lu_factor(mlx_array* res_0, mlx_array* res_1, const mlx_array a,
                         const mlx_stream s) {
  return pair(res_0, res_1, a, s, mx_linalg_lu_factor, "mlx_linalg_lu_factor");
}

int mlx_linalg_norm(mlx_array* res, const mlx_array a, double ord, const int* axis,
                    size_t axis_num, bool keepdims, const mlx_stream s) {
  OUT(res, "mlx_linalg_norm");
  ARG(x, a);
  STREAM(st, s);
  if (!axes_ok(axis, axis_num)) return 1;
  return mx__capi_put_array(res, mx_linalg_norm_p(x, ord, (int)axis_num,
                                                  axes_or_none(axis, axis_num), keepdims, st));
}

int mlx_linalg_norm_matrix(mlx_array* res, const mlx_array a, const char* ord, const int* axis,
                           size_t axis_num, bool keepdims, const mlx_stream s) {
  OUT(res, "mlx_linalg_norm_matrix");
  ARG(x, a);
  STREAM(st, s);
  if (!ord) return mx__capi_failf(MX_ERR_VALUE, "[linalg::norm] ord is NULL.");
  if (!axes_ok(axis, axis_num)) return 1;
  return mx__capi_put_array(res, mx_linalg_norm_str(x, ord, (int)axis_num,
                                                    axes_or_none(axis, axis_num), keepdims, st));
}

int mlx_linalg_norm_l2(mlx_array* res, const mlx_array a, const int* axis, size_t axis_num,
                       bool keepdims, const mlx_stream s) {
  OUT(res, "mlx_linalg_norm_l2");
  ARG(x, a);
  STREAM(st, s);
  if (!axes_ok(axis, axis_num)) return 1;
  return mx__capi_put_array(
      res, mx_linalg_norm_l2(x, (int)axis_num, axes_or_none(axis, axis_num), keepdims, st));
}

int mlx_linalg_pinv(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_linalg_pinv, "mlx_linalg_pinv");
}

int mlx_linalg_qr(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const mlx_stream s) {
  return pair(res_0, res_1, a, s, mx_linalg_qr, "mlx_linalg_qr");
}

int mlx_linalg_solve(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_linalg_solve, "mlx_linalg_solve");
}

int mlx_linalg_solve_triangular(mlx_array* res, const mlx_array a, const mlx_array b, bool upper,
                                const mlx_stream s) {
  OUT(res, "mlx_linalg_solve_triangular");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_solve_triangular(x, y, upper, st));
}

int mlx_linalg_svd(mlx_vector_array* res, const mlx_array a, bool compute_uv,
                   const mlx_stream s) {
  OUT(res, "mlx_linalg_svd");
  ARG(x, a);
  STREAM(st, s);
  mx_array* r[3];
  if (mx_linalg_svd(x, compute_uv, st, &r[0], &r[1], &r[2])) return mx__capi_fail();
  return compute_uv ? put_vec(res, 3, r) : put_vec(res, 1, &r[1]);
}

int mlx_linalg_tri_inv(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s) {
  return triangle(res, a, upper, s, mx_linalg_tri_inv, "mlx_linalg_tri_inv");
}

int mlx_linalg_det(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return mx__capi_unary(res, a, s, mx_linalg_det, "mlx_linalg_det");
}

int mlx_linalg_slogdet(mlx_array* res_0, mlx_array* res_1, const mlx_array a,
                       const mlx_stream s) {
  return pair(res_0, res_1, a, s, mx_linalg_slogdet, "mlx_linalg_slogdet");
}
