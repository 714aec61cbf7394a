/* Closure handles (mlx/c/closure.h).
 *
 * Every closure kind has the same record: the user's function pointer, how
 * to call it (with or without a payload, or the one-array form), the
 * payload and its destructor, and a reference count shared by the handles
 * that name it (mlx_*_set adds one, mlx_*_free drops one).  An empty
 * closure (mlx_*_new) is a handle with ctx == NULL; applying it fails.
 *
 * mx__capi_closure_fn adapts an mlx_closure to the internal mx_fn so the
 * transforms in src/transforms can call it. */
#include <stdatomic.h>
#include <stdlib.h>

#include "capi_closure.h"

enum { FORM_PLAIN, FORM_PAYLOAD, FORM_UNARY };

struct mx__closure {
  atomic_int refcount;
  int form;
  void (*fn)(void); /* the user's function, cast back by form and kind */
  void* payload;
  void (*dtor)(void*);
  bool internal; /* made by the library: its failures carry their own message */
};

static mx__closure* closure_make(void (*fn)(void), int form, void* payload, void (*dtor)(void*),
                                 const char* who) {
  if (!fn) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] The function must not be NULL.", who);
    return NULL;
  }
  mx__closure* c = calloc(1, sizeof *c);
  if (!c) {
    /* The payload is ours from here on: free it even when we fail. */
    if (dtor) dtor(payload);
    mx__capi_failf(MX_ERR_MEMORY, "[%s] Out of memory.", who);
    return NULL;
  }
  atomic_init(&c->refcount, 1);
  c->form = form;
  c->fn = fn;
  c->payload = payload;
  c->dtor = dtor;
  return c;
}

mx__closure* mx__closure_new(void (*fn)(void), void* payload, void (*dtor)(void*), const char* who) {
  mx__closure* c = closure_make(fn, FORM_PAYLOAD, payload, dtor, who);
  if (c) c->internal = true;
  return c;
}

void mx__closure_retain(mx__closure* c) {
  if (c) atomic_fetch_add_explicit(&c->refcount, 1, memory_order_relaxed);
}

void mx__closure_release(mx__closure* c) {
  if (!c || atomic_fetch_sub_explicit(&c->refcount, 1, memory_order_acq_rel) != 1) return;
  if (c->dtor) c->dtor(c->payload);
  free(c);
}

static int closure_set(void** dst, void* src, const char* who) {
  if (!dst) return mx__capi_null_output(who);
  if (*dst == src) return 0;
  mx__closure_retain(src);
  mx__closure_release(*dst);
  *dst = src;
  return 0;
}

static mx__closure* closure_of(void* ctx, const char* who) {
  if (!ctx) mx__capi_failf(MX_ERR_VALUE, "[%s] The closure is empty.", who);
  return ctx;
}

/* --- vectors <-> internal arrays --------------------------------------------------- */

mlx_vector_array mx__capi_vector_from(int n, mx_array* const* arrays) {
  mlx_vector_array v = mlx_vector_array_new();
  for (int i = 0; v.ctx && i < n; i++) {
    mlx_array h = {arrays[i]};
    if (mlx_vector_array_append_value(v, h) != 0) {
      mlx_vector_array_free(v);
      v.ctx = NULL;
    }
  }
  return v;
}

int mx__capi_vector_take(mlx_vector_array v, int* n, mx_array*** out) {
  size_t len = 0;
  mx_array* const* arrays = v.ctx ? mx__capi_vector_arrays(v, &len) : NULL;
  mx_array** list = calloc(len ? len : 1, sizeof *list);
  if (!list) return mx_error(MX_ERR_MEMORY, "[closure] Out of memory.");
  for (size_t i = 0; i < len; i++) {
    list[i] = arrays[i];
    mx_array_retain(list[i]);
  }
  *n = (int)len;
  *out = list;
  return 0;
}

int mx__capi_put_vector(mlx_vector_array* res, int n, mx_array* const* arrays) {
  if (!res) return mx__capi_null_output("closure");
  mlx_vector_array v = mx__capi_vector_from(n, arrays);
  if (!v.ctx) return mx__capi_fail();
  int rc = mlx_vector_array_set(res, v);
  mlx_vector_array_free(v);
  return rc;
}

/* A closure's function reported failure (nonzero): make that an error,
 * unless the library's own closure already set a precise one. */
static int failed(const mx__closure* c) {
  if (c->internal) return -1;
  return mx_error(MX_ERR_RUNTIME, "mlx_closure returned a non-zero value");
}

/* --- mlx_closure --------------------------------------------------------------------- */

typedef int (*plain_fn)(mlx_vector_array*, const mlx_vector_array);
typedef int (*payload_fn)(mlx_vector_array*, const mlx_vector_array, void*);
typedef int (*unary_fn)(mlx_array*, const mlx_array);

