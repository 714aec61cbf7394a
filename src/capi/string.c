/* mlx_string: the handle owns one malloc'd NUL-terminated char* (ctx). */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

static char* copy_text(const char* text) {
  size_t n = strlen(text) + 1;
  char* p = malloc(n);
  if (p) memcpy(p, text, n);
  else mx_error(MX_ERR_MEMORY, "[string] Out of memory.");
  return p;
}

mlx_string mlx_string_new(void) { return (mlx_string){NULL}; }

mlx_string mlx_string_new_data(const char* str) {
  if (!str) {
    mx__capi_failf(MX_ERR_VALUE, "[mlx_string_new_data] The string is NULL.");
    return (mlx_string){NULL};
  }
  char* p = copy_text(str);
  if (!p) mx__capi_fail();
  return (mlx_string){p};
}

int mx__capi_put_string_owned(mlx_string* str, char* text) {
  if (!text) return mx__capi_fail();
  if (!str) {
    free(text);
    return mx__capi_null_output("string");
  }
  free(str->ctx);
  str->ctx = text;
  return 0;
}

int mx__capi_put_string(mlx_string* str, const char* text) {
  return mx__capi_put_string_owned(str, copy_text(text));
}

int mlx_string_set(mlx_string* str, const mlx_string src) {
  if (!str) return mx__capi_null_output("mlx_string_set");
  if (str->ctx == src.ctx) return 0; /* setting a string to itself */
  return mx__capi_put_string(str, mlx_string_data(src));
}

const char* mlx_string_data(mlx_string str) { return str.ctx ? (const char*)str.ctx : ""; }

int mlx_string_free(mlx_string str) {
  free(str.ctx);
  return 0;
}
