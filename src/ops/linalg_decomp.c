/* mx.linalg decompositions: the argument checks shared by the family, the
 * node builder, and qr, svd, cholesky, eig/eigvals, eigh/eigvalsh,
 * lu_factor and lu (whose unpacking into L and U is ordinary ops). */
#include <string.h>

#include "linalg_internal.h"
#include "ops.h"
#include "ops_linalg.h"

/* --- checks ------------------------------------------------------------------------ */

int mx__la_check_cpu(mx_stream s, const char* who) {
  if (mx_stream_device(s).type == MX_DEVICE_GPU)
    return mx_error(MX_ERR_VALUE,
                    "[linalg::%s] This op is not yet supported on the GPU. Explicitly pass a CPU "
                    "stream to run it.",
                    who);
  return 0;
}

int mx__la_check_dtype(const mx_array* a, const char* who, bool complex_ok) {
  if (a->dtype == MX_FLOAT32 || a->dtype == MX_FLOAT64 || (complex_ok && a->dtype == MX_COMPLEX64))
    return 0;
  return mx_error(MX_ERR_VALUE, "[linalg::%s] Arrays must have type float32%s float64%s. Received "
                  "array with type %s.", who, complex_ok ? "," : " or",
                  complex_ok ? " or complex64" : "", mx_dtype_name(a->dtype));
}

int mx__la_check_ndim(const mx_array* a, const char* who) {
  if (a->ndim >= 2) return 0;
  return mx_error(MX_ERR_VALUE,
                  "[linalg::%s] Arrays must have >= 2 dimensions. Received array with %d "
                  "dimensions.", who, a->ndim);
}

int mx__la_check_square(const mx_array* a, const char* who, const char* what) {
  if (a->shape[a->ndim - 1] == a->shape[a->ndim - 2]) return 0;
  return mx_error(MX_ERR_VALUE, "[linalg::%s] %s only defined for square matrices.", who, what);
}

/* The usual prologue: stream, dtype, rank and (when `square` names the
 * message) squareness. */
static int check(mx_array* a, mx_stream s, const char* who, bool complex_ok, const char* square) {
  if (!a) return mx_error(MX_ERR_VALUE, "[linalg::%s] Invalid (null) array argument.", who);
  if (mx__la_check_cpu(s, who) || mx__la_check_dtype(a, who, complex_ok) ||
      mx__la_check_ndim(a, who))
    return -1;
  return square ? mx__la_check_square(a, who, square) : 0;
}

int mx__la_node(mx_prim prim, const void* params, size_t psz, mx_stream s, int nin,
                mx_array* const* in, int nout, const int* tail_nd, const int (*tails)[2],
                const mx_dtype* dts, mx_array** outs) {
  int nb = in[0]->ndim - 2;
  int shapes[4][nb + 2], ndims[4];
  const int* sp[4];
  for (int i = 0; i < nout; i++) {
    memcpy(shapes[i], in[0]->shape, sizeof(int) * (size_t)nb);
    for (int j = 0; j < tail_nd[i]; j++) shapes[i][nb + j] = tails[i][j];
    ndims[i] = nb + tail_nd[i];
    sp[i] = shapes[i];
  }
  return mx_array_make_node(prim, params, psz, s, nin, in, nout, ndims, sp, dts, outs);
}

mx_array* mx__la_mT(mx_array* a, mx_stream s) { return mx_swapaxes(a, -1, -2, s); }

static int rows(const mx_array* a) { return a->shape[a->ndim - 2]; }
static int cols(const mx_array* a) { return a->shape[a->ndim - 1]; }
static int imin(int a, int b) { return a < b ? a : b; }

/* --- QR, SVD, Cholesky ---------------------------------------------------------------- */

