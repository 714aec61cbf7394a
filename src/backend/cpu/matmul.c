/* MATMUL and ADDMM on the batched GEMM driver (linalg_conv_gemm.c).
 *
 * The op constructors give a and b the output's batch shape (batch dims
 * may be broadcast, i.e. stride 0) and, for AddMM, c the output's full
 * shape.  AddMM first writes c, converted and broadcast, into the output
 * and then lets GEMM accumulate alpha * a @ b on top with beta. */
#include "elementwise.h"
#include "linalg_conv_gemm.h"
#include "table_linalg_conv.h"

/* out = alpha * a @ b + beta * out over the output's batch. */
static int product(mx_array* a, mx_array* b, mx_array* out, float alpha, float beta) {
  int nd = out->ndim;
  mx__gemm_bcast_ctx bc = {nd - 2, out->shape, a->strides, b->strides};
  mx__gemm_job job = {
      .dt = out->dtype,
      .M = a->shape[nd - 2],
      .N = b->shape[nd - 1],
      .K = a->shape[nd - 1],
      .a = mx__cpu_in_ptr(a),
      .a_rs = a->strides[nd - 2],
      .a_cs = a->strides[nd - 1],
      .b = mx__cpu_in_ptr(b),
      .b_rs = b->strides[nd - 2],
      .b_cs = b->strides[nd - 1],
      .out = mx__cpu_out_ptr(out),
      .alpha = alpha,
      .beta = beta,
      .offsets = mx__gemm_bcast_offsets,
      .ctx = &bc,
  };
  if (!job.a || !job.b || !job.out) return -1;
  job.batch = out->size / ((int64_t)job.M * job.N);
  if (mx__gemm_batched(&job) != 0) return -1;
  mx__cpu_written(out);
  return 0;
}

/* Common checks: every operand in the output's dtype and rank, matching
 * matrix dims. */
static int check(mx_array* a, mx_array* b, mx_array* out, const char* who) {
  int nd = out->ndim;
  if (a->dtype != out->dtype || b->dtype != out->dtype || a->ndim != nd || b->ndim != nd ||
      nd < 2)
    return mx_error(MX_ERR_RUNTIME, "[%s] Inputs must match the output's dtype and rank.", who);
  if (mx__gemm_compute_dtype(out->dtype) < 0)
    return mx_error(MX_ERR_VALUE, "[%s] Only inexact types are supported, got %s.", who,
                    mx_dtype_name(out->dtype));
  if (b->shape[nd - 2] != a->shape[nd - 1] || out->shape[nd - 2] != a->shape[nd - 2] ||
      out->shape[nd - 1] != b->shape[nd - 1])
    return mx_error(MX_ERR_RUNTIME, "[%s] Inconsistent shapes.", who);
  return 0;
}

int mx__cpu_matmul(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  mx_array* out = outputs[0];
  if (check(inputs[0], inputs[1], out, "Matmul") != 0) return -1;
  if (!mx__cpu_alloc(out)) return -1;
  if (out->size == 0) return 0;
  return product(inputs[0], inputs[1], out, 1.0f, 0.0f);
}

int mx__cpu_addmm(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_addmm_params* p = node->params;
  mx_array* out = outputs[0];
  mx_array* c = inputs[2];
  if (check(inputs[0], inputs[1], out, "AddMM") != 0) return -1;
  char* po = mx__cpu_alloc(out);
  if (!po) return -1;
  if (out->size == 0) return 0;
  if (p->beta != 0.0f) {
    const char* pc = mx__cpu_in_ptr(c);
    if (!pc) return -1;
    mx__cpu_copy_into(c, pc, po, out->dtype, out->ndim, out->shape);
  }
  return product(inputs[0], inputs[1], out, p->alpha, p->beta);
}
