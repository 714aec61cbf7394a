/* The core layer's one header: arrays, dtypes, buffers, streams, eval and
 * errors.  Layers above (ops, capi, python) include only this and ops.h. */
#ifndef MX_CORE_CORE_H
#define MX_CORE_CORE_H

#include "array.h"
#include "buffer.h"
#include "dtype.h"
#include "error.h"
#include "eval.h"
#include "primitive.h"
#include "print.h"
#include "stream.h"

#define MX_VERSION_STRING "0.1.0"

#endif
