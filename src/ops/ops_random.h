/* Op constructors of the random family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_RANDOM_H
#define MX_OPS_RANDOM_H

#include "../core/core.h"

#endif
