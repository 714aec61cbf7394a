/* CPU kernel table entries for the random bits (threefry) and distributions family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_RANDOM into the table. */
#ifndef MX_CPU_TABLE_RANDOM_H
#define MX_CPU_TABLE_RANDOM_H

int mx__cpu_random_bits(mx_node*, mx_array* const*, mx_array* const*); /* random_bits.c */
int mx__cpu_random_math(mx_node*, mx_array* const*, mx_array* const*); /* random_math.c */
int mx__cpu_cov_sqrt(mx_node*, mx_array* const*, mx_array* const*);    /* random_cov.c */

#define MX_CPU_TABLE_RANDOM                          \
  [MX_PRIM_RANDOM_BITS] = mx__cpu_random_bits,       \
  [MX_PRIM_RANDOM_MATH] = mx__cpu_random_math,       \
  [MX_PRIM_COV_SQRT] = mx__cpu_cov_sqrt,

#endif
