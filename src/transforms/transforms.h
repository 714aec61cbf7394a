/* Function transforms: reverse mode (vjp), forward mode (jvp) and
 * vectorization (vmap), over functions of arrays.
 *
 * A transform runs the function once on stand-in arrays ("tracing"), walks
 * the graph the function built from them, and applies each primitive's rule
 * (rules.c assembles one table of rules per primitive from the per-family
 * files rules_<family>.c).  Nothing is evaluated: the results are lazy
 * graphs like any other, so transforms compose (grad of grad, vmap of grad)
 * and run on any stream.
 *
 * Ownership follows ops.h: array arguments are borrowed, results are new
 * references; functions return 0, or -1 with an error set. */
#ifndef MX_TRANSFORMS_H
#define MX_TRANSFORMS_H

#include "../ops/ops.h"

/* --- functions being transformed ----------------------------------------- */

/* A function of arrays: reads n_in inputs, writes *n_out and a malloc'd
 * array of *n_out new references to *out.  Returns 0 / -1 (error set).
 * `payload` is the caller's (a Python callable, an mlx-c closure, ...). */
typedef int (*mx_fn)(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out);

/* Releases n arrays and frees the list (NULL entries and list allowed). */
void mx_arrays_free(int n, mx_array** arrays);

/* --- the transforms -------------------------------------------------------- */

/* Reverse mode.  Runs fn on `primals` and pulls `cotangents` (one per
 * output, same shapes; a NULL entry means ones of the output's shape and
 * dtype, as grad uses) back through it.  Writes the outputs (*n_out of
 * them) and one cotangent per primal, shaped like it, to malloc'd lists. */
int mx_vjp(mx_fn fn, void* payload, int n_primals, mx_array* const* primals, int n_cotangents,
           mx_array* const* cotangents, int* n_out, mx_array*** outputs, mx_array*** vjps);

/* Forward mode.  Pushes `tangents` (one per primal, same shapes) through fn;
 * writes the outputs and one tangent per output. */
int mx_jvp(mx_fn fn, void* payload, int n_primals, mx_array* const* primals,
           mx_array* const* tangents, int* n_out, mx_array*** outputs, mx_array*** jvps);

/* Vectorization.  in_axes[i] is the axis of input i that is mapped over, or
 * -1 for an input passed whole to every call.  out_axes has *n_out entries
 * (or one entry used for every output, n_out_axes == 1): where each output's
 * mapped axis goes. */
int mx_vmap(mx_fn fn, void* payload, int n_in, mx_array* const* inputs, const int* in_axes,
            int n_out_axes, const int* out_axes, int* n_out, mx_array*** outputs);

/* vmap in two steps (mlx-c's detail API exposes them): trace fn on one
 * slice of each mapped input (standins[i] is that slice, or inputs[i]
 * itself when in_axes[i] is -1), then replay the traced graph on `inputs`.
 * mx_vmap is the two in a row. */
int mx_vmap_trace(mx_fn fn, void* payload, int n_in, mx_array* const* inputs, const int* in_axes,
                  mx_array*** standins, int* n_out, mx_array*** outputs);
int mx_vmap_replace(int n_in, mx_array* const* inputs, mx_array* const* standins,
                    const int* in_axes, int n_out, mx_array* const* outs, int n_out_axes,
                    const int* out_axes, mx_array*** outputs);

/* --- per-primitive rules ------------------------------------------------- */

/* Reverse-mode rule.  `primals` are the node's inputs and `outputs` its
 * outputs (an output the program dropped is NULL: use mx_node_output_info
 * for its shape).  `cotangents` has one entry per output, NULL meaning zero
 * (at least one is not NULL).  For each input i with want[i] set, writes a
 * new reference shaped and typed like the input to grads[i], or leaves NULL
 * when the contribution is zero (non-differentiable inputs, integer
 * outputs).  Cotangents of complex functions follow MLX (conjugate-linear). */
typedef int (*mx_vjp_rule)(mx_node* node, mx_array* const* primals, mx_array* const* outputs,
                           mx_array* const* cotangents, const bool* want, mx_array** grads);

/* Forward-mode rule.  `tangents` has one entry per input (NULL = zero; at
 * least one is not NULL).  Writes one new reference per output to
 * out_tangents, or NULL for a zero tangent. */
typedef int (*mx_jvp_rule)(mx_node* node, mx_array* const* primals, mx_array* const* outputs,
                           mx_array* const* tangents, mx_array** out_tangents);

/* vmap rule.  inputs[i] carries the batch along axis in_axes[i], or is not
 * batched (in_axes[i] == -1; then it is the node's own input, unchanged).
 * At least one input is batched.  Writes the node's outputs computed for
 * the whole batch (new references) and each output's batch axis (-1 when
 * an output does not depend on the batch). */
typedef int (*mx_vmap_rule)(mx_node* node, mx_array* const* inputs, const int* in_axes,
                            mx_array** outputs, int* out_axes);

typedef struct mx_transform_rules {
  mx_vjp_rule vjp;
  mx_jvp_rule jvp;
  mx_vmap_rule vmap;
} mx_transform_rules;

/* The rules of primitive p (rules.c looks through the family tables); a
 * NULL rule makes the transform fail with an error naming the primitive. */
const mx_transform_rules* mx_rules_for(mx_prim p);

/* --- tracing helpers shared by the transforms and compile -------------------- */

/* A map from arrays (by identity) to one owned array reference and an int. */
typedef struct mx_amap {
  struct mx_amap_slot {
    const mx_array* key;
    mx_array* value;
    int aux;
  }* slots;
  size_t cap, n;
} mx_amap;

/* Returns the slot for key, or NULL. */
struct mx_amap_slot* mx_amap_get(const mx_amap* m, const mx_array* key);
/* Stores value (stealing the reference; the old one is released). */
int mx_amap_put(mx_amap* m, const mx_array* key, mx_array* value, int aux);
void mx_amap_free(mx_amap* m);

/* A map from pointers (arrays or nodes) to an int mark; no references held.
 * mx_pmark_slot returns the mark's address (inserting a 0 mark when
 * `insert`), or NULL when absent (or out of memory while inserting). */
typedef struct mx_pmark {
  struct mx_pmark_slot { const void* key; int mark; }* slots;
  size_t cap, n;
} mx_pmark;
int* mx_pmark_slot(mx_pmark* m, const void* key, bool insert);
void mx_pmark_free(mx_pmark* m);

/* A stand-in for `a` inside a trace: a new array that is not `a` (so the
 * graph built from it can be told apart) but has its value. */
mx_array* mx_trace_standin(mx_array* a);

/* The nodes between `sources` and `outputs`: every node reachable backward
 * from the outputs that depends on a source, in an order where a node comes
 * after the nodes producing its inputs (the walk stops at sources).  Writes
 * a malloc'd list (no references held) to *nodes. */
int mx_trace_tape(int n_sources, mx_array* const* sources, int n_outputs,
                  mx_array* const* outputs, size_t* n_nodes, mx_node*** nodes);

/* Makes the stand-in for input i (a new reference, or NULL with an error). */
typedef mx_array* (*mx_standin_fn)(void* ctx, int i, mx_array* input);
/* Runs fn with tracing on, on the stand-ins `make` gives for `inputs`.
 * Writes the stand-ins and the outputs (malloc'd lists of new references). */
int mx_trace_call_with(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                       mx_standin_fn make, void* ctx, mx_array*** standins, int* n_out,
                       mx_array*** outputs);
/* mx_trace_call_with with mx_trace_standin (same-value views). */
int mx_trace_call(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                  mx_array*** standins, int* n_out, mx_array*** outputs);

#endif
