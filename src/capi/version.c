/* The library version, from the single definition in core.h. */
#include "capi.h"

int mlx_version(mlx_string* str_) {
  if (!str_) return mx__capi_null_output("mlx_version");
  return mx__capi_put_string(str_, MX_VERSION_STRING);
}
