/* Primitives of one family: matmul family and convolutions.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_LINALG_CONV_H
#define MX_CORE_PRIMS_LINALG_CONV_H

#define MX_PRIMS_LINALG_CONV(X)

#endif
