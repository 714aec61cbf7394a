/* Transform rules (vjp, jvp, vmap) of the unary primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 *
 * Most unary ops are y = f(x) with a derivative d = f'(x) written with
 * other ops (derivative() below); then the vjp is cot * conj(d) and the jvp
 * t * d.  The forms of d follow MLX 0.32.4, checked against it at the
 * special points (sqrt at -0 is -inf because d = 0.5 / y; rsqrt uses
 * -0.5 * y / x; the vjp of expm1 uses y + 1 while its jvp uses exp(x); ...).
 *
 * Exceptions, again as MLX: abs of complex z pulls back cot * z/|z| without
 * a conjugate and pushes forward Re(t * conj(z/|z|)); real, imag and
 * conjugate move values between the real and complex parts; sign, the
 * rounding ops, logical_not and stop_gradient have zero derivatives (NULL);
 * bitwise_invert has no vjp/jvp (the transforms then report an error, as
 * MLX raises).  Every unary primitive maps elementwise under vmap. */
#include <math.h>

#include "rules_ew.h"

#define S (node->stream)

/* f'(x) for the smooth unary primitives (a new reference, or NULL with an
 * error set).  `y` is the node's output.  for_vjp picks between the two
 * forms MLX uses for expm1. */
static mx_array* derivative(mx_node* node, mx_array* x, mx_array* y, bool for_vjp) {
  mx__tmps k = {0};
  mx__tmps* t = &k;
#define U(f, a) ew_un(t, f, (a), S)
#define B(f, a, b) ew_bin(t, f, (a), (b), S)
#define K(v) MX_KEEP(t, ew_const((v), x))
  mx_array* d = NULL;
  switch (node->prim) {
    case MX_PRIM_ABS: d = U(mx_sign, x); break;
    case MX_PRIM_SQUARE: d = B(mx_multiply, K(2.0), x); break;
    case MX_PRIM_SQRT: d = B(mx_divide, K(0.5), y); break;
    case MX_PRIM_RSQRT: d = B(mx_multiply, K(-0.5), B(mx_divide, y, x)); break;
    case MX_PRIM_EXP: d = y; break;
    case MX_PRIM_EXPM1: d = for_vjp ? B(mx_add, y, K(1.0)) : U(mx_exp, x); break;
    /* d/dx log_b(x) = 1 / (x ln b) */
    case MX_PRIM_LOG: d = B(mx_divide, K(1.0), x); break;
    case MX_PRIM_LOG2: d = B(mx_divide, K(1.0), B(mx_multiply, x, K(M_LN2))); break;
    case MX_PRIM_LOG10: d = B(mx_divide, K(1.0), B(mx_multiply, x, K(M_LN10))); break;
    case MX_PRIM_LOG1P: d = B(mx_divide, K(1.0), B(mx_add, x, K(1.0))); break;
    case MX_PRIM_SIN: d = U(mx_cos, x); break;
    case MX_PRIM_COS: d = U(mx_negative, U(mx_sin, x)); break;
    case MX_PRIM_TAN: d = B(mx_divide, K(1.0), U(mx_square, U(mx_cos, x))); break;
    /* +-1 / sqrt(1 - x^2) */
    case MX_PRIM_ARCSIN: d = U(mx_rsqrt, B(mx_subtract, K(1.0), U(mx_square, x))); break;
    case MX_PRIM_ARCCOS:
      d = U(mx_negative, U(mx_rsqrt, B(mx_subtract, K(1.0), U(mx_square, x))));
      break;
    case MX_PRIM_ARCTAN: d = B(mx_divide, K(1.0), B(mx_add, K(1.0), U(mx_square, x))); break;
    case MX_PRIM_SINH: d = U(mx_cosh, x); break;
    case MX_PRIM_COSH: d = U(mx_sinh, x); break;
    /* 1 / cosh(x)^2, not 1 - y^2: it stays accurate where y rounds to +-1 */
    case MX_PRIM_TANH: d = B(mx_divide, K(1.0), U(mx_square, U(mx_cosh, x))); break;
    /* 1 / sqrt(x^2 +- 1) */
    case MX_PRIM_ARCSINH: d = U(mx_rsqrt, B(mx_add, U(mx_square, x), K(1.0))); break;
    case MX_PRIM_ARCCOSH:
      /* For complex x MLX takes the branch 1 / (sqrt(x - 1) sqrt(x + 1)),
       * which differs from 1 / sqrt(x^2 - 1) in sign off the real axis. */
      if (x->dtype == MX_COMPLEX64)
        d = B(mx_multiply, U(mx_rsqrt, B(mx_subtract, x, K(1.0))), U(mx_rsqrt, B(mx_add, x, K(1.0))));
      else
        d = U(mx_rsqrt, B(mx_subtract, U(mx_square, x), K(1.0)));
      break;
    case MX_PRIM_ARCTANH: d = B(mx_divide, K(1.0), B(mx_subtract, K(1.0), U(mx_square, x))); break;
    /* 2 / sqrt(pi) * exp(-x^2) */
    case MX_PRIM_ERF: d = B(mx_multiply, K(M_2_SQRTPI), U(mx_exp, U(mx_negative, U(mx_square, x)))); break;
    /* sqrt(pi) / 2 * exp(y^2): the reciprocal of erf' at y */
    case MX_PRIM_ERF_INV: d = B(mx_multiply, K(1.0 / M_2_SQRTPI), U(mx_exp, U(mx_square, y))); break;
    case MX_PRIM_SIGMOID: d = B(mx_multiply, y, B(mx_subtract, K(1.0), y)); break;
    default:
      mx_error(MX_ERR_RUNTIME, "[transforms] No derivative for %s.", mx_prim_name(node->prim));
      break;
  }
#undef U
#undef B
#undef K
  /* d is y or one of the temporaries (NULL after a failure). */
  d = k.failed ? NULL : mx__give(d);
  mx__tmps_free(&k);
  return d;
}

