/* The misc family through the mlx-c API: mlx_depends returns arrays equal
 * to its inputs, evaluating one evaluates the dependencies, and bad
 * arguments go through the error handler and return 1. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static void test_depends(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array x = mlx_array_new_float32(1.5f), y = mlx_array_new_float32(3.0f);
  mlx_array x2 = mlx_array_new(), dep = mlx_array_new();
  CHECK(mlx_add(&x2, x, x, s) == 0);
  CHECK(mlx_multiply(&dep, y, y, s) == 0);
  mlx_vector_array ins = mlx_vector_array_new_value(x2);
  mlx_vector_array deps = mlx_vector_array_new_value(dep);
  mlx_vector_array out = mlx_vector_array_new();
  CHECK(mlx_depends(&out, ins, deps) == 0);
  CHECK(mlx_vector_array_size(out) == 1);
  mlx_array o = mlx_array_new();
  CHECK(mlx_vector_array_get(&o, out, 0) == 0);
  bool avail = true;
  CHECK(_mlx_array_is_available(&avail, dep) == 0 && !avail);
  float v = 0;
  CHECK(mlx_array_item_float32(&v, o) == 0 && v == 3.0f);
  CHECK(_mlx_array_is_available(&avail, dep) == 0 && avail);
  CHECK(mlx_array_item_float32(&v, dep) == 0 && v == 9.0f);

  /* No inputs: an empty result; a NULL output pointer is an error. */
  mlx_vector_array empty = mlx_vector_array_new();
  CHECK(mlx_depends(&out, empty, deps) == 0 && mlx_vector_array_size(out) == 0);
  int before = test_errors_seen;
  CHECK(mlx_depends(NULL, ins, deps) == 1 && test_errors_seen == before + 1);

  mlx_vector_array_free(empty);
  mlx_array_free(o);
  mlx_vector_array_free(out);
  mlx_vector_array_free(ins);
  mlx_vector_array_free(deps);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(x2);
  mlx_array_free(dep);
  mlx_stream_free(s);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  RUN(test_depends);
  return test_summary();
}
