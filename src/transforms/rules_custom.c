/* Transform rules of CUSTOM nodes (functions with user-defined transforms;
 * see custom.h and src/core/prims/custom.h).
 *
 * A CUSTOM node's inputs are the function's arguments followed by its
 * outputs as the forward pass computed them.  A rule the user did not
 * replace lets the transform flow through those outputs, i.e. through the
 * graph the function itself built, which is the function's own transform.
 * A replaced rule answers for the arguments and leaves the outputs' graph
 * alone (no cotangent or tangent reaches it). */
#include <stdlib.h>

#include "../ops/ops_misc.h"
#include "custom.h"
#include "rules_util.h"

static mx_custom_rules* rules_of(mx_node* node, int* n_args, int* n_outputs) {
  const mx_custom_params* p = node->params;
  *n_args = p->n_args;
  *n_outputs = p->n_outputs;
  return (mx_custom_rules*)p->rules;
}

/* The vjp of a checkpointed function: its own vjp, traced again on the
 * primals, made to wait for the forward outputs (mx_depends) so the
 * recomputation happens in the backward pass rather than next to the
 * forward one. */
static int checkpoint_vjp(mx_custom_rules* r, mx_node* node, int na, mx_array* const* primals,
                          int no, mx_array* const* cots, mx_array* const* outs, int* nv,
                          mx_array*** vjps) {
  mx_array** dep = calloc((size_t)(na ? na : 1), sizeof *dep);
  if (!dep) return mx_error(MX_ERR_MEMORY, "[checkpoint] Out of memory.");
  int rc = na ? mx_depends(na, primals, no, outs, node->stream, dep) : 0;
  int n_out = 0;
  mx_array** o = NULL;
  if (rc == 0) rc = mx_vjp(r->fun, r->fun_payload, na, dep, no, cots, &n_out, &o, vjps);
  if (rc == 0) {
    *nv = na;
    mx_arrays_free(n_out, o);
  }
  for (int i = 0; i < na; i++) mx_array_release(dep[i]);
  free(dep);
  return rc;
}

static int vjp_custom(mx_node* node, mx_array* const* primals, mx_array* const* outputs,
                      mx_array* const* cotangents, const bool* want, mx_array** grads) {
  (void)outputs;
  int na, no;
  mx_custom_rules* r = rules_of(node, &na, &no);
  if (!r->vjp && !r->checkpoint) {
    for (int i = 0; i < no; i++) {
      if (want[na + i] && cotangents[i]) {
        mx_array_retain(cotangents[i]);
        grads[na + i] = cotangents[i];
      }
    }
    return 0;
  }
  bool any = false;
  for (int i = 0; i < na; i++) any |= want[i];
  if (!any) return 0;
  /* The user's rule sees every cotangent (zeros for outputs nothing used)
   * and the outputs the forward pass computed. */
  mx__tmps t = {0};
  mx_array* cots[no];
  mx_array* const* outs = node->inputs + na;
  for (int i = 0; i < no; i++) {
    if (cotangents[i]) {
      cots[i] = cotangents[i];
    } else {
      int nd;
      const int* shape;
      mx_dtype dt;
      mx_node_output_info(node, i, &nd, &shape, &dt);
      cots[i] = MX_KEEP(&t, mx_zeros(nd, shape, dt, node->stream));
    }
  }
  if (t.failed) {
    mx__tmps_free(&t);
    return -1;
  }
  int nv = 0;
  mx_array** vjps = NULL;
  int rc = r->checkpoint ? checkpoint_vjp(r, node, na, primals, no, cots, outs, &nv, &vjps)
                         : r->vjp(r, na, primals, no, cots, outs, &nv, &vjps);
  mx__tmps_free(&t);
  if (rc != 0) return -1;
  if (nv < na) {
    mx_arrays_free(nv, vjps);
    return mx_error(MX_ERR_VALUE,
                    "[custom_function] The vjp function returned %d cotangents for a function of "
                    "%d arrays.",
                    nv, na);
  }
  for (int i = 0; i < na; i++) {
    if (want[i]) {
      grads[i] = vjps[i];
      vjps[i] = NULL;
    }
  }
  mx_arrays_free(nv, vjps);
  return 0;
}

static int jvp_custom(mx_node* node, mx_array* const* primals, mx_array* const* outputs,
                      mx_array* const* tangents, mx_array** out_tangents) {
  (void)outputs;
  int na, no;
  mx_custom_rules* r = rules_of(node, &na, &no);
  int argnums[na > 0 ? na : 1];
  mx_array* tans[na > 0 ? na : 1];
  int nt = 0;
  for (int i = 0; i < na; i++) {
    if (tangents[i]) {
      argnums[nt] = i;
      tans[nt++] = tangents[i];
    }
  }
  if (!r->jvp || nt == 0) {
    /* The function's own jvp, already pushed through its graph. */
    for (int i = 0; i < no; i++) {
      if (tangents[na + i]) {
        mx_array_retain(tangents[na + i]);
        out_tangents[i] = tangents[na + i];
      }
    }
    return 0;
  }
  int nj = 0;
  mx_array** jvps = NULL;
  if (r->jvp(r, na, primals, nt, tans, argnums, &nj, &jvps) != 0) return -1;
  if (nj != no) {
    mx_arrays_free(nj, jvps);
    return mx_error(MX_ERR_VALUE,
                    "[custom_function] The jvp function returned %d tangents for a function of "
                    "%d outputs.",
                    nj, no);
  }
  for (int i = 0; i < no; i++) {
    out_tangents[i] = jvps[i];
    jvps[i] = NULL;
  }
  free(jvps);
  return 0;
}

static int vmap_custom(mx_node* node, mx_array* const* inputs, const int* in_axes,
                       mx_array** outputs, int* out_axes) {
  int na, no;
  mx_custom_rules* r = rules_of(node, &na, &no);
  bool batched = false;
  for (int i = 0; i < na; i++) batched |= in_axes[i] >= 0;
  if (!r->vmap || !batched) {
    /* The function's own vmap: its graph was replayed over the batch. */
    for (int i = 0; i < no; i++) {
      mx_array_retain(inputs[na + i]);
      outputs[i] = inputs[na + i];
      out_axes[i] = in_axes[na + i];
    }
    return 0;
  }
  int n = 0;
  mx_array** outs = NULL;
  int* axes = NULL;
  if (r->vmap(r, na, inputs, in_axes, &n, &outs, &axes) != 0) return -1;
  if (n != no) {
    mx_arrays_free(n, outs);
    free(axes);
    return mx_error(MX_ERR_VALUE,
                    "[custom_function] The vmap function returned %d outputs for a function of "
                    "%d outputs.",
                    n, no);
  }
  for (int i = 0; i < no; i++) {
    int nd = outs[i]->ndim, ax = axes[i];
    if (ax < -1 || ax >= nd) {
      int bad = ax;
      mx_arrays_free(n, outs);
      free(axes);
      for (int j = 0; j < i; j++) mx_array_release(outputs[j]), outputs[j] = NULL;
      return mx_error(MX_ERR_VALUE,
                      "[custom_function] The vmap function returned the axis %d for an output "
                      "with %d dimensions.",
                      bad, nd);
    }
    outputs[i] = outs[i];
    outs[i] = NULL;
    out_axes[i] = ax;
  }
  free(outs);
  free(axes);
  return 0;
}

const mx_transform_rules mx__rules_custom[MX_PRIM_COUNT] = {
    MX_RULE(CUSTOM, vjp_custom, jvp_custom, vmap_custom)
};
