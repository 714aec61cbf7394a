/* The contract between the CUDA backend's host code (C) and its kernel files
 * (.cu, C++).
 *
 * The core headers use C11 atomics, which C++ cannot read, so the kernel
 * files never see mx_array or mx_node.  The host files (binary.c, reduce.c,
 * copy.c, ...) unpack arrays into pointers, dtypes and layouts and call the
 * launchers declared here, which queue kernels on a CUDA stream and return
 * at once.  Everything here has C linkage and plain C types.
 * Names carry the folder-private prefix mx__cuda_. */
#ifndef MX_BACKEND_CUDA_LAUNCH_H
#define MX_BACKEND_CUDA_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cuda_runtime_api.h>

/* Launchers return 0, -1 with an error set, or this to decline a case (the
 * scheduler then runs the CPU kernel); same value as eval.h's. */
#ifndef MX_KERNEL_FALLBACK
#define MX_KERNEL_FALLBACK 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

#include "core/dtype.h"
#include "core/error.h"
#include "core/prims/binary.h"
#include "core/prims/unary.h"

/* --- runtime state (device.c) ---------------------------------------------- */

/* The CUDA stream behind mx stream `index`, created on first use.  Returns
 * NULL with an error set when the stream cannot be created. */
cudaStream_t mx__cuda_stream(int index);
/* Multiprocessor count of the device, for sizing grids. */
int mx__cuda_sm_count(void);
/* 0 when `err` is cudaSuccess, else sets MX_ERR_RUNTIME naming `what` and the
 * CUDA error string (MX_ERR_MEMORY for out-of-memory) and returns -1. */
int mx__cuda_check(cudaError_t err, const char* what);
/* Checks the launch that just happened on this thread (cudaGetLastError). */
int mx__cuda_check_launch(const char* what);
/* Stream-ordered scratch memory for temporaries that live for one kernel
 * sequence (reduction partials, converted copies).  Free it with
 * mx__cuda_scratch_free on the same stream after the last launch that
 * reads it; the free is ordered after that launch. */
void* mx__cuda_scratch_alloc(size_t nbytes, cudaStream_t s);
void mx__cuda_scratch_free(void* p, cudaStream_t s);

/* --- layouts (layout.c) ----------------------------------------------------- */

/* Kernels index at most this many dims after collapsing; more is reported as
 * an error rather than mis-indexed. */
#define MX_CUDA_MAX_DIMS 12
#define MX_CUDA_MAX_OPS 3
/* Host code handles arrays of at most this many dims before collapsing. */
#define MX_CUDA_MAX_NDIM 64

/* A collapsed iteration space: `ndim` dims of `shape`, and for each operand
 * its element strides over those dims.  Passed by value to kernels. */
typedef struct mx__cuda_layout {
  int ndim;
  int64_t shape[MX_CUDA_MAX_DIMS];
  int64_t strides[MX_CUDA_MAX_OPS][MX_CUDA_MAX_DIMS];
} mx__cuda_layout;

/* Builds a layout over (ndim, shape) for `nops` operands, dropping size-1
 * dims and merging neighbours that every operand walks as one.  Returns 0, or
 * -1 with an error when more than MX_CUDA_MAX_DIMS dims remain. */
int mx__cuda_collapse(int ndim, const int64_t* shape, int nops, const int64_t* const* strides,
                      mx__cuda_layout* out);
/* True when the largest offset any operand reaches, and `size`, fit in
 * int32, so kernels can index with 32-bit arithmetic. */
bool mx__cuda_layout_fits_i32(const mx__cuda_layout* l, int nops, int64_t size);

/* --- launchers (*.cu) -------------------------------------------------------
 * Each returns 0 once the work is queued on `s`, or -1 with an error set.
 * Pointers are device pointers to element [0,...,0]; strides are in
 * elements and may be 0 (broadcast) or negative. */

/* Elementwise a OP b -> out for n elements of `dtype`, out dense.  op is
 * 0 add, 1 subtract, 2 multiply, 3 divide.  With l == NULL both inputs are
 * dense or scalars (a_scalar / b_scalar: read element 0 for every output);
 * otherwise l holds the output's collapsed shape and the strides of a
 * (operand 0) and b (operand 1). */
