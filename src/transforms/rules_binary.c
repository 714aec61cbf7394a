/* Transform rules (vjp, jvp, vmap) of the binary primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 *
 * The inputs of these primitives already have the output's shape (the op
 * constructors broadcast them), so no rule reduces a cotangent.  The
 * partial derivatives follow MLX 0.32.4, checked against it at the
 * special points:
 * - maximum: ties send the whole cotangent to b (a gets a > b, b gets
 *   a <= b); minimum likewise (a gets a < b, b gets a >= b); a NaN
 *   operand gives both zero.
 * - power: d/da = b * a^(b-1) (integer arithmetic for integers), d/db =
 *   log(a) * a^b except where a^b == 0, where it is 0 (so 0^b with b > 0
 *   has no NaN there).
 * - remainder: d/da = 1, d/db = -floor(a / b).
 * - logaddexp: sigmoid(a - b) and sigmoid(b - a); arctan2(a, b):
 *   b / (a^2 + b^2) and -a / (a^2 + b^2).
 * - select: the condition gets nothing; x and y get the cotangent where
 *   the condition picks them.
 * - comparisons, logical and bitwise ops and divmod: zero (NULL).
 * Unlike most unary rules, MLX's power, maximum and minimum pull complex
 * cotangents back without a conjugate (cot * d); we do the same.  A jvp adds up
 * the terms of all the tangents it is given, so 0 * inf in one term shows
 * as NaN, as in MLX.  Everything maps elementwise under vmap. */
#include "rules_ew.h"

#define S (node->stream)
#define U(f, a) ew_un(t, f, (a), S)
#define B(f, a, b) ew_bin(t, f, (a), (b), S)

/* where(c, x, y) kept in t, skipped after a failure. */
static mx_array* ew_where(mx__tmps* t, mx_array* c, mx_array* x, mx_array* y, mx_stream s) {
  if (t->failed || !c || !x || !y) {
    t->failed = true;
    return NULL;
  }
  return mx__keep(t, mx_where(c, x, y, s));
}

/* Partial derivatives dy/da (i = 0) and dy/db (i = 1) of the smooth
 * binary primitives, kept in t (NULL once t failed).  y is the output. */
static mx_array* partial(mx_node* node, mx__tmps* t, int i, mx_array* a, mx_array* b, mx_array* y) {
  switch (node->prim) {
    case MX_PRIM_POWER:
      if (i == 0) {
        mx_array* one = MX_KEEP(t, ew_const(1.0, b));
        return B(mx_multiply, b, B(mx_power, a, B(mx_subtract, b, one)));
      } else {
        mx_array* zero = MX_KEEP(t, ew_const(0.0, y));
        return ew_where(t, B(mx_equal, y, zero), zero, B(mx_multiply, U(mx_log, a), y), S);
      }
    case MX_PRIM_REMAINDER: {
      if (i == 0) return MX_KEEP(t, ew_const(1.0, a));
      return U(mx_negative, U(mx_floor, B(mx_divide, a, b)));
    }
    case MX_PRIM_LOG_ADD_EXP:
      return i == 0 ? U(mx_sigmoid, B(mx_subtract, a, b)) : U(mx_sigmoid, B(mx_subtract, b, a));
    case MX_PRIM_ARCTAN2: {
      mx_array* den = B(mx_add, U(mx_square, a), U(mx_square, b));
      return i == 0 ? B(mx_divide, b, den) : B(mx_divide, U(mx_negative, a), den);
    }
    case MX_PRIM_MAXIMUM: {
      mx_array* m = i == 0 ? B(mx_greater, a, b) : B(mx_less_equal, a, b);
      return m ? MX_KEEP(t, mx_astype(m, a->dtype, S)) : NULL;
    }
    default: { /* MINIMUM */
      mx_array* m = i == 0 ? B(mx_less, a, b) : B(mx_greater_equal, a, b);
      return m ? MX_KEEP(t, mx_astype(m, a->dtype, S)) : NULL;
    }
  }
}

static int vjp_smooth(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  mx__tmps k = {0};
  mx__tmps* t = &k;
  mx_array* y = MX_KEEP(t, ew_output(node, p, o));
  for (int i = 0; i < 2 && !k.failed; i++) {
    if (!want[i]) continue;
    if (node->prim == MX_PRIM_REMAINDER && i == 0) {
      g[0] = mx__give(c[0]);
      continue;
    }
    mx_array* d = partial(node, t, i, p[0], p[1], y);
    if (d) g[i] = mx_multiply(c[0], d, S);
    if (!g[i]) k.failed = true;
  }
  bool failed = k.failed;
  mx__tmps_free(&k);
  return failed ? -1 : 0;
}

static int jvp_smooth(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* tan,
                      mx_array** out) {
  mx__tmps k = {0};
  mx__tmps* t = &k;
  mx_array* y = MX_KEEP(t, ew_output(node, p, o));
  mx_array* sum = NULL;
  for (int i = 0; i < 2; i++) {
    if (!tan[i]) continue;
    mx_array* term = B(mx_multiply, tan[i], partial(node, t, i, p[0], p[1], y));
    sum = sum ? B(mx_add, sum, term) : term;
  }
  out[0] = k.failed ? NULL : mx__give(sum);
  mx__tmps_free(&k);
  return out[0] ? 0 : -1;
}

/* --- select: where(condition, x, y) ---------------------------------------------- */

static int vjp_select(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  mx_array* zero = NULL;
  for (int i = 1; i < 3; i++) {
    if (!want[i]) continue;
    if (!zero && !(zero = mx_array_scalar_f64(0.0, c[0]->dtype))) return -1;
    g[i] = i == 1 ? mx_where(p[0], c[0], zero, S) : mx_where(p[0], zero, c[0], S);
    if (!g[i]) break;
  }
  mx_array_release(zero);
  return (want[1] && !g[1]) || (want[2] && !g[2]) ? -1 : 0;
}

static int jvp_select(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  if (!t[1] && !t[2]) return 0; /* only the condition moved: no change */
  mx_array* zero = mx_array_scalar_f64(0.0, o && o[0] ? o[0]->dtype : p[1]->dtype);
  if (!zero) return -1;
  out[0] = mx_where(p[0], t[1] ? t[1] : zero, t[2] ? t[2] : zero, S);
  mx_array_release(zero);
  return out[0] ? 0 : -1;
}

/* --- ops with a zero derivative --------------------------------------------------- */

#define SMOOTH(P) MX_RULE(P, vjp_smooth, jvp_smooth, mx__vmap_elementwise)
#define ZERO(P) MX_RULE(P, mx__vjp_zero, mx__jvp_zero, mx__vmap_elementwise)

const mx_transform_rules mx__rules_binary[MX_PRIM_COUNT] = {
    ZERO(EQUAL)
    ZERO(NOT_EQUAL)
    ZERO(LESS)
    ZERO(LESS_EQUAL)
    ZERO(GREATER)
    ZERO(GREATER_EQUAL)
    ZERO(LOGICAL_AND)
    ZERO(LOGICAL_OR)
    SMOOTH(MAXIMUM)
    SMOOTH(MINIMUM)
    SMOOTH(POWER)
    SMOOTH(REMAINDER)
    ZERO(DIVMOD)
    SMOOTH(LOG_ADD_EXP)
    SMOOTH(ARCTAN2)
    ZERO(BITWISE_AND)
    ZERO(BITWISE_OR)
    ZERO(BITWISE_XOR)
    ZERO(LEFT_SHIFT)
    ZERO(RIGHT_SHIFT)
    MX_RULE(SELECT, vjp_select, jvp_select, mx__vmap_elementwise)
};
