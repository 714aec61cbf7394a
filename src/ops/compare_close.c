/* isclose, allclose and array_equal on the IsClose primitive: the inputs
 * are promoted to one dtype and broadcast to one shape first. */
#include "reduce_sort_internal.h"

static mx_array* isclose_node(mx_array* a, mx_array* b, double rtol, double atol, bool equal_nan,
                              bool exact, const char* name, mx_stream s) {
  if (mx__rs_check(a, name) != 0 || mx__rs_check(b, name) != 0) return NULL;
  int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
  int shape[nd + 1], ond;
  if (mx_broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, &ond, shape) != 0) return NULL;
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  mx_array* in[2] = {NULL, NULL};
  mx_array* src[2] = {a, b};
  mx_array* r = NULL;
  for (int i = 0; i < 2; i++) {
    mx_array* c = mx__as_dtype(src[i], dt, s);
    if (!c) goto done;
    in[i] = mx__broadcast_unchecked(c, ond, shape, s);
    mx_array_release(c);
    if (!in[i]) goto done;
  }
  mx_isclose_params p = {.rtol = rtol, .atol = atol, .equal_nan = equal_nan, .exact = exact};
  r = mx_array_make(MX_PRIM_ISCLOSE, &p, sizeof p, s, 2, in, MX_BOOL, ond, shape);
done:
  for (int i = 0; i < 2; i++)
    if (in[i]) mx_array_release(in[i]);
  return r;
}

mx_array* mx_isclose(mx_array* a, mx_array* b, double rtol, double atol, bool equal_nan,
                     mx_stream s) {
  return isclose_node(a, b, rtol, atol, equal_nan, false, "isclose", s);
}

mx_array* mx_allclose(mx_array* a, mx_array* b, double rtol, double atol, bool equal_nan,
                      mx_stream s) {
  mx_array* c = isclose_node(a, b, rtol, atol, equal_nan, false, "allclose", s);
  if (!c) return NULL;
  mx_array* r = mx_all(c, 0, NULL, false, s);
  mx_array_release(c);
  return r;
}

mx_array* mx_array_equal(mx_array* a, mx_array* b, bool equal_nan, mx_stream s) {
  if (mx__rs_check(a, "array_equal") != 0 || mx__rs_check(b, "array_equal") != 0) return NULL;
  /* Different shapes are simply unequal (no broadcasting). */
  if (!mx_shape_equal(a->ndim, a->shape, b->ndim, b->shape))
    return mx_array_scalar_i64(0, MX_BOOL);
  mx_array* c = isclose_node(a, b, 0, 0, equal_nan, true, "array_equal", s);
  if (!c) return NULL;
  mx_array* r = mx_all(c, 0, NULL, false, s);
  mx_array_release(c);
  return r;
}
