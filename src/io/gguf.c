/* GGUF files (versions 2 and 3).
 *
 * Layout: "GGUF", a u32 version, a u64 tensor count and a u64 key/value
 * count; the key/value pairs (a string key, a u32 value type, the value);
 * one info record per tensor (name, u32 dim count, u64 dims innermost first,
 * u32 tensor type, u64 offset into the data section); then, aligned to
 * `general.alignment` (32 by default), the tensor data.  Strings are a u64
 * length and that many bytes.
 *
 * As MLX does: metadata scalars load as 0-d arrays, numeric arrays as 1-D
 * arrays, strings as strings and string arrays as lists of strings; tensor
 * dims are reversed into MLX's outermost-first shapes.  F32, F16, I8, I16
 * and I32 tensors load as such, BF16 tensors load as float16 (MLX converts
 * them), and I64 / F64 tensors load as int64 / float64.  Quantized types
 * are not supported yet and are reported by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

enum {
  GV_UINT8 = 0, GV_INT8 = 1, GV_UINT16 = 2, GV_INT16 = 3, GV_UINT32 = 4, GV_INT32 = 5,
  GV_FLOAT32 = 6, GV_BOOL = 7, GV_STRING = 8, GV_ARRAY = 9, GV_UINT64 = 10, GV_INT64 = 11,
  GV_FLOAT64 = 12,
};

#define GGUF_MAX_DIMS 8
#define GGUF_DEFAULT_ALIGN 32

/* Element type and byte size of the numeric value types (0 = not numeric). */
static size_t value_size(uint32_t t, mx_dtype* dt) {
  static const struct { mx_dtype dt; size_t size; } tab[] = {
      [GV_UINT8] = {MX_UINT8, 1},    [GV_INT8] = {MX_INT8, 1},     [GV_UINT16] = {MX_UINT16, 2},
      [GV_INT16] = {MX_INT16, 2},    [GV_UINT32] = {MX_UINT32, 4}, [GV_INT32] = {MX_INT32, 4},
      [GV_FLOAT32] = {MX_FLOAT32, 4}, [GV_BOOL] = {MX_BOOL, 1},    [GV_STRING] = {0, 0},
      [GV_ARRAY] = {0, 0},           [GV_UINT64] = {MX_UINT64, 8}, [GV_INT64] = {MX_INT64, 8},
      [GV_FLOAT64] = {MX_FLOAT64, 8},
  };
  if (t >= sizeof tab / sizeof *tab || tab[t].size == 0) return 0;
  if (dt) *dt = tab[t].dt;
  return tab[t].size;
}

/* ggml tensor type names, for messages about the ones we cannot load. */
static const char* type_name(uint32_t t) {
  static const char* names[] = {
      "F32",  "F16",  "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0",   "Q5_1",  "Q8_0",
      "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K",   "IQ2_XXS", "IQ2_XS",
      "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32",
      "I64",  "F64",  "IQ1_M", "BF16", "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8", "TQ1_0",
      "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4",
  };
  return t < sizeof names / sizeof *names ? names[t] : NULL;
}

/* --- a bounded cursor over the reader ---------------------------------------------- */

typedef struct gcur {
  const mx_io_reader* r;
  uint64_t pos;
} gcur;

static int truncated(const char* what) {
  return mx_error(MX_ERR_RUNTIME,
                  "[load_gguf] %s extends past the end of the file. Perhaps an incomplete "
                  "download or corrupt file?",
                  what);
}

static int get(gcur* c, void* dst, size_t n, const char* what) {
  if (c->pos > c->r->size || n > c->r->size - c->pos) return truncated(what);
  if (mx__io_read(c->r, "load_gguf", dst, n, c->pos) != 0) return -1;
  c->pos += n;
  return 0;
}

static int get_u32(gcur* c, uint32_t* v, const char* what) {
  unsigned char b[4];
  if (get(c, b, 4, what) != 0) return -1;
  *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  return 0;
}

static int get_u64(gcur* c, uint64_t* v, const char* what) {
  uint32_t lo, hi;
  if (get_u32(c, &lo, what) != 0 || get_u32(c, &hi, what) != 0) return -1;
  *v = lo | (uint64_t)hi << 32;
  return 0;
}

