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
  OUT(res, "mlx_linalg_cholesky");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_cholesky(x, upper, st));
}

int mlx_linalg_cholesky_inv(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s) {
  OUT(res, "mlx_linalg_cholesky_inv");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_cholesky_inv(x, upper, st));
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
  OUT(res_0, "mlx_linalg_eig");
  OUT(res_1, "mlx_linalg_eig");
  ARG(x, a);
  STREAM(st, s);
  mx_array *w, *v;
  int rc = mx_linalg_eig(x, st, &w, &v);
  return put2(rc, res_0, res_1, w, v);
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
  OUT(res, "mlx_linalg_eigvals");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_eigvals(x, st));
}

int mlx_linalg_eigvalsh(mlx_array* res, const mlx_array a, const char* UPLO,
                        const mlx_stream s) {
  OUT(res, "mlx_linalg_eigvalsh");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_eigvalsh(x, UPLO ? UPLO : "L", st));
}

int mlx_linalg_inv(mlx_array* res, const mlx_array a, const mlx_stream s) {
  OUT(res, "mlx_linalg_inv");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_inv(x, st));
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
  OUT(res_0, "mlx_linalg_lu_factor");
  OUT(res_1, "mlx_linalg_lu_factor");
  ARG(x, a);
  STREAM(st, s);
  mx_array *lu, *piv;
  int rc = mx_linalg_lu_factor(x, st, &lu, &piv);
  return put2(rc, res_0, res_1, lu, piv);
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
  OUT(res, "mlx_linalg_pinv");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_pinv(x, st));
}

int mlx_linalg_qr(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const mlx_stream s) {
  OUT(res_0, "mlx_linalg_qr");
  OUT(res_1, "mlx_linalg_qr");
  ARG(x, a);
  STREAM(st, s);
  mx_array *q, *r;
  int rc = mx_linalg_qr(x, st, &q, &r);
  return put2(rc, res_0, res_1, q, r);
}

int mlx_linalg_solve(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  OUT(res, "mlx_linalg_solve");
  ARG(x, a);
  ARG(y, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_solve(x, y, st));
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
  OUT(res, "mlx_linalg_tri_inv");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_tri_inv(x, upper, st));
}

int mlx_linalg_det(mlx_array* res, const mlx_array a, const mlx_stream s) {
  OUT(res, "mlx_linalg_det");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linalg_det(x, st));
}

int mlx_linalg_slogdet(mlx_array* res_0, mlx_array* res_1, const mlx_array a,
                       const mlx_stream s) {
  OUT(res_0, "mlx_linalg_slogdet");
  OUT(res_1, "mlx_linalg_slogdet");
  ARG(x, a);
  STREAM(st, s);
  mx_array *sg, *la;
  int rc = mx_linalg_slogdet(x, st, &sg, &la);
  return put2(rc, res_0, res_1, sg, la);
}
