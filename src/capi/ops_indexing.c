/* mlx-c wrappers of the indexing family: gather/scatter, slices and slice
 * updates, take and the along-axis forms.  Each wrapper checks its
 * arguments, converts handles and calls the constructor in src/ops. */
#include <limits.h>

#include "capi.h"

#define LIST(p, n, fn) \
  if (!mx__capi_shape(p, n, fn)) return 1

/* --- gather -------------------------------------------------------------------- */

int mlx_gather(mlx_array* res, const mlx_array a, const mlx_vector_array indices,
               const int* axes, size_t axes_num, const int* slice_sizes, size_t slice_sizes_num,
               const mlx_stream s) {
  const char* fn = "mlx_gather";
  OUT(res, fn);
  ARG(x, a);
  STREAM(st, s);
  LIST(axes, axes_num, fn);
  LIST(slice_sizes, slice_sizes_num, fn);
  size_t n;
  mx_array* const* idx = mx__capi_vector_arrays(indices, &n);
  if (n != axes_num)
    return mx__capi_failf(MX_ERR_VALUE, "[gather] %zu index arrays for %zu axes.", n, axes_num);
  if (slice_sizes_num != (size_t)x->ndim)
    return mx__capi_failf(MX_ERR_VALUE, "[gather] Got %zu slice sizes for an array with %d "
                          "dimensions.", slice_sizes_num, x->ndim);
  return mx__capi_put_array(res, mx_gather(x, (int)n, idx, axes, slice_sizes, st));
}

int mlx_gather_single(mlx_array* res, const mlx_array a, const mlx_array indices, int axis,
                      const int* slice_sizes, size_t slice_sizes_num, const mlx_stream s) {
  const char* fn = "mlx_gather_single";
  OUT(res, fn);
  ARG(x, a);
  ARG(i, indices);
  STREAM(st, s);
  LIST(slice_sizes, slice_sizes_num, fn);
  if (slice_sizes_num != (size_t)x->ndim)
    return mx__capi_failf(MX_ERR_VALUE, "[gather] Got %zu slice sizes for an array with %d "
                          "dimensions.", slice_sizes_num, x->ndim);
  return mx__capi_put_array(res, mx_gather(x, 1, &i, &axis, slice_sizes, st));
}

/* --- scatter ------------------------------------------------------------------- */

static int scatter(mlx_array* res, mlx_array a, mlx_vector_array indices, mlx_array updates,
                   const int* axes, size_t axes_num, mlx_stream s, mx_scatter_op op,
                   const char* fn) {
  OUT(res, fn);
  ARG(x, a);
  ARG(u, updates);
  STREAM(st, s);
  LIST(axes, axes_num, fn);
  size_t n;
  mx_array* const* idx = mx__capi_vector_arrays(indices, &n);
  if (n != axes_num)
    return mx__capi_failf(MX_ERR_VALUE, "[scatter] %zu index arrays for %zu axes.", n,
                          axes_num);
  return mx__capi_put_array(res, mx_scatter(x, (int)n, idx, u, axes, op, st));
}

static int scatter_single(mlx_array* res, mlx_array a, mlx_array indices, mlx_array updates,
                          int axis, mlx_stream s, mx_scatter_op op, const char* fn) {
  OUT(res, fn);
  ARG(x, a);
  ARG(i, indices);
  ARG(u, updates);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_scatter(x, 1, &i, u, &axis, op, st));
}

#define SCATTER_PAIR(name, op)                                                                \
  int mlx_##name(mlx_array* res, const mlx_array a, const mlx_vector_array indices,          \
                 const mlx_array updates, const int* axes, size_t axes_num,                   \
                 const mlx_stream s) {                                                        \
    return scatter(res, a, indices, updates, axes, axes_num, s, op, "mlx_" #name);           \
  }                                                                                           \
  int mlx_##name##_single(mlx_array* res, const mlx_array a, const mlx_array indices,        \
                          const mlx_array updates, int axis, const mlx_stream s) {           \
    return scatter_single(res, a, indices, updates, axis, s, op, "mlx_" #name "_single");    \
  }
SCATTER_PAIR(scatter, MX_SCATTER_NONE)
SCATTER_PAIR(scatter_add, MX_SCATTER_SUM)
SCATTER_PAIR(scatter_prod, MX_SCATTER_PROD)
SCATTER_PAIR(scatter_max, MX_SCATTER_MAX)
SCATTER_PAIR(scatter_min, MX_SCATTER_MIN)
#undef SCATTER_PAIR

int mlx_scatter_add_axis(mlx_array* res, const mlx_array a, const mlx_array indices,
                         const mlx_array values, int axis, const mlx_stream s) {
  OUT(res, "mlx_scatter_add_axis");
  ARG(x, a);
  ARG(i, indices);
  ARG(v, values);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_scatter_add_axis(x, i, v, axis, st));
}

int mlx_put_along_axis(mlx_array* res, const mlx_array a, const mlx_array indices,
                       const mlx_array values, int axis, const mlx_stream s) {
  OUT(res, "mlx_put_along_axis");
  ARG(x, a);
  ARG(i, indices);
  ARG(v, values);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_put_along_axis(x, i, v, axis, st));
}

