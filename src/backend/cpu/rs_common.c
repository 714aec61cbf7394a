/* Input views for the reduce_sort kernels (see rs_common.h). */
#include <stdlib.h>

#include "elementwise.h"
#include "rs_common.h"

int mx__rs_view_of(mx_array* in, int axis, mx__rs_view* v) {
  v->owned = NULL;
  v->outer = 1;
  v->inner = 1;
  v->n = in->ndim > 0 ? in->shape[axis] : 1;
  for (int i = 0; i < axis; i++) v->outer *= in->shape[i];
  for (int i = axis + 1; i < in->ndim; i++) v->inner *= in->shape[i];
  const char* p = mx__cpu_in_ptr(in);
  if (!p) return -1;
  if (in->size == 0 || mx__cpu_flat_like(in, NULL)) {
    v->data = p;
    return 0;
  }
  /* Kernels walk the axis as a plain (outer, n, inner) block, so anything
   * else (transposed, broadcast, sliced with gaps) is packed first. */
  v->owned = malloc((size_t)in->size * mx_array_itemsize(in));
  if (!v->owned) return mx_error(MX_ERR_MEMORY, "[cpu] Out of memory.");
  mx__cpu_copy_into(in, p, v->owned, in->dtype, in->ndim, in->shape);
  v->data = v->owned;
  return 0;
}

void mx__rs_view_free(mx__rs_view* v) {
  free(v->owned);
  v->owned = NULL;
}
