/* Shared pieces of the array-file formats: memory and FILE* readers and
 * writers, the named collections, checked reads and size arithmetic, and
 * the path wrappers around each format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "ops/ops.h"

/* --- readers ------------------------------------------------------------- */

mx_io_reader mx_io_reader_memory(const void* data, size_t n, const char* label) {
  return (mx_io_reader){NULL, NULL, n, label ? label : "<memory>", data};
}

static int file_read_at(void* ctx, void* dst, size_t n, uint64_t off) {
  FILE* f = ctx;
  if (off > (uint64_t)INT64_MAX || fseeko(f, (off_t)off, SEEK_SET) != 0 ||
      fread(dst, 1, n, f) != n)
    return mx_error(MX_ERR_RUNTIME, "[read] Unable to read %zu bytes from file.", n);
  return 0;
}

int mx_io_reader_file(void* fp, const char* label, mx_io_reader* out) {
  FILE* f = fp;
  if (fseeko(f, 0, SEEK_END) != 0) return mx_error(MX_ERR_RUNTIME, "[load] Cannot seek in %s", label);
  off_t end = ftello(f);
  if (end < 0) return mx_error(MX_ERR_RUNTIME, "[load] Cannot measure %s", label);
  *out = (mx_io_reader){f, file_read_at, (uint64_t)end, label, NULL};
  return 0;
}

/* --- writers ------------------------------------------------------------- */

static int mem_write(void* ctx, const void* src, size_t n) {
  mx_io_membuf* m = ctx;
  if (n > SIZE_MAX - m->size) return mx_error(MX_ERR_MEMORY, "[save] Output too large.");
  if (m->size + n > m->cap) {
    size_t cap = m->cap ? m->cap : 256;
    while (cap < m->size + n) cap = cap > SIZE_MAX / 2 ? m->size + n : cap * 2;
    unsigned char* d = realloc(m->data, cap);
    if (!d) return mx_error(MX_ERR_MEMORY, "[save] Out of memory.");
    m->data = d;
    m->cap = cap;
  }
  if (n) memcpy(m->data + m->size, src, n);
  m->size += n;
  return 0;
}

mx_io_writer mx_io_writer_memory(mx_io_membuf* mem, const char* label) {
  return (mx_io_writer){mem, mem_write, label ? label : "<memory>"};
}

static int file_write(void* ctx, const void* src, size_t n) {
  if (n && fwrite(src, 1, n, (FILE*)ctx) != n)
    return mx_error(MX_ERR_RUNTIME, "[save] Failed to write to file: %s", strerror(errno));
  return 0;
}

mx_io_writer mx_io_writer_file(void* fp, const char* label) {
  return (mx_io_writer){fp, file_write, label};
}

/* --- checked helpers ---------------------------------------------------------- */

int mx__io_read(const mx_io_reader* r, const char* fn, void* dst, size_t n, uint64_t off) {
  if (off > r->size || n > r->size - off)
    return mx_error(MX_ERR_RUNTIME, "[%s] Unable to read %zu bytes from file.", fn, n);
  if (r->mem) {
    if (n) memcpy(dst, (const unsigned char*)r->mem + off, n);
    return 0;
  }
  return r->read_at(r->ctx, dst, n, off);
}

int mx__io_write(const mx_io_writer* w, const void* src, size_t n) {
  return w->write(w->ctx, src, n);
}

mx_array* mx__io_host_contiguous(mx_array* a) {
  if (mx_array_eval(a) != 0) return NULL;
  if (a->flags & MX_FLAG_ROW_CONTIGUOUS) {
    mx_array_retain(a);
    return a;
  }
  mx_array* c = mx_copy(a, mx_default_stream((mx_device){MX_DEVICE_CPU, 0}));
  if (!c) return NULL;
  if (mx_array_eval(c) != 0) {
    mx_array_release(c);
    return NULL;
  }
  return c;
}

mx_array* mx__io_read_array(const mx_io_reader* r, const char* fn, uint64_t off, mx_dtype dtype,
                            int ndim, const int* shape) {
  mx_array* a = mx_array_from_data(NULL, dtype, ndim, shape);
  if (!a) return NULL;
  size_t nbytes = mx_array_nbytes(a);
  if (nbytes && mx__io_read(r, fn, mx_array_host_data(a), nbytes, off) != 0) {
    mx_array_release(a);
    return NULL;
  }
  return a;
}

