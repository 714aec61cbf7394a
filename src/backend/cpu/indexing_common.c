/* Element combiners of the scatter ops and the window writer shared by the
 * slice-update and scatter kernels (see indexing.h). */
#include "indexing.h"

#include <complex.h>
#include <math.h>

/* Storing a carrier value back: bfloat16 rounds, the rest convert. */
#define STORE_BOOL(v) ((bool)(v))
#define STORE_UINT8(v) ((uint8_t)(v))
#define STORE_UINT16(v) ((uint16_t)(v))
#define STORE_UINT32(v) ((uint32_t)(v))
#define STORE_UINT64(v) ((uint64_t)(v))
#define STORE_INT8(v) ((int8_t)(v))
#define STORE_INT16(v) ((int16_t)(v))
#define STORE_INT32(v) ((int32_t)(v))
#define STORE_INT64(v) ((int64_t)(v))
#define STORE_FLOAT16(v) ((_Float16)(v))
#define STORE_FLOAT32(v) ((float)(v))
#define STORE_FLOAT64(v) ((double)(v))
#define STORE_BFLOAT16(v) (mx__bf16_store(v))
#define STORE_COMPLEX64(v) ((mx__c64)(v))

/* Integer sums and products wrap (computed unsigned to avoid undefined
 * overflow); bool sums are "or" and products "and", as in MLX. */
#define ADD_KB(a, b) ((a) || (b))
#define MUL_KB(a, b) ((a) && (b))
#define ADD_KU(a, b) ((a) + (b))
#define MUL_KU(a, b) ((a) * (b))
#define ADD_KI(a, b) ((__typeof__(a))((uint64_t)(a) + (uint64_t)(b)))
#define MUL_KI(a, b) ((__typeof__(a))((uint64_t)(a) * (uint64_t)(b)))
#define ADD_KF(a, b) ((a) + (b))
#define MUL_KF(a, b) ((a) * (b))
#define ADD_KH ADD_KF
#define MUL_KH MUL_KF
#define ADD_KD ADD_KF
#define MUL_KD MUL_KF
#define ADD_KC ADD_KF
#define MUL_KC MUL_KF

/* "b wins over a" for max: NaN propagates for floats (a NaN update wins,
 * a NaN already there stays); complex compares real, then imaginary. */
#define GT_KB(a, b) ((b) > (a))
#define GT_KU GT_KB
#define GT_KI GT_KB
#define GT_KF(a, b) ((b) > (a) || isnan(b))
#define GT_KH GT_KF
#define GT_KD GT_KF
#define GT_KC(a, b) \
  (crealf(b) > crealf(a) || (crealf(b) == crealf(a) && cimagf(b) > cimagf(a)))
#define LT_KB(a, b) ((b) < (a))
#define LT_KU LT_KB
#define LT_KI LT_KB
#define LT_KF(a, b) ((b) < (a) || isnan(b))
#define LT_KH LT_KF
#define LT_KD LT_KF
#define LT_KC(a, b) \
  (crealf(b) < crealf(a) || (crealf(b) == crealf(a) && cimagf(b) < cimagf(a)))

#define DEF_COMBINE(E, T, C, LOAD, K)                                        \
  static inline C load_##E(T x) { return LOAD; }                            \
  static void sum_##E(char* d, const char* s) {                             \
    T x, y;                                                                  \
    memcpy(&x, d, sizeof x);                                                 \
    memcpy(&y, s, sizeof y);                                                 \
    C a = load_##E(x), b = load_##E(y);                                      \
    T r = STORE_##E(ADD_##K(a, b));                                          \
    memcpy(d, &r, sizeof r);                                                 \
  }                                                                          \
  static void prod_##E(char* d, const char* s) {                            \
    T x, y;                                                                  \
    memcpy(&x, d, sizeof x);                                                 \
    memcpy(&y, s, sizeof y);                                                 \
    C a = load_##E(x), b = load_##E(y);                                      \
    T r = STORE_##E(MUL_##K(a, b));                                          \
    memcpy(d, &r, sizeof r);                                                 \
  }                                                                          \
  static void max_##E(char* d, const char* s) {                             \
    T x, y;                                                                  \
    memcpy(&x, d, sizeof x);                                                 \
    memcpy(&y, s, sizeof y);                                                 \
    C a = load_##E(x), b = load_##E(y);                                      \
    if (GT_##K(a, b)) memcpy(d, s, sizeof y);                                \
  }                                                                          \
  static void min_##E(char* d, const char* s) {                             \
    T x, y;                                                                  \
    memcpy(&x, d, sizeof x);                                                 \
    memcpy(&y, s, sizeof y);                                                 \
    C a = load_##E(x), b = load_##E(y);                                      \
    if (LT_##K(a, b)) memcpy(d, s, sizeof y);                                \
  }
