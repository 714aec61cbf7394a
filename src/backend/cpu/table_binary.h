/* CPU kernel table entries for the elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...) family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_BINARY into the table. */
#ifndef MX_CPU_TABLE_BINARY_H
#define MX_CPU_TABLE_BINARY_H

#define MX_CPU_TABLE_BINARY

#endif
