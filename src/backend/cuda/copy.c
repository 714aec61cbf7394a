/* COPY, ASTYPE and FULL on the GPU: host side (kernels in copy.cu).
 *
 * All three write out = convert(broadcast(in)) densely: COPY keeps the
 * dtype, ASTYPE changes it, and FULL broadcasts its (usually scalar) value
 * input to the output shape, converting it to the output dtype. */
#include "cuda_internal.h"

static int convert_run(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  if (node->n_inputs < 1)
    return mx_error(MX_ERR_RUNTIME, "[cuda] %s expects one input", mx_prim_name(node->prim));
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->ndim > out->ndim || out->ndim > MX_CUDA_MAX_NDIM)
    return mx_error(MX_ERR_RUNTIME, "[cuda] %s: cannot broadcast %d dims to %d",
                    mx_prim_name(node->prim), in->ndim, out->ndim);
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  void* po = mx__cuda_alloc_out(out);
  if (!po) return -1;
  if (out->size > 0) {
    const void* pi = mx_array_device_data(in);
    if (!pi) return -1;
    int64_t strides[MX_CUDA_MAX_NDIM];
    mx__cuda_bcast_strides(in, out->ndim, out->shape, strides);
    int rc = mx__cuda_copy_general(pi, in->dtype, out->ndim, out->shape, strides, po, out->dtype, s);
    if (rc != 0) return rc; /* -1, or MX_KERNEL_FALLBACK for a pair with no GPU code */
  }
  mx__cuda_mark_written(out);
  return 0;
}

MX__CUDA_KERNEL(mx__cuda_copy) { return convert_run(node, inputs, outputs); }
MX__CUDA_KERNEL(mx__cuda_astype) { return convert_run(node, inputs, outputs); }
MX__CUDA_KERNEL(mx__cuda_full) { return convert_run(node, inputs, outputs); }

const void* mx__cuda_contiguous_input(mx_array* in, int ndim, const int* shape, mx_dtype dtype,
                                      cudaStream_t s, bool* owned) {
  *owned = false;
  const void* pi = mx_array_device_data(in);
  if (!pi) return NULL;
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) n *= shape[d];
  if (in->dtype == dtype && mx__cuda_row_contiguous(in) && in->size == n) return pi;
  if (in->ndim > ndim || ndim > MX_CUDA_MAX_NDIM) {
    mx_error(MX_ERR_RUNTIME, "[cuda] cannot broadcast %d dims to %d", in->ndim, ndim);
    return NULL;
  }
  void* tmp = mx__cuda_scratch_alloc((size_t)n * mx_dtype_size(dtype), s);
  if (!tmp) return NULL;
  int64_t strides[MX_CUDA_MAX_NDIM];
  mx__cuda_bcast_strides(in, ndim, shape, strides);
  if (mx__cuda_copy_general(pi, in->dtype, ndim, shape, strides, tmp, dtype, s) != 0) {
    mx__cuda_scratch_free(tmp, s);
    if (!mx_error_message()[0])
      mx_error(MX_ERR_VALUE, "[cuda] no GPU conversion from %s to %s", mx_dtype_name(in->dtype),
               mx_dtype_name(dtype));
    return NULL;
  }
  *owned = true;
  return tmp;
}
