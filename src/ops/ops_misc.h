/* Op constructors of the misc family: graph utilities that are not math.
 * Conventions as in ops.h: new references, NULL with an error set. */
#ifndef MX_OPS_MISC_H
#define MX_OPS_MISC_H

#include "core/core.h"

/* mx.depends: outs[i] has the value of inputs[i] but is computed only after
 * every array of `deps` is; evaluating an output therefore evaluates the
 * dependencies too.  Each output is a COPY node whose first input is
 * inputs[i] and whose further inputs are the dependencies (the copy kernel
 * reads input 0 only and shares its buffer when it is contiguous, so no data
 * moves).  Transforms must treat inputs after the first as constants.
 * Returns 0, or -1 (MX_ERR_VALUE for NULL arrays or n_in < 1) with outs
 * untouched. */
int mx_depends(int n_in, mx_array* const* inputs, int n_deps, mx_array* const* deps,
               mx_stream s, mx_array** outs);

#endif
