/* The C API's error handler and the shared failure path (see capi.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "capi.h"

/* Unlike mlx-c's default handler, ours never exits: the library promises
 * that nothing a caller does ends the process, and the 1 returned by the
 * failing call tells the program what happened. */
static void default_handler(const char* msg, void* data) {
  (void)data;
  printf("MLX error: %s\n", msg);
  fflush(stdout);
}

static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static mlx_error_handler_func handler = default_handler;
static void* handler_data = NULL;
static void (*handler_dtor)(void*) = NULL;

void mlx_set_error_handler(mlx_error_handler_func fn, void* data, void (*dtor)(void*)) {
  pthread_mutex_lock(&handler_lock);
  void* old_data = handler_data;
  void (*old_dtor)(void*) = handler_dtor;
  handler = fn ? fn : default_handler;
  handler_data = data;
  handler_dtor = dtor;
  pthread_mutex_unlock(&handler_lock);
  /* The old data is released outside the lock so a destructor that itself
   * touches the API cannot deadlock. */
  if (old_dtor) old_dtor(old_data);
}

static void call_handler(const char* msg) {
  pthread_mutex_lock(&handler_lock);
  mlx_error_handler_func fn = handler;
  void* data = handler_data;
  pthread_mutex_unlock(&handler_lock);
  fn(msg, data);
}

void _mlx_error(const char* file, const int line, const char* fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n < sizeof msg) snprintf(msg + n, sizeof msg - (size_t)n, " at %s:%d", file, line);
  call_handler(msg);
}

int mx__capi_fail(void) {
  const char* msg = mx_error_message();
  call_handler(msg && *msg ? msg : "unknown error");
  return 1;
}

int mx__capi_failf(mx_error_kind kind, const char* fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mx_error(kind, "%s", msg);
  return mx__capi_fail();
}

int mx__capi_null_output(const char* fn) {
  return mx__capi_failf(MX_ERR_VALUE, "[%s] The output pointer is NULL.", fn);
}
