/* String-keyed maps: name -> array and name -> string.
 *
 * Used by the safetensors and GGUF functions (mlx/c/io.h).  A map made with
 * the _new function is empty and must be released with the _free function.
 * Inserting a key that is present replaces its value.  Iterators walk the
 * entries in insertion order; the key strings they hand out stay valid until
 * the map changes or is freed. */
#ifndef MLX_MAP_H
#define MLX_MAP_H

#include "mlx/c/array.h"
#include "mlx/c/string.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A map from names to arrays. */
typedef struct mlx_map_string_to_array_ {
  void* ctx;
} mlx_map_string_to_array;

mlx_map_string_to_array mlx_map_string_to_array_new(void);
/** Makes `*map` hold the entries of `src` (arrays are shared, not copied). */
int mlx_map_string_to_array_set(mlx_map_string_to_array* map, const mlx_map_string_to_array src);
int mlx_map_string_to_array_free(mlx_map_string_to_array map);
int mlx_map_string_to_array_insert(mlx_map_string_to_array map, const char* key,
                                   const mlx_array value);
/** Writes the array under `key` into `*value`; returns 2 when there is none. */
int mlx_map_string_to_array_get(mlx_array* value, const mlx_map_string_to_array map,
                                const char* key);

/** An iterator over a name -> array map. */
typedef struct mlx_map_string_to_array_iterator_ {
  void* ctx;
  void* map_ctx;
} mlx_map_string_to_array_iterator;

mlx_map_string_to_array_iterator mlx_map_string_to_array_iterator_new(mlx_map_string_to_array map);
int mlx_map_string_to_array_iterator_free(mlx_map_string_to_array_iterator it);
/** Writes the next entry and advances; returns 2 once all entries were seen. */
int mlx_map_string_to_array_iterator_next(const char** key, mlx_array* value,
                                          mlx_map_string_to_array_iterator it);

/** A map from names to strings. */
typedef struct mlx_map_string_to_string_ {
  void* ctx;
} mlx_map_string_to_string;

mlx_map_string_to_string mlx_map_string_to_string_new(void);
int mlx_map_string_to_string_set(mlx_map_string_to_string* map,
                                 const mlx_map_string_to_string src);
int mlx_map_string_to_string_free(mlx_map_string_to_string map);
int mlx_map_string_to_string_insert(mlx_map_string_to_string map, const char* key,
                                    const char* value);
/** Points `*value` at the string under `key`; returns 2 when there is none. */
int mlx_map_string_to_string_get(const char** value, const mlx_map_string_to_string map,
                                 const char* key);

/** An iterator over a name -> string map. */
typedef struct mlx_map_string_to_string_iterator_ {
  void* ctx;
  void* map_ctx;
} mlx_map_string_to_string_iterator;

mlx_map_string_to_string_iterator mlx_map_string_to_string_iterator_new(
    mlx_map_string_to_string map);
int mlx_map_string_to_string_iterator_free(mlx_map_string_to_string_iterator it);
int mlx_map_string_to_string_iterator_next(const char** key, const char** value,
                                           mlx_map_string_to_string_iterator it);

#ifdef __cplusplus
}
#endif

#endif