static char* get_string(gcur* c, const char* what) {
  uint64_t n;
  if (get_u64(c, &n, what) != 0) return NULL;
  if (n > c->r->size - c->pos) {
    truncated(what);
    return NULL;
  }
  char* s = malloc((size_t)n + 1);
  if (!s) {
    mx_error(MX_ERR_MEMORY, "[load_gguf] Out of memory.");
    return NULL;
  }
  if (get(c, s, (size_t)n, what) != 0) {
    free(s);
    return NULL;
  }
  s[n] = 0;
  return s;
}

/* Reads one metadata value of type `t` into *v. */
static int get_value(gcur* c, uint32_t t, mx_gguf_value* v, uint64_t* alignment, const char* key) {
  memset(v, 0, sizeof *v);
  mx_dtype dt;
  size_t sz = value_size(t, &dt);
  if (sz) {
    unsigned char buf[8];
    if (get(c, buf, sz, "Metadata value") != 0) return -1;
    if (alignment && strcmp(key, "general.alignment") == 0 && t == GV_UINT32)
      *alignment = (uint64_t)buf[0] | (uint64_t)buf[1] << 8 | (uint64_t)buf[2] << 16 |
                   (uint64_t)buf[3] << 24;
    v->kind = MX_GGUF_ARRAY;
    v->array = mx_array_from_data(buf, dt, 0, NULL);
    return v->array ? 0 : -1;
  }
  if (t == GV_STRING) {
    v->kind = MX_GGUF_STRING;
    v->str = get_string(c, "Metadata value");
    return v->str ? 0 : -1;
  }
  if (t != GV_ARRAY)
    return mx_error(MX_ERR_RUNTIME, "[load_gguf] Metadata '%s' has unknown value type %u.", key, t);
  uint32_t et;
  uint64_t n;
  if (get_u32(c, &et, "Metadata value") != 0 || get_u64(c, &n, "Metadata value") != 0) return -1;
  uint64_t left = c->r->size - c->pos;
  if (et == GV_ARRAY)
    return mx_error(MX_ERR_VALUE, "[load_gguf] Only supports loading 1-layer of nested arrays.");
  if (et == GV_STRING) {
    /* Each string takes at least its 8-byte length. */
    if (n > left / 8) return truncated("Metadata value");
    v->kind = MX_GGUF_STRINGS;
    v->strs = calloc(n ? (size_t)n : 1, sizeof(char*));
    if (!v->strs) return mx_error(MX_ERR_MEMORY, "[load_gguf] Out of memory.");
    for (uint64_t i = 0; i < n; i++) {
      if (!(v->strs[i] = get_string(c, "Metadata value"))) {
        mx_gguf_value_clear(v);
        return -1;
      }
      v->n_strs = (int)(i + 1);
    }
    return 0;
  }
  sz = value_size(et, &dt);
  if (!sz)
    return mx_error(MX_ERR_RUNTIME, "[load_gguf] Metadata '%s' has unknown array type %u.", key,
                    et);
  if (n > left / sz || n > (uint64_t)INT32_MAX) return truncated("Metadata value");
  int shape = (int)n;
  v->kind = MX_GGUF_ARRAY;
  v->array = mx__io_read_array(c->r, "load_gguf", c->pos, dt, 1, &shape);
  if (!v->array) return -1;
  c->pos += n * sz;
  return 0;
}

typedef struct tinfo {
  char* name;
  uint32_t ndim, type;
  uint64_t dims[GGUF_MAX_DIMS];
  uint64_t offset;
} tinfo;

/* The dtype a tensor type loads as, and its stored element size. */
static bool tensor_type(uint32_t t, mx_dtype* dt, size_t* stored) {
  switch (t) {
    case 0: *dt = MX_FLOAT32, *stored = 4; return true;
    case 1: *dt = MX_FLOAT16, *stored = 2; return true;
    case 24: *dt = MX_INT8, *stored = 1; return true;
    case 25: *dt = MX_INT16, *stored = 2; return true;
    case 26: *dt = MX_INT32, *stored = 4; return true;
    case 27: *dt = MX_INT64, *stored = 8; return true;
    case 28: *dt = MX_FLOAT64, *stored = 8; return true;
    case 30: *dt = MX_FLOAT16, *stored = 2; return true; /* BF16, converted */
    default: return false;
  }
}

