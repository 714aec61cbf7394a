/* CPU kernel table entries for the elementwise unary ops (abs ... bitwise_invert) family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_UNARY into the table.
 * One kernel (unary_kernels.c) serves every unary primitive; it picks the
 * loop from the primitive and the input dtype. */
#ifndef MX_CPU_TABLE_UNARY_H
#define MX_CPU_TABLE_UNARY_H

#include "../../core/core.h"

int mx__cpu_unary(mx_node* node, mx_array* const* in, mx_array* const* out);

#define MX__CPU_UNARY_CELL(e, n) [MX_PRIM_##e] = mx__cpu_unary,
#define MX_CPU_TABLE_UNARY MX_PRIMS_UNARY(MX__CPU_UNARY_CELL)

#endif
