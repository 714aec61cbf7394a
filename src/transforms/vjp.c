/* Reverse mode (see transforms.h).
 *
 * The function runs once on stand-ins for the primals.  The nodes between
 * the stand-ins and the outputs are visited from the outputs back; each
 * node's rule turns the cotangents of its outputs into contributions for
 * its inputs, which add up per input array.  A node's output cotangents are
 * dropped as soon as the node is done, so memory follows the graph. */
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

/* Adds g (stolen) to the cotangent kept for `key`. */
static int accumulate(mx_amap* cot, const mx_array* key, mx_array* g, mx_stream s) {
  struct mx_amap_slot* slot = mx_amap_get(cot, key);
  if (slot && slot->value) {
    mx_array* sum = mx_add(slot->value, g, s);
    mx_array_release(g);
    if (!sum) return -1;
    g = sum;
  }
  return mx_amap_put(cot, key, g, 0);
}

/* Runs one node's rule.  `in_tape` marks the nodes that depend on a primal
 * (MARK_DEPENDS-style: nonzero), `sources` marks the stand-ins. */
static int pull_back(mx_node* node, mx_amap* cot, mx_pmark* in_tape, mx_pmark* sources) {
  int n_out = node->n_outputs, n_in = node->n_inputs;
  mx_array** buf = calloc((size_t)(2 * n_out + n_in + 1), sizeof *buf);
  bool* want = calloc((size_t)n_in + 1, sizeof *want);
  if (!buf || !want) {
    free(buf);
    free(want);
    return mx_error(MX_ERR_MEMORY, "[vjp] Out of memory.");
  }
  mx_array** outs = buf;
  mx_array** cots = buf + n_out;
  mx_array** grads = buf + 2 * n_out;
  bool any = false;
  for (int i = 0; i < n_out; i++) {
    outs[i] = mx_node_output(node, i);
    struct mx_amap_slot* slot = outs[i] ? mx_amap_get(cot, outs[i]) : NULL;
    if (slot && slot->value) {
      cots[i] = slot->value;
      mx_array_retain(cots[i]);
      any = true;
    }
  }
  int rc = 0;
  bool wanted = false;
  for (int i = 0; i < n_in; i++) {
    mx_array* in = node->inputs[i];
    int* src = mx_pmark_slot(sources, in, false);
    int* dep = in->node ? mx_pmark_slot(in_tape, in->node, false) : NULL;
    want[i] = (src != NULL) || (dep != NULL);
    wanted |= want[i];
  }
  if (any && wanted) {
    const mx_transform_rules* r = mx_rules_for(node->prim);
    if (!r->vjp)
      rc = mx_error(MX_ERR_VALUE, "[%s] VJP is not implemented.", mx_prim_name(node->prim));
    else
      rc = r->vjp(node, node->inputs, outs, cots, want, grads);
  }
  for (int i = 0; i < n_in && rc == 0; i++) {
    if (!grads[i]) continue;
    mx_array* g = grads[i];
    grads[i] = NULL;
    if (!want[i]) {
      mx_array_release(g);
      continue;
    }
    mx_array* in = node->inputs[i];
    char sa[64], sb[64];
    if (!mx_shape_equal(g->ndim, g->shape, in->ndim, in->shape)) {
      rc = mx_error(MX_ERR_RUNTIME, "[vjp] The %s rule gave a cotangent of shape %s for an input of shape %s.",
                    mx_prim_name(node->prim), mx_shape_str(g->ndim, g->shape, sa, sizeof sa),
                    mx_shape_str(in->ndim, in->shape, sb, sizeof sb));
      mx_array_release(g);
      break;
    }
    /* Contributions take the input's dtype, except for integer and bool
     * inputs, whose rules may give floats (d/db a^b for an integer b is
     * float in MLX too). */
    if (g->dtype != in->dtype && mx_dtype_is_inexact(in->dtype)) {
      mx_array* c = mx_astype(g, in->dtype, node->stream);
      mx_array_release(g);
      if (!(g = c)) { rc = -1; break; }
    }
    rc = accumulate(cot, in, g, node->stream);
  }
  /* This node's outputs are consumed only by nodes already visited. */
  for (int i = 0; i < n_out; i++) {
    if (outs[i] && mx_amap_get(cot, outs[i])) mx_amap_put(cot, outs[i], NULL, 0);
  }
  for (int i = 0; i < 2 * n_out + n_in; i++) mx_array_release(buf[i]);
  free(buf);
  free(want);
  return rc;
}

