/* Joining and repetition: concatenate, stack, broadcast_arrays, meshgrid,
 * repeat, tile, pad, roll and diag (of a vector).  Concatenate and pad have
 * kernels; the rest are built from views, broadcasts and reshapes. */
#include <stdlib.h>
#include <string.h>

#include "ops_internal.h"

mx_array* mx_concatenate(int n, mx_array* const* arrays, int axis, mx_stream s) {
  if (n <= 0 || !arrays) {
    mx_error(MX_ERR_VALUE, "[concatenate] No arrays provided for concatenation");
    return NULL;
  }
  for (int i = 0; i < n; i++)
    if (!arrays[i]) {
      mx_error(MX_ERR_VALUE, "[concatenate] Invalid (null) array argument.");
      return NULL;
    }
  int nd = arrays[0]->ndim, ax;
  if (axis < -nd || axis >= nd) {
    mx_error(MX_ERR_INDEX, "[concatenate] Axis %d is out of bounds for array with %d dimensions.",
             axis, nd);
    return NULL;
  }
  ax = axis < 0 ? axis + nd : axis;
  int shape[nd];
  memcpy(shape, arrays[0]->shape, (size_t)nd * sizeof(int));
  int64_t total = 0;
  mx_dtype t = arrays[0]->dtype;
  for (int i = 0; i < n; i++) {
    const mx_array* x = arrays[i];
    if (x->ndim != nd) {
      mx_error(MX_ERR_VALUE,
               "[concatenate] All the input arrays must have the same number of dimensions. "
               "However, got arrays with dimensions %d and %d.",
               nd, x->ndim);
      return NULL;
    }
    for (int k = 0; k < nd; k++) {
      if (k != ax && x->shape[k] != shape[k]) {
        char s1[MX__SHAPE_BUF], s2[MX__SHAPE_BUF];
        mx_error(MX_ERR_VALUE,
                 "[concatenate] All the input array dimensions must match exactly except for "
                 "the concatenation axis. However, the provided shapes are %s, %s, and the "
                 "concatenation axis is %d.",
                 mx_shape_str(nd, shape, s1, sizeof s1), mx_shape_str(nd, x->shape, s2, sizeof s2),
                 ax);
        return NULL;
      }
    }
    total += x->shape[ax];
    t = mx_promote_types(t, x->dtype);
  }
  if (total > INT32_MAX) {
    mx_error(MX_ERR_VALUE, "[concatenate] The result's axis %d is too large.", ax);
    return NULL;
  }
  shape[ax] = (int)total;
  if (n == 1 && arrays[0]->dtype == t) {
    mx_array_retain(arrays[0]);
    return arrays[0];
  }
  mx_array** ins = calloc((size_t)n, sizeof *ins);
  if (!ins) {
    mx_error(MX_ERR_MEMORY, "[concatenate] Out of memory.");
    return NULL;
  }
  mx_array* out = NULL;
  int made = 0;
  for (; made < n; made++) {
    ins[made] = mx__as_dtype(arrays[made], t, s);
    if (!ins[made]) goto done;
  }
  mx_concatenate_params p = {ax};
  out = mx_array_make(MX_PRIM_CONCATENATE, &p, sizeof p, s, n, ins, t, nd, shape);
done:
  for (int i = 0; i < made; i++) mx_array_release(ins[i]);
  free(ins);
  return out;
}

mx_array* mx_concatenate_all(int n, mx_array* const* arrays, mx_stream s) {
  if (n <= 0 || !arrays) {
    mx_error(MX_ERR_VALUE, "[concatenate] No arrays provided for concatenation");
    return NULL;
  }
  mx_array** flat = calloc((size_t)n, sizeof *flat);
  if (!flat) {
    mx_error(MX_ERR_MEMORY, "[concatenate] Out of memory.");
    return NULL;
  }
  mx_array* out = NULL;
  int made = 0;
  for (; made < n; made++) {
    flat[made] = mx_flatten(arrays[made], 0, -1, s);
    if (!flat[made]) goto done;
  }
  out = mx_concatenate(n, flat, 0, s);
done:
  for (int i = 0; i < made; i++) mx_array_release(flat[i]);
  free(flat);
  return out;
}

