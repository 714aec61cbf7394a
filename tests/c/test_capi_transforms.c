/* mlx-c's closure.h, transforms.h and compile.h: every function is called,
 * and derivatives are compared with ones worked out by hand for
 * f(x, y) = sum(sin(x) * y):  df/dx = cos(x) * y,  df/dy = sin(x).
 * Custom rules are made deliberately different from the true derivative
 * (scaled) so the test can tell which rule ran. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;
static const float X[3] = {0.5f, -1.0f, 2.0f};
static const float Y[3] = {3.0f, 0.25f, -2.0f};

static mlx_array vec3(const float* v) {
  int shape[1] = {3};
  return mlx_array_new_data(v, shape, 1, MLX_FLOAT32);
}

/* Element i of array `a` (evaluated here). */
static float at(mlx_array a, int i) {
  if (mlx_array_eval(a) != 0) return NAN;
  const float* p = mlx_array_data_float32(a);
  return p ? p[i] : NAN;
}

/* Element i of array k of vector v. */
static float vat(mlx_vector_array v, int k, int i) {
  mlx_array a = mlx_array_new();
  float r = mlx_vector_array_get(&a, v, (size_t)k) == 0 ? at(a, i) : NAN;
  mlx_array_free(a);
  return r;
}

/* f(x, y) = sum(sin(x) * y), the closure every transform below works on. */
static int f_sum(mlx_vector_array* res, const mlx_vector_array in) {
  mlx_array x = mlx_array_new(), y = mlx_array_new(), t = mlx_array_new();
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_vector_array_get(&y, in, 1) ||
           mlx_sin(&t, x, S) || mlx_multiply(&t, t, y, S) || mlx_sum(&t, t, false, S) ||
           mlx_vector_array_set_value(res, t);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(t);
  return rc;
}

/* g(x, y) = sin(x) * y elementwise (for jvp, custom rules and vmap). */
static int g_elem(mlx_vector_array* res, const mlx_vector_array in, void* payload) {
  int* calls = payload;
  if (calls) (*calls)++;
  mlx_array x = mlx_array_new(), y = mlx_array_new(), t = mlx_array_new();
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_vector_array_get(&y, in, 1) ||
           mlx_sin(&t, x, S) || mlx_multiply(&t, t, y, S) || mlx_vector_array_set_value(res, t);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(t);
  return rc;
}

static int dtor_calls = 0;
static void count_dtor(void* p) {
  (void)p;
  dtor_calls++;
}

static int plus_one(mlx_array* res, const mlx_array in) {
  mlx_array one = mlx_array_new_float(1.0f);
  int rc = mlx_add(res, in, one, S);
  mlx_array_free(one);
  return rc;
}

static int failing(mlx_vector_array* res, const mlx_vector_array in) {
  (void)res;
  (void)in;
  return 1;
}

static void test_closure_basics(void) {
  mlx_array x = vec3(X), y = vec3(Y);
  mlx_array xy[2] = {x, y};
  mlx_vector_array in = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array out = mlx_vector_array_new();

  mlx_closure empty = mlx_closure_new();
  CHECK(empty.ctx == NULL);
  CHECK(mlx_closure_apply(&out, empty, in) == 1);
  mlx_closure_free(empty);

  mlx_closure f = mlx_closure_new_func(f_sum);
  CHECK(mlx_closure_apply(&out, f, in) == 0);
  double want = 0;
  for (int i = 0; i < 3; i++) want += sin(X[i]) * Y[i];
  CHECK_NEAR(vat(out, 0, 0), want, 1e-5);

  /* A payload closure: its destructor runs once, when the last handle goes. */
  int calls = 0;
  dtor_calls = 0;
  mlx_closure g = mlx_closure_new_func_payload(g_elem, &calls, count_dtor);
  mlx_closure g2 = mlx_closure_new();
  CHECK(mlx_closure_set(&g2, g) == 0);
  CHECK(mlx_closure_apply(&out, g2, in) == 0);
  CHECK(calls == 1);
  CHECK_NEAR(vat(out, 0, 2), sin(X[2]) * Y[2], 1e-5);
  mlx_closure_free(g);
  CHECK(dtor_calls == 0);
  mlx_closure_free(g2);
  CHECK(dtor_calls == 1);

  mlx_closure u = mlx_closure_new_unary(plus_one);
  mlx_vector_array one_in = mlx_vector_array_new_value(x);
  CHECK(mlx_closure_apply(&out, u, one_in) == 0);
  CHECK_NEAR(vat(out, 0, 1), X[1] + 1.0f, 1e-6);
  CHECK(mlx_closure_apply(&out, u, in) == 1); /* two inputs to a unary closure */
  mlx_closure bad = mlx_closure_new_func(failing);
  CHECK(mlx_closure_apply(&out, bad, in) == 1);
  CHECK(mlx_closure_new_func(NULL).ctx == NULL);

  mlx_closure_free(bad);
  mlx_closure_free(u);
  mlx_closure_free(f);
  mlx_vector_array_free(one_in);
  mlx_vector_array_free(in);
  mlx_vector_array_free(out);
  mlx_array_free(x);
  mlx_array_free(y);
}

