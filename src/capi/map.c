/* mlx_map_string_to_array and mlx_map_string_to_string.
 *
 * A map handle's ctx is the ordered list type of src/io (mx_io_arrays or
 * mx_io_strings), so the io functions can use maps without converting them.
 * Lookups are linear: maps hold model weights (hundreds to a few thousand
 * entries), where a scan per insert is cheap next to the arrays themselves.
 * An iterator's ctx is a heap-allocated position and map_ctx the list. */
#include <stdlib.h>
#include <string.h>

#include "capi.h"
#include "io/io.h"

static void* new_list(size_t size, const char* fn) {
  void* p = calloc(1, size);
  if (!p) mx__capi_failf(MX_ERR_MEMORY, "[%s] Out of memory.", fn);
  return p;
}

static int find(char** keys, int n, const char* key) {
  for (int i = 0; i < n; i++)
    if (strcmp(keys[i], key) == 0) return i;
  return -1;
}

/* --- string -> array ----------------------------------------------------------- */

mlx_map_string_to_array mlx_map_string_to_array_new(void) {
  return (mlx_map_string_to_array){new_list(sizeof(mx_io_arrays), "mlx_map_string_to_array_new")};
}

int mlx_map_string_to_array_free(mlx_map_string_to_array map) {
  if (map.ctx) {
    mx_io_arrays_free(map.ctx);
    free(map.ctx);
  }
  return 0;
}

int mlx_map_string_to_array_insert(mlx_map_string_to_array map, const char* key,
                                   const mlx_array value) {
  mx_io_arrays* l = map.ctx;
  if (!l || !key) return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_array_insert] Empty map or key.");
  ARG(a, value);
  int i = find(l->names, l->n, key);
  if (i >= 0) {
    mx_array_retain(a);
    mx_array_release(l->arrays[i]);
    l->arrays[i] = a;
    return 0;
  }
  return mx_io_arrays_push(l, key, a) == 0 ? 0 : mx__capi_fail();
}

int mlx_map_string_to_array_get(mlx_array* value, const mlx_map_string_to_array map,
                                const char* key) {
  OUT(value, "mlx_map_string_to_array_get");
  mx_io_arrays* l = map.ctx;
  if (!l || !key) return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_array_get] Empty map or key.");
  int i = find(l->names, l->n, key);
  if (i < 0) return 2;
  mx_array_retain(l->arrays[i]);
  return mx__capi_put_array(value, l->arrays[i]);
}

int mlx_map_string_to_array_set(mlx_map_string_to_array* map, const mlx_map_string_to_array src) {
  if (!map) return mx__capi_null_output("mlx_map_string_to_array_set");
  if (map->ctx == src.ctx) return 0;
  mx_io_arrays copy = {0};
  const mx_io_arrays* s = src.ctx;
  for (int i = 0; s && i < s->n; i++)
    if (mx_io_arrays_push(&copy, s->names[i], s->arrays[i]) != 0) {
      mx_io_arrays_free(&copy);
      return mx__capi_fail();
    }
  if (!map->ctx && !(map->ctx = new_list(sizeof(mx_io_arrays), "mlx_map_string_to_array_set"))) {
    mx_io_arrays_free(&copy);
    return 1;
  }
  mx_io_arrays_free(map->ctx);
  *(mx_io_arrays*)map->ctx = copy;
  return 0;
}

mlx_map_string_to_array_iterator mlx_map_string_to_array_iterator_new(mlx_map_string_to_array map) {
  int* pos = new_list(sizeof(int), "mlx_map_string_to_array_iterator_new");
  return (mlx_map_string_to_array_iterator){pos, pos ? map.ctx : NULL};
}

int mlx_map_string_to_array_iterator_free(mlx_map_string_to_array_iterator it) {
  free(it.ctx);
  return 0;
}

