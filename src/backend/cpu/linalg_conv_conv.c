/* Convolution (1 to 3 spatial dims, channels last) as im2col + GEMM.
 *
 * Output positions p = (n, o_1..o_d) are the rows of the product.  For a
 * tile of rows and one group g, the column matrix holds, per row, every
 * kernel tap's C_in/groups input channels (zeros where the tap falls into
 * padding or between the points of a dilated input):
 *     col[p, (k, c)] = x[n, s(o, k), g * Cg + c]
 * and the tile's output columns g * CoutG .. are col @ w_g^T, with w_g the
 * group's weights viewed as (CoutG, kernel taps * Cg).  Tiles are sized to
 * stay in the cache, the column matrix is built on all threads and BLAS
 * threads the product.  A 1x1 kernel with unit stride and no padding needs
 * no column matrix at all: the input itself is the left operand.
 *
 * The half types compute in float32: input and weights are converted once,
 * each output tile is rounded once. */
#include <stdlib.h>
#include <string.h>

#include "elementwise.h"
#include "linalg_conv_gemm.h"
#include "linalg_conv_conv.h"
#include "table_linalg_conv.h"

/* Bytes of column matrix per tile: about a core's share of the L2 cache
 * plus some, large enough that BLAS runs at full speed. */
#define TILE_BYTES (2u << 20)


/* Copies n elements of size csz (4 or 8), or zeroes them when src is NULL.
 * Runs are short (a few channels), so a typed loop beats a memcpy call. */
static inline void copy_run(char* dst, const char* src, int64_t n, size_t csz) {
  if (csz == 4) {
    float* d = (float*)dst;
    const float* s = (const float*)src;
    if (s)
      for (int64_t i = 0; i < n; i++) d[i] = s[i];
    else
      for (int64_t i = 0; i < n; i++) d[i] = 0.0f;
  } else {
    double* d = (double*)dst;
    const double* s = (const double*)src;
    if (s)
      for (int64_t i = 0; i < n; i++) d[i] = s[i];
    else
      for (int64_t i = 0; i < n; i++) d[i] = 0.0;
  }
}

/* The three walks below (im2col, the two depthwise loops) share these
 * steps over the first `nd` spatial dims of an output position. */

/* Splits p (image-major, then out_sp[0..nd)) into output coordinates o;
 * returns the image index. */
static inline int64_t out_coords(const conv* c, int64_t p, int nd, int64_t* o) {
  for (int i = nd - 1; i >= 0; i--) {
    o[i] = p % c->out_sp[i];
    p /= c->out_sp[i];
  }
  return p;
}

/* The input offset (in positions over in_sp[0..nd)) that tap k of output
 * coordinates o reads, or -1 where the tap falls into padding. */
static inline int64_t tap_offset(const conv* c, const int64_t* o, const int64_t* k, int nd) {
  int64_t off = 0;
  for (int i = 0; i < nd; i++) {
    int64_t s = c->src[i][o[i] * c->k_sp[i] + k[i]];
    if (s < 0) return -1;
    off = off * c->in_sp[i] + s;
  }
  return off;
}

/* Advances the tap counter k over dims [0, nd) in row-major order. */
static inline void next_tap(const conv* c, int64_t* k, int nd) {
  for (int i = nd - 1; i >= 0; i--) {
    if (++k[i] < c->k_sp[i]) break;
    k[i] = 0;
  }
}

/* Builds rows [begin, end) of the tile's column matrix (row r is output
 * position p0 + r).  Taps are walked in the weight's row-major order; along
 * the innermost spatial dim, when every tap of an output index reads
 * consecutive input positions (no flip, no dilation, no padding in the
 * way) and the group spans all channels, the whole run is one copy. */
