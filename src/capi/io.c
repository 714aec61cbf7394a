/* mlx-c's io.h and io_types.h: load/save from paths and from user readers
 * and writers, and the mlx_io_gguf container.
 *
 * A user reader becomes an mx_io_reader whose offsets count from the
 * reader's position when the load starts (its size found by seeking to the
 * end); every read goes through read_at_offset followed by a good() check.
 * A user writer becomes an mx_io_writer calling write() then good(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi.h"
#include "io/io.h"

typedef struct user_io {
  void* desc;
  mlx_io_vtable vt;
  uint64_t base; /* reader: position at the start of the current load */
} user_io;

static user_io* user_new(void* desc, mlx_io_vtable vt, const char* fn) {
  user_io* u = calloc(1, sizeof *u);
  if (!u) {
    mx__capi_failf(MX_ERR_MEMORY, "[%s] Out of memory.", fn);
    return NULL;
  }
  u->desc = desc;
  u->vt = vt;
  return u;
}

static const char* user_label(user_io* u) {
  const char* l = u->vt.label ? u->vt.label(u->desc) : NULL;
  return l ? l : "<custom stream>";
}

static bool user_good(user_io* u) { return !u->vt.good || u->vt.good(u->desc); }

static int user_read_at(void* ctx, void* dst, size_t n, uint64_t off) {
  user_io* u = ctx;
  u->vt.read_at_offset(u->desc, dst, n, (size_t)(u->base + off));
  if (!user_good(u))
    return mx_error(MX_ERR_RUNTIME, "[read] Unable to read %zu bytes from %s.", n, user_label(u));
  return 0;
}

static int user_write(void* ctx, const void* src, size_t n) {
  user_io* u = ctx;
  u->vt.write(u->desc, src, n);
  if (!user_good(u))
    return mx_error(MX_ERR_RUNTIME, "[write] Unable to write %zu bytes to %s.", n, user_label(u));
  return 0;
}

/* Prepares an mx_io_reader over a user reader. */
static int as_reader(mlx_io_reader in, mx_io_reader* r, const char* fn) {
  user_io* u = in.ctx;
  if (!u) return mx__capi_failf(MX_ERR_VALUE, "[%s] Empty reader.", fn);
  if (!u->vt.read_at_offset || !u->vt.tell || !u->vt.seek)
    return mx__capi_failf(MX_ERR_VALUE, "[%s] The reader needs tell, seek and read_at_offset.", fn);
  if (u->vt.is_open && !u->vt.is_open(u->desc))
    return mx__capi_failf(MX_ERR_RUNTIME, "[%s] Reader %s is not open.", fn, user_label(u));
  u->base = u->vt.tell(u->desc);
  u->vt.seek(u->desc, 0, SEEK_END);
  uint64_t end = u->vt.tell(u->desc);
  u->vt.seek(u->desc, (int64_t)u->base, SEEK_SET);
  if (!user_good(u) || end < u->base)
    return mx__capi_failf(MX_ERR_RUNTIME, "[%s] Cannot measure %s.", fn, user_label(u));
  *r = (mx_io_reader){u, user_read_at, end - u->base, user_label(u), NULL};
  return 0;
}

static int as_writer(mlx_io_writer out, mx_io_writer* w, const char* fn) {
  user_io* u = out.ctx;
  if (!u) return mx__capi_failf(MX_ERR_VALUE, "[%s] Empty writer.", fn);
  if (!u->vt.write) return mx__capi_failf(MX_ERR_VALUE, "[%s] The writer has no write.", fn);
  if (u->vt.is_open && !u->vt.is_open(u->desc))
    return mx__capi_failf(MX_ERR_RUNTIME, "[%s] Writer %s is not open.", fn, user_label(u));
  *w = (mx_io_writer){u, user_write, user_label(u)};
  return 0;
}

/* --- reader / writer handles ------------------------------------------------------ */

mlx_io_reader mlx_io_reader_new(void* desc, mlx_io_vtable vtable) {
  return (mlx_io_reader){user_new(desc, vtable, "mlx_io_reader_new")};
}

