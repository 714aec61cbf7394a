/* The 1-D FFT engine behind the FFT primitive's CPU kernel (fft.c).
 *
 * Plans are built once per (length, kind) and cached for the life of the
 * process; getting a plan is thread safe and executing one only reads it,
 * so many threads can share a plan, each with its own scratch space.
 *
 * Complex lengths are factored into radix 4, 2, 3, 5 and small odd primes
 * (up to 41), run as self-sorting Stockham passes; a length with a larger
 * prime factor is done by Bluestein's algorithm as a convolution of a
 * smooth length.  Very long transforms are split four-step style so that
 * the pieces fit in cache and run on several threads.  Real transforms of
 * even length run as a complex transform of half the length plus one
 * pass; odd lengths go through the complex transform.
 *
 * Data is single precision throughout (as MLX computes); twiddle factors
 * are computed in double and rounded once.  Transforms are unnormalised:
 * the inverse of a forward transform of length n returns n times the
 * input. */
#ifndef MX_BACKEND_CPU_FFT_ENGINE_H
#define MX_BACKEND_CPU_FFT_ENGINE_H

#include <stdint.h>

/* One complex64 value, laid out as float _Complex is. */
typedef struct mx__cpx {
  float re, im;
} mx__cpx;

typedef struct mx__fft_plan mx__fft_plan;

/* The cached plan for complex transforms of length n >= 1, or NULL with an
 * MX_ERR_MEMORY error. */
const mx__fft_plan* mx__fft_plan_c2c(int64_t n);
/* The cached plan for real transforms with n >= 1 real values. */
const mx__fft_plan* mx__fft_plan_real(int64_t n);

/* Scratch elements (complex) one execution of the plan needs. */
int64_t mx__fft_work_size(const mx__fft_plan* p);

/* dst = DFT(src) (inverse: the conjugate transform), n values each.  src
 * and dst may be the same buffer; work must not overlap either. */
void mx__fft_c2c(const mx__fft_plan* p, const mx__cpx* src, mx__cpx* dst, mx__cpx* work,
                 int inverse);
/* The n/2+1 non-negative frequencies of n real values. */
void mx__fft_r2c(const mx__fft_plan* p, const float* src, mx__cpx* dst, mx__cpx* work);
/* n real values from the n/2+1 non-negative frequencies of a Hermitian
 * spectrum (the imaginary parts of bin 0 and, for even n, bin n/2 are
 * ignored, as NumPy does). */
void mx__fft_c2r(const mx__fft_plan* p, const mx__cpx* src, float* dst, mx__cpx* work);

/* True when the plan splits its transform over threads itself (the
 * kernel then runs such lines one at a time). */
int mx__fft_plan_threaded(const mx__fft_plan* p);

#endif
