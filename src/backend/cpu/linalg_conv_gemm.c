/* The batched GEMM driver (see linalg_conv_gemm.h). */
#include "linalg_conv_gemm.h"

#include <cblas.h>
#include <limits.h>
#include <stdlib.h>

#include "elementwise.h"

/* OpenBLAS runs a GEMM on one thread below this many multiply-adds
 * (M * N * K), so batches of such products are worth spreading over our
 * own threads instead. */
#define SMALL_GEMM_WORK 262144.0

int mx__gemm_compute_dtype(mx_dtype dt) {
  switch (dt) {
    case MX_FLOAT16:
    case MX_BFLOAT16:
    case MX_FLOAT32: return MX_FLOAT32;
    case MX_FLOAT64: return MX_FLOAT64;
    case MX_COMPLEX64: return MX_COMPLEX64;
    default: return -1;
  }
}

bool mx__gemm_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, bool* trans,
                     int64_t* ld) {
  if ((cols == 1 || cs == 1) && (rows == 1 || rs >= cols)) {
    *trans = false;
    *ld = rows == 1 ? (cols > 1 ? cols : 1) : rs;
  } else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= rows)) {
    *trans = true;
    *ld = cols == 1 ? (rows > 1 ? rows : 1) : cs;
  } else {
    return false;
  }
  return *ld >= 1 && *ld <= INT_MAX;
}

void mx__gemm_stage(const char* src, mx_dtype from, int rows, int cols, int64_t rs, int64_t cs,
                    char* dst, mx_dtype to) {
  int shape[2] = {rows, cols};
  int64_t sst[2] = {rs, cs}, dst_st[2] = {cols, 1};
  char* base[2] = {dst, (char*)src};
  const int64_t* st[2] = {dst_st, sst};
  size_t isz[2] = {mx_dtype_size(to), mx_dtype_size(from)};
  mx__cpu_apply(2, shape, 2, base, st, isz, mx__cpu_convert_fn(from, to), NULL);
}

