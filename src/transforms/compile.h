/* mx.compile: trace a function once per signature, simplify the graph,
 * fuse elementwise chains, and replay it on new inputs.
 *
 * A trace runs the function on placeholder arrays (shape and dtype, no
 * data) and records the nodes between them and the outputs as a list of
 * steps: primitive, parameters, stream, where each input comes from (a
 * function input, an earlier step, or a constant array captured from
 * outside), and output shapes.  Then:
 *   - steps computing the same primitive with the same parameters on the
 *     same inputs are merged (common subexpressions), and so are equal
 *     scalar constants;
 *   - no-ops are removed (broadcast/reshape to the same shape, astype to
 *     the same dtype, identity transposes);
 *   - connected elementwise steps of one output shape on a CPU stream are
 *     grouped; a replay runs each group as one COMPILED node, one pass
 *     over memory (src/backend/cpu/compiled.c), with no code generation.
 * A replay builds ordinary lazy nodes, so compiled functions compose with
 * the other transforms; under a transform (vjp/jvp/vmap tracing) groups
 * are replayed unfused so every primitive's rule applies. */
#ifndef MX_TRANSFORMS_COMPILE_H
#define MX_TRANSFORMS_COMPILE_H

#include "transforms.h"

typedef struct mx_compiled mx_compiled;

/* Traces fn on placeholders shaped and typed like `inputs` (their values
 * are not read).  Returns NULL with an error set when fn fails. */
mx_compiled* mx_compile_trace(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                              bool shapeless);
/* Runs a trace on `inputs` (same count and dtypes as traced; same shapes
 * unless traced shapeless).  Writes the outputs. */
int mx_compile_run(mx_compiled* c, int n_in, mx_array* const* inputs, int* n_out,
                   mx_array*** outputs);
void mx_compiled_free(mx_compiled* c);

/* Steps and fused groups of a trace, for tests and benchmarks. */
void mx_compiled_stats(const mx_compiled* c, int* n_steps, int* n_groups, int* n_fused_steps);

/* mx.disable_compile / enable_compile; the MLX_DISABLE_COMPILE environment
 * variable starts it disabled.  While disabled, callers run the function
 * itself. */
void mx_compile_set_enabled(bool on);
bool mx_compile_enabled(void);

#endif