int mx_linalg_qr(mx_array* a, mx_stream s, mx_array** q, mx_array** r) {
  *q = *r = NULL;
  if (check(a, s, "qr", false, NULL)) return -1;
  int m = rows(a), n = cols(a), k = imin(m, n);
  const int nd[2] = {2, 2}, tails[2][2] = {{m, k}, {k, n}};
  const mx_dtype dts[2] = {a->dtype, a->dtype};
  mx_array* outs[2];
  if (mx__la_node(MX_PRIM_QR, NULL, 0, s, 1, &a, 2, nd, tails, dts, outs)) return -1;
  *q = outs[0], *r = outs[1];
  return 0;
}

int mx_linalg_svd(mx_array* a, bool compute_uv, mx_stream s, mx_array** u, mx_array** sv,
                  mx_array** vt) {
  *sv = NULL;
  if (compute_uv) *u = *vt = NULL;
  if (!a) return mx_error(MX_ERR_VALUE, "[linalg::svd] Invalid (null) array argument.");
  if (mx__la_check_cpu(s, "svd") || mx__la_check_dtype(a, "svd", true)) return -1;
  if (a->ndim < 2)
    return mx_error(MX_ERR_VALUE, "[linalg::svd] Input array must have >= 2 dimensions. Received "
                    "array with %d dimensions.", a->ndim);
  int m = rows(a), n = cols(a), k = imin(m, n);
  mx_dtype real = a->dtype == MX_COMPLEX64 ? MX_FLOAT32 : a->dtype;
  mx_svd_params p = {.compute_uv = compute_uv};
  mx_array* outs[3];
  if (compute_uv) {
    const int nd[3] = {2, 1, 2}, tails[3][2] = {{m, m}, {k, 0}, {n, n}};
    const mx_dtype dts[3] = {a->dtype, real, a->dtype};
    if (mx__la_node(MX_PRIM_SVD, &p, sizeof p, s, 1, &a, 3, nd, tails, dts, outs)) return -1;
    *u = outs[0], *sv = outs[1], *vt = outs[2];
  } else {
    const int nd[1] = {1}, tails[1][2] = {{k, 0}};
    if (mx__la_node(MX_PRIM_SVD, &p, sizeof p, s, 1, &a, 1, nd, tails, &real, outs)) return -1;
    *sv = outs[0];
  }
  return 0;
}

mx_array* mx_linalg_cholesky(mx_array* a, bool upper, mx_stream s) {
  if (check(a, s, "cholesky", false, "Cholesky decomposition is")) return NULL;
  mx_triangle_params p = {.upper = upper};
  return mx_array_make(MX_PRIM_CHOLESKY, &p, sizeof p, s, 1, &a, a->dtype, a->ndim, a->shape);
}

/* --- eigen decompositions --------------------------------------------------------------- */

static int eig_node(mx_prim prim, mx_array* a, bool vectors, bool upper, mx_stream s,
                    mx_array** outs) {
  int n = cols(a);
  mx_eig_params p = {.compute_vectors = vectors, .upper = upper};
  mx_dtype wdt, vdt;
  if (prim == MX_PRIM_EIG) {
    wdt = vdt = MX_COMPLEX64; /* MLX returns complex64 even for float64 input */
  } else {
    vdt = a->dtype;
    wdt = a->dtype == MX_COMPLEX64 ? MX_FLOAT32 : a->dtype;
  }
  const int nd[2] = {1, 2}, tails[2][2] = {{n, 0}, {n, n}};
  const mx_dtype dts[2] = {wdt, vdt};
  return mx__la_node(prim, &p, sizeof p, s, 1, &a, vectors ? 2 : 1, nd, tails, dts, outs);
}

mx_array* mx_linalg_eigvals(mx_array* a, mx_stream s) {
  if (check(a, s, "eigvals", true, "Only")) return NULL;
  mx_array* w;
  return eig_node(MX_PRIM_EIG, a, false, false, s, &w) ? NULL : w;
}

