/* COV_SQRT: the square root multivariate_normal scales its samples by.
 *
 * MLX computes U diag(sqrt(s)) V^T from the SVD of the covariance.  That
 * product does not depend on the signs or order the SVD picks for its
 * vectors, so any accurate SVD gives the same matrix; we use one-sided
 * (Hestenes) Jacobi in double precision, which is simple, robust and exact
 * enough for the small matrices covariances are.  Columns of A are rotated
 * pairwise until they are orthogonal; then A = U diag(s) and the rotations
 * accumulate in V, so the result is sum_i a_i s_i^(-1/2) v_i^T. */
#include <math.h>
#include <stdlib.h>

#include "cpu_internal.h"

/* Jacobi SVD of the n x n row-major matrix `a` (overwritten with U diag(s));
 * `v` receives V.  Stops when every column pair is orthogonal to working
 * precision or after 60 sweeps. */
static void jacobi_svd(int n, double* a, double* v) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) v[i * n + j] = i == j;
  for (int sweep = 0; sweep < 60; sweep++) {
    bool rotated = false;
    for (int p = 0; p < n - 1; p++) {
      for (int q = p + 1; q < n; q++) {
        double al = 0, be = 0, ga = 0;
        for (int r = 0; r < n; r++) {
          double x = a[r * n + p], y = a[r * n + q];
          al += x * x;
          be += y * y;
          ga += x * y;
        }
        if (ga == 0 || fabs(ga) <= 1e-15 * sqrt(al * be)) continue;
        rotated = true;
        double zeta = (be - al) / (2 * ga);
        double t = (zeta >= 0 ? 1.0 : -1.0) / (fabs(zeta) + sqrt(1 + zeta * zeta));
        double c = 1 / sqrt(1 + t * t), s = c * t;
        for (int r = 0; r < n; r++) {
          double x = a[r * n + p], y = a[r * n + q];
          a[r * n + p] = c * x - s * y;
          a[r * n + q] = s * x + c * y;
          x = v[r * n + p];
          y = v[r * n + q];
          v[r * n + p] = c * x - s * y;
          v[r * n + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
}

int mx__cpu_cov_sqrt(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->dtype != MX_FLOAT32 || out->dtype != MX_FLOAT32 || in->ndim < 2)
    return mx_error(MX_ERR_RUNTIME, "[CovSqrt] Expected float32 matrices.");
  float* po = (float*)mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  int n = in->shape[in->ndim - 1];
  int64_t nn = (int64_t)n * n, batch = n ? in->size / nn : 0;
  const float* pi = (const float*)mx__cpu_in_ptr(in);
  double* a = malloc(sizeof(double) * (size_t)(2 * nn + n + 1));
  if (!a) return mx_error(MX_ERR_MEMORY, "[CovSqrt] Out of memory.");
  double *v = a + nn, *w = v + nn;
  for (int64_t b = 0; b < batch; b++) {
    /* Gather matrix b through the input's strides. */
    for (int64_t e = 0; e < nn; e++) {
      int64_t rem = b * nn + e, loc = 0;
      for (int d = in->ndim - 1; d >= 0; d--) {
        loc += (rem % in->shape[d]) * in->strides[d];
        rem /= in->shape[d];
      }
      a[e] = pi[loc];
    }
    jacobi_svd(n, a, v);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int r = 0; r < n; r++) s += a[r * n + i] * a[r * n + i];
      /* a_i / sqrt(s_i): the column has norm s_i, so this is u_i sqrt(s_i). */
      w[i] = s > 0 ? 1 / sqrt(sqrt(s)) : 0;
    }
    for (int r = 0; r < n; r++)
      for (int c = 0; c < n; c++) {
        double acc = 0;
        for (int i = 0; i < n; i++) acc += a[r * n + i] * w[i] * v[c * n + i];
        po[b * nn + r * n + c] = (float)acc;
      }
  }
  free(a);
  mx__cpu_written(out);
  return 0;
}
