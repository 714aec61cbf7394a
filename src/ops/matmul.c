/* Matrix multiplication with NumPy's matmul rules.
 *
 * A 1-D first operand becomes a row (1, K) and a 1-D second operand a
 * column (K, 1); the added dims are removed from the result.  Leading
 * (batch) dims broadcast.  mx__mm_prepare converts both operands to the
 * promoted dtype and broadcasts them to a common batch shape, so the MATMUL
 * node (and the other product primitives built the same way) always sees
 * (..., M, K) x (..., K, N) of one dtype. */
#include "linalg_conv_internal.h"

int mx__mm_prepare(mx_array* a, mx_array* b, mx_dtype dt, const char* who, mx_stream s,
                   mx__mm* mm) {
  mm->a = mm->b = NULL;
  if (a->ndim == 0 || b->ndim == 0)
    return mx_error(MX_ERR_VALUE,
                    "[%s] Got 0 dimension input. Inputs must have at least one dimension.", who);
  /* Shapes as 2-D-or-more matrices. */
  int and_ = a->ndim == 1 ? 2 : a->ndim;
  int bnd = b->ndim == 1 ? 2 : b->ndim;
  if (and_ > MX__MM_MAXND || bnd > MX__MM_MAXND)
    return mx_error(MX_ERR_VALUE, "[%s] Too many dimensions.", who);
  int ash[MX__MM_MAXND] = {0}, bsh[MX__MM_MAXND] = {0};
  if (a->ndim == 1) {
    ash[0] = 1;
    ash[1] = a->shape[0];
  } else {
    for (int i = 0; i < and_; i++) ash[i] = a->shape[i];
  }
  if (b->ndim == 1) {
    bsh[0] = b->shape[0];
    bsh[1] = 1;
  } else {
    for (int i = 0; i < bnd; i++) bsh[i] = b->shape[i];
  }
  if (ash[and_ - 1] != bsh[bnd - 2]) {
    char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
    return mx_error(MX_ERR_VALUE,
                    "[%s] Last dimension of first input with shape %s must match second to last "
                    "dimension of second input with shape %s.",
                    who, mx_shape_str(and_, ash, sa, sizeof sa),
                    mx_shape_str(bnd, bsh, sb, sizeof sb));
  }
  int M = ash[and_ - 2], K = ash[and_ - 1], N = bsh[bnd - 1];

  /* Common batch shape, then the full input and output shapes. */
  int bat_nd = 0;
  int batch[MX__MM_MAXND];
  if (mx_broadcast_shapes(and_ - 2, ash, bnd - 2, bsh, &bat_nd, batch) != 0) return -1;
  int nd = bat_nd + 2;
  int a_full[MX__MM_MAXND], b_full[MX__MM_MAXND];
  for (int i = 0; i < bat_nd; i++) a_full[i] = b_full[i] = mm->shape[i] = batch[i];
  a_full[bat_nd] = M;
  a_full[bat_nd + 1] = K;
  b_full[bat_nd] = K;
  b_full[bat_nd + 1] = N;
  mm->shape[bat_nd] = M;
  mm->shape[bat_nd + 1] = N;
  mm->nd = nd;
  mm->out_nd = 0;
  for (int i = 0; i < bat_nd; i++) mm->out_shape[mm->out_nd++] = batch[i];
  if (a->ndim != 1) mm->out_shape[mm->out_nd++] = M;
  if (b->ndim != 1) mm->out_shape[mm->out_nd++] = N;

  mx_array* src[2] = {a, b};
  mx_array* in[2] = {NULL, NULL};
  const int* full[2] = {a_full, b_full};
  const int* mat[2] = {ash, bsh};
  const int matnd[2] = {and_, bnd};
  for (int i = 0; i < 2; i++) {
    /* 1-D operand: a reshape to its matrix form first. */
    mx_array* m = src[i]->ndim == 1 ? mx_reshape(src[i], matnd[i], mat[i], s) : src[i];
    if (!m) goto fail;
    if (m == src[i]) mx_array_retain(m);
    mx_array* c = mx__as_dtype(m, dt, s);
    mx_array_release(m);
    if (!c) goto fail;
    in[i] = mx__broadcast_unchecked(c, nd, full[i], s);
    mx_array_release(c);
    if (!in[i]) goto fail;
  }
  mm->a = in[0];
  mm->b = in[1];
  return 0;
fail:
  mx_array_release(in[0]);
  mx_array_release(in[1]);
  return -1;
}

void mx__mm_release(mx__mm* mm) {
  mx_array_release(mm->a);
  mx_array_release(mm->b);
  mm->a = mm->b = NULL;
}

mx_array* mx__mm_finish(mx__mm* mm, mx_array* prod, mx_stream s) {
  if (!prod || mx_shape_equal(prod->ndim, prod->shape, mm->out_nd, mm->out_shape)) return prod;
  mx_array* out = mx_reshape(prod, mm->out_nd, mm->out_shape, s);
  mx_array_release(prod);
  return out;
}

mx_array* mx_matmul(mx_array* a, mx_array* b, mx_stream s) {
  if (!a || !b) {
    mx_error(MX_ERR_VALUE, "[matmul] Invalid (null) array argument.");
    return NULL;
  }
  if (a->ndim == 0 || b->ndim == 0) {
    mx_error(MX_ERR_VALUE,
             "[matmul] Got 0 dimension input. Inputs must have at least one dimension.");
    return NULL;
  }
  mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
  if (!mx_dtype_is_inexact(dt)) {
    mx_error(MX_ERR_VALUE,
             "[matmul] Only inexact types are supported but %s and %s were provided which "
             "results in %s, which is not a floating point type.",
             mx_dtype_name(a->dtype), mx_dtype_name(b->dtype), mx_dtype_name(dt));
    return NULL;
  }
  mx__mm mm;
  if (mx__mm_prepare(a, b, dt, "matmul", s, &mm) != 0) return NULL;
  mx_array* in[2] = {mm.a, mm.b};
  mx_array* prod = mx_array_make(MX_PRIM_MATMUL, NULL, 0, s, 2, in, dt, mm.nd, mm.shape);
  mx_array* out = mx__mm_finish(&mm, prod, s);
  mx__mm_release(&mm);
  return out;
}
