/* The random family's mlx-c functions: every one is called, and results are
 * compared with values recorded from real MLX 0.32.4 for the same keys
 * (printed by the MLX Python API; see tests/python/gen_random_refs.py for
 * the recorded Python-side cases).  Errors return 1 without aborting. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;

static mlx_array K(uint64_t seed) {
  mlx_array k = mlx_array_new();
  CHECK(mlx_random_key(&k, seed) == 0);
  return k;
}

/* Evaluates `a` and compares its elements with `want` (exactly); frees `a`. */
#define WANT(a, T, getter, ...)                                              \
  do {                                                                       \
    mlx_array got_ = (a);                                                    \
    const T want_[] = {__VA_ARGS__};                                         \
    size_t n_ = sizeof want_ / sizeof want_[0];                              \
    CHECK(mlx_array_eval(got_) == 0);                                        \
    CHECK(mlx_array_size(got_) == n_);                                       \
    const T* p_ = getter(got_);                                              \
    bool same_ = p_ != NULL && mlx_array_size(got_) == n_;                   \
    for (size_t i_ = 0; same_ && i_ < n_; i_++) same_ = p_[i_] == want_[i_]; \
    CHECK(same_);                                                            \
    mlx_array_free(got_);                                                    \
  } while (0)

static mlx_array f32(float v) { return mlx_array_new_float(v); }

