/* Conversions between C API handles and internal objects (see capi.h). */
#include <limits.h>
#include <stdlib.h>

#include "capi.h"

mx_array* mx__capi_array(mlx_array a, const char* what) {
  if (!a.ctx) {
    mx__capi_failf(MX_ERR_VALUE, "Expected a non-empty mlx_array (argument '%s').", what);
    return NULL;
  }
  return (mx_array*)a.ctx;
}

int mx__capi_put_array(mlx_array* res, mx_array* out) {
  if (!out) return mx__capi_fail();
  if (!res) {
    mx_array_release(out);
    return mx__capi_null_output("array");
  }
  /* Release after storing: `*res` may be an input of the op that made
   * `out`, and `out` holds its own reference to it anyway. */
  mx_array* old = res->ctx;
  res->ctx = out;
  mx_array_release(old);
  return 0;
}

bool mx__capi_stream(mlx_stream s, mx_stream* out) {
  if (!s.ctx) {
    *out = mx_stream_for_default();
  } else {
    *out = *(const mx_stream*)s.ctx;
  }
  if (!mx_stream_valid(*out)) {
    mx__capi_failf(MX_ERR_VALUE, "Invalid stream (index %d).", out->index);
    return false;
  }
  return true;
}

bool mx__capi_device(mlx_device d, mx_device* out) {
  if (!d.ctx) {
    mx__capi_failf(MX_ERR_VALUE, "Expected a non-empty mlx_device.");
    return false;
  }
  *out = *(const mx_device*)d.ctx;
  return true;
}

int mx__capi_put_device(mlx_device* dev, mx_device d) {
  if (!dev) return mx__capi_null_output("device");
  if (!dev->ctx) {
    dev->ctx = malloc(sizeof(mx_device));
    if (!dev->ctx) return mx__capi_failf(MX_ERR_MEMORY, "[device] Out of memory.");
  }
  *(mx_device*)dev->ctx = d;
  return 0;
}

int mx__capi_put_stream(mlx_stream* stream, mx_stream s) {
  if (!stream) return mx__capi_null_output("stream");
  if (!stream->ctx) {
    stream->ctx = malloc(sizeof(mx_stream));
    if (!stream->ctx) return mx__capi_failf(MX_ERR_MEMORY, "[stream] Out of memory.");
  }
  *(mx_stream*)stream->ctx = s;
  return 0;
}

/* mlx_dtype and mx_dtype number the types identically (dtype.h), so the
 * conversion is a range check. */
bool mx__capi_dtype(mlx_dtype dtype, mx_dtype* out) {
  if (!mx_dtype_valid((int)dtype)) {
    mx__capi_failf(MX_ERR_VALUE, "Invalid mlx_dtype value %d.", (int)dtype);
    return false;
  }
  *out = (mx_dtype)dtype;
  return true;
}

bool mx__capi_shape(const int* shape, size_t n, const char* what) {
  if (n > INT_MAX) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] Too many dimensions (%zu).", what, n);
    return false;
  }
  if (n > 0 && !shape) {
    mx__capi_failf(MX_ERR_VALUE, "[%s] The shape pointer is NULL but its length is %zu.", what, n);
    return false;
  }
  return true;
}