int64_t mx__io_checked_nbytes(int ndim, const uint64_t* dims, size_t itemsize, uint64_t limit,
                              const char* fn, const char* what, mx_error_kind kind) {
  uint64_t count = 1;
  bool empty = false;
  for (int i = 0; i < ndim; i++) {
    if (dims[i] > (uint64_t)INT32_MAX)
      return mx_error(kind, "[%s] %s has a dimension of %llu, more than MLX shapes hold.", fn,
                      what, (unsigned long long)dims[i]);
    if (dims[i] == 0) empty = true;
  }
  if (empty) return 0;
  for (int i = 0; i < ndim; i++) {
    if (count > UINT64_MAX / dims[i]) goto too_big;
    count *= dims[i];
  }
  if (itemsize && count > UINT64_MAX / itemsize) goto too_big;
  if (count * itemsize > limit) goto too_big;
  return (int64_t)(count * itemsize);
too_big:
  return mx_error(kind,
                  "[%s] %s needs more bytes than the file holds. Perhaps an incomplete "
                  "download or corrupt file?",
                  fn, what);
}

char* mx__io_strndup(const char* s, size_t n) {
  char* d = malloc(n + 1);
  if (!d) {
    mx_error(MX_ERR_MEMORY, "[io] Out of memory.");
    return NULL;
  }
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char* mx__io_strdup(const char* s) { return mx__io_strndup(s, strlen(s)); }

void mx__io_byteswap(void* data, size_t n, size_t size) {
  unsigned char* p = data;
  for (size_t i = 0; i < n; i++, p += size)
    for (size_t a = 0, b = size - 1; a < b; a++, b--) {
      unsigned char t = p[a];
      p[a] = p[b];
      p[b] = t;
    }
}

/* --- collections ---------------------------------------------------------------- */

/* Grows three parallel arrays of a list to hold one more entry. */
static int grow(int* cap, int n, void** a, size_t sa, void** b, size_t sb) {
  if (n < *cap) return 0;
  int nc = *cap ? *cap * 2 : 8;
  void* na = realloc(*a, (size_t)nc * sa);
  if (!na) return mx_error(MX_ERR_MEMORY, "[io] Out of memory.");
  *a = na;
  void* nb = realloc(*b, (size_t)nc * sb);
  if (!nb) return mx_error(MX_ERR_MEMORY, "[io] Out of memory.");
  *b = nb;
  *cap = nc;
  return 0;
}

int mx_io_arrays_push_owned(mx_io_arrays* l, const char* name, mx_array* a) {
  char* nm = mx__io_strdup(name);
  if (!nm || grow(&l->cap, l->n, (void**)&l->names, sizeof(char*), (void**)&l->arrays,
                  sizeof(mx_array*)) != 0) {
    free(nm);
    mx_array_release(a);
    return -1;
  }
  l->names[l->n] = nm;
  l->arrays[l->n] = a;
  l->n++;
  return 0;
}

int mx_io_arrays_push(mx_io_arrays* l, const char* name, mx_array* a) {
  mx_array_retain(a);
  return mx_io_arrays_push_owned(l, name, a);
}

void mx_io_arrays_free(mx_io_arrays* l) {
  for (int i = 0; i < l->n; i++) {
    free(l->names[i]);
    mx_array_release(l->arrays[i]);
  }
  free(l->names);
  free(l->arrays);
  memset(l, 0, sizeof *l);
}

int mx_io_strings_push(mx_io_strings* l, const char* key, const char* value) {
  char* k = mx__io_strdup(key);
  char* v = k ? mx__io_strdup(value) : NULL;
  if (!v || grow(&l->cap, l->n, (void**)&l->keys, sizeof(char*), (void**)&l->values,
                 sizeof(char*)) != 0) {
    free(k);
    free(v);
    return -1;
  }
  l->keys[l->n] = k;
  l->values[l->n] = v;
  l->n++;
  return 0;
}

void mx_io_strings_free(mx_io_strings* l) {
  for (int i = 0; i < l->n; i++) {
    free(l->keys[i]);
    free(l->values[i]);
  }
  free(l->keys);
  free(l->values);
  memset(l, 0, sizeof *l);
}

void mx_gguf_value_clear(mx_gguf_value* v) {
  if (v->array) mx_array_release(v->array);
  free(v->str);
  for (int i = 0; i < v->n_strs; i++) free(v->strs[i]);
  free(v->strs);
  memset(v, 0, sizeof *v);
}

int mx_gguf_value_copy(mx_gguf_value* dst, const mx_gguf_value* src) {
  memset(dst, 0, sizeof *dst);
  dst->kind = src->kind;
  if (src->array) {
    mx_array_retain(src->array);
    dst->array = src->array;
  }
  if (src->str && !(dst->str = mx__io_strdup(src->str))) goto fail;
  if (src->n_strs) {
    dst->strs = calloc((size_t)src->n_strs, sizeof(char*));
    if (!dst->strs) {
      mx_error(MX_ERR_MEMORY, "[io] Out of memory.");
      goto fail;
    }
    for (int i = 0; i < src->n_strs; i++) {
      if (!(dst->strs[i] = mx__io_strdup(src->strs[i]))) goto fail;
      dst->n_strs = i + 1;
    }
  }
  return 0;
fail:
  mx_gguf_value_clear(dst);
  return -1;
}

int mx_io_gguf_meta_push(mx_io_gguf_meta* l, const char* key, const mx_gguf_value* v) {
  char* k = mx__io_strdup(key);
  if (!k || grow(&l->cap, l->n, (void**)&l->keys, sizeof(char*), (void**)&l->values,
                 sizeof(mx_gguf_value)) != 0) {
    free(k);
    return -1;
  }
  if (mx_gguf_value_copy(&l->values[l->n], v) != 0) {
    free(k);
    return -1;
  }
  l->keys[l->n] = k;
  l->n++;
  return 0;
}

void mx_io_gguf_meta_free(mx_io_gguf_meta* l) {
  for (int i = 0; i < l->n; i++) {
    free(l->keys[i]);
    mx_gguf_value_clear(&l->values[i]);
  }
  free(l->keys);
  free(l->values);
  memset(l, 0, sizeof *l);
}

/* --- path wrappers ------------------------------------------------------------------ */

static FILE* open_read(const char* path, mx_io_reader* r) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    mx_error(MX_ERR_RUNTIME, "[load] Failed to open file %s", path);
    return NULL;
  }
  if (mx_io_reader_file(f, path, r) != 0) {
    fclose(f);
    return NULL;
  }
  return f;
}

