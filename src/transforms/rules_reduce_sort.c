/* Transform rules (vjp, jvp, vmap) of the reduce_sort primitives: ArgReduce,
 * Scan, Sort, ArgSort, Partition, ArgPartition, LogSumExp, Softmax, IsClose
 * and SearchSorted.  See transforms.h for the rule signatures and
 * rules_util.h for the conventions.
 *
 * Index-valued and boolean outputs (ArgReduce, ArgSort, ArgPartition,
 * IsClose, SearchSorted) carry no derivative: their vjp and jvp rules give
 * zero (NULL), as MLX does.  Every primitive here works along one axis
 * kept in its parameters, so vmap moves the batch to the front and shifts
 * that axis by one. */
#include <stddef.h>
#include <string.h>

#include "rules_util.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* --- helpers along one axis ------------------------------------------------- */

static mx_array* flip_axis(mx_array* x, int ax, mx_stream s) { return mx_flip(x, 1, &ax, s); }

/* x moved by one position along ax, towards the start (left) or the end,
 * with a zero filling the freed position. */
static mx_array* shift_axis(mx_array* x, int ax, bool left, mx_stream s) {
  int nd = x->ndim, n = x->shape[ax];
  int start[MX_MAX_NDIM], stop[MX_MAX_NDIM], lo = left ? 0 : 1, hi = left ? 1 : 0;
  for (int d = 0; d < nd; d++) {
    start[d] = 0;
    stop[d] = x->shape[d];
  }
  if (left) start[ax] = 1;
  else stop[ax] = n - 1;
  mx__tmps t = {0};
  mx_array* part = K(mx_slice(x, nd, start, stop, NULL, s));
  mx_array* zero = K(mx_array_scalar_f64(0, x->dtype));
  mx_array* r = K(mx_pad(part, 1, &ax, &lo, &hi, zero, "constant", s));
  r = mx__give(r);
  mx__tmps_free(&t);
  return r;
}

/* 0, 1, ..., n-1 (int32) laid along axis ax of an nd-dim array. */
static mx_array* line_iota(int nd, int ax, int n, mx_stream s) {
  int shape[MX_MAX_NDIM];
  for (int d = 0; d < nd; d++) shape[d] = d == ax ? n : 1;
  mx_array* r = mx_arange(0, n, 1, MX_INT32, s);
  mx_array* out = r ? mx_reshape(r, nd, shape, s) : NULL;
  mx_array_release(r);
  return out;
}

/* The vmap rule of the one-axis primitives: batch to the front, the
 * parameter struct's axis (its field at `axis_offset`) plus one. */
static int vmap_axis_param(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                           int* oax, size_t axis_offset) {
  unsigned char params[64];
  if (node->params_size > sizeof params)
    return mx_error(MX_ERR_RUNTIME, "[vmap] Parameters of %s too large.", mx_prim_name(node->prim));
  memcpy(params, node->params, node->params_size);
  int axis;
  memcpy(&axis, params + axis_offset, sizeof axis);
  axis += 1;
  memcpy(params + axis_offset, &axis, sizeof axis);
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  int rc = mx__rebuild_batched_params(node, params, node->params_size, &x, x->shape[0], out);
  mx_array_release(x);
  oax[0] = 0;
  return rc;
}

/* --- ArgReduce --------------------------------------------------------------------- */

static int vmap_arg_reduce(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                           int* oax) {
  return vmap_axis_param(node, in, ax, out, oax, offsetof(mx_arg_reduce_params, axis));
}

/* --- Scan ------------------------------------------------------------------------------ */

