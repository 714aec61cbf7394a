/* REDUCE: sum, prod, max, min, and (all), or (any) over any set of axes.
 *
 * Each (op, input dtype) pair has an accumulator type: 64-bit integers for
 * integer sums and products (wrapping, then narrowed to the output dtype,
 * which gives the same bits as wrapping in the output width), double for
 * real float sums and products, complex64 for complex ones, the carrier type
 * for max/min (float for the half types) and bool for and/or.  Accumulators
 * live in a scratch array (or directly in the output when the types agree)
 * and are converted to the output dtype at the end.
 *
 * Layout strategy, after collapsing the kept and reduced dims separately:
 *  - "row" reduction when the innermost reduced dim is contiguous (or as
 *    the general fallback): one strided line reduce per output element and
 *    outer reduced index; an all-reduce splits the work across threads with
 *    per-chunk partial accumulators;
 *  - "column" reduction when the innermost kept dim is contiguous and the
 *    reduced dims are outer: acc[j] op= in[r, j], a vectorized pass per
 *    reduced index.
 * Float sums add 16 float32 lanes over blocks of 512 elements and the block
 * sums in double, which keeps float32 sums as accurate as NumPy's pairwise
 * sums at full SIMD speed. */
#include <math.h>
#include <stdlib.h>

#include "elementwise.h"

/* --- per-type constants ---------------------------------------------------- */

#define LOWEST_BOOL false
#define LOWEST_UINT8 0
#define LOWEST_UINT16 0
#define LOWEST_UINT32 0
#define LOWEST_UINT64 0
#define LOWEST_INT8 INT8_MIN
#define LOWEST_INT16 INT16_MIN
#define LOWEST_INT32 INT32_MIN
#define LOWEST_INT64 INT64_MIN
#define LOWEST_FLOAT16 (-INFINITY)
#define LOWEST_FLOAT32 (-INFINITY)
#define LOWEST_FLOAT64 (-INFINITY)
#define LOWEST_BFLOAT16 (-INFINITY)
#define LOWEST_COMPLEX64 CMPLXF(-INFINITY, -INFINITY)
#define HIGHEST_BOOL true
#define HIGHEST_UINT8 UINT8_MAX
#define HIGHEST_UINT16 UINT16_MAX
#define HIGHEST_UINT32 UINT32_MAX
#define HIGHEST_UINT64 UINT64_MAX
#define HIGHEST_INT8 INT8_MAX
#define HIGHEST_INT16 INT16_MAX
#define HIGHEST_INT32 INT32_MAX
#define HIGHEST_INT64 INT64_MAX
#define HIGHEST_FLOAT16 INFINITY
#define HIGHEST_FLOAT32 INFINITY
#define HIGHEST_FLOAT64 INFINITY
#define HIGHEST_BFLOAT16 INFINITY
#define HIGHEST_COMPLEX64 CMPLXF(INFINITY, INFINITY)
/* max/min accumulate in the carrier dtype. */
#define MM_AE_BOOL BOOL
#define MM_AE_UINT8 UINT8
#define MM_AE_UINT16 UINT16
#define MM_AE_UINT32 UINT32
#define MM_AE_UINT64 UINT64
#define MM_AE_INT8 INT8
#define MM_AE_INT16 INT16
#define MM_AE_INT32 INT32
#define MM_AE_INT64 INT64
#define MM_AE_FLOAT16 FLOAT32
#define MM_AE_FLOAT32 FLOAT32
#define MM_AE_FLOAT64 FLOAT64
#define MM_AE_BFLOAT16 FLOAT32
#define MM_AE_COMPLEX64 COMPLEX64

