/* COPY, ASTYPE and FULL kernels, built on the conversion loops in
 * convert.c. */
#include "elementwise.h"

int mx__cpu_copy(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->dtype != out->dtype || !mx_shape_equal(in->ndim, in->shape, out->ndim, out->shape))
    return mx_error(MX_ERR_RUNTIME, "[Copy] Output must match the input.");
  if (in->size > 0 && mx__cpu_flat_like(in, NULL)) {
    /* Arrays are immutable, so a row-contiguous input can simply be shared;
     * the buffer becomes donatable again once the input dies. */
    int nd = out->ndim;
    int64_t st[nd > 0 ? nd : 1];
    mx_row_strides(nd, out->shape, st);
    mx_array_share_data(out, in, st, in->offset, in->size,
                        mx_layout_flags(nd, out->shape, st, in->size));
    return 0;
  }
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  const char* pi = po ? mx__cpu_in_ptr(in) : NULL;
  if (!pi) return -1;
  mx__cpu_copy_into(in, pi, po, out->dtype, out->ndim, out->shape);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_astype(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (!mx_shape_equal(in->ndim, in->shape, out->ndim, out->shape))
    return mx_error(MX_ERR_RUNTIME, "[AsType] Output shape must match the input.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  const char* pi = mx__cpu_in_ptr(in);
  if (!pi) return -1;
  bool flat = mx__cpu_flat_like(in, NULL);
  /* Converting in place is safe when both sides walk the same bytes in
   * step, i.e. same element size and a row-contiguous input. */
  char* po = flat && mx_array_itemsize(in) == mx_array_itemsize(out)
                 ? mx__cpu_alloc_donate(out, &in, 1)
                 : mx__cpu_alloc(out);
  if (!po) return -1;
  if (flat) {
    char* base[2] = {po, (char*)pi};
    int64_t bst[2] = {(int64_t)mx_array_itemsize(out), (int64_t)mx_array_itemsize(in)};
    mx__cpu_apply_flat(out->size, 2, base, bst, mx__cpu_convert_fn(in->dtype, out->dtype),
                       NULL);
  } else {
    mx__cpu_copy_into(in, pi, po, out->dtype, out->ndim, out->shape);
  }
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_full(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* vals = inputs[0];
  mx_array* out = outputs[0];
  if (vals->ndim > out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[Full] Value has more dims than the output.");
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  const char* pv = po ? mx__cpu_in_ptr(vals) : NULL;
  if (!pv) return -1;
  mx__cpu_copy_into(vals, pv, po, out->dtype, out->ndim, out->shape);
  mx__cpu_written(out);
  return 0;
}
