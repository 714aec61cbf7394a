/* mlx_array: the n-dimensional array handle of the C API.
 *
 * An mlx_array is a small value holding one reference to a lazy array.
 * Ownership follows one rule everywhere: every handle a function returns or
 * writes is owned by the caller, who releases it with mlx_array_free().
 * Handles passed as plain (const) arguments are borrowed.  Functions that
 * write a result take `mlx_array* res`; the handle may be empty (from
 * mlx_array_new()) or hold an array, which is then released and replaced.
 * A result may alias an input (`mlx_add(&a, a, b, s)` is fine).
 *
 * Arrays are lazy: operations record a graph and nothing is computed until
 * mlx_array_eval(), an item accessor, a data accessor or printing asks for
 * values.  Different threads may use different handles to the same array;
 * one handle must not be written by two threads at once.
 *
 * Errors: functions returning int return 0 on success and 1 on failure,
 * after passing a message to the error handler (see error.h).  Functions
 * returning a handle return an empty handle on failure; those returning a
 * pointer return NULL; size queries return 0. */
#ifndef MLX_ARRAY_H
#define MLX_ARRAY_H

#include "mlx/c/string.h"

#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Complex elements are C99 complex floats: real part first, then imaginary,
 * which is also the layout of the library's complex64 storage. */
#ifdef _MSC_VER
#define _CRT_USE_C_COMPLEX_H
#include <complex.h>
typedef _Fcomplex mlx_complex64_t;
#else
#include <complex.h>
typedef float _Complex mlx_complex64_t;
#endif

#include "mlx/c/half.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An array handle.  `ctx` is private to the library (NULL when empty). */
typedef struct mlx_array_ {
  void* ctx;
} mlx_array;

/* An always-empty handle, handy for optional array arguments. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((unused))
#endif
static mlx_array mlx_array_empty;

/** Element types.  The numbering is part of the ABI. */
typedef enum mlx_dtype_ {
  MLX_BOOL,
  MLX_UINT8,
  MLX_UINT16,
  MLX_UINT32,
  MLX_UINT64,
  MLX_INT8,
  MLX_INT16,
  MLX_INT32,
  MLX_INT64,
  MLX_FLOAT16,
  MLX_FLOAT32,
  MLX_FLOAT64,
  MLX_BFLOAT16,
  MLX_COMPLEX64,
} mlx_dtype;

/** Bytes per element of `dtype` (0 for a value outside the enum). */
size_t mlx_dtype_size(mlx_dtype dtype);

/** Writes the array's printed form (as MLX prints it, e.g.
 * "array([1, 2], dtype=int32)") into `*str`.  Evaluates the array. */
int mlx_array_tostring(mlx_string* str, const mlx_array arr);

/** An empty handle (no array).  Nothing is allocated. */
mlx_array mlx_array_new(void);

/** Releases the handle's reference.  Freeing an empty handle is a no-op. */
int mlx_array_free(mlx_array arr);

/* --- scalars (0-d arrays) --------------------------------------------------- */

/** A bool scalar. */
mlx_array mlx_array_new_bool(bool val);
/** An int32 scalar. */
mlx_array mlx_array_new_int(int val);
/** A float32 scalar. */
mlx_array mlx_array_new_float32(float val);
/** A float32 scalar (same as mlx_array_new_float32). */
mlx_array mlx_array_new_float(float val);
/** A float64 scalar. */
mlx_array mlx_array_new_float64(double val);
/** A float64 scalar (same as mlx_array_new_float64). */
mlx_array mlx_array_new_double(double val);
/** A complex64 scalar. */
mlx_array mlx_array_new_complex(float real_val, float imag_val);

/* --- arrays from memory ---------------------------------------------------- */

/** An array of `dim` dimensions `shape` and type `dtype` holding a copy of
 * the row-major elements at `data` (the caller keeps `data`). */
mlx_array mlx_array_new_data(
    const void* data,
    const int* shape,
    int dim,
    mlx_dtype dtype);

/** Like mlx_array_new_data, but the array uses `data` in place, without a
 * copy.  The memory must stay valid and unchanged until the library calls
 * `dtor(data)`, which it does once the last array using it is released
 * (dtor may be NULL when the caller frees `data` itself, later).  When this
 * fails (an empty handle comes back), `dtor` is not called: the caller
 * still owns `data`. */
mlx_array mlx_array_new_data_managed(
    void* data,
    const int* shape,
    int dim,
    mlx_dtype dtype,
    void (*dtor)(void*));

/** Like mlx_array_new_data_managed, but the release callback receives
 * `payload` instead of `data` (useful when `data` points inside a larger
 * object, such as a memory-mapped file, that `payload` owns). */
mlx_array mlx_array_new_data_managed_payload(
    void* data,
    const int* shape,
    int dim,
    mlx_dtype dtype,
    void* payload,
    void (*dtor)(void*));

/* --- replacing what a handle holds ----------------------------------------- */

