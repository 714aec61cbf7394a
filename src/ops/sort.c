/* Sorting and selection: sort, argsort, partition, argpartition, topk and
 * searchsorted.  The partitions share the sort kernels (a sorted line is a
 * valid partition for every kth); topk is the last k of a partition, as in
 * MLX. */
#include "reduce_sort_internal.h"

/* Resolves (all, axis) to the array to work on and the axis in it. */
static mx_array* prepare(mx_array* a, bool all, int axis, const char* name, mx_stream s, int* ax) {
  if (mx__rs_check(a, name) != 0) return NULL;
  if (all) {
    *ax = 0;
    return mx__rs_flatten(a, s);
  }
  if (a->ndim == 0 || axis < -a->ndim || axis >= a->ndim) {
    mx_error(MX_ERR_INDEX, "[%s] Axis %d is out of bounds for array with %d dimensions.", name,
             axis, a->ndim);
    return NULL;
  }
  *ax = axis < 0 ? axis + a->ndim : axis;
  mx_array_retain(a);
  return a;
}

static mx_array* sort_node(mx_array* a, bool all, int axis, int kth, mx_prim prim, bool indices,
                           const char* name, mx_stream s) {
  int ax;
  mx_array* x = prepare(a, all, axis, name, s, &ax);
  if (!x) return NULL;
  if (kth != INT32_MIN) {
    int n = x->shape[ax];
    if (kth < -n || kth >= n) {
      char sb[MX__SHAPE_BUF];
      mx_error(MX_ERR_VALUE, "[%s] Received invalid kth %d along axis %d for array with shape: %s",
               name, kth, axis, mx_shape_str(x->ndim, x->shape, sb, sizeof sb));
      mx_array_release(x);
      return NULL;
    }
    kth = kth < 0 ? kth + n : kth;
  } else {
    kth = 0;
  }
  mx_sort_params p = {.axis = ax, .kth = kth};
  mx_array* r = mx_array_make(prim, &p, sizeof p, s, 1, &x, indices ? MX_UINT32 : x->dtype,
                              x->ndim, x->shape);
  mx_array_release(x);
  return r;
}

mx_array* mx_sort(mx_array* a, bool all, int axis, mx_stream s) {
  return sort_node(a, all, axis, INT32_MIN, MX_PRIM_SORT, false, "sort", s);
}
mx_array* mx_argsort(mx_array* a, bool all, int axis, mx_stream s) {
  return sort_node(a, all, axis, INT32_MIN, MX_PRIM_ARGSORT, true, "argsort", s);
}
mx_array* mx_partition(mx_array* a, int kth, bool all, int axis, mx_stream s) {
  if (kth == INT32_MIN) kth = INT32_MIN + 1; /* still out of range, but not the "no kth" marker */
  return sort_node(a, all, axis, kth, MX_PRIM_PARTITION, false, "partition", s);
}
mx_array* mx_argpartition(mx_array* a, int kth, bool all, int axis, mx_stream s) {
  if (kth == INT32_MIN) kth = INT32_MIN + 1;
  return sort_node(a, all, axis, kth, MX_PRIM_ARGPARTITION, true, "argpartition", s);
}

mx_array* mx_topk(mx_array* a, int k, bool all, int axis, mx_stream s) {
  int ax;
  mx_array* x = prepare(a, all, axis, "topk", s, &ax);
  if (!x) return NULL;
  int n = x->shape[ax];
  if (k < 0 || k > n) {
    char sb[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE, "[topk] Received invalid k=%d along axis %d for array with shape: %s",
             k, axis, mx_shape_str(x->ndim, x->shape, sb, sizeof sb));
    mx_array_release(x);
    return NULL;
  }
  mx_array* p = k == 0 ? x : mx_partition(x, n - k, false, ax, s);
  if (p != x) mx_array_release(x);
  if (!p) return NULL;
  int nd = p->ndim, start[nd], stop[nd];
  for (int i = 0; i < nd; i++) {
    start[i] = 0;
    stop[i] = p->shape[i];
  }
  start[ax] = n - k;
  mx_array* r = mx_slice(p, nd, start, stop, NULL, s);
  mx_array_release(p);
  return r;
}

mx_array* mx_searchsorted(mx_array* seq, mx_array* values, bool right, mx_stream s) {
  if (mx__rs_check(seq, "searchsorted") != 0 || mx__rs_check(values, "searchsorted") != 0)
    return NULL;
  if (seq->ndim != 1) {
    mx_error(MX_ERR_VALUE, "[searchsorted] The sorted sequence must be 1-D but has %d dimensions.",
             seq->ndim);
    return NULL;
  }
  /* Both sides are compared in their promoted dtype, with the sort order
   * (NaN after everything). */
  mx_dtype dt = mx_promote_types(seq->dtype, values->dtype);
  mx_array* in[2] = {mx__as_dtype(seq, dt, s), mx__as_dtype(values, dt, s)};
  mx_array* r = NULL;
  if (in[0] && in[1]) {
    mx_searchsorted_params p = {.right = right ? 1 : 0};
    r = mx_array_make(MX_PRIM_SEARCHSORTED, &p, sizeof p, s, 2, in, MX_UINT32, values->ndim,
                      values->shape);
  }
  for (int i = 0; i < 2; i++)
    if (in[i]) mx_array_release(in[i]);
  return r;
}
