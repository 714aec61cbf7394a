/* Op constructors of the linalg_conv family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_LINALG_CONV_H
#define MX_OPS_LINALG_CONV_H

#include "../core/core.h"

#endif
