/* CPU kernel table entries for the mx.linalg decompositions and solvers (LAPACK on the CPU) family, as designated initializers
 * ([MX_PRIM_X] = mx__cpu_x,), with their declarations.  backend.c splices
 * MX_CPU_TABLE_LINALG into the table. */
#ifndef MX_CPU_TABLE_LINALG_H
#define MX_CPU_TABLE_LINALG_H

#define MX_CPU_TABLE_LINALG

#endif
