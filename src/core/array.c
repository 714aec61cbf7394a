/* Array and node lifetime, layouts and data access (see array.h). */
#include "array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval.h"

/* --- layouts -------------------------------------------------------------- */

void mx_row_strides(int ndim, const int* shape, int64_t* strides) {
  int64_t s = 1;
  for (int i = ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
}

unsigned mx_layout_flags(int ndim, const int* shape, const int64_t* strides, int64_t data_size) {
  int64_t size = 1;
  for (int i = 0; i < ndim; i++) size *= shape[i];
  /* Dimensions of size 1 may carry any stride; they never break contiguity. */
  bool row = true, col = true;
  int64_t expect = 1;
  for (int i = ndim - 1; i >= 0; i--) {
    if (shape[i] == 1) continue;
    if (strides[i] != expect) row = false;
    expect *= shape[i];
  }
  expect = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 1) continue;
    if (strides[i] != expect) col = false;
    expect *= shape[i];
  }
  unsigned flags = 0;
  if (row) flags |= MX_FLAG_ROW_CONTIGUOUS;
  if (col) flags |= MX_FLAG_COL_CONTIGUOUS;
  if (row || col || data_size == size) flags |= MX_FLAG_CONTIGUOUS;
  return flags;
}

bool mx_shape_equal(int nda, const int* a, int ndb, const int* b) {
  if (nda != ndb) return false;
  for (int i = 0; i < nda; i++)
    if (a[i] != b[i]) return false;
  return true;
}

const char* mx_shape_str(int ndim, const int* shape, char* buf, size_t buflen) {
  size_t n = 0;
  n += (size_t)snprintf(buf + n, n < buflen ? buflen - n : 0, "(");
  for (int i = 0; i < ndim; i++)
    n += (size_t)snprintf(buf + n, n < buflen ? buflen - n : 0, i ? ",%d" : "%d", shape[i]);
  snprintf(buf + n, n < buflen ? buflen - n : 0, ")");
  return buf;
}

/* --- construction ---------------------------------------------------------- */

mx_array* mx_array_alloc(mx_dtype dtype, int ndim, const int* shape) {
  if (ndim < 0) {
    mx_error(MX_ERR_VALUE, "[array] Negative number of dimensions %d.", ndim);
    return NULL;
  }
  int64_t size = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0) {
      char buf[128];
      mx_error(MX_ERR_VALUE, "[array] Negative dimension in shape %s.",
               mx_shape_str(ndim, shape, buf, sizeof buf));
      return NULL;
    }
    size *= shape[i];
  }
  /* One allocation holds the struct, the strides and the shape. */
  size_t bytes = sizeof(mx_array) + (size_t)ndim * (sizeof(int64_t) + sizeof(int));
  mx_array* a = calloc(1, bytes);
  if (!a) {
    mx_error(MX_ERR_MEMORY, "[array] Out of memory.");
    return NULL;
  }
  atomic_init(&a->refcount, 1);
  atomic_init(&a->status, MX_STATUS_UNSCHEDULED);
  a->dtype = dtype;
  a->ndim = ndim;
  a->strides = (int64_t*)(a + 1);
  a->shape = (int*)(a->strides + ndim);
  if (ndim) memcpy(a->shape, shape, (size_t)ndim * sizeof(int));
  /* Row-major strides until a kernel gives the array its real layout: what
   * MLX reports for an unevaluated array. */
  mx_row_strides(ndim, a->shape, a->strides);
  a->size = size;
  a->event.stream = -1;
  return a;
}

static void set_layout(mx_array* a, const int64_t* strides, int64_t offset, int64_t data_size) {
  if (strides) {
    if (a->ndim) memcpy(a->strides, strides, (size_t)a->ndim * sizeof(int64_t));
  } else {
    mx_row_strides(a->ndim, a->shape, a->strides);
  }
  a->offset = offset;
  a->data_size = data_size;
  a->flags = mx_layout_flags(a->ndim, a->shape, a->strides, data_size);
}