static int kw_fun(mlx_vector_array* res, const mlx_vector_array in, const mlx_map_string_to_array kw,
                  void* payload) {
  (void)payload;
  mlx_array x = mlx_array_new(), s = mlx_array_new();
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_map_string_to_array_get(&s, kw, "scale") ||
           mlx_multiply(&x, x, s, S) || mlx_vector_array_set_value(res, x);
  mlx_array_free(x);
  mlx_array_free(s);
  return rc;
}
static int kw_plain(mlx_vector_array* res, const mlx_vector_array in,
                    const mlx_map_string_to_array kw) {
  return kw_fun(res, in, kw, NULL);
}

static void test_closure_kwargs(void) {
  mlx_array x = vec3(X), s = mlx_array_new_float(3.0f);
  mlx_vector_array in = mlx_vector_array_new_value(x);
  mlx_map_string_to_array kw = mlx_map_string_to_array_new();
  mlx_map_string_to_array_insert(kw, "scale", s);
  mlx_vector_array out = mlx_vector_array_new();
  dtor_calls = 0;
  mlx_closure_kwargs a = mlx_closure_kwargs_new_func_payload(kw_fun, NULL, count_dtor);
  mlx_closure_kwargs b = mlx_closure_kwargs_new();
  CHECK(mlx_closure_kwargs_set(&b, a) == 0);
  CHECK(mlx_closure_kwargs_apply(&out, b, in, kw) == 0);
  CHECK_NEAR(vat(out, 0, 2), X[2] * 3.0f, 1e-6);
  mlx_closure_kwargs c = mlx_closure_kwargs_new_func(kw_plain);
  CHECK(mlx_closure_kwargs_apply(&out, c, in, kw) == 0);
  CHECK_NEAR(vat(out, 0, 0), X[0] * 3.0f, 1e-6);
  mlx_closure_kwargs_free(a);
  mlx_closure_kwargs_free(b);
  mlx_closure_kwargs_free(c);
  CHECK(dtor_calls == 1);
  mlx_map_string_to_array_free(kw);
  mlx_vector_array_free(in);
  mlx_vector_array_free(out);
  mlx_array_free(x);
  mlx_array_free(s);
}

static void test_vjp_jvp(void) {
  mlx_array x = vec3(X), y = vec3(Y), ones = mlx_array_new(), cot = mlx_array_new_float(2.0f);
  mlx_ones_like(&ones, x, S);
  mlx_array xy[2] = {x, y};
  mlx_vector_array primals = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array cots = mlx_vector_array_new_value(cot);
  mlx_vector_array outs = mlx_vector_array_new(), grads = mlx_vector_array_new();
  mlx_closure f = mlx_closure_new_func(f_sum);
  CHECK(mlx_vjp(&outs, &grads, f, primals, cots) == 0);
  CHECK(mlx_vector_array_size(grads) == 2);
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(vat(grads, 0, i), 2.0 * cos(X[i]) * Y[i], 1e-5);
    CHECK_NEAR(vat(grads, 1, i), 2.0 * sin(X[i]), 1e-5);
  }
  /* A wrong number of cotangents is an error, not a crash. */
  CHECK(mlx_vjp(&outs, &grads, f, primals, primals) == 1);

  /* jvp of g(x, y) = sin(x) * y with tangents (1, 1): cos(x) * y + sin(x). */
  mlx_closure g = mlx_closure_new_func_payload(g_elem, NULL, NULL);
  mlx_array tt[2] = {ones, ones};
  mlx_vector_array tans = mlx_vector_array_new_data(tt, 2);
  CHECK(mlx_jvp(&outs, &grads, g, primals, tans) == 0);
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(vat(outs, 0, i), sin(X[i]) * Y[i], 1e-5);
    CHECK_NEAR(vat(grads, 0, i), cos(X[i]) * Y[i] + sin(X[i]), 1e-5);
  }
  CHECK(mlx_jvp(&outs, &grads, g, primals, cots) == 1); /* one tangent for two primals */
  mlx_closure empty = mlx_closure_new();
  CHECK(mlx_jvp(&outs, &grads, empty, primals, tans) == 1);

  mlx_closure_free(f);
  mlx_closure_free(g);
  mlx_vector_array_free(primals);
  mlx_vector_array_free(cots);
  mlx_vector_array_free(tans);
  mlx_vector_array_free(outs);
  mlx_vector_array_free(grads);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(ones);
  mlx_array_free(cot);
}

