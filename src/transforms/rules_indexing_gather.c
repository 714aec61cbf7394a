/* Transform rules of Gather, Scatter, GatherAxis, ScatterAxis and
 * MaskedScatter (the table is in rules_indexing.c).
 *
 * vmap folds the batch into the indices: with the source batched, an extra
 * index array 0..B-1 along the source's new leading axis picks each row's
 * own source, and every other index array (batched or not) broadcasts
 * against it, so one gather / scatter serves the whole batch. */
#include <string.h>

#include "rules_indexing.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* --- Gather ------------------------------------------------------------------------ */

/* Slice sizes of a gather node: the output's trailing a.ndim dims. */
static void gather_sizes(mx_node* node, int* sizes) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  int and_ = node->inputs[0]->ndim;
  memcpy(sizes, sh + (nd - and_), (size_t)and_ * sizeof(int));
}

int mx__vjp_gather(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g) {
  const mx_gather_params* gp = node->params;
  if (!want[0]) return 0;
  /* Every gathered slice adds back to where it came from. */
  mx_array* z = mx_zeros_like(p[0], S);
  g[0] = z ? mx_scatter(z, gp->naxes, p + 1, c[0], gp->axes, MX_SCATTER_SUM, S) : NULL;
  mx_array_release(z);
  return g[0] ? 0 : -1;
}

