/* Subscripting mx.array: a[key], a[key] = value and a.at[key].op(value).
 *
 * A key is an int, a slice, None, Ellipsis, an mx.array or a list of ints
 * (converted to an array), or a tuple of these.  The rules are NumPy's, as
 * MLX follows them:
 *   - ints and slices give views (a SLICE node and a reshape);
 *   - integer arrays are "advanced" indices: they broadcast together to a
 *     shape B, and once any is present the ints count as advanced too;
 *   - B replaces the advanced axes in place when those are adjacent in the
 *     key, and goes first otherwise;
 *   - None inserts a size-1 axis, Ellipsis stands for the unnamed axes.
 * Boolean masks are rejected when reading (as in MLX) and accepted as the
 * whole key when writing (masked_scatter).
 *
 * Reading builds slice + gather nodes.  Writing builds a slice_update when
 * the key has no arrays and a scatter otherwise; `a[key] = v` then gives
 * the array object the result (MLX arrays are values: other references to
 * the old array do not change). */
#include "mlxpy.h"

#include <stdlib.h>

typedef enum { IX_INT, IX_SLICE, IX_NONE, IX_ELLIPSIS, IX_ARRAY } ix_kind;

typedef struct ix_item {
  ix_kind kind;
  Py_ssize_t i;                  /* IX_INT: the index, wrapped */
  Py_ssize_t start, step, len;   /* IX_SLICE, normalised against the axis */
  mx_array* arr;                 /* IX_ARRAY: owned */
  int axis;                      /* the source axis (-1 for None) */
} ix_item;

typedef struct ix_key {
  int n;
  ix_item* items;
  bool has_array;
} ix_key;

static void key_free(ix_key* k) {
  for (int i = 0; i < k->n; i++)
    if (k->items[i].arr) mx_array_release(k->items[i].arr);
  free(k->items);
  k->items = NULL;
  k->n = 0;
}

static int bad_type(void) {
  PyErr_SetString(PyExc_ValueError, "Cannot index mlx array using the given type.");
  return -1;
}

/* Parses one element of the key (not yet placed on an axis). */
static int parse_one(PyObject* o, bool in_tuple, ix_item* it) {
  memset(it, 0, sizeof *it);
  it->axis = -1;
  if (o == Py_None) {
    it->kind = IX_NONE;
    return 0;
  }
  if (o == Py_Ellipsis) {
    it->kind = IX_ELLIPSIS;
    return 0;
  }
  if (PySlice_Check(o)) {
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(o, &start, &stop, &step) < 0) {
      if (PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "Slice indices must be integers or None.");
      }
      return -1;
    }
    it->kind = IX_SLICE;
    it->start = start;
    it->len = stop; /* kept here until the axis is known */
    it->step = step;
    return 0;
  }
  if (mxpy_is_array(o)) {
    it->kind = IX_ARRAY;
    it->arr = mxpy_arr(o);
    mx_array_retain(it->arr);
    return 0;
  }
  if (PyBool_Check(o)) return bad_type();
  if (PyLong_Check(o) || (PyIndex_Check(o) && !PyFloat_Check(o))) {
    Py_ssize_t i = PyNumber_AsSsize_t(o, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred()) {
      /* e.g. a NumPy array, which MLX does not take as an index */
      if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
      PyErr_Clear();
      return bad_type();
    }
    it->kind = IX_INT;
    it->i = i;
    return 0;
  }
  if (PyList_Check(o)) {
    mx_array* a = mxpy_to_array(o, -1, true);
    if (!a) return -1;
    it->kind = IX_ARRAY;
    it->arr = a;
    return 0;
  }
  if (PyTuple_Check(o) && in_tuple) {
    PyErr_SetString(PyExc_ValueError, "Cannot index mlx array using the given type yet");
    return -1;
  }
  return bad_type();
}