void mx__gemm(mx_dtype ct, int M, int N, int K, const void* A, bool ta, int lda, const void* B,
              bool tb, int ldb, void* C, int ldc, float alpha, float beta) {
  enum CBLAS_TRANSPOSE tA = ta ? CblasTrans : CblasNoTrans;
  enum CBLAS_TRANSPOSE tB = tb ? CblasTrans : CblasNoTrans;
  if (K == 0) {
    /* BLAS leaves C alone when K is 0 only if beta is 1; make every case
     * the defined beta * C (and exact zeros for beta == 0). */
    size_t esz = mx_dtype_size(ct);
    for (int i = 0; i < M; i++) {
      char* row = (char*)C + (size_t)i * ldc * esz;
      if (beta == 0.0f) {
        memset(row, 0, (size_t)N * esz);
      } else if (beta != 1.0f) {
        for (int j = 0; j < N; j++) {
          if (ct == MX_FLOAT64) ((double*)row)[j] *= beta;
          else if (ct == MX_FLOAT32) ((float*)row)[j] *= beta;
          else ((mx__c64*)row)[j] *= beta;
        }
      }
    }
    return;
  }
  switch (ct) {
    case MX_FLOAT32:
      cblas_sgemm(CblasRowMajor, tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
      break;
    case MX_FLOAT64:
      cblas_dgemm(CblasRowMajor, tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
      break;
    default: {
      const float al[2] = {alpha, 0.0f}, be[2] = {beta, 0.0f};
      cblas_cgemm(CblasRowMajor, tA, tB, M, N, K, al, A, lda, B, ldb, be, C, ldc);
      break;
    }
  }
}

void mx__gemm_bcast_offsets(int64_t bi, int64_t* aoff, int64_t* boff, void* ctx) {
  const mx__gemm_bcast_ctx* c = ctx;
  int64_t ao = 0, bo = 0, r = bi;
  for (int i = c->nbatch - 1; i >= 0; i--) {
    int64_t idx = r % c->shape[i];
    r /= c->shape[i];
    ao += idx * c->a_strides[i];
    bo += idx * c->b_strides[i];
  }
  *aoff = ao;
  *boff = bo;
}

/* Per-run state shared by the tasks of one job. */
typedef struct run {
  const mx__gemm_job* job;
  mx_dtype ct;
  bool a_direct, b_direct, c_direct;
  bool ta, tb;
  int64_t lda, ldb;
  _Atomic int failed;
} run;

/* Batch entries [begin, end) with scratch buffers of this task's own. */
static void run_range(int64_t begin, int64_t end, void* arg) {
  run* r = arg;
  const mx__gemm_job* j = r->job;
  size_t isz = mx_dtype_size(j->dt), csz = mx_dtype_size(r->ct);
  int M = j->M, N = j->N, K = j->K;
  char* tmp_a = r->a_direct ? NULL : malloc((size_t)M * K * csz + 1);
  char* tmp_b = r->b_direct ? NULL : malloc((size_t)K * N * csz + 1);
  char* tmp_c = r->c_direct ? NULL : malloc((size_t)M * N * csz + 1);
  if ((!r->a_direct && !tmp_a) || (!r->b_direct && !tmp_b) || (!r->c_direct && !tmp_c)) {
    r->failed = 1;
    goto done;
  }
  for (int64_t bi = begin; bi < end; bi++) {
    int64_t aoff = 0, boff = 0;
    if (j->offsets) j->offsets(bi, &aoff, &boff, j->ctx);
    const char* A = j->a + aoff * (int64_t)isz;
    const char* B = j->b + boff * (int64_t)isz;
    char* O = j->out + bi * (int64_t)M * N * (int64_t)isz;
    if (!r->a_direct) {
      mx__gemm_stage(A, j->dt, M, K, j->a_rs, j->a_cs, tmp_a, r->ct);
      A = tmp_a;
    }
    if (!r->b_direct) {
      mx__gemm_stage(B, j->dt, K, N, j->b_rs, j->b_cs, tmp_b, r->ct);
      B = tmp_b;
    }
    char* C = O;
    if (!r->c_direct) {
      C = tmp_c;
      if (j->beta != 0.0f) mx__gemm_stage(O, j->dt, M, N, N, 1, tmp_c, r->ct);
    }
    mx__gemm(r->ct, M, N, K, A, r->ta, (int)r->lda, B, r->tb, (int)r->ldb, C, N, j->alpha,
             j->beta);
    if (!r->c_direct) mx__gemm_stage(tmp_c, r->ct, M, N, N, 1, O, j->dt);
  }
done:
  free(tmp_a);
  free(tmp_b);
  free(tmp_c);
}

int mx__gemm_batched(const mx__gemm_job* job) {
  int ct = mx__gemm_compute_dtype(job->dt);
  if (ct < 0)
    return mx_error(MX_ERR_VALUE, "[matmul] Only inexact types are supported, got %s.",
                    mx_dtype_name(job->dt));
  if (job->batch == 0 || job->M == 0 || job->N == 0) return 0;
  run r = {.job = job, .ct = (mx_dtype)ct};
  r.a_direct = ct == (int)job->dt &&
               mx__gemm_layout(job->M, job->K, job->a_rs, job->a_cs, &r.ta, &r.lda);
  r.b_direct = ct == (int)job->dt &&
               mx__gemm_layout(job->K, job->N, job->b_rs, job->b_cs, &r.tb, &r.ldb);
  r.c_direct = ct == (int)job->dt;
  if (!r.a_direct) {
    r.ta = false;
    r.lda = job->K > 0 ? job->K : 1;
  }
  if (!r.b_direct) {
    r.tb = false;
    r.ldb = job->N;
  }
  double work = (double)job->M * job->N * (job->K > 0 ? job->K : 1);
  if (job->batch > 1 && work < SMALL_GEMM_WORK) {
    /* Enough entries per task that the scratch allocation is amortized. */
    int64_t grain = (int64_t)(SMALL_GEMM_WORK / work) + 1;
    mx_parallel_for(job->batch, grain, run_range, &r);
  } else {
    run_range(0, job->batch, &r);
  }
  if (r.failed) return mx_error(MX_ERR_MEMORY, "[matmul] Out of memory.");
  return 0;
}
