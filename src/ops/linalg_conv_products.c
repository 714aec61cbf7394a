/* Products built from other ops: tensordot, inner, outer, vecdot, kron.
 * Contractions go through matmul (so, as in MLX, they need inexact
 * dtypes); products without a contraction are broadcast multiplies and
 * keep integer dtypes. */
#include "linalg_conv_internal.h"

static bool null_args(const char* who, mx_array* a, mx_array* b) {
  if (a && b) return false;
  mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", who);
  return true;
}

/* --- tensordot ------------------------------------------------------------------ */

/* a and b contracted over normalized, checked axis lists. */
static mx_array* contract(mx_array* a, mx_array* b, int n, const int* axa, const int* axb,
                          mx_stream s) {
  int na = a->ndim, nb = b->ndim;
  bool used_a[MX__MM_MAXND] = {false}, used_b[MX__MM_MAXND] = {false};
  for (int i = 0; i < n; i++) used_a[axa[i]] = used_b[axb[i]] = true;
  int perm_a[MX__MM_MAXND], perm_b[MX__MM_MAXND], out_shape[2 * MX__MM_MAXND];
  int pa = 0, pb = 0, ond = 0;
  int64_t M = 1, N = 1, K = 1;
  for (int i = 0; i < na; i++)
    if (!used_a[i]) {
      perm_a[pa++] = i;
      M *= a->shape[i];
      out_shape[ond++] = a->shape[i];
    }
  for (int i = 0; i < n; i++) {
    perm_a[pa++] = axa[i];
    perm_b[pb++] = axb[i];
    K *= a->shape[axa[i]];
  }
  for (int i = 0; i < nb; i++)
    if (!used_b[i]) {
      perm_b[pb++] = i;
      N *= b->shape[i];
      out_shape[ond++] = b->shape[i];
    }
  if (M > INT32_MAX || N > INT32_MAX || K > INT32_MAX) {
    mx_error(MX_ERR_VALUE, "[tensordot] Operands are too large.");
    return NULL;
  }
  int ma[2] = {(int)M, (int)K}, mb[2] = {(int)K, (int)N};
  mx_array *ta = NULL, *tb = NULL, *ra = NULL, *rb = NULL, *p = NULL, *out = NULL;
  ta = mx_transpose(a, na, perm_a, s);
  tb = ta ? mx_transpose(b, nb, perm_b, s) : NULL;
  ra = tb ? mx_reshape(ta, 2, ma, s) : NULL;
  rb = ra ? mx_reshape(tb, 2, mb, s) : NULL;
  p = rb ? mx_matmul(ra, rb, s) : NULL;
  out = p ? mx_reshape(p, ond, out_shape, s) : NULL;
  mx_array_release(ta);
  mx_array_release(tb);
  mx_array_release(ra);
  mx_array_release(rb);
  mx_array_release(p);
  return out;
}

mx_array* mx_tensordot(mx_array* a, mx_array* b, int naxes, const int* axes_a, const int* axes_b,
                       mx_stream s) {
  if (null_args("tensordot", a, b)) return NULL;
  if (a->ndim > MX__MM_MAXND || b->ndim > MX__MM_MAXND || naxes > MX__MM_MAXND) {
    mx_error(MX_ERR_VALUE, "[tensordot] Too many dimensions.");
    return NULL;
  }
  int axa[MX__MM_MAXND], axb[MX__MM_MAXND];
  bool seen_a[MX__MM_MAXND] = {false}, seen_b[MX__MM_MAXND] = {false};
  for (int i = 0; i < naxes; i++) {
    if (mx_normalize_axis(axes_a[i], a->ndim, "tensordot", &axa[i]) != 0 ||
        mx_normalize_axis(axes_b[i], b->ndim, "tensordot", &axb[i]) != 0)
      return NULL;
    if (seen_a[axa[i]] || seen_b[axb[i]]) {
      mx_error(MX_ERR_VALUE, "[tensordot] Repeated axis in the contracted axes.");
      return NULL;
    }
    seen_a[axa[i]] = seen_b[axb[i]] = true;
    if (a->shape[axa[i]] != b->shape[axb[i]]) {
      mx_error(MX_ERR_VALUE, "[tensordot] a and b must have the same shape on the contracted axes.");
      return NULL;
    }
  }
  return contract(a, b, naxes, axa, axb, s);
}

