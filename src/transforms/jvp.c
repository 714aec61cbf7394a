/* Forward mode (see transforms.h).
 *
 * The function runs once on stand-ins for the primals; the nodes between
 * them and the outputs are visited in graph order, each rule turning its
 * inputs' tangents into its outputs' tangents. */
#include <stdlib.h>

#include "transforms.h"

static int push_forward(mx_node* node, mx_amap* tan) {
  int n_in = node->n_inputs, n_out = node->n_outputs;
  mx_array** buf = calloc((size_t)(n_in + 2 * n_out + 1), sizeof *buf);
  if (!buf) return mx_error(MX_ERR_MEMORY, "[jvp] Out of memory.");
  mx_array** tin = buf;
  mx_array** outs = buf + n_in;
  mx_array** tout = buf + n_in + n_out;
  bool any = false;
  for (int i = 0; i < n_in; i++) {
    struct mx_amap_slot* slot = mx_amap_get(tan, node->inputs[i]);
    if (slot && slot->value) {
      tin[i] = slot->value;
      mx_array_retain(tin[i]);
      any = true;
    }
  }
  for (int i = 0; i < n_out; i++) outs[i] = mx_node_output(node, i);
  int rc = 0;
  if (any) {
    const mx_transform_rules* r = mx_rules_for(node->prim);
    if (!r->jvp)
      rc = mx_error(MX_ERR_VALUE, "[%s] JVP is not implemented.", mx_prim_name(node->prim));
    else
      rc = r->jvp(node, node->inputs, outs, tin, tout);
  }
  for (int i = 0; i < n_out && rc == 0; i++) {
    if (!tout[i]) continue;
    mx_array* t = tout[i];
    tout[i] = NULL;
    if (!outs[i]) {
      mx_array_release(t);
      continue;
    }
    if (t->dtype != outs[i]->dtype) {
      mx_array* c = mx_astype(t, outs[i]->dtype, node->stream);
      mx_array_release(t);
      if (!(t = c)) { rc = -1; break; }
    }
    rc = mx_amap_put(tan, outs[i], t, 0);
  }
  for (int i = 0; i < n_in + 2 * n_out; i++) mx_array_release(buf[i]);
  free(buf);
  return rc;
}

int mx_jvp(mx_fn fn, void* payload, int n_primals, mx_array* const* primals,
           mx_array* const* tangents, int* n_out, mx_array*** outputs, mx_array*** jvps) {
  *n_out = 0;
  *outputs = NULL;
  *jvps = NULL;
  for (int i = 0; i < n_primals; i++) {
    if (!mx_shape_equal(primals[i]->ndim, primals[i]->shape, tangents[i]->ndim, tangents[i]->shape))
      return mx_error(MX_ERR_VALUE, "[jvp] Input shape does not match shape of tangent.");
  }
  mx_array** standins = NULL;
  mx_array** outs = NULL;
  int nout = 0;
  if (mx_trace_call(fn, payload, n_primals, primals, &standins, &nout, &outs) != 0) return -1;
  mx_amap tan = {0};
  mx_node** tape = NULL;
  size_t n_tape = 0;
  mx_array** result = NULL;
  int rc = mx_trace_tape(n_primals, standins, nout, outs, &n_tape, &tape);
  for (int i = 0; i < n_primals && rc == 0; i++) {
    mx_array_retain(tangents[i]);
    rc = mx_amap_put(&tan, standins[i], tangents[i], 0);
  }
  for (size_t k = 0; k < n_tape && rc == 0; k++) rc = push_forward(tape[k], &tan);
  if (rc == 0) {
    result = calloc((size_t)(nout ? nout : 1), sizeof *result);
    if (!result) rc = mx_error(MX_ERR_MEMORY, "[jvp] Out of memory.");
  }
  for (int i = 0; i < nout && rc == 0; i++) {
    struct mx_amap_slot* slot = mx_amap_get(&tan, outs[i]);
    if (slot && slot->value) {
      result[i] = slot->value;
      mx_array_retain(result[i]);
    } else if (!(result[i] = mx_zeros_like(outs[i], mx_stream_for_default()))) {
      rc = -1;
    }
  }
  free(tape);
  mx_amap_free(&tan);
  mx_arrays_free(n_primals, standins);
  if (rc != 0) {
    mx_arrays_free(nout, result);
    mx_arrays_free(nout, outs);
    return -1;
  }
  *n_out = nout;
  *outputs = outs;
  *jvps = result;
  return 0;
}
