/* CPU kernel table entries for the elementwise unary ops (abs ... bitwise_invert) family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_UNARY into the table. */
#ifndef MX_CPU_TABLE_UNARY_H
#define MX_CPU_TABLE_UNARY_H

#define MX_CPU_TABLE_UNARY

#endif
