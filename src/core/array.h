/* Arrays and graph nodes.
 *
 * An mx_array is a refcounted handle for one n-dimensional value: shape,
 * strides (in elements), element offset, dtype and a buffer once it has data.
 * Until it is evaluated it also points to the mx_node that computes it.  A
 * node holds the primitive, its parameters, strong references to its inputs
 * and weak references to its outputs (siblings of a multi-output primitive
 * such as divmod or split share one node).  After the node runs, every
 * output drops its node reference ("detach"), which releases the inputs, so
 * memory is freed as the graph is consumed.
 *
 * Ownership: functions returning mx_array* return a new reference; callers
 * release it with mx_array_release().  Arguments are borrowed. */
#ifndef MX_CORE_ARRAY_H
#define MX_CORE_ARRAY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "buffer.h"
#include "dtype.h"
#include "primitive.h"
#include "stream.h"

enum {
  MX_FLAG_ROW_CONTIGUOUS = 1u << 0, /* C order, no gaps */
  MX_FLAG_COL_CONTIGUOUS = 1u << 1, /* Fortran order, no gaps */
  MX_FLAG_CONTIGUOUS = 1u << 2,     /* dense in some axis order (data_size == size) */
};

/* Evaluation state, advanced only by the scheduler. */
enum {
  MX_STATUS_UNSCHEDULED = 0, /* has a node that has not been queued */
  MX_STATUS_SCHEDULED = 1,   /* queued; wait on `event` before reading */
  MX_STATUS_AVAILABLE = 2,   /* has data (or failed: see `failed`) */
};

typedef struct mx_node mx_node;

typedef struct mx_array {
  atomic_int refcount;
  mx_dtype dtype;
  int ndim;
  int* shape;        /* ndim entries (MLX uses 32-bit shape elements) */
  int64_t* strides;  /* ndim entries, in elements; set when data is set */
  int64_t size;      /* product of shape */
  int64_t offset;    /* element offset of [0,...,0] in the buffer */
  int64_t data_size; /* elements the view spans in its buffer */
  unsigned flags;    /* MX_FLAG_* */
  mx_buffer* buffer; /* NULL until evaluated */
  mx_node* node;     /* NULL for leaves and evaluated arrays */
  int out_index;     /* position among the node's outputs */
  atomic_int status; /* MX_STATUS_* */
  mx_event event;    /* completion of the producing task while SCHEDULED */
  char* error;       /* set when the producing task failed: its message (owned) */
  int error_kind;    /* mx_error_kind of that failure */
} mx_array;

struct mx_node {
  atomic_int refcount;
  mx_prim prim;
  void* params; /* plain-old-data blob owned by the node, compared with memcmp */
  size_t params_size;
  mx_stream stream;
  int n_inputs;
  mx_array** inputs; /* strong references */
  int n_outputs;
  mx_array* _Atomic* outputs; /* weak references; cleared when an output dies */
  /* For multi-output nodes only: each output's dtype and shape, so an output
   * that died before the node ran can be recreated as a temporary. */
  struct mx_node_output_meta {
    mx_dtype dtype;
    int ndim;
    int* shape;
  }* out_meta;
  /* Made while a transform was tracing (mx_tracing()): while tracing is
   * still on, evaluating the node keeps it attached to its outputs (the
   * transform walks the graph afterwards) and no kernel donates its inputs'
   * buffers (the transform's rules read them later). */
  bool keep_graph;
};

/* --- construction --------------------------------------------------------- */

/* An unevaluated array of `shape`/`dtype` with no node (used by op
 * constructors before attaching a node). */
mx_array* mx_array_alloc(mx_dtype dtype, int ndim, const int* shape);

/* Leaf arrays that own a copy of `data` (row-major, `dtype` elements). */
mx_array* mx_array_from_data(const void* data, mx_dtype dtype, int ndim, const int* shape);
/* Leaf array sharing `buffer` (retained) with the given layout. */
mx_array* mx_array_from_buffer(mx_buffer* buffer, mx_dtype dtype, int ndim, const int* shape,
                               const int64_t* strides, int64_t offset);
/* Scalars (0-d arrays).  The double/int64 value is converted to `dtype`. */
mx_array* mx_array_scalar_f64(double v, mx_dtype dtype);
mx_array* mx_array_scalar_i64(int64_t v, mx_dtype dtype);
mx_array* mx_array_scalar_c64(float re, float im);

/* Builds the node computing `n_outputs` arrays from `inputs` with primitive
 * `prim` and a copy of `params`, on `stream`.  Output i has shape
 * out_shapes[i] (out_ndims[i] dims) and dtype out_dtypes[i].  Writes new
 * references to `outputs`.  Returns 0, or -1 with an error set. */
int mx_array_make_node(mx_prim prim, const void* params, size_t params_size, mx_stream stream,
                       int n_inputs, mx_array* const* inputs, int n_outputs,
                       const int* out_ndims, const int* const* out_shapes,
                       const mx_dtype* out_dtypes, mx_array** outputs);
/* Single-output convenience form; returns the new array or NULL. */
mx_array* mx_array_make(mx_prim prim, const void* params, size_t params_size, mx_stream stream,
                        int n_inputs, mx_array* const* inputs, mx_dtype dtype, int ndim,
                        const int* shape);

void mx_array_retain(mx_array* a);

/* --- tracing (function transforms) ---------------------------------------- */

/* Transforms (vjp, jvp, vmap, compile) trace a function by running it on
 * stand-in arrays and walking the graph it builds.  Between begin and end
 * (they nest; the count is process-wide) nodes are made with keep_graph set.
 * mx_tracing() says whether any trace is open. */
void mx_trace_begin(void);
void mx_trace_end(void);
bool mx_tracing(void);
/* A new reference to output i of `node` when that output is still alive,
 * else NULL (multi-output nodes hold weak references to their outputs). */
mx_array* mx_node_output(mx_node* node, int i);
/* Shape and dtype of output i, alive or not. */
void mx_node_output_info(const mx_node* node, int i, int* ndim, const int** shape, mx_dtype* dtype);
/* Drops one node reference (each output holds one); frees the node and
 * releases its inputs when it was the last. */
void mx_node_release(mx_node* node);
/* Cuts an evaluated array loose from its node (the scheduler calls this). */
void mx_array_detach(mx_array* a);
/* Releases a reference.  Freeing a long chain uses a worklist, not recursion. */
void mx_array_release(mx_array* a);

/* --- data, for kernels and evaluated arrays ------------------------------- */

static inline size_t mx_array_itemsize(const mx_array* a) { return mx_dtype_size(a->dtype); }
static inline size_t mx_array_nbytes(const mx_array* a) {
  return (size_t)a->size * mx_dtype_size(a->dtype);
}
static inline bool mx_array_is_available(const mx_array* a) {
  return atomic_load(&a->status) == MX_STATUS_AVAILABLE;
}
/* Host pointer to element [0,...,0] (migrates from the GPU when needed). */
void* mx_array_host_data(mx_array* a);
/* Device pointer to element [0,...,0] (migrates to the GPU when needed). */
void* mx_array_device_data(mx_array* a);

/* Kernel helpers: give `out` a fresh buffer (row-contiguous layout) on the
 * host or device; share `in`'s buffer with a new layout (views); or take
 * `in`'s buffer when nothing else references it (donation), else allocate. */
int mx_array_alloc_data(mx_array* out, bool device);
void mx_array_share_data(mx_array* out, mx_array* in, const int64_t* strides, int64_t offset,
                         int64_t data_size, unsigned flags);
bool mx_array_is_donatable(const mx_array* in, const mx_array* out);
int mx_array_alloc_or_donate(mx_array* out, mx_array* const* candidates, int n, bool device);

/* Row-major strides for `shape`, and flag computation for a layout. */
void mx_row_strides(int ndim, const int* shape, int64_t* strides);
unsigned mx_layout_flags(int ndim, const int* shape, const int64_t* strides, int64_t data_size);

/* Shapes equal? */
bool mx_shape_equal(int nda, const int* a, int ndb, const int* b);
/* Formats a shape as "(2,3)" into buf (for error messages). */
const char* mx_shape_str(int ndim, const int* shape, char* buf, size_t buflen);

#endif
