/* Evaluation of several arrays at once.  (The function transforms of
 * mlx-c's transforms.h, such as vjp and grad, are declared here once the
 * library provides them.) */
#ifndef MLX_TRANSFORMS_H
#define MLX_TRANSFORMS_H

#include "mlx/c/array.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Computes every array in `outputs` (sharing the work their graphs have
 * in common) and waits for them. */
int mlx_eval(const mlx_vector_array outputs);
/** Starts computing every array in `outputs` and returns at once; reading
 * an array's values (or mlx_eval) later waits for it. */
int mlx_async_eval(const mlx_vector_array outputs);

#ifdef __cplusplus
}
#endif

#endif
