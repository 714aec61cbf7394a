/* SCATTER and MASKED_SCATTER: the output starts as a copy of the source
 * (or takes its buffer when it can be donated); then update slices are
 * written or combined in index order, so repeated indices accumulate and,
 * for plain writes, the last one wins. */
#include "indexing.h"

#define MAXD 64

typedef struct slice_walk {
  int nd;                 /* collapsed dims of one update slice */
  int64_t shape[MAXD];
  int64_t dst[MAXD];      /* output element strides */
  int64_t src[MAXD];      /* update element strides */
  size_t isz;
  mx__combine_fn fn;
} slice_walk;

/* Applies one update slice: d (output) op= s (updates) over the walk. */
static void apply_slice(const slice_walk* w, char* d, const char* s) {
  if (w->nd == 0) {
    w->fn(d, s);
    return;
  }
  int64_t idx[MAXD] = {0};
  int last = w->nd - 1;
  int64_t n = w->shape[last];
  int64_t dst = w->dst[last] * (int64_t)w->isz, sst = w->src[last] * (int64_t)w->isz;
  for (;;) {
    char* dp = d;
    const char* sp = s;
    for (int64_t i = 0; i < n; i++, dp += dst, sp += sst) w->fn(dp, sp);
    int i = last - 1;
    for (; i >= 0; i--) {
      d += w->dst[i] * (int64_t)w->isz;
      s += w->src[i] * (int64_t)w->isz;
      if (++idx[i] < w->shape[i]) break;
      d -= w->shape[i] * w->dst[i] * (int64_t)w->isz;
      s -= w->shape[i] * w->src[i] * (int64_t)w->isz;
      idx[i] = 0;
    }
    if (i < 0) return;
  }
}

