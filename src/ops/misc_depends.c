/* mx_depends: ordering edges in the graph (see ops_misc.h). */
#include <stdlib.h>

#include "ops/ops_misc.h"

int mx_depends(int n_in, mx_array* const* inputs, int n_deps, mx_array* const* deps,
               mx_stream s, mx_array** outs) {
  if (n_in < 1 || n_deps < 0 || !inputs || (n_deps > 0 && !deps))
    return mx_error(MX_ERR_VALUE, "[depends] At least one input is required.");
  for (int i = 0; i < n_in; i++)
    if (!inputs[i]) return mx_error(MX_ERR_VALUE, "[depends] Invalid (null) input array.");
  for (int i = 0; i < n_deps; i++)
    if (!deps[i]) return mx_error(MX_ERR_VALUE, "[depends] Invalid (null) dependency array.");
  /* One node input list reused for every output: [input i, deps...]. */
  mx_array** ins = malloc(sizeof *ins * (size_t)(n_deps + 1));
  if (!ins) return mx_error(MX_ERR_MEMORY, "[depends] Out of memory.");
  for (int j = 0; j < n_deps; j++) ins[j + 1] = deps[j];
  int made = 0;
  for (; made < n_in; made++) {
    ins[0] = inputs[made];
    outs[made] = mx_array_make(MX_PRIM_COPY, NULL, 0, s, n_deps + 1, ins, inputs[made]->dtype,
                               inputs[made]->ndim, inputs[made]->shape);
    if (!outs[made]) break;
  }
  free(ins);
  if (made == n_in) return 0;
  while (made-- > 0) {
    mx_array_release(outs[made]);
    outs[made] = NULL;
  }
  return -1;
}
