/* mx.linalg.norm and mx.linalg.cross, composed from ordinary ops.
 *
 * norm follows MLX's dispatch: without ord, the 2-norm of the flattened
 * array or of one or two given axes; with a numeric ord, a vector norm over
 * one axis or a matrix norm over two (1, -1, inf, -inf as column/row sums,
 * 2 and -2 through the SVD); "fro" and "nuc" are matrix norms only.
 * Integer and bool inputs are computed in float32.  For complex input the
 * 2-norm, "fro" and "nuc" are real (float32) while every other order comes
 * back as complex64 with a zero imaginary part, which is what MLX 0.32
 * returns. */
#include <math.h>
#include <string.h>

#include "linalg_internal.h"
#include "ops.h"
#include "ops_linalg.h"

static mx_array* too_many_axes(void) {
  mx_error(MX_ERR_VALUE, "[linalg::norm] Received too many axes for norm.");
  return NULL;
}

/* Integer and bool inputs become float32; floating and complex stay. */
static mx_array* inexact(mx_array* a, mx_stream s) {
  return mx__as_dtype(a, mx_dtype_is_inexact(a->dtype) ? a->dtype : MX_FLOAT32, s);
}

/* sqrt(sum |x|^2) over `axes` (NULL: all). */
static mx_array* l2(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  LET(x, inexact(a, s));
  LET(ax, x->dtype == MX_COMPLEX64 ? mx_abs(x, s) : (mx_array_retain(x), x));
  LET(sq, mx_multiply(ax, ax, s));
  LET(sum, mx_sum(sq, axes ? naxes : 0, axes, keepdims, s));
  res = mx_sqrt(sum, s);
fail:
  mx__la_close(&sc);
  return res;
}

/* Complex inputs give complex64 results for the orders that are not the
 * 2-norm (see the file comment); takes ownership of r. */
static mx_array* complex_back(mx_array* r, bool was_complex, mx_stream s) {
  if (!r || !was_complex) return r;
  mx_array* c = mx_astype(r, MX_COMPLEX64, s);
  mx_array_release(r);
  return c;
}

static mx_array* vector_norm(mx_array* a, double ord, int axis, bool keepdims, mx_stream s) {
  if (ord == 2) return l2(a, 1, &axis, keepdims, s);
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  bool cplx = a->dtype == MX_COMPLEX64;
  LET(x, inexact(a, s));
  LET(ax, mx_abs(x, s));
  if (isinf(ord)) {
    res = ord > 0 ? mx_max(ax, 1, &axis, keepdims, s) : mx_min(ax, 1, &axis, keepdims, s);
  } else if (ord == 0) {
    LET(zero, mx_array_scalar_f64(0, ax->dtype));
    LET(nz, mx_not_equal(ax, zero, s));
    LET(cnt, mx_sum(nz, 1, &axis, keepdims, s));
    res = mx_astype(cnt, ax->dtype, s);
  } else if (ord == 1) {
    res = mx_sum(ax, 1, &axis, keepdims, s);
  } else {
    LET(p, mx_array_scalar_f64(ord, ax->dtype));
    LET(ip, mx_array_scalar_f64(1.0 / ord, ax->dtype));
    LET(pw, mx_power(ax, p, s));
    LET(sum, mx_sum(pw, 1, &axis, keepdims, s));
    res = mx_power(sum, ip, s);
  }
fail:
  mx__la_close(&sc);
  return complex_back(res, cplx, s);
}

/* Normalises a norm axis with MLX's reduction message (IndexError). */
static int norm_axis(int axis, int ndim, int* out) {
  int a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim)
    return mx_error(MX_ERR_INDEX, "Invalid axis %d for array with %d dimensions.", axis, ndim);
  *out = a;
  return 0;
}

/* The singular values of the matrices spanned by axes r and c (normalised,
 * distinct), reduced by max (which > 0), min (< 0) or sum (== 0). */
