/* Unary op constructors that map onto one primitive each.
 *
 * Each op decides its output dtype from the input's (MLX's rules, see
 * ops_unary.h), converts the input to the dtype the kernel computes in with
 * an ASTYPE node when the two differ, and builds the node.  Kernels thus see
 * an input whose dtype is either the output dtype or, for abs/real/imag of
 * complex64 and the bool predicates, the documented source dtype. */
#include <math.h>

#include "ops_internal.h"

/* How an op treats its input dtype. */
typedef enum {
  KEEP,       /* output dtype = input dtype */
  TO_FLOAT,   /* bool/integers -> float32, inexact kept */
  TO_BOOL,    /* output bool, input kept */
  CPLX_TO_F32 /* complex64 -> float32 output, the rest kept */
} rule;

static mx_array* node1(mx_prim prim, const char* name, mx_array* a, rule r, bool complex_ok,
                       mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  if (!complex_ok && a->dtype == MX_COMPLEX64) {
    mx_error(MX_ERR_VALUE, "[%s] Not supported for complex64.", name);
    return NULL;
  }
  mx_dtype in_dt = a->dtype, out_dt = a->dtype;
  switch (r) {
    case KEEP: break;
    case TO_FLOAT:
      if (!mx_dtype_is_inexact(a->dtype)) in_dt = out_dt = MX_FLOAT32;
      break;
    case TO_BOOL: out_dt = MX_BOOL; break;
    case CPLX_TO_F32:
      if (a->dtype == MX_COMPLEX64) out_dt = MX_FLOAT32;
      break;
  }
  mx_array* in = mx__as_dtype(a, in_dt, s);
  if (!in) return NULL;
  mx_array* out = mx_array_make(prim, NULL, 0, s, 1, &in, out_dt, a->ndim, a->shape);
  mx_array_release(in);
  return out;
}

/* The input itself (arrays are immutable, so sharing it is safe). */
static mx_array* same(mx_array* a, const char* name) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  mx_array_retain(a);
  return a;
}