int mx_linalg_eig(mx_array* a, mx_stream s, mx_array** w, mx_array** v) {
  *w = *v = NULL;
  if (check(a, s, "eig", true, "Only")) return -1;
  mx_array* outs[2];
  if (eig_node(MX_PRIM_EIG, a, true, false, s, outs)) return -1;
  *w = outs[0], *v = outs[1];
  return 0;
}

/* MLX reads the lower triangle only for a UPLO starting with 'L'. */
static bool uplo_upper(const char* uplo) { return !(uplo && uplo[0] == 'L'); }

mx_array* mx_linalg_eigvalsh(mx_array* a, const char* uplo, mx_stream s) {
  if (check(a, s, "eigvalsh", true, "Only")) return NULL;
  mx_array* w;
  return eig_node(MX_PRIM_EIGH, a, false, uplo_upper(uplo), s, &w) ? NULL : w;
}

int mx_linalg_eigh(mx_array* a, const char* uplo, mx_stream s, mx_array** w, mx_array** v) {
  *w = *v = NULL;
  if (check(a, s, "eigh", true, "Only")) return -1;
  mx_array* outs[2];
  if (eig_node(MX_PRIM_EIGH, a, true, uplo_upper(uplo), s, outs)) return -1;
  *w = outs[0], *v = outs[1];
  return 0;
}

/* --- LU ------------------------------------------------------------------------------------ */

/* The three outputs of LU_FACTOR: LU, pivots, row permutation. */
static int luf(mx_array* a, mx_stream s, const char* who, mx_array** outs) {
  if (check(a, s, who, false, NULL)) return -1;
  int m = rows(a), n = cols(a), k = imin(m, n);
  const int nd[3] = {2, 1, 1}, tails[3][2] = {{m, n}, {k, 0}, {m, 0}};
  const mx_dtype dts[3] = {a->dtype, MX_UINT32, MX_UINT32};
  return mx__la_node(MX_PRIM_LU_FACTOR, NULL, 0, s, 1, &a, 3, nd, tails, dts, outs);
}

int mx_linalg_lu_factor(mx_array* a, mx_stream s, mx_array** lu, mx_array** pivots) {
  *lu = *pivots = NULL;
  mx_array* outs[3];
  if (luf(a, s, "lu_factor", outs)) return -1;
  mx_array_release(outs[2]); /* the node keeps its shape to recreate it if needed */
  *lu = outs[0], *pivots = outs[1];
  return 0;
}

int mx_linalg_lu(mx_array* a, mx_stream s, mx_array** p, mx_array** l, mx_array** u) {
  *p = *l = *u = NULL;
  mx_array* outs[3];
  if (luf(a, s, "lu", outs)) return -1;
  mx__la_scope sc = {0};
  mx__la_keep(&sc, outs[0]);
  mx__la_keep(&sc, outs[1]);
  int nd = a->ndim, m = rows(a), n = cols(a), k = imin(m, n);
  int start[nd], stop[nd];
  for (int i = 0; i < nd; i++) start[i] = 0, stop[i] = a->shape[i];
  /* L: the strictly lower part of the first K columns plus a unit diagonal. */
  stop[nd - 1] = k;
  LET(lcols, mx_slice(outs[0], nd, start, stop, NULL, s));
  LET(lstrict, mx_tril(lcols, -1, s));
  LET(eye, mx_eye(m, k, 0, a->dtype, s));
  LET(lower, mx_add(lstrict, eye, s));
  /* U: the upper part of the first K rows. */
  stop[nd - 1] = n;
  stop[nd - 2] = k;
  LET(urows, mx_slice(outs[0], nd, start, stop, NULL, s));
  LET(upper, mx_triu(urows, 0, s));
  mx_array_retain(lower);
  mx_array_retain(upper);
  *p = outs[2], *l = lower, *u = upper;
  mx__la_close(&sc);
  return 0;
fail:
  mx_array_release(outs[2]);
  mx__la_close(&sc);
  return -1;
}
