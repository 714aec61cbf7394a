/* CPU kernels of the spectral decompositions: SVD (gesdd, the divide and
 * conquer driver, which is the fastest LAPACK SVD for full U and Vt and the
 * one NumPy uses), EIG (geev) and EIGH (syevd / heevd, divide and conquer
 * again).  Real inputs run in their own precision; complex64 runs the
 * single-precision complex routines.
 *
 * LAPACK's behaviour on NaN or infinity in these iterative routines is not
 * an answer (OpenBLAS rejects the argument or loops to its iteration
 * limit), so a non-finite input is reported as an error before the call. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg_lapack.h"

/* True when the column-major scratch matrix holds only finite values. */
static bool all_finite(const void* a, int64_t count, mx_dtype dt) {
  if (dt == MX_FLOAT64) {
    const double* p = a;
    for (int64_t i = 0; i < count; i++)
      if (!isfinite(p[i])) return false;
  } else {
    /* float32, or complex64 seen as pairs of floats. */
    const float* p = a;
    int64_t c = dt == MX_COMPLEX64 ? 2 * count : count;
    for (int64_t i = 0; i < c; i++)
      if (!isfinite(p[i])) return false;
  }
  return true;
}

static int not_finite(const char* who) {
  return mx_error(MX_ERR_RUNTIME, "[linalg::%s] The input contains NaN or infinity.", who);
}

/* Every kernel here starts with mx__la_begin and ends the same way: scratch
 * freed, outputs marked written when every matrix of the batch succeeded.
 * Returns rc. */
static int finish(int rc, void* buf, void* work, mx_array* const* outputs, int nout) {
  free(buf);
  free(work);
  if (rc == 0) mx__la_mark_written(outputs, nout);
  return rc;
}

/* Writes an identity matrix of order n (element size esz) at dst. */
static void store_identity(char* dst, int n, size_t esz, mx_dtype dt) {
  memset(dst, 0, (size_t)n * n * esz);
  for (int i = 0; i < n; i++) {
    char* e = dst + ((size_t)i * n + i) * esz;
    if (dt == MX_FLOAT64)
      *(double*)e = 1;
    else
      *(float*)e = 1; /* also the real part of a complex64 */
  }
}

/* --- SVD ----------------------------------------------------------------------------- */

int mx__cpu_svd(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_svd_params* p = node->params;
  mx_array* in = inputs[0];
  mx_dtype dt = in->dtype;
  bool cplx = dt == MX_COMPLEX64;
  int nout = p->compute_uv ? 3 : 1;
  const mx__lapack* la;
  if (mx__la_begin("SVD", dt, true, outputs, nout, &la)) return -1;
  int m = in->shape[in->ndim - 2], n = in->shape[in->ndim - 1], k = mx__la_imin(m, n);
  int64_t batch = mx__la_batch(in);
  size_t esz = mx_dtype_size(dt), rsz = cplx ? 4 : esz; /* rsz: one real value */
  mx_array *ou = p->compute_uv ? outputs[0] : NULL, *os = p->compute_uv ? outputs[1] : outputs[0];
  mx_array* ovt = p->compute_uv ? outputs[2] : NULL;
  if (k == 0) {
    /* No singular values; U and Vt are identities, as MLX returns them. */
    for (int64_t b = 0; b < batch && p->compute_uv; b++) {
      store_identity(mx__cpu_out_ptr(ou) + (size_t)b * m * m * esz, m, esz, dt);
      store_identity(mx__cpu_out_ptr(ovt) + (size_t)b * n * n * esz, n, esz, dt);
    }
    mx__la_mark_written(outputs, nout);
    return 0;
  }
  char jobz = p->compute_uv ? 'A' : 'N';
  int lda = m, ldu = m, ldvt = n, info = 0, q = -1;
  int64_t lrwork = 0;
  if (cplx) {
    int mx = mx__la_imax(m, n);
    lrwork = p->compute_uv ? (int64_t)k * mx__la_imax(5 * k + 7, 2 * mx + 2 * k + 1)
                           : 7 * (int64_t)k;
  }
  size_t n_a = (size_t)m * n, n_u = p->compute_uv ? (size_t)m * m : 1,
         n_vt = p->compute_uv ? (size_t)n * n : 1;
  /* Everything but the workspace first, so that the size query sees real
   * buffers (some LAPACK builds touch them even then). */
  char* buf = malloc(esz * (n_a + n_u + n_vt) + rsz * ((size_t)k + lrwork) +
                     sizeof(int) * 8 * (size_t)k);
  if (!buf) return mx__la_oom("SVD");
  char *a = buf, *u = a + esz * n_a, *vt = u + esz * n_u, *s = vt + esz * n_vt;
  char* rwork = s + rsz * (size_t)k;
  int* iwork = (int*)(rwork + rsz * (size_t)lrwork);
  double query[2] = {0, 0};
  memset(a, 0, esz * n_a);
  if (cplx)
    cgesdd_(&jobz, &m, &n, a, &lda, (float*)s, u, &ldu, vt, &ldvt, query, &q, (float*)rwork,
            iwork, &info, 1);
  else
    la->gesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, query, &q, iwork, &info, 1);
  int lwork = mx__la_lwork(query, cplx ? MX_FLOAT32 : dt);
  char* work = malloc(esz * (size_t)lwork);
  if (!work) {
    free(buf);
    return mx__la_oom("SVD");
  }
  int rc = 0;
  for (int64_t b = 0; b < batch; b++) {
    mx__la_gather(in, b, a, lda);
    if (!all_finite(a, (int64_t)n_a, dt)) {
      rc = not_finite("svd");
      break;
    }
    if (cplx)
      cgesdd_(&jobz, &m, &n, a, &lda, (float*)s, u, &ldu, vt, &ldvt, work, &lwork, (float*)rwork,
              iwork, &info, 1);
    else
      la->gesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info, 1);
    if (info != 0) {
      rc = info > 0 ? mx_error(MX_ERR_RUNTIME, "[linalg::svd] The SVD did not converge.")
                    : mx_error(MX_ERR_RUNTIME, "[SVD] gesdd rejected argument %d.", -info);
      break;
    }
    memcpy(mx__cpu_out_ptr(os) + (size_t)b * k * rsz, s, (size_t)k * rsz);
    if (p->compute_uv) {
      mx__la_store(u, ldu, m, m, esz, mx__cpu_out_ptr(ou) + (size_t)b * m * m * esz, 0);
      mx__la_store(vt, ldvt, n, n, esz, mx__cpu_out_ptr(ovt) + (size_t)b * n * n * esz, 0);
    }
  }
  return finish(rc, buf, work, outputs, nout);
}