int mx__cuda_binary_launch(int op, mx_dtype dtype, const void* a, const void* b, void* out,
                           int64_t n, bool a_scalar, bool b_scalar, const mx__cuda_layout* l,
                           cudaStream_t s);

/* Op numbers of the elementwise unary and binary launchers: a primitive's
 * position in its family list (node->prim - MX_PRIM_ABS, node->prim -
 * MX_PRIM_EQUAL), plus Equal with equal_nan as one more binary op. */
enum {
#define MX__CUDA_UN_ENUM(e, n) MX__CUDA_UN_##e,
  MX_PRIMS_UNARY(MX__CUDA_UN_ENUM)
#undef MX__CUDA_UN_ENUM
};
enum {
#define MX__CUDA_BIN_ENUM(e, n) MX__CUDA_BIN_##e,
  MX_PRIMS_BINARY(MX__CUDA_BIN_ENUM)
#undef MX__CUDA_BIN_ENUM
  MX__CUDA_BIN_EQUAL_NAN
};

/* True when unary op `op` has GPU code for input dtype `dtype` (unary.cu).
 * Asked before anything is allocated, so a declined case leaves the inputs
 * untouched for the CPU kernel. */
bool mx__cuda_unary_supported(int op, mx_dtype dtype);
/* out = op(x) for n elements; x has `dtype`, out has `dtype` or bool
 * (LogicalNot).  With l == NULL x is dense and both pointers are 16-byte
 * aligned; otherwise l holds the output's collapsed shape and x's strides
 * (operand 0). */
int mx__cuda_unary_launch(int op, mx_dtype dtype, const void* x, void* out, int64_t n,
                          const mx__cuda_layout* l, cudaStream_t s);

/* Binary elementwise ops other than add/subtract/multiply/divide
 * (binary_ew.cu): comparisons, logical, maximum/minimum, power, remainder,
 * logaddexp, arctan2, bitwise, shifts.  Inputs share `dtype`; comparisons
 * and the logical ops write bool.  Paths as for mx__cuda_binary_launch,
 * except that with l == NULL every non-scalar pointer is 16-byte aligned. */
bool mx__cuda_binary_ew_supported(int op, mx_dtype dtype);
int mx__cuda_binary_ew_launch(int op, mx_dtype dtype, const void* a, const void* b, void* out,
                              int64_t n, bool a_scalar, bool b_scalar, const mx__cuda_layout* l,
                              cudaStream_t s);
/* where(c, x, y): c is bool, x, y and out share an element size of
 * `elem_size` bytes (1, 2, 4 or 8).  scalar[k] marks operand k (c, x, y) as
 * one element read for every output; l as above with three operands. */
int mx__cuda_select_launch(size_t elem_size, const void* c, const void* x, const void* y,
                           void* out, int64_t n, const bool* scalar, const mx__cuda_layout* l,
                           cudaStream_t s);

/* Writes the row-contiguous array of (ndim, shape) in `dst_dtype` at `dst`,
 * reading element i from `src` (dtype `src_dtype`) at the offset given by
 * src_strides.  Converts on the way. */
int mx__cuda_copy_general(const void* src, mx_dtype src_dtype, int ndim, const int* shape,
                          const int64_t* src_strides, void* dst, mx_dtype dst_dtype,
                          cudaStream_t s);

/* Folds `in` (ndim, shape, strides, of `dtype`) over the `naxes` sorted
 * `axes` with reduce op `op` (mx_reduce_op) into the dense `out` of the same
 * dtype, kept dims in order. */
int mx__cuda_reduce_launch(int op, mx_dtype dtype, const void* in, int ndim, const int* shape,
                           const int64_t* strides, int naxes, const int* axes, void* out,
                           cudaStream_t s);

/* out[i] = T(start) + i * (T(start + step) - T(start)) for n elements. */
int mx__cuda_arange_launch(mx_dtype dtype, void* out, int64_t n, double start, double step,
                           cudaStream_t s);

#ifdef __cplusplus
}
#endif

#endif
