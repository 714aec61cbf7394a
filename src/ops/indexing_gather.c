/* Gather/scatter constructors: MLX's general gather and scatter, the
 * take family built on them, the along-axis forms and masked_scatter. */
#include <stdlib.h>

#include "ops_internal.h"

static int check_indices(const mx_array* idx, const char* what) {
  if (!idx) return mx_error(MX_ERR_VALUE, "[%s] Invalid (null) index array.", what);
  if (!mx_dtype_is_integer(idx->dtype))
    return mx_error(MX_ERR_VALUE, "[%s] Got indices with invalid dtype. Indices must be integral.",
                    what);
  return 0;
}

/* Broadcasts n index arrays to their common shape: writes new references
 * to out[] and the shape to (*bnd, bshape, which holds MX__MAX_DIMS). */
#define MAX_DIMS 64
static int broadcast_indices(int n, mx_array* const* idx, const char* what, mx_array** out,
                             int* bnd, int* bshape, mx_stream s) {
  int nd = 0;
  for (int k = 0; k < n; k++) {
    if (check_indices(idx[k], what) != 0) return -1;
    if (idx[k]->ndim > MAX_DIMS)
      return mx_error(MX_ERR_VALUE, "[%s] Too many index dimensions.", what);
    int tmp[MAX_DIMS], tnd;
    if (mx_broadcast_shapes(nd, bshape, idx[k]->ndim, idx[k]->shape, &tnd, tmp) != 0) return -1;
    nd = tnd;
    for (int i = 0; i < nd; i++) bshape[i] = tmp[i];
  }
  for (int k = 0; k < n; k++) {
    out[k] = mx__broadcast_unchecked(idx[k], nd, bshape, s);
    if (!out[k]) {
      for (int j = 0; j < k; j++) mx_array_release(out[j]);
      return -1;
    }
  }
  *bnd = nd;
  return 0;
}

static void release_all(int n, mx_array** a) {
  for (int k = 0; k < n; k++) mx_array_release(a[k]);
}

/* Axis list of gather/scatter as a params blob (normalised, distinct). */
static mx_gather_params* gather_params(const mx_array* a, int n, const int* axes, int op,
                                       const char* what, size_t* size) {
  *size = sizeof(mx_gather_params) + (size_t)(n > 0 ? n : 1) * sizeof(int);
  mx_gather_params* p = calloc(1, *size);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", what);
    return NULL;
  }
  p->op = op;
  p->naxes = n;
  for (int k = 0; k < n; k++) {
    int ax;
    if (mx_normalize_axis(axes[k], a->ndim, what, &ax) != 0) goto fail;
    for (int j = 0; j < k; j++)
      if (p->axes[j] == ax) {
        mx_error(MX_ERR_VALUE, "[%s] Repeated axes are not allowed.", what);
        goto fail;
      }
    p->axes[k] = ax;
  }
  return p;
fail:
  free(p);
  return NULL;
}

mx_array* mx_gather(mx_array* a, int n, mx_array* const* indices, const int* axes,
                    const int* slice_sizes, mx_stream s) {
  if (!a || n < 0 || (n > 0 && (!indices || !axes)) || (a->ndim > 0 && !slice_sizes)) {
    mx_error(MX_ERR_VALUE, "[gather] Invalid (null) argument.");
    return NULL;
  }
  if (n > a->ndim || n > MAX_DIMS) {
    mx_error(MX_ERR_VALUE, "[gather] Too many index arrays (%d) for array with %d dimensions.",
             n, a->ndim);
    return NULL;
  }
  for (int i = 0; i < a->ndim; i++) {
    if (slice_sizes[i] < 0 || slice_sizes[i] > a->shape[i]) {
      mx_error(MX_ERR_VALUE, "[gather] Slice sizes must be in [0, dim]; got %d on axis %d of "
               "size %d.", slice_sizes[i], i, a->shape[i]);
      return NULL;
    }
  }
  size_t ps;
  mx_gather_params* p = gather_params(a, n, axes, MX_SCATTER_NONE, "gather", &ps);
  if (!p) return NULL;
  mx_array* in[MAX_DIMS + 1];
  int bnd = 0, bshape[MAX_DIMS];
  mx_array* out = NULL;
  if (broadcast_indices(n, indices, "gather", in + 1, &bnd, bshape, s) == 0) {
    in[0] = a;
    int ond = bnd + a->ndim;
    int oshape[ond > 0 ? ond : 1];
    for (int i = 0; i < bnd; i++) oshape[i] = bshape[i];
    for (int i = 0; i < a->ndim; i++) oshape[bnd + i] = slice_sizes[i];
    out = mx_array_make(MX_PRIM_GATHER, p, ps, s, n + 1, in, a->dtype, ond, oshape);
    release_all(n, in + 1);
  }
  free(p);
  return out;
}