static mx_array* load_tensor(const mx_io_reader* r, const tinfo* ti, uint64_t data_start) {
  mx_dtype dt;
  size_t stored;
  if (!tensor_type(ti->type, &dt, &stored)) {
    const char* tn = type_name(ti->type);
    if (tn)
      mx_error(MX_ERR_RUNTIME,
               "[load_gguf] Tensor '%s' has type %s; quantized GGUF types are not supported yet.",
               ti->name, tn);
    else
      mx_error(MX_ERR_RUNTIME, "[load_gguf] Tensor '%s' has unknown type %u.", ti->name, ti->type);
    return NULL;
  }
  uint64_t left = r->size - data_start;
  if (ti->offset > left) {
    truncated("Tensor data");
    return NULL;
  }
  char what[80];
  snprintf(what, sizeof what, "Tensor '%.60s'", ti->name);
  if (mx__io_checked_nbytes((int)ti->ndim, ti->dims, stored, left - ti->offset, "load_gguf", what,
                            MX_ERR_RUNTIME) < 0)
    return NULL;
  int shape[GGUF_MAX_DIMS];
  for (uint32_t i = 0; i < ti->ndim; i++) shape[i] = (int)ti->dims[ti->ndim - 1 - i];
  if (ti->type != 30)
    return mx__io_read_array(r, "load_gguf", data_start + ti->offset, dt, (int)ti->ndim, shape);
  /* BF16 -> F16, through float32, as MLX's loader converts it. */
  mx_array* a = mx__io_read_array(r, "load_gguf", data_start + ti->offset, MX_BFLOAT16,
                                  (int)ti->ndim, shape);
  if (!a) return NULL;
  mx_array* h = mx_array_from_data(NULL, MX_FLOAT16, (int)ti->ndim, shape);
  if (h) {
    const uint16_t* src = mx_array_host_data(a);
    uint16_t* dst = mx_array_host_data(h);
    for (int64_t i = 0; i < a->size; i++) dst[i] = mx_f32_to_f16(mx_bf16_to_f32(src[i]));
  }
  mx_array_release(a);
  return h;
}

int mx_load_gguf(const mx_io_reader* r, mx_io_arrays* out, mx_io_gguf_meta* meta) {
  gcur c = {r, 0};
  unsigned char magic[4];
  uint32_t version;
  uint64_t n_tensors, n_kv, alignment = GGUF_DEFAULT_ALIGN;
  if (r->size < 24 || get(&c, magic, 4, "Header") != 0 || memcmp(magic, "GGUF", 4) != 0 ||
      get_u32(&c, &version, "Header") != 0 || get_u64(&c, &n_tensors, "Header") != 0 ||
      get_u64(&c, &n_kv, "Header") != 0)
    return mx_error(MX_ERR_RUNTIME, "[load_gguf] gguf_init failed");
  if (version != 2 && version != 3)
    return mx_error(MX_ERR_RUNTIME, "[load_gguf] Unsupported GGUF version %u.", version);
  /* A key/value pair takes at least 13 bytes, a tensor info at least 24:
   * counts beyond what the file can hold are corrupt, whatever they say. */
  uint64_t left = r->size - c.pos;
  if (n_kv > left / 13 || n_tensors > left / 24)
    return mx_error(MX_ERR_RUNTIME, "[load_gguf] gguf_init failed");
  int rc = 0;
  tinfo* infos = NULL;
  for (uint64_t i = 0; rc == 0 && i < n_kv; i++) {
    char* key = get_string(&c, "Metadata key");
    uint32_t t;
    if (!key) rc = -1;
    else if ((rc = get_u32(&c, &t, "Metadata value")) == 0) {
      mx_gguf_value v;
      rc = get_value(&c, t, &v, &alignment, key);
      if (rc == 0 && meta) rc = mx_io_gguf_meta_push(meta, key, &v);
      mx_gguf_value_clear(&v);
    }
    free(key);
  }
  if (rc == 0 && (alignment == 0 || (alignment & (alignment - 1)) || alignment > (1u << 30)))
    rc = mx_error(MX_ERR_RUNTIME, "[load_gguf] Invalid general.alignment %llu.",
                  (unsigned long long)alignment);
  if (rc == 0) {
    infos = calloc(n_tensors ? (size_t)n_tensors : 1, sizeof *infos);
    if (!infos) rc = mx_error(MX_ERR_MEMORY, "[load_gguf] Out of memory.");
  }
  for (uint64_t i = 0; rc == 0 && i < n_tensors; i++) {
    tinfo* ti = &infos[i];
    if (!(ti->name = get_string(&c, "Tensor info"))) {
      rc = -1;
      break;
    }
    rc = get_u32(&c, &ti->ndim, "Tensor info");
    if (rc == 0 && ti->ndim > GGUF_MAX_DIMS)
      rc = mx_error(MX_ERR_RUNTIME, "[load_gguf] Tensor '%s' has %u dimensions.", ti->name,
                    ti->ndim);
    for (uint32_t d = 0; rc == 0 && d < ti->ndim; d++)
      rc = get_u64(&c, &ti->dims[d], "Tensor info");
    if (rc == 0) rc = get_u32(&c, &ti->type, "Tensor info");
    if (rc == 0) rc = get_u64(&c, &ti->offset, "Tensor info");
  }
  uint64_t data_start = 0;
  if (rc == 0) {
    data_start = (c.pos + alignment - 1) / alignment * alignment;
    if (n_tensors && data_start > r->size) rc = truncated("Tensor data");
  }
  for (uint64_t i = 0; rc == 0 && i < n_tensors; i++) {
    mx_array* a = load_tensor(r, &infos[i], data_start);
    rc = a ? mx_io_arrays_push_owned(out, infos[i].name, a) : -1;
  }
  if (infos)
    for (uint64_t i = 0; i < n_tensors; i++) free(infos[i].name);
  free(infos);
  if (rc != 0) {
    mx_io_arrays_free(out);
    if (meta) mx_io_gguf_meta_free(meta);
  }
  return rc;
}

