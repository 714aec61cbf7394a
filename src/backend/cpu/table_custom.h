/* CPU kernel table entries for the functions with user-defined transforms
 * family (CUSTOM), as designated initializers, with their declarations.
 * backend.c splices MX_CPU_TABLE_CUSTOM into the table. */
#ifndef MX_CPU_TABLE_CUSTOM_H
#define MX_CPU_TABLE_CUSTOM_H

int mx__cpu_custom(mx_node*, mx_array* const*, mx_array* const*); /* custom.c */

#define MX_CPU_TABLE_CUSTOM [MX_PRIM_CUSTOM] = mx__cpu_custom,

#endif
