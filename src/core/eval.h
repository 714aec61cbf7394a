/* Evaluation: turning lazy graphs into data.
 *
 * mx_eval() walks the graphs of `arrays` iteratively (no recursion, so a
 * chain of a million nodes is fine), orders the unevaluated nodes
 * topologically, and runs each node's kernel on its stream (see stream.h).
 * After a node runs, its outputs are detached from it.  mx_async_eval()
 * queues the same work and returns at once; a later mx_eval() or a data
 * access waits for it. */
#ifndef MX_CORE_EVAL_H
#define MX_CORE_EVAL_H

#include "array.h"

int mx_eval(int n, mx_array* const* arrays);
int mx_async_eval(int n, mx_array* const* arrays);
/* Evaluates one array and waits for it; returns 0 / -1. */
int mx_array_eval(mx_array* a);

/* A kernel computes a node's outputs from its inputs.  Inputs are available
 * (their data can be read); outputs have shape and dtype but no buffer.
 * Returns 0, or -1 with an error set.  `stream` is the node's stream. */
typedef int (*mx_kernel_fn)(mx_node* node, mx_array* const* inputs, mx_array* const* outputs);

/* A GPU kernel returns this (with no error set) for a case it does not
 * handle, e.g. a dtype it has no code for; the scheduler then runs the CPU
 * kernel for the node instead (see eval.c). */
#define MX_KERNEL_FALLBACK 1

/* A backend: a kernel table indexed by primitive (NULL = unsupported). */
typedef struct mx_backend {
  const char* name;
  mx_kernel_fn kernels[MX_PRIM_COUNT];
} mx_backend;

/* The CPU backend is always present; the GPU backend is registered by the
 * CUDA backend's initialiser when a device is found. */
extern const mx_backend mx_cpu_backend;
void mx_register_gpu_backend(const mx_backend* b);
const mx_backend* mx_backend_for(mx_device_type type);

/* Library start-up (idempotent, thread safe): probes the GPU backend. */
void mx_init(void);

#endif
