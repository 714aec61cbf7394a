/* Transform rules (vjp, jvp, vmap) of the FFT primitive.  See transforms.h
 * for the rule signatures and rules_util.h for conventions.
 *
 * The FFT node is y = scale * D x over its axes, D the unnormalised DFT
 * (forward: exp(-2 pi i jk/n); inverse: its conjugate).  It is linear, so
 * its jvp is the same node on the tangent.  Its vjp follows MLX 0.32.4
 * (checked numerically against it):
 * - complex to complex: the adjoint, scale * D^H cot, which is the FFT in
 *   the other direction with the same scale (MLX's conjugate-linear
 *   convention for complex cotangents);
 * - real forward (rfft): the real part of the adjoint: the cotangent is
 *   zero-padded from n/2+1 to n entries on the real axis, transformed back
 *   over every axis, and its real part kept;
 * - real inverse (irfft): scale times the forward real transform of the
 *   (real) cotangent, with the entries that stand for two conjugate
 *   frequencies doubled (all but frequency 0 and, for even n, n/2).
 * The crops and zero-pads the op constructors put around the node have
 * rules of their own (slice, pad), so every mx.fft function differentiates.
 * vmap moves the batch to the front and shifts the axes by one. */
#include <stdlib.h>
#include <string.h>

#include "rules_util.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* A new FFT node on x with the given direction and kind over the node's
 * axes (params copied from the node), output shape/dtype as given. */
static mx_array* fft_node(mx_node* node, mx_array* x, int inverse, int real, int nd,
                          const int* shape, mx_dtype dt) {
  const mx_fft_params* p = node->params;
  size_t size = sizeof(mx_fft_params) + sizeof(int) * (size_t)p->naxes;
  mx_fft_params* q = calloc(1, size);
  if (!q) return mx_error(MX_ERR_MEMORY, "[FFT] Out of memory."), NULL;
  memcpy(q, p, size);
  q->inverse = inverse;
  q->real = real;
  mx_array* out = mx_array_make(MX_PRIM_FFT, q, size, node->stream, 1, &x, dt, nd, shape);
  free(q);
  return out;
}

/* The multiplicity of each of the m = n/2+1 half-spectrum entries (1 for
 * frequency 0 and for n/2 when n is even, 2 otherwise), shaped to
 * broadcast along `axis` of an nd-dim array. */
static mx_array* half_spectrum_weights(int n, int nd, int axis) {
  int m = n / 2 + 1;
  float* w = malloc(sizeof(float) * (size_t)m);
  if (!w) return mx_error(MX_ERR_MEMORY, "[FFT] Out of memory."), NULL;
  for (int k = 0; k < m; k++) w[k] = (k == 0 || 2 * k == n) ? 1.0f : 2.0f;
  int shape[MX_MAX_NDIM];
  for (int i = 0; i < nd; i++) shape[i] = 1;
  shape[axis] = m;
  mx_array* out = mx_array_from_data(w, MX_FLOAT32, nd, shape);
  free(w);
  return out;
}

static int vjp_fft(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g) {
  (void)o;
  if (!want[0]) return 0;
  const mx_fft_params* fp = node->params;
  mx_array* x = p[0];
  if (x->ndim > MX_MAX_NDIM) return mx_error(MX_ERR_VALUE, "[vjp] Too many dimensions.");
  int last = fp->axes[fp->naxes - 1];
  mx__tmps t = {0};
  if (!fp->real) {
    g[0] = fft_node(node, c[0], !fp->inverse, 0, x->ndim, x->shape, MX_COMPLEX64);
  } else if (!fp->inverse) {
    /* rfft: pad the half spectrum back to n entries, then Re(D^H .). */
    mx_array* cc = c[0];
    int have = cc->shape[last], n = x->shape[last];
    if (have < n) {
      int lo = 0, hi = n - have;
      cc = K(mx_pad(cc, 1, &last, &lo, &hi, NULL, "constant", S));
    }
    mx_array* back = cc ? K(fft_node(node, cc, 1, 0, x->ndim, x->shape, MX_COMPLEX64)) : NULL;
    g[0] = back ? mx_real(back, S) : NULL;
  } else {
    /* irfft: the forward real transform of the cotangent, weighted. */
    int n = c[0]->shape[last];
    mx_array* cr = K(mx_astype(c[0], MX_FLOAT32, S));
    mx_array* f = cr ? K(fft_node(node, cr, 0, 1, x->ndim, x->shape, MX_COMPLEX64)) : NULL;
    mx_array* w = K(half_spectrum_weights(n, x->ndim, last));
    g[0] = f && w ? mx_multiply(f, w, S) : NULL;
  }
  mx__tmps_free(&t);
  return g[0] ? 0 : -1;
}

static int jvp_fft(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tg,
                   mx_array** out) {
  (void)p, (void)o;
  const mx_fft_params* fp = node->params;
  int nd;
  const int* shape;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &shape, &dt);
  /* The tangent has the input's dtype, except that a real forward
   * transform of a float input may see a float tangent of another width. */
  mx_array* x = tg[0];
  mx_dtype want = fp->real && !fp->inverse ? MX_FLOAT32 : MX_COMPLEX64;
  mx_array* cast = x->dtype == want ? NULL : mx_astype(x, want, S);
  if (x->dtype != want && !cast) return -1;
  out[0] = fft_node(node, cast ? cast : x, fp->inverse, fp->real, nd, shape, dt);
  mx_array_release(cast);
  return out[0] ? 0 : -1;
}

static int vmap_fft(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                    int* oax) {
  const mx_fft_params* fp = node->params;
  size_t size = sizeof(mx_fft_params) + sizeof(int) * (size_t)fp->naxes;
  mx_fft_params* q = calloc(1, size);
  if (!q) return mx_error(MX_ERR_MEMORY, "[FFT] Out of memory.");
  memcpy(q, fp, size);
  for (int i = 0; i < q->naxes; i++) q->axes[i] += 1;
  mx_array* x = mx__batch_front(in[0], ax[0], S);
  int rc = x ? mx__rebuild_batched_params(node, q, size, &x, x->shape[0], out) : -1;
  mx_array_release(x);
  free(q);
  oax[0] = 0;
  return rc;
}

const mx_transform_rules mx__rules_fft[MX_PRIM_COUNT] = {
    MX_RULE(FFT, vjp_fft, jvp_fft, vmap_fft)
};
