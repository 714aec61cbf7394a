/* Compiled closures (mlx/c/compile.h) over src/transforms/compile.h.
 *
 * A compiled closure keeps its traces in a small list keyed by the input
 * signature: the count, dtypes and shapes of the inputs (dtypes and ranks
 * only when shapeless).  A new signature traces the function once; later
 * calls replay the trace.  The list is guarded by a mutex so a closure may
 * be applied from several threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "capi_closure.h"
#include "transforms/compile.h"

typedef struct trace_entry {
  int n;
  mx_dtype* dtypes;
  int* ndims;
  int** shapes;
  mx_compiled* compiled;
} trace_entry;

typedef struct compiled_closure {
  mx__closure* fun; /* one reference */
  bool shapeless;
  pthread_mutex_t lock;
  trace_entry* entries;
  int n_entries, cap;
} compiled_closure;

static void entry_free(trace_entry* e) {
  for (int i = 0; i < e->n; i++) free(e->shapes[i]);
  free(e->shapes);
  free(e->ndims);
  free(e->dtypes);
  mx_compiled_free(e->compiled);
}

static void compiled_closure_free(void* p) {
  compiled_closure* cc = p;
  if (!cc) return;
  for (int i = 0; i < cc->n_entries; i++) entry_free(&cc->entries[i]);
  free(cc->entries);
  pthread_mutex_destroy(&cc->lock);
  mx__closure_release(cc->fun);
  free(cc);
}

static bool entry_matches(const trace_entry* e, bool shapeless, int n, mx_array* const* in) {
  if (e->n != n) return false;
  for (int i = 0; i < n; i++) {
    if (e->dtypes[i] != in[i]->dtype || e->ndims[i] != in[i]->ndim) return false;
    if (!shapeless && !mx_shape_equal(e->ndims[i], e->shapes[i], in[i]->ndim, in[i]->shape))
      return false;
  }
  return true;
}

/* Traces the function for the signature of `in` and appends the entry. */
static mx_compiled* add_entry(compiled_closure* cc, int n, mx_array* const* in) {
  if (cc->n_entries == cc->cap) {
    int cap = cc->cap ? 2 * cc->cap : 4;
    trace_entry* bigger = realloc(cc->entries, (size_t)cap * sizeof *bigger);
    if (!bigger) {
      mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
      return NULL;
    }
    cc->entries = bigger;
    cc->cap = cap;
  }
  trace_entry e = {n, calloc((size_t)(n ? n : 1), sizeof(mx_dtype)),
                   calloc((size_t)(n ? n : 1), sizeof(int)),
                   calloc((size_t)(n ? n : 1), sizeof(int*)), NULL};
  bool ok = e.dtypes && e.ndims && e.shapes;
  for (int i = 0; ok && i < n; i++) {
    e.dtypes[i] = in[i]->dtype;
    e.ndims[i] = in[i]->ndim;
    e.shapes[i] = malloc((size_t)(in[i]->ndim ? in[i]->ndim : 1) * sizeof(int));
    if (!e.shapes[i]) ok = false;
    else memcpy(e.shapes[i], in[i]->shape, (size_t)in[i]->ndim * sizeof(int));
  }
  if (!ok) {
    entry_free(&e);
    mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    return NULL;
  }
  e.compiled = mx_compile_trace(mx__capi_closure_fn, cc->fun, n, in, cc->shapeless);
  if (!e.compiled) {
    entry_free(&e);
    return NULL;
  }
  cc->entries[cc->n_entries++] = e;
  return e.compiled;
}

static int compiled_apply(mlx_vector_array* res, const mlx_vector_array input, void* payload) {
  compiled_closure* cc = payload;
  if (!input.ctx) return mx_error(MX_ERR_VALUE, "[compile] Expected a non-empty mlx_vector_array.");
  int n = 0, n_out = 0;
  mx_array **in = NULL, **out = NULL;
  if (mx__capi_vector_take(input, &n, &in) != 0) return -1;
  int rc;
  if (!mx_compile_enabled()) {
    rc = mx__capi_closure_fn(cc->fun, n, in, &n_out, &out);
  } else {
    pthread_mutex_lock(&cc->lock);
    mx_compiled* c = NULL;
    for (int i = 0; i < cc->n_entries && !c; i++)
      if (entry_matches(&cc->entries[i], cc->shapeless, n, in)) c = cc->entries[i].compiled;
    if (!c) c = add_entry(cc, n, in);
    pthread_mutex_unlock(&cc->lock);
    rc = c ? mx_compile_run(c, n, in, &n_out, &out) : -1;
  }
  mx_arrays_free(n, in);
  if (rc != 0) return -1;
  mlx_vector_array v = mx__capi_vector_from(n_out, out);
  mx_arrays_free(n_out, out);
  if (!v.ctx) return -1;
  rc = mlx_vector_array_set(res, v) == 0 ? 0 : -1;
  mlx_vector_array_free(v);
  return rc;
}

int mlx_compile(mlx_closure* res, const mlx_closure fun, bool shapeless) {
  OUT(res, "mlx_compile");
  if (!fun.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_compile] The closure is empty.");
  compiled_closure* cc = calloc(1, sizeof *cc);
  if (!cc) return mx__capi_failf(MX_ERR_MEMORY, "[mlx_compile] Out of memory.");
  pthread_mutex_init(&cc->lock, NULL);
  cc->fun = fun.ctx;
  mx__closure_retain(cc->fun);
  cc->shapeless = shapeless;
  mx__closure* out = mx__closure_new((void (*)(void))compiled_apply, cc, compiled_closure_free,
                                     "mlx_compile");
  if (!out) return 1;
  mlx_closure_free(*res);
  res->ctx = out;
  return 0;
}

int mlx_detail_compile(mlx_closure* res, const mlx_closure fun, uintptr_t fun_id, bool shapeless,
                       const uint64_t* constants, size_t constants_num) {
  (void)fun_id;
  (void)constants;
  (void)constants_num;
  return mlx_compile(res, fun, shapeless);
}

int mlx_detail_compile_clear_cache(void) { return 0; }

int mlx_detail_compile_erase(uintptr_t fun_id) {
  (void)fun_id;
  return 0;
}

int mlx_disable_compile(void) {
  mx_compile_set_enabled(false);
  return 0;
}

int mlx_enable_compile(void) {
  mx_compile_set_enabled(true);
  return 0;
}

int mlx_set_compile_mode(mlx_compile_mode mode) {
  switch (mode) {
    case MLX_COMPILE_MODE_DISABLED: mx_compile_set_enabled(false); return 0;
    case MLX_COMPILE_MODE_NO_SIMPLIFY:
    case MLX_COMPILE_MODE_NO_FUSE:
    case MLX_COMPILE_MODE_ENABLED: mx_compile_set_enabled(true); return 0;
  }
  return mx__capi_failf(MX_ERR_VALUE, "[mlx_set_compile_mode] Unknown mode %d.", (int)mode);
}
