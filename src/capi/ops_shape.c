/* mlx-c wrappers of the shape family: creation (linspace, eye, tri, ...),
 * reshapes and views, joining, splitting, padding and rolling.  Each checks
 * its arguments, converts handles and calls the constructor in src/ops. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "capi.h"

#define DTYPE(var, value) \
  mx_dtype var;           \
  if (!mx__capi_dtype(value, &var)) return 1
#define LIST(ptr, n, fn) \
  if (!mx__capi_shape(ptr, n, fn)) return 1

/* Stores `n` new references (taken over) into the vector *res. */
static int put_vector(mlx_vector_array* res, mx_array** arrays, int n) {
  mlx_array* handles = calloc((size_t)(n > 0 ? n : 1), sizeof *handles);
  if (!handles) {
    for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
    return mx__capi_failf(MX_ERR_MEMORY, "Out of memory.");
  }
  for (int i = 0; i < n; i++) handles[i].ctx = arrays[i];
  int rc = mlx_vector_array_set_data(res, handles, (size_t)n);
  for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
  free(handles);
  return rc;
}

/* The arrays of a vector handle (borrowed); false (reported) if empty
 * entries or a bad handle. */
static bool vector_in(mlx_vector_array v, mx_array* const** arrays, int* n) {
  size_t count = 0;
  *arrays = mx__capi_vector_arrays(v, &count);
  if (count > INT_MAX) {
    mx__capi_failf(MX_ERR_VALUE, "Too many arrays (%zu).", count);
    return false;
  }
  *n = (int)count;
  return true;
}

/* --- creation -------------------------------------------------------------------- */

int mlx_linspace(mlx_array* res, double start, double stop, int num, mlx_dtype dtype,
                 const mlx_stream s) {
  OUT(res, "mlx_linspace");
  DTYPE(t, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_linspace(start, stop, num, true, t, st));
}

int mlx_eye(mlx_array* res, int n, int m, int k, mlx_dtype dtype, const mlx_stream s) {
  OUT(res, "mlx_eye");
  DTYPE(t, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_eye(n, m, k, t, st));
}

int mlx_identity(mlx_array* res, int n, mlx_dtype dtype, const mlx_stream s) {
  OUT(res, "mlx_identity");
  DTYPE(t, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_identity(n, t, st));
}

int mlx_tri(mlx_array* res, int n, int m, int k, mlx_dtype type, const mlx_stream s) {
  OUT(res, "mlx_tri");
  DTYPE(t, type);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_tri(n, m, k, t, st));
}

/* The window functions of length M (float32; M <= 0 gives an empty array). */
int mlx_bartlett(mlx_array* res, int M, const mlx_stream s) {
  OUT(res, "mlx_bartlett");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_bartlett(M, st));
}

int mlx_blackman(mlx_array* res, int M, const mlx_stream s) {
  OUT(res, "mlx_blackman");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_blackman(M, st));
}

int mlx_hamming(mlx_array* res, int M, const mlx_stream s) {
  OUT(res, "mlx_hamming");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_hamming(M, st));
}

int mlx_hanning(mlx_array* res, int M, const mlx_stream s) {
  OUT(res, "mlx_hanning");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_hanning(M, st));
}

int mlx_full_like(mlx_array* res, const mlx_array a, const mlx_array vals, mlx_dtype dtype,
                  const mlx_stream s) {
  OUT(res, "mlx_full_like");
  ARG(x, a);
  ARG(v, vals);
  DTYPE(t, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_full_like(x, v, t, st));
}

/* The product of the sizes of `axes` (or, inverted, of every other axis) as
 * a scalar of `dtype`.  The sizes are known when the graph is built, so the
 * result is a constant. */
