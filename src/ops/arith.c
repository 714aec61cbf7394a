/* Binary arithmetic: add, subtract, multiply, divide.
 *
 * Each op promotes both operands to one dtype (MLX's promotion table),
 * converts them with ASTYPE nodes where needed and broadcasts them with
 * BROADCAST view nodes, so the kernels only ever see two inputs of the output
 * dtype and shape. */
#include "ops_internal.h"

static mx_array* binary(mx_prim prim, const char* name, mx_array* a, mx_array* b,
                        bool true_divide, mx_stream s) {
  if (!a || !b) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  /* True division of integers or booleans gives float32, as in MLX. */
  if (true_divide && !mx_dtype_is_inexact(dt)) dt = MX_FLOAT32;
  int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
  int shape[nd > 0 ? nd : 1];
  if (mx_broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, &nd, shape) != 0) return NULL;

  mx_array* in[2] = {NULL, NULL};
  mx_array* out = NULL;
  mx_array* src[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    mx_array* c = mx__as_dtype(src[i], dt, s);
    if (!c) goto done;
    in[i] = mx__broadcast_unchecked(c, nd, shape, s);
    mx_array_release(c);
    if (!in[i]) goto done;
  }
  out = mx_array_make(prim, NULL, 0, s, 2, in, dt, nd, shape);
done:
  mx_array_release(in[0]);
  mx_array_release(in[1]);
  return out;
}

mx_array* mx_add(mx_array* a, mx_array* b, mx_stream s) {
  return binary(MX_PRIM_ADD, "add", a, b, false, s);
}

mx_array* mx_subtract(mx_array* a, mx_array* b, mx_stream s) {
  return binary(MX_PRIM_SUBTRACT, "subtract", a, b, false, s);
}

mx_array* mx_multiply(mx_array* a, mx_array* b, mx_stream s) {
  return binary(MX_PRIM_MULTIPLY, "multiply", a, b, false, s);
}

mx_array* mx_divide(mx_array* a, mx_array* b, mx_stream s) {
  return binary(MX_PRIM_DIVIDE, "divide", a, b, true, s);
}