/* Parses `key` against an array of `ndim` dims: expands the Ellipsis,
 * pads with full slices, normalises ints and slices and assigns axes. */
static int parse_key(PyObject* key, const mx_array* a, ix_key* k) {
  bool tuple = PyTuple_Check(key);
  Py_ssize_t n = tuple ? PyTuple_GET_SIZE(key) : 1;
  int ndim = a->ndim;
  k->n = 0;
  k->has_array = false;
  k->items = calloc((size_t)(n + ndim + 1), sizeof(ix_item));
  if (!k->items) {
    PyErr_NoMemory();
    return -1;
  }
  ix_item* raw = calloc((size_t)(n > 0 ? n : 1), sizeof(ix_item));
  if (!raw) {
    free(k->items);
    k->items = NULL;
    PyErr_NoMemory();
    return -1;
  }
  int consumed = 0, ellipsis = -1;
  Py_ssize_t got = 0;
  int rc = -1;
  for (; got < n; got++) {
    PyObject* o = tuple ? PyTuple_GET_ITEM(key, got) : key;
    if (parse_one(o, tuple, &raw[got]) != 0) goto done;
    if (raw[got].kind == IX_ELLIPSIS) {
      if (ellipsis >= 0) {
        PyErr_SetString(PyExc_ValueError, "An index can only have a single ellipsis (...)");
        got++;
        goto done;
      }
      ellipsis = (int)got;
    } else if (raw[got].kind != IX_NONE) {
      consumed++;
    }
  }
  if (consumed > ndim) {
    if (ndim == 0)
      PyErr_SetString(PyExc_ValueError, "too many indices for array: array is 0-dimensional");
    else
      PyErr_Format(PyExc_ValueError, "Too many indices for array with %d dimensions.", ndim);
    goto done;
  }
  int axis = 0;
  for (Py_ssize_t j = 0; j <= n; j++) {
    bool at_end = j == n;
    if (at_end ? ellipsis < 0 : raw[j].kind == IX_ELLIPSIS) {
      /* The unnamed axes: here for an Ellipsis, at the end otherwise. */
      for (int f = 0; f < ndim - consumed; f++) {
        ix_item* it = &k->items[k->n++];
        it->kind = IX_SLICE;
        it->axis = axis;
        it->start = 0;
        it->step = 1;
        it->len = a->shape[axis++];
      }
      continue;
    }
    if (at_end) break;
    ix_item* it = &k->items[k->n++];
    *it = raw[j];
    raw[j].arr = NULL; /* moved */
    if (it->kind == IX_NONE) continue;
    it->axis = axis;
    Py_ssize_t dim = a->shape[axis++];
    if (it->kind == IX_INT) {
      if (it->i < -dim || it->i >= dim) {
        PyErr_Format(PyExc_IndexError, "index %zd is out of bounds for axis %d with size %zd",
                     it->i, it->axis, dim);
        goto done;
      }
      if (it->i < 0) it->i += dim;
    } else if (it->kind == IX_SLICE) {
      Py_ssize_t start = it->start, stop = it->len;
      it->len = PySlice_AdjustIndices(dim, &start, &stop, it->step);
      it->start = it->len > 0 ? start : 0;
    } else {
      k->has_array = true;
    }
  }
  rc = 0;
done:
  for (Py_ssize_t j = 0; j < got && j < n; j++)
    if (raw[j].arr) mx_array_release(raw[j].arr);
  free(raw);
  if (rc != 0) key_free(k);
  return rc;
}

/* --- reading ------------------------------------------------------------------------ */

/* The view of `a` after the key's slices (ints too when `ints_too`; other
 * axes kept whole). */
