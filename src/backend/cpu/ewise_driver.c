/* Elementwise driver for the unary and binary families (see
 * ewise_driver.h). */
#include "ewise_driver.h"

int mx__cpu_ewise_run(mx_array* const* outs, int nout, mx_array* const* ins, int nin,
                      mx__cpu_inner fn, void* ctx) {
  mx_array* out = outs[0];
  int nops = nout + nin;
  if (nops > MX__MAX_OPERANDS)
    return mx_error(MX_ERR_RUNTIME, "[cpu] Too many elementwise operands (%d).", nops);
  for (int k = 0; k < nin; k++)
    if (!mx_shape_equal(ins[k]->ndim, ins[k]->shape, out->ndim, out->shape))
      return mx_error(MX_ERR_RUNTIME, "[cpu] Elementwise input %d does not have the output shape.", k);
  if (out->size == 0) {
    for (int j = 0; j < nout; j++)
      if (mx_array_alloc_data(outs[j], false) != 0) return -1;
    return 0;
  }
  char* base[MX__MAX_OPERANDS];
  for (int k = 0; k < nin; k++) {
    const char* p = mx__cpu_in_ptr(ins[k]);
    if (!p) return -1;
    base[nout + k] = (char*)p;
  }

  /* Which walk?  Scalars (one element, any strides) never constrain it. */
  bool flat = true, same_layout = true;
  const mx_array* ref = NULL;
  for (int k = 0; k < nin; k++) {
    if (ins[k]->data_size == 1) continue;
    if (!mx__cpu_flat_like(ins[k], NULL)) flat = false;
    if (!ref) ref = ins[k];
  }
  if (!flat) {
    for (int k = 0; k < nin && same_layout; k++)
      if (ins[k]->data_size != 1 && !mx__cpu_flat_like(ins[k], ref->strides)) same_layout = false;
  }

  if (flat || same_layout) {
    /* Donation: an input whose bytes line up one for one with an output
     * may give it its buffer (each slot is read before it is written). */
    mx_array* cands[MX__MAX_OPERANDS];
    int nc = 0;
    for (int k = 0; k < nin; k++)
      if (flat && ins[k]->data_size != 1) cands[nc++] = ins[k];
    for (int j = 0; j < nout; j++) {
      char* po;
      if (flat) {
        po = mx__cpu_alloc_donate(outs[j], cands, nc);
        /* A buffer given to one output is no longer a candidate. */
        for (int k = 0; k < nc; k++)
          if (outs[j]->buffer == cands[k]->buffer) cands[k--] = cands[--nc];
      } else {
        po = mx__cpu_alloc(outs[j]);
        if (po) {
          memcpy(outs[j]->strides, ref->strides, (size_t)out->ndim * sizeof(int64_t));
          outs[j]->flags = mx_layout_flags(out->ndim, out->shape, outs[j]->strides, out->size);
        }
      }
      if (!po) return -1;
      base[j] = po;
    }
    int64_t bst[MX__MAX_OPERANDS];
    for (int j = 0; j < nout; j++) bst[j] = (int64_t)mx_array_itemsize(outs[j]);
    for (int k = 0; k < nin; k++)
      bst[nout + k] = ins[k]->data_size == 1 ? 0 : (int64_t)mx_array_itemsize(ins[k]);
    mx__cpu_apply_flat(out->size, nops, base, bst, fn, ctx);
  } else {
    for (int j = 0; j < nout; j++) {
      base[j] = mx__cpu_alloc(outs[j]);
      if (!base[j]) return -1;
    }
    int nd = out->ndim;
    int64_t ost[nd > 0 ? nd : 1];
    mx_row_strides(nd, out->shape, ost);
    const int64_t* st[MX__MAX_OPERANDS];
    size_t isz[MX__MAX_OPERANDS];
    for (int j = 0; j < nout; j++) {
      st[j] = ost;
      isz[j] = mx_array_itemsize(outs[j]);
    }
    int64_t ist[MX__MAX_OPERANDS][nd > 0 ? nd : 1];
    for (int k = 0; k < nin; k++) {
      mx__cpu_bcast_strides(ins[k], nd, out->shape, ist[k]);
      st[nout + k] = ist[k];
      isz[nout + k] = mx_array_itemsize(ins[k]);
    }
    mx__cpu_apply(nd, out->shape, nops, base, st, isz, fn, ctx);
  }
  for (int j = 0; j < nout; j++) mx__cpu_written(outs[j]);
  return 0;
}
