/* CPU kernel table entries for the matmul family and convolutions family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_LINALG_CONV into the table. */
#ifndef MX_CPU_TABLE_LINALG_CONV_H
#define MX_CPU_TABLE_LINALG_CONV_H

#include "../../core/core.h"

int mx__cpu_addmm(mx_node*, mx_array* const*, mx_array* const*);           /* matmul.c */
int mx__cpu_gather_mm(mx_node*, mx_array* const*, mx_array* const*);       /* linalg_conv_mm.c */
int mx__cpu_block_masked_mm(mx_node*, mx_array* const*, mx_array* const*); /* linalg_conv_mm.c */
int mx__cpu_segmented_mm(mx_node*, mx_array* const*, mx_array* const*);    /* linalg_conv_mm.c */
int mx__cpu_hadamard(mx_node*, mx_array* const*, mx_array* const*);        /* linalg_conv_hadamard.c */
int mx__cpu_convolution(mx_node*, mx_array* const*, mx_array* const*);     /* linalg_conv_conv.c */

#define MX_CPU_TABLE_LINALG_CONV                           \
  [MX_PRIM_ADDMM] = mx__cpu_addmm,                         \
  [MX_PRIM_GATHER_MM] = mx__cpu_gather_mm,                 \
  [MX_PRIM_BLOCK_MASKED_MM] = mx__cpu_block_masked_mm,     \
  [MX_PRIM_SEGMENTED_MM] = mx__cpu_segmented_mm,           \
  [MX_PRIM_HADAMARD] = mx__cpu_hadamard,                   \
  [MX_PRIM_CONVOLUTION] = mx__cpu_convolution,

#endif
