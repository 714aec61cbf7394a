/* mlx_string: an owned, NUL-terminated string handle.
 *
 * Functions that produce text (mlx_array_tostring, mlx_version, ...) write
 * into an mlx_string the caller created with mlx_string_new() and later
 * releases with mlx_string_free().  A handle made by mlx_string_new() is
 * empty (ctx == NULL); writing into it allocates.  Handles are not thread
 * safe: one thread at a time may use a given handle. */
#ifndef MLX_STRING_H
#define MLX_STRING_H

#ifdef __cplusplus
extern "C" {
#endif

/** A string handle.  `ctx` is private to the library. */
typedef struct mlx_string_ {
  void* ctx;
} mlx_string;

/** An empty string handle; nothing is allocated until something is written. */
mlx_string mlx_string_new(void);

/** A new string holding a copy of the NUL-terminated `str`. */
mlx_string mlx_string_new_data(const char* str);

/** Makes `*str` hold a copy of `src`'s text.  Returns 0, or 1 on failure. */
int mlx_string_set(mlx_string* str, const mlx_string src);

/** The text, NUL-terminated ("" for an empty handle).  The pointer stays
 * valid until the handle is written to again or freed. */
const char* mlx_string_data(mlx_string str);

/** Releases the handle's memory.  Freeing an empty handle is a no-op. */
int mlx_string_free(mlx_string str);

#ifdef __cplusplus
}
#endif

#endif
