/* Slice constructors: static slices (a view node), slice updates (a copy
 * with one strided window replaced or combined), and the dynamic forms
 * whose starts are an array read when the graph runs. */
#include <stdlib.h>

#include "ops_internal.h"

/* Normalises one Python-style slice against a dim of size n: returns the
 * first index and writes the number of elements.  Mirrors
 * PySlice_AdjustIndices: negative bounds count from the end, then clamp. */
static int64_t norm_slice(int64_t start, int64_t stop, int64_t step, int64_t n, int64_t* len) {
  if (start < 0) {
    start += n;
    if (start < 0) start = step < 0 ? -1 : 0;
  } else if (start >= n) {
    start = step < 0 ? n - 1 : n;
  }
  if (stop < 0) {
    stop += n;
    if (stop < 0) stop = step < 0 ? -1 : 0;
  } else if (stop >= n) {
    stop = step < 0 ? n - 1 : n;
  }
  int64_t l = 0;
  if (step > 0 && stop > start) l = (stop - start - 1) / step + 1;
  if (step < 0 && start > stop) l = (start - stop - 1) / (-step) + 1;
  *len = l;
  /* An empty window never reads, but keep its start inside the array so
   * the view's offset stays meaningful. */
  return l == 0 ? 0 : start;
}

/* Builds slice parameters from normalised starts/strides (a new blob). */
static mx_slice_params* slice_params(int ndim, const int64_t* start, const int64_t* strides,
                                     mx_scatter_op op, size_t* size) {
  *size = sizeof(mx_slice_params) + 2 * (size_t)(ndim > 0 ? ndim : 1) * sizeof(int64_t);
  mx_slice_params* p = calloc(1, *size);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[slice] Out of memory.");
    return NULL;
  }
  p->op = op;
  p->ndim = ndim;
  for (int i = 0; i < ndim; i++) {
    p->v[i] = start[i];
    p->v[ndim + i] = strides[i];
  }
  return p;
}

/* Normalises start/stop/strides for every axis of a. */
static int normalize_all(const mx_array* a, int ndim, const int* start, const int* stop,
                         const int* strides, const char* what, int64_t* nstart, int64_t* nstep,
                         int* shape) {
  if (ndim != a->ndim)
    return mx_error(MX_ERR_VALUE,
                    "[%s] Invalid number of indices or strides for array with dimension %d.",
                    what, a->ndim);
  for (int i = 0; i < ndim; i++) {
    int64_t st = strides ? strides[i] : 1;
    if (st == 0) return mx_error(MX_ERR_VALUE, "[%s] Slice step cannot be zero.", what);
    int64_t len;
    nstart[i] = norm_slice(start[i], stop[i], st, a->shape[i], &len);
    nstep[i] = st;
    shape[i] = (int)len;
  }
  return 0;
}

mx_array* mx_slice_strided(mx_array* a, const int64_t* start, const int* shape,
                           const int64_t* strides, mx_stream s) {
  int nd = a->ndim;
  bool whole = true;
  for (int i = 0; i < nd; i++)
    if (start[i] != 0 || strides[i] != 1 || shape[i] != a->shape[i]) whole = false;
  if (whole) {
    mx_array_retain(a);
    return a;
  }
  size_t ps;
  mx_slice_params* p = slice_params(nd, start, strides, MX_SCATTER_NONE, &ps);
  if (!p) return NULL;
  mx_array* out = mx_array_make(MX_PRIM_SLICE, p, ps, s, 1, &a, a->dtype, nd, shape);
  free(p);
  return out;
}

mx_array* mx_slice(mx_array* a, int ndim, const int* start, const int* stop, const int* strides,
                   mx_stream s) {
  if (!a || (ndim > 0 && (!start || !stop))) {
    mx_error(MX_ERR_VALUE, "[slice] Invalid (null) argument.");
    return NULL;
  }
  int cap = ndim > 0 ? ndim : 1;
  int64_t ns[cap], nst[cap];
  int shape[cap];
  if (normalize_all(a, ndim, start, stop, strides, "slice", ns, nst, shape) != 0) return NULL;
  return mx_slice_strided(a, ns, shape, nst, s);
}

mx_array* mx_slice_update_strided(mx_array* src, mx_array* update, const int64_t* start,
                                  const int* shape, const int64_t* strides, mx_scatter_op op,
                                  mx_stream s) {
  int nd = src->ndim;
  /* MLX broadcasts the update to the window and casts it to src's dtype. */
  if (mx__check_broadcast_to(update, nd, shape) != 0) return NULL;
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  if (n == 0) {
    mx_array_retain(src);
    return src;
  }
  mx_array* u = mx__as_dtype(update, src->dtype, s);
  mx_array* ub = u ? mx__broadcast_unchecked(u, nd, shape, s) : NULL;
  mx_array_release(u);
  if (!ub) return NULL;
  size_t ps;
  mx_slice_params* p = slice_params(nd, start, strides, op, &ps);
  mx_array* out = NULL;
  if (p) {
    mx_array* in[2] = {src, ub};
    out = mx_array_make(MX_PRIM_SLICE_UPDATE, p, ps, s, 2, in, src->dtype, nd, src->shape);
  }
  free(p);
  mx_array_release(ub);
  return out;
}

