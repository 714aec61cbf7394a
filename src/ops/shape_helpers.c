/* Shape arithmetic shared by the op constructors: NumPy broadcasting and
 * axis normalisation, plus the small conversion/broadcast helpers that
 * several constructors use to line their inputs up. */
#include "ops_internal.h"

int mx_broadcast_shapes(int nda, const int* a, int ndb, const int* b, int* out_ndim, int* out) {
  int nd = nda > ndb ? nda : ndb;
  /* Align on the right: a missing leading dim behaves like a dim of size 1.
   * Everything is checked before `out` is written, so a failed call leaves
   * it untouched. */
  for (int i = 0; i < nd; i++) {
    int da = i < nd - nda ? 1 : a[i - (nd - nda)];
    int db = i < nd - ndb ? 1 : b[i - (nd - ndb)];
    if (da != db && da != 1 && db != 1) {
      char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
      return mx_error(MX_ERR_VALUE, "[broadcast_shapes] Shapes %s and %s cannot be broadcast.",
                      mx_shape_str(nda, a, sa, sizeof sa), mx_shape_str(ndb, b, sb, sizeof sb));
    }
  }
  for (int i = 0; i < nd; i++) {
    int da = i < nd - nda ? 1 : a[i - (nd - nda)];
    int db = i < nd - ndb ? 1 : b[i - (nd - ndb)];
    out[i] = da == 1 ? db : da;
  }
  *out_ndim = nd;
  return 0;
}

int mx_normalize_axis(int axis, int ndim, const char* what, int* out) {
  /* MLX reports an out-of-range axis as std::out_of_range, which Python sees
   * as IndexError. */
  if (axis < -ndim || axis >= ndim) {
    if (what && *what)
      return mx_error(MX_ERR_INDEX, "[%s] Invalid axis %d for array with %d dimensions.", what,
                      axis, ndim);
    return mx_error(MX_ERR_INDEX, "Invalid axis %d for array with %d dimensions.", axis, ndim);
  }
  *out = axis < 0 ? axis + ndim : axis;
  return 0;
}

mx_array* mx__as_dtype(mx_array* a, mx_dtype dtype, mx_stream s) {
  if (a->dtype == dtype) {
    mx_array_retain(a);
    return a;
  }
  return mx_array_make(MX_PRIM_ASTYPE, NULL, 0, s, 1, &a, dtype, a->ndim, a->shape);
}

mx_array* mx__broadcast_unchecked(mx_array* a, int ndim, const int* shape, mx_stream s) {
  if (mx_shape_equal(a->ndim, a->shape, ndim, shape)) {
    mx_array_retain(a);
    return a;
  }
  return mx_array_make(MX_PRIM_BROADCAST, NULL, 0, s, 1, &a, a->dtype, ndim, shape);
}

int mx__check_broadcast_to(const mx_array* a, int ndim, const int* shape) {
  char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
  if (a->ndim > ndim)
    return mx_error(MX_ERR_VALUE, "Cannot broadcast array of shape %s into shape %s.",
                    mx_shape_str(a->ndim, a->shape, sa, sizeof sa),
                    mx_shape_str(ndim, shape, sb, sizeof sb));
  int tmp_nd = 0;
  int tmp[ndim > 0 ? ndim : 1];
  if (mx_broadcast_shapes(a->ndim, a->shape, ndim, shape, &tmp_nd, tmp) != 0) return -1;
  if (!mx_shape_equal(tmp_nd, tmp, ndim, shape))
    return mx_error(MX_ERR_VALUE, "Cannot broadcast array of shape %s into shape %s.",
                    mx_shape_str(a->ndim, a->shape, sa, sizeof sa),
                    mx_shape_str(ndim, shape, sb, sizeof sb));
  return 0;
}
