/* mlx_array handles: creation from scalars and memory, replacement, release
 * and printing.  Metadata and element access are in array_access.c. */
#include <stdint.h>
#include <stdlib.h>

#include "capi.h"

size_t mlx_dtype_size(mlx_dtype dtype) { return mx_dtype_size((mx_dtype)dtype); }

mlx_array mlx_array_new(void) { return (mlx_array){NULL}; }

int mlx_array_free(mlx_array arr) {
  mx_array_release((mx_array*)arr.ctx);
  return 0;
}

int mlx_array_tostring(mlx_string* str, const mlx_array arr) {
  if (!str) return mx__capi_null_output("mlx_array_tostring");
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  return mx__capi_put_string_owned(str, mx_array_tostring(a));
}

/* --- scalars --------------------------------------------------------------- */

/* A 0-d array of `dtype` holding the bytes at `value`; reports failures. */
static mx_array* scalar(const void* value, mx_dtype dtype) {
  mx_array* a = mx_array_from_data(value, dtype, 0, NULL);
  if (!a) mx__capi_fail();
  return a;
}

mlx_array mlx_array_new_bool(bool val) { return (mlx_array){scalar(&val, MX_BOOL)}; }

mlx_array mlx_array_new_int(int val) {
  int32_t v = val;
  return (mlx_array){scalar(&v, MX_INT32)};
}

mlx_array mlx_array_new_float32(float val) { return (mlx_array){scalar(&val, MX_FLOAT32)}; }
mlx_array mlx_array_new_float(float val) { return mlx_array_new_float32(val); }
mlx_array mlx_array_new_float64(double val) { return (mlx_array){scalar(&val, MX_FLOAT64)}; }
mlx_array mlx_array_new_double(double val) { return mlx_array_new_float64(val); }

mlx_array mlx_array_new_complex(float real_val, float imag_val) {
  mx_complex64 c = {real_val, imag_val};
  return (mlx_array){scalar(&c, MX_COMPLEX64)};
}

/* --- arrays from memory ---------------------------------------------------- */

/* Checks the arguments shared by the data constructors and computes the
 * byte size.  Returns false (reported) when they are unusable. */
static bool check_data_args(const void* data, const int* shape, int dim, mlx_dtype dtype,
                            const char* fn, mx_dtype* out_dtype, size_t* nbytes) {
  if (dim < 0) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] Negative number of dimensions %d.", fn, dim);
    return false;
  }
  if (!mx__capi_shape(shape, (size_t)dim, fn) || !mx__capi_dtype(dtype, out_dtype)) return false;
  uint64_t size = 1;
  for (int i = 0; i < dim; i++) {
    if (shape[i] < 0) {
      mx__capi_failf(MX_ERR_VALUE, "[%s] Negative dimension %d in the shape.", fn, shape[i]);
      return false;
    }
    /* Element counts beyond 2^62 cannot be addressed; stop before the
     * product overflows. */
    if (shape[i] && size > (UINT64_C(1) << 62) / (uint64_t)shape[i]) {
      mx__capi_failf(MX_ERR_VALUE, "[%s] The shape has too many elements.", fn);
      return false;
    }
    size *= (uint64_t)shape[i];
  }
  *nbytes = (size_t)size * mx_dtype_size(*out_dtype);
  if (*nbytes > 0 && !data) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] The data pointer is NULL.", fn);
    return false;
  }
  return true;
}

static mx_array* from_data(const void* data, const int* shape, int dim, mlx_dtype dtype,
                           const char* fn) {
  mx_dtype dt;
  size_t nbytes;
  if (!check_data_args(data, shape, dim, dtype, fn, &dt, &nbytes)) return NULL;
  mx_array* a = mx_array_from_data(data, dt, dim, shape);
  if (!a) mx__capi_fail();
  return a;
}

mlx_array mlx_array_new_data(const void* data, const int* shape, int dim, mlx_dtype dtype) {
  return (mlx_array){from_data(data, shape, dim, dtype, "mlx_array_new_data")};
}

