/* The vector handles (mlx_vector_array, _vector_array, _int, _string).
 *
 * All four share one growable container, mx__capi_vec, whose slots hold a
 * fixed-size element described by an element-kind table:
 *   array         slot = mx_array* (one reference)
 *   vector_array  slot = mx__capi_vec* (an owned copy of the inner vector)
 *   int           slot = int
 *   string        slot = char* (an owned copy)
 * The typed functions at the bottom are one-liners over the generic ones.
 * Filling a handle that already names a vector ("set") builds the new
 * contents aside and then swaps them in, so the handle keeps naming the
 * same vector and a failure leaves the old contents intact. */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

typedef struct vec_kind {
  const char* name;    /* for messages: "mlx_vector_array", ... */
  size_t slot;         /* bytes per stored element */
  size_t in;           /* bytes per element of the caller's input arrays */
  /* Stores a copy of the caller's element `src` into `slot`; 0 / -1 (with
   * an internal error set). */
  int (*put)(void* slot, const void* src);
  void (*drop)(void* slot);
} vec_kind;

typedef struct mx__capi_vec {
  const vec_kind* kind;
  size_t size, cap;
  unsigned char* data;
} mx__capi_vec;

static mx__capi_vec* vec_new(const vec_kind* kind) {
  mx__capi_vec* v = calloc(1, sizeof *v);
  if (!v) {
    mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", kind->name);
    return NULL;
  }
  v->kind = kind;
  return v;
}

static void vec_clear(mx__capi_vec* v) {
  if (v->kind->drop)
    for (size_t i = 0; i < v->size; i++) v->kind->drop(v->data + i * v->kind->slot);
  v->size = 0;
}

static void vec_free(mx__capi_vec* v) {
  if (!v) return;
  vec_clear(v);
  free(v->data);
  free(v);
}

/* Appends `n` elements read from the caller's array `src`.  On failure the
 * elements added so far are removed again. */
static int vec_append(mx__capi_vec* v, const void* src, size_t n) {
  const vec_kind* k = v->kind;
  if (n == 0) return 0;
  if (!src) return mx_error(MX_ERR_VALUE, "[%s] The data pointer is NULL.", k->name);
  if (v->size + n > v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    while (cap < v->size + n) cap *= 2;
    unsigned char* p = realloc(v->data, cap * k->slot);
    if (!p) return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", k->name);
    v->data = p;
    v->cap = cap;
  }
  size_t start = v->size;
  for (size_t i = 0; i < n; i++) {
    if (k->put(v->data + v->size * k->slot, (const unsigned char*)src + i * k->in) != 0) {
      while (v->size > start) {
        v->size--;
        if (k->drop) k->drop(v->data + v->size * k->slot);
      }
      return -1;
    }
    v->size++;
  }
  return 0;
}

/* A new vector holding copies of `n` input elements; NULL on failure. */
static mx__capi_vec* vec_from(const vec_kind* kind, const void* src, size_t n) {
  mx__capi_vec* v = vec_new(kind);
  if (v && vec_append(v, src, n) != 0) {
    vec_free(v);
    v = NULL;
  }
  return v;
}

/* Makes the vector named by `*handle` hold `fresh`'s contents (taking them
 * over), creating the vector when the handle is empty. */
static void vec_install(void** handle, mx__capi_vec* fresh) {
  mx__capi_vec* v = *handle;
  if (!v) {
    *handle = fresh;
    return;
  }
  mx__capi_vec old = *v;
  *v = *fresh;
  *fresh = old;
  vec_free(fresh);
}

/* Element copy of `v`'s stored slots, for _set and for nested vectors. */
static mx__capi_vec* vec_clone(const mx__capi_vec* v);

/* --- element kinds ------------------------------------------------------------- */

static int put_array(void* slot, const void* src) {
  mx_array* a = ((const mlx_array*)src)->ctx;
  if (!a) return mx_error(MX_ERR_VALUE, "[mlx_vector_array] Cannot store an empty mlx_array.");
  mx_array_retain(a);
  *(mx_array**)slot = a;
  return 0;
}
static void drop_array(void* slot) { mx_array_release(*(mx_array**)slot); }
static const vec_kind kind_array = {"mlx_vector_array", sizeof(mx_array*), sizeof(mlx_array),
                                    put_array, drop_array};

