/* Vectorization (see transforms.h).
 *
 * The function runs once on one slice of each mapped input (element 0 along
 * its axis).  The graph it builds is then replayed over the whole batch:
 * each node's vmap rule rebuilds it for batched inputs and reports where
 * the batch axis of each output ended up. */
#include <stdlib.h>

#include "rules_util.h" /* MX_MAX_NDIM */

/* The stand-in for a mapped input: its first slice along `axis` (a view),
 * or zeros of that shape for an empty batch. */
static mx_array* slice_standin(mx_array* a, int axis) {
  mx_stream s = mx_stream_for_default();
  if (a->shape[axis] > 0) return mx_take_int(a, 0, axis, s);
  int shape[MX_MAX_NDIM], nd = 0;
  if (a->ndim > MX_MAX_NDIM) {
    mx_error(MX_ERR_VALUE, "[vmap] Arrays of more than %d dimensions are not supported.", MX_MAX_NDIM);
    return NULL;
  }
  for (int d = 0; d < a->ndim; d++)
    if (d != axis) shape[nd++] = a->shape[d];
  return mx_zeros(nd, shape, a->dtype, s);
}

static int replay(mx_node* node, mx_amap* batched) {
  int n_in = node->n_inputs, n_out = node->n_outputs;
  mx_array** buf = calloc((size_t)(n_in + 2 * n_out + 1), sizeof *buf);
  int* axes = malloc((size_t)(n_in + n_out + 1) * sizeof *axes);
  if (!buf || !axes) {
    free(buf);
    free(axes);
    return mx_error(MX_ERR_MEMORY, "[vmap] Out of memory.");
  }
  mx_array** ins = buf;
  mx_array** outs = buf + n_in;
  mx_array** node_outs = buf + n_in + n_out;
  int* in_axes = axes;
  int* out_axes = axes + n_in;
  for (int i = 0; i < n_in; i++) {
    struct mx_amap_slot* slot = mx_amap_get(batched, node->inputs[i]);
    if (slot && slot->value) {
      ins[i] = slot->value;
      in_axes[i] = slot->aux;
    } else {
      ins[i] = node->inputs[i];
      in_axes[i] = -1;
    }
    mx_array_retain(ins[i]);
  }
  for (int i = 0; i < n_out; i++) out_axes[i] = -1;
  int rc = 0;
  const mx_transform_rules* r = mx_rules_for(node->prim);
  if (!r->vmap)
    rc = mx_error(MX_ERR_VALUE, "[%s] vmap is not implemented.", mx_prim_name(node->prim));
  else
    rc = r->vmap(node, ins, in_axes, outs, out_axes);
  for (int i = 0; i < n_out && rc == 0; i++) {
    node_outs[i] = mx_node_output(node, i);
    if (!node_outs[i] || !outs[i]) continue;
    mx_array* o = outs[i];
    outs[i] = NULL;
    rc = mx_amap_put(batched, node_outs[i], o, out_axes[i]);
  }
  for (int i = 0; i < n_in + 2 * n_out; i++) mx_array_release(buf[i]);
  free(buf);
  free(axes);
  return rc;
}

/* Puts output o's batch axis (`axis`, or -1 for an output that does not
 * depend on the batch) at position `to`. */
static mx_array* place_batch_axis(mx_array* o, int axis, int to, int batch) {
  mx_stream s = mx_stream_for_default();
  int nd = o->ndim + (axis < 0 ? 1 : 0);
  int t = to < 0 ? to + nd : to;
  if (t < 0 || t >= nd) {
    mx_error(MX_ERR_INDEX, "[vmap] Invalid out_axes %d for output with %d dimensions.", to, nd);
    return NULL;
  }
  if (axis >= 0) return mx_moveaxis(o, axis, t, s);
  mx_array* e = mx_expand_dims(o, 1, &t, s);
  if (!e) return NULL;
  int shape[64];
  for (int d = 0; d < nd; d++) shape[d] = e->shape[d];
  shape[t] = batch;
  mx_array* b = mx_broadcast_to(e, nd, shape, s);
  mx_array_release(e);
  return b;
}

