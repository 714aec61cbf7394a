/* Primitives of one family: elementwise unary ops (abs ... bitwise_invert).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_UNARY_H
#define MX_CORE_PRIMS_UNARY_H

#define MX_PRIMS_UNARY(X)

#endif
