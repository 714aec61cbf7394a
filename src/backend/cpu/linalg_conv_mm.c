/* The matrix products beyond Matmul/AddMM: GatherMM (a product per pair of
 * gathered matrices), BlockMaskedMM (products with blocks of the operands
 * and the result masked) and SegmentedMM (one product per slice of the
 * inner dimension).  All run on the batched GEMM driver. */
#include <stdlib.h>

#include "elementwise.h"
#include "linalg_conv_gemm.h"
#include "table_linalg_conv.h"

/* --- GatherMM ------------------------------------------------------------------ */

/* Every output matrix's a and b element offsets, precomputed. */
typedef struct gather_ctx {
  const int64_t* aoff;
  const int64_t* boff;
} gather_ctx;

static void gather_offsets(int64_t bi, int64_t* aoff, int64_t* boff, void* ctx) {
  const gather_ctx* g = ctx;
  *aoff = g->aoff[bi];
  *boff = g->boff[bi];
}

/* Reads a uint32 index array laid out like the output's batch into
 * offsets (index * `step`), checking each index against `count`. */
static int read_indices(mx_array* idx, int nb, const int* bshape, int64_t n, int64_t count,
                        int64_t step, int64_t* dst, const char* which) {
  const char* p = mx__cpu_in_ptr(idx);
  if (!p) return -1;
  mx__cpu_copy_into(idx, p, (char*)dst, MX_INT64, nb, bshape);
  for (int64_t i = 0; i < n; i++) {
    if (dst[i] < 0 || dst[i] >= count)
      return mx_error(MX_ERR_INDEX, "[gather_mm] %s index %lld is out of range for %lld matrices.",
                      which, (long long)dst[i], (long long)count);
    dst[i] *= step;
  }
  return 0;
}

