/* Scan: cumulative sum, product, max, min and logaddexp along one axis.
 *
 * Accumulation happens in the output dtype, step by step, as MLX does:
 * integers wrap, and float16/bfloat16 round after every step (they are
 * carried as float between steps but never hold more precision than the
 * stored type).  max/min propagate NaN; complex max/min order
 * lexicographically.  Exclusive scans start from the op's identity
 * (0, 1, the lowest/highest value, -inf).
 *
 * The packed (outer, n, inner) view is processed as blocks of up to
 * COL_STRIP columns: for each step k along the axis a whole contiguous row
 * strip is combined into the running accumulators, so scans over a leading
 * axis stream through memory; an innermost axis is the inner == 1 case. */
#include <math.h>

#include "rs_common.h"

#define COL_STRIP 512

/* Rounding a carried value to the stored precision, and storing it. */
#define RND_BOOL(x) (x)
#define RND_UINT8(x) (x)
#define RND_UINT16(x) (x)
#define RND_UINT32(x) (x)
#define RND_UINT64(x) (x)
#define RND_INT8(x) (x)
#define RND_INT16(x) (x)
#define RND_INT32(x) (x)
#define RND_INT64(x) (x)
#define RND_FLOAT16(x) ((float)(_Float16)(x))
#define RND_FLOAT32(x) (x)
#define RND_FLOAT64(x) (x)
#define RND_BFLOAT16(x) (mx__bf16_load(mx__bf16_store(x)))
#define RND_COMPLEX64(x) (x)
#define STO_BFLOAT16(x) (mx__bf16_store(x))
#define STO_DEFAULT(x) (x)
#define STO_BOOL STO_DEFAULT
#define STO_UINT8 STO_DEFAULT
#define STO_UINT16 STO_DEFAULT
#define STO_UINT32 STO_DEFAULT
#define STO_UINT64 STO_DEFAULT
#define STO_INT8 STO_DEFAULT
#define STO_INT16 STO_DEFAULT
#define STO_INT32 STO_DEFAULT
#define STO_INT64 STO_DEFAULT
#define STO_FLOAT16(x) ((_Float16)(x))
#define STO_FLOAT32 STO_DEFAULT
#define STO_FLOAT64 STO_DEFAULT
#define STO_COMPLEX64 STO_DEFAULT

/* Identities of max (lowest) and min (highest). */
#define LO_BOOL false
#define LO_UINT8 0
#define LO_UINT16 0
#define LO_UINT32 0
#define LO_UINT64 0
#define LO_INT8 INT8_MIN
#define LO_INT16 INT16_MIN
#define LO_INT32 INT32_MIN
#define LO_INT64 INT64_MIN
#define LO_FLOAT16 (-INFINITY)
#define LO_FLOAT32 (-INFINITY)
#define LO_FLOAT64 (-INFINITY)
#define LO_BFLOAT16 (-INFINITY)
#define LO_COMPLEX64 CMPLXF(-INFINITY, -INFINITY)
#define HI_BOOL true
#define HI_UINT8 UINT8_MAX
#define HI_UINT16 UINT16_MAX
#define HI_UINT32 UINT32_MAX
#define HI_UINT64 UINT64_MAX
#define HI_INT8 INT8_MAX
#define HI_INT16 INT16_MAX
#define HI_INT32 INT32_MAX
#define HI_INT64 INT64_MAX
#define HI_FLOAT16 INFINITY
#define HI_FLOAT32 INFINITY
#define HI_FLOAT64 INFINITY
#define HI_BFLOAT16 INFINITY
#define HI_COMPLEX64 CMPLXF(INFINITY, INFINITY)

