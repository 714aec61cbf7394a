/* Transform rules of the foundation primitives: add, subtract, multiply,
 * divide, reduce, reshape, transpose, broadcast, astype, copy, full,
 * matmul (arange has no inputs, so no transform reaches it). */
#include <stdlib.h>
#include <string.h>

#include "rules_util.h"

#define S (node->stream)

/* --- add, subtract, multiply, divide ----------------------------------------- */

/* The binary primitives' inputs already have the output's shape (the op
 * constructors insert broadcast nodes), so cotangents need no reduction. */

static int vjp_add(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g) {
  for (int i = 0; i < 2; i++) {
    if (!want[i]) continue;
    if (node->prim == MX_PRIM_SUBTRACT && i == 1) g[i] = mx_negative(c[0], S);
    else mx_array_retain(g[i] = c[0]);
    if (!g[i]) return -1;
  }
  return 0;
}

static int jvp_add(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                   mx_array** out) {
  bool sub = node->prim == MX_PRIM_SUBTRACT;
  if (t[0] && t[1]) out[0] = sub ? mx_subtract(t[0], t[1], S) : mx_add(t[0], t[1], S);
  else if (t[0]) mx_array_retain(out[0] = t[0]);
  else out[0] = sub ? mx_negative(t[1], S) : (mx_array_retain(t[1]), t[1]);
  return out[0] ? 0 : -1;
}

static int vjp_multiply(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* c, const bool* want, mx_array** g) {
  for (int i = 0; i < 2; i++) {
    if (!want[i]) continue;
    mx_array_retain(p[1 - i]);
    if (!(g[i] = mx__times_conj(c[0], p[1 - i], S))) return -1;
  }
  return 0;
}

static int jvp_multiply(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* t, mx_array** out) {
  mx_array* a = t[0] ? mx_multiply(t[0], p[1], S) : NULL;
  mx_array* b = t[1] ? mx_multiply(t[1], p[0], S) : NULL;
  if ((t[0] && !a) || (t[1] && !b)) goto fail;
  if (a && b) {
    out[0] = mx_add(a, b, S);
    mx_array_release(a);
    mx_array_release(b);
    return out[0] ? 0 : -1;
  }
  out[0] = a ? a : b;
  return 0;
fail:
  mx_array_release(a);
  mx_array_release(b);
  return -1;
}

/* y = a / b: dy/da = 1 / b, dy/db = -y / b. */
static int vjp_divide(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  /* Integer division (floor_divide of integers) is piecewise constant. */
  if (!mx_dtype_is_inexact(p[0]->dtype)) return 0;
  if (want[0]) {
    mx_array* b = mx__conj_if_complex(p[1], S);
    g[0] = b ? mx_divide(c[0], b, S) : NULL;
    mx_array_release(b);
    if (!g[0]) return -1;
  }
  if (want[1]) {
    mx_array* q = mx_divide(o[0], p[1], S);
    mx_array* d = q ? mx_negative(q, S) : NULL;
    mx_array_release(q);
    if (!(g[1] = mx__times_conj(c[0], d, S))) return -1;
  }
  return 0;
}

static int jvp_divide(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  if (!mx_dtype_is_inexact(p[0]->dtype)) return 0;
  /* (ta - y * tb) / b */
  mx_array* num = NULL;
  if (t[1]) {
    mx_array* ytb = mx_multiply(o[0], t[1], S);
    if (!ytb) return -1;
    num = t[0] ? mx_subtract(t[0], ytb, S) : mx_negative(ytb, S);
    mx_array_release(ytb);
  } else {
    mx_array_retain(num = t[0]);
  }
  if (!num) return -1;
  out[0] = mx_divide(num, p[1], S);
  mx_array_release(num);
  return out[0] ? 0 : -1;
}

/* --- reduce -------------------------------------------------------------------- */

/* The reduced array's values shaped for broadcasting against the input:
 * reduced axes as size-1 dims. */
