/* Per-thread error status.
 *
 * Every fallible internal function reports failure by returning -1 (or NULL)
 * after calling mx_error(); the message and its kind stay in thread-local
 * storage until the next error or mx_error_clear().  The kind tells the Python
 * layer which exception to raise and never changes what the C API returns. */
#ifndef MX_CORE_ERROR_H
#define MX_CORE_ERROR_H

#define MX_ERROR_KINDS(X)                                  \
  X(NONE, "no error")                                      \
  X(VALUE, "ValueError")    /* bad shapes, arguments */    \
  X(TYPE, "TypeError")      /* wrong types */              \
  X(INDEX, "IndexError")    /* out-of-range index/axis */  \
  X(MEMORY, "MemoryError")  /* allocation failed */        \
  X(RUNTIME, "RuntimeError") /* everything else */

typedef enum mx_error_kind {
#define MX_ERROR_ENUM(e, s) MX_ERR_##e,
  MX_ERROR_KINDS(MX_ERROR_ENUM)
#undef MX_ERROR_ENUM
} mx_error_kind;

/* Records an error for this thread and returns -1 so callers can write
 * `return mx_error(MX_ERR_VALUE, "...", ...);`. */
int mx_error(mx_error_kind kind, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The last error's message ("" when none) and kind. */
const char* mx_error_message(void);
mx_error_kind mx_error_last_kind(void);
void mx_error_clear(void);

#endif
