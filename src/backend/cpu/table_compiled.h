/* CPU kernel table entries for the compiled (fused) graphs made by mx.compile
 * family, as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_COMPILED into the table. */
#ifndef MX_CPU_TABLE_COMPILED_H
#define MX_CPU_TABLE_COMPILED_H

int mx__cpu_compiled(mx_node*, mx_array* const*, mx_array* const*); /* compiled.c */

#define MX_CPU_TABLE_COMPILED [MX_PRIM_COMPILED] = mx__cpu_compiled,

#endif
