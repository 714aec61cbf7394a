/* Primitives of one family: gather/scatter, slice/slice_update, take/put_along_axis.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * Index arrays reaching GATHER, SCATTER, GATHER_AXIS and SCATTER_AXIS have
 * an integer dtype and are already broadcast to their common shape by the op
 * constructors.  Kernels wrap negative indices once (i + dim) and clamp what
 * is still out of range, so a bad index can never touch memory outside the
 * source (MLX leaves such indices undefined). */
#ifndef MX_CORE_PRIMS_INDEXING_H
#define MX_CORE_PRIMS_INDEXING_H

#include <stdint.h>

#define MX_PRIMS_INDEXING(X)                    \
  X(SLICE, "Slice")                             \
  X(SLICE_UPDATE, "SliceUpdate")                \
  X(DYNAMIC_SLICE, "DynamicSlice")              \
  X(DYNAMIC_SLICE_UPDATE, "DynamicSliceUpdate") \
  X(GATHER, "Gather")                           \
  X(SCATTER, "Scatter")                         \
  X(GATHER_AXIS, "GatherAxis")                  \
  X(SCATTER_AXIS, "ScatterAxis")                \
  X(MASKED_SCATTER, "MaskedScatter")

/* How scattered values combine with what is already there.  NONE
 * overwrites (the last write of repeated indices wins); the others
 * accumulate, so repeated indices all count. */
typedef enum mx_scatter_op {
  MX_SCATTER_NONE,
  MX_SCATTER_SUM,
  MX_SCATTER_PROD,
  MX_SCATTER_MAX,
  MX_SCATTER_MIN,
} mx_scatter_op;

/* SLICE (input a) and SLICE_UPDATE (inputs src, update): output/update
 * element j along dim i is source element start[i] + j * strides[i].
 * `v` holds start[ndim] then strides[ndim]; strides may be negative, and
 * starts are already clamped into range.  `op` is used by SLICE_UPDATE
 * only (an mx_scatter_op). */
typedef struct mx_slice_params {
  int op;
  int ndim;
  int64_t v[];
} mx_slice_params;

/* DYNAMIC_SLICE (inputs a, start) and DYNAMIC_SLICE_UPDATE (inputs src,
 * update, start): start[k] is the first index along axes[k]; the extent is
 * the output's (or the update's) size on that axis.  Starts are clamped so
 * the window stays inside the source. */
typedef struct mx_dyn_slice_params {
  int naxes;
  int axes[];
} mx_dyn_slice_params;

/* GATHER (inputs a, idx_0 .. idx_{n-1}): output shape is the indices'
 * shape followed by the slice sizes (one per dim of a, the trailing dims of
 * the output).  SCATTER (inputs a, idx_0 .. idx_{n-1}, updates): updates
 * have the indices' shape followed by a.ndim slice dims. */
typedef struct mx_gather_params {
  int op; /* SCATTER only: an mx_scatter_op */
  int naxes;
  int axes[];
} mx_gather_params;

/* GATHER_AXIS (inputs a, idx) and SCATTER_AXIS (inputs a, idx, values):
 * along `axis` the indices choose positions, elsewhere they follow the
 * output (gather) or values (scatter) position. */
typedef struct mx_axis_index_params {
  int op; /* SCATTER_AXIS only: an mx_scatter_op */
  int axis;
} mx_axis_index_params;

#endif
