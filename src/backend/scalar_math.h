/* Scalar math shared by the CPU kernels (C) and the CUDA kernels (.cu), so
 * both backends compute these functions with the same code and agree to the
 * bit: the erfinv polynomial and integer power by squaring. */
#ifndef MX_BACKEND_SCALAR_MATH_H
#define MX_BACKEND_SCALAR_MATH_H

#include <math.h>
#include <stdint.h>

#ifdef __CUDACC__
#define MX_HD static inline __host__ __device__
#else
#define MX_HD static inline
#endif

/* erfinv(x) from w = -log((1 - x) * (1 + x)) (each backend takes the log
 * its own way): a two-branch polynomial in w (M. Giles, "Approximating the
 * erfinv function", 2010), accurate to a few float ulps.  |x| = 1 gives
 * +-inf and |x| > 1 NaN. */
MX_HD float mx_erfinv_from_w(float x, float w) {
  float p;
  if (w < 5.0f) {
    w -= 2.5f;
    p = 2.81022636e-08f;
    p = 3.43273939e-07f + p * w;
    p = -3.5233877e-06f + p * w;
    p = -4.39150654e-06f + p * w;
    p = 0.00021858087f + p * w;
    p = -0.00125372503f + p * w;
    p = -0.00417768164f + p * w;
    p = 0.246640727f + p * w;
    p = 1.50140941f + p * w;
  } else {
    w = sqrtf(w) - 3.0f;
    p = -0.000200214257f;
    p = 0.000100950558f + p * w;
    p = 0.00134934322f + p * w;
    p = -0.00367342844f + p * w;
    p = 0.00573950773f + p * w;
    p = -0.0076224613f + p * w;
    p = 0.00943887047f + p * w;
    p = 1.00167406f + p * w;
    p = 2.83297682f + p * w;
  }
  float ax = fabsf(x);
  float r = p * x;
  r = ax == 1.0f ? copysignf(INFINITY, x) : r;
  return ax > 1.0f ? NAN : r;
}

/* base^e by squaring, wrapping modulo 2^64 (callers truncate to their
 * integer type). */
MX_HD uint64_t mx_ipow_u64(uint64_t base, uint64_t e) {
  uint64_t r = 1;
  while (e) {
    if (e & 1) r *= base;
    base *= base;
    e >>= 1;
  }
  return r;
}

#endif