mx_array* mx_stack(int n, mx_array* const* arrays, int axis, mx_stream s) {
  if (n <= 0 || !arrays) {
    mx_error(MX_ERR_VALUE, "[stack] No arrays provided for stacking");
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    if (!arrays[i]) {
      mx_error(MX_ERR_VALUE, "[stack] Invalid (null) array argument.");
      return NULL;
    }
    if (!mx_shape_equal(arrays[i]->ndim, arrays[i]->shape, arrays[0]->ndim, arrays[0]->shape)) {
      mx_error(MX_ERR_VALUE, "[stack] All arrays must have the same shape");
      return NULL;
    }
  }
  int nd = arrays[0]->ndim + 1;
  if (axis < -nd || axis >= nd) {
    mx_error(MX_ERR_INDEX, "[stack] Axis %d is out of bounds for array with %d dimensions.", axis,
             nd);
    return NULL;
  }
  int ax = axis < 0 ? axis + nd : axis;
  mx_array** ex = calloc((size_t)n, sizeof *ex);
  if (!ex) {
    mx_error(MX_ERR_MEMORY, "[stack] Out of memory.");
    return NULL;
  }
  mx_array* out = NULL;
  int made = 0;
  for (; made < n; made++) {
    ex[made] = mx_expand_dims(arrays[made], 1, &ax, s);
    if (!ex[made]) goto done;
  }
  out = mx_concatenate(n, ex, ax, s);
done:
  for (int i = 0; i < made; i++) mx_array_release(ex[i]);
  free(ex);
  return out;
}

int mx_broadcast_arrays(int n, mx_array* const* arrays, mx_stream s, mx_array** out) {
  if (n <= 0) return 0;
  int nd = 0;
  for (int i = 0; i < n; i++) {
    if (!arrays[i]) return mx_error(MX_ERR_VALUE, "[broadcast_arrays] Invalid (null) array.");
    if (arrays[i]->ndim > nd) nd = arrays[i]->ndim;
  }
  int shape[nd > 0 ? nd : 1], tmp[nd > 0 ? nd : 1];
  int snd = arrays[0]->ndim;
  memcpy(shape, arrays[0]->shape, (size_t)snd * sizeof(int));
  for (int i = 1; i < n; i++) {
    int tnd;
    if (mx_broadcast_shapes(snd, shape, arrays[i]->ndim, arrays[i]->shape, &tnd, tmp) != 0)
      return -1;
    snd = tnd;
    memcpy(shape, tmp, (size_t)snd * sizeof(int));
  }
  for (int i = 0; i < n; i++) {
    out[i] = mx__broadcast_unchecked(arrays[i], snd, shape, s);
    if (!out[i]) {
      for (int k = 0; k < i; k++) mx_array_release(out[k]);
      return -1;
    }
  }
  return 0;
}

int mx_meshgrid(int n, mx_array* const* arrays, bool sparse, const char* indexing, mx_stream s,
                mx_array** out) {
  bool xy;
  if (indexing && strcmp(indexing, "xy") == 0) xy = true;
  else if (indexing && strcmp(indexing, "ij") == 0) xy = false;
  else
    return mx_error(MX_ERR_VALUE,
                    "[meshgrid] Invalid indexing value. Valid values are 'xy' and 'ij'.");
  if (n <= 0) return 0;
  for (int i = 0; i < n; i++)
    if (!arrays[i]) return mx_error(MX_ERR_VALUE, "[meshgrid] Invalid (null) array.");
  if (n == 1) {
    /* One input is returned flattened, as in MLX. */
    out[0] = mx_flatten(arrays[0], 0, -1, s);
    return out[0] ? 0 : -1;
  }
  /* Input i (flattened) lies along dim i; "xy" swaps the first two dims. */
  int shape[n], full[n];
  for (int i = 0; i < n; i++) {
    int d = i;
    if (xy && i < 2) d = 1 - i;
    full[d] = (int)arrays[i]->size;
  }
  for (int i = 0; i < n; i++) {
    int d = i;
    if (xy && i < 2) d = 1 - i;
    for (int k = 0; k < n; k++) shape[k] = 1;
    shape[d] = (int)arrays[i]->size;
    mx_array* r = mx_reshape(arrays[i], n, shape, s);
    if (r && !sparse) {
      mx_array* b = mx_broadcast_to(r, n, full, s);
      mx_array_release(r);
      r = b;
    }
    if (!r) {
      for (int k = 0; k < i; k++) mx_array_release(out[k]);
      return -1;
    }
    out[i] = r;
  }
  return 0;
}