static mx_array* keep_reduced_dims(mx_node* node, mx_array* x, const mx_array* in) {
  const mx_reduce_params* rp = node->params;
  if (x->ndim == in->ndim) {
    mx_array_retain(x);
    return x;
  }
  int shape[MX_MAX_NDIM];
  if (in->ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[reduce] Too many dimensions."), NULL;
  memcpy(shape, in->shape, (size_t)in->ndim * sizeof(int));
  for (int k = 0; k < rp->naxes; k++) shape[rp->axes[k]] = 1;
  return mx_reshape(x, in->ndim, shape, S);
}

/* For prod: the product of every other element along the reduced axes,
 * d prod / d x_i, computed with exclusive cumulative products from both
 * ends so zeros need no division. */
static mx_array* prod_partials(mx_node* node, mx_array* x) {
  const mx_reduce_params* rp = node->params;
  int nd = x->ndim, n = rp->naxes;
  int perm[MX_MAX_NDIM] = {0}, inv[MX_MAX_NDIM] = {0}, shape[MX_MAX_NDIM] = {0};
  if (nd > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[prod] Too many dimensions."), NULL;
  int k = 0;
  bool reduced[MX_MAX_NDIM] = {false};
  for (int i = 0; i < n; i++) reduced[rp->axes[i]] = true;
  for (int d = 0; d < nd; d++)
    if (!reduced[d]) perm[k++] = d;
  int kept = k;
  int64_t len = 1;
  for (int d = 0; d < nd; d++)
    if (reduced[d]) {
      perm[k++] = d;
      len *= x->shape[d];
    }
  for (int d = 0; d < nd; d++) inv[perm[d]] = d;
  mx_array* xt = mx_transpose(x, nd, perm, S);
  if (!xt) return NULL;
  for (int d = 0; d < kept; d++) shape[d] = xt->shape[d];
  shape[kept] = (int)len;
  mx_array* flat = mx_reshape(xt, kept + 1, shape, S);
  mx_array* lo = flat ? mx_cumprod(flat, false, kept, false, false, -1, S) : NULL;
  mx_array* hi = flat ? mx_cumprod(flat, false, kept, true, false, -1, S) : NULL;
  mx_array* both = lo && hi ? mx_multiply(lo, hi, S) : NULL;
  mx_array* back = both ? mx_reshape(both, nd, xt->shape, S) : NULL;
  mx_array* out = back ? mx_transpose(back, nd, inv, S) : NULL;
  mx_array_release(xt);
  mx_array_release(flat);
  mx_array_release(lo);
  mx_array_release(hi);
  mx_array_release(both);
  mx_array_release(back);
  return out;
}

/* For max/min: where x attains the extreme, divided by how many times. */
static mx_array* extreme_weights(mx_node* node, mx_array* x, mx_array* y) {
  const mx_reduce_params* rp = node->params;
  mx_array* yk = keep_reduced_dims(node, y, x);
  mx_array* mask = yk ? mx_equal(x, yk, S) : NULL;
  mx_array* m = mask ? mx_astype(mask, x->dtype, S) : NULL;
  mx_array* cnt = m ? mx_sum(m, rp->naxes, rp->axes, true, S) : NULL;
  mx_array* w = cnt ? mx_divide(m, cnt, S) : NULL;
  mx_array_release(yk);
  mx_array_release(mask);
  mx_array_release(m);
  mx_array_release(cnt);
  return w;
}

static int vjp_reduce(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  const mx_reduce_params* rp = node->params;
  mx_array* x = p[0];
  if (!want[0] || rp->op == MX_REDUCE_AND || rp->op == MX_REDUCE_OR) return 0;
  mx_array* ck = keep_reduced_dims(node, c[0], x);
  mx_array* cb = ck ? mx_broadcast_to(ck, x->ndim, x->shape, S) : NULL;
  mx_array_release(ck);
  if (!cb) return -1;
  if (rp->op == MX_REDUCE_SUM) {
    g[0] = cb;
    return 0;
  }
  mx_array* d = rp->op == MX_REDUCE_PROD ? prod_partials(node, x) : extreme_weights(node, x, o[0]);
  g[0] = mx__times_conj(cb, d, S);
  mx_array_release(cb);
  return g[0] ? 0 : -1;
}

static int jvp_reduce(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  const mx_reduce_params* rp = node->params;
  bool keep = o[0]->ndim == p[0]->ndim;
  if (rp->op == MX_REDUCE_AND || rp->op == MX_REDUCE_OR) return 0;
  mx_array* w = NULL;
  if (rp->op == MX_REDUCE_SUM) mx_array_retain(w = t[0]);
  else {
    mx_array* d = rp->op == MX_REDUCE_PROD ? prod_partials(node, p[0]) : extreme_weights(node, p[0], o[0]);
    w = d ? mx_multiply(t[0], d, S) : NULL;
    mx_array_release(d);
  }
  if (!w) return -1;
  out[0] = mx_sum(w, rp->naxes, rp->axes, keep, S);
  mx_array_release(w);
  return out[0] ? 0 : -1;
}

static int vmap_reduce(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                       int* oax) {
  const mx_reduce_params* rp = node->params;
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  int ond;
  const int* osh;
  mx_dtype odt;
  mx_node_output_info(node, 0, &ond, &osh, &odt);
  bool keep = node->inputs[0]->ndim == ond;
  int axes[MX_MAX_NDIM];
  for (int k = 0; k < rp->naxes; k++) axes[k] = rp->axes[k] + 1;
  switch (rp->op) {
    case MX_REDUCE_SUM: out[0] = mx_sum(x, rp->naxes, axes, keep, S); break;
    case MX_REDUCE_PROD: out[0] = mx_prod(x, rp->naxes, axes, keep, S); break;
    case MX_REDUCE_MAX: out[0] = mx_max(x, rp->naxes, axes, keep, S); break;
    case MX_REDUCE_MIN: out[0] = mx_min(x, rp->naxes, axes, keep, S); break;
    case MX_REDUCE_AND: out[0] = mx_all(x, rp->naxes, axes, keep, S); break;
    default: out[0] = mx_any(x, rp->naxes, axes, keep, S); break;
  }
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- reshape, transpose, broadcast ------------------------------------------- */

static int vjp_reshape(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                       const bool* want, mx_array** g) {
  g[0] = mx_reshape(c[0], p[0]->ndim, p[0]->shape, S);
  return g[0] ? 0 : -1;
}

static int jvp_reshape(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                       mx_array** out) {
  out[0] = mx_reshape(t[0], o[0]->ndim, o[0]->shape, S);
  return out[0] ? 0 : -1;
}

static int vmap_reshape(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                        int* oax) {
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  int shape[MX_MAX_NDIM + 1];
  if (nd + 1 > MX_MAX_NDIM) {
    mx_array_release(x);
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  }
  shape[0] = x->shape[0];
  memcpy(shape + 1, sh, (size_t)nd * sizeof(int));
  out[0] = mx_reshape(x, nd + 1, shape, S);
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

static int vjp_transpose(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  const mx_transpose_params* tp = node->params;
  int inv[MX_MAX_NDIM];
  if (tp->ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[transpose] Too many dimensions.");
  for (int d = 0; d < tp->ndim; d++) inv[tp->perm[d]] = d;
  g[0] = mx_transpose(c[0], tp->ndim, inv, S);
  return g[0] ? 0 : -1;
}

static int jvp_transpose(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* t, mx_array** out) {
  const mx_transpose_params* tp = node->params;
  out[0] = mx_transpose(t[0], tp->ndim, tp->perm, S);
  return out[0] ? 0 : -1;
}

static int vmap_transpose(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  const mx_transpose_params* tp = node->params;
  int perm[MX_MAX_NDIM + 1];
  if (tp->ndim + 1 > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  perm[0] = 0;
  for (int d = 0; d < tp->ndim; d++) perm[d + 1] = tp->perm[d] + 1;
  out[0] = mx_transpose(x, tp->ndim + 1, perm, S);
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* Broadcast (and the shape-preserving copies FULL makes of its value). */
static int vjp_broadcast(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  g[0] = mx__sum_to_shape(c[0], p[0]->ndim, p[0]->shape, S);
  return g[0] ? 0 : -1;
}

static int jvp_broadcast(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* t, mx_array** out) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  out[0] = mx_broadcast_to(t[0], nd, sh, S);
  return out[0] ? 0 : -1;
}

/* Broadcasting x (batched at the front) to the node's output shape, with
 * the batch dim kept in front. */
static mx_array* broadcast_batched(mx_node* node, mx_array* x) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  int shape[MX_MAX_NDIM + 1];
  if (nd + 1 > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions."), NULL;
  /* (B, s...) -> (B, 1..., s...) so that ranks match before broadcasting. */
  int lead = nd - (x->ndim - 1);
  shape[0] = x->shape[0];
  for (int d = 0; d < lead; d++) shape[1 + d] = 1;
  memcpy(shape + 1 + lead, x->shape + 1, (size_t)(x->ndim - 1) * sizeof(int));
  mx_array* r = mx_reshape(x, nd + 1, shape, S);
  if (!r) return NULL;
  memcpy(shape + 1, sh, (size_t)nd * sizeof(int));
  mx_array* b = mx_broadcast_to(r, nd + 1, shape, S);
  mx_array_release(r);
  return b;
}

static int vmap_broadcast(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  out[0] = broadcast_batched(node, x);
  mx_array_release(x);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- astype, copy, full ---------------------------------------------------------- */

static int vjp_astype(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  g[0] = mx_astype(c[0], p[0]->dtype, S);
  return g[0] ? 0 : -1;
}

static int jvp_astype(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  out[0] = mx_astype(t[0], o[0]->dtype, S);
  return out[0] ? 0 : -1;
}

/* Copy: input 0 is the value; further inputs (mx.depends) only order the
 * evaluation and get no cotangent. */
static int vjp_copy(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  if (want[0]) mx_array_retain(g[0] = c[0]);
  return 0;
}

static int jvp_copy(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                    mx_array** out) {
  if (t[0]) out[0] = mx_copy(t[0], S);
  return t[0] && !out[0] ? -1 : 0;
}

static int vmap_copy(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  if (ax[0] < 0) {
    /* Only a dependency is batched: the value itself is not. */
    out[0] = mx_copy(in[0], S);
    oax[0] = -1;
  } else {
    out[0] = mx_copy(in[0], S);
    oax[0] = ax[0];
  }
  return out[0] ? 0 : -1;
}

static int vjp_full(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  mx_array* r = mx__sum_to_shape(c[0], p[0]->ndim, p[0]->shape, S);
  if (!r) return -1;
  g[0] = mx_astype(r, p[0]->dtype, S);
  mx_array_release(r);
  return g[0] ? 0 : -1;
}

static int jvp_full(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                    mx_array** out) {
  mx_array* b = mx_broadcast_to(t[0], o[0]->ndim, o[0]->shape, S);
  out[0] = b ? mx_astype(b, o[0]->dtype, S) : NULL;
  mx_array_release(b);
  return out[0] ? 0 : -1;
}

static int vmap_full(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  mx_array* b = x ? broadcast_batched(node, x) : NULL;
  mx_array_release(x);
  int ond;
  const int* osh;
  mx_dtype odt;
  mx_node_output_info(node, 0, &ond, &osh, &odt);
  out[0] = b ? mx_astype(b, odt, S) : NULL;
  mx_array_release(b);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

/* --- matmul ------------------------------------------------------------------------- */

static int vjp_matmul(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  for (int i = 0; i < 2; i++) {
    if (!want[i]) continue;
    /* dA = C @ conj(B)^T, dB = conj(A)^T @ C */
    mx_array* other = mx__conj_if_complex(p[1 - i], S);
    mx_array* ot = other ? mx_matrix_transpose(other, S) : NULL;
    mx_array_release(other);
    if (!ot) return -1;
    g[i] = i == 0 ? mx_matmul(c[0], ot, S) : mx_matmul(ot, c[0], S);
    mx_array_release(ot);
    if (!g[i]) return -1;
  }
  return 0;
}

static int jvp_matmul(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  mx_array* a = t[0] ? mx_matmul(t[0], p[1], S) : NULL;
  mx_array* b = t[1] ? mx_matmul(p[0], t[1], S) : NULL;
  if ((t[0] && !a) || (t[1] && !b)) {
    mx_array_release(a);
    mx_array_release(b);
    return -1;
  }
  if (a && b) {
    out[0] = mx_add(a, b, S);
    mx_array_release(a);
    mx_array_release(b);
    return out[0] ? 0 : -1;
  }
  out[0] = a ? a : b;
  return 0;
}

static int vmap_matmul(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                       int* oax) {
  mx_array* x[2];
  for (int i = 0; i < 2; i++) {
    if (ax[i] >= 0) {
      x[i] = mx__batch_front(in[i], ax[i], S);
    } else {
      /* Unbatched: a leading 1 broadcasts against the batch. */
      int front = 0;
      x[i] = mx_expand_dims(in[i], 1, &front, S);
    }
    if (!x[i]) {
      if (i) mx_array_release(x[0]);
      return -1;
    }
  }
  out[0] = mx_matmul(x[0], x[1], S);
  mx_array_release(x[0]);
  mx_array_release(x[1]);
  oax[0] = 0;
  return out[0] ? 0 : -1;
}

const mx_transform_rules mx__rules_foundation[MX_PRIM_COUNT] = {
    MX_RULE(ADD, vjp_add, jvp_add, mx__vmap_elementwise)
    MX_RULE(SUBTRACT, vjp_add, jvp_add, mx__vmap_elementwise)
    MX_RULE(MULTIPLY, vjp_multiply, jvp_multiply, mx__vmap_elementwise)
    MX_RULE(DIVIDE, vjp_divide, jvp_divide, mx__vmap_elementwise)
    MX_RULE(REDUCE, vjp_reduce, jvp_reduce, vmap_reduce)
    MX_RULE(RESHAPE, vjp_reshape, jvp_reshape, vmap_reshape)
    MX_RULE(TRANSPOSE, vjp_transpose, jvp_transpose, vmap_transpose)
    MX_RULE(BROADCAST, vjp_broadcast, jvp_broadcast, vmap_broadcast)
    MX_RULE(ASTYPE, vjp_astype, jvp_astype, mx__vmap_elementwise)
    MX_RULE(COPY, vjp_copy, jvp_copy, vmap_copy)
    MX_RULE(FULL, vjp_full, jvp_full, vmap_full)
    MX_RULE(MATMUL, vjp_matmul, jvp_matmul, vmap_matmul)
};
