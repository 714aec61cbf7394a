/* CPU kernel table entries for the discrete Fourier transforms (mx.fft) family, as designated initializers
 * ([MX_PRIM_X] = mx__cpu_x,), with their declarations.  backend.c splices
 * MX_CPU_TABLE_FFT into the table. */
#ifndef MX_CPU_TABLE_FFT_H
#define MX_CPU_TABLE_FFT_H

int mx__cpu_fft(mx_node*, mx_array* const*, mx_array* const*); /* fft.c */

#define MX_CPU_TABLE_FFT \
  [MX_PRIM_FFT] = mx__cpu_fft,

#endif
