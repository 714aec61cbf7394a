/* MATMUL on the GPU through cuBLASLt.
 *
 * Arrays are row-major and cuBLASLt is column-major, so C = A B is computed
 * as C^T = B^T A^T: a row-major matrix read as column-major is its own
 * transpose, which costs nothing.  An operand whose last two dims are laid
 * out column by column (a transposed view) is passed with the transpose
 * flag instead of being copied.  Leading (batch) dims, broadcast or not, go
 * through cuBLASLt's strided batching when each operand's batch dims reduce
 * to a single stride; otherwise the operands are first copied dense.
 *
 * Precision follows MLX's CUDA backend: float16 and bfloat16 accumulate in
 * float32, and float32 products may use TF32 tensor cores unless the
 * environment sets MLX_ENABLE_TF32=0 (MLX's switch, on by default). */
#include "cuda_internal.h"

#include <cublasLt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WORKSPACE_BYTES ((size_t)32 << 20) /* what cuBLASLt suggests for Hopper */
#define MAXD 64

static cublasLtHandle_t lt;
static cublasStatus_t lt_status = CUBLAS_STATUS_NOT_INITIALIZED;
static pthread_once_t lt_once = PTHREAD_ONCE_INIT;
static bool tf32_enabled = true;
static void* workspaces[MX_MAX_STREAMS];
static pthread_mutex_t lt_lock = PTHREAD_MUTEX_INITIALIZER;

static void lt_init(void) {
  lt_status = cublasLtCreate(&lt);
  const char* env = getenv("MLX_ENABLE_TF32");
  if (env && env[0] == '0' && env[1] == '\0') tf32_enabled = false;
}

static int lt_check(cublasStatus_t st, const char* what) {
  if (st == CUBLAS_STATUS_SUCCESS) return 0;
  if (st == CUBLAS_STATUS_ALLOC_FAILED)
    return mx_error(MX_ERR_MEMORY, "[matmul] %s: out of GPU memory", what);
  return mx_error(MX_ERR_RUNTIME, "[matmul] %s failed: %s", what, cublasLtGetStatusString(st));
}

/* The per-stream workspace (kernels on one stream run in order, so one
 * workspace per stream is never used twice at once).  NULL means none. */
static void* workspace_for(int stream_index) {
  pthread_mutex_lock(&lt_lock);
  void* w = workspaces[stream_index];
  if (!w) {
    if (cudaMalloc(&w, WORKSPACE_BYTES) != cudaSuccess) {
      (void)cudaGetLastError();
      w = NULL;
    } else {
      workspaces[stream_index] = w;
    }
  }
  pthread_mutex_unlock(&lt_lock);
  return w;
}

/* --- heuristic cache ---------------------------------------------------------
 * Asking cuBLASLt for an algorithm costs tens of microseconds, about as much
 * as a small product; the answer depends only on the problem's description,
 * so the last few answers are kept. */
typedef struct algo_key {
  int dtype, ta, tb;
  int64_t m, n, k, lda, ldb, batch, sa, sb, sc;
  uint32_t align_a, align_b, align_c;
  int tf32;
} algo_key;
#define CACHE_SIZE 32
static struct {
  bool used;
  algo_key key;
  cublasLtMatmulAlgo_t algo;
} cache[CACHE_SIZE];
static unsigned cache_next;

/* Largest power of two (<= 256) dividing every value. */
static uint32_t alignment_of(uintptr_t ptr, int64_t ld, int64_t batch_stride, size_t esize) {
  uintptr_t v = ptr | (uintptr_t)(ld * (int64_t)esize) |
                (uintptr_t)(batch_stride * (int64_t)esize) |
                256u;
  return (uint32_t)(v & (~v + 1));
}

/* One matrix operand: pointer, batch strides (nb entries) and the strides of
 * its two matrix dims. */
typedef struct operand {
  const void* ptr;
  int64_t bstr[MAXD];
  int64_t s0, s1; /* strides of (rows, cols) */
  int rows, cols;
} operand;

/* Copies operand `o` into dense scratch of shape (B..., rows, cols). */
static int densify(operand* o, mx_dtype dt, int nb, const int* B, cudaStream_t s, void** scratch) {
  int shape[MAXD + 2];
  int64_t strides[MAXD + 2];
  int64_t count = (int64_t)o->rows * o->cols;
  for (int j = 0; j < nb; j++) shape[j] = B[j], strides[j] = o->bstr[j], count *= B[j];
  shape[nb] = o->rows, shape[nb + 1] = o->cols;
  strides[nb] = o->s0, strides[nb + 1] = o->s1;
  void* p = mx__cuda_scratch_alloc((size_t)count * mx_dtype_size(dt), s);
  if (!p) return -1;
  if (mx__cuda_copy_general(o->ptr, dt, nb + 2, shape, strides, p, dt, s) != 0) {
    mx__cuda_scratch_free(p, s);
    return -1;
  }
  *scratch = p;
  o->ptr = p;
  int64_t st = (int64_t)o->rows * o->cols;
  for (int j = nb - 1; j >= 0; j--) o->bstr[j] = st, st *= B[j];
  o->s0 = o->cols, o->s1 = 1;
  return 0;
}

