/* ArgReduce: argmin / argmax along one axis, uint32 indices.
 *
 * Ties keep the first index; NaN beats every number (for both argmin and
 * argmax, as in MLX), and the first NaN wins among NaNs.  Complex values
 * order lexicographically.
 *
 * Two layouts over the packed (outer, n, inner) view:
 *  - inner == 1 (the axis is innermost): each line is scanned with 16
 *    independent lanes, each keeping its best value and the first index it
 *    was seen at, then the lanes are merged; the compiler vectorizes the
 *    lane loop.  A single long line (argmax over everything) is split into
 *    chunks across threads and the chunk winners merged in order.
 *  - inner > 1: a running best value and index per column, updated one
 *    contiguous row at a time (vectorizable too). */
#include <stdlib.h>

#include "rs_common.h"

#define RS_LANES 16
#define COL_STRIP 1024

/* better(v, b): v replaces the best b. */
#define BETTER_MAX(v, b) ((v) > (b) || ((v) != (v) && (b) == (b)))
#define BETTER_MIN(v, b) ((v) < (b) || ((v) != (v) && (b) == (b)))
#define SAME(v, b) ((v) == (b) || ((v) != (v) && (b) != (b)))
#define CGT(v, b) (crealf(v) > crealf(b) || (crealf(v) == crealf(b) && cimagf(v) > cimagf(b)))
#define CLT(v, b) (crealf(v) < crealf(b) || (crealf(v) == crealf(b) && cimagf(v) < cimagf(b)))
#define CBETTER_MAX(v, b) CGT(v, b)
#define CBETTER_MIN(v, b) CLT(v, b)
#define CSAME(v, b) (crealf(v) == crealf(b) && cimagf(v) == cimagf(b))

#define BM_KB BETTER_MAX
#define BM_KI BETTER_MAX
#define BM_KU BETTER_MAX
#define BM_KF BETTER_MAX
#define BM_KH BETTER_MAX
#define BM_KD BETTER_MAX
#define BM_KC CBETTER_MAX
#define Bm_KB BETTER_MIN
#define Bm_KI BETTER_MIN
#define Bm_KU BETTER_MIN
#define Bm_KF BETTER_MIN
#define Bm_KH BETTER_MIN
#define Bm_KD BETTER_MIN
#define Bm_KC CBETTER_MIN
#define SM_KB SAME
#define SM_KI SAME
#define SM_KU SAME
#define SM_KF SAME
#define SM_KH SAME
#define SM_KD SAME
#define SM_KC CSAME

/* A line winner: value (as the carrier, in bytes big enough for any) and index. */
typedef struct winner {
  union {
    double d;
    int64_t i;
    uint64_t u;
    mx__c64 c;
  } v;
  int64_t idx;
} winner;

typedef void (*row_fn)(int64_t n, const char* xs, int64_t base, winner* w);
typedef void (*merge_fn)(winner* acc, const winner* w);
typedef void (*col_fn)(int64_t n, int64_t inner, int64_t m, const char* xs, uint32_t* out);


/* --- float32/float64 lines: vector lanes that remember where -----------------
 *
 * GCC does not vectorize an index-tracking NaN-aware scan by itself, so
 * contiguous float lines use explicit vectors: four independent accumulator
 * vectors (so the compare-blend chains overlap) each keep, per lane, the best
 * value and the iteration it was first seen in.  Comparisons are strict, so a
 * lane keeps its first occurrence; the lanes are merged by value, then by the
 * smallest index.  NaN compares false and is never picked up by the blend.
 * Each accumulator also sums v - v, which stays 0 unless an inf or a NaN went
 * by (GCC scalarizes a vector `v != v`, so that cheaper-looking test is
 * avoided); when the sum is not 0 the line is searched once for its first NaN
 * (NaN beats every number for both argmin and argmax). */
typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef double v8d __attribute__((vector_size(64)));
typedef int64_t v8l __attribute__((vector_size(64)));
#define ARG_ACC 4
/* Iteration numbers are kept in lanes as wide as the values (int32 for
 * float32), so a line is scanned in spans short enough for them to fit. */
#define ARG_SPAN ((int64_t)1 << 30)