/* Calls c on `in`, writing into the valid vector *res. */
static int call_closure(mx__closure* c, mlx_vector_array* res, const mlx_vector_array in) {
  if (c->form == FORM_UNARY) {
    if (mlx_vector_array_size(in) != 1)
      return mx_error(MX_ERR_VALUE, "[mlx_closure] A unary closure takes exactly one array.");
    mlx_array a = mlx_array_new(), r = mlx_array_new();
    int rc = mlx_vector_array_get(&a, in, 0);
    if (rc == 0) rc = ((unary_fn)c->fn)(&r, a) != 0 ? failed(c) : 0;
    if (rc == 0 && !r.ctx) rc = mx_error(MX_ERR_VALUE, "[mlx_closure] The unary closure returned an empty array.");
    if (rc == 0) rc = mlx_vector_array_set_value(res, r) == 0 ? 0 : -1;
    mlx_array_free(a);
    mlx_array_free(r);
    return rc;
  }
  int rc = c->form == FORM_PAYLOAD ? ((payload_fn)c->fn)(res, in, c->payload)
                                   : ((plain_fn)c->fn)(res, in);
  return rc != 0 ? failed(c) : 0;
}

int mx__capi_closure_fn(void* payload, int n_in, mx_array* const* in, int* n_out,
                        mx_array*** out) {
  mx__closure* c = payload;
  mlx_vector_array vin = mx__capi_vector_from(n_in, in);
  mlx_vector_array vout = mlx_vector_array_new();
  int rc = vin.ctx && vout.ctx ? call_closure(c, &vout, vin) : -1;
  if (rc == 0) rc = mx__capi_vector_take(vout, n_out, out);
  mlx_vector_array_free(vin);
  mlx_vector_array_free(vout);
  return rc;
}

mlx_closure mlx_closure_new(void) { return (mlx_closure){NULL}; }
int mlx_closure_free(mlx_closure cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure mlx_closure_new_func(int (*fun)(mlx_vector_array*, const mlx_vector_array)) {
  return (mlx_closure){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL, "mlx_closure_new_func")};
}
mlx_closure mlx_closure_new_func_payload(int (*fun)(mlx_vector_array*, const mlx_vector_array, void*),
                                         void* payload, void (*dtor)(void*)) {
  return (mlx_closure){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload, dtor,
                                    "mlx_closure_new_func_payload")};
}
mlx_closure mlx_closure_new_unary(int (*fun)(mlx_array*, const mlx_array)) {
  return (mlx_closure){closure_make((void (*)(void))fun, FORM_UNARY, NULL, NULL, "mlx_closure_new_unary")};
}
int mlx_closure_set(mlx_closure* cls, const mlx_closure src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_set");
}
int mlx_closure_apply(mlx_vector_array* res, mlx_closure cls, const mlx_vector_array input) {
  OUT(res, "mlx_closure_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_apply");
  if (!c) return 1;
  if (!input.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_closure_apply] Expected a non-empty mlx_vector_array.");
  mlx_vector_array out = mlx_vector_array_new();
  int rc = out.ctx ? call_closure(c, &out, input) : -1;
  if (rc == 0) rc = mlx_vector_array_set(res, out) == 0 ? 0 : -1;
  mlx_vector_array_free(out);
  return rc == 0 ? 0 : mx__capi_fail();
}

/* --- mlx_closure_kwargs ---------------------------------------------------------------- */

typedef int (*kw_plain_fn)(mlx_vector_array*, const mlx_vector_array, const mlx_map_string_to_array);
typedef int (*kw_payload_fn)(mlx_vector_array*, const mlx_vector_array,
                             const mlx_map_string_to_array, void*);

mlx_closure_kwargs mlx_closure_kwargs_new(void) { return (mlx_closure_kwargs){NULL}; }
int mlx_closure_kwargs_free(mlx_closure_kwargs cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure_kwargs mlx_closure_kwargs_new_func(kw_plain_fn fun) {
  return (mlx_closure_kwargs){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL,
                                           "mlx_closure_kwargs_new_func")};
}
mlx_closure_kwargs mlx_closure_kwargs_new_func_payload(kw_payload_fn fun, void* payload,
                                                       void (*dtor)(void*)) {
  return (mlx_closure_kwargs){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload, dtor,
                                           "mlx_closure_kwargs_new_func_payload")};
}
int mlx_closure_kwargs_set(mlx_closure_kwargs* cls, const mlx_closure_kwargs src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_kwargs_set");
}
int mlx_closure_kwargs_apply(mlx_vector_array* res, mlx_closure_kwargs cls,
                             const mlx_vector_array input_0,
                             const mlx_map_string_to_array input_1) {
  OUT(res, "mlx_closure_kwargs_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_kwargs_apply");
  if (!c) return 1;
  int rc = c->form == FORM_PAYLOAD ? ((kw_payload_fn)c->fn)(res, input_0, input_1, c->payload)
                                   : ((kw_plain_fn)c->fn)(res, input_0, input_1);
  return rc != 0 ? (failed(c), mx__capi_fail()) : 0;
}

