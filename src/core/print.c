/* Printing arrays as MLX does; the rules are listed in print.h. */
#include "print.h"

#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval.h"

/* --- options ------------------------------------------------------------- */

/* The only option is one int, so an atomic int makes reads and writes whole
 * without a lock.  Should options grow, pack them or take a mutex so a print
 * still sees one consistent set. */
static atomic_int g_precision = -1;

mx_print_options mx_print_options_default(void) {
  mx_print_options o = {.precision = -1};
  return o;
}

mx_print_options mx_get_print_options(void) {
  mx_print_options o = {.precision = atomic_load(&g_precision)};
  return o;
}

void mx_set_print_options(mx_print_options opts) { atomic_store(&g_precision, opts.precision); }

/* --- a growing string ------------------------------------------------------ */

enum { FAIL_NONE, FAIL_MEMORY, FAIL_FORMAT };

typedef struct strbuf {
  char* p;
  size_t len, cap;
  int failed; /* FAIL_*: once set, later appends do nothing */
} strbuf;

static int sb_reserve(strbuf* sb, size_t extra) {
  if (sb->failed) return -1;
  size_t need = sb->len + extra + 1;
  if (need <= sb->cap) return 0;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) { cap = need; break; }
    cap *= 2;
  }
  char* q = realloc(sb->p, cap);
  if (!q) {
    sb->failed = FAIL_MEMORY;
    return -1;
  }
  sb->p = q;
  sb->cap = cap;
  return 0;
}

static void sb_append(strbuf* sb, const char* s, size_t n) {
  if (sb_reserve(sb, n) != 0) return;
  memcpy(sb->p + sb->len, s, n);
  sb->len += n;
  sb->p[sb->len] = '\0';
}

static void sb_puts(strbuf* sb, const char* s) { sb_append(sb, s, strlen(s)); }

static void sb_spaces(strbuf* sb, size_t n) {
  if (sb_reserve(sb, n) != 0) return;
  memset(sb->p + sb->len, ' ', n);
  sb->len += n;
  sb->p[sb->len] = '\0';
}

/* --- one element ------------------------------------------------------------ */

int mx_format_float(char* buf, size_t buflen, double v, int precision) {
  /* NaN and infinity are spelled out here rather than left to printf so the
   * sign of a NaN ("-nan", as MLX shows it) does not depend on the C
   * library. */
  const char* special = NULL;
  if (isnan(v)) special = signbit(v) ? "-nan" : "nan";
  else if (isinf(v)) special = v < 0 ? "-inf" : "inf";
  if (special) return snprintf(buf, buflen, "%s", special);
  int n;
  if (precision == -1) {
    n = snprintf(buf, buflen, "%g", v);
  } else {
    /* printf treats a negative precision as absent, i.e. 6 digits, which
     * is what MLX shows for precisions such as -2. */
    n = snprintf(buf, buflen, "%.*f", precision, v);
  }
  if (n < 0) return -1;
  /* A C library set to a locale with a decimal comma would print "1,5";
   * MLX always prints a point.  The formats above never produce a comma
   * otherwise, so swapping it back is safe. */
  size_t written = (size_t)n < buflen ? (size_t)n : (buflen ? buflen - 1 : 0);
  for (size_t i = 0; i < written; i++)
    if (buf[i] == ',') buf[i] = '.';
  return n;
}

/* Appends one float, growing past the stack buffer for long fixed-point
 * output (large precision or huge magnitude). */
static void put_float(strbuf* sb, double v, int precision) {
  char small[64];
  int n = mx_format_float(small, sizeof small, v, precision);
  if (n < 0) {
    sb->failed = FAIL_FORMAT;
    return;
  }
  if ((size_t)n < sizeof small) {
    sb_append(sb, small, (size_t)n);
    return;
  }
  if (sb_reserve(sb, (size_t)n) != 0) return;
  if (mx_format_float(sb->p + sb->len, (size_t)n + 1, v, precision) != n) {
    sb->failed = FAIL_FORMAT;
    return;
  }
  sb->len += (size_t)n;
}

