/* .safetensors files.
 *
 * Layout: an 8-byte little-endian header length N, N bytes of JSON, then the
 * data.  The JSON is one object: each tensor name maps to
 * {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]} (offsets into
 * the data section), and the optional "__metadata__" maps to an object of
 * string values.  The JSON reader below handles exactly that subset of JSON
 * (objects, arrays, strings with escapes, non-negative integers; other
 * values are skipped) and never reads outside the header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

#define ST_MAX_DIMS 64
#define ST_MAX_DEPTH 64

static const struct {
  const char* name;
  mx_dtype dtype;
} st_types[] = {
    {"BOOL", MX_BOOL},   {"U8", MX_UINT8},     {"U16", MX_UINT16},  {"U32", MX_UINT32},
    {"U64", MX_UINT64},  {"I8", MX_INT8},      {"I16", MX_INT16},   {"I32", MX_INT32},
    {"I64", MX_INT64},   {"F16", MX_FLOAT16},  {"BF16", MX_BFLOAT16}, {"F32", MX_FLOAT32},
    {"F64", MX_FLOAT64}, {"C64", MX_COMPLEX64},
};

/* --- a small JSON reader ---------------------------------------------------- */

typedef struct json {
  const char* p;
  const char* end;
  const char* label;
} json;

static int json_bad(json* j, const char* what) {
  return mx_error(MX_ERR_RUNTIME, "[load_safetensors] Invalid JSON header in file %s: %s.",
                  j->label, what);
}

static void ws(json* j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

static bool peek(json* j, char c) {
  ws(j);
  return j->p < j->end && *j->p == c;
}

static bool take(json* j, char c) {
  if (!peek(j, c)) return false;
  j->p++;
  return true;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool hex4(json* j, unsigned* v) {
  if (j->end - j->p < 4) return false;
  unsigned x = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(j->p[i]);
    if (h < 0) return false;
    x = x * 16 + (unsigned)h;
  }
  j->p += 4;
  *v = x;
  return true;
}

/* Parses a string into a fresh NUL-terminated copy (escapes decoded, \u as
 * UTF-8).  Returns NULL with an error set. */
static char* json_string(json* j) {
  if (!take(j, '"')) {
    json_bad(j, "expected a string");
    return NULL;
  }
  /* The decoded text is never longer than the raw text. */
  const char* q = j->p;
  while (q < j->end && *q != '"') q += (*q == '\\' && q + 1 < j->end) ? 2 : 1;
  if (q >= j->end) {
    json_bad(j, "unterminated string");
    return NULL;
  }
  char* out = malloc((size_t)(q - j->p) + 1);
  if (!out) {
    mx_error(MX_ERR_MEMORY, "[load_safetensors] Out of memory.");
    return NULL;
  }
  size_t n = 0;
  while (*j->p != '"') {
    char c = *j->p++;
    if (c != '\\') {
      out[n++] = c;
      continue;
    }
    char e = *j->p++;
    unsigned cp;
    switch (e) {
      case '"': case '\\': case '/': out[n++] = e; continue;
      case 'b': out[n++] = '\b'; continue;
      case 'f': out[n++] = '\f'; continue;
      case 'n': out[n++] = '\n'; continue;
      case 'r': out[n++] = '\r'; continue;
      case 't': out[n++] = '\t'; continue;
      case 'u':
        if (!hex4(j, &cp)) goto bad;
        if (cp >= 0xd800 && cp < 0xdc00) {
          unsigned lo;
          if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u') goto bad;
          j->p += 2;
          if (!hex4(j, &lo) || lo < 0xdc00 || lo >= 0xe000) goto bad;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        /* \uXXXX is 6 raw bytes and at most 3 UTF-8 bytes; a pair is 12
         * raw bytes and 4 UTF-8 bytes, so the buffer is big enough. */
        if (cp < 0x80) {
          out[n++] = (char)cp;
        } else if (cp < 0x800) {
          out[n++] = (char)(0xc0 | cp >> 6);
          out[n++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
          out[n++] = (char)(0xe0 | cp >> 12);
          out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
          out[n++] = (char)(0x80 | (cp & 0x3f));
        } else {
          out[n++] = (char)(0xf0 | cp >> 18);
          out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
          out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
          out[n++] = (char)(0x80 | (cp & 0x3f));
        }
        continue;
      default: goto bad;
    }
  }
  j->p++;
  out[n] = 0;
  return out;
bad:
  free(out);
  json_bad(j, "bad escape in a string");
  return NULL;
}

static int json_uint(json* j, uint64_t* v) {
  ws(j);
  if (j->p >= j->end || *j->p < '0' || *j->p > '9') return json_bad(j, "expected an integer");
  uint64_t x = 0;
  while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
    unsigned d = (unsigned)(*j->p++ - '0');
    if (x > (UINT64_MAX - d) / 10) return json_bad(j, "integer too large");
    x = x * 10 + d;
  }
  if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E'))
    return json_bad(j, "expected an integer");
  *v = x;
  return 0;
}

/* Skips any JSON value (used for keys we do not know). */
static int json_skip(json* j, int depth) {
  if (depth > ST_MAX_DEPTH) return json_bad(j, "nested too deeply");
  ws(j);
  if (j->p >= j->end) return json_bad(j, "unexpected end");
  char c = *j->p;
  if (c == '"') {
    char* s = json_string(j);
    free(s);
    return s ? 0 : -1;
  }
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    j->p++;
    if (take(j, close)) return 0;
    do {
      if (c == '{') {
        char* k = json_string(j);
        if (!k) return -1;
        free(k);
        if (!take(j, ':')) return json_bad(j, "expected ':'");
      }
      if (json_skip(j, depth + 1) != 0) return -1;
    } while (take(j, ','));
    return take(j, close) ? 0 : json_bad(j, "unterminated object or array");
  }
  /* A number or a literal: everything up to a delimiter. */
  const char* s = j->p;
  while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' &&
         *j->p != '\n' && *j->p != '\t' && *j->p != '\r')
    j->p++;
  return j->p > s ? 0 : json_bad(j, "expected a value");
}

