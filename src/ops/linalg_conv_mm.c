/* Constructors of the product primitives beyond matmul: addmm, gather_mm,
 * block_masked_mm, segmented_mm, and the Hadamard transform.  Argument
 * checks, dtypes and messages follow MLX 0.32. */
#include <math.h>
#include <string.h>

#include "linalg_conv_internal.h"

static bool null_args(const char* who, mx_array* a, mx_array* b) {
  if (a && b) return false;
  mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", who);
  return true;
}

static int float_type_error(const char* who, mx_dtype a, mx_dtype b, mx_dtype r) {
  return mx_error(MX_ERR_VALUE,
                  "[%s] Only real floating point types are supported but %s and %s were provided "
                  "which results in %s, which is not a real floating point type.",
                  who, mx_dtype_name(a), mx_dtype_name(b), mx_dtype_name(r));
}

/* --- addmm ------------------------------------------------------------------------- */

mx_array* mx_addmm(mx_array* c, mx_array* a, mx_array* b, float alpha, float beta, mx_stream s) {
  if (null_args("addmm", a, b) || null_args("addmm", c, a)) return NULL;
  mx_dtype dt = mx_promote_types(mx_promote_types(a->dtype, b->dtype), c->dtype);
  if (!mx_dtype_is_inexact(dt)) {
    mx_error(MX_ERR_VALUE,
             "[addmm] Only real floating point types are supported but %s, %s and %s were "
             "provided which results in %s, which is not a real floating point type.",
             mx_dtype_name(c->dtype), mx_dtype_name(a->dtype), mx_dtype_name(b->dtype),
             mx_dtype_name(dt));
    return NULL;
  }
  mx__mm mm;
  if (mx__mm_prepare(a, b, dt, "addmm", s, &mm) != 0) return NULL;
  mx_array* out = NULL;
  mx_array *cc = NULL, *cb = NULL, *cr = NULL;
  /* c must broadcast to the result's shape (the one with 1-D operands'
   * dims dropped), then takes the product's internal shape. */
  int bnd, bsh[MX__MM_MAXND];
  if (c->ndim > mm.out_nd) {
    mx_error(MX_ERR_VALUE, "[addmm] input c must broadcast to the output shape");
    goto done;
  }
  if (mx_broadcast_shapes(c->ndim, c->shape, mm.out_nd, mm.out_shape, &bnd, bsh) != 0) goto done;
  if (!mx_shape_equal(bnd, bsh, mm.out_nd, mm.out_shape)) {
    mx_error(MX_ERR_VALUE, "[addmm] input c must broadcast to the output shape");
    goto done;
  }
  cc = mx__as_dtype(c, dt, s);
  cb = cc ? mx__broadcast_unchecked(cc, mm.out_nd, mm.out_shape, s) : NULL;
  cr = cb ? mx_reshape(cb, mm.nd, mm.shape, s) : NULL;
  if (!cr) goto done;
  mx_addmm_params p;
  memset(&p, 0, sizeof p);
  p.alpha = alpha;
  p.beta = beta;
  mx_array* in[3] = {mm.a, mm.b, cr};
  out = mx__mm_finish(&mm, mx_array_make(MX_PRIM_ADDMM, &p, sizeof p, s, 3, in, dt, mm.nd, mm.shape),
                      s);
done:
  mx_array_release(cc);
  mx_array_release(cb);
  mx_array_release(cr);
  mx__mm_release(&mm);
  return out;
}

/* --- gather_mm ----------------------------------------------------------------------- */

/* The default indices of an operand with batch dims (nb, shape): every
 * matrix in order, arange(prod) laid out in the batch shape. */
static mx_array* all_indices(int nb, const int* shape, mx_stream s) {
  int64_t n = 1;
  for (int i = 0; i < nb; i++) n *= shape[i];
  mx_array* r = mx_arange(0, (double)n, 1, MX_UINT32, s);
  if (!r) return NULL;
  mx_array* o = mx_reshape(r, nb, shape, s);
  mx_array_release(r);
  return o;
}

