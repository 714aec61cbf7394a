/* Primitives of one family: shape/view ops and creation ops.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_SHAPE_H
#define MX_CORE_PRIMS_SHAPE_H

#define MX_PRIMS_SHAPE(X)

#endif