/* Sum/prod accumulators by kind: type, dtype, lane type, block length. */
#define SUM_AT_KB int64_t
#define SUM_AT_KI int64_t
#define SUM_AT_KU uint64_t
#define SUM_AT_KF double
#define SUM_AT_KH double
#define SUM_AT_KD double
#define SUM_AT_KC mx__c64
#define SUM_AE_KB INT64
#define SUM_AE_KI INT64
#define SUM_AE_KU UINT64
#define SUM_AE_KF FLOAT64
#define SUM_AE_KH FLOAT64
#define SUM_AE_KD FLOAT64
#define SUM_AE_KC COMPLEX64
#define SUM_LT_KB int64_t
#define SUM_LT_KI int64_t
#define SUM_LT_KU uint64_t
#define SUM_LT_KF float
#define SUM_LT_KH float
#define SUM_LT_KD double
#define SUM_LT_KC mx__c64
/* GCC 12 miscompiles the 16-lane widening sum (and product) of 8- and 16-bit
 * integers into int64 lanes when it vectorizes the row loop (wrong totals for rows of 32
 * or more elements), so integer sums keep their 16 scalar lanes. */
#define SUM_ATTR_KB __attribute__((optimize("no-tree-loop-vectorize")))
#define SUM_ATTR_KI __attribute__((optimize("no-tree-loop-vectorize")))
#define SUM_ATTR_KU __attribute__((optimize("no-tree-loop-vectorize")))
#define SUM_ATTR_KF
#define SUM_ATTR_KH
#define SUM_ATTR_KD
#define SUM_ATTR_KC
#define SUM_BLOCK_KF 512
#define SUM_BLOCK_KH 512
#define SUM_BLOCK_KB INT64_MAX
#define SUM_BLOCK_KI INT64_MAX
#define SUM_BLOCK_KU INT64_MAX
#define SUM_BLOCK_KD INT64_MAX
#define SUM_BLOCK_KC INT64_MAX
#define SUM_COMB_KB COMB_IADD
#define SUM_COMB_KI COMB_IADD
#define SUM_COMB_KU COMB_IADD
#define SUM_COMB_KF COMB_FADD
#define SUM_COMB_KH COMB_FADD
#define SUM_COMB_KD COMB_FADD
#define SUM_COMB_KC COMB_FADD
#define PROD_COMB_KB COMB_IMUL
#define PROD_COMB_KI COMB_IMUL
#define PROD_COMB_KU COMB_IMUL
#define PROD_COMB_KF COMB_FMUL
#define PROD_COMB_KH COMB_FMUL
#define PROD_COMB_KD COMB_FMUL
#define PROD_COMB_KC COMB_FMUL
#define MAX_COMB_KB COMB_MAX
#define MAX_COMB_KI COMB_MAX
#define MAX_COMB_KU COMB_MAX
#define MAX_COMB_KF COMB_MAX
#define MAX_COMB_KH COMB_MAX
#define MAX_COMB_KD COMB_MAX
#define MAX_COMB_KC COMB_CMAX
#define MIN_COMB_KB COMB_MIN
#define MIN_COMB_KI COMB_MIN
#define MIN_COMB_KU COMB_MIN
#define MIN_COMB_KF COMB_MIN
#define MIN_COMB_KH COMB_MIN
#define MIN_COMB_KD COMB_MIN
#define MIN_COMB_KC COMB_CMIN
#define NZ_KB(x) (x)
#define NZ_KI(x) ((x) != 0)
#define NZ_KU(x) ((x) != 0)
#define NZ_KF(x) ((x) != 0)
#define NZ_KH(x) ((x) != 0)
#define NZ_KD(x) ((x) != 0)
#define NZ_KC(x) (crealf(x) != 0 || cimagf(x) != 0)

/* Combiners: acc op v, both in the accumulator type.  NaN propagates
 * through max/min as in MLX; complex max/min order lexicographically. */
