/* Op constructors of the FFT family, mx.fft (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Every transform is one FFT node (src/core/prims/fft.h) on an input that
 * has been cast (complex64, or float32 for the real forward transforms: a
 * complex input keeps its real part), cropped and zero-padded to the
 * transform lengths.  Outputs are complex64, or float32 for the inverse real
 * transforms, whatever the input precision, as in MLX.
 *
 * Lengths and axes: `n` / (`ns`, `sizes`) give the transform lengths and
 * (`naxes`, `axes`) the axes.  NULL sizes means the input's extent along each
 * axis (for the inverse real transforms, 2 (m - 1) on the last axis, m being
 * the input's extent there); NULL axes means every axis, in order (the
 * Python layer decides MLX's defaults before calling).  No axes at all
 * returns the input itself.  Errors follow MLX: sizes and axes of different
 * counts, repeated axes and lengths below 1 are MX_ERR_VALUE, axes out of
 * range MX_ERR_INDEX, and a 0-d input MX_ERR_VALUE. */
#ifndef MX_OPS_FFT_H
#define MX_OPS_FFT_H

#include "../core/core.h"

/* Normalisation, as MLX's `norm` strings: "backward" scales the inverse by
 * 1/N, "ortho" both directions by 1/sqrt(N), "forward" the forward by 1/N
 * (N the product of the transform lengths). */
typedef enum mx_fft_norm {
  MX_FFT_NORM_BACKWARD,
  MX_FFT_NORM_ORTHO,
  MX_FFT_NORM_FORWARD,
} mx_fft_norm;

/* Parses "backward" / "ortho" / "forward"; -1 with MX_ERR_VALUE naming
 * `fn` otherwise. */
int mx_fft_norm_parse(const char* text, const char* fn, mx_fft_norm* out);

/* One-dimensional transforms along `axis`; n NULL means the default length. */
mx_array* mx_fft_fft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_ifft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_rfft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_irfft(mx_array* a, const int* n, int axis, mx_fft_norm norm, mx_stream s);

/* n-dimensional transforms (fft2 and friends are these with two axes).
 * `ns` is the count of `sizes` (ignored when sizes is NULL). */
mx_array* mx_fft_fftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                      mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_ifftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                       mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_rfftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                       mx_fft_norm norm, mx_stream s);
mx_array* mx_fft_irfftn(mx_array* a, int ns, const int* sizes, int naxes, const int* axes,
                        mx_fft_norm norm, mx_stream s);

/* Sample frequencies (float32): fftfreq gives n values [0, 1, ..., -1] /
 * (d n) in NumPy's order, rfftfreq the n/2+1 non-negative ones.  n < 1 and
 * d == 0 are MX_ERR_VALUE. */
mx_array* mx_fft_fftfreq(int n, double d, mx_stream s);
mx_array* mx_fft_rfftfreq(int n, double d, mx_stream s);

/* Rolls each of `axes` (NULL: all) by half its length so that frequency 0
 * moves to the centre; ifftshift undoes it (they differ for odd lengths).
 * Repeated axes roll again, as MLX's do; out-of-range axes are
 * MX_ERR_INDEX. */
mx_array* mx_fft_fftshift(mx_array* a, int naxes, const int* axes, mx_stream s);
mx_array* mx_fft_ifftshift(mx_array* a, int naxes, const int* axes, mx_stream s);

#endif