static int put_vector(void* slot, const void* src) {
  const mx__capi_vec* inner = ((const mlx_vector_array*)src)->ctx;
  if (!inner)
    return mx_error(MX_ERR_VALUE, "[mlx_vector_vector_array] Cannot store an empty mlx_vector_array.");
  mx__capi_vec* copy = vec_clone(inner);
  if (!copy) return -1;
  *(mx__capi_vec**)slot = copy;
  return 0;
}
static void drop_vector(void* slot) { vec_free(*(mx__capi_vec**)slot); }
static const vec_kind kind_vector = {"mlx_vector_vector_array", sizeof(mx__capi_vec*),
                                     sizeof(mlx_vector_array), put_vector, drop_vector};

static int put_int(void* slot, const void* src) {
  memcpy(slot, src, sizeof(int));
  return 0;
}
static const vec_kind kind_int = {"mlx_vector_int", sizeof(int), sizeof(int), put_int, NULL};

static int put_string(void* slot, const void* src) {
  const char* s = *(const char* const*)src;
  if (!s) return mx_error(MX_ERR_VALUE, "[mlx_vector_string] Cannot store a NULL string.");
  char* copy = strdup(s);
  if (!copy) return mx_error(MX_ERR_MEMORY, "[mlx_vector_string] Out of memory.");
  *(char**)slot = copy;
  return 0;
}
static void drop_string(void* slot) { free(*(char**)slot); }
static const vec_kind kind_string = {"mlx_vector_string", sizeof(char*), sizeof(const char*),
                                     put_string, drop_string};

/* Cloning works on stored slots, whose layout differs from the inputs' for
 * arrays and nested vectors, so it re-wraps each slot as an input first. */
static mx__capi_vec* vec_clone(const mx__capi_vec* v) {
  mx__capi_vec* c = vec_new(v->kind);
  if (!c) return NULL;
  for (size_t i = 0; i < v->size; i++) {
    const void* slot = v->data + i * v->kind->slot;
    int rc;
    if (v->kind == &kind_array) {
      mlx_array a = {*(mx_array* const*)slot};
      rc = vec_append(c, &a, 1);
    } else if (v->kind == &kind_vector) {
      mlx_vector_array inner = {*(mx__capi_vec* const*)slot};
      rc = vec_append(c, &inner, 1);
    } else {
      rc = vec_append(c, slot, 1); /* ints and char* pointers look the same */
    }
    if (rc != 0) {
      vec_free(c);
      return NULL;
    }
  }
  return c;
}

/* --- generic entry points (each reports its own failures) -------------------- */

static void* g_new(const vec_kind* k, const void* data, size_t n) {
  mx__capi_vec* v = vec_from(k, data, n);
  if (!v) mx__capi_fail();
  return v;
}

static int g_set_data(const vec_kind* k, void** handle, const void* data, size_t n,
                      const char* fn) {
  if (!handle) return mx__capi_null_output(fn);
  mx__capi_vec* fresh = vec_from(k, data, n);
  if (!fresh) return mx__capi_fail();
  vec_install(handle, fresh);
  return 0;
}

static int g_set(void** handle, const void* src_ctx, const vec_kind* k, const char* fn) {
  if (!handle) return mx__capi_null_output(fn);
  if (!src_ctx) return mx__capi_failf(MX_ERR_VALUE, "[%s] Expected a non-empty %s.", fn, k->name);
  if (*handle == src_ctx) return 0;
  mx__capi_vec* fresh = vec_clone(src_ctx);
  if (!fresh) return mx__capi_fail();
  vec_install(handle, fresh);
  return 0;
}

static int g_append(void* ctx, const void* data, size_t n, const vec_kind* k, const char* fn) {
  if (!ctx) return mx__capi_failf(MX_ERR_VALUE, "[%s] Expected a non-empty %s.", fn, k->name);
  return vec_append(ctx, data, n) == 0 ? 0 : mx__capi_fail();
}

static size_t g_size(const void* ctx) { return ctx ? ((const mx__capi_vec*)ctx)->size : 0; }

/* The stored slot `idx`, or NULL (reported). */
static const void* g_slot(const void* ctx, size_t idx, const vec_kind* k, const char* fn) {
  if (!ctx) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] Expected a non-empty %s.", fn, k->name);
    return NULL;
  }
  const mx__capi_vec* v = ctx;
  if (idx >= v->size) {
    mx__capi_failf(MX_ERR_INDEX, "[%s] Index %zu is out of range for a vector of size %zu.", fn,
                   idx, v->size);
    return NULL;
  }
  return v->data + idx * k->slot;
}

/* The arrays stored in a vector of arrays, for the functions that hand
 * them to the internal API (borrowed; NULL with *n = 0 for an empty or
 * empty-handled vector). */
