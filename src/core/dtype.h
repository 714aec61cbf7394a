/* Data types: the 14 MLX dtypes, their sizes, names, categories and the
 * type-promotion rules.  The enum order matches mlx-c's mlx_dtype so the C API
 * can pass values straight through. */
#ifndef MX_CORE_DTYPE_H
#define MX_CORE_DTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X(enum suffix, C storage type, name, size in bytes, kind) in mlx-c order. */
#define MX_DTYPES(X)                              \
  X(BOOL, bool, "bool", 1, MX_KIND_BOOL)          \
  X(UINT8, uint8_t, "uint8", 1, MX_KIND_UINT)     \
  X(UINT16, uint16_t, "uint16", 2, MX_KIND_UINT)  \
  X(UINT32, uint32_t, "uint32", 4, MX_KIND_UINT)  \
  X(UINT64, uint64_t, "uint64", 8, MX_KIND_UINT)  \
  X(INT8, int8_t, "int8", 1, MX_KIND_INT)         \
  X(INT16, int16_t, "int16", 2, MX_KIND_INT)      \
  X(INT32, int32_t, "int32", 4, MX_KIND_INT)      \
  X(INT64, int64_t, "int64", 8, MX_KIND_INT)      \
  X(FLOAT16, uint16_t, "float16", 2, MX_KIND_FLOAT) \
  X(FLOAT32, float, "float32", 4, MX_KIND_FLOAT)  \
  X(FLOAT64, double, "float64", 8, MX_KIND_FLOAT) \
  X(BFLOAT16, uint16_t, "bfloat16", 2, MX_KIND_FLOAT) \
  X(COMPLEX64, mx_complex64, "complex64", 8, MX_KIND_COMPLEX)

typedef enum mx_dtype {
#define MX_DTYPE_ENUM(e, t, n, s, k) MX_##e,
  MX_DTYPES(MX_DTYPE_ENUM)
#undef MX_DTYPE_ENUM
  MX_DTYPE_COUNT
} mx_dtype;

typedef enum mx_dtype_kind {
  MX_KIND_BOOL,
  MX_KIND_UINT,
  MX_KIND_INT,
  MX_KIND_FLOAT,
  MX_KIND_COMPLEX,
} mx_dtype_kind;

typedef struct mx_complex64 {
  float re, im;
} mx_complex64;

size_t mx_dtype_size(mx_dtype t);
const char* mx_dtype_name(mx_dtype t);
mx_dtype_kind mx_dtype_kind_of(mx_dtype t);
bool mx_dtype_valid(int t);
static inline bool mx_dtype_is_float(mx_dtype t) {
  return mx_dtype_kind_of(t) == MX_KIND_FLOAT;
}
static inline bool mx_dtype_is_inexact(mx_dtype t) {
  mx_dtype_kind k = mx_dtype_kind_of(t);
  return k == MX_KIND_FLOAT || k == MX_KIND_COMPLEX;
}
static inline bool mx_dtype_is_integer(mx_dtype t) {
  mx_dtype_kind k = mx_dtype_kind_of(t);
  return k == MX_KIND_INT || k == MX_KIND_UINT;
}

/* MLX's promotion of two array dtypes (same table as mlx.core.promote_types). */
mx_dtype mx_promote_types(mx_dtype a, mx_dtype b);

/* Half-precision conversions.  float16 follows IEEE binary16, bfloat16 is the
 * top half of a float32 with round-to-nearest-even. */
float mx_f16_to_f32(uint16_t h);
uint16_t mx_f32_to_f16(float f);
static inline float mx_bf16_to_f32(uint16_t b) {
  union { uint32_t u; float f; } v;
  v.u = (uint32_t)b << 16;
  return v.f;
}
static inline uint16_t mx_f32_to_bf16(float f) {
  union { uint32_t u; float f; } v;
  v.f = f;
  if ((v.u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((v.u >> 16) | 0x40); /* quiet NaN */
  uint32_t rounding = 0x7fffu + ((v.u >> 16) & 1u);
  return (uint16_t)((v.u + rounding) >> 16);
}

#endif
