/* The elementwise distributions: uniform, normal, randint, bernoulli,
 * truncated_normal, gumbel and laplace.
 *
 * Each is a short chain of ordinary ops on random bits, in the order and
 * the dtypes MLX uses, so that the same key gives the same numbers: the
 * intermediate roundings (float32 first, then the requested dtype) are part
 * of the result.  The chains were established by comparing against MLX
 * 0.32.4 output (tests/python/gen_random_refs.py records the references). */
#include <math.h>

#include "random_internal.h"

#define KEEP(x) mx__rs_keep(&rs, (x))
#define TRY(var, x)            \
  if (!(var = KEEP(x))) goto done

int mx__random_check_shape(int ndim, const int* shape) {
  if (ndim < 0 || (ndim > 0 && !shape)) return mx_error(MX_ERR_VALUE, "[random] Invalid shape.");
  for (int i = 0; i < ndim; i++)
    if (shape[i] < 0) return mx_error(MX_ERR_VALUE, "[bits] Negative dimensions not allowed.");
  return 0;
}

mx_array* mx__random_math(int op, mx_array* a, mx_stream s) {
  mx_random_math_params p = {op};
  return mx_array_make(MX_PRIM_RANDOM_MATH, &p, sizeof p, s, 1, &a, a->dtype, a->ndim, a->shape);
}

static bool is_real_float(mx_dtype t) { return mx_dtype_kind_of(t) == MX_KIND_FLOAT; }

/* The largest value below 1 in each dtype uniform supports: uniform's
 * samples are clamped to it so that rounding never yields `high`. */
static int uniform_upper(mx_dtype t, float* out) {
  switch (t) {
    case MX_FLOAT32: *out = nextafterf(1.0f, 0.0f); return 0;
    case MX_FLOAT16: *out = 1.0f - 0x1p-11f; return 0;
    case MX_BFLOAT16: *out = 1.0f - 0x1p-8f; return 0;
    default: return mx_error(MX_ERR_RUNTIME, "[uniform] Unsupported type.");
  }
}

mx_array* mx_random_uniform(mx_array* low, mx_array* high, int ndim, const int* shape,
                            mx_dtype dtype, mx_array* key, mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!low || !high) {
    mx_error(MX_ERR_VALUE, "[uniform] Invalid (null) bounds.");
    return NULL;
  }
  if (!mx_dtype_valid(dtype) || !is_real_float(dtype)) {
    mx_error(MX_ERR_VALUE, "[uniform] Can only generate uniform numbers with real floating point type.");
    return NULL;
  }
  if (mx__random_check_shape(ndim, shape) != 0) return NULL;
  float upper = 1.0f;
  if (uniform_upper(dtype, &upper) != 0) return NULL;
  mx_array *lo, *hi, *range, *bits, *u, *t;
  TRY(lo, mx_astype(low, dtype, s));
  TRY(hi, mx_astype(high, dtype, s));
  TRY(range, mx_subtract(hi, lo, s));
  {
    /* The bounds may broadcast up to `shape` but never beyond it. */
    int bshape[32], bnd;
    if (range->ndim > 32 || ndim > 32) {
      mx_error(MX_ERR_VALUE, "[uniform] Too many dimensions.");
      goto done;
    }
    if (mx_broadcast_shapes(ndim, shape, range->ndim, range->shape, &bnd, bshape) != 0) goto done;
    if (!mx_shape_equal(bnd, bshape, ndim, shape)) {
      char a[MX__SHAPE_BUF], b[MX__SHAPE_BUF];
      mx_error(MX_ERR_VALUE, "[uniform] Cannot generate random values of shape %s from broadcasted shape %s.",
               mx_shape_str(ndim, shape, a, sizeof a), mx_shape_str(bnd, bshape, b, sizeof b));
      goto done;
    }
  }
  /* u = min(float(bits) / (2^32 - 1), upper): float32 division by the
   * float32 value of 2^32 - 1 (which is 2^32), as MLX computes it. */
  TRY(bits, mx_random_bits(ndim, shape, 4, key, s));
  TRY(t, mx_array_scalar_f64(4294967295.0, MX_FLOAT32));
  TRY(u, mx_divide(bits, t, s));
  TRY(t, mx_array_scalar_f64(upper, MX_FLOAT32));
  TRY(u, mx_minimum(u, t, s));
  TRY(u, mx_astype(u, dtype, s));
  TRY(u, mx_multiply(range, u, s));
  out = mx_add(u, lo, s);
done:
  mx__rs_free(&rs);
  return out;
}

/* uniform(low, high) with float32 scalar bounds. */
static mx_array* uniform_f32(double low, double high, int ndim, const int* shape, mx_dtype dtype,
                             mx_array* key, mx_stream s) {
  mx_array* lo = mx_array_scalar_f64(low, MX_FLOAT32);
  mx_array* hi = lo ? mx_array_scalar_f64(high, MX_FLOAT32) : NULL;
  mx_array* out = hi ? mx_random_uniform(lo, hi, ndim, shape, dtype, key, s) : NULL;
  mx_array_release(lo);
  mx_array_release(hi);
  return out;
}