static mx_array* apply_slices(mx_array* a, const ix_key* k, bool ints_too, mx_stream s) {
  int nd = a->ndim;
  int64_t start[nd > 0 ? nd : 1], step[nd > 0 ? nd : 1];
  int shape[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) {
    start[i] = 0;
    step[i] = 1;
    shape[i] = a->shape[i];
  }
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_SLICE) {
      start[it->axis] = it->start;
      step[it->axis] = it->step;
      shape[it->axis] = (int)it->len;
    } else if (it->kind == IX_INT && ints_too) {
      start[it->axis] = it->i;
      shape[it->axis] = 1;
    }
  }
  return mx_slice_strided(a, start, shape, step, s);
}

/* Are the advanced items (arrays, and ints once arrays are present)
 * adjacent in the key?  Writes the index of the first one. */
static bool adv_adjacent(const ix_key* k, int* first) {
  int f = -1, l = -1;
  for (int j = 0; j < k->n; j++) {
    ix_kind t = k->items[j].kind;
    if (t == IX_ARRAY || t == IX_INT) {
      if (f < 0) f = j;
      l = j;
    }
  }
  *first = f;
  for (int j = f; j <= l; j++) {
    ix_kind t = k->items[j].kind;
    if (t != IX_ARRAY && t != IX_INT) return false;
  }
  return true;
}

/* The advanced items as index arrays (ints become 0-d arrays) and axes. */
static int adv_arrays(const ix_key* k, mx_array** idx, int* axes, int* n) {
  *n = 0;
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_ARRAY) {
      if (it->arr->dtype == MX_BOOL) {
        for (int q = 0; q < *n; q++) mx_array_release(idx[q]);
        PyErr_SetString(PyExc_ValueError, "boolean indices are not yet supported");
        return -1;
      }
      mx_array_retain(it->arr);
      idx[*n] = it->arr;
    } else if (it->kind == IX_INT) {
      idx[*n] = mx_array_scalar_i64(it->i, MX_INT64);
      if (!idx[*n]) {
        for (int q = 0; q < *n; q++) mx_array_release(idx[q]);
        mxpy_raise();
        return -1;
      }
    } else {
      continue;
    }
    axes[(*n)++] = it->axis;
  }
  return 0;
}

static void release_n(int n, mx_array** a) {
  for (int i = 0; i < n; i++) mx_array_release(a[i]);
}

/* a[key] for a parsed key. */
static mx_array* get_item(mx_array* a, const ix_key* k, mx_stream s) {
  int nd = a->ndim;
  /* The result's dims, None included, as the final reshape target. */
  if (!k->has_array) {
    mx_array* v = apply_slices(a, k, true, s);
    if (!v) return NULL;
    int rshape[k->n > 0 ? k->n : 1];
    int rnd = 0;
    for (int j = 0; j < k->n; j++) {
      const ix_item* it = &k->items[j];
      if (it->kind == IX_SLICE) rshape[rnd++] = (int)it->len;
      else if (it->kind == IX_NONE) rshape[rnd++] = 1;
    }
    mx_array* r = mx_reshape(v, rnd, rshape, s);
    mx_array_release(v);
    return r;
  }
  mx_array* v = apply_slices(a, k, false, s);
  if (!v) return NULL;
  mx_array* idx[nd > 0 ? nd : 1];
  int axes[nd > 0 ? nd : 1], n;
  if (adv_arrays(k, idx, axes, &n) != 0) {
    mx_array_release(v);
    return NULL;
  }
  int ss[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) ss[i] = v->shape[i];
  for (int q = 0; q < n; q++) ss[axes[q]] = v->shape[axes[q]] > 0 ? 1 : 0;
  mx_array* g = mx_gather(v, n, idx, axes, ss, s);
  release_n(n, idx);
  mx_array_release(v);
  if (!g) return NULL;
  /* g: B + slice sizes.  Drop the indexed axes (size 1). */
  int bnd = g->ndim - nd;
  int m = 0; /* remaining (sliced) dims */
  int gshape[g->ndim > 0 ? g->ndim : 1];
  for (int i = 0; i < bnd; i++) gshape[i] = g->shape[i];
  for (int j = 0; j < k->n; j++)
    if (k->items[j].kind == IX_SLICE) gshape[bnd + m++] = (int)k->items[j].len;
  mx_array* g2 = mx_reshape(g, bnd + m, gshape, s);
  mx_array_release(g);
  if (!g2) return NULL;
  /* Order of g2's dims in the output, then the Nones. */
  int first;
  bool adjacent = adv_adjacent(k, &first);
  int tnd = bnd + m;
  int perm[tnd > 0 ? tnd : 1];
  int rshape[tnd + k->n + 1];
  int np = 0, rnd = 0, si = 0;
  if (!adjacent)
    for (int i = 0; i < bnd; i++) perm[np++] = i, rshape[rnd++] = gshape[i];
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_SLICE) {
      perm[np++] = bnd + si;
      rshape[rnd++] = gshape[bnd + si];
      si++;
    } else if (it->kind == IX_NONE) {
      rshape[rnd++] = 1;
    } else if (adjacent && j == first) {
      for (int i = 0; i < bnd; i++) perm[np++] = i, rshape[rnd++] = gshape[i];
    }
  }
  bool identity = true;
  for (int i = 0; i < np; i++) identity = identity && perm[i] == i;
  mx_array* t = g2;
  if (!identity) {
    t = mx_transpose(g2, np, perm, s);
    mx_array_release(g2);
    if (!t) return NULL;
  }
  mx_array* r = mx_reshape(t, rnd, rshape, s);
  mx_array_release(t);
  return r;
}

