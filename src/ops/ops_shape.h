/* Op constructors of the shape family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Views: flatten, unflatten, squeeze, expand_dims and atleast_* are
 * reshapes; moveaxis, swapaxes and matrix_transpose are transposes; flip,
 * unstack, split pieces and diagonal are strided views of the input's
 * buffer (no copy) made by one primitive, StridedView. */
#ifndef MX_OPS_SHAPE_H
#define MX_OPS_SHAPE_H

#include "../core/core.h"

/* --- creation ---------------------------------------------------------------- */

/* `num` evenly spaced values from start to stop (stop excluded when
 * !endpoint), computed in float32 as MLX does, then cast to `dtype`. */
mx_array* mx_linspace(double start, double stop, int num, bool endpoint, mx_dtype dtype,
                      mx_stream s);
/* n x m with ones on diagonal k (eye) / at and below it (tri). */
mx_array* mx_eye(int n, int m, int k, mx_dtype dtype, mx_stream s);
mx_array* mx_identity(int n, mx_dtype dtype, mx_stream s);
mx_array* mx_tri(int n, int m, int k, mx_dtype dtype, mx_stream s);
/* Zero above diagonal k (tril) / below it (triu) in the last two dims. */
mx_array* mx_tril(mx_array* a, int k, mx_stream s);
mx_array* mx_triu(mx_array* a, int k, mx_stream s);
/* An array of a's shape filled with `vals` (broadcast), as `dtype`. */
mx_array* mx_full_like(mx_array* a, mx_array* vals, mx_dtype dtype, mx_stream s);
/* Window functions of length m (float32), NumPy's definitions. */
mx_array* mx_bartlett(int m, mx_stream s);
mx_array* mx_hanning(int m, mx_stream s);
mx_array* mx_hamming(int m, mx_stream s);
mx_array* mx_blackman(int m, mx_stream s);

/* --- reshapes and transposes ---------------------------------------------------- */

/* Merges dims start_axis..end_axis (clamped to the array; a 0-d array
 * becomes 1-d). */
mx_array* mx_flatten(mx_array* a, int start_axis, int end_axis, mx_stream s);
/* Splits dim `axis` into `shape` (one entry may be -1). */
mx_array* mx_unflatten(mx_array* a, int axis, int ndim, const int* shape, mx_stream s);
/* axes == NULL removes every size-1 dim. */
mx_array* mx_squeeze(mx_array* a, int naxes, const int* axes, mx_stream s);
/* Inserts size-1 dims so they sit at `axes` of the result. */
mx_array* mx_expand_dims(mx_array* a, int naxes, const int* axes, mx_stream s);
/* Reshapes to at least `ndim` (1, 2 or 3) dims the way NumPy does. */
mx_array* mx_atleast(mx_array* a, int ndim, mx_stream s);
mx_array* mx_moveaxis(mx_array* a, int source, int destination, mx_stream s);
mx_array* mx_swapaxes(mx_array* a, int axis1, int axis2, mx_stream s);
/* Swaps the last two dims. */
mx_array* mx_matrix_transpose(mx_array* a, mx_stream s);

/* --- strided views ------------------------------------------------------------------ */

/* The affine view described in prims/shape.h (base: in_ndim entries;
 * coef: out_ndim x in_ndim).  The caller guarantees every element it
 * addresses lies inside `a`. */
mx_array* mx_strided_view(mx_array* a, int out_ndim, const int* out_shape, const int64_t* base,
                          const int64_t* coef, mx_stream s);
/* axes == NULL flips every dim. */
mx_array* mx_flip(mx_array* a, int naxes, const int* axes, mx_stream s);
/* The diagonal of dims axis1/axis2 at `offset`, as the last dim. */
mx_array* mx_diagonal(mx_array* a, int offset, int axis1, int axis2, mx_stream s);
/* 1-D input: a matrix with it on diagonal k; 2-D input: its diagonal k. */
mx_array* mx_diag(mx_array* a, int k, mx_stream s);
/* View of a's row-major data with element strides and offset. */
mx_array* mx_as_strided(mx_array* a, int ndim, const int* shape, const int64_t* strides,
                        int64_t offset, mx_stream s);
/* Reinterprets the bytes as `dtype` (the last dim scales with the size). */
mx_array* mx_view(mx_array* a, mx_dtype dtype, mx_stream s);
/* Row-contiguous (or column-contiguous when allowed and already so). */
mx_array* mx_contiguous(mx_array* a, bool allow_col_major, mx_stream s);

/* Multi-result ops return a malloc'd list of *n new references; release it
 * with mx_array_list_free.  NULL with an error set on failure. */
mx_array** mx_split(mx_array* a, int num_splits, int axis, mx_stream s, int* n);
mx_array** mx_split_sections(mx_array* a, int nidx, const int* indices, int axis, mx_stream s,
                             int* n);
mx_array** mx_unstack(mx_array* a, int axis, mx_stream s, int* n);
void mx_array_list_free(mx_array** list, int n);

/* --- joining, broadcasting, repetition ------------------------------------------------ */

/* Promotes to a common dtype. */
mx_array* mx_concatenate(int n, mx_array* const* arrays, int axis, mx_stream s);
/* Flattens every input first (MLX's concatenate without an axis). */
mx_array* mx_concatenate_all(int n, mx_array* const* arrays, mx_stream s);
mx_array* mx_stack(int n, mx_array* const* arrays, int axis, mx_stream s);
/* Writes n new references to out (n == 0 writes nothing). */
int mx_broadcast_arrays(int n, mx_array* const* arrays, mx_stream s, mx_array** out);
/* indexing: "xy" or "ij". */
int mx_meshgrid(int n, mx_array* const* arrays, bool sparse, const char* indexing, mx_stream s,
                mx_array** out);
mx_array* mx_repeat(mx_array* a, int repeats, int axis, mx_stream s);
/* Repeats the flattened array. */
mx_array* mx_repeat_flat(mx_array* a, int repeats, mx_stream s);
mx_array* mx_tile(mx_array* a, int nreps, const int* reps, mx_stream s);
/* mode: "constant", "edge", "reflect" or "symmetric"; `value` (any dtype,
 * converted to a's) fills in constant mode.  Widths are for `axes`. */
mx_array* mx_pad(mx_array* a, int naxes, const int* axes, const int* lo, const int* hi,
                 mx_array* value, const char* mode, mx_stream s);
/* axes == NULL rolls the flattened array by the sum of the shifts.  One
 * shift with several axes applies to each. */
mx_array* mx_roll(mx_array* a, int nshift, const int* shift, int naxes, const int* axes,
                  mx_stream s);

#endif
