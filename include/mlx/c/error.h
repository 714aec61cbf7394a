/* Error reporting in the C API.
 *
 * A failing function returns a nonzero code (or an empty handle / NULL /
 * 0, as its documentation says) and, before returning, passes a message
 * describing the failure to the error handler.  The default handler prints
 * "MLX error: <message>" on standard output and returns; unlike mlx-c's
 * default it never ends the process, so a program can always inspect the
 * return code.  Install your own handler to collect messages instead.
 *
 * The handler runs on the thread that made the failing call.  Setting the
 * handler is thread safe; a handler may be called on several threads at
 * once if several threads fail at once. */
#ifndef MLX_ERROR_H
#define MLX_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Receives the message (valid only during the call) and the `data`
 * pointer given to mlx_set_error_handler(). */
typedef void (*mlx_error_handler_func)(const char* msg, void* data);

/** Installs `handler` (NULL restores the default).  `data` is passed to
 * every call of the handler; when `dtor` is not NULL, `dtor(data)` runs once
 * this handler is replaced by another. */
void mlx_set_error_handler(
    mlx_error_handler_func handler,
    void* data,
    void (*dtor)(void*));

/** Reports an error through the handler: formats `fmt` like printf and
 * appends " at FILE:LINE".  Use the mlx_error() macro. */
void _mlx_error(const char* file, const int line, const char* fmt, ...);

/** Reports an error, naming the calling file and line. */
#define mlx_error(...) _mlx_error(__FILE__, __LINE__, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif
