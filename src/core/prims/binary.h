/* Primitives of one family: elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_BINARY_H
#define MX_CORE_PRIMS_BINARY_H

#define MX_PRIMS_BINARY(X)

#endif
