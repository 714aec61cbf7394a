/* View kernels of the shape family: StridedView, AsStrided, View (dtype
 * reinterpretation) and Contiguous.  Each shares the input's buffer when
 * the layout allows it and copies only otherwise. */
#include "elementwise.h"
#include "table_shape.h"

/* Shares `src`'s buffer with `out` under the given element strides and
 * offset (in out's elements).  data_size is the exact span the view
 * reaches, so a view reaching one element reads as a broadcast scalar and
 * a dense one as contiguous.  A view with a negative stride is never
 * flagged contiguous: flat kernels walk memory upwards from the offset. */
static void share_view(mx_array* out, mx_array* src, const int64_t* st, int64_t offset) {
  int nd = out->ndim;
  int64_t lo = 0, hi = 0;
  bool neg = false;
  for (int i = 0; i < nd; i++) {
    if (out->shape[i] <= 1) continue;
    int64_t r = (int64_t)(out->shape[i] - 1) * st[i];
    if (r < 0) {
      lo += r;
      neg = true;
    } else {
      hi += r;
    }
  }
  int64_t span = out->size ? hi - lo + 1 : 0;
  unsigned flags = mx_layout_flags(nd, out->shape, st, span);
  if (neg) flags &= ~(unsigned)MX_FLAG_CONTIGUOUS;
  mx_array_share_data(out, src, st, offset, span, flags);
}

int mx__cpu_strided_view(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_strided_view_params* p = node->params;
  if (!p || p->in_ndim != in->ndim || p->out_ndim != out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[StridedView] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  int ni = in->ndim, no = out->ndim;
  const int64_t* base = p->v;
  const int64_t* coef = p->v + ni;
  int64_t offset = in->offset;
  for (int k = 0; k < ni; k++) offset += base[k] * in->strides[k];
  int64_t st[no > 0 ? no : 1];
  for (int j = 0; j < no; j++) {
    st[j] = 0;
    for (int k = 0; k < ni; k++) st[j] += coef[j * ni + k] * in->strides[k];
  }
  share_view(out, in, st, offset);
  return 0;
}

/* A row-contiguous array holding `in`'s elements: `in` itself (retained)
 * or a fresh copy.  NULL with an error set on failure. */
static mx_array* row_contiguous(mx_array* in) {
  if ((in->flags & MX_FLAG_ROW_CONTIGUOUS) && in->data_size == in->size) {
    mx_array_retain(in);
    return in;
  }
  mx_array* tmp = mx_array_alloc(in->dtype, in->ndim, in->shape);
  if (!tmp) return NULL;
  char* po = mx__cpu_alloc(tmp);
  const char* pi = po ? mx__cpu_in_ptr(in) : NULL;
  if (!pi) {
    mx_array_release(tmp);
    return NULL;
  }
  mx__cpu_copy_into(in, pi, po, tmp->dtype, tmp->ndim, tmp->shape);
  mx__cpu_written(tmp);
  atomic_store(&tmp->status, MX_STATUS_AVAILABLE);
  return tmp;
}

int mx__cpu_as_strided(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_as_strided_params* p = node->params;
  if (!p || p->ndim != out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[AsStrided] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  mx_array* src = row_contiguous(in);
  if (!src) return -1;
  share_view(out, src, p->strides, src->offset + p->offset);
  mx_array_release(src);
  return 0;
}

int mx__cpu_view(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  size_t ib = mx_array_itemsize(in), ob = mx_array_itemsize(out);
  if ((int64_t)(in->size * (int64_t)ib) != (int64_t)(out->size * (int64_t)ob))
    return mx_error(MX_ERR_RUNTIME, "[View] Input and output sizes differ.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  mx_array* src = row_contiguous(in);
  if (!src) return -1;
  int64_t byte_off = src->offset * (int64_t)ib;
  if (byte_off % (int64_t)ob != 0) {
    /* The data does not start on an element boundary of the new type:
     * move it to the start of a fresh buffer. */
    mx_array* tmp = mx_array_alloc(in->dtype, in->ndim, in->shape);
    char* po = tmp ? mx__cpu_alloc(tmp) : NULL;
    if (!po) {
      if (tmp) mx_array_release(tmp);
      mx_array_release(src);
      return -1;
    }
    memcpy(po, mx__cpu_in_ptr(src), (size_t)in->size * ib);
    mx__cpu_written(tmp);
    atomic_store(&tmp->status, MX_STATUS_AVAILABLE);
    mx_array_release(src);
    src = tmp;
    byte_off = 0;
  }
  int nd = out->ndim;
  int64_t st[nd > 0 ? nd : 1];
  mx_row_strides(nd, out->shape, st);
  mx_array_share_data(out, src, st, byte_off / (int64_t)ob, out->size,
                      mx_layout_flags(nd, out->shape, st, out->size));
  mx_array_release(src);
  return 0;
}

int mx__cpu_contiguous(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_contiguous_params* p = node->params;
  if (out->size == 0) return mx_array_alloc_data(out, false);
  bool dense = in->data_size == in->size;
  if (dense && ((in->flags & MX_FLAG_ROW_CONTIGUOUS) ||
                (p && p->allow_col_major && (in->flags & MX_FLAG_COL_CONTIGUOUS)))) {
    mx_array_share_data(out, in, in->strides, in->offset, in->data_size, in->flags);
    return 0;
  }
  char* po = mx__cpu_alloc(out);
  const char* pi = po ? mx__cpu_in_ptr(in) : NULL;
  if (!pi) return -1;
  mx__cpu_copy_into(in, pi, po, out->dtype, out->ndim, out->shape);
  mx__cpu_written(out);
  return 0;
}
