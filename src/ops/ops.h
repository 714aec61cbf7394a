/* Op constructors: argument checks, broadcasting, type promotion and shape
 * inference, producing graph nodes.  Ops never compute.
 *
 * Every function returns a new reference, or NULL with an error set (kind and
 * message follow MLX: shape mismatches and bad arguments are MX_ERR_VALUE,
 * out-of-range axes MX_ERR_INDEX as in MLX, wrong types MX_ERR_TYPE).  Array arguments
 * are borrowed.  `s` is the stream the op runs on (mx_stream_for_default()
 * when the caller has no preference). */
#ifndef MX_OPS_OPS_H
#define MX_OPS_OPS_H

#include "../core/core.h"

/* --- shape helpers --------------------------------------------------------- */

/* Broadcasts two shapes NumPy-style into out (ndim written to *out_ndim;
 * out must hold max(nda, ndb) entries).  Returns 0 / -1 (MX_ERR_VALUE). */
int mx_broadcast_shapes(int nda, const int* a, int ndb, const int* b, int* out_ndim, int* out);
/* Normalises an axis against ndim (negative counts from the end); -1 with
 * MX_ERR_INDEX naming `what` when out of range (MLX raises IndexError). */
int mx_normalize_axis(int axis, int ndim, const char* what, int* out);

/* --- creation -------------------------------------------------------------- */

mx_array* mx_full(int ndim, const int* shape, mx_array* vals, mx_dtype dtype, mx_stream s);
mx_array* mx_full_f64(int ndim, const int* shape, double val, mx_dtype dtype, mx_stream s);
mx_array* mx_zeros(int ndim, const int* shape, mx_dtype dtype, mx_stream s);
mx_array* mx_ones(int ndim, const int* shape, mx_dtype dtype, mx_stream s);
mx_array* mx_zeros_like(mx_array* a, mx_stream s);
mx_array* mx_ones_like(mx_array* a, mx_stream s);
/* Values start, start+step, ... below stop (NumPy semantics). */
mx_array* mx_arange(double start, double stop, double step, mx_dtype dtype, mx_stream s);

/* --- arithmetic (broadcasting, MLX type promotion) ------------------------- */

mx_array* mx_add(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_subtract(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_multiply(mx_array* a, mx_array* b, mx_stream s);
/* True division: integer inputs give float32 as in MLX. */
mx_array* mx_divide(mx_array* a, mx_array* b, mx_stream s);

/* --- reductions ------------------------------------------------------------ */

/* Sums over `axes` (naxes entries; axes == NULL means all axes).  Output
 * dtypes follow MLX: bool/int8/int16 sum to int32, uint8/uint16 to uint32.
 * An out-of-range axis is MX_ERR_INDEX, a repeated one MX_ERR_VALUE; no
 * axes to reduce returns the input. */
mx_array* mx_sum(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
/* Same conventions as mx_sum; prod widens like sum, max/min keep the dtype
 * (and reject an empty reduced axis), all/any give bool. */
mx_array* mx_prod(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
mx_array* mx_max(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
mx_array* mx_min(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
mx_array* mx_all(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);
mx_array* mx_any(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s);

/* --- shape and type -------------------------------------------------------- */

/* One entry of `shape` may be -1 (inferred). */
mx_array* mx_reshape(mx_array* a, int ndim, const int* shape, mx_stream s);
/* axes == NULL reverses the axes. */
mx_array* mx_transpose(mx_array* a, int naxes, const int* axes, mx_stream s);
mx_array* mx_broadcast_to(mx_array* a, int ndim, const int* shape, mx_stream s);
mx_array* mx_astype(mx_array* a, mx_dtype dtype, mx_stream s);
/* A row-contiguous copy. */
mx_array* mx_copy(mx_array* a, mx_stream s);

/* --- linear algebra -------------------------------------------------------- */

/* NumPy matmul semantics: 1-D operands are promoted and the added dim
 * removed; leading dims broadcast. */
mx_array* mx_matmul(mx_array* a, mx_array* b, mx_stream s);

/* --- the op families of the full operation set, one header each --- */
#include "ops_unary.h"
#include "ops_binary.h"
#include "ops_reduce_sort.h"
#include "ops_shape.h"
#include "ops_indexing.h"
#include "ops_linalg_conv.h"
#include "ops_random.h"
#include "ops_linalg.h"
#include "ops_fft.h"

#endif