/* --- saving -------------------------------------------------------------------------- */

static int put_u32(const mx_io_writer* w, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  return mx__io_write(w, b, 4);
}

static int put_u64(const mx_io_writer* w, uint64_t v) {
  if (put_u32(w, (uint32_t)v) != 0) return -1;
  return put_u32(w, (uint32_t)(v >> 32));
}

static int put_string(const mx_io_writer* w, const char* s) {
  size_t n = strlen(s);
  if (put_u64(w, n) != 0) return -1;
  return mx__io_write(w, s, n);
}

/* The GGUF value type of a metadata array's dtype (-1 when not allowed). */
static int meta_type(mx_dtype t) {
  switch (t) {
    case MX_BOOL: return GV_BOOL;
    case MX_UINT8: return GV_UINT8;
    case MX_INT8: return GV_INT8;
    case MX_UINT16: return GV_UINT16;
    case MX_INT16: return GV_INT16;
    case MX_UINT32: return GV_UINT32;
    case MX_INT32: return GV_INT32;
    case MX_UINT64: return GV_UINT64;
    case MX_INT64: return GV_INT64;
    case MX_FLOAT32: return GV_FLOAT32;
    default: return -1;
  }
}

static int check_meta(const char* key, const mx_gguf_value* v) {
  if (v->kind == MX_GGUF_ARRAY) {
    if (!v->array) return mx_error(MX_ERR_VALUE, "[save_gguf] Metadata '%s' is empty.", key);
    if (v->array->ndim > 1)
      return mx_error(MX_ERR_RUNTIME, "[save_gguf] Cannot save arrays with more than one dimension.");
    if (v->array->size == 0) return mx_error(MX_ERR_RUNTIME, "[save_gguf] Cannot save empty arrays.");
    if (meta_type(v->array->dtype) < 0)
      return mx_error(MX_ERR_VALUE, "[save_gguf] array type %s not support for metadata.",
                      mx_dtype_name(v->array->dtype));
  } else if (v->kind != MX_GGUF_STRING && v->kind != MX_GGUF_STRINGS) {
    return mx_error(MX_ERR_VALUE, "[save_gguf] Metadata '%s' has no value.", key);
  }
  return 0;
}

static int put_meta(const mx_io_writer* w, const char* key, const mx_gguf_value* v) {
  if (put_string(w, key) != 0) return -1;
  if (v->kind == MX_GGUF_STRING) {
    if (put_u32(w, GV_STRING) != 0) return -1;
    return put_string(w, v->str ? v->str : "");
  }
  if (v->kind == MX_GGUF_STRINGS) {
    if (put_u32(w, GV_ARRAY) != 0 || put_u32(w, GV_STRING) != 0 || put_u64(w, (uint64_t)v->n_strs))
      return -1;
    for (int i = 0; i < v->n_strs; i++)
      if (put_string(w, v->strs[i]) != 0) return -1;
    return 0;
  }
  mx_array* a = mx__io_host_contiguous(v->array);
  if (!a) return -1;
  int t = meta_type(a->dtype);
  int rc = 0;
  if (a->ndim == 0) {
    rc = put_u32(w, (uint32_t)t);
  } else {
    rc = put_u32(w, GV_ARRAY);
    if (rc == 0) rc = put_u32(w, (uint32_t)t);
    if (rc == 0) rc = put_u64(w, (uint64_t)a->size);
  }
  if (rc == 0) rc = mx__io_write(w, mx_array_host_data(a), mx_array_nbytes(a));
  mx_array_release(a);
  return rc;
}

