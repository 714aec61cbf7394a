/* CPU kernel table entries for the random bits (threefry) and distributions family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_RANDOM into the table. */
#ifndef MX_CPU_TABLE_RANDOM_H
#define MX_CPU_TABLE_RANDOM_H

#define MX_CPU_TABLE_RANDOM

#endif
