/* Functions with user-defined transforms (see custom.h): the forward call
 * that wraps a function's outputs in a CUSTOM node. */
#include <stdlib.h>

#include "custom.h"

static void destroy_rules(mx_custom_ref* ref) {
  mx_custom_rules* r = (mx_custom_rules*)ref;
  if (r->payload_free) r->payload_free(r->payload);
  free(r);
}

mx_custom_rules* mx_custom_rules_new(void) {
  mx_custom_rules* r = calloc(1, sizeof *r);
  if (!r) {
    mx_error(MX_ERR_MEMORY, "[custom_function] Out of memory.");
    return NULL;
  }
  atomic_init(&r->ref.refcount, 1);
  r->ref.destroy = destroy_rules;
  return r;
}

void mx_custom_rules_release(mx_custom_rules* r) {
  if (r) mx_custom_ref_release(&r->ref);
}

int mx_custom_call(mx_custom_rules* r, int n_in, mx_array* const* inputs, int* n_out,
                   mx_array*** outputs) {
  *n_out = 0;
  *outputs = NULL;
  if (!r || !r->fun) return mx_error(MX_ERR_VALUE, "[custom_function] No function to call.");
  int n = 0;
  mx_array** outs = NULL;
  if (r->fun(r->fun_payload, n_in, inputs, &n, &outs) != 0) return -1;
  /* Nothing to redefine, or nothing to wrap: the function's own outputs. */
  if ((!r->vjp && !r->jvp && !r->vmap && !r->checkpoint) || n == 0) {
    *n_out = n;
    *outputs = outs;
    return 0;
  }
  int total = n_in + n;
  mx_array** node_in = malloc((size_t)total * sizeof *node_in);
  int* ndims = malloc((size_t)n * sizeof *ndims);
  const int** shapes = malloc((size_t)n * sizeof *shapes);
  mx_dtype* dtypes = malloc((size_t)n * sizeof *dtypes);
  mx_array** wrapped = calloc((size_t)n, sizeof *wrapped);
  int rc = 0;
  if (!node_in || !ndims || !shapes || !dtypes || !wrapped) {
    rc = mx_error(MX_ERR_MEMORY, "[custom_function] Out of memory.");
  } else {
    for (int i = 0; i < n_in; i++) node_in[i] = inputs[i];
    for (int i = 0; i < n; i++) {
      node_in[n_in + i] = outs[i];
      ndims[i] = outs[i]->ndim;
      shapes[i] = outs[i]->shape;
      dtypes[i] = outs[i]->dtype;
    }
    /* The node runs where the function's first output is computed. */
    mx_stream s = outs[0]->node ? outs[0]->node->stream : mx_stream_for_default();
    mx_custom_params p = {&r->ref, n_in, n};
    rc = mx_array_make_node(MX_PRIM_CUSTOM, &p, sizeof p, s, total, node_in, n, ndims, shapes,
                            dtypes, wrapped);
  }
  free(node_in);
  free(ndims);
  free(shapes);
  free(dtypes);
  mx_arrays_free(n, outs);
  if (rc != 0) {
    free(wrapped);
    return -1;
  }
  *n_out = n;
  *outputs = wrapped;
  return 0;
}
