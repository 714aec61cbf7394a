/* CPU kernels of the binary family: comparisons, logical and bitwise ops,
 * maximum/minimum, power, remainder, divmod, logaddexp, arctan2, select.
 *
 * BIN() generates, for one (op, dtype), vector-vector, scalar-vector and
 * vector-scalar contiguous loops (compiled per ISA and vectorized where the
 * operation allows) and a strided loop.  Inputs already share one dtype
 * (the op constructors convert them); the output is that dtype or bool.
 * float16/bfloat16 compute in float32.  Semantics, checked against MLX:
 *   - maximum/minimum propagate NaN; complex64 compares lexicographically
 *     (real part, then imaginary part), as do its <, <=, >, >=;
 *   - integer power: exponent < 0 gives 0, overflow wraps;
 *   - remainder has the divisor's sign; x % 0 is x for integers, NaN for
 *     floats; divmod's quotient is the floor of the quotient;
 *   - shifts take the count modulo the width the value is shifted in (32
 *     bits for types up to 32 bits, 64 for 64-bit types), as x86 does. */
#include <complex.h>
#include <float.h>
#include <math.h>

#include "ewise_driver.h"
#include "table_binary.h"
#include "vmath.h"
#include "../scalar_math.h"

#define BIN_LOOPS(NAME, IT, OT, ATTR)                                                       \
  static ATTR void NAME##_vv(int64_t n, const IT* restrict x, const IT* restrict y, OT* o) { \
    for (int64_t i = 0; i < n; i++) o[i] = NAME##_one(x[i], y[i]);                          \
  }                                                                                         \
  static ATTR void NAME##_sv(int64_t n, IT x, const IT* restrict y, OT* o) {                \
    for (int64_t i = 0; i < n; i++) o[i] = NAME##_one(x, y[i]);                             \
  }                                                                                         \
  static ATTR void NAME##_vs(int64_t n, const IT* restrict x, IT y, OT* o) {                \
    for (int64_t i = 0; i < n; i++) o[i] = NAME##_one(x[i], y);                             \
  }                                                                                         \
  static void NAME(int64_t n, char* const* p, const int64_t* bs, void* ctx) {               \
    (void)ctx;                                                                              \
    const int64_t zi = (int64_t)sizeof(IT), zo = (int64_t)sizeof(OT);                       \
    if (bs[0] == zo && bs[1] == zi && bs[2] == zi) {                                        \
      NAME##_vv(n, (const IT*)p[1], (const IT*)p[2], (OT*)p[0]);                            \
    } else if (bs[0] == zo && bs[1] == 0 && bs[2] == zi) {                                  \
      NAME##_sv(n, *(const IT*)p[1], (const IT*)p[2], (OT*)p[0]);                           \
    } else if (bs[0] == zo && bs[1] == zi && bs[2] == 0) {                                  \
      NAME##_vs(n, (const IT*)p[1], *(const IT*)p[2], (OT*)p[0]);                           \
    } else {                                                                                \
      char* o = p[0];                                                                       \
      const char* a = p[1];                                                                 \
      const char* b = p[2];                                                                 \
      for (int64_t i = 0; i < n; i++, o += bs[0], a += bs[1], b += bs[2])                   \
        *(OT*)o = NAME##_one(*(const IT*)a, *(const IT*)b);                                 \
    }                                                                                       \
  }

/* EXPR uses the operands a and b (type IT). */
#define BIN(NAME, IT, OT, EXPR)                                  \
  static inline OT NAME##_one(IT a, IT b) { return (OT)(EXPR); } \
  BIN_LOOPS(NAME, IT, OT, MX__SIMD)
/* For operations that never vectorize (complex math, fmod, integer pow):
 * one copy of the loops is enough. */
#define BINS(NAME, IT, OT, EXPR)                                 \
  static inline OT NAME##_one(IT a, IT b) { return (OT)(EXPR); } \
  BIN_LOOPS(NAME, IT, OT, )

/* The real float dtypes from F(a, b) (float) and D(a, b) (double); R is
 * the result kind: SAME (the input dtype) or BOOL. */