/* Inserts a dim of size `times` after `ax` (broadcast), then merges it into
 * dim ax: element k of dim ax appears `times` times in a row. */
mx_array* mx_repeat(mx_array* a, int repeats, int axis, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[repeat] Invalid (null) array argument.");
    return NULL;
  }
  int nd = a->ndim, ax;
  if (axis < -nd || axis >= nd) {
    mx_error(MX_ERR_INDEX, "[repeat] Axis %d is out of bounds for array with %d dimensions.", axis,
             nd);
    return NULL;
  }
  ax = axis < 0 ? axis + nd : axis;
  if (repeats < 0) {
    mx_error(MX_ERR_VALUE, "[repeat] Number of repeats cannot be negative");
    return NULL;
  }
  if ((int64_t)a->shape[ax] * repeats > INT32_MAX) {
    mx_error(MX_ERR_VALUE, "[repeat] The result is too large.");
    return NULL;
  }
  int bshape[nd + 1], oshape[nd];
  for (int i = 0, k = 0; i < nd; i++) {
    bshape[k++] = a->shape[i];
    if (i == ax) bshape[k++] = repeats;
    oshape[i] = a->shape[i] * (i == ax ? repeats : 1);
  }
  int e = ax + 1;
  mx_array* x = mx_expand_dims(a, 1, &e, s);
  mx_array* b = x ? mx_broadcast_to(x, nd + 1, bshape, s) : NULL;
  mx_array* out = b ? mx_reshape(b, nd, oshape, s) : NULL;
  if (x) mx_array_release(x);
  if (b) mx_array_release(b);
  return out;
}

mx_array* mx_repeat_flat(mx_array* a, int repeats, mx_stream s) {
  mx_array* f = mx_flatten(a, 0, -1, s);
  if (!f) return NULL;
  mx_array* out = mx_repeat(f, repeats, 0, s);
  mx_array_release(f);
  return out;
}

/* Each dim i becomes (reps[i], shape[i]) by broadcasting, then merges. */
mx_array* mx_tile(mx_array* a, int nreps, const int* reps, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[tile] Invalid (null) array argument.");
    return NULL;
  }
  if (nreps < 0 || (nreps > 0 && !reps)) {
    mx_error(MX_ERR_VALUE, "[tile] Invalid reps.");
    return NULL;
  }
  int nd = a->ndim > nreps ? a->ndim : nreps;
  int r[nd > 0 ? nd : 1], sh[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) {
    int ri = i - (nd - nreps), si = i - (nd - a->ndim);
    r[i] = ri >= 0 ? reps[ri] : 1;
    sh[i] = si >= 0 ? a->shape[si] : 1;
    if (r[i] < 0) {
      mx_error(MX_ERR_VALUE, "[broadcast_to] Negative dimensions not allowed.");
      return NULL;
    }
    if ((int64_t)r[i] * sh[i] > INT32_MAX) {
      mx_error(MX_ERR_VALUE, "[tile] The result is too large.");
      return NULL;
    }
  }
  int xshape[2 * nd > 0 ? 2 * nd : 1], bshape[2 * nd > 0 ? 2 * nd : 1], oshape[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) {
    xshape[2 * i] = 1;
    xshape[2 * i + 1] = sh[i];
    bshape[2 * i] = r[i];
    bshape[2 * i + 1] = sh[i];
    oshape[i] = r[i] * sh[i];
  }
  mx_array* x = mx_reshape(a, 2 * nd, xshape, s);
  mx_array* b = x ? mx_broadcast_to(x, 2 * nd, bshape, s) : NULL;
  mx_array* out = b ? mx_reshape(b, nd, oshape, s) : NULL;
  if (x) mx_array_release(x);
  if (b) mx_array_release(b);
  return out;
}

