/* Primitives of one family: discrete Fourier transforms (mx.fft).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_FFT_H
#define MX_CORE_PRIMS_FFT_H

#define MX_PRIMS_FFT(X) \
  X(FFT, "FFT")

/* FFT: the discrete Fourier transform over `axes` (distinct, non-negative)
 * of input 0, times `scale`.  The input already has the transform lengths
 * (the op constructors crop and zero-pad), so:
 *   complex (real == 0): complex64 in, complex64 out, same shape; inverse
 *     uses exp(+2 pi i jk/n) and no 1/n (the scale carries any normalisation);
 *   real forward (real, !inverse): float32 in; the last listed axis is the
 *     real one and has n/2+1 outputs for n inputs; the others are complex;
 *   real inverse (real, inverse): complex64 in with n/2+1 entries on the last
 *     listed axis, float32 out with the n the output shape says.
 * The adjoint of an FFT is an FFT over the same axes in the other direction
 * (with the real/complex bookkeeping of the last axis for the real ones),
 * which is how its vjp and jvp will be written. */
typedef struct mx_fft_params {
  int inverse; /* 0 / 1 */
  int real;    /* 0 / 1 */
  float scale; /* applied to the output (1 for none) */
  int naxes;
  int axes[]; /* naxes entries, in the order the user gave them */
} mx_fft_params;

#endif
