/* Primitives of one family: gather/scatter, slice/slice_update, take/put_along_axis.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_INDEXING_H
#define MX_CORE_PRIMS_INDEXING_H

#define MX_PRIMS_INDEXING(X)

#endif