#define OT_SAME(T) T
#define OT_BOOL(T) bool
#define ST_SAME_f16(v) ((_Float16)(v))
#define ST_BOOL_f16(v) (v)
#define ST_SAME_bf16(v) (mx__bf16_store(v))
#define ST_BOOL_bf16(v) (v)
#define BFLOATS(OP, R, F, D, MODE)                                                     \
  MODE(OP##_f32, float, OT_##R(float), F(a, b))                                        \
  MODE(OP##_f64, double, OT_##R(double), D(a, b))                                      \
  MODE(OP##_f16, _Float16, OT_##R(_Float16), ST_##R##_f16(F((float)a, (float)b)))      \
  MODE(OP##_bf16, uint16_t, OT_##R(uint16_t),                                          \
       ST_##R##_bf16(F(mx__bf16_load(a), mx__bf16_load(b))))
#define FLOAT_CELLS(OP) \
  [MX_FLOAT32] = OP##_f32, [MX_FLOAT64] = OP##_f64, [MX_FLOAT16] = OP##_f16, [MX_BFLOAT16] = OP##_bf16

/* The integer dtypes.  EXPR_S / EXPR_U (signed / unsigned types) may use
 * UU, the unsigned twin, and WS / WU, the types shifts happen in. */
#define BINTS(OP, R, EXPR_S, EXPR_U, MODE)                          \
  BINT1(OP, int8, int8_t, uint8_t, int32_t, uint32_t, R, EXPR_S, MODE)     \
  BINT1(OP, int16, int16_t, uint16_t, int32_t, uint32_t, R, EXPR_S, MODE)  \
  BINT1(OP, int32, int32_t, uint32_t, int32_t, uint32_t, R, EXPR_S, MODE)  \
  BINT1(OP, int64, int64_t, uint64_t, int64_t, uint64_t, R, EXPR_S, MODE)  \
  BINT1(OP, uint8, uint8_t, uint8_t, int32_t, uint32_t, R, EXPR_U, MODE)   \
  BINT1(OP, uint16, uint16_t, uint16_t, int32_t, uint32_t, R, EXPR_U, MODE) \
  BINT1(OP, uint32, uint32_t, uint32_t, uint32_t, uint32_t, R, EXPR_U, MODE) \
  BINT1(OP, uint64, uint64_t, uint64_t, uint64_t, uint64_t, R, EXPR_U, MODE)
#define BINT1(OP, SUF, T, U, W, WU_, R, EXPR, MODE)                 \
  static inline OT_##R(T) OP##_##SUF##_e(T a, T b) {                \
    typedef U UU;                                                   \
    typedef W WS;                                                   \
    typedef WU_ WU;                                                 \
    (void)(UU)0, (void)(WS)0, (void)(WU)0;                          \
    return (OT_##R(T))(EXPR);                                       \
  }                                                                 \
  MODE(OP##_##SUF, T, OT_##R(T), OP##_##SUF##_e(a, b))
#define INT_CELLS(OP)                                                                   \
  [MX_INT8] = OP##_int8, [MX_INT16] = OP##_int16, [MX_INT32] = OP##_int32,              \
  [MX_INT64] = OP##_int64, [MX_UINT8] = OP##_uint8, [MX_UINT16] = OP##_uint16,          \
  [MX_UINT32] = OP##_uint32, [MX_UINT64] = OP##_uint64

/* --- comparisons ---------------------------------------------------------------- */

#define EQ(a, b) ((a) == (b))
#define NE(a, b) ((a) != (b))
#define LT(a, b) ((a) < (b))
#define LE(a, b) ((a) <= (b))
#define GT(a, b) ((a) > (b))
#define GE(a, b) ((a) >= (b))
#define EQN(a, b) ((a) == (b) || ((a) != (a) && (b) != (b)))

#define CMP_ALL(OP, E)                                             \
  BFLOATS(OP, BOOL, E, E, BIN)                                     \
  BINTS(OP, BOOL, E(a, b), E(a, b), BIN)                           \
  BIN(OP##_bool, bool, bool, E(a, b))
CMP_ALL(eq, EQ)
CMP_ALL(ne, NE)
CMP_ALL(lt, LT)
CMP_ALL(le, LE)
CMP_ALL(gt, GT)
CMP_ALL(ge, GE)
BFLOATS(eqn, BOOL, EQN, EQN, BIN)

/* complex64: == and != compare both parts; the orderings are
 * lexicographic. */
#define RE crealf
#define IM cimagf
BINS(eq_c64, mx__c64, bool, a == b)
BINS(ne_c64, mx__c64, bool, a != b)
BINS(lt_c64, mx__c64, bool, RE(a) < RE(b) || (RE(a) == RE(b) && IM(a) < IM(b)))
BINS(le_c64, mx__c64, bool, RE(a) < RE(b) || (RE(a) == RE(b) && IM(a) <= IM(b)))
BINS(gt_c64, mx__c64, bool, RE(a) > RE(b) || (RE(a) == RE(b) && IM(a) > IM(b)))
BINS(ge_c64, mx__c64, bool, RE(a) > RE(b) || (RE(a) == RE(b) && IM(a) >= IM(b)))
BINS(eqn_c64, mx__c64, bool,
     a == b || ((RE(a) != RE(a) || IM(a) != IM(a)) && (RE(b) != RE(b) || IM(b) != IM(b))))

/* --- logical, maximum, minimum -------------------------------------------------- */

BIN(land_bool, bool, bool, a && b)
BIN(lor_bool, bool, bool, a || b)

#define MAXF(a, b) ((a) != (a) ? (a) : ((a) > (b) ? (a) : (b)))
#define MINF(a, b) ((a) != (a) ? (a) : ((a) < (b) ? (a) : (b)))
BFLOATS(max, SAME, MAXF, MAXF, BIN)
BFLOATS(min, SAME, MINF, MINF, BIN)
BINTS(max, SAME, (a > b ? a : b), (a > b ? a : b), BIN)
BINTS(min, SAME, (a < b ? a : b), (a < b ? a : b), BIN)
BIN(max_bool, bool, bool, a || b)
BIN(min_bool, bool, bool, a && b)
static inline bool cnan(mx__c64 v) { return RE(v) != RE(v) || IM(v) != IM(v); }
BINS(max_c64, mx__c64, mx__c64, cnan(a) || gt_c64_one(a, b) ? a : b)
BINS(min_c64, mx__c64, mx__c64, cnan(a) || lt_c64_one(a, b) ? a : b)

/* --- bitwise and shifts ------------------------------------------------------------ */

BINTS(band, SAME, a & b, a & b, BIN)
BINTS(bor, SAME, a | b, a | b, BIN)
BINTS(bxor, SAME, a ^ b, a ^ b, BIN)
BIN(band_bool, bool, bool, a && b)
BIN(bor_bool, bool, bool, a || b)
BIN(bxor_bool, bool, bool, a != b)
/* Values are shifted in WS/WU (int promotion for narrow types); the count
 * is reduced modulo that width. */
#define SHIFT_MASK ((WU)(sizeof(WU) * 8 - 1))
BINTS(shl, SAME, (WU)((WU)(WS)a << ((WU)b & SHIFT_MASK)), (WU)((WU)a << ((WU)b & SHIFT_MASK)), BIN)
BINTS(shr, SAME, (WS)a >> ((WU)b & SHIFT_MASK), (WS)a >> ((WU)b & SHIFT_MASK), BIN)

/* --- power ------------------------------------------------------------------------------ */

BFLOATS(pow, SAME, mx__vpowf, mx__vpow, BIN)
BINTS(pow, SAME, (b < 0 ? 0 : mx_ipow_u64((uint64_t)(UU)a, (uint64_t)b)), mx_ipow_u64(a, b), BINS)
BIN(pow_bool, bool, bool, a || !b)
BINS(pow_c64, mx__c64, mx__c64, cpowf(a, b))

/* --- remainder, divmod ------------------------------------------------------------ */

static inline float rem_f(float a, float b) {
  float r = fmodf(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
static inline double rem_d(double a, double b) {
  double r = fmod(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
/* Signed: b == -1 is special-cased so INT_MIN % -1 cannot trap. */
#define REM_S(a, b) \
  ((b) == 0 ? (a) : (b) == -1 ? 0 : ((a) % (b) != 0 && (((a) % (b) < 0) != ((b) < 0))) ? (a) % (b) + (b) : (a) % (b))
#define REM_U(a, b) ((b) == 0 ? (a) : (a) % (b))
BFLOATS(remx, SAME, rem_f, rem_d, BINS)

/* float32 remainder without a libm call per element.  When |a| < 2^28 |b|,
 * the quotient rounded in double truncates to the exact integer quotient
 * q (a float quotient that is not an integer stays at least 2^-24 away
 * from the next one, more than double's rounding can cover below 2^28),
 * q * b has at most 28 + 24 bits and is exact, and a - q * b is fmod's
 * exact result.  Its zero takes a's sign, as fmod's does.  A block with an
 * element outside that range (huge quotient, b == 0, inf or NaN a, NaN b)
 * runs element by element with fmodf for those; other blocks run the
 * branch-free loop, which vectorizes. */
#define REM_BLOCK 256
/* GCC vectorizes trunc() and the selects below only when it may assume
 * that floating-point exceptions do not trap (they never do here: nothing
 * enables them), so these few functions are compiled that way.  Results are
 * unchanged. */
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")
static inline float rem_fast(float a, float b) {
  double q = trunc((double)a / (double)b);
  float r = copysignf((float)((double)a - q * (double)b), a);
  bool adj = (r != 0) & ((r < 0) != (b < 0));
  return r + (adj ? b : -0.0f); /* + -0.0 keeps a zero's sign */
}
/* 2^28 |b| is exact in float (or inf, when the bound holds anyway);
 * infinite b goes the slow way too (q * b would be 0 * inf). */
static inline bool rem_fast_ok(float a, float b) {
  return (fabsf(a) < 0x1p28f * fabsf(b)) & (fabsf(b) <= FLT_MAX);
}
#define REM_F32_LOOP(NAME, XI, YI)                                                          \
  static MX__SIMD void NAME(int64_t n, const float* restrict x, const float* restrict y,    \
                            float* restrict o) {                                            \
    for (int64_t s = 0; s < n; s += REM_BLOCK) {                                            \
      int64_t e = n - s < REM_BLOCK ? n : s + REM_BLOCK;                                    \
      /* Checked before anything is written: o may be x or y (donated). */                 \
      int bad = 0;                                                                          \
      for (int64_t i = s; i < e; i++) bad |= !rem_fast_ok(x[XI], y[YI]);                    \
      if (!bad)                                                                             \
        for (int64_t i = s; i < e; i++) o[i] = rem_fast(x[XI], y[YI]);                      \
      else                                                                                  \
        for (int64_t i = s; i < e; i++)                                                     \
          o[i] = rem_fast_ok(x[XI], y[YI]) ? rem_fast(x[XI], y[YI]) : rem_f(x[XI], y[YI]);  \
    }                                                                                       \
  }
REM_F32_LOOP(rem_f32_vv, i, i)
REM_F32_LOOP(rem_f32_sv, 0, i)
REM_F32_LOOP(rem_f32_vs, i, 0)
#pragma GCC pop_options
static void rem_f32(int64_t n, char* const* p, const int64_t* bs, void* ctx) {
  const int64_t z = (int64_t)sizeof(float);
  if (bs[0] == z && bs[1] == z && bs[2] == z)
    rem_f32_vv(n, (const float*)p[1], (const float*)p[2], (float*)p[0]);
  else if (bs[0] == z && bs[1] == 0 && bs[2] == z)
    rem_f32_sv(n, (const float*)p[1], (const float*)p[2], (float*)p[0]);
  else if (bs[0] == z && bs[1] == z && bs[2] == 0)
    rem_f32_vs(n, (const float*)p[1], (const float*)p[2], (float*)p[0]);
  else
    remx_f32(n, p, bs, ctx);
}
BINTS(rem, SAME, REM_S(a, b), REM_U(a, b), BINS)
BIN(rem_bool, bool, bool, b ? false : a)

static inline int64_t floordiv_s(int64_t a, int64_t b) {
  if (b == 0) return 0;
  if (b == -1) return (int64_t)(0u - (uint64_t)a);
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Two outputs: p[0] quotient, p[1] remainder, p[2] a, p[3] b. */
#define DIVMOD(NAME, T, QEXPR, REXPR)                                                \
  static void NAME(int64_t n, char* const* p, const int64_t* bs, void* ctx) {       \
    (void)ctx;                                                                       \
    char *q = p[0], *r = p[1];                                                       \
    const char *x = p[2], *y = p[3];                                                 \
    for (int64_t i = 0; i < n; i++, q += bs[0], r += bs[1], x += bs[2], y += bs[3]) { \
      T a = *(const T*)x, b = *(const T*)y;                                          \
      *(T*)q = (T)(QEXPR);                                                           \
      *(T*)r = (T)(REXPR);                                                           \
    }                                                                                \
  }
DIVMOD(dm_f32, float, floorf(a / b), rem_f(a, b))
DIVMOD(dm_f64, double, floor(a / b), rem_d(a, b))
DIVMOD(dm_f16, _Float16, floorf((float)a / (float)b), rem_f(a, b))
DIVMOD(dm_bf16, uint16_t, mx__bf16_store(floorf(mx__bf16_load(a) / mx__bf16_load(b))),
       mx__bf16_store(rem_f(mx__bf16_load(a), mx__bf16_load(b))))
DIVMOD(dm_int8, int8_t, floordiv_s(a, b), REM_S(a, b))
DIVMOD(dm_int16, int16_t, floordiv_s(a, b), REM_S(a, b))
DIVMOD(dm_int32, int32_t, floordiv_s(a, b), REM_S(a, b))
DIVMOD(dm_int64, int64_t, floordiv_s(a, b), REM_S(a, b))
DIVMOD(dm_uint8, uint8_t, b ? a / b : 0, REM_U(a, b))
DIVMOD(dm_uint16, uint16_t, b ? a / b : 0, REM_U(a, b))
DIVMOD(dm_uint32, uint32_t, b ? a / b : 0, REM_U(a, b))
DIVMOD(dm_uint64, uint64_t, b ? a / b : 0, REM_U(a, b))
DIVMOD(dm_bool, bool, a, ((void)b, false))

/* --- logaddexp, arctan2 ---------------------------------------------------------- */

/* max + log1p(exp(-|a - b|)), with the infinities handled so that
 * (-inf, -inf) -> -inf and (inf, inf) -> inf; NaN propagates. */
static inline float lae_f(float a, float b) {
  float m = a > b ? a : b;
  float v = m + mx__vlog1pf(mx__vexpf(-fabsf(a - b)));
  v = (m == INFINITY || m == -INFINITY) ? m : v;
  return (a != a || b != b) ? a + b : v;
}
static inline double lae_d(double a, double b) {
  double m = a > b ? a : b;
  double v = m + mx__vlog1p(mx__vexp(-fabs(a - b)));
  v = (m == INFINITY || m == -INFINITY) ? m : v;
  return (a != a || b != b) ? a + b : v;
}
static inline bool cnan(mx__c64 v);
static inline mx__c64 lae_c(mx__c64 a, mx__c64 b) {
  if (cnan(a) || cnan(b)) return CMPLXF(NAN, NAN);
  if (RE(a) < RE(b)) {
    mx__c64 t = a;
    a = b;
    b = t;
  }
  if (RE(a) == -INFINITY || RE(a) == INFINITY) return a;
  return a + clogf(1.0f + cexpf(b - a));
}
BFLOATS(lae, SAME, lae_f, lae_d, BIN)
BINS(lae_c64, mx__c64, mx__c64, lae_c(a, b))
BFLOATS(atan2, SAME, mx__vatan2f, mx__vatan2, BIN)

/* --- select ---------------------------------------------------------------------- */

/* where(c, x, y) depends only on the element size.  The contiguous loops
 * blend with a mask made from the condition byte (all ones or all zeros)
 * so that both operands are read unconditionally and the loop vectorizes. */
#define BLEND(T, c, x, y) ((T)(((x) & (T)(0 - (T)(c))) | ((y) & (T)((T)(c) - 1))))
#define SELECT(NAME, T)                                                                \
  static MX__SIMD void NAME##_vvv(int64_t n, const uint8_t* restrict c, const T* restrict x, \
                                  const T* restrict y, T* o) {                         \
    for (int64_t i = 0; i < n; i++) o[i] = BLEND(T, c[i], x[i], y[i]);                    \
  }                                                                                    \
  static MX__SIMD void NAME##_vsv(int64_t n, const uint8_t* restrict c, T x,              \
                                  const T* restrict y, T* o) {                         \
    for (int64_t i = 0; i < n; i++) o[i] = BLEND(T, c[i], x, y[i]);                       \
  }                                                                                    \
  static MX__SIMD void NAME##_vvs(int64_t n, const uint8_t* restrict c, const T* restrict x, \
                                  T y, T* o) {                                         \
    for (int64_t i = 0; i < n; i++) o[i] = BLEND(T, c[i], x[i], y);                       \
  }                                                                                    \
  static void NAME(int64_t n, char* const* p, const int64_t* bs, void* ctx) {          \
    (void)ctx;                                                                         \
    const int64_t z = (int64_t)sizeof(T);                                              \
    if (bs[0] == z && bs[1] == 1 && bs[2] == z && bs[3] == z)                          \
      NAME##_vvv(n, (const uint8_t*)p[1], (const T*)p[2], (const T*)p[3], (T*)p[0]);      \
    else if (bs[0] == z && bs[1] == 1 && bs[2] == 0 && bs[3] == z)                     \
      NAME##_vsv(n, (const uint8_t*)p[1], *(const T*)p[2], (const T*)p[3], (T*)p[0]);     \
    else if (bs[0] == z && bs[1] == 1 && bs[2] == z && bs[3] == 0)                     \
      NAME##_vvs(n, (const uint8_t*)p[1], (const T*)p[2], *(const T*)p[3], (T*)p[0]);     \
    else {                                                                             \
      char* o = p[0];                                                                  \
      const char *c = p[1], *x = p[2], *y = p[3];                                      \
      for (int64_t i = 0; i < n; i++, o += bs[0], c += bs[1], x += bs[2], y += bs[3])  \
        *(T*)o = *(const bool*)c ? *(const T*)x : *(const T*)y;                        \
    }                                                                                  \
  }
SELECT(sel1, uint8_t)
SELECT(sel2, uint16_t)
SELECT(sel4, uint32_t)
SELECT(sel8, uint64_t)

/* --- tables and entry points ------------------------------------------------------- */

#define ROW(P) [MX_PRIM_##P - MX_PRIM_EQUAL]
#define CMP_ROW(P, OP) \
  ROW(P) = {FLOAT_CELLS(OP), INT_CELLS(OP), [MX_BOOL] = OP##_bool, [MX_COMPLEX64] = OP##_c64}

static const mx__cpu_inner table[MX_PRIM_SELECT - MX_PRIM_EQUAL][MX_DTYPE_COUNT] = {
    CMP_ROW(EQUAL, eq),
    CMP_ROW(NOT_EQUAL, ne),
    CMP_ROW(LESS, lt),
    CMP_ROW(LESS_EQUAL, le),
    CMP_ROW(GREATER, gt),
    CMP_ROW(GREATER_EQUAL, ge),
    ROW(LOGICAL_AND) = {[MX_BOOL] = land_bool},
    ROW(LOGICAL_OR) = {[MX_BOOL] = lor_bool},
    CMP_ROW(MAXIMUM, max),
    CMP_ROW(MINIMUM, min),
    CMP_ROW(POWER, pow),
    ROW(REMAINDER) = {[MX_FLOAT32] = rem_f32, [MX_FLOAT64] = remx_f64, [MX_FLOAT16] = remx_f16,
                      [MX_BFLOAT16] = remx_bf16, INT_CELLS(rem), [MX_BOOL] = rem_bool},
    ROW(DIVMOD) = {FLOAT_CELLS(dm), INT_CELLS(dm), [MX_BOOL] = dm_bool},
    ROW(LOG_ADD_EXP) = {FLOAT_CELLS(lae), [MX_COMPLEX64] = lae_c64},
    ROW(ARCTAN2) = {FLOAT_CELLS(atan2)},
    ROW(BITWISE_AND) = {INT_CELLS(band), [MX_BOOL] = band_bool},
    ROW(BITWISE_OR) = {INT_CELLS(bor), [MX_BOOL] = bor_bool},
    ROW(BITWISE_XOR) = {INT_CELLS(bxor), [MX_BOOL] = bxor_bool},
    ROW(LEFT_SHIFT) = {INT_CELLS(shl)},
    ROW(RIGHT_SHIFT) = {INT_CELLS(shr)},
};
static const mx__cpu_inner eq_nan_table[MX_DTYPE_COUNT] = {
    FLOAT_CELLS(eqn), INT_CELLS(eq), [MX_BOOL] = eq_bool, [MX_COMPLEX64] = eqn_c64};

mx__cpu_inner mx__cpu_binary_inner(mx_prim p, mx_dtype t, const void* params, size_t params_size) {
  if (p == MX_PRIM_SELECT) {
    switch (mx_dtype_size(t)) {
      case 1: return sel1;
      case 2: return sel2;
      case 4: return sel4;
      case 8: return sel8;
      default: return NULL;
    }
  }
  if (p < MX_PRIM_EQUAL || p >= MX_PRIM_SELECT || p == MX_PRIM_DIVMOD || t < 0 || t >= MX_DTYPE_COUNT)
    return NULL;
  if (p == MX_PRIM_EQUAL && params_size == sizeof(mx_equal_params) &&
      ((const mx_equal_params*)params)->equal_nan)
    return eq_nan_table[t];
  return table[p - MX_PRIM_EQUAL][t];
}

int mx__cpu_binary_ew(mx_node* node, mx_array* const* in, mx_array* const* out) {
  mx_prim p = node->prim;
  if (p < MX_PRIM_EQUAL || p > MX_PRIM_SELECT)
    return mx_error(MX_ERR_RUNTIME, "[cpu] Not a binary primitive: %s.", mx_prim_name(p));
  if (p == MX_PRIM_SELECT) {
    if (in[0]->dtype != MX_BOOL || in[1]->dtype != out[0]->dtype || in[2]->dtype != out[0]->dtype)
      return mx_error(MX_ERR_RUNTIME, "[Select] Unexpected input dtypes.");
    mx__cpu_inner fn;
    switch (mx_array_itemsize(out[0])) {
      case 1: fn = sel1; break;
      case 2: fn = sel2; break;
      case 4: fn = sel4; break;
      default: fn = sel8; break;
    }
    return mx__cpu_ewise_run(out, 1, in, 3, fn, NULL);
  }
  mx_dtype t = in[0]->dtype;
  if (in[1]->dtype != t)
    return mx_error(MX_ERR_RUNTIME, "[%s] Inputs must share one dtype (%s, %s).", mx_prim_name(p),
                    mx_dtype_name(t), mx_dtype_name(in[1]->dtype));
  mx__cpu_inner fn = table[p - MX_PRIM_EQUAL][t];
  if (p == MX_PRIM_EQUAL && node->params_size == sizeof(mx_equal_params) &&
      ((const mx_equal_params*)node->params)->equal_nan)
    fn = eq_nan_table[t];
  if (!fn)
    return mx_error(MX_ERR_VALUE, "[%s] Not supported for %s.", mx_prim_name(p), mx_dtype_name(t));
  return mx__cpu_ewise_run(out, p == MX_PRIM_DIVMOD ? 2 : 1, in, 2, fn, NULL);
}
