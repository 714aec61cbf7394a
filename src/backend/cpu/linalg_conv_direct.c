/* Direct float32 convolution with AVX-512 register blocking.
 *
 * OpenBLAS runs the column-matrix products of a typical convolution (tens
 * of thousands of rows, 64 or 128 columns) well below its square-matrix
 * speed, and building the column matrix costs as much again in memory
 * traffic.  This kernel skips both: a block of 6 output positions times up
 * to 64 output channels lives in 24 vector registers while every kernel tap
 * and input channel is folded in; each step broadcasts one input value per
 * position and multiplies it with a vector of weights (stored as (groups,
 * taps, C_in/groups, C_out/groups) so those vectors are contiguous).
 *
 * A position whose tap falls into padding (or between the points of a
 * dilated input) reads a row of zeros instead, so the inner loop has no
 * branches.  Blocks of positions are spread over the thread pool.  Used
 * when the CPU has AVX-512F and C_out/groups is a multiple of 16; other
 * shapes take im2col + GEMM. */
#include <stdlib.h>

#include "linalg_conv_conv.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define PB 6 /* output positions per block */

typedef struct dctx {
  const conv* c;
  const float* x;
  const float* w; /* (G, taps, Cg, CoutG) */
  float* out;     /* (P, Cout) */
  const float* zero;
  const float* zero_row; /* Kc zeros, for packed rows past the end */
  _Atomic int failed;
} dctx;

/* out[j][0 .. 16*NV) = sum over taps t and channels i of
 * rp[t*PB + j][i] * w[(t*Cg + i)*ld + 0 .. 16*NV), for the PB positions j
 * (a NULL output row is computed and dropped). */