static int my_vag(mlx_vector_array* r0, mlx_vector_array* r1, const mlx_vector_array in) {
  mlx_array a = mlx_array_new();
  int rc = mlx_vector_array_get(&a, in, 0) || mlx_vector_array_set_value(r0, a) ||
           mlx_vector_array_set_value(r1, a);
  mlx_array_free(a);
  return rc;
}
static int my_vag_p(mlx_vector_array* r0, mlx_vector_array* r1, const mlx_vector_array in, void* p) {
  (void)p;
  return my_vag(r0, r1, in);
}

static void test_value_and_grad(void) {
  mlx_array x = vec3(X), y = vec3(Y);
  mlx_array xy[2] = {x, y};
  mlx_vector_array in = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array vals = mlx_vector_array_new(), grads = mlx_vector_array_new();
  mlx_closure f = mlx_closure_new_func(f_sum);
  mlx_closure_value_and_grad vag = mlx_closure_value_and_grad_new();
  int argnums[2] = {1, 0};
  CHECK(mlx_value_and_grad(&vag, f, argnums, 2) == 0);
  CHECK(mlx_closure_value_and_grad_apply(&vals, &grads, vag, in) == 0);
  double want = 0;
  for (int i = 0; i < 3; i++) want += sin(X[i]) * Y[i];
  CHECK_NEAR(vat(vals, 0, 0), want, 1e-5);
  CHECK(mlx_vector_array_size(grads) == 2);
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(vat(grads, 0, i), sin(X[i]), 1e-5);         /* wrt y (argnums[0] = 1) */
    CHECK_NEAR(vat(grads, 1, i), cos(X[i]) * Y[i], 1e-5);  /* wrt x */
  }
  int bad = 5;
  mlx_closure_value_and_grad vag2 = mlx_closure_value_and_grad_new();
  CHECK(mlx_value_and_grad(&vag2, f, &bad, 1) == 0);
  CHECK(mlx_closure_value_and_grad_apply(&vals, &grads, vag2, in) == 1);
  CHECK(mlx_value_and_grad(&vag2, f, NULL, 0) == 1);
  /* Not a scalar: g's output has shape (3,). */
  mlx_closure g = mlx_closure_new_func_payload(g_elem, NULL, NULL);
  mlx_closure_value_and_grad vag3 = mlx_closure_value_and_grad_new();
  CHECK(mlx_value_and_grad(&vag3, g, argnums, 1) == 0);
  CHECK(mlx_closure_value_and_grad_apply(&vals, &grads, vag3, in) == 1);

  /* User-made value_and_grad closures. */
  mlx_closure_value_and_grad u = mlx_closure_value_and_grad_new_func(my_vag);
  mlx_closure_value_and_grad up = mlx_closure_value_and_grad_new_func_payload(my_vag_p, NULL, NULL);
  mlx_closure_value_and_grad us = mlx_closure_value_and_grad_new();
  CHECK(mlx_closure_value_and_grad_set(&us, up) == 0);
  CHECK(mlx_closure_value_and_grad_apply(&vals, &grads, u, in) == 0);
  CHECK_NEAR(vat(grads, 0, 1), X[1], 0);
  CHECK(mlx_closure_value_and_grad_apply(&vals, &grads, us, in) == 0);
  CHECK_NEAR(vat(vals, 0, 2), X[2], 0);

  mlx_closure_value_and_grad_free(u);
  mlx_closure_value_and_grad_free(up);
  mlx_closure_value_and_grad_free(us);
  mlx_closure_value_and_grad_free(vag);
  mlx_closure_value_and_grad_free(vag2);
  mlx_closure_value_and_grad_free(vag3);
  mlx_closure_free(f);
  mlx_closure_free(g);
  mlx_vector_array_free(in);
  mlx_vector_array_free(vals);
  mlx_vector_array_free(grads);
  mlx_array_free(x);
  mlx_array_free(y);
}

