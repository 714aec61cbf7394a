/* Host-side helpers shared by the elementwise op families on the GPU
 * (unary.c, binary_ew.c): output allocation with donation, and the choice
 * between the contiguous (vectorised) kernel and the strided one. */
#include "cuda_internal.h"

#include <stdint.h>

void* mx__cuda_ew_alloc_out(mx_array* const* inputs, int nin, mx_array* out) {
  mx_array* donors[MX_CUDA_MAX_OPS];
  int n_donors = 0;
  for (int i = 0; i < nin && i < MX_CUDA_MAX_OPS; i++)
    if (inputs[i]->dtype == out->dtype && inputs[i]->size == out->size)
      donors[n_donors++] = inputs[i];
  if (mx_array_alloc_or_donate(out, donors, n_donors, true) != 0) return NULL;
  return out->buffer->device;
}

static bool aligned16(const void* p) { return ((uintptr_t)p & 15u) == 0; }

int mx__cuda_ew_plan_make(mx_array* const* inputs, int nin, const mx_array* out, const void* po,
                          mx__cuda_ew_plan* plan) {
  if (nin > MX_CUDA_MAX_OPS || out->ndim > MX_CUDA_MAX_NDIM)
    return mx_error(MX_ERR_RUNTIME, "[cuda] elementwise op over too many operands or dims");
  int64_t strides[MX_CUDA_MAX_OPS][MX_CUDA_MAX_NDIM];
  bool contig = aligned16(po);
  for (int k = 0; k < nin; k++) {
    mx_array* x = inputs[k];
    if (x->ndim > out->ndim)
      return mx_error(MX_ERR_RUNTIME, "[cuda] cannot broadcast %d dims to %d", x->ndim, out->ndim);
    plan->p[k] = mx_array_device_data(x);
    if (!plan->p[k]) return -1;
    /* Same size as the output and row-contiguous: same element order. */
    bool dense = mx__cuda_row_contiguous(x) && x->size == out->size;
    mx__cuda_bcast_strides(x, out->ndim, out->shape, strides[k]);
    /* A scalar, also one the op layer broadcast to the output shape (all
     * strides 0), is read once per thread instead of through a layout. */
    bool scalar = !dense;
    for (int d = 0; d < out->ndim; d++) scalar = scalar && strides[k][d] == 0;
    plan->scalar[k] = scalar;
    /* Views at odd offsets cannot take 16-byte loads: the strided kernel
     * reads them element by element. */
    contig = contig && (scalar || (dense && aligned16(plan->p[k])));
  }
  plan->contig = contig;
  if (contig) return 0;
  for (int k = 0; k < nin; k++) plan->scalar[k] = false;
  int64_t shape[MX_CUDA_MAX_NDIM];
  for (int d = 0; d < out->ndim; d++) shape[d] = out->shape[d];
  const int64_t* st[MX_CUDA_MAX_OPS] = {strides[0], strides[1], strides[2]};
  return mx__cuda_collapse(out->ndim, shape, nin, st, &plan->l);
}
