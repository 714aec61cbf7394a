/* Reshape-, transpose- and stride-based views: flatten, unflatten, squeeze,
 * expand_dims, atleast_*, moveaxis, swapaxes, matrix_transpose, flip,
 * diagonal, split, unstack, as_strided, view and contiguous.  None of these
 * moves data when the input's layout allows a view. */
#include <stdlib.h>
#include <string.h>

#include "ops_internal.h"

#define CHECK_ARRAY(a, name)                                              \
  if (!(a)) {                                                             \
    mx_error(MX_ERR_VALUE, "[" name "] Invalid (null) array argument.");  \
    return NULL;                                                          \
  }

/* --- reshapes ------------------------------------------------------------------ */

mx_array* mx_flatten(mx_array* a, int start_axis, int end_axis, mx_stream s) {
  CHECK_ARRAY(a, "flatten");
  int nd = a->ndim;
  if (nd == 0) {
    int one = 1;
    return mx_reshape(a, 1, &one, s);
  }
  /* Axes are clamped rather than checked, as in MLX. */
  if (start_axis < 0) start_axis += nd;
  if (end_axis < 0) end_axis += nd;
  if (start_axis < 0) start_axis = 0;
  if (end_axis >= nd) end_axis = nd - 1;
  if (start_axis > end_axis) {
    mx_error(MX_ERR_VALUE, "[flatten] start_axis must be less than or equal to end_axis");
    return NULL;
  }
  if (start_axis >= nd || end_axis < 0) {
    mx_error(MX_ERR_VALUE, "[flatten] Axes out of range for array with %d dimensions.", nd);
    return NULL;
  }
  int shape[nd];
  int o = 0;
  for (int i = 0; i < start_axis; i++) shape[o++] = a->shape[i];
  int64_t merged = 1;
  for (int i = start_axis; i <= end_axis; i++) merged *= a->shape[i];
  shape[o++] = (int)merged;
  for (int i = end_axis + 1; i < nd; i++) shape[o++] = a->shape[i];
  return mx_reshape(a, o, shape, s);
}

mx_array* mx_unflatten(mx_array* a, int axis, int ndim, const int* shape, mx_stream s) {
  CHECK_ARRAY(a, "unflatten");
  int ax;
  if (axis < -a->ndim || axis >= a->ndim) {
    mx_error(MX_ERR_INDEX, "[unflatten] Invalid axes %d for array with %d dimensions.", axis,
             a->ndim);
    return NULL;
  }
  ax = axis < 0 ? axis + a->ndim : axis;
  if (ndim <= 0) {
    mx_error(MX_ERR_VALUE, "[unflatten] Shape to unflatten to cannot be empty.");
    return NULL;
  }
  int infer = -1;
  int64_t known = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == -1) {
      if (infer >= 0) {
        mx_error(MX_ERR_VALUE, "[Unflatten] Can only infer one dimension.");
        return NULL;
      }
      infer = i;
    } else if (shape[i] < 0) {
      mx_error(MX_ERR_VALUE, "[unflatten] Negative dimensions not allowed.");
      return NULL;
    } else {
      known *= shape[i];
    }
  }
  int nd = a->ndim - 1 + ndim;
  int out[nd];
  int o = 0;
  for (int i = 0; i < ax; i++) out[o++] = a->shape[i];
  for (int i = 0; i < ndim; i++) out[o++] = shape[i];
  for (int i = ax + 1; i < a->ndim; i++) out[o++] = a->shape[i];
  int dim = a->shape[ax];
  char sb[MX__SHAPE_BUF];
  if (infer >= 0) {
    /* MLX divides by zero here for a zero-sized known part; we report it. */
    if (known == 0 || dim % known != 0) {
      mx_error(MX_ERR_VALUE, "[Unflatten] Cannot unflatten axis %d with size %d into shape %s.",
               axis, dim, mx_shape_str(ndim, shape, sb, sizeof sb));
      return NULL;
    }
    out[ax + infer] = (int)(dim / known);
  } else if (known != dim) {
    mx_error(MX_ERR_VALUE, "[Unflatten] Cannot unflatten axis %d with size %d into shape %s.",
             axis, dim, mx_shape_str(ndim, shape, sb, sizeof sb));
    return NULL;
  }
  return mx_reshape(a, nd, out, s);
}

