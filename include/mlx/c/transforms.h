/* Function transforms over closures (vjp, jvp, value_and_grad, custom
 * rules, checkpointing) and evaluation of several arrays at once.
 * Results go to the handles passed by pointer (outputs first, as in
 * mlx-c); every function returns 0, or 1 after calling the error handler. */
#ifndef MLX_TRANSFORMS_H
#define MLX_TRANSFORMS_H

#include <stddef.h>

#include "mlx/c/array.h"
#include "mlx/c/closure.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Starts computing every array in `outputs` and returns at once; reading
 * an array's values (or mlx_eval) later waits for it. */
int mlx_async_eval(const mlx_vector_array outputs);
/** A closure computing `fun` whose gradient recomputes `fun`'s intermediate
 * values in the backward pass instead of keeping them. */
int mlx_checkpoint(mlx_closure* res, const mlx_closure fun);
/** A closure computing `fun` whose vjp, jvp and vmap are the given closures;
 * an empty handle (ctx == NULL) keeps `fun`'s own transform. */
int mlx_custom_function(mlx_closure* res, const mlx_closure fun,
                        const mlx_closure_custom fun_vjp /* may be null */,
                        const mlx_closure_custom_jvp fun_jvp /* may be null */,
                        const mlx_closure_custom_vmap fun_vmap /* may be null */);
/** mlx_custom_function with only the vjp replaced. */
int mlx_custom_vjp(mlx_closure* res, const mlx_closure fun, const mlx_closure_custom fun_vjp);
/** Computes every array in `outputs` (sharing the work their graphs have
 * in common) and waits for them. */
int mlx_eval(const mlx_vector_array outputs);
/** The outputs of `fun` at `primals` (res_0) and the Jacobian-vector
 * products with `tangents`, one per output (res_1). */
int mlx_jvp(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
            const mlx_vector_array primals, const mlx_vector_array tangents);
/** A closure returning `fun`'s outputs and the gradient of its first
 * output (a scalar) with respect to the inputs listed in argnums. */
int mlx_value_and_grad(mlx_closure_value_and_grad* res, const mlx_closure fun, const int* argnums,
                       size_t argnums_num);
/** The outputs of `fun` at `primals` (res_0) and the vector-Jacobian
 * products of `cotangents`, one per primal (res_1). */
int mlx_vjp(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
            const mlx_vector_array primals, const mlx_vector_array cotangents);

#ifdef __cplusplus
}
#endif

#endif