/* --- EIG ------------------------------------------------------------------------------ */

int mx__cpu_eig(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_eig_params* p = node->params;
  mx_array* in = inputs[0];
  mx_dtype dt = in->dtype;
  bool cplx = dt == MX_COMPLEX64;
  int nout = p->compute_vectors ? 2 : 1;
  const mx__lapack* la;
  if (mx__la_begin("Eig", dt, true, outputs, nout, &la)) return -1;
  int n = in->shape[in->ndim - 1], ld = mx__la_imax(n, 1), one = 1, info = 0, q = -1;
  int64_t batch = mx__la_batch(in);
  if (n == 0) {
    mx__la_mark_written(outputs, nout);
    return 0;
  }
  size_t esz = mx_dtype_size(dt);
  char jobvl = 'N', jobvr = p->compute_vectors ? 'V' : 'N';
  size_t nn = (size_t)n * n;
  /* a, vr, then wr+wi (real) or w (complex), then rwork (complex).  The
   * workspace query gets these real buffers: some LAPACK builds touch the
   * matrix arguments even when only asked for a size. */
  char* buf = malloc(esz * (2 * nn + 2 * (size_t)n) + sizeof(float) * 2 * n);
  if (!buf) return mx__la_oom("Eig");
  char *a = buf, *vr = a + esz * nn, *w = vr + esz * nn;
  float* rwork = (float*)(w + esz * 2 * (size_t)n);
  double query[2] = {0, 0};
  if (cplx)
    cgeev_(&jobvl, &jobvr, &n, a, &ld, w, NULL, &one, vr, &ld, query, &q, rwork, &info, 1, 1);
  else
    la->geev(&jobvl, &jobvr, &n, a, &ld, w, w + esz * n, NULL, &one, vr, &ld, query, &q, &info, 1,
             1);
  int lwork = mx__la_lwork(query, cplx ? MX_FLOAT32 : dt);
  char* work = malloc(esz * (size_t)lwork);
  if (!work) {
    free(buf);
    return mx__la_oom("Eig");
  }
  mx__c64* ow = (mx__c64*)mx__cpu_out_ptr(outputs[0]);
  mx__c64* ov = p->compute_vectors ? (mx__c64*)mx__cpu_out_ptr(outputs[1]) : NULL;
  int rc = 0;
  for (int64_t b = 0; b < batch; b++) {
    mx__la_gather(in, b, a, ld);
    if (!all_finite(a, (int64_t)nn, dt)) {
      rc = not_finite(p->compute_vectors ? "eig" : "eigvals");
      break;
    }
    if (cplx)
      cgeev_(&jobvl, &jobvr, &n, a, &ld, w, NULL, &one, vr, &ld, work, &lwork, rwork, &info, 1, 1);
    else
      la->geev(&jobvl, &jobvr, &n, a, &ld, w, w + esz * n, NULL, &one, vr, &ld, work, &lwork, &info,
               1, 1);
    if (info != 0) {
      rc = info > 0 ? mx_error(MX_ERR_RUNTIME,
                               "[linalg::eig] The eigenvalue iteration did not converge.")
                    : mx_error(MX_ERR_RUNTIME, "[Eig] geev rejected argument %d.", -info);
      break;
    }
    mx__c64* wb = ow + b * n;
    mx__c64* vb = ov ? ov + b * (int64_t)nn : NULL;
    if (cplx) {
      memcpy(wb, w, sizeof(mx__c64) * n);
      if (vb)
        for (int i = 0; i < n; i++)
          for (int j = 0; j < n; j++) vb[(int64_t)i * n + j] = ((mx__c64*)vr)[i + (int64_t)j * n];
      continue;
    }
    /* Real routines: eigenvalue j is wr[j] + i wi[j]; a complex pair (wi[j]
     * > 0, then its conjugate) stores its vector as columns j (real part)
     * and j+1 (imaginary part) of vr. */
    for (int j = 0; j < n; j++) {
      double re, im;
      if (dt == MX_FLOAT64)
        re = ((double*)w)[j], im = ((double*)w)[n + j];
      else
        re = ((float*)w)[j], im = ((float*)w)[n + j];
      wb[j] = (float)re + I * (float)im;
    }
    if (!vb) continue;
    for (int j = 0; j < n; j++) {
      double im = dt == MX_FLOAT64 ? ((double*)w)[n + j] : ((float*)w)[n + j];
      bool pair = im > 0 && j + 1 < n;
      for (int i = 0; i < n; i++) {
        double x, y = 0;
        int64_t c0 = i + (int64_t)j * n, c1 = c0 + n;
        if (dt == MX_FLOAT64)
          x = ((double*)vr)[c0], y = pair ? ((double*)vr)[c1] : 0;
        else
          x = ((float*)vr)[c0], y = pair ? ((float*)vr)[c1] : 0;
        vb[(int64_t)i * n + j] = (float)x + I * (float)y;
        if (pair) vb[(int64_t)i * n + j + 1] = (float)x - I * (float)y;
      }
      if (pair) j++;
    }
  }
  return finish(rc, buf, work, outputs, nout);
}

