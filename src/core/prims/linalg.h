/* Primitives of one family: mx.linalg decompositions and solvers (LAPACK on the CPU).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_LINALG_H
#define MX_CORE_PRIMS_LINALG_H

#define MX_PRIMS_LINALG(X)

#endif
