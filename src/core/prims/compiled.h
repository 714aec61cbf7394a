/* Primitives of one family: compiled (fused) graphs made by mx.compile.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * COMPILED runs a chain of elementwise primitives as one pass over memory.
 * Its inputs may have any layout and broadcast to the common output shape;
 * every output has that shape.  The chain is a small program over numbered
 * values: values 0..n_inputs-1 are the node's inputs, each instruction
 * computes one new value from earlier ones with the primitive's own inner
 * loop, and the node's outputs are some of the values.  Backends run it
 * tile by tile so intermediates stay in cache (see
 * src/backend/cpu/compiled.c).  Programs are made by src/transforms/compile*.c
 * and refcounted: the trace that made one holds a reference, and so does
 * every COMPILED node's parameter blob (mx_params_retain/release in
 * primitive.h), so a program outlives its trace while lazy arrays use it. */
#ifndef MX_CORE_PRIMS_COMPILED_H
#define MX_CORE_PRIMS_COMPILED_H

#define MX_PRIMS_COMPILED(X) X(COMPILED, "Compiled")

typedef struct mx_fused_instr {
  int prim;       /* an elementwise primitive (unary, binary, arithmetic, ASTYPE) */
  int n_src;      /* 1, 2 or 3 */
  int src[3];     /* value ids */
  int dst;        /* value id */
  int in_dtype;   /* the dtype its inner loop is chosen by */
  unsigned char params[8]; /* the primitive's parameters (Equal's equal_nan) */
  int params_size;
} mx_fused_instr;

typedef struct mx_fused_program {
  int refcount; /* updated with __atomic builtins (C and C++ alike) */
  int n_inputs;
  int n_values;
  int* value_dtypes; /* n_values entries */
  int n_instr;
  mx_fused_instr* instr;
  int n_outputs;
  int* outputs; /* value id of each output */
} mx_fused_program;

typedef struct mx_compiled_params {
  const mx_fused_program* program;
} mx_compiled_params;

#ifndef __cplusplus
#include <stdlib.h>

static inline void mx_fused_program_retain(const mx_fused_program* p) {
  if (p) __atomic_fetch_add(&((mx_fused_program*)p)->refcount, 1, __ATOMIC_RELAXED);
}

static inline void mx_fused_program_release(const mx_fused_program* cp) {
  mx_fused_program* p = (mx_fused_program*)cp;
  if (!p || __atomic_fetch_sub(&p->refcount, 1, __ATOMIC_ACQ_REL) != 1) return;
  free(p->value_dtypes);
  free(p->instr);
  free(p->outputs);
  free(p);
}
#endif

#endif