int mlx_io_reader_descriptor(void** desc_, mlx_io_reader io) {
  if (!desc_) return mx__capi_null_output("mlx_io_reader_descriptor");
  if (!io.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_reader_descriptor] Empty reader.");
  *desc_ = ((user_io*)io.ctx)->desc;
  return 0;
}

int mlx_io_reader_tostring(mlx_string* str_, mlx_io_reader io) {
  if (!str_) return mx__capi_null_output("mlx_io_reader_tostring");
  if (!io.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_reader_tostring] Empty reader.");
  return mx__capi_put_string(str_, user_label(io.ctx));
}

static void user_free(user_io* u) {
  if (!u) return;
  if (u->vt.free) u->vt.free(u->desc);
  free(u);
}

int mlx_io_reader_free(mlx_io_reader io) {
  user_free(io.ctx);
  return 0;
}

mlx_io_writer mlx_io_writer_new(void* desc, mlx_io_vtable vtable) {
  return (mlx_io_writer){user_new(desc, vtable, "mlx_io_writer_new")};
}

int mlx_io_writer_descriptor(void** desc_, mlx_io_writer io) {
  if (!desc_) return mx__capi_null_output("mlx_io_writer_descriptor");
  if (!io.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_writer_descriptor] Empty writer.");
  *desc_ = ((user_io*)io.ctx)->desc;
  return 0;
}

int mlx_io_writer_tostring(mlx_string* str_, mlx_io_writer io) {
  if (!str_) return mx__capi_null_output("mlx_io_writer_tostring");
  if (!io.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_writer_tostring] Empty writer.");
  return mx__capi_put_string(str_, user_label(io.ctx));
}

int mlx_io_writer_free(mlx_io_writer io) {
  user_free(io.ctx);
  return 0;
}

/* --- paths ---------------------------------------------------------------------------- */

/* `file` with `ext` appended unless it ends with it already (malloc'd). */
static char* with_ext(const char* file, const char* ext) {
  size_t n = strlen(file), e = strlen(ext);
  bool has = n >= e && strcmp(file + n - e, ext) == 0;
  char* p = malloc(n + e + 1);
  if (!p) {
    mx__capi_failf(MX_ERR_MEMORY, "[save] Out of memory.");
    return NULL;
  }
  memcpy(p, file, n);
  strcpy(p + n, has ? "" : ext);
  return p;
}

/* Puts loaded lists into the caller's map handles (allocating a handle's
 * list when it is empty).  Takes over `arrays` and `meta`. */
static int put_maps(mlx_map_string_to_array* res_0, mlx_map_string_to_string* res_1,
                    mx_io_arrays* arrays, mx_io_strings* meta) {
  if (!res_0->ctx) res_0->ctx = calloc(1, sizeof(mx_io_arrays));
  if (!res_1->ctx) res_1->ctx = calloc(1, sizeof(mx_io_strings));
  if (!res_0->ctx || !res_1->ctx) {
    mx_io_arrays_free(arrays);
    mx_io_strings_free(meta);
    return mx__capi_failf(MX_ERR_MEMORY, "[load_safetensors] Out of memory.");
  }
  mx_io_arrays_free(res_0->ctx);
  *(mx_io_arrays*)res_0->ctx = *arrays;
  mx_io_strings_free(res_1->ctx);
  *(mx_io_strings*)res_1->ctx = *meta;
  return 0;
}

int mlx_load(mlx_array* res, const char* file, const mlx_stream s) {
  OUT(res, "mlx_load");
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[load] Empty file name.");
  STREAM(st, s);
  (void)st;
  return mx__capi_put_array(res, mx_load_npy_path(file));
}

int mlx_load_reader(mlx_array* res, mlx_io_reader in_stream, const mlx_stream s) {
  OUT(res, "mlx_load_reader");
  STREAM(st, s);
  (void)st;
  mx_io_reader r;
  if (as_reader(in_stream, &r, "load") != 0) return 1;
  return mx__capi_put_array(res, mx_load_npy(&r));
}

