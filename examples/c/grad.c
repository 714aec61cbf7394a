/* Derivatives of closures with the mlx-c API: a forward-mode product
 * (mlx_jvp) and a value with its gradient (mlx_value_and_grad), for a
 * plain one-array closure and for a closure carrying a payload.
 *
 * Build: cc grad.c $(pkg-config --cflags --libs cmlx) */
#include <stdio.h>

#include "mlx/c/mlx.h"

static void show(const char* label, mlx_array a) {
  mlx_string s = mlx_string_new();
  mlx_array_tostring(&s, a);
  printf("%s\n%s\n", label, mlx_string_data(s));
  mlx_string_free(s);
}

/* y = x * x + 1, on one array. */
static int square_plus_one(mlx_array* out, const mlx_array x) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array one = mlx_array_new_float(1.0f);
  int rc = mlx_multiply(out, x, x, s) || mlx_add(out, *out, one, s);
  mlx_array_free(one);
  mlx_stream_free(s);
  return rc;
}

/* y = x * k, where k is the closure's payload (an array it owns). */
static int times_payload(mlx_vector_array* out, const mlx_vector_array in, void* payload) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_array x = mlx_array_new();
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_multiply(&x, x, *(mlx_array*)payload, s) ||
           mlx_vector_array_set_value(out, x);
  mlx_array_free(x);
  mlx_stream_free(s);
  return rc;
}

static void free_payload(void* payload) { mlx_array_free(*(mlx_array*)payload); }

/* Prints value and gradient of `fun` at x. */
static void value_and_grad_at(mlx_closure fun, mlx_array x) {
  int argnum = 0;
  mlx_closure_value_and_grad vg = mlx_closure_value_and_grad_new();
  mlx_vector_array in = mlx_vector_array_new_value(x);
  mlx_vector_array values = mlx_vector_array_new(), grads = mlx_vector_array_new();
  mlx_array v = mlx_array_new(), g = mlx_array_new();
  if (mlx_value_and_grad(&vg, fun, &argnum, 1) == 0 &&
      mlx_closure_value_and_grad_apply(&values, &grads, vg, in) == 0 &&
      mlx_vector_array_get(&v, values, 0) == 0 && mlx_vector_array_get(&g, grads, 0) == 0) {
    show("value", v);
    show("gradient", g);
  }
  mlx_array_free(v);
  mlx_array_free(g);
  mlx_vector_array_free(in);
  mlx_vector_array_free(values);
  mlx_vector_array_free(grads);
  mlx_closure_value_and_grad_free(vg);
}

int main(void) {
  mlx_array x = mlx_array_new_float(3.0f);
  static mlx_array k;
  k = mlx_array_new_float(2.5f);
  mlx_closure f = mlx_closure_new_unary(square_plus_one);
  mlx_closure h = mlx_closure_new_func_payload(times_payload, &k, free_payload);

  printf("jvp of x*x+1 at 3 with tangent 1:\n");
  mlx_array one = mlx_array_new_float(1.0f);
  mlx_vector_array primals = mlx_vector_array_new_value(x);
  mlx_vector_array tangents = mlx_vector_array_new_value(one);
  mlx_vector_array outs = mlx_vector_array_new(), jvps = mlx_vector_array_new();
  mlx_array o = mlx_array_new(), d = mlx_array_new();
  if (mlx_jvp(&outs, &jvps, f, primals, tangents) == 0 && mlx_vector_array_get(&o, outs, 0) == 0 &&
      mlx_vector_array_get(&d, jvps, 0) == 0) {
    show("value", o);
    show("tangent", d);
  }

  printf("value_and_grad of x*x+1 at 3:\n");
  value_and_grad_at(f, x);
  printf("value_and_grad of x*2.5 (payload) at 3:\n");
  value_and_grad_at(h, x);

  mlx_array_free(o);
  mlx_array_free(d);
  mlx_array_free(one);
  mlx_vector_array_free(primals);
  mlx_vector_array_free(tangents);
  mlx_vector_array_free(outs);
  mlx_vector_array_free(jvps);
  mlx_closure_free(f);
  mlx_closure_free(h); /* frees k through free_payload */
  mlx_array_free(x);
  return 0;
}