mx_array* mx_slice_update(mx_array* src, mx_array* update, int ndim, const int* start,
                          const int* stop, const int* strides, mx_scatter_op op, mx_stream s) {
  if (!src || !update || (ndim > 0 && (!start || !stop))) {
    mx_error(MX_ERR_VALUE, "[slice_update] Invalid (null) argument.");
    return NULL;
  }
  if ((unsigned)op > MX_SCATTER_MIN) {
    mx_error(MX_ERR_VALUE, "[slice_update] Invalid update operation.");
    return NULL;
  }
  int cap = ndim > 0 ? ndim : 1;
  int64_t ns[cap], nst[cap];
  int shape[cap];
  if (normalize_all(src, ndim, start, stop, strides, "slice_update", ns, nst, shape) != 0)
    return NULL;
  return mx_slice_update_strided(src, update, ns, shape, nst, op, s);
}

/* Checks the axes of a dynamic slice (distinct, in range) and that `start`
 * is an integer array with one element per axis; writes normalised axes. */
static mx_dyn_slice_params* dyn_params(const mx_array* a, const mx_array* start, int naxes,
                                       const int* axes, const char* what, size_t* size) {
  if (!mx_dtype_is_integer(start->dtype)) {
    mx_error(MX_ERR_VALUE, "[%s] Start indices must be integers, got type %s.", what,
             mx_dtype_name(start->dtype));
    return NULL;
  }
  if (start->size != naxes) {
    mx_error(MX_ERR_VALUE, "[%s] Number of starting indices %lld does not match number of "
             "axes %d.", what, (long long)start->size, naxes);
    return NULL;
  }
  *size = sizeof(mx_dyn_slice_params) + (size_t)(naxes > 0 ? naxes : 1) * sizeof(int);
  mx_dyn_slice_params* p = calloc(1, *size);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", what);
    return NULL;
  }
  p->naxes = naxes;
  for (int k = 0; k < naxes; k++) {
    int ax;
    if (mx_normalize_axis(axes[k], a->ndim, what, &ax) != 0) {
      free(p);
      return NULL;
    }
    for (int j = 0; j < k; j++) {
      if (p->axes[j] == ax) {
        mx_error(MX_ERR_VALUE, "[%s] Repeated axes are not allowed.", what);
        free(p);
        return NULL;
      }
    }
    p->axes[k] = ax;
  }
  return p;
}

mx_array* mx_slice_dynamic(mx_array* a, mx_array* start, int naxes, const int* axes,
                           int nsizes, const int* slice_size, mx_stream s) {
  if (!a || !start || (naxes > 0 && !axes) || (nsizes > 0 && !slice_size)) {
    mx_error(MX_ERR_VALUE, "[slice] Invalid (null) argument.");
    return NULL;
  }
  /* As in MLX, slice_size is the whole output shape; only the axes listed
   * take their start from the array (the others start at 0). */
  if (nsizes != a->ndim) {
    mx_error(MX_ERR_VALUE, "[slice] Invalid slice size for array with %d dimensions.", a->ndim);
    return NULL;
  }
  for (int i = 0; i < nsizes; i++) {
    if (slice_size[i] < 0 || slice_size[i] > a->shape[i]) {
      char s1[MX__SHAPE_BUF], s2[MX__SHAPE_BUF];
      mx_error(MX_ERR_VALUE, "[slice] Invalid slice size %s for array with shape %s.",
               mx_shape_str(nsizes, slice_size, s1, sizeof s1),
               mx_shape_str(a->ndim, a->shape, s2, sizeof s2));
      return NULL;
    }
  }
  size_t ps;
  mx_dyn_slice_params* p = dyn_params(a, start, naxes, axes, "slice", &ps);
  if (!p) return NULL;
  int nd = a->ndim;
  mx_array* in[2] = {a, start};
  mx_array* out =
      mx_array_make(MX_PRIM_DYNAMIC_SLICE, p, ps, s, 2, in, a->dtype, nd, slice_size);
  free(p);
  return out;
}

mx_array* mx_slice_update_dynamic(mx_array* src, mx_array* update, mx_array* start, int naxes,
                                  const int* axes, mx_stream s) {
  if (!src || !update || !start || (naxes > 0 && !axes)) {
    mx_error(MX_ERR_VALUE, "[slice_update] Invalid (null) argument.");
    return NULL;
  }
  size_t ps;
  mx_dyn_slice_params* p = dyn_params(src, start, naxes, axes, "slice_update", &ps);
  if (!p) return NULL;
  int nd = src->ndim;
  mx_array* out = NULL;
  /* As in MLX, the window has the update's shape (right-aligned, missing
   * leading dims count as 1) and starts at 0 on the axes not listed. */
  int win[nd > 0 ? nd : 1];
  int lead = nd - update->ndim;
  if (lead < 0) {
    mx_error(MX_ERR_VALUE, "[slice_update] Update has more dimensions than the source.");
    goto done;
  }
  for (int i = 0; i < nd; i++) {
    win[i] = i >= lead ? update->shape[i - lead] : 1;
    if (win[i] > src->shape[i]) {
      mx_error(MX_ERR_VALUE, "[slice_update] Update is larger than the source on axis %d.", i);
      goto done;
    }
  }
  if (mx__check_broadcast_to(update, nd, win) != 0) goto done;
  mx_array* u = mx__as_dtype(update, src->dtype, s);
  mx_array* ub = u ? mx__broadcast_unchecked(u, nd, win, s) : NULL;
  mx_array_release(u);
  if (ub) {
    mx_array* in[3] = {src, ub, start};
    out = mx_array_make(MX_PRIM_DYNAMIC_SLICE_UPDATE, p, ps, s, 3, in, src->dtype, nd,
                        src->shape);
    mx_array_release(ub);
  }
done:
  free(p);
  return out;
}
