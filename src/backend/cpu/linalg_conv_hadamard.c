/* Hadamard: the Walsh-Hadamard transform along the last axis.
 *
 * A length n = m * 2^k uses the Hadamard matrix kron(H_m, H_{2^k}): the
 * fast butterfly transform runs over each contiguous run of 2^k elements,
 * then the small dense H_m (m = 12, 20 or 28) mixes the m runs.  The H_m
 * sign tables below are the matrices MLX uses (read off by transforming
 * unit vectors with mlx.core.hadamard_transform): row j lists the signs of
 * the transform of unit vector j, so y[i] = sum_j table[j][i] * x[j].
 * Work happens in float32 (or double) per row; half types are rounded once
 * at the end. */
#include <stdlib.h>

#include "elementwise.h"
#include "table_linalg_conv.h"

static const char* const had12[12] = {
    "+-++++++++++",
    "--+-+-+-+-+-",
    "+++-++----++",
    "+---+--+-++-",
    "+++++-++----",
    "+-+---+--+-+",
    "++--+++-++--",
    "+--++---+--+",
    "++----+++-++",
    "+--+-++---+-",
    "++++----+++-",
    "+-+--+-++---",
};
static const char* const had20[20] = {
    "+-----++++--++--+--+",
    "-+---+-+++---+++-+--",
    "--+--++-+++---+-+-+-",
    "---+-+++-+++-----+-+",
    "----+++++--++--+--+-",
    "+----+----+-++---++-",
    "-+----+----+-++---++",
    "--+----+--+-+-++---+",
    "---+----+-++-+-++---",
    "----+----+-++-+-++--",
    "++--+-+--++----+----",
    "+++--+-+---+----+---",
    "-+++--+-+---+----+--",
    "--+++--+-+---+----+-",
    "+--+++--+-----+----+",
    "+-++-++--+-+++++----",
    "-+-+++++--+-+++-+---",
    "+-+-+-+++-++-++--+--",
    "++-+---++++++-+---+-",
    "-++-++--++++++-----+",
};
static const char* const had28[28] = {
    "+--------++++--+-++-+-++--++",
    "-+--------+++++-+-++-+-++--+",
    "--+----+---+++-+-+-++++-++--",
    "---+---++---+++-+-+-+-++-++-",
    "----+--+++---+++-+-+---++-++",
    "-----+-++++----++-+-++--++-+",
    "------+-++++--+-++-+-++--++-",
    "++----++------+--++---+-++-+",
    "+++-----+------+--++-+-+-++-",
    "-+++-----+------+--++-+-+-++",
    "--+++-----+---+--+--++-+-+-+",
    "---+++-----+--++--+--++-+-+-",
    "----+++-----+--++--+--++-+-+",
    "+----++------+--++--++-++-+-",
    "+-+--+--++--+++------++----+",
    "-+-+--++-++--+-+-----+++----",
    "+-+-+--++-++----+-----+++---",
    "-+-+-+--++-++----+-----+++--",
    "--+-+-+--++-++----+-----+++-",
    "+--+-+-+--++-+-----+-----+++",
    "-+--+-+++--++-------++----++",
    "+--++--+-+--+---++++-+------",
    "-+--++--+-+--+---++++-+-----",
    "--+--+++-+-+--+---+++--+----",
    "+--+--+-+-+-+-++---++---+---",
    "++--+----+-+-++++---+----+--",
    "-++--+-+--+-+-++++--------+-",
    "--++--+-+--+-+-++++--------+",
};

/* The sign table for m (1 has none). */
static const char* const* table_for(int m) {
  switch (m) {
    case 12: return had12;
    case 20: return had20;
    case 28: return had28;
    default: return NULL;
  }
}

/* In-place fast Walsh-Hadamard transform of x[0 .. len), len a power of 2. */
MX__SIMD static void fwht(float* x, int64_t len) {
  for (int64_t h = 1; h < len; h *= 2) {
    for (int64_t i = 0; i < len; i += 2 * h) {
      float* lo = x + i;
      float* hi = x + i + h;
      for (int64_t j = 0; j < h; j++) {
        float u = lo[j], v = hi[j];
        lo[j] = u + v;
        hi[j] = u - v;
      }
    }
  }
}

