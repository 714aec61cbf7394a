/* The primitive table: one X-macro list is the single source of the enum,
 * the names and every per-primitive table (kernels per backend, transforms).
 *
 * Adding a primitive: add a line here, a constructor in src/ops, kernels in
 * src/backend/<dev>/ (registered in that backend's table), and tests.  A
 * backend's table entry left NULL means "not supported on that device"; the
 * scheduler reports that as an error naming the primitive and device. */
#ifndef MX_CORE_PRIMITIVE_H
#define MX_CORE_PRIMITIVE_H

#include <stdbool.h>
#include <stddef.h>

/* X(ENUM_SUFFIX, "MLX primitive name") */
#include "prims/unary.h" /* elementwise unary ops (abs ... bitwise_invert) */
#include "prims/binary.h" /* elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...) */
#include "prims/reduce_sort.h" /* reductions beyond sum, scans, sort/partition/topk/searchsorted */
#include "prims/shape.h" /* shape/view ops and creation ops */
#include "prims/indexing.h" /* gather/scatter, slice/slice_update, take/put_along_axis */
#include "prims/linalg_conv.h" /* matmul family and convolutions */
#include "prims/random.h" /* random bits (threefry) and distributions */
#include "prims/linalg.h" /* mx.linalg decompositions and solvers */
#include "prims/fft.h" /* discrete Fourier transforms */
#include "prims/compiled.h" /* fused graphs made by mx.compile */
#include "prims/custom.h" /* functions with user-defined transforms (custom_function, checkpoint) */

/* The foundation primitives. */
#define MX_PRIMS_FOUNDATION(X) \
  X(ADD, "Add")                \
  X(SUBTRACT, "Subtract")      \
  X(MULTIPLY, "Multiply")      \
  X(DIVIDE, "Divide")          \
  X(REDUCE, "Reduce")          \
  X(RESHAPE, "Reshape")        \
  X(TRANSPOSE, "Transpose")    \
  X(BROADCAST, "Broadcast")    \
  X(ASTYPE, "AsType")          \
  X(COPY, "Copy")              \
  X(FULL, "Full")              \
  X(ARANGE, "Arange")          \
  X(MATMUL, "Matmul")

/* The one list: every family in turn. */
#define MX_PRIMITIVES(X) \
  MX_PRIMS_FOUNDATION(X) \
  MX_PRIMS_UNARY(X) \
  MX_PRIMS_BINARY(X) \
  MX_PRIMS_REDUCE_SORT(X) \
  MX_PRIMS_SHAPE(X) \
  MX_PRIMS_INDEXING(X) \
  MX_PRIMS_LINALG_CONV(X) \
  MX_PRIMS_RANDOM(X) \
  MX_PRIMS_LINALG(X) \
  MX_PRIMS_FFT(X) \
  MX_PRIMS_COMPILED(X) \
  MX_PRIMS_CUSTOM(X)

typedef enum mx_prim {
#define MX_PRIM_ENUM(e, n) MX_PRIM_##e,
  MX_PRIMITIVES(MX_PRIM_ENUM)
#undef MX_PRIM_ENUM
  MX_PRIM_COUNT
} mx_prim;

const char* mx_prim_name(mx_prim p);

/* Parameter blobs are plain data, except that CUSTOM's holds a reference to
 * its rules record and COMPILED's one to its fused program: whoever copies a blob (mx_array_make_node, compile
 * steps) calls retain on the copy, and release before freeing it. */
#ifndef __cplusplus /* (C only: the CUDA kernels never copy blobs) */
static inline void mx_params_retain(mx_prim p, void* params) {
  if (p == MX_PRIM_CUSTOM && params) mx_custom_ref_retain(((mx_custom_params*)params)->rules);
  if (p == MX_PRIM_COMPILED && params) mx_fused_program_retain(((mx_compiled_params*)params)->program);
}
static inline void mx_params_release(mx_prim p, void* params) {
  if (p == MX_PRIM_CUSTOM && params) mx_custom_ref_release(((mx_custom_params*)params)->rules);
  if (p == MX_PRIM_COMPILED && params) mx_fused_program_release(((mx_compiled_params*)params)->program);
}
#endif

/* --- parameter blobs (plain old data, compared bytewise) ------------------ */

typedef enum mx_reduce_op {
  MX_REDUCE_SUM,
  MX_REDUCE_PROD,
  MX_REDUCE_MAX,
  MX_REDUCE_MIN,
  MX_REDUCE_AND,
  MX_REDUCE_OR,
} mx_reduce_op;

/* Reduce: the reduced axes are kept in the output as size-1 dims only when
 * keepdims; `axes` are sorted, non-negative, unique. */
typedef struct mx_reduce_params {
  int op; /* mx_reduce_op */
  int naxes;
  int axes[]; /* naxes entries */
} mx_reduce_params;

/* Transpose: output dim i is input dim perm[i]. */
typedef struct mx_transpose_params {
  int ndim;
  int perm[];
} mx_transpose_params;

/* Arange: element i is start + i * step, computed in double then cast. */
typedef struct mx_arange_params {
  double start, step;
} mx_arange_params;

#endif
