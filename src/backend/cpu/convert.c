/* Element conversions between all 14 dtypes (ASTYPE, COPY, FULL, and the
 * staging copies of other kernels).
 *
 * Semantics follow NumPy and MLX: any nonzero value (NaN included) becomes
 * true; integers narrow by wrapping; floats truncate towards zero; complex
 * numbers keep their real part.  C leaves out-of-range float-to-integer
 * conversions undefined, so we pin them to what x86 produces and MLX shows:
 * NaN and out-of-range values go through a 32-bit truncation (giving
 * INT32_MIN) for signed targets of 32 bits or fewer and uint8/uint16, and
 * through a 64-bit one (INT64_MIN) for int64; uint32 and uint64 have their
 * own rules below.  Results then wrap to the target width. */
#include <math.h>

#include "cpu_internal.h"

static inline int32_t f2i32_f(float x) {
  return (x >= -2147483648.0f && x < 2147483648.0f) ? (int32_t)x : INT32_MIN;
}
static inline int32_t f2i32_d(double x) {
  return (x >= -2147483648.0 && x < 2147483648.0) ? (int32_t)x : INT32_MIN;
}
static inline int64_t f2i64_f(float x) {
  return (x >= -9223372036854775808.0f && x < 9223372036854775808.0f) ? (int64_t)x : INT64_MIN;
}
static inline int64_t f2i64_d(double x) {
  return (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? (int64_t)x : INT64_MIN;
}
/* float -> uint64 the way compilers emit it (and MLX shows): values from
 * 2^63 up are shifted down by 2^63, converted, and the top bit flipped back,
 * so +inf and values beyond 2^64 give 0, NaN and -inf give 2^63. */
static inline uint64_t f2u64_f(float x) {
  return x >= 9223372036854775808.0f
             ? (uint64_t)f2i64_f(x - 9223372036854775808.0f) ^ 0x8000000000000000ull
             : (uint64_t)f2i64_f(x);
}
static inline uint64_t f2u64_d(double x) {
  return x >= 9223372036854775808.0
             ? (uint64_t)f2i64_d(x - 9223372036854775808.0) ^ 0x8000000000000000ull
             : (uint64_t)f2i64_d(x);
}
/* float -> uint32: 64-bit truncation then wrap, except that NaN and -inf
 * give 2^31 as in MLX for float32/float64/complex sources (its half-type
 * paths give 0, which the plain 64-bit route does). */
static inline uint32_t f2u32_f(float x) {
  return (x != x || x < -9223372036854775808.0f) ? 0x80000000u : (uint32_t)f2i64_f(x);
}
static inline uint32_t f2u32_d(double x) {
  return (x != x || x < -9223372036854775808.0) ? 0x80000000u : (uint32_t)f2i64_d(x);
}

/* CVT_<source kind>_<target class>(T, x): x is a carrier value, T the
 * target storage type.  Target classes: BOOLC; SMALLC (integers of 32 bits
 * or fewer except uint32); U32C; MIDC (int64); U64C; FLTC (float32,
 * float64); F16C; BF16C; CPXC. */
#define CVT_KB_BOOLC(T, x) ((bool)(x))
#define CVT_KI_BOOLC(T, x) ((x) != 0)
#define CVT_KU_BOOLC(T, x) ((x) != 0)
#define CVT_KF_BOOLC(T, x) ((x) != 0)
#define CVT_KH_BOOLC(T, x) ((x) != 0)
#define CVT_KD_BOOLC(T, x) ((x) != 0)
#define CVT_KC_BOOLC(T, x) (crealf(x) != 0 || cimagf(x) != 0)

#define CVT_KB_SMALLC(T, x) ((T)(x))
#define CVT_KI_SMALLC(T, x) ((T)(x))
#define CVT_KU_SMALLC(T, x) ((T)(x))
#define CVT_KF_SMALLC(T, x) ((T)f2i32_f(x))
#define CVT_KH_SMALLC(T, x) ((T)f2i32_f(x))
#define CVT_KD_SMALLC(T, x) ((T)f2i32_d(x))
#define CVT_KC_SMALLC(T, x) ((T)f2i32_f(crealf(x)))

#define CVT_KB_MIDC(T, x) ((T)(x))
#define CVT_KI_MIDC(T, x) ((T)(x))
#define CVT_KU_MIDC(T, x) ((T)(x))
#define CVT_KF_MIDC(T, x) ((T)f2i64_f(x))
#define CVT_KH_MIDC(T, x) ((T)f2i64_f(x))
#define CVT_KD_MIDC(T, x) ((T)f2i64_d(x))
#define CVT_KC_MIDC(T, x) ((T)f2i64_f(crealf(x)))

#define CVT_KB_U32C(T, x) ((T)(x))
#define CVT_KI_U32C(T, x) ((T)(x))
#define CVT_KU_U32C(T, x) ((T)(x))
#define CVT_KF_U32C(T, x) (f2u32_f(x))
#define CVT_KH_U32C(T, x) ((uint32_t)f2i64_f(x))
#define CVT_KD_U32C(T, x) (f2u32_d(x))
#define CVT_KC_U32C(T, x) (f2u32_f(crealf(x)))

#define CVT_KB_U64C(T, x) ((T)(x))
#define CVT_KI_U64C(T, x) ((T)(x))
#define CVT_KU_U64C(T, x) ((T)(x))
#define CVT_KF_U64C(T, x) (f2u64_f(x))
#define CVT_KH_U64C(T, x) (f2u64_f(x))
#define CVT_KD_U64C(T, x) (f2u64_d(x))
#define CVT_KC_U64C(T, x) (f2u64_f(crealf(x)))

#define CVT_KB_FLTC(T, x) ((T)(x))
#define CVT_KI_FLTC(T, x) ((T)(x))
#define CVT_KU_FLTC(T, x) ((T)(x))
#define CVT_KF_FLTC(T, x) ((T)(x))
#define CVT_KH_FLTC(T, x) ((T)(x))
#define CVT_KD_FLTC(T, x) ((T)(x))
#define CVT_KC_FLTC(T, x) ((T)crealf(x))

#define CVT_KB_F16C(T, x) ((_Float16)(float)(x))
#define CVT_KI_F16C(T, x) ((_Float16)(x))
#define CVT_KU_F16C(T, x) ((_Float16)(x))
#define CVT_KF_F16C(T, x) ((_Float16)(x))
#define CVT_KH_F16C(T, x) ((_Float16)(x))
#define CVT_KD_F16C(T, x) ((_Float16)(x))
#define CVT_KC_F16C(T, x) ((_Float16)crealf(x))

#define CVT_KB_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KI_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KU_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KF_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KH_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KD_BF16C(T, x) (mx__bf16_store((float)(x)))
#define CVT_KC_BF16C(T, x) (mx__bf16_store(crealf(x)))

#define CVT_KB_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KI_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KU_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KF_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KH_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KD_CPXC(T, x) (CMPLXF((float)(x), 0.0f))
#define CVT_KC_CPXC(T, x) (x)

/* Targets: X(args..., ENUM, storage type, class). */
#define DST_LIST(X, ...)                        \
  X(__VA_ARGS__, BOOL, bool, BOOLC)             \
  X(__VA_ARGS__, UINT8, uint8_t, SMALLC)        \
  X(__VA_ARGS__, UINT16, uint16_t, SMALLC)      \
  X(__VA_ARGS__, UINT32, uint32_t, U32C)        \
  X(__VA_ARGS__, UINT64, uint64_t, U64C)        \
  X(__VA_ARGS__, INT8, int8_t, SMALLC)          \
  X(__VA_ARGS__, INT16, int16_t, SMALLC)        \
  X(__VA_ARGS__, INT32, int32_t, SMALLC)        \
  X(__VA_ARGS__, INT64, int64_t, MIDC)          \
  X(__VA_ARGS__, FLOAT16, _Float16, F16C)       \
  X(__VA_ARGS__, FLOAT32, float, FLTC)          \
  X(__VA_ARGS__, FLOAT64, double, FLTC)         \
  X(__VA_ARGS__, BFLOAT16, uint16_t, BF16C)     \
  X(__VA_ARGS__, COMPLEX64, mx__c64, CPXC)


/* For each pair: a contiguous loop (vectorized, cloned per ISA) and the
 * inner function the N-d driver calls, which picks the contiguous loop, a
 * fill for a broadcast scalar source, or a plain strided loop. */
#define DEF_CONV(SE, ST, SC, LOAD, SK, DE, DT, DC)                                            \
  static MX__SIMD void conv_##SE##_##DE##_contig(int64_t n, const ST* restrict src,           \
                                                 DT* restrict dst) {                          \
    for (int64_t i = 0; i < n; i++) {                                                         \
      ST x = src[i];                                                                          \
      dst[i] = CVT_##SK##_##DC(DT, LOAD);                                                     \
    }                                                                                         \
  }                                                                                           \
  static void conv_##SE##_##DE(int64_t n, char* const* p, const int64_t* bs, void* ctx) {    \
    (void)ctx;                                                                                \
    if (bs[0] == (int64_t)sizeof(DT) && bs[1] == (int64_t)sizeof(ST)) {                       \
      conv_##SE##_##DE##_contig(n, (const ST*)p[1], (DT*)p[0]);                               \
      return;                                                                                 \
    }                                                                                         \
    char* d = p[0];                                                                           \
    const char* s = p[1];                                                                     \
    if (bs[1] == 0) {                                                                         \
      ST x;                                                                                   \
      memcpy(&x, s, sizeof x);                                                                \
      DT v = CVT_##SK##_##DC(DT, LOAD);                                                       \
      if (bs[0] == (int64_t)sizeof(DT)) {                                                     \
        DT* dd = (DT*)d;                                                                      \
        for (int64_t i = 0; i < n; i++) dd[i] = v;                                            \
      } else {                                                                                \
        for (int64_t i = 0; i < n; i++, d += bs[0]) memcpy(d, &v, sizeof v);                  \
      }                                                                                       \
      return;                                                                                 \
    }                                                                                         \
    for (int64_t i = 0; i < n; i++, d += bs[0], s += bs[1]) {                                 \
      ST x;                                                                                   \
      memcpy(&x, s, sizeof x);                                                                \
      DT v = CVT_##SK##_##DC(DT, LOAD);                                                       \
      memcpy(d, &v, sizeof v);                                                                \
    }                                                                                         \
  }

