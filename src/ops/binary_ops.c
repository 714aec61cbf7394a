/* Binary op constructors: comparisons, logical, bitwise, maximum/minimum,
 * power, remainder, divmod, logaddexp, arctan2.
 *
 * As for add and friends (arith.c), both operands are converted to one
 * compute dtype and broadcast with view nodes, so a kernel sees inputs of
 * the output's shape and a single dtype; only the output dtype varies
 * (bool for comparisons and logical ops). */
#include "ops_internal.h"

/* Converts a and b to `dt`, broadcasts both to their common shape and
 * builds `n_out` outputs of dtype out_dt.  Returns 0 / -1. */
static int build(mx_prim prim, const void* params, size_t psz, mx_array* a, mx_array* b,
                 mx_dtype dt, mx_dtype out_dt, int n_out, mx_array** outs, mx_stream s) {
  int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
  int shape[nd > 0 ? nd : 1];
  if (mx_broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, &nd, shape) != 0) return -1;
  mx_array* in[2] = {NULL, NULL};
  mx_array* src[2] = {a, b};
  int rc = -1;
  for (int i = 0; i < 2; i++) {
    mx_array* c = mx__as_dtype(src[i], dt, s);
    if (!c) goto done;
    in[i] = mx__broadcast_unchecked(c, nd, shape, s);
    mx_array_release(c);
    if (!in[i]) goto done;
  }
  int ndims[2] = {nd, nd};
  const int* shapes[2] = {shape, shape};
  mx_dtype dts[2] = {out_dt, out_dt};
  rc = mx_array_make_node(prim, params, psz, s, 2, in, n_out, ndims, shapes, dts, outs);
done:
  mx_array_release(in[0]);
  mx_array_release(in[1]);
  return rc;
}

static bool null_args(const char* name, mx_array* a, mx_array* b) {
  if (a && b) return false;
  mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
  return true;
}

/* One output; compute dtype = promoted dtype (or float32 when `to_float`
 * and the promotion is not inexact); output dtype `out` (or the compute
 * dtype when out < 0). */
static mx_array* simple(mx_prim prim, const char* name, mx_array* a, mx_array* b, bool to_float,
                        int out, const void* params, size_t psz, mx_stream s) {
  if (null_args(name, a, b)) return NULL;
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (to_float && !mx_dtype_is_inexact(dt)) dt = MX_FLOAT32;
  mx_array* r = NULL;
  if (build(prim, params, psz, a, b, dt, out < 0 ? dt : (mx_dtype)out, 1, &r, s) != 0) return NULL;
  return r;
}

#define CMP(fn, PRIM, name) \
  mx_array* fn(mx_array* a, mx_array* b, mx_stream s) { \
    return simple(MX_PRIM_##PRIM, name, a, b, false, MX_BOOL, NULL, 0, s); \
  }
CMP(mx_equal, EQUAL, "equal")
CMP(mx_not_equal, NOT_EQUAL, "not_equal")
CMP(mx_less, LESS, "less")
CMP(mx_less_equal, LESS_EQUAL, "less_equal")
CMP(mx_greater, GREATER, "greater")
CMP(mx_greater_equal, GREATER_EQUAL, "greater_equal")

mx_array* mx_equal_nan(mx_array* a, mx_array* b, bool equal_nan, mx_stream s) {
  if (!equal_nan) return mx_equal(a, b, s);
  mx_equal_params p = {.equal_nan = 1};
  return simple(MX_PRIM_EQUAL, "equal", a, b, false, MX_BOOL, &p, sizeof p, s);
}

/* The logical ops read their operands as truth values. */
static mx_array* logical(mx_prim prim, const char* name, mx_array* a, mx_array* b, mx_stream s) {
  if (null_args(name, a, b)) return NULL;
  mx_array* r = NULL;
  if (build(prim, NULL, 0, a, b, MX_BOOL, MX_BOOL, 1, &r, s) != 0) return NULL;
  return r;
}
mx_array* mx_logical_and(mx_array* a, mx_array* b, mx_stream s) {
  return logical(MX_PRIM_LOGICAL_AND, "logical_and", a, b, s);
}
mx_array* mx_logical_or(mx_array* a, mx_array* b, mx_stream s) {
  return logical(MX_PRIM_LOGICAL_OR, "logical_or", a, b, s);
}
/* xor of truth values is inequality of the bools. */
mx_array* mx_logical_xor(mx_array* a, mx_array* b, mx_stream s) {
  return logical(MX_PRIM_NOT_EQUAL, "logical_xor", a, b, s);
}

mx_array* mx_maximum(mx_array* a, mx_array* b, mx_stream s) {
  return simple(MX_PRIM_MAXIMUM, "maximum", a, b, false, -1, NULL, 0, s);
}
mx_array* mx_minimum(mx_array* a, mx_array* b, mx_stream s) {
  return simple(MX_PRIM_MINIMUM, "minimum", a, b, false, -1, NULL, 0, s);
}
mx_array* mx_power(mx_array* a, mx_array* b, mx_stream s) {
  return simple(MX_PRIM_POWER, "power", a, b, false, -1, NULL, 0, s);
}
mx_array* mx_logaddexp(mx_array* a, mx_array* b, mx_stream s) {
  return simple(MX_PRIM_LOG_ADD_EXP, "logaddexp", a, b, true, -1, NULL, 0, s);
}

mx_array* mx_arctan2(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("arctan2", a, b)) return NULL;
  if (mx_promote_types(a->dtype, b->dtype) == MX_COMPLEX64) {
    mx_error(MX_ERR_VALUE, "[arctan2] Not supported for complex64.");
    return NULL;
  }
  return simple(MX_PRIM_ARCTAN2, "arctan2", a, b, true, -1, NULL, 0, s);
}

