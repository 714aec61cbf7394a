/* CPU kernel table entries for the reductions beyond sum, scans, sort/partition/topk/searchsorted family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_REDUCE_SORT into the table. */
#ifndef MX_CPU_TABLE_REDUCE_SORT_H
#define MX_CPU_TABLE_REDUCE_SORT_H

#define MX_CPU_TABLE_REDUCE_SORT

#endif
