/* Vectorizable math functions for the elementwise kernels.
 *
 * glibc (2.35 and later, x86-64) ships SIMD versions of the libm functions
 * in libmvec, which -lm pulls in.  GCC calls them from vectorized loops
 * when a function is declared with the `simd` attribute; it does so for the
 * libm names only under -ffast-math, which would break NaN and infinity
 * handling elsewhere.  So each function is declared here under a private C
 * name bound to the libm symbol: GCC treats it as an ordinary function (not
 * a builtin bound by -fmath-errno) and vectorizes calls to it with the
 * libmvec variants (AVX-512, AVX2 or SSE, matching the target_clones
 * clone), while scalar calls reach libm itself.  Elsewhere these are plain
 * wrappers around libm. */
#ifndef MX_BACKEND_CPU_VMATH_H
#define MX_BACKEND_CPU_VMATH_H

#include <math.h>

#if defined(__x86_64__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35)) && !defined(MX_NO_MVEC)
#define MX__V1(name, fn, T) \
  __attribute__((simd("notinbranch"), const, nothrow)) T name(T) __asm__(#fn);
#define MX__V2(name, fn, T) \
  __attribute__((simd("notinbranch"), const, nothrow)) T name(T, T) __asm__(#fn);
#else
#define MX__V1(name, fn, T) \
  static inline T name(T x) { return fn(x); }
#define MX__V2(name, fn, T) \
  static inline T name(T x, T y) { return fn(x, y); }
#endif

/* X(function) for the one-argument functions libmvec provides. */
#define MX__VMATH1(X) \
  X(exp) X(expm1) X(log) X(log2) X(log10) X(log1p) X(sin) X(cos) X(tan) X(asin) X(acos) \
  X(atan) X(sinh) X(cosh) X(tanh) X(asinh) X(acosh) X(atanh) X(erf)

#define MX__VDECL1(fn) MX__V1(mx__v##fn##f, fn##f, float) MX__V1(mx__v##fn, fn, double)
MX__VMATH1(MX__VDECL1)
MX__V2(mx__vatan2f, atan2f, float)
MX__V2(mx__vatan2, atan2, double)
MX__V2(mx__vpowf, powf, float)
MX__V2(mx__vpow, pow, double)
#undef MX__VDECL1

#endif