/* Row-major (cols contiguous) or column-major (rows contiguous)?  Sets the
 * leading dimension; returns -1 when the layout is neither. */
static int classify(const operand* o, bool* colmajor, int64_t* ld) {
  if (o->s1 == 1 && (o->s0 >= o->cols || o->rows == 1)) {
    *colmajor = false;
    *ld = o->rows == 1 ? o->cols : o->s0;
    return 0;
  }
  if (o->s0 == 1 && (o->s1 >= o->rows || o->cols == 1)) {
    *colmajor = true;
    *ld = o->cols == 1 ? o->rows : o->s1;
    return 0;
  }
  return -1;
}

static int run_lt(mx_dtype dt, int stream_index, cudaStream_t s, const operand* a, const operand* b,
                  void* c, int64_t M, int64_t N, int64_t K, int64_t batch, int64_t sa, int64_t sb,
                  int64_t sc) {
  bool a_col, b_col;
  int64_t lda, ldb;
  if (classify(a, &a_col, &lda) != 0 || classify(b, &b_col, &ldb) != 0)
    return mx_error(MX_ERR_RUNTIME, "[matmul] internal: operand layout not classified");

  cudaDataType_t ty = dt == MX_FLOAT32 ? CUDA_R_32F : dt == MX_FLOAT16 ? CUDA_R_16F : CUDA_R_16BF;
  cublasComputeType_t ct =
      (dt == MX_FLOAT32 && tf32_enabled) ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  size_t es = mx_dtype_size(dt);

  /* cuBLASLt operand 1 is our b (N x K after op), operand 2 our a (K x M). */
  cublasOperation_t op1 = b_col ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t op2 = a_col ? CUBLAS_OP_T : CUBLAS_OP_N;
  uint64_t r1 = b_col ? (uint64_t)K : (uint64_t)N, c1 = b_col ? (uint64_t)N : (uint64_t)K;
  uint64_t r2 = a_col ? (uint64_t)M : (uint64_t)K, c2 = a_col ? (uint64_t)K : (uint64_t)M;

  cublasLtMatmulDesc_t desc = NULL;
  cublasLtMatrixLayout_t l1 = NULL, l2 = NULL, l3 = NULL;
  cublasLtMatmulPreference_t pref = NULL;
  int rc = -1;
  if (lt_check(cublasLtMatmulDescCreate(&desc, ct, CUDA_R_32F), "descriptor") != 0) goto done;
  if (lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &op1, sizeof op1),
               "descriptor") != 0 ||
      lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &op2, sizeof op2),
               "descriptor") != 0)
    goto done;
  if (lt_check(cublasLtMatrixLayoutCreate(&l1, ty, r1, c1, ldb), "layout") != 0 ||
      lt_check(cublasLtMatrixLayoutCreate(&l2, ty, r2, c2, lda), "layout") != 0 ||
      lt_check(cublasLtMatrixLayoutCreate(&l3, ty, (uint64_t)N, (uint64_t)M, N), "layout") != 0)
    goto done;
  if (batch > 1) {
    int32_t bc = (int32_t)batch;
    cublasLtMatrixLayout_t ls[3] = {l1, l2, l3};
    int64_t bs[3] = {sb, sa, sc};
    for (int i = 0; i < 3; i++) {
      if (lt_check(cublasLtMatrixLayoutSetAttribute(ls[i], CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &bc,
                                                    sizeof bc),
                   "layout") != 0 ||
          lt_check(cublasLtMatrixLayoutSetAttribute(
                       ls[i], CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &bs[i], sizeof bs[i]),
                   "layout") != 0)
        goto done;
    }
  }

  algo_key key;
  memset(&key, 0, sizeof key);
  key.dtype = dt, key.ta = op1, key.tb = op2, key.m = M, key.n = N, key.k = K;
  key.lda = lda, key.ldb = ldb, key.batch = batch, key.sa = sa, key.sb = sb, key.sc = sc;
  key.align_a = alignment_of((uintptr_t)b->ptr, ldb, batch > 1 ? sb : 0, es);
  key.align_b = alignment_of((uintptr_t)a->ptr, lda, batch > 1 ? sa : 0, es);
  key.align_c = alignment_of((uintptr_t)c, N, batch > 1 ? sc : 0, es);
  key.tf32 = tf32_enabled;

  void* ws = workspace_for(stream_index);
  size_t ws_bytes = ws ? WORKSPACE_BYTES : 0;
  cublasLtMatmulAlgo_t algo;
  bool found = false;
  pthread_mutex_lock(&lt_lock);
  for (int i = 0; i < CACHE_SIZE; i++)
    if (cache[i].used && memcmp(&cache[i].key, &key, sizeof key) == 0) {
      algo = cache[i].algo;
      found = true;
      break;
    }
  pthread_mutex_unlock(&lt_lock);

  if (!found) {
    if (lt_check(cublasLtMatmulPreferenceCreate(&pref), "preference") != 0) goto done;
    uint32_t al[3] = {key.align_a, key.align_b, key.align_c};
    if (lt_check(cublasLtMatmulPreferenceSetAttribute(
                     pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws_bytes, sizeof ws_bytes),
                 "preference") != 0 ||
        lt_check(cublasLtMatmulPreferenceSetAttribute(
                     pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &al[0], sizeof al[0]),
                 "preference") != 0 ||
        lt_check(cublasLtMatmulPreferenceSetAttribute(
                     pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &al[1], sizeof al[1]),
                 "preference") != 0 ||
        lt_check(cublasLtMatmulPreferenceSetAttribute(
                     pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &al[2], sizeof al[2]),
                 "preference") != 0 ||
        lt_check(cublasLtMatmulPreferenceSetAttribute(
                     pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &al[2], sizeof al[2]),
                 "preference") != 0)
      goto done;
    cublasLtMatmulHeuristicResult_t res;
    int n_res = 0;
    if (lt_check(cublasLtMatmulAlgoGetHeuristic(lt, desc, l1, l2, l3, l3, pref, 1, &res, &n_res),
                 "algorithm search") != 0)
      goto done;
    if (n_res < 1) {
      mx_error(MX_ERR_RUNTIME, "[matmul] cuBLASLt found no algorithm for (%lld,%lld,%lld) %s",
               (long long)M, (long long)N, (long long)K, mx_dtype_name(dt));
      goto done;
    }
    algo = res.algo;
    pthread_mutex_lock(&lt_lock);
    unsigned slot = cache_next++ % CACHE_SIZE;
    cache[slot].used = true, cache[slot].key = key, cache[slot].algo = algo;
    pthread_mutex_unlock(&lt_lock);
  }

  float alpha = 1.0f, beta = 0.0f;
  if (lt_check(cublasLtMatmul(lt, desc, &alpha, b->ptr, l1, a->ptr, l2, &beta, c, l3, c, l3, &algo,
                              ws, ws_bytes, s),
               "cublasLtMatmul") != 0)
    goto done;
  rc = 0;
