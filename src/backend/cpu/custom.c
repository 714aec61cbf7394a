/* The CUSTOM kernel (src/core/prims/custom.h): the function's outputs were
 * computed by their own nodes and are this node's last inputs, so each
 * output takes the matching input's buffer and layout, moving no data. */
#include "cpu_internal.h"

int mx__cpu_custom(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_custom_params* p = node->params;
  if (!p || p->n_args + p->n_outputs != node->n_inputs || p->n_outputs != node->n_outputs)
    return mx_error(MX_ERR_RUNTIME, "[CustomTransforms] Inconsistent parameters.");
  for (int i = 0; i < p->n_outputs; i++) {
    mx_array* in = inputs[p->n_args + i];
    mx_array* out = outputs[i];
    if (!out) continue;
    if (in->dtype != out->dtype || !mx_shape_equal(in->ndim, in->shape, out->ndim, out->shape))
      return mx_error(MX_ERR_RUNTIME, "[CustomTransforms] Output %d does not match its input.", i);
    if (!in->buffer) {
      if (mx_array_alloc_data(out, false) != 0) return -1;
      continue;
    }
    mx_array_share_data(out, in, in->strides, in->offset, in->data_size, in->flags);
  }
  return 0;
}