PyObject* mxpy_array_getitem(PyObject* self, PyObject* key) {
  mx_array* a = mxpy_arr(self);
  ix_key k;
  if (parse_key(key, a, &k) != 0) return NULL;
  mx_array* r = get_item(a, &k, mx_stream_for_default());
  key_free(&k);
  return mxpy_wrap(r);
}

/* --- writing ------------------------------------------------------------------------ */

/* The value of an assignment as an array of a's dtype when it is a Python
 * scalar (MLX's weak typing); arrays and lists keep their own dtype (the
 * update ops convert). */
static mx_array* value_array(PyObject* v, mx_dtype dt) {
  if (mxpy_is_array(v)) {
    mx_array* a = mxpy_arr(v);
    mx_array_retain(a);
    return a;
  }
  if (PyBool_Check(v) || PyLong_Check(v) || PyFloat_Check(v) || PyComplex_Check(v))
    return mxpy_to_array(v, (int)dt, false);
  return mxpy_to_array(v, -1, true);
}

/* Drops leading size-1 dims of `u` beyond `nd` dims (MLX lets a value
 * carry extra leading singleton dims) and broadcasts it to (nd, shape). */
static mx_array* fit_update(mx_array* u, int nd, const int* shape, mx_stream s) {
  int lead = 0;
  while (u->ndim - lead > nd && u->shape[lead] == 1) lead++;
  mx_array* v = u;
  mx_array_retain(v);
  if (lead > 0) {
    mx_array* r = mx_reshape(u, u->ndim - lead, u->shape + lead, s);
    mx_array_release(v);
    if (!r) return NULL;
    v = r;
  }
  mx_array* b = mx_broadcast_to(v, nd, shape, s);
  mx_array_release(v);
  return b;
}

/* Result shape of a[key] (Nones included) without building it. */
static int result_shape(const ix_key* k, int bnd, const int* bshape, int* out) {
  int first;
  bool adjacent = !k->has_array || adv_adjacent(k, &first);
  if (!k->has_array) first = -1;
  int rnd = 0;
  if (k->has_array && !adjacent)
    for (int i = 0; i < bnd; i++) out[rnd++] = bshape[i];
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_SLICE) out[rnd++] = (int)it->len;
    else if (it->kind == IX_NONE) out[rnd++] = 1;
    else if (k->has_array && adjacent && j == first)
      for (int i = 0; i < bnd; i++) out[rnd++] = bshape[i];
  }
  return rnd;
}

