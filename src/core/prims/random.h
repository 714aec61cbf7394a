/* Primitives of one family: random bits (threefry) and distributions.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * The bit generator is MLX's primitive; the distributions are built from
 * ordinary ops on its output, as MLX builds them, except for the
 * transcendental steps (RANDOM_MATH, see below).  COV_SQRT is ours: MLX
 * takes the square root of a covariance matrix with linalg::svd, and until
 * this library has an SVD primitive the random family carries a small one
 * of its own for multivariate_normal. */
#ifndef MX_CORE_PRIMS_RANDOM_H
#define MX_CORE_PRIMS_RANDOM_H

#define MX_PRIMS_RANDOM(X)          \
  X(RANDOM_BITS, "RandomBits")      \
  X(RANDOM_MATH, "RandomMath")      \
  X(COV_SQRT, "CovSqrt")

/* RandomBits: input 0 is the key array (uint32, last dim 2: one or more
 * threefry keys); the output holds `width`-byte unsigned integers (width 1,
 * 2 or 4), its elements divided evenly among the keys in order. */
typedef struct mx_random_bits_params {
  int width;
} mx_random_bits_params;

/* RandomMath: one of the transcendental steps of the distributions,
 * elementwise on a floating array, computed exactly as MLX's CPU backend
 * computes it (the C library's logf/log1pf/erff and their double forms, and
 * MLX's float32 erfinv polynomial) so that samples match MLX bit for bit.
 * The public unary ops are free to use faster approximations; the random
 * family keeps its own copies of these four so its streams stay MLX's. */
enum { MX_RMATH_ERFINV, MX_RMATH_ERF, MX_RMATH_LOG, MX_RMATH_LOG1P };
typedef struct mx_random_math_params {
  int op;
} mx_random_math_params;

/* CovSqrt has no parameters: for each trailing n x n matrix C of its float32
 * input it writes U diag(sqrt(s)) V^T from the SVD C = U diag(s) V^T, which
 * for a symmetric positive semi-definite C is its symmetric square root. */

#endif