/** Makes `*arr` refer to the same array as `src` (no copy of the data). */
int mlx_array_set(mlx_array* arr, const mlx_array src);
/** Makes `*arr` a bool scalar. */
int mlx_array_set_bool(mlx_array* arr, bool val);
/** Makes `*arr` an int32 scalar. */
int mlx_array_set_int(mlx_array* arr, int val);
/** Makes `*arr` a float32 scalar. */
int mlx_array_set_float32(mlx_array* arr, float val);
/** Makes `*arr` a float32 scalar. */
int mlx_array_set_float(mlx_array* arr, float val);
/** Makes `*arr` a float64 scalar. */
int mlx_array_set_float64(mlx_array* arr, double val);
/** Makes `*arr` a float64 scalar. */
int mlx_array_set_double(mlx_array* arr, double val);
/** Makes `*arr` a complex64 scalar. */
int mlx_array_set_complex(mlx_array* arr, float real_val, float imag_val);
/** Makes `*arr` a copy of `data`, as mlx_array_new_data does. */
int mlx_array_set_data(
    mlx_array* arr,
    const void* data,
    const int* shape,
    int dim,
    mlx_dtype dtype);

/* --- metadata (no evaluation) ---------------------------------------------- */

/** Bytes per element. */
size_t mlx_array_itemsize(const mlx_array arr);
/** Number of elements. */
size_t mlx_array_size(const mlx_array arr);
/** Bytes of all elements (size * itemsize). */
size_t mlx_array_nbytes(const mlx_array arr);
/** Number of dimensions. */
size_t mlx_array_ndim(const mlx_array arr);
/** The dimensions, ndim entries, valid while the handle lives. */
const int* mlx_array_shape(const mlx_array arr);
/** Element strides of the data layout, ndim entries, valid while the handle
 * lives.  They describe the layout once the array is evaluated; a negative
 * stride shows up as its two's complement. */
const size_t* mlx_array_strides(const mlx_array arr);
/** The size of dimension `dim` (negative counts from the end). */
int mlx_array_dim(const mlx_array arr, int dim);
/** The element type. */
mlx_dtype mlx_array_dtype(const mlx_array arr);

/** Computes the array (and whatever it depends on) and waits for it. */
int mlx_array_eval(mlx_array arr);

/* --- single values ----------------------------------------------------------
 * Each evaluates the array, which must have exactly one element, and writes
 * it to `*res`.  The array's element size must equal the size of the
 * requested type; the bytes are returned as stored (no conversion). */

int mlx_array_item_bool(bool* res, const mlx_array arr);
int mlx_array_item_uint8(uint8_t* res, const mlx_array arr);
int mlx_array_item_uint16(uint16_t* res, const mlx_array arr);
int mlx_array_item_uint32(uint32_t* res, const mlx_array arr);
int mlx_array_item_uint64(uint64_t* res, const mlx_array arr);
int mlx_array_item_int8(int8_t* res, const mlx_array arr);
int mlx_array_item_int16(int16_t* res, const mlx_array arr);
int mlx_array_item_int32(int32_t* res, const mlx_array arr);
int mlx_array_item_int64(int64_t* res, const mlx_array arr);
int mlx_array_item_float32(float* res, const mlx_array arr);
int mlx_array_item_float64(double* res, const mlx_array arr);
int mlx_array_item_complex64(mlx_complex64_t* res, const mlx_array arr);
#ifdef HAS_FLOAT16
int mlx_array_item_float16(float16_t* res, const mlx_array arr);
#endif
#ifdef HAS_BFLOAT16
int mlx_array_item_bfloat16(bfloat16_t* res, const mlx_array arr);
#endif

/* --- raw data ---------------------------------------------------------------
 * Each returns a host pointer to element [0, ..., 0] of the array's storage,
 * evaluating the array first if it has not been, or NULL on failure.  The
 * pointer is valid while some handle to the array lives.  Elements are laid
 * out by mlx_array_strides(), which for arrays built from data or computed
 * by most ops is row-major; mlx_copy() gives a row-major array.  The type
 * in the name is not checked against the array's dtype, so any array can be
 * read as bytes with mlx_array_data_uint8(). */

const bool* mlx_array_data_bool(const mlx_array arr);
const uint8_t* mlx_array_data_uint8(const mlx_array arr);
const uint16_t* mlx_array_data_uint16(const mlx_array arr);
const uint32_t* mlx_array_data_uint32(const mlx_array arr);
const uint64_t* mlx_array_data_uint64(const mlx_array arr);
const int8_t* mlx_array_data_int8(const mlx_array arr);
const int16_t* mlx_array_data_int16(const mlx_array arr);
const int32_t* mlx_array_data_int32(const mlx_array arr);
const int64_t* mlx_array_data_int64(const mlx_array arr);
const float* mlx_array_data_float32(const mlx_array arr);
const double* mlx_array_data_float64(const mlx_array arr);
const mlx_complex64_t* mlx_array_data_complex64(const mlx_array arr);
#ifdef HAS_FLOAT16
const float16_t* mlx_array_data_float16(const mlx_array arr);
#endif
#ifdef HAS_BFLOAT16
const bfloat16_t* mlx_array_data_bfloat16(const mlx_array arr);
#endif

/* --- internals, for bindings that manage evaluation themselves --------------- */

/** Whether the array's value has been computed. */
int _mlx_array_is_available(bool* res, const mlx_array arr);
/** Waits until the array's value is ready (evaluating it first when nothing
 * has scheduled it yet); afterwards _mlx_array_is_available gives true. */
int _mlx_array_wait(const mlx_array arr);
/** Whether the evaluated array's elements are dense in some axis order. */
int _mlx_array_is_contiguous(bool* res, const mlx_array arr);
/** Whether the evaluated array's elements are dense in row-major order. */
int _mlx_array_is_row_contiguous(bool* res, const mlx_array arr);
/** Whether the evaluated array's elements are dense in column-major order. */
int _mlx_array_is_col_contiguous(bool* res, const mlx_array arr);

#ifdef __cplusplus
}
#endif

#endif
