#include "harness.h"

#include <stdbool.h>
#include <stdint.h>

#include "core/dtype.h"

int test_passed = 0, test_failed = 0;

void test_fail(const char* file, int line, const char* expr) {
  test_failed++;
  fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
}

int test_errors_seen = 0;

void test_count_errors(const char* msg, void* data) {
  (void)msg;
  (void)data;
  test_errors_seen++;
}

int test_summary(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed == 0 ? 0 : 1;
}

double test_read_element(const void* p, int dtype, double* im) {
  if (im) *im = 0;
  switch ((mx_dtype)dtype) {
    case MX_BOOL: return *(const bool*)p;
    case MX_UINT8: return *(const uint8_t*)p;
    case MX_UINT16: return *(const uint16_t*)p;
    case MX_UINT32: return *(const uint32_t*)p;
    case MX_UINT64: return (double)*(const uint64_t*)p;
    case MX_INT8: return *(const int8_t*)p;
    case MX_INT16: return *(const int16_t*)p;
    case MX_INT32: return *(const int32_t*)p;
    case MX_INT64: return (double)*(const int64_t*)p;
    case MX_FLOAT16: return mx_f16_to_f32(*(const uint16_t*)p);
    case MX_FLOAT32: return *(const float*)p;
    case MX_FLOAT64: return *(const double*)p;
    case MX_BFLOAT16: return mx_bf16_to_f32(*(const uint16_t*)p);
    case MX_COMPLEX64:
      if (im) *im = ((const float*)p)[1];
      return ((const float*)p)[0];
    default: return NAN;
  }
}