/* Samples of the open interval (-1, 1) used by normal and laplace. */
static mx_array* uniform_pm1(int ndim, const int* shape, mx_array* key, mx_stream s) {
  return uniform_f32(nextafterf(-1.0f, 0.0f), 1.0, ndim, shape, MX_FLOAT32, key, s);
}

mx_array* mx_random_normal(int ndim, const int* shape, mx_dtype dtype, mx_array* loc,
                           mx_array* scale, mx_array* key, mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!mx_dtype_valid(dtype) || !mx_dtype_is_inexact(dtype)) {
    mx_error(MX_ERR_VALUE, "[normal] Only floating point and complex64 types are supported.");
    return NULL;
  }
  if (mx__random_check_shape(ndim, shape) != 0) return NULL;
  bool cplx = dtype == MX_COMPLEX64;
  mx_array *u, *e, *sc, *t;
  if (cplx) {
    /* A complex sample is a pair of float32 samples of variance 1/2 each:
     * erfinv of the uniform pair, without the sqrt(2) factor. */
    if (ndim >= 32) {
      mx_error(MX_ERR_VALUE, "[normal] Too many dimensions.");
      return NULL;
    }
    int sh2[33];
    for (int i = 0; i < ndim; i++) sh2[i] = shape[i];
    sh2[ndim] = 2;
    TRY(u, uniform_pm1(ndim + 1, sh2, key, s));
    TRY(e, mx__random_math(MX_RMATH_ERFINV, u, s));
    TRY(e, mx_view(e, MX_COMPLEX64, s));
    TRY(e, mx_reshape(e, ndim, shape, s));
    TRY(sc, mx_array_scalar_f64(1.0, dtype));
  } else {
    /* erfinv runs in float32 for every dtype (MLX's float64 erfinv is its
     * float32 one widened), then the sqrt(2) scale is applied in the result
     * dtype. */
    TRY(u, uniform_pm1(ndim, shape, key, s));
    TRY(e, mx__random_math(MX_RMATH_ERFINV, u, s));
    TRY(e, mx_astype(e, dtype, s));
    TRY(sc, mx_array_scalar_f64(M_SQRT2, dtype));
  }
  if (scale) {
    TRY(t, mx_astype(scale, dtype, s));
    TRY(sc, mx_multiply(sc, t, s));
  }
  if (!loc) {
    out = mx_multiply(sc, e, s);
    goto done;
  }
  TRY(e, mx_multiply(sc, e, s));
  TRY(t, mx_astype(loc, dtype, s));
  out = mx_add(t, e, s);
done:
  mx__rs_free(&rs);
  return out;
}

mx_array* mx_random_randint(mx_array* low, mx_array* high, int ndim, const int* shape,
                            mx_dtype dtype, mx_array* key, mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!low || !high) {
    mx_error(MX_ERR_VALUE, "[randint] Invalid (null) bounds.");
    return NULL;
  }
  if (!mx_dtype_valid(dtype) || mx_dtype_is_inexact(dtype)) {
    mx_error(MX_ERR_VALUE, "[randint] randint only accepts integer dtypes and bool.");
    return NULL;
  }
  /* floor(uniform(low, high)) in float32, cast, then clamped to
   * [low, high - 1] in the result dtype (the lower bound applied last). */
  mx_array *u, *v, *lo, *hm1, *one, *h;
  TRY(u, mx_random_uniform(low, high, ndim, shape, MX_FLOAT32, key, s));
  TRY(v, mx_floor(u, s));
  TRY(v, mx_astype(v, dtype, s));
  h = high;
  if (high->dtype == MX_BOOL) TRY(h, mx_astype(high, MX_INT32, s));
  TRY(one, mx_array_scalar_f64(1.0, h->dtype));
  TRY(hm1, mx_subtract(h, one, s));
  TRY(hm1, mx_astype(hm1, dtype, s));
  TRY(lo, mx_astype(low, dtype, s));
  TRY(v, mx_minimum(v, hm1, s));
  out = mx_maximum(v, lo, s);
done:
  mx__rs_free(&rs);
  return out;
}

