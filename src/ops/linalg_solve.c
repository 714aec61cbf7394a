/* mx.linalg inverses, solvers and determinants: inv, tri_inv, solve,
 * solve_triangular (primitives), and cholesky_inv, pinv, det, slogdet
 * (composed from the primitives and ordinary ops). */
#include <float.h>
#include <string.h>

#include "linalg_internal.h"
#include "ops.h"
#include "ops_linalg.h"

static int rows(const mx_array* a) { return a->shape[a->ndim - 2]; }
static int cols(const mx_array* a) { return a->shape[a->ndim - 1]; }

static int check_inv(mx_array* a, mx_stream s, const char* who, const char* square) {
  if (!a) return mx_error(MX_ERR_VALUE, "[linalg::%s] Invalid (null) array argument.", who);
  if (mx__la_check_cpu(s, who) || mx__la_check_dtype(a, who, false) ||
      mx__la_check_ndim(a, who))
    return -1;
  return mx__la_check_square(a, who, square);
}

static mx_array* inverse(mx_array* a, bool tri, bool upper, mx_stream s) {
  /* MLX reports tri_inv's argument errors as linalg::inv's. */
  if (check_inv(a, s, "inv", "Inverses are")) return NULL;
  mx_inverse_params p = {.tri = tri, .upper = upper};
  return mx_array_make(MX_PRIM_INVERSE, &p, sizeof p, s, 1, &a, a->dtype, a->ndim, a->shape);
}

mx_array* mx_linalg_inv(mx_array* a, mx_stream s) { return inverse(a, false, false, s); }

mx_array* mx_linalg_tri_inv(mx_array* a, bool upper, mx_stream s) {
  return inverse(a, true, upper, s);
}

mx_array* mx_linalg_cholesky_inv(mx_array* l, bool upper, mx_stream s) {
  if (check_inv(l, s, "cholesky_inv", "Cholesky inverse is")) return NULL;
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  /* A = L L^T gives A^-1 = L^-T L^-1; A = U^T U gives U^-1 U^-T. */
  LET(linv, mx_linalg_tri_inv(l, upper, s));
  LET(linv_t, mx__la_mT(linv, s));
  res = upper ? mx_matmul(linv, linv_t, s) : mx_matmul(linv_t, linv, s);
fail:
  mx__la_close(&sc);
  return res;
}

mx_array* mx_linalg_pinv(mx_array* a, mx_stream s) {
  if (!a) return NULL;
  if (mx__la_check_cpu(s, "pinv") || mx__la_check_dtype(a, "pinv", false) ||
      mx__la_check_ndim(a, "pinv"))
    return NULL;
  int nd = a->ndim, m = rows(a), n = cols(a), k = m < n ? m : n;
  int shape[nd];
  memcpy(shape, a->shape, sizeof(int) * (size_t)nd);
  shape[nd - 2] = n, shape[nd - 1] = m;
  if (k == 0) return mx_zeros(nd, shape, a->dtype, s);
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  mx_array *u, *sv, *vt;
  if (mx_linalg_svd(a, true, s, &u, &sv, &vt)) return NULL;
  mx__la_keep(&sc, u), mx__la_keep(&sc, sv), mx__la_keep(&sc, vt);
  int start[nd], stop[nd];
  for (int i = 0; i < nd; i++) start[i] = 0, stop[i] = a->shape[i];
  stop[nd - 2] = m, stop[nd - 1] = k;
  LET(uk, mx_slice(u, nd, start, stop, NULL, s)); /* (.., M, K) */
  stop[nd - 2] = k, stop[nd - 1] = n;
  LET(vtk, mx_slice(vt, nd, start, stop, NULL, s)); /* (.., K, N) */
  /* Singular values at or below the cutoff are treated as exact zeros. */
  double eps = a->dtype == MX_FLOAT64 ? DBL_EPSILON : FLT_EPSILON;
  int last = -1;
  LET(smax, mx_max(sv, 1, &last, true, s));
  LET(rc, mx_array_scalar_f64((m > n ? m : n) * eps, a->dtype));
  LET(cut, mx_multiply(smax, rc, s));
  LET(keep, mx_greater(sv, cut, s));
  LET(one, mx_array_scalar_f64(1, a->dtype));
  LET(zero, mx_array_scalar_f64(0, a->dtype));
  LET(sinv, mx_divide(one, sv, s));
  LET(sinv_kept, mx_where(keep, sinv, zero, s));
  int ax = -2;
  LET(scol, mx_expand_dims(sinv_kept, 1, &ax, s)); /* (.., 1, K) broadcast over V's rows */
  LET(v, mx__la_mT(vtk, s));                        /* (.., N, K) */
  LET(vs, mx_multiply(v, scol, s)); /* V diag(1/S) */
  LET(ut, mx__la_mT(uk, s)); /* (.., K, M) */
  res = mx_matmul(vs, ut, s);
fail:
  mx__la_close(&sc);
  return res;
}

