/* Op constructors of the reduce_sort family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_REDUCE_SORT_H
#define MX_OPS_REDUCE_SORT_H

#include "../core/core.h"

#endif