static FILE* open_write(const char* path) {
  FILE* f = fopen(path, "wb");
  if (!f) mx_error(MX_ERR_RUNTIME, "[save] Failed to open file %s", path);
  return f;
}

static int close_written(FILE* f, int rc, const char* path) {
  if (fclose(f) != 0 && rc == 0)
    return mx_error(MX_ERR_RUNTIME, "[save] Failed to write file %s", path);
  return rc;
}

mx_array* mx_load_npy_path(const char* path) {
  mx_io_reader r;
  FILE* f = open_read(path, &r);
  if (!f) return NULL;
  mx_array* a = mx_load_npy(&r);
  fclose(f);
  return a;
}

int mx_save_npy_path(const char* path, mx_array* a) {
  FILE* f = open_write(path);
  if (!f) return -1;
  mx_io_writer w = mx_io_writer_file(f, path);
  return close_written(f, mx_save_npy(&w, a), path);
}

int mx_load_npz_path(const char* path, mx_io_arrays* out) {
  mx_io_reader r;
  FILE* f = open_read(path, &r);
  if (!f) return -1;
  int rc = mx_load_npz(&r, out);
  fclose(f);
  return rc;
}

int mx_save_npz_path(const char* path, const mx_io_arrays* arrays, bool compressed) {
  FILE* f = open_write(path);
  if (!f) return -1;
  mx_io_writer w = mx_io_writer_file(f, path);
  return close_written(f, mx_save_npz(&w, arrays, compressed), path);
}

int mx_load_safetensors_path(const char* path, mx_io_arrays* out, mx_io_strings* meta) {
  mx_io_reader r;
  FILE* f = open_read(path, &r);
  if (!f) return -1;
  int rc = mx_load_safetensors(&r, out, meta);
  fclose(f);
  return rc;
}

int mx_save_safetensors_path(const char* path, const mx_io_arrays* arrays,
                             const mx_io_strings* meta) {
  FILE* f = open_write(path);
  if (!f) return -1;
  mx_io_writer w = mx_io_writer_file(f, path);
  return close_written(f, mx_save_safetensors(&w, arrays, meta), path);
}

int mx_load_gguf_path(const char* path, mx_io_arrays* out, mx_io_gguf_meta* meta) {
  mx_io_reader r;
  FILE* f = open_read(path, &r);
  if (!f) return -1;
  int rc = mx_load_gguf(&r, out, meta);
  fclose(f);
  return rc;
}

int mx_save_gguf_path(const char* path, const mx_io_arrays* arrays, const mx_io_gguf_meta* meta) {
  FILE* f = open_write(path);
  if (!f) return -1;
  mx_io_writer w = mx_io_writer_file(f, path);
  return close_written(f, mx_save_gguf(&w, arrays, meta), path);
}