/* --- EIGH ------------------------------------------------------------------------------ */

int mx__cpu_eigh(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_eig_params* p = node->params;
  mx_array* in = inputs[0];
  mx_dtype dt = in->dtype;
  bool cplx = dt == MX_COMPLEX64;
  int nout = p->compute_vectors ? 2 : 1;
  const mx__lapack* la;
  if (mx__la_begin("Eigh", dt, true, outputs, nout, &la)) return -1;
  int n = in->shape[in->ndim - 1], ld = mx__la_imax(n, 1), info = 0, q = -1;
  int64_t batch = mx__la_batch(in);
  if (n == 0) {
    mx__la_mark_written(outputs, nout);
    return 0;
  }
  size_t esz = mx_dtype_size(dt), rsz = cplx ? 4 : esz;
  char jobz = p->compute_vectors ? 'V' : 'N', uplo = p->upper ? 'U' : 'L';
  double query[2] = {0, 0}, rquery[2] = {0, 0};
  int iquery = 0, lrwork = 0;
  if (cplx) {
    cheevd_(&jobz, &uplo, &n, NULL, &ld, NULL, query, &q, (float*)rquery, &q, &iquery, &q, &info,
            1, 1);
    lrwork = mx__la_lwork(rquery, MX_FLOAT32);
  } else {
    la->syevd(&jobz, &uplo, &n, NULL, &ld, NULL, query, &q, &iquery, &q, &info, 1, 1);
  }
  int lwork = mx__la_lwork(query, cplx ? MX_FLOAT32 : dt), liwork = mx__la_imax(iquery, 1);
  size_t nn = (size_t)n * n;
  char* buf = malloc(esz * (nn + (size_t)lwork) + rsz * ((size_t)n + lrwork) +
                     sizeof(int) * (size_t)liwork);
  if (!buf) return mx__la_oom("Eigh");
  char *a = buf, *work = a + esz * nn, *w = work + esz * (size_t)lwork, *rwork = w + rsz * n;
  int* iwork = (int*)(rwork + rsz * (size_t)lrwork);
  char* ow = mx__cpu_out_ptr(outputs[0]);
  char* ov = p->compute_vectors ? mx__cpu_out_ptr(outputs[1]) : NULL;
  int rc = 0;
  for (int64_t b = 0; b < batch; b++) {
    mx__la_gather(in, b, a, ld);
    if (!all_finite(a, (int64_t)nn, dt)) {
      rc = not_finite(p->compute_vectors ? "eigh" : "eigvalsh");
      break;
    }
    if (cplx)
      cheevd_(&jobz, &uplo, &n, a, &ld, (float*)w, work, &lwork, (float*)rwork, &lrwork, iwork,
              &liwork, &info, 1, 1);
    else
      la->syevd(&jobz, &uplo, &n, a, &ld, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    if (info != 0) {
      rc = info > 0 ? mx_error(MX_ERR_RUNTIME,
                               "[linalg::eigh] The eigenvalue iteration did not converge.")
                    : mx_error(MX_ERR_RUNTIME, "[Eigh] syevd rejected argument %d.", -info);
      break;
    }
    memcpy(ow + (size_t)b * n * rsz, w, (size_t)n * rsz);
    if (ov) mx__la_store(a, ld, n, n, esz, ov + (size_t)b * nn * esz, 0);
  }
  return finish(rc, buf, NULL, outputs, nout);
}
