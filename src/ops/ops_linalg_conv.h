/* Op constructors of the linalg_conv family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_LINALG_CONV_H
#define MX_OPS_LINALG_CONV_H

#include "../core/core.h"

/* --- products (linalg_conv_mm.c, linalg_conv_products.c) ------------------ */

/* alpha * (a @ b) + beta * c, with matmul's rules for a and b; c must
 * broadcast to the product's shape.  Real floating point only (MLX). */
mx_array* mx_addmm(mx_array* c, mx_array* a, mx_array* b, float alpha, float beta, mx_stream s);

/* Sums over axes_a[i] of a paired with axes_b[i] of b (naxes pairs). */
mx_array* mx_tensordot(mx_array* a, mx_array* b, int naxes, const int* axes_a, const int* axes_b,
                       mx_stream s);
/* Sums over the last n axes of a and the first n of b. */
mx_array* mx_tensordot_n(mx_array* a, mx_array* b, int n, mx_stream s);
/* Sum product over the last axes (a plain product for scalars). */
mx_array* mx_inner(mx_array* a, mx_array* b, mx_stream s);
/* Outer product of the flattened operands. */
mx_array* mx_outer(mx_array* a, mx_array* b, mx_stream s);
/* sum(a * b, axis) after broadcasting a and b. */
mx_array* mx_vecdot(mx_array* a, mx_array* b, int axis, mx_stream s);
/* Kronecker product. */
mx_array* mx_kron(mx_array* a, mx_array* b, mx_stream s);

/* a @ b with the batch matrices picked by flat indices into the batch dims
 * of a and b (NULL: every matrix in order). */
mx_array* mx_gather_mm(mx_array* a, mx_array* b, mx_array* lhs_indices, mx_array* rhs_indices,
                       bool sorted_indices, mx_stream s);
/* a @ b with (block_size x block_size) blocks of the output, a and b
 * scaled by the masks (NULL: no mask; mask_lhs and mask_rhs go together). */
mx_array* mx_block_masked_mm(mx_array* a, mx_array* b, int block_size, mx_array* mask_out,
                             mx_array* mask_lhs, mx_array* mask_rhs, mx_stream s);
/* One a[:, lo:hi] @ b[lo:hi, :] per (lo, hi) row of `segments`. */
mx_array* mx_segmented_mm(mx_array* a, mx_array* b, mx_array* segments, mx_stream s);
/* Walsh-Hadamard transform along the last axis times `scale` (has_scale
 * false: 1/sqrt(n)). */
mx_array* mx_hadamard_transform(mx_array* a, bool has_scale, float scale, mx_stream s);

/* --- einsum (linalg_conv_einsum.c) --------------------------------------------- */

mx_array* mx_einsum(const char* subscripts, int n, mx_array* const* operands, mx_stream s);

/* The contraction order einsum uses.  On success *steps holds *nsteps
 * groups of operand positions, group i having step_sizes[i] entries
 * (flattened), and *info the report MLX prints; all three are malloc'd and
 * owned by the caller.  Returns 0 / -1. */
int mx_einsum_path(const char* subscripts, int n, mx_array* const* operands, int* nsteps,
                   int** step_sizes, int** steps, char** info);

/* --- convolutions (linalg_conv_conv.c) ------------------------------------------- */

/* The general convolution: input (N, spatial..., C_in), weight (C_out,
 * kernel..., C_in / groups).  Each list has 1 entry (used for every
 * spatial dim) or one per spatial dim; a NULL list means its default (1 for
 * stride and dilations, 0 for padding). */
mx_array* mx_conv_general(mx_array* input, mx_array* weight, int nstride, const int* stride,
                          int npad_lo, const int* pad_lo, int npad_hi, const int* pad_hi,
                          int nkdil, const int* kernel_dilation, int nidil,
                          const int* input_dilation, int groups, bool flip, mx_stream s);
/* conv1d/2d/3d for d = 1, 2, 3: each array holds d entries. */
mx_array* mx_conv_nd(mx_array* input, mx_array* weight, int d, const int* stride,
                     const int* padding, const int* dilation, int groups, mx_stream s);
/* conv_transpose1d/2d/3d for d = 1, 2, 3. */
mx_array* mx_conv_transpose_nd(mx_array* input, mx_array* weight, int d, const int* stride,
                               const int* padding, const int* dilation,
                               const int* output_padding, int groups, mx_stream s);
/* 1-D discrete convolution; mode is "full", "same" or "valid". */
mx_array* mx_convolve(mx_array* a, mx_array* v, const char* mode, mx_stream s);

#endif