mx_array* mx_squeeze(mx_array* a, int naxes, const int* axes, mx_stream s) {
  CHECK_ARRAY(a, "squeeze");
  int nd = a->ndim;
  bool drop[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) drop[i] = axes ? false : a->shape[i] == 1;
  for (int i = 0; axes && i < naxes; i++) {
    int ax = axes[i];
    if (ax < -nd || ax >= nd) {
      mx_error(MX_ERR_INDEX, "[squeeze] Axis %d is out of bounds for array with %d dimensions.",
               ax, nd);
      return NULL;
    }
    if (ax < 0) ax += nd;
    if (drop[ax]) {
      mx_error(MX_ERR_VALUE, "[squeeze] Received duplicate axes.");
      return NULL;
    }
    if (a->shape[ax] != 1) {
      mx_error(MX_ERR_VALUE, "[squeeze] Cannot squeeze axis %d with size %d which is not equal to 1.",
               ax, a->shape[ax]);
      return NULL;
    }
    drop[ax] = true;
  }
  int out[nd > 0 ? nd : 1];
  int o = 0;
  for (int i = 0; i < nd; i++)
    if (!drop[i]) out[o++] = a->shape[i];
  return mx_reshape(a, o, out, s);
}

mx_array* mx_expand_dims(mx_array* a, int naxes, const int* axes, mx_stream s) {
  CHECK_ARRAY(a, "expand_dims");
  if (naxes < 0 || (naxes > 0 && !axes)) {
    mx_error(MX_ERR_VALUE, "[expand_dims] Invalid axes.");
    return NULL;
  }
  int nd = a->ndim + naxes;
  bool added[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) added[i] = false;
  for (int i = 0; i < naxes; i++) {
    int ax = axes[i];
    if (ax < -nd || ax >= nd) {
      mx_error(MX_ERR_INDEX, "[expand_dims] Axis %d is out of bounds for array with %d dimensions.",
               ax, nd);
      return NULL;
    }
    if (ax < 0) ax += nd;
    if (added[ax]) {
      mx_error(MX_ERR_VALUE, "[expand_dims] Received duplicate axes.");
      return NULL;
    }
    added[ax] = true;
  }
  int out[nd > 0 ? nd : 1];
  int k = 0;
  for (int i = 0; i < nd; i++) out[i] = added[i] ? 1 : a->shape[k++];
  return mx_reshape(a, nd, out, s);
}

mx_array* mx_atleast(mx_array* a, int ndim, mx_stream s) {
  CHECK_ARRAY(a, "atleast");
  if (a->ndim >= ndim) {
    mx_array_retain(a);
    return a;
  }
  int out[3] = {1, 1, 1};
  /* NumPy's placement: 1-d -> (1, n) / (1, n, 1); 2-d -> (m, n, 1). */
  if (a->ndim == 1) {
    out[1] = a->shape[0];
  } else if (a->ndim == 2) {
    out[0] = a->shape[0];
    out[1] = a->shape[1];
  }
  return mx_reshape(a, ndim, out, s);
}

/* --- transposes ------------------------------------------------------------------ */

mx_array* mx_moveaxis(mx_array* a, int source, int destination, mx_stream s) {
  CHECK_ARRAY(a, "moveaxis");
  int nd = a->ndim, src, dst;
  if (mx_normalize_axis(source, nd, "moveaxis", &src) != 0 ||
      mx_normalize_axis(destination, nd, "moveaxis", &dst) != 0)
    return NULL;
  int perm[nd > 0 ? nd : 1];
  int k = 0;
  for (int i = 0; i < nd; i++)
    if (i != src) perm[k++] = i;
  memmove(perm + dst + 1, perm + dst, (size_t)(nd - 1 - dst) * sizeof(int));
  perm[dst] = src;
  return mx_transpose(a, nd, perm, s);
}

mx_array* mx_swapaxes(mx_array* a, int axis1, int axis2, mx_stream s) {
  CHECK_ARRAY(a, "swapaxes");
  int nd = a->ndim, x, y;
  if (mx_normalize_axis(axis1, nd, "swapaxes", &x) != 0 ||
      mx_normalize_axis(axis2, nd, "swapaxes", &y) != 0)
    return NULL;
  int perm[nd];
  for (int i = 0; i < nd; i++) perm[i] = i;
  perm[x] = y;
  perm[y] = x;
  return mx_transpose(a, nd, perm, s);
}

mx_array* mx_matrix_transpose(mx_array* a, mx_stream s) {
  CHECK_ARRAY(a, "matrix_transpose");
  if (a->ndim < 2) {
    mx_error(MX_ERR_VALUE, "[matrix_transpose] Input array must have at least 2 dimensions.");
    return NULL;
  }
  return mx_swapaxes(a, -1, -2, s);
}