mx_array* mx_gather_mm(mx_array* a, mx_array* b, mx_array* lhs_indices, mx_array* rhs_indices,
                       bool sorted_indices, mx_stream s) {
  (void)sorted_indices; /* only a hint; the kernel does not need it */
  if (null_args("gather_mm", a, b)) return NULL;
  if (a->ndim == 0 || b->ndim == 0) {
    mx_error(MX_ERR_VALUE,
             "[gather_mm] Got 0 dimension input. Inputs must have at least one dimension.");
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (!mx_dtype_is_float(dt)) {
    float_type_error("gather_mm", a->dtype, b->dtype, dt);
    return NULL;
  }
  if ((lhs_indices && !mx_dtype_is_integer(lhs_indices->dtype)) ||
      (rhs_indices && !mx_dtype_is_integer(rhs_indices->dtype))) {
    mx_error(MX_ERR_VALUE, "[gather_mm] Got indices with invalid dtype. Indices must be integral.");
    return NULL;
  }
  int M = a->ndim == 1 ? 1 : a->shape[a->ndim - 2];
  int K = a->shape[a->ndim - 1];
  int Kb = b->ndim == 1 ? b->shape[0] : b->shape[b->ndim - 2];
  int N = b->ndim == 1 ? 1 : b->shape[b->ndim - 1];
  if (K != Kb) {
    char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE,
             "[gather_mm] Last dimension of first input with shape %s must match second to last "
             "dimension of second input with shape %s.",
             mx_shape_str(a->ndim, a->shape, sa, sizeof sa),
             mx_shape_str(b->ndim, b->shape, sb, sizeof sb));
    return NULL;
  }
  int anb = a->ndim > 2 ? a->ndim - 2 : 0, bnb = b->ndim > 2 ? b->ndim - 2 : 0;
  int64_t A = 1, B = 1;
  for (int i = 0; i < anb; i++) A *= a->shape[i];
  for (int i = 0; i < bnb; i++) B *= b->shape[i];

  mx_array *li = NULL, *ri = NULL, *lb = NULL, *rb = NULL, *a3 = NULL, *b3 = NULL, *ac = NULL,
           *bc = NULL, *prod = NULL, *out = NULL;
  li = lhs_indices ? mx__as_dtype(lhs_indices, MX_UINT32, s) : all_indices(anb, a->shape, s);
  ri = rhs_indices ? mx__as_dtype(rhs_indices, MX_UINT32, s) : all_indices(bnb, b->shape, s);
  if (!li || !ri) goto done;
  int bat_nd;
  int bat[MX__MM_MAXND + 2];
  if (li->ndim > MX__MM_MAXND || ri->ndim > MX__MM_MAXND) {
    mx_error(MX_ERR_VALUE, "[gather_mm] Too many dimensions.");
    goto done;
  }
  if (mx_broadcast_shapes(li->ndim, li->shape, ri->ndim, ri->shape, &bat_nd, bat) != 0) goto done;
  lb = mx__broadcast_unchecked(li, bat_nd, bat, s);
  rb = lb ? mx__broadcast_unchecked(ri, bat_nd, bat, s) : NULL;
  int a3s[3] = {(int)A, M, K}, b3s[3] = {(int)B, K, N};
  ac = rb ? mx__as_dtype(a, dt, s) : NULL;
  bc = ac ? mx__as_dtype(b, dt, s) : NULL;
  a3 = bc ? mx_reshape(ac, 3, a3s, s) : NULL;
  b3 = a3 ? mx_reshape(bc, 3, b3s, s) : NULL;
  if (!b3) goto done;
  bat[bat_nd] = M;
  bat[bat_nd + 1] = N;
  mx_array* in[4] = {a3, b3, lb, rb};
  prod = mx_array_make(MX_PRIM_GATHER_MM, NULL, 0, s, 4, in, dt, bat_nd + 2, bat);
  if (!prod) goto done;
  if (a->ndim == 1 || b->ndim == 1) {
    /* Drop the dims that 1-D operands added. */
    int ond = bat_nd;
    if (a->ndim != 1) bat[ond++] = M;
    if (b->ndim != 1) bat[ond++] = N;
    out = mx_reshape(prod, ond, bat, s);
  } else {
    out = prod;
    prod = NULL;
  }
done:
  mx_array_release(li);
  mx_array_release(ri);
  mx_array_release(lb);
  mx_array_release(rb);
  mx_array_release(ac);
  mx_array_release(bc);
  mx_array_release(a3);
  mx_array_release(b3);
  mx_array_release(prod);
  return out;
}

