/* Op constructors of the shape family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream). */
#ifndef MX_OPS_SHAPE_H
#define MX_OPS_SHAPE_H

#include "../core/core.h"

#endif
