/* The misc family's op: mx_depends keeps values and orders evaluation
 * (evaluating an output evaluates its dependencies), and rejects bad
 * arguments with ValueError. */
#include <math.h>
#include <stdint.h>

#include "harness.h"
#include "ops/ops.h"
#include "ops/ops_misc.h"

static mx_stream S;

static void test_values_and_order(void) {
  float xs[3] = {1.5f, -2.0f, 4.0f}, ys[2] = {10.0f, 20.0f};
  int n3 = 3, n2 = 2;
  mx_array* x = mx_array_from_data(xs, MX_FLOAT32, 1, &n3);
  mx_array* y = mx_array_from_data(ys, MX_FLOAT32, 1, &n2);
  /* Lazy arrays: neither is computed until something asks. */
  mx_array* x2 = mx_add(x, x, S);
  mx_array* dep = mx_multiply(y, y, S);
  mx_array* ins[1] = {x2};
  mx_array* deps[1] = {dep};
  mx_array* out[1] = {NULL};
  CHECK(mx_depends(1, ins, 1, deps, S, out) == 0);
  CHECK(out[0] && out[0]->dtype == MX_FLOAT32 && out[0]->ndim == 1 && out[0]->shape[0] == 3);
  CHECK(!mx_array_is_available(dep));
  CHECK(mx_array_eval(out[0]) == 0);
  /* The dependency was computed as part of evaluating the output. */
  CHECK(mx_array_is_available(dep));
  const float* o = mx_array_host_data(out[0]);
  CHECK(o && o[0] == 3.0f && o[1] == -4.0f && o[2] == 8.0f);
  const float* d = mx_array_host_data(dep);
  CHECK(d && d[0] == 100.0f && d[1] == 400.0f);
  mx_array_release(out[0]);
  mx_array_release(x2);
  mx_array_release(dep);
  mx_array_release(x);
  mx_array_release(y);
}

static void test_several_inputs_no_deps(void) {
  int32_t a[2] = {7, 8};
  int n2 = 2;
  mx_array* x = mx_array_from_data(a, MX_INT32, 1, &n2);
  mx_array* s = mx_array_scalar_f64(2.5, MX_FLOAT64);
  mx_array* ins[2] = {x, s};
  mx_array* out[2] = {NULL, NULL};
  CHECK(mx_depends(2, ins, 0, NULL, S, out) == 0);
  CHECK(mx_array_eval(out[0]) == 0 && mx_array_eval(out[1]) == 0);
  CHECK(out[0]->dtype == MX_INT32 && ((const int32_t*)mx_array_host_data(out[0]))[1] == 8);
  CHECK(out[1]->dtype == MX_FLOAT64 && out[1]->ndim == 0 &&
        *(const double*)mx_array_host_data(out[1]) == 2.5);
  mx_array_release(out[0]);
  mx_array_release(out[1]);
  mx_array_release(x);
  mx_array_release(s);
}

static void test_errors(void) {
  mx_array* out[1] = {NULL};
  mx_array* none[1] = {NULL};
  CHECK(mx_depends(0, none, 0, NULL, S, out) == -1 && mx_error_last_kind() == MX_ERR_VALUE);
  mx_error_clear();
  CHECK(mx_depends(1, none, 0, NULL, S, out) == -1 && mx_error_last_kind() == MX_ERR_VALUE);
  mx_error_clear();
  CHECK(out[0] == NULL);
}

int main(void) {
  mx_init();
  /* The CPU stream: these cases use float64, which GPU streams reject. */
  S = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  RUN(test_values_and_order);
  RUN(test_several_inputs_no_deps);
  RUN(test_errors);
  return test_summary();
}