#define DEF_FAST(NAME, T, VT, VI, W, CMP)                                                   \
  /* The first best element of x[0..n) (1 <= n <= ARG_SPAN) and its value. */              \
  static MX__SIMD int64_t NAME##_span(int64_t n, const T* x, T* bestv) {                    \
    T best = x[0];                                                                          \
    int64_t bidx = 0, i = 0;                                                                \
    bool odd = false;                                                                       \
    if (n >= 2 * ARG_ACC * W) {                                                             \
      VT m[ARG_ACC], z[ARG_ACC];                                                            \
      VI at[ARG_ACC], it;                                                                   \
      memset(at, 0, sizeof at);                                                             \
      memset(&it, 0, sizeof it);                                                            \
      for (int a = 0; a < ARG_ACC; a++) {                                                   \
        memcpy(&m[a], x + a * W, sizeof m[a]);                                              \
        z[a] = m[a] - m[a];                                                                 \
      }                                                                                     \
      for (i = ARG_ACC * W; i + ARG_ACC * W <= n; i += ARG_ACC * W) {                       \
        it += 1;                                                                            \
        for (int a = 0; a < ARG_ACC; a++) {                                                 \
          VT v;                                                                             \
          memcpy(&v, x + i + a * W, sizeof v);                                              \
          VI t = v CMP m[a];                                                                \
          m[a] = (VT)(((VI)m[a] & ~t) | ((VI)v & t));                                       \
          at[a] = (at[a] & ~t) | (it & t);                                                  \
          z[a] += v - v;                                                                    \
        }                                                                                   \
      }                                                                                     \
      /* Fold the accumulators into one vector (by value, then by the                       \
       * smaller index), then its lanes. */                                                 \
      VI lane, gi[ARG_ACC];                                                                 \
      for (int k = 0; k < W; k++) lane[k] = k;                                              \
      for (int a = 0; a < ARG_ACC; a++) gi[a] = at[a] * (ARG_ACC * W) + (a * W) + lane;     \
      VT bm = m[0], zz = z[0];                                                              \
      VI bi = gi[0];                                                                        \
      for (int a = 1; a < ARG_ACC; a++) {                                                   \
        VI t = (m[a] CMP bm) | ((m[a] == bm) & (gi[a] < bi));                               \
        bm = (VT)(((VI)bm & ~t) | ((VI)m[a] & t));                                          \
        bi = (bi & ~t) | (gi[a] & t);                                                       \
        zz += z[a];                                                                         \
      }                                                                                     \
      for (int k = 0; k < W; k++) {                                                         \
        T v = bm[k];                                                                        \
        odd |= zz[k] != 0;                                                                  \
        if (v CMP best || (v == best && bi[k] < bidx)) {                                    \
          best = v;                                                                         \
          bidx = bi[k];                                                                     \
        }                                                                                   \
      }                                                                                     \
    }                                                                         \
    for (; i < n; i++) {                                                                    \
      odd |= x[i] != x[i];                                                                  \
      if (x[i] CMP best) {                                                                  \
        best = x[i];                                                                        \
        bidx = i;                                                                           \
      }                                                                                     \
    }                                                                                       \
    if (odd || best != best) {                                                              \
      for (int64_t j = 0; j < n; j++)                                                       \
        if (x[j] != x[j]) {                                                                 \
          *bestv = x[j];                                                                    \
          return j;                                                                         \
        }                                                                                   \
    }                                                                                       \
    *bestv = best;                                                                          \
    return bidx;                                                                            \
  }                                                                                         \
  /* The first best element of x[0..n) (n >= 1), span by span. */                           \
  static int64_t NAME(int64_t n, const T* x, T* bestv) {                                    \
    T best;                                                                                 \
    int64_t bidx = NAME##_span(n < ARG_SPAN ? n : ARG_SPAN, x, &best);                      \
    for (int64_t b = ARG_SPAN; b < n && best == best; b += ARG_SPAN) {                      \
      T v;                                                                                  \
      int64_t j = NAME##_span(n - b < ARG_SPAN ? n - b : ARG_SPAN, x + b, &v);              \
      if (v CMP best || v != v) {                                                           \
        best = v;                                                                           \
        bidx = b + j;                                                                       \
      }                                                                                     \
    }                                                                                       \
    *bestv = best;                                                                          \
    return bidx;                                                                            \
  }
DEF_FAST(fast_max_f32, float, v16f, v16i, 16, >)
DEF_FAST(fast_min_f32, float, v16f, v16i, 16, <)
DEF_FAST(fast_max_f64, double, v8d, v8l, 8, >)
DEF_FAST(fast_min_f64, double, v8d, v8l, 8, <)

#define FAST_ROW(NAME, T, FN)                                                 \
  static void NAME(int64_t n, const char* p, int64_t base, winner* w) {       \
    T best;                                                                   \
    int64_t i = FN(n, (const T*)p, &best);                                    \
    memset(&w->v, 0, sizeof w->v);                                            \
    memcpy(&w->v, &best, sizeof best);                                        \
    w->idx = base + i;                                                        \
  }

