/* Small helpers private to the elementwise rule files (rules_unary.c and
 * rules_binary.c).
 *
 * Derivatives of elementwise ops are short chains of op constructors whose
 * intermediate results all need releasing.  A rule collects them in
 * rules_util's mx__tmps and frees them together; MX_KEEP stops evaluating
 * once one step failed, so the first error message is the one the user
 * sees (an op called on a NULL argument would replace it with a vaguer
 * one).  ew_un/ew_bin add the same guard for NULL arguments. */
#ifndef MX_TRANSFORMS_RULES_EW_H
#define MX_TRANSFORMS_RULES_EW_H

#include "rules_util.h"

typedef mx_array* (*ew_fn1)(mx_array*, mx_stream);
typedef mx_array* (*ew_fn2)(mx_array*, mx_array*, mx_stream);

/* f(a) and f(a, b) kept in t; nothing is called once t has failed or an
 * argument is NULL (a failed earlier step). */
static inline mx_array* ew_un(mx__tmps* t, ew_fn1 f, mx_array* a, mx_stream s) {
  if (t->failed || !a) {
    t->failed = true;
    return NULL;
  }
  return mx__keep(t, f(a, s));
}

static inline mx_array* ew_bin(mx__tmps* t, ew_fn2 f, mx_array* a, mx_array* b, mx_stream s) {
  if (t->failed || !a || !b) {
    t->failed = true;
    return NULL;
  }
  return mx__keep(t, f(a, b, s));
}

/* The constant v in the real dtype that matches x: the derivatives of
 * complex ops scale by real constants (float32), everything else computes
 * in x's own dtype, as MLX does. */
static inline mx_array* ew_const(double v, const mx_array* x) {
  return mx_array_scalar_f64(v, x->dtype == MX_COMPLEX64 ? MX_FLOAT32 : x->dtype);
}

/* Output 0 of a single-output node: the array passed to the rule, or, when
 * the program dropped it, the node rebuilt on the same inputs. */
static inline mx_array* ew_output(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  if (outputs && outputs[0]) {
    mx_array_retain(outputs[0]);
    return outputs[0];
  }
  int nd;
  const int* sh;
  mx_dtype dt;
  mx_node_output_info(node, 0, &nd, &sh, &dt);
  return mx_array_make(node->prim, node->params, node->params_size, node->stream,
                       node->n_inputs, inputs, dt, nd, sh);
}

#endif