mx_array* mx_scatter(mx_array* a, int n, mx_array* const* indices, mx_array* updates,
                     const int* axes, mx_scatter_op op, mx_stream s) {
  if (!a || !updates || n < 0 || (n > 0 && (!indices || !axes))) {
    mx_error(MX_ERR_VALUE, "[scatter] Invalid (null) argument.");
    return NULL;
  }
  if ((unsigned)op > MX_SCATTER_MIN) {
    mx_error(MX_ERR_VALUE, "[scatter] Invalid scatter operation.");
    return NULL;
  }
  if (n > a->ndim) {
    mx_error(MX_ERR_VALUE, "[scatter] Too many index arrays (%d) for array with %d dimensions.",
             n, a->ndim);
    return NULL;
  }
  if (a->ndim > MAX_DIMS) {
    mx_error(MX_ERR_VALUE, "[scatter] Too many dimensions.");
    return NULL;
  }
  size_t ps;
  mx_gather_params* p = gather_params(a, n, axes, op, "scatter", &ps);
  if (!p) return NULL;
  mx_array* in[MAX_DIMS + 2];
  int bnd = 0, bshape[MAX_DIMS];
  mx_array* out = NULL;
  if (broadcast_indices(n, indices, "scatter", in + 1, &bnd, bshape, s) != 0) goto done;
  int und = bnd + a->ndim;
  if (updates->ndim != und) {
    mx_error(MX_ERR_VALUE, "[scatter] Updates with %d dimensions does not match the sum of the "
             "array (%d) and indices (%d) dimensions.", updates->ndim, a->ndim, bnd);
    release_all(n, in + 1);
    goto done;
  }
  int ushape[2 * MAX_DIMS];
  for (int i = 0; i < bnd; i++) ushape[i] = bshape[i];
  bool bad = false;
  for (int i = 0; i < a->ndim; i++) {
    ushape[bnd + i] = updates->shape[bnd + i];
    if (ushape[bnd + i] > a->shape[i]) bad = true;
  }
  if (bad) {
    mx_error(MX_ERR_VALUE, "[scatter] Update slices must not be larger than the array.");
    release_all(n, in + 1);
    goto done;
  }
  mx_array* u = NULL;
  if (mx__check_broadcast_to(updates, und, ushape) == 0) {
    mx_array* c = mx__as_dtype(updates, a->dtype, s);
    u = c ? mx__broadcast_unchecked(c, und, ushape, s) : NULL;
    mx_array_release(c);
  }
  if (u) {
    in[0] = a;
    in[n + 1] = u;
    out = mx_array_make(MX_PRIM_SCATTER, p, ps, s, n + 2, in, a->dtype, a->ndim, a->shape);
    mx_array_release(u);
  }
  release_all(n, in + 1);
done:
  free(p);
  return out;
}

/* --- take ------------------------------------------------------------------------ */

