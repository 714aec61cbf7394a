/* The batched GEMM driver behind every matrix-product kernel of the CPU
 * backend (Matmul, AddMM, GatherMM, BlockMaskedMM, SegmentedMM, and the
 * convolutions' im2col products).
 *
 * BLAS does the arithmetic: sgemm for float32 and for the half types
 * (staged through float32, since OpenBLAS has no fast half kernels for
 * this CPU), dgemm for float64, cgemm for complex64.  Matrices whose last
 * two strides BLAS can express are handed over in place; others are copied
 * into a row-major scratch matrix first. */
#ifndef MX_BACKEND_CPU_LINALG_CONV_GEMM_H
#define MX_BACKEND_CPU_LINALG_CONV_GEMM_H

#include "cpu_internal.h"

/* The dtype BLAS computes in for a storage dtype (float32 for the half
 * types); -1 for dtypes no GEMM exists for. */
int mx__gemm_compute_dtype(mx_dtype dt);

/* Can a rows x cols matrix with element strides (rs, cs) go to BLAS as is?
 * Sets whether BLAS must read it transposed and its leading dimension. */
bool mx__gemm_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, bool* trans,
                     int64_t* ld);

/* Copies a rows x cols strided matrix of dtype `from` into the row-major
 * buffer `dst` of dtype `to`. */
void mx__gemm_stage(const char* src, mx_dtype from, int rows, int cols, int64_t rs, int64_t cs,
                    char* dst, mx_dtype to);

/* C = alpha * op(A) @ op(B) + beta * C for one matrix in compute dtype `ct`;
 * C is row-major with leading dimension ldc.  beta == 0 ignores C's old
 * contents (NaN included), as BLAS specifies. */
void mx__gemm(mx_dtype ct, int M, int N, int K, const void* A, bool ta, int lda, const void* B,
              bool tb, int ldb, void* C, int ldc, float alpha, float beta);

/* Where batch entry `bi` finds its A and B matrices: element offsets from
 * the job's base pointers. */
typedef void (*mx__gemm_offsets_fn)(int64_t bi, int64_t* aoff, int64_t* boff, void* ctx);

/* A batch of products out[bi] = alpha * A[bi] @ B[bi] + beta * out[bi].
 * A and B have dtype `dt` and element strides (a_rs, a_cs), (b_rs, b_cs)
 * within a matrix; `out` is row-contiguous of dtype `dt`, batch entry bi
 * at out + bi * M * N elements (with beta != 0 it must already hold C). */
typedef struct mx__gemm_job {
  mx_dtype dt;
  int M, N, K;
  int64_t batch;
  const char* a;
  int64_t a_rs, a_cs;
  const char* b;
  int64_t b_rs, b_cs;
  char* out;
  float alpha, beta;
  mx__gemm_offsets_fn offsets;
  void* ctx;
} mx__gemm_job;

/* Runs the job.  Small products are spread over threads one batch entry
 * per task (OpenBLAS runs those single-threaded anyway); large ones run in
 * turn, each threaded by BLAS.  Returns 0, or -1 with an error set (out of
 * memory, or a dtype without GEMM). */
int mx__gemm_batched(const mx__gemm_job* job);

/* Offsets of batch entry bi for operands that carry the output's batch
 * shape: ctx points to this struct. */
typedef struct mx__gemm_bcast_ctx {
  int nbatch;
  const int* shape;       /* the output's batch dims */
  const int64_t* a_strides; /* a's strides on those dims */
  const int64_t* b_strides;
} mx__gemm_bcast_ctx;
void mx__gemm_bcast_offsets(int64_t bi, int64_t* aoff, int64_t* boff, void* ctx);

#endif
