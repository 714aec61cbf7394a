/* Transform rules (vjp, jvp, vmap) of the shape primitives: StridedView,
 * AsStrided, View, Contiguous, Concatenate, Pad and TriMask.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 *
 * Eye, Tri and Window have no inputs, so no transform ever reaches them.
 * Where MLX refuses a transform (vjp/jvp of a dtype-changing View, vmap
 * of AsStrided, vmap over a pad value) the same error is raised here. */
#include <stdlib.h>
#include <string.h>

#include "rules_util.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* Scatter-adds c (any shape) into a zero array shaped like `like`, at the
 * row-major flat positions `flat` (c's shape). */
static mx_array* add_at_flat(mx_array* c, mx_array* flat, const mx_array* like, mx_stream s) {
  mx__tmps t = {0};
  int n = (int)c->size, m = (int)like->size;
  mx_array* cf = K(mx_reshape(c, 1, &n, s));
  mx_array* ff = K(mx_reshape(flat, 1, &n, s));
  mx_array* z = K(mx_zeros(1, &m, c->dtype, s));
  mx_array* acc = K(mx_scatter_add_axis(z, ff, cf, 0, s));
  mx_array* r = K(mx_reshape(acc, like->ndim, like->shape, s));
  r = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return r;
}

/* base + sum_j i_j * step[j] over an index grid of `shape` (int64 when
 * the source is too large for int32 positions). */
static mx_array* affine_positions(int nd, const int* shape, int64_t base, const int64_t* step,
                                  int64_t limit, mx_stream s) {
  mx_dtype dt = limit > INT32_MAX ? MX_INT64 : MX_INT32;
  mx__tmps t = {0};
  mx_array* acc = K(mx_array_scalar_f64((double)base, dt));
  int one[MX_MAX_NDIM];
  for (int j = 0; j < nd; j++) one[j] = 1;
  for (int j = 0; j < nd && !t.failed; j++) {
    if (step[j] == 0 || shape[j] == 1) continue;
    mx_array* r = K(mx_arange(0, shape[j], 1, dt, s));
    one[j] = shape[j];
    mx_array* rr = K(mx_reshape(r, nd, one, s));
    one[j] = 1;
    mx_array* st = K(mx_array_scalar_f64((double)step[j], dt));
    mx_array* term = K(mx_multiply(rr, st, s));
    acc = K(mx_add(acc, term, s));
  }
  mx_array* full = K(mx_broadcast_to(acc, nd, shape, s));
  full = t.failed ? NULL : mx__give(full);
  mx__tmps_free(&t);
  return full;
}

/* --- StridedView ------------------------------------------------------------------ */

static int vjp_strided_view(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* c, const bool* want, mx_array** g) {
  const mx_strided_view_params* vp = node->params;
  mx_array* a = p[0];
  if (!want[0]) return 0;
  if (vp->out_ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions.");
  /* The view reads a at flat position base + sum_j i_j coef[j] (row-major
   * strides of a); the cotangent adds back there (a view may read one
   * element twice, e.g. broadcast-like coefficients). */
  int64_t rs = 1, rstride[MX_MAX_NDIM];
  for (int d = a->ndim - 1; d >= 0; d--) {
    rstride[d] = rs;
    rs *= a->shape[d];
  }
  int64_t base = 0, step[MX_MAX_NDIM];
  for (int d = 0; d < vp->in_ndim; d++) base += vp->v[d] * rstride[d];
  for (int j = 0; j < vp->out_ndim; j++) {
    step[j] = 0;
    for (int d = 0; d < vp->in_ndim; d++) step[j] += vp->v[vp->in_ndim + j * vp->in_ndim + d] * rstride[d];
  }
  if (c[0]->size == 0 || a->size == 0) return 0;
  mx_array* pos = affine_positions(c[0]->ndim, c[0]->shape, base, step, a->size, S);
  g[0] = pos ? add_at_flat(c[0], pos, a, S) : NULL;
  mx_array_release(pos);
  return g[0] ? 0 : -1;
}

static int jvp_strided_view(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* tn, mx_array** out) {
  const mx_strided_view_params* vp = node->params;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  out[0] = mx_strided_view(tn[0], nd, sh, vp->v, vp->v + vp->in_ndim, S);
  return out[0] ? 0 : -1;
}

static int vmap_strided_view(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                             int* oax) {
  const mx_strided_view_params* vp = node->params;
  int ind = vp->in_ndim + 1, ond = vp->out_ndim + 1;
  if (ind > MX_MAX_NDIM || ond > MX_MAX_NDIM)
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  /* The batch is one more output dim that walks the new leading input dim. */
  int64_t* base = calloc((size_t)ind * (size_t)(ond + 1), sizeof(int64_t));
  if (!base) {
    mx_array_release(x);
    return mx_error(MX_ERR_MEMORY, "[vmap] Out of memory.");
  }
  int64_t* coef = base + ind;
  for (int d = 0; d < vp->in_ndim; d++) base[d + 1] = vp->v[d];
  coef[0] = 1;
  for (int j = 0; j < vp->out_ndim; j++)
    for (int d = 0; d < vp->in_ndim; d++)
      coef[(j + 1) * ind + d + 1] = vp->v[vp->in_ndim + j * vp->in_ndim + d];
  int shape[MX_MAX_NDIM];
  shape[0] = x->shape[0];
  memcpy(shape + 1, sh, (size_t)nd * sizeof(int));
  out[0] = mx_strided_view(x, ond, shape, base, coef, S);
  free(base);
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- AsStrided ------------------------------------------------------------------------ */

static int vjp_as_strided(mx_node* node, mx_array* const* p, mx_array* const* o,
                          mx_array* const* c, const bool* want, mx_array** g) {
  const mx_as_strided_params* ap = node->params;
  if (!want[0] || c[0]->size == 0 || p[0]->size == 0) return 0;
  mx_array* pos = affine_positions(c[0]->ndim, c[0]->shape, ap->offset, ap->strides, p[0]->size, S);
  g[0] = pos ? add_at_flat(c[0], pos, p[0], S) : NULL;
  mx_array_release(pos);
  return g[0] ? 0 : -1;
}

static int jvp_as_strided(mx_node* node, mx_array* const* p, mx_array* const* o,
                          mx_array* const* tn, mx_array** out) {
  const mx_as_strided_params* ap = node->params;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  out[0] = mx_as_strided(tn[0], nd, sh, ap->strides, ap->offset, S);
  return out[0] ? 0 : -1;
}

static int vmap_as_strided(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                           int* oax) {
  return mx_error(MX_ERR_VALUE, "[Primitive::vmap] Not implemented for AsStrided.");
}

/* --- View, Contiguous ----------------------------------------------------------------- */

static int vjp_view(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  return mx_error(MX_ERR_VALUE, "[Primitive::vjp] Not implemented for View %s.", mx_dtype_name(dt));
}

static int jvp_view(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                    mx_array** out) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  return mx_error(MX_ERR_VALUE, "[Primitive::jvp] Not implemented for View %s.", mx_dtype_name(dt));
}

static int vmap_view(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  /* The last dim rescales with the item size: keep the batch off it. */
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  out[0] = x ? mx_view(x, dt, S) : NULL;
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

static int vjp_identity(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* c, const bool* want, mx_array** g) {
  if (want[0]) g[0] = mx__give(c[0]);
  return 0;
}

static int jvp_identity(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* tn, mx_array** out) {
  out[0] = mx__give(tn[0]);
  return 0;
}

static int vmap_contiguous(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                           int* oax) {
  const mx_contiguous_params* cp = node->params;
  out[0] = mx_contiguous(in[0], cp->allow_col_major != 0, S);
  oax[0] = ax[0];
  return out[0] ? 0 : -1;
}

/* --- Concatenate ------------------------------------------------------------------------ */

static int vjp_concatenate(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* c, const bool* want, mx_array** g) {
  const mx_concatenate_params* cp = node->params;
  int nd = c[0]->ndim, ax = cp->axis;
  int start[MX_MAX_NDIM], stop[MX_MAX_NDIM];
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions.");
  for (int d = 0; d < nd; d++) {
    start[d] = 0;
    stop[d] = c[0]->shape[d];
  }
  int at = 0;
  for (int i = 0; i < node->n_inputs; i++) {
    int len = p[i]->shape[ax];
    if (want[i]) {
      start[ax] = at;
      stop[ax] = at + len;
      if (!(g[i] = mx_slice(c[0], nd, start, stop, NULL, S))) return -1;
    }
    at += len;
  }
  return 0;
}

static int jvp_concatenate(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* tn, mx_array** out) {
  const mx_concatenate_params* cp = node->params;
  int n = node->n_inputs;
  mx_array** ts = calloc((size_t)n, sizeof *ts);
  if (!ts) return mx_error(MX_ERR_MEMORY, "[jvp] Out of memory.");
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    ts[i] = tn[i] ? mx__give(tn[i]) : mx_zeros_like(p[i], S);
    if (!ts[i]) rc = -1;
  }
  if (rc == 0 && !(out[0] = mx_concatenate(n, ts, cp->axis, S))) rc = -1;
  mx_arrays_free(n, ts);
  return rc;
}

static int vmap_concatenate(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                            int* oax) {
  const mx_concatenate_params* cp = node->params;
  int n = node->n_inputs;
  mx_array** b = calloc((size_t)n, sizeof *b);
  if (!b) return mx_error(MX_ERR_MEMORY, "[vmap] Out of memory.");
  int rc = mx__batch_all_front(n, in, ax, b, S);
  if (rc == 0) {
    out[0] = mx_concatenate(n, b, cp->axis + 1, S);
    if (!out[0]) rc = -1;
    for (int i = 0; i < n; i++) mx_array_release(b[i]);
  }
  free(b);
  oax[0] = 0;
  return rc;
}

/* --- Pad ------------------------------------------------------------------------------------- */

/* Where output position j (of n_out) along one dim reads the input (of
 * n), or -1 for a constant-mode fill; the same rules as the pad kernel. */
static int pad_source(int mode, int j, int lo, int n) {
  int k = j - lo;
  if (k >= 0 && k < n) return k;
  switch (mode) {
    case MX_PAD_CONSTANT: return -1;
    case MX_PAD_EDGE: return k < 0 ? 0 : n - 1;
    case MX_PAD_REFLECT: {
      if (n == 1) return 0;
      int period = 2 * (n - 1);
      int m = k < 0 ? -k : k;
      m %= period;
      return m < n ? m : period - m;
    }
    default: {
      int period = 2 * n;
      int m = ((k % period) + period) % period;
      return m < n ? m : period - 1 - m;
    }
  }
}

static int vjp_pad(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g) {
  const mx_pad_params* pp = node->params;
  mx_array* a = p[0];
  int nd = a->ndim;
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions.");
  mx__tmps t = {0};
  /* Dim by dim, every output position adds its cotangent to the input
   * position it copies; constant fills add to the pad value instead. */
  mx_array* cur = c[0];
  mx_array* fill_sum = NULL;
  bool need_fill = want[1] && pp->mode == MX_PAD_CONSTANT;
  if (need_fill) fill_sum = K(mx_sum(c[0], 0, NULL, false, S));
  for (int d = 0; d < nd && !t.failed; d++) {
    int lo = pp->widths[d], hi = pp->widths[nd + d], n = a->shape[d];
    if (lo == 0 && hi == 0) continue;
    int nout = n + lo + hi;
    if (pp->mode == MX_PAD_CONSTANT || n == 0) {
      int start[MX_MAX_NDIM], stop[MX_MAX_NDIM];
      for (int e = 0; e < nd; e++) {
        start[e] = 0;
        stop[e] = cur->shape[e];
      }
      start[d] = lo;
      stop[d] = lo + n;
      cur = K(mx_slice(cur, nd, start, stop, NULL, S));
      continue;
    }
    int* src = malloc((size_t)nout * sizeof *src);
    if (!src) {
      t.failed = true;
      mx_error(MX_ERR_MEMORY, "[vjp] Out of memory.");
      break;
    }
    for (int j = 0; j < nout; j++) src[j] = pad_source(pp->mode, j, lo, n);
    int ishape[MX_MAX_NDIM], zshape[MX_MAX_NDIM];
    for (int e = 0; e < nd; e++) {
      ishape[e] = e == d ? nout : 1;
      zshape[e] = e == d ? n : cur->shape[e];
    }
    mx_array* idx = K(mx_array_from_data(src, MX_INT32, nd, ishape));
    free(src);
    ishape[d] = nout;
    for (int e = 0; e < nd; e++) ishape[e] = cur->shape[e];
    mx_array* ib = K(mx_broadcast_to(idx, nd, ishape, S));
    mx_array* z = K(mx_zeros(nd, zshape, cur->dtype, S));
    cur = K(mx_scatter_add_axis(z, ib, cur, d, S));
  }
  mx_array* ga = want[0] ? cur : NULL;
  mx_array* gv = NULL;
  if (need_fill) {
    mx_array* inner = K(mx_sum(cur, 0, NULL, false, S));
    gv = K(mx_subtract(fill_sum, inner, S));
  }
  if (!t.failed) {
    g[0] = mx__give(ga);
    g[1] = mx__give(gv);
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

static int jvp_pad(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                   mx_array** out) {
  mx__tmps t = {0};
  mx_array* ins[2];
  ins[0] = tn[0] ? tn[0] : K(mx_zeros_like(p[0], S));
  ins[1] = tn[1] ? tn[1] : K(mx_zeros_like(p[1], S));
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  mx_array* r = t.failed ? NULL
                         : K(mx_array_make(MX_PRIM_PAD, node->params, node->params_size, S, 2, ins,
                                           ins[0]->dtype, nd, sh));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

static int vmap_pad(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                    int* oax) {
  const mx_pad_params* pp = node->params;
  if (ax[1] >= 0)
    return mx_error(MX_ERR_VALUE, "[Pad::vmap] Vmap over padding value is not supported.");
  int nd = pp->ndim;
  size_t psize = sizeof(mx_pad_params) + 2 * (size_t)(nd + 1) * sizeof(int);
  mx_pad_params* np = calloc(1, psize);
  if (!np) return mx_error(MX_ERR_MEMORY, "[vmap] Out of memory.");
  np->mode = pp->mode;
  np->ndim = nd + 1;
  for (int d = 0; d < nd; d++) {
    np->widths[d + 1] = pp->widths[d];
    np->widths[nd + 1 + d + 1] = pp->widths[nd + d];
  }
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  int rc = -1;
  if (x) {
    mx_array* ins[2] = {x, in[1]};
    rc = mx__rebuild_batched_params(node, np, psize, ins, x->shape[0], out);
    mx_array_release(x);
  }
  free(np);
  oax[0] = 0;
  return rc;
}

/* --- TriMask ------------------------------------------------------------------------------ */

static mx_array* tri_mask(mx_node* node, mx_array* x) {
  const mx_tri_mask_params* tp = node->params;
  return tp->upper ? mx_triu(x, tp->k, S) : mx_tril(x, tp->k, S);
}

static int vjp_tri_mask(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* c, const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  g[0] = tri_mask(node, c[0]);
  return g[0] ? 0 : -1;
}

static int jvp_tri_mask(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* tn, mx_array** out) {
  out[0] = tri_mask(node, tn[0]);
  return out[0] ? 0 : -1;
}

static int vmap_tri_mask(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                         int* oax) {
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  out[0] = x ? tri_mask(node, x) : NULL;
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

const mx_transform_rules mx__rules_shape[MX_PRIM_COUNT] = {
    MX_RULE(STRIDED_VIEW, vjp_strided_view, jvp_strided_view, vmap_strided_view)
    MX_RULE(AS_STRIDED, vjp_as_strided, jvp_as_strided, vmap_as_strided)
    MX_RULE(VIEW, vjp_view, jvp_view, vmap_view)
    MX_RULE(CONTIGUOUS, vjp_identity, jvp_identity, vmap_contiguous)
    MX_RULE(CONCATENATE, vjp_concatenate, jvp_concatenate, vmap_concatenate)
    MX_RULE(PAD, vjp_pad, jvp_pad, vmap_pad)
    MX_RULE(TRI_MASK, vjp_tri_mask, jvp_tri_mask, vmap_tri_mask)
};
