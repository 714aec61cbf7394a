/* mlx_array metadata, evaluation, single-element reads and raw data. */
#include <string.h>

#include "capi.h"

/* --- metadata ---------------------------------------------------------------- */

/* Metadata queries report an empty handle through the error handler and
 * answer 0 / NULL, since their return type has no room for a status. */

size_t mlx_array_itemsize(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? mx_array_itemsize(a) : 0;
}

size_t mlx_array_size(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? (size_t)a->size : 0;
}

size_t mlx_array_nbytes(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? mx_array_nbytes(a) : 0;
}

size_t mlx_array_ndim(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? (size_t)a->ndim : 0;
}

const int* mlx_array_shape(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? a->shape : NULL;
}

/* Strides are int64_t inside and size_t in mlx-c's signature; both are 64
 * bits on the platforms we build for, so the array is handed out as is. */
_Static_assert(sizeof(size_t) == sizeof(int64_t), "strides are reinterpreted as size_t");

const size_t* mlx_array_strides(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? (const size_t*)a->strides : NULL;
}

int mlx_array_dim(const mlx_array arr, int dim) {
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 0;
  int axis = dim < 0 ? dim + a->ndim : dim;
  if (axis < 0 || axis >= a->ndim) {
    mx__capi_failf(MX_ERR_INDEX, "[mlx_array_dim] Dimension %d is out of range for an array with %d dimensions.", dim, a->ndim);
    return 0;
  }
  return a->shape[axis];
}

mlx_dtype mlx_array_dtype(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  return a ? (mlx_dtype)a->dtype : MLX_BOOL;
}

int mlx_array_eval(mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  return mx_array_eval(a) == 0 ? 0 : mx__capi_fail();
}

/* --- single elements --------------------------------------------------------- */

/* Copies the one element of `arr` into `res` (`size` bytes).  Like mlx-c,
 * the bytes are passed through unconverted; unlike it, an element whose
 * size differs from the requested type's is refused rather than read past
 * or truncated. */
static int item(void* res, size_t size, mlx_array arr, const char* fn) {
  if (!res) return mx__capi_null_output(fn);
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  if (a->size != 1)
    return mx__capi_failf(MX_ERR_VALUE, "[item] item can only be called on arrays of size 1.");
  if (mx_array_itemsize(a) != size)
    return mx__capi_failf(MX_ERR_TYPE, "[%s] The array's dtype is %s (%zu-byte elements).", fn,
                          mx_dtype_name(a->dtype), mx_array_itemsize(a));
  const void* p = mx_array_host_data(a);
  if (!p) return mx__capi_fail();
  memcpy(res, p, size);
  return 0;
}

#define MX_CAPI_ITEM(name, T) \
  int mlx_array_item_##name(T* res, const mlx_array arr) { \
    return item(res, sizeof(T), arr, "mlx_array_item_" #name); \
  }
MX_CAPI_ITEM(bool, bool)
MX_CAPI_ITEM(uint8, uint8_t)
MX_CAPI_ITEM(uint16, uint16_t)
MX_CAPI_ITEM(uint32, uint32_t)
MX_CAPI_ITEM(uint64, uint64_t)
MX_CAPI_ITEM(int8, int8_t)
MX_CAPI_ITEM(int16, int16_t)
MX_CAPI_ITEM(int32, int32_t)
MX_CAPI_ITEM(int64, int64_t)
MX_CAPI_ITEM(float32, float)
MX_CAPI_ITEM(float64, double)
MX_CAPI_ITEM(complex64, mlx_complex64_t)
#ifdef HAS_FLOAT16
MX_CAPI_ITEM(float16, float16_t)
#endif
#ifdef HAS_BFLOAT16
MX_CAPI_ITEM(bfloat16, bfloat16_t)
#endif
#undef MX_CAPI_ITEM

/* --- raw data ---------------------------------------------------------------- */

/* A host pointer to element [0, ..., 0], evaluating first when needed.  An
 * array with no elements may legitimately have no storage: NULL then is
 * not an error. */
static const void* data(mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return NULL;
  mx_error_clear();
  const void* p = mx_array_host_data(a);
  if (!p && mx_error_last_kind() != MX_ERR_NONE) mx__capi_fail();
  return p;
}

#define MX_CAPI_DATA(name, T) \
  const T* mlx_array_data_##name(const mlx_array arr) { return (const T*)data(arr); }
MX_CAPI_DATA(bool, bool)
MX_CAPI_DATA(uint8, uint8_t)
MX_CAPI_DATA(uint16, uint16_t)
MX_CAPI_DATA(uint32, uint32_t)
MX_CAPI_DATA(uint64, uint64_t)
MX_CAPI_DATA(int8, int8_t)
MX_CAPI_DATA(int16, int16_t)
MX_CAPI_DATA(int32, int32_t)
MX_CAPI_DATA(int64, int64_t)
MX_CAPI_DATA(float32, float)
MX_CAPI_DATA(float64, double)
MX_CAPI_DATA(complex64, mlx_complex64_t)
#ifdef HAS_FLOAT16
MX_CAPI_DATA(float16, float16_t)
#endif
#ifdef HAS_BFLOAT16
MX_CAPI_DATA(bfloat16, bfloat16_t)
#endif
#undef MX_CAPI_DATA

/* --- internals ----------------------------------------------------------------- */

int _mlx_array_is_available(bool* res, const mlx_array arr) {
  if (!res) return mx__capi_null_output("_mlx_array_is_available");
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  /* Available means computed: the status says the task ran, and on a GPU
   * stream the event also says its kernels have finished. */
  *res = mx_array_is_available(a) && (a->event.stream < 0 || mx_event_done(a->event));
  return 0;
}

int _mlx_array_wait(const mlx_array arr) {
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  /* mx_array_eval schedules the array if nothing has yet and waits for its
   * producing task either way. */
  return mx_array_eval(a) == 0 ? 0 : mx__capi_fail();
}

static int layout_flag(bool* res, mlx_array arr, unsigned flag, const char* fn) {
  if (!res) return mx__capi_null_output(fn);
  mx_array* a = mx__capi_array(arr, "arr");
  if (!a) return 1;
  *res = (a->flags & flag) != 0;
  return 0;
}

int _mlx_array_is_contiguous(bool* res, const mlx_array arr) {
  return layout_flag(res, arr, MX_FLAG_CONTIGUOUS, "_mlx_array_is_contiguous");
}
int _mlx_array_is_row_contiguous(bool* res, const mlx_array arr) {
  return layout_flag(res, arr, MX_FLAG_ROW_CONTIGUOUS, "_mlx_array_is_row_contiguous");
}
int _mlx_array_is_col_contiguous(bool* res, const mlx_array arr) {
  return layout_flag(res, arr, MX_FLAG_COL_CONTIGUOUS, "_mlx_array_is_col_contiguous");
}
