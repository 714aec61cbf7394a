/* Output allocation, broadcasting strides and the strided N-d driver shared
 * by the CPU kernels (see cpu_internal.h). */
#include "cpu_internal.h"

char* mx__cpu_alloc(mx_array* out) {
  if (mx_array_alloc_data(out, false) != 0) return NULL;
  char* p = mx__cpu_out_ptr(out);
  if (!p && out->size > 0) mx_error(MX_ERR_MEMORY, "[cpu] Could not map output memory.");
  return p;
}

char* mx__cpu_alloc_donate(mx_array* out, mx_array* const* cands, int n) {
  if (mx_array_alloc_or_donate(out, cands, n, false) != 0) return NULL;
  char* p = mx__cpu_out_ptr(out);
  if (!p && out->size > 0) mx_error(MX_ERR_MEMORY, "[cpu] Could not map output memory.");
  return p;
}

const char* mx__cpu_in_ptr(mx_array* in) {
  /* An empty input is never read; give kernels a harmless non-NULL pointer
   * so they need no special case. */
  static const char empty[16];
  if (in->size == 0) return empty;
  return mx_array_host_data(in);
}

void mx__cpu_bcast_strides(const mx_array* in, int ndim, const int* shape, int64_t* strides) {
  int lead = ndim - in->ndim;
  for (int i = 0; i < ndim; i++) {
    if (i < lead) {
      strides[i] = 0;
    } else {
      int d = in->shape[i - lead];
      strides[i] = (d == 1 && shape[i] != 1) ? 0 : in->strides[i - lead];
    }
  }
}

int mx__cpu_collapse(int ndim, int64_t* shape, int nops, int64_t** strides) {
  int nd = 0;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 1) continue; /* a size-1 dim never moves the pointer */
    if (nd > 0) {
      bool merge = true;
      for (int k = 0; k < nops && merge; k++)
        merge = strides[k][nd - 1] == strides[k][i] * shape[i];
      if (merge) {
        shape[nd - 1] *= shape[i];
        for (int k = 0; k < nops; k++) strides[k][nd - 1] = strides[k][i];
        continue;
      }
    }
    shape[nd] = shape[i];
    for (int k = 0; k < nops; k++) strides[k][nd] = strides[k][i];
    nd++;
  }
  return nd;
}

typedef struct apply_ctx {
  int nd;
  const int64_t* shape;
  int nops;
  char* const* base;
  int64_t* const* bst; /* byte strides per operand */
  mx__cpu_inner fn;
  void* ctx;
} apply_ctx;

/* One contiguous range of the innermost dim (the whole space is one row). */
static void apply_flat(int64_t b, int64_t e, void* p) {
  apply_ctx* a = p;
  char* ptrs[MX__MAX_OPERANDS];
  int64_t inner[MX__MAX_OPERANDS];
  for (int k = 0; k < a->nops; k++) {
    inner[k] = a->bst[k][a->nd - 1];
    ptrs[k] = a->base[k] + b * inner[k];
  }
  a->fn(e - b, ptrs, inner, a->ctx);
}

/* Rows [b, e) of the outer dims, one inner call per row. */
static void apply_rows(int64_t b, int64_t e, void* p) {
  apply_ctx* a = p;
  int outer = a->nd - 1;
  int64_t idx[outer > 0 ? outer : 1];
  char* ptrs[MX__MAX_OPERANDS];
  int64_t inner[MX__MAX_OPERANDS];
  for (int k = 0; k < a->nops; k++) {
    inner[k] = a->bst[k][outer];
    ptrs[k] = a->base[k];
  }
  int64_t r = b;
  for (int i = outer - 1; i >= 0; i--) {
    idx[i] = r % a->shape[i];
    r /= a->shape[i];
    for (int k = 0; k < a->nops; k++) ptrs[k] += idx[i] * a->bst[k][i];
  }
  int64_t n = a->shape[outer];
  for (int64_t row = b; row < e; row++) {
    a->fn(n, ptrs, inner, a->ctx);
    /* Odometer increment of the outer index. */
    for (int i = outer - 1; i >= 0; i--) {
      for (int k = 0; k < a->nops; k++) ptrs[k] += a->bst[k][i];
      if (++idx[i] < a->shape[i]) break;
      for (int k = 0; k < a->nops; k++) ptrs[k] -= a->shape[i] * a->bst[k][i];
      idx[i] = 0;
    }
  }
}

void mx__cpu_apply(int ndim, const int* shape, int nops, char* const* base,
                   const int64_t* const* strides, const size_t* isz, mx__cpu_inner fn, void* ctx) {
  int cap = ndim > 0 ? ndim : 1;
  int64_t sh[cap];
  int64_t st[MX__MAX_OPERANDS][cap];
  int64_t* stp[MX__MAX_OPERANDS];
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 0) return;
    sh[i] = shape[i];
  }
  for (int k = 0; k < nops; k++) {
    stp[k] = st[k];
    for (int i = 0; i < ndim; i++) st[k][i] = strides[k][i] * (int64_t)isz[k];
  }
  int nd = mx__cpu_collapse(ndim, sh, nops, stp);
  if (nd == 0) {
    int64_t zero[MX__MAX_OPERANDS] = {0};
    fn(1, base, zero, ctx);
    return;
  }
  apply_ctx a = {.nd = nd, .shape = sh, .nops = nops, .base = base, .bst = stp, .fn = fn,
                 .ctx = ctx};
  int64_t rows = 1;
  for (int i = 0; i < nd - 1; i++) rows *= sh[i];
  int64_t n = sh[nd - 1];
  if (rows == 1) {
    mx_parallel_for(n, MX__GRAIN, apply_flat, &a);
  } else {
    int64_t grain = MX__GRAIN / n;
    mx_parallel_for(rows, grain > 0 ? grain : 1, apply_rows, &a);
  }
}
