/* CPU kernels of the factorizations that keep the matrix shape: LU_FACTOR
 * (getrf), QR (geqrf + orgqr), INVERSE (getrf + getri, or trtri for a
 * triangular input) and CHOLESKY (potrf).  Each matrix of the batch is
 * copied into a column-major scratch matrix, factored in place and written
 * back row-major (see linalg_lapack.h). */
#include <math.h>
#include <stdlib.h>

#include "linalg_lapack.h"

/* --- LU ---------------------------------------------------------------------------- */

int mx__cpu_lu_factor(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  int nout = node->n_outputs;
  const mx__lapack* la;
  if (mx__la_begin("LUF", in->dtype, false, outputs, nout, &la)) return -1;
  int m = in->shape[in->ndim - 2], n = in->shape[in->ndim - 1];
  int k = mx__la_imin(m, n), ld = mx__la_imax(m, 1);
  int64_t batch = mx__la_batch(in);
  size_t esz = la->elsize;
  char* lu = mx__cpu_out_ptr(outputs[0]);
  uint32_t* piv = (uint32_t*)mx__cpu_out_ptr(outputs[1]);
  uint32_t* perm = nout > 2 ? (uint32_t*)mx__cpu_out_ptr(outputs[2]) : NULL;
  void* a = malloc(esz * (size_t)ld * (size_t)mx__la_imax(n, 1));
  int* ipiv = malloc(sizeof(int) * (size_t)mx__la_imax(k, 1));
  if (!a || !ipiv) {
    free(a), free(ipiv);
    return mx__la_oom("LUF");
  }
  int rc = 0;
  for (int64_t b = 0; b < batch && m > 0 && n > 0; b++) {
    mx__la_gather(in, b, a, ld);
    int info = 0;
    la->getrf(&m, &n, a, &ld, ipiv, &info);
    if (info < 0) {
      rc = mx_error(MX_ERR_RUNTIME, "[LUF] getrf rejected argument %d.", -info);
      break;
    }
    /* info > 0 only says U has an exact zero on its diagonal: the factors
     * are still valid, and MLX returns them as they are. */
    mx__la_store(a, ld, m, n, esz, lu + (size_t)b * m * n * esz, 0);
    for (int i = 0; i < k; i++) piv[b * k + i] = (uint32_t)(ipiv[i] - 1);
    if (perm) {
      uint32_t* p = perm + b * m;
      for (int i = 0; i < m; i++) p[i] = (uint32_t)i;
      for (int i = 0; i < k; i++) {
        uint32_t t = p[i];
        p[i] = p[ipiv[i] - 1];
        p[ipiv[i] - 1] = t;
      }
    }
  }
  /* With no columns there is nothing to pivot: rows keep their order. */
  if (perm && n == 0)
    for (int64_t b = 0; b < batch; b++)
      for (int i = 0; i < m; i++) perm[b * m + i] = (uint32_t)i;
  free(a);
  free(ipiv);
  if (rc == 0) mx__la_mark_written(outputs, nout);
  return rc;
}

/* --- QR ------------------------------------------------------------------------------ */

int mx__cpu_qr(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  mx_array* in = inputs[0];
  const mx__lapack* la;
  if (mx__la_begin("QRF", in->dtype, false, outputs, 2, &la)) return -1;
  int m = in->shape[in->ndim - 2], n = in->shape[in->ndim - 1];
  int k = mx__la_imin(m, n), ld = mx__la_imax(m, 1);
  int64_t batch = mx__la_batch(in);
  if (k == 0) {
    mx__la_mark_written(outputs, 2);
    return 0;
  }
  size_t esz = la->elsize;
  char* q = mx__cpu_out_ptr(outputs[0]);
  char* r = mx__cpu_out_ptr(outputs[1]);
  /* One workspace query for each routine serves the whole batch. */
  double query[2] = {0, 0};
  int lw1 = -1, info = 0, lwork;
  la->geqrf(&m, &n, NULL, &ld, NULL, &query[0], &lw1, &info);
  lwork = mx__la_lwork(&query[0], in->dtype);
  la->orgqr(&m, &k, &k, NULL, &ld, NULL, &query[1], &lw1, &info);
  lwork = mx__la_imax(lwork, mx__la_lwork(&query[1], in->dtype));
  void* a = malloc(esz * ((size_t)ld * (size_t)n + (size_t)k + (size_t)lwork));
  if (!a) return mx__la_oom("QRF");
  char* tau = (char*)a + esz * (size_t)ld * n;
  char* work = tau + esz * (size_t)k;
  int rc = 0;
  for (int64_t b = 0; b < batch; b++) {
    mx__la_gather(in, b, a, ld);
    la->geqrf(&m, &n, a, &ld, tau, work, &lwork, &info);
    if (info == 0) mx__la_store(a, ld, k, n, esz, r + (size_t)b * k * n * esz, 'U');
    if (info == 0) la->orgqr(&m, &k, &k, a, &ld, tau, work, &lwork, &info);
    if (info != 0) {
      rc = mx_error(MX_ERR_RUNTIME, "[QRF] QR factorization failed with error code %d.", info);
      break;
    }
    mx__la_store(a, ld, m, k, esz, q + (size_t)b * m * k * esz, 0);
  }
  free(a);
  if (rc == 0) mx__la_mark_written(outputs, 2);
  return rc;
}

