/* mlx-c functions of the linalg_conv family (see include/mlx/c/ops.h):
 * argument checks and handle conversion around src/ops/linalg_conv_*.c. */
#include <limits.h>

#include "capi.h"

/* An optional array: an empty handle means none. */
#define OPT(var, handle) mx_array* var = (mx_array*)(handle).ctx

/* A list length as an int, or 1 (reported). */
static int list_len(size_t n, const char* fn, int* out) {
  if (n > INT_MAX) return mx__capi_failf(MX_ERR_VALUE, "[%s] List is too long.", fn);
  *out = (int)n;
  return 0;
}


int mlx_inner(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_inner, "mlx_inner");
}
int mlx_outer(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_outer, "mlx_outer");
}
int mlx_kron(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s) {
  return mx__capi_binary(res, a, b, s, mx_kron, "mlx_kron");
}

int mlx_addmm(mlx_array* res, const mlx_array c, const mlx_array a, const mlx_array b, float alpha,
              float beta, const mlx_stream s) {
  OUT(res, "mlx_addmm");
  ARG(xc, c);
  ARG(xa, a);
  ARG(xb, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_addmm(xc, xa, xb, alpha, beta, st));
}

int mlx_block_masked_mm(mlx_array* res, const mlx_array a, const mlx_array b, int block_size,
                        const mlx_array mask_out, const mlx_array mask_lhs,
                        const mlx_array mask_rhs, const mlx_stream s) {
  OUT(res, "mlx_block_masked_mm");
  ARG(xa, a);
  ARG(xb, b);
  OPT(mo, mask_out);
  OPT(ml, mask_lhs);
  OPT(mr, mask_rhs);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_block_masked_mm(xa, xb, block_size, mo, ml, mr, st));
}

int mlx_gather_mm(mlx_array* res, const mlx_array a, const mlx_array b,
                  const mlx_array lhs_indices, const mlx_array rhs_indices, bool sorted_indices,
                  const mlx_stream s) {
  OUT(res, "mlx_gather_mm");
  ARG(xa, a);
  ARG(xb, b);
  OPT(li, lhs_indices);
  OPT(ri, rhs_indices);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_gather_mm(xa, xb, li, ri, sorted_indices, st));
}

int mlx_segmented_mm(mlx_array* res, const mlx_array a, const mlx_array b,
                     const mlx_array segments, const mlx_stream s) {
  OUT(res, "mlx_segmented_mm");
  ARG(xa, a);
  ARG(xb, b);
  ARG(sg, segments);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_segmented_mm(xa, xb, sg, st));
}

int mlx_hadamard_transform(mlx_array* res, const mlx_array a, mlx_optional_float scale,
                           const mlx_stream s) {
  OUT(res, "mlx_hadamard_transform");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_hadamard_transform(x, scale.has_value, scale.value, st));
}

int mlx_tensordot(mlx_array* res, const mlx_array a, const mlx_array b, const int* axes_a,
                  size_t axes_a_num, const int* axes_b, size_t axes_b_num, const mlx_stream s) {
  OUT(res, "mlx_tensordot");
  ARG(xa, a);
  ARG(xb, b);
  STREAM(st, s);
  int n = 0;
  if (list_len(axes_a_num, "tensordot", &n) != 0) return 1;
  if (axes_a_num != axes_b_num)
    return mx__capi_failf(MX_ERR_VALUE, "[tensordot] axes must have the same size.");
  if (n > 0 && (!axes_a || !axes_b))
    return mx__capi_failf(MX_ERR_VALUE, "[tensordot] NULL axes list.");
  return mx__capi_put_array(res, mx_tensordot(xa, xb, n, axes_a, axes_b, st));
}

int mlx_tensordot_axis(mlx_array* res, const mlx_array a, const mlx_array b, int axis,
                       const mlx_stream s) {
  OUT(res, "mlx_tensordot_axis");
  ARG(xa, a);
  ARG(xb, b);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_tensordot_n(xa, xb, axis, st));
}

int mlx_einsum(mlx_array* res, const char* subscripts, const mlx_vector_array operands,
               const mlx_stream s) {
  OUT(res, "mlx_einsum");
  if (!subscripts) return mx__capi_failf(MX_ERR_VALUE, "[einsum] NULL subscripts.");
  STREAM(st, s);
  size_t n = 0;
  mx_array* const* ops = mx__capi_vector_arrays(operands, &n);
  if (n > INT_MAX) return mx__capi_failf(MX_ERR_VALUE, "[einsum] Too many operands.");
  return mx__capi_put_array(res, mx_einsum(subscripts, (int)n, ops, st));
}

/* --- convolutions ------------------------------------------------------------------ */