int mlx_number_of_elements(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                           bool inverted, mlx_dtype dtype, const mlx_stream s) {
  OUT(res, "mlx_number_of_elements");
  ARG(x, a);
  DTYPE(t, dtype);
  STREAM(st, s);
  (void)st;
  if (axes_num > 0 && !axes)
    return mx__capi_failf(MX_ERR_VALUE, "[number_of_elements] NULL axes.");
  bool picked[x->ndim + 1];
  memset(picked, 0, sizeof picked);
  for (size_t i = 0; i < axes_num; i++) {
    int ax = axes[i] < 0 ? axes[i] + x->ndim : axes[i];
    if (ax < 0 || ax >= x->ndim)
      return mx__capi_failf(MX_ERR_VALUE,
                            "[number_of_elements] Can't get the shape for axis %d from an array "
                            "with %d dimensions.",
                            axes[i], x->ndim);
    picked[ax] = true;
  }
  double n = 1;
  if (inverted) {
    for (int i = 0; i < x->ndim; i++)
      if (!picked[i]) n *= x->shape[i];
  } else {
    for (size_t i = 0; i < axes_num; i++) n *= x->shape[axes[i] < 0 ? axes[i] + x->ndim : axes[i]];
  }
  mx_array* r = mx_dtype_is_inexact(t) ? mx_array_scalar_f64(n, t)
                                       : mx_array_scalar_i64((int64_t)n, t);
  return mx__capi_put_array(res, r);
}

int mlx_tril(mlx_array* res, const mlx_array x, int k, const mlx_stream s) {
  OUT(res, "mlx_tril");
  ARG(a, x);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_tril(a, k, st));
}

int mlx_triu(mlx_array* res, const mlx_array x, int k, const mlx_stream s) {
  OUT(res, "mlx_triu");
  ARG(a, x);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_triu(a, k, st));
}

int mlx_meshgrid(mlx_vector_array* res, const mlx_vector_array arrays, bool sparse,
                 const char* indexing, const mlx_stream s) {
  OUT(res, "mlx_meshgrid");
  mx_array* const* in;
  int n;
  if (!vector_in(arrays, &in, &n)) return 1;
  STREAM(st, s);
  mx_array** out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!out) return mx__capi_failf(MX_ERR_MEMORY, "[mlx_meshgrid] Out of memory.");
  if (mx_meshgrid(n, in, sparse, indexing, st, out) != 0) {
    free(out);
    return mx__capi_fail();
  }
  int rc = put_vector(res, out, n);
  free(out);
  return rc;
}

/* --- reshapes and transposes ---------------------------------------------------------- */

int mlx_flatten(mlx_array* res, const mlx_array a, int start_axis, int end_axis,
                const mlx_stream s) {
  OUT(res, "mlx_flatten");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_flatten(x, start_axis, end_axis, st));
}

int mlx_unflatten(mlx_array* res, const mlx_array a, int axis, const int* shape, size_t shape_num,
                  const mlx_stream s) {
  OUT(res, "mlx_unflatten");
  ARG(x, a);
  LIST(shape, shape_num, "mlx_unflatten");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_unflatten(x, axis, (int)shape_num, shape, st));
}

int mlx_squeeze_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                     const mlx_stream s) {
  static const int none[1] = {0};
  OUT(res, "mlx_squeeze_axes");
  ARG(x, a);
  LIST(axes, axes_num, "mlx_squeeze_axes");
  STREAM(st, s);
  /* An explicit empty list squeezes nothing (NULL would mean all). */
  return mx__capi_put_array(res, mx_squeeze(x, (int)axes_num, axes ? axes : none, st));
}

int mlx_squeeze_axis(mlx_array* res, const mlx_array a, int axis, const mlx_stream s) {
  return mlx_squeeze_axes(res, a, &axis, 1, s);
}

int mlx_squeeze(mlx_array* res, const mlx_array a, const mlx_stream s) {
  OUT(res, "mlx_squeeze");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_squeeze(x, 0, NULL, st));
}

int mlx_expand_dims_axes(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                         const mlx_stream s) {
  OUT(res, "mlx_expand_dims_axes");
  ARG(x, a);
  LIST(axes, axes_num, "mlx_expand_dims_axes");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_expand_dims(x, (int)axes_num, axes, st));
}

int mlx_expand_dims(mlx_array* res, const mlx_array a, int axis, const mlx_stream s) {
  return mlx_expand_dims_axes(res, a, &axis, 1, s);
}

static int atleast(mlx_array* res, mlx_array a, int nd, mlx_stream s, const char* fn) {
  OUT(res, fn);
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_atleast(x, nd, st));
}
int mlx_atleast_1d(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return atleast(res, a, 1, s, "mlx_atleast_1d");
}
int mlx_atleast_2d(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return atleast(res, a, 2, s, "mlx_atleast_2d");
}
int mlx_atleast_3d(mlx_array* res, const mlx_array a, const mlx_stream s) {
  return atleast(res, a, 3, s, "mlx_atleast_3d");
}