mx_array* const* mx__capi_vector_arrays(mlx_vector_array vec, size_t* n) {
  const mx__capi_vec* v = vec.ctx;
  *n = v ? v->size : 0;
  return v && v->size ? (mx_array* const*)v->data : NULL;
}

/* --- mlx_vector_array -------------------------------------------------------- */

#define K (&kind_array)
mlx_vector_array mlx_vector_array_new(void) { return (mlx_vector_array){g_new(K, NULL, 0)}; }
int mlx_vector_array_set(mlx_vector_array* vec, const mlx_vector_array src) {
  return g_set(vec ? &vec->ctx : NULL, src.ctx, K, "mlx_vector_array_set");
}
int mlx_vector_array_free(mlx_vector_array vec) {
  vec_free(vec.ctx);
  return 0;
}
mlx_vector_array mlx_vector_array_new_data(const mlx_array* data, size_t size) {
  return (mlx_vector_array){g_new(K, data, size)};
}
mlx_vector_array mlx_vector_array_new_value(const mlx_array val) {
  return (mlx_vector_array){g_new(K, &val, 1)};
}
int mlx_vector_array_set_data(mlx_vector_array* vec, const mlx_array* data, size_t size) {
  return g_set_data(K, vec ? &vec->ctx : NULL, data, size, "mlx_vector_array_set_data");
}
int mlx_vector_array_set_value(mlx_vector_array* vec, const mlx_array val) {
  return g_set_data(K, vec ? &vec->ctx : NULL, &val, 1, "mlx_vector_array_set_value");
}
int mlx_vector_array_append_data(mlx_vector_array vec, const mlx_array* data, size_t size) {
  return g_append(vec.ctx, data, size, K, "mlx_vector_array_append_data");
}
int mlx_vector_array_append_value(mlx_vector_array vec, const mlx_array val) {
  return g_append(vec.ctx, &val, 1, K, "mlx_vector_array_append_value");
}
size_t mlx_vector_array_size(mlx_vector_array vec) { return g_size(vec.ctx); }
int mlx_vector_array_get(mlx_array* res, const mlx_vector_array vec, size_t idx) {
  if (!res) return mx__capi_null_output("mlx_vector_array_get");
  const void* slot = g_slot(vec.ctx, idx, K, "mlx_vector_array_get");
  if (!slot) return 1;
  mx_array* a = *(mx_array* const*)slot;
  mx_array_retain(a);
  return mx__capi_put_array(res, a);
}
#undef K

/* --- mlx_vector_vector_array ------------------------------------------------- */

#define K (&kind_vector)
mlx_vector_vector_array mlx_vector_vector_array_new(void) {
  return (mlx_vector_vector_array){g_new(K, NULL, 0)};
}
int mlx_vector_vector_array_set(mlx_vector_vector_array* vec, const mlx_vector_vector_array src) {
  return g_set(vec ? &vec->ctx : NULL, src.ctx, K, "mlx_vector_vector_array_set");
}
int mlx_vector_vector_array_free(mlx_vector_vector_array vec) {
  vec_free(vec.ctx);
  return 0;
}
mlx_vector_vector_array mlx_vector_vector_array_new_data(const mlx_vector_array* data,
                                                         size_t size) {
  return (mlx_vector_vector_array){g_new(K, data, size)};
}
mlx_vector_vector_array mlx_vector_vector_array_new_value(const mlx_vector_array val) {
  return (mlx_vector_vector_array){g_new(K, &val, 1)};
}
int mlx_vector_vector_array_set_data(mlx_vector_vector_array* vec, const mlx_vector_array* data,
                                     size_t size) {
  return g_set_data(K, vec ? &vec->ctx : NULL, data, size, "mlx_vector_vector_array_set_data");
}
int mlx_vector_vector_array_set_value(mlx_vector_vector_array* vec, const mlx_vector_array val) {
  return g_set_data(K, vec ? &vec->ctx : NULL, &val, 1, "mlx_vector_vector_array_set_value");
}
int mlx_vector_vector_array_append_data(mlx_vector_vector_array vec, const mlx_vector_array* data,
                                        size_t size) {
  return g_append(vec.ctx, data, size, K, "mlx_vector_vector_array_append_data");
}
int mlx_vector_vector_array_append_value(mlx_vector_vector_array vec,
                                         const mlx_vector_array val) {
  return g_append(vec.ctx, &val, 1, K, "mlx_vector_vector_array_append_value");
}
size_t mlx_vector_vector_array_size(mlx_vector_vector_array vec) { return g_size(vec.ctx); }
int mlx_vector_vector_array_get(mlx_vector_array* res, const mlx_vector_vector_array vec,
                                size_t idx) {
  if (!res) return mx__capi_null_output("mlx_vector_vector_array_get");
  const void* slot = g_slot(vec.ctx, idx, K, "mlx_vector_vector_array_get");
  if (!slot) return 1;
  return g_set(&res->ctx, *(mx__capi_vec* const*)slot, &kind_array, "mlx_vector_vector_array_get");
}
#undef K

