/* Layout helpers for the CUDA kernels: broadcast strides and dimension
 * collapsing.
 *
 * Strided kernels turn a linear output index into one offset per operand
 * with a divide and a modulo per dim, so every dim removed here saves work
 * on every element.  A dim of size 1 contributes nothing, and two
 * neighbouring dims that every operand walks as one run of memory (the outer
 * stride equals the inner stride times the inner size) behave as one dim. */
#include "cuda_internal.h"

#include <stdlib.h>

void mx__cuda_bcast_strides(const mx_array* in, int ndim, const int* shape, int64_t* strides) {
  int lead = ndim - in->ndim;
  for (int d = 0; d < ndim; d++) {
    int id = d - lead;
    if (id < 0 || in->shape[id] == 1 || shape[d] == 1)
      strides[d] = 0;
    else
      strides[d] = in->strides[id];
  }
}

int mx__cuda_collapse(int ndim, const int64_t* shape, int nops, const int64_t* const* strides,
                      mx__cuda_layout* out) {
  int n = 0;
  for (int d = 0; d < ndim; d++) {
    if (shape[d] == 1) continue;
    if (n > 0) {
      bool merge = true;
      for (int k = 0; k < nops; k++)
        if (out->strides[k][n - 1] != strides[k][d] * shape[d]) merge = false;
      if (merge) {
        out->shape[n - 1] *= shape[d];
        for (int k = 0; k < nops; k++) out->strides[k][n - 1] = strides[k][d];
        continue;
      }
    }
    if (n == MX_CUDA_MAX_DIMS)
      return mx_error(MX_ERR_RUNTIME,
                      "[cuda] arrays whose layout needs more than %d dims are not supported on "
                      "the GPU yet",
                      MX_CUDA_MAX_DIMS);
    out->shape[n] = shape[d];
    for (int k = 0; k < nops; k++) out->strides[k][n] = strides[k][d];
    n++;
  }
  if (n == 0) {
    /* A single element: one dim of size 1 keeps kernels free of a 0-d case. */
    out->shape[0] = 1;
    for (int k = 0; k < nops; k++) out->strides[k][0] = 0;
    n = 1;
  }
  out->ndim = n;
  return 0;
}

bool mx__cuda_layout_fits_i32(const mx__cuda_layout* l, int nops, int64_t size) {
  const int64_t limit = INT32_MAX;
  if (size >= limit) return false;
  for (int k = 0; k < nops; k++) {
    int64_t reach = 0;
    for (int d = 0; d < l->ndim; d++) reach += (l->shape[d] - 1) * llabs(l->strides[k][d]);
    if (reach >= limit) return false;
  }
  return true;
}