/* Custom rules for g(x, y) = sin(x) * y, each 10x the true derivative. */
static int rule_calls[3];
static int g_vjp(mlx_vector_array* res, const mlx_vector_array primals,
                 const mlx_vector_array cots, const mlx_vector_array outs) {
  (void)outs;
  rule_calls[0]++;
  mlx_array x = mlx_array_new(), y = mlx_array_new(), c = mlx_array_new(), a = mlx_array_new(),
            b = mlx_array_new(), ten = mlx_array_new_float(10.0f);
  int rc = mlx_vector_array_get(&x, primals, 0) || mlx_vector_array_get(&y, primals, 1) ||
           mlx_vector_array_get(&c, cots, 0) || mlx_cos(&a, x, S) || mlx_multiply(&a, a, y, S) ||
           mlx_multiply(&a, a, c, S) || mlx_multiply(&a, a, ten, S) || mlx_sin(&b, x, S) ||
           mlx_multiply(&b, b, c, S) || mlx_multiply(&b, b, ten, S);
  mlx_array ab[2] = {a, b};
  if (rc == 0) rc = mlx_vector_array_set_data(res, ab, 2);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(c), mlx_array_free(a), mlx_array_free(b);
  mlx_array_free(ten);
  return rc;
}
static int g_vjp_p(mlx_vector_array* res, const mlx_vector_array p, const mlx_vector_array c,
                   const mlx_vector_array o, void* payload) {
  (void)payload;
  return g_vjp(res, p, c, o);
}
static int g_jvp(mlx_vector_array* res, const mlx_vector_array primals,
                 const mlx_vector_array tangents, const int* argnums, size_t n) {
  rule_calls[1]++;
  /* Only the tangent of x is used; the test passes one for x alone. */
  if (n != 1 || argnums[0] != 0) return 1;
  mlx_array x = mlx_array_new(), y = mlx_array_new(), t = mlx_array_new(), a = mlx_array_new(),
            ten = mlx_array_new_float(10.0f);
  int rc = mlx_vector_array_get(&x, primals, 0) || mlx_vector_array_get(&y, primals, 1) ||
           mlx_vector_array_get(&t, tangents, 0) || mlx_cos(&a, x, S) ||
           mlx_multiply(&a, a, y, S) || mlx_multiply(&a, a, t, S) || mlx_multiply(&a, a, ten, S) ||
           mlx_vector_array_set_value(res, a);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(t), mlx_array_free(a), mlx_array_free(ten);
  return rc;
}
static int g_jvp_p(mlx_vector_array* res, const mlx_vector_array p, const mlx_vector_array t,
                   const int* a, size_t n, void* payload) {
  (void)payload;
  return g_jvp(res, p, t, a, n);
}
static int g_vmap(mlx_vector_array* res, mlx_vector_int* axes, const mlx_vector_array in,
                  const int* in_axes, size_t n) {
  rule_calls[2]++;
  /* Both inputs batched along axis 0 in this test: 10 * sin(x) * y, axis 0. */
  if (n != 2 || in_axes[0] != 0 || in_axes[1] != 0) return 1;
  mlx_array x = mlx_array_new(), y = mlx_array_new(), a = mlx_array_new(),
            ten = mlx_array_new_float(10.0f);
  int rc = mlx_vector_array_get(&x, in, 0) || mlx_vector_array_get(&y, in, 1) ||
           mlx_sin(&a, x, S) || mlx_multiply(&a, a, y, S) || mlx_multiply(&a, a, ten, S) ||
           mlx_vector_array_set_value(res, a) || mlx_vector_int_set_value(axes, 0);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(a), mlx_array_free(ten);
  return rc;
}
static int g_vmap_p(mlx_vector_array* res, mlx_vector_int* axes, const mlx_vector_array in,
                    const int* in_axes, size_t n, void* payload) {
  (void)payload;
  return g_vmap(res, axes, in, in_axes, n);
}

