/* The elementwise unary family (abs ... stop_gradient) on the GPU: host
 * side (kernels in unary.cu).
 *
 * One kernel entry serves every unary primitive.  Cases with no GPU code
 * (complex64, and the dtypes a primitive rejects) are declined before
 * anything is allocated, so the scheduler's CPU kernel runs them (and
 * reports the unsupported dtypes with its own message). */
#include "cuda_internal.h"

MX__CUDA_KERNEL(mx__cuda_unary) {
  if (node->prim < MX_PRIM_ABS || node->prim > MX_PRIM_STOP_GRADIENT || node->n_inputs != 1)
    return mx_error(MX_ERR_RUNTIME, "[cuda] Not a unary primitive: %s.", mx_prim_name(node->prim));
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  int op = (int)(node->prim - MX_PRIM_ABS);
  mx_array* x = inputs[0];
  mx_array* out = outputs[0];
  mx_dtype want = op == MX__CUDA_UN_LOGICAL_NOT ? MX_BOOL : x->dtype;
  if (!mx__cuda_unary_supported(op, x->dtype) || out->dtype != want || x->size != out->size)
    return MX_KERNEL_FALLBACK;
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  void* po = mx__cuda_ew_alloc_out(inputs, 1, out);
  if (!po) return -1;
  if (out->size > 0) {
    mx__cuda_ew_plan plan;
    if (mx__cuda_ew_plan_make(inputs, 1, out, po, &plan) != 0) return -1;
    int rc = mx__cuda_unary_launch(op, x->dtype, plan.p[0], po, out->size,
                                   plan.contig ? NULL : &plan.l, s);
    if (rc != 0) return rc;
  }
  mx__cuda_mark_written(out);
  return 0;
}