#define COMB_IADD(a, v) ((__typeof__(a))((uint64_t)(a) + (uint64_t)(v)))
#define COMB_IMUL(a, v) ((__typeof__(a))((uint64_t)(a) * (uint64_t)(v)))
#define COMB_FADD(a, v) ((a) + (v))
#define COMB_FMUL(a, v) ((a) * (v))
#define COMB_MAX(a, v) (((v) > (a) || (v) != (v)) ? (v) : (a))
#define COMB_MIN(a, v) (((v) < (a) || (v) != (v)) ? (v) : (a))
#define CPX_GT(v, a) \
  (crealf(v) > crealf(a) || (crealf(v) == crealf(a) && cimagf(v) > cimagf(a)))
#define CPX_LT(v, a) \
  (crealf(v) < crealf(a) || (crealf(v) == crealf(a) && cimagf(v) < cimagf(a)))
/* A NaN in either part wins and then stays, as for real max/min. */
#define CPX_NAN(z) (crealf(z) != crealf(z) || cimagf(z) != cimagf(z))
#define COMB_CMAX(a, v) (CPX_NAN(a) ? (a) : (CPX_NAN(v) || CPX_GT(v, a)) ? (v) : (a))
#define COMB_CMIN(a, v) (CPX_NAN(a) ? (a) : (CPX_NAN(v) || CPX_LT(v, a)) ? (v) : (a))
#define COMB_AND(a, v) ((a) && (v))
#define COMB_OR(a, v) ((a) || (v))

/* --- explicit-vector max/min for float32 and float64 -------------------------
 *
 * GCC does not vectorize a NaN-propagating max on its own, so these use GCC
 * vector extensions (portable: each ISA clone lowers them to its widest
 * registers).  Lanes keep a NaN-blind running max/min plus a mask of lanes
 * that saw a NaN; any NaN makes the result NaN. */
typedef float mx__v16f __attribute__((vector_size(64)));
typedef double mx__v8d __attribute__((vector_size(64)));
typedef int32_t mx__v16i __attribute__((vector_size(64)));
typedef int64_t mx__v8l __attribute__((vector_size(64)));

/* Four independent accumulators per call: one running max is a chain of
 * compare-and-blend steps whose latency, not memory, would set the speed;
 * four chains keep the load ports busy.  The NaN masks are cheap compares
 * off the chains; each chain keeps its own mask because GCC 12 turned a
 * version that OR-ed two compares into one mask into scalar code (5x slower). */
#define VMM_STEP(M, NANM, X, VT, VI, CMP)           \
  do {                                              \
    VT v_;                                          \
    memcpy(&v_, (X), sizeof v_);                    \
    VI t_ = v_ CMP(M);                              \
    (M) = (VT)(((VI)(M) & ~t_) | ((VI)v_ & t_));    \
    (NANM) |= v_ != v_;                             \
  } while (0)
#define VMM_MERGE(A, B, VT, VI, CMP)                \
  do {                                              \
    VI t_ = (B)CMP(A);                              \
    (A) = (VT)(((VI)(A) & ~t_) | ((VI)(B) & t_));   \
  } while (0)