/* [a, b, ...] of non-negative integers into v (at most max). */
static int json_uint_list(json* j, uint64_t* v, int max, int* n) {
  *n = 0;
  if (!take(j, '[')) return json_bad(j, "expected a list");
  if (take(j, ']')) return 0;
  do {
    if (*n == max) return json_bad(j, "list too long");
    if (json_uint(j, &v[*n]) != 0) return -1;
    (*n)++;
  } while (take(j, ','));
  return take(j, ']') ? 0 : json_bad(j, "unterminated list");
}

/* --- loading ---------------------------------------------------------------- */

typedef struct st_entry {
  char* dtype;
  uint64_t shape[ST_MAX_DIMS];
  int ndim;
  uint64_t offs[2];
  int noffs;
  bool have_shape;
} st_entry;

static int parse_entry(json* j, st_entry* e) {
  memset(e, 0, sizeof *e);
  if (!take(j, '{')) return json_bad(j, "a tensor entry must be an object");
  if (take(j, '}')) return 0;
  do {
    char* k = json_string(j);
    if (!k) return -1;
    int rc;
    if (!take(j, ':')) rc = json_bad(j, "expected ':'");
    else if (strcmp(k, "dtype") == 0) {
      free(e->dtype);
      rc = (e->dtype = json_string(j)) ? 0 : -1;
    } else if (strcmp(k, "shape") == 0) {
      rc = json_uint_list(j, e->shape, ST_MAX_DIMS, &e->ndim);
      e->have_shape = true;
    } else if (strcmp(k, "data_offsets") == 0) {
      rc = json_uint_list(j, e->offs, 2, &e->noffs);
    } else {
      rc = json_skip(j, 1);
    }
    free(k);
    if (rc != 0) return -1;
  } while (take(j, ','));
  return take(j, '}') ? 0 : json_bad(j, "unterminated tensor entry");
}

static int parse_metadata(json* j, mx_io_strings* meta) {
  /* MLX writes "__metadata__":null when there is none. */
  ws(j);
  if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
    j->p += 4;
    return 0;
  }
  if (!take(j, '{')) return json_bad(j, "__metadata__ must be an object");
  if (take(j, '}')) return 0;
  do {
    char* k = json_string(j);
    if (!k) return -1;
    char* v = NULL;
    int rc = take(j, ':') ? 0 : json_bad(j, "expected ':'");
    if (rc == 0 && !peek(j, '"'))
      rc = json_bad(j, "__metadata__ values must be strings");
    if (rc == 0) rc = (v = json_string(j)) ? 0 : -1;
    if (rc == 0 && meta) rc = mx_io_strings_push(meta, k, v);
    free(k);
    free(v);
    if (rc != 0) return -1;
  } while (take(j, ','));
  return take(j, '}') ? 0 : json_bad(j, "unterminated __metadata__");
}

