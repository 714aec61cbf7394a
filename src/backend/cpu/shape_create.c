/* Creation kernels of the shape family: Eye, Tri, TriMask (tril/triu) and
 * the window functions. */
#include <math.h>

#include "elementwise.h"
#include "table_shape.h"

/* The bytes of 1 in `t` (at most 8 bytes: every dtype fits). */
static void one_of(mx_dtype t, char* out) {
  double one = 1.0;
  char* ptrs[2] = {out, (char*)&one};
  int64_t bst[2] = {0, 0};
  mx__cpu_convert_fn(MX_FLOAT64, t)(1, ptrs, bst, NULL);
}

typedef struct band_ctx {
  char* po;
  int m, k;
  size_t z;
  bool eye;
  char one[16];
} band_ctx;

static void band_rows(int64_t b, int64_t e, void* vctx) {
  band_ctx* c = vctx;
  for (int64_t i = b; i < e; i++) {
    char* row = c->po + i * c->m * (int64_t)c->z;
    memset(row, 0, (size_t)c->m * c->z);
    /* Columns j with j - i == k (eye) or j - i <= k (tri). */
    int64_t hi = i + c->k;
    int64_t lo = c->eye ? hi : 0;
    if (hi >= c->m) hi = c->m - 1;
    if (lo < 0) lo = 0;
    for (int64_t j = lo; j <= hi; j++) memcpy(row + j * (int64_t)c->z, c->one, c->z);
  }
}

static int band(mx_node* node, mx_array* out, bool eye) {
  const mx_tri_params* p = node->params;
  if (!p || out->ndim != 2) return mx_error(MX_ERR_RUNTIME, "[Tri] Inconsistent parameters.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  band_ctx c = {.po = po, .m = out->shape[1], .k = p->k, .z = mx_array_itemsize(out), .eye = eye};
  one_of(out->dtype, c.one);
  int64_t grain = MX__GRAIN / (out->shape[1] > 0 ? out->shape[1] : 1);
  mx_parallel_for(out->shape[0], grain > 0 ? grain : 1, band_rows, &c);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_eye(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)inputs;
  return band(node, outputs[0], true);
}

int mx__cpu_tri(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)inputs;
  return band(node, outputs[0], false);
}

typedef struct mask_ctx {
  char* po;
  int rows, cols, k;
  bool upper;
  size_t z;
} mask_ctx;

/* Matrices [b, e) of the row-contiguous output: zero outside the kept
 * triangle. */
static void mask_mats(int64_t b, int64_t e, void* vctx) {
  mask_ctx* c = vctx;
  int64_t z = (int64_t)c->z;
  for (int64_t m = b; m < e; m++) {
    char* mat = c->po + m * c->rows * c->cols * z;
    for (int64_t i = 0; i < c->rows; i++) {
      char* row = mat + i * c->cols * z;
      /* tril keeps j <= i + k; triu keeps j >= i + k. */
      int64_t edge = i + c->k;
      if (c->upper) {
        int64_t n = edge < 0 ? 0 : (edge > c->cols ? c->cols : edge);
        memset(row, 0, (size_t)(n * z));
      } else {
        int64_t from = edge + 1 < 0 ? 0 : edge + 1;
        if (from < c->cols) memset(row + from * z, 0, (size_t)((c->cols - from) * z));
      }
    }
  }
}

int mx__cpu_tri_mask(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  const mx_tri_mask_params* p = node->params;
  if (!p || out->ndim < 2 || in->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[TriMask] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  const char* pi = mx__cpu_in_ptr(in);
  if (!pi) return -1;
  bool flat = mx__cpu_flat_like(in, NULL);
  char* po = flat ? mx__cpu_alloc_donate(out, &in, 1) : mx__cpu_alloc(out);
  if (!po) return -1;
  if (po != pi) mx__cpu_copy_into(in, pi, po, out->dtype, out->ndim, out->shape);
  int nd = out->ndim;
  mask_ctx c = {.po = po,
                .rows = out->shape[nd - 2],
                .cols = out->shape[nd - 1],
                .k = p->k,
                .upper = p->upper != 0,
                .z = mx_array_itemsize(out)};
  int64_t mats = out->size / ((int64_t)c.rows * c.cols);
  int64_t per = (int64_t)c.rows * c.cols;
  int64_t grain = MX__GRAIN / (per > 0 ? per : 1);
  mx_parallel_for(mats, grain > 0 ? grain : 1, mask_mats, &c);
  mx__cpu_written(out);
  return 0;
}

/* NumPy's window definitions, evaluated in double and rounded once. */
int mx__cpu_window(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)inputs;
  mx_array* out = outputs[0];
  const mx_window_params* p = node->params;
  if (!p || out->dtype != MX_FLOAT32 || out->ndim != 1)
    return mx_error(MX_ERR_RUNTIME, "[Window] Inconsistent parameters.");
  float* po = (float*)mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  int64_t n = out->size;
  if (n == 0) return 0;
  if (n == 1) {
    po[0] = 1.0f;
    mx__cpu_written(out);
    return 0;
  }
  const double pi = 3.14159265358979323846;
  double d = (double)(n - 1);
  for (int64_t i = 0; i < n; i++) {
    double x = (double)i, w;
    switch (p->kind) {
      case MX_WINDOW_BARTLETT: w = 1.0 - fabs(2.0 * x / d - 1.0); break;
      case MX_WINDOW_HANNING: w = 0.5 - 0.5 * cos(2.0 * pi * x / d); break;
      case MX_WINDOW_HAMMING: w = 0.54 - 0.46 * cos(2.0 * pi * x / d); break;
      default: w = 0.42 - 0.5 * cos(2.0 * pi * x / d) + 0.08 * cos(4.0 * pi * x / d); break;
    }
    po[i] = (float)w;
  }
  mx__cpu_written(out);
  return 0;
}