/* --- mlx_vector_int ------------------------------------------------------------ */

#define K (&kind_int)
mlx_vector_int mlx_vector_int_new(void) { return (mlx_vector_int){g_new(K, NULL, 0)}; }
int mlx_vector_int_set(mlx_vector_int* vec, const mlx_vector_int src) {
  return g_set(vec ? &vec->ctx : NULL, src.ctx, K, "mlx_vector_int_set");
}
int mlx_vector_int_free(mlx_vector_int vec) {
  vec_free(vec.ctx);
  return 0;
}
mlx_vector_int mlx_vector_int_new_data(int* data, size_t size) {
  return (mlx_vector_int){g_new(K, data, size)};
}
mlx_vector_int mlx_vector_int_new_value(int val) { return (mlx_vector_int){g_new(K, &val, 1)}; }
int mlx_vector_int_set_data(mlx_vector_int* vec, int* data, size_t size) {
  return g_set_data(K, vec ? &vec->ctx : NULL, data, size, "mlx_vector_int_set_data");
}
int mlx_vector_int_set_value(mlx_vector_int* vec, int val) {
  return g_set_data(K, vec ? &vec->ctx : NULL, &val, 1, "mlx_vector_int_set_value");
}
int mlx_vector_int_append_data(mlx_vector_int vec, int* data, size_t size) {
  return g_append(vec.ctx, data, size, K, "mlx_vector_int_append_data");
}
int mlx_vector_int_append_value(mlx_vector_int vec, int val) {
  return g_append(vec.ctx, &val, 1, K, "mlx_vector_int_append_value");
}
size_t mlx_vector_int_size(mlx_vector_int vec) { return g_size(vec.ctx); }
int mlx_vector_int_get(int* res, const mlx_vector_int vec, size_t idx) {
  if (!res) return mx__capi_null_output("mlx_vector_int_get");
  const void* slot = g_slot(vec.ctx, idx, K, "mlx_vector_int_get");
  if (!slot) return 1;
  *res = *(const int*)slot;
  return 0;
}
#undef K

/* --- mlx_vector_string --------------------------------------------------------- */

#define K (&kind_string)
mlx_vector_string mlx_vector_string_new(void) { return (mlx_vector_string){g_new(K, NULL, 0)}; }
int mlx_vector_string_set(mlx_vector_string* vec, const mlx_vector_string src) {
  return g_set(vec ? &vec->ctx : NULL, src.ctx, K, "mlx_vector_string_set");
}
int mlx_vector_string_free(mlx_vector_string vec) {
  vec_free(vec.ctx);
  return 0;
}
mlx_vector_string mlx_vector_string_new_data(const char** data, size_t size) {
  return (mlx_vector_string){g_new(K, data, size)};
}
mlx_vector_string mlx_vector_string_new_value(const char* val) {
  return (mlx_vector_string){g_new(K, &val, 1)};
}
int mlx_vector_string_set_data(mlx_vector_string* vec, const char** data, size_t size) {
  return g_set_data(K, vec ? &vec->ctx : NULL, data, size, "mlx_vector_string_set_data");
}
int mlx_vector_string_set_value(mlx_vector_string* vec, const char* val) {
  return g_set_data(K, vec ? &vec->ctx : NULL, &val, 1, "mlx_vector_string_set_value");
}
int mlx_vector_string_append_data(mlx_vector_string vec, const char** data, size_t size) {
  return g_append(vec.ctx, data, size, K, "mlx_vector_string_append_data");
}
int mlx_vector_string_append_value(mlx_vector_string vec, const char* val) {
  return g_append(vec.ctx, &val, 1, K, "mlx_vector_string_append_value");
}
size_t mlx_vector_string_size(mlx_vector_string vec) { return g_size(vec.ctx); }
int mlx_vector_string_get(char** res, const mlx_vector_string vec, size_t idx) {
  if (!res) return mx__capi_null_output("mlx_vector_string_get");
  const void* slot = g_slot(vec.ctx, idx, K, "mlx_vector_string_get");
  if (!slot) return 1;
  *res = *(char* const*)slot;
  return 0;
}
#undef K
