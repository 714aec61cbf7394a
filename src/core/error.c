/* Per-thread error status (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char error_message[1024];
static _Thread_local mx_error_kind error_kind = MX_ERR_NONE;

int mx_error(mx_error_kind kind, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error_message, sizeof error_message, fmt, ap);
  va_end(ap);
  error_kind = kind;
  return -1;
}

const char* mx_error_message(void) { return error_message; }
mx_error_kind mx_error_last_kind(void) { return error_kind; }
void mx_error_clear(void) {
  error_message[0] = '\0';
  error_kind = MX_ERR_NONE;
}
