/* Op constructors of the random family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Randomness comes from keys: uint32 arrays of shape (2,) that seed the
 * Threefry-2x32 generator (see src/backend/cpu/random_bits.c).  Every
 * function taking `key` accepts NULL, meaning "the next key of the global
 * sequence": the global key is split in two, the first half becomes the new
 * global key and the second is used.  The global key starts from the clock
 * (milliseconds since the epoch), as MLX's does, until mx_random_seed().
 *
 * Shapes are (ndim, shape) pairs; dtypes follow MLX (float32 by default in
 * the front ends, int32 for randint).  The numbers are the ones MLX 0.32
 * produces for the same key, shape and dtype. */
#ifndef MX_OPS_RANDOM_H
#define MX_OPS_RANDOM_H

#include "../core/core.h"

/* --- keys and the global state (random_key.c) ------------------------------- */

/* The key for `seed`: [seed >> 32, seed & 0xffffffff] as uint32. */
mx_array* mx_random_key(uint64_t seed);
/* Resets the global key to mx_random_key(seed).  Thread safe. */
void mx_random_seed(uint64_t seed);
/* The global key array (a new reference).  mx.random.state exposes it, and
 * compile treats it as an implicit input and output. */
mx_array* mx_random_state_get(void);
/* Replaces the global key (retained); -1 with MX_ERR_VALUE unless `key` is
 * a uint32 array of shape (2,). */
int mx_random_state_set(mx_array* key);
/* The key to use for one draw: `key` retained when given, else the next
 * key of the global sequence. */
mx_array* mx__random_resolve_key(mx_array* key, mx_stream s);

/* `width`-byte unsigned random integers (width 1, 2 or 4 -> uint8, uint16,
 * uint32) of `shape`. */
mx_array* mx_random_bits(int ndim, const int* shape, int width, mx_array* key, mx_stream s);
/* `num` new keys from `key`, as a (num, 2) uint32 array. */
mx_array* mx_random_split_num(mx_array* key, int num, mx_stream s);
/* The two halves of mx_random_split_num(key, 2) as separate keys. */
int mx_random_split(mx_array* key, mx_stream s, mx_array** first, mx_array** second);

/* --- distributions (random_dist.c, random_sample.c) -------------------------- */

/* Uniform on [low, high): low and high (any dtype, broadcast to `shape`)
 * are cast to `dtype`, which must be a real floating type. */
mx_array* mx_random_uniform(mx_array* low, mx_array* high, int ndim, const int* shape,
                            mx_dtype dtype, mx_array* key, mx_stream s);
/* Standard normal times `scale` plus `loc` (either may be NULL); floating
 * dtypes and complex64. */
mx_array* mx_random_normal(int ndim, const int* shape, mx_dtype dtype, mx_array* loc,
                           mx_array* scale, mx_array* key, mx_stream s);
/* Integers in [low, high) of an integer (or bool) dtype. */
mx_array* mx_random_randint(mx_array* low, mx_array* high, int ndim, const int* shape,
                            mx_dtype dtype, mx_array* key, mx_stream s);
/* True with probability p (a floating array broadcast with `shape`; ndim < 0
 * means p's shape). */
mx_array* mx_random_bernoulli(mx_array* p, int ndim, const int* shape, mx_array* key,
                              mx_stream s);
/* Normal truncated to [lower, upper]; ndim < 0 means the broadcast shape of
 * the bounds. */
mx_array* mx_random_truncated_normal(mx_array* lower, mx_array* upper, int ndim,
                                     const int* shape, mx_dtype dtype, mx_array* key,
                                     mx_stream s);
/* Standard Gumbel samples. */
mx_array* mx_random_gumbel(int ndim, const int* shape, mx_dtype dtype, mx_array* key,
                           mx_stream s);
/* Laplace samples with location `loc` and scale `scale`. */
mx_array* mx_random_laplace(int ndim, const int* shape, mx_dtype dtype, double loc, double scale,
                            mx_array* key, mx_stream s);
/* Category indices (uint32) drawn from unnormalised log-probabilities along
 * `axis` of `logits`: one per row, or an output of `shape` (broadcast with
 * the logits' other dims), or `num_samples` per row (a new last dim). */
mx_array* mx_random_categorical(mx_array* logits, int axis, mx_array* key, mx_stream s);
mx_array* mx_random_categorical_shape(mx_array* logits, int axis, int ndim, const int* shape,
                                      mx_array* key, mx_stream s);
mx_array* mx_random_categorical_num_samples(mx_array* logits, int axis, int num_samples,
                                            mx_array* key, mx_stream s);
/* `x` shuffled along `axis`; the _arange form shuffles 0..n-1 (uint32). */
mx_array* mx_random_permutation(mx_array* x, int axis, mx_array* key, mx_stream s);
mx_array* mx_random_permutation_arange(int n, mx_array* key, mx_stream s);
/* Samples of N(mean, cov) (float32 only); the output is the broadcast of
 * `shape`, mean's batch dims and cov's batch dims, plus the event dim. */
mx_array* mx_random_multivariate_normal(mx_array* mean, mx_array* cov, int ndim,
                                        const int* shape, mx_dtype dtype, mx_array* key,
                                        mx_stream s);

#endif
