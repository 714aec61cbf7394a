/* Op constructors of the indexing family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Index arrays must have an integer dtype (MX_ERR_VALUE otherwise).  A
 * negative index counts from the end of its axis; an index still out of
 * range after that is clamped by the kernels (MLX leaves it undefined). */
#ifndef MX_OPS_INDEXING_H
#define MX_OPS_INDEXING_H

#include "../core/core.h"

/* --- slices ------------------------------------------------------------------ */

/* a[start:stop:step] on every axis (ndim entries each; `strides` may be
 * NULL for all-ones).  Starts and stops are normalised the way Python
 * slices are (negative counts from the end, then clamped), so any values
 * are accepted; a zero stride is MX_ERR_VALUE.  The result is a view that
 * shares a's buffer. */
mx_array* mx_slice(mx_array* a, int ndim, const int* start, const int* stop, const int* strides,
                   mx_stream s);
/* The same with already-normalised bounds: start[i] (in range unless the
 * dim is empty), shape[i] elements, strides[i] apart (non-zero). */
mx_array* mx_slice_strided(mx_array* a, const int64_t* start, const int* shape,
                           const int64_t* strides, mx_stream s);
/* A copy of `src` with the slice start:stop:strides replaced by `update`
 * (broadcast to the slice's shape), or combined with it by `op`. */
mx_array* mx_slice_update(mx_array* src, mx_array* update, int ndim, const int* start,
                          const int* stop, const int* strides, mx_scatter_op op, mx_stream s);
mx_array* mx_slice_update_strided(mx_array* src, mx_array* update, const int64_t* start,
                                  const int* shape, const int64_t* strides, mx_scatter_op op,
                                  mx_stream s);
/* A window of shape slice_size (a.ndim entries) whose start along axes[k]
 * is element k of the integer array `start` (naxes elements, read when the
 * graph runs) and 0 on the other axes.  Starts are clamped so the window
 * fits. */
mx_array* mx_slice_dynamic(mx_array* a, mx_array* start, int naxes, const int* axes,
                           int nsizes, const int* slice_size, mx_stream s);
/* A copy of `src` with the window of update's shape at `start` along
 * `axes` replaced by `update` (dims of `update` on other axes must match). */
mx_array* mx_slice_update_dynamic(mx_array* src, mx_array* update, mx_array* start, int naxes,
                                  const int* axes, mx_stream s);

/* --- gather / scatter ------------------------------------------------------- */

/* MLX's general gather: the n index arrays (broadcast together to shape B)
 * pick positions along axes[k]; from each position a block of slice_sizes
 * (a.ndim entries; 1 or less than the dim on indexed axes) is copied.  The
 * result has shape B + slice_sizes. */
mx_array* mx_gather(mx_array* a, int n, mx_array* const* indices, const int* axes,
                    const int* slice_sizes, mx_stream s);
/* MLX's general scatter: `updates` has shape B + (a.ndim slice dims); each
 * slice is written (op NONE) or combined (SUM/PROD/MAX/MIN, repeated
 * indices accumulate) into a copy of `a` at the indexed position.  Updates
 * are converted to a's dtype. */
mx_array* mx_scatter(mx_array* a, int n, mx_array* const* indices, mx_array* updates,
                     const int* axes, mx_scatter_op op, mx_stream s);

/* take(a, indices, axis): a.shape[:axis] + indices.shape + a.shape[axis+1:].
 * mx_take_all flattens `a` first (MLX's axis=None). */
mx_array* mx_take(mx_array* a, mx_array* indices, int axis, mx_stream s);
mx_array* mx_take_all(mx_array* a, mx_array* indices, mx_stream s);
/* take with a Python-style integer index: a view of one position. */
mx_array* mx_take_int(mx_array* a, int64_t index, int axis, mx_stream s);
/* take_along_axis / put_along_axis (values broadcast to the indices) and
 * scatter_add_axis; axis-less forms flatten `a` (put_along_axis then
 * reshapes the result back). */
mx_array* mx_take_along_axis(mx_array* a, mx_array* indices, int axis, mx_stream s);
mx_array* mx_take_along_axis_all(mx_array* a, mx_array* indices, mx_stream s);
mx_array* mx_put_along_axis(mx_array* a, mx_array* indices, mx_array* values, int axis,
                            mx_stream s);
mx_array* mx_put_along_axis_all(mx_array* a, mx_array* indices, mx_array* values, mx_stream s);
mx_array* mx_scatter_add_axis(mx_array* a, mx_array* indices, mx_array* values, int axis,
                              mx_stream s);
/* Copy of `a` where the elements selected by the boolean `mask` (its shape
 * a prefix of a's, broadcast to it) take the elements of `src` in row-major
 * order; src must hold enough (checked when the graph runs). */
mx_array* mx_masked_scatter(mx_array* a, mx_array* mask, mx_array* src, mx_stream s);

#endif
