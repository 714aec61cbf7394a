/* mlx-c's implementation-detail transforms: vmap split into its trace and
 * its replay, for bindings that drive vmap themselves.
 *
 * mlx_detail_vmap_trace runs `fun` on one slice of each input mapped along
 * in_axes[i] (-1: passed whole) and returns the stand-in inputs (res_0) and
 * the traced outputs (res_1).  mlx_detail_vmap_replace replays that graph on
 * the full `inputs`, putting each output's mapped axis at out_axes[i].
 * Both return 0, or 1 after reporting the error. */
#ifndef MLX_TRANSFORMS_IMPL_H
#define MLX_TRANSFORMS_IMPL_H

#include <stddef.h>

#include "mlx/c/array.h"
#include "mlx/c/closure.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

int mlx_detail_vmap_replace(mlx_vector_array* res, const mlx_vector_array inputs,
                            const mlx_vector_array s_inputs, const mlx_vector_array s_outputs,
                            const int* in_axes, size_t in_axes_num, const int* out_axes,
                            size_t out_axes_num);
int mlx_detail_vmap_trace(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
                          const mlx_vector_array inputs, const int* in_axes, size_t in_axes_num);

#ifdef __cplusplus
}
#endif

#endif
