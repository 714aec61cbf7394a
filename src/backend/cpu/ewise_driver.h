/* The driver shared by the unary and binary families' kernels: runs an
 * inner loop over outputs and inputs that all have the output's shape
 * (the op constructors broadcast inputs with view nodes), picking the
 * cheapest walk:
 *   - flat: every input is a single (broadcast) element or walks in
 *     row-major order, so one 1-D loop covers everything, split across
 *     threads; an input buffer nothing else uses may become the output;
 *   - same layout: every input is dense with one common non-row-major
 *     layout (e.g. all transposed): the outputs take that layout and one
 *     1-D loop still covers it;
 *   - general: the strided N-d walk of common.c (collapsed dims, tiles).
 * The inner function receives pointers and byte strides outputs first,
 * then inputs, as mx__cpu_inner documents. */
#ifndef MX_BACKEND_CPU_EWISE_DRIVER_H
#define MX_BACKEND_CPU_EWISE_DRIVER_H

#include "elementwise.h"

int mx__cpu_ewise_run(mx_array* const* outs, int nout, mx_array* const* ins, int nin,
                      mx__cpu_inner fn, void* ctx);

#endif