int mx_load_safetensors(const mx_io_reader* r, mx_io_arrays* out, mx_io_strings* meta) {
  unsigned char lenb[8];
  if (mx__io_read(r, "read", lenb, 8, 0) != 0) return -1;
  uint64_t hlen = 0;
  for (int i = 7; i >= 0; i--) hlen = hlen << 8 | lenb[i];
  if (hlen > r->size - 8)
    return mx_error(MX_ERR_RUNTIME,
                    "[load_safetensors] The JSON header is %llu bytes long but the file is only "
                    "%llu bytes. Perhaps an incomplete download or corrupt file?",
                    (unsigned long long)hlen, (unsigned long long)r->size);
  char* text = malloc(hlen ? (size_t)hlen : 1);
  if (!text) return mx_error(MX_ERR_MEMORY, "[load_safetensors] Out of memory.");
  if (mx__io_read(r, "read", text, (size_t)hlen, 8) != 0) {
    free(text);
    return -1;
  }
  uint64_t data_start = 8 + hlen, data_size = r->size - data_start;
  json j = {text, text + hlen, r->label};
  int rc = 0;
  if (!take(&j, '{')) {
    rc = mx_error(MX_ERR_RUNTIME, "[load_safetensors] Invalid json header length file %s",
                  r->label);
    goto done;
  }
  if (take(&j, '}')) goto done;
  do {
    char* name = json_string(&j);
    if (!name) {
      rc = -1;
      break;
    }
    if (!take(&j, ':')) {
      rc = json_bad(&j, "expected ':'");
    } else if (strcmp(name, "__metadata__") == 0) {
      rc = parse_metadata(&j, meta);
    } else {
      st_entry e;
      rc = parse_entry(&j, &e);
      mx_dtype dt = MX_FLOAT32;
      bool known = false;
      if (rc == 0 && (!e.dtype || !e.have_shape || e.noffs != 2))
        rc = mx_error(MX_ERR_RUNTIME,
                      "[load_safetensors] Tensor '%s' lacks a dtype, shape or data_offsets.",
                      name);
      for (size_t i = 0; rc == 0 && i < sizeof st_types / sizeof *st_types; i++)
        if (strcmp(e.dtype, st_types[i].name) == 0) dt = st_types[i].dtype, known = true;
      if (rc == 0 && !known)
        rc = mx_error(MX_ERR_RUNTIME, "[load_safetensors] Tensor '%s' has unsupported dtype %.32s.",
                      name, e.dtype);
      if (rc == 0 && (e.offs[0] > e.offs[1] || e.offs[1] > data_size))
        rc = mx_error(MX_ERR_RUNTIME,
                      "[load_safetensors] Tensor '%s' invalid data offsets (%llu, %llu) exceeding "
                      "the size of the file. Perhaps an incomplete download or corrupt file?",
                      name, (unsigned long long)e.offs[0], (unsigned long long)e.offs[1]);
      int64_t nbytes = rc == 0 ? mx__io_checked_nbytes(e.ndim, e.shape, mx_dtype_size(dt),
                                                       data_size, "load_safetensors", name,
                                                       MX_ERR_RUNTIME)
                               : -1;
      if (rc == 0 && nbytes < 0) rc = -1;
      if (rc == 0 && (uint64_t)nbytes != e.offs[1] - e.offs[0])
        rc = mx_error(MX_ERR_RUNTIME,
                      "[load_safetensors] Tensor '%s' has %llu bytes of data but its shape and "
                      "dtype need %lld.",
                      name, (unsigned long long)(e.offs[1] - e.offs[0]), (long long)nbytes);
      if (rc == 0) {
        int shape[ST_MAX_DIMS];
        for (int i = 0; i < e.ndim; i++) shape[i] = (int)e.shape[i];
        mx_array* a = mx__io_read_array(r, "read", data_start + e.offs[0], dt, e.ndim, shape);
        rc = a ? mx_io_arrays_push_owned(out, name, a) : -1;
      }
      free(e.dtype);
    }
    free(name);
  } while (rc == 0 && take(&j, ','));
  if (rc == 0 && !take(&j, '}')) rc = json_bad(&j, "unterminated header object");
done:
  free(text);
  if (rc != 0) {
    mx_io_arrays_free(out);
    if (meta) mx_io_strings_free(meta);
  }
  return rc;
}

