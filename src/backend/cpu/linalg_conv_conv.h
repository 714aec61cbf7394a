/* The convolution kernel's shared description (private to the
 * linalg_conv_*.c kernels of the CPU backend). */
#ifndef MX_BACKEND_CPU_LINALG_CONV_CONV_H
#define MX_BACKEND_CPU_LINALG_CONV_CONV_H

#include "cpu_internal.h"

typedef struct conv {
  int d;                            /* spatial dims */
  int64_t N, Cin, Cout, G, Cg, CoutG;
  int64_t in_sp[MX_CONV_MAX_SPATIAL];  /* input spatial sizes */
  int64_t out_sp[MX_CONV_MAX_SPATIAL]; /* output spatial sizes */
  int64_t k_sp[MX_CONV_MAX_SPATIAL];   /* kernel spatial sizes */
  int64_t taps;                     /* product of k_sp */
  int64_t P;                        /* output positions N * prod(out_sp) */
  int64_t Kc;                       /* taps * Cg */
  int64_t in_image;                 /* elements of one input image */
  /* src[i][o * k_sp[i] + k]: the input index along dim i that output index
   * o reads through kernel tap k, or -1 when that is padding or falls
   * between dilated input points. */
  int64_t* src[MX_CONV_MAX_SPATIAL];
  const char* x; /* input, row-contiguous, compute dtype */
  bool* run_ok;  /* per innermost output index: its taps read one run */
  const char* wt; /* depthwise: weights as (taps, Cout) */
  char* acc_out;  /* depthwise: where results go, (P, Cout) compute dtype */
  size_t csz;
  /* the tile being built */
  char* col;
  int64_t p0;
  int64_t g;
} conv;

/* Writes rows [begin, end) of the column matrix of tile (c->p0, c->g) into
 * c->col: row r holds output position p0 + r's taps, C_in/groups channels
 * each (zeros for padding).  `arg` is the conv; an mx_parallel_for body. */
void mx__conv_im2col_rows(int64_t begin, int64_t end, void* arg);

/* The direct float32 kernel (linalg_conv_direct.c): AVX-512 register
 * blocking over output positions and output channels, no column matrix.
 * `x` is the dense input, `w` the weights, `out` the (P, Cout) float32
 * result.  Returns false (nothing written) when the CPU or the shape does
 * not suit it. */
bool mx__conv_direct_f32(const conv* c, const float* x, const float* w, float* out);

#endif
