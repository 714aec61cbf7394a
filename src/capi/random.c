/* mlx-c's random.h over src/ops/random_*.c: argument checks and handle
 * conversion only.  An empty key handle means "use the global sequence". */
#include <limits.h>

#include "capi.h"
#include "mlx/c/random.h"

#define SHAPE(shape, n, fn) \
  if (!mx__capi_shape(shape, n, fn)) return 1
#define DTYPE(var, d) \
  mx_dtype var;       \
  if (!mx__capi_dtype(d, &var)) return 1

/* The optional key: NULL for an empty handle. */
static mx_array* opt(mlx_array a) { return (mx_array*)a.ctx; }

int mlx_random_bernoulli(mlx_array* res, const mlx_array p, const int* shape, size_t shape_num,
                         const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_bernoulli");
  ARG(pa, p);
  SHAPE(shape, shape_num, "mlx_random_bernoulli");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_bernoulli(pa, (int)shape_num, shape, opt(key), st));
}

int mlx_random_bits(mlx_array* res, const int* shape, size_t shape_num, int width,
                    const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_bits");
  SHAPE(shape, shape_num, "mlx_random_bits");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_bits((int)shape_num, shape, width, opt(key), st));
}

int mlx_random_categorical_shape(mlx_array* res, const mlx_array logits, int axis,
                                 const int* shape, size_t shape_num, const mlx_array key,
                                 const mlx_stream s) {
  OUT(res, "mlx_random_categorical_shape");
  ARG(l, logits);
  SHAPE(shape, shape_num, "mlx_random_categorical_shape");
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_categorical_shape(l, axis, (int)shape_num, shape, opt(key), st));
}

int mlx_random_categorical_num_samples(mlx_array* res, const mlx_array logits_, int axis,
                                       int num_samples, const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_categorical_num_samples");
  ARG(l, logits_);
  STREAM(st, s);
  return mx__capi_put_array(res,
                            mx_random_categorical_num_samples(l, axis, num_samples, opt(key), st));
}

int mlx_random_categorical(mlx_array* res, const mlx_array logits, int axis, const mlx_array key,
                           const mlx_stream s) {
  OUT(res, "mlx_random_categorical");
  ARG(l, logits);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_categorical(l, axis, opt(key), st));
}

int mlx_random_gumbel(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                      const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_gumbel");
  SHAPE(shape, shape_num, "mlx_random_gumbel");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_gumbel((int)shape_num, shape, dt, opt(key), st));
}

int mlx_random_key(mlx_array* res, uint64_t seed) {
  OUT(res, "mlx_random_key");
  return mx__capi_put_array(res, mx_random_key(seed));
}

int mlx_random_laplace(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                       float loc, float scale, const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_laplace");
  SHAPE(shape, shape_num, "mlx_random_laplace");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_laplace((int)shape_num, shape, dt, loc, scale, opt(key), st));
}

int mlx_random_multivariate_normal(mlx_array* res, const mlx_array mean, const mlx_array cov,
                                   const int* shape, size_t shape_num, mlx_dtype dtype,
                                   const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_multivariate_normal");
  ARG(m, mean);
  ARG(c, cov);
  SHAPE(shape, shape_num, "mlx_random_multivariate_normal");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_multivariate_normal(m, c, (int)shape_num, shape, dt, opt(key), st));
}

int mlx_random_normal_broadcast(mlx_array* res, const int* shape, size_t shape_num,
                                mlx_dtype dtype, const mlx_array loc, const mlx_array scale,
                                const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_normal_broadcast");
  SHAPE(shape, shape_num, "mlx_random_normal_broadcast");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_normal((int)shape_num, shape, dt, opt(loc), opt(scale), opt(key), st));
}

int mlx_random_normal(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                      float loc, float scale, const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_normal");
  SHAPE(shape, shape_num, "mlx_random_normal");
  DTYPE(dt, dtype);
  STREAM(st, s);
  /* As in MLX, loc 0 and scale 1 mean "none"; other values become arrays
   * of the result dtype. */
  bool ok = mx_dtype_is_inexact(dt);
  mx_array* l = ok && loc != 0.0f ? mx_array_scalar_f64(loc, dt) : NULL;
  mx_array* sc = ok && scale != 1.0f ? mx_array_scalar_f64(scale, dt) : NULL;
  mx_array* out = mx_random_normal((int)shape_num, shape, dt, l, sc, opt(key), st);
  mx_array_release(l);
  mx_array_release(sc);
  return mx__capi_put_array(res, out);
}

int mlx_random_permutation(mlx_array* res, const mlx_array x, int axis, const mlx_array key,
                           const mlx_stream s) {
  OUT(res, "mlx_random_permutation");
  ARG(a, x);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_permutation(a, axis, opt(key), st));
}

int mlx_random_permutation_arange(mlx_array* res, int x, const mlx_array key,
                                  const mlx_stream s) {
  OUT(res, "mlx_random_permutation_arange");
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_permutation_arange(x, opt(key), st));
}

int mlx_random_randint(mlx_array* res, const mlx_array low, const mlx_array high,
                       const int* shape, size_t shape_num, mlx_dtype dtype, const mlx_array key,
                       const mlx_stream s) {
  OUT(res, "mlx_random_randint");
  ARG(lo, low);
  ARG(hi, high);
  SHAPE(shape, shape_num, "mlx_random_randint");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_randint(lo, hi, (int)shape_num, shape, dt, opt(key), st));
}

int mlx_random_seed(uint64_t seed) {
  mx_random_seed(seed);
  return 0;
}

int mlx_random_split_num(mlx_array* res, const mlx_array key, int num, const mlx_stream s) {
  OUT(res, "mlx_random_split_num");
  ARG(k, key);
  STREAM(st, s);
  return mx__capi_put_array(res, mx_random_split_num(k, num, st));
}

int mlx_random_split(mlx_array* res_0, mlx_array* res_1, const mlx_array key,
                     const mlx_stream s) {
  OUT(res_0, "mlx_random_split");
  OUT(res_1, "mlx_random_split");
  ARG(k, key);
  STREAM(st, s);
  mx_array *a, *b;
  if (mx_random_split(k, st, &a, &b) != 0) return mx__capi_fail();
  mx__capi_put_array(res_0, a);
  return mx__capi_put_array(res_1, b);
}

int mlx_random_truncated_normal(mlx_array* res, const mlx_array lower, const mlx_array upper,
                                const int* shape, size_t shape_num, mlx_dtype dtype,
                                const mlx_array key, const mlx_stream s) {
  OUT(res, "mlx_random_truncated_normal");
  ARG(lo, lower);
  ARG(up, upper);
  SHAPE(shape, shape_num, "mlx_random_truncated_normal");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_truncated_normal(lo, up, (int)shape_num, shape, dt, opt(key), st));
}

int mlx_random_uniform(mlx_array* res, const mlx_array low, const mlx_array high,
                       const int* shape, size_t shape_num, mlx_dtype dtype, const mlx_array key,
                       const mlx_stream s) {
  OUT(res, "mlx_random_uniform");
  ARG(lo, low);
  ARG(hi, high);
  SHAPE(shape, shape_num, "mlx_random_uniform");
  DTYPE(dt, dtype);
  STREAM(st, s);
  return mx__capi_put_array(
      res, mx_random_uniform(lo, hi, (int)shape_num, shape, dt, opt(key), st));
}
