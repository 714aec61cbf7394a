/* Op constructors of the unary family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_UNARY_H
#define MX_OPS_UNARY_H

#include "../core/core.h"

#endif
