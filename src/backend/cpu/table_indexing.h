/* CPU kernel table entries for the gather/scatter, slice/slice_update, take/put_along_axis family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_INDEXING into the table. */
#ifndef MX_CPU_TABLE_INDEXING_H
#define MX_CPU_TABLE_INDEXING_H

#define MX_CPU_TABLE_INDEXING

#endif