static void test_custom_closures_apply(void) {
  mlx_array x = vec3(X), y = vec3(Y), one = mlx_array_new_float(1.0f);
  mlx_array xy[2] = {x, y};
  mlx_vector_array p = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array c = mlx_vector_array_new_value(one);
  mlx_vector_array out = mlx_vector_array_new();
  mlx_vector_int ax = mlx_vector_int_new();
  int argnum = 0, axes[2] = {0, 0};
  memset(rule_calls, 0, sizeof rule_calls);
  dtor_calls = 0;

  mlx_closure_custom cv = mlx_closure_custom_new_func(g_vjp);
  mlx_closure_custom cvp = mlx_closure_custom_new_func_payload(g_vjp_p, NULL, count_dtor);
  mlx_closure_custom cvs = mlx_closure_custom_new();
  CHECK(mlx_closure_custom_set(&cvs, cvp) == 0);
  CHECK(mlx_closure_custom_apply(&out, cv, p, c, c) == 0);
  CHECK_NEAR(vat(out, 1, 0), 10 * sin(X[0]), 1e-5);
  CHECK(mlx_closure_custom_apply(&out, cvs, p, c, c) == 0);
  CHECK(rule_calls[0] == 2);

  mlx_closure_custom_jvp cj = mlx_closure_custom_jvp_new_func(g_jvp);
  mlx_closure_custom_jvp cjp = mlx_closure_custom_jvp_new_func_payload(g_jvp_p, NULL, count_dtor);
  mlx_closure_custom_jvp cjs = mlx_closure_custom_jvp_new();
  CHECK(mlx_closure_custom_jvp_set(&cjs, cjp) == 0);
  mlx_vector_array t = mlx_vector_array_new_value(one);
  CHECK(mlx_closure_custom_jvp_apply(&out, cj, p, t, &argnum, 1) == 0);
  CHECK_NEAR(vat(out, 0, 2), 10 * cos(X[2]) * Y[2], 1e-4);
  CHECK(mlx_closure_custom_jvp_apply(&out, cjs, p, t, &argnum, 1) == 0);
  CHECK(mlx_closure_custom_jvp_apply(&out, cjs, p, t, axes, 2) == 1); /* the rule refuses */

  mlx_closure_custom_vmap cm = mlx_closure_custom_vmap_new_func(g_vmap);
  mlx_closure_custom_vmap cmp = mlx_closure_custom_vmap_new_func_payload(g_vmap_p, NULL, count_dtor);
  mlx_closure_custom_vmap cms = mlx_closure_custom_vmap_new();
  CHECK(mlx_closure_custom_vmap_set(&cms, cmp) == 0);
  CHECK(mlx_closure_custom_vmap_apply(&out, &ax, cm, p, axes, 2) == 0);
  int a0 = -5;
  CHECK(mlx_vector_int_get(&a0, ax, 0) == 0 && a0 == 0);
  CHECK(mlx_closure_custom_vmap_apply(&out, &ax, cms, p, axes, 2) == 0);
  CHECK(rule_calls[2] == 2);

  mlx_closure_custom empty = mlx_closure_custom_new();
  CHECK(mlx_closure_custom_apply(&out, empty, p, c, c) == 1);

  mlx_closure_custom_free(cv), mlx_closure_custom_free(cvp), mlx_closure_custom_free(cvs);
  mlx_closure_custom_jvp_free(cj), mlx_closure_custom_jvp_free(cjp), mlx_closure_custom_jvp_free(cjs);
  mlx_closure_custom_vmap_free(cm), mlx_closure_custom_vmap_free(cmp);
  mlx_closure_custom_vmap_free(cms);
  CHECK(dtor_calls == 3);
  mlx_vector_array_free(p), mlx_vector_array_free(c), mlx_vector_array_free(t);
  mlx_vector_array_free(out);
  mlx_vector_int_free(ax);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(one);
}