int mlx_masked_scatter(mlx_array* res, const mlx_array a, const mlx_array mask,
                       const mlx_array src, const mlx_stream s) {
  OUT(res, "mlx_masked_scatter");
  ARG(x, a);
  ARG(m, mask);
  ARG(v, src);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_masked_scatter(x, m, v, st));
}

/* --- slices -------------------------------------------------------------------- */

/* Checks start/stop/strides lists (strides may be empty: all ones). */
static bool slice_lists(const int* start, size_t start_num, const int* stop, size_t stop_num,
                        const int* strides, size_t strides_num, const char* fn) {
  if (!mx__capi_shape(start, start_num, fn) || !mx__capi_shape(stop, stop_num, fn) ||
      !mx__capi_shape(strides, strides_num, fn))
    return false;
  if (start_num != stop_num || (strides_num != 0 && strides_num != start_num)) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] start, stop and strides must have the same length.", fn);
    return false;
  }
  return true;
}

int mlx_slice(mlx_array* res, const mlx_array a, const int* start, size_t start_num,
              const int* stop, size_t stop_num, const int* strides, size_t strides_num,
              const mlx_stream s) {
  const char* fn = "mlx_slice";
  OUT(res, fn);
  ARG(x, a);
  STREAM(st, s);
  if (!slice_lists(start, start_num, stop, stop_num, strides, strides_num, fn)) return 1;
  return mx__capi_put_array(
      res, mx_slice(x, (int)start_num, start, stop, strides_num ? strides : NULL, st));
}

int mlx_slice_dynamic(mlx_array* res, const mlx_array a, const mlx_array start, const int* axes,
                      size_t axes_num, const int* slice_size, size_t slice_size_num,
                      const mlx_stream s) {
  const char* fn = "mlx_slice_dynamic";
  OUT(res, fn);
  ARG(x, a);
  ARG(b, start);
  STREAM(st, s);
  LIST(axes, axes_num, fn);
  LIST(slice_size, slice_size_num, fn);
  return mx__capi_put_array(res, mx_slice_dynamic(x, b, (int)axes_num, axes,
                                                  (int)slice_size_num, slice_size, st));
}

static int slice_update(mlx_array* res, mlx_array src, mlx_array update, const int* start,
                        size_t start_num, const int* stop, size_t stop_num, const int* strides,
                        size_t strides_num, mlx_stream s, mx_scatter_op op, const char* fn) {
  OUT(res, fn);
  ARG(x, src);
  ARG(u, update);
  STREAM(st, s);
  if (!slice_lists(start, start_num, stop, stop_num, strides, strides_num, fn)) return 1;
  return mx__capi_put_array(res, mx_slice_update(x, u, (int)start_num, start, stop,
                                                 strides_num ? strides : NULL, op, st));
}

#define SLICE_UPDATE(name, op)                                                                \
  int mlx_##name(mlx_array* res, const mlx_array src, const mlx_array update,                \
                 const int* start, size_t start_num, const int* stop, size_t stop_num,        \
                 const int* strides, size_t strides_num, const mlx_stream s) {                \
    return slice_update(res, src, update, start, start_num, stop, stop_num, strides,         \
                        strides_num, s, op, "mlx_" #name);                                   \
  }
SLICE_UPDATE(slice_update, MX_SCATTER_NONE)
SLICE_UPDATE(slice_update_add, MX_SCATTER_SUM)
SLICE_UPDATE(slice_update_prod, MX_SCATTER_PROD)
SLICE_UPDATE(slice_update_max, MX_SCATTER_MAX)
SLICE_UPDATE(slice_update_min, MX_SCATTER_MIN)
#undef SLICE_UPDATE

int mlx_slice_update_dynamic(mlx_array* res, const mlx_array src, const mlx_array update,
                             const mlx_array start, const int* axes, size_t axes_num,
                             const mlx_stream s) {
  const char* fn = "mlx_slice_update_dynamic";
  OUT(res, fn);
  ARG(x, src);
  ARG(u, update);
  ARG(b, start);
  STREAM(st, s);
  LIST(axes, axes_num, fn);
  return mx__capi_put_array(res, mx_slice_update_dynamic(x, u, b, (int)axes_num, axes, st));
}

/* --- take ------------------------------------------------------------------------ */

int mlx_take_axis(mlx_array* res, const mlx_array a, const mlx_array indices, int axis,
                  const mlx_stream s) {
  OUT(res, "mlx_take_axis");
  ARG(x, a);
  ARG(i, indices);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_take(x, i, axis, st));
}

int mlx_take(mlx_array* res, const mlx_array a, const mlx_array indices, const mlx_stream s) {
  OUT(res, "mlx_take");
  ARG(x, a);
  ARG(i, indices);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_take_all(x, i, st));
}

int mlx_take_along_axis(mlx_array* res, const mlx_array a, const mlx_array indices, int axis,
                        const mlx_stream s) {
  OUT(res, "mlx_take_along_axis");
  ARG(x, a);
  ARG(i, indices);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_take_along_axis(x, i, axis, st));
}
