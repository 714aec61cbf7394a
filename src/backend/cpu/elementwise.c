/* Flat elementwise driver (see elementwise.h). */
#include "elementwise.h"

typedef struct flat_ctx {
  int nops;
  char* const* base;
  const int64_t* bst;
  mx__cpu_inner fn;
  void* ctx;
} flat_ctx;

static void flat_chunk(int64_t b, int64_t e, void* p) {
  flat_ctx* f = p;
  char* ptrs[MX__MAX_OPERANDS];
  for (int k = 0; k < f->nops; k++) ptrs[k] = f->base[k] + b * f->bst[k];
  f->fn(e - b, ptrs, f->bst, f->ctx);
}

void mx__cpu_apply_flat(int64_t n, int nops, char* const* base, const int64_t* bstrides,
                        mx__cpu_inner fn, void* ctx) {
  flat_ctx f = {.nops = nops, .base = base, .bst = bstrides, .fn = fn, .ctx = ctx};
  mx_parallel_for(n, MX__GRAIN, flat_chunk, &f);
}

bool mx__cpu_flat_like(const mx_array* in, const int64_t* ref) {
  if (in->data_size != in->size) return false;
  if (!ref) return (in->flags & MX_FLAG_ROW_CONTIGUOUS) != 0;
  for (int i = 0; i < in->ndim; i++) {
    if (in->shape[i] == 1) continue;
    if (in->strides[i] < 0 || in->strides[i] != ref[i]) return false;
  }
  return true;
}
