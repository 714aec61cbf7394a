/* Helpers shared by the C API's source files (private to src/capi).
 *
 * The C API is a thin layer: each function checks its arguments, turns
 * handles into internal objects, calls src/core or src/ops, and turns the
 * result back into a handle.  Failures follow one path: the internal error
 * (mx_error) is set, mx__capi_fail() hands its message to the user's error
 * handler, and the function returns 1 (or an empty handle / NULL / 0).
 *
 * Handle contents:
 *   mlx_array.ctx   the mx_array* (one reference), NULL when empty
 *   mlx_string.ctx  a malloc'd NUL-terminated char*
 *   mlx_device.ctx  a malloc'd mx_device
 *   mlx_stream.ctx  a malloc'd mx_stream
 *   vectors         a mx__capi_vec* (see vector.c) */
#ifndef MX_CAPI_CAPI_H
#define MX_CAPI_CAPI_H

#include <stdbool.h>
#include <stddef.h>

#include "mlx/c/mlx.h"

#include "core/core.h"
#include "ops/ops.h"

/* Hands the current internal error message to the error handler; returns 1
 * so callers can write `return mx__capi_fail();`. */
int mx__capi_fail(void);
/* Sets an internal error of `kind` from a printf-style message, then
 * reports it as mx__capi_fail() does; returns 1. */
int mx__capi_failf(mx_error_kind kind, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/* The internal array behind `a`, or NULL (reported) when the handle is
 * empty.  `what` names the argument in the message. */
mx_array* mx__capi_array(mlx_array a, const char* what);
/* Stores `out` (a new reference, or NULL after an internal failure) into
 * `*res`, releasing what `*res` held before.  Returns 0, or 1 (reported)
 * when `out` is NULL, in which case `*res` is left untouched. */
int mx__capi_put_array(mlx_array* res, mx_array* out);

/* The stream behind `s`; an empty handle means the default stream of the
 * default device.  Returns false (reported) for a stream that does not
 * exist. */
bool mx__capi_stream(mlx_stream s, mx_stream* out);
/* The device behind `d`; false (reported) when the handle is empty. */
bool mx__capi_device(mlx_device d, mx_device* out);
/* Writes a device / stream into a handle, reusing its storage when it has
 * some.  Return 0, or 1 (reported) when memory runs out. */
int mx__capi_put_device(mlx_device* dev, mx_device d);
int mx__capi_put_stream(mlx_stream* stream, mx_stream s);

/* Replaces the text of `*str` with `text`, which the string takes over
 * (a malloc'd string; NULL means an internal failure to report).  Returns
 * 0 or 1. */
int mx__capi_put_string_owned(mlx_string* str, char* text);
/* Same, copying `text`. */
int mx__capi_put_string(mlx_string* str, const char* text);

/* Checks a dtype / shape argument; false (reported) when invalid. */
bool mx__capi_dtype(mlx_dtype dtype, mx_dtype* out);
bool mx__capi_shape(const int* shape, size_t n, const char* what);

/* The arrays held by a vector of arrays (borrowed), and their count. */
mx_array* const* mx__capi_vector_arrays(mlx_vector_array vec, size_t* n);

/* Reports a NULL output pointer; returns 1. */
int mx__capi_null_output(const char* fn);

/* Wrapper shorthands: each returns 1 from the calling mlx_ function when the
 * check fails (the error handler has already been called). */
#define ARG(var, handle)                           \
  mx_array* var = mx__capi_array(handle, #handle); \
  if (!var) return 1
#define STREAM(var, handle) \
  mx_stream var;            \
  if (!mx__capi_stream(handle, &var)) return 1
#define OUT(res, fn) \
  if (!res) return mx__capi_null_output(fn)

/* The body of every two-array op wrapper: checks, converts, calls `fn`. */
typedef mx_array* (*mx__capi_binary_fn)(mx_array*, mx_array*, mx_stream);
int mx__capi_binary(mlx_array* res, mlx_array a, mlx_array b, mlx_stream s,
                    mx__capi_binary_fn fn, const char* name);
/* The same for every one-array op wrapper (unary math, copies, linalg). */
typedef mx_array* (*mx__capi_unary_fn)(mx_array*, mx_stream);
int mx__capi_unary(mlx_array* res, mlx_array a, mlx_stream s, mx__capi_unary_fn fn,
                   const char* name);

#endif