static void put_element(strbuf* sb, mx_dtype dt, const char* p, int precision) {
  char tmp[32];
  switch (dt) {
    case MX_BOOL: sb_puts(sb, *(const bool*)p ? "True" : "False"); return;
    case MX_UINT8: snprintf(tmp, sizeof tmp, "%u", (unsigned)*(const uint8_t*)p); break;
    case MX_UINT16: snprintf(tmp, sizeof tmp, "%u", (unsigned)*(const uint16_t*)p); break;
    case MX_UINT32: snprintf(tmp, sizeof tmp, "%" PRIu32, *(const uint32_t*)p); break;
    case MX_UINT64: snprintf(tmp, sizeof tmp, "%" PRIu64, *(const uint64_t*)p); break;
    case MX_INT8: snprintf(tmp, sizeof tmp, "%d", (int)*(const int8_t*)p); break;
    case MX_INT16: snprintf(tmp, sizeof tmp, "%d", (int)*(const int16_t*)p); break;
    case MX_INT32: snprintf(tmp, sizeof tmp, "%" PRId32, *(const int32_t*)p); break;
    case MX_INT64: snprintf(tmp, sizeof tmp, "%" PRId64, *(const int64_t*)p); break;
    /* Half types are shown through float32, as MLX does; the float is then
     * widened to double exactly, so the digits are the float32 digits. */
    case MX_FLOAT16: put_float(sb, mx_f16_to_f32(*(const uint16_t*)p), precision); return;
    case MX_BFLOAT16: put_float(sb, mx_bf16_to_f32(*(const uint16_t*)p), precision); return;
    case MX_FLOAT32: put_float(sb, *(const float*)p, precision); return;
    case MX_FLOAT64: put_float(sb, *(const double*)p, precision); return;
    case MX_COMPLEX64: {
      mx_complex64 c;
      memcpy(&c, p, sizeof c);
      put_float(sb, c.re, precision);
      /* Only a truly negative imaginary part gets "-": -0 and -nan compare
       * false with 0 and so print as "+-0" and "+-nan", as MLX does. */
      if (c.im < 0) {
        sb_puts(sb, "-");
        put_float(sb, -c.im, precision);
      } else {
        sb_puts(sb, "+");
        put_float(sb, c.im, precision);
      }
      sb_puts(sb, "j");
      return;
    }
    default: sb->failed = FAIL_FORMAT; return;
  }
  sb_puts(sb, tmp);
}

/* --- the nested brackets ----------------------------------------------------- */

enum { EDGE_ITEMS = 3 }; /* an axis longer than 2 * EDGE_ITEMS is summarised */

/* Walks the array in print order with an explicit per-axis counter instead
 * of recursion, so a rank-10000 array cannot exhaust the stack.  pos[d] is
 * the next index to print on axis d and base[d] the element offset of the
 * sub-array being printed at depth d. */
static void put_nested(strbuf* sb, mx_array* a, const char* data, int precision) {
  int nd = a->ndim;
  size_t item = mx_dtype_size(a->dtype);
  int64_t* pos = calloc((size_t)nd, sizeof *pos);
  int64_t* base = calloc((size_t)nd, sizeof *base);
  if (!pos || !base) {
    free(pos);
    free(base);
    sb->failed = FAIL_MEMORY;
    return;
  }
  int d = 0;
  sb_puts(sb, "[");
  while (!sb->failed) {
    int64_t n = a->shape[d];
    bool last_axis = d == nd - 1;
    if (pos[d] >= n) {
      /* Axis d is done: close it and continue with its parent. */
      sb_puts(sb, "]");
      if (d == 0) break;
      d--;
      if (pos[d] != a->shape[d] - 1) sb_puts(sb, ",\n");
      pos[d]++;
      continue;
    }
    /* Sub-arrays after the first start a new line under the previous one. */
    if (pos[d] > 0 && !last_axis) sb_spaces(sb, 7 + (size_t)d);
    if (pos[d] == EDGE_ITEMS && n > 2 * EDGE_ITEMS) {
      sb_puts(sb, last_axis ? "..., " : "...,\n");
      pos[d] = n - EDGE_ITEMS;
      continue;
    }
    int64_t off = base[d] + pos[d] * a->strides[d];
    if (last_axis) {
      put_element(sb, a->dtype, data + off * (int64_t)item, precision);
      if (pos[d] != n - 1) sb_puts(sb, ", ");
      pos[d]++;
    } else {
      d++;
      base[d] = off;
      pos[d] = 0;
      sb_puts(sb, "[");
    }
  }
  free(pos);
  free(base);
}

/* --- entry points ------------------------------------------------------------- */

char* mx_array_tostring(mx_array* a) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "array to string: the array is NULL");
    return NULL;
  }
  if (!mx_dtype_valid((int)a->dtype)) {
    mx_error(MX_ERR_VALUE, "array to string: invalid dtype %d", (int)a->dtype);
    return NULL;
  }
  if (mx_array_eval(a) != 0) return NULL;
  /* Take the precision once so a concurrent mx_set_print_options() cannot
   * change the format halfway through the array. */
  int precision = mx_get_print_options().precision;

  const char* data = NULL;
  if (a->size > 0) {
    data = mx_array_host_data(a);
    if (!data) return NULL;
  }

  strbuf sb = {0};
  sb_puts(&sb, "array(");
  if (a->ndim == 0) put_element(&sb, a->dtype, data, precision);
  else put_nested(&sb, a, data, precision);
  sb_puts(&sb, ", dtype=");
  sb_puts(&sb, mx_dtype_name(a->dtype));
  sb_puts(&sb, ")");
  if (sb.failed) {
    free(sb.p);
    if (sb.failed == FAIL_MEMORY)
      mx_error(MX_ERR_MEMORY, "array to string: out of memory formatting an array of %" PRId64
               " elements", a->size);
    else
      mx_error(MX_ERR_VALUE, "array to string: cannot format an element with precision %d",
               precision);
    return NULL;
  }
  return sb.p;
}

char* mx_array_tostr(mx_array* a) { return mx_array_tostring(a); }