static void test_custom_function(void) {
  mlx_array x = vec3(X), y = vec3(Y), ones = mlx_array_new();
  mlx_ones_like(&ones, x, S);
  mlx_array xy[2] = {x, y};
  mlx_vector_array p = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array c = mlx_vector_array_new_value(ones);
  mlx_array tx[2] = {ones, mlx_array_new()};
  mlx_zeros_like(&tx[1], y, S);
  mlx_vector_array t = mlx_vector_array_new_data(tx, 2);
  mlx_vector_array outs = mlx_vector_array_new(), res = mlx_vector_array_new();
  memset(rule_calls, 0, sizeof rule_calls);

  int fcalls = 0;
  mlx_closure g = mlx_closure_new_func_payload(g_elem, &fcalls, NULL);
  mlx_closure_custom cv = mlx_closure_custom_new_func(g_vjp);
  mlx_closure_custom_jvp cj = mlx_closure_custom_jvp_new_func(g_jvp);
  mlx_closure_custom_vmap cm = mlx_closure_custom_vmap_new_func(g_vmap);
  mlx_closure cf = mlx_closure_new();
  CHECK(mlx_custom_function(&cf, g, cv, cj, cm) == 0);

  /* Forward: the function itself. */
  CHECK(mlx_closure_apply(&outs, cf, p) == 0);
  CHECK_NEAR(vat(outs, 0, 1), sin(X[1]) * Y[1], 1e-6);
  /* vjp uses the custom rule (10x). */
  CHECK(mlx_vjp(&outs, &res, cf, p, c) == 0);
  CHECK(rule_calls[0] == 1);
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(vat(res, 0, i), 10 * cos(X[i]) * Y[i], 1e-4);
    CHECK_NEAR(vat(res, 1, i), 10 * sin(X[i]), 1e-4);
  }
  /* jvp: the tangent of y is zero but still passed; the rule gets both, so
   * it refuses (n == 2) ... unless only x has a tangent; a zero tangent is
   * still a tangent, so the rule fails and so does mlx_jvp. */
  CHECK(mlx_jvp(&outs, &res, cf, p, t) == 1);
  /* With a closure over x alone the rule sees argnums {0}. */
  mlx_closure_free(cf);
  cf = mlx_closure_new();
  CHECK(mlx_custom_function(&cf, g, (mlx_closure_custom){NULL}, cj, (mlx_closure_custom_vmap){NULL}) == 0);
  CHECK(mlx_vjp(&outs, &res, cf, p, c) == 0); /* no custom vjp: the function's own */
  for (int i = 0; i < 3; i++) CHECK_NEAR(vat(res, 0, i), cos(X[i]) * Y[i], 1e-5);

  /* mlx_custom_vjp: only the vjp replaced; jvp falls back to the function. */
  mlx_closure cvj = mlx_closure_new();
  CHECK(mlx_custom_vjp(&cvj, g, cv) == 0);
  mlx_array tt[2] = {ones, ones};
  mlx_vector_array t11 = mlx_vector_array_new_data(tt, 2);
  CHECK(mlx_jvp(&outs, &res, cvj, p, t11) == 0);
  for (int i = 0; i < 3; i++) CHECK_NEAR(vat(res, 0, i), cos(X[i]) * Y[i] + sin(X[i]), 1e-5);
  CHECK(mlx_vjp(&outs, &res, cvj, p, c) == 0);
  CHECK_NEAR(vat(res, 1, 0), 10 * sin(X[0]), 1e-4);
  CHECK(mlx_custom_vjp(&cvj, g, (mlx_closure_custom){NULL}) == 1);

  /* Checkpoint: same gradients, and the function runs again in the backward pass. */
  mlx_closure ck = mlx_closure_new();
  CHECK(mlx_checkpoint(&ck, g) == 0);
  fcalls = 0;
  CHECK(mlx_vjp(&outs, &res, ck, p, c) == 0);
  CHECK(fcalls == 2);
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(vat(outs, 0, i), sin(X[i]) * Y[i], 1e-6);
    CHECK_NEAR(vat(res, 0, i), cos(X[i]) * Y[i], 1e-5);
    CHECK_NEAR(vat(res, 1, i), sin(X[i]), 1e-5);
  }
  mlx_closure empty = mlx_closure_new();
  CHECK(mlx_checkpoint(&ck, empty) == 1);

  mlx_closure_free(ck);
  mlx_closure_free(cvj);
  mlx_closure_free(cf);
  mlx_closure_free(g);
  mlx_closure_custom_free(cv);
  mlx_closure_custom_jvp_free(cj);
  mlx_closure_custom_vmap_free(cm);
  mlx_vector_array_free(p), mlx_vector_array_free(c), mlx_vector_array_free(t);
  mlx_vector_array_free(t11), mlx_vector_array_free(outs), mlx_vector_array_free(res);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(ones), mlx_array_free(tx[1]);
}

/* h(x) = g(x, y0) with y0 fixed, through a custom function with a jvp
 * rule: the rule sees argnums {0} only. */
static mlx_closure G_CUSTOM;
static int h_fun(mlx_vector_array* res, const mlx_vector_array in) {
  mlx_array x = mlx_array_new(), y = vec3(Y);
  int rc = mlx_vector_array_get(&x, in, 0);
  mlx_array xy[2] = {x, y};
  mlx_vector_array v = mlx_vector_array_new_data(xy, 2);
  if (rc == 0) rc = mlx_closure_apply(res, G_CUSTOM, v);
  mlx_vector_array_free(v);
  mlx_array_free(x);
  mlx_array_free(y);
  return rc;
}