int mx_vjp(mx_fn fn, void* payload, int n_primals, mx_array* const* primals, int n_cotangents,
           mx_array* const* cotangents, int* n_out, mx_array*** outputs, mx_array*** vjps) {
  *n_out = 0;
  *outputs = NULL;
  *vjps = NULL;
  mx_array** standins = NULL;
  mx_array** outs = NULL;
  int nout = 0;
  if (mx_trace_call(fn, payload, n_primals, primals, &standins, &nout, &outs) != 0) return -1;

  mx_amap cot = {0};
  mx_pmark in_tape = {0}, sources = {0};
  mx_node** tape = NULL;
  size_t n_tape = 0;
  mx_array** result = NULL;
  int rc = 0;
  char sa[64], sb[64];
  if (n_cotangents != nout) {
    rc = mx_error(MX_ERR_VALUE,
                  "[vjp] Number of outputs to compute gradients for (%d) does not match number "
                  "of cotangents (%d).",
                  nout, n_cotangents);
  }
  for (int i = 0; i < nout && rc == 0; i++) {
    if (!cotangents[i]) continue; /* ones like the output */
    if (!mx_shape_equal(outs[i]->ndim, outs[i]->shape, cotangents[i]->ndim, cotangents[i]->shape))
      rc = mx_error(MX_ERR_VALUE, "[vjp] Output shape %s does not match cotangent shape %s.",
                    mx_shape_str(outs[i]->ndim, outs[i]->shape, sa, sizeof sa),
                    mx_shape_str(cotangents[i]->ndim, cotangents[i]->shape, sb, sizeof sb));
  }
  if (rc == 0) rc = mx_trace_tape(n_primals, standins, nout, outs, &n_tape, &tape);
  for (int i = 0; i < n_primals && rc == 0; i++) {
    int* m = mx_pmark_slot(&sources, standins[i], true);
    if (!m) rc = mx_error(MX_ERR_MEMORY, "[vjp] Out of memory.");
    else *m = 1;
  }
  for (size_t k = 0; k < n_tape && rc == 0; k++) {
    int* m = mx_pmark_slot(&in_tape, tape[k], true);
    if (!m) rc = mx_error(MX_ERR_MEMORY, "[vjp] Out of memory.");
    else *m = 1;
  }
  /* Seed: each output's cotangent (an output listed twice gets both). */
  for (int i = 0; i < nout && rc == 0; i++) {
    mx_array* seed = cotangents[i];
    if (seed) mx_array_retain(seed);
    else if (!(seed = mx_ones_like(outs[i], mx_stream_for_default()))) rc = -1;
    if (rc == 0) rc = accumulate(&cot, outs[i], seed, mx_stream_for_default());
  }
  for (size_t k = n_tape; k-- > 0 && rc == 0;) rc = pull_back(tape[k], &cot, &in_tape, &sources);
  if (rc == 0) {
    result = calloc((size_t)(n_primals ? n_primals : 1), sizeof *result);
    if (!result) rc = mx_error(MX_ERR_MEMORY, "[vjp] Out of memory.");
  }
  for (int i = 0; i < n_primals && rc == 0; i++) {
    struct mx_amap_slot* slot = mx_amap_get(&cot, standins[i]);
    if (slot && slot->value) {
      result[i] = slot->value;
      mx_array_retain(result[i]);
    } else {
      result[i] = mx_zeros_like(primals[i], mx_stream_for_default());
      if (!result[i]) rc = -1;
    }
  }
  free(tape);
  mx_amap_free(&cot);
  mx_pmark_free(&in_tape);
  mx_pmark_free(&sources);
  mx_arrays_free(n_primals, standins);
  if (rc != 0) {
    mx_arrays_free(n_primals, result);
    mx_arrays_free(nout, outs);
    return -1;
  }
  *n_out = nout;
  *outputs = outs;
  *vjps = result;
  return 0;
}
