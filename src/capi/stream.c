/* mlx_stream handles: the ctx is a malloc'd mx_stream (see capi.h).
 * Streams themselves live for the whole process, so freeing a handle only
 * frees the handle. */
#include <stdio.h>
#include <stdlib.h>

#include "capi.h"

mlx_stream mlx_stream_new(void) { return (mlx_stream){NULL}; }

mlx_stream mlx_stream_new_device(mlx_device dev) {
  mlx_stream out = {NULL};
  mx_device d;
  mx_stream s;
  if (!mx__capi_device(dev, &d)) return out;
  if (mx_stream_new(d, &s) != 0) {
    mx__capi_fail();
    return out;
  }
  mx__capi_put_stream(&out, s);
  return out;
}

/* Unlike ops, the stream functions below need a real stream: an empty
 * handle is an error rather than "the default". */
static bool stream_of(mlx_stream s, mx_stream* out) {
  if (!s.ctx) {
    mx__capi_failf(MX_ERR_VALUE, "Expected a non-empty mlx_stream.");
    return false;
  }
  return mx__capi_stream(s, out);
}

int mlx_stream_set(mlx_stream* stream, const mlx_stream src) {
  mx_stream s;
  if (!stream_of(src, &s)) return 1;
  return mx__capi_put_stream(stream, s);
}

int mlx_stream_free(mlx_stream stream) {
  free(stream.ctx);
  return 0;
}

int mlx_stream_tostring(mlx_string* str, mlx_stream stream) {
  if (!str) return mx__capi_null_output("mlx_stream_tostring");
  mx_stream s;
  if (!stream_of(stream, &s)) return 1;
  mx_device d = mx_stream_device(s);
  char buf[96];
  snprintf(buf, sizeof buf, "Stream(Device(%s, %d), %d)", d.type == MX_DEVICE_GPU ? "gpu" : "cpu",
           d.index, s.index);
  return mx__capi_put_string(str, buf);
}

/* Stream indices are unique in the process, so they identify streams. */
bool mlx_stream_equal(mlx_stream lhs, mlx_stream rhs) {
  if (!lhs.ctx || !rhs.ctx) return lhs.ctx == rhs.ctx;
  return ((const mx_stream*)lhs.ctx)->index == ((const mx_stream*)rhs.ctx)->index;
}

int mlx_stream_get_device(mlx_device* dev, mlx_stream stream) {
  mx_stream s;
  if (!stream_of(stream, &s)) return 1;
  return mx__capi_put_device(dev, mx_stream_device(s));
}

int mlx_stream_get_index(int* index, mlx_stream stream) {
  if (!index) return mx__capi_null_output("mlx_stream_get_index");
  mx_stream s;
  if (!stream_of(stream, &s)) return 1;
  *index = s.index;
  return 0;
}

int mlx_synchronize(mlx_stream stream) {
  mx_stream s;
  if (!stream_of(stream, &s)) return 1;
  return mx_synchronize(s) == 0 ? 0 : mx__capi_fail();
}

/* The default stream of a device that exists; reports otherwise. */
static bool default_stream(mx_device d, mx_stream* out) {
  if (!mx_device_available(d.type) || d.index < 0 || d.index >= mx_device_count(d.type)) {
    if (d.type == MX_DEVICE_GPU)
      mx__capi_failf(MX_ERR_VALUE, "[default_stream] Cannot get gpu stream without gpu backend.");
    else
      mx__capi_failf(MX_ERR_VALUE, "[default_stream] Device cpu:%d does not exist.", d.index);
    return false;
  }
  *out = mx_default_stream(d);
  return true;
}

int mlx_get_default_stream(mlx_stream* stream, mlx_device dev) {
  if (!stream) return mx__capi_null_output("mlx_get_default_stream");
  mx_device d;
  mx_stream s;
  if (!mx__capi_device(dev, &d) || !default_stream(d, &s)) return 1;
  return mx__capi_put_stream(stream, s);
}

int mlx_set_default_stream(mlx_stream stream) {
  mx_stream s;
  if (!stream_of(stream, &s)) return 1;
  return mx_set_default_stream(s) == 0 ? 0 : mx__capi_fail();
}

static mlx_stream default_stream_new(mx_device_type type) {
  mlx_stream out = {NULL};
  mx_stream s;
  if (default_stream((mx_device){type, 0}, &s)) mx__capi_put_stream(&out, s);
  return out;
}

mlx_stream mlx_default_cpu_stream_new(void) { return default_stream_new(MX_DEVICE_CPU); }
mlx_stream mlx_default_gpu_stream_new(void) { return default_stream_new(MX_DEVICE_GPU); }
