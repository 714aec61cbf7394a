/* Transform rules of the product primitives GatherMM, BlockMaskedMM,
 * SegmentedMM and Hadamard (table in rules_linalg_conv.c).
 *
 * MLX 0.32.4 has a vjp for GatherMM, BlockMaskedMM and Hadamard, a jvp only
 * for Hadamard, and vmap for none of the four; the other rules here are
 * ours (the products are multilinear, so they follow from the same
 * identities).  The vjp of GatherMM with respect to its indices raises
 * MLX's error.  None of these primitives accepts complex operands, so no
 * conjugates appear. */
#include <string.h>

#include "rules_linalg_conv.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* --- GatherMM: inputs (a (A, M, K), b (B, K, N), lhs, rhs) ----------------------- */

/* Sums the matrices g (batch..., R, C) into a zero (n, R, C) array at the
 * flat positions idx (batch shape). */
static mx_array* scatter_matrices(mx_array* g, mx_array* idx, int n, mx_stream s) {
  mx__tmps t = {0};
  int nb = g->ndim - 2, R = g->shape[nb], C = g->shape[nb + 1];
  int flat = -1, upd[4] = {-1, 1, R, C}, zs[3] = {n, R, C}, axis = 0;
  mx_array* fi = K(mx_reshape(idx, 1, &flat, s));
  mx_array* u = K(mx_reshape(g, 4, upd, s));
  mx_array* z = K(mx_zeros(3, zs, g->dtype, s));
  mx_array* out = t.failed ? NULL : mx_scatter(z, 1, &fi, u, &axis, MX_SCATTER_SUM, s);
  mx__tmps_free(&t);
  return out;
}