/* --- solvers ---------------------------------------------------------------------------- */

/* The SOLVE / SOLVE_TRIANGULAR node for A (..,N,N) and B (..,N,R) of one
 * dtype: both operands get the broadcast batch dims (views; the kernel
 * reads them through their strides). */
static mx_array* solve_node(mx_array* a, mx_array* b, bool tri, bool upper, mx_stream s) {
  int nba = a->ndim - 2, nbb = b->ndim - 2, nb = nba > nbb ? nba : nbb;
  int batch[nb > 0 ? nb : 1];
  if (mx_broadcast_shapes(nba, a->shape, nbb, b->shape, &nb, batch)) return NULL;
  int n = cols(a), r = cols(b);
  int sha[nb + 2], shb[nb + 2];
  memcpy(sha, batch, sizeof(int) * (size_t)nb);
  memcpy(shb, batch, sizeof(int) * (size_t)nb);
  sha[nb] = sha[nb + 1] = n;
  shb[nb] = n, shb[nb + 1] = r;
  mx_array* in[2] = {mx_broadcast_to(a, nb + 2, sha, s), NULL};
  in[1] = in[0] ? mx_broadcast_to(b, nb + 2, shb, s) : NULL;
  mx_array* x = NULL;
  if (in[1]) {
    mx_triangle_params p = {.upper = upper};
    x = mx_array_make(tri ? MX_PRIM_SOLVE_TRIANGULAR : MX_PRIM_SOLVE, tri ? &p : NULL,
                      tri ? sizeof p : 0, s, 2, in, a->dtype, nb + 2, shb);
  }
  if (in[0]) mx_array_release(in[0]);
  if (in[1]) mx_array_release(in[1]);
  return x;
}

