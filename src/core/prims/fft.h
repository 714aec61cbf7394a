/* Primitives of one family: discrete Fourier transforms (mx.fft).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_FFT_H
#define MX_CORE_PRIMS_FFT_H

#define MX_PRIMS_FFT(X)

#endif
