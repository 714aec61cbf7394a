/* Concatenate and Pad kernels.  Both write each input into a strided
 * region of a fresh output with the shared N-d copy driver, so they get its
 * dimension collapsing and threading. */
#include <stdlib.h>

#include "elementwise.h"
#include "table_shape.h"

/* Copies `in` (any layout, same shape as the region) into the region of
 * the row-contiguous output starting at `dst` whose strides are `ost`. */
static void copy_region(mx_array* in, char* dst, const int64_t* ost) {
  const char* src = mx__cpu_in_ptr(in);
  char* base[2] = {dst, (char*)src};
  const int64_t* st[2] = {ost, in->strides};
  size_t isz[2] = {mx_array_itemsize(in), mx_array_itemsize(in)};
  mx__cpu_apply(in->ndim, in->shape, 2, base, st, isz, mx__cpu_convert_fn(in->dtype, in->dtype),
                NULL);
}

int mx__cpu_concatenate(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* out = outputs[0];
  const mx_concatenate_params* p = node->params;
  if (!p || p->axis < 0 || p->axis >= out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[Concatenate] Inconsistent parameters.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  int nd = out->ndim;
  int64_t ost[nd];
  mx_row_strides(nd, out->shape, ost);
  size_t z = mx_array_itemsize(out);
  int64_t at = 0;
  for (int i = 0; i < node->n_inputs; i++) {
    mx_array* in = inputs[i];
    if (in->dtype != out->dtype || in->ndim != nd)
      return mx_error(MX_ERR_RUNTIME, "[Concatenate] Inconsistent inputs.");
    if (in->size > 0) {
      if (!mx__cpu_in_ptr(in)) return -1;
      copy_region(in, po + at * ost[p->axis] * (int64_t)z, ost);
    }
    at += in->shape[p->axis];
  }
  mx__cpu_written(out);
  return 0;
}

/* Fills n elements of size z with the bytes of one element. */
static void fill_elems(char* dst, int64_t n, const char* val, size_t z) {
  switch (z) {
    case 1: memset(dst, (unsigned char)val[0], (size_t)n); return;
    case 2: {
      uint16_t v;
      memcpy(&v, val, 2);
      for (int64_t i = 0; i < n; i++) ((uint16_t*)dst)[i] = v;
      return;
    }
    case 4: {
      uint32_t v;
      memcpy(&v, val, 4);
      for (int64_t i = 0; i < n; i++) ((uint32_t*)dst)[i] = v;
      return;
    }
    default: {
      uint64_t v;
      memcpy(&v, val, 8);
      for (int64_t i = 0; i < n; i++) ((uint64_t*)dst)[i] = v;
      return;
    }
  }
}

/* Source index along one dim for output index j (lo: width before, n: the
 * input size), NumPy's rules; -1 when the input dim is empty. */
static int64_t pad_source(int mode, int64_t j, int64_t lo, int64_t n) {
  if (n == 0) return -1;
  int64_t i = j - lo;
  if (i >= 0 && i < n) return i;
  if (mode == MX_PAD_EDGE || n == 1) return i < 0 ? 0 : n - 1;
  if (mode == MX_PAD_REFLECT) {
    /* Period 2(n-1): 0 1 .. n-1 n-2 .. 1 | 0 1 ... */
    int64_t per = 2 * (n - 1);
    int64_t m = ((i % per) + per) % per;
    return m < n ? m : per - m;
  }
  /* Symmetric, period 2n: 0 1 .. n-1 n-1 .. 0 | 0 1 ... */
  int64_t per = 2 * n;
  int64_t m = ((i % per) + per) % per;
  return m < n ? m : per - 1 - m;
}

typedef struct pad_ctx {
  mx_array* out;
  char* po;
  const char* pi;
  const mx_array* in;
  int64_t** maps; /* per dim: output index -> input index (or -1) */
  const char* zero;
} pad_ctx;

/* Output rows (all dims but the last) [b, e): gather through the maps. */
static void pad_rows(int64_t b, int64_t e, void* vctx) {
  pad_ctx* c = vctx;
  const mx_array* in = c->in;
  int nd = c->out->ndim;
  int64_t cols = c->out->shape[nd - 1];
  size_t z = mx_array_itemsize(c->out);
  int idx[nd > 1 ? nd - 1 : 1];
  int64_t r = b;
  for (int d = nd - 2; d >= 0; d--) {
    idx[d] = (int)(r % c->out->shape[d]);
    r /= c->out->shape[d];
  }
  const int64_t* lastmap = c->maps[nd - 1];
  int64_t lst = in->strides[nd - 1] * (int64_t)z;
  for (int64_t row = b; row < e; row++) {
    char* dst = c->po + row * cols * (int64_t)z;
    int64_t off = 0;
    bool empty = false;
    for (int d = 0; d < nd - 1; d++) {
      int64_t si = c->maps[d][idx[d]];
      if (si < 0) empty = true;
      else off += si * in->strides[d];
    }
    const char* src = c->pi + off * (int64_t)z;
    for (int64_t j = 0; j < cols; j++) {
      int64_t si = lastmap[j];
      memcpy(dst + j * (int64_t)z, (empty || si < 0) ? c->zero : src + si * lst, z);
    }
    for (int d = nd - 2; d >= 0; d--) {
      if (++idx[d] < c->out->shape[d]) break;
      idx[d] = 0;
    }
  }
}

int mx__cpu_pad(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* in = inputs[0];
  mx_array* val = inputs[1];
  mx_array* out = outputs[0];
  const mx_pad_params* p = node->params;
  if (!p || p->ndim != out->ndim || in->ndim != out->ndim || val->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[Pad] Inconsistent parameters.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  int nd = out->ndim;
  size_t z = mx_array_itemsize(out);
  const int* lo = p->widths;
  if (p->mode == MX_PAD_CONSTANT || in->size == 0 || nd == 0) {
    /* Fill everything with the value, then copy the input into the middle.
     * An empty input leaves only padding in every mode (zero when the mode
     * reads from the input, as MLX does). */
    char v[16] = {0};
    if (p->mode == MX_PAD_CONSTANT) {
      const char* pv = mx__cpu_in_ptr(val);
      if (!pv) return -1;
      memcpy(v, pv, z);
    }
    fill_elems(po, out->size, v, z);
    if (in->size > 0) {
      int64_t ost[nd];
      mx_row_strides(nd, out->shape, ost);
      int64_t start = 0;
      for (int d = 0; d < nd; d++) start += (int64_t)lo[d] * ost[d];
      if (!mx__cpu_in_ptr(in)) return -1;
      copy_region(in, po + start * (int64_t)z, ost);
    }
    mx__cpu_written(out);
    return 0;
  }
  const char* pi = mx__cpu_in_ptr(in);
  if (!pi) return -1;
  int64_t total = 0;
  for (int d = 0; d < nd; d++) total += out->shape[d];
  int64_t* all = malloc((size_t)total * sizeof(int64_t));
  int64_t* maps[nd];
  if (!all) return mx_error(MX_ERR_MEMORY, "[Pad] Out of memory.");
  int64_t at = 0;
  for (int d = 0; d < nd; d++) {
    maps[d] = all + at;
    for (int64_t j = 0; j < out->shape[d]; j++)
      maps[d][j] = pad_source(p->mode, j, lo[d], in->shape[d]);
    at += out->shape[d];
  }
  static const char zero[16];
  pad_ctx c = {.out = out, .po = po, .pi = pi, .in = in, .maps = maps, .zero = zero};
  int64_t rows = out->size / out->shape[nd - 1];
  int64_t grain = MX__GRAIN / out->shape[nd - 1];
  mx_parallel_for(rows, grain > 0 ? grain : 1, pad_rows, &c);
  free(all);
  mx__cpu_written(out);
  return 0;
}
