/* Helpers shared by the linalg_conv family's op constructors. */
#ifndef MX_OPS_LINALG_CONV_INTERNAL_H
#define MX_OPS_LINALG_CONV_INTERNAL_H

#include "ops_internal.h"

/* Most dims a matrix product handles (batch dims included). */
#define MX__MM_MAXND 32

/* The operands of a matrix product lined up for a product primitive:
 * both converted to one dtype and broadcast to a common batch shape, 1-D
 * operands turned into a row (first) or a column (second). */
typedef struct mx__mm {
  mx_array* a; /* (batch..., M, K), owned */
  mx_array* b; /* (batch..., K, N), owned */
  int nd;      /* rank of the product as computed */
  int shape[MX__MM_MAXND];
  int out_nd; /* rank of the result once 1-D operands' dims are dropped */
  int out_shape[MX__MM_MAXND];
} mx__mm;

/* Prepares a @ b in dtype dt; `who` names the op in messages ("matmul").
 * Returns 0 / -1 (nothing to release on failure). */
int mx__mm_prepare(mx_array* a, mx_array* b, mx_dtype dt, const char* who, mx_stream s,
                   mx__mm* mm);
void mx__mm_release(mx__mm* mm);
/* Reshapes a product computed with mm->shape to mm->out_shape; consumes
 * `prod` (may be NULL: returns NULL). */
mx_array* mx__mm_finish(mx__mm* mm, mx_array* prod, mx_stream s);

#endif