#define DEF_ARG(TAG, E, ST, CT, LOAD, BETTER, SAMEF)                                        \
  /* Scans n elements (indices base, base+1, ...) and leaves the winner in w. */           \
  static MX__SIMD void row_##TAG##_##E(int64_t n, const char* p, int64_t base, winner* w) { \
    const ST* xs = (const ST*)p;                                                            \
    CT best;                                                                                \
    int64_t bidx = 0, i = 0;                                                                \
    {                                                                                       \
      ST x = xs[0];                                                                         \
      best = LOAD;                                                                          \
    }                                                                                       \
    if (n >= 2 * RS_LANES) {                                                                \
      CT bv[RS_LANES];                                                                      \
      int64_t bi[RS_LANES];                                                                 \
      for (int k = 0; k < RS_LANES; k++) {                                                  \
        ST x = xs[k];                                                                       \
        bv[k] = LOAD;                                                                       \
        bi[k] = k;                                                                          \
      }                                                                                     \
      for (i = RS_LANES; i + RS_LANES <= n; i += RS_LANES) {                                \
        for (int k = 0; k < RS_LANES; k++) {                                                \
          ST x = xs[i + k];                                                                 \
          CT v = LOAD;                                                                      \
          bool t = BETTER(v, bv[k]);                                                        \
          bv[k] = t ? v : bv[k];                                                            \
          bi[k] = t ? i + k : bi[k];                                                        \
        }                                                                                   \
      }                                                                                     \
      best = bv[0];                                                                         \
      bidx = bi[0];                                                                         \
      for (int k = 1; k < RS_LANES; k++) {                                                  \
        if (BETTER(bv[k], best) || (SAMEF(bv[k], best) && bi[k] < bidx)) {                  \
          best = bv[k];                                                                     \
          bidx = bi[k];                                                                     \
        }                                                                                   \
      }                                                                                     \
    }                                                                                       \
    for (; i < n; i++) {                                                                    \
      ST x = xs[i];                                                                         \
      CT v = LOAD;                                                                          \
      if (BETTER(v, best)) {                                                                \
        best = v;                                                                           \
        bidx = i;                                                                           \
      }                                                                                     \
    }                                                                                       \
    memset(&w->v, 0, sizeof w->v);                                                          \
    memcpy(&w->v, &best, sizeof best);                                                      \
    w->idx = base + bidx;                                                                   \
  }                                                                                         \
  /* Folds a later chunk's winner into acc (earlier chunks win ties). */                    \
  static void merge_##TAG##_##E(winner* acc, const winner* w) {                             \
    CT a, b;                                                                                \
    memcpy(&a, &acc->v, sizeof a);                                                          \
    memcpy(&b, &w->v, sizeof b);                                                            \
    if (BETTER(b, a)) *acc = *w;                                                            \
  }                                                                                         \
  /* m columns of an (n, inner) block; out[j] gets column j's index. */                    \
  static MX__SIMD void col_##TAG##_##E(int64_t n, int64_t inner, int64_t m, const char* p,  \
                                       uint32_t* restrict out) {                            \
    const ST* xs = (const ST*)p;                                                            \
    CT best[COL_STRIP];                                                                     \
    for (int64_t j = 0; j < m; j++) {                                                       \
      ST x = xs[j];                                                                         \
      best[j] = LOAD;                                                                       \
      out[j] = 0;                                                                           \
    }                                                                                       \
    for (int64_t k = 1; k < n; k++) {                                                       \
      const ST* row = xs + k * inner;                                                       \
      for (int64_t j = 0; j < m; j++) {                                                     \
        ST x = row[j];                                                                      \
        CT v = LOAD;                                                                        \
        bool t = BETTER(v, best[j]);                                                        \
        best[j] = t ? v : best[j];                                                          \
        out[j] = t ? (uint32_t)k : out[j];                                                  \
      }                                                                                     \
    }                                                                                       \
  }

#define DEF_ARGMAX(E, ST, CT, LOAD, K) DEF_ARG(max, E, ST, CT, LOAD, BM_##K, SM_##K)
#define DEF_ARGMIN(E, ST, CT, LOAD, K) DEF_ARG(min, E, ST, CT, LOAD, Bm_##K, SM_##K)
MX__CPU_TYPES(DEF_ARGMAX)
MX__CPU_TYPES(DEF_ARGMIN)

FAST_ROW(frow_max_f32, float, fast_max_f32)
FAST_ROW(frow_min_f32, float, fast_min_f32)
FAST_ROW(frow_max_f64, double, fast_max_f64)
FAST_ROW(frow_min_f64, double, fast_min_f64)

typedef struct arg_impl {
  row_fn row;
  merge_fn merge;
  col_fn col;
} arg_impl;

