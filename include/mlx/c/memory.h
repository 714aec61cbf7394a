/* Memory statistics and limits of the allocator (all sizes in bytes).
 *
 * "Active" memory is held by live arrays; "cache" memory was freed by
 * arrays and is kept for reuse; "peak" is the highest active figure since
 * the start or the last reset.  Setters write the previous value to `*res`.
 * All functions are thread safe and return 0 (they cannot fail). */
#ifndef MLX_MEMORY_H
#define MLX_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Returns cached memory to the system. */
int mlx_clear_cache(void);
/** Memory held by live arrays. */
int mlx_get_active_memory(size_t* res);
/** Memory kept in the cache. */
int mlx_get_cache_memory(size_t* res);
/** The limit on active memory: an allocation that would go past it fails
 * (after the cache has been emptied to make room). */
int mlx_get_memory_limit(size_t* res);
/** The highest active memory seen. */
int mlx_get_peak_memory(size_t* res);
/** Restarts peak tracking from the current active memory. */
int mlx_reset_peak_memory(void);
/** Sets the most memory the cache may keep. */
int mlx_set_cache_limit(size_t* res, size_t limit);
/** Sets the memory limit. */
int mlx_set_memory_limit(size_t* res, size_t limit);
/** Accepted for compatibility; wiring memory has no meaning on Linux. */
int mlx_set_wired_limit(size_t* res, size_t limit);

#ifdef __cplusplus
}
#endif

#endif