mx_array* mx_array_from_buffer(mx_buffer* buffer, mx_dtype dtype, int ndim, const int* shape,
                               const int64_t* strides, int64_t offset) {
  mx_array* a = mx_array_alloc(dtype, ndim, shape);
  if (!a) return NULL;
  mx_buffer_retain(buffer);
  a->buffer = buffer;
  /* data_size: the span from the first to the last element the view can reach. */
  int64_t span = a->size ? 1 : 0;
  if (a->size && strides)
    for (int i = 0; i < ndim; i++) span += (int64_t)(shape[i] - 1) * (strides[i] < 0 ? -strides[i] : strides[i]);
  else
    span = a->size;
  set_layout(a, strides, offset, span);
  atomic_store(&a->status, MX_STATUS_AVAILABLE);
  return a;
}

mx_array* mx_array_from_data(const void* data, mx_dtype dtype, int ndim, const int* shape) {
  mx_array* a = mx_array_alloc(dtype, ndim, shape);
  if (!a) return NULL;
  size_t nbytes = mx_array_nbytes(a);
  mx_buffer* b = mx_buffer_new(nbytes, false);
  if (!b) {
    mx_array_release(a);
    return NULL;
  }
  if (nbytes && data) memcpy(b->host, data, nbytes);
  else if (nbytes) memset(b->host, 0, nbytes);
  a->buffer = b;
  set_layout(a, NULL, 0, a->size);
  atomic_store(&a->status, MX_STATUS_AVAILABLE);
  return a;
}

/* Writes double `v` as one element of `dtype` at `dst`. */
static void store_f64(void* dst, double v, mx_dtype dtype) {
  switch (dtype) {
#define STORE(e, T) case MX_##e: *(T*)dst = (T)v; break;
    STORE(UINT8, uint8_t) STORE(UINT16, uint16_t) STORE(UINT32, uint32_t) STORE(UINT64, uint64_t)
    STORE(INT8, int8_t) STORE(INT16, int16_t) STORE(INT32, int32_t) STORE(INT64, int64_t)
    STORE(FLOAT32, float) STORE(FLOAT64, double)
#undef STORE
    case MX_BOOL: *(bool*)dst = v != 0; break;
    case MX_FLOAT16: *(uint16_t*)dst = mx_f32_to_f16((float)v); break;
    case MX_BFLOAT16: *(uint16_t*)dst = mx_f32_to_bf16((float)v); break;
    case MX_COMPLEX64: *(mx_complex64*)dst = (mx_complex64){(float)v, 0.0f}; break;
    default: break;
  }
}

mx_array* mx_array_scalar_f64(double v, mx_dtype dtype) {
  unsigned char tmp[16];
  store_f64(tmp, v, dtype);
  return mx_array_from_data(tmp, dtype, 0, NULL);
}

mx_array* mx_array_scalar_i64(int64_t v, mx_dtype dtype) {
  unsigned char tmp[16];
  switch (dtype) {
    /* Integers convert exactly (with C's wrapping for narrower types). */
#define STORE(e, T) case MX_##e: *(T*)tmp = (T)v; break;
    STORE(UINT8, uint8_t) STORE(UINT16, uint16_t) STORE(UINT32, uint32_t) STORE(UINT64, uint64_t)
    STORE(INT8, int8_t) STORE(INT16, int16_t) STORE(INT32, int32_t) STORE(INT64, int64_t)
#undef STORE
    default: store_f64(tmp, (double)v, dtype); break;
  }
  return mx_array_from_data(tmp, dtype, 0, NULL);
}

mx_array* mx_array_scalar_c64(float re, float im) {
  mx_complex64 c = {re, im};
  return mx_array_from_data(&c, MX_COMPLEX64, 0, NULL);
}

