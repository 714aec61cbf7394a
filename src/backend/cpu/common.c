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

/* Tiled mode for operands whose two innermost dims are transposed relative
 * to each other (e.g. a row-major output written from a transposed input):
 * walking whole rows would touch a new cache line per element on one side,
 * so the last two dims are covered in TILE x TILE squares that stay in L1.
 * Task t is one TILE-row band of one outer "plane". */
#define TILE 32
static void apply_tiles(int64_t b, int64_t e, void* p) {
  apply_ctx* a = p;
  int nd = a->nd;
  int64_t R = a->shape[nd - 2], C = a->shape[nd - 1];
  int64_t bands = (R + TILE - 1) / TILE;
  int64_t inner[MX__MAX_OPERANDS];
  for (int k = 0; k < a->nops; k++) inner[k] = a->bst[k][nd - 1];
  for (int64_t t = b; t < e; t++) {
    int64_t plane = t / bands, i0 = (t % bands) * TILE;
    int64_t i1 = i0 + TILE < R ? i0 + TILE : R;
    char* base[MX__MAX_OPERANDS];
    for (int k = 0; k < a->nops; k++) base[k] = a->base[k];
    int64_t r = plane;
    for (int i = nd - 3; i >= 0; i--) {
      int64_t idx = r % a->shape[i];
      r /= a->shape[i];
      for (int k = 0; k < a->nops; k++) base[k] += idx * a->bst[k][i];
    }
    for (int64_t j0 = 0; j0 < C; j0 += TILE) {
      int64_t jn = C - j0 < TILE ? C - j0 : TILE;
      for (int64_t i = i0; i < i1; i++) {
        char* ptrs[MX__MAX_OPERANDS];
        for (int k = 0; k < a->nops; k++)
          ptrs[k] = base[k] + i * a->bst[k][nd - 2] + j0 * inner[k];
        a->fn(jn, ptrs, inner, a->ctx);
      }
    }
  }
}

/* Does some operand step faster along dim nd-2 than along the last dim? */
static bool wants_tiles(int nd, const int64_t* sh, int nops, int64_t* const* bst) {
  if (nd < 2 || sh[nd - 1] < TILE || sh[nd - 2] < TILE) return false;
  for (int k = 0; k < nops; k++) {
    int64_t r = bst[k][nd - 2] < 0 ? -bst[k][nd - 2] : bst[k][nd - 2];
    int64_t c = bst[k][nd - 1] < 0 ? -bst[k][nd - 1] : bst[k][nd - 1];
    if (r != 0 && c != 0 && r < c) return true;
  }
  return false;
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
  if (wants_tiles(nd, sh, nops, stp)) {
    int64_t planes = rows / sh[nd - 2];
    int64_t tasks = planes * ((sh[nd - 2] + TILE - 1) / TILE);
    int64_t per_task = TILE * n;
    int64_t grain = per_task >= MX__GRAIN ? 1 : MX__GRAIN / per_task;
    mx_parallel_for(tasks, grain, apply_tiles, &a);
  } else if (rows == 1) {
    mx_parallel_for(n, MX__GRAIN, apply_flat, &a);
  } else {
    int64_t grain = MX__GRAIN / n;
    mx_parallel_for(rows, grain > 0 ? grain : 1, apply_rows, &a);
  }
}