static mx_array* scan_again(const mx_scan_params* sp, mx_array* x, int ax, bool reverse,
                            bool inclusive, mx_stream s) {
  switch (sp->op) {
    case MX_SCAN_SUM: return mx_cumsum(x, false, ax, reverse, inclusive, -1, s);
    case MX_SCAN_PROD: return mx_cumprod(x, false, ax, reverse, inclusive, -1, s);
    case MX_SCAN_MAX: return mx_cummax(x, false, ax, reverse, inclusive, s);
    case MX_SCAN_MIN: return mx_cummin(x, false, ax, reverse, inclusive, s);
    default: return mx_logcumsumexp(x, false, ax, reverse, inclusive, s);
  }
}

/* vjp of a forward inclusive cumprod.  Before the first zero of a line,
 * d/dx_j = (sum_{i>=j} c_i y_i) / x_j; at the first zero the product
 * without it is the cumprod with that zero read as one; after it every
 * partial contains the zero.  No division ever meets a zero.  (MLX does not
 * conjugate here for complex inputs, so neither do we.) */
static mx_array* cumprod_vjp(mx__tmps* tp, mx_array* x, mx_array* c, int ax, mx_stream s) {
#define T(expr) MX_KEEP(tp, (expr))
  mx_array* zero = T(mx_array_scalar_f64(0, x->dtype));
  mx_array* one = T(mx_array_scalar_f64(1, x->dtype));
  mx_array* i0 = T(mx_array_scalar_f64(0, MX_INT32));
  mx_array* i1 = T(mx_array_scalar_f64(1, MX_INT32));
  mx_array* isz = T(mx_equal(x, zero, s));
  mx_array* nz = T(mx_cumsum(isz, false, ax, false, true, MX_INT32, s));
  mx_array* before = T(mx_equal(nz, i0, s));
  mx_array* at1 = T(mx_equal(nz, i1, s));
  mx_array* first = T(mx_logical_and(isz, at1, s));
  mx_array* y = T(mx_cumprod(x, false, ax, false, true, -1, s));
  mx_array* cy = T(mx_multiply(c, y, s));
  mx_array* sb = T(mx_cumsum(cy, false, ax, true, true, -1, s));
  mx_array* xsafe = T(mx_where(isz, one, x, s));
  mx_array* gb = T(mx_divide(sb, xsafe, s));
  mx_array* x1 = T(mx_where(first, one, x, s));
  mx_array* y1 = T(mx_cumprod(x1, false, ax, false, true, -1, s));
  mx_array* cy1 = T(mx_multiply(c, y1, s));
  mx_array* gz = T(mx_cumsum(cy1, false, ax, true, true, -1, s));
  mx_array* gzm = T(mx_where(first, gz, zero, s));
  return T(mx_where(before, gb, gzm, s));
#undef T
}

/* vjp of a forward inclusive cummax/cummin: each output takes its value
 * from the latest position so far holding the running extreme (later ties
 * win, as in MLX), which receives the output's cotangent. */
static mx_array* cumextreme_vjp(mx__tmps* tp, const mx_scan_params* sp, mx_array* x,
                                mx_array* c, int ax, mx_stream s) {
#define T(expr) MX_KEEP(tp, (expr))
  mx_array* y = T(scan_again(sp, x, ax, false, true, s));
  mx_array* m = T(mx_equal(x, y, s));
  mx_array* iota = T(line_iota(x->ndim, ax, x->shape[ax], s));
  mx_array* i0 = T(mx_array_scalar_f64(0, MX_INT32));
  mx_array* at = T(mx_where(m, iota, i0, s));
  mx_array* src = T(mx_cummax(at, false, ax, false, true, s));
  mx_array* z = T(mx_zeros_like(c, s));
  return T(mx_scatter_add_axis(z, src, c, ax, s));
#undef T
}

/* The running maximum of x along the axis, as a finite shift for the
 * exponentials of logcumsumexp's rules. */
static mx_array* lse_shift(mx__tmps* tp, mx_array* x, int ax, mx_stream s) {
#define T(expr) MX_KEEP(tp, (expr))
  mx_array* m = T(mx_max(x, 1, &ax, true, s));
  mx_array* fin = T(mx_isfinite(m, s));
  mx_array* zero = T(mx_array_scalar_f64(0, x->dtype));
  return T(mx_where(fin, m, zero, s));
#undef T
}

