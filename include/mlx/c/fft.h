/* Discrete Fourier transforms, compatible with mlx-c's fft.h.
 *
 * Every function writes its result to `*res` (released and replaced when it
 * already holds an array) and returns 0, or 1 after reporting an error to
 * the error handler.  Lengths and axes are a pointer and a count each, and
 * both are used as given: `n_num` must equal `axes_num` (the 2-D forms take
 * two of each, as MLX's fft2 does).  Outputs are complex64, or float32 for
 * the inverse real transforms, whatever the input precision. */
#ifndef MLX_FFT_H
#define MLX_FFT_H

#include <stddef.h>

#include "mlx/c/array.h"
#include "mlx/c/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Normalisation: BACKWARD scales the inverse by 1/N, ORTHO both ways by
 * 1/sqrt(N), FORWARD the forward transform by 1/N. */
typedef enum mlx_fft_norm_ {
  MLX_FFT_NORM_BACKWARD,
  MLX_FFT_NORM_ORTHO,
  MLX_FFT_NORM_FORWARD
} mlx_fft_norm;

/** 1-D transform of length `n` along `axis` (cropped or zero-padded). */
int mlx_fft_fft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                const mlx_stream s);
/** 2-D transform over `axes` with lengths `n`. */
int mlx_fft_fft2(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                 size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** Sample frequencies of an `n`-point transform with spacing `d` (float32). */
int mlx_fft_fftfreq(mlx_array* res, int n, double d, const mlx_stream s);
/** n-D transform over `axes` with lengths `n`. */
int mlx_fft_fftn(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                 size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** Moves frequency 0 to the centre along `axes` (none given: every axis). */
int mlx_fft_fftshift(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                     const mlx_stream s);
/** Inverse 1-D transform. */
int mlx_fft_ifft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                 const mlx_stream s);
/** Inverse 2-D transform. */
int mlx_fft_ifft2(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                  size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** Inverse n-D transform. */
int mlx_fft_ifftn(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                  size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** Undoes mlx_fft_fftshift. */
int mlx_fft_ifftshift(mlx_array* res, const mlx_array a, const int* axes, size_t axes_num,
                      const mlx_stream s);
/** Inverse of the real 1-D transform: `n` real outputs along `axis`. */
int mlx_fft_irfft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                  const mlx_stream s);
/** Inverse of the real 2-D transform. */
int mlx_fft_irfft2(mlx_array* res, const mlx_array a, const int* n, size_t n_num,
                   const int* axes, size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** Inverse of the real n-D transform. */
int mlx_fft_irfftn(mlx_array* res, const mlx_array a, const int* n, size_t n_num,
                   const int* axes, size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** 1-D transform of real input: n/2+1 frequencies. */
int mlx_fft_rfft(mlx_array* res, const mlx_array a, int n, int axis, mlx_fft_norm norm,
                 const mlx_stream s);
/** 2-D transform of real input (the last axis is the halved one). */
int mlx_fft_rfft2(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                  size_t axes_num, mlx_fft_norm norm, const mlx_stream s);
/** The n/2+1 non-negative sample frequencies of a real transform. */
int mlx_fft_rfftfreq(mlx_array* res, int n, double d, const mlx_stream s);
/** n-D transform of real input. */
int mlx_fft_rfftn(mlx_array* res, const mlx_array a, const int* n, size_t n_num, const int* axes,
                  size_t axes_num, mlx_fft_norm norm, const mlx_stream s);

#ifdef __cplusplus
}
#endif

#endif
