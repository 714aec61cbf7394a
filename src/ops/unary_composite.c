/* Unary ops that MLX builds from other ops: degrees, radians, reciprocal,
 * the floating-point predicates and nan_to_num.  They have no primitive of
 * their own, so transforms see the ops they are made of. */
#include <float.h>
#include <math.h>

#include "ops_internal.h"

/* a (as at least float32) times a constant. */
static mx_array* scaled(mx_array* a, double k, const char* name, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  mx_dtype dt = mx_dtype_is_inexact(a->dtype) ? a->dtype : MX_FLOAT32;
  mx_array* x = mx__as_dtype(a, dt, s);
  mx_array* c = x ? mx_array_scalar_f64(k, dt == MX_COMPLEX64 ? MX_FLOAT32 : dt) : NULL;
  mx_array* out = c ? mx_multiply(x, c, s) : NULL;
  mx_array_release(x);
  mx_array_release(c);
  return out;
}

/* The constant is converted to the array's dtype (float32 for complex64),
 * then multiplied in. */
mx_array* mx_degrees(mx_array* a, mx_stream s) { return scaled(a, 180.0 / M_PI, "degrees", s); }
mx_array* mx_radians(mx_array* a, mx_stream s) { return scaled(a, M_PI / 180.0, "radians", s); }

mx_array* mx_reciprocal(mx_array* a, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[reciprocal] Invalid (null) array argument.");
    return NULL;
  }
  mx_dtype dt = mx_dtype_is_inexact(a->dtype) ? a->dtype : MX_FLOAT32;
  mx_array* one = mx_array_scalar_f64(1.0, dt);
  mx_array* out = one ? mx_divide(one, a, s) : NULL;
  mx_array_release(one);
  return out;
}

static int check(mx_array* a, const char* name) {
  if (a) return 0;
  return mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
}

/* A bool array of a's shape filled with v (for dtypes that cannot hold
 * NaN or infinity). */
static mx_array* all_bool(mx_array* a, bool v, mx_stream s) {
  return v ? mx_ones(a->ndim, a->shape, MX_BOOL, s) : mx_zeros(a->ndim, a->shape, MX_BOOL, s);
}

/* equal(a, constant) in a's dtype. */
static mx_array* equals_const(mx_array* a, double v, mx_stream s) {
  mx_array* c = mx_array_scalar_f64(v, a->dtype);
  mx_array* out = c ? mx_equal(a, c, s) : NULL;
  mx_array_release(c);
  return out;
}

mx_array* mx_isnan(mx_array* a, mx_stream s) {
  if (check(a, "isnan")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) return all_bool(a, false, s);
  return mx_not_equal(a, a, s); /* only NaN differs from itself */
}

/* For complex64 these compare against inf + 0j, as MLX does. */
mx_array* mx_isposinf(mx_array* a, mx_stream s) {
  if (check(a, "isposinf")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) return all_bool(a, false, s);
  return equals_const(a, INFINITY, s);
}

mx_array* mx_isneginf(mx_array* a, mx_stream s) {
  if (check(a, "isneginf")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) return all_bool(a, false, s);
  return equals_const(a, -INFINITY, s);
}

/* |a| == inf; for complex either part infinite, which is what |z| == inf
 * means. */
mx_array* mx_isinf(mx_array* a, mx_stream s) {
  if (check(a, "isinf")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) return all_bool(a, false, s);
  mx_array* m = mx_abs(a, s);
  if (!m) return NULL;
  mx_array* out = equals_const(m, INFINITY, s);
  mx_array_release(m);
  return out;
}

/* Finite means neither NaN nor infinite: |a| < inf is false for both
 * (and for complex, |z| is NaN or inf when either part is). */
mx_array* mx_isfinite(mx_array* a, mx_stream s) {
  if (check(a, "isfinite")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) return all_bool(a, true, s);
  mx_array* m = mx_abs(a, s);
  mx_array* inf = m ? mx_array_scalar_f64(INFINITY, m->dtype) : NULL;
  mx_array* out = inf ? mx_less(m, inf, s) : NULL;
  mx_array_release(m);
  mx_array_release(inf);
  return out;
}

/* Largest finite value of a float dtype. */
static double dtype_max(mx_dtype t) {
  switch (t) {
    case MX_FLOAT16: return 65504.0;
    case MX_BFLOAT16: return 3.3895313892515355e38;
    case MX_FLOAT64: return DBL_MAX;
    default: return FLT_MAX;
  }
}

/* where(cond(x), value, x) in x's dtype; consumes x. */
static mx_array* replace(mx_array* x, mx_array* (*cond)(mx_array*, mx_stream), double value,
                         mx_stream s) {
  if (!x) return NULL;
  mx_array* c = cond(x, s);
  mx_array* v = c ? mx_array_scalar_f64(value, x->dtype) : NULL;
  mx_array* out = v ? mx_where(c, v, x, s) : NULL;
  mx_array_release(c);
  mx_array_release(v);
  mx_array_release(x);
  return out;
}

mx_array* mx_nan_to_num(mx_array* a, double nan, bool has_posinf, double posinf, bool has_neginf,
                        double neginf, mx_stream s) {
  if (check(a, "nan_to_num")) return NULL;
  if (!mx_dtype_is_inexact(a->dtype)) {
    mx_array_retain(a);
    return a;
  }
  /* MLX knows the default replacements for the float32-or-narrower types
   * only; float64 and complex64 work when both are given. */
  if ((a->dtype == MX_FLOAT64 || a->dtype == MX_COMPLEX64) && !(has_posinf && has_neginf)) {
    mx_error(MX_ERR_VALUE, "[nan_to_num] Does not yet support given type: %s.",
             mx_dtype_name(a->dtype));
    return NULL;
  }
  /* MLX takes the replacement values as float32, so they round (and may
   * overflow to inf) the same way here. */
  double hi = has_posinf ? (double)(float)posinf : dtype_max(a->dtype);
  double lo = has_neginf ? (double)(float)neginf : -dtype_max(a->dtype);
  mx_array_retain(a);
  mx_array* x = replace(a, mx_isnan, (double)(float)nan, s);
  x = replace(x, mx_isposinf, hi, s);
  return replace(x, mx_isneginf, lo, s);
}
