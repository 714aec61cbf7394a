/* View kernels: RESHAPE, TRANSPOSE and BROADCAST share the input's buffer
 * with new strides.  Only a reshape whose target cannot be expressed with
 * strides over the input's layout (e.g. flattening a transposed matrix)
 * copies. */
#include "elementwise.h"

static void share(mx_array* out, mx_array* in, const int64_t* strides) {
  unsigned flags = mx_layout_flags(out->ndim, out->shape, strides, in->data_size);
  mx_array_share_data(out, in, strides, in->offset, in->data_size, flags);
}

/* Strides that give the (row-major) reshape of a strided array without
 * moving data, if they exist.  Old and new dims are matched in groups with
 * equal products; each group of old dims must be contiguous among itself
 * (stride[i] == stride[i+1] * shape[i+1]), and the group's new dims take
 * strides running down from the group's innermost old stride.  Size-1 dims
 * carry no information and are skipped on the old side. */
static bool reshape_strides(const mx_array* in, int nnd, const int* nsh, int64_t* nst) {
  int cap = in->ndim > 0 ? in->ndim : 1;
  int64_t os[cap], ot[cap];
  int on = 0;
  for (int i = 0; i < in->ndim; i++) {
    if (in->shape[i] == 1) continue;
    os[on] = in->shape[i];
    ot[on++] = in->strides[i];
  }
  int i = 0, j = 0;
  while (i < on && j < nnd) {
    if (nsh[j] == 1) {
      nst[j++] = 0;
      continue;
    }
    int64_t po = os[i], pn = nsh[j];
    int i1 = i + 1, j1 = j + 1;
    while (po != pn) {
      if (po < pn) {
        if (i1 >= on) return false;
        po *= os[i1++];
      } else {
        if (j1 >= nnd) return false;
        pn *= nsh[j1++];
      }
    }
    for (int k = i; k < i1 - 1; k++)
      if (ot[k] != ot[k + 1] * os[k + 1]) return false;
    nst[j1 - 1] = ot[i1 - 1];
    for (int k = j1 - 2; k >= j; k--) nst[k] = nst[k + 1] * nsh[k + 1];
    i = i1;
    j = j1;
  }
  for (; j < nnd; j++) nst[j] = 0; /* trailing size-1 dims */
  return i == on;
}

int mx__cpu_reshape(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->size != out->size)
    return mx_error(MX_ERR_RUNTIME, "[Reshape] Input and output sizes differ.");
  int nd = out->ndim;
  int64_t st[nd > 0 ? nd : 1];
  if (in->size == 0 || (in->flags & MX_FLAG_ROW_CONTIGUOUS)) {
    mx_row_strides(nd, out->shape, st);
    share(out, in, st);
    return 0;
  }
  if (reshape_strides(in, nd, out->shape, st)) {
    share(out, in, st);
    return 0;
  }
  char* po = mx__cpu_alloc(out);
  const char* pi = po ? mx__cpu_in_ptr(in) : NULL;
  if (!pi) return -1;
  /* Copy in the input's row-major order; read back as the output's shape. */
  mx__cpu_copy_into(in, pi, po, out->dtype, in->ndim, in->shape);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_transpose(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_transpose_params* p = node->params;
  if (!p || p->ndim != in->ndim || p->ndim != out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[Transpose] Inconsistent parameters.");
  int nd = out->ndim;
  int64_t st[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) {
    if (p->perm[i] < 0 || p->perm[i] >= nd)
      return mx_error(MX_ERR_RUNTIME, "[Transpose] Invalid permutation.");
    st[i] = in->strides[p->perm[i]];
  }
  share(out, in, st);
  return 0;
}

int mx__cpu_broadcast(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (in->ndim > out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[Broadcast] Input has more dims than the output.");
  int nd = out->ndim;
  int64_t st[nd > 0 ? nd : 1];
  mx__cpu_bcast_strides(in, nd, out->shape, st);
  share(out, in, st);
  return 0;
}