int mlx_conv_general(mlx_array* res, const mlx_array input, const mlx_array weight,
                     const int* stride, size_t stride_num, const int* padding_lo,
                     size_t padding_lo_num, const int* padding_hi, size_t padding_hi_num,
                     const int* kernel_dilation, size_t kernel_dilation_num,
                     const int* input_dilation, size_t input_dilation_num, int groups, bool flip,
                     const mlx_stream s) {
  OUT(res, "mlx_conv_general");
  ARG(x, input);
  ARG(w, weight);
  STREAM(st, s);
  int ns = 0, nl = 0, nh = 0, nk = 0, ni = 0;
  if (list_len(stride_num, "conv_general", &ns) || list_len(padding_lo_num, "conv_general", &nl) ||
      list_len(padding_hi_num, "conv_general", &nh) ||
      list_len(kernel_dilation_num, "conv_general", &nk) ||
      list_len(input_dilation_num, "conv_general", &ni))
    return 1;
  if ((ns && !stride) || (nl && !padding_lo) || (nh && !padding_hi) || (nk && !kernel_dilation) ||
      (ni && !input_dilation))
    return mx__capi_failf(MX_ERR_VALUE, "[conv_general] NULL list with a non-zero length.");
  return mx__capi_put_array(res, mx_conv_general(x, w, ns, stride, nl, padding_lo, nh, padding_hi,
                                                 nk, kernel_dilation, ni, input_dilation, groups,
                                                 flip, st));
}

static int conv(mlx_array* res, mlx_array input, mlx_array weight, int d, const int* stride,
                const int* padding, const int* dilation, int groups, mlx_stream s,
                const char* name) {
  OUT(res, name);
  ARG(x, input);
  ARG(w, weight);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_conv_nd(x, w, d, stride, padding, dilation, groups, st));
}

int mlx_conv1d(mlx_array* res, const mlx_array input, const mlx_array weight, int stride,
               int padding, int dilation, int groups, const mlx_stream s) {
  return conv(res, input, weight, 1, &stride, &padding, &dilation, groups, s, "mlx_conv1d");
}
int mlx_conv2d(mlx_array* res, const mlx_array input, const mlx_array weight, int stride_0,
               int stride_1, int padding_0, int padding_1, int dilation_0, int dilation_1,
               int groups, const mlx_stream s) {
  int st[2] = {stride_0, stride_1}, pd[2] = {padding_0, padding_1},
      dl[2] = {dilation_0, dilation_1};
  return conv(res, input, weight, 2, st, pd, dl, groups, s, "mlx_conv2d");
}
int mlx_conv3d(mlx_array* res, const mlx_array input, const mlx_array weight, int stride_0,
               int stride_1, int stride_2, int padding_0, int padding_1, int padding_2,
               int dilation_0, int dilation_1, int dilation_2, int groups, const mlx_stream s) {
  int st[3] = {stride_0, stride_1, stride_2}, pd[3] = {padding_0, padding_1, padding_2},
      dl[3] = {dilation_0, dilation_1, dilation_2};
  return conv(res, input, weight, 3, st, pd, dl, groups, s, "mlx_conv3d");
}

static int conv_t(mlx_array* res, mlx_array input, mlx_array weight, int d, const int* stride,
                  const int* padding, const int* dilation, const int* output_padding, int groups,
                  mlx_stream s, const char* name) {
  OUT(res, name);
  ARG(x, input);
  ARG(w, weight);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_conv_transpose_nd(x, w, d, stride, padding, dilation, output_padding, groups, st));
}

int mlx_conv_transpose1d(mlx_array* res, const mlx_array input, const mlx_array weight,
                         int stride, int padding, int dilation, int output_padding, int groups,
                         const mlx_stream s) {
  return conv_t(res, input, weight, 1, &stride, &padding, &dilation, &output_padding, groups, s,
                "mlx_conv_transpose1d");
}
int mlx_conv_transpose2d(mlx_array* res, const mlx_array input, const mlx_array weight,
                         int stride_0, int stride_1, int padding_0, int padding_1, int dilation_0,
                         int dilation_1, int output_padding_0, int output_padding_1, int groups,
                         const mlx_stream s) {
  int st[2] = {stride_0, stride_1}, pd[2] = {padding_0, padding_1},
      dl[2] = {dilation_0, dilation_1}, op[2] = {output_padding_0, output_padding_1};
  return conv_t(res, input, weight, 2, st, pd, dl, op, groups, s, "mlx_conv_transpose2d");
}
int mlx_conv_transpose3d(mlx_array* res, const mlx_array input, const mlx_array weight,
                         int stride_0, int stride_1, int stride_2, int padding_0, int padding_1,
                         int padding_2, int dilation_0, int dilation_1, int dilation_2,
                         int output_padding_0, int output_padding_1, int output_padding_2,
                         int groups, const mlx_stream s) {
  int st[3] = {stride_0, stride_1, stride_2}, pd[3] = {padding_0, padding_1, padding_2},
      dl[3] = {dilation_0, dilation_1, dilation_2},
      op[3] = {output_padding_0, output_padding_1, output_padding_2};
  return conv_t(res, input, weight, 3, st, pd, dl, op, groups, s, "mlx_conv_transpose3d");
}