#define CELL_MAX(E, ST, CT, LOAD, K) [MX_##E] = {row_max_##E, merge_max_##E, col_max_##E},
#define CELL_MIN(E, ST, CT, LOAD, K) [MX_##E] = {row_min_##E, merge_min_##E, col_min_##E},
static const arg_impl arg_table[2][MX_DTYPE_COUNT] = {
    [MX_ARG_MAX] = {MX__CPU_TYPES(CELL_MAX)},
    [MX_ARG_MIN] = {MX__CPU_TYPES(CELL_MIN)},
};

typedef struct arg_ctx {
  const arg_impl* impl;
  const mx__rs_view* v;
  size_t isz;
  uint32_t* out;
  winner* partial;
  int64_t nchunks;
} arg_ctx;

static void rows_task(int64_t b, int64_t e, void* p) {
  const arg_ctx* c = p;
  for (int64_t o = b; o < e; o++) {
    winner w;
    c->impl->row(c->v->n, c->v->data + o * c->v->n * (int64_t)c->isz, 0, &w);
    c->out[o] = (uint32_t)w.idx;
  }
}

static void chunk_task(int64_t b, int64_t e, void* p) {
  const arg_ctx* c = p;
  int64_t n = c->v->n;
  for (int64_t k = b; k < e; k++) {
    int64_t lo = n * k / c->nchunks, hi = n * (k + 1) / c->nchunks;
    c->impl->row(hi - lo, c->v->data + lo * (int64_t)c->isz, lo, &c->partial[k]);
  }
}

static void cols_task(int64_t b, int64_t e, void* p) {
  const arg_ctx* c = p;
  const mx__rs_view* v = c->v;
  int64_t strips = (v->inner + COL_STRIP - 1) / COL_STRIP;
  for (int64_t t = b; t < e; t++) {
    int64_t o = t / strips, j0 = (t % strips) * COL_STRIP;
    int64_t m = v->inner - j0 < COL_STRIP ? v->inner - j0 : COL_STRIP;
    const char* base = v->data + (o * v->n * v->inner + j0) * (int64_t)c->isz;
    c->impl->col(v->n, v->inner, m, base, c->out + o * v->inner + j0);
  }
}

int mx__cpu_arg_reduce(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_arg_reduce_params* prm = node->params;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (!prm || (prm->op != MX_ARG_MIN && prm->op != MX_ARG_MAX) || prm->axis < 0 ||
      prm->axis >= in->ndim)
    return mx_error(MX_ERR_RUNTIME, "[ArgReduce] Invalid parameters.");
  uint32_t* po = (uint32_t*)mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  if (in->shape[prm->axis] == 0)
    return mx_error(MX_ERR_VALUE, "[ArgReduce] Cannot reduce an empty axis.");
  mx__rs_view v;
  if (mx__rs_view_of(in, prm->axis, &v) != 0) return -1;
  arg_impl impl = arg_table[prm->op][in->dtype];
  bool mx = prm->op == MX_ARG_MAX;
  if (in->dtype == MX_FLOAT32) impl.row = mx ? frow_max_f32 : frow_min_f32;
  if (in->dtype == MX_FLOAT64) impl.row = mx ? frow_max_f64 : frow_min_f64;
  arg_ctx c = {.impl = &impl, .v = &v, .isz = mx_array_itemsize(in), .out = po};
  int nt = mx_cpu_num_threads();
  if (v.inner == 1 && v.outer == 1 && v.n >= 2 * MX__GRAIN && nt > 1) {
    int64_t nch = v.n / MX__GRAIN;
    if (nch > 4 * nt) nch = 4 * nt;
    c.nchunks = nch;
    c.partial = malloc((size_t)nch * sizeof(winner));
    if (!c.partial) {
      mx__rs_view_free(&v);
      return mx_error(MX_ERR_MEMORY, "[ArgReduce] Out of memory.");
    }
    mx_parallel_for(nch, 1, chunk_task, &c);
    winner w = c.partial[0];
    for (int64_t k = 1; k < nch; k++) c.impl->merge(&w, &c.partial[k]);
    po[0] = (uint32_t)w.idx;
    free(c.partial);
  } else if (v.inner == 1) {
    int64_t grain = v.n >= MX__GRAIN ? 1 : MX__GRAIN / v.n;
    mx_parallel_for(v.outer, grain, rows_task, &c);
  } else {
    int64_t strips = (v.inner + COL_STRIP - 1) / COL_STRIP;
    int64_t per = v.n * (v.inner < COL_STRIP ? v.inner : COL_STRIP);
    int64_t grain = per >= MX__GRAIN ? 1 : MX__GRAIN / per;
    mx_parallel_for(v.outer * strips, grain, cols_task, &c);
  }
  mx__rs_view_free(&v);
  mx__cpu_written(out);
  return 0;
}