static int vjp_scan(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  const mx_scan_params* sp = node->params;
  mx_array* x = p[0];
  int ax = sp->axis;
  if (!want[0] || x->shape[ax] == 0) return 0;
  mx__tmps t = {0};
  mx_array* r = NULL;
  if (sp->op == MX_SCAN_SUM) {
    /* Each input reaches the outputs on its own side of it. */
    r = K(mx_cumsum(c[0], false, ax, !sp->reverse, sp->inclusive, -1, S));
  } else if (sp->op == MX_SCAN_LOGADDEXP) {
    /* dy_i/dx_j = exp(x_j - y_i) over the window of y_i. */
    mx_array* y = o[0] ? o[0] : K(scan_again(sp, x, ax, sp->reverse, sp->inclusive, S));
    mx_array* sh = lse_shift(&t, x, ax, S);
    mx_array* d = K(mx_subtract(sh, y, S));
    mx_array* e = K(mx_exp(d, S));
    mx_array* w = K(mx_multiply(c[0], e, S));
    mx_array* acc = K(mx_cumsum(w, false, ax, !sp->reverse, sp->inclusive, -1, S));
    mx_array* xd = K(mx_subtract(x, sh, S));
    mx_array* ex = K(mx_exp(xd, S));
    r = K(mx_multiply(acc, ex, S));
  } else {
    /* Work on the forward inclusive scan: a reverse scan is the flipped
     * forward one, and an exclusive scan is the inclusive one shifted, so
     * its cotangents shift back. */
    mx_array* xf = sp->reverse ? K(flip_axis(x, ax, S)) : x;
    mx_array* cf = sp->reverse ? K(flip_axis(c[0], ax, S)) : c[0];
    if (!sp->inclusive) cf = K(shift_axis(cf, ax, true, S));
    mx_array* gf = NULL;
    if (!t.failed)
      gf = sp->op == MX_SCAN_PROD ? cumprod_vjp(&t, xf, cf, ax, S) : cumextreme_vjp(&t, sp, xf, cf, ax, S);
    r = sp->reverse ? K(flip_axis(gf, ax, S)) : gf;
  }
  g[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return g[0] ? 0 : -1;
}

static int jvp_scan(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                    mx_array** out) {
  const mx_scan_params* sp = node->params;
  mx_array* x = p[0];
  int ax = sp->axis;
  if (sp->op == MX_SCAN_SUM) {
    out[0] = mx_cumsum(tn[0], false, ax, sp->reverse, sp->inclusive, -1, S);
    return out[0] ? 0 : -1;
  }
  if (sp->op != MX_SCAN_LOGADDEXP)
    return mx_error(MX_ERR_RUNTIME, "JVP is not implemented for cumulative prod/min/max");
  if (x->shape[ax] == 0) return 0;
  /* t_out_i = sum_j exp(x_j - y_i) t_j over the window of y_i; an empty
   * window (the first exclusive output) gives 0. */
  mx__tmps t = {0};
  mx_array* y = o[0] ? o[0] : K(scan_again(sp, x, ax, sp->reverse, sp->inclusive, S));
  mx_array* sh = lse_shift(&t, x, ax, S);
  mx_array* xd = K(mx_subtract(x, sh, S));
  mx_array* ex = K(mx_exp(xd, S));
  mx_array* w = K(mx_multiply(ex, tn[0], S));
  mx_array* num = K(mx_cumsum(w, false, ax, sp->reverse, sp->inclusive, -1, S));
  mx_array* d = K(mx_subtract(sh, y, S));
  mx_array* e = K(mx_exp(d, S));
  mx_array* v = K(mx_multiply(num, e, S));
  mx_array* zero = K(mx_array_scalar_f64(0, v ? v->dtype : MX_FLOAT32));
  mx_array* isz = K(mx_equal(num, zero, S));
  mx_array* r = K(mx_where(isz, zero, v, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

static int vmap_scan(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  return vmap_axis_param(node, in, ax, out, oax, offsetof(mx_scan_params, axis));
}

/* --- Sort, Partition (and their index forms) ------------------------------------------- */

/* The permutation the node applied to each line of x. */
static mx_array* sort_perm(mx_node* node, mx_array* x) {
  const mx_sort_params* sp = node->params;
  if (node->prim == MX_PRIM_PARTITION) return mx_argpartition(x, sp->kth, false, sp->axis, S);
  return mx_argsort(x, false, sp->axis, S);
}

static int vjp_sort(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  const mx_sort_params* sp = node->params;
  if (!want[0]) return 0;
  /* Each sorted value goes back to where it came from. */
  mx__tmps t = {0};
  mx_array* idx = K(sort_perm(node, p[0]));
  mx_array* z = K(mx_zeros_like(c[0], S));
  mx_array* r = K(mx_scatter_add_axis(z, idx, c[0], sp->axis, S));
  g[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return g[0] ? 0 : -1;
}

static int jvp_sort(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                    mx_array** out) {
  const mx_sort_params* sp = node->params;
  mx_array* idx = sort_perm(node, p[0]);
  out[0] = idx ? mx_take_along_axis(tn[0], idx, sp->axis, S) : NULL;
  mx_array_release(idx);
  return out[0] ? 0 : -1;
}

static int vmap_sort(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  return vmap_axis_param(node, in, ax, out, oax, offsetof(mx_sort_params, axis));
}

/* --- LogSumExp, Softmax (last axis) ------------------------------------------------ */

static mx_array* last_softmax(mx_array* x, mx_stream s) {
  int last = x->ndim - 1;
  return mx_softmax(x, 1, &last, true, s);
}

static int vjp_logsumexp(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  /* d logsumexp / dx = softmax(x). */
  mx__tmps t = {0};
  int last = p[0]->ndim - 1;
  mx_array* sm = K(last_softmax(p[0], S));
  mx_array* ce = K(mx_expand_dims(c[0], 1, &last, S));
  mx_array* r = K(mx_multiply(ce, sm, S));
  g[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return g[0] ? 0 : -1;
}

static int jvp_logsumexp(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* tn, mx_array** out) {
  mx__tmps t = {0};
  int last = p[0]->ndim - 1;
  mx_array* sm = K(last_softmax(p[0], S));
  mx_array* w = K(mx_multiply(tn[0], sm, S));
  mx_array* r = K(mx_sum(w, 1, &last, false, S));
  out[0] = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

/* For y = softmax(x) and a direction v (cotangent or tangent, the Jacobian
 * is symmetric): y * (v - sum(v * y)). */
static mx_array* softmax_apply(mx_node* node, mx_array* y, mx_array* v) {
  mx__tmps t = {0};
  int last = y->ndim - 1;
  mx_array* vy = K(mx_multiply(v, y, S));
  mx_array* sm = K(mx_sum(vy, 1, &last, true, S));
  mx_array* d = K(mx_subtract(v, sm, S));
  mx_array* r = K(mx_multiply(y, d, S));
  r = t.failed ? NULL : mx__give(r);
  mx__tmps_free(&t);
  return r;
}

static int vjp_softmax(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                       const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  mx_array* y = o[0] ? mx__give(o[0]) : last_softmax(p[0], S);
  g[0] = y ? softmax_apply(node, y, c[0]) : NULL;
  mx_array_release(y);
  return g[0] ? 0 : -1;
}

static int jvp_softmax(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tn,
                       mx_array** out) {
  mx_array* y = o[0] ? mx__give(o[0]) : last_softmax(p[0], S);
  out[0] = y ? softmax_apply(node, y, tn[0]) : NULL;
  mx_array_release(y);
  return out[0] ? 0 : -1;
}

/* Both work on the last axis, which stays last once the batch is in front. */
static int vmap_last_axis(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax) {
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  if (!x) return -1;
  int rc = mx__rebuild_batched(node, &x, x->shape[0], out);
  mx_array_release(x);
  oax[0] = 0;
  return rc;
}

/* --- SearchSorted ------------------------------------------------------------------- */

/* With batched sequences every batch row searches its own sequence: the
 * insertion index is the number of sequence elements ordered before the
 * value (strictly, or not after it for `right`), NaN ordered last as the
 * kernel does. */
static int vmap_searchsorted(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                             int* oax) {
  const mx_searchsorted_params* sp = node->params;
  oax[0] = 0;
  if (ax[0] < 0) {
    mx_array* ins[2] = {in[0], mx__batch_front(in[1], ax[1], S)};
    if (!ins[1]) return -1;
    int rc = mx__rebuild_batched(node, ins, ins[1]->shape[0], out);
    mx_array_release(ins[1]);
    return rc;
  }
  mx_array* b[2];
  if (mx__batch_all_front(2, in, ax, b, S) != 0) return -1;
  mx__tmps t = {0};
  mx__keep(&t, b[0]);
  mx__keep(&t, b[1]);
  mx_array* seq = b[0];
  mx_array* val = b[1];
  int nd = val->ndim, shape[MX_MAX_NDIM + 1];
  if (nd + 1 > MX_MAX_NDIM) {
    mx__tmps_free(&t);
    return mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
  }
  shape[0] = seq->shape[0];
  for (int d = 1; d < nd; d++) shape[d] = 1;
  shape[nd] = seq->shape[1];
  mx_array* sq = K(mx_reshape(seq, nd + 1, shape, S));
  int last = nd;
  mx_array* v = K(mx_expand_dims(val, 1, &last, S));
  mx_array* before = K(sp->right ? mx_less_equal(sq, v, S) : mx_less(sq, v, S));
  mx_array* vnan = K(mx_isnan(v, S));
  mx_array* snan = K(mx_isnan(sq, S));
  mx_array* sok = K(mx_logical_not(snan, S));
  mx_array* nanv = K(sp->right ? mx__give(vnan) : mx_logical_and(vnan, sok, S));
  mx_array* cnt = K(mx_logical_or(before, nanv, S));
  mx_array* ci = K(mx_astype(cnt, MX_UINT32, S));
  mx_array* r = K(mx_sum(ci, 1, &last, false, S));
  mx_array* ru = K(mx_astype(r, MX_UINT32, S));
  out[0] = t.failed ? NULL : mx__give(ru);
  mx__tmps_free(&t);
  return out[0] ? 0 : -1;
}

const mx_transform_rules mx__rules_reduce_sort[MX_PRIM_COUNT] = {
    MX_RULE(ARG_REDUCE, mx__vjp_zero, mx__jvp_zero, vmap_arg_reduce)
    MX_RULE(SCAN, vjp_scan, jvp_scan, vmap_scan)
    MX_RULE(SORT, vjp_sort, jvp_sort, vmap_sort)
    MX_RULE(ARGSORT, mx__vjp_zero, mx__jvp_zero, vmap_sort)
    MX_RULE(PARTITION, vjp_sort, jvp_sort, vmap_sort)
    MX_RULE(ARGPARTITION, mx__vjp_zero, mx__jvp_zero, vmap_sort)
    MX_RULE(LOGSUMEXP, vjp_logsumexp, jvp_logsumexp, vmap_last_axis)
    MX_RULE(SOFTMAX, vjp_softmax, jvp_softmax, vmap_last_axis)
    MX_RULE(ISCLOSE, mx__vjp_zero, mx__jvp_zero, mx__vmap_elementwise)
    MX_RULE(SEARCHSORTED, mx__vjp_zero, mx__jvp_zero, vmap_searchsorted)
};