/* Checks the mapped axes of `inputs` and finds the batch size. */
static int batch_size_of(int n_in, mx_array* const* inputs, const int* in_axes, int* batch) {
  char sa[64];
  *batch = -1;
  for (int i = 0; i < n_in; i++) {
    if (in_axes[i] < 0) continue;
    mx_array* a = inputs[i];
    if (in_axes[i] >= a->ndim)
      return mx_error(MX_ERR_INDEX, "[vmap] Invalid vectorization axis %d for array with shape %s",
                      in_axes[i], mx_shape_str(a->ndim, a->shape, sa, sizeof sa));
    if (*batch >= 0 && a->shape[in_axes[i]] != *batch)
      return mx_error(MX_ERR_VALUE, "[vmap] Inconsistent axis sizes: %d and %d.", *batch,
                      a->shape[in_axes[i]]);
    *batch = a->shape[in_axes[i]];
  }
  if (*batch < 0) return mx_error(MX_ERR_VALUE, "At least one of in_axes must be non-None.");
  return 0;
}

/* The stand-in of input i: its first slice along in_axes[i], or the input
 * itself when it is passed whole. */
static mx_array* axis_standin(void* ctx, int i, mx_array* a) {
  const int* in_axes = ctx;
  if (in_axes[i] < 0) {
    mx_array_retain(a);
    return a;
  }
  return slice_standin(a, in_axes[i]);
}

int mx_vmap_trace(mx_fn fn, void* payload, int n_in, mx_array* const* inputs, const int* in_axes,
                  mx_array*** standins, int* n_out, mx_array*** outputs) {
  *standins = NULL;
  *outputs = NULL;
  *n_out = 0;
  int batch;
  if (batch_size_of(n_in, inputs, in_axes, &batch) != 0) return -1;
  return mx_trace_call_with(fn, payload, n_in, inputs, axis_standin, (void*)in_axes, standins,
                            n_out, outputs);
}

int mx_vmap_replace(int n_in, mx_array* const* inputs, mx_array* const* standins,
                    const int* in_axes, int n_out, mx_array* const* outs, int n_out_axes,
                    const int* out_axes, mx_array*** outputs) {
  *outputs = NULL;
  int batch;
  if (batch_size_of(n_in, inputs, in_axes, &batch) != 0) return -1;
  if (n_out_axes != 1 && n_out_axes != n_out)
    return mx_error(MX_ERR_VALUE,
                    "[vmap] The number of out axes (%d) does not match the number of outputs (%d).",
                    n_out_axes, n_out);
  mx_array** sources = calloc((size_t)(n_in ? n_in : 1), sizeof *sources);
  mx_array** result = calloc((size_t)(n_out ? n_out : 1), sizeof *result);
  mx_node** tape = NULL;
  size_t n_tape = 0;
  int n_src = 0, rc = 0;
  mx_amap batched = {0};
  if (!sources || !result) rc = mx_error(MX_ERR_MEMORY, "[vmap] Out of memory.");
  for (int i = 0; i < n_in && rc == 0; i++) {
    if (in_axes[i] < 0) continue;
    sources[n_src++] = standins[i];
    mx_array_retain(inputs[i]);
    rc = mx_amap_put(&batched, standins[i], inputs[i], in_axes[i]);
  }
  if (rc == 0) rc = mx_trace_tape(n_src, sources, n_out, outs, &n_tape, &tape);
  for (size_t k = 0; k < n_tape && rc == 0; k++) rc = replay(tape[k], &batched);
  for (int i = 0; i < n_out && rc == 0; i++) {
    struct mx_amap_slot* slot = mx_amap_get(&batched, outs[i]);
    int to = out_axes[n_out_axes == 1 ? 0 : i];
    if (slot && slot->value)
      result[i] = place_batch_axis(slot->value, slot->aux, to, batch);
    else
      result[i] = place_batch_axis(outs[i], -1, to, batch);
    if (!result[i]) rc = -1;
  }
  free(tape);
  free(sources);
  mx_amap_free(&batched);
  if (rc != 0) {
    mx_arrays_free(n_out, result);
    return -1;
  }
  *outputs = result;
  return 0;
}

int mx_vmap(mx_fn fn, void* payload, int n_in, mx_array* const* inputs, const int* in_axes,
            int n_out_axes, const int* out_axes, int* n_out, mx_array*** outputs) {
  *n_out = 0;
  *outputs = NULL;
  mx_array** standins = NULL;
  mx_array** outs = NULL;
  int nout = 0;
  if (mx_vmap_trace(fn, payload, n_in, inputs, in_axes, &standins, &nout, &outs) != 0) return -1;
  int rc = mx_vmap_replace(n_in, inputs, standins, in_axes, nout, outs, n_out_axes, out_axes,
                           outputs);
  mx_arrays_free(n_in, standins);
  mx_arrays_free(nout, outs);
  if (rc != 0) return -1;
  *n_out = nout;
  return 0;
}
