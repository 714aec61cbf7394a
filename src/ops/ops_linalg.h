/* Op constructors of mx.linalg (conventions as in ops.h: new reference or
 * NULL with an error set, arrays borrowed, `s` the stream; functions with
 * several results return 0 / -1 and write new references to their output
 * pointers, which are left NULL on failure).
 *
 * Decompositions and solvers build the primitives of src/core/prims/linalg.h;
 * norm, cross, pinv, cholesky_inv, lu (unpacking), det and slogdet are
 * composed from ordinary ops.  As in MLX, the decompositions and solvers
 * accept only CPU streams (ValueError naming the function otherwise) and
 * float32/float64 (some also complex64) inputs; argument errors use MLX's
 * exception kinds and message texts.  Input-dependent failures (a singular
 * matrix, non-finite input to an iterative routine) are RuntimeErrors at
 * evaluation. */
#ifndef MX_OPS_LINALG_H
#define MX_OPS_LINALG_H

#include "../core/core.h"

/* --- norms and products (linalg_norm.c) -------------------------------------- */

/* axes == NULL means MLX's axis=None.  norm_l2 is ord=None (the 2-norm of
 * vectors, the Frobenius norm of matrices); norm_p takes a numeric ord
 * (inf/-inf included); norm_str takes "fro" or "nuc". */
mx_array* mx_linalg_norm_l2(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
mx_array* mx_linalg_norm_p(mx_array* a, double ord, int naxes, const int* axes, bool keepdims,
                           mx_stream s);
mx_array* mx_linalg_norm_str(mx_array* a, const char* ord, int naxes, const int* axes,
                             bool keepdims, mx_stream s);
/* Cross product of 2- or 3-vectors along `axis` (size-2 inputs are padded
 * with a zero z component); the other dims broadcast. */
mx_array* mx_linalg_cross(mx_array* a, mx_array* b, int axis, mx_stream s);

/* --- decompositions (linalg_decomp.c) ------------------------------------------- */

/* Reduced QR: Q (..,M,K), R (..,K,N), K = min(M,N). */
int mx_linalg_qr(mx_array* a, mx_stream s, mx_array** q, mx_array** r);
/* Full SVD (U (..,M,M), S (..,K), Vt (..,N,N)) when compute_uv, else only S
 * (u and vt may be NULL then and are left untouched). */
int mx_linalg_svd(mx_array* a, bool compute_uv, mx_stream s, mx_array** u, mx_array** sv,
                  mx_array** vt);
mx_array* mx_linalg_cholesky(mx_array* a, bool upper, mx_stream s);
/* Eigenvalues (and right eigenvectors) of general square matrices; always
 * complex64 as in MLX. */
mx_array* mx_linalg_eigvals(mx_array* a, mx_stream s);
int mx_linalg_eig(mx_array* a, mx_stream s, mx_array** w, mx_array** v);
/* Symmetric / Hermitian: UPLO "L" (first letter L) reads the lower
 * triangle, anything else the upper, as MLX does.  Values ascend. */
mx_array* mx_linalg_eigvalsh(mx_array* a, const char* uplo, mx_stream s);
int mx_linalg_eigh(mx_array* a, const char* uplo, mx_stream s, mx_array** w, mx_array** v);
/* lu_factor: packed LU and LAPACK's 0-based row swaps (uint32, (..,K)).
 * lu: P (uint32 row order, (..,M)), L (..,M,K), U (..,K,N) with
 * A[P] = L @ U. */
int mx_linalg_lu_factor(mx_array* a, mx_stream s, mx_array** lu, mx_array** pivots);
int mx_linalg_lu(mx_array* a, mx_stream s, mx_array** p, mx_array** l, mx_array** u);

/* --- inverses, solvers, determinants (linalg_solve.c) ---------------------------- */

mx_array* mx_linalg_inv(mx_array* a, mx_stream s);
mx_array* mx_linalg_tri_inv(mx_array* a, bool upper, mx_stream s);
/* The inverse of A = L L^T (or U^T U) from its Cholesky factor. */
mx_array* mx_linalg_cholesky_inv(mx_array* l, bool upper, mx_stream s);
/* Moore-Penrose pseudo-inverse through the SVD; singular values at or
 * below max(M,N) * eps * max(S) count as zero. */
mx_array* mx_linalg_pinv(mx_array* a, mx_stream s);
/* A X = B.  A 1-D b is one right-hand side; batch dims broadcast. */
mx_array* mx_linalg_solve(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_linalg_solve_triangular(mx_array* a, mx_array* b, bool upper, mx_stream s);
/* Determinant and (sign, log|det|) through the LU factorization. */
mx_array* mx_linalg_det(mx_array* a, mx_stream s);
int mx_linalg_slogdet(mx_array* a, mx_stream s, mx_array** sign, mx_array** logabsdet);

#endif