typedef struct had_ctx {
  const char* in;
  char* out;
  mx_dtype dt;
  int64_t n, pow2;
  int m;
  const char* const* table;
  float scale;
  _Atomic int failed;
} had_ctx;

static void had_rows(int64_t begin, int64_t end, void* arg) {
  had_ctx* c = arg;
  size_t isz = mx_dtype_size(c->dt);
  float* row = malloc((size_t)c->n * sizeof(float));
  float* mix = c->m > 1 ? malloc((size_t)c->m * sizeof(float)) : NULL;
  if (!row || (c->m > 1 && !mix)) {
    c->failed = 1;
    free(row);
    free(mix);
    return;
  }
  mx__cpu_inner to_f32 = mx__cpu_convert_fn(c->dt, MX_FLOAT32);
  mx__cpu_inner from_f32 = mx__cpu_convert_fn(MX_FLOAT32, c->dt);
  int64_t st_in[2] = {sizeof(float), (int64_t)isz};
  int64_t st_out[2] = {(int64_t)isz, sizeof(float)};
  for (int64_t r = begin; r < end; r++) {
    char* ptrs[2] = {(char*)row, (char*)c->in + r * c->n * (int64_t)isz};
    to_f32(c->n, ptrs, st_in, NULL);
    for (int64_t b = 0; b < c->m; b++) fwht(row + b * c->pow2, c->pow2);
    if (c->m > 1) {
      for (int64_t t = 0; t < c->pow2; t++) {
        for (int i = 0; i < c->m; i++) {
          float acc = 0.0f;
          for (int j = 0; j < c->m; j++) {
            float v = row[j * c->pow2 + t];
            acc += c->table[j][i] == '+' ? v : -v;
          }
          mix[i] = acc;
        }
        for (int i = 0; i < c->m; i++) row[i * c->pow2 + t] = mix[i];
      }
    }
    for (int64_t i = 0; i < c->n; i++) row[i] *= c->scale;
    char* optrs[2] = {c->out + r * c->n * (int64_t)isz, (char*)row};
    from_f32(c->n, optrs, st_out, NULL);
  }
  free(row);
  free(mix);
}

int mx__cpu_hadamard(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_hadamard_params* p = node->params;
  mx_array *in = inputs[0], *out = outputs[0];
  if (in->dtype != out->dtype || !mx_dtype_is_float(out->dtype) || out->dtype == MX_FLOAT64)
    return mx_error(MX_ERR_VALUE, "[hadamard] Unsupported type.");
  int64_t n = out->ndim ? out->shape[out->ndim - 1] : 1;
  int m = 1;
  int64_t pow2 = n;
  if (n > 0 && (n & (n - 1)) != 0) {
    static const int ms[3] = {12, 20, 28};
    m = 0;
    for (int i = 0; i < 3 && !m; i++) {
      if (n % ms[i] == 0) {
        int64_t q = n / ms[i];
        if ((q & (q - 1)) == 0) {
          m = ms[i];
          pow2 = q;
        }
      }
    }
    if (!m) return mx_error(MX_ERR_VALUE, "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).");
  }
  if (!mx__cpu_alloc(out)) return -1;
  if (out->size == 0) return 0;
  /* The rows are read as one dense run: copy a strided input first. */
  char* dense = NULL;
  const char* pin = mx__cpu_in_ptr(in);
  if (!pin) return -1;
  if (!mx__cpu_flat_like(in, NULL)) {
    dense = malloc((size_t)mx_array_nbytes(out));
    if (!dense) return mx_error(MX_ERR_MEMORY, "[hadamard] Out of memory.");
    mx__cpu_copy_into(in, pin, dense, in->dtype, out->ndim, out->shape);
    pin = dense;
  }
  had_ctx c = {pin, mx__cpu_out_ptr(out), out->dtype, n, pow2, m, table_for(m), p->scale, 0};
  int64_t rows = out->size / n;
  int64_t grain = n >= MX__GRAIN ? 1 : MX__GRAIN / n;
  mx_parallel_for(rows, grain, had_rows, &c);
  free(dense);
  if (c.failed) return mx_error(MX_ERR_MEMORY, "[hadamard] Out of memory.");
  mx__cpu_written(out);
  return 0;
}