/* Wraps caller memory without copying; `release(ctx)` frees it later. */
static mx_array* wrap_data(void* data, const int* shape, int dim, mlx_dtype dtype,
                           void* ctx, void (*release)(void*), const char* fn) {
  mx_dtype dt;
  size_t nbytes;
  if (!check_data_args(data, shape, dim, dtype, fn, &dt, &nbytes)) return NULL;
  mx_buffer* b = mx_buffer_wrap(data, nbytes, release, ctx);
  if (!b) {
    mx__capi_fail();
    return NULL;
  }
  mx_array* a = mx_array_from_buffer(b, dt, dim, shape, NULL, 0);
  if (!a) {
    /* The caller keeps ownership when we fail, so the buffer must not run
     * its release callback. */
    b->deleter = NULL;
    mx_buffer_release(b);
    mx__capi_fail();
    return NULL;
  }
  mx_buffer_release(b); /* the array holds its own reference */
  return a;
}

mlx_array mlx_array_new_data_managed(void* data, const int* shape, int dim, mlx_dtype dtype,
                                     void (*dtor)(void*)) {
  return (mlx_array){wrap_data(data, shape, dim, dtype, data, dtor, "mlx_array_new_data_managed")};
}

mlx_array mlx_array_new_data_managed_payload(void* data, const int* shape, int dim,
                                             mlx_dtype dtype, void* payload,
                                             void (*dtor)(void*)) {
  return (mlx_array){
      wrap_data(data, shape, dim, dtype, payload, dtor, "mlx_array_new_data_managed_payload")};
}

/* --- replacing what a handle holds ----------------------------------------- */

int mlx_array_set(mlx_array* arr, const mlx_array src) {
  if (!arr) return mx__capi_null_output("mlx_array_set");
  mx_array* a = mx__capi_array(src, "src");
  if (!a) return 1;
  mx_array_retain(a);
  return mx__capi_put_array(arr, a);
}

/* The scalar setters build the new array first, so on failure *arr keeps
 * its old value. */
static int set_scalar(mlx_array* arr, mlx_array made, const char* fn) {
  if (!arr) {
    mx_array_release(made.ctx);
    return mx__capi_null_output(fn);
  }
  if (!made.ctx) return 1; /* already reported */
  return mx__capi_put_array(arr, made.ctx);
}

int mlx_array_set_bool(mlx_array* arr, bool val) {
  return set_scalar(arr, mlx_array_new_bool(val), "mlx_array_set_bool");
}
int mlx_array_set_int(mlx_array* arr, int val) {
  return set_scalar(arr, mlx_array_new_int(val), "mlx_array_set_int");
}
int mlx_array_set_float32(mlx_array* arr, float val) {
  return set_scalar(arr, mlx_array_new_float32(val), "mlx_array_set_float32");
}
int mlx_array_set_float(mlx_array* arr, float val) {
  return set_scalar(arr, mlx_array_new_float32(val), "mlx_array_set_float");
}
int mlx_array_set_float64(mlx_array* arr, double val) {
  return set_scalar(arr, mlx_array_new_float64(val), "mlx_array_set_float64");
}
int mlx_array_set_double(mlx_array* arr, double val) {
  return set_scalar(arr, mlx_array_new_float64(val), "mlx_array_set_double");
}
int mlx_array_set_complex(mlx_array* arr, float real_val, float imag_val) {
  return set_scalar(arr, mlx_array_new_complex(real_val, imag_val), "mlx_array_set_complex");
}

int mlx_array_set_data(mlx_array* arr, const void* data, const int* shape, int dim,
                       mlx_dtype dtype) {
  if (!arr) return mx__capi_null_output("mlx_array_set_data");
  mx_array* a = from_data(data, shape, dim, dtype, "mlx_array_set_data");
  return a ? mx__capi_put_array(arr, a) : 1;
}
