/* Helpers shared by the reduce_sort family's CPU kernels (argreduce.c,
 * scan.c, sort.c, softmax.c, isclose.c). */
#ifndef MX_BACKEND_CPU_RS_COMMON_H
#define MX_BACKEND_CPU_RS_COMMON_H

#include "cpu_internal.h"

/* An input seen as a row-contiguous (outer, n, inner) block around one
 * axis: `n` is the axis length, `outer` the product of the dims before it
 * and `inner` of those after it. */
typedef struct mx__rs_view {
  const char* data;
  char* owned; /* a row-contiguous copy when the input was not one */
  int64_t outer, n, inner;
} mx__rs_view;

/* Fills `v` for `in` around `axis` (copying into a fresh buffer when `in`
 * is not row-contiguous).  Returns 0, or -1 (MX_ERR_MEMORY). */
int mx__rs_view_of(mx_array* in, int axis, mx__rs_view* v);
void mx__rs_view_free(mx__rs_view* v);

#endif