#define FLOAT_OP(fn, PRIM, name, cplx) \
  mx_array* fn(mx_array* a, mx_stream s) { return node1(MX_PRIM_##PRIM, name, a, TO_FLOAT, cplx, s); }

FLOAT_OP(mx_sqrt, SQRT, "sqrt", true)
FLOAT_OP(mx_rsqrt, RSQRT, "rsqrt", true)
FLOAT_OP(mx_exp, EXP, "exp", true)
FLOAT_OP(mx_expm1, EXPM1, "expm1", false)
FLOAT_OP(mx_log, LOG, "log", true)
FLOAT_OP(mx_log2, LOG2, "log2", true)
FLOAT_OP(mx_log10, LOG10, "log10", true)
FLOAT_OP(mx_log1p, LOG1P, "log1p", true)
FLOAT_OP(mx_sin, SIN, "sin", true)
FLOAT_OP(mx_cos, COS, "cos", true)
FLOAT_OP(mx_tan, TAN, "tan", true)
FLOAT_OP(mx_arcsin, ARCSIN, "arcsin", true)
FLOAT_OP(mx_arccos, ARCCOS, "arccos", true)
FLOAT_OP(mx_arctan, ARCTAN, "arctan", true)
FLOAT_OP(mx_sinh, SINH, "sinh", true)
FLOAT_OP(mx_cosh, COSH, "cosh", true)
FLOAT_OP(mx_tanh, TANH, "tanh", true)
FLOAT_OP(mx_arcsinh, ARCSINH, "arcsinh", true)
FLOAT_OP(mx_arccosh, ARCCOSH, "arccosh", true)
FLOAT_OP(mx_arctanh, ARCTANH, "arctanh", true)
FLOAT_OP(mx_erf, ERF, "erf", false)
FLOAT_OP(mx_erfinv, ERF_INV, "erfinv", false)
FLOAT_OP(mx_sigmoid, SIGMOID, "sigmoid", false)

mx_array* mx_abs(mx_array* a, mx_stream s) {
  /* Unsigned and bool values are their own absolute value. */
  if (a && (a->dtype == MX_BOOL || mx_dtype_kind_of(a->dtype) == MX_KIND_UINT)) return same(a, "abs");
  return node1(MX_PRIM_ABS, "abs", a, CPLX_TO_F32, true, s);
}

mx_array* mx_negative(mx_array* a, mx_stream s) {
  if (a && a->dtype == MX_BOOL) {
    mx_error(MX_ERR_VALUE, "[negative] Not supported for bool, use logical_not instead.");
    return NULL;
  }
  return node1(MX_PRIM_NEGATIVE, "negative", a, KEEP, true, s);
}

mx_array* mx_positive(mx_array* a, mx_stream s) { return same(a, "positive"); }

/* The input itself, for ops that leave these values as they are but whose
 * derivative MLX makes zero (floor/ceil/round of integers, sign of bool):
 * inside a transform's trace the value goes through a stop_gradient node
 * so that grad and jvp see zero, as in MLX. */
static mx_array* same_flat(mx_array* a, const char* name, mx_stream s) {
  if (a && mx_tracing()) return mx_stop_gradient(a, s);
  return same(a, name);
}

mx_array* mx_sign(mx_array* a, mx_stream s) {
  if (a && a->dtype == MX_BOOL) return same_flat(a, "sign", s);
  return node1(MX_PRIM_SIGN, "sign", a, KEEP, true, s);
}

mx_array* mx_square(mx_array* a, mx_stream s) {
  if (a && a->dtype == MX_BOOL) return same(a, "square");
  return node1(MX_PRIM_SQUARE, "square", a, KEEP, true, s);
}

/* floor/ceil/trunc of an integer is the integer. */
static mx_array* rounding(mx_prim prim, const char* name, mx_array* a, mx_stream s) {
  /* MLX's trunc of an integer passes gradients through; floor and ceil do not. */
  if (a && !mx_dtype_is_inexact(a->dtype))
    return prim == MX_PRIM_TRUNC ? same(a, name) : same_flat(a, name, s);
  return node1(prim, name, a, KEEP, false, s);
}
mx_array* mx_floor(mx_array* a, mx_stream s) { return rounding(MX_PRIM_FLOOR, "floor", a, s); }
mx_array* mx_ceil(mx_array* a, mx_stream s) { return rounding(MX_PRIM_CEIL, "ceil", a, s); }
mx_array* mx_trunc(mx_array* a, mx_stream s) { return rounding(MX_PRIM_TRUNC, "trunc", a, s); }

mx_array* mx_logical_not(mx_array* a, mx_stream s) {
  return node1(MX_PRIM_LOGICAL_NOT, "logical_not", a, TO_BOOL, true, s);
}

mx_array* mx_bitwise_invert(mx_array* a, mx_stream s) {
  if (a && mx_dtype_is_inexact(a->dtype)) {
    mx_error(MX_ERR_VALUE, "[bitwise_invert] Bitwise inverse only allowed on integer types.");
    return NULL;
  }
  return node1(MX_PRIM_BITWISE_INVERT, "bitwise_invert", a, KEEP, true, s);
}

mx_array* mx_conjugate(mx_array* a, mx_stream s) {
  if (a && a->dtype != MX_COMPLEX64) return same(a, "conjugate");
  return node1(MX_PRIM_CONJUGATE, "conjugate", a, KEEP, true, s);
}

mx_array* mx_real(mx_array* a, mx_stream s) {
  if (a && a->dtype != MX_COMPLEX64) return same(a, "real");
  return node1(MX_PRIM_REAL, "real", a, CPLX_TO_F32, true, s);
}

mx_array* mx_imag(mx_array* a, mx_stream s) {
  if (!a) return same(a, "imag");
  if (a->dtype != MX_COMPLEX64) {
    /* Zeros computed from `a` (x < x is false for every value, NaN too),
     * not a constant, so a shapeless compiled function follows a's shape. */
    mx_array* f = mx_less(a, a, s);
    mx_array* z = f ? mx_astype(f, a->dtype, s) : NULL;
    mx_array_release(f);
    return z;
  }
  return node1(MX_PRIM_IMAG, "imag", a, CPLX_TO_F32, true, s);
}

mx_array* mx_stop_gradient(mx_array* a, mx_stream s) {
  return node1(MX_PRIM_STOP_GRADIENT, "stop_gradient", a, KEEP, true, s);
}

/* Round half to even.  With decimals, MLX scales by 10^decimals in the
 * (at least float32) compute dtype, rounds, scales back by multiplying with
 * 10^-decimals and converts to the input dtype; this does the same so the
 * results agree bit for bit. */
mx_array* mx_round(mx_array* a, int decimals, mx_stream s) {
  if (!a) return same(a, "round");
  if (decimals == 0) {
    if (!mx_dtype_is_inexact(a->dtype)) return same_flat(a, "round", s);
    return node1(MX_PRIM_ROUND, "round", a, KEEP, true, s);
  }
  mx_dtype dt = mx_dtype_is_inexact(a->dtype) ? a->dtype : MX_FLOAT32;
  float scale = powf(10.0f, (float)decimals);
  mx_array *x = NULL, *k = NULL, *y = NULL, *z = NULL, *kinv = NULL, *w = NULL, *out = NULL;
  x = mx__as_dtype(a, dt, s);
  k = mx_array_scalar_f64(scale, dt);
  kinv = mx_array_scalar_f64(1.0f / scale, dt);
  if (!x || !k || !kinv) goto done;
  y = mx_multiply(x, k, s);
  if (!y) goto done;
  z = node1(MX_PRIM_ROUND, "round", y, KEEP, true, s);
  if (!z) goto done;
  w = mx_multiply(z, kinv, s);
  if (!w) goto done;
  out = mx__as_dtype(w, a->dtype, s);
done:
  mx_array_release(x);
  mx_array_release(k);
  mx_array_release(kinv);
  mx_array_release(y);
  mx_array_release(z);
  mx_array_release(w);
  return out;
}