done:
  if (pref) cublasLtMatmulPreferenceDestroy(pref);
  if (l1) cublasLtMatrixLayoutDestroy(l1);
  if (l2) cublasLtMatrixLayoutDestroy(l2);
  if (l3) cublasLtMatrixLayoutDestroy(l3);
  if (desc) cublasLtMatmulDescDestroy(desc);
  return rc;
}

/* Fills the operand from an array of ndim >= 1, in the matmul's batch space
 * (nb dims of shape B).  A 1-D `a` is a row (1, K), a 1-D `b` a column. */
static void make_operand(operand* o, const void* ptr, const mx_array* x, const int64_t* strides,
                         bool is_a, int nb, const int* B) {
  o->ptr = ptr;
  int nd = x->ndim;
  if (nd == 1) {
    if (is_a) o->rows = 1, o->cols = x->shape[0], o->s0 = 0, o->s1 = strides[0];
    else o->rows = x->shape[0], o->cols = 1, o->s0 = strides[0], o->s1 = 0;
    for (int j = 0; j < nb; j++) o->bstr[j] = 0;
    return;
  }
  o->rows = x->shape[nd - 2], o->cols = x->shape[nd - 1];
  o->s0 = strides[nd - 2], o->s1 = strides[nd - 1];
  int xb = nd - 2;
  for (int j = 0; j < nb; j++) {
    int id = j - (nb - xb);
    o->bstr[j] = (id < 0 || x->shape[id] == 1) ? 0 : strides[id];
  }
}