int mlx_map_string_to_array_iterator_next(const char** key, mlx_array* value,
                                          mlx_map_string_to_array_iterator it) {
  if (!key || !value) return mx__capi_null_output("mlx_map_string_to_array_iterator_next");
  int* pos = it.ctx;
  const mx_io_arrays* l = it.map_ctx;
  if (!pos) return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_array_iterator_next] Empty iterator.");
  if (!l || *pos >= l->n) return 2;
  mx_array_retain(l->arrays[*pos]);
  if (mx__capi_put_array(value, l->arrays[*pos]) != 0) return 1;
  *key = l->names[*pos];
  (*pos)++;
  return 0;
}

/* --- string -> string ------------------------------------------------------------ */

mlx_map_string_to_string mlx_map_string_to_string_new(void) {
  return (mlx_map_string_to_string){
      new_list(sizeof(mx_io_strings), "mlx_map_string_to_string_new")};
}

int mlx_map_string_to_string_free(mlx_map_string_to_string map) {
  if (map.ctx) {
    mx_io_strings_free(map.ctx);
    free(map.ctx);
  }
  return 0;
}

int mlx_map_string_to_string_insert(mlx_map_string_to_string map, const char* key,
                                    const char* value) {
  mx_io_strings* l = map.ctx;
  if (!l || !key || !value)
    return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_string_insert] Empty map, key or value.");
  int i = find(l->keys, l->n, key);
  if (i >= 0) {
    char* v = mx__io_strdup(value);
    if (!v) return mx__capi_fail();
    free(l->values[i]);
    l->values[i] = v;
    return 0;
  }
  return mx_io_strings_push(l, key, value) == 0 ? 0 : mx__capi_fail();
}

int mlx_map_string_to_string_get(const char** value, const mlx_map_string_to_string map,
                                 const char* key) {
  OUT(value, "mlx_map_string_to_string_get");
  mx_io_strings* l = map.ctx;
  if (!l || !key) return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_string_get] Empty map or key.");
  int i = find(l->keys, l->n, key);
  if (i < 0) return 2;
  *value = l->values[i];
  return 0;
}

int mlx_map_string_to_string_set(mlx_map_string_to_string* map,
                                 const mlx_map_string_to_string src) {
  if (!map) return mx__capi_null_output("mlx_map_string_to_string_set");
  if (map->ctx == src.ctx) return 0;
  mx_io_strings copy = {0};
  const mx_io_strings* s = src.ctx;
  for (int i = 0; s && i < s->n; i++)
    if (mx_io_strings_push(&copy, s->keys[i], s->values[i]) != 0) {
      mx_io_strings_free(&copy);
      return mx__capi_fail();
    }
  if (!map->ctx && !(map->ctx = new_list(sizeof(mx_io_strings), "mlx_map_string_to_string_set"))) {
    mx_io_strings_free(&copy);
    return 1;
  }
  mx_io_strings_free(map->ctx);
  *(mx_io_strings*)map->ctx = copy;
  return 0;
}

mlx_map_string_to_string_iterator mlx_map_string_to_string_iterator_new(
    mlx_map_string_to_string map) {
  int* pos = new_list(sizeof(int), "mlx_map_string_to_string_iterator_new");
  return (mlx_map_string_to_string_iterator){pos, pos ? map.ctx : NULL};
}

int mlx_map_string_to_string_iterator_free(mlx_map_string_to_string_iterator it) {
  free(it.ctx);
  return 0;
}

int mlx_map_string_to_string_iterator_next(const char** key, const char** value,
                                           mlx_map_string_to_string_iterator it) {
  if (!key || !value) return mx__capi_null_output("mlx_map_string_to_string_iterator_next");
  int* pos = it.ctx;
  const mx_io_strings* l = it.map_ctx;
  if (!pos) return mx__capi_failf(MX_ERR_VALUE, "[mlx_map_string_to_string_iterator_next] Empty iterator.");
  if (!l || *pos >= l->n) return 2;
  *key = l->keys[*pos];
  *value = l->values[*pos];
  (*pos)++;
  return 0;
}
