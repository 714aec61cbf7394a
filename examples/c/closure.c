/* Closures with the mlx-c API: apply a one-array closure, a closure with a
 * payload, and one that reports failure (the error reaches the handler and
 * mlx_closure_apply returns nonzero instead of aborting).
 *
 * Build: cc closure.c $(pkg-config --cflags --libs cmlx) */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "mlx/c/mlx.h"

static void show(const char* label, mlx_array a) {
  mlx_string s = mlx_string_new();
  mlx_array_tostring(&s, a);
  printf("%s\n%s\n", label, mlx_string_data(s));
  mlx_string_free(s);
}

static int double_it(mlx_array* out, const mlx_array x) {
  mlx_stream s = mlx_default_cpu_stream_new();
  int rc = mlx_add(out, x, x, s);
  mlx_stream_free(s);
  return rc;
}

/* Adds the payload's offset; refuses an offset that is not finite. */
struct offset {
  mlx_array value;
  char why[64];
};

static int add_offset(mlx_vector_array* out, const mlx_vector_array in, void* payload) {
  struct offset* p = payload;
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array finite = mlx_array_new();
  bool ok = false;
  mlx_isfinite(&finite, p->value, s);
  mlx_all(&finite, finite, false, s);
  mlx_array_item_bool(&ok, finite);
  mlx_array_free(finite);
  if (!ok) {
    snprintf(p->why, sizeof p->why, "offset is not finite");
    mlx_stream_free(s);
    return 1;
  }
  mlx_array x = mlx_array_new();
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_add(&x, x, p->value, s) ||
           mlx_vector_array_set_value(out, x);
  mlx_array_free(x);
  mlx_stream_free(s);
  return rc;
}

static void report(const char* msg, void* data) {
  (void)data;
  printf("error handler: %s\n", msg);
}

int main(void) {
  mlx_array x = mlx_array_new_float(4.0f);
  mlx_vector_array in = mlx_vector_array_new_value(x);
  mlx_vector_array out = mlx_vector_array_new();
  mlx_array y = mlx_array_new();
  show("x", x);

  mlx_closure twice = mlx_closure_new_unary(double_it);
  if (mlx_closure_apply(&out, twice, in) == 0 && mlx_vector_array_get(&y, out, 0) == 0)
    show("x + x", y);

  struct offset p = {mlx_array_new_float(0.5f), ""};
  mlx_closure plus = mlx_closure_new_func_payload(add_offset, &p, NULL);
  if (mlx_closure_apply(&out, plus, in) == 0 && mlx_vector_array_get(&y, out, 0) == 0)
    show("x + 0.5", y);

  mlx_set_error_handler(report, NULL, NULL);
  mlx_array_free(p.value);
  p.value = mlx_array_new_float(INFINITY);
  if (mlx_closure_apply(&out, plus, in) != 0) printf("closure refused: %s\n", p.why);
  mlx_set_error_handler(NULL, NULL, NULL);

  mlx_array_free(p.value);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_vector_array_free(in);
  mlx_vector_array_free(out);
  mlx_closure_free(twice);
  mlx_closure_free(plus);
  return 0;
}
