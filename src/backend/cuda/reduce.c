/* REDUCE on the GPU: host side (kernels in reduce.cu).
 *
 * The kernels fold values of the output's dtype (bool for all/any); an input
 * of another dtype (bool or int8 summed into int32, say) is first converted
 * into a dense scratch copy. */
#include "cuda_internal.h"

MX__CUDA_KERNEL(mx__cuda_reduce) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  /* Complex reductions have no GPU code yet: the CPU kernel runs them. */
  if (inputs[0]->dtype == MX_COMPLEX64 || outputs[0]->dtype == MX_COMPLEX64)
    return MX_KERNEL_FALLBACK;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_reduce_params* prm = node->params;
  if (!prm || node->params_size < sizeof(mx_reduce_params) || prm->naxes < 0 ||
      node->params_size < sizeof(mx_reduce_params) + sizeof(int) * (size_t)prm->naxes)
    return mx_error(MX_ERR_RUNTIME, "[cuda] Reduce node without parameters");
  const bool logical = prm->op == MX_REDUCE_AND || prm->op == MX_REDUCE_OR;
  if (logical && out->dtype != MX_BOOL)
    return mx_error(MX_ERR_RUNTIME, "[cuda] all/any must produce bool");
  if (in->ndim > MX_CUDA_MAX_NDIM)
    return mx_error(MX_ERR_RUNTIME, "[cuda] too many dims (%d)", in->ndim);
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  void* po = mx__cuda_alloc_out(out);
  if (!po) return -1;
  if (out->size == 0) {
    mx__cuda_mark_written(out);
    return 0;
  }

  bool owned = false;
  const void* pi;
  int64_t strides[MX_CUDA_MAX_NDIM];
  if (in->dtype != out->dtype) {
    pi = mx__cuda_contiguous_input(in, in->ndim, in->shape, out->dtype, s, &owned);
    mx_row_strides(in->ndim, in->shape, strides);
  } else {
    pi = mx_array_device_data(in);
    for (int d = 0; d < in->ndim; d++) strides[d] = in->strides[d];
  }
  if (!pi) return -1;
  int rc = mx__cuda_reduce_launch(prm->op, out->dtype, pi, in->ndim, in->shape, strides,
                                  prm->naxes, prm->axes, po, s);
  if (owned) mx__cuda_scratch_free((void*)pi, s);
  if (rc == 0) mx__cuda_mark_written(out);
  return rc;
}