static int tensor_code(mx_dtype t) {
  switch (t) {
    case MX_FLOAT32: return 0;
    case MX_FLOAT16: return 1;
    case MX_INT8: return 24;
    case MX_INT16: return 25;
    case MX_INT32: return 26;
    default: return -1;
  }
}

static int pad_to(const mx_io_writer* w, uint64_t* pos, uint64_t align) {
  static const unsigned char zeros[GGUF_DEFAULT_ALIGN] = {0};
  uint64_t pad = (align - *pos % align) % align;
  *pos += pad;
  return pad ? mx__io_write(w, zeros, (size_t)pad) : 0;
}

int mx_save_gguf(const mx_io_writer* w, const mx_io_arrays* arrays, const mx_io_gguf_meta* meta) {
  int n_meta = meta ? meta->n : 0;
  /* Everything is checked before the first byte goes out. */
  for (int i = 0; i < arrays->n; i++)
    if (tensor_code(arrays->arrays[i]->dtype) < 0)
      return mx_error(MX_ERR_RUNTIME, "[save_gguf] dtype %s is not supported",
                      mx_dtype_name(arrays->arrays[i]->dtype));
  for (int i = 0; i < n_meta; i++)
    if (check_meta(meta->keys[i], &meta->values[i]) != 0) return -1;
  mx_array** host = calloc((size_t)arrays->n + 1, sizeof *host);
  if (!host) return mx_error(MX_ERR_MEMORY, "[save_gguf] Out of memory.");
  int rc = 0;
  for (int i = 0; rc == 0 && i < arrays->n; i++)
    if (!(host[i] = mx__io_host_contiguous(arrays->arrays[i]))) rc = -1;
  /* Counting bytes through a wrapper keeps the alignment arithmetic simple. */
  uint64_t pos = 0;
  if (rc == 0) rc = mx__io_write(w, "GGUF", 4);
  if (rc == 0) rc = put_u32(w, 3);
  if (rc == 0) rc = put_u64(w, (uint64_t)arrays->n);
  if (rc == 0) rc = put_u64(w, (uint64_t)n_meta);
  mx_io_membuf body = {0};
  mx_io_writer bw = mx_io_writer_memory(&body, NULL);
  for (int i = 0; rc == 0 && i < n_meta; i++) rc = put_meta(&bw, meta->keys[i], &meta->values[i]);
  uint64_t offset = 0;
  for (int i = 0; rc == 0 && i < arrays->n; i++) {
    mx_array* a = host[i];
    rc = put_string(&bw, arrays->names[i]);
    if (rc == 0) rc = put_u32(&bw, (uint32_t)a->ndim);
    for (int d = a->ndim - 1; rc == 0 && d >= 0; d--) rc = put_u64(&bw, (uint64_t)a->shape[d]);
    if (rc == 0) rc = put_u32(&bw, (uint32_t)tensor_code(a->dtype));
    if (rc == 0) rc = put_u64(&bw, offset);
    offset += mx_array_nbytes(a);
    offset = (offset + GGUF_DEFAULT_ALIGN - 1) / GGUF_DEFAULT_ALIGN * GGUF_DEFAULT_ALIGN;
  }
  if (rc == 0) rc = mx__io_write(w, body.data, body.size);
  free(body.data);
  pos = 24 + body.size;
  if (rc == 0) rc = pad_to(w, &pos, GGUF_DEFAULT_ALIGN);
  for (int i = 0; rc == 0 && i < arrays->n; i++) {
    size_t nb = mx_array_nbytes(host[i]);
    if (nb) rc = mx__io_write(w, mx_array_host_data(host[i]), nb);
    pos += nb;
    if (rc == 0 && i + 1 < arrays->n) rc = pad_to(w, &pos, GGUF_DEFAULT_ALIGN);
  }
  for (int i = 0; i < arrays->n; i++)
    if (host[i]) mx_array_release(host[i]);
  free(host);
  return rc;
}
