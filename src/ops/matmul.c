/* Matrix multiplication with NumPy's matmul rules.
 *
 * A 1-D first operand becomes a row (1, K) and a 1-D second operand a
 * column (K, 1); the added dims are removed from the result.  Leading
 * (batch) dims broadcast.  The constructor converts both operands to the
 * promoted dtype and broadcasts them to a common batch shape, so the MATMUL
 * node always sees (..., M, K) x (..., K, N) of one dtype. */
#include "ops_internal.h"

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
  /* Shapes as 2-D-or-more matrices. */
  int and_ = a->ndim == 1 ? 2 : a->ndim;
  int bnd = b->ndim == 1 ? 2 : b->ndim;
  int ash[and_], bsh[bnd];
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
    mx_error(MX_ERR_VALUE,
             "[matmul] Last dimension of first input with shape %s must match second to last "
             "dimension of second input with shape %s.",
             mx_shape_str(and_, ash, sa, sizeof sa), mx_shape_str(bnd, bsh, sb, sizeof sb));
    return NULL;
  }
  int M = ash[and_ - 2], K = ash[and_ - 1], N = bsh[bnd - 1];

  /* Common batch shape, then the full input and output shapes. */
  int bat_nd = 0;
  int nmax = (and_ > bnd ? and_ : bnd) - 2;
  int batch[nmax > 0 ? nmax : 1];
  if (mx_broadcast_shapes(and_ - 2, ash, bnd - 2, bsh, &bat_nd, batch) != 0) return NULL;
  int nd = bat_nd + 2;
  int a_full[nd], b_full[nd], o_full[nd];
  for (int i = 0; i < bat_nd; i++) a_full[i] = b_full[i] = o_full[i] = batch[i];
  a_full[bat_nd] = M;
  a_full[bat_nd + 1] = K;
  b_full[bat_nd] = K;
  b_full[bat_nd + 1] = N;
  o_full[bat_nd] = M;
  o_full[bat_nd + 1] = N;

  mx_array* in[2] = {NULL, NULL};
  mx_array* prod = NULL;
  mx_array* out = NULL;
  mx_array* src[2] = {a, b};
  const int* full[2] = {a_full, b_full};
  const int* mat[2] = {ash, bsh};
  const int matnd[2] = {and_, bnd};
  for (int i = 0; i < 2; i++) {
    /* 1-D operand: a reshape to its matrix form first. */
    mx_array* m = src[i]->ndim == 1 ? mx_reshape(src[i], matnd[i], mat[i], s) : src[i];
    if (!m) goto done;
    if (m == src[i]) mx_array_retain(m);
    mx_array* c = mx__as_dtype(m, dt, s);
    mx_array_release(m);
    if (!c) goto done;
    in[i] = mx__broadcast_unchecked(c, nd, full[i], s);
    mx_array_release(c);
    if (!in[i]) goto done;
  }
  prod = mx_array_make(MX_PRIM_MATMUL, NULL, 0, s, 2, in, dt, nd, o_full);
  if (!prod) goto done;
  if (a->ndim == 1 || b->ndim == 1) {
    /* Drop the dims that the 1-D operands added. */
    int osh[nd];
    int ond = 0;
    for (int i = 0; i < bat_nd; i++) osh[ond++] = batch[i];
    if (a->ndim != 1) osh[ond++] = M;
    if (b->ndim != 1) osh[ond++] = N;
    out = mx_reshape(prod, ond, osh, s);
    mx_array_release(prod);
  } else {
    out = prod;
  }
done:
  mx_array_release(in[0]);
  mx_array_release(in[1]);
  return out;
}
