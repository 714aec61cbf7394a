/* CPU kernel table entries for the shape/view ops and creation ops family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_SHAPE into the table. */
#ifndef MX_CPU_TABLE_SHAPE_H
#define MX_CPU_TABLE_SHAPE_H

#define MX_CPU_TABLE_SHAPE

#endif
