/* Transform rules (vjp, jvp, vmap) of the linalg_conv primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 * AddMM is here; the other products are in rules_linalg_conv_mm.c and the
 * convolution in rules_linalg_conv_conv.c. */
#include <string.h>

#include "rules_linalg_conv.h"

#define S (node->stream)

/* AddMM: inputs (a, b, c) with c already broadcast to the product's shape;
 * out = alpha * a @ b + beta * c. */
static mx_array* scaled(mx_array* x, float k, mx_stream s) {
  if (!x) return NULL;
  if (k == 1.0f) return x;
  mx_array* f = mx_array_scalar_f64(k, x->dtype);
  mx_array* r = f ? mx_multiply(x, f, s) : NULL;
  mx_array_release(f);
  mx_array_release(x);
  return r;
}

static int vjp_addmm(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                     const bool* want, mx_array** g) {
  const mx_addmm_params* ap = node->params;
  for (int i = 0; i < 2; i++) {
    if (!want[i]) continue;
    mx_array* other = mx__conj_if_complex(p[1 - i], S);
    mx_array* ot = other ? mx_matrix_transpose(other, S) : NULL;
    mx_array_release(other);
    if (!ot) return -1;
    g[i] = scaled(i == 0 ? mx_matmul(c[0], ot, S) : mx_matmul(ot, c[0], S), ap->alpha, S);
    mx_array_release(ot);
    if (!g[i]) return -1;
  }
  if (want[2]) {
    mx_array_retain(c[0]);
    if (!(g[2] = scaled(c[0], ap->beta, S))) return -1;
  }
  return 0;
}

static int jvp_addmm(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                     mx_array** out) {
  const mx_addmm_params* ap = node->params;
  mx_array* acc = NULL;
  mx_array* terms[3] = {t[0] ? mx_matmul(t[0], p[1], S) : NULL, t[1] ? mx_matmul(p[0], t[1], S) : NULL,
                        NULL};
  if (t[2]) {
    mx_array_retain(t[2]);
    terms[2] = t[2];
  }
  int rc = 0;
  for (int i = 0; i < 3; i++) {
    if (!t[i]) continue;
    mx_array* term = scaled(terms[i], i < 2 ? ap->alpha : ap->beta, S);
    terms[i] = NULL;
    if (!term) { rc = -1; break; }
    if (!acc) {
      acc = term;
    } else {
      mx_array* sum = mx_add(acc, term, S);
      mx_array_release(acc);
      mx_array_release(term);
      if (!(acc = sum)) { rc = -1; break; }
    }
  }
  for (int i = 0; i < 3; i++) mx_array_release(terms[i]);
  if (rc != 0) {
    mx_array_release(acc);
    return -1;
  }
  out[0] = acc;
  return 0;
}

static int vmap_addmm(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                      int* oax) {
  const mx_addmm_params* ap = node->params;
  mx_array* x[3] = {NULL, NULL, NULL};
  int rc = 0;
  for (int i = 0; i < 3 && rc == 0; i++) {
    int front = 0;
    x[i] = ax[i] >= 0 ? mx__batch_front(in[i], ax[i], S) : mx_expand_dims(in[i], 1, &front, S);
    if (!x[i]) rc = -1;
  }
  /* With only c batched the product would keep a batch of 1, to which c
   * does not broadcast: give a the batch. */
  if (rc == 0 && ax[0] < 0 && ax[1] < 0) {
    int shape[MX_MAX_NDIM];
    if (x[0]->ndim > MX_MAX_NDIM) {
      rc = mx_error(MX_ERR_VALUE, "[vmap] Too many dimensions.");
    } else {
      memcpy(shape, x[0]->shape, sizeof(int) * (size_t)x[0]->ndim);
      shape[0] = in[2]->shape[ax[2]];
      mx_array* wide = mx_broadcast_to(x[0], x[0]->ndim, shape, S);
      mx_array_release(x[0]);
      if (!(x[0] = wide)) rc = -1;
    }
  }
  if (rc == 0) {
    out[0] = mx_addmm(x[2], x[0], x[1], ap->alpha, ap->beta, S);
    if (!out[0]) rc = -1;
  }
  for (int i = 0; i < 3; i++) mx_array_release(x[i]);
  oax[0] = 0;
  return rc;
}

const mx_transform_rules mx__rules_linalg_conv[MX_PRIM_COUNT] = {
    MX_RULE(ADDMM, vjp_addmm, jvp_addmm, vmap_addmm)
    MX_RULE(GATHER_MM, mx__vjp_gather_mm, mx__jvp_gather_mm, mx__vmap_gather_mm)
    MX_RULE(BLOCK_MASKED_MM, mx__vjp_block_masked_mm, mx__jvp_block_masked_mm,
            mx__vmap_block_masked_mm)
    MX_RULE(SEGMENTED_MM, mx__vjp_segmented_mm, mx__jvp_segmented_mm, mx__vmap_segmented_mm)
    MX_RULE(HADAMARD, mx__vjp_hadamard, mx__jvp_hadamard, mx__vmap_hadamard)
    MX_RULE(CONVOLUTION, mx__vjp_conv, mx__jvp_conv, mx__vmap_conv)
};
