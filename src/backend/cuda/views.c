/* Views on the GPU stream: RESHAPE, TRANSPOSE and BROADCAST.
 *
 * A view shares its input's buffer with new strides, so no kernel runs and
 * the bytes stay wherever they are (host or device); the next kernel that
 * reads the view fetches them.  Only a reshape of an input whose elements
 * are not laid out in row-major order needs a real copy. */
#include "cuda_internal.h"

/* Shares `in` into `out` with `strides` (out->ndim entries). */
static void share(mx_array* out, mx_array* in, const int64_t* strides) {
  unsigned flags = mx_layout_flags(out->ndim, out->shape, strides, in->data_size);
  mx_array_share_data(out, in, strides, in->offset, in->data_size, flags);
}

MX__CUDA_KERNEL(mx__cuda_reshape) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if ((in->flags & MX_FLAG_ROW_CONTIGUOUS) || in->size <= 1) {
    int64_t strides[out->ndim > 0 ? out->ndim : 1];
    mx_row_strides(out->ndim, out->shape, strides);
    share(out, in, strides);
    return 0;
  }
  /* Copy in row-major order of the input; those bytes read as the output. */
  cudaStream_t s = mx__cuda_stream(node->stream.index);
  if (!s) return -1;
  void* po = mx__cuda_alloc_out(out);
  if (!po) return -1;
  const void* pi = mx_array_device_data(in);
  if (!pi) return -1;
  if (mx__cuda_copy_general(pi, in->dtype, in->ndim, in->shape, in->strides, po, out->dtype, s) !=
      0)
    return -1;
  mx__cuda_mark_written(out);
  return 0;
}

MX__CUDA_KERNEL(mx__cuda_transpose) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_transpose_params* p = node->params;
  if (!p || p->ndim != out->ndim || p->ndim != in->ndim)
    return mx_error(MX_ERR_RUNTIME, "[cuda] Transpose node with inconsistent parameters");
  int64_t strides[out->ndim > 0 ? out->ndim : 1];
  for (int i = 0; i < out->ndim; i++) strides[i] = in->strides[p->perm[i]];
  share(out, in, strides);
  return 0;
}

MX__CUDA_KERNEL(mx__cuda_broadcast) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->ndim > out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[cuda] Broadcast to fewer dims");
  int64_t strides[out->ndim > 0 ? out->ndim : 1];
  mx__cuda_bcast_strides(in, out->ndim, out->shape, strides);
  share(out, in, strides);
  return 0;
}
