/* CPU kernel table entries for the elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...) family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_BINARY into the table.
 * One kernel (binary_kernels.c) serves every primitive of the family. */
#ifndef MX_CPU_TABLE_BINARY_H
#define MX_CPU_TABLE_BINARY_H

#include "../../core/core.h"

int mx__cpu_binary_ew(mx_node* node, mx_array* const* in, mx_array* const* out);

#define MX__CPU_BINARY_CELL(e, n) [MX_PRIM_##e] = mx__cpu_binary_ew,
#define MX_CPU_TABLE_BINARY MX_PRIMS_BINARY(MX__CPU_BINARY_CELL)

#endif
