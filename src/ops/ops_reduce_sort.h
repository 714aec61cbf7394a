/* Op constructors of the reduce_sort family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * `axes == NULL` means every axis (the flattened array for the functions
 * taking one axis); an explicit empty list reduces nothing.  Out-of-range
 * axes are MX_ERR_INDEX, as in MLX. */
#ifndef MX_OPS_REDUCE_SORT_H
#define MX_OPS_REDUCE_SORT_H

#include "../core/core.h"

/* --- statistics (reduce_stats.c) --------------------------------------------- */

/* Mean: integer and bool inputs give float32, as in MLX. */
mx_array* mx_mean(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
/* Variance with divisor max(n - ddof, 0). */
mx_array* mx_var(mx_array* a, int naxes, const int* axes, bool keepdims, int ddof, mx_stream s);
mx_array* mx_std(mx_array* a, int naxes, const int* axes, bool keepdims, int ddof, mx_stream s);
mx_array* mx_logsumexp(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
/* Softmax over `axes` (NULL: all). */
mx_array* mx_softmax(mx_array* a, int naxes, const int* axes, bool precise, mx_stream s);
mx_array* mx_median(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
/* Number of nonzero elements (int32). */
mx_array* mx_count_nonzero(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
/* Sum of a diagonal; `dtype` < 0 keeps the input dtype before summing. */
mx_array* mx_trace(mx_array* a, int offset, int axis1, int axis2, int dtype, mx_stream s);

/* --- argmin / argmax (reduce_arg.c) ----------------------------------------- */

/* `all` reduces the flattened array (axis ignored).  uint32 result; ties
 * give the first index and NaN counts as both the largest and the smallest. */
mx_array* mx_argmax(mx_array* a, bool all, int axis, bool keepdims, mx_stream s);
mx_array* mx_argmin(mx_array* a, bool all, int axis, bool keepdims, mx_stream s);

/* --- comparisons (compare_close.c) ----------------------------------------- */

mx_array* mx_isclose(mx_array* a, mx_array* b, double rtol, double atol, bool equal_nan,
                     mx_stream s);
mx_array* mx_allclose(mx_array* a, mx_array* b, double rtol, double atol, bool equal_nan,
                      mx_stream s);
/* A bool scalar: same shape and equal values (dtypes may differ). */
mx_array* mx_array_equal(mx_array* a, mx_array* b, bool equal_nan, mx_stream s);

/* --- scans (scan.c) ------------------------------------------------------------ */

/* `all` scans the flattened array.  cumsum/cumprod take `dtype` (< 0: MLX's
 * default: bool cumsum gives int32); logcumsumexp of integers is float32. */
mx_array* mx_cumsum(mx_array* a, bool all, int axis, bool reverse, bool inclusive, int dtype,
                    mx_stream s);
mx_array* mx_cumprod(mx_array* a, bool all, int axis, bool reverse, bool inclusive, int dtype,
                     mx_stream s);
mx_array* mx_cummax(mx_array* a, bool all, int axis, bool reverse, bool inclusive, mx_stream s);
mx_array* mx_cummin(mx_array* a, bool all, int axis, bool reverse, bool inclusive, mx_stream s);
mx_array* mx_logcumsumexp(mx_array* a, bool all, int axis, bool reverse, bool inclusive,
                          mx_stream s);
/* n-th discrete difference along axis. */
mx_array* mx_diff(mx_array* a, int n, int axis, mx_stream s);

/* --- sorting (sort.c) ------------------------------------------------------------ */

/* `all` sorts the flattened array.  Sorting is stable; NaNs go last. */
mx_array* mx_sort(mx_array* a, bool all, int axis, mx_stream s);
mx_array* mx_argsort(mx_array* a, bool all, int axis, mx_stream s);
mx_array* mx_partition(mx_array* a, int kth, bool all, int axis, mx_stream s);
mx_array* mx_argpartition(mx_array* a, int kth, bool all, int axis, mx_stream s);
/* The k largest along axis (in no promised order). */
mx_array* mx_topk(mx_array* a, int k, bool all, int axis, mx_stream s);
/* Insertion indices into a sorted 1-D sequence (uint32). */
mx_array* mx_searchsorted(mx_array* seq, mx_array* values, bool right, mx_stream s);

#endif
