/* The library version. */
#ifndef MLX_VERSION_H
#define MLX_VERSION_H

#include "mlx/c/string.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Writes the version of the library, e.g. "0.1.0", into `*str_`. */
int mlx_version(mlx_string* str_);

#ifdef __cplusplus
}
#endif

#endif