/* --- mlx_closure_value_and_grad -------------------------------------------------------- */

typedef int (*vag_plain_fn)(mlx_vector_array*, mlx_vector_array*, const mlx_vector_array);
typedef int (*vag_payload_fn)(mlx_vector_array*, mlx_vector_array*, const mlx_vector_array, void*);

mlx_closure_value_and_grad mlx_closure_value_and_grad_new(void) {
  return (mlx_closure_value_and_grad){NULL};
}
int mlx_closure_value_and_grad_free(mlx_closure_value_and_grad cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure_value_and_grad mlx_closure_value_and_grad_new_func(vag_plain_fn fun) {
  return (mlx_closure_value_and_grad){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL,
                                                   "mlx_closure_value_and_grad_new_func")};
}
mlx_closure_value_and_grad mlx_closure_value_and_grad_new_func_payload(vag_payload_fn fun,
                                                                       void* payload,
                                                                       void (*dtor)(void*)) {
  return (mlx_closure_value_and_grad){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload,
                                                   dtor, "mlx_closure_value_and_grad_new_func_payload")};
}
int mlx_closure_value_and_grad_set(mlx_closure_value_and_grad* cls,
                                   const mlx_closure_value_and_grad src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_value_and_grad_set");
}
int mlx_closure_value_and_grad_apply(mlx_vector_array* res_0, mlx_vector_array* res_1,
                                     mlx_closure_value_and_grad cls, const mlx_vector_array input) {
  OUT(res_0, "mlx_closure_value_and_grad_apply");
  OUT(res_1, "mlx_closure_value_and_grad_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_value_and_grad_apply");
  if (!c) return 1;
  int rc = c->form == FORM_PAYLOAD ? ((vag_payload_fn)c->fn)(res_0, res_1, input, c->payload)
                                   : ((vag_plain_fn)c->fn)(res_0, res_1, input);
  return rc != 0 ? (failed(c), mx__capi_fail()) : 0;
}

/* --- mlx_closure_custom (custom vjp) ----------------------------------------------------- */

typedef int (*cus_plain_fn)(mlx_vector_array*, const mlx_vector_array, const mlx_vector_array,
                            const mlx_vector_array);
typedef int (*cus_payload_fn)(mlx_vector_array*, const mlx_vector_array, const mlx_vector_array,
                              const mlx_vector_array, void*);

int mx__closure_call_custom(mx__closure* c, mlx_vector_array* res, mlx_vector_array a,
                            mlx_vector_array b, mlx_vector_array d) {
  int rc = c->form == FORM_PAYLOAD ? ((cus_payload_fn)c->fn)(res, a, b, d, c->payload)
                                   : ((cus_plain_fn)c->fn)(res, a, b, d);
  return rc != 0 ? failed(c) : 0;
}

mlx_closure_custom mlx_closure_custom_new(void) { return (mlx_closure_custom){NULL}; }
int mlx_closure_custom_free(mlx_closure_custom cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure_custom mlx_closure_custom_new_func(cus_plain_fn fun) {
  return (mlx_closure_custom){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL,
                                           "mlx_closure_custom_new_func")};
}
mlx_closure_custom mlx_closure_custom_new_func_payload(cus_payload_fn fun, void* payload,
                                                       void (*dtor)(void*)) {
  return (mlx_closure_custom){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload, dtor,
                                           "mlx_closure_custom_new_func_payload")};
}
int mlx_closure_custom_set(mlx_closure_custom* cls, const mlx_closure_custom src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_custom_set");
}
int mlx_closure_custom_apply(mlx_vector_array* res, mlx_closure_custom cls,
                             const mlx_vector_array input_0, const mlx_vector_array input_1,
                             const mlx_vector_array input_2) {
  OUT(res, "mlx_closure_custom_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_custom_apply");
  if (!c) return 1;
  return mx__closure_call_custom(c, res, input_0, input_1, input_2) == 0 ? 0 : mx__capi_fail();
}

/* --- mlx_closure_custom_jvp ---------------------------------------------------------------- */

typedef int (*jvp_plain_fn)(mlx_vector_array*, const mlx_vector_array, const mlx_vector_array,
                            const int*, size_t);
typedef int (*jvp_payload_fn)(mlx_vector_array*, const mlx_vector_array, const mlx_vector_array,
                              const int*, size_t, void*);

