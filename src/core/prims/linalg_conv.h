/* Primitives of one family: matmul family and convolutions.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise, so
 * constructors zero them before filling them in). */
#ifndef MX_CORE_PRIMS_LINALG_CONV_H
#define MX_CORE_PRIMS_LINALG_CONV_H

#define MX_PRIMS_LINALG_CONV(X)          \
  X(ADDMM, "AddMM")                      \
  X(GATHER_MM, "GatherMM")               \
  X(BLOCK_MASKED_MM, "BlockMaskedMM")    \
  X(SEGMENTED_MM, "SegmentedMM")         \
  X(HADAMARD, "Hadamard")                \
  X(CONVOLUTION, "Convolution")

/* AddMM: out = alpha * (a @ b) + beta * c.  Inputs (a, b, c) share the
 * output's dtype and rank; a and b carry the output's batch shape (possibly
 * broadcast) and c the output's full shape (possibly broadcast). */
typedef struct mx_addmm_params {
  float alpha, beta;
} mx_addmm_params;

/* GatherMM: inputs (a, b, lhs_indices, rhs_indices).  a is (A, M, K) and b
 * (B, K, N) with the batch dims flattened; both index arrays are uint32 of
 * the output's batch shape (broadcast) and pick a matrix of a and of b for
 * every output matrix. */

/* BlockMaskedMM: inputs (a, b[, mask_out][, mask_lhs][, mask_rhs]) in that
 * order, which of them are present told by the flags.  a and b are
 * (..., M, K) and (..., K, N) with the output's batch shape; each mask is
 * (..., ceil(rows/bs), ceil(cols/bs)) broadcast to the output's batch
 * shape, in the compute dtype (float32, or float64 for float64 products).
 * A mask that was bool clears the blocks it marks false (their contents,
 * inf or NaN included, never reach the result); a float mask multiplies. */
typedef struct mx_block_masked_mm_params {
  int block_size;
  int has_out, has_lhs, has_rhs;
  int out_bool, lhs_bool, rhs_bool;
} mx_block_masked_mm_params;

/* SegmentedMM: inputs (a (M, K), b (K, N), segments (..., 2) uint32); the
 * output is (..., M, N), one a[:, lo:hi] @ b[lo:hi, :] per segment. */

/* Hadamard: the Walsh-Hadamard transform along the last axis, scaled.  The
 * length is m * 2^k with m in {1, 12, 20, 28}. */
typedef struct mx_hadamard_params {
  float scale;
} mx_hadamard_params;

/* Convolution over `nspatial` spatial dims, channels last: input
 * (N, spatial..., C_in), weight (C_out, kernel..., C_in / groups), output
 * (N, out spatial..., C_out).  Padding may differ on the low and high side
 * and may be negative (it then crops).  `flip` turns the cross-correlation
 * into a true convolution (used by the transposed convolutions). */
#define MX_CONV_MAX_SPATIAL 3
typedef struct mx_conv_params {
  int nspatial;
  int groups;
  int flip;
  int stride[MX_CONV_MAX_SPATIAL];
  int pad_lo[MX_CONV_MAX_SPATIAL];
  int pad_hi[MX_CONV_MAX_SPATIAL];
  int kernel_dilation[MX_CONV_MAX_SPATIAL];
  int input_dilation[MX_CONV_MAX_SPATIAL];
} mx_conv_params;

#endif
