/* Helpers shared by the op constructors in src/ops (not part of ops.h). */
#ifndef MX_OPS_INTERNAL_H
#define MX_OPS_INTERNAL_H

#include "ops.h"

/* Formats a shape for an error message into a caller buffer. */
#define MX__SHAPE_BUF 160

/* Returns `a` converted to `dtype` (a new reference; `a` itself, retained,
 * when it already has that dtype). */
mx_array* mx__as_dtype(mx_array* a, mx_dtype dtype, mx_stream s);

/* Returns `a` broadcast to (ndim, shape), which the caller has already
 * checked is a valid broadcast target (a new reference; `a` itself, retained,
 * when the shapes are equal). */
mx_array* mx__broadcast_unchecked(mx_array* a, int ndim, const int* shape, mx_stream s);

/* Checks that `a` can be broadcast to (ndim, shape) the way MLX's
 * broadcast_to and full check it.  Returns 0 / -1 with MX_ERR_VALUE. */
int mx__check_broadcast_to(const mx_array* a, int ndim, const int* shape);

#endif