static void test_custom_jvp_argnums(void) {
  mlx_array x = vec3(X), ones = mlx_array_new();
  mlx_ones_like(&ones, x, S);
  mlx_closure g = mlx_closure_new_func_payload(g_elem, NULL, NULL);
  mlx_closure_custom_jvp cj = mlx_closure_custom_jvp_new_func(g_jvp);
  G_CUSTOM = mlx_closure_new();
  CHECK(mlx_custom_function(&G_CUSTOM, g, (mlx_closure_custom){NULL}, cj,
                            (mlx_closure_custom_vmap){NULL}) == 0);
  mlx_closure h = mlx_closure_new_func(h_fun);
  mlx_vector_array p = mlx_vector_array_new_value(x), t = mlx_vector_array_new_value(ones);
  mlx_vector_array outs = mlx_vector_array_new(), res = mlx_vector_array_new();
  memset(rule_calls, 0, sizeof rule_calls);
  CHECK(mlx_jvp(&outs, &res, h, p, t) == 0);
  CHECK(rule_calls[1] == 1);
  for (int i = 0; i < 3; i++) CHECK_NEAR(vat(res, 0, i), 10 * cos(X[i]) * Y[i], 1e-4);
  mlx_closure_free(h);
  mlx_closure_free(G_CUSTOM);
  mlx_closure_free(g);
  mlx_closure_custom_jvp_free(cj);
  mlx_vector_array_free(p), mlx_vector_array_free(t), mlx_vector_array_free(outs);
  mlx_vector_array_free(res);
  mlx_array_free(x), mlx_array_free(ones);
}

static void test_compile(void) {
  mlx_array x = vec3(X), y = vec3(Y);
  mlx_array xy[2] = {x, y};
  mlx_vector_array in = mlx_vector_array_new_data(xy, 2);
  mlx_vector_array out = mlx_vector_array_new();
  int calls = 0;
  mlx_closure g = mlx_closure_new_func_payload(g_elem, &calls, NULL);
  mlx_closure cg = mlx_closure_new();
  CHECK(mlx_compile(&cg, g, false) == 0);
  CHECK(mlx_closure_apply(&out, cg, in) == 0);
  CHECK(mlx_closure_apply(&out, cg, in) == 0);
  CHECK(calls == 1); /* traced once for this signature */
  CHECK_NEAR(vat(out, 0, 2), sin(X[2]) * Y[2], 1e-6);
  /* A new shape traces again. */
  float x4[4] = {1, 2, 3, 4};
  int s4[1] = {4};
  mlx_array a4 = mlx_array_new_data(x4, s4, 1, MLX_FLOAT32);
  mlx_array aa[2] = {a4, a4};
  mlx_vector_array in4 = mlx_vector_array_new_data(aa, 2);
  CHECK(mlx_closure_apply(&out, cg, in4) == 0);
  CHECK(calls == 2);
  CHECK_NEAR(vat(out, 0, 3), sin(4.0) * 4.0, 1e-5);
  /* Transforms see through compiled closures. */
  mlx_vector_array grads = mlx_vector_array_new();
  mlx_array ones = mlx_array_new();
  mlx_ones_like(&ones, x, S);
  mlx_vector_array c = mlx_vector_array_new_value(ones);
  CHECK(mlx_vjp(&out, &grads, cg, in, c) == 0);
  CHECK_NEAR(vat(grads, 0, 1), cos(X[1]) * Y[1], 1e-5);

  /* Disabled: the function runs each time. */
  CHECK(mlx_disable_compile() == 0);
  calls = 0;
  CHECK(mlx_closure_apply(&out, cg, in) == 0);
  CHECK(mlx_closure_apply(&out, cg, in) == 0);
  CHECK(calls == 2);
  CHECK(mlx_enable_compile() == 0);
  CHECK(mlx_set_compile_mode(MLX_COMPILE_MODE_DISABLED) == 0);
  calls = 0;
  CHECK(mlx_closure_apply(&out, cg, in) == 0);
  CHECK(calls == 1);
  CHECK(mlx_set_compile_mode(MLX_COMPILE_MODE_NO_FUSE) == 0);
  CHECK(mlx_set_compile_mode(MLX_COMPILE_MODE_NO_SIMPLIFY) == 0);
  CHECK(mlx_set_compile_mode(MLX_COMPILE_MODE_ENABLED) == 0);
  CHECK(mlx_set_compile_mode((mlx_compile_mode)42) == 1);

  /* Shapeless: one trace serves both lengths. */
  mlx_closure sg = mlx_closure_new();
  uint64_t consts[1] = {7};
  CHECK(mlx_detail_compile(&sg, g, 1234, true, consts, 1) == 0);
  calls = 0;
  CHECK(mlx_closure_apply(&out, sg, in) == 0);
  CHECK(mlx_closure_apply(&out, sg, in4) == 0);
  CHECK(calls == 1);
  CHECK_NEAR(vat(out, 0, 3), sin(4.0) * 4.0, 1e-5);
  CHECK(mlx_detail_compile_erase(1234) == 0);
  CHECK(mlx_detail_compile_clear_cache() == 0);
  mlx_closure empty = mlx_closure_new();
  CHECK(mlx_compile(&sg, empty, false) == 1);

  /* mlx_eval and mlx_async_eval over a vector. */
  CHECK(mlx_async_eval(out) == 0);
  CHECK(mlx_eval(out) == 0);

  mlx_closure_free(sg);
  mlx_closure_free(cg);
  mlx_closure_free(g);
  mlx_vector_array_free(in), mlx_vector_array_free(in4), mlx_vector_array_free(out);
  mlx_vector_array_free(grads), mlx_vector_array_free(c);
  mlx_array_free(x), mlx_array_free(y), mlx_array_free(a4), mlx_array_free(ones);
}

