/* NumPy .npy files.
 *
 * Layout: the magic "\x93NUMPY", a major and minor version byte, the header
 * length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3),
 * then the header itself: a Python dict literal with 'descr', 'fortran_order'
 * and 'shape', padded with spaces and ended by a newline.  The raw data
 * follows.  bfloat16, which NumPy lacks, is written as MLX writes it: the
 * two-byte void type '<V2' (and read back from it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "ops/ops.h"

#define NPY_MAX_DIMS 64

typedef struct npy_header {
  mx_dtype dtype;
  bool swap; /* big-endian data */
  bool fortran;
  int ndim;
  uint64_t dims[NPY_MAX_DIMS];
} npy_header;

/* --- header parsing ---------------------------------------------------------- */

typedef struct cursor {
  const char* p;
  const char* end;
} cursor;

static void skip_space(cursor* c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static bool eat(cursor* c, char ch) {
  skip_space(c);
  if (c->p < c->end && *c->p == ch) {
    c->p++;
    return true;
  }
  return false;
}

/* A quoted Python string without escapes (all the header ever holds). */
static bool quoted(cursor* c, const char** s, size_t* n) {
  skip_space(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return false;
  char q = *c->p++;
  const char* start = c->p;
  while (c->p < c->end && *c->p != q) c->p++;
  if (c->p >= c->end) return false;
  *s = start;
  *n = (size_t)(c->p - start);
  c->p++;
  return true;
}

static bool word(cursor* c, const char* w) {
  skip_space(c);
  size_t n = strlen(w);
  if ((size_t)(c->end - c->p) >= n && memcmp(c->p, w, n) == 0) {
    c->p += n;
    return true;
  }
  return false;
}

static bool parse_uint(cursor* c, uint64_t* v) {
  skip_space(c);
  if (c->p >= c->end || *c->p < '0' || *c->p > '9') return false;
  uint64_t x = 0;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
    unsigned d = (unsigned)(*c->p++ - '0');
    if (x > (UINT64_MAX - d) / 10) return false;
    x = x * 10 + d;
  }
  if (c->p < c->end && *c->p == 'L') c->p++; /* Python 2 longs */
  *v = x;
  return true;
}

static bool descr_dtype(const char* s, size_t n, npy_header* h) {
  if (n < 3) return false;
  char order = s[0], kind = s[1];
  if (order != '<' && order != '>' && order != '|' && order != '=') return false;
  int size = 0;
  for (size_t i = 2; i < n; i++) {
    if (s[i] < '0' || s[i] > '9' || size > 1000) return false;
    size = size * 10 + (s[i] - '0');
  }
  struct { char kind; int size; mx_dtype t; } table[] = {
      {'b', 1, MX_BOOL},    {'u', 1, MX_UINT8},   {'u', 2, MX_UINT16},  {'u', 4, MX_UINT32},
      {'u', 8, MX_UINT64},  {'i', 1, MX_INT8},    {'i', 2, MX_INT16},   {'i', 4, MX_INT32},
      {'i', 8, MX_INT64},   {'f', 2, MX_FLOAT16}, {'f', 4, MX_FLOAT32}, {'f', 8, MX_FLOAT64},
      {'c', 8, MX_COMPLEX64}, {'V', 2, MX_BFLOAT16},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++)
    if (table[i].kind == kind && table[i].size == size) {
      h->dtype = table[i].t;
      h->swap = order == '>' && size > 1;
      return true;
    }
  return false;
}

/* Parses the dict; returns 0, or -1 with an error naming what was wrong. */
static int parse_header(const char* text, size_t len, const char* label, npy_header* h) {
  cursor c = {text, text + len};
  bool have_descr = false, have_order = false, have_shape = false;
  if (!eat(&c, '{')) goto bad;
  while (!eat(&c, '}')) {
    const char* key;
    size_t kn;
    if (!quoted(&c, &key, &kn) || !eat(&c, ':')) goto bad;
    if (kn == 5 && memcmp(key, "descr", 5) == 0) {
      const char* d;
      size_t dn;
      if (!quoted(&c, &d, &dn)) goto bad;
      if (!descr_dtype(d, dn, h))
        return mx_error(MX_ERR_RUNTIME, "[load] Unsupported dtype '%.*s' in file %s",
                        (int)(dn > 32 ? 32 : dn), d, label);
      have_descr = true;
    } else if (kn == 13 && memcmp(key, "fortran_order", 13) == 0) {
      if (word(&c, "True")) h->fortran = true;
      else if (word(&c, "False")) h->fortran = false;
      else goto bad;
      have_order = true;
    } else if (kn == 5 && memcmp(key, "shape", 5) == 0) {
      if (!eat(&c, '(')) goto bad;
      h->ndim = 0;
      while (!eat(&c, ')')) {
        if (h->ndim == NPY_MAX_DIMS || !parse_uint(&c, &h->dims[h->ndim])) goto bad;
        h->ndim++;
        if (!eat(&c, ',')) {
          if (!eat(&c, ')')) goto bad;
          break;
        }
      }
      have_shape = true;
    } else {
      goto bad;
    }
    if (!eat(&c, ',')) {
      if (!eat(&c, '}')) goto bad;
      break;
    }
  }
  if (have_descr && have_order && have_shape) return 0;
bad:
  return mx_error(MX_ERR_RUNTIME, "[load] Invalid header in file %s", label);
}

/* --- loading ----------------------------------------------------------------- */

/* Reverses the axes of a column-major array read with reversed dims, giving
 * the logical array in row-major order. */
static mx_array* from_fortran(mx_array* a) {
  if (a->ndim < 2) return a;
  int axes[NPY_MAX_DIMS];
  for (int i = 0; i < a->ndim; i++) axes[i] = a->ndim - 1 - i;
  mx_stream s = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  mx_array* t = mx_transpose(a, a->ndim, axes, s);
  mx_array_release(a);
  if (!t) return NULL;
  mx_array* c = mx_copy(t, s);
  mx_array_release(t);
  if (c && mx_array_eval(c) != 0) {
    mx_array_release(c);
    return NULL;
  }
  return c;
}

mx_array* mx_load_npy(const mx_io_reader* r) {
  unsigned char pre[12];
  if (mx__io_read(r, "read", pre, 8, 0) != 0) return NULL;
  if (memcmp(pre, "\x93NUMPY", 6) != 0) {
    mx_error(MX_ERR_RUNTIME, "[load] Invalid header in file %s", r->label);
    return NULL;
  }
  int major = pre[6];
  uint64_t hlen, hstart;
  if (major == 1) {
    if (mx__io_read(r, "read", pre + 8, 2, 8) != 0) return NULL;
    hlen = (uint64_t)pre[8] | (uint64_t)pre[9] << 8;
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (mx__io_read(r, "read", pre + 8, 4, 8) != 0) return NULL;
    hlen = (uint64_t)pre[8] | (uint64_t)pre[9] << 8 | (uint64_t)pre[10] << 16 |
           (uint64_t)pre[11] << 24;
    hstart = 12;
  } else {
    mx_error(MX_ERR_RUNTIME, "[load] Unsupported .npy format version %d in file %s", major,
             r->label);
    return NULL;
  }
  if (hlen > r->size - hstart) {
    mx_error(MX_ERR_RUNTIME, "[read] Unable to read %llu bytes from file.",
             (unsigned long long)hlen);
    return NULL;
  }
  char* text = malloc(hlen ? hlen : 1);
  if (!text) {
    mx_error(MX_ERR_MEMORY, "[load] Out of memory.");
    return NULL;
  }
  npy_header h = {0};
  int rc = mx__io_read(r, "read", text, hlen, hstart);
  if (rc == 0) rc = parse_header(text, hlen, r->label, &h);
  free(text);
  if (rc != 0) return NULL;

  uint64_t data_off = hstart + hlen;
  size_t item = mx_dtype_size(h.dtype);
  if (mx__io_checked_nbytes(h.ndim, h.dims, item, r->size - data_off, "load", "The array",
                            MX_ERR_RUNTIME) < 0)
    return NULL;
  int shape[NPY_MAX_DIMS];
  for (int i = 0; i < h.ndim; i++)
    shape[i] = (int)(h.fortran ? h.dims[h.ndim - 1 - i] : h.dims[i]);
  mx_array* a = mx__io_read_array(r, "read", data_off, h.dtype, h.ndim, shape);
  if (!a) return NULL;
  if (h.swap) {
    size_t n = (size_t)a->size, sz = item;
    /* complex64 swaps each float32 half on its own */
    if (h.dtype == MX_COMPLEX64) n *= 2, sz = 4;
    mx__io_byteswap(mx_array_host_data(a), n, sz);
  }
  return h.fortran ? from_fortran(a) : a;
}

/* --- saving -------------------------------------------------------------------- */

static const char* descr_of(mx_dtype t) {
  switch (t) {
    case MX_BOOL: return "|b1";
    case MX_UINT8: return "|u1";
    case MX_UINT16: return "<u2";
    case MX_UINT32: return "<u4";
    case MX_UINT64: return "<u8";
    case MX_INT8: return "|i1";
    case MX_INT16: return "<i2";
    case MX_INT32: return "<i4";
    case MX_INT64: return "<i8";
    case MX_FLOAT16: return "<f2";
    case MX_FLOAT32: return "<f4";
    case MX_FLOAT64: return "<f8";
    case MX_BFLOAT16: return "<V2";
    case MX_COMPLEX64: return "<c8";
    default: return NULL;
  }
}

int mx_save_npy(const mx_io_writer* w, mx_array* arr) {
  const char* descr = descr_of(arr->dtype);
  if (!descr) return mx_error(MX_ERR_VALUE, "[save] Unsupported dtype.");
  mx_array* a = mx__io_host_contiguous(arr);
  if (!a) return -1;
  /* The dict, then spaces and a newline so that the data starts on a
   * 64-byte boundary, as NumPy writes it. */
  char head[64 + 24 * NPY_MAX_DIMS + 128];
  int n = snprintf(head + 10, sizeof head - 10 - 64,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int i = 0; i < a->ndim && n < (int)sizeof head - 200; i++)
    n += snprintf(head + 10 + n, sizeof head - 10 - (size_t)n - 64, "%d,%s", a->shape[i],
                  i + 1 < a->ndim ? " " : "");
  n += snprintf(head + 10 + n, sizeof head - 10 - (size_t)n - 64, "), }");
  int total = 10 + n + 1;
  int padded = (total + 63) / 64 * 64;
  memset(head + 10 + n, ' ', (size_t)(padded - total));
  head[padded - 1] = '\n';
  int hlen = padded - 10;
  memcpy(head, "\x93NUMPY\x01\x00", 8);
  head[8] = (char)(hlen & 0xff);
  head[9] = (char)(hlen >> 8);
  int rc = mx__io_write(w, head, (size_t)padded);
  if (rc == 0 && a->size) rc = mx__io_write(w, mx_array_host_data(a), mx_array_nbytes(a));
  mx_array_release(a);
  return rc;
}