int mx__cpu_scatter(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* out = outputs[0];
  const mx_gather_params* p = node->params;
  int n = p ? p->naxes : -1;
  if (!p || node->n_inputs != n + 2)
    return mx_error(MX_ERR_RUNTIME, "[Scatter] Inconsistent parameters.");
  mx_array* u = inputs[n + 1];
  int bnd = u->ndim - a->ndim;
  if (bnd < 0 || u->dtype != a->dtype || bnd > MAXD || a->ndim > MAXD || n + 1 > MX__ODO_OPS)
    return mx_error(MX_ERR_RUNTIME, "[Scatter] Inconsistent parameters.");
  for (int k = 0; k < n; k++)
    if (inputs[k + 1]->ndim != bnd)
      return mx_error(MX_ERR_RUNTIME, "[Scatter] Index shape mismatch.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  char* po = mx__cpu_copy_or_donate(out, a);
  if (!po) return -1;
  if (u->size == 0) {
    mx__cpu_written(out);
    return 0;
  }
  const char* pu = mx__cpu_in_ptr(u);
  if (!pu) return -1;
  const char* pidx[MX__ODO_OPS];
  for (int k = 0; k < n; k++) {
    pidx[k] = mx__cpu_in_ptr(inputs[k + 1]);
    if (!pidx[k]) return -1;
  }
  const int* us = u->shape + bnd;
  slice_walk w = {.isz = mx_array_itemsize(a), .fn = mx__cpu_combine_fn(p->op, a->dtype)};
  int64_t sn = 1;
  for (int i = 0; i < a->ndim; i++) {
    w.shape[i] = us[i];
    w.dst[i] = out->strides[i];
    w.src[i] = u->strides[bnd + i];
    sn *= us[i];
  }
  int64_t* stp[2] = {w.dst, w.src};
  w.nd = mx__cpu_collapse(a->ndim, w.shape, 2, stp);

  /* The common case (one dense index array, one element per index, dense
   * updates) as a tight loop. */
  mx_dtype it = n == 1 ? inputs[1]->dtype : MX_BOOL;
  if (n == 1 && sn == 1 && (inputs[1]->flags & MX_FLAG_ROW_CONTIGUOUS) &&
      inputs[1]->data_size == inputs[1]->size && (u->flags & MX_FLAG_ROW_CONTIGUOUS) &&
      u->data_size == u->size && (it == MX_INT32 || it == MX_INT64)) {
    int ax = p->axes[0];
    int64_t dim = a->shape[ax], st = out->strides[ax] * (int64_t)w.isz;
    for (int64_t j = 0; j < u->size; j++) {
      int64_t v = it == MX_INT32 ? ((const int32_t*)pidx[0])[j] : ((const int64_t*)pidx[0])[j];
      if (v < 0) v += dim;
      v = v < 0 ? 0 : (v >= dim ? dim - 1 : v);
      w.fn(po + v * st, pu + j * (int64_t)w.isz);
    }
    mx__cpu_written(out);
    return 0;
  }

  /* Walk the index positions in order; operands are the index arrays and
   * the updates' index dims. */
  mx__odo o = {.ndim = bnd, .nops = n + 1, .shape = u->shape};
  for (int k = 0; k < n; k++) o.strides[k] = inputs[k + 1]->strides;
  o.strides[n] = u->strides;
  mx__odo_seek(&o, 0);
  int64_t nb = u->size / sn;
  size_t isz = w.isz;
  for (int64_t b = 0; b < nb; b++) {
    int64_t off = 0;
    for (int k = 0; k < n; k++) {
      const mx_array* ix = inputs[k + 1];
      int ax = p->axes[k];
      int64_t v = mx__idx_load(pidx[k] + o.off[k] * (int64_t)mx_array_itemsize(ix), ix->dtype);
      off += mx__idx_fix(v, a->shape[ax], us[ax]) * out->strides[ax];
    }
    char* d = po + off * (int64_t)isz;
    const char* s = pu + o.off[n] * (int64_t)isz;
    if (sn >= MX__GRAIN) {
      /* A large slice: its elements are distinct, so split it. */
      const int64_t* st[2] = {out->strides, u->strides + bnd};
      size_t sz[2] = {isz, isz};
      char* base[2] = {d, (char*)s};
      mx__cpu_apply(a->ndim, us, 2, base, st, sz, mx__cpu_combine_inner, (void*)w.fn);
    } else {
      apply_slice(&w, d, s);
    }
    mx__odo_next(&o);
  }
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_masked_scatter(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* mask = inputs[1];
  mx_array* src = inputs[2];
  mx_array* out = outputs[0];
  if (mask->ndim != a->ndim || mask->dtype != MX_BOOL || src->dtype != a->dtype ||
      a->ndim > MAXD || src->ndim > MAXD)
    return mx_error(MX_ERR_RUNTIME, "[MaskedScatter] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  const char* pm = mx__cpu_in_ptr(mask);
  if (!pm) return -1;
  /* Count first: a short source is an error and must leave no output. */
  mx__odo o = {.ndim = mask->ndim, .nops = 1, .shape = mask->shape};
  o.strides[0] = mask->strides;
  mx__odo_seek(&o, 0);
  int64_t count = 0;
  for (int64_t i = 0; i < mask->size; i++, mx__odo_next(&o)) count += pm[o.off[0]] != 0;
  if (count > src->size)
    return mx_error(MX_ERR_RUNTIME,
                    "[MaskedScatter::eval_cpu] Source does not have enough elements for mask.");
  char* po = mx__cpu_copy_or_donate(out, a);
  if (!po) return -1;
  if (count > 0) {
    const char* ps = mx__cpu_in_ptr(src);
    if (!ps) return -1;
    size_t isz = mx_array_itemsize(a);
    mx__odo so = {.ndim = src->ndim, .nops = 1, .shape = src->shape};
    so.strides[0] = src->strides;
    mx__odo_seek(&so, 0);
    mx__odo_seek(&o, 0);
    /* out is row-contiguous, so its flat position is the walk position. */
    for (int64_t i = 0; i < mask->size; i++, mx__odo_next(&o)) {
      if (!pm[o.off[0]]) continue;
      mx__copy_elem(po + i * (int64_t)isz, ps + so.off[0] * (int64_t)isz, isz);
      mx__odo_next(&so);
    }
  }
  mx__cpu_written(out);
  return 0;
}
