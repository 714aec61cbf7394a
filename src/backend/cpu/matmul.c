/* MATMUL through OpenBLAS: sgemm for float32 (and for float16/bfloat16,
 * staged through float32), dgemm for float64, cgemm for complex64.
 *
 * The op constructor gives both inputs the output's batch shape (batch dims
 * may be broadcast, i.e. stride 0).  Each matrix is passed to BLAS in place
 * when its last two strides describe a row-major or column-major matrix
 * with a valid leading dimension (so transposed views cost nothing);
 * otherwise that batch's matrix is first copied into a contiguous scratch
 * buffer. */
#include <cblas.h>
#include <limits.h>
#include <stdlib.h>

#include "elementwise.h"

/* Can a rows x cols matrix with element strides (rs, cs) go to BLAS as is?
 * Sets whether it is transposed and its leading dimension. */
static bool mat_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, bool* trans,
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

/* Copies one rows x cols strided matrix (dtype `from`) into a row-major
 * buffer of dtype `to`. */
static void stage(const char* src, mx_dtype from, int rows, int cols, int64_t rs, int64_t cs,
                  char* dst, mx_dtype to) {
  int shape[2] = {rows, cols};
  int64_t sst[2] = {rs, cs}, dst_st[2] = {cols, 1};
  char* base[2] = {dst, (char*)src};
  const int64_t* st[2] = {dst_st, sst};
  size_t isz[2] = {mx_dtype_size(to), mx_dtype_size(from)};
  mx__cpu_apply(2, shape, 2, base, st, isz, mx__cpu_convert_fn(from, to), NULL);
}

/* C = A x B for one batch entry, all in the compute dtype. */
static void gemm(mx_dtype ct, int M, int N, int K, const void* A, bool ta, int lda, const void* B,
                 bool tb, int ldb, void* C) {
  enum CBLAS_TRANSPOSE tA = ta ? CblasTrans : CblasNoTrans;
  enum CBLAS_TRANSPOSE tB = tb ? CblasTrans : CblasNoTrans;
  switch (ct) {
    case MX_FLOAT32:
      cblas_sgemm(CblasRowMajor, tA, tB, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, N);
      break;
    case MX_FLOAT64:
      cblas_dgemm(CblasRowMajor, tA, tB, M, N, K, 1.0, A, lda, B, ldb, 0.0, C, N);
      break;
    default: {
      const float alpha[2] = {1.0f, 0.0f}, beta[2] = {0.0f, 0.0f};
      cblas_cgemm(CblasRowMajor, tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, N);
      break;
    }
  }
}

int mx__cpu_matmul(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* b = inputs[1];
  mx_array* out = outputs[0];
  mx_dtype dt = out->dtype;
  int nd = out->ndim;
  if (a->dtype != dt || b->dtype != dt || a->ndim != nd || b->ndim != nd || nd < 2)
    return mx_error(MX_ERR_RUNTIME, "[Matmul] Inputs must match the output's dtype and rank.");
  mx_dtype ct;
  switch (dt) {
    case MX_FLOAT16:
    case MX_BFLOAT16:
    case MX_FLOAT32: ct = MX_FLOAT32; break;
    case MX_FLOAT64: ct = MX_FLOAT64; break;
    case MX_COMPLEX64: ct = MX_COMPLEX64; break;
    default:
      return mx_error(MX_ERR_VALUE, "[matmul] Only inexact types are supported, got %s.",
                      mx_dtype_name(dt));
  }
  int M = a->shape[nd - 2], K = a->shape[nd - 1], N = b->shape[nd - 1];
  if (b->shape[nd - 2] != K || out->shape[nd - 2] != M || out->shape[nd - 1] != N)
    return mx_error(MX_ERR_RUNTIME, "[Matmul] Inconsistent shapes.");
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  if (!po) return -1;
  if (K == 0) {
    memset(po, 0, mx_array_nbytes(out));
    mx__cpu_written(out);
    return 0;
  }
  const char* pa = mx__cpu_in_ptr(a);
  const char* pb = pa ? mx__cpu_in_ptr(b) : NULL;
  if (!pb) return -1;

  size_t isz = mx_dtype_size(dt), csz = mx_dtype_size(ct);
  bool ta, tb;
  int64_t lda, ldb;
  bool a_direct = ct == dt && mat_layout(M, K, a->strides[nd - 2], a->strides[nd - 1], &ta, &lda);
  bool b_direct = ct == dt && mat_layout(K, N, b->strides[nd - 2], b->strides[nd - 1], &tb, &ldb);
  bool c_direct = ct == dt;
  char* tmp_a = a_direct ? NULL : malloc((size_t)M * K * csz);
  char* tmp_b = b_direct ? NULL : malloc((size_t)K * N * csz);
  char* tmp_c = c_direct ? NULL : malloc((size_t)M * N * csz);
  if ((!a_direct && !tmp_a) || (!b_direct && !tmp_b) || (!c_direct && !tmp_c)) {
    free(tmp_a);
    free(tmp_b);
    free(tmp_c);
    return mx_error(MX_ERR_MEMORY, "[matmul] Out of memory.");
  }
  if (!a_direct) {
    ta = false;
    lda = K;
  }
  if (!b_direct) {
    tb = false;
    ldb = N;
  }

  int64_t batch = out->size / ((int64_t)M * N);
  int nb = nd - 2;
  for (int64_t bi = 0; bi < batch; bi++) {
    int64_t aoff = 0, boff = 0, r = bi;
    for (int i = nb - 1; i >= 0; i--) {
      int64_t idx = r % out->shape[i];
      r /= out->shape[i];
      aoff += idx * a->strides[i];
      boff += idx * b->strides[i];
    }
    const char* A = pa + aoff * (int64_t)isz;
    const char* B = pb + boff * (int64_t)isz;
    if (!a_direct) {
      stage(A, dt, M, K, a->strides[nd - 2], a->strides[nd - 1], tmp_a, ct);
      A = tmp_a;
    }
    if (!b_direct) {
      stage(B, dt, K, N, b->strides[nd - 2], b->strides[nd - 1], tmp_b, ct);
      B = tmp_b;
    }
    char* C = c_direct ? po + bi * (int64_t)M * N * (int64_t)isz : tmp_c;
    gemm(ct, M, N, K, A, ta, (int)lda, B, tb, (int)ldb, C);
    if (!c_direct) {
      char* base[2] = {po + bi * (int64_t)M * N * (int64_t)isz, tmp_c};
      int64_t bst[2] = {(int64_t)isz, (int64_t)csz};
      mx__cpu_apply_flat((int64_t)M * N, 2, base, bst, mx__cpu_convert_fn(ct, dt), NULL);
    }
  }
  free(tmp_a);
  free(tmp_b);
  free(tmp_c);
  mx__cpu_written(out);
  return 0;
}