MX__CPU_TYPES(DEF_COMBINE)
#undef DEF_COMBINE

static void copy1(char* d, const char* s) { *d = *s; }
static void copy2(char* d, const char* s) { memcpy(d, s, 2); }
static void copy4(char* d, const char* s) { memcpy(d, s, 4); }
static void copy8(char* d, const char* s) { memcpy(d, s, 8); }

mx__combine_fn mx__cpu_combine_fn(int op, mx_dtype t) {
  if (op == MX_SCATTER_NONE) {
    switch (mx_dtype_size(t)) {
      case 1: return copy1;
      case 2: return copy2;
      case 4: return copy4;
      default: return copy8;
    }
  }
  switch (t) {
#define CASE(E, T, C, LOAD, K)            \
  case MX_##E:                            \
    switch (op) {                         \
      case MX_SCATTER_SUM: return sum_##E;   \
      case MX_SCATTER_PROD: return prod_##E; \
      case MX_SCATTER_MAX: return max_##E;   \
      default: return min_##E;            \
    }
    MX__CPU_TYPES(CASE)
#undef CASE
    default: return copy1;
  }
}

void mx__cpu_combine_inner(int64_t n, char* const* ptrs, const int64_t* bst, void* ctx) {
  mx__combine_fn fn = (mx__combine_fn)ctx;
  char* d = ptrs[0];
  const char* s = ptrs[1];
  for (int64_t i = 0; i < n; i++, d += bst[0], s += bst[1]) fn(d, s);
}

/* Plain copies: contiguous runs become memcpy. */
static void copy_inner(int64_t n, char* const* ptrs, const int64_t* bst, void* ctx) {
  size_t isz = (size_t)(uintptr_t)ctx;
  if (bst[0] == (int64_t)isz && bst[1] == (int64_t)isz) {
    memcpy(ptrs[0], ptrs[1], (size_t)n * isz);
    return;
  }
  char* d = ptrs[0];
  const char* s = ptrs[1];
  switch (isz) {
    case 1:
      for (int64_t i = 0; i < n; i++, d += bst[0], s += bst[1]) *d = *s;
      break;
    case 2:
      for (int64_t i = 0; i < n; i++, d += bst[0], s += bst[1]) memcpy(d, s, 2);
      break;
    case 4:
      for (int64_t i = 0; i < n; i++, d += bst[0], s += bst[1]) memcpy(d, s, 4);
      break;
    default:
      for (int64_t i = 0; i < n; i++, d += bst[0], s += bst[1]) memcpy(d, s, 8);
      break;
  }
}

void mx__cpu_write_window(char* dst, const int64_t* dst_strides, mx_array* src, const char* ps,
                          int op) {
  if (src->size == 0) return;
  char* base[2] = {dst, (char*)ps};
  const int64_t* st[2] = {dst_strides, src->strides};
  size_t isz = mx_array_itemsize(src);
  size_t sz[2] = {isz, isz};
  if (op == MX_SCATTER_NONE)
    mx__cpu_apply(src->ndim, src->shape, 2, base, st, sz, copy_inner, (void*)(uintptr_t)isz);
  else
    mx__cpu_apply(src->ndim, src->shape, 2, base, st, sz, mx__cpu_combine_inner,
                  (void*)mx__cpu_combine_fn(op, src->dtype));
}

char* mx__cpu_copy_or_donate(mx_array* out, mx_array* in) {
  char* po = mx__cpu_alloc_donate(out, &in, 1);
  if (!po && out->size > 0) return NULL;
  if (out->buffer == in->buffer || out->size == 0) return po;
  const char* pi = mx__cpu_in_ptr(in);
  if (!pi) return NULL;
  mx__cpu_copy_into(in, pi, po, out->dtype, out->ndim, out->shape);
  return po;
}
