/* The flat (1-D) elementwise driver shared by elementwise kernels: `fn`
 * over n elements with fixed byte strides per operand (the element size for
 * contiguous operands, 0 for a broadcast scalar), split across threads. */
#ifndef MX_BACKEND_CPU_ELEMENTWISE_H
#define MX_BACKEND_CPU_ELEMENTWISE_H

#include "cpu_internal.h"

void mx__cpu_apply_flat(int64_t n, int nops, char* const* base, const int64_t* bstrides,
                        mx__cpu_inner fn, void* ctx);

/* True when `in`'s elements can be walked as one flat run in the same order
 * as a dense array with strides `ref` (a row-contiguous array when ref is
 * NULL): dense (data_size == size), non-negative strides, and the same
 * strides as `ref` on every dim longer than 1. */
bool mx__cpu_flat_like(const mx_array* in, const int64_t* ref);

#endif