int mlx_moveaxis(mlx_array* res, const mlx_array a, int source, int destination,
                 const mlx_stream s) {
  OUT(res, "mlx_moveaxis");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_moveaxis(x, source, destination, st));
}

int mlx_swapaxes(mlx_array* res, const mlx_array a, int axis1, int axis2, const mlx_stream s) {
  OUT(res, "mlx_swapaxes");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_swapaxes(x, axis1, axis2, st));
}

/* --- joining and splitting ------------------------------------------------------------- */

int mlx_broadcast_arrays(mlx_vector_array* res, const mlx_vector_array inputs,
                         const mlx_stream s) {
  OUT(res, "mlx_broadcast_arrays");
  mx_array* const* in;
  int n;
  if (!vector_in(inputs, &in, &n)) return 1;
  STREAM(st, s);
  mx_array** out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!out) return mx__capi_failf(MX_ERR_MEMORY, "[mlx_broadcast_arrays] Out of memory.");
  if (mx_broadcast_arrays(n, in, st, out) != 0) {
    free(out);
    return mx__capi_fail();
  }
  int rc = put_vector(res, out, n);
  free(out);
  return rc;
}

int mlx_concatenate_axis(mlx_array* res, const mlx_vector_array arrays, int axis,
                         const mlx_stream s) {
  OUT(res, "mlx_concatenate_axis");
  mx_array* const* in;
  int n;
  if (!vector_in(arrays, &in, &n)) return 1;
  STREAM(st, s);
  return mx__capi_put_array(res, mx_concatenate(n, in, axis, st));
}

int mlx_concatenate(mlx_array* res, const mlx_vector_array arrays, const mlx_stream s) {
  OUT(res, "mlx_concatenate");
  mx_array* const* in;
  int n;
  if (!vector_in(arrays, &in, &n)) return 1;
  STREAM(st, s);
  return mx__capi_put_array(res, mx_concatenate_all(n, in, st));
}

int mlx_stack_axis(mlx_array* res, const mlx_vector_array arrays, int axis, const mlx_stream s) {
  OUT(res, "mlx_stack_axis");
  mx_array* const* in;
  int n;
  if (!vector_in(arrays, &in, &n)) return 1;
  STREAM(st, s);
  return mx__capi_put_array(res, mx_stack(n, in, axis, st));
}

int mlx_stack(mlx_array* res, const mlx_vector_array arrays, const mlx_stream s) {
  return mlx_stack_axis(res, arrays, 0, s);
}

static int put_list(mlx_vector_array* res, mx_array** list, int n) {
  if (!list) return mx__capi_fail();
  /* put_vector takes over the references; the list itself is ours. */
  int rc = put_vector(res, list, n);
  free(list);
  return rc;
}

int mlx_split(mlx_vector_array* res, const mlx_array a, int num_splits, int axis,
              const mlx_stream s) {
  OUT(res, "mlx_split");
  ARG(x, a);
  STREAM(st, s);
  int n = 0;
  mx_array** list = mx_split(x, num_splits, axis, st, &n);
  return put_list(res, list, n);
}

int mlx_split_sections(mlx_vector_array* res, const mlx_array a, const int* indices,
                       size_t indices_num, int axis, const mlx_stream s) {
  OUT(res, "mlx_split_sections");
  ARG(x, a);
  LIST(indices, indices_num, "mlx_split_sections");
  STREAM(st, s);
  int n = 0;
  mx_array** list = mx_split_sections(x, (int)indices_num, indices, axis, st, &n);
  return put_list(res, list, n);
}

/* --- repetition, padding, rolling ------------------------------------------------------- */

int mlx_repeat_axis(mlx_array* res, const mlx_array arr, int repeats, int axis,
                    const mlx_stream s) {
  OUT(res, "mlx_repeat_axis");
  ARG(x, arr);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_repeat(x, repeats, axis, st));
}

int mlx_repeat(mlx_array* res, const mlx_array arr, int repeats, const mlx_stream s) {
  OUT(res, "mlx_repeat");
  ARG(x, arr);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_repeat_flat(x, repeats, st));
}

int mlx_tile(mlx_array* res, const mlx_array arr, const int* reps, size_t reps_num,
             const mlx_stream s) {
  OUT(res, "mlx_tile");
  ARG(x, arr);
  LIST(reps, reps_num, "mlx_tile");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_tile(x, (int)reps_num, reps, st));
}

