/* Transform rules of the Convolution primitive (table in rules_linalg_conv.c).
 *
 * The primitive computes, per spatial dim, out[o] = sum_k xp[o*st + k*kd] w'[k]
 * where xp is the input dilated by `input_dilation` (zeros between entries)
 * and padded by pad_lo/pad_hi (negative widths crop), and w' is the kernel,
 * spatially flipped when `flip` is set; channels are split into `groups`.
 *
 * Both cotangents are again convolutions, built with mx_conv_general:
 * - input: the cotangent, dilated by the stride, correlated with the kernel
 *   flipped once more (so `flip` toggles) and its channel dims swapped
 *   within each group, gives the gradient on every position of xp; undoing
 *   the padding (crop or zero-fill) and taking every input_dilation-th
 *   entry maps it back onto the input.
 * - weight: the input with batch and channels swapped (the batch becomes
 *   the contracted "channel" dim, one group per conv group) correlated
 *   with the cotangent as a kernel dilated by the stride, striding by the
 *   kernel dilation; the first K positions are the kernel's gradient.
 * The primitive is bilinear, so its jvp is conv(tx, w) + conv(x, tw).
 * vmap folds the batch into the convolution's batch (input batched) or
 * into its groups (weight batched, or both). */
#include <string.h>

#include "rules_linalg_conv.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* The convolution of the node's parameters on new operands. */
static mx_array* conv_like(mx_array* x, mx_array* w, const mx_conv_params* p, mx_stream s) {
  int d = p->nspatial;
  return mx_conv_general(x, w, d, p->stride, d, p->pad_lo, d, p->pad_hi, d, p->kernel_dilation, d,
                         p->input_dilation, p->groups, p->flip != 0, s);
}

/* a reshaped (a NULL a passes through). */
static mx_array* reshape_n(mx_array* a, int nd, const int* shape, mx_stream s) {
  return a ? mx_reshape(a, nd, shape, s) : NULL;
}
static mx_array* transpose_n(mx_array* a, int nd, const int* perm, mx_stream s) {
  return a ? mx_transpose(a, nd, perm, s) : NULL;
}

/* Cotangent of the input x given the cotangent c of the output. */
static mx_array* grad_input(mx_node* node, mx_array* x, mx_array* w, mx_array* c) {
  const mx_conv_params* p = node->params;
  int d = p->nspatial, g = p->groups;
  int cin = x->shape[d + 1], cout = w->shape[0], cgi = w->shape[d + 1], cgo = cout / g;
  mx__tmps t = {0};
  /* The kernel as (C_in, K..., C_out / groups): w[g*cgo + o, k, i] moves to
   * [g*cgi + i, k, o]. */
  int s5[MX_CONV_MAX_SPATIAL + 3], perm[MX_CONV_MAX_SPATIAL + 3], s4[MX_CONV_MAX_SPATIAL + 2];
  s5[0] = g;
  s5[1] = cgo;
  for (int i = 0; i < d; i++) s5[2 + i] = w->shape[1 + i];
  s5[d + 2] = cgi;
  perm[0] = 0;
  perm[1] = d + 2;
  for (int i = 0; i < d; i++) perm[2 + i] = 2 + i;
  perm[d + 2] = 1;
  s4[0] = cin;
  for (int i = 0; i < d; i++) s4[1 + i] = w->shape[1 + i];
  s4[d + 1] = cgo;
  mx_array* w2 = K(reshape_n(K(transpose_n(K(reshape_n(w, d + 3, s5, S)), d + 3, perm, S)), d + 2,
                             s4, S));
  int lo[MX_CONV_MAX_SPATIAL], hi[MX_CONV_MAX_SPATIAL], plo[MX_CONV_MAX_SPATIAL],
      phi[MX_CONV_MAX_SPATIAL], ext[MX_CONV_MAX_SPATIAL];
  bool fill = false;
  for (int i = 0; i < d; i++) {
    int n = x->shape[1 + i], k = w->shape[1 + i], o = c->shape[1 + i];
    int in_ext = (n - 1) * p->input_dilation[i] + 1;
    int padded = in_ext + p->pad_lo[i] + p->pad_hi[i];
    int k_ext = (k - 1) * p->kernel_dilation[i] + 1;
    lo[i] = k_ext - 1;
    hi[i] = k_ext - 1 + padded - ((o - 1) * p->stride[i] + k_ext);
    plo[i] = p->pad_lo[i] < 0 ? -p->pad_lo[i] : 0;
    phi[i] = p->pad_hi[i] < 0 ? -p->pad_hi[i] : 0;
    fill |= plo[i] || phi[i];
    ext[i] = in_ext;
  }
  mx_array* gp = w2 ? K(mx_conv_general(c, w2, 0, NULL, d, lo, d, hi, d, p->kernel_dilation, d,
                                        p->stride, g, !p->flip, S))
                    : NULL;
  /* Positions the forward pass cropped away get zeros. */
  if (gp && fill) {
    int axes[MX_CONV_MAX_SPATIAL];
    for (int i = 0; i < d; i++) axes[i] = 1 + i;
    gp = K(mx_pad(gp, d, axes, plo, phi, NULL, "constant", S));
  }
  mx_array* out = NULL;
  if (gp) {
    int start[MX_CONV_MAX_SPATIAL + 2], stop[MX_CONV_MAX_SPATIAL + 2], step[MX_CONV_MAX_SPATIAL + 2];
    start[0] = 0, stop[0] = gp->shape[0], step[0] = 1;
    start[d + 1] = 0, stop[d + 1] = gp->shape[d + 1], step[d + 1] = 1;
    for (int i = 0; i < d; i++) {
      start[1 + i] = p->pad_lo[i] > 0 ? p->pad_lo[i] : 0;
      stop[1 + i] = start[1 + i] + ext[i];
      step[1 + i] = p->input_dilation[i];
    }
    out = mx_slice(gp, d + 2, start, stop, step, S);
  }
  mx__tmps_free(&t);
  return out;
}

