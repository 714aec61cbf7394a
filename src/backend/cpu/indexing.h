/* Pieces shared by the indexing kernels (slice updates, gather, scatter):
 * reading index values of any integer dtype, the element combiners of the
 * scatter ops, and a small N-d odometer for strided walks. */
#ifndef MX_BACKEND_CPU_INDEXING_H
#define MX_BACKEND_CPU_INDEXING_H

#include "cpu_internal.h"

/* One index element at `p` as int64. */
static inline int64_t mx__idx_load(const char* p, mx_dtype t) {
  switch (t) {
    case MX_INT8: return *(const int8_t*)p;
    case MX_INT16: return *(const int16_t*)p;
    case MX_INT32: return *(const int32_t*)p;
    case MX_INT64: return *(const int64_t*)p;
    case MX_UINT8: return *(const uint8_t*)p;
    case MX_UINT16: return *(const uint16_t*)p;
    case MX_UINT32: return *(const uint32_t*)p;
    case MX_UINT64: return (int64_t)*(const uint64_t*)p;
    default: return 0;
  }
}

/* Wraps a negative index once and clamps the result so that a window of
 * `len` elements starting there fits in a dim of size n (n >= len). */
static inline int64_t mx__idx_fix(int64_t v, int64_t n, int64_t len) {
  if (v < 0) v += n;
  if (v > n - len) v = n - len;
  if (v < 0) v = 0;
  return v;
}

/* Copies one element of `isz` bytes.  Constant-size copies compile to
 * plain loads and stores; a variable-size memcpy would go through the
 * library's string copy, which serialises the cache misses of random
 * gathers. */
static inline void mx__copy_elem(char* d, const char* s, size_t isz) {
  switch (isz) {
    case 1: *d = *s; break;
    case 2: memcpy(d, s, 2); break;
    case 4: memcpy(d, s, 4); break;
    case 8: memcpy(d, s, 8); break;
    default: memcpy(d, s, 16); break;
  }
}

/* dst op= src for one element (both of the same dtype). */
typedef void (*mx__combine_fn)(char* dst, const char* src);
/* The combiner for (op, dtype); NONE copies. */
mx__combine_fn mx__cpu_combine_fn(int op, mx_dtype t);

/* Inner loop for mx__cpu_apply: operand 0 (destination) op= operand 1,
 * with ctx the mx__combine_fn. */
void mx__cpu_combine_inner(int64_t n, char* const* ptrs, const int64_t* bst, void* ctx);

/* Writes `src` (same dtype, any strides) into the strided window of `dst`
 * described by (ndim, shape, dst element strides), combining with `op`. */
void mx__cpu_write_window(char* dst, const int64_t* dst_strides, mx_array* src, const char* ps,
                          int op);

/* Gives `out` a row-contiguous buffer holding a copy of `in` (same shape
 * and dtype), reusing in's buffer when it can be donated.  Returns the
 * output data or NULL. */
char* mx__cpu_copy_or_donate(mx_array* out, mx_array* in);

/* An N-d odometer over `shape` (at most MX__ODO_DIMS dims) tracking one
 * element offset per operand (at most MX__ODO_OPS). */
#define MX__ODO_DIMS 64
#define MX__ODO_OPS 34
typedef struct mx__odo {
  int ndim;
  int nops;
  const int* shape;
  const int64_t* strides[MX__ODO_OPS];
  int64_t idx[MX__ODO_DIMS];
  int64_t off[MX__ODO_OPS];
} mx__odo;

/* Positions the odometer at flat (row-major) position `pos`. */
static inline void mx__odo_seek(mx__odo* o, int64_t pos) {
  for (int k = 0; k < o->nops; k++) o->off[k] = 0;
  for (int i = o->ndim - 1; i >= 0; i--) {
    int64_t d = o->shape[i];
    o->idx[i] = d ? pos % d : 0;
    pos = d ? pos / d : 0;
    for (int k = 0; k < o->nops; k++) o->off[k] += o->idx[i] * o->strides[k][i];
  }
}

static inline void mx__odo_next(mx__odo* o) {
  for (int i = o->ndim - 1; i >= 0; i--) {
    for (int k = 0; k < o->nops; k++) o->off[k] += o->strides[k][i];
    if (++o->idx[i] < o->shape[i]) return;
    for (int k = 0; k < o->nops; k++) o->off[k] -= o->shape[i] * o->strides[k][i];
    o->idx[i] = 0;
  }
}

#endif