mx_array* mx_tensordot_n(mx_array* a, mx_array* b, int n, mx_stream s) {
  if (null_args("tensordot", a, b)) return NULL;
  if (n < 0) {
    mx_error(MX_ERR_VALUE, "[tensordot] axis must be greater or equal to 0.");
    return NULL;
  }
  if (n > a->ndim || n > b->ndim) {
    mx_error(MX_ERR_VALUE, "[tensordot] axis must be less than the number of dimensions of a and b.");
    return NULL;
  }
  if (n > MX__MM_MAXND) {
    mx_error(MX_ERR_VALUE, "[tensordot] Too many dimensions.");
    return NULL;
  }
  int axa[MX__MM_MAXND], axb[MX__MM_MAXND];
  for (int i = 0; i < n; i++) {
    axa[i] = a->ndim - n + i;
    axb[i] = i;
  }
  return mx_tensordot(a, b, n, axa, axb, s);
}

/* --- inner / outer ---------------------------------------------------------------- */

mx_array* mx_inner(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("inner", a, b)) return NULL;
  if (a->ndim == 0 || b->ndim == 0) return mx_multiply(a, b, s);
  if (a->shape[a->ndim - 1] != b->shape[b->ndim - 1]) {
    mx_error(MX_ERR_VALUE, "[inner] a and b must have the same last dimension.");
    return NULL;
  }
  int la = -1, lb = -1;
  return mx_tensordot(a, b, 1, &la, &lb, s);
}

mx_array* mx_outer(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("outer", a, b)) return NULL;
  int col[2] = {-1, 1}, row[1] = {-1};
  mx_array* ca = mx_reshape(a, 2, col, s);
  mx_array* rb = ca ? mx_reshape(b, 1, row, s) : NULL;
  mx_array* out = rb ? mx_multiply(ca, rb, s) : NULL;
  mx_array_release(ca);
  mx_array_release(rb);
  return out;
}

/* --- vecdot --------------------------------------------------------------------------- */

mx_array* mx_vecdot(mx_array* a, mx_array* b, int axis, mx_stream s) {
  if (null_args("vecdot", a, b)) return NULL;
  if (a->ndim == 0 || b->ndim == 0) {
    mx_error(MX_ERR_VALUE, "[vecdot] inputs must be at least 1D.");
    return NULL;
  }
  /* MLX asks for operands of one rank and reports a mismatch with the
   * out-of-bounds message, but as a ValueError. */
  if (a->ndim != b->ndim) {
    mx_error(MX_ERR_VALUE, "[vecdot] axis is out of bounds.");
    return NULL;
  }
  if (axis < -a->ndim || axis >= a->ndim) {
    mx_error(MX_ERR_INDEX, "[vecdot] axis is out of bounds.");
    return NULL;
  }
  int ax = axis < 0 ? axis + a->ndim : axis;
  if (a->shape[ax] != b->shape[ax]) {
    mx_error(MX_ERR_VALUE, "[vecdot] a and b must have the same size along axis.");
    return NULL;
  }
  /* The dot product of complex vectors conjugates the first operand. */
  mx_array* ca = a;
  if (a->dtype == MX_COMPLEX64) {
    ca = mx_conjugate(a, s);
    if (!ca) return NULL;
  } else {
    mx_array_retain(ca);
  }
  mx_array* p = mx_multiply(ca, b, s);
  mx_array_release(ca);
  if (!p) return NULL;
  mx_array* out = mx_sum(p, 1, &ax, false, s);
  mx_array_release(p);
  return out;
}

/* --- kron ------------------------------------------------------------------------------- */

mx_array* mx_kron(mx_array* a, mx_array* b, mx_stream s) {
  if (null_args("kron", a, b)) return NULL;
  if (a->size == 0 || b->size == 0) {
    mx_error(MX_ERR_VALUE, "[kron] Input arrays cannot be empty.");
    return NULL;
  }
  int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
  if (nd > MX__MM_MAXND) {
    mx_error(MX_ERR_VALUE, "[kron] Too many dimensions.");
    return NULL;
  }
  /* a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), both padded
   * to the same rank with leading 1s, then the pairs merged. */
  int sa[2 * MX__MM_MAXND], sb[2 * MX__MM_MAXND], so[MX__MM_MAXND];
  for (int i = 0; i < nd; i++) {
    int da = i < nd - a->ndim ? 1 : a->shape[i - (nd - a->ndim)];
    int db = i < nd - b->ndim ? 1 : b->shape[i - (nd - b->ndim)];
    sa[2 * i] = da;
    sa[2 * i + 1] = 1;
    sb[2 * i] = 1;
    sb[2 * i + 1] = db;
    so[i] = da * db;
  }
  mx_array* ra = mx_reshape(a, 2 * nd, sa, s);
  mx_array* rb = ra ? mx_reshape(b, 2 * nd, sb, s) : NULL;
  mx_array* p = rb ? mx_multiply(ra, rb, s) : NULL;
  mx_array* out = p ? mx_reshape(p, nd, so, s) : NULL;
  mx_array_release(ra);
  mx_array_release(rb);
  mx_array_release(p);
  return out;
}
