/* Functions with user-defined transforms: the layer under
 * mx.custom_function, mx.checkpoint and mlx-c's mlx_custom_function /
 * mlx_custom_vjp / mlx_checkpoint.
 *
 * A caller (the Python binding, the C API) fills an mx_custom_rules record
 * with the function and whichever rules it replaces, and calls
 * mx_custom_call.  That runs the function normally and wraps its outputs in
 * a CUSTOM node (src/core/prims/custom.h) whose transforms call the rules:
 *   vjp:  rule(primals, cotangents, outputs) -> one cotangent per argument;
 *   jvp:  rule(primals, tangents, argnums) -> one tangent per output, where
 *         tangents are given only for the arguments listed in argnums;
 *   vmap: rule(inputs, axes) -> outputs and their batch axes (-1: none),
 *         with axes[i] == -1 for an argument that is not batched.
 * A rule left NULL falls back to transforming the function itself, which
 * the node does by letting the transform continue through the graph the
 * forward pass built (no second trace).  `checkpoint` makes the vjp rerun
 * the function's own vjp on the primals, so the forward pass's
 * intermediates need not be kept (MLX's mx.checkpoint).
 *
 * Threads: the record is freed (destroy) by whichever thread drops its last
 * reference, possibly a stream worker.  Rules run on the thread running the
 * transform. */
#ifndef MX_TRANSFORMS_CUSTOM_H
#define MX_TRANSFORMS_CUSTOM_H

#include "transforms.h"

typedef struct mx_custom_rules mx_custom_rules;

/* Each rule returns 0, or -1 with an error set, and writes malloc'd lists
 * of new references (mx_arrays_free releases them). */
typedef int (*mx_custom_vjp_fn)(mx_custom_rules* self, int n_primals, mx_array* const* primals,
                                int n_cotangents, mx_array* const* cotangents,
                                mx_array* const* outputs, int* n_vjps, mx_array*** vjps);
typedef int (*mx_custom_jvp_fn)(mx_custom_rules* self, int n_primals, mx_array* const* primals,
                                int n_tangents, mx_array* const* tangents, const int* argnums,
                                int* n_jvps, mx_array*** jvps);
typedef int (*mx_custom_vmap_fn)(mx_custom_rules* self, int n_inputs, mx_array* const* inputs,
                                 const int* axes, int* n_out, mx_array*** outputs,
                                 int** out_axes /* malloc'd, *n_out entries */);

struct mx_custom_rules {
  mx_custom_ref ref; /* refcount 1 after mx_custom_rules_new; destroy frees */
  mx_fn fun;         /* the function (forward pass, fallbacks, checkpoint) */
  void* fun_payload;
  mx_custom_vjp_fn vjp;   /* NULL: the function's own vjp */
  mx_custom_jvp_fn jvp;   /* NULL: the function's own jvp */
  mx_custom_vmap_fn vmap; /* NULL: the function's own vmap */
  bool checkpoint;        /* vjp recomputes the function (vjp must be NULL) */
  void* payload;          /* the caller's data for its rules */
  void (*payload_free)(void* payload); /* called by destroy (may be NULL) */
};

/* A zeroed record with refcount 1 whose destroy calls payload_free and
 * frees it; NULL with an error set when out of memory. */
mx_custom_rules* mx_custom_rules_new(void);
void mx_custom_rules_release(mx_custom_rules* r);

/* Runs r->fun on `inputs` and returns its outputs wrapped in one CUSTOM
 * node (r is retained by the node).  With no rule and no checkpoint the
 * outputs are returned as the function made them. */
int mx_custom_call(mx_custom_rules* r, int n_in, mx_array* const* inputs, int* n_out,
                   mx_array*** outputs);

#endif
