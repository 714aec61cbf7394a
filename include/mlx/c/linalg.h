/* Linear algebra, compatible with mlx-c's linalg.h.
 *
 * Every function writes its results to the output handles (each released
 * and replaced when it already holds an array) and returns 0, or 1 after
 * reporting an error to the error handler.  Decompositions and solvers run
 * on CPU streams only and take float32/float64 (svd, eig, eigvals, eigh and
 * eigvalsh also complex64), as in MLX; a singular or non-finite input
 * surfaces as an error when the result is evaluated.  `axis` pointers may be
 * NULL (all axes / MLX's axis=None).  mlx_linalg_det and mlx_linalg_slogdet
 * cover MLX 0.32's det and slogdet, which the mlx-c release this header
 * follows predates; they use the same conventions. */
#ifndef MLX_LINALG_H
#define MLX_LINALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlx/c/array.h"
#include "mlx/c/stream.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Cholesky factor of a symmetric positive definite matrix (lower unless `upper`). */
int mlx_linalg_cholesky(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s);
/** Inverse of A from its Cholesky factor `a` (A = L L^T, or U^T U when `upper`). */
int mlx_linalg_cholesky_inv(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s);
/** Cross product along `axis` (size 2 or 3). */
int mlx_linalg_cross(mlx_array* res, const mlx_array a, const mlx_array b, int axis,
                     const mlx_stream s);
/** Eigenvalues and right eigenvectors (complex64). */
int mlx_linalg_eig(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const mlx_stream s);
/** Eigenvalues (ascending) and eigenvectors of a symmetric / Hermitian matrix. */
int mlx_linalg_eigh(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const char* UPLO,
                    const mlx_stream s);
int mlx_linalg_eigvals(mlx_array* res, const mlx_array a, const mlx_stream s);
int mlx_linalg_eigvalsh(mlx_array* res, const mlx_array a, const char* UPLO,
                        const mlx_stream s);
int mlx_linalg_inv(mlx_array* res, const mlx_array a, const mlx_stream s);
/** P (uint32 row order), L, U with A[P] = L @ U. */
int mlx_linalg_lu(mlx_vector_array* res, const mlx_array a, const mlx_stream s);
/** Packed LU and 0-based pivots (uint32). */
int mlx_linalg_lu_factor(mlx_array* res_0, mlx_array* res_1, const mlx_array a,
                         const mlx_stream s);
/** Norm of numeric order `ord` (inf and -inf included). */
int mlx_linalg_norm(mlx_array* res, const mlx_array a, double ord, const int* axis /* may be null */,
                    size_t axis_num, bool keepdims, const mlx_stream s);
/** Matrix norm "fro" or "nuc". */
int mlx_linalg_norm_matrix(mlx_array* res, const mlx_array a, const char* ord,
                           const int* axis /* may be null */, size_t axis_num, bool keepdims,
                           const mlx_stream s);
/** The default norm (ord=None): 2-norm of vectors, Frobenius of matrices. */
int mlx_linalg_norm_l2(mlx_array* res, const mlx_array a, const int* axis /* may be null */,
                       size_t axis_num, bool keepdims, const mlx_stream s);
int mlx_linalg_pinv(mlx_array* res, const mlx_array a, const mlx_stream s);
/** Reduced QR: Q (..,M,K), R (..,K,N). */
int mlx_linalg_qr(mlx_array* res_0, mlx_array* res_1, const mlx_array a, const mlx_stream s);
int mlx_linalg_solve(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s);
int mlx_linalg_solve_triangular(mlx_array* res, const mlx_array a, const mlx_array b, bool upper,
                                const mlx_stream s);
/** [U, S, Vt] when compute_uv, else [S]. */
int mlx_linalg_svd(mlx_vector_array* res, const mlx_array a, bool compute_uv,
                   const mlx_stream s);
int mlx_linalg_tri_inv(mlx_array* res, const mlx_array a, bool upper, const mlx_stream s);
int mlx_linalg_det(mlx_array* res, const mlx_array a, const mlx_stream s);
int mlx_linalg_slogdet(mlx_array* res_0, mlx_array* res_1, const mlx_array a,
                       const mlx_stream s);

#ifdef __cplusplus
}
#endif

#endif