MX__CUDA_KERNEL(mx__cuda_matmul) {
  if (mx__cuda_reject_f64(node, inputs, outputs) != 0) return -1;
  mx_array* a = inputs[0];
  mx_array* b = inputs[1];
  mx_array* out = outputs[0];
  mx_dtype dt = out->dtype;
  /* complex64 (no cuBLASLt path here yet) and very high ranks run the CPU kernel. */
  if (dt != MX_FLOAT32 && dt != MX_FLOAT16 && dt != MX_BFLOAT16) return MX_KERNEL_FALLBACK;
  if (a->ndim < 1 || b->ndim < 1 || a->ndim > MAXD || b->ndim > MAXD || out->ndim > MAXD)
    return MX_KERNEL_FALLBACK;
  pthread_once(&lt_once, lt_init);
  if (lt_check(lt_status, "cublasLtCreate") != 0) return -1;
  cudaStream_t s = mx__cuda_stream(node->stream.index);
  if (!s) return -1;
  void* pc = mx__cuda_alloc_out(out);
  if (!pc) return -1;
  if (out->size == 0) {
    mx__cuda_mark_written(out);
    return 0;
  }

  void* scratch[4] = {NULL, NULL, NULL, NULL};
  int rc = -1;
  operand oa, ob;
  const bool a1 = a->ndim == 1, b1 = b->ndim == 1;
  const int nb = out->ndim - 2 + (a1 ? 1 : 0) + (b1 ? 1 : 0);
  const int* B = out->shape;
  if (nb < 0 || nb < a->ndim - 2 || nb < b->ndim - 2) {
    mx_error(MX_ERR_RUNTIME, "[matmul] output shape does not match the operands");
    goto done;
  }

  /* Operands of another dtype are converted to dense copies first. */
  {
    mx_array* xs[2] = {a, b};
    operand* os[2] = {&oa, &ob};
    for (int i = 0; i < 2; i++) {
      mx_array* x = xs[i];
      int64_t st[MAXD];
      const void* p;
      if (x->dtype != dt) {
        bool owned = false;
        p = mx__cuda_contiguous_input(x, x->ndim, x->shape, dt, s, &owned);
        if (!p) goto done;
        if (owned) scratch[i] = (void*)p;
        mx_row_strides(x->ndim, x->shape, st);
      } else {
        p = mx_array_device_data(x);
        if (!p) goto done;
        for (int d = 0; d < x->ndim; d++) st[d] = x->strides[d];
      }
      make_operand(os[i], p, x, st, i == 0, nb, B);
    }
  }
  const int64_t M = oa.rows, K = oa.cols, N = ob.cols;
  if (ob.rows != K) {
    mx_error(MX_ERR_RUNTIME, "[matmul] inner dimensions differ (%lld, %lld)", (long long)K,
             (long long)ob.rows);
    goto done;
  }
  if (K == 0) {
    /* An empty sum: zeros (all-zero bytes in every float format). */
    rc = mx__cuda_check(cudaMemsetAsync(pc, 0, mx_array_nbytes(out), s), "memset");
    goto done;
  }

  /* A matrix stored neither by rows nor by columns is copied dense. */
  bool col;
  int64_t ld;
  if (classify(&oa, &col, &ld) != 0 && densify(&oa, dt, nb, B, s, &scratch[2]) != 0) goto done;
  if (classify(&ob, &col, &ld) != 0 && densify(&ob, dt, nb, B, s, &scratch[3]) != 0) goto done;

  /* Batch dims: one stride per operand, or dense copies. */
  int64_t batch = 1, sa = 0, sb = 0, sc = M * N;
  if (nb > 0) {
    int64_t shape[MAXD], scs[MAXD];
    int64_t st = M * N;
    for (int j = nb - 1; j >= 0; j--) shape[j] = B[j], scs[j] = st, st *= B[j];
    const int64_t* strides[3] = {oa.bstr, ob.bstr, scs};
    mx__cuda_layout l;
    if (mx__cuda_collapse(nb, shape, 3, strides, &l) != 0) goto done;
    if (l.ndim > 1) {
      if (!scratch[2] && densify(&oa, dt, nb, B, s, &scratch[2]) != 0) goto done;
      if (!scratch[3] && densify(&ob, dt, nb, B, s, &scratch[3]) != 0) goto done;
      if (mx__cuda_collapse(nb, shape, 3, strides, &l) != 0) goto done;
    }
    if (l.ndim > 1) {
      mx_error(MX_ERR_RUNTIME, "[matmul] internal: batch dims did not collapse");
      goto done;
    }
    batch = l.shape[0];
    sa = l.strides[0][0], sb = l.strides[1][0], sc = l.strides[2][0];
    if (batch > INT32_MAX) {
      mx_error(MX_ERR_RUNTIME, "[matmul] batch too large for the GPU");
      goto done;
    }
  }
  rc = run_lt(dt, node->stream.index, s, &oa, &ob, pc, M, N, K, batch, sa, sb, sc);
done:
  for (int i = 0; i < 4; i++) mx__cuda_scratch_free(scratch[i], s);
  if (rc == 0) mx__cuda_mark_written(out);
  return rc;
}