mx_array* mx_random_bernoulli(mx_array* p, int ndim, const int* shape, mx_array* key,
                              mx_stream s) {
  if (!p) {
    mx_error(MX_ERR_VALUE, "[bernoulli] Invalid (null) probability.");
    return NULL;
  }
  if (!is_real_float(p->dtype)) {
    mx_error(MX_ERR_VALUE, "[bernoulli] bernoulli probability `p` must be a float type.");
    return NULL;
  }
  if (ndim < 0) {
    ndim = p->ndim;
    shape = p->shape;
  } else {
    /* p may broadcast up to `shape` but not beyond it. */
    int b[64], bn;
    if (mx__random_check_shape(ndim, shape) != 0) return NULL;
    if (ndim > 64 || p->ndim > 64) {
      mx_error(MX_ERR_VALUE, "[bernoulli] Too many dimensions.");
      return NULL;
    }
    if (mx_broadcast_shapes(ndim, shape, p->ndim, p->shape, &bn, b) != 0) return NULL;
    if (!mx_shape_equal(bn, b, ndim, shape)) {
      mx_error(MX_ERR_VALUE, "[bernoulli] shape of `p` is incompatible with argument `shape`.");
      return NULL;
    }
  }
  mx_array* u = uniform_f32(0.0, 1.0, ndim, shape, MX_FLOAT32, key, s);
  if (!u) return NULL;
  mx_array* out = mx_less(u, p, s);
  mx_array_release(u);
  return out;
}

mx_array* mx_random_truncated_normal(mx_array* lower, mx_array* upper, int ndim,
                                     const int* shape, mx_dtype dtype, mx_array* key,
                                     mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!lower || !upper) {
    mx_error(MX_ERR_VALUE, "[trunc_normal] Invalid (null) bounds.");
    return NULL;
  }
  if (!mx_dtype_valid(dtype) || !is_real_float(dtype)) {
    mx_error(MX_ERR_VALUE, "[trunc_normal] trunc_normal only accepts floating point dtypes.");
    return NULL;
  }
  int bshape[32], bnd;
  if (ndim < 0) {
    if (lower->ndim > 32 || upper->ndim > 32) {
      mx_error(MX_ERR_VALUE, "[trunc_normal] Too many dimensions.");
      return NULL;
    }
    if (mx_broadcast_shapes(lower->ndim, lower->shape, upper->ndim, upper->shape, &bnd,
                            bshape) != 0)
      return NULL;
    ndim = bnd;
    shape = bshape;
  }
  /* Invert the normal CDF on a uniform draw between the CDFs of the bounds,
   * then clamp against rounding: all in the result dtype. */
  mx_array *s2, *lo, *up, *a, *b, *u, *t;
  TRY(s2, mx_array_scalar_f64(M_SQRT2, dtype));
  TRY(lo, mx_astype(lower, dtype, s));
  TRY(up, mx_astype(upper, dtype, s));
  TRY(a, mx_divide(lo, s2, s));
  TRY(a, mx__random_math(MX_RMATH_ERF, a, s));
  TRY(b, mx_divide(up, s2, s));
  TRY(b, mx__random_math(MX_RMATH_ERF, b, s));
  TRY(u, mx_random_uniform(a, b, ndim, shape, dtype, key, s));
  TRY(t, mx__random_math(MX_RMATH_ERFINV, u, s));
  TRY(t, mx_multiply(s2, t, s));
  TRY(t, mx_minimum(up, t, s));
  out = mx_maximum(t, lo, s);
done:
  mx__rs_free(&rs);
  return out;
}

mx_array* mx_random_gumbel(int ndim, const int* shape, mx_dtype dtype, mx_array* key,
                           mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  /* -log(-log(u)) with u drawn above the smallest normal float, so that
   * u == 0 cannot produce -inf. */
  mx_array* t;
  TRY(t, uniform_f32(0x1p-126, 1.0, ndim, shape, dtype, key, s));
  TRY(t, mx__random_math(MX_RMATH_LOG, t, s));
  TRY(t, mx_negative(t, s));
  TRY(t, mx__random_math(MX_RMATH_LOG, t, s));
  out = mx_negative(t, s);
done:
  mx__rs_free(&rs);
  return out;
}

mx_array* mx_random_laplace(int ndim, const int* shape, mx_dtype dtype, double loc, double scale,
                            mx_array* key, mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!mx_dtype_valid(dtype) || !is_real_float(dtype)) {
    mx_error(MX_ERR_VALUE, "[laplace] Only real floating point types are supported.");
    return NULL;
  }
  if (mx__random_check_shape(ndim, shape) != 0) return NULL;
  /* sign(u) * log1p(-|u|) for u uniform on (-1, 1), computed in float32
   * (float64 for a float64 result), then scaled in the result dtype. */
  mx_array *u, *a, *sg, *t;
  TRY(u, uniform_pm1(ndim, shape, key, s));
  if (dtype == MX_FLOAT64) TRY(u, mx_astype(u, MX_FLOAT64, s));
  TRY(sg, mx_sign(u, s));
  TRY(a, mx_abs(u, s));
  TRY(a, mx_negative(a, s));
  TRY(a, mx__random_math(MX_RMATH_LOG1P, a, s));
  TRY(a, mx_multiply(sg, a, s));
  TRY(a, mx_astype(a, dtype, s));
  /* MLX takes loc and scale as float: round through float32 first. */
  TRY(t, mx_array_scalar_f64((float)scale, dtype));
  TRY(a, mx_multiply(t, a, s));
  TRY(t, mx_array_scalar_f64((float)loc, dtype));
  out = mx_add(t, a, s);
done:
  mx__rs_free(&rs);
  return out;
}