mx_array* mx_pad(mx_array* a, int naxes, const int* axes, const int* lo, const int* hi,
                 mx_array* value, const char* mode, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[pad] Invalid (null) array argument.");
    return NULL;
  }
  int m;
  if (!mode || strcmp(mode, "constant") == 0) m = MX_PAD_CONSTANT;
  else if (strcmp(mode, "edge") == 0) m = MX_PAD_EDGE;
  else if (strcmp(mode, "reflect") == 0) m = MX_PAD_REFLECT;
  else if (strcmp(mode, "symmetric") == 0) m = MX_PAD_SYMMETRIC;
  else {
    mx_error(MX_ERR_VALUE, "Invalid padding mode (%s) passed to pad", mode);
    return NULL;
  }
  int nd = a->ndim;
  if (naxes < 0 || (naxes > 0 && (!axes || !lo || !hi))) {
    mx_error(MX_ERR_VALUE, "[pad] Invalid axes or padding sizes.");
    return NULL;
  }
  size_t psize = sizeof(mx_pad_params) + 2 * (size_t)nd * sizeof(int);
  mx_pad_params* p = calloc(1, psize);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[pad] Out of memory.");
    return NULL;
  }
  p->mode = m;
  p->ndim = nd;
  int shape[nd > 0 ? nd : 1];
  if (nd) memcpy(shape, a->shape, (size_t)nd * sizeof(int));
  mx_array* out = NULL;
  mx_array* v = NULL;
  for (int i = 0; i < naxes; i++) {
    int ax;
    if (mx_normalize_axis(axes[i], nd, "pad", &ax) != 0) goto done;
    if (lo[i] < 0) {
      mx_error(MX_ERR_VALUE,
               "Invalid low padding size (%d) passed to pad for axis %d. Padding sizes must be "
               "non-negative",
               lo[i], i);
      goto done;
    }
    if (hi[i] < 0) {
      mx_error(MX_ERR_VALUE,
               "Invalid high padding size (%d) passed to pad for axis %d. Padding sizes must be "
               "non-negative",
               hi[i], i);
      goto done;
    }
    if ((int64_t)shape[ax] + lo[i] + hi[i] > INT32_MAX) {
      mx_error(MX_ERR_VALUE, "[pad] The result is too large.");
      goto done;
    }
    p->widths[ax] = lo[i];
    p->widths[nd + ax] = hi[i];
    shape[ax] = a->shape[ax] + lo[i] + hi[i];
  }
  if (value) {
    if (value->size != 1) {
      mx_error(MX_ERR_VALUE, "[pad] The padding value must be a scalar.");
      goto done;
    }
    int one = 1;
    mx_array* t = mx__as_dtype(value, a->dtype, s);
    v = t ? mx_reshape(t, 0, &one, s) : NULL;
    if (t) mx_array_release(t);
  } else {
    v = mx_array_scalar_f64(0, a->dtype);
  }
  if (!v) goto done;
  mx_array* ins[2] = {a, v};
  out = mx_array_make(MX_PRIM_PAD, p, psize, s, 2, ins, a->dtype, nd, shape);
done:
  if (v) mx_array_release(v);
  free(p);
  return out;
}

/* Rolls one axis: the last `shift` elements (mod the size) move to the
 * front, i.e. concatenate(a[n-k:], a[:k']) as two views. */
static mx_array* roll_axis(mx_array* a, int shift, int ax, mx_stream s) {
  int n = a->shape[ax];
  if (n == 0) {
    mx_array_retain(a);
    return a;
  }
  int k = (int)(((int64_t)shift % n + n) % n);
  if (k == 0) {
    mx_array_retain(a);
    return a;
  }
  int idx = n - k;
  int np = 0;
  mx_array** parts = mx_split_sections(a, 1, &idx, ax, s, &np);
  if (!parts) return NULL;
  mx_array* swapped[2] = {parts[1], parts[0]};
  mx_array* out = mx_concatenate(2, swapped, ax, s);
  mx_array_list_free(parts, np);
  return out;
}