/* --- block_masked_mm --------------------------------------------------------------- */

/* A mask in compute dtype `ct`, broadcast to batch + (rows, cols) blocks. */
static mx_array* prep_mask(mx_array* m, mx_dtype ct, int nb, const int* batch, int rows, int cols,
                           int bs, mx_stream s) {
  int nd = nb + 2;
  int shape[MX__MM_MAXND];
  for (int i = 0; i < nb; i++) shape[i] = batch[i];
  shape[nb] = (rows + bs - 1) / bs;
  shape[nb + 1] = (cols + bs - 1) / bs;
  if (mx__check_broadcast_to(m, nd, shape) != 0) return NULL;
  mx_array* c = mx__as_dtype(m, ct, s);
  if (!c) return NULL;
  mx_array* r = mx__broadcast_unchecked(c, nd, shape, s);
  mx_array_release(c);
  return r;
}

mx_array* mx_block_masked_mm(mx_array* a, mx_array* b, int block_size, mx_array* mask_out,
                             mx_array* mask_lhs, mx_array* mask_rhs, mx_stream s) {
  if (null_args("block_masked_mm", a, b)) return NULL;
  if (!mask_out && !mask_lhs && !mask_rhs) return mx_matmul(a, b, s);
  if (block_size != 32 && block_size != 64) {
    mx_error(MX_ERR_VALUE,
             "[block_masked_mm] Only block_sizes 32, 64 are supported.Got block size %d.",
             block_size);
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (!mx_dtype_is_float(dt)) {
    float_type_error("block_masked_mm", a->dtype, b->dtype, dt);
    return NULL;
  }
  mx_dtype ct = dt == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
  mx__mm mm;
  if (mx__mm_prepare(a, b, dt, "block_masked_mm", s, &mm) != 0) return NULL;
  int nb = mm.nd - 2;
  int M = mm.shape[nb], N = mm.shape[nb + 1], K = mm.a->shape[nb + 1];
  mx_block_masked_mm_params p;
  memset(&p, 0, sizeof p);
  p.block_size = block_size;
  mx_array* in[5] = {mm.a, mm.b, NULL, NULL, NULL};
  int n = 2;
  mx_array* out = NULL;
  struct {
    mx_array* m;
    int rows, cols;
    int *has, *is_bool;
  } masks[3] = {{mask_out, M, N, &p.has_out, &p.out_bool},
                {mask_lhs, M, K, &p.has_lhs, &p.lhs_bool},
                {mask_rhs, K, N, &p.has_rhs, &p.rhs_bool}};
  for (int i = 0; i < 3; i++) {
    if (!masks[i].m) continue;
    mx_array* pm = prep_mask(masks[i].m, ct, nb, mm.shape, masks[i].rows, masks[i].cols,
                             block_size, s);
    if (!pm) goto done;
    in[n++] = pm;
    *masks[i].has = 1;
    *masks[i].is_bool = masks[i].m->dtype == MX_BOOL;
  }
  out = mx__mm_finish(
      &mm, mx_array_make(MX_PRIM_BLOCK_MASKED_MM, &p, sizeof p, s, n, in, dt, mm.nd, mm.shape), s);
done:
  for (int i = 2; i < n; i++) mx_array_release(in[i]);
  mx__mm_release(&mm);
  return out;
}

/* --- segmented_mm ------------------------------------------------------------------ */

mx_array* mx_segmented_mm(mx_array* a, mx_array* b, mx_array* segments, mx_stream s) {
  if (null_args("segmented_mm", a, b) || null_args("segmented_mm", a, segments)) return NULL;
  if (a->ndim != 2 || b->ndim != 2) {
    mx_error(MX_ERR_VALUE, "[segmented_mm] Batched matmul not supported");
    return NULL;
  }
  if (!mx_dtype_is_integer(segments->dtype)) {
    mx_error(MX_ERR_VALUE,
             "[segmented_mm] Got segments with invalid dtype. Segments must be integral.");
    return NULL;
  }
  if (segments->ndim < 1 || segments->shape[segments->ndim - 1] != 2 ||
      segments->ndim > MX__MM_MAXND) {
    char ss[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE, "[segmented_mm] The segments should have shape (..., 2) but %s was provided.",
             mx_shape_str(segments->ndim, segments->shape, ss, sizeof ss));
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (!mx_dtype_is_float(dt)) {
    float_type_error("segmented_mm", a->dtype, b->dtype, dt);
    return NULL;
  }
  if (a->shape[1] != b->shape[0]) {
    char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE,
             "[segmented_mm] Last dimension of first input with shape %s must match second to "
             "last dimension of second input with shape %s.",
             mx_shape_str(2, a->shape, sa, sizeof sa), mx_shape_str(2, b->shape, sb, sizeof sb));
    return NULL;
  }
  int nd = segments->ndim + 1;
  int shape[MX__MM_MAXND + 1];
  for (int i = 0; i < segments->ndim - 1; i++) shape[i] = segments->shape[i];
  shape[nd - 2] = a->shape[0];
  shape[nd - 1] = b->shape[1];
  mx_array* ac = mx__as_dtype(a, dt, s);
  mx_array* bc = ac ? mx__as_dtype(b, dt, s) : NULL;
  mx_array* sc = bc ? mx__as_dtype(segments, MX_INT64, s) : NULL;
  mx_array* out = NULL;
  if (sc) {
    mx_array* in[3] = {ac, bc, sc};
    out = mx_array_make(MX_PRIM_SEGMENTED_MM, NULL, 0, s, 3, in, dt, nd, shape);
  }
  mx_array_release(ac);
  mx_array_release(bc);
  mx_array_release(sc);
  return out;
}

/* --- hadamard_transform ---------------------------------------------------------- */

mx_array* mx_hadamard_transform(mx_array* a, bool has_scale, float scale, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[hadamard_transform] Invalid (null) array argument.");
    return NULL;
  }
  if (a->size == 0) {
    mx_error(MX_ERR_VALUE, "[hadamard_transform] Does not support empty arrays.");
    return NULL;
  }
  mx_dtype dt = a->dtype;
  if (dt == MX_FLOAT64) {
    mx_error(MX_ERR_VALUE, "[hadamard] Unsupported type.");
    return NULL;
  }
  if (dt != MX_FLOAT16 && dt != MX_BFLOAT16) dt = MX_FLOAT32;
  int64_t n = a->ndim ? a->shape[a->ndim - 1] : 1;
  bool ok = (n & (n - 1)) == 0;
  static const int ms[3] = {12, 20, 28};
  for (int i = 0; i < 3 && !ok; i++) {
    int64_t q = n / ms[i];
    ok = n % ms[i] == 0 && (q & (q - 1)) == 0;
  }
  if (!ok) {
    mx_error(MX_ERR_VALUE, "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).");
    return NULL;
  }
  mx_hadamard_params p;
  memset(&p, 0, sizeof p);
  p.scale = has_scale ? scale : (float)(1.0 / sqrt((double)n));
  mx_array* c = mx__as_dtype(a, dt, s);
  if (!c) return NULL;
  mx_array* out = mx_array_make(MX_PRIM_HADAMARD, &p, sizeof p, s, 1, &c, dt, a->ndim, a->shape);
  mx_array_release(c);
  return out;
}