/* Cotangent of the weight w given the cotangent c of the output. */
static mx_array* grad_weight(mx_node* node, mx_array* x, mx_array* w, mx_array* c) {
  const mx_conv_params* p = node->params;
  int d = p->nspatial, g = p->groups;
  int n = x->shape[0], cgi = w->shape[d + 1];
  mx__tmps t = {0};
  /* x (N, S..., g*cgi) -> (cgi, S..., g*N): channel g*N + b holds batch b of group g. */
  int s5[MX_CONV_MAX_SPATIAL + 3], perm[MX_CONV_MAX_SPATIAL + 3], s4[MX_CONV_MAX_SPATIAL + 2];
  s5[0] = n;
  for (int i = 0; i < d; i++) s5[1 + i] = x->shape[1 + i];
  s5[d + 1] = g;
  s5[d + 2] = cgi;
  perm[0] = d + 2;
  for (int i = 0; i < d; i++) perm[1 + i] = 1 + i;
  perm[d + 1] = d + 1;
  perm[d + 2] = 0;
  s4[0] = cgi;
  for (int i = 0; i < d; i++) s4[1 + i] = x->shape[1 + i];
  s4[d + 1] = g * n;
  mx_array* xt = K(reshape_n(K(transpose_n(K(reshape_n(x, d + 3, s5, S)), d + 3, perm, S)), d + 2,
                             s4, S));
  /* c (N, O..., C_out) -> (C_out, O..., N); the same swap brings the
   * result (cgi, L..., C_out) back to the weight's layout. */
  int sw[MX_CONV_MAX_SPATIAL + 2];
  sw[0] = d + 1;
  for (int i = 0; i < d; i++) sw[1 + i] = 1 + i;
  sw[d + 1] = 0;
  mx_array* ct = K(mx_transpose(c, d + 2, sw, S));
  mx_array* gw = xt && ct ? K(mx_conv_general(xt, ct, d, p->kernel_dilation, d, p->pad_lo, d,
                                              p->pad_hi, d, p->stride, d, p->input_dilation, g,
                                              false, S))
                          : NULL;
  gw = gw ? K(mx_transpose(gw, d + 2, sw, S)) : NULL;
  mx_array* out = NULL;
  if (gw) {
    int start[MX_CONV_MAX_SPATIAL + 2] = {0}, stop[MX_CONV_MAX_SPATIAL + 2];
    for (int i = 0; i < d + 2; i++) stop[i] = w->shape[i];
    gw = K(mx_slice(gw, d + 2, start, stop, NULL, S));
    if (gw && p->flip) {
      int axes[MX_CONV_MAX_SPATIAL];
      for (int i = 0; i < d; i++) axes[i] = 1 + i;
      gw = K(mx_flip(gw, d, axes, S));
    }
    out = mx__give(gw);
  }
  mx__tmps_free(&t);
  return out;
}

int mx__vjp_conv(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                 const bool* want, mx_array** g) {
  (void)o;
  if (want[0] && !(g[0] = grad_input(node, p[0], p[1], c[0]))) return -1;
  if (want[1] && !(g[1] = grad_weight(node, p[0], p[1], c[0]))) return -1;
  return 0;
}

int mx__jvp_conv(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tg,
                 mx_array** out) {
  (void)o;
  const mx_conv_params* cp = node->params;
  mx__tmps t = {0};
  mx_array* a = tg[0] ? K(conv_like(tg[0], p[1], cp, S)) : NULL;
  mx_array* b = tg[1] ? K(conv_like(p[0], tg[1], cp, S)) : NULL;
  if (!t.failed) out[0] = a && b ? mx_add(a, b, S) : mx__give(a ? a : b);
  mx__tmps_free(&t);
  return t.failed || !out[0] ? -1 : 0;
}

