/* Declarations shared by the CUDA backend's host files (C only: this header
 * includes the core, whose C11 atomics C++ cannot read; kernel files use
 * cuda_launch.h alone). */
#ifndef MX_BACKEND_CUDA_INTERNAL_H
#define MX_BACKEND_CUDA_INTERNAL_H

#include "core/core.h"
#include "cuda_launch.h"

/* MLX refuses float64 on the GPU with a ValueError.  The core checks this
 * when a node is built; kernels check again so a node that slipped through
 * fails cleanly.  Returns 0 or -1 with MX_ERR_VALUE. */
int mx__cuda_reject_f64(mx_node* node, mx_array* const* inputs, mx_array* const* outputs);
/* Allocates out's (row-contiguous) device buffer; returns its device pointer
 * or NULL with an error set. */
void* mx__cuda_alloc_out(mx_array* out);
/* Records that a kernel wrote out's device copy. */
void mx__cuda_mark_written(mx_array* out);
/* The CUDA stream of a node, or NULL with an error set. */
static inline cudaStream_t mx__cuda_node_stream(const mx_node* node) {
  return mx__cuda_stream(node->stream.index);
}

/* Strides of `in` seen through a broadcast to (ndim, shape): missing leading
 * dims and size-1 dims that grow get stride 0. */
void mx__cuda_bcast_strides(const mx_array* in, int ndim, const int* shape, int64_t* strides);
static inline bool mx__cuda_row_contiguous(const mx_array* a) {
  return (a->flags & MX_FLAG_ROW_CONTIGUOUS) != 0;
}

/* `in` as a row-contiguous device array of `dtype` and shape (ndim, shape),
 * broadcasting in: returns in's own data when it already is one, else a
 * scratch copy that the caller frees with mx__cuda_scratch_free (*owned
 * set).  NULL with an error set on failure. */
const void* mx__cuda_contiguous_input(mx_array* in, int ndim, const int* shape, mx_dtype dtype,
                                      cudaStream_t s, bool* owned);

/* --- elementwise helpers (ewise.c) ------------------------------------------ */

/* Gives out a device buffer, taking over the buffer of an input of out's
 * dtype and size when nothing else holds it (elementwise kernels read each
 * element before writing it, so in place is safe).  Returns the device
 * pointer or NULL with an error set. */
void* mx__cuda_ew_alloc_out(mx_array* const* inputs, int nin, mx_array* out);

/* The kernel path for an elementwise op over nin (<= MX_CUDA_MAX_OPS)
 * inputs broadcast to out's shape.  contig: every input is dense in out's
 * order or a single element (scalar[k]), and every dense pointer and po are
 * 16-byte aligned; otherwise l is the collapsed layout of the inputs. */
typedef struct mx__cuda_ew_plan {
  const void* p[MX_CUDA_MAX_OPS];
  bool scalar[MX_CUDA_MAX_OPS];
  bool contig;
  mx__cuda_layout l;
} mx__cuda_ew_plan;
/* Returns 0, or -1 with an error set. */
int mx__cuda_ew_plan_make(mx_array* const* inputs, int nin, const mx_array* out, const void* po,
                          mx__cuda_ew_plan* plan);

/* --- kernels (one per primitive, same signature as mx_kernel_fn) ------------ */

#define MX__CUDA_KERNEL(name) \
  int name(mx_node* node, mx_array* const* inputs, mx_array* const* outputs)

MX__CUDA_KERNEL(mx__cuda_add);
MX__CUDA_KERNEL(mx__cuda_subtract);
MX__CUDA_KERNEL(mx__cuda_multiply);
MX__CUDA_KERNEL(mx__cuda_divide);
MX__CUDA_KERNEL(mx__cuda_reduce);
MX__CUDA_KERNEL(mx__cuda_reshape);
MX__CUDA_KERNEL(mx__cuda_transpose);
MX__CUDA_KERNEL(mx__cuda_broadcast);
MX__CUDA_KERNEL(mx__cuda_astype);
MX__CUDA_KERNEL(mx__cuda_copy);
MX__CUDA_KERNEL(mx__cuda_full);
MX__CUDA_KERNEL(mx__cuda_arange);
MX__CUDA_KERNEL(mx__cuda_matmul);
MX__CUDA_KERNEL(mx__cuda_unary);
MX__CUDA_KERNEL(mx__cuda_binary_ew);

#endif