/* --- strided views -------------------------------------------------------------- */

mx_array* mx_strided_view(mx_array* a, int out_ndim, const int* out_shape, const int64_t* base,
                          const int64_t* coef, mx_stream s) {
  CHECK_ARRAY(a, "strided_view");
  int in = a->ndim;
  size_t nv = (size_t)in + (size_t)out_ndim * (size_t)in;
  size_t psize = sizeof(mx_strided_view_params) + nv * sizeof(int64_t);
  mx_strided_view_params* p = calloc(1, psize);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[strided_view] Out of memory.");
    return NULL;
  }
  p->in_ndim = in;
  p->out_ndim = out_ndim;
  if (in) memcpy(p->v, base, (size_t)in * sizeof(int64_t));
  if (in && out_ndim) memcpy(p->v + in, coef, (size_t)out_ndim * (size_t)in * sizeof(int64_t));
  mx_array* out =
      mx_array_make(MX_PRIM_STRIDED_VIEW, p, psize, s, 1, &a, a->dtype, out_ndim, out_shape);
  free(p);
  return out;
}

/* The identity view's coefficients (out dim i = in dim i) for nd dims. */
static void identity_coef(int nd, int64_t* coef) {
  memset(coef, 0, (size_t)nd * (size_t)nd * sizeof(int64_t));
  for (int i = 0; i < nd; i++) coef[i * nd + i] = 1;
}

mx_array* mx_flip(mx_array* a, int naxes, const int* axes, mx_stream s) {
  CHECK_ARRAY(a, "flip");
  int nd = a->ndim;
  bool flip[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) flip[i] = axes == NULL;
  for (int i = 0; axes && i < naxes; i++) {
    int ax;
    if (axes[i] < -nd || axes[i] >= nd) {
      mx_error(MX_ERR_INDEX, "[flip] Axis %d is out of bounds for array with %d dimensions.",
               axes[i], nd);
      return NULL;
    }
    ax = axes[i] < 0 ? axes[i] + nd : axes[i];
    /* A repeated axis flips once, as in MLX. */
    flip[ax] = true;
  }
  bool any = false;
  for (int i = 0; i < nd; i++) any |= flip[i] && a->shape[i] > 1;
  if (!any) {
    mx_array_retain(a);
    return a;
  }
  int64_t base[nd], coef[nd * nd];
  identity_coef(nd, coef);
  for (int i = 0; i < nd; i++) {
    base[i] = 0;
    if (flip[i] && a->shape[i] > 0) {
      base[i] = a->shape[i] - 1;
      coef[i * nd + i] = -1;
    }
  }
  return mx_strided_view(a, nd, a->shape, base, coef, s);
}

mx_array* mx_diagonal(mx_array* a, int offset, int axis1, int axis2, mx_stream s) {
  CHECK_ARRAY(a, "diagonal");
  int nd = a->ndim;
  if (nd < 2) {
    mx_error(MX_ERR_VALUE,
             "[diagonal] Array must have at least two dimensions, but got %d dimensions.", nd);
    return NULL;
  }
  int x, y;
  if (mx_normalize_axis(axis1, nd, "diagonal", &x) != 0 ||
      mx_normalize_axis(axis2, nd, "diagonal", &y) != 0)
    return NULL;
  if (x == y) {
    mx_error(MX_ERR_VALUE, "[diagonal] axis1 and axis2 cannot be the same axis");
    return NULL;
  }
  int64_t r0 = offset < 0 ? -(int64_t)offset : 0, c0 = offset > 0 ? offset : 0;
  int64_t len = a->shape[x] - r0;
  if (a->shape[y] - c0 < len) len = a->shape[y] - c0;
  if (len < 0) len = 0;
  int ond = nd - 1;
  int shape[ond];
  int64_t base[nd], coef[ond * nd];
  memset(coef, 0, sizeof coef);
  int o = 0;
  for (int i = 0; i < nd; i++) {
    base[i] = 0;
    if (i == x || i == y) continue;
    shape[o] = a->shape[i];
    coef[o * nd + i] = 1;
    o++;
  }
  shape[o] = (int)len;
  if (len > 0) {
    base[x] = r0;
    base[y] = c0;
  }
  coef[o * nd + x] = 1;
  coef[o * nd + y] = 1;
  return mx_strided_view(a, ond, shape, base, coef, s);
}