int mlx_save(const char* file, const mlx_array a) {
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[save] Empty file name.");
  ARG(arr, a);
  char* path = with_ext(file, ".npy");
  if (!path) return 1;
  int rc = mx_save_npy_path(path, arr);
  free(path);
  return rc == 0 ? 0 : mx__capi_fail();
}

int mlx_save_writer(mlx_io_writer out_stream, const mlx_array a) {
  ARG(arr, a);
  mx_io_writer w;
  if (as_writer(out_stream, &w, "save") != 0) return 1;
  return mx_save_npy(&w, arr) == 0 ? 0 : mx__capi_fail();
}

int mlx_load_safetensors(mlx_map_string_to_array* res_0, mlx_map_string_to_string* res_1,
                         const char* file, const mlx_stream s) {
  if (!res_0 || !res_1) return mx__capi_null_output("mlx_load_safetensors");
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[load_safetensors] Empty file name.");
  STREAM(st, s);
  (void)st;
  mx_io_arrays arrays = {0};
  mx_io_strings meta = {0};
  if (mx_load_safetensors_path(file, &arrays, &meta) != 0) return mx__capi_fail();
  return put_maps(res_0, res_1, &arrays, &meta);
}

int mlx_load_safetensors_reader(mlx_map_string_to_array* res_0, mlx_map_string_to_string* res_1,
                                mlx_io_reader in_stream, const mlx_stream s) {
  if (!res_0 || !res_1) return mx__capi_null_output("mlx_load_safetensors_reader");
  STREAM(st, s);
  (void)st;
  mx_io_reader r;
  if (as_reader(in_stream, &r, "load_safetensors") != 0) return 1;
  mx_io_arrays arrays = {0};
  mx_io_strings meta = {0};
  if (mx_load_safetensors(&r, &arrays, &meta) != 0) return mx__capi_fail();
  return put_maps(res_0, res_1, &arrays, &meta);
}

static const mx_io_arrays* map_arrays(mlx_map_string_to_array m) {
  static const mx_io_arrays empty = {0};
  return m.ctx ? m.ctx : &empty;
}

int mlx_save_safetensors(const char* file, const mlx_map_string_to_array param,
                         const mlx_map_string_to_string metadata) {
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[save_safetensors] Empty file name.");
  char* path = with_ext(file, ".safetensors");
  if (!path) return 1;
  int rc = mx_save_safetensors_path(path, map_arrays(param), metadata.ctx);
  free(path);
  return rc == 0 ? 0 : mx__capi_fail();
}

int mlx_save_safetensors_writer(mlx_io_writer in_stream, const mlx_map_string_to_array param,
                                const mlx_map_string_to_string metadata) {
  mx_io_writer w;
  if (as_writer(in_stream, &w, "save_safetensors") != 0) return 1;
  return mx_save_safetensors(&w, map_arrays(param), metadata.ctx) == 0 ? 0 : mx__capi_fail();
}

/* --- GGUF ------------------------------------------------------------------------------- */

typedef struct gguf_box {
  mx_io_arrays arrays;
  mx_io_gguf_meta meta;
} gguf_box;

mlx_io_gguf mlx_io_gguf_new(void) {
  gguf_box* b = calloc(1, sizeof *b);
  if (!b) mx__capi_failf(MX_ERR_MEMORY, "[mlx_io_gguf_new] Out of memory.");
  return (mlx_io_gguf){b};
}

int mlx_io_gguf_free(mlx_io_gguf io) {
  gguf_box* b = io.ctx;
  if (b) {
    mx_io_arrays_free(&b->arrays);
    mx_io_gguf_meta_free(&b->meta);
    free(b);
  }
  return 0;
}

#define BOX(b, io, fn)                                                         \
  gguf_box* b = (io).ctx;                                                      \
  if (!b) return mx__capi_failf(MX_ERR_VALUE, "[%s] Empty GGUF handle.", fn)