int mx__vmap_conv(mx_node* node, mx_array* const* in, const int* ax, mx_array** out, int* oax) {
  const mx_conv_params* p = node->params;
  int d = p->nspatial, g = p->groups, nd = d + 2;
  mx__tmps t = {0};
  mx_array* x = ax[0] >= 0 ? K(mx__batch_front(in[0], ax[0], S)) : in[0];
  mx_array* w = ax[1] >= 0 ? K(mx__batch_front(in[1], ax[1], S)) : in[1];
  if (t.failed) goto fail;
  int B = ax[0] >= 0 ? x->shape[0] : w->shape[0];
  int sh[MX_CONV_MAX_SPATIAL + 4], perm[MX_CONV_MAX_SPATIAL + 4];
  mx_conv_params q = *p;
  mx_array* r = NULL;
  if (ax[1] < 0) {
    /* Input batched only: (B, N, ...) -> (B*N, ...). */
    sh[0] = B * x->shape[1];
    memcpy(sh + 1, x->shape + 2, sizeof(int) * (size_t)(nd - 1));
    r = K(conv_like(K(mx_reshape(x, nd, sh, S)), w, p, S));
    if (!r) goto fail;
    sh[0] = B;
    sh[1] = x->shape[1];
    memcpy(sh + 2, r->shape + 1, sizeof(int) * (size_t)(nd - 1));
    out[0] = mx_reshape(r, nd + 1, sh, S);
  } else if (ax[0] < 0) {
    /* Weight batched only: the B kernels become more output channels of
     * each group, ordered (group, batch, channel). */
    int cout = w->shape[1], cgo = cout / g;
    sh[0] = B, sh[1] = g, sh[2] = cgo;
    memcpy(sh + 3, w->shape + 2, sizeof(int) * (size_t)(nd - 1));
    perm[0] = 1, perm[1] = 0;
    for (int i = 2; i < nd + 2; i++) perm[i] = i;
    mx_array* w5 = K(mx_transpose(K(mx_reshape(w, nd + 2, sh, S)), nd + 2, perm, S));
    sh[0] = g * B * cgo;
    memcpy(sh + 1, w->shape + 2, sizeof(int) * (size_t)(nd - 1));
    r = w5 ? K(conv_like(x, K(mx_reshape(w5, nd, sh, S)), p, S)) : NULL;
    if (!r) goto fail;
    /* (N, O..., g, B, cgo) -> (B, N, O..., g, cgo) -> (B, N, O..., C_out) */
    memcpy(sh, r->shape, sizeof(int) * (size_t)(nd - 1));
    sh[nd - 1] = g, sh[nd] = B, sh[nd + 1] = cgo;
    perm[0] = nd;
    for (int i = 0; i < nd - 1; i++) perm[1 + i] = i;
    perm[nd] = nd - 1;
    perm[nd + 1] = nd + 1;
    r = K(mx_transpose(K(mx_reshape(r, nd + 2, sh, S)), nd + 2, perm, S));
    if (!r) goto fail;
    sh[0] = B;
    memcpy(sh + 1, r->shape + 1, sizeof(int) * (size_t)(nd - 1));
    sh[nd] = cout;
    out[0] = mx_reshape(r, nd + 1, sh, S);
  } else {
    /* Both batched: batch b, group j is group b*g + j of one convolution
     * over channels (B * C_in) with B * C_out kernels. */
    for (int i = 0; i < nd - 1; i++) perm[i] = i + 1;
    perm[nd - 1] = 0;
    perm[nd] = nd;
    mx_array* xt = K(mx_transpose(x, nd + 1, perm, S));
    if (!xt) goto fail;
    memcpy(sh, xt->shape, sizeof(int) * (size_t)(nd - 1));
    sh[nd - 1] = B * x->shape[nd];
    mx_array* xr = K(mx_reshape(xt, nd, sh, S));
    sh[0] = B * w->shape[1];
    memcpy(sh + 1, w->shape + 2, sizeof(int) * (size_t)(nd - 1));
    mx_array* wr = K(mx_reshape(w, nd, sh, S));
    q.groups = B * g;
    r = xr && wr ? K(conv_like(xr, wr, &q, S)) : NULL;
    if (!r) goto fail;
    memcpy(sh, r->shape, sizeof(int) * (size_t)(nd - 1));
    sh[nd - 1] = B;
    sh[nd] = w->shape[1];
    r = K(mx_reshape(r, nd + 1, sh, S));
    out[0] = r ? mx_moveaxis(r, nd - 1, 0, S) : NULL;
  }
  mx__tmps_free(&t);
  oax[0] = 0;
  return out[0] ? 0 : -1;
fail:
  mx__tmps_free(&t);
  return -1;
}