/* --- saving ------------------------------------------------------------------- */

static int put_json_string(mx_io_membuf* m, const char* s) {
  mx_io_writer w = mx_io_writer_memory(m, NULL);
  if (mx__io_write(&w, "\"", 1) != 0) return -1;
  for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
    char esc[8];
    size_t n = 0;
    if (*p == '"' || *p == '\\') esc[n++] = '\\', esc[n++] = (char)*p;
    else if (*p < 0x20) n = (size_t)snprintf(esc, sizeof esc, "\\u%04x", *p);
    else esc[n++] = (char)*p;
    if (mx__io_write(&w, esc, n) != 0) return -1;
  }
  return mx__io_write(&w, "\"", 1);
}

static int put_text(mx_io_membuf* m, const char* s) {
  mx_io_writer w = mx_io_writer_memory(m, NULL);
  return mx__io_write(&w, s, strlen(s));
}

int mx_save_safetensors(const mx_io_writer* w, const mx_io_arrays* arrays,
                        const mx_io_strings* meta) {
  mx_array** host = calloc((size_t)arrays->n + 1, sizeof *host);
  if (!host) return mx_error(MX_ERR_MEMORY, "[save_safetensors] Out of memory.");
  mx_io_membuf h = {0};
  int rc = put_text(&h, "{");
  bool first = true;
  if (rc == 0 && meta && meta->n) {
    rc = put_text(&h, "\"__metadata__\":{");
    for (int i = 0; rc == 0 && i < meta->n; i++) {
      if (i) rc = put_text(&h, ",");
      if (rc == 0) rc = put_json_string(&h, meta->keys[i]);
      if (rc == 0) rc = put_text(&h, ":");
      if (rc == 0) rc = put_json_string(&h, meta->values[i]);
    }
    if (rc == 0) rc = put_text(&h, "}");
    first = false;
  }
  uint64_t offset = 0;
  for (int i = 0; rc == 0 && i < arrays->n; i++) {
    mx_array* a = arrays->arrays[i];
    const char* tname = NULL;
    for (size_t k = 0; k < sizeof st_types / sizeof *st_types; k++)
      if (st_types[k].dtype == a->dtype) tname = st_types[k].name;
    /* MLX 0.32 writes no float64 tensors; neither do we, so files stay
     * loadable by it. */
    if (!tname || a->dtype == MX_FLOAT64) {
      rc = mx_error(MX_ERR_RUNTIME, "[save_safetensors] received invalid dtype.");
      break;
    }
    if (!(host[i] = mx__io_host_contiguous(a))) {
      rc = -1;
      break;
    }
    uint64_t nbytes = mx_array_nbytes(host[i]);
    char buf[64 + 24 * ST_MAX_DIMS];
    if (!first) rc = put_text(&h, ",");
    first = false;
    if (rc == 0) rc = put_json_string(&h, arrays->names[i]);
    snprintf(buf, sizeof buf, ":{\"dtype\":\"%s\",\"shape\":[", tname);
    if (rc == 0) rc = put_text(&h, buf);
    for (int d = 0; rc == 0 && d < a->ndim; d++) {
      snprintf(buf, sizeof buf, d ? ",%d" : "%d", a->shape[d]);
      rc = put_text(&h, buf);
    }
    snprintf(buf, sizeof buf, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)offset,
             (unsigned long long)(offset + nbytes));
    if (rc == 0) rc = put_text(&h, buf);
    offset += nbytes;
  }
  if (rc == 0) rc = put_text(&h, "}");
  /* Pad with spaces so the data section starts 8-byte aligned. */
  while (rc == 0 && h.size % 8) rc = put_text(&h, " ");
  if (rc == 0) {
    unsigned char lenb[8];
    for (int i = 0; i < 8; i++) lenb[i] = (unsigned char)((uint64_t)h.size >> (8 * i));
    rc = mx__io_write(w, lenb, 8);
    if (rc == 0) rc = mx__io_write(w, h.data, h.size);
    for (int i = 0; rc == 0 && i < arrays->n; i++)
      if (host[i]->size) rc = mx__io_write(w, mx_array_host_data(host[i]), mx_array_nbytes(host[i]));
  }
  for (int i = 0; i < arrays->n; i++)
    if (host[i]) mx_array_release(host[i]);
  free(host);
  free(h.data);
  return rc;
}
