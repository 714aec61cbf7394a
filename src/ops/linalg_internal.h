/* Helpers shared by the mx.linalg op constructors (src/ops/linalg_*.c). */
#ifndef MX_OPS_LINALG_INTERNAL_H
#define MX_OPS_LINALG_INTERNAL_H

#include "ops_internal.h"

/* A list of temporaries released together when an op returns, so that the
 * composite ops read as straight-line code: LET(x, expr) declares x, records
 * it, and jumps to `fail` when expr gave NULL (its constructor set the
 * error).  Each function using it declares `mx__la_scope sc = {0};` and ends
 * with `fail: mx__la_close(&sc);`. */
typedef struct mx__la_scope {
  mx_array* items[64];
  int n;
} mx__la_scope;

static inline mx_array* mx__la_keep(mx__la_scope* sc, mx_array* x) {
  if (x && sc->n < 64) sc->items[sc->n++] = x;
  return x;
}
static inline void mx__la_close(mx__la_scope* sc) {
  for (int i = 0; i < sc->n; i++) mx_array_release(sc->items[i]);
  sc->n = 0;
}
#define LET(var, expr)                            \
  mx_array* var = mx__la_keep(&sc, (expr));       \
  if (!var) goto fail

/* Argument checks with MLX's messages.  `who` is the function name as MLX
 * prints it (e.g. "inv" in "[linalg::inv]").  Each returns 0 / -1. */
int mx__la_check_cpu(mx_stream s, const char* who);
/* float32/float64 only, or also complex64 when `complex_ok`. */
int mx__la_check_dtype(const mx_array* a, const char* who, bool complex_ok);
int mx__la_check_ndim(const mx_array* a, const char* who);
/* `what` completes "... only defined for square matrices." */
int mx__la_check_square(const mx_array* a, const char* who, const char* what);

/* One primitive node with the input's batch dims in front of each output's
 * trailing dims: out i has tail_nd[i] trailing dims tails[i] and dtype dts[i]. */
int mx__la_node(mx_prim prim, const void* params, size_t psz, mx_stream s, int nin,
                mx_array* const* in, int nout, const int* tail_nd, const int (*tails)[2],
                const mx_dtype* dts, mx_array** outs);

/* Matrix transpose of the last two dims. */
mx_array* mx__la_mT(mx_array* a, mx_stream s);

#endif