int mx_array_make_node(mx_prim prim, const void* params, size_t params_size, mx_stream stream,
                       int n_inputs, mx_array* const* inputs, int n_outputs,
                       const int* out_ndims, const int* const* out_shapes,
                       const mx_dtype* out_dtypes, mx_array** outputs) {
  mx_init();
  if (!mx_stream_valid(stream)) return mx_error(MX_ERR_VALUE, "[%s] Invalid stream %d.", mx_prim_name(prim), stream.index);
  if (mx_stream_device(stream).type == MX_DEVICE_GPU) {
    /* MLX's GPU backends have no float64 kernels; reject at construction so
     * the error surfaces where the op is written. */
    bool f64 = false;
    for (int i = 0; i < n_inputs; i++) f64 |= inputs[i]->dtype == MX_FLOAT64;
    for (int i = 0; i < n_outputs; i++) f64 |= out_dtypes[i] == MX_FLOAT64;
    if (f64) return mx_error(MX_ERR_VALUE, "float64 is not supported on the GPU");
  }
  for (int i = 0; i < n_outputs; i++) outputs[i] = NULL;
  size_t node_bytes = sizeof(mx_node) + (size_t)n_inputs * sizeof(mx_array*) +
                      (size_t)n_outputs * sizeof(mx_array*);
  mx_node* node = calloc(1, node_bytes);
  void* p = params_size ? malloc(params_size) : NULL;
  if (!node || (params_size && !p)) {
    free(node);
    free(p);
    return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", mx_prim_name(prim));
  }
  if (params_size) memcpy(p, params, params_size);
  mx_params_retain(prim, p);
  node->prim = prim;
  node->keep_graph = mx_tracing();
  node->params = p;
  node->params_size = params_size;
  node->stream = stream;
  node->n_inputs = n_inputs;
  node->inputs = (mx_array**)(node + 1);
  node->n_outputs = n_outputs;
  node->outputs = (mx_array* _Atomic*)(node->inputs + n_inputs);
  atomic_init(&node->refcount, 0);
  for (int i = 0; i < n_inputs; i++) {
    mx_array_retain(inputs[i]);
    node->inputs[i] = inputs[i];
  }
  if (n_outputs > 1) {
    node->out_meta = calloc((size_t)n_outputs, sizeof *node->out_meta);
    int total = 0;
    for (int i = 0; i < n_outputs; i++) total += out_ndims[i];
    int* shapes = malloc((size_t)(total ? total : 1) * sizeof(int));
    if (!node->out_meta || !shapes) {
      free(shapes);
      free(node->out_meta);
      node->out_meta = NULL;
      node->n_outputs = 0;
      atomic_init(&node->refcount, 1);
      mx_node_release(node);
      return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", mx_prim_name(prim));
    }
    for (int i = 0; i < n_outputs; i++) {
      node->out_meta[i].dtype = out_dtypes[i];
      node->out_meta[i].ndim = out_ndims[i];
      node->out_meta[i].shape = shapes;
      memcpy(shapes, out_shapes[i], (size_t)out_ndims[i] * sizeof(int));
      shapes += out_ndims[i];
    }
  }
  for (int i = 0; i < n_outputs; i++) {
    mx_array* o = mx_array_alloc(out_dtypes[i], out_ndims[i], out_shapes[i]);
    if (!o) {
      for (int j = 0; j < i; j++) mx_array_release(outputs[j]);
      if (atomic_load(&node->refcount) == 0) {
        atomic_init(&node->refcount, 1);
        mx_node_release(node);
      }
      return -1;
    }
    o->node = node;
    o->out_index = i;
    atomic_fetch_add(&node->refcount, 1);
    atomic_store(&node->outputs[i], o);
    outputs[i] = o;
  }
  return 0;
}

mx_array* mx_array_make(mx_prim prim, const void* params, size_t params_size, mx_stream stream,
                        int n_inputs, mx_array* const* inputs, mx_dtype dtype, int ndim,
                        const int* shape) {
  mx_array* out = NULL;
  const int* shapes[1] = {shape};
  if (mx_array_make_node(prim, params, params_size, stream, n_inputs, inputs, 1, &ndim, shapes,
                         &dtype, &out) != 0)
    return NULL;
  return out;
}

