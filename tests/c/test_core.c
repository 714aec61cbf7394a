/* Core runtime: dtypes, buffers and the memory API, arrays, streams, eval
 * (long chains, detach, donation, async_eval, cross-stream dependencies). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static void test_dtypes(void) {
  CHECK(mx_dtype_size(MX_BOOL) == 1);
  CHECK(mx_dtype_size(MX_BFLOAT16) == 2);
  CHECK(mx_dtype_size(MX_COMPLEX64) == 8);
  CHECK(strcmp(mx_dtype_name(MX_FLOAT16), "float16") == 0);
  /* Promotion entries read off MLX 0.32 (see dtype.c). */
  CHECK(mx_promote_types(MX_INT8, MX_UINT8) == MX_INT16);
  CHECK(mx_promote_types(MX_UINT64, MX_INT64) == MX_FLOAT32);
  CHECK(mx_promote_types(MX_FLOAT16, MX_BFLOAT16) == MX_FLOAT32);
  CHECK(mx_promote_types(MX_INT64, MX_FLOAT16) == MX_FLOAT16);
  CHECK(mx_promote_types(MX_FLOAT64, MX_COMPLEX64) == MX_COMPLEX64);
  CHECK(mx_promote_types(MX_BOOL, MX_BOOL) == MX_BOOL);
  /* Round trips through the half types, including subnormals and rounding. */
  float values[] = {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 6.1035156e-05f, 5.9604645e-08f, 1e-3f};
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    CHECK(mx_f16_to_f32(mx_f32_to_f16(values[i])) == values[i] || values[i] == 1e-3f);
  }
  CHECK_NEAR(mx_f16_to_f32(mx_f32_to_f16(1e-3f)), 1e-3, 1e-6);
  CHECK(mx_f32_to_f16(1e6f) == 0x7c00);            /* overflow to inf */
  CHECK(mx_f32_to_f16(2.9802322e-08f) == 0x0000);  /* exactly half the smallest subnormal: even */
  CHECK(mx_f32_to_f16(2.98023259e-08f) == 0x0001); /* just above half: rounds up */
  CHECK(mx_bf16_to_f32(mx_f32_to_bf16(3.140625f)) == 3.140625f);
  CHECK(mx_f32_to_bf16(1.00390625f) == 0x3f80); /* tie rounds to even */
}

static void test_memory(void) {
  mx_memory_clear_cache();
  size_t base = mx_memory_active();
  mx_buffer* b = mx_buffer_new(1000, false);
  CHECK(b != NULL);
  CHECK(mx_memory_active() >= base + 1000);
  CHECK(mx_memory_peak() >= mx_memory_active());
  mx_buffer_release(b);
  CHECK(mx_memory_active() == base);
  CHECK(mx_memory_cache() >= 1000);
  mx_memory_clear_cache();
  CHECK(mx_memory_cache() == 0);
  /* Over the limit (a guideline, as in MLX): the cache is given back first,
   * and the allocation still succeeds. */
  b = mx_buffer_new(1 << 20, false);
  mx_buffer_release(b);
  CHECK(mx_memory_cache() >= (1 << 20));
  size_t old = mx_memory_set_limit(1 << 20);
  b = mx_buffer_new(2 << 20, false);
  CHECK(b != NULL);
  CHECK(mx_memory_cache() == 0);
  mx_buffer_release(b);
  mx_memory_set_limit(old);
  mx_memory_clear_cache();
  /* More than the system can give: a clean MemoryError, not a crash. */
  mx_error_clear();
  b = mx_buffer_new((size_t)1 << 60, false);
  CHECK(b == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_MEMORY);
  /* GPU allocations without a GPU fail cleanly. */
  if (!mx_device_available(MX_DEVICE_GPU)) CHECK(mx_buffer_new(16, true) == NULL);
}

