/* Op constructors of the indexing family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_INDEXING_H
#define MX_OPS_INDEXING_H

#include "../core/core.h"

#endif