static void test_keys_and_bits(void) {
  mlx_array k = K(0), r = mlx_array_new(), r2 = mlx_array_new();
  WANT(K(0), uint32_t, mlx_array_data_uint32, 0u, 0u);
  WANT(K(UINT64_MAX), uint32_t, mlx_array_data_uint32, 4294967295u, 4294967295u);
  WANT(K(1234567890123ull), uint32_t, mlx_array_data_uint32, 287u, 1912276171u);

  CHECK(mlx_random_split(&r, &r2, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 4146024105u, 967050713u);
  WANT(r2, uint32_t, mlx_array_data_uint32, 2718843009u, 1272950319u);
  r = mlx_array_new();
  r2 = mlx_array_new();
  CHECK(mlx_random_split_num(&r, k, 3, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 2467461003u, 428148500u, 3186719485u, 3840466878u,
       2562233961u, 1946702221u);

  /* Bits: 4-byte words, and the same byte stream read as bytes and halves. */
  int two = 2, four = 4, five = 5;
  r = mlx_array_new();
  CHECK(mlx_random_bits(&r, &two, 1, 4, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 928981903u, 3453687069u);
  r = mlx_array_new();
  CHECK(mlx_random_bits(&r, &five, 1, 1, k, S) == 0);
  WANT(r, uint8_t, mlx_array_data_uint8, 143, 35, 95, 55, 29);
  r = mlx_array_new();
  CHECK(mlx_random_bits(&r, &four, 1, 2, k, S) == 0);
  WANT(r, uint16_t, mlx_array_data_uint16, 928981903u & 0xffff, 928981903u >> 16,
       3453687069u & 0xffff, 3453687069u >> 16);

  /* Bad widths and keys fail with 1. */
  r = mlx_array_new();
  CHECK(mlx_random_bits(&r, &two, 1, 3, k, S) == 1);
  mlx_array bad = mlx_array_new_int(3);
  CHECK(mlx_random_split_num(&r, bad, 2, S) == 1);
  mlx_array_free(bad);
  mlx_array_free(r);
  mlx_array_free(k);
}

static void test_global_sequence(void) {
  mlx_array r = mlx_array_new(), lo = f32(0), hi = f32(1), nokey = mlx_array_new();
  int four = 4;
  CHECK(mlx_random_seed(0) == 0);
  CHECK(mlx_random_uniform(&r, lo, hi, &four, 1, MLX_FLOAT32, nokey, S) == 0);
  WANT(r, float, mlx_array_data_float32, 0.8724143505096436f, 0.4430209994316101f,
       0.2770805358886719f, 0.7865950465202332f);
  mlx_array_free(lo);
  mlx_array_free(hi);
}

static void test_distributions(void) {
  mlx_array r = mlx_array_new();
  mlx_array lo = f32(0), hi = f32(1);
  int three = 3, four = 4, five = 5, six = 6, two = 2;
  mlx_array k;

  k = K(2);
  CHECK(mlx_random_uniform(&r, lo, hi, &three, 1, MLX_FLOAT32, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, 0.6658619046211243f, 0.8594386577606201f,
       0.5647950768470764f);
  r = mlx_array_new();
  CHECK(mlx_random_uniform(&r, lo, hi, &three, 1, MLX_INT32, k, S) == 1);
  mlx_array_free(k);

  k = K(7);
  r = mlx_array_new();
  CHECK(mlx_random_normal(&r, &four, 1, MLX_FLOAT32, 0.5f, 2.0f, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, -1.010932445526123f, -0.9754747152328491f,
       0.2669053077697754f, -0.8713294267654419f);
  float locv[2] = {1.0f, -1.0f};
  mlx_array loc = mlx_array_new_data(locv, &two, 1, MLX_FLOAT32), none = mlx_array_new();
  r = mlx_array_new();
  CHECK(mlx_random_normal_broadcast(&r, &two, 1, MLX_FLOAT32, loc, none, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, -0.6910606622695923f, 0.6054807901382446f);
  mlx_array_free(loc);
  mlx_array_free(k);

  k = K(11);
  mlx_array ilo = mlx_array_new_int(0), ihi = mlx_array_new_int(10);
  r = mlx_array_new();
  CHECK(mlx_random_randint(&r, ilo, ihi, &five, 1, MLX_INT32, k, S) == 0);
  WANT(r, int32_t, mlx_array_data_int32, 7, 8, 2, 6, 1);
  r = mlx_array_new();
  CHECK(mlx_random_randint(&r, ilo, ihi, &five, 1, MLX_FLOAT32, k, S) == 1);
  mlx_array_free(ilo);
  mlx_array_free(ihi);
  mlx_array_free(k);

  k = K(13);
  mlx_array p = f32(0.3f);
  r = mlx_array_new();
  CHECK(mlx_random_bernoulli(&r, p, &six, 1, k, S) == 0);
  WANT(r, bool, mlx_array_data_bool, true, false, false, false, false, false);
  mlx_array_free(p);
  mlx_array_free(k);

  k = K(17);
  mlx_array a = f32(-1.0f), b = f32(2.0f);
  r = mlx_array_new();
  CHECK(mlx_random_truncated_normal(&r, a, b, &four, 1, MLX_FLOAT32, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, -0.463773250579834f, 1.8575284481048584f,
       1.627109408378601f, 0.1877160370349884f);
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_array_free(k);

  k = K(19);
  r = mlx_array_new();
  CHECK(mlx_random_gumbel(&r, &four, 1, MLX_FLOAT32, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, -0.07022275030612946f, 0.278322696685791f,
       1.1814372539520264f, -0.2566254734992981f);
  mlx_array_free(k);

  k = K(23);
  r = mlx_array_new();
  CHECK(mlx_random_laplace(&r, &four, 1, MLX_FLOAT32, 0.3f, 1.7f, k, S) == 0);
  WANT(r, float, mlx_array_data_float32, 0.2899291515350342f, -0.42457783222198486f,
       -8.936073303222656f, -0.596040666103363f);
  r = mlx_array_new();
  CHECK(mlx_random_laplace(&r, &four, 1, MLX_INT32, 0.3f, 1.7f, k, S) == 1);
  mlx_array_free(k);
  mlx_array_free(lo);
  mlx_array_free(hi);
  mlx_array_free(r);
}

static void test_sampling(void) {
  float pv[6] = {0.1f, 0.2f, 0.7f, 0.5f, 0.25f, 0.25f};
  int sh[2] = {2, 3}, out_shape[2] = {3, 2};
  mlx_array probs = mlx_array_new_data(pv, sh, 2, MLX_FLOAT32), logits = mlx_array_new();
  CHECK(mlx_log(&logits, probs, S) == 0);
  mlx_array k = K(29), r = mlx_array_new();
  CHECK(mlx_random_categorical(&r, logits, -1, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 2u, 1u);
  r = mlx_array_new();
  CHECK(mlx_random_categorical_shape(&r, logits, -1, out_shape, 2, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 1u, 0u, 2u, 1u, 2u, 0u);
  r = mlx_array_new();
  CHECK(mlx_random_categorical_num_samples(&r, logits, -1, 4, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 2u, 1u, 2u, 2u, 0u, 2u, 0u, 2u);
  r = mlx_array_new();
  CHECK(mlx_random_categorical(&r, logits, 2, k, S) == 1);
  mlx_array_free(k);
  mlx_array_free(probs);
  mlx_array_free(logits);

  k = K(31);
  r = mlx_array_new();
  CHECK(mlx_random_permutation_arange(&r, 10, k, S) == 0);
  WANT(r, uint32_t, mlx_array_data_uint32, 5u, 6u, 0u, 3u, 9u, 1u, 4u, 8u, 7u, 2u);
  int32_t xv[6] = {0, 1, 2, 3, 4, 5};
  int six = 6;
  mlx_array x = mlx_array_new_data(xv, &six, 1, MLX_INT32);
  r = mlx_array_new();
  CHECK(mlx_random_permutation(&r, x, 0, k, S) == 0);
  WANT(r, int32_t, mlx_array_data_int32, 2, 4, 5, 3, 1, 0);
  r = mlx_array_new();
  CHECK(mlx_random_permutation(&r, x, 1, k, S) == 1);
  mlx_array_free(x);
  mlx_array_free(k);

  /* multivariate_normal: our covariance root comes from our own SVD, so the
   * samples match MLX's to float32 rounding rather than bit for bit. */
  float mv[2] = {1.0f, 2.0f}, cv[4] = {2.0f, 0.5f, 0.5f, 1.0f};
  int two = 2, sq[2] = {2, 2};
  mlx_array mean = mlx_array_new_data(mv, &two, 1, MLX_FLOAT32);
  mlx_array cov = mlx_array_new_data(cv, sq, 2, MLX_FLOAT32);
  k = K(37);
  CHECK(mlx_random_multivariate_normal(&r, mean, cov, &two, 1, MLX_FLOAT32, k, S) == 0);
  CHECK(mlx_array_eval(r) == 0);
  const float want[4] = {1.3004696369171143f, 2.7582268714904785f, 2.7098615169525146f,
                         1.378039836883545f};
  const float* pr = mlx_array_data_float32(r);
  CHECK(pr != NULL && mlx_array_size(r) == 4);
  for (int i = 0; pr && i < 4; i++) CHECK_NEAR(pr[i], want[i], 1e-5);
  CHECK(mlx_random_multivariate_normal(&r, mean, cov, &two, 1, MLX_FLOAT16, k, S) == 1);
  mlx_array_free(mean);
  mlx_array_free(cov);
  mlx_array_free(k);
  mlx_array_free(r);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_keys_and_bits);
  RUN(test_global_sequence);
  RUN(test_distributions);
  RUN(test_sampling);
  mlx_stream_free(S);
  return test_summary();
}
