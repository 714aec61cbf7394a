/* CPU kernel table entries for the mx.linalg decompositions and solvers (LAPACK on the CPU) family, as designated initializers
 * ([MX_PRIM_X] = mx__cpu_x,), with their declarations.  backend.c splices
 * MX_CPU_TABLE_LINALG into the table. */
#ifndef MX_CPU_TABLE_LINALG_H
#define MX_CPU_TABLE_LINALG_H

int mx__cpu_lu_factor(mx_node*, mx_array* const*, mx_array* const*);        /* linalg_factor.c */
int mx__cpu_qr(mx_node*, mx_array* const*, mx_array* const*);               /* linalg_factor.c */
int mx__cpu_inverse(mx_node*, mx_array* const*, mx_array* const*);          /* linalg_factor.c */
int mx__cpu_cholesky(mx_node*, mx_array* const*, mx_array* const*);         /* linalg_factor.c */
int mx__cpu_svd(mx_node*, mx_array* const*, mx_array* const*);              /* linalg_spectral.c */
int mx__cpu_eig(mx_node*, mx_array* const*, mx_array* const*);              /* linalg_spectral.c */
int mx__cpu_eigh(mx_node*, mx_array* const*, mx_array* const*);             /* linalg_spectral.c */
int mx__cpu_solve(mx_node*, mx_array* const*, mx_array* const*);            /* linalg_solve.c */
int mx__cpu_solve_triangular(mx_node*, mx_array* const*, mx_array* const*); /* linalg_solve.c */

#define MX_CPU_TABLE_LINALG                                \
  [MX_PRIM_LU_FACTOR] = mx__cpu_lu_factor,                 \
  [MX_PRIM_QR] = mx__cpu_qr,                               \
  [MX_PRIM_INVERSE] = mx__cpu_inverse,                     \
  [MX_PRIM_CHOLESKY] = mx__cpu_cholesky,                   \
  [MX_PRIM_SVD] = mx__cpu_svd,                             \
  [MX_PRIM_EIG] = mx__cpu_eig,                             \
  [MX_PRIM_EIGH] = mx__cpu_eigh,                           \
  [MX_PRIM_SOLVE] = mx__cpu_solve,                         \
  [MX_PRIM_SOLVE_TRIANGULAR] = mx__cpu_solve_triangular,

#endif