static mx_array* solve(mx_array* a, mx_array* b, bool tri, bool upper, mx_stream s) {
  const char* who = tri ? "solve_triangular" : "solve";
  if (!a || !b) return NULL;
  if (mx__la_check_cpu(s, who)) return NULL;
  char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
  if (a->ndim < 2) {
    mx_error(MX_ERR_VALUE, "[linalg::%s] First input must have >= 2 dimensions. Received array "
             "with %d dimensions.", who, a->ndim);
    return NULL;
  }
  if (b->ndim < 1) {
    mx_error(MX_ERR_VALUE, "[linalg::%s] Second input must have >= 1 dimensions. Received array "
             "with %d dimensions.", who, b->ndim);
    return NULL;
  }
  if (rows(a) != cols(a)) {
    mx_error(MX_ERR_VALUE, "[linalg::%s] First input must be a square matrix. Received array "
             "with shape %s.", who, mx_shape_str(a->ndim, a->shape, sa, sizeof sa));
    return NULL;
  }
  bool vec = b->ndim == 1;
  int bn = vec ? b->shape[0] : b->shape[b->ndim - 2];
  if (bn != cols(a)) {
    mx_error(MX_ERR_VALUE, "[linalg::%s] Last dimension of first input with shape %s must match "
             "second to last dimension of second input with shape %s.", who,
             mx_shape_str(a->ndim, a->shape, sa, sizeof sa),
             mx_shape_str(b->ndim, b->shape, sb, sizeof sb));
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (dt != MX_FLOAT32 && dt != MX_FLOAT64) {
    mx_error(MX_ERR_VALUE, "[linalg::%s] Input arrays must promote to float32 or float64.  "
             "Received arrays with type %s and %s.", who, mx_dtype_name(a->dtype),
             mx_dtype_name(b->dtype));
    return NULL;
  }
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  int last = -1;
  LET(bm, vec ? mx_expand_dims(b, 1, &last, s) : (mx_array_retain(b), b));
  LET(ac, mx__as_dtype(a, dt, s));
  LET(bc, mx__as_dtype(bm, dt, s));
  LET(x, solve_node(ac, bc, tri, upper, s));
  res = vec ? mx_squeeze(x, 1, &last, s) : (mx_array_retain(x), x);
fail:
  mx__la_close(&sc);
  return res;
}

mx_array* mx_linalg_solve(mx_array* a, mx_array* b, mx_stream s) {
  return solve(a, b, false, false, s);
}

mx_array* mx_linalg_solve_triangular(mx_array* a, mx_array* b, bool upper, mx_stream s) {
  return solve(a, b, true, upper, s);
}

/* --- determinants ------------------------------------------------------------------------- */

/* Checks det/slogdet's argument and writes the result dtype: the input's
 * floating dtype, float32 for integers and bool. */
static int det_check(mx_array* a, mx_stream s, const char* who, mx_dtype* out_dt) {
  if (!a) return mx_error(MX_ERR_VALUE, "[linalg::%s] Invalid (null) array argument.", who);
  if (mx__la_check_cpu(s, who)) return -1;
  if (a->dtype == MX_COMPLEX64)
    return mx_error(MX_ERR_VALUE, "[linalg::%s] Complex inputs are not supported.", who);
  if (mx__la_check_ndim(a, who) || mx__la_check_square(a, who, "Only")) return -1;
  *out_dt = mx_dtype_is_float(a->dtype) ? a->dtype : MX_FLOAT32;
  return 0;
}

/* The LU factorization of `a` in float32 (float64 stays float64) and its
 * pivots. */
static int det_lu(mx_array* a, mx_stream s, mx_array** lu, mx_array** piv) {
  mx_dtype work = a->dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
  mx_array* x = mx__as_dtype(a, work, s);
  if (!x) return -1;
  int rc = mx_linalg_lu_factor(x, s, lu, piv);
  mx_array_release(x);
  return rc;
}

/* MLX computes the determinant of 1x1, 2x2 and 3x3 matrices in closed form
 * (cofactor expansion along the first row) in the result dtype, with no LU
 * factorization: the result is then made of ordinary ops, so it can be
 * differentiated and vmapped (MLX's LUF primitive can be neither), and
 * float16 inputs are computed in float16.  Returns the (..) determinants. */
static mx_array* det_small(mx_array* a, mx_dtype dt, mx_stream s) {
  int nd = a->ndim, n = cols(a);
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  mx_array* e[9] = {0};
  int start[nd], stop[nd], sq[2] = {nd - 2, nd - 1};
  for (int i = 0; i < nd; i++) start[i] = 0, stop[i] = a->shape[i];
  LET(x, mx__as_dtype(a, dt, s));
  for (int r = 0; r < n; r++) {
    for (int c = 0; c < n; c++) {
      start[nd - 2] = r, stop[nd - 2] = r + 1, start[nd - 1] = c, stop[nd - 1] = c + 1;
      LET(blk, mx_slice(x, nd, start, stop, NULL, s));
      LET(el, mx_squeeze(blk, 2, sq, s));
      e[r * n + c] = el;
    }
  }
  if (n == 1) {
    mx_array_retain(e[0]);
    res = e[0];
  } else if (n == 2) {
    LET(p, mx_multiply(e[0], e[3], s));
    LET(q, mx_multiply(e[1], e[2], s));
    res = mx_subtract(p, q, s);
  } else {
    /* a(ei - fh) - b(di - fg) + c(dh - eg), rows (a b c), (d e f), (g h i). */
    LET(ei, mx_multiply(e[4], e[8], s));
    LET(fh, mx_multiply(e[5], e[7], s));
    LET(m0, mx_subtract(ei, fh, s));
    LET(di, mx_multiply(e[3], e[8], s));
    LET(fg, mx_multiply(e[5], e[6], s));
    LET(m1, mx_subtract(di, fg, s));
    LET(dh, mx_multiply(e[3], e[7], s));
    LET(eg, mx_multiply(e[4], e[6], s));
    LET(m2, mx_subtract(dh, eg, s));
    LET(t0, mx_multiply(e[0], m0, s));
    LET(t1, mx_multiply(e[1], m1, s));
    LET(t2, mx_multiply(e[2], m2, s));
    LET(d01, mx_subtract(t0, t1, s));
    res = mx_add(d01, t2, s);
  }
fail:
  mx__la_close(&sc);
  return res;
}

static bool det_is_small(const mx_array* a) { return cols(a) >= 1 && cols(a) <= 3; }

/* (-1)^(number of row swaps) as `dt`, from LAPACK-style pivots (..,K). */
static mx_array* swap_sign(mx_array* piv, mx_dtype dt, mx_stream s) {
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  int k = piv->shape[piv->ndim - 1], last = -1;
  LET(idx, mx_arange(0, k, 1, MX_UINT32, s));
  LET(swapped, mx_not_equal(piv, idx, s));
  LET(count, mx_sum(swapped, 1, &last, false, s));
  LET(two, mx_array_scalar_i64(2, MX_INT32));
  LET(odd, mx_remainder(count, two, s));
  LET(oddf, mx_astype(odd, dt, s));
  LET(m2, mx_array_scalar_f64(-2, dt));
  LET(one, mx_array_scalar_f64(1, dt));
  LET(t, mx_multiply(oddf, m2, s));
  res = mx_add(t, one, s);
fail:
  mx__la_close(&sc);
  return res;
}

mx_array* mx_linalg_det(mx_array* a, mx_stream s) {
  mx_array *lu, *piv;
  mx_dtype out_dt;
  if (det_check(a, s, "det", &out_dt)) return NULL;
  if (det_is_small(a)) return det_small(a, out_dt, s);
  if (det_lu(a, s, &lu, &piv)) return NULL;
  mx__la_scope sc = {0};
  mx__la_keep(&sc, lu), mx__la_keep(&sc, piv);
  mx_array* res = NULL;
  int last = -1;
  LET(diag, mx_diagonal(lu, 0, -2, -1, s));
  LET(prod, mx_prod(diag, 1, &last, false, s));
  LET(sign, swap_sign(piv, lu->dtype, s));
  LET(det, mx_multiply(prod, sign, s));
  res = mx__as_dtype(det, out_dt, s);
fail:
  mx__la_close(&sc);
  return res;
}

/* `sgn` with 0 wherever `logabs` is NaN: a NaN anywhere leaves no
 * meaningful sign, and MLX reports 0 there.  `dt` is their dtype. */
static mx_array* sign_or_zero(mx_array* sgn, mx_array* logabs, mx_dtype dt, mx_stream s) {
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  LET(nan, mx_isnan(logabs, s));
  LET(zero, mx_array_scalar_f64(0, dt));
  res = mx_where(nan, zero, sgn, s);
fail:
  mx__la_close(&sc);
  return res;
}

/* slogdet of a closed-form determinant, as MLX: sign(det) and log|det|
 * (so a determinant that underflows reads as singular), sign 0 where the
 * log is NaN. */
static int slogdet_small(mx_array* a, mx_dtype dt, mx_stream s, mx_array** sign,
                         mx_array** logabsdet) {
  mx__la_scope sc = {0};
  LET(det, det_small(a, dt, s));
  LET(absd, mx_abs(det, s));
  LET(lo, mx_log(absd, s));
  LET(sgn, mx_sign(det, s));
  LET(so, sign_or_zero(sgn, lo, dt, s));
  mx_array_retain(so), mx_array_retain(lo);
  *sign = so, *logabsdet = lo;
  mx__la_close(&sc);
  return 0;
fail:
  mx__la_close(&sc);
  return -1;
}

int mx_linalg_slogdet(mx_array* a, mx_stream s, mx_array** sign, mx_array** logabsdet) {
  *sign = *logabsdet = NULL;
  mx_array *lu, *piv;
  mx_dtype out_dt;
  if (det_check(a, s, "slogdet", &out_dt)) return -1;
  if (det_is_small(a)) return slogdet_small(a, out_dt, s, sign, logabsdet);
  if (det_lu(a, s, &lu, &piv)) return -1;
  mx__la_scope sc = {0};
  mx__la_keep(&sc, lu), mx__la_keep(&sc, piv);
  int last = -1;
  LET(diag, mx_diagonal(lu, 0, -2, -1, s));
  LET(absd, mx_abs(diag, s));
  LET(logd, mx_log(absd, s));
  LET(logabs, mx_sum(logd, 1, &last, false, s));
  LET(signs, mx_sign(diag, s));
  LET(sprod, mx_prod(signs, 1, &last, false, s));
  LET(swaps, swap_sign(piv, lu->dtype, s));
  LET(sgn, mx_multiply(sprod, swaps, s));
  LET(sgn_ok, sign_or_zero(sgn, logabs, lu->dtype, s));
  LET(so, mx__as_dtype(sgn_ok, out_dt, s));
  LET(lo, mx__as_dtype(logabs, out_dt, s));
  mx_array_retain(so), mx_array_retain(lo);
  *sign = so, *logabsdet = lo;
  mx__la_close(&sc);
  return 0;
fail:
  mx__la_close(&sc);
  return -1;
}
