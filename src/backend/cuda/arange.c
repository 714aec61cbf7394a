/* ARANGE on the GPU: host side (kernel in arange.cu). */
#include "cuda_internal.h"

MX__CUDA_KERNEL(mx__cuda_arange) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* out = outputs[0];
  if (!node->params || node->params_size < sizeof(mx_arange_params))
    return mx_error(MX_ERR_RUNTIME, "[cuda] Arange node without parameters");
  const mx_arange_params* p = node->params;
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  void* po = mx__cuda_alloc_out(out);
  if (!po) return -1;
  int rc = mx__cuda_arange_launch(out->dtype, po, out->size, p->start, p->step, s);
  if (rc == 0) mx__cuda_mark_written(out);
  return rc; /* MX_KERNEL_FALLBACK passes through */
}