mx_array* mx_take(mx_array* a, mx_array* indices, int axis, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[take] Invalid (null) array argument.");
    return NULL;
  }
  if (check_indices(indices, "take") != 0) return NULL;
  int ax;
  if (mx_normalize_axis(axis, a->ndim, "take", &ax) != 0) return NULL;
  if (a->shape[ax] == 0 && indices->size > 0) {
    mx_error(MX_ERR_VALUE, "[take] Cannot do a non-empty take from an array with zero elements.");
    return NULL;
  }
  int nd = a->ndim, k = indices->ndim;
  int ss[nd];
  for (int i = 0; i < nd; i++) ss[i] = i == ax ? (a->shape[i] > 0 ? 1 : 0) : a->shape[i];
  mx_array* g = mx_gather(a, 1, &indices, &ax, ss, s);
  if (!g) return NULL;
  /* g is indices.shape + a.shape with a 1 on `ax`: drop that dim, then
   * move the index dims to where `ax` was. */
  int rnd = k + nd - 1;
  int rshape[rnd > 0 ? rnd : 1];
  for (int i = 0; i < k; i++) rshape[i] = indices->shape[i];
  for (int i = 0, j = k; i < nd; i++)
    if (i != ax) rshape[j++] = a->shape[i];
  mx_array* r = mx_reshape(g, rnd, rshape, s);
  mx_array_release(g);
  if (!r || ax == 0 || k == 0) return r;
  int perm[rnd];
  int j = 0;
  for (int i = 0; i < ax; i++) perm[j++] = k + i;
  for (int i = 0; i < k; i++) perm[j++] = i;
  for (int i = k + ax; i < rnd; i++) perm[j++] = i;
  mx_array* t = mx_transpose(r, rnd, perm, s);
  mx_array_release(r);
  return t;
}

mx_array* mx_take_all(mx_array* a, mx_array* indices, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[take] Invalid (null) array argument.");
    return NULL;
  }
  int n = (int)a->size;
  mx_array* f = mx_reshape(a, 1, &n, s);
  if (!f) return NULL;
  mx_array* r = mx_take(f, indices, 0, s);
  mx_array_release(f);
  return r;
}

mx_array* mx_take_int(mx_array* a, int64_t index, int axis, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[take] Invalid (null) array argument.");
    return NULL;
  }
  int ax;
  if (mx_normalize_axis(axis, a->ndim, "take", &ax) != 0) return NULL;
  int64_t n = a->shape[ax];
  if (index < -n || index >= n) {
    mx_error(MX_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld",
             (long long)index, ax, (long long)n);
    return NULL;
  }
  if (index < 0) index += n;
  int nd = a->ndim;
  int64_t start[nd], step[nd];
  int shape[nd];
  for (int i = 0; i < nd; i++) {
    start[i] = i == ax ? index : 0;
    step[i] = 1;
    shape[i] = i == ax ? 1 : a->shape[i];
  }
  mx_array* v = mx_slice_strided(a, start, shape, step, s);
  if (!v) return NULL;
  int rshape[nd > 1 ? nd - 1 : 1];
  for (int i = 0, j = 0; i < nd; i++)
    if (i != ax) rshape[j++] = a->shape[i];
  mx_array* r = mx_reshape(v, nd - 1, rshape, s);
  mx_array_release(v);
  return r;
}

/* --- along an axis ----------------------------------------------------------------- */

/* Broadcast shape of a and indices on every dim but `ax` (where each keeps
 * its own size); writes a's and the indices' target shapes. */
static int along_shapes(const mx_array* a, const mx_array* idx, int ax, const char* what,
                        int* ashape, int* ishape) {
  if (idx->ndim != a->ndim)
    return mx_error(MX_ERR_VALUE, "[%s] Indices of dimension %d does not match array of "
                    "dimension %d.", what, idx->ndim, a->ndim);
  for (int i = 0; i < a->ndim; i++) {
    int da = a->shape[i], di = idx->shape[i];
    if (i == ax) {
      ashape[i] = da;
      ishape[i] = di;
      continue;
    }
    if (da != di && da != 1 && di != 1) {
      char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
      return mx_error(MX_ERR_VALUE, "[%s] Shapes %s and %s cannot be broadcast.", what,
                      mx_shape_str(a->ndim, a->shape, sa, sizeof sa),
                      mx_shape_str(idx->ndim, idx->shape, sb, sizeof sb));
    }
    ashape[i] = ishape[i] = da == 1 ? di : da;
  }
  return 0;
}

