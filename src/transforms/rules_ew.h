/* Small helpers private to the elementwise rule files (rules_unary.c and
 * rules_binary.c).
 *
 * Derivatives of elementwise ops are short chains of op constructors whose
 * intermediate results all need releasing.  A rule collects them in an
 * ew_tmps and frees them together; EW_KEEP stops evaluating once one step
 * failed, so the first error message is the one the user sees (an op
 * called on a NULL argument would replace it with a vaguer one). */
#ifndef MX_TRANSFORMS_RULES_EW_H
#define MX_TRANSFORMS_RULES_EW_H

#include "rules_util.h"

typedef struct ew_tmps {
  mx_array* a[24];
  int n;
  bool failed;
} ew_tmps;

static inline mx_array* ew_keep(ew_tmps* t, mx_array* x) {
  if (!x) {
    t->failed = true;
    return NULL;
  }
  if (t->n == (int)(sizeof t->a / sizeof t->a[0])) {
    mx_array_release(x);
    t->failed = true;
    mx_error(MX_ERR_RUNTIME, "[transforms] Too many temporaries in one rule.");
    return NULL;
  }
  t->a[t->n++] = x;
  return x;
}

/* Evaluates expr only while nothing in t has failed, and keeps its result
 * (expr must not take arguments that may be NULL: use ew_un/ew_bin). */
#define EW_KEEP(t, expr) ((t)->failed ? NULL : ew_keep((t), (expr)))

typedef mx_array* (*ew_fn1)(mx_array*, mx_stream);
typedef mx_array* (*ew_fn2)(mx_array*, mx_array*, mx_stream);

/* f(a) and f(a, b) kept in t; nothing is called once t has failed or an
 * argument is NULL (a failed earlier step). */
static inline mx_array* ew_un(ew_tmps* t, ew_fn1 f, mx_array* a, mx_stream s) {
  if (t->failed || !a) {
    t->failed = true;
    return NULL;
  }
  return ew_keep(t, f(a, s));
}

static inline mx_array* ew_bin(ew_tmps* t, ew_fn2 f, mx_array* a, mx_array* b, mx_stream s) {
  if (t->failed || !a || !b) {
    t->failed = true;
    return NULL;
  }
  return ew_keep(t, f(a, b, s));
}

static inline void ew_free(ew_tmps* t) {
  for (int i = 0; i < t->n; i++) mx_array_release(t->a[i]);
  t->n = 0;
}

/* A new reference to x (NULL passes through), for handing a kept array out. */
static inline mx_array* ew_give(mx_array* x) {
  if (x) mx_array_retain(x);
  return x;
}

/* The constant v in the real dtype that matches x: the derivatives of
 * complex ops scale by real constants (float32), everything else computes
 * in x's own dtype, as MLX does. */
static inline mx_array* ew_const(double v, const mx_array* x) {
  return mx__scalar(v, x->dtype == MX_COMPLEX64 ? MX_FLOAT32 : x->dtype);
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
