/* ARANGE: start, start+step, ... accumulated in the output dtype.
 *
 * MLX adds the step to a running value of the output type rather than
 * computing start + i*step, and its results show it (float32 arange(0, 1,
 * 0.1) reaches 0.90000010; float16 rounds after every addition).  We match
 * that.  Integer outputs start at the truncated start and step by
 * T(start + step) - T(start), wrapping, also as MLX does (so arange(0, 5,
 * 0.5) in int32 is ten zeros). */
#include "cpu_internal.h"

static inline int64_t trunc_i64(double x) {
  return (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? (int64_t)x : INT64_MIN;
}

#define ARANGE_INT(T)                                           \
  {                                                             \
    T* o = (T*)po;                                              \
    uint64_t v = (uint64_t)(T)trunc_i64(p->start);              \
    uint64_t d = (uint64_t)(T)trunc_i64(p->start + p->step) - v; \
    for (int64_t i = 0; i < n; i++, v += d) o[i] = (T)v;        \
  }                                                             \
  break;

#define ARANGE_FLT(T, TO, FROM)                                   \
  {                                                               \
    T* o = (T*)po;                                                \
    T v = TO(p->start), d = TO(p->step);                          \
    for (int64_t i = 0; i < n; i++) {                             \
      o[i] = v;                                                   \
      v = TO(FROM(v) + FROM(d));                                  \
    }                                                             \
  }                                                               \
  break;

#define ID(x) (x)
#define TO_F16(x) ((_Float16)(x))
#define FROM_F16(x) ((float)(x))
#define TO_BF16(x) (mx__bf16_store((float)(x)))

int mx__cpu_arange(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_arange_params* p = node->params;
  mx_array* out = outputs[0];
  if (!p) return mx_error(MX_ERR_RUNTIME, "[Arange] Missing parameters.");
  if (mx_array_alloc_data(out, false) != 0) return -1;
  int64_t n = out->size;
  if (n == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  if (!po) return -1;
  switch (out->dtype) {
    case MX_BOOL: return mx_error(MX_ERR_VALUE, "[arange] bool not supported for arange.");
    case MX_UINT8: ARANGE_INT(uint8_t)
    case MX_UINT16: ARANGE_INT(uint16_t)
    case MX_UINT32: ARANGE_INT(uint32_t)
    case MX_UINT64: ARANGE_INT(uint64_t)
    case MX_INT8: ARANGE_INT(int8_t)
    case MX_INT16: ARANGE_INT(int16_t)
    case MX_INT32: ARANGE_INT(int32_t)
    case MX_INT64: ARANGE_INT(int64_t)
    case MX_FLOAT16: ARANGE_FLT(_Float16, TO_F16, FROM_F16)
    case MX_FLOAT32: ARANGE_FLT(float, (float), ID)
    case MX_FLOAT64: ARANGE_FLT(double, (double), ID)
    case MX_BFLOAT16: ARANGE_FLT(uint16_t, TO_BF16, mx__bf16_load)
    case MX_COMPLEX64: {
      mx__c64* o = (mx__c64*)po;
      float v = (float)p->start, d = (float)p->step;
      for (int64_t i = 0; i < n; i++, v += d) o[i] = CMPLXF(v, 0.0f);
      break;
    }
    default: return mx_error(MX_ERR_RUNTIME, "[Arange] Invalid dtype.");
  }
  mx__cpu_written(out);
  return 0;
}