/* --- lifetime -------------------------------------------------------------- */

static atomic_int trace_depth;

void mx_trace_begin(void) { atomic_fetch_add(&trace_depth, 1); }
void mx_trace_end(void) { atomic_fetch_sub(&trace_depth, 1); }
bool mx_tracing(void) { return atomic_load(&trace_depth) > 0; }

mx_array* mx_node_output(mx_node* node, int i) {
  /* An output's weak slot is cleared by the output's own release, which
   * only runs on the thread dropping its last reference; the caller holds
   * the node through a live sibling or input, so reading the slot and
   * retaining the array is safe as long as the array is not dying right
   * now, which a traced graph (held by its caller) rules out. */
  mx_array* o = atomic_load(&node->outputs[i]);
  if (o) mx_array_retain(o);
  return o;
}

void mx_node_output_info(const mx_node* node, int i, int* ndim, const int** shape, mx_dtype* dtype) {
  mx_array* o = atomic_load(&((mx_node*)node)->outputs[i]);
  if (node->out_meta) {
    *ndim = node->out_meta[i].ndim;
    *shape = node->out_meta[i].shape;
    *dtype = node->out_meta[i].dtype;
  } else {
    *ndim = o->ndim;
    *shape = o->shape;
    *dtype = o->dtype;
  }
}

void mx_array_retain(mx_array* a) {
  if (a) atomic_fetch_add_explicit(&a->refcount, 1, memory_order_relaxed);
}

/* A growable stack of arrays whose last reference is gone.  Releasing the
 * head of a long chain would otherwise recurse once per link. */
typedef struct release_stack {
  mx_array** items;
  size_t n, cap;
  mx_array* local[64];
} release_stack;

static void stack_push(release_stack* s, mx_array* a) {
  if (s->n == s->cap) {
    size_t cap = s->cap * 2;
    mx_array** items = s->items == s->local ? malloc(cap * sizeof *items)
                                            : realloc(s->items, cap * sizeof *items);
    if (!items) {
      /* Out of memory while freeing: leak this array rather than crash. */
      return;
    }
    if (s->items == s->local) memcpy(items, s->local, s->n * sizeof *items);
    s->items = items;
    s->cap = cap;
  }
  s->items[s->n++] = a;
}

/* Drops `node`'s reference count; when it reaches zero, pushes inputs whose
 * last reference this was, and frees the node. */
static void node_drop(mx_node* node, release_stack* s) {
  if (atomic_fetch_sub_explicit(&node->refcount, 1, memory_order_acq_rel) != 1) return;
  for (int i = 0; i < node->n_inputs; i++) {
    mx_array* in = node->inputs[i];
    if (in && atomic_fetch_sub_explicit(&in->refcount, 1, memory_order_acq_rel) == 1)
      stack_push(s, in);
  }
  if (node->out_meta) {
    free(node->out_meta[0].shape);
    free(node->out_meta);
  }
  mx_params_release(node->prim, node->params);
  free(node->params);
  free(node);
}

static void array_free(mx_array* a, release_stack* s) {
  mx_node* node = a->node;
  if (node) {
    /* Only unevaluated arrays still point at their node: forget this output
     * so the scheduler makes a temporary for it if siblings still need the
     * node. */
    atomic_store(&node->outputs[a->out_index], NULL);
    node_drop(node, s);
  }
  mx_buffer_release(a->buffer);
  free(a->error);
  free(a);
}

void mx_array_release(mx_array* a) {
  if (!a || atomic_fetch_sub_explicit(&a->refcount, 1, memory_order_acq_rel) != 1) return;
  release_stack s = {.items = NULL, .n = 0, .cap = 64};
  s.items = s.local;
  array_free(a, &s);
  while (s.n) array_free(s.items[--s.n], &s);
  if (s.items != s.local) free(s.items);
}

