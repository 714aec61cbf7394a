/* CPU kernel table entries for the gather/scatter, slice/slice_update, take/put_along_axis family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_INDEXING into the table. */
#ifndef MX_CPU_TABLE_INDEXING_H
#define MX_CPU_TABLE_INDEXING_H

#include "../../core/eval.h"

int mx__cpu_slice(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_slice_update(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_dynamic_slice(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_dynamic_slice_update(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_gather(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_scatter(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_gather_axis(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_scatter_axis(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_masked_scatter(mx_node*, mx_array* const*, mx_array* const*);

#define MX_CPU_TABLE_INDEXING                                            \
  [MX_PRIM_SLICE] = mx__cpu_slice,                       /* indexing_slice.c */   \
  [MX_PRIM_SLICE_UPDATE] = mx__cpu_slice_update,         /* indexing_slice.c */   \
  [MX_PRIM_DYNAMIC_SLICE] = mx__cpu_dynamic_slice,       /* indexing_slice.c */   \
  [MX_PRIM_DYNAMIC_SLICE_UPDATE] = mx__cpu_dynamic_slice_update,                  \
  [MX_PRIM_GATHER] = mx__cpu_gather,                     /* indexing_gather.c */  \
  [MX_PRIM_SCATTER] = mx__cpu_scatter,                   /* indexing_scatter.c */ \
  [MX_PRIM_GATHER_AXIS] = mx__cpu_gather_axis,           /* indexing_gather.c */  \
  [MX_PRIM_SCATTER_AXIS] = mx__cpu_scatter_axis,         /* indexing_gather.c */  \
  [MX_PRIM_MASKED_SCATTER] = mx__cpu_masked_scatter,     /* indexing_scatter.c */

#endif
