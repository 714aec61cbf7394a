/* Helpers shared by the reduce_sort family's constructors (src/ops/
 * reduce_stats.c, reduce_arg.c, scan.c, sort.c, compare_close.c). */
#ifndef MX_OPS_REDUCE_SORT_INTERNAL_H
#define MX_OPS_REDUCE_SORT_INTERNAL_H

#include "ops_internal.h"

/* Marks the axes named by `axes` (NULL: every axis) in mask[a->ndim].
 * Returns how many are marked, or -1 (MX_ERR_INDEX out of range,
 * MX_ERR_VALUE repeated) with `name` in the message. */
int mx__rs_axes_mask(const mx_array* a, int naxes, const int* axes, bool* mask, const char* name);

/* The shape a reduction over `mask` leaves (size-1 dims when keepdims);
 * returns its ndim.  `out` needs a->ndim entries. */
int mx__rs_reduced_shape(const mx_array* a, const bool* mask, bool keepdims, int* out);

/* `a` with the masked axes moved to the end and merged into one, so the
 * result has shape (kept dims..., product of masked dims).  The original
 * order of kept and of masked dims is preserved. */
mx_array* mx__rs_axes_to_last(mx_array* a, const bool* mask, mx_stream s);

/* `a` reshaped to one dimension. */
mx_array* mx__rs_flatten(mx_array* a, mx_stream s);

/* The float dtype a statistic of `t` is computed in (integers and bool give
 * float32, floats and complex keep their dtype). */
mx_dtype mx__rs_at_least_float(mx_dtype t);

/* Null-argument check shared by the constructors; returns -1 with an error. */
int mx__rs_check(const mx_array* a, const char* name);

#endif
