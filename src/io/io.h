/* Array files: .npy, .npz, .safetensors and .gguf (internal API).
 *
 * Every format reads from an mx_io_reader and writes to an mx_io_writer, so
 * the same parser serves file paths, memory (the Python layer hands file-like
 * objects over as bytes, the fuzz targets feed raw buffers) and the mlx-c
 * reader/writer vtables.
 *
 * Readers know their total size up front.  Parsers check every length and
 * offset they take from a file against that size before they allocate or
 * read, so a malformed or truncated file gives an error (RuntimeError, or
 * ValueError for .npz as MLX raises), never a crash or a huge allocation.
 * Loading is eager: the returned arrays are evaluated leaves holding a copy
 * of the file's bytes, so nothing refers back to the reader afterwards. */
#ifndef MX_IO_IO_H
#define MX_IO_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* --- byte sources and sinks ------------------------------------------------ */

typedef struct mx_io_reader {
  void* ctx;
  /* Copies bytes [off, off+n) into dst.  Returns 0, or -1 with an error set.
   * Callers never ask for bytes past `size`. */
  int (*read_at)(void* ctx, void* dst, size_t n, uint64_t off);
  uint64_t size;     /* total bytes available */
  const char* label; /* the file name, for messages */
  const void* mem;   /* memory readers: the bytes themselves (read_at unused) */
} mx_io_reader;

typedef struct mx_io_writer {
  void* ctx;
  /* Appends n bytes.  Returns 0, or -1 with an error set. */
  int (*write)(void* ctx, const void* src, size_t n);
  const char* label;
} mx_io_writer;

/* A reader over `n` bytes at `data` (borrowed; must outlive the reader). */
mx_io_reader mx_io_reader_memory(const void* data, size_t n, const char* label);
/* A reader over an open file (the caller closes it); fails when the file
 * cannot be measured. */
int mx_io_reader_file(void* fp, const char* label, mx_io_reader* out);

/* A growable in-memory sink.  Release its bytes with free(mem->data). */
typedef struct mx_io_membuf {
  unsigned char* data;
  size_t size, cap;
} mx_io_membuf;
mx_io_writer mx_io_writer_memory(mx_io_membuf* mem, const char* label);
mx_io_writer mx_io_writer_file(void* fp, const char* label);

/* --- named collections ------------------------------------------------------ */

/* An ordered list of (name, array) pairs; names and array references owned. */
typedef struct mx_io_arrays {
  int n, cap;
  char** names;
  mx_array** arrays;
} mx_io_arrays;
/* Appends a copy of `name` and a new reference to `a`. 0 / -1. */
int mx_io_arrays_push(mx_io_arrays* l, const char* name, mx_array* a);
/* Appends, taking over the reference `a` (released on failure too). */
int mx_io_arrays_push_owned(mx_io_arrays* l, const char* name, mx_array* a);
void mx_io_arrays_free(mx_io_arrays* l);

/* An ordered string -> string list (safetensors metadata). */
typedef struct mx_io_strings {
  int n, cap;
  char** keys;
  char** values;
} mx_io_strings;
int mx_io_strings_push(mx_io_strings* l, const char* key, const char* value);
void mx_io_strings_free(mx_io_strings* l);

/* One GGUF metadata value, as MLX represents them: an array (scalars are 0-d
 * arrays), a string, or a list of strings. */
typedef enum mx_gguf_kind {
  MX_GGUF_NONE = 0,
  MX_GGUF_ARRAY = 1,
  MX_GGUF_STRING = 2,
  MX_GGUF_STRINGS = 3,
} mx_gguf_kind;

typedef struct mx_gguf_value {
  mx_gguf_kind kind;
  mx_array* array; /* ARRAY: one reference */
  char* str;       /* STRING */
  int n_strs;      /* STRINGS */
  char** strs;
} mx_gguf_value;

typedef struct mx_io_gguf_meta {
  int n, cap;
  char** keys;
  mx_gguf_value* values;
} mx_io_gguf_meta;
/* Appends `key` with a deep copy of `v` (array retained, strings copied). */
int mx_io_gguf_meta_push(mx_io_gguf_meta* l, const char* key, const mx_gguf_value* v);
int mx_gguf_value_copy(mx_gguf_value* dst, const mx_gguf_value* src);
void mx_gguf_value_clear(mx_gguf_value* v);
void mx_io_gguf_meta_free(mx_io_gguf_meta* l);

/* --- formats ------------------------------------------------------------------ */

mx_array* mx_load_npy(const mx_io_reader* r);
int mx_save_npy(const mx_io_writer* w, mx_array* a);

int mx_load_npz(const mx_io_reader* r, mx_io_arrays* out);
int mx_save_npz(const mx_io_writer* w, const mx_io_arrays* arrays, bool compressed);

int mx_load_safetensors(const mx_io_reader* r, mx_io_arrays* out, mx_io_strings* meta);
int mx_save_safetensors(const mx_io_writer* w, const mx_io_arrays* arrays,
                        const mx_io_strings* meta);

int mx_load_gguf(const mx_io_reader* r, mx_io_arrays* out, mx_io_gguf_meta* meta);
int mx_save_gguf(const mx_io_writer* w, const mx_io_arrays* arrays, const mx_io_gguf_meta* meta);

/* Path conveniences: open the file, run the format, close it.  Errors for a
 * file that cannot be opened follow MLX ("[load] Failed to open file X"). */
mx_array* mx_load_npy_path(const char* path);
int mx_save_npy_path(const char* path, mx_array* a);
int mx_load_npz_path(const char* path, mx_io_arrays* out);
int mx_save_npz_path(const char* path, const mx_io_arrays* arrays, bool compressed);
int mx_load_safetensors_path(const char* path, mx_io_arrays* out, mx_io_strings* meta);
int mx_save_safetensors_path(const char* path, const mx_io_arrays* arrays,
                             const mx_io_strings* meta);
int mx_load_gguf_path(const char* path, mx_io_arrays* out, mx_io_gguf_meta* meta);
int mx_save_gguf_path(const char* path, const mx_io_arrays* arrays, const mx_io_gguf_meta* meta);

/* --- helpers shared by the format files (io_common.c) ----------------------- */

/* Reads exactly n bytes at off, failing with "[fn] ..." when the source is
 * shorter (the checked form of r->read_at). */
int mx__io_read(const mx_io_reader* r, const char* fn, void* dst, size_t n, uint64_t off);
int mx__io_write(const mx_io_writer* w, const void* src, size_t n);
/* Evaluates `a` and returns a row-contiguous version of it (new reference)
 * whose host bytes can be written out as they are. */
mx_array* mx__io_host_contiguous(mx_array* a);
/* A fresh evaluated row-major array of `shape` whose n*itemsize bytes are
 * read from `r` at `off` (the caller has checked the range). */
mx_array* mx__io_read_array(const mx_io_reader* r, const char* fn, uint64_t off, mx_dtype dtype,
                            int ndim, const int* shape);
/* Element count of a shape given as 64-bit dims, checked: each dim fits an
 * int (MLX's shape type) and count * itemsize does not overflow and fits in
 * `limit` bytes.  Returns the byte size, or -1 (error set, kind `kind`). */
int64_t mx__io_checked_nbytes(int ndim, const uint64_t* dims, size_t itemsize, uint64_t limit,
                              const char* fn, const char* what, mx_error_kind kind);
/* strdup that reports out-of-memory. */
char* mx__io_strdup(const char* s);
char* mx__io_strndup(const char* s, size_t n);
/* Byte swaps n elements of `size` bytes in place. */
void mx__io_byteswap(void* data, size_t n, size_t size);

#endif
