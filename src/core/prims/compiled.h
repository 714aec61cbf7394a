/* Primitives of one family: compiled (fused) graphs made by mx.compile.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_COMPILED_H
#define MX_CORE_PRIMS_COMPILED_H

#define MX_PRIMS_COMPILED(X)

#endif
