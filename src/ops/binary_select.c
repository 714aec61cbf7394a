/* where (the Select primitive) and clip, which MLX builds from maximum and
 * minimum. */
#include "ops_internal.h"

mx_array* mx_where(mx_array* condition, mx_array* x, mx_array* y, mx_stream s) {
  if (!condition || !x || !y) {
    mx_error(MX_ERR_VALUE, "[where] Invalid (null) array argument.");
    return NULL;
  }
  /* The common shape of all three. */
  int n1 = condition->ndim > x->ndim ? condition->ndim : x->ndim;
  int s1[n1 > 0 ? n1 : 1];
  if (mx_broadcast_shapes(condition->ndim, condition->shape, x->ndim, x->shape, &n1, s1) != 0)
    return NULL;
  int nd = n1 > y->ndim ? n1 : y->ndim;
  int shape[nd > 0 ? nd : 1];
  if (mx_broadcast_shapes(n1, s1, y->ndim, y->shape, &nd, shape) != 0) return NULL;

  mx_dtype dt = mx_promote_types(x->dtype, y->dtype);
  mx_array* src[3] = {condition, x, y};
  mx_dtype dts[3] = {MX_BOOL, dt, dt};
  mx_array* in[3] = {NULL, NULL, NULL};
  mx_array* out = NULL;
  for (int i = 0; i < 3; i++) {
    mx_array* c = mx__as_dtype(src[i], dts[i], s);
    if (!c) goto done;
    in[i] = mx__broadcast_unchecked(c, nd, shape, s);
    mx_array_release(c);
    if (!in[i]) goto done;
  }
  out = mx_array_make(MX_PRIM_SELECT, NULL, 0, s, 3, in, dt, nd, shape);
done:
  for (int i = 0; i < 3; i++) mx_array_release(in[i]);
  return out;
}

mx_array* mx_clip(mx_array* a, mx_array* a_min, mx_array* a_max, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[clip] Invalid (null) array argument.");
    return NULL;
  }
  if (!a_min && !a_max) {
    mx_error(MX_ERR_VALUE, "At most one of a_min and a_max may be None");
    return NULL;
  }
  mx_array* lo;
  if (a_min) {
    lo = mx_maximum(a, a_min, s);
    if (!lo) return NULL;
  } else {
    lo = a;
    mx_array_retain(lo);
  }
  if (!a_max) return lo;
  mx_array* out = mx_minimum(lo, a_max, s);
  mx_array_release(lo);
  return out;
}