void mx__conv_im2col_rows(int64_t begin, int64_t end, void* arg) {
  const conv* c = arg;
  int d = c->d;
  int64_t K = c->k_sp[d - 1];
  int64_t outer_taps = c->taps / K;
  for (int64_t r = begin; r < end; r++) {
    /* Output coordinates of position p. */
    int64_t o[MX_CONV_MAX_SPATIAL] = {0, 0, 0};
    int64_t p = out_coords(c, c->p0 + r, d, o);
    const char* xn = c->x + ((size_t)p * c->in_image + (size_t)c->g * c->Cg) * c->csz;
    char* dst = c->col + (size_t)r * c->Kc * c->csz;
    const int64_t* last = c->src[d - 1] + o[d - 1] * K;
    bool run = c->run_ok[o[d - 1]];
    int64_t k[MX_CONV_MAX_SPATIAL] = {0, 0, 0};
    for (int64_t t = 0; t < outer_taps; t++) {
      /* Offset (in input positions) of the outer dims' taps. */
      int64_t off = tap_offset(c, o, k, d - 1);
      bool valid = off >= 0;
      off *= c->in_sp[d - 1];
      if (!valid) {
        copy_run(dst, NULL, K * c->Cg, c->csz);
      } else if (run) {
        copy_run(dst, xn + (size_t)(off + last[0]) * c->Cin * c->csz, K * c->Cg, c->csz);
      } else {
        for (int64_t j = 0; j < K; j++)
          copy_run(dst + (size_t)j * c->Cg * c->csz,
                   last[j] < 0 ? NULL : xn + (size_t)(off + last[j]) * c->Cin * c->csz, c->Cg,
                   c->csz);
      }
      dst += (size_t)K * c->Cg * c->csz;
      next_tap(c, k, d - 1);
    }
  }
}

/* --- depthwise: one input channel per group ----------------------------------- */

/* Output positions [begin, end) of a convolution whose groups each read a
 * single input channel (C_in/groups == 1): out[p, oc] = sum over taps of
 * x[s(p, t), oc / CoutG] * w[oc, t], accumulated across the channels in a
 * vector-friendly loop instead of a GEMM per group.  `wt` is the weight
 * transposed to (taps, Cout). */
#define DEPTHWISE(NAME, T)                                                                   \
  MX__SIMD static void NAME(int64_t begin, int64_t end, void* arg) {                         \
    const conv* c = arg;                                                                     \
    int d = c->d;                                                                            \
    int64_t C = c->Cout, mult = c->CoutG;                                                    \
    const T* wt = (const T*)c->wt;                                                           \
    for (int64_t p0 = begin; p0 < end; p0++) {                                               \
      int64_t o[MX_CONV_MAX_SPATIAL] = {0, 0, 0};                                            \
      int64_t p = out_coords(c, p0, d, o);                                                   \
      const T* xn = (const T*)c->x + (size_t)p * c->in_image;                                \
      T* acc = (T*)c->acc_out + (size_t)p0 * C;                                              \
      for (int64_t j = 0; j < C; j++) acc[j] = 0;                                            \
      int64_t k[MX_CONV_MAX_SPATIAL] = {0, 0, 0};                                            \
      for (int64_t t = 0; t < c->taps; t++) {                                                \
        int64_t off = tap_offset(c, o, k, d);                                                \
        if (off >= 0) {                                                                      \
          const T* xr = xn + (size_t)off * c->Cin;                                           \
          const T* wr = wt + (size_t)t * C;                                                  \
          if (mult == 1)                                                                     \
            for (int64_t j = 0; j < C; j++) acc[j] += xr[j] * wr[j];                         \
          else                                                                               \
            for (int64_t j = 0; j < C; j++) acc[j] += xr[j / mult] * wr[j];                  \
        }                                                                                    \
        next_tap(c, k, d);                                                                   \
      }                                                                                      \
    }                                                                                        \
  }
DEPTHWISE(depthwise_f32, float)
DEPTHWISE(depthwise_f64, double)

/* The common depthwise case, one output channel per input channel
 * (C_out == C_in == groups), when the kernel has at most DW_MAXT taps
 * outside its innermost dim.  Work is split by output rows (all positions
 * along the innermost spatial dim of one image and outer index).  A row
 * lists its valid outer taps once; each position then walks those and the
 * innermost taps valid for it, and accumulates each block of DW_NV vectors
 * of channels in registers over all taps, storing it once.  Taps run in the
 * weight's row-major order, as in the general loop above, so both give the
 * same bits. */
