/* CPU kernels of the linear solvers: SOLVE (getrf + getrs, what gesv does,
 * split so that a singular matrix is reported before solving) and
 * SOLVE_TRIANGULAR (trsm, after checking the diagonal for zeros: trsm
 * itself would divide by them).  Both inputs arrive with equal batch dims
 * (the op broadcast them, possibly as stride-0 views). */
#include <stdlib.h>

#include "linalg_lapack.h"

static int solve(mx_node* node, mx_array* const* inputs, mx_array* const* outputs, bool tri) {
  mx_array *a_in = inputs[0], *b_in = inputs[1], *out = outputs[0];
  mx_dtype dt = a_in->dtype;
  const mx__lapack* la = mx__lapack_for(dt);
  const char* who = tri ? "solve_triangular" : "solve";
  if (!la || b_in->dtype != dt)
    return mx_error(MX_ERR_RUNTIME, "[linalg::%s] Unsupported dtype %s.", who, mx_dtype_name(dt));
  if (!mx__cpu_alloc(out) && out->size > 0) return -1;
  int n = a_in->shape[a_in->ndim - 1], nrhs = b_in->shape[b_in->ndim - 1];
  int ld = mx__la_imax(n, 1);
  int64_t batch = mx__la_batch(out);
  if (n == 0 || nrhs == 0) {
    mx__cpu_written(out);
    return 0;
  }
  size_t esz = la->elsize;
  char* a = malloc(esz * ((size_t)ld * n + (size_t)ld * nrhs) + sizeof(int) * (size_t)n);
  if (!a) return mx__la_oom(who);
  char* b = a + esz * (size_t)ld * n;
  int* ipiv = (int*)(b + esz * (size_t)ld * nrhs);
  bool upper = tri && ((const mx_triangle_params*)node->params)->upper;
  char uplo = upper ? 'U' : 'L', side = 'L', trans = 'N', diag = 'N';
  char* dst = mx__cpu_out_ptr(out);
  int rc = 0;
  for (int64_t i = 0; i < batch; i++) {
    mx__la_gather(a_in, i, a, ld);
    mx__la_gather(b_in, i, b, ld);
    int info = 0;
    if (tri) {
      for (int d = 0; d < n && !info; d++) {
        const char* e = a + esz * ((size_t)d * ld + d);
        if (esz == 4 ? *(const float*)e == 0 : *(const double*)e == 0) info = d + 1;
      }
      if (!info) {
        if (dt == MX_FLOAT64) {
          double one = 1;
          dtrsm_(&side, &uplo, &trans, &diag, &n, &nrhs, &one, a, &ld, b, &ld, 1, 1, 1, 1);
        } else {
          float one = 1;
          strsm_(&side, &uplo, &trans, &diag, &n, &nrhs, &one, a, &ld, b, &ld, 1, 1, 1, 1);
        }
      }
    } else {
      la->getrf(&n, &n, a, &ld, ipiv, &info);
      if (info == 0) la->getrs(&trans, &n, &nrhs, a, &ld, ipiv, b, &ld, &info, 1);
    }
    if (info > 0) {
      rc = mx_error(MX_ERR_RUNTIME,
                    "[linalg::%s] The matrix is singular (zero %s at diagonal position %d).", who,
                    tri ? "diagonal element" : "pivot", info - 1);
      break;
    }
    if (info < 0) {
      rc = mx_error(MX_ERR_RUNTIME, "[linalg::%s] LAPACK rejected argument %d.", who, -info);
      break;
    }
    mx__la_store(b, ld, n, nrhs, esz, dst + (size_t)i * n * nrhs * esz, 0);
  }
  free(a);
  if (rc == 0) mx__cpu_written(out);
  return rc;
}

int mx__cpu_solve(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return solve(node, inputs, outputs, false);
}

int mx__cpu_solve_triangular(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return solve(node, inputs, outputs, true);
}