mx_array* mx_take_along_axis(mx_array* a, mx_array* indices, int axis, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[take_along_axis] Invalid (null) array argument.");
    return NULL;
  }
  if (check_indices(indices, "take_along_axis") != 0) return NULL;
  int ax;
  if (mx_normalize_axis(axis, a->ndim, "take_along_axis", &ax) != 0) return NULL;
  int nd = a->ndim;
  int ash[nd], ish[nd];
  if (along_shapes(a, indices, ax, "take_along_axis", ash, ish) != 0) return NULL;
  int64_t isize = 1;
  for (int i = 0; i < nd; i++) isize *= ish[i];
  if (a->shape[ax] == 0 && isize > 0) {
    mx_error(MX_ERR_VALUE, "[take_along_axis] Cannot take from an empty axis.");
    return NULL;
  }
  mx_array* ab = mx__broadcast_unchecked(a, nd, ash, s);
  mx_array* ib = ab ? mx__broadcast_unchecked(indices, nd, ish, s) : NULL;
  mx_array* out = NULL;
  if (ib) {
    mx_axis_index_params p = {.op = MX_SCATTER_NONE, .axis = ax};
    mx_array* in[2] = {ab, ib};
    out = mx_array_make(MX_PRIM_GATHER_AXIS, &p, sizeof p, s, 2, in, a->dtype, nd, ish);
  }
  mx_array_release(ab);
  mx_array_release(ib);
  return out;
}

mx_array* mx_take_along_axis_all(mx_array* a, mx_array* indices, mx_stream s) {
  if (!a || !indices) {
    mx_error(MX_ERR_VALUE, "[take_along_axis] Invalid (null) argument.");
    return NULL;
  }
  int na = (int)a->size, ni = (int)indices->size;
  mx_array* fa = mx_reshape(a, 1, &na, s);
  mx_array* fi = fa ? mx_reshape(indices, 1, &ni, s) : NULL;
  mx_array* r = fi ? mx_take_along_axis(fa, fi, 0, s) : NULL;
  if (fa) mx_array_release(fa);
  if (fi) mx_array_release(fi);
  return r;
}

static mx_array* scatter_axis(mx_array* a, mx_array* indices, mx_array* values, int axis,
                              mx_scatter_op op, const char* what, mx_stream s) {
  if (!a || !values) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", what);
    return NULL;
  }
  if (check_indices(indices, what) != 0) return NULL;
  int ax;
  if (mx_normalize_axis(axis, a->ndim, what, &ax) != 0) return NULL;
  int nd = a->ndim;
  int ash[nd], ish[nd];
  if (along_shapes(a, indices, ax, what, ash, ish) != 0) return NULL;
  /* The output is a: indices may broadcast up to it, never beyond. */
  for (int i = 0; i < nd; i++) {
    if (i != ax && ash[i] != a->shape[i]) {
      char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
      mx_error(MX_ERR_VALUE, "[%s] Indices of shape %s cannot be broadcast to the array's "
               "shape %s.", what, mx_shape_str(indices->ndim, indices->shape, sa, sizeof sa),
               mx_shape_str(a->ndim, a->shape, sb, sizeof sb));
      return NULL;
    }
  }
  int64_t isize = 1;
  for (int i = 0; i < nd; i++) isize *= ish[i];
  if (a->shape[ax] == 0 && isize > 0) {
    mx_error(MX_ERR_VALUE, "[%s] Cannot scatter into an empty axis.", what);
    return NULL;
  }
  if (mx__check_broadcast_to(values, nd, ish) != 0) return NULL;
  mx_array* ib = mx__broadcast_unchecked(indices, nd, ish, s);
  mx_array* vc = ib ? mx__as_dtype(values, a->dtype, s) : NULL;
  mx_array* vb = vc ? mx__broadcast_unchecked(vc, nd, ish, s) : NULL;
  mx_array* out = NULL;
  if (vb) {
    mx_axis_index_params p = {.op = op, .axis = ax};
    mx_array* in[3] = {a, ib, vb};
    out = mx_array_make(MX_PRIM_SCATTER_AXIS, &p, sizeof p, s, 3, in, a->dtype, nd, a->shape);
  }
  if (ib) mx_array_release(ib);
  if (vc) mx_array_release(vc);
  if (vb) mx_array_release(vb);
  return out;
}