/* Pieces [starts[i], starts[i+1]) of dim `ax` as views. */
static mx_array** split_at(mx_array* a, int ax, int npieces, const int64_t* bounds, mx_stream s,
                           int* n) {
  mx_array** list = calloc((size_t)(npieces > 0 ? npieces : 1), sizeof *list);
  if (!list) {
    mx_error(MX_ERR_MEMORY, "[split] Out of memory.");
    return NULL;
  }
  int nd = a->ndim;
  int64_t base[nd], coef[nd * nd];
  int shape[nd];
  identity_coef(nd, coef);
  memcpy(shape, a->shape, (size_t)nd * sizeof(int));
  for (int i = 0; i < npieces; i++) {
    for (int k = 0; k < nd; k++) base[k] = 0;
    int64_t lo = bounds[i], hi = bounds[i + 1];
    shape[ax] = (int)(hi > lo ? hi - lo : 0);
    if (shape[ax] > 0) base[ax] = lo;
    if (shape[ax] == a->shape[ax]) {
      mx_array_retain(a);
      list[i] = a;
    } else {
      list[i] = mx_strided_view(a, nd, shape, base, coef, s);
    }
    if (!list[i]) {
      mx_array_list_free(list, i);
      return NULL;
    }
  }
  *n = npieces;
  return list;
}

void mx_array_list_free(mx_array** list, int n) {
  if (!list) return;
  for (int i = 0; i < n; i++)
    if (list[i]) mx_array_release(list[i]);
  free(list);
}

mx_array** mx_split(mx_array* a, int num_splits, int axis, mx_stream s, int* n) {
  CHECK_ARRAY(a, "split");
  int ax;
  if (mx_normalize_axis(axis, a->ndim, "split", &ax) != 0) return NULL;
  if (num_splits <= 0) {
    mx_error(MX_ERR_VALUE, "[split] num_splits must be positive and non-zero but got %d.",
             num_splits);
    return NULL;
  }
  int dim = a->shape[ax];
  if (dim % num_splits != 0) {
    char sb[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE,
             "Array split does not result in sub arrays with equal size: attempting %d splits "
             "along axis %d for shape %s.",
             num_splits, ax, mx_shape_str(a->ndim, a->shape, sb, sizeof sb));
    return NULL;
  }
  int64_t* bounds = malloc((size_t)(num_splits + 1) * sizeof(int64_t));
  if (!bounds) {
    mx_error(MX_ERR_MEMORY, "[split] Out of memory.");
    return NULL;
  }
  for (int i = 0; i <= num_splits; i++) bounds[i] = (int64_t)i * (dim / num_splits);
  mx_array** list = split_at(a, ax, num_splits, bounds, s, n);
  free(bounds);
  return list;
}

mx_array** mx_split_sections(mx_array* a, int nidx, const int* indices, int axis, mx_stream s,
                             int* n) {
  CHECK_ARRAY(a, "split");
  int ax;
  if (mx_normalize_axis(axis, a->ndim, "split", &ax) != 0) return NULL;
  if (nidx < 0 || (nidx > 0 && !indices)) {
    mx_error(MX_ERR_VALUE, "[split] Invalid indices.");
    return NULL;
  }
  int64_t dim = a->shape[ax];
  int64_t* bounds = malloc((size_t)(nidx + 2) * sizeof(int64_t));
  if (!bounds) {
    mx_error(MX_ERR_MEMORY, "[split] Out of memory.");
    return NULL;
  }
  /* Indices are clamped like slice bounds (negative ones count from the
   * end); a piece whose end precedes its start is empty. */
  bounds[0] = 0;
  for (int i = 0; i < nidx; i++) {
    int64_t v = indices[i];
    if (v < 0) v += dim;
    if (v < 0) v = 0;
    if (v > dim) v = dim;
    bounds[i + 1] = v;
  }
  bounds[nidx + 1] = dim;
  mx_array** list = split_at(a, ax, nidx + 1, bounds, s, n);
  free(bounds);
  return list;
}