/* The update of a[key] op= u without arrays in the key: a slice update. */
static mx_array* update_basic(mx_array* a, const ix_key* k, mx_array* u, mx_scatter_op op,
                              mx_stream s) {
  int nd = a->ndim;
  int rs[k->n + 1];
  int rnd = result_shape(k, 0, NULL, rs);
  mx_array* b = fit_update(u, rnd, rs, s);
  if (!b) return NULL;
  int64_t start[nd > 0 ? nd : 1], step[nd > 0 ? nd : 1];
  int win[nd > 0 ? nd : 1];
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_SLICE) {
      start[it->axis] = it->start;
      step[it->axis] = it->step;
      win[it->axis] = (int)it->len;
    } else if (it->kind == IX_INT) {
      start[it->axis] = it->i;
      step[it->axis] = 1;
      win[it->axis] = 1;
    }
  }
  mx_array* w = mx_reshape(b, nd, win, s);
  mx_array_release(b);
  if (!w) return NULL;
  mx_array* r = mx_slice_update_strided(a, w, start, win, step, op, s);
  mx_array_release(w);
  return r;
}

/* Shape [1]*pos + dims + [1]*(total - pos - ndims) of `x` (a new ref). */
static mx_array* place_dims(mx_array* x, int pos, int total, mx_stream s) {
  int shape[total > 0 ? total : 1];
  for (int i = 0; i < total; i++) shape[i] = 1;
  for (int i = 0; i < x->ndim; i++) shape[pos + i] = x->shape[i];
  return mx_reshape(x, total, shape, s);
}

/* The update of a[key] op= u with arrays in the key: a scatter.  Whole
 * slices stay slice dims of the scatter; ints, arrays and partial slices
 * become index arrays over one index space. */
#define IXMAX 64