#define SRC_ENTRY(SE, ST, SC, LOAD, SK) DST_LIST(DEF_CONV, SE, ST, SC, LOAD, SK)
MX__CPU_TYPES(SRC_ENTRY)

#define TABLE_CELL(SE, DE, DT, DC) [MX_##DE] = conv_##SE##_##DE,
#define TABLE_ROW(SE, ST, SC, LOAD, SK) [MX_##SE] = {DST_LIST(TABLE_CELL, SE)},
static const mx__cpu_inner conv_table[MX_DTYPE_COUNT][MX_DTYPE_COUNT] = {
    MX__CPU_TYPES(TABLE_ROW)};

mx__cpu_inner mx__cpu_convert_fn(mx_dtype from, mx_dtype to) { return conv_table[from][to]; }

/* Same-dtype copy: plain byte moves. */
static void copy_bytes(int64_t n, char* const* p, const int64_t* bs, void* ctx) {
  size_t isz = *(const size_t*)ctx;
  if (bs[0] == (int64_t)isz && bs[1] == (int64_t)isz) {
    memcpy(p[0], p[1], (size_t)n * isz);
    return;
  }
  char* d = p[0];
  const char* s = p[1];
  switch (isz) {
#define COPY_LOOP(T)                                                   \
  for (int64_t i = 0; i < n; i++, d += bs[0], s += bs[1]) {            \
    T v;                                                               \
    memcpy(&v, s, sizeof v);                                           \
    memcpy(d, &v, sizeof v);                                           \
  }                                                                    \
  break;
    case 1: COPY_LOOP(uint8_t)
    case 2: COPY_LOOP(uint16_t)
    case 4: COPY_LOOP(uint32_t)
    default: COPY_LOOP(uint64_t)
#undef COPY_LOOP
  }
}

void mx__cpu_copy_into(mx_array* in, const char* src, char* dst, mx_dtype to, int ndim,
                       const int* shape) {
  int cap = ndim > 0 ? ndim : 1;
  int64_t ost[cap], ist[cap];
  mx_row_strides(ndim, shape, ost);
  mx__cpu_bcast_strides(in, ndim, shape, ist);
  size_t isz[2] = {mx_dtype_size(to), mx_dtype_size(in->dtype)};
  char* base[2] = {dst, (char*)src};
  const int64_t* st[2] = {ost, ist};
  if (in->dtype == to) {
    size_t item = isz[0];
    mx__cpu_apply(ndim, shape, 2, base, st, isz, copy_bytes, &item);
  } else {
    mx__cpu_apply(ndim, shape, 2, base, st, isz, mx__cpu_convert_fn(in->dtype, to), NULL);
  }
}
