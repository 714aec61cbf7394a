/* Memory statistics and limits: direct calls into the allocator. */
#include "capi.h"

int mlx_clear_cache(void) {
  mx_memory_clear_cache();
  return 0;
}

/* Each getter checks its output pointer, then reads one allocator figure. */
#define MX_CAPI_GETTER(fn, read) \
  int fn(size_t* res) {          \
    if (!res) return mx__capi_null_output(#fn); \
    *res = read();               \
    return 0;                    \
  }
MX_CAPI_GETTER(mlx_get_active_memory, mx_memory_active)
MX_CAPI_GETTER(mlx_get_cache_memory, mx_memory_cache)
MX_CAPI_GETTER(mlx_get_memory_limit, mx_memory_limit)
MX_CAPI_GETTER(mlx_get_peak_memory, mx_memory_peak)
#undef MX_CAPI_GETTER

int mlx_reset_peak_memory(void) {
  mx_memory_reset_peak();
  return 0;
}

#define MX_CAPI_SETTER(fn, set)             \
  int fn(size_t* res, size_t limit) {       \
    if (!res) return mx__capi_null_output(#fn); \
    *res = set(limit);                      \
    return 0;                               \
  }
MX_CAPI_SETTER(mlx_set_cache_limit, mx_memory_set_cache_limit)
MX_CAPI_SETTER(mlx_set_memory_limit, mx_memory_set_limit)
MX_CAPI_SETTER(mlx_set_wired_limit, mx_memory_set_wired_limit)
#undef MX_CAPI_SETTER