static mx_array* update_advanced(mx_array* a, const ix_key* k, mx_array* u, mx_scatter_op op,
                                 mx_stream s) {
  int nd = a->ndim;
  if (nd > IXMAX) {
    PyErr_Format(PyExc_ValueError, "Indexed assignment supports at most %d dimensions.", IXMAX);
    return NULL;
  }
  mx_array* idx[IXMAX];
  int axes[IXMAX], n;
  if (adv_arrays(k, idx, axes, &n) != 0) return NULL;
  mx_array* result = NULL;
  mx_array* sidx[IXMAX]; /* final index arrays */
  int saxes[IXMAX], sn = 0;
  mx_array* upd = NULL;
  /* B: the broadcast shape of the advanced indices. */
  int bnd = 0, bshape[64];
  for (int q = 0; q < n; q++) {
    int tmp[64], tnd;
    if (idx[q]->ndim > 64 ||
        mx_broadcast_shapes(bnd, bshape, idx[q]->ndim, idx[q]->shape, &tnd, tmp) != 0) {
      if (idx[q]->ndim > 64) mx_error(MX_ERR_VALUE, "Too many index dimensions.");
      mxpy_raise();
      goto done;
    }
    bnd = tnd;
    for (int i = 0; i < bnd; i++) bshape[i] = tmp[i];
  }
  int first;
  bool adjacent = adv_adjacent(k, &first);
  /* Walk the result's dims (without Nones): each is the B block, a partial
   * slice (index space) or a whole slice (scatter slice dim).  Index-space
   * dims keep their order; record where each lands. */
  int nI = 0, bpos = -1;
  int spos[IXMAX]; /* index-space position of a partial slice, by axis */
  bool whole[IXMAX];
  for (int i = 0; i < nd; i++) whole[i] = false, spos[i] = -1;
  int order_nd = 0; /* dims of the None-free result */
  int rdim_is[3 * IXMAX]; /* per result dim: -1 B, else axis */
  if (!adjacent) {
    bpos = 0;
    nI = bnd;
    for (int i = 0; i < bnd; i++) rdim_is[order_nd++] = -1;
  }
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind == IX_SLICE) {
      rdim_is[order_nd++] = it->axis;
      if (it->start == 0 && it->step == 1 && it->len == a->shape[it->axis]) {
        whole[it->axis] = true;
      } else {
        spos[it->axis] = nI++;
      }
    } else if (adjacent && j == first) {
      bpos = nI;
      nI += bnd;
      for (int i = 0; i < bnd; i++) rdim_is[order_nd++] = -1;
    }
  }
  /* Index arrays: advanced ones broadcast to B and placed at bpos, partial
   * slices as aranges at their own position. */
  for (int q = 0; q < n; q++) {
    mx_array* b = mx_broadcast_to(idx[q], bnd, bshape, s);
    mx_array* p = b ? place_dims(b, bpos, nI, s) : NULL;
    if (b) mx_array_release(b);
    if (!p) {
      mxpy_raise();
      goto done;
    }
    sidx[sn] = p;
    saxes[sn++] = axes[q];
  }
  for (int j = 0; j < k->n; j++) {
    const ix_item* it = &k->items[j];
    if (it->kind != IX_SLICE || whole[it->axis]) continue;
    double st = (double)it->start, step = (double)it->step;
    mx_array* r = mx_arange(st, st + step * (double)it->len, step, MX_INT64, s);
    mx_array* p = r ? place_dims(r, spos[it->axis], nI, s) : NULL;
    if (r) mx_array_release(r);
    if (!p) {
      mxpy_raise();
      goto done;
    }
    sidx[sn] = p;
    saxes[sn++] = it->axis;
  }
  /* The value: broadcast to the result shape (Nones included), drop the
   * Nones, move the index-space dims first, then add the scatter's slice
   * dims (1 on indexed axes). */
  {
    int rs[64 + 2 * (IXMAX) + k->n];
    int rnd = result_shape(k, bnd, bshape, rs);
    mx_array* b = fit_update(u, rnd, rs, s);
    if (!b) {
      mxpy_raise();
      goto done;
    }
    /* None-free shape: the B block and the slices in result order. */
    int slen[IXMAX];
    for (int j = 0; j < k->n; j++)
      if (k->items[j].kind == IX_SLICE) slen[k->items[j].axis] = (int)k->items[j].len;
    int cs[order_nd > 0 ? order_nd : 1];
    for (int d = 0, bi = 0; d < order_nd; d++)
      cs[d] = rdim_is[d] < 0 ? bshape[bi++] : slen[rdim_is[d]];
    mx_array* b2 = mx_reshape(b, order_nd, cs, s);
    mx_array_release(b);
    if (!b2) {
      mxpy_raise();
      goto done;
    }
    int perm[order_nd > 0 ? order_nd : 1], np = 0;
    for (int d = 0; d < order_nd; d++)
      if (rdim_is[d] < 0 || !whole[rdim_is[d]]) perm[np++] = d;
    for (int d = 0; d < order_nd; d++)
      if (rdim_is[d] >= 0 && whole[rdim_is[d]]) perm[np++] = d;
    mx_array* b3 = mx_transpose(b2, order_nd, perm, s);
    mx_array_release(b2);
    if (!b3) {
      mxpy_raise();
      goto done;
    }
    int ushape[nI + nd + 1];
    for (int i = 0; i < nI; i++) ushape[i] = b3->shape[i];
    for (int i = 0; i < nd; i++) ushape[nI + i] = whole[i] ? a->shape[i] : 1;
    upd = mx_reshape(b3, nI + nd, ushape, s);
    mx_array_release(b3);
    if (!upd) {
      mxpy_raise();
      goto done;
    }
  }
  result = mx_scatter(a, sn, sidx, upd, saxes, op, s);
  if (!result) mxpy_raise();
done:
  release_n(n, idx);
  release_n(sn, sidx);
  if (upd) mx_array_release(upd);
  return result;
}

