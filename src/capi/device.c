/* mlx_device handles: the ctx is a malloc'd mx_device (see capi.h). */
#include <stdio.h>
#include <stdlib.h>

#include "capi.h"

static const char* type_name(mx_device_type t) { return t == MX_DEVICE_GPU ? "gpu" : "cpu"; }

mlx_device mlx_device_new(void) { return (mlx_device){NULL}; }

mlx_device mlx_device_new_type(mlx_device_type type, int index) {
  if (type != MLX_CPU && type != MLX_GPU) {
    mx__capi_failf(MX_ERR_VALUE, "[mlx_device_new_type] Invalid device type %d.", (int)type);
    return (mlx_device){NULL};
  }
  mlx_device dev = {NULL};
  mx__capi_put_device(&dev, (mx_device){(mx_device_type)type, index});
  return dev;
}

int mlx_device_free(mlx_device dev) {
  free(dev.ctx);
  return 0;
}

int mlx_device_set(mlx_device* dev, const mlx_device src) {
  mx_device d;
  if (!mx__capi_device(src, &d)) return 1;
  return mx__capi_put_device(dev, d);
}

int mlx_device_tostring(mlx_string* str, mlx_device dev) {
  if (!str) return mx__capi_null_output("mlx_device_tostring");
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  char buf[64];
  snprintf(buf, sizeof buf, "Device(%s, %d)", type_name(d.type), d.index);
  return mx__capi_put_string(str, buf);
}

bool mlx_device_equal(mlx_device lhs, mlx_device rhs) {
  if (!lhs.ctx || !rhs.ctx) return lhs.ctx == rhs.ctx;
  const mx_device* a = lhs.ctx;
  const mx_device* b = rhs.ctx;
  return a->type == b->type && a->index == b->index;
}

int mlx_device_get_index(int* index, mlx_device dev) {
  if (!index) return mx__capi_null_output("mlx_device_get_index");
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  *index = d.index;
  return 0;
}

int mlx_device_get_type(mlx_device_type* type, mlx_device dev) {
  if (!type) return mx__capi_null_output("mlx_device_get_type");
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  *type = (mlx_device_type)d.type;
  return 0;
}

int mlx_get_default_device(mlx_device* dev) {
  return mx__capi_put_device(dev, mx_default_device());
}

int mlx_set_default_device(mlx_device dev) {
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  return mx_set_default_device(d) == 0 ? 0 : mx__capi_fail();
}

int mlx_device_is_available(bool* avail, mlx_device dev) {
  if (!avail) return mx__capi_null_output("mlx_device_is_available");
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  *avail = mx_device_available(d.type) && d.index >= 0 && d.index < mx_device_count(d.type);
  return 0;
}

int mlx_device_count(int* count, mlx_device_type type) {
  if (!count) return mx__capi_null_output("mlx_device_count");
  if (type != MLX_CPU && type != MLX_GPU)
    return mx__capi_failf(MX_ERR_VALUE, "[mlx_device_count] Invalid device type %d.", (int)type);
  *count = mx_device_count((mx_device_type)type);
  return 0;
}