int mlx_io_gguf_get_keys(mlx_vector_string* keys, mlx_io_gguf io) {
  if (!keys) return mx__capi_null_output("mlx_io_gguf_get_keys");
  BOX(b, io, "mlx_io_gguf_get_keys");
  return mlx_vector_string_set_data(keys, (const char**)b->arrays.names, (size_t)b->arrays.n);
}

static int find_key(char** keys, int n, const char* key) {
  for (int i = 0; key && i < n; i++)
    if (strcmp(keys[i], key) == 0) return i;
  return -1;
}

int mlx_io_gguf_get_array(mlx_array* arr, mlx_io_gguf io, const char* key) {
  OUT(arr, "mlx_io_gguf_get_array");
  BOX(b, io, "mlx_io_gguf_get_array");
  int i = find_key(b->arrays.names, b->arrays.n, key);
  if (i < 0) return 2;
  mx_array_retain(b->arrays.arrays[i]);
  return mx__capi_put_array(arr, b->arrays.arrays[i]);
}

/* The metadata value under `key` when it has `kind`: 0 with *v set, 2 when
 * absent, 3 when of another kind. */
static int meta_of(gguf_box* b, const char* key, mx_gguf_kind kind, const mx_gguf_value** v) {
  int i = find_key(b->meta.keys, b->meta.n, key);
  if (i < 0) return 2;
  if (b->meta.values[i].kind != kind) return 3;
  *v = &b->meta.values[i];
  return 0;
}

int mlx_io_gguf_get_metadata_array(mlx_array* arr, mlx_io_gguf io, const char* key) {
  OUT(arr, "mlx_io_gguf_get_metadata_array");
  BOX(b, io, "mlx_io_gguf_get_metadata_array");
  const mx_gguf_value* v;
  int rc = meta_of(b, key, MX_GGUF_ARRAY, &v);
  if (rc) return rc;
  mx_array_retain(v->array);
  return mx__capi_put_array(arr, v->array);
}

int mlx_io_gguf_get_metadata_string(mlx_string* str, mlx_io_gguf io, const char* key) {
  OUT(str, "mlx_io_gguf_get_metadata_string");
  BOX(b, io, "mlx_io_gguf_get_metadata_string");
  const mx_gguf_value* v;
  int rc = meta_of(b, key, MX_GGUF_STRING, &v);
  return rc ? rc : mx__capi_put_string(str, v->str);
}

int mlx_io_gguf_get_metadata_vector_string(mlx_vector_string* vstr, mlx_io_gguf io,
                                           const char* key) {
  OUT(vstr, "mlx_io_gguf_get_metadata_vector_string");
  BOX(b, io, "mlx_io_gguf_get_metadata_vector_string");
  const mx_gguf_value* v;
  int rc = meta_of(b, key, MX_GGUF_STRINGS, &v);
  return rc ? rc : mlx_vector_string_set_data(vstr, (const char**)v->strs, (size_t)v->n_strs);
}

static int has_meta(bool* flag, mlx_io_gguf io, const char* key, mx_gguf_kind kind,
                    const char* fn) {
  if (!flag) return mx__capi_null_output(fn);
  *flag = false;
  BOX(b, io, fn);
  const mx_gguf_value* v;
  int rc = meta_of(b, key, kind, &v);
  *flag = rc == 0;
  return rc == 2 ? 2 : 0;
}

int mlx_io_gguf_has_metadata_array(bool* flag, mlx_io_gguf io, const char* key) {
  return has_meta(flag, io, key, MX_GGUF_ARRAY, "mlx_io_gguf_has_metadata_array");
}
int mlx_io_gguf_has_metadata_string(bool* flag, mlx_io_gguf io, const char* key) {
  return has_meta(flag, io, key, MX_GGUF_STRING, "mlx_io_gguf_has_metadata_string");
}
int mlx_io_gguf_has_metadata_vector_string(bool* flag, mlx_io_gguf io, const char* key) {
  return has_meta(flag, io, key, MX_GGUF_STRINGS, "mlx_io_gguf_has_metadata_vector_string");
}

