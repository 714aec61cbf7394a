/* Primitives of one family: reductions beyond sum, scans, sort/partition/topk/searchsorted.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_REDUCE_SORT_H
#define MX_CORE_PRIMS_REDUCE_SORT_H

#define MX_PRIMS_REDUCE_SORT(X)

#endif