/* --- inverses ------------------------------------------------------------------------ */

int mx__cpu_inverse(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_inverse_params* p = node->params;
  mx_array* in = inputs[0];
  const mx__lapack* la;
  if (mx__la_begin("Inverse", in->dtype, false, outputs, 1, &la)) return -1;
  int n = in->shape[in->ndim - 1], ld = mx__la_imax(n, 1);
  int64_t batch = mx__la_batch(in);
  if (n == 0) {
    mx__la_mark_written(outputs, 1);
    return 0;
  }
  size_t esz = la->elsize;
  char* out = mx__cpu_out_ptr(outputs[0]);
  int lwork = 1, info = 0;
  if (!p->tri) {
    double query = 0;
    int q = -1;
    la->getri(&n, NULL, &ld, NULL, &query, &q, &info);
    lwork = mx__la_lwork(&query, in->dtype);
  }
  void* a = malloc(esz * ((size_t)ld * n + (size_t)lwork));
  int* ipiv = malloc(sizeof(int) * (size_t)n);
  if (!a || !ipiv) {
    free(a), free(ipiv);
    return mx__la_oom("Inverse");
  }
  char* work = (char*)a + esz * (size_t)ld * n;
  char uplo = p->upper ? 'U' : 'L', diag = 'N';
  int rc = 0;
  for (int64_t b = 0; b < batch; b++) {
    mx__la_gather(in, b, a, ld);
    if (p->tri) {
      la->trtri(&uplo, &diag, &n, a, &ld, &info, 1, 1);
    } else {
      la->getrf(&n, &n, a, &ld, ipiv, &info);
      if (info == 0) la->getri(&n, a, &ld, ipiv, work, &lwork, &info);
    }
    if (info > 0) {
      rc = mx_error(MX_ERR_RUNTIME,
                    "[linalg::%s] The matrix is singular: its %s has a zero at diagonal "
                    "position %d, so it has no inverse.",
                    p->tri ? "tri_inv" : "inv", p->tri ? "diagonal" : "LU factor U", info - 1);
      break;
    }
    if (info < 0) {
      rc = mx_error(MX_ERR_RUNTIME, "[Inverse] LAPACK rejected argument %d.", -info);
      break;
    }
    mx__la_store(a, ld, n, n, esz, out + (size_t)b * n * n * esz, p->tri ? uplo : 0);
  }
  free(a);
  free(ipiv);
  if (rc == 0) mx__la_mark_written(outputs, 1);
  return rc;
}

/* --- Cholesky ------------------------------------------------------------------------ */

int mx__cpu_cholesky(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_triangle_params* p = node->params;
  mx_array* in = inputs[0];
  const mx__lapack* la;
  if (mx__la_begin("Cholesky", in->dtype, false, outputs, 1, &la)) return -1;
  int n = in->shape[in->ndim - 1], ld = mx__la_imax(n, 1);
  int64_t batch = mx__la_batch(in);
  size_t esz = la->elsize;
  char* out = mx__cpu_out_ptr(outputs[0]);
  void* a = n ? malloc(esz * (size_t)ld * n) : NULL;
  if (n && !a) return mx__la_oom("Cholesky");
  char uplo = p->upper ? 'U' : 'L';
  for (int64_t b = 0; b < batch && n > 0; b++) {
    mx__la_gather(in, b, a, ld);
    int info = 0;
    la->potrf(&uplo, &n, a, &ld, &info, 1);
    char* dst = out + (size_t)b * n * n * esz;
    mx__la_store(a, ld, n, n, esz, dst, uplo);
    if (info > 0) {
      /* Not positive definite: MLX does not raise here and its result is
       * unspecified.  A matrix of NaN says so plainly instead of returning
       * a partial factor that looks like an answer. */
      for (int64_t e = 0; e < (int64_t)n * n; e++) {
        if (esz == 4)
          ((float*)dst)[e] = NAN;
        else
          ((double*)dst)[e] = NAN;
      }
    }
  }
  free(a);
  mx__la_mark_written(outputs, 1);
  return 0;
}