#define MICRO_KERNEL(NV)                                                                       \
  __attribute__((target("avx512f"))) static void micro##NV(                                    \
      const float* const* rp, int64_t taps, int64_t Cg, int64_t goff, const float* w,         \
      int64_t ld, float* const* out) {                                                         \
    __m512 acc[PB][NV];                                                                        \
    _Pragma("GCC unroll 8") for (int j = 0; j < PB; j++)                                       \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[j][v] = _mm512_setzero_ps(); \
    for (int64_t t = 0; t < taps; t++) {                                                       \
      const float* r[PB];                                                                      \
      _Pragma("GCC unroll 8") for (int j = 0; j < PB; j++) r[j] = rp[t * PB + j] + goff;       \
      const float* wt = w + t * Cg * ld;                                                       \
      for (int64_t i = 0; i < Cg; i++) {                                                       \
        __m512 wv[NV];                                                                         \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) wv[v] =                           \
            _mm512_loadu_ps(wt + i * ld + 16 * v);                                             \
        _Pragma("GCC unroll 8") for (int j = 0; j < PB; j++) {                                 \
          __m512 b = _mm512_set1_ps(r[j][i]);                                                  \
          _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[j][v] =                     \
              _mm512_fmadd_ps(b, wv[v], acc[j][v]);                                            \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
    _Pragma("GCC unroll 8") for (int j = 0; j < PB; j++) if (out[j])                           \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                                   \
            _mm512_storeu_ps(out[j] + 16 * v, acc[j][v]);                                      \
  }
MICRO_KERNEL(4)
MICRO_KERNEL(2)
MICRO_KERNEL(1)

/* Blocks of positions handled together: their input-row pointers are
 * computed once, then every weight chunk sweeps all of them while it stays
 * in the cache. */
#define SB 32

/* Points rp[t * PB + j] (t < taps) at the input row position p = b * PB + j
 * reads through tap t (the zero row for padding, and for positions past
 * the end, whose output row is NULL). */
static void block_rows(const dctx* D, int64_t b, const float** rp, float** orow) {
  const conv* c = D->c;
  int d = c->d;
  for (int j = 0; j < PB; j++) {
    int64_t p = b * PB + j;
    if (p >= c->P) {
      orow[j] = NULL;
      for (int64_t t = 0; t < c->taps; t++) rp[t * PB + j] = D->zero;
      continue;
    }
    orow[j] = D->out + p * c->Cout;
    int64_t o[MX_CONV_MAX_SPATIAL] = {0, 0, 0}, q = p;
    for (int i = d - 1; i >= 0; i--) {
      o[i] = q % c->out_sp[i];
      q /= c->out_sp[i];
    }
    const float* xn = D->x + q * c->in_image;
    int64_t k[MX_CONV_MAX_SPATIAL] = {0, 0, 0};
    for (int64_t t = 0; t < c->taps; t++) {
      int64_t off = 0;
      bool valid = true;
      for (int i = 0; i < d && valid; i++) {
        int64_t s = c->src[i][o[i] * c->k_sp[i] + k[i]];
        valid = s >= 0;
        off = off * c->in_sp[i] + s;
      }
      rp[t * PB + j] = valid ? xn + off * c->Cin : D->zero;
      for (int i = d - 1; i >= 0; i--) {
        if (++k[i] < c->k_sp[i]) break;
        k[i] = 0;
      }
    }
  }
}

/* Packs the taps of the PB positions of block b into rows of `buf`
 * (Kc = taps * Cg floats each) with the column-matrix builder, for
 * convolutions with few input channels: the micro-kernel then runs over
 * one long row per position instead of many short ones. */
static void pack_rows(const dctx* D, int64_t b, float* buf, const float** packed) {
  conv t = *D->c;
  t.col = (char*)buf;
  t.p0 = b * PB;
  t.g = 0;
  int64_t n = t.P - t.p0 < PB ? t.P - t.p0 : PB;
  mx__conv_im2col_rows(0, n, &t);
  for (int j = 0; j < PB; j++) packed[j] = j < n ? buf + j * t.Kc : D->zero_row;
}

static void run_micro(const dctx* D, const float* const* rp, int64_t taps, int64_t Cg,
                      int64_t goff, const float* w, float* const* orow, int64_t col) {
  const conv* c = D->c;
  float* op[PB];
  for (int j = 0; j < PB; j++) op[j] = orow[j] ? orow[j] + col : NULL;
  int64_t left = c->CoutG - (col % c->CoutG);
  if (left >= 64) micro4(rp, taps, Cg, goff, w, c->CoutG, op);
  else if (left >= 32) micro2(rp, taps, Cg, goff, w, c->CoutG, op);
  else micro1(rp, taps, Cg, goff, w, c->CoutG, op);
}

/* Output position blocks [b0, b1). */
static void blocks(int64_t b0, int64_t b1, void* arg) {
  dctx* D = arg;
  const conv* c = D->c;
  bool pack = c->G == 1 && c->Cg < 16 && c->taps > 1;
  const float** rp = malloc((size_t)(SB * c->taps * PB) * sizeof(float*));
  float** orow = malloc((size_t)(SB * PB) * sizeof(float*));
  float* pbuf = pack ? malloc((size_t)(SB * PB * c->Kc) * sizeof(float)) : NULL;
  const float** prow = pack ? malloc((size_t)(SB * PB) * sizeof(float*)) : NULL;
  if (!rp || !orow || (pack && (!pbuf || !prow))) {
    D->failed = 1;
    goto done;
  }
  for (int64_t s0 = b0; s0 < b1; s0 += SB) {
    int64_t nb = b1 - s0 < SB ? b1 - s0 : SB;
    for (int64_t i = 0; i < nb; i++) {
      if (pack) {
        for (int j = 0; j < PB; j++) {
          int64_t p = (s0 + i) * PB + j;
          orow[i * PB + j] = p < c->P ? D->out + p * c->Cout : NULL;
        }
        pack_rows(D, s0 + i, pbuf + i * PB * c->Kc, prow + i * PB);
      } else {
        block_rows(D, s0 + i, rp + i * c->taps * PB, orow + i * PB);
      }
    }
    for (int64_t g = 0; g < c->G; g++) {
      const float* wg = D->w + g * c->taps * c->Cg * c->CoutG;
      for (int64_t co = 0; co < c->CoutG;) {
        int64_t left = c->CoutG - co;
        int64_t width = left >= 64 ? 64 : left >= 32 ? 32 : 16;
        for (int64_t i = 0; i < nb; i++) {
          if (pack)
            run_micro(D, prow + i * PB, 1, c->Kc, 0, wg + co, orow + i * PB, co);
          else
            run_micro(D, rp + i * c->taps * PB, c->taps, c->Cg, g * c->Cg, wg + co,
                      orow + i * PB, g * c->CoutG + co);
        }
        co += width;
      }
    }
  }
done:
  free(rp);
  free(orow);
  free(pbuf);
  free(prow);
}

bool mx__conv_direct_f32(const conv* c, const float* x, const float* w, float* out) {
  if (!__builtin_cpu_supports("avx512f") || c->CoutG % 16 != 0 || c->CoutG == 0 || c->Cg == 0)
    return false;
  /* Weights regrouped as (G, taps, Cg, CoutG) and a row of zeros. */
  size_t wn = (size_t)(c->G * c->taps * c->Cg * c->CoutG);
  float* wr = malloc(wn * sizeof(float));
  size_t nz = (size_t)(c->Cin > c->Kc ? c->Cin : c->Kc);
  float* zero = calloc(nz, sizeof(float));
  if (!wr || !zero) {
    free(wr);
    free(zero);
    return false;
  }
  for (int64_t g = 0; g < c->G; g++)
    for (int64_t co = 0; co < c->CoutG; co++)
      for (int64_t t = 0; t < c->taps; t++)
        for (int64_t i = 0; i < c->Cg; i++)
          wr[((g * c->taps + t) * c->Cg + i) * c->CoutG + co] =
              w[((g * c->CoutG + co) * c->taps + t) * c->Cg + i];
  dctx D = {c, x, wr, out, zero, zero, 0};
  int64_t nblk = (c->P + PB - 1) / PB;
  /* Enough work per task to amortize its pointer table. */
  int64_t per_block = c->taps * c->Cg * c->Cout;
  int64_t grain = per_block >= 65536 ? 1 : 65536 / per_block;
  if (grain < 4) grain = 4;
  mx_parallel_for(nblk, grain, blocks, &D);
  free(wr);
  free(zero);
  return !D.failed;
}

#else

bool mx__conv_direct_f32(const conv* c, const float* x, const float* w, float* out) {
  (void)c;
  (void)x;
  (void)w;
  (void)out;
  return false;
}

#endif