static void test_arrays(void) {
  float data[6] = {1, 2, 3, 4, 5, 6};
  int shape[2] = {2, 3};
  mx_array* a = mx_array_from_data(data, MX_FLOAT32, 2, shape);
  CHECK(a && a->size == 6 && a->ndim == 2);
  CHECK(a->strides[0] == 3 && a->strides[1] == 1);
  CHECK(a->flags & MX_FLAG_ROW_CONTIGUOUS);
  float* p = mx_array_host_data(a);
  CHECK(p && p[5] == 6);
  mx_array_release(a);
  mx_array* s = mx_array_scalar_f64(2.5, MX_BFLOAT16);
  CHECK(s->ndim == 0 && s->size == 1);
  CHECK(mx_bf16_to_f32(*(uint16_t*)mx_array_host_data(s)) == 2.5f);
  mx_array_release(s);
  int bad[1] = {-2};
  mx_error_clear();
  CHECK(mx_array_alloc(MX_FLOAT32, 1, bad) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
}

static void test_streams(void) {
  mx_device cpu = {MX_DEVICE_CPU, 0};
  CHECK(mx_device_available(MX_DEVICE_CPU));
  mx_stream s0 = mx_default_stream(cpu);
  CHECK(mx_stream_valid(s0));
  mx_stream s1;
  CHECK(mx_stream_new(cpu, &s1) == 0);
  CHECK(s1.index != s0.index && mx_stream_device(s1).type == MX_DEVICE_CPU);
  CHECK(mx_synchronize(s1) == 0);
  CHECK(!mx_stream_valid((mx_stream){9999}));
  if (!mx_device_available(MX_DEVICE_GPU)) {
    mx_error_clear();
    CHECK(mx_set_default_device((mx_device){MX_DEVICE_GPU, 0}) != 0);
  }
}

/* A million lazy adds: the iterative walk and the worklist release keep the
 * stack flat, and all memory is returned afterwards. */
static void test_long_chain(void) {
  mx_stream s = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  mx_memory_clear_cache();
  size_t base = mx_memory_active();
  mx_array* one = mx_array_scalar_f64(1, MX_FLOAT32);
  mx_array* x = mx_array_scalar_f64(0, MX_FLOAT32);
  for (int i = 0; i < 1000000; i++) {
    mx_array* y = mx_add(x, one, s);
    mx_array_release(x);
    x = y;
    if (!x) break;
  }
  CHECK(x != NULL);
  CHECK(mx_array_eval(x) == 0);
  CHECK(*(float*)mx_array_host_data(x) == 1000000.0f);
  CHECK(x->node == NULL); /* detached after eval */
  mx_array_release(x);
  mx_array_release(one);
  CHECK(mx_memory_active() == base);

  /* The same chain dropped without evaluation is freed without recursion. */
  one = mx_array_scalar_f64(1, MX_FLOAT32);
  x = mx_array_scalar_f64(0, MX_FLOAT32);
  for (int i = 0; i < 1000000 && x; i++) {
    mx_array* y = mx_add(x, one, s);
    mx_array_release(x);
    x = y;
  }
  mx_array_release(x);
  mx_array_release(one);
  CHECK(mx_memory_active() == base);
}

/* Work split across two CPU streams, evaluated asynchronously, meets in a
 * third op on the default stream. */
static void test_async_and_cross_stream(void) {
  mx_device cpu = {MX_DEVICE_CPU, 0};
  mx_stream s0 = mx_default_stream(cpu), s1;
  CHECK(mx_stream_new(cpu, &s1) == 0);
  int shape[1] = {1 << 16};
  mx_array* a = mx_full_f64(1, shape, 2.0, MX_FLOAT32, s0);
  mx_array* b = mx_full_f64(1, shape, 3.0, MX_FLOAT32, s1);
  mx_array* a2 = mx_multiply(a, a, s0);
  mx_array* b2 = mx_multiply(b, b, s1);
  mx_array* both[2] = {a2, b2};
  CHECK(mx_async_eval(2, both) == 0);
  mx_array* c = mx_add(a2, b2, s0);
  mx_array* total = mx_sum(c, 0, NULL, false, s1);
  CHECK(mx_array_eval(total) == 0);
  CHECK_NEAR(*(float*)mx_array_host_data(total), 13.0 * (1 << 16), 1e-3);
  CHECK(mx_synchronize_all() == 0);
  mx_array* all[] = {a, b, a2, b2, c, total};
  for (int i = 0; i < 6; i++) mx_array_release(all[i]);
}

/* Errors inside a kernel surface at eval as errors, not crashes. */
static void test_errors_are_reported(void) {
  mx_error_clear();
  int s1[1] = {3}, s2[1] = {4};
  mx_stream s = mx_stream_for_default();
  mx_array* a = mx_zeros(1, s1, MX_FLOAT32, s);
  mx_array* b = mx_zeros(1, s2, MX_FLOAT32, s);
  CHECK(mx_add(a, b, s) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(strlen(mx_error_message()) > 0);
  mx_array_release(a);
  mx_array_release(b);
}

int main(void) {
  RUN(test_dtypes);
  RUN(test_memory);
  RUN(test_arrays);
  RUN(test_streams);
  RUN(test_long_chain);
  RUN(test_async_and_cross_stream);
  RUN(test_errors_are_reported);
  return test_summary();
}