int mx__cpu_gather_mm(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  mx_array *a = inputs[0], *b = inputs[1], *out = outputs[0];
  int nd = out->ndim, nb = nd - 2;
  if (a->ndim != 3 || b->ndim != 3 || a->dtype != out->dtype || b->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[GatherMM] Unexpected operand layout.");
  if (!mx__cpu_alloc(out)) return -1;
  int M = out->shape[nd - 2], N = out->shape[nd - 1], K = a->shape[2];
  int64_t batch = M && N ? out->size / ((int64_t)M * N) : 0;
  if (out->size == 0) return 0;
  int64_t* offs = malloc(2 * (size_t)batch * sizeof(int64_t));
  if (!offs) return mx_error(MX_ERR_MEMORY, "[gather_mm] Out of memory.");
  int rc = read_indices(inputs[2], nb, out->shape, batch, a->shape[0], a->strides[0], offs, "lhs");
  if (rc == 0)
    rc = read_indices(inputs[3], nb, out->shape, batch, b->shape[0], b->strides[0], offs + batch,
                      "rhs");
  if (rc == 0) {
    gather_ctx g = {offs, offs + batch};
    mx__gemm_job job = {
        .dt = out->dtype, .M = M, .N = N, .K = K, .batch = batch,
        .a = mx__cpu_in_ptr(a), .a_rs = a->strides[1], .a_cs = a->strides[2],
        .b = mx__cpu_in_ptr(b), .b_rs = b->strides[1], .b_cs = b->strides[2],
        .out = mx__cpu_out_ptr(out), .alpha = 1.0f, .beta = 0.0f,
        .offsets = gather_offsets, .ctx = &g,
    };
    rc = job.a && job.b ? mx__gemm_batched(&job) : -1;
  }
  free(offs);
  if (rc == 0) mx__cpu_written(out);
  return rc;
}

/* --- BlockMaskedMM ----------------------------------------------------------------- */

/* Multiplies the (bs x bs) blocks of a row-major rows x cols matrix `m` in
 * compute dtype `ct` by the mask entries (same dtype, strides ms0/ms1 per
 * block row/col).  With `clear`, a zero entry clears its block outright so
 * that inf and NaN inside it do not leak into the product (bool masks). */
static void apply_mask(mx_dtype ct, char* m, int rows, int cols, int bs, const char* mask,
                       int64_t ms0, int64_t ms1, bool clear) {
  for (int i = 0; i < rows; i++) {
    for (int j0 = 0; j0 < cols; j0 += bs) {
      int64_t moff = (int64_t)(i / bs) * ms0 + (int64_t)(j0 / bs) * ms1;
      int j1 = j0 + bs < cols ? j0 + bs : cols;
      if (ct == MX_FLOAT64) {
        double v = ((const double*)mask)[moff];
        double* row = (double*)m + (int64_t)i * cols;
        if (clear && v == 0.0)
          for (int j = j0; j < j1; j++) row[j] = 0.0;
        else if (v != 1.0)
          for (int j = j0; j < j1; j++) row[j] *= v;
      } else {
        float v = ((const float*)mask)[moff];
        float* row = (float*)m + (int64_t)i * cols;
        if (clear && v == 0.0f)
          for (int j = j0; j < j1; j++) row[j] = 0.0f;
        else if (v != 1.0f)
          for (int j = j0; j < j1; j++) row[j] *= v;
      }
    }
  }
}

/* Element offset of batch entry bi in an operand with the output's batch
 * shape (strides of its first nb dims). */
static int64_t batch_offset(int64_t bi, int nb, const int* shape, const int64_t* strides) {
  int64_t off = 0;
  for (int i = nb - 1; i >= 0; i--) {
    off += (bi % shape[i]) * strides[i];
    bi /= shape[i];
  }
  return off;
}

int mx__cpu_block_masked_mm(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_block_masked_mm_params* p = node->params;
  mx_array *a = inputs[0], *b = inputs[1], *out = outputs[0];
  int next = 2;
  mx_array* mo = p->has_out ? inputs[next++] : NULL;
  mx_array* ml = p->has_lhs ? inputs[next++] : NULL;
  mx_array* mr = p->has_rhs ? inputs[next++] : NULL;
  int nd = out->ndim, nb = nd - 2;
  int ct = mx__gemm_compute_dtype(out->dtype);
  if (ct < 0 || ct == MX_COMPLEX64)
    return mx_error(MX_ERR_VALUE, "[block_masked_mm] Only real floating point types are supported.");
  if (!mx__cpu_alloc(out)) return -1;
  if (out->size == 0) return 0;
  int M = out->shape[nd - 2], N = out->shape[nd - 1], K = a->shape[nd - 1], bs = p->block_size;
  int64_t batch = out->size / ((int64_t)M * N);
  size_t csz = mx_dtype_size((mx_dtype)ct), osz = mx_dtype_size(out->dtype);
  char* ta = malloc((size_t)M * K * csz + 1);
  char* tb = malloc((size_t)K * N * csz + 1);
  char* tc = malloc((size_t)M * N * csz + 1);
  const char* pa = mx__cpu_in_ptr(a);
  const char* pb = mx__cpu_in_ptr(b);
  const char* pmo = mo ? mx__cpu_in_ptr(mo) : NULL;
  const char* pml = ml ? mx__cpu_in_ptr(ml) : NULL;
  const char* pmr = mr ? mx__cpu_in_ptr(mr) : NULL;
  int rc = 0;
  if (!ta || !tb || !tc) {
    rc = mx_error(MX_ERR_MEMORY, "[block_masked_mm] Out of memory.");
    goto done;
  }
  if (!pa || !pb || (mo && !pmo) || (ml && !pml) || (mr && !pmr)) {
    rc = -1;
    goto done;
  }
  for (int64_t bi = 0; bi < batch; bi++) {
    const char* A = pa + batch_offset(bi, nb, out->shape, a->strides) * (int64_t)osz;
    const char* B = pb + batch_offset(bi, nb, out->shape, b->strides) * (int64_t)osz;
    mx__gemm_stage(A, a->dtype, M, K, a->strides[nd - 2], a->strides[nd - 1], ta, (mx_dtype)ct);
    mx__gemm_stage(B, b->dtype, K, N, b->strides[nd - 2], b->strides[nd - 1], tb, (mx_dtype)ct);
    if (ml) {
      const char* m = pml + batch_offset(bi, nb, out->shape, ml->strides) * (int64_t)csz;
      apply_mask((mx_dtype)ct, ta, M, K, bs, m, ml->strides[nd - 2], ml->strides[nd - 1],
                 p->lhs_bool);
    }
    if (mr) {
      const char* m = pmr + batch_offset(bi, nb, out->shape, mr->strides) * (int64_t)csz;
      apply_mask((mx_dtype)ct, tb, K, N, bs, m, mr->strides[nd - 2], mr->strides[nd - 1],
                 p->rhs_bool);
    }
    mx__gemm((mx_dtype)ct, M, N, K, ta, false, K > 0 ? K : 1, tb, false, N, tc, N, 1.0f, 0.0f);
    if (mo) {
      const char* m = pmo + batch_offset(bi, nb, out->shape, mo->strides) * (int64_t)csz;
      apply_mask((mx_dtype)ct, tc, M, N, bs, m, mo->strides[nd - 2], mo->strides[nd - 1],
                 p->out_bool);
    }
    mx__gemm_stage(tc, (mx_dtype)ct, M, N, N, 1, mx__cpu_out_ptr(out) + bi * (int64_t)M * N * osz,
                   out->dtype);
  }
  mx__cpu_written(out);
done:
  free(ta);
  free(tb);
  free(tc);
  return rc;
}

/* --- SegmentedMM ----------------------------------------------------------------- */

int mx__cpu_segmented_mm(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  mx_array *a = inputs[0], *b = inputs[1], *seg = inputs[2], *out = outputs[0];
  if (a->ndim != 2 || b->ndim != 2 || a->dtype != out->dtype || b->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[SegmentedMM] Unexpected operand layout.");
  if (!mx__cpu_alloc(out)) return -1;
  if (out->size == 0) return 0;
  int M = a->shape[0], K = a->shape[1], N = b->shape[1];
  int64_t nseg = seg->size / 2;
  int64_t* bounds = malloc((size_t)seg->size * sizeof(int64_t) + 1);
  if (!bounds) return mx_error(MX_ERR_MEMORY, "[segmented_mm] Out of memory.");
  const char* ps = mx__cpu_in_ptr(seg);
  const char* pa = mx__cpu_in_ptr(a);
  const char* pb = mx__cpu_in_ptr(b);
  int rc = ps && pa && pb ? 0 : -1;
  if (rc == 0) mx__cpu_copy_into(seg, ps, (char*)bounds, MX_INT64, seg->ndim, seg->shape);
  size_t isz = mx_dtype_size(out->dtype);
  for (int64_t s = 0; rc == 0 && s < nseg; s++) {
    /* Segments past the inner dimension are clipped to it; an empty or
     * reversed segment gives a zero matrix. */
    int64_t lo = bounds[2 * s], hi = bounds[2 * s + 1];
    lo = lo < 0 ? 0 : (lo > K ? K : lo);
    hi = hi < lo ? lo : (hi > K ? K : hi);
    mx__gemm_job job = {
        .dt = out->dtype, .M = M, .N = N, .K = (int)(hi - lo), .batch = 1,
        .a = pa + lo * a->strides[1] * (int64_t)isz, .a_rs = a->strides[0], .a_cs = a->strides[1],
        .b = pb + lo * b->strides[0] * (int64_t)isz, .b_rs = b->strides[0], .b_cs = b->strides[1],
        .out = mx__cpu_out_ptr(out) + s * (int64_t)M * N * (int64_t)isz,
        .alpha = 1.0f, .beta = 0.0f,
    };
    rc = mx__gemm_batched(&job);
  }
  free(bounds);
  if (rc == 0) mx__cpu_written(out);
  return rc;
}
