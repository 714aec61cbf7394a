/* Closure records shared by closure.c, transforms_ad.c and compile.c
 * (private to src/capi).  Every closure handle's ctx is an mx__closure. */
#ifndef MX_CAPI_CLOSURE_H
#define MX_CAPI_CLOSURE_H

#include "capi.h"

typedef struct mx__closure mx__closure;

/* A payload-form closure record (refcount 1) calling `fn` cast back to the
 * handle kind's payload signature; the library's own closures (compiled,
 * custom, value_and_grad) are made this way.  On failure dtor(payload) has
 * run and NULL is returned (reported). */
mx__closure* mx__closure_new(void (*fn)(void), void* payload, void (*dtor)(void*), const char* who);
void mx__closure_retain(mx__closure* c);
void mx__closure_release(mx__closure* c);

/* The mx_fn of an mlx_closure (payload: its mx__closure). */
int mx__capi_closure_fn(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out);

/* Calls the custom closures; 0, or -1 with an internal error set. */
int mx__closure_call_custom(mx__closure* c, mlx_vector_array* res, mlx_vector_array a,
                            mlx_vector_array b, mlx_vector_array d);
int mx__closure_call_custom_jvp(mx__closure* c, mlx_vector_array* res, mlx_vector_array a,
                                mlx_vector_array b, const int* argnums, size_t n);
int mx__closure_call_custom_vmap(mx__closure* c, mlx_vector_array* res_0, mlx_vector_int* res_1,
                                 mlx_vector_array in, const int* axes, size_t n);

/* A new vector holding the arrays (shared), or ctx == NULL (error set). */
mlx_vector_array mx__capi_vector_from(int n, mx_array* const* arrays);
/* The vector's arrays as a malloc'd list of new references. */
int mx__capi_vector_take(mlx_vector_array v, int* n, mx_array*** out);
/* Replaces *res's contents with the arrays; 0 or 1 (reported). */
int mx__capi_put_vector(mlx_vector_array* res, int n, mx_array* const* arrays);

#endif
