/* Primitives of one family: mx.linalg decompositions and solvers (LAPACK on the CPU).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * Every primitive works on the trailing two dims of its inputs and loops over
 * the leading (batch) dims.  Each one maps onto a routine that both LAPACK
 * and cuSOLVER provide (getrf, geqrf/orgqr, gesvd/gesdd, getri/trtri,
 * potrf, geev, syevd/heevd, getrs, trsm), so a GPU backend can add kernels
 * one primitive at a time.  Everything else in mx.linalg (norm, cross, pinv,
 * cholesky_inv, lu unpacking, det, slogdet) is composed from ordinary ops.
 *
 *   LU_FACTOR  in A (..,M,N)  -> LU (..,M,N), pivots uint32 (..,K) (LAPACK's
 *              row swaps, 0-based), perm uint32 (..,M): the row order with
 *              A[perm] = L @ U.  K = min(M,N).
 *   QR         in A (..,M,N)  -> Q (..,M,K), R (..,K,N)  (reduced form)
 *   SVD        in A (..,M,N)  -> U (..,M,M), S (..,K), Vt (..,N,N) when
 *              compute_uv, else S only.  S is real (float32 for complex64).
 *   INVERSE    in A (..,N,N)  -> inverse; `tri` reads only one triangle.
 *   CHOLESKY   in A (..,N,N)  -> the lower (or upper) factor, other triangle 0.
 *   EIG        in A (..,N,N)  -> w complex64 (..,N) [, V complex64 (..,N,N)]
 *   EIGH       in A (..,N,N)  -> w real ascending (..,N) [, V (..,N,N)]
 *   SOLVE      in A (..,N,N), B (..,N,R) with equal batch dims -> X (..,N,R)
 *   SOLVE_TRIANGULAR  same shapes; only one triangle of A is read.
 *
 * Failures the input causes (a singular matrix, no convergence) are
 * RuntimeErrors raised at evaluation, as MLX raises them. */
#ifndef MX_CORE_PRIMS_LINALG_H
#define MX_CORE_PRIMS_LINALG_H

#define MX_PRIMS_LINALG(X)             \
  X(LU_FACTOR, "LUF")                  \
  X(QR, "QRF")                         \
  X(SVD, "SVD")                        \
  X(INVERSE, "Inverse")                \
  X(CHOLESKY, "Cholesky")              \
  X(EIG, "Eig")                        \
  X(EIGH, "Eigh")                      \
  X(SOLVE, "Solve")                    \
  X(SOLVE_TRIANGULAR, "SolveTriangular")

/* SVD: whether U and Vt are outputs (three outputs) or only S (one). */
typedef struct mx_svd_params {
  int compute_uv;
} mx_svd_params;

/* INVERSE: tri = the input is triangular (upper or lower, the other
 * triangle ignored and written as zero). */
typedef struct mx_inverse_params {
  int tri;
  int upper;
} mx_inverse_params;

/* CHOLESKY and SOLVE_TRIANGULAR: which triangle. */
typedef struct mx_triangle_params {
  int upper;
} mx_triangle_params;

/* EIG and EIGH: whether eigenvectors are an output; EIGH also names the
 * triangle it reads (MLX's UPLO). */
typedef struct mx_eig_params {
  int compute_vectors;
  int upper;
} mx_eig_params;

#endif