mx_array* mx_roll(mx_array* a, int nshift, const int* shift, int naxes, const int* axes,
                  mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[roll] Invalid (null) array argument.");
    return NULL;
  }
  if (nshift <= 0 || !shift) {
    mx_error(MX_ERR_VALUE, "[roll] At least one shift value is required.");
    return NULL;
  }
  if (!axes) {
    int64_t total = 0;
    for (int i = 0; i < nshift; i++) total += shift[i];
    mx_array* f = mx_flatten(a, 0, -1, s);
    if (!f) return NULL;
    int64_t n = f->size;
    int sh = n ? (int)(total % n) : 0;
    mx_array* r = roll_axis(f, sh, 0, s);
    mx_array_release(f);
    mx_array* out = r ? mx_reshape(r, a->ndim, a->shape, s) : NULL;
    if (r) mx_array_release(r);
    return out;
  }
  if (nshift != 1 && nshift < naxes) {
    mx_error(MX_ERR_VALUE, "[roll] %d shifts given for %d axes.", nshift, naxes);
    return NULL;
  }
  int norm[naxes > 0 ? naxes : 1];
  for (int i = 0; i < naxes; i++)
    if (mx_normalize_axis(axes[i], a->ndim, "roll", &norm[i]) != 0) return NULL;
  mx_array_retain(a);
  mx_array* cur = a;
  for (int i = 0; i < naxes; i++) {
    mx_array* next = roll_axis(cur, nshift == 1 ? shift[0] : shift[i], norm[i], s);
    mx_array_release(cur);
    if (!next) return NULL;
    cur = next;
  }
  return cur;
}

/* A vector v becomes the n x n matrix (n = len + |k|) with v on diagonal k.
 * Row i of [v[:, None], zeros(len, len)] flattened puts v[i] at i*(len+1),
 * i.e. on the diagonal of a len x len matrix; padding then shifts it. */
static mx_array* diag_matrix(mx_array* v, int k, mx_stream s) {
  int len = v->shape[0];
  if ((int64_t)len + (k < 0 ? -(int64_t)k : k) > INT32_MAX) {
    mx_error(MX_ERR_VALUE, "[diag] The result is too large.");
    return NULL;
  }
  int col_shape[2] = {len, 1}, zshape[2] = {len, len}, sq[2] = {len, len};
  mx_array *col = NULL, *z = NULL, *cat = NULL, *flat = NULL, *head = NULL, *m = NULL,
           *out = NULL;
  col = mx_reshape(v, 2, col_shape, s);
  z = col ? mx_zeros(2, zshape, v->dtype, s) : NULL;
  if (z) {
    mx_array* pair[2] = {col, z};
    cat = mx_concatenate(2, pair, 1, s);
  }
  flat = cat ? mx_flatten(cat, 0, -1, s) : NULL;
  if (flat) {
    int idx = len * len;
    int np = 0;
    mx_array** parts = mx_split_sections(flat, 1, &idx, 0, s, &np);
    if (parts) {
      head = parts[0];
      mx_array_retain(head);
      mx_array_list_free(parts, np);
    }
  }
  m = head ? mx_reshape(head, 2, sq, s) : NULL;
  if (m) {
    if (k == 0) {
      out = m;
      mx_array_retain(out);
    } else {
      int axes[2] = {0, 1};
      int lo[2] = {k < 0 ? -k : 0, k > 0 ? k : 0};
      int hi[2] = {k > 0 ? k : 0, k < 0 ? -k : 0};
      out = mx_pad(m, 2, axes, lo, hi, NULL, "constant", s);
    }
  }
  mx_array* tmp[] = {col, z, cat, flat, head, m};
  for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
    if (tmp[i]) mx_array_release(tmp[i]);
  return out;
}

mx_array* mx_diag(mx_array* a, int k, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[diag] Invalid (null) array argument.");
    return NULL;
  }
  if (a->ndim == 1) return diag_matrix(a, k, s);
  if (a->ndim == 2) return mx_diagonal(a, k, 0, 1, s);
  mx_error(MX_ERR_VALUE, "[diag] array must be 1-D or 2-D, got array with %d dimensions.",
           a->ndim);
  return NULL;
}
