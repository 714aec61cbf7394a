/* Transform rules (vjp, jvp, vmap) of the indexing primitives.  This file
 * holds the slice rules (Slice, SliceUpdate and their dynamic forms) and
 * the family's table; gather/scatter live in rules_indexing_gather.c.
 *
 * Index arrays (dynamic starts, gather/scatter indices) are never
 * differentiated: their cotangent is zero, as in MLX.  Where MLX refuses a
 * transform (jvp of a slice update that multiplies or takes extremes) the
 * same error is raised here. */
#include <stdlib.h>
#include <string.h>

#include "rules_indexing.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

mx_array* mx__batch_iota(int n, int nd, mx_stream s) {
  int shape[MX_MAX_NDIM];
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions."), NULL;
  shape[0] = n;
  for (int d = 1; d < nd; d++) shape[d] = 1;
  mx_array* r = mx_arange(0, n, 1, MX_INT32, s);
  mx_array* out = r ? mx_reshape(r, nd, shape, s) : NULL;
  mx_array_release(r);
  return out;
}

mx_array* mx__front_or_broadcast(mx_array* x, int ax, int batch, mx_stream s) {
  if (ax >= 0) return mx__batch_front(x, ax, s);
  int shape[MX_MAX_NDIM];
  if (x->ndim + 1 > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions."), NULL;
  shape[0] = batch;
  memcpy(shape + 1, x->shape, (size_t)x->ndim * sizeof(int));
  int front = 0;
  mx_array* e = mx_expand_dims(x, 1, &front, s);
  mx_array* b = e ? mx_broadcast_to(e, x->ndim + 1, shape, s) : NULL;
  mx_array_release(e);
  return b;
}

/* --- Slice ------------------------------------------------------------------------ */

/* The window of a Slice / SliceUpdate node: starts, strides (from the
 * parameters) and shape (the output's, or the update's). */
typedef struct window {
  int nd;
  int64_t start[MX_MAX_NDIM + 1], step[MX_MAX_NDIM + 1];
  int shape[MX_MAX_NDIM + 1];
} window;

static int get_window(mx_node* node, int nd, const int* shape, window* w) {
  const mx_slice_params* sp = node->params;
  if (nd + 1 > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[transforms] Too many dimensions.");
  w->nd = nd;
  for (int d = 0; d < nd; d++) {
    w->start[d] = sp->v[d];
    w->step[d] = sp->v[sp->ndim + d];
    w->shape[d] = shape[d];
  }
  return 0;
}

/* The same window with a leading batch dim of size b taken whole. */
static void batch_window(window* w, int b) {
  memmove(w->start + 1, w->start, (size_t)w->nd * sizeof(int64_t));
  memmove(w->step + 1, w->step, (size_t)w->nd * sizeof(int64_t));
  memmove(w->shape + 1, w->shape, (size_t)w->nd * sizeof(int));
  w->start[0] = 0;
  w->step[0] = 1;
  w->shape[0] = b;
  w->nd++;
}

static mx_array* win_slice(mx_array* x, const window* w, mx_stream s) {
  return mx_slice_strided(x, w->start, w->shape, w->step, s);
}

static mx_array* win_update(mx_array* x, mx_array* u, const window* w, mx_scatter_op op,
                            mx_stream s) {
  return mx_slice_update_strided(x, u, w->start, w->shape, w->step, op, s);
}

static int vjp_slice(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                     const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  window w;
  if (get_window(node, c[0]->ndim, c[0]->shape, &w) != 0) return -1;
  /* The cotangent goes back into its window of a zero array. */
  mx_array* z = mx_zeros_like(p[0], S);
  g[0] = z ? win_update(z, c[0], &w, MX_SCATTER_NONE, S) : NULL;
  mx_array_release(z);
  return g[0] ? 0 : -1;
}

static int jvp_slice(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                     mx_array** out) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  window w;
  if (get_window(node, nd, sh, &w) != 0) return -1;
  out[0] = win_slice(t[0], &w, S);
  return out[0] ? 0 : -1;
}

static int vmap_slice(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                      int* oax) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  window w;
  if (get_window(node, nd, sh, &w) != 0) return -1;
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  batch_window(&w, x->shape[0]);
  out[0] = win_slice(x, &w, S);
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- SliceUpdate --------------------------------------------------------------------- */

static int vjp_slice_update(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* c, const bool* want, mx_array** g) {
  const mx_slice_params* sp = node->params;
  mx_array *src = p[0], *upd = p[1];
  window w;
  if (get_window(node, upd->ndim, upd->shape, &w) != 0) return -1;
  mx__tmps t = {0};
  mx_array *gs = NULL, *gu = NULL;
  switch (sp->op) {
    case MX_SCATTER_NONE: {
      /* The window was overwritten: the source gets nothing there. */
      mx_array* z = want[0] ? K(mx_zeros_like(upd, S)) : NULL;
      if (want[0]) gs = K(win_update(c[0], z, &w, MX_SCATTER_NONE, S));
      if (want[1]) gu = K(win_slice(c[0], &w, S));
      break;
    }
    case MX_SCATTER_SUM:
      gs = want[0] ? c[0] : NULL;
      if (want[1]) gu = K(win_slice(c[0], &w, S));
      break;
    case MX_SCATTER_PROD: {
      /* y = src * upd on the window. */
      if (want[0]) gs = K(win_update(c[0], upd, &w, MX_SCATTER_PROD, S));
      if (want[1]) {
        mx_array* cs = K(win_slice(c[0], &w, S));
        mx_array* ss = K(win_slice(src, &w, S));
        gu = K(mx_multiply(cs, ss, S));
      }
      break;
    }
    default: {
      /* Max / min: each side gets the cotangent where it is the result. */
      mx_array* y = o[0];
      if (!y) y = K(win_update(src, upd, &w, (mx_scatter_op)sp->op, S));
      if (want[0]) {
        mx_array* m = K(mx_equal(y, src, S));
        mx_array* z = K(mx_zeros_like(c[0], S));
        gs = K(mx_where(m, c[0], z, S));
      }
      if (want[1]) {
        mx_array* ys = K(win_slice(y, &w, S));
        mx_array* cs = K(win_slice(c[0], &w, S));
        mx_array* m = K(mx_equal(ys, upd, S));
        mx_array* z = K(mx_zeros_like(cs, S));
        gu = K(mx_where(m, cs, z, S));
      }
      break;
    }
  }
  if (!t.failed) {
    g[0] = mx__give(gs);
    g[1] = mx__give(gu);
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

static int jvp_slice_update(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* tn, mx_array** out) {
  const mx_slice_params* sp = node->params;
  if (sp->op != MX_SCATTER_NONE && sp->op != MX_SCATTER_SUM)
    return mx_error(MX_ERR_RUNTIME,
                    "[SliceUpdate] JVP for product, minimum and maximum not implemented.");
  mx_array *src = p[0], *upd = p[1];
  window w;
  if (get_window(node, upd->ndim, upd->shape, &w) != 0) return -1;
  mx__tmps t = {0};
  mx_array* ts = tn[0] ? tn[0] : K(mx_zeros_like(src, S));
  mx_array* tu = tn[1] ? tn[1] : K(mx_zeros_like(upd, S));
  mx_array* r = K(win_update(ts, tu, &w, (mx_scatter_op)sp->op, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

static int vmap_slice_update(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                             int* oax) {
  const mx_slice_params* sp = node->params;
  mx_array* b[2];
  window w;
  if (get_window(node, node->inputs[1]->ndim, node->inputs[1]->shape, &w) != 0) return -1;
  if (mx__batch_all_front(2, in, ax, b, S) != 0) return -1;
  batch_window(&w, b[0]->shape[0]);
  out[0] = win_update(b[0], b[1], &w, (mx_scatter_op)sp->op, S);
  mx_array_release(b[0]);
  mx_array_release(b[1]);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- DynamicSlice, DynamicSliceUpdate --------------------------------------------------- */

static int vjp_dyn_slice(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  const mx_dyn_slice_params* dp = node->params;
  if (!want[0]) return 0;
  mx_array* z = mx_zeros_like(p[0], S);
  g[0] = z ? mx_slice_update_dynamic(z, c[0], p[1], dp->naxes, dp->axes, S) : NULL;
  mx_array_release(z);
  return g[0] ? 0 : -1;
}

static int jvp_dyn_slice(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* tn, mx_array** out) {
  const mx_dyn_slice_params* dp = node->params;
  if (!tn[0]) return 0;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  out[0] = mx_slice_dynamic(tn[0], p[1], dp->naxes, dp->axes, nd, sh, S);
  return out[0] ? 0 : -1;
}

/* Per-batch starts (B, naxes) made into one clamped start per batch row
 * and axis k, as the dynamic slice kernels place their windows: negative
 * starts count from the end once, then the window is kept inside. */
static mx_array* row_start(mx__tmps* tp, mx_array* starts, int k, int dim, int size,
                           mx_stream s) {
#define T(expr) MX_KEEP(tp, (expr))
  int st[2] = {0, k}, sp[2] = {starts->shape[0], k + 1};
  mx_array* col = T(mx_slice(starts, 2, st, sp, NULL, s));
  int b = starts->shape[0];
  mx_array* v = T(mx_reshape(col, 1, &b, s));
  mx_array* vi = T(mx_astype(v, MX_INT32, s));
  mx_array* zero = T(mx_array_scalar_f64(0, MX_INT32));
  mx_array* d = T(mx_array_scalar_f64(dim, MX_INT32));
  mx_array* hi = T(mx_array_scalar_f64(dim - size, MX_INT32));
  mx_array* neg = T(mx_less(vi, zero, s));
  mx_array* wrapped = T(mx_add(vi, d, s));
  mx_array* w = T(mx_where(neg, wrapped, vi, s));
  mx_array* lo = T(mx_maximum(w, zero, s));
  return T(mx_minimum(lo, hi, s));
#undef T
}

/* (B, naxes) starts for batched start arrays (B, ...naxes elements). */
static mx_array* starts_rows(mx__tmps* tp, mx_array* start_b, mx_stream s) {
  int shape[2] = {start_b->shape[0], start_b->shape[0] ? (int)(start_b->size / start_b->shape[0]) : 0};
  return MX_KEEP(tp, mx_reshape(start_b, 2, shape, s));
}

static int vmap_dyn_slice(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  const mx_dyn_slice_params* dp = node->params;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  if (nd + 1 > MX_MAX_NDIM || dp->naxes + 1 > MX_MAX_NDIM)
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  mx__tmps t = {0};
  int axes[MX_MAX_NDIM + 1], size[MX_MAX_NDIM + 1];
  oax[0] = 0;
  if (ax[1] < 0) {
    /* One window for every batch row. */
    mx_array* x = K(mx__batch_front(in[0], ax[0], S));
    for (int k = 0; k < dp->naxes; k++) axes[k] = dp->axes[k] + 1;
    size[0] = x ? x->shape[0] : 0;
    memcpy(size + 1, sh, (size_t)nd * sizeof(int));
    mx_array* r = K(mx_slice_dynamic(x, in[1], dp->naxes, axes, nd + 1, size, S));
    out[0] = t.failed ? NULL : mx__give(r);
    mx__tmps_free(&t);
    return out[0] ? 0 : -1;
  }
  /* Each batch row has its own start: a gather of one window per row. */
  const mx_array* a0 = node->inputs[0];
  mx_array* sb = K(mx__batch_front(in[1], ax[1], S));
  mx_array* rows = t.failed ? NULL : starts_rows(&t, sb, S);
  int batch = sb ? sb->shape[0] : 0;
  mx_array* idx[MX_MAX_NDIM + 1];
  int n = 0;
  mx_array* x;
  if (ax[0] >= 0) {
    x = K(mx__batch_front(in[0], ax[0], S));
    idx[n] = K(mx__batch_iota(batch, 1, S));
    axes[n] = 0;
    size[0] = 1;
    n++;
  } else {
    x = in[0];
  }
  int off = ax[0] >= 0 ? 1 : 0;
  for (int d = 0; d < nd; d++) size[off + d] = sh[d];
  for (int k = 0; k < dp->naxes && !t.failed; k++) {
    int a = dp->axes[k];
    idx[n] = row_start(&t, rows, k, a0->shape[a], sh[a], S);
    axes[n] = a + off;
    n++;
  }
  mx_array* gth = t.failed ? NULL : K(mx_gather(x, n, idx, axes, size, S));
  int oshape[MX_MAX_NDIM + 1];
  oshape[0] = batch;
  memcpy(oshape + 1, sh, (size_t)nd * sizeof(int));
  mx_array* r = K(mx_reshape(gth, nd + 1, oshape, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

static int vjp_dyn_update(mx_node* node, mx_array* const* p, mx_array* const* o,
                          mx_array* const* c, const bool* want, mx_array** g) {
  const mx_dyn_slice_params* dp = node->params;
  mx_array *upd = p[1], *start = p[2];
  if (want[0]) {
    mx_array* z = mx_zeros_like(upd, S);
    g[0] = z ? mx_slice_update_dynamic(c[0], z, start, dp->naxes, dp->axes, S) : NULL;
    mx_array_release(z);
    if (!g[0]) return -1;
  }
  if (want[1]) {
    g[1] = mx_slice_dynamic(c[0], start, dp->naxes, dp->axes, upd->ndim, upd->shape, S);
    if (!g[1]) return -1;
  }
  return 0;
}

static int jvp_dyn_update(mx_node* node, mx_array* const* p, mx_array* const* o,
                          mx_array* const* tn, mx_array** out) {
  const mx_dyn_slice_params* dp = node->params;
  if (!tn[0] && !tn[1]) return 0;
  mx__tmps t = {0};
  mx_array* ts = tn[0] ? tn[0] : K(mx_zeros_like(p[0], S));
  mx_array* tu = tn[1] ? tn[1] : K(mx_zeros_like(p[1], S));
  mx_array* r = K(mx_slice_update_dynamic(ts, tu, p[2], dp->naxes, dp->axes, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

static int vmap_dyn_update(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                           int* oax) {
  const mx_dyn_slice_params* dp = node->params;
  const mx_array* src0 = node->inputs[0];
  const mx_array* upd0 = node->inputs[1];
  int nd = src0->ndim;
  if (nd + 2 > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  mx__tmps t = {0};
  mx_array* b[2];
  oax[0] = 0;
  int batch = mx__batch_size(3, in, ax);
  b[0] = K(mx__front_or_broadcast(in[0], ax[0], batch, S));
  b[1] = K(mx__front_or_broadcast(in[1], ax[1], batch, S));
  if (t.failed) {
    mx__tmps_free(&t);
    return -1;
  }
  int axes[MX_MAX_NDIM + 1];
  if (ax[2] < 0) {
    for (int k = 0; k < dp->naxes; k++) axes[k] = dp->axes[k] + 1;
    mx_array* r = K(mx_slice_update_dynamic(b[0], b[1], in[2], dp->naxes, axes, S));
    out[0] = t.failed ? NULL : mx__give(r);
    mx__tmps_free(&t);
    return out[0] ? 0 : -1;
  }
  /* Per-row starts: a scatter of one window per batch row. */
  mx_array* sb = K(mx__batch_front(in[2], ax[2], S));
  mx_array* rows = t.failed ? NULL : starts_rows(&t, sb, S);
  mx_array* idx[MX_MAX_NDIM + 1];
  int n = 0;
  idx[n] = K(mx__batch_iota(batch, 1, S));
  axes[n++] = 0;
  for (int k = 0; k < dp->naxes && !t.failed; k++) {
    int a = dp->axes[k];
    idx[n] = row_start(&t, rows, k, src0->shape[a], upd0->shape[a], S);
    axes[n++] = a + 1;
  }
  /* Updates (B, window) become (B, 1, window): one slice per index. */
  int one = 1;
  mx_array* u = K(mx_expand_dims(b[1], 1, &one, S));
  mx_array* r = t.failed ? NULL : K(mx_scatter(b[0], n, idx, u, axes, MX_SCATTER_NONE, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

const mx_transform_rules mx__rules_indexing[MX_PRIM_COUNT] = {
    MX_RULE(SLICE, vjp_slice, jvp_slice, vmap_slice)
    MX_RULE(SLICE_UPDATE, vjp_slice_update, jvp_slice_update, vmap_slice_update)
    MX_RULE(DYNAMIC_SLICE, vjp_dyn_slice, jvp_dyn_slice, vmap_dyn_slice)
    MX_RULE(DYNAMIC_SLICE_UPDATE, vjp_dyn_update, jvp_dyn_update, vmap_dyn_update)
    MX_RULE(GATHER, mx__vjp_gather, mx__jvp_gather, mx__vmap_gather)
    MX_RULE(SCATTER, mx__vjp_scatter, mx__jvp_scatter, mx__vmap_scatter)
    MX_RULE(GATHER_AXIS, mx__vjp_gather_axis, mx__jvp_gather_axis, mx__vmap_gather_axis)
    MX_RULE(SCATTER_AXIS, mx__vjp_scatter_axis, mx__jvp_scatter_axis, mx__vmap_scatter_axis)
    MX_RULE(MASKED_SCATTER, mx__vjp_masked_scatter, mx__jvp_masked_scatter, mx__vmap_masked_scatter)
};
