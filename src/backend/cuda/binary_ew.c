/* The elementwise binary family other than add/subtract/multiply/divide
 * (comparisons, logical, maximum/minimum, power, remainder, logaddexp,
 * arctan2, bitwise, shifts) and Select on the GPU: host side (kernels in
 * binary_ew.cu).
 *
 * One kernel entry serves the whole family.  DivMod, complex64 and the
 * dtypes a primitive rejects are declined before anything is allocated, so
 * the scheduler's CPU kernel runs them (and reports what it rejects). */
#include "cuda_internal.h"

static int select_run(mx_node* node, mx_array* const* inputs, mx_array* out, cudaStream_t s) {
  size_t es = mx_array_itemsize(out);
  if (node->n_inputs != 3 || inputs[0]->dtype != MX_BOOL || inputs[1]->dtype != out->dtype ||
      inputs[2]->dtype != out->dtype || out->dtype == MX_COMPLEX64 ||
      (es != 1 && es != 2 && es != 4 && es != 8))
    return MX_KERNEL_FALLBACK;
  void* po = mx__cuda_ew_alloc_out(inputs, 3, out);
  if (!po) return -1;
  if (out->size > 0) {
    mx__cuda_ew_plan plan;
    if (mx__cuda_ew_plan_make(inputs, 3, out, po, &plan) != 0) return -1;
    int rc = mx__cuda_select_launch(es, plan.p[0], plan.p[1], plan.p[2], po, out->size,
                                    plan.scalar, plan.contig ? NULL : &plan.l, s);
    if (rc != 0) return rc;
  }
  mx__cuda_mark_written(out);
  return 0;
}

MX__CUDA_KERNEL(mx__cuda_binary_ew) {
  if (node->prim < MX_PRIM_EQUAL || node->prim > MX_PRIM_SELECT)
    return mx_error(MX_ERR_RUNTIME, "[cuda] Not a binary primitive: %s.", mx_prim_name(node->prim));
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* out = outputs[0];
  cudaStream_t s = mx__cuda_node_stream(node);
  if (!s) return -1;
  if (node->prim == MX_PRIM_SELECT) return select_run(node, inputs, out, s);

  int op = (int)(node->prim - MX_PRIM_EQUAL);
  if (op == MX__CUDA_BIN_EQUAL && node->params_size == sizeof(mx_equal_params) &&
      ((const mx_equal_params*)node->params)->equal_nan)
    op = MX__CUDA_BIN_EQUAL_NAN;
  mx_dtype t = inputs[0]->dtype;
  bool to_bool = op <= MX__CUDA_BIN_LOGICAL_OR || op == MX__CUDA_BIN_EQUAL_NAN;
  if (node->n_inputs != 2 || node->n_outputs != 1 || inputs[1]->dtype != t ||
      out->dtype != (to_bool ? MX_BOOL : t) || !mx__cuda_binary_ew_supported(op, t))
    return MX_KERNEL_FALLBACK;
  void* po = mx__cuda_ew_alloc_out(inputs, 2, out);
  if (!po) return -1;
  if (out->size > 0) {
    mx__cuda_ew_plan plan;
    if (mx__cuda_ew_plan_make(inputs, 2, out, po, &plan) != 0) return -1;
    int rc = mx__cuda_binary_ew_launch(op, t, plan.p[0], plan.p[1], po, out->size, plan.scalar[0],
                                       plan.scalar[1], plan.contig ? NULL : &plan.l, s);
    if (rc != 0) return rc;
  }
  mx__cuda_mark_written(out);
  return 0;
}
