/* Primitives of one family: functions with user-defined transforms
 * (mx.custom_function, mx.checkpoint, mlx-c's mlx_custom_function).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * CUSTOM stands for a call of a function f whose vjp, jvp or vmap the user
 * replaced.  Its inputs are f's n_args arguments followed by f's n_outputs
 * outputs, computed the ordinary way; its outputs are those last inputs,
 * unchanged (the kernel shares their buffers).  The forward pass therefore
 * runs f as written, while the transforms meet this node and call the
 * user's rules (src/transforms/rules_custom.c), which see only the first
 * n_args inputs as f's arguments.
 *
 * The rules live in a refcounted record owned by the caller's layer
 * (Python, mlx-c).  The parameter blob holds a pointer to it, so every copy
 * of the blob (a node, a compile step) takes a reference and drops it when
 * freed: see mx_params_retain / mx_params_release in primitive.h. */
#ifndef MX_CORE_PRIMS_CUSTOM_H
#define MX_CORE_PRIMS_CUSTOM_H

/* C++ translation units (the CUDA kernels) include the primitive list but
 * never touch these records: they see the same layout without <stdatomic.h>,
 * which C++ compilers reject. */
#ifndef __cplusplus
#include <stdatomic.h>
#define MX__CUSTOM_ATOMIC_INT atomic_int
#else
#define MX__CUSTOM_ATOMIC_INT int
#endif

#define MX_PRIMS_CUSTOM(X) X(CUSTOM, "CustomTransforms")

/* The refcounted head of a rules record; `destroy` frees the whole record
 * when the last reference goes (from whichever thread drops it). */
typedef struct mx_custom_ref {
  MX__CUSTOM_ATOMIC_INT refcount;
  void (*destroy)(struct mx_custom_ref* self);
} mx_custom_ref;

typedef struct mx_custom_params {
  mx_custom_ref* rules; /* one reference per copy of the blob */
  int n_args;
  int n_outputs;
} mx_custom_params;

#ifndef __cplusplus
static inline void mx_custom_ref_retain(mx_custom_ref* r) {
  if (r) atomic_fetch_add_explicit(&r->refcount, 1, memory_order_relaxed);
}

static inline void mx_custom_ref_release(mx_custom_ref* r) {
  if (r && atomic_fetch_sub_explicit(&r->refcount, 1, memory_order_acq_rel) == 1 && r->destroy)
    r->destroy(r);
}
#endif

#endif
