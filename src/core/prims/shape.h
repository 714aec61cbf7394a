/* Primitives of one family: shape/view ops and creation ops.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_SHAPE_H
#define MX_CORE_PRIMS_SHAPE_H

#include <stdint.h>

#define MX_PRIMS_SHAPE(X)                \
  X(STRIDED_VIEW, "StridedView")         \
  X(AS_STRIDED, "AsStrided")             \
  X(VIEW, "View")                        \
  X(CONTIGUOUS, "Contiguous")            \
  X(CONCATENATE, "Concatenate")          \
  X(PAD, "Pad")                          \
  X(EYE, "Eye")                          \
  X(TRI, "Tri")                          \
  X(TRI_MASK, "TriMask")                 \
  X(WINDOW, "Window")

/* StridedView: an affine view of the input.  Output element (i_0..i_{m-1})
 * is input element base + sum_j i_j * coef[j], where base and every coef[j]
 * are vectors over the input's dims.  Slices with steps, flips, single
 * indices (unstack), splits and diagonals are all of this form, so one view
 * kernel serves them.  `v` holds base[in_ndim] followed by coef[out_ndim]
 * [in_ndim], row by row. */
typedef struct mx_strided_view_params {
  int in_ndim, out_ndim;
  int64_t v[];
} mx_strided_view_params;

/* AsStrided: strides and offset in elements of the row-contiguous input. */
typedef struct mx_as_strided_params {
  int64_t offset;
  int ndim;
  int64_t strides[];
} mx_as_strided_params;

typedef struct mx_contiguous_params {
  int allow_col_major;
} mx_contiguous_params;

typedef struct mx_concatenate_params {
  int axis;
} mx_concatenate_params;

typedef enum mx_pad_mode {
  MX_PAD_CONSTANT,
  MX_PAD_EDGE,
  MX_PAD_REFLECT,
  MX_PAD_SYMMETRIC,
} mx_pad_mode;

/* Pad: inputs (a, value) where value is a 0-d array of a's dtype (used by
 * the constant mode only).  lo[i]/hi[i] are the widths before/after dim i. */
typedef struct mx_pad_params {
  int mode; /* mx_pad_mode */
  int ndim;
  int widths[]; /* lo[ndim] then hi[ndim] */
} mx_pad_params;

/* Eye (ones where col - row == k) and Tri (ones where col - row <= k),
 * an n x m matrix. */
typedef struct mx_tri_params {
  int n, m, k;
} mx_tri_params;

/* TriMask: zeroes the elements of the last two dims outside the lower
 * (col - row <= k, tril) or upper (col - row >= k, triu) triangle. */
typedef struct mx_tri_mask_params {
  int k;
  int upper;
} mx_tri_mask_params;

typedef enum mx_window_kind {
  MX_WINDOW_BARTLETT,
  MX_WINDOW_HANNING,
  MX_WINDOW_HAMMING,
  MX_WINDOW_BLACKMAN,
} mx_window_kind;

typedef struct mx_window_params {
  int kind; /* mx_window_kind */
  int m;
} mx_window_params;

#endif