int mx__vjp_gather_mm(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  (void)o;
  if (want[2] || want[3])
    return mx_error(MX_ERR_VALUE,
                    "[GatherMM] Cannot calculate VJP with respect to indices. Use stop_gradient "
                    "on indices to stop gradients from being computed.");
  mx__tmps t = {0};
  /* a's matrix lhs[i] receives cot[i] @ b[rhs[i]]^T; b's matrix rhs[i]
   * receives a[lhs[i]]^T @ cot[i]. */
  if (want[0]) {
    mx_array* bt = K(mx_matrix_transpose(p[1], S));
    mx_array* ga = bt ? K(mx_gather_mm(c[0], bt, NULL, p[3], false, S)) : NULL;
    g[0] = ga ? scatter_matrices(ga, p[2], p[0]->shape[0], S) : NULL;
    if (!g[0]) t.failed = true;
  }
  if (want[1] && !t.failed) {
    mx_array* at = K(mx_matrix_transpose(p[0], S));
    mx_array* gb = at ? K(mx_gather_mm(at, c[0], p[2], NULL, false, S)) : NULL;
    g[1] = gb ? scatter_matrices(gb, p[3], p[1]->shape[0], S) : NULL;
    if (!g[1]) t.failed = true;
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

int mx__jvp_gather_mm(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tg,
                      mx_array** out) {
  (void)o;
  mx__tmps t = {0};
  mx_array* x = tg[0] ? K(mx_gather_mm(tg[0], p[1], p[2], p[3], false, S)) : NULL;
  mx_array* y = tg[1] ? K(mx_gather_mm(p[0], tg[1], p[2], p[3], false, S)) : NULL;
  if (!t.failed && (x || y)) out[0] = x && y ? mx_add(x, y, S) : mx__give(x ? x : y);
  mx__tmps_free(&t);
  return t.failed || ((tg[0] || tg[1]) && !out[0]) ? -1 : 0;
}

/* The vmap batch folds into the operands' matrix lists: batch j of a
 * batched `a` is matrices j*A ... j*A + A - 1, so its indices shift by j*A. */
int mx__vmap_gather_mm(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                       int* oax) {
  mx__tmps t = {0};
  int B = mx__batch_size(4, in, ax);
  mx_array* ops[2] = {NULL, NULL};
  mx_array* idx[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++) {
    int zero = 0;
    idx[i] = ax[2 + i] >= 0 ? K(mx__batch_front(in[2 + i], ax[2 + i], S))
                            : K(mx_expand_dims(in[2 + i], 1, &zero, S));
    if (ax[i] < 0) {
      ops[i] = in[i];
      continue;
    }
    mx_array* f = K(mx__batch_front(in[i], ax[i], S));
    if (!f || !idx[i]) break;
    int n = f->shape[1];
    int sh[3] = {B * n, f->shape[2], f->shape[3]};
    ops[i] = K(mx_reshape(f, 3, sh, S));
    /* offsets j * n shaped (B, 1, ...) against the indices */
    int osh[MX_MAX_NDIM];
    if (idx[i]->ndim > MX_MAX_NDIM) {
      t.failed = true;
      mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
      break;
    }
    osh[0] = B;
    for (int d = 1; d < idx[i]->ndim; d++) osh[d] = 1;
    mx_array* off = K(mx_arange(0, (double)B * n, n, MX_UINT32, S));
    off = off ? K(mx_reshape(off, idx[i]->ndim, osh, S)) : NULL;
    idx[i] = off ? K(mx_add(idx[i], off, S)) : NULL;
  }
  if (!t.failed) out[0] = mx_gather_mm(ops[0], ops[1], idx[0], idx[1], false, S);
  mx__tmps_free(&t);
  oax[0] = 0;
  return t.failed || !out[0] ? -1 : 0;
}

/* --- BlockMaskedMM: inputs (a, b[, out][, lhs][, rhs]) ----------------------- */

/* out = mask_out * ((mask_lhs * a) @ (mask_rhs * b)) with block masks, so
 * every operand enters linearly: each cotangent and tangent is again a
 * block-masked product, with the operand's own mask replaced or moved. */

typedef struct bmm_view {
  const mx_block_masked_mm_params* p;
  mx_array* m[3];  /* out, lhs, rhs masks (NULL when absent) */
  int pos[3];      /* their input positions, or -1 */
} bmm_view;

static void bmm_view_init(mx_node* node, mx_array* const* in, bmm_view* v) {
  const mx_block_masked_mm_params* p = node->params;
  int has[3] = {p->has_out, p->has_lhs, p->has_rhs};
  int n = 2;
  v->p = p;
  for (int i = 0; i < 3; i++) {
    v->pos[i] = has[i] ? n++ : -1;
    v->m[i] = has[i] ? in[v->pos[i]] : NULL;
  }
}

/* A mask passed on to a new product: bool again when the user's was, so
 * that the blocks it clears stay cleared whatever they hold. */
static mx_array* mask_arg(mx__tmps* t, const bmm_view* v, int which, bool transpose, mx_stream s) {
  mx_array* m = v->m[which];
  if (!m) return NULL;
  int is_bool[3] = {v->p->out_bool, v->p->lhs_bool, v->p->rhs_bool};
  if (transpose) m = MX_KEEP(t, mx_matrix_transpose(m, s));
  if (m && is_bool[which]) m = MX_KEEP(t, mx_astype(m, MX_BOOL, s));
  return m;
}

/* Sums x (batch..., R, C) over each block, giving (batch..., ceil(R/bs),
 * ceil(C/bs)) in `dtype`. */
static mx_array* block_sum(mx_array* x, int bs, mx_dtype dtype, mx_stream s) {
  mx__tmps t = {0};
  int nd = x->ndim, nb = nd - 2;
  int R = x->shape[nb], C = x->shape[nb + 1];
  int rb = (R + bs - 1) / bs, cb = (C + bs - 1) / bs;
  int axes[2] = {nb, nb + 1}, lo[2] = {0, 0}, hi[2] = {rb * bs - R, cb * bs - C};
  int sh[MX_MAX_NDIM + 2];
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions."), NULL;
  mx_array* y = x;
  if (hi[0] || hi[1]) y = K(mx_pad(x, 2, axes, lo, hi, NULL, "constant", s));
  memcpy(sh, x->shape, sizeof(int) * (size_t)nb);
  sh[nb] = rb, sh[nb + 1] = bs, sh[nb + 2] = cb, sh[nb + 3] = bs;
  int sax[2] = {nb + 1, nb + 3};
  y = y ? K(mx_reshape(y, nd + 2, sh, s)) : NULL;
  y = y ? K(mx_sum(y, 2, sax, false, s)) : NULL;
  mx_array* out = y ? mx_astype(y, dtype, s) : NULL;
  mx__tmps_free(&t);
  return out;
}

int mx__vjp_block_masked_mm(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* c, const bool* want, mx_array** g) {
  (void)o;
  bmm_view v;
  bmm_view_init(node, p, &v);
  int bs = v.p->block_size;
  mx__tmps t = {0};
  mx_array* a = p[0];
  mx_array* b = p[1];
  mx_array* at = K(mx_matrix_transpose(a, S));
  mx_array* bt = K(mx_matrix_transpose(b, S));
  mx_array* mo = mask_arg(&t, &v, 0, false, S);
  mx_array* ml = mask_arg(&t, &v, 1, false, S);
  mx_array* mlt = mask_arg(&t, &v, 1, true, S);
  mx_array* mr = mask_arg(&t, &v, 2, false, S);
  mx_array* mrt = mask_arg(&t, &v, 2, true, S);
  if (t.failed) goto done;
  if (want[0]) g[0] = mx_block_masked_mm(c[0], bt, bs, ml, mo, mrt, S);
  if (want[0] && !g[0]) t.failed = true;
  if (want[1] && !t.failed && !(g[1] = mx_block_masked_mm(at, c[0], bs, mr, mlt, mo, S)))
    t.failed = true;
  /* Mask cotangents: the block sums of operand * (its cotangent before
   * its own mask is applied). */
  for (int w = 0; w < 3 && !t.failed; w++) {
    int i = v.pos[w];
    if (i < 0 || !want[i]) continue;
    mx_array* full = NULL;
    mx_array* with = NULL;
    if (w == 0) full = K(mx_block_masked_mm(a, b, bs, NULL, ml, mr, S)), with = c[0];
    if (w == 1) full = K(mx_block_masked_mm(c[0], bt, bs, NULL, mo, mrt, S)), with = a;
    if (w == 2) full = K(mx_block_masked_mm(at, c[0], bs, NULL, mlt, mo, S)), with = b;
    mx_array* prod = full ? K(mx_multiply(full, with, S)) : NULL;
    if (prod && !(g[i] = block_sum(prod, bs, p[i]->dtype, S))) t.failed = true;
  }
done:
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

int mx__jvp_block_masked_mm(mx_node* node, mx_array* const* p, mx_array* const* o,
                            mx_array* const* tg, mx_array** out) {
  (void)o;
  bmm_view v;
  bmm_view_init(node, p, &v);
  mx__tmps t = {0};
  mx_array* m[3];
  for (int w = 0; w < 3; w++) m[w] = mask_arg(&t, &v, w, false, S);
  mx_array* acc = NULL;
  for (int i = 0; i < node->n_inputs && !t.failed; i++) {
    if (!tg[i]) continue;
    /* The product with input i replaced by its tangent (a float mask). */
    mx_array* x[5] = {p[0], p[1], m[0], m[1], m[2]};
    if (i < 2) {
      x[i] = tg[i];
    } else {
      for (int w = 0; w < 3; w++)
        if (v.pos[w] == i) x[2 + w] = tg[i];
    }
    mx_array* term = K(mx_block_masked_mm(x[0], x[1], v.p->block_size, x[2], x[3], x[4], S));
    acc = acc && term ? K(mx_add(acc, term, S)) : term;
  }
  if (!t.failed) out[0] = mx__give(acc);
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

/* Every input carries the output's full batch shape, so the vmap batch is
 * one more batch dim of all of them. */
int mx__vmap_block_masked_mm(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                             int* oax) {
  return mx__vmap_elementwise(node, in, ax, out, oax);
}

/* --- SegmentedMM: inputs (a (M, K), b (K, N), segments (..., 2) int64) --------- */

/* The segment masks (..., K) in dtype dt: 1 where lo <= k < hi. */
static mx_array* segment_mask(mx_array* seg, int k, mx_dtype dt, mx_stream s) {
  mx__tmps t = {0};
  int nd = seg->ndim;
  int start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM];
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[segmented_mm] Too many dimensions."), NULL;
  for (int i = 0; i < nd; i++) stop[i] = seg->shape[i];
  stop[nd - 1] = 1;
  mx_array* lo = K(mx_slice(seg, nd, start, stop, NULL, s));
  start[nd - 1] = 1, stop[nd - 1] = 2;
  mx_array* hi = K(mx_slice(seg, nd, start, stop, NULL, s));
  mx_array* ar = K(mx_arange(0, k, 1, MX_INT64, s));
  mx_array* m = lo && hi && ar
                    ? K(mx_logical_and(K(mx_greater_equal(ar, lo, s)), K(mx_less(ar, hi, s)), s))
                    : NULL;
  mx_array* out = m ? mx_astype(m, dt, s) : NULL;
  mx__tmps_free(&t);
  return out;
}

int mx__vjp_segmented_mm(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  (void)o;
  mx__tmps t = {0};
  int nb = c[0]->ndim - 2;
  int K_ = p[0]->shape[1];
  /* mask (..., 1, K) for a's columns, (..., K, 1) for b's rows */
  mx_array* mk = K(segment_mask(p[2], K_, p[0]->dtype, S));
  int e1 = -2, e2 = -1;
  int red[MX_MAX_NDIM];
  for (int i = 0; i < nb; i++) red[i] = i;
  if (want[0] && mk) {
    mx_array* bt = K(mx_matrix_transpose(p[1], S));
    mx_array* gm = bt ? K(mx_matmul(c[0], bt, S)) : NULL;
    mx_array* m = K(mx_expand_dims(mk, 1, &e1, S));
    mx_array* prod = gm && m ? K(mx_multiply(gm, m, S)) : NULL;
    if (prod && !(g[0] = nb ? mx_sum(prod, nb, red, false, S) : mx__give(prod))) t.failed = true;
  }
  if (want[1] && !t.failed) {
    mx_array* at = K(mx_matrix_transpose(p[0], S));
    mx_array* gm = at ? K(mx_matmul(at, c[0], S)) : NULL;
    mx_array* m = K(mx_expand_dims(mk, 1, &e2, S));
    mx_array* prod = gm && m ? K(mx_multiply(gm, m, S)) : NULL;
    if (prod && !(g[1] = nb ? mx_sum(prod, nb, red, false, S) : mx__give(prod))) t.failed = true;
  }
  mx__tmps_free(&t);
  return t.failed ? -1 : 0;
}

int mx__jvp_segmented_mm(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* tg, mx_array** out) {
  (void)o;
  mx__tmps t = {0};
  mx_array* x = tg[0] ? K(mx_segmented_mm(tg[0], p[1], p[2], S)) : NULL;
  mx_array* y = tg[1] ? K(mx_segmented_mm(p[0], tg[1], p[2], S)) : NULL;
  if (!t.failed && (x || y)) out[0] = x && y ? mx_add(x, y, S) : mx__give(x ? x : y);
  mx__tmps_free(&t);
  return t.failed || ((tg[0] || tg[1]) && !out[0]) ? -1 : 0;
}

/* Batched segments alone give more segments; a batched a or b leaves the
 * primitive's 2-D form, so the batch then computes (mask_s * a) @ b with
 * broadcasting: (B, segs..., M, N). */
int mx__vmap_segmented_mm(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  mx__tmps t = {0};
  oax[0] = 0;
  mx_array* seg = ax[2] >= 0 ? K(mx__batch_front(in[2], ax[2], S)) : in[2];
  if (ax[0] < 0 && ax[1] < 0) {
    out[0] = seg ? mx_segmented_mm(in[0], in[1], seg, S) : NULL;
    mx__tmps_free(&t);
    return out[0] ? 0 : -1;
  }
  mx_array* a = ax[0] >= 0 ? K(mx__batch_front(in[0], ax[0], S)) : in[0];
  mx_array* b = ax[1] >= 0 ? K(mx__batch_front(in[1], ax[1], S)) : in[1];
  if (t.failed) goto done;
  /* Segment dims (without the batch) between the batch and the matrix. */
  int ns = in[2]->ndim - 1;
  int K_ = a->shape[a->ndim - 1];
  mx_array* mk = K(segment_mask(seg, K_, a->dtype, S));
  int e1 = -2;
  mk = mk ? K(mx_expand_dims(mk, 1, &e1, S)) : NULL; /* ([B,] segs..., 1, K) */
  int sh[MX_MAX_NDIM];
  if (ns + 3 > MX_MAX_NDIM) {
    mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
    t.failed = true;
    goto done;
  }
  mx_array* ops[2] = {a, b};
  for (int i = 0; i < 2 && !t.failed; i++) {
    if (ax[i] < 0) continue;
    /* (B, R, C) -> (B, 1 x ns, R, C) */
    sh[0] = ops[i]->shape[0];
    for (int d = 0; d < ns; d++) sh[1 + d] = 1;
    sh[ns + 1] = ops[i]->shape[1], sh[ns + 2] = ops[i]->shape[2];
    ops[i] = K(mx_reshape(ops[i], ns + 3, sh, S));
  }
  mx_array* am = mk && ops[0] ? K(mx_multiply(ops[0], mk, S)) : NULL;
  mx_array* r = am && ops[1] ? K(mx_matmul(am, ops[1], S)) : NULL;
  if (r) out[0] = mx__give(r);
done:
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

/* --- Hadamard: y = scale * H x along the last axis, H symmetric ------------- */

static mx_array* hadamard_like(mx_node* node, mx_array* x) {
  const mx_hadamard_params* hp = node->params;
  return mx_hadamard_transform(x, true, hp->scale, node->stream);
}

int mx__vjp_hadamard(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                     const bool* want, mx_array** g) {
  (void)p, (void)o;
  if (want[0] && !(g[0] = hadamard_like(node, c[0]))) return -1;
  return 0;
}

int mx__jvp_hadamard(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tg,
                     mx_array** out) {
  (void)p, (void)o;
  return (out[0] = hadamard_like(node, tg[0])) ? 0 : -1;
}

int mx__vmap_hadamard(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                      int* oax) {
  /* The transform runs along the last axis: any other batch axis stays.
   * Over 0-d inputs (length 1) it is only the scale. */
  mx_array* x = in[0];
  int a = ax[0];
  if (x->ndim == 1) {
    const mx_hadamard_params* hp = node->params;
    mx_array* k = mx_array_scalar_f64(hp->scale, x->dtype);
    out[0] = k ? mx_multiply(x, k, S) : NULL;
    mx_array_release(k);
    oax[0] = 0;
    return out[0] ? 0 : -1;
  }
  if (a == x->ndim - 1) {
    x = mx__batch_front(x, a, S);
    a = 0;
  } else {
    mx_array_retain(x);
  }
  out[0] = x ? hadamard_like(node, x) : NULL;
  mx_array_release(x);
  oax[0] = a;
  return out[0] ? 0 : -1;
}
