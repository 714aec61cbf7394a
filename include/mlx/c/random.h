/* Random number generation, compatible with mlx-c's random.h.
 *
 * Every function writes its result to `*res` (released and replaced when it
 * already holds an array) and returns 0, or 1 after reporting an error to
 * the error handler.  `key` may be an empty handle (`.ctx == NULL`): the
 * draw then uses the next key of the global sequence, which
 * mlx_random_seed() resets.  Keys are uint32 arrays of shape (2); the same
 * key, shape and dtype give the same numbers as MLX.  Shapes are a pointer
 * and a count; `dtype` must suit the distribution (real floating types for
 * uniform, gumbel, laplace and truncated_normal, float32 for
 * multivariate_normal, integer or bool for randint). */
#ifndef MLX_RANDOM_H
#define MLX_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlx/c/array.h"
#include "mlx/c/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** True with probability `p` (a floating array broadcast to `shape`). */
int mlx_random_bernoulli(mlx_array* res, const mlx_array p, const int* shape, size_t shape_num,
                         const mlx_array key, const mlx_stream s);
/** Raw random bits: `width`-byte unsigned integers (1, 2 or 4). */
int mlx_random_bits(mlx_array* res, const int* shape, size_t shape_num, int width,
                    const mlx_array key, const mlx_stream s);
/** Category indices (uint32) from logits along `axis`, with output `shape`. */
int mlx_random_categorical_shape(mlx_array* res, const mlx_array logits, int axis,
                                 const int* shape, size_t shape_num, const mlx_array key,
                                 const mlx_stream s);
/** `num_samples` category indices per row of logits. */
int mlx_random_categorical_num_samples(mlx_array* res, const mlx_array logits_, int axis,
                                       int num_samples, const mlx_array key, const mlx_stream s);
/** One category index per row of logits. */
int mlx_random_categorical(mlx_array* res, const mlx_array logits, int axis, const mlx_array key,
                           const mlx_stream s);
/** Standard Gumbel samples. */
int mlx_random_gumbel(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                      const mlx_array key, const mlx_stream s);
/** The key of `seed`. */
int mlx_random_key(mlx_array* res, uint64_t seed);
/** Laplace samples with location `loc` and scale `scale`. */
int mlx_random_laplace(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                       float loc, float scale, const mlx_array key, const mlx_stream s);
/** Samples of N(mean, cov); the covariance must be symmetric positive
 * semi-definite for the samples to have it. */
int mlx_random_multivariate_normal(mlx_array* res, const mlx_array mean, const mlx_array cov,
                                   const int* shape, size_t shape_num, mlx_dtype dtype,
                                   const mlx_array key, const mlx_stream s);
/** Normal samples times `scale` plus `loc` (arrays, either may be empty). */
int mlx_random_normal_broadcast(mlx_array* res, const int* shape, size_t shape_num,
                                mlx_dtype dtype, const mlx_array loc, const mlx_array scale,
                                const mlx_array key, const mlx_stream s);
/** Normal samples with scalar mean `loc` and standard deviation `scale`. */
int mlx_random_normal(mlx_array* res, const int* shape, size_t shape_num, mlx_dtype dtype,
                      float loc, float scale, const mlx_array key, const mlx_stream s);
/** `x` shuffled along `axis`. */
int mlx_random_permutation(mlx_array* res, const mlx_array x, int axis, const mlx_array key,
                           const mlx_stream s);
/** A shuffle of 0 .. x-1 (uint32). */
int mlx_random_permutation_arange(mlx_array* res, int x, const mlx_array key,
                                  const mlx_stream s);
/** Integers in [low, high). */
int mlx_random_randint(mlx_array* res, const mlx_array low, const mlx_array high,
                       const int* shape, size_t shape_num, mlx_dtype dtype, const mlx_array key,
                       const mlx_stream s);
/** Resets the global key to the key of `seed`. */
int mlx_random_seed(uint64_t seed);
/** `num` keys from `key`, as a (num, 2) array. */
int mlx_random_split_num(mlx_array* res, const mlx_array key, int num, const mlx_stream s);
/** The two keys of splitting `key`. */
int mlx_random_split(mlx_array* res_0, mlx_array* res_1, const mlx_array key,
                     const mlx_stream s);
/** Normal samples truncated to [lower, upper]. */
int mlx_random_truncated_normal(mlx_array* res, const mlx_array lower, const mlx_array upper,
                                const int* shape, size_t shape_num, mlx_dtype dtype,
                                const mlx_array key, const mlx_stream s);
/** Uniform samples on [low, high). */
int mlx_random_uniform(mlx_array* res, const mlx_array low, const mlx_array high,
                       const int* shape, size_t shape_num, mlx_dtype dtype, const mlx_array key,
                       const mlx_stream s);

#ifdef __cplusplus
}
#endif

#endif