int mx__jvp_gather(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                   mx_array** out) {
  const mx_gather_params* gp = node->params;
  if (!tn[0]) return 0;
  int sizes[MX_MAX_NDIM];
  if (p[0]->ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[jvp] Too many dimensions.");
  gather_sizes(node, sizes);
  out[0] = mx_gather(tn[0], gp->naxes, p + 1, gp->axes, sizes, S);
  return out[0] ? 0 : -1;
}

/* The index arrays of a batched gather/scatter: batched ones with the
 * batch in front, the others as they are (they broadcast against the
 * front ones), and, when the source is batched, 0..B-1 first along a new
 * axis 0 (shaped to broadcast over the index dims).  Writes n_idx arrays
 * (kept in t) and their axes; returns how many, or -1. */
static int batched_indices(mx__tmps* tp, mx_node* node, mx_array* const* idx, const int* iax,
                           int n, int idx_nd, bool src_batched, int batch, mx_array** out,
                           int* axes) {
  const mx_gather_params* gp = node->params;
  int k = 0;
  if (src_batched) {
    out[k] = MX_KEEP(tp, mx__batch_iota(batch, idx_nd + 1, S));
    axes[k++] = 0;
  }
  for (int i = 0; i < n; i++) {
    out[k] = iax[i] >= 0 ? MX_KEEP(tp, mx__batch_front(idx[i], iax[i], S)) : idx[i];
    axes[k++] = gp->axes[i] + (src_batched ? 1 : 0);
  }
  return tp->failed ? -1 : k;
}

int mx__vmap_gather(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                    int* oax) {
  int n = node->n_inputs - 1;
  int and_ = node->inputs[0]->ndim;
  int ond;
  const int* osh;
  mx_dtype odt;
  mx_node_output_info(node, 0, &ond, &osh, &odt);
  int idx_nd = ond - and_;
  if (ond + 2 > MX_MAX_NDIM || n + 1 > MX_MAX_NDIM)
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  int batch = mx__batch_size(node->n_inputs, in, ax);
  bool src_b = ax[0] >= 0;
  mx__tmps t = {0};
  mx_array* idx[MX_MAX_NDIM + 1];
  int axes[MX_MAX_NDIM + 1], sizes[MX_MAX_NDIM + 1];
  mx_array* x = src_b ? K(mx__batch_front(in[0], ax[0], S)) : in[0];
  int k = t.failed ? -1 : batched_indices(&t, node, in + 1, ax + 1, n, idx_nd, src_b, batch, idx, axes);
  if (src_b) sizes[0] = 1;
  gather_sizes(node, sizes + (src_b ? 1 : 0));
  mx_array* gth = k < 0 ? NULL : K(mx_gather(x, k, idx, axes, sizes, S));
  /* (B, idx..., [1,] slice...) -> (B, idx..., slice...). */
  int shape[MX_MAX_NDIM + 1];
  shape[0] = batch;
  memcpy(shape + 1, osh, (size_t)ond * sizeof(int));
  mx_array* r = K(mx_reshape(gth, ond + 1, shape, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- Scatter ------------------------------------------------------------------------- */

int mx__vjp_scatter(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  const mx_gather_params* gp = node->params;
  int n = gp->naxes;
  mx_array *a = p[0], *upd = p[n + 1];
  mx_array* const* idx = p + 1;
  if (gp->op == MX_SCATTER_PROD)
    return mx_error(MX_ERR_RUNTIME, "[scatter] VJP not implemented for scatter_prod");
  int sizes[MX_MAX_NDIM];
  if (a->ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions.");
  int bnd = upd->ndim - a->ndim;
  memcpy(sizes, upd->shape + bnd, (size_t)a->ndim * sizeof(int));
  mx__tmps t = {0};
  mx_array *ga = NULL, *gu = NULL;
  if (gp->op == MX_SCATTER_NONE) {
    /* Overwritten positions give the source nothing; every update (even
     * one later overwritten by a repeated index) reads its position. */
    if (want[0]) {
      mx_array* z = K(mx_zeros_like(upd, S));
      ga = K(mx_scatter(c[0], n, idx, z, gp->axes, MX_SCATTER_NONE, S));
    }
    if (want[n + 1]) gu = K(mx_gather(c[0], n, idx, gp->axes, sizes, S));
  } else if (gp->op == MX_SCATTER_SUM) {
    ga = want[0] ? c[0] : NULL;
    if (want[n + 1]) gu = K(mx_gather(c[0], n, idx, gp->axes, sizes, S));
  } else {
    /* Max / min: the cotangent goes to whichever values equal the result. */
    mx_array* y = o[0] ? o[0] : K(mx_scatter(a, n, idx, upd, gp->axes, (mx_scatter_op)gp->op, S));
    if (want[0]) {
      mx_array* m = K(mx_equal(y, a, S));
      mx_array* z = K(mx_zeros_like(c[0], S));
      ga = K(mx_where(m, c[0], z, S));
    }
    if (want[n + 1]) {
      mx_array* cg = K(mx_gather(c[0], n, idx, gp->axes, sizes, S));
      mx_array* yg = K(mx_gather(y, n, idx, gp->axes, sizes, S));
      mx_array* m = K(mx_equal(yg, upd, S));
      mx_array* z = K(mx_zeros_like(cg, S));
      gu = K(mx_where(m, cg, z, S));
    }
  }
  if (!t.failed) {
    g[0] = mx__give(ga);
    g[n + 1] = mx__give(gu);
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

int mx__jvp_scatter(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                    mx_array** out) {
  return mx_error(MX_ERR_RUNTIME, "[scatter] JVP not yet implemented");
}

int mx__vmap_scatter(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  const mx_gather_params* gp = node->params;
  int n = gp->naxes;
  int and_ = node->inputs[0]->ndim;
  int und = node->inputs[n + 1]->ndim;
  int idx_nd = und - and_;
  if (und + 2 > MX_MAX_NDIM || n + 1 > MX_MAX_NDIM)
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  int batch = mx__batch_size(node->n_inputs, in, ax);
  mx__tmps t = {0};
  /* The source and the updates are batched in front (copies of the
   * unbatched ones broadcast); the updates get a size-1 slice dim for the
   * batch axis of the source. */
  mx_array* pair[2];
  pair[0] = K(mx__front_or_broadcast(in[0], ax[0], batch, S));
  pair[1] = K(mx__front_or_broadcast(in[n + 1], ax[n + 1], batch, S));
  if (t.failed) {
    mx__tmps_free(&t);
    return -1;
  }
  mx_array* idx[MX_MAX_NDIM + 1];
  int axes[MX_MAX_NDIM + 1];
  int k = batched_indices(&t, node, in + 1, ax + 1, n, idx_nd, true, batch, idx, axes);
  int at = 1 + idx_nd;
  mx_array* u = K(mx_expand_dims(pair[1], 1, &at, S));
  mx_array* r = k < 0 ? NULL : K(mx_scatter(pair[0], k, idx, u, axes, (mx_scatter_op)gp->op, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- GatherAxis, ScatterAxis ----------------------------------------------------------- */

int mx__vjp_gather_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* c, const bool* want, mx_array** g) {
  const mx_axis_index_params* ap = node->params;
  if (!want[0]) return 0;
  mx_array* z = mx_zeros_like(p[0], S);
  g[0] = z ? mx_scatter_add_axis(z, p[1], c[0], ap->axis, S) : NULL;
  mx_array_release(z);
  return g[0] ? 0 : -1;
}

int mx__jvp_gather_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* tn, mx_array** out) {
  const mx_axis_index_params* ap = node->params;
  if (!tn[0]) return 0;
  out[0] = mx_take_along_axis(tn[0], p[1], ap->axis, S);
  return out[0] ? 0 : -1;
}

int mx__vmap_gather_axis(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                         int* oax) {
  const mx_axis_index_params* ap = node->params;
  mx_array* b[2];
  if (mx__batch_all_front(2, in, ax, b, S) != 0) return -1;
  out[0] = mx_take_along_axis(b[0], b[1], ap->axis + 1, S);
  mx_array_release(b[0]);
  mx_array_release(b[1]);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

static mx_array* scatter_axis_op(mx_array* a, mx_array* idx, mx_array* v, int axis, int op,
                                 mx_stream s) {
  return op == MX_SCATTER_SUM ? mx_scatter_add_axis(a, idx, v, axis, s)
                              : mx_put_along_axis(a, idx, v, axis, s);
}

int mx__vjp_scatter_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  const mx_axis_index_params* ap = node->params;
  if (want[0]) {
    if (ap->op == MX_SCATTER_SUM) {
      g[0] = mx__give(c[0]);
    } else {
      mx_array* z = mx_array_scalar_f64(0, c[0]->dtype);
      g[0] = z ? mx_put_along_axis(c[0], p[1], z, ap->axis, S) : NULL;
      mx_array_release(z);
    }
    if (!g[0]) return -1;
  }
  if (want[2]) {
    g[2] = mx_take_along_axis(c[0], p[1], ap->axis, S);
    if (!g[2]) return -1;
  }
  return 0;
}

int mx__jvp_scatter_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* tn, mx_array** out) {
  const mx_axis_index_params* ap = node->params;
  if (!tn[0] && !tn[2]) return 0;
  mx__tmps t = {0};
  mx_array* ta = tn[0] ? tn[0] : K(mx_zeros_like(p[0], S));
  mx_array* tv = tn[2] ? tn[2] : K(mx_zeros_like(p[2], S));
  mx_array* r = K(scatter_axis_op(ta, p[1], tv, ap->axis, ap->op, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

int mx__vmap_scatter_axis(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  const mx_axis_index_params* ap = node->params;
  mx_array* b[3];
  if (mx__batch_all_front(3, in, ax, b, S) != 0) return -1;
  out[0] = scatter_axis_op(b[0], b[1], b[2], ap->axis + 1, ap->op, S);
  for (int i = 0; i < 3; i++) mx_array_release(b[i]);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- MaskedScatter ------------------------------------------------------------------------ */

/* Inputs (a, mask broadcast to a, src): the k-th selected position of a
 * (row-major) takes element k of the flattened src. */

int mx__vjp_masked_scatter(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* c, const bool* want, mx_array** g) {
  mx_array *mask = p[1], *src = p[2];
  mx__tmps t = {0};
  mx_array *ga = NULL, *gs = NULL;
  if (want[0]) {
    mx_array* z = K(mx_zeros_like(c[0], S));
    ga = K(mx_where(mask, z, c[0], S));
  }
  if (want[2] && src->size > 0) {
    /* Selected position k (counted by a running sum of the mask) sends
     * its cotangent to src element k; the others add zero at 0. */
    int n = (int)c[0]->size, m = (int)src->size;
    mx_array* mf = K(mx_reshape(mask, 1, &n, S));
    mx_array* cf = K(mx_reshape(c[0], 1, &n, S));
    mx_array* cnt = K(mx_cumsum(mf, false, 0, false, false, MX_INT32, S));
    mx_array* z = K(mx_array_scalar_f64(0, MX_INT32));
    mx_array* pos = K(mx_where(mf, cnt, z, S));
    mx_array* zc = K(mx_zeros_like(cf, S));
    mx_array* val = K(mx_where(mf, cf, zc, S));
    mx_array* zs = K(mx_zeros(1, &m, c[0]->dtype, S));
    mx_array* acc = K(mx_scatter_add_axis(zs, pos, val, 0, S));
    gs = K(mx_reshape(acc, src->ndim, src->shape, S));
  }
  if (!t.failed) {
    g[0] = mx__give(ga);
    g[2] = mx__give(gs);
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

int mx__jvp_masked_scatter(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* tn, mx_array** out) {
  if (!tn[0] && !tn[2]) return 0;
  mx__tmps t = {0};
  mx_array* ta = tn[0] ? tn[0] : K(mx_zeros_like(p[0], S));
  mx_array* ts = tn[2] ? tn[2] : K(mx_zeros_like(p[2], S));
  mx_array* r = K(mx_masked_scatter(ta, p[1], ts, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

/* Each batch row consumes its own src from the start, so the rows are
 * done with a per-row running count into the flattened src rows. */
int mx__vmap_masked_scatter(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                            int* oax) {
  mx_array* b[3];
  if (mx__batch_all_front(3, in, ax, b, S) != 0) return -1;
  mx__tmps t = {0};
  for (int i = 0; i < 3; i++) mx__keep(&t, b[i]);
  mx_array *a = b[0], *mask = b[1], *src = b[2];
  int batch = a->shape[0];
  int n = batch ? (int)(a->size / batch) : 0;
  int m = batch ? (int)(src->size / batch) : 0;
  oax[0] = 0;
  mx_array* r;
  if (m == 0 || n == 0) {
    /* Nothing to take from: no position may be selected. */
    r = a;
  } else {
    int fs[2] = {batch, n}, ss[2] = {batch, m};
    mx_array* mf = K(mx_reshape(mask, 2, fs, S));
    mx_array* sf = K(mx_reshape(src, 2, ss, S));
    mx_array* cnt = K(mx_cumsum(mf, false, 1, false, false, MX_INT32, S));
    mx_array* hi = K(mx_array_scalar_f64(m - 1, MX_INT32));
    mx_array* pos = K(mx_minimum(cnt, hi, S));
    mx_array* vals = K(mx_take_along_axis(sf, pos, 1, S));
    mx_array* vr = K(mx_reshape(vals, a->ndim, a->shape, S));
    r = K(mx_where(mask, vr, a, S));
  }
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}
