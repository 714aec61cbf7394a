/* Dtype sizes, names, kinds, promotion and half-precision conversion. */
#include "dtype.h"

#include <string.h>

static const size_t dtype_sizes[MX_DTYPE_COUNT] = {
#define SIZE_ENTRY(e, t, n, s, k) s,
    MX_DTYPES(SIZE_ENTRY)
#undef SIZE_ENTRY
};
static const char* const dtype_names[MX_DTYPE_COUNT] = {
#define NAME_ENTRY(e, t, n, s, k) n,
    MX_DTYPES(NAME_ENTRY)
#undef NAME_ENTRY
};
static const mx_dtype_kind dtype_kinds[MX_DTYPE_COUNT] = {
#define KIND_ENTRY(e, t, n, s, k) k,
    MX_DTYPES(KIND_ENTRY)
#undef KIND_ENTRY
};

bool mx_dtype_valid(int t) { return t >= 0 && t < MX_DTYPE_COUNT; }
size_t mx_dtype_size(mx_dtype t) { return mx_dtype_valid(t) ? dtype_sizes[t] : 0; }
const char* mx_dtype_name(mx_dtype t) { return mx_dtype_valid(t) ? dtype_names[t] : "invalid"; }
mx_dtype_kind mx_dtype_kind_of(mx_dtype t) { return mx_dtype_valid(t) ? dtype_kinds[t] : MX_KIND_BOOL; }

/* Row = left operand, column = right operand, in enum order.  Read off MLX
 * 0.32 by adding zero-filled arrays of each pair of dtypes.  Unlike NumPy,
 * mixing 64-bit unsigned with signed integers gives float32, any integer
 * with a 16-bit float keeps the 16-bit float, float16 with bfloat16 gives
 * float32, and complex64 absorbs float64. */
static const mx_dtype promotion[MX_DTYPE_COUNT][MX_DTYPE_COUNT] = {
    {MX_BOOL, MX_UINT8, MX_UINT16, MX_UINT32, MX_UINT64, MX_INT8, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_UINT8, MX_UINT8, MX_UINT16, MX_UINT32, MX_UINT64, MX_INT16, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_UINT16, MX_UINT16, MX_UINT16, MX_UINT32, MX_UINT64, MX_INT32, MX_INT32, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_UINT32, MX_UINT32, MX_UINT32, MX_UINT32, MX_UINT64, MX_INT64, MX_INT64, MX_INT64, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_UINT64, MX_UINT64, MX_UINT64, MX_UINT64, MX_UINT64, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_INT8, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT32, MX_INT8, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_INT16, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT32, MX_INT16, MX_INT16, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_INT32, MX_INT32, MX_INT32, MX_INT64, MX_FLOAT32, MX_INT32, MX_INT32, MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_INT64, MX_INT64, MX_INT64, MX_INT64, MX_FLOAT32, MX_INT64, MX_INT64, MX_INT64, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_FLOAT32, MX_COMPLEX64},
    {MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT32, MX_FLOAT64, MX_FLOAT32, MX_COMPLEX64},
    {MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_FLOAT64, MX_COMPLEX64},
    {MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_BFLOAT16, MX_FLOAT32, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64},
    {MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64, MX_COMPLEX64},
};

mx_dtype mx_promote_types(mx_dtype a, mx_dtype b) { return promotion[a][b]; }

float mx_f16_to_f32(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13); /* inf / nan */
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    /* Subnormal half: renormalise into a float32 normal. */
    int e = -1;
    do { mant <<= 1; e++; } while (!(mant & 0x400u));
    bits = sign | ((uint32_t)(112 - e) << 23) | ((mant & 0x3ffu) << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t mx_f32_to_f16(float f) {
  uint32_t x;
  memcpy(&x, &f, sizeof x);
  uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
  uint32_t absx = x & 0x7fffffffu;
  if (absx > 0x7f800000u) return sign | 0x7e00u; /* nan */
  if (absx >= 0x477ff000u) return sign | 0x7c00u; /* rounds to inf */
  if (absx < 0x38800000u) {
    /* Result is subnormal or zero: shift the full mantissa into place and
     * round to nearest even. */
    if (absx < 0x33000000u) return sign; /* below half the smallest subnormal */
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int shift = 113 - (int)(absx >> 23) + 13;
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1u))) half++;
    return sign | (uint16_t)half;
  }
  /* Normal: rebias the exponent and round the 13 dropped bits to even. */
  uint32_t r = absx - 0x38000000u;
  r += 0xfffu + ((r >> 13) & 1u);
  return sign | (uint16_t)(r >> 13);
}