#define DEF_VMM(NAME, T, VT, VI, W, CMP)                                          \
  static MX__SIMD int NAME(int64_t n, const T* xs, T* acc) {                      \
    if (n < 4 * W) return 0;                                                      \
    VT m0, m1, m2, m3;                                                            \
    memcpy(&m0, xs, sizeof m0);                                                   \
    memcpy(&m1, xs + W, sizeof m1);                                               \
    memcpy(&m2, xs + 2 * W, sizeof m2);                                           \
    memcpy(&m3, xs + 3 * W, sizeof m3);                                           \
    VI nan0 = m0 != m0, nan1 = m1 != m1, nan2 = m2 != m2, nan3 = m3 != m3;        \
    int64_t i = 4 * W;                                                            \
    for (; i + 4 * W <= n; i += 4 * W) {                                          \
      VMM_STEP(m0, nan0, xs + i, VT, VI, CMP);                                    \
      VMM_STEP(m1, nan1, xs + i + W, VT, VI, CMP);                                \
      VMM_STEP(m2, nan2, xs + i + 2 * W, VT, VI, CMP);                            \
      VMM_STEP(m3, nan3, xs + i + 3 * W, VT, VI, CMP);                            \
    }                                                                             \
    for (; i + W <= n; i += W) VMM_STEP(m0, nan0, xs + i, VT, VI, CMP);           \
    VMM_MERGE(m0, m1, VT, VI, CMP);                                               \
    VMM_MERGE(m2, m3, VT, VI, CMP);                                               \
    VMM_MERGE(m0, m2, VT, VI, CMP);                                               \
    nan0 |= nan1 | nan2 | nan3;                                                   \
    T r = *acc;                                                                   \
    bool any_nan = r != r;                                                        \
    for (int k = 0; k < W; k++) {                                                 \
      any_nan |= nan0[k] != 0;                                                    \
      if (m0[k] CMP r) r = m0[k];                                                 \
    }                                                                             \
    for (; i < n; i++) {                                                          \
      any_nan |= xs[i] != xs[i];                                                  \
      if (xs[i] CMP r) r = xs[i];                                                 \
    }                                                                             \
    *acc = any_nan ? (T)NAN : r;                                                  \
    return 1;                                                                     \
  }
DEF_VMM(vmax_f32, float, mx__v16f, mx__v16i, 16, >)
DEF_VMM(vmin_f32, float, mx__v16f, mx__v16i, 16, <)
DEF_VMM(vmax_f64, double, mx__v8d, mx__v8l, 8, >)
DEF_VMM(vmin_f64, double, mx__v8d, mx__v8l, 8, <)

static inline int no_fast(int64_t n, const void* xs, void* acc) {
  (void)n;
  (void)xs;
  (void)acc;
  return 0;
}
#define FAST_MAX(n, xs, acc) \
  _Generic((xs), const float*: vmax_f32, const double*: vmax_f64, default: no_fast)(n, xs, acc)
#define FAST_MIN(n, xs, acc) \
  _Generic((xs), const float*: vmin_f32, const double*: vmin_f64, default: no_fast)(n, xs, acc)

typedef void (*row_fn)(int64_t n, const char* p, int64_t bs, void* acc);
typedef void (*col_fn)(int64_t m, const char* p, int64_t bs, void* accs);
typedef void (*init_fn)(void* accs, int64_t m);

typedef struct red_impl {
  row_fn row;
  col_fn col;
  init_fn init;
  mx_dtype acc;
} red_impl;

/* One (op, dtype) reducer.  TOACC converts a carrier value `c` to the
 * accumulator and COMB combines; the contiguous loop keeps 16 lanes so the
 * compiler can vectorize it; BLOCK bounds how many elements a lane holds
 * before it is folded into the accumulator; FAST may take over the whole
 * contiguous loop (returns nonzero when it did). */