static mx_array* svd_norm(mx_array* a, int r, int c, int which, bool keepdims, mx_stream s) {
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  int nd = a->ndim, perm[nd], k = 0;
  for (int i = 0; i < nd; i++)
    if (i != r && i != c) perm[k++] = i;
  perm[k++] = r, perm[k++] = c;
  LET(x, inexact(a, s));
  LET(t, mx_transpose(x, nd, perm, s));
  mx_array *u = NULL, *sv = NULL, *vt = NULL;
  if (mx_linalg_svd(t, false, s, &u, &sv, &vt)) goto fail;
  mx__la_keep(&sc, sv);
  int last = -1;
  LET(red, which > 0   ? mx_max(sv, 1, &last, false, s)
           : which < 0 ? mx_min(sv, 1, &last, false, s)
                       : mx_sum(sv, 1, &last, false, s));
  if (keepdims) {
    int ax[2] = {r < c ? r : c, r < c ? c : r};
    res = mx_expand_dims(red, 2, ax, s);
  } else {
    mx_array_retain(red);
    res = red;
  }
fail:
  mx__la_close(&sc);
  return res;
}

static mx_array* matrix_norm_p(mx_array* a, double ord, const int* axes, bool keepdims,
                               mx_stream s) {
  int r = 0, c = 0;
  if (norm_axis(axes[0], a->ndim, &r) || norm_axis(axes[1], a->ndim, &c)) return NULL;
  bool cplx = a->dtype == MX_COMPLEX64;
  if (ord == 2 || ord == -2) {
    if (r == c) return l2(a, 2, axes, keepdims, s); /* lets the reduction report it */
    return complex_back(svd_norm(a, r, c, ord > 0 ? 1 : -1, keepdims, s), cplx, s);
  }
  if (!(ord == 1 || ord == -1 || isinf(ord))) {
    mx_error(MX_ERR_VALUE, "[linalg::norm] Invalid ord %g for matrix norm.", ord);
    return NULL;
  }
  /* ord +-1: sum down the first axis, then extreme over the second; +-inf
   * the other way round. */
  int sum_ax = isinf(ord) ? c : r, ext_ax = isinf(ord) ? r : c;
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  LET(x, inexact(a, s));
  LET(ax, mx_abs(x, s));
  LET(sum, mx_sum(ax, 1, &sum_ax, true, s));
  LET(ext, ord > 0 ? mx_max(sum, 1, &ext_ax, true, s) : mx_min(sum, 1, &ext_ax, true, s));
  if (keepdims) {
    mx_array_retain(ext);
    res = ext;
  } else {
    int sq[2] = {r, c};
    res = mx_squeeze(ext, r == c ? 1 : 2, sq, s);
  }
fail:
  mx__la_close(&sc);
  return complex_back(res, cplx, s);
}

mx_array* mx_linalg_norm_l2(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (!a) return NULL;
  if (axes && (naxes < 1 || naxes > 2)) return too_many_axes();
  return l2(a, naxes, axes, keepdims, s);
}

mx_array* mx_linalg_norm_p(mx_array* a, double ord, int naxes, const int* axes, bool keepdims,
                           mx_stream s) {
  if (!a) return NULL;
  int all[2] = {0, 1};
  if (!axes) {
    if (a->ndim < 1 || a->ndim > 2) return too_many_axes();
    naxes = a->ndim;
    axes = all;
  }
  if (naxes == 1) {
    int ax = 0;
    if (norm_axis(axes[0], a->ndim, &ax)) return NULL;
    return vector_norm(a, ord, ax, keepdims, s);
  }
  if (naxes == 2) return matrix_norm_p(a, ord, axes, keepdims, s);
  return too_many_axes();
}