/* Combiners by kind. */
#define ADD_INT(a, b) ((__typeof__(a))((uint64_t)(a) + (uint64_t)(b)))
#define MUL_INT(a, b) ((__typeof__(a))((uint64_t)(a) * (uint64_t)(b)))
#define ADD_FLT(a, b) ((a) + (b))
#define MUL_FLT(a, b) ((a) * (b))
#define ADD_BOOL(a, b) ((a) || (b))
#define MUL_BOOL(a, b) ((a) && (b))
#define MAX_RE(a, b) (((b) > (a) || (b) != (b)) ? (b) : (a))
#define MIN_RE(a, b) (((b) < (a) || (b) != (b)) ? (b) : (a))
#define CGT(v, a) (crealf(v) > crealf(a) || (crealf(v) == crealf(a) && cimagf(v) > cimagf(a)))
#define CLT(v, a) (crealf(v) < crealf(a) || (crealf(v) == crealf(a) && cimagf(v) < cimagf(a)))
/* Complex extremes compare lexicographically and propagate a NaN part (as
 * NumPy's maximum/minimum do; MLX 0.32.4's complex cummax/cummin skip NaNs
 * depending on where they are). */
#define CNAN(v) (isnan(crealf(v)) || isnan(cimagf(v)))
#define MAX_CPX(a, b) (CNAN(a) ? (a) : (CNAN(b) || CGT(b, a)) ? (b) : (a))
#define MIN_CPX(a, b) (CNAN(a) ? (a) : (CNAN(b) || CLT(b, a)) ? (b) : (a))
static inline double lae(double a, double b) {
  double m = a > b ? a : b;
  if (a != a || b != b) return a + b;
  if (m == -INFINITY) return -INFINITY;
  if (m == INFINITY) return INFINITY;
  return m + log1p(exp(-fabs(a - b)));
}
#define LAE(a, b) ((__typeof__(a))lae((double)(a), (double)(b)))
/* complex64: a NaN part anywhere gives NaN+NaNj; otherwise the operand with
 * the larger real part is factored out (an infinite one is the result). */
static inline mx__c64 lae_cx(mx__c64 a, mx__c64 b) {
  if (isnan(crealf(a)) || isnan(cimagf(a)) || isnan(crealf(b)) || isnan(cimagf(b)))
    return CMPLXF(NAN, NAN);
  if (crealf(a) < crealf(b)) {
    mx__c64 t = a;
    a = b;
    b = t;
  }
  if (isinf(crealf(a))) return a;
  return a + clogf(1.0f + cexpf(b - a));
}

#define SUM_KB ADD_BOOL
#define SUM_KI ADD_INT
#define SUM_KU ADD_INT
#define SUM_KF ADD_FLT
#define SUM_KH ADD_FLT
#define SUM_KD ADD_FLT
#define SUM_KC ADD_FLT
#define PROD_KB MUL_BOOL
#define PROD_KI MUL_INT
#define PROD_KU MUL_INT
#define PROD_KF MUL_FLT
#define PROD_KH MUL_FLT
#define PROD_KD MUL_FLT
#define PROD_KC MUL_FLT
#define MAX_KB MAX_RE
#define MAX_KI MAX_RE
#define MAX_KU MAX_RE
#define MAX_KF MAX_RE
#define MAX_KH MAX_RE
#define MAX_KD MAX_RE
#define MAX_KC MAX_CPX
#define MIN_KB MIN_RE
#define MIN_KI MIN_RE
#define MIN_KU MIN_RE
#define MIN_KF MIN_RE
#define MIN_KH MIN_RE
#define MIN_KD MIN_RE
#define MIN_KC MIN_CPX
/* logaddexp exists for the float and complex kinds only; the others get ADD
 * (never called: the constructor converts to a float dtype). */
#define LAE_KB ADD_BOOL
#define LAE_KI ADD_INT
#define LAE_KU ADD_INT
#define LAE_KF LAE
#define LAE_KH LAE
#define LAE_KD LAE
#define LAE_KC lae_cx
#define LAEID_KB 0
#define LAEID_KI 0
#define LAEID_KU 0
#define LAEID_KF (-INFINITY)
#define LAEID_KH (-INFINITY)
#define LAEID_KD (-INFINITY)
#define LAEID_KC CMPLXF(-INFINITY, 0.0f)

typedef void (*scan_fn)(int64_t n, int64_t inner, int64_t m, const char* in, char* out,
                        bool reverse, bool inclusive);