mx_array* mx_remainder(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("remainder", a, b)) return NULL;
  if (mx_promote_types(a->dtype, b->dtype) == MX_COMPLEX64) {
    mx_error(MX_ERR_VALUE, "[remainder] Complex type not supported.");
    return NULL;
  }
  return simple(MX_PRIM_REMAINDER, "remainder", a, b, false, -1, NULL, 0, s);
}

int mx_divmod(mx_array* a, mx_array* b, mx_stream s, mx_array** quot, mx_array** rem) {
  if (null_args("divmod", a, b)) return -1;
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (dt == MX_COMPLEX64) return mx_error(MX_ERR_VALUE, "[divmod] Complex type not supported.");
  mx_array* outs[2] = {NULL, NULL};
  if (build(MX_PRIM_DIVMOD, NULL, 0, a, b, dt, dt, 2, outs, s) != 0) return -1;
  *quot = outs[0];
  *rem = outs[1];
  return 0;
}

/* Integers: the DIVIDE kernel already floors integer quotients (and gives
 * 0 for a zero divisor), so an integer-typed Divide node is floor division.
 * Floats: floor(a / b).  complex64: plain division, as in MLX. */
mx_array* mx_floor_divide(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("floor_divide", a, b)) return NULL;
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (dt == MX_COMPLEX64) return mx_divide(a, b, s);
  if (mx_dtype_is_float(dt)) {
    mx_array* q = mx_divide(a, b, s);
    mx_array* out = q ? mx_floor(q, s) : NULL;
    mx_array_release(q);
    return out;
  }
  mx_array* r = NULL;
  if (build(MX_PRIM_DIVIDE, NULL, 0, a, b, dt, dt, 1, &r, s) != 0) return NULL;
  return r;
}

/* Bitwise ops: integer or bool operands only (RuntimeError in MLX). */
static mx_array* bitwise(mx_prim prim, const char* name, mx_array* a, mx_array* b, bool shift,
                         mx_stream s) {
  if (null_args(name, a, b)) return NULL;
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (mx_dtype_is_inexact(dt)) { /* also uint64 with a signed type: float32 */
    mx_error(MX_ERR_RUNTIME, "[%s] Only allowed on integer or boolean types but got types %s and %s.",
             name, mx_dtype_name(a->dtype), mx_dtype_name(b->dtype));
    return NULL;
  }
  /* Shifting bools shifts their value as uint8, as MLX does. */
  if (shift && dt == MX_BOOL) dt = MX_UINT8;
  mx_array* r = NULL;
  if (build(prim, NULL, 0, a, b, dt, dt, 1, &r, s) != 0) return NULL;
  return r;
}
mx_array* mx_bitwise_and(mx_array* a, mx_array* b, mx_stream s) {
  return bitwise(MX_PRIM_BITWISE_AND, "bitwise_and", a, b, false, s);
}
mx_array* mx_bitwise_or(mx_array* a, mx_array* b, mx_stream s) {
  return bitwise(MX_PRIM_BITWISE_OR, "bitwise_or", a, b, false, s);
}
mx_array* mx_bitwise_xor(mx_array* a, mx_array* b, mx_stream s) {
  return bitwise(MX_PRIM_BITWISE_XOR, "bitwise_xor", a, b, false, s);
}
mx_array* mx_left_shift(mx_array* a, mx_array* b, mx_stream s) {
  return bitwise(MX_PRIM_LEFT_SHIFT, "left_shift", a, b, true, s);
}
mx_array* mx_right_shift(mx_array* a, mx_array* b, mx_stream s) {
  return bitwise(MX_PRIM_RIGHT_SHIFT, "right_shift", a, b, true, s);
}
