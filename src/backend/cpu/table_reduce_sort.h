/* CPU kernel table entries for the reductions beyond sum, scans, sort/partition/topk/searchsorted family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_REDUCE_SORT into the table. */
#ifndef MX_CPU_TABLE_REDUCE_SORT_H
#define MX_CPU_TABLE_REDUCE_SORT_H

int mx__cpu_arg_reduce(mx_node*, mx_array* const*, mx_array* const*);   /* argreduce.c */
int mx__cpu_scan(mx_node*, mx_array* const*, mx_array* const*);         /* scan.c */
int mx__cpu_sort(mx_node*, mx_array* const*, mx_array* const*);         /* sort.c */
int mx__cpu_argsort(mx_node*, mx_array* const*, mx_array* const*);      /* sort.c */
int mx__cpu_partition(mx_node*, mx_array* const*, mx_array* const*);    /* sort.c */
int mx__cpu_argpartition(mx_node*, mx_array* const*, mx_array* const*); /* sort.c */
int mx__cpu_searchsorted(mx_node*, mx_array* const*, mx_array* const*); /* sort.c */
int mx__cpu_logsumexp(mx_node*, mx_array* const*, mx_array* const*);    /* softmax.c */
int mx__cpu_softmax(mx_node*, mx_array* const*, mx_array* const*);      /* softmax.c */
int mx__cpu_isclose(mx_node*, mx_array* const*, mx_array* const*);      /* isclose.c */

#define MX_CPU_TABLE_REDUCE_SORT                       \
  [MX_PRIM_ARG_REDUCE] = mx__cpu_arg_reduce,           \
  [MX_PRIM_SCAN] = mx__cpu_scan,                       \
  [MX_PRIM_SORT] = mx__cpu_sort,                       \
  [MX_PRIM_ARGSORT] = mx__cpu_argsort,                 \
  [MX_PRIM_PARTITION] = mx__cpu_partition,             \
  [MX_PRIM_ARGPARTITION] = mx__cpu_argpartition,       \
  [MX_PRIM_SEARCHSORTED] = mx__cpu_searchsorted,       \
  [MX_PRIM_LOGSUMEXP] = mx__cpu_logsumexp,             \
  [MX_PRIM_SOFTMAX] = mx__cpu_softmax,                 \
  [MX_PRIM_ISCLOSE] = mx__cpu_isclose,

#endif