/* a[mask] = value: masked_scatter with MLX's reading of the value (a value
 * of at most the unmasked dims broadcasts to all of a; a longer one keeps
 * its leading dims as the list of blocks to place). */
static mx_array* update_masked(mx_array* a, mx_array* mask, mx_array* u, mx_stream s) {
  int nd = a->ndim;
  if (mask->ndim > nd) {
    mx_error(MX_ERR_VALUE, "[masked_scatter] The mask has more dimensions than the array.");
    return NULL;
  }
  int k = nd - mask->ndim;
  mx_array* src;
  if (u->ndim <= k) {
    src = mx_broadcast_to(u, nd, a->shape, s);
  } else {
    int lead = u->ndim - k;
    int shape[u->ndim];
    for (int i = 0; i < lead; i++) shape[i] = u->shape[i];
    for (int i = 0; i < k; i++) shape[lead + i] = a->shape[mask->ndim + i];
    src = mx_broadcast_to(u, u->ndim, shape, s);
  }
  if (!src) return NULL;
  mx_array* r = mx_masked_scatter(a, mask, src, s);
  mx_array_release(src);
  return r;
}

/* The boolean mask when `key` is one (an mx bool array or a list of
 * bools), else NULL with no error. */
static mx_array* mask_key(PyObject* key) {
  if (mxpy_is_array(key) && mxpy_arr(key)->dtype == MX_BOOL) {
    mx_array_retain(mxpy_arr(key));
    return mxpy_arr(key);
  }
  if (PyList_Check(key) && PyList_GET_SIZE(key) > 0) {
    PyObject* f = PyList_GET_ITEM(key, 0);
    while (PyList_Check(f) && PyList_GET_SIZE(f) > 0) f = PyList_GET_ITEM(f, 0);
    if (!PyBool_Check(f)) return NULL;
    mx_array* m = mxpy_to_array(key, -1, true);
    if (!m) {
      PyErr_Clear();
      return NULL;
    }
    if (m->dtype == MX_BOOL) return m;
    mx_array_release(m);
  }
  return NULL;
}

/* a with a[key] op= value applied (a new array), or NULL with an exception. */
static mx_array* updated(mx_array* a, PyObject* key, PyObject* value, mx_scatter_op op,
                         mx_array* (*prep)(mx_array*, mx_stream)) {
  mx_stream s = mx_stream_for_default();
  mx_array* u = value_array(value, a->dtype);
  if (!u) return NULL;
  if (prep) {
    mx_array* p = prep(u, s);
    mx_array_release(u);
    if (!p) return mxpy_raise(), NULL;
    u = p;
  }
  mx_array* r = NULL;
  mx_array* mask = op == MX_SCATTER_NONE ? mask_key(key) : NULL;
  if (mask) {
    r = update_masked(a, mask, u, s);
    mx_array_release(mask);
    if (!r) mxpy_raise();
  } else if (!PyErr_Occurred()) {
    ix_key k;
    if (parse_key(key, a, &k) == 0) {
      if (k.has_array) {
        r = update_advanced(a, &k, u, op, s);
      } else {
        r = update_basic(a, &k, u, op, s);
        if (!r) mxpy_raise();
      }
      key_free(&k);
    }
  }
  mx_array_release(u);
  return r;
}

int mxpy_array_setitem(PyObject* self, PyObject* key, PyObject* value) {
  if (!value) {
    PyErr_SetString(PyExc_TypeError, "mlx.core.array does not support item deletion.");
    return -1;
  }
  mx_array* a = mxpy_arr(self);
  mx_array_retain(a);
  mx_array* r = updated(a, key, value, MX_SCATTER_NONE, NULL);
  mx_array_release(a);
  if (!r) return -1;
  /* MLX semantics: the Python object now holds the updated array. */
  mxpy_array* o = (mxpy_array*)self;
  mx_array* old = o->arr;
  o->arr = r;
  mx_array_release(old);
  return 0;
}