#define DEF_RED(NAME, ST, LOAD, AT, LT, IDENT, TOACC, COMB, BLOCK, FAST, RATTR)             \
  static RATTR MX__SIMD void NAME##_rowc(int64_t n, const ST* restrict xs, AT* acc) {            \
    if (FAST(n, xs, acc)) return;                                                           \
    AT total = *acc;                                                                        \
    int64_t i = 0;                                                                          \
    while (i < n) {                                                                         \
      int64_t e = n - i > (BLOCK) ? i + (BLOCK) : n;                                        \
      LT l[16];                                                                             \
      for (int k = 0; k < 16; k++) l[k] = (LT)(IDENT);                                      \
      for (; i + 16 <= e; i += 16) {                                                        \
        for (int k = 0; k < 16; k++) {                                                      \
          ST x = xs[i + k];                                                                 \
          __typeof__(LOAD) c = LOAD;                                                        \
          l[k] = COMB(l[k], (LT)(TOACC));                                                   \
        }                                                                                   \
      }                                                                                     \
      for (; i < e; i++) {                                                                  \
        ST x = xs[i];                                                                       \
        __typeof__(LOAD) c = LOAD;                                                          \
        l[0] = COMB(l[0], (LT)(TOACC));                                                     \
      }                                                                                     \
      for (int k = 0; k < 16; k++) total = COMB(total, (AT)l[k]);                           \
    }                                                                                       \
    *acc = total;                                                                           \
  }                                                                                         \
  static void NAME##_row(int64_t n, const char* p, int64_t bs, void* accp) {                \
    if (bs == (int64_t)sizeof(ST)) {                                                        \
      NAME##_rowc(n, (const ST*)p, (AT*)accp);                                              \
      return;                                                                               \
    }                                                                                       \
    AT a;                                                                                   \
    memcpy(&a, accp, sizeof a);                                                             \
    for (int64_t i = 0; i < n; i++, p += bs) {                                              \
      ST x;                                                                                 \
      memcpy(&x, p, sizeof x);                                                              \
      __typeof__(LOAD) c = LOAD;                                                            \
      a = COMB(a, (AT)(TOACC));                                                             \
    }                                                                                       \
    memcpy(accp, &a, sizeof a);                                                             \
  }                                                                                         \
  static MX__SIMD void NAME##_colc(int64_t m, const ST* restrict xs, AT* restrict acc) {   \
    for (int64_t j = 0; j < m; j++) {                                                       \
      ST x = xs[j];                                                                         \
      __typeof__(LOAD) c = LOAD;                                                            \
      acc[j] = COMB(acc[j], (AT)(TOACC));                                                   \
    }                                                                                       \
  }                                                                                         \
  static void NAME##_col(int64_t m, const char* p, int64_t bs, void* accp) {                \
    AT* acc = accp;                                                                         \
    if (bs == (int64_t)sizeof(ST)) {                                                        \
      NAME##_colc(m, (const ST*)p, acc);                                                    \
      return;                                                                               \
    }                                                                                       \
    for (int64_t j = 0; j < m; j++, p += bs) {                                              \
      ST x;                                                                                 \
      memcpy(&x, p, sizeof x);                                                              \
      __typeof__(LOAD) c = LOAD;                                                            \
      acc[j] = COMB(acc[j], (AT)(TOACC));                                                   \
    }                                                                                       \
  }                                                                                         \
  static void NAME##_init(void* accp, int64_t m) {                                          \
    AT* acc = accp;                                                                         \
    for (int64_t j = 0; j < m; j++) acc[j] = (AT)(IDENT);                                   \
  }

