/* CPU kernel table entries for the matmul family and convolutions family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_LINALG_CONV into the table. */
#ifndef MX_CPU_TABLE_LINALG_CONV_H
#define MX_CPU_TABLE_LINALG_CONV_H

#define MX_CPU_TABLE_LINALG_CONV

#endif
