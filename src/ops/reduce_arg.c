/* argmin / argmax: the ArgReduce primitive along one axis (the flattened
 * array when `all`), uint32 indices. */
#include "reduce_sort_internal.h"

static mx_array* arg_reduce(mx_array* a, bool all, int axis, bool keepdims, int op,
                            const char* name, mx_stream s) {
  if (mx__rs_check(a, name) != 0) return NULL;
  if (a->size == 0) {
    mx_error(MX_ERR_VALUE, "[%s] Cannot %s reduce zero size array.", name, name);
    return NULL;
  }
  mx_array* x;
  int ax;
  if (all) {
    x = mx__rs_flatten(a, s);
    ax = 0;
  } else {
    if (mx_normalize_axis(axis, a->ndim, name, &ax) != 0) return NULL;
    x = a;
    mx_array_retain(a);
  }
  if (!x) return NULL;
  int nd = x->ndim;
  int shape[nd];
  for (int i = 0; i < nd; i++) shape[i] = i == ax ? 1 : x->shape[i];
  mx_arg_reduce_params p = {.op = op, .axis = ax};
  mx_array* r = mx_array_make(MX_PRIM_ARG_REDUCE, &p, sizeof p, s, 1, &x, MX_UINT32, nd, shape);
  mx_array_release(x);
  if (!r) return NULL;
  /* Keep MLX's shapes: the kept axis (or, for `all`, every axis of the
   * input) as size 1, or none of them. */
  int oshape[a->ndim + 1], ond = 0;
  if (keepdims) {
    for (int i = 0; i < a->ndim; i++) oshape[ond++] = (all || i == ax) ? 1 : a->shape[i];
  } else {
    for (int i = 0; i < a->ndim; i++)
      if (!all && i != ax) oshape[ond++] = a->shape[i];
  }
  mx_array* o = mx_reshape(r, ond, oshape, s);
  mx_array_release(r);
  return o;
}

mx_array* mx_argmax(mx_array* a, bool all, int axis, bool keepdims, mx_stream s) {
  return arg_reduce(a, all, axis, keepdims, MX_ARG_MAX, "argmax", s);
}

mx_array* mx_argmin(mx_array* a, bool all, int axis, bool keepdims, mx_stream s) {
  return arg_reduce(a, all, axis, keepdims, MX_ARG_MIN, "argmin", s);
}