/* --- smooth ops: y = f(x) ---------------------------------------------------- */

static int vjp_smooth(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  mx_array* y = ew_output(node, p, o);
  mx_array* d = y ? derivative(node, p[0], y, true) : NULL;
  mx_array_release(y);
  if (!d) return -1;
  if (node->prim == MX_PRIM_ABS) {
    /* MLX pulls back cot * sign(z) for complex z, with no conjugate. */
    g[0] = mx_multiply(c[0], d, S);
    mx_array_release(d);
  } else {
    g[0] = mx__times_conj(c[0], d, S);
  }
  return g[0] ? 0 : -1;
}

static int jvp_smooth(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  mx_array* y = ew_output(node, p, o);
  mx_array* d = y ? derivative(node, p[0], y, false) : NULL;
  mx_array_release(y);
  if (!d) return -1;
  if (node->prim == MX_PRIM_ABS) {
    /* Re(t * conj(z/|z|)) for complex z: the jvp transform casts the
     * complex product to abs's float32 output, which keeps the real part. */
    out[0] = mx__times_conj(t[0], d, S);
  } else {
    out[0] = mx_multiply(t[0], d, S);
    mx_array_release(d);
  }
  return out[0] ? 0 : -1;
}

/* --- linear ops: negative, conjugate, real, imag ----------------------------- */

/* The vjp of these maps the cotangent with the adjoint of the (real-linear)
 * map: negative -> negative, conj -> conj, real -> cot + 0i, imag -> cot * i. */
static int vjp_linear(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  if (!want[0]) return 0;
  switch (node->prim) {
    case MX_PRIM_NEGATIVE: g[0] = mx_negative(c[0], S); break;
    case MX_PRIM_CONJUGATE: g[0] = mx_conjugate(c[0], S); break;
    case MX_PRIM_REAL: g[0] = mx_astype(c[0], MX_COMPLEX64, S); break;
    default: { /* IMAG */
      mx_array* i = mx_array_scalar_c64(0.0f, 1.0f);
      g[0] = i ? mx_multiply(c[0], i, S) : NULL;
      mx_array_release(i);
      break;
    }
  }
  return g[0] ? 0 : -1;
}

static int jvp_linear(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  switch (node->prim) {
    case MX_PRIM_NEGATIVE: out[0] = mx_negative(t[0], S); break;
    case MX_PRIM_CONJUGATE: out[0] = mx_conjugate(t[0], S); break;
    case MX_PRIM_REAL: out[0] = mx_real(t[0], S); break;
    default: out[0] = mx_imag(t[0], S); break;
  }
  return out[0] ? 0 : -1;
}

/* --- piecewise-constant ops and stop_gradient: zero derivative ---------------- */

#define SMOOTH(P) MX_RULE(P, vjp_smooth, jvp_smooth, mx__vmap_elementwise)
#define LINEAR(P) MX_RULE(P, vjp_linear, jvp_linear, mx__vmap_elementwise)
#define ZERO(P) MX_RULE(P, mx__vjp_zero, mx__jvp_zero, mx__vmap_elementwise)

const mx_transform_rules mx__rules_unary[MX_PRIM_COUNT] = {
    SMOOTH(ABS)
    LINEAR(NEGATIVE)
    ZERO(SIGN)
    SMOOTH(SQUARE)
    SMOOTH(SQRT)
    SMOOTH(RSQRT)
    SMOOTH(EXP)
    SMOOTH(EXPM1)
    SMOOTH(LOG)
    SMOOTH(LOG2)
    SMOOTH(LOG10)
    SMOOTH(LOG1P)
    SMOOTH(SIN)
    SMOOTH(COS)
    SMOOTH(TAN)
    SMOOTH(ARCSIN)
    SMOOTH(ARCCOS)
    SMOOTH(ARCTAN)
    SMOOTH(SINH)
    SMOOTH(COSH)
    SMOOTH(TANH)
    SMOOTH(ARCSINH)
    SMOOTH(ARCCOSH)
    SMOOTH(ARCTANH)
    SMOOTH(ERF)
    SMOOTH(ERF_INV)
    SMOOTH(SIGMOID)
    ZERO(FLOOR)
    ZERO(CEIL)
    ZERO(ROUND)
    ZERO(TRUNC)
    ZERO(LOGICAL_NOT)
    MX_RULE(BITWISE_INVERT, NULL, NULL, mx__vmap_elementwise)
    LINEAR(CONJUGATE)
    LINEAR(REAL)
    LINEAR(IMAG)
    ZERO(STOP_GRADIENT)
};
