/* mlx_device: a handle naming a compute device (the CPU, or a GPU by index).
 *
 * A device handle is a small owned value: create it with mlx_device_new*()
 * or receive it from a getter, and release it with mlx_device_free().
 * Getters write into a handle the caller made (it may be empty). */
#ifndef MLX_DEVICE_H
#define MLX_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "mlx/c/string.h"
#include "mlx/c/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A device handle.  `ctx` is private to the library (NULL when empty). */
typedef struct mlx_device_ {
  void* ctx;
} mlx_device;

/** Kinds of device.  The numbering is part of the ABI. */
typedef enum mlx_device_type_ { MLX_CPU, MLX_GPU } mlx_device_type;

/** An empty handle. */
mlx_device mlx_device_new(void);
/** A handle for device `index` of kind `type`.  Whether that device exists
 * is checked when it is used (see mlx_device_is_available). */
mlx_device mlx_device_new_type(mlx_device_type type, int index);
/** Releases the handle.  Freeing an empty handle is a no-op. */
int mlx_device_free(mlx_device dev);
/** Makes `*dev` name the same device as `src`. */
int mlx_device_set(mlx_device* dev, const mlx_device src);
/** Writes the description, e.g. "Device(cpu, 0)", into `*str`. */
int mlx_device_tostring(mlx_string* str, mlx_device dev);
/** Whether both handles name the same device (two empty handles compare
 * equal; an empty and a non-empty one do not). */
bool mlx_device_equal(mlx_device lhs, mlx_device rhs);
/** The device's index among devices of its kind. */
int mlx_device_get_index(int* index, mlx_device dev);
/** The device's kind. */
int mlx_device_get_type(mlx_device_type* type, mlx_device dev);
/** The device ops use when given no stream (initially the GPU when one is
 * present, else the CPU). */
int mlx_get_default_device(mlx_device* dev);
/** Changes the default device; fails for a device that is not present. */
int mlx_set_default_device(mlx_device dev);
/** Whether the device exists in this process. */
int mlx_device_is_available(bool* avail, mlx_device dev);
/** How many devices of kind `type` exist (the CPU counts as one). */
int mlx_device_count(int* count, mlx_device_type type);

/* --- device properties ------------------------------------------------------
 * A key/value table describing a device.  Values are strings or sizes.
 * The CPU reports "device_name" and "architecture" (both strings), as MLX
 * does on Linux.  A GPU's table is empty for now (as MLX's is for a GPU
 * that is not present). */

/** A device-information handle.  `ctx` is private to the library. */
typedef struct mlx_device_info_ {
  void* ctx;
} mlx_device_info;

/** An empty handle. */
mlx_device_info mlx_device_info_new(void);
/** Fills `*info` with the properties of `dev`. */
int mlx_device_info_get(mlx_device_info* info, mlx_device dev);
/** Releases the handle (and the strings it handed out). */
int mlx_device_info_free(mlx_device_info info);
/** Whether `key` is present. */
int mlx_device_info_has_key(
    bool* exists,
    mlx_device_info info,
    const char* key);
/** Whether the value of `key` is a string (false: a size).  Returns 2 when
 * the key is absent. */
int mlx_device_info_is_string(
    bool* is_string,
    mlx_device_info info,
    const char* key);
/** The string value of `key`, valid while `info` lives.  Returns 2 when the
 * key is absent or its value is not a string. */
int mlx_device_info_get_string(
    const char** value,
    mlx_device_info info,
    const char* key);
/** The size value of `key`.  Returns 2 when the key is absent or its value
 * is not a size. */
int mlx_device_info_get_size(
    size_t* value,
    mlx_device_info info,
    const char* key);
/** All keys, written into `*keys`. */
int mlx_device_info_get_keys(mlx_vector_string* keys, mlx_device_info info);

#ifdef __cplusplus
}
#endif

#endif