#define DEF_SUM(E, ST, CT, LOAD, K)                                                     \
  DEF_RED(sum_##E, ST, LOAD, SUM_AT_##K, SUM_LT_##K, 0, c, SUM_COMB_##K, SUM_BLOCK_##K, \
          no_fast, SUM_ATTR_##K)
#define DEF_PROD(E, ST, CT, LOAD, K)                                                      \
  DEF_RED(prod_##E, ST, LOAD, SUM_AT_##K, SUM_AT_##K, 1, c, PROD_COMB_##K, INT64_MAX, no_fast, SUM_ATTR_##K)
#define DEF_MAX(E, ST, CT, LOAD, K)                                                    \
  DEF_RED(max_##E, ST, LOAD, CT, CT, LOWEST_##E, c, MAX_COMB_##K, INT64_MAX, FAST_MAX, )
#define DEF_MIN(E, ST, CT, LOAD, K)                                                    \
  DEF_RED(min_##E, ST, LOAD, CT, CT, HIGHEST_##E, c, MIN_COMB_##K, INT64_MAX, FAST_MIN, )
#define DEF_AND(E, ST, CT, LOAD, K)                                                           \
  DEF_RED(and_##E, ST, LOAD, bool, bool, true, NZ_##K(c), COMB_AND, INT64_MAX, no_fast, )
#define DEF_OR(E, ST, CT, LOAD, K)                                                          \
  DEF_RED(or_##E, ST, LOAD, bool, bool, false, NZ_##K(c), COMB_OR, INT64_MAX, no_fast, )

MX__CPU_TYPES(DEF_SUM)
MX__CPU_TYPES(DEF_PROD)
MX__CPU_TYPES(DEF_MAX)
MX__CPU_TYPES(DEF_MIN)
MX__CPU_TYPES(DEF_AND)
MX__CPU_TYPES(DEF_OR)

#define CELL(OPN, E, AE) [MX_##E] = {OPN##_##E##_row, OPN##_##E##_col, OPN##_##E##_init, MX_##AE},
/* Indirection so that SUM_AE_##K expands before CELL pastes MX_##AE. */
#define CELLX(OPN, E, AE) CELL(OPN, E, AE)
#define CELL_SUM(E, ST, CT, LOAD, K) CELLX(sum, E, SUM_AE_##K)
#define CELL_PROD(E, ST, CT, LOAD, K) CELLX(prod, E, SUM_AE_##K)
#define CELL_MAX(E, ST, CT, LOAD, K) CELLX(max, E, MM_AE_##E)
#define CELL_MIN(E, ST, CT, LOAD, K) CELLX(min, E, MM_AE_##E)
#define CELL_AND(E, ST, CT, LOAD, K) CELLX(and, E, BOOL)
#define CELL_OR(E, ST, CT, LOAD, K) CELLX(or, E, BOOL)

static const red_impl red_table[6][MX_DTYPE_COUNT] = {
    [MX_REDUCE_SUM] = {MX__CPU_TYPES(CELL_SUM)},
    [MX_REDUCE_PROD] = {MX__CPU_TYPES(CELL_PROD)},
    [MX_REDUCE_MAX] = {MX__CPU_TYPES(CELL_MAX)},
    [MX_REDUCE_MIN] = {MX__CPU_TYPES(CELL_MIN)},
    [MX_REDUCE_AND] = {MX__CPU_TYPES(CELL_AND)},
    [MX_REDUCE_OR] = {MX__CPU_TYPES(CELL_OR)},
};

/* --- the kernel ---------------------------------------------------------- */

typedef struct red_plan {
  const red_impl* impl;
  const char* in;
  char* acc;        /* accumulators, out->size of them, row-major */
  size_t acc_size;  /* bytes per accumulator */
  /* kept dims (outer to inner): shape, input byte strides, acc strides */
  int nk;
  int64_t* ks;
  int64_t* kis;
  int64_t* kos;
  /* reduced dims: shape and input byte strides */
  int nr;
  int64_t* rs;
  int64_t* ris;
  int64_t rows;     /* product of rs[0 .. nr-2]: lines per output */
  /* all-reduce partials */
  int64_t nchunks;
  char* partial;
} red_plan;

/* Input byte offset of line `r` (index over the reduced dims but the last). */
static int64_t line_offset(const red_plan* p, int64_t r) {
  int64_t off = 0;
  for (int i = p->nr - 2; i >= 0; i--) {
    off += (r % p->rs[i]) * p->ris[i];
    r /= p->rs[i];
  }
  return off;
}

/* Input byte offset of output element `o` (index over the kept dims) and
 * its accumulator index. */
static int64_t kept_offset(const red_plan* p, int64_t o, int64_t* acc_index) {
  int64_t off = 0, ai = 0;
  for (int i = p->nk - 1; i >= 0; i--) {
    int64_t idx = o % p->ks[i];
    o /= p->ks[i];
    off += idx * p->kis[i];
    ai += idx * p->kos[i];
  }
  *acc_index = ai;
  return off;
}

/* Row mode: outputs [b, e), each reduced line by line. */
static void row_outputs(int64_t b, int64_t e, void* ctx) {
  const red_plan* p = ctx;
  int64_t n = p->nr ? p->rs[p->nr - 1] : 1;
  int64_t bs = p->nr ? p->ris[p->nr - 1] : 0;
  for (int64_t o = b; o < e; o++) {
    int64_t ai;
    const char* base = p->in + kept_offset(p, o, &ai);
    void* acc = p->acc + ai * (int64_t)p->acc_size;
    for (int64_t r = 0; r < p->rows; r++) p->impl->row(n, base + line_offset(p, r), bs, acc);
  }
}

/* All-reduce split: chunk c covers a slice of the lines (or, with a single
 * line, a slice of it) and leaves its result in partial[c]. */
static void row_chunks(int64_t b, int64_t e, void* ctx) {
  const red_plan* p = ctx;
  int64_t n = p->nr ? p->rs[p->nr - 1] : 1;
  int64_t bs = p->nr ? p->ris[p->nr - 1] : 0;
  for (int64_t c = b; c < e; c++) {
    void* acc = p->partial + c * (int64_t)p->acc_size;
    p->impl->init(acc, 1);
    if (p->rows == 1) {
      int64_t lo = n * c / p->nchunks, hi = n * (c + 1) / p->nchunks;
      p->impl->row(hi - lo, p->in + lo * bs, bs, acc);
    } else {
      int64_t lo = p->rows * c / p->nchunks, hi = p->rows * (c + 1) / p->nchunks;
      for (int64_t r = lo; r < hi; r++) p->impl->row(n, p->in + line_offset(p, r), bs, acc);
    }
  }
}

/* Column mode: task t covers one outer kept index and a slice of the
 * innermost kept dim; every reduced index adds one contiguous strip. */
#define COL_STRIP 2048
static void col_tasks(int64_t b, int64_t e, void* ctx) {
  const red_plan* p = ctx;
  int64_t m = p->ks[p->nk - 1];
  int64_t strips = (m + COL_STRIP - 1) / COL_STRIP;
  int64_t total_r = p->rows * (p->nr ? p->rs[p->nr - 1] : 1);
  for (int64_t t = b; t < e; t++) {
    int64_t outer = t / strips, j0 = (t % strips) * COL_STRIP;
    int64_t jn = m - j0 < COL_STRIP ? m - j0 : COL_STRIP;
    /* Offset of the outer kept index: all kept dims but the last. */
    int64_t off = 0, ai = 0, o = outer;
    for (int i = p->nk - 2; i >= 0; i--) {
      int64_t idx = o % p->ks[i];
      o /= p->ks[i];
      off += idx * p->kis[i];
      ai += idx * p->kos[i];
    }
    const char* base = p->in + off + j0 * p->kis[p->nk - 1];
    void* acc = p->acc + (ai + j0) * (int64_t)p->acc_size;
    for (int64_t r = 0; r < total_r; r++) {
      int64_t roff = 0, rr = r;
      for (int i = p->nr - 1; i >= 0; i--) {
        roff += (rr % p->rs[i]) * p->ris[i];
        rr /= p->rs[i];
      }
      p->impl->col(jn, base + roff, p->kis[p->nk - 1], acc);
    }
  }
}

int mx__cpu_reduce(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_reduce_params* prm = node->params;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (!prm || prm->op < 0 || prm->op > MX_REDUCE_OR)
    return mx_error(MX_ERR_RUNTIME, "[Reduce] Invalid reduction parameters.");
  int nd = in->ndim;
  bool reduced[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) reduced[i] = false;
  for (int i = 0; i < prm->naxes; i++) {
    if (prm->axes[i] < 0 || prm->axes[i] >= nd)
      return mx_error(MX_ERR_RUNTIME, "[Reduce] Invalid axis %d.", prm->axes[i]);
    reduced[prm->axes[i]] = true;
  }
  const red_impl* impl = &red_table[prm->op][in->dtype];
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  const char* pi = mx__cpu_in_ptr(in);
  if (!po || !pi) return -1;

  size_t acc_size = mx_dtype_size(impl->acc);
  bool direct = impl->acc == out->dtype;
  char* acc = direct ? po : malloc((size_t)out->size * acc_size);
  if (!acc) return mx_error(MX_ERR_MEMORY, "[Reduce] Out of memory.");
  impl->init(acc, out->size);

  red_plan p = {.impl = impl, .in = pi, .acc = acc, .acc_size = acc_size};
  int64_t ks[nd + 1], kis[nd + 1], kos[nd + 1], rs[nd + 1], ris[nd + 1];
  p.ks = ks;
  p.kis = kis;
  p.kos = kos;
  p.rs = rs;
  p.ris = ris;
  size_t isz = mx_array_itemsize(in);
  int nk = 0, nr = 0;
  for (int i = 0; i < nd; i++) {
    if (reduced[i]) {
      rs[nr] = in->shape[i];
      ris[nr++] = in->strides[i] * (int64_t)isz;
    } else {
      ks[nk] = in->shape[i];
      kis[nk++] = in->strides[i] * (int64_t)isz;
    }
  }
  /* Accumulators are row-major over the kept dims. */
  int64_t s = 1;
  for (int i = nk - 1; i >= 0; i--) {
    kos[i] = s;
    s *= ks[i];
  }
  int64_t* kst[2] = {kis, kos};
  int64_t* rst[1] = {ris};
  p.nk = mx__cpu_collapse(nk, ks, 2, kst);
  p.nr = mx__cpu_collapse(nr, rs, 1, rst);
  int64_t in_size = in->size;

  if (in_size > 0) {
    p.rows = 1;
    for (int i = 0; i + 1 < p.nr; i++) p.rows *= rs[i];
    int64_t line = p.nr ? rs[p.nr - 1] : 1;
    bool inner_reduced_contig = p.nr > 0 && ris[p.nr - 1] == (int64_t)isz;
    bool inner_kept_contig = p.nk > 0 && kis[p.nk - 1] == (int64_t)isz;
    int nt = mx_cpu_num_threads();
    if (p.nk > 0 && inner_kept_contig && !inner_reduced_contig && p.nr > 0) {
      int64_t m = ks[p.nk - 1];
      int64_t tasks = (out->size / m) * ((m + COL_STRIP - 1) / COL_STRIP);
      int64_t per_task = in_size / (tasks > 0 ? tasks : 1);
      int64_t grain = per_task >= MX__GRAIN ? 1 : MX__GRAIN / (per_task > 0 ? per_task : 1);
      mx_parallel_for(tasks, grain, col_tasks, &p);
    } else if (out->size == 1 && in_size >= 2 * MX__GRAIN && nt > 1) {
      int64_t units = p.rows == 1 ? line : p.rows;
      int64_t nch = in_size / MX__GRAIN;
      if (nch > 4 * nt) nch = 4 * nt;
      if (nch > units) nch = units;
      p.nchunks = nch;
      p.partial = malloc((size_t)nch * acc_size);
      if (!p.partial) {
        if (!direct) free(acc);
        return mx_error(MX_ERR_MEMORY, "[Reduce] Out of memory.");
      }
      mx_parallel_for(nch, 1, row_chunks, &p);
      /* Fold the partials in order with the accumulator dtype's reducer. */
      red_table[prm->op][impl->acc].row(nch, p.partial, (int64_t)acc_size, acc);
      free(p.partial);
    } else {
      int64_t per_out = in_size / out->size;
      int64_t grain = per_out >= MX__GRAIN ? 1 : MX__GRAIN / (per_out > 0 ? per_out : 1);
      mx_parallel_for(out->size, grain, row_outputs, &p);
    }
  }

  if (!direct) {
    char* base[2] = {po, acc};
    int64_t bst[2] = {(int64_t)mx_dtype_size(out->dtype), (int64_t)acc_size};
    mx__cpu_apply_flat(out->size, 2, base, bst, mx__cpu_convert_fn(impl->acc, out->dtype), NULL);
    free(acc);
  }
  mx__cpu_written(out);
  return 0;
}
