/* Custom byte sources and sinks for the load/save functions, and the GGUF
 * container type.
 *
 * A reader or writer wraps a user descriptor and a table of callbacks.  The
 * library loads eagerly, so a reader is no longer used once the load call
 * returns; the vtable's `free` callback (when not NULL) runs when the reader
 * or writer is freed. */
#ifndef MLX_IO_TYPES_H
#define MLX_IO_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlx/c/array.h"
#include "mlx/c/string.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A byte source backed by user callbacks. */
typedef struct mlx_io_reader_ {
  void* ctx;
} mlx_io_reader;
/** A byte sink backed by user callbacks. */
typedef struct mlx_io_writer_ {
  void* ctx;
} mlx_io_writer;

/** The callbacks of a reader or writer; each receives the user descriptor.
 * Readers use is_open, good, tell, seek and read_at_offset (read may be
 * used too); writers use is_open, good and write.  `label` names the
 * source in messages. */
typedef struct mlx_io_vtable_ {
  bool (*is_open)(void*);
  bool (*good)(void*);
  size_t (*tell)(void*);
  void (*seek)(void*, int64_t off, int whence);
  void (*read)(void*, char* data, size_t n);
  void (*read_at_offset)(void*, char* data, size_t n, size_t off);
  void (*write)(void*, const char* data, size_t n);
  const char* (*label)(void*);
  void (*free)(void*);
} mlx_io_vtable;

mlx_io_reader mlx_io_reader_new(void* desc, mlx_io_vtable vtable);
int mlx_io_reader_descriptor(void** desc_, mlx_io_reader io);
int mlx_io_reader_tostring(mlx_string* str_, mlx_io_reader io);
int mlx_io_reader_free(mlx_io_reader io);

mlx_io_writer mlx_io_writer_new(void* desc, mlx_io_vtable vtable);
int mlx_io_writer_descriptor(void** desc_, mlx_io_writer io);
int mlx_io_writer_tostring(mlx_string* str_, mlx_io_writer io);
int mlx_io_writer_free(mlx_io_writer io);

/** The contents of a GGUF file: named arrays plus metadata, where each
 * metadata value is an array, a string or a vector of strings. */
typedef struct mlx_io_gguf_ {
  void* ctx;
} mlx_io_gguf;

mlx_io_gguf mlx_io_gguf_new(void);
int mlx_io_gguf_free(mlx_io_gguf io);
/** The names of the arrays (not of the metadata). */
int mlx_io_gguf_get_keys(mlx_vector_string* keys, mlx_io_gguf io);
/* The getters return 2 when the key is absent and 3 when its metadata value
 * has another type; the has_ functions return 2 (flag false) when absent. */
int mlx_io_gguf_get_array(mlx_array* arr, mlx_io_gguf io, const char* key);
int mlx_io_gguf_get_metadata_array(mlx_array* arr, mlx_io_gguf io, const char* key);
int mlx_io_gguf_get_metadata_string(mlx_string* str, mlx_io_gguf io, const char* key);
int mlx_io_gguf_get_metadata_vector_string(mlx_vector_string* vstr, mlx_io_gguf io,
                                           const char* key);
int mlx_io_gguf_has_metadata_array(bool* flag, mlx_io_gguf io, const char* key);
int mlx_io_gguf_has_metadata_string(bool* flag, mlx_io_gguf io, const char* key);
int mlx_io_gguf_has_metadata_vector_string(bool* flag, mlx_io_gguf io, const char* key);
/* The setters add a key that is not there yet; an existing key is kept. */
int mlx_io_gguf_set_array(mlx_io_gguf io, const char* key, const mlx_array arr);
int mlx_io_gguf_set_metadata_array(mlx_io_gguf io, const char* key, const mlx_array marr);
int mlx_io_gguf_set_metadata_string(mlx_io_gguf io, const char* key, const char* mstr);
int mlx_io_gguf_set_metadata_vector_string(mlx_io_gguf io, const char* key,
                                           const mlx_vector_string mvstr);

#ifdef __cplusplus
}
#endif

#endif
