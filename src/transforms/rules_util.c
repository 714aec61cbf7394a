/* Helpers shared by the rule files (see rules_util.h). */
#include "rules_util.h"

#include <stdlib.h>
#include <string.h>

mx_array* mx__batch_front(mx_array* a, int axis, mx_stream s) {
  if (axis <= 0) {
    mx_array_retain(a);
    return a;
  }
  return mx_moveaxis(a, axis, 0, s);
}

int mx__batch_size(int n, mx_array* const* inputs, const int* in_axes) {
  for (int i = 0; i < n; i++)
    if (in_axes[i] >= 0) return inputs[i]->shape[in_axes[i]];
  return -1;
}

int mx__batch_all_front(int n, mx_array* const* inputs, const int* in_axes, mx_array** out,
                        mx_stream s) {
  int batch = mx__batch_size(n, inputs, in_axes);
  for (int i = 0; i < n; i++) out[i] = NULL;
  for (int i = 0; i < n; i++)
    if (inputs[i]->ndim + 1 > MX_MAX_NDIM)
      return mx_error(MX_ERR_VALUE, "[vmap] Arrays of more than %d dimensions are not supported.", MX_MAX_NDIM - 1);
  for (int i = 0; i < n; i++) {
    if (in_axes[i] >= 0) {
      out[i] = mx__batch_front(inputs[i], in_axes[i], s);
    } else {
      mx_array* a = inputs[i];
      int shape[MX_MAX_NDIM + 1];
      shape[0] = batch;
      memcpy(shape + 1, a->shape, (size_t)a->ndim * sizeof(int));
      int front = 0;
      mx_array* e = mx_expand_dims(a, 1, &front, s);
      out[i] = e ? mx_broadcast_to(e, a->ndim + 1, shape, s) : NULL;
      mx_array_release(e);
    }
    if (!out[i]) {
      for (int j = 0; j < i; j++) mx_array_release(out[j]);
      return -1;
    }
  }
  return 0;
}

int mx__rebuild_batched(mx_node* node, mx_array* const* inputs, int batch, mx_array** outputs) {
  return mx__rebuild_batched_params(node, node->params, node->params_size, inputs, batch, outputs);
}

int mx__rebuild_batched_params(mx_node* node, const void* params, size_t params_size,
                               mx_array* const* inputs, int batch, mx_array** outputs) {
  int n = node->n_outputs;
  int ndims[8];
  int shapes[8][MX_MAX_NDIM + 1];
  const int* shape_ptrs[8];
  mx_dtype dtypes[8];
  if (n > 8) return mx_error(MX_ERR_RUNTIME, "[vmap] Too many outputs for %s.", mx_prim_name(node->prim));
  for (int i = 0; i < n; i++) {
    int nd;
    const int* sh;
    mx_node_output_info(node, i, &nd, &sh, &dtypes[i]);
    if (nd + 1 > MX_MAX_NDIM)
      return mx_error(MX_ERR_VALUE, "[vmap] Arrays of more than %d dimensions are not supported.", MX_MAX_NDIM - 1);
    shapes[i][0] = batch;
    memcpy(shapes[i] + 1, sh, (size_t)nd * sizeof(int));
    ndims[i] = nd + 1;
    shape_ptrs[i] = shapes[i];
  }
  return mx_array_make_node(node->prim, params, params_size, node->stream,
                            node->n_inputs, inputs, n, ndims, shape_ptrs, dtypes, outputs);
}

int mx__vmap_elementwise(mx_node* node, mx_array* const* inputs, const int* in_axes,
                         mx_array** outputs, int* out_axes) {
  int n = node->n_inputs;
  mx_array* fronts[16];
  if (n > 16) return mx_error(MX_ERR_RUNTIME, "[vmap] Too many inputs for %s.", mx_prim_name(node->prim));
  if (mx__batch_all_front(n, inputs, in_axes, fronts, node->stream) != 0) return -1;
  int rc = mx__rebuild_batched(node, fronts, mx__batch_size(n, inputs, in_axes), outputs);
  for (int i = 0; i < n; i++) mx_array_release(fronts[i]);
  for (int i = 0; i < node->n_outputs; i++) out_axes[i] = 0;
  return rc;
}

mx_array* mx__sum_to_shape(mx_array* g, int ndim, const int* shape, mx_stream s) {
  if (mx_shape_equal(g->ndim, g->shape, ndim, shape)) {
    mx_array_retain(g);
    return g;
  }
  if (g->ndim > MX_MAX_NDIM)
    return mx_error(MX_ERR_VALUE, "[vjp] Arrays of more than %d dimensions are not supported.", MX_MAX_NDIM), NULL;
  int lead = g->ndim - ndim;
  int axes[MX_MAX_NDIM];
  int naxes = 0;
  for (int d = 0; d < g->ndim; d++) {
    if (d < lead || (shape[d - lead] == 1 && g->shape[d] != 1)) axes[naxes++] = d;
  }
  mx_array* r = mx_sum(g, naxes, axes, true, s);
  if (!r) return NULL;
  mx_array* out = mx_reshape(r, ndim, shape, s);
  mx_array_release(r);
  return out;
}

mx_array* mx__conj_if_complex(mx_array* x, mx_stream s) {
  if (x->dtype == MX_COMPLEX64) return mx_conjugate(x, s);
  mx_array_retain(x);
  return x;
}

mx_array* mx__times_conj(mx_array* cot, mx_array* d, mx_stream s) {
  if (!d) return NULL;
  mx_array* c = mx__conj_if_complex(d, s);
  mx_array_release(d);
  if (!c) return NULL;
  mx_array* r = mx_multiply(cot, c, s);
  mx_array_release(c);
  return r;
}

int mx__vjp_zero(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                 const bool* want, mx_array** g) {
  return 0;
}

int mx__jvp_zero(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                 mx_array** out) {
  return 0;
}


mx_array* mx__keep(mx__tmps* t, mx_array* x) {
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

mx_array* mx__give(mx_array* x) {
  if (x) mx_array_retain(x);
  return x;
}

void mx__tmps_free(mx__tmps* t) {
  for (int i = 0; i < t->n; i++) mx_array_release(t->a[i]);
  t->n = 0;
}