mx_array* mx_linalg_norm_str(mx_array* a, const char* ord, int naxes, const int* axes,
                             bool keepdims, mx_stream s) {
  if (!a || !ord) return NULL;
  int n = axes ? naxes : a->ndim, all[2] = {0, 1};
  if (n != 2) {
    mx_error(MX_ERR_VALUE,
             "[linalg::norm] Norm '%s' only supported for matrices, but received %d axis/axes.",
             ord, n);
    return NULL;
  }
  if (!axes) axes = all;
  if (strcmp(ord, "fro") == 0) return l2(a, 2, axes, keepdims, s);
  if (strcmp(ord, "nuc") == 0) {
    int r = 0, c = 0;
    if (norm_axis(axes[0], a->ndim, &r) || norm_axis(axes[1], a->ndim, &c)) return NULL;
    if (r == c) return l2(a, 2, axes, keepdims, s); /* the reduction reports duplicates */
    return svd_norm(a, r, c, 0, keepdims, s);
  }
  mx_error(MX_ERR_VALUE, "[linalg::norm] Invalid ord value '%s' for matrix norm.", ord);
  return NULL;
}

/* --- cross ------------------------------------------------------------------------------ */

/* Component i (kept as a size-1 dim) of `a` along the normalised `axis`. */
static mx_array* component(mx_array* a, int axis, int i, mx_stream s) {
  int nd = a->ndim, start[nd], stop[nd];
  for (int d = 0; d < nd; d++) start[d] = 0, stop[d] = a->shape[d];
  start[axis] = i, stop[axis] = i + 1;
  return mx_slice(a, nd, start, stop, NULL, s);
}

mx_array* mx_linalg_cross(mx_array* a, mx_array* b, int axis, mx_stream s) {
  if (!a || !b) return NULL;
  int ax[2];
  mx_array* in[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    int n = in[i]->ndim, x = axis < 0 ? axis + n : axis;
    if (x < 0 || x >= n) {
      mx_error(MX_ERR_INDEX, "[linalg::cross] Axis %d is out of bounds for array with %d "
               "dimensions.", axis, n);
      return NULL;
    }
    ax[i] = x;
  }
  for (int i = 0; i < 2; i++) {
    int len = in[i]->shape[ax[i]];
    if (len != 2 && len != 3) {
      mx_error(MX_ERR_VALUE, "[linalg::cross] The specified axis must have size 2 or 3.");
      return NULL;
    }
  }
  mx__la_scope sc = {0};
  mx_array* res = NULL;
  mx_array* comp[2][3];
  for (int i = 0; i < 2; i++) {
    for (int j = 0; j < 2; j++) comp[i][j] = mx__la_keep(&sc, component(in[i], ax[i], j, s));
    /* A 2-vector has a zero third component. */
    comp[i][2] = in[i]->shape[ax[i]] == 3 ? mx__la_keep(&sc, component(in[i], ax[i], 2, s))
                                          : mx__la_keep(&sc, mx_zeros_like(comp[i][0], s));
    for (int j = 0; j < 3; j++)
      if (!comp[i][j]) goto fail;
  }
  /* Check that the padded operands broadcast, as MLX does, before the
   * component products hide a mismatch on the cross axis itself. */
  {
    int na = in[0]->ndim, nb = in[1]->ndim, sa[na], sb[nb];
    memcpy(sa, in[0]->shape, sizeof(int) * (size_t)na);
    memcpy(sb, in[1]->shape, sizeof(int) * (size_t)nb);
    sa[ax[0]] = sb[ax[1]] = 3;
    int nd = na > nb ? na : nb, out[nd > 0 ? nd : 1];
    if (mx_broadcast_shapes(na, sa, nb, sb, &nd, out)) goto fail;
  }
  mx_array* c[3];
  for (int i = 0; i < 3; i++) {
    int j = (i + 1) % 3, k = (i + 2) % 3;
    LET(p, mx_multiply(comp[0][j], comp[1][k], s));
    LET(q, mx_multiply(comp[0][k], comp[1][j], s));
    LET(d, mx_subtract(p, q, s));
    c[i] = d;
  }
  /* The cross axis counted from the end is the same in the result. */
  res = mx_concatenate(3, c, ax[0] - a->ndim, s);
fail:
  mx__la_close(&sc);
  return res;
}
