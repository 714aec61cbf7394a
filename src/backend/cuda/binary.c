/* ADD, SUBTRACT, MULTIPLY, DIVIDE on the GPU: host side (kernels in
 * binary.cu).
 *
 * Picks the kernel path: dense-or-scalar operands take the contiguous
 * (vectorised) kernel; anything else (transposed views, broadcasts along
 * inner dims) takes the strided kernel over a collapsed layout.  An operand
 * whose dtype differs from the output's (for example integer inputs of a
 * float division, if the op layer leaves them so) is converted into a dense
 * scratch copy first. */
#include "cuda_internal.h"

static int binary_run(int op, mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* out = outputs[0];
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  /* Reuse an input's device buffer when nothing else holds it: elementwise
   * kernels read element i before writing element i, so in place is safe. */
  mx_array* donors[2];
  int n_donors = 0;
  for (int i = 0; i < 2; i++)
    if (inputs[i]->dtype == out->dtype && inputs[i]->size == out->size)
      donors[n_donors++] = inputs[i];
  if (mx_array_alloc_or_donate(out, donors, n_donors, true) != 0) return -1;
  void* po = out->buffer->device;
  if (out->size == 0) {
    mx__cuda_mark_written(out);
    return 0;
  }
  if (out->ndim > MX_CUDA_MAX_NDIM)
    return mx_error(MX_ERR_RUNTIME, "[cuda] too many dims (%d)", out->ndim);

  const void* p[2];
  bool owned[2] = {false, false};
  bool dense[2];
  int64_t strides[2][MX_CUDA_MAX_NDIM];
  int rc = 0;
  for (int i = 0; i < 2 && rc == 0; i++) {
    mx_array* x = inputs[i];
    if (x->dtype != out->dtype) {
      p[i] = mx__cuda_contiguous_input(x, out->ndim, out->shape, out->dtype, s, &owned[i]);
      dense[i] = true;
      mx_row_strides(out->ndim, out->shape, strides[i]);
    } else {
      p[i] = mx_array_device_data(x);
      /* Same size as the output and row-contiguous: same element order. */
      dense[i] = mx__cuda_row_contiguous(x) && x->size == out->size;
      mx__cuda_bcast_strides(x, out->ndim, out->shape, strides[i]);
    }
    if (!p[i]) rc = -1;
  }

  if (rc == 0) {
    /* A scalar, also one the op layer broadcast to the output shape (all
     * strides 0), is read once per thread instead of through a layout. */
    bool scalar[2];
    for (int i = 0; i < 2; i++) {
      scalar[i] = !dense[i];
      for (int d = 0; d < out->ndim; d++) scalar[i] = scalar[i] && strides[i][d] == 0;
    }
    if ((dense[0] || scalar[0]) && (dense[1] || scalar[1])) {
      rc = mx__cuda_binary_launch(op, out->dtype, p[0], p[1], po, out->size, scalar[0], scalar[1],
                                  NULL, s);
    } else {
      int64_t shape[MX_CUDA_MAX_NDIM];
      for (int d = 0; d < out->ndim; d++) shape[d] = out->shape[d];
      const int64_t* st[2] = {strides[0], strides[1]};
      mx__cuda_layout l;
      rc = mx__cuda_collapse(out->ndim, shape, 2, st, &l);
      if (rc == 0)
        rc = mx__cuda_binary_launch(op, out->dtype, p[0], p[1], po, out->size, false, false, &l,
                                    s);
    }
  }
  for (int i = 0; i < 2; i++)
    if (owned[i]) mx__cuda_scratch_free((void*)p[i], s);
  if (rc == 0) mx__cuda_mark_written(out);
  return rc;
}

MX__CUDA_KERNEL(mx__cuda_add) { return binary_run(0, node, inputs, outputs); }
MX__CUDA_KERNEL(mx__cuda_subtract) { return binary_run(1, node, inputs, outputs); }
MX__CUDA_KERNEL(mx__cuda_multiply) { return binary_run(2, node, inputs, outputs); }
MX__CUDA_KERNEL(mx__cuda_divide) { return binary_run(3, node, inputs, outputs); }
