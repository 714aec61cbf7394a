/* Helpers shared by the per-family rule files (rules_<family>.c).
 *
 * Conventions every rule follows (see transforms.h for the signatures):
 * - Build results with the op constructors of src/ops on node->stream.
 * - Complex cotangents are conjugate-linear, as in MLX: the contribution of
 *   y = f(x) is cot * conj(f'(x)) (for y = a * b: cot * conj(b)).
 * - A zero contribution is NULL, never an array of zeros (cheaper, and the
 *   transforms know what NULL means).
 * - vmap rules usually move the batch axis to the front first
 *   (mx__batch_front) and report output axis 0. */
#ifndef MX_TRANSFORMS_RULES_UTIL_H
#define MX_TRANSFORMS_RULES_UTIL_H

#include "transforms.h"

/* Rules keep small shape buffers on the stack; arrays of more dims than
 * this are refused with an error (MLX programs stay far below it). */
#define MX_MAX_NDIM 64

/* Rule table fragments: `[MX_PRIM_X] = {vjp, jvp, vmap},` lines per family. */
#define MX_RULE(prim, v, j, m) [MX_PRIM_##prim] = {v, j, m},

/* a with its batch axis `axis` moved to the front (a new reference; a
 * retained `a` when axis is already 0).  axis == -1: `a` unchanged. */
mx_array* mx__batch_front(mx_array* a, int axis, mx_stream s);

/* The batch size of a vmap rule's inputs (the first batched input's). */
int mx__batch_size(int n, mx_array* const* inputs, const int* in_axes);

/* Makes every input batched at the front: batched inputs are moved there,
 * unbatched ones broadcast to (B, ...their shape).  Writes new references. */
int mx__batch_all_front(int n, mx_array* const* inputs, const int* in_axes, mx_array** out,
                        mx_stream s);

/* Rebuilds `node` (same primitive, parameters and stream) on new inputs
 * with output shapes = (batch, ...the node's output shape).  Writes the
 * outputs (new references). */
int mx__rebuild_batched(mx_node* node, mx_array* const* inputs, int batch, mx_array** outputs);

/* The vmap rule of every elementwise primitive whose inputs all have the
 * output's shape (unary, binary, ternary; any number of outputs). */
int mx__vmap_elementwise(mx_node* node, mx_array* const* inputs, const int* in_axes,
                         mx_array** outputs, int* out_axes);

/* Sums g down to `shape` (the inverse of broadcasting `shape` to g's
 * shape): leading dims and dims that are 1 in `shape` are summed. */
mx_array* mx__sum_to_shape(mx_array* g, int ndim, const int* shape, mx_stream s);

/* conj(x) for complex x, else x retained. */
mx_array* mx__conj_if_complex(mx_array* x, mx_stream s);

/* cot * conj(d) (new reference), releasing d (stolen; NULL passes through). */
mx_array* mx__times_conj(mx_array* cot, mx_array* d, mx_stream s);

/* The vjp and jvp rules of ops whose outputs carry no derivative (comparisons,
 * piecewise-constant ops, indices): they leave every gradient and tangent
 * NULL, which the transforms read as zero. */
int mx__vjp_zero(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                 const bool* want, mx_array** g);
int mx__jvp_zero(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                 mx_array** out);


/* mx__rebuild_batched with other parameters (an axis moved by the batch). */
int mx__rebuild_batched_params(mx_node* node, const void* params, size_t params_size,
                               mx_array* const* inputs, int batch, mx_array** outputs);

/* Temporaries of a rule, released together: chains of ops then need no
 * release after every step.  MX_KEEP(t, expr) evaluates expr only while
 * nothing has failed (so expr may use earlier kept results, which are
 * then non-NULL), keeps the result and returns it (NULL once failed). */
typedef struct mx__tmps {
  mx_array* a[64];
  int n;
  bool failed;
} mx__tmps;
mx_array* mx__keep(mx__tmps* t, mx_array* x);
#define MX_KEEP(t, expr) ((t)->failed ? NULL : mx__keep((t), (expr)))
/* A new reference to x (one of t's, or NULL) for handing out. */
mx_array* mx__give(mx_array* x);
void mx__tmps_free(mx__tmps* t);

#endif