#define DW_MAXT 64
#define DW_NV 4
typedef float dw_vf __attribute__((vector_size(64)));
typedef double dw_vd __attribute__((vector_size(64)));
#define DEPTHWISE1(NAME, T, VT)                                                              \
  MX__SIMD static void NAME(int64_t begin, int64_t end, void* arg) {                         \
    enum { VW = sizeof(VT) / sizeof(T), CB = DW_NV * VW };                                   \
    const conv* c = arg;                                                                     \
    int d = c->d;                                                                            \
    int64_t C = c->Cout, OW = c->out_sp[d - 1], K = c->k_sp[d - 1];                          \
    int64_t outer_taps = c->taps / K;                                                        \
    const T* wt = (const T*)c->wt;                                                           \
    for (int64_t row = begin; row < end; row++) {                                            \
      int64_t o[MX_CONV_MAX_SPATIAL] = {0, 0, 0};                                            \
      int64_t p = out_coords(c, row, d - 1, o);                                              \
      const T* xn = (const T*)c->x + (size_t)p * c->in_image;                                \
      /* Valid outer taps: input row offset (in positions) and weight tap. */                \
      int64_t roff[DW_MAXT], rtap[DW_MAXT];                                                  \
      int nr = 0;                                                                            \
      int64_t k[MX_CONV_MAX_SPATIAL] = {0, 0, 0};                                            \
      for (int64_t t = 0; t < outer_taps; t++) {                                             \
        int64_t off = tap_offset(c, o, k, d - 1);                                            \
        if (off >= 0) {                                                                      \
          roff[nr] = off * c->in_sp[d - 1];                                                  \
          rtap[nr] = t * K;                                                                  \
          nr++;                                                                              \
        }                                                                                    \
        next_tap(c, k, d - 1);                                                               \
      }                                                                                      \
      T* orow = (T*)c->acc_out + (size_t)row * OW * C;                                       \
      for (int64_t ow = 0; ow < OW; ow++) {                                                  \
        const int64_t* last = c->src[d - 1] + ow * K;                                        \
        T* out = orow + (size_t)ow * C;                                                      \
        int64_t j = 0;                                                                       \
        for (; j + CB <= C; j += CB) {                                                       \
          VT a[DW_NV];                                                                       \
          memset(a, 0, sizeof a);                                                            \
          for (int r = 0; r < nr; r++) {                                                     \
            for (int64_t kk = 0; kk < K; kk++) {                                             \
              if (last[kk] < 0) continue;                                                    \
              const T* xs = xn + (size_t)(roff[r] + last[kk]) * C + j;                       \
              const T* ws = wt + (size_t)(rtap[r] + kk) * C + j;                             \
              for (int q = 0; q < DW_NV; q++) {                                              \
                VT xv, wv;                                                                   \
                memcpy(&xv, xs + q * VW, sizeof xv);                                         \
                memcpy(&wv, ws + q * VW, sizeof wv);                                         \
                a[q] += xv * wv;                                                             \
              }                                                                              \
            }                                                                                \
          }                                                                                  \
          memcpy(out + j, a, sizeof a);                                                      \
        }                                                                                    \
        for (; j < C; j++) {                                                                 \
          T a = 0;                                                                           \
          for (int r = 0; r < nr; r++)                                                       \
            for (int64_t kk = 0; kk < K; kk++)                                               \
              if (last[kk] >= 0)                                                             \
                a += xn[(size_t)(roff[r] + last[kk]) * C + j] * wt[(size_t)(rtap[r] + kk) * C + j]; \
          out[j] = a;                                                                        \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  }
DEPTHWISE1(depthwise1_f32, float, dw_vf)
DEPTHWISE1(depthwise1_f64, double, dw_vd)

/* Returns a row-contiguous copy of `a` in dtype `ct`, or a's own data when
 * it already is one (then *owned stays NULL). */
static const char* dense_in(mx_array* a, mx_dtype ct, char** owned) {
  *owned = NULL;
  const char* p = mx__cpu_in_ptr(a);
  if (!p) return NULL;
  if (a->dtype == ct && mx__cpu_flat_like(a, NULL)) return p;
  *owned = malloc((size_t)a->size * mx_dtype_size(ct) + 1);
  if (!*owned) {
    mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
    return NULL;
  }
  mx__cpu_copy_into(a, p, *owned, ct, a->ndim, a->shape);
  return *owned;
}

int mx__cpu_convolution(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_conv_params* prm = node->params;
  mx_array *in = inputs[0], *w = inputs[1], *out = outputs[0];
  int d = prm->nspatial;
  int ctype = mx__gemm_compute_dtype(out->dtype);
  if (ctype < 0 || ctype == MX_COMPLEX64 || d < 1 || d > MX_CONV_MAX_SPATIAL ||
      in->ndim != d + 2 || w->ndim != d + 2 || out->ndim != d + 2)
    return mx_error(MX_ERR_RUNTIME, "[Convolution] Unexpected operands.");
  mx_dtype ct = (mx_dtype)ctype;
  conv c = {.d = d, .csz = mx_dtype_size(ct)};
  c.N = in->shape[0];
  c.Cin = in->shape[d + 1];
  c.Cout = w->shape[0];
  c.G = prm->groups;
  c.Cg = w->shape[d + 1];
  c.CoutG = c.Cout / c.G;
  c.taps = 1;
  c.P = c.N;
  for (int i = 0; i < d; i++) {
    c.in_sp[i] = in->shape[1 + i];
    c.out_sp[i] = out->shape[1 + i];
    c.k_sp[i] = w->shape[1 + i];
    c.taps *= c.k_sp[i];
    c.P *= c.out_sp[i];
  }
  c.Kc = c.taps * c.Cg;
  c.in_image = c.Cin;
  for (int i = 0; i < d; i++) c.in_image *= c.in_sp[i];
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;

  int rc = -1;
  char *xo = NULL, *wo = NULL, *col = NULL, *otile = NULL, *wt = NULL;
  bool* run_ok = NULL;
  for (int i = 0; i < d; i++) c.src[i] = NULL;
  c.x = dense_in(in, ct, &xo);
  const char* wd = c.x ? dense_in(w, ct, &wo) : NULL;
  if (!wd) goto done;

  /* Per-dim tap tables. */
  bool identity = true; /* 1x1 taps reading exactly the output position */
  for (int i = 0; i < d; i++) {
    c.src[i] = malloc((size_t)(c.out_sp[i] * c.k_sp[i]) * sizeof(int64_t) + 1);
    if (!c.src[i]) {
      mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
      goto done;
    }
    int64_t span = (c.in_sp[i] - 1) * prm->input_dilation[i]; /* last dilated index */
    for (int64_t o = 0; o < c.out_sp[i]; o++) {
      for (int64_t k = 0; k < c.k_sp[i]; k++) {
        int64_t kk = prm->flip ? c.k_sp[i] - 1 - k : k;
        int64_t q = o * prm->stride[i] - prm->pad_lo[i] + kk * prm->kernel_dilation[i];
        int64_t s = -1;
        if (c.in_sp[i] > 0 && q >= 0 && q <= span && q % prm->input_dilation[i] == 0)
          s = q / prm->input_dilation[i];
        c.src[i][o * c.k_sp[i] + k] = s;
        if (s != o) identity = false;
      }
    }
    if (c.out_sp[i] != c.in_sp[i]) identity = false;
  }

  /* Innermost-dim outputs whose taps read one consecutive run. */
  int64_t K_last = c.k_sp[d - 1];
  run_ok = malloc((size_t)c.out_sp[d - 1] * sizeof(bool) + 1);
  if (!run_ok) {
    mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
    goto done;
  }
  for (int64_t o = 0; o < c.out_sp[d - 1]; o++) {
    const int64_t* t = c.src[d - 1] + o * K_last;
    bool ok = c.G == 1;
    for (int64_t k = 0; ok && k < K_last; k++) ok = t[0] >= 0 && t[k] == t[0] + k;
    run_ok[o] = ok;
  }
  c.run_ok = run_ok;

  size_t osz = mx_dtype_size(out->dtype);
  bool direct_out = out->dtype == ct;
  if (c.Cg == 1 && c.G > 1) {
    /* Depthwise: weights as (taps, Cout), then a direct loop. */
    wt = malloc((size_t)c.taps * c.Cout * c.csz + 1);
    otile = direct_out ? NULL : malloc((size_t)c.P * c.Cout * c.csz + 1);
    if (!wt || (!direct_out && !otile)) {
      mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
      goto done;
    }
    mx__gemm_stage(wd, ct, (int)c.taps, (int)c.Cout, 1, c.taps, wt, ct);
    c.wt = wt;
    c.acc_out = direct_out ? po : otile;
    int64_t grain = c.taps * c.Cout >= 4096 ? 1 : 4096 / (c.taps * c.Cout);
    if (c.CoutG == 1 && c.taps / c.k_sp[d - 1] <= DW_MAXT) {
      int64_t ow = c.out_sp[d - 1], rows = c.P / ow;
      int64_t per = ow * c.taps * c.Cout;
      mx_parallel_for(rows, per >= 4096 ? 1 : 4096 / per,
                      ct == MX_FLOAT64 ? depthwise1_f64 : depthwise1_f32, &c);
    } else {
      mx_parallel_for(c.P, grain, ct == MX_FLOAT64 ? depthwise_f64 : depthwise_f32, &c);
    }
    if (!direct_out)
      mx__gemm_stage(otile, ct, (int)c.P, (int)c.Cout, c.Cout, 1, po, out->dtype);
    mx__cpu_written(out);
    rc = 0;
    goto done;
  }
  if (ct == MX_FLOAT32 && c.CoutG % 16 == 0) {
    /* The direct kernel, where the CPU has it (half types land in a float32
     * buffer first). */
    float* dst = direct_out ? (float*)po : malloc((size_t)c.P * c.Cout * sizeof(float) + 4);
    bool done_direct = dst && mx__conv_direct_f32(&c, (const float*)c.x, (const float*)wd, dst);
    if (done_direct && !direct_out)
      mx__gemm_stage((const char*)dst, ct, (int)c.P, (int)c.Cout, c.Cout, 1, po, out->dtype);
    if (!direct_out) free(dst);
    if (done_direct) {
      mx__cpu_written(out);
      rc = 0;
      goto done;
    }
  }
  int64_t tile;
  if (identity)
    tile = direct_out ? c.P : (int64_t)(TILE_BYTES / ((size_t)(c.Cout > 0 ? c.Cout : 1) * c.csz));
  else
    tile = (int64_t)(TILE_BYTES / ((size_t)(c.Kc > 0 ? c.Kc : 1) * c.csz));
  if (tile < 64) tile = 64;
  if (tile > c.P) tile = c.P;
  if (!identity) {
    col = malloc((size_t)tile * c.Kc * c.csz + 1);
    if (!col) {
      mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
      goto done;
    }
  }
  if (!direct_out) {
    otile = malloc((size_t)tile * c.Cout * c.csz + 1);
    if (!otile) {
      mx_error(MX_ERR_MEMORY, "[conv] Out of memory.");
      goto done;
    }
  }
  c.col = col;
  for (int64_t p0 = 0; p0 < c.P; p0 += tile) {
    int64_t rows = c.P - p0 < tile ? c.P - p0 : tile;
    char* dst = direct_out ? po + (size_t)p0 * c.Cout * osz : otile;
    for (int64_t g = 0; g < c.G; g++) {
      const char* A;
      int lda;
      if (identity) {
        A = c.x + ((size_t)p0 * c.Cin + (size_t)g * c.Cg) * c.csz;
        lda = (int)(c.Cin > 0 ? c.Cin : 1);
      } else {
        c.p0 = p0;
        c.g = g;
        int64_t grain = c.Kc >= 4096 ? 1 : 4096 / (c.Kc > 0 ? c.Kc : 1);
        mx_parallel_for(rows, grain, mx__conv_im2col_rows, &c);
        A = col;
        lda = (int)(c.Kc > 0 ? c.Kc : 1);
      }
      const char* B = wd + (size_t)g * c.CoutG * c.Kc * c.csz;
      mx__gemm(ct, (int)rows, (int)c.CoutG, (int)c.Kc, A, false, lda, B, true,
               (int)(c.Kc > 0 ? c.Kc : 1), dst + (size_t)g * c.CoutG * c.csz, (int)c.Cout, 1.0f,
               0.0f);
    }
    if (!direct_out)
      mx__gemm_stage(otile, ct, (int)rows, (int)c.Cout, c.Cout, 1,
                     po + (size_t)p0 * c.Cout * osz, out->dtype);
  }
  mx__cpu_written(out);
  rc = 0;
done:
  for (int i = 0; i < d; i++) free(c.src[i]);
  free(xo);
  free(wo);
  free(col);
  free(otile);
  free(wt);
  free(run_ok);
  return rc;
}
