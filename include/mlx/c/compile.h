/* Compiling closures: a compiled closure traces its function once per
 * input signature (shapes and dtypes; dtypes and ranks only when
 * shapeless) and replays the simplified, fused graph afterwards. */
#ifndef MLX_COMPILE_H
#define MLX_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlx/c/array.h"
#include "mlx/c/closure.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mlx_compile_mode_ {
  MLX_COMPILE_MODE_DISABLED,
  MLX_COMPILE_MODE_NO_SIMPLIFY,
  MLX_COMPILE_MODE_NO_FUSE,
  MLX_COMPILE_MODE_ENABLED
} mlx_compile_mode;
/** A closure computing `fun` through compiled traces. */
int mlx_compile(mlx_closure* res, const mlx_closure fun, bool shapeless);
/** mlx_compile for bindings that key traces themselves; fun_id and
 * constants are accepted and not needed here (each closure keeps its own
 * traces). */
int mlx_detail_compile(mlx_closure* res, const mlx_closure fun, uintptr_t fun_id, bool shapeless,
                       const uint64_t* constants, size_t constants_num);
/** Nothing to do: traces belong to their closures and go with them. */
int mlx_detail_compile_clear_cache(void);
int mlx_detail_compile_erase(uintptr_t fun_id);
/** Compiled closures call their function directly while disabled. */
int mlx_disable_compile(void);
int mlx_enable_compile(void);
/** DISABLED disables compilation; the other modes enable it (this library
 * always simplifies and fuses). */
int mlx_set_compile_mode(mlx_compile_mode mode);

#ifdef __cplusplus
}
#endif

#endif