mx_array* mx_put_along_axis(mx_array* a, mx_array* indices, mx_array* values, int axis,
                            mx_stream s) {
  return scatter_axis(a, indices, values, axis, MX_SCATTER_NONE, "put_along_axis", s);
}

mx_array* mx_scatter_add_axis(mx_array* a, mx_array* indices, mx_array* values, int axis,
                              mx_stream s) {
  return scatter_axis(a, indices, values, axis, MX_SCATTER_SUM, "scatter_add_axis", s);
}

mx_array* mx_put_along_axis_all(mx_array* a, mx_array* indices, mx_array* values, mx_stream s) {
  if (!a || !indices || !values) {
    mx_error(MX_ERR_VALUE, "[put_along_axis] Invalid (null) argument.");
    return NULL;
  }
  int na = (int)a->size, ni = (int)indices->size;
  mx_array* fa = mx_reshape(a, 1, &na, s);
  mx_array* fi = fa ? mx_reshape(indices, 1, &ni, s) : NULL;
  mx_array* fv = NULL;
  if (fi) {
    /* Values follow the flattened indices: a scalar or anything of the
     * indices' size. */
    if (values->size == 1 || values->size != ni) {
      mx_array_retain(values);
      fv = values;
      if (values->ndim > 1 && values->size == 1) {
        mx_array_release(fv);
        int one = 1;
        fv = mx_reshape(values, 1, &one, s);
      }
    } else {
      fv = mx_reshape(values, 1, &ni, s);
    }
  }
  mx_array* r = fv ? mx_put_along_axis(fa, fi, fv, 0, s) : NULL;
  mx_array* out = r ? mx_reshape(r, a->ndim, a->shape, s) : NULL;
  if (fa) mx_array_release(fa);
  if (fi) mx_array_release(fi);
  if (fv) mx_array_release(fv);
  if (r) mx_array_release(r);
  return out;
}

/* --- masked scatter ------------------------------------------------------------------ */

mx_array* mx_masked_scatter(mx_array* a, mx_array* mask, mx_array* src, mx_stream s) {
  if (!a || !mask || !src) {
    mx_error(MX_ERR_VALUE, "[masked_scatter] Invalid (null) argument.");
    return NULL;
  }
  if (mask->dtype != MX_BOOL) {
    mx_error(MX_ERR_VALUE, "[masked_scatter] The mask has to be boolean but it is %s.",
             mx_dtype_name(mask->dtype));
    return NULL;
  }
  int nd = a->ndim;
  bool prefix = mask->ndim <= nd;
  for (int i = 0; prefix && i < mask->ndim; i++) prefix = mask->shape[i] == a->shape[i];
  if (!prefix) {
    char sm[MX__SHAPE_BUF], sa[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE, "[masked_scatter] The boolean mask should have the same shape as the "
             "beginning of the indexed array but the mask has shape %s and the array has shape %s",
             mx_shape_str(mask->ndim, mask->shape, sm, sizeof sm),
             mx_shape_str(nd, a->shape, sa, sizeof sa));
    return NULL;
  }
  /* The mask covers the leading dims; each selected position selects the
   * whole block of trailing dims. */
  int mshape[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) mshape[i] = i < mask->ndim ? mask->shape[i] : 1;
  mx_array* m = mx_reshape(mask, nd, mshape, s);
  mx_array* mb = m ? mx__broadcast_unchecked(m, nd, a->shape, s) : NULL;
  mx_array* sc = mb ? mx__as_dtype(src, a->dtype, s) : NULL;
  mx_array* out = NULL;
  if (sc) {
    mx_array* in[3] = {a, mb, sc};
    out = mx_array_make(MX_PRIM_MASKED_SCATTER, NULL, 0, s, 3, in, a->dtype, nd, a->shape);
  }
  if (m) mx_array_release(m);
  if (mb) mx_array_release(mb);
  if (sc) mx_array_release(sc);
  return out;
}
