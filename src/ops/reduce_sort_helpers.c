/* Axis bookkeeping shared by the reduce_sort constructors. */
#include "reduce_sort_internal.h"

int mx__rs_check(const mx_array* a, const char* name) {
  if (!a) return mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
  return 0;
}

int mx__rs_axes_mask(const mx_array* a, int naxes, const int* axes, bool* mask, const char* name) {
  int nd = a->ndim;
  for (int i = 0; i < nd; i++) mask[i] = axes == NULL;
  if (!axes) return nd;
  if (naxes < 0) return mx_error(MX_ERR_VALUE, "[%s] Negative number of axes.", name);
  int count = 0;
  for (int i = 0; i < naxes; i++) {
    int ax;
    if (mx_normalize_axis(axes[i], nd, name, &ax) != 0) return -1;
    if (mask[ax]) return mx_error(MX_ERR_VALUE, "[%s] Received duplicate axes.", name);
    mask[ax] = true;
    count++;
  }
  return count;
}

int mx__rs_reduced_shape(const mx_array* a, const bool* mask, bool keepdims, int* out) {
  int n = 0;
  for (int i = 0; i < a->ndim; i++) {
    if (!mask[i])
      out[n++] = a->shape[i];
    else if (keepdims)
      out[n++] = 1;
  }
  return n;
}

mx_array* mx__rs_axes_to_last(mx_array* a, const bool* mask, mx_stream s) {
  int nd = a->ndim;
  int perm[nd > 0 ? nd : 1], shape[nd + 1];
  int k = 0, nk = 0;
  int64_t merged = 1;
  bool moved = false;
  for (int i = 0; i < nd; i++)
    if (!mask[i]) {
      perm[k++] = i;
      shape[nk++] = a->shape[i];
    }
  for (int i = 0; i < nd; i++)
    if (mask[i]) {
      perm[k++] = i;
      merged *= a->shape[i];
    }
  for (int i = 0; i < nd; i++) moved |= perm[i] != i;
  shape[nk] = (int)merged;
  mx_array* t = a;
  if (moved) {
    t = mx_transpose(a, nd, perm, s);
    if (!t) return NULL;
  } else {
    mx_array_retain(a);
  }
  mx_array* r = mx_reshape(t, nk + 1, shape, s);
  mx_array_release(t);
  return r;
}

mx_array* mx__rs_flatten(mx_array* a, mx_stream s) {
  int n = (int)a->size;
  return mx_reshape(a, 1, &n, s);
}

mx_dtype mx__rs_at_least_float(mx_dtype t) {
  return mx_dtype_is_inexact(t) ? t : MX_FLOAT32;
}