int mlx_pad(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
            const int* low_pad_size, size_t low_pad_size_num, const int* high_pad_size,
            size_t high_pad_size_num, const mlx_array pad_value, const char* mode,
            const mlx_stream s) {
  OUT(res, "mlx_pad");
  ARG(x, a);
  ARG(v, pad_value);
  LIST(axes, axes_num, "mlx_pad");
  LIST(low_pad_size, low_pad_size_num, "mlx_pad");
  LIST(high_pad_size, high_pad_size_num, "mlx_pad");
  if (low_pad_size_num != axes_num || high_pad_size_num != axes_num)
    return mx__capi_failf(MX_ERR_VALUE,
                          "[pad] Invalid number of padding sizes passed to pad with axes of "
                          "size %zu",
                          axes_num);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_pad(x, (int)axes_num, axes, low_pad_size, high_pad_size, v, mode, st));
}

int mlx_pad_symmetric(mlx_array* res, const mlx_array a, int pad_width, const mlx_array pad_value,
                      const char* mode, const mlx_stream s) {
  OUT(res, "mlx_pad_symmetric");
  ARG(x, a);
  ARG(v, pad_value);
  STREAM(st, s);
  int nd = x->ndim;
  int axes[nd > 0 ? nd : 1], w[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) axes[i] = i, w[i] = pad_width;
  return mx__capi_put_array(res, mx_pad(x, nd, axes, w, w, v, mode, st));
}

int mlx_roll_axis(mlx_array* res, const mlx_array a, const int* shift, size_t shift_num, int axis,
                  const mlx_stream s) {
  return mlx_roll_axes(res, a, shift, shift_num, &axis, 1, s);
}

int mlx_roll_axes(mlx_array* res, const mlx_array a, const int* shift, size_t shift_num,
                  const int* axes, size_t axes_num, const mlx_stream s) {
  OUT(res, "mlx_roll_axes");
  ARG(x, a);
  LIST(shift, shift_num, "mlx_roll_axes");
  LIST(axes, axes_num, "mlx_roll_axes");
  STREAM(st, s);
  static const int none[1] = {0};
  return mx__capi_put_array(
      res, mx_roll(x, (int)shift_num, shift, (int)axes_num, axes ? axes : none, st));
}

int mlx_roll(mlx_array* res, const mlx_array a, const int* shift, size_t shift_num,
             const mlx_stream s) {
  OUT(res, "mlx_roll");
  ARG(x, a);
  LIST(shift, shift_num, "mlx_roll");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_roll(x, (int)shift_num, shift, 0, NULL, st));
}

/* --- diagonals and views ------------------------------------------------------------------ */

int mlx_diag(mlx_array* res, const mlx_array a, int k, const mlx_stream s) {
  OUT(res, "mlx_diag");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_diag(x, k, st));
}

int mlx_diagonal(mlx_array* res, const mlx_array a, int offset, int axis1, int axis2,
                 const mlx_stream s) {
  OUT(res, "mlx_diagonal");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_diagonal(x, offset, axis1, axis2, st));
}

int mlx_as_strided(mlx_array* res, const mlx_array a, const int* shape, size_t shape_num,
                   const int64_t* strides, size_t strides_num, size_t offset,
                   const mlx_stream s) {
  OUT(res, "mlx_as_strided");
  ARG(x, a);
  LIST(shape, shape_num, "mlx_as_strided");
  if (strides_num != shape_num || (strides_num > 0 && !strides))
    return mx__capi_failf(MX_ERR_VALUE,
                          "[as_strided] The shape and strides must have the same length.");
  if (offset > (size_t)INT64_MAX)
    return mx__capi_failf(MX_ERR_VALUE, "[as_strided] Offset too large.");
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_as_strided(x, (int)shape_num, shape, strides, (int64_t)offset, st));
}

int mlx_view(mlx_array* res, const mlx_array a, mlx_dtype dtype, const mlx_stream s) {
  OUT(res, "mlx_view");
  ARG(x, a);
  DTYPE(t, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_view(x, t, st));
}

int mlx_contiguous(mlx_array* res, const mlx_array a, bool allow_col_major, const mlx_stream s) {
  OUT(res, "mlx_contiguous");
  ARG(x, a);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_contiguous(x, allow_col_major, st));
}
