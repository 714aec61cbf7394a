/* SLICE and DYNAMIC_SLICE share the input's buffer (views); SLICE_UPDATE
 * and DYNAMIC_SLICE_UPDATE copy the source (or take its buffer when it can
 * be donated) and write the update into one strided window. */
#include "indexing.h"

/* Makes `out` a view of `in` starting `off` elements past in's first
 * element with the given element strides. */
static void share_view(mx_array* out, mx_array* in, int64_t off, const int64_t* strides) {
  int nd = out->ndim;
  int64_t span = out->size ? 1 : 0;
  bool neg = false;
  for (int i = 0; i < nd && out->size; i++) {
    int64_t st = strides[i] < 0 ? -strides[i] : strides[i];
    if (strides[i] < 0 && out->shape[i] > 1) neg = true;
    span += (int64_t)(out->shape[i] - 1) * st;
  }
  unsigned flags = mx_layout_flags(nd, out->shape, strides, span);
  /* A reversed view is dense but does not start at its lowest address;
   * keep it out of the paths that assume it does. */
  if (neg) flags &= ~(unsigned)MX_FLAG_CONTIGUOUS;
  mx_array_share_data(out, in, strides, in->offset + off, span, flags);
}

int mx__cpu_slice(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_slice_params* p = node->params;
  int nd = out->ndim;
  if (!p || p->ndim != nd || in->ndim != nd)
    return mx_error(MX_ERR_RUNTIME, "[Slice] Inconsistent parameters.");
  if (!in->buffer) return mx_array_alloc_data(out, false); /* empty, never read */
  int64_t st[nd > 0 ? nd : 1];
  int64_t off = 0;
  for (int i = 0; i < nd; i++) {
    st[i] = in->strides[i] * p->v[nd + i];
    if (out->size) off += p->v[i] * in->strides[i];
  }
  share_view(out, in, off, st);
  return 0;
}

/* Element offset and strides of the window (start, steps) in a
 * row-contiguous array of `shape`. */
static int64_t window(int nd, const int* shape, const int64_t* start, const int64_t* step,
                      int64_t* wst) {
  int64_t rs[nd > 0 ? nd : 1];
  mx_row_strides(nd, shape, rs);
  int64_t off = 0;
  for (int i = 0; i < nd; i++) {
    off += start[i] * rs[i];
    wst[i] = rs[i] * (step ? step[i] : 1);
  }
  return off;
}

int mx__cpu_slice_update(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* src = inputs[0];
  mx_array* upd = inputs[1];
  mx_array* out = outputs[0];
  const mx_slice_params* p = node->params;
  int nd = out->ndim;
  if (!p || p->ndim != nd || upd->ndim != nd || upd->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[SliceUpdate] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  char* po = mx__cpu_copy_or_donate(out, src);
  if (!po) return -1;
  if (upd->size > 0) {
    const char* pu = mx__cpu_in_ptr(upd);
    if (!pu) return -1;
    int64_t wst[nd > 0 ? nd : 1];
    int64_t off = window(nd, out->shape, p->v, p->v + nd, wst);
    mx__cpu_write_window(po + off * (int64_t)mx_array_itemsize(out), wst, upd, pu, p->op);
  }
  mx__cpu_written(out);
  return 0;
}

/* Reads the clamped starts of a dynamic slice into full per-dim starts. */
static int dyn_starts(const mx_dyn_slice_params* p, mx_array* start, const mx_array* src,
                      const int* win, int64_t* starts) {
  if (start->size != p->naxes)
    return mx_error(MX_ERR_RUNTIME, "[DynamicSlice] Wrong number of start indices.");
  for (int i = 0; i < src->ndim; i++) starts[i] = 0;
  if (p->naxes == 0) return 0;
  const char* ps = mx__cpu_in_ptr(start);
  if (!ps) return -1;
  size_t isz = mx_array_itemsize(start);
  for (int k = 0; k < p->naxes; k++) {
    /* Element k in row-major order of start's (small) shape. */
    int64_t pos = k, off = 0;
    for (int i = start->ndim - 1; i >= 0; i--) {
      off += (pos % start->shape[i]) * start->strides[i];
      pos /= start->shape[i];
    }
    int ax = p->axes[k];
    if (ax < 0 || ax >= src->ndim)
      return mx_error(MX_ERR_RUNTIME, "[DynamicSlice] Invalid axis.");
    int64_t v = mx__idx_load(ps + off * (int64_t)isz, start->dtype);
    starts[ax] = mx__idx_fix(v, src->shape[ax], win[ax]);
  }
  return 0;
}

int mx__cpu_dynamic_slice(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_dyn_slice_params* p = node->params;
  int nd = out->ndim;
  if (!p || in->ndim != nd)
    return mx_error(MX_ERR_RUNTIME, "[DynamicSlice] Inconsistent parameters.");
  if (!in->buffer || out->size == 0) return mx_array_alloc_data(out, false);
  int64_t starts[nd > 0 ? nd : 1];
  if (dyn_starts(p, inputs[1], in, out->shape, starts) != 0) return -1;
  int64_t off = 0;
  for (int i = 0; i < nd; i++) off += starts[i] * in->strides[i];
  share_view(out, in, off, in->strides);
  return 0;
}

int mx__cpu_dynamic_slice_update(mx_node* node, mx_array* const* inputs,
                                 mx_array* const* outputs) {
  mx_array* src = inputs[0];
  mx_array* upd = inputs[1];
  mx_array* out = outputs[0];
  const mx_dyn_slice_params* p = node->params;
  int nd = out->ndim;
  if (!p || upd->ndim != nd || upd->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[DynamicSliceUpdate] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  int64_t starts[nd > 0 ? nd : 1];
  if (dyn_starts(p, inputs[2], src, upd->shape, starts) != 0) return -1;
  char* po = mx__cpu_copy_or_donate(out, src);
  if (!po) return -1;
  if (upd->size > 0) {
    const char* pu = mx__cpu_in_ptr(upd);
    if (!pu) return -1;
    int64_t wst[nd > 0 ? nd : 1];
    int64_t off = window(nd, out->shape, starts, NULL, wst);
    mx__cpu_write_window(po + off * (int64_t)mx_array_itemsize(out), wst, upd, pu,
                         MX_SCATTER_NONE);
  }
  mx__cpu_written(out);
  return 0;
}
