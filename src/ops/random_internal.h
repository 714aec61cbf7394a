/* Helpers shared by the random family's op constructors (src/ops/random_*.c). */
#ifndef MX_OPS_RANDOM_INTERNAL_H
#define MX_OPS_RANDOM_INTERNAL_H

#include "ops_internal.h"

/* The constructors chain many ops; each intermediate goes into a scratch
 * list that is released in one place, so every error path is the same
 * `goto done`.  mx__rs_keep() stores `a` and returns it (NULL stays NULL). */
typedef struct mx__rs {
  mx_array* items[32];
  int n;
} mx__rs;

static inline mx_array* mx__rs_keep(mx__rs* rs, mx_array* a) {
  if (a && rs->n < 32) rs->items[rs->n++] = a;
  return a;
}
static inline void mx__rs_free(mx__rs* rs) {
  for (int i = 0; i < rs->n; i++) mx_array_release(rs->items[i]);
  rs->n = 0;
}

/* One of MLX's transcendental steps (MX_RMATH_*) on a floating array, with
 * MLX's exact CPU results (see src/core/prims/random.h). */
mx_array* mx__random_math(int op, mx_array* a, mx_stream s);

/* Checks a user shape (no negative dims), as MLX's bits does. */
int mx__random_check_shape(int ndim, const int* shape);

#endif