/* m columns of an (n, inner) block, element k of column j at [k*inner + j]. */
#define DEF_SCAN(OPN, E, ST, CT, LOAD, COMB, IDENT)                                          \
  static MX__SIMD void OPN##_##E(int64_t n, int64_t inner, int64_t m, const char* pin,       \
                                 char* pout, bool reverse, bool inclusive) {                 \
    const ST* xs = (const ST*)pin;                                                           \
    ST* ys = (ST*)pout;                                                                      \
    CT acc[COL_STRIP];                                                                       \
    for (int64_t j = 0; j < m; j++) acc[j] = (CT)(IDENT);                                    \
    for (int64_t s = 0; s < n; s++) {                                                        \
      int64_t k = reverse ? n - 1 - s : s;                                                   \
      const ST* row = xs + k * inner;                                                        \
      ST* orow = ys + k * inner;                                                             \
      if (inclusive) {                                                                       \
        for (int64_t j = 0; j < m; j++) {                                                    \
          ST x = row[j];                                                                     \
          acc[j] = RND_##E(COMB(acc[j], (CT)(LOAD)));                                        \
          orow[j] = STO_##E(acc[j]);                                                         \
        }                                                                                    \
      } else {                                                                               \
        for (int64_t j = 0; j < m; j++) {                                                    \
          ST x = row[j];                                                                     \
          orow[j] = STO_##E(acc[j]);                                                         \
          acc[j] = RND_##E(COMB(acc[j], (CT)(LOAD)));                                        \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  }

#define DEF_ALL(E, ST, CT, LOAD, K)                     \
  DEF_SCAN(sum, E, ST, CT, LOAD, SUM_##K, 0)            \
  DEF_SCAN(prod, E, ST, CT, LOAD, PROD_##K, 1)          \
  DEF_SCAN(max, E, ST, CT, LOAD, MAX_##K, LO_##E)       \
  DEF_SCAN(min, E, ST, CT, LOAD, MIN_##K, HI_##E)       \
  DEF_SCAN(lae, E, ST, CT, LOAD, LAE_##K, LAEID_##K)
MX__CPU_TYPES(DEF_ALL)

#define ROW(E, ST, CT, LOAD, K) \
  [MX_##E] = {sum_##E, prod_##E, max_##E, min_##E, lae_##E},
static const scan_fn scan_table[MX_DTYPE_COUNT][5] = {MX__CPU_TYPES(ROW)};

typedef struct scan_ctx {
  scan_fn fn;
  const mx__rs_view* v;
  size_t isz;
  char* out;
  bool reverse, inclusive;
} scan_ctx;

static void scan_task(int64_t b, int64_t e, void* p) {
  const scan_ctx* c = p;
  const mx__rs_view* v = c->v;
  int64_t strips = (v->inner + COL_STRIP - 1) / COL_STRIP;
  for (int64_t t = b; t < e; t++) {
    int64_t o = t / strips, j0 = (t % strips) * COL_STRIP;
    int64_t m = v->inner - j0 < COL_STRIP ? v->inner - j0 : COL_STRIP;
    int64_t off = (o * v->n * v->inner + j0) * (int64_t)c->isz;
    c->fn(v->n, v->inner, m, v->data + off, c->out + off, c->reverse, c->inclusive);
  }
}

int mx__cpu_scan(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_scan_params* prm = node->params;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (!prm || prm->op < MX_SCAN_SUM || prm->op > MX_SCAN_LOGADDEXP || prm->axis < 0 ||
      prm->axis >= in->ndim || in->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[Scan] Invalid parameters.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  mx__rs_view v;
  if (mx__rs_view_of(in, prm->axis, &v) != 0) return -1;
  scan_ctx c = {.fn = scan_table[in->dtype][prm->op], .v = &v, .isz = mx_array_itemsize(in),
                .out = po, .reverse = prm->reverse, .inclusive = prm->inclusive};
  int64_t strips = (v.inner + COL_STRIP - 1) / COL_STRIP;
  int64_t per = v.n * (v.inner < COL_STRIP ? v.inner : COL_STRIP);
  int64_t grain = per >= MX__GRAIN ? 1 : MX__GRAIN / (per > 0 ? per : 1);
  mx_parallel_for(v.outer * strips, grain, scan_task, &c);
  mx__rs_view_free(&v);
  mx__cpu_written(out);
  return 0;
}