mx_array** mx_unstack(mx_array* a, int axis, mx_stream s, int* n) {
  CHECK_ARRAY(a, "unstack");
  int nd = a->ndim, ax;
  if (axis < -nd || axis >= nd) {
    mx_error(MX_ERR_INDEX, "[unstack] Axis %d is out of bounds for array with %d dimensions.",
             axis, nd);
    return NULL;
  }
  ax = axis < 0 ? axis + nd : axis;
  int count = a->shape[ax];
  mx_array** list = calloc((size_t)(count > 0 ? count : 1), sizeof *list);
  if (!list) {
    mx_error(MX_ERR_MEMORY, "[unstack] Out of memory.");
    return NULL;
  }
  int ond = nd - 1;
  int shape[ond > 0 ? ond : 1];
  int64_t base[nd], coef[(ond > 0 ? ond : 1) * nd];
  memset(coef, 0, sizeof coef);
  int o = 0;
  for (int i = 0; i < nd; i++) {
    if (i == ax) continue;
    shape[o] = a->shape[i];
    coef[o * nd + i] = 1;
    o++;
  }
  for (int i = 0; i < count; i++) {
    for (int k = 0; k < nd; k++) base[k] = 0;
    base[ax] = i;
    list[i] = mx_strided_view(a, ond, shape, base, coef, s);
    if (!list[i]) {
      mx_array_list_free(list, i);
      return NULL;
    }
  }
  *n = count;
  return list;
}

mx_array* mx_as_strided(mx_array* a, int ndim, const int* shape, const int64_t* strides,
                        int64_t offset, mx_stream s) {
  CHECK_ARRAY(a, "as_strided");
  if (ndim < 0 || (ndim > 0 && (!shape || !strides))) {
    mx_error(MX_ERR_VALUE, "[as_strided] Invalid shape or strides.");
    return NULL;
  }
  int64_t size = 1, lo = offset, hi = offset;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0) {
      mx_error(MX_ERR_VALUE, "[as_strided] Negative dimensions not allowed.");
      return NULL;
    }
    size *= shape[i];
    int64_t reach = (int64_t)(shape[i] > 0 ? shape[i] - 1 : 0) * strides[i];
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  /* MLX trusts the caller here; reading outside the buffer would crash or
   * leak memory contents, so a view that leaves the data is refused. */
  if (size > 0 && (lo < 0 || hi >= a->size)) {
    mx_error(MX_ERR_VALUE,
             "[as_strided] The view reaches elements [%lld, %lld] outside the array of size %lld.",
             (long long)lo, (long long)hi, (long long)a->size);
    return NULL;
  }
  size_t psize = sizeof(mx_as_strided_params) + (size_t)ndim * sizeof(int64_t);
  mx_as_strided_params* p = calloc(1, psize);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[as_strided] Out of memory.");
    return NULL;
  }
  p->offset = offset;
  p->ndim = ndim;
  if (ndim) memcpy(p->strides, strides, (size_t)ndim * sizeof(int64_t));
  mx_array* out = mx_array_make(MX_PRIM_AS_STRIDED, p, psize, s, 1, &a, a->dtype, ndim, shape);
  free(p);
  return out;
}

mx_array* mx_view(mx_array* a, mx_dtype dtype, mx_stream s) {
  CHECK_ARRAY(a, "view");
  if (!mx_dtype_valid((int)dtype)) {
    mx_error(MX_ERR_VALUE, "[view] Invalid dtype.");
    return NULL;
  }
  if (a->dtype == dtype) {
    mx_array_retain(a);
    return a;
  }
  size_t ib = mx_dtype_size(a->dtype), ob = mx_dtype_size(dtype);
  int nd = a->ndim;
  int shape[nd > 0 ? nd : 1];
  if (nd) memcpy(shape, a->shape, (size_t)nd * sizeof(int));
  if (ib != ob) {
    if (nd == 0) {
      mx_error(MX_ERR_VALUE,
               "[view] Changing the type of a scalar is only allowed for types with the same size.");
      return NULL;
    }
    if (ib > ob) {
      shape[nd - 1] = (int)((int64_t)shape[nd - 1] * (int64_t)(ib / ob));
    } else {
      int64_t bytes = (int64_t)shape[nd - 1] * (int64_t)ib;
      if (bytes % (int64_t)ob != 0) {
        mx_error(MX_ERR_VALUE,
                 "[view] When viewing as a larger dtype, the size in bytes of the last axis must "
                 "be a multiple of the requested type size.");
        return NULL;
      }
      shape[nd - 1] = (int)(bytes / (int64_t)ob);
    }
  }
  return mx_array_make(MX_PRIM_VIEW, NULL, 0, s, 1, &a, dtype, nd, shape);
}

mx_array* mx_contiguous(mx_array* a, bool allow_col_major, mx_stream s) {
  CHECK_ARRAY(a, "contiguous");
  mx_contiguous_params p = {allow_col_major ? 1 : 0};
  return mx_array_make(MX_PRIM_CONTIGUOUS, &p, sizeof p, s, 1, &a, a->dtype, a->ndim, a->shape);
}