/* vmap through the detail API: g(x, y) = sin(x) * y mapped over the rows
 * of a 2x3 x (axis 0) with y passed whole, outputs mapped to axis 1. */
static void test_detail_vmap(void) {
  float xs[6] = {0.5f, -1.0f, 2.0f, 1.5f, 0.0f, -0.5f};
  int shape[2] = {2, 3};
  mlx_array x = mlx_array_new_data(xs, shape, 2, MLX_FLOAT32);
  mlx_array y = vec3(Y);
  mlx_vector_array in = mlx_vector_array_new();
  mlx_vector_array_append_value(in, x);
  mlx_vector_array_append_value(in, y);
  mlx_closure g = mlx_closure_new_func_payload(g_elem, NULL, NULL);
  mlx_vector_array s_in = mlx_vector_array_new(), s_out = mlx_vector_array_new();
  int in_axes[2] = {0, -1};
  CHECK(mlx_detail_vmap_trace(&s_in, &s_out, g, in, in_axes, 2) == 0);
  CHECK(mlx_vector_array_size(s_in) == 2 && mlx_vector_array_size(s_out) == 1);
  mlx_array t = mlx_array_new();
  CHECK(mlx_vector_array_get(&t, s_in, 0) == 0 && mlx_array_ndim(t) == 1 && mlx_array_dim(t, 0) == 3);
  mlx_array_free(t);
  mlx_vector_array res = mlx_vector_array_new();
  int out_axes[1] = {1};
  CHECK(mlx_detail_vmap_replace(&res, in, s_in, s_out, in_axes, 2, out_axes, 1) == 0);
  mlx_array r = mlx_array_new();
  CHECK(mlx_vector_array_get(&r, res, 0) == 0);
  CHECK(mlx_array_ndim(r) == 2 && mlx_array_dim(r, 0) == 3 && mlx_array_dim(r, 1) == 2);
  /* The batch axis was moved to 1 by a view: read a row-major copy. */
  CHECK(mlx_contiguous(&r, r, false, S) == 0);
  /* r[j, i] = sin(x[i, j]) * y[j] */
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) CHECK_NEAR(at(r, j * 2 + i), sinf(xs[i * 3 + j]) * Y[j], 1e-6);
  /* Mismatched axes are reported, not crashed on. */
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  int bad_axes[1] = {0};
  CHECK(mlx_detail_vmap_trace(&s_in, &s_out, g, in, bad_axes, 1) != 0);
  int both_none[2] = {-1, -1};
  CHECK(mlx_detail_vmap_trace(&s_in, &s_out, g, in, both_none, 2) != 0);
  mlx_set_error_handler(NULL, NULL, NULL);
  mlx_array_free(r);
  mlx_vector_array_free(res);
  mlx_vector_array_free(s_in);
  mlx_vector_array_free(s_out);
  mlx_closure_free(g);
  mlx_vector_array_free(in);
  mlx_array_free(x);
  mlx_array_free(y);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_closure_basics);
  RUN(test_closure_kwargs);
  RUN(test_vjp_jvp);
  RUN(test_value_and_grad);
  RUN(test_custom_closures_apply);
  RUN(test_custom_function);
  RUN(test_custom_jvp_argnums);
  RUN(test_compile);
  RUN(test_detail_vmap);
  mlx_stream_free(S);
  return test_summary();
}