int mlx_io_gguf_set_array(mlx_io_gguf io, const char* key, const mlx_array arr) {
  BOX(b, io, "mlx_io_gguf_set_array");
  ARG(a, arr);
  if (!key) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_gguf_set_array] Empty key.");
  if (find_key(b->arrays.names, b->arrays.n, key) >= 0) return 0;
  return mx_io_arrays_push(&b->arrays, key, a) == 0 ? 0 : mx__capi_fail();
}

static int set_meta(gguf_box* b, const char* key, const mx_gguf_value* v, const char* fn) {
  if (!key) return mx__capi_failf(MX_ERR_VALUE, "[%s] Empty key.", fn);
  if (find_key(b->meta.keys, b->meta.n, key) >= 0) return 0;
  return mx_io_gguf_meta_push(&b->meta, key, v) == 0 ? 0 : mx__capi_fail();
}

int mlx_io_gguf_set_metadata_array(mlx_io_gguf io, const char* key, const mlx_array marr) {
  BOX(b, io, "mlx_io_gguf_set_metadata_array");
  ARG(a, marr);
  mx_gguf_value v = {.kind = MX_GGUF_ARRAY, .array = a};
  return set_meta(b, key, &v, "mlx_io_gguf_set_metadata_array");
}

int mlx_io_gguf_set_metadata_string(mlx_io_gguf io, const char* key, const char* mstr) {
  BOX(b, io, "mlx_io_gguf_set_metadata_string");
  if (!mstr) return mx__capi_failf(MX_ERR_VALUE, "[mlx_io_gguf_set_metadata_string] Empty value.");
  mx_gguf_value v = {.kind = MX_GGUF_STRING, .str = (char*)mstr};
  return set_meta(b, key, &v, "mlx_io_gguf_set_metadata_string");
}

int mlx_io_gguf_set_metadata_vector_string(mlx_io_gguf io, const char* key,
                                           const mlx_vector_string mvstr) {
  BOX(b, io, "mlx_io_gguf_set_metadata_vector_string");
  size_t n = mlx_vector_string_size(mvstr);
  char** strs = calloc(n + 1, sizeof(char*));
  if (!strs) return mx__capi_failf(MX_ERR_MEMORY, "[mlx_io_gguf_set_metadata_vector_string] Out of memory.");
  for (size_t i = 0; i < n; i++)
    if (mlx_vector_string_get(&strs[i], mvstr, i) != 0) {
      free(strs);
      return 1;
    }
  mx_gguf_value v = {.kind = MX_GGUF_STRINGS, .n_strs = (int)n, .strs = strs};
  int rc = set_meta(b, key, &v, "mlx_io_gguf_set_metadata_vector_string");
  free(strs);
  return rc;
}

int mlx_load_gguf(mlx_io_gguf* gguf, const char* file, const mlx_stream s) {
  if (!gguf) return mx__capi_null_output("mlx_load_gguf");
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[load_gguf] Empty file name.");
  STREAM(st, s);
  (void)st;
  gguf_box loaded = {{0}, {0}};
  if (mx_load_gguf_path(file, &loaded.arrays, &loaded.meta) != 0) return mx__capi_fail();
  if (!gguf->ctx && !(gguf->ctx = calloc(1, sizeof(gguf_box)))) {
    mx_io_arrays_free(&loaded.arrays);
    mx_io_gguf_meta_free(&loaded.meta);
    return mx__capi_failf(MX_ERR_MEMORY, "[load_gguf] Out of memory.");
  }
  gguf_box* b = gguf->ctx;
  mx_io_arrays_free(&b->arrays);
  mx_io_gguf_meta_free(&b->meta);
  *b = loaded;
  return 0;
}

int mlx_save_gguf(const char* file, mlx_io_gguf gguf) {
  if (!file) return mx__capi_failf(MX_ERR_VALUE, "[save_gguf] Empty file name.");
  BOX(b, gguf, "mlx_save_gguf");
  char* path = with_ext(file, ".gguf");
  if (!path) return 1;
  int rc = mx_save_gguf_path(path, &b->arrays, &b->meta);
  free(path);
  return rc == 0 ? 0 : mx__capi_fail();
}