/* --- a.at[key].op(value) -------------------------------------------------------------- */

typedef struct at_object {
  PyObject_HEAD
  PyObject* array; /* the mx.array object */
  PyObject* key;   /* NULL until subscripted */
} at_object;

static void at_dealloc(PyObject* self) {
  at_object* o = (at_object*)self;
  Py_XDECREF(o->array);
  Py_XDECREF(o->key);
  Py_TYPE(self)->tp_free(self);
}

static PyTypeObject at_type;

static PyObject* at_new(PyObject* array, PyObject* key) {
  at_object* o = PyObject_New(at_object, &at_type);
  if (!o) return NULL;
  o->array = Py_NewRef(array);
  o->key = key ? Py_NewRef(key) : NULL;
  return (PyObject*)o;
}

static PyObject* at_getitem(PyObject* self, PyObject* key) {
  return at_new(((at_object*)self)->array, key);
}

static mx_array* negate(mx_array* u, mx_stream s) {
  mx_array* z = mx_array_scalar_i64(0, u->dtype);
  if (!z) return NULL;
  mx_array* r = mx_subtract(z, u, s);
  mx_array_release(z);
  return r;
}

static mx_array* reciprocal(mx_array* u, mx_stream s) {
  mx_array* one = mx_array_scalar_i64(1, u->dtype);
  if (!one) return NULL;
  mx_array* r = mx_divide(one, u, s);
  mx_array_release(one);
  return r;
}

static PyObject* at_apply(PyObject* self, PyObject* value, mx_scatter_op op,
                          mx_array* (*prep)(mx_array*, mx_stream)) {
  at_object* o = (at_object*)self;
  if (!o->key) {
    PyErr_SetString(PyExc_ValueError,
                    "Cannot update the array without indices: use array.at[indices] first.");
    return NULL;
  }
  mx_array* a = mxpy_arr(o->array);
  mx_array_retain(a);
  mx_array* r = updated(a, o->key, value, op, prep);
  mx_array_release(a);
  if (!r) return NULL;
  return mxpy_wrap(r);
}

static PyObject* at_add(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_SUM, NULL);
}
static PyObject* at_subtract(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_SUM, negate);
}
static PyObject* at_multiply(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_PROD, NULL);
}
static PyObject* at_divide(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_PROD, reciprocal);
}
static PyObject* at_maximum(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_MAX, NULL);
}
static PyObject* at_minimum(PyObject* self, PyObject* v) {
  return at_apply(self, v, MX_SCATTER_MIN, NULL);
}

static PyMethodDef at_methods[] = {
    {"add", at_add, METH_O, "add(value): a copy of the array with value added at the indices."},
    {"subtract", at_subtract, METH_O,
     "subtract(value): a copy of the array with value subtracted at the indices."},
    {"multiply", at_multiply, METH_O,
     "multiply(value): a copy of the array multiplied by value at the indices."},
    {"divide", at_divide, METH_O,
     "divide(value): a copy of the array divided by value at the indices."},
    {"maximum", at_maximum, METH_O,
     "maximum(value): a copy of the array with the maximum taken at the indices."},
    {"minimum", at_minimum, METH_O,
     "minimum(value): a copy of the array with the minimum taken at the indices."},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods at_mapping = {.mp_subscript = at_getitem};

static PyTypeObject at_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.ArrayAt",
    .tp_basicsize = sizeof(at_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A helper object to apply updates at specific indices.",
    .tp_dealloc = at_dealloc,
    .tp_methods = at_methods,
    .tp_as_mapping = &at_mapping,
};

PyObject* mxpy_array_at(PyObject* self, void* closure) {
  (void)closure;
  if (!(at_type.tp_flags & Py_TPFLAGS_READY) && PyType_Ready(&at_type) < 0) return NULL;
  return at_new(self, NULL);
}
