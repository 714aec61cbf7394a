/* Primitives of one family: random bits (threefry) and distributions.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_RANDOM_H
#define MX_CORE_PRIMS_RANDOM_H

#define MX_PRIMS_RANDOM(X)

#endif
