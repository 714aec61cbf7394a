/* Transform rules (vjp, jvp, vmap) of the random primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 *
 * As in MLX 0.32.4:
 * - RandomBits has no vjp or jvp (differentiating through a key raises
 *   MLX's error; samples still differentiate with respect to loc, scale,
 *   bounds and the like, through the ordinary ops built on the bits).
 *   Under vmap a batch of keys gives a batch of independent streams: the
 *   primitive already splits its output evenly among the keys it is given,
 *   in order, so the batched node is the same primitive on the keys with
 *   the batch moved to the front.
 * - RandomMath (erfinv, erf, log, log1p used by the distributions) has the
 *   derivatives of those functions and maps elementwise.
 * - CovSqrt stands for the SVD MLX uses in multivariate_normal: like MLX's
 *   SVD it has no vjp or jvp (MLX's error names SVD) but vmaps over
 *   batches of matrices. */
#include <math.h>

#include "rules_util.h"

#define S (node->stream)
#define K(expr) MX_KEEP(&t, (expr))

/* --- RandomBits ---------------------------------------------------------------- */

static int vjp_bits(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  (void)node, (void)p, (void)o, (void)c, (void)want, (void)g;
  return mx_error(MX_ERR_VALUE, "[Primitive::vjp] Not implemented for RandomBits.");
}

static int jvp_bits(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                    mx_array** out) {
  (void)node, (void)p, (void)o, (void)t, (void)out;
  return mx_error(MX_ERR_VALUE, "[Primitive::jvp] Not implemented for RandomBits.");
}

static int vmap_bits(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                     int* oax) {
  mx_array* k = in[0];
  mx_array* f = mx__batch_front(k, ax[0], S);
  int rc = f ? mx__rebuild_batched(node, &f, k->shape[ax[0]], out) : -1;
  mx_array_release(f);
  oax[0] = 0;
  return rc;
}

/* --- RandomMath ---------------------------------------------------------------- */

/* f'(x) of the node's function; y is its output. */
static mx_array* math_derivative(mx_node* node, mx_array* x, mx_array* y) {
  const mx_random_math_params* rp = node->params;
  mx__tmps t = {0};
  mx_array* d = NULL;
  mx_dtype dt = x->dtype;
  switch (rp->op) {
    case MX_RMATH_ERFINV: /* sqrt(pi) / 2 * exp(y^2) */
      d = K(mx_multiply(K(mx_array_scalar_f64(1.0 / M_2_SQRTPI, dt)), K(mx_exp(K(mx_square(y, S)), S)), S));
      break;
    case MX_RMATH_ERF: /* 2 / sqrt(pi) * exp(-x^2) */
      d = K(mx_multiply(K(mx_array_scalar_f64(M_2_SQRTPI, dt)),
                        K(mx_exp(K(mx_negative(K(mx_square(x, S)), S)), S)), S));
      break;
    case MX_RMATH_LOG: d = K(mx_reciprocal(x, S)); break;
    case MX_RMATH_LOG1P:
      d = K(mx_reciprocal(K(mx_add(x, K(mx_array_scalar_f64(1.0, dt)), S)), S));
      break;
    default: mx_error(MX_ERR_RUNTIME, "[RandomMath] Unknown function %d.", rp->op); break;
  }
  d = t.failed ? NULL : mx__give(d);
  mx__tmps_free(&t);
  return d;
}

static mx_array* math_output(mx_node* node, mx_array* const* p, mx_array* const* o) {
  if (o && o[0]) return mx__give(o[0]);
  return mx_array_make(node->prim, node->params, node->params_size, node->stream, 1, p,
                       p[0]->dtype, p[0]->ndim, p[0]->shape);
}

static int vjp_math(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  mx_array* y = math_output(node, p, o);
  mx_array* d = y ? math_derivative(node, p[0], y) : NULL;
  mx_array_release(y);
  g[0] = d ? mx_multiply(c[0], d, S) : NULL;
  mx_array_release(d);
  return g[0] ? 0 : -1;
}

static int jvp_math(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tg,
                    mx_array** out) {
  mx_array* y = math_output(node, p, o);
  mx_array* d = y ? math_derivative(node, p[0], y) : NULL;
  mx_array_release(y);
  out[0] = d ? mx_multiply(tg[0], d, S) : NULL;
  mx_array_release(d);
  return out[0] ? 0 : -1;
}

/* --- CovSqrt ------------------------------------------------------------------- */

static int vjp_cov(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g) {
  (void)node, (void)p, (void)o, (void)c, (void)want, (void)g;
  return mx_error(MX_ERR_VALUE, "[Primitive::vjp] Not implemented for SVD.");
}

static int jvp_cov(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                   mx_array** out) {
  (void)node, (void)p, (void)o, (void)t, (void)out;
  return mx_error(MX_ERR_VALUE, "[Primitive::jvp] Not implemented for SVD.");
}

/* The matrices are the last two axes: a batch there is moved to the front. */
static int vmap_cov(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                    int* oax) {
  return mx__vmap_elementwise(node, in, ax, out, oax);
}

const mx_transform_rules mx__rules_random[MX_PRIM_COUNT] = {
    MX_RULE(RANDOM_BITS, vjp_bits, jvp_bits, vmap_bits)
    MX_RULE(RANDOM_MATH, vjp_math, jvp_math, mx__vmap_elementwise)
    MX_RULE(COV_SQRT, vjp_cov, jvp_cov, vmap_cov)
};
