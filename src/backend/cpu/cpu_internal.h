/* Shared pieces of the CPU backend: the C types behind each dtype, output
 * allocation, strided N-d iteration with dimension collapsing, and the
 * conversion routine several kernels build on. */
#ifndef MX_BACKEND_CPU_INTERNAL_H
#define MX_BACKEND_CPU_INTERNAL_H

#include <complex.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../core/core.h"
#include "threadpool.h"

/* Hot inner loops are compiled for AVX-512, AVX2 (+FMA, F16C) and baseline
 * x86-64; the loader picks the best clone for the running CPU. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(MX_NO_CLONES)
#define MX__SIMD __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MX__SIMD
#endif

/* Elements per parallel task: below this, threads cost more than they save. */
#define MX__GRAIN 32768

typedef float _Complex mx__c64;

/* X(ENUM, storage type, carrier type, load(x) -> carrier, kind tag)
 *
 * The carrier is the type arithmetic happens in: half types compute in
 * float, everything else in itself.  Kind tags: KB bool, KI signed, KU unsigned,
 * KF float32, KH the half types (carried as float), KD double, KC complex. */
#define MX__CPU_TYPES(X)                                    \
  X(BOOL, bool, bool, (x), KB)                               \
  X(UINT8, uint8_t, uint8_t, (x), KU)                        \
  X(UINT16, uint16_t, uint16_t, (x), KU)                     \
  X(UINT32, uint32_t, uint32_t, (x), KU)                     \
  X(UINT64, uint64_t, uint64_t, (x), KU)                     \
  X(INT8, int8_t, int8_t, (x), KI)                           \
  X(INT16, int16_t, int16_t, (x), KI)                        \
  X(INT32, int32_t, int32_t, (x), KI)                        \
  X(INT64, int64_t, int64_t, (x), KI)                        \
  X(FLOAT16, _Float16, float, ((float)(x)), KH)              \
  X(FLOAT32, float, float, (x), KF)                          \
  X(FLOAT64, double, double, (x), KD)                        \
  X(BFLOAT16, uint16_t, float, (mx__bf16_load(x)), KH)       \
  X(COMPLEX64, mx__c64, mx__c64, (x), KC)

static inline float mx__bf16_load(uint16_t b) {
  uint32_t u = (uint32_t)b << 16;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* float -> bfloat16, round to nearest even, NaN kept quiet.  Written without
 * calls so loops around it vectorize. */
static inline uint16_t mx__bf16_store(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  uint32_t r = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
  return (u & 0x7fffffffu) > 0x7f800000u ? (uint16_t)((u >> 16) | 0x40u) : (uint16_t)r;
}

/* --- outputs ---------------------------------------------------------------- */

/* Host pointer to an output's first element (after its buffer is set). */
static inline char* mx__cpu_out_ptr(mx_array* out) {
  char* p = mx_buffer_host(out->buffer);
  return p ? p + out->offset * (int64_t)mx_array_itemsize(out) : NULL;
}
/* Gives `out` a fresh row-contiguous host buffer; returns its data or NULL. */
char* mx__cpu_alloc(mx_array* out);
/* Like mx__cpu_alloc but reuses a donatable input buffer when one exists. */
char* mx__cpu_alloc_donate(mx_array* out, mx_array* const* cands, int n);
/* Marks the output's host copy as the current one. */
static inline void mx__cpu_written(mx_array* out) {
  mx_buffer_mark_written(out->buffer, MX_VALID_HOST);
}
/* Host data of an available input (never NULL for an empty input). */
const char* mx__cpu_in_ptr(mx_array* in);

/* Strides (elements) of `in` viewed as broadcast to (ndim, shape): missing
 * leading dims and size-1 dims get stride 0. */
void mx__cpu_bcast_strides(const mx_array* in, int ndim, const int* shape, int64_t* strides);

/* --- N-d iteration ------------------------------------------------------------ */

#define MX__MAX_OPERANDS 4

/* Processes n elements along the innermost dim: ptrs[k] is operand k's
 * first element and bstrides[k] its stride in bytes. */
typedef void (*mx__cpu_inner)(int64_t n, char* const* ptrs, const int64_t* bstrides, void* ctx);

/* Calls `fn` over every element of an N-d index space of `shape`, for
 * `nops` operands with base pointers `base` and element strides
 * `strides[k]` (itemsize `isz[k]`).  Dims are collapsed where every operand
 * allows it, and the work is split across threads. */
void mx__cpu_apply(int ndim, const int* shape, int nops, char* const* base,
                   const int64_t* const* strides, const size_t* isz, mx__cpu_inner fn, void* ctx);

/* Merges adjacent dims that are contiguous for all operands and drops size-1
 * dims in place; returns the new ndim.  strides[k] has ndim entries.  Shapes
 * are 64-bit here because merged dims can exceed the 32-bit dim limit. */
int mx__cpu_collapse(int ndim, int64_t* shape, int nops, int64_t** strides);

/* --- per-element inner loops by primitive (for fused kernels) ----------------- */

/* The inner loop of an elementwise primitive for inputs of dtype t, or NULL
 * when the primitive has none for t.  Operand 0 is the output, then the
 * inputs in order (SELECT: condition, x, y; t is the value dtype).
 * DIVMOD (two outputs) has none. */
mx__cpu_inner mx__cpu_unary_inner(mx_prim p, mx_dtype t);
mx__cpu_inner mx__cpu_binary_inner(mx_prim p, mx_dtype t, const void* params, size_t params_size);
mx__cpu_inner mx__cpu_arith_inner(mx_prim p, mx_dtype t);

/* --- conversion ----------------------------------------------------------------- */

/* Inner loop converting operand 1 (dtype `from`) into operand 0 (dtype
 * `to`); NULL never (all 14x14 pairs exist). */
mx__cpu_inner mx__cpu_convert_fn(mx_dtype from, mx_dtype to);

/* Writes `in` (any layout, broadcast right-aligned to out's shape) into the
 * row-contiguous buffer `dst` of dtype `to` and `out`'s shape. */
void mx__cpu_copy_into(mx_array* in, const char* src, char* dst, mx_dtype to, int ndim,
                       const int* shape);

#endif