int mx__closure_call_custom_jvp(mx__closure* c, mlx_vector_array* res, mlx_vector_array a,
                                mlx_vector_array b, const int* argnums, size_t n) {
  int rc = c->form == FORM_PAYLOAD ? ((jvp_payload_fn)c->fn)(res, a, b, argnums, n, c->payload)
                                   : ((jvp_plain_fn)c->fn)(res, a, b, argnums, n);
  return rc != 0 ? failed(c) : 0;
}

mlx_closure_custom_jvp mlx_closure_custom_jvp_new(void) { return (mlx_closure_custom_jvp){NULL}; }
int mlx_closure_custom_jvp_free(mlx_closure_custom_jvp cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure_custom_jvp mlx_closure_custom_jvp_new_func(jvp_plain_fn fun) {
  return (mlx_closure_custom_jvp){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL,
                                               "mlx_closure_custom_jvp_new_func")};
}
mlx_closure_custom_jvp mlx_closure_custom_jvp_new_func_payload(jvp_payload_fn fun, void* payload,
                                                               void (*dtor)(void*)) {
  return (mlx_closure_custom_jvp){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload, dtor,
                                               "mlx_closure_custom_jvp_new_func_payload")};
}
int mlx_closure_custom_jvp_set(mlx_closure_custom_jvp* cls, const mlx_closure_custom_jvp src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_custom_jvp_set");
}
int mlx_closure_custom_jvp_apply(mlx_vector_array* res, mlx_closure_custom_jvp cls,
                                 const mlx_vector_array input_0, const mlx_vector_array input_1,
                                 const int* input_2, size_t input_2_num) {
  OUT(res, "mlx_closure_custom_jvp_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_custom_jvp_apply");
  if (!c) return 1;
  return mx__closure_call_custom_jvp(c, res, input_0, input_1, input_2, input_2_num) == 0
             ? 0
             : mx__capi_fail();
}

/* --- mlx_closure_custom_vmap --------------------------------------------------------------- */

typedef int (*vmap_plain_fn)(mlx_vector_array*, mlx_vector_int*, const mlx_vector_array,
                             const int*, size_t);
typedef int (*vmap_payload_fn)(mlx_vector_array*, mlx_vector_int*, const mlx_vector_array,
                               const int*, size_t, void*);

int mx__closure_call_custom_vmap(mx__closure* c, mlx_vector_array* res_0, mlx_vector_int* res_1,
                                 mlx_vector_array in, const int* axes, size_t n) {
  int rc = c->form == FORM_PAYLOAD ? ((vmap_payload_fn)c->fn)(res_0, res_1, in, axes, n, c->payload)
                                   : ((vmap_plain_fn)c->fn)(res_0, res_1, in, axes, n);
  return rc != 0 ? failed(c) : 0;
}

mlx_closure_custom_vmap mlx_closure_custom_vmap_new(void) { return (mlx_closure_custom_vmap){NULL}; }
int mlx_closure_custom_vmap_free(mlx_closure_custom_vmap cls) {
  mx__closure_release(cls.ctx);
  return 0;
}
mlx_closure_custom_vmap mlx_closure_custom_vmap_new_func(vmap_plain_fn fun) {
  return (mlx_closure_custom_vmap){closure_make((void (*)(void))fun, FORM_PLAIN, NULL, NULL,
                                                "mlx_closure_custom_vmap_new_func")};
}
mlx_closure_custom_vmap mlx_closure_custom_vmap_new_func_payload(vmap_payload_fn fun,
                                                                 void* payload,
                                                                 void (*dtor)(void*)) {
  return (mlx_closure_custom_vmap){closure_make((void (*)(void))fun, FORM_PAYLOAD, payload, dtor,
                                                "mlx_closure_custom_vmap_new_func_payload")};
}
int mlx_closure_custom_vmap_set(mlx_closure_custom_vmap* cls, const mlx_closure_custom_vmap src) {
  return closure_set(cls ? &cls->ctx : NULL, src.ctx, "mlx_closure_custom_vmap_set");
}
int mlx_closure_custom_vmap_apply(mlx_vector_array* res_0, mlx_vector_int* res_1,
                                  mlx_closure_custom_vmap cls, const mlx_vector_array input_0,
                                  const int* input_1, size_t input_1_num) {
  OUT(res_0, "mlx_closure_custom_vmap_apply");
  OUT(res_1, "mlx_closure_custom_vmap_apply");
  mx__closure* c = closure_of(cls.ctx, "mlx_closure_custom_vmap_apply");
  if (!c) return 1;
  return mx__closure_call_custom_vmap(c, res_0, res_1, input_0, input_1, input_1_num) == 0
             ? 0
             : mx__capi_fail();
}