void mx_node_release(mx_node* node) {
  release_stack s = {.items = NULL, .n = 0, .cap = 64};
  s.items = s.local;
  node_drop(node, &s);
  while (s.n) array_free(s.items[--s.n], &s);
  if (s.items != s.local) free(s.items);
}

void mx_array_detach(mx_array* a) {
  mx_node* node = a->node;
  if (!node) return;
  a->node = NULL;
  mx_node_release(node);
}

/* --- data access ----------------------------------------------------------- */

/* Evaluates `a` if needed.  Host readers (`host` true) also wait for the
 * producing stream to finish; device readers rely on stream order, and the
 * scheduler has already waited for producers on other streams. */
static int wait_ready(mx_array* a, bool host) {
  if (atomic_load_explicit(&a->status, memory_order_acquire) != MX_STATUS_AVAILABLE) {
    if (mx_array_eval(a) != 0) return -1;
  }
  if (a->error) return mx_error(a->error_kind, "%s", a->error);
  if (host && a->event.stream >= 0 && mx_event_wait(a->event) != 0) return -1;
  /* A leaf without data is a placeholder that mx.compile traces with. */
  if (!a->buffer)
    return mx_error(MX_ERR_VALUE,
                    "[eval] Attempting to eval an array during function transformations like "
                    "compile or vmap is not allowed.");
  return 0;
}

void* mx_array_host_data(mx_array* a) {
  if (wait_ready(a, true) != 0) return NULL;
  char* p = mx_buffer_host(a->buffer);
  return p ? p + a->offset * (int64_t)mx_array_itemsize(a) : NULL;
}

void* mx_array_device_data(mx_array* a) {
  if (wait_ready(a, false) != 0) return NULL;
  char* p = mx_buffer_device(a->buffer);
  return p ? p + a->offset * (int64_t)mx_array_itemsize(a) : NULL;
}

int mx_array_alloc_data(mx_array* out, bool device) {
  mx_buffer* b = mx_buffer_new(mx_array_nbytes(out), device);
  if (!b) return -1;
  mx_buffer_release(out->buffer);
  out->buffer = b;
  set_layout(out, NULL, 0, out->size);
  return 0;
}

void mx_array_share_data(mx_array* out, mx_array* in, const int64_t* strides, int64_t offset,
                         int64_t data_size, unsigned flags) {
  mx_buffer_retain(in->buffer);
  mx_buffer_release(out->buffer);
  out->buffer = in->buffer;
  if (out->ndim) memcpy(out->strides, strides, (size_t)out->ndim * sizeof(int64_t));
  out->offset = offset;
  out->data_size = data_size;
  out->flags = flags;
}

bool mx_array_is_donatable(const mx_array* in, const mx_array* out) {
  /* Only the consuming node holds `in`, only `in` holds the buffer, the
   * buffer is ours to reuse, and it is exactly the right size and layout. */
  if (out->node && out->node->keep_graph && mx_tracing()) return false;
  return in->buffer && atomic_load(&in->refcount) == 1 &&
         atomic_load(&in->buffer->refcount) == 1 && !in->buffer->external &&
         (in->flags & MX_FLAG_ROW_CONTIGUOUS) && in->offset == 0 &&
         in->data_size == in->size && mx_array_nbytes(in) == mx_array_nbytes(out) &&
         in->buffer->nbytes == mx_array_nbytes(out);
}

int mx_array_alloc_or_donate(mx_array* out, mx_array* const* candidates, int n, bool device) {
  for (int i = 0; i < n; i++) {
    mx_array* in = candidates[i];
    if (!mx_array_is_donatable(in, out)) continue;
    if (device ? !(in->buffer->valid & MX_VALID_DEVICE) : !(in->buffer->valid & MX_VALID_HOST))
      continue;
    mx_buffer_release(out->buffer);
    out->buffer = in->buffer;
    mx_buffer_retain(in->buffer);
    set_layout(out, NULL, 0, out->size);
    return 0;
  }
  return mx_array_alloc_data(out, device);
}
