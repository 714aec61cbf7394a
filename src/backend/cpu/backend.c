/* The CPU backend: one kernel per primitive (see primitive.h).  A NULL
 * entry would mean "not supported on the CPU"; every primitive has one. */
#include "cpu_internal.h"
#include "table_unary.h"
#include "table_binary.h"
#include "table_reduce_sort.h"
#include "table_shape.h"
#include "table_indexing.h"
#include "table_linalg_conv.h"
#include "table_random.h"
#include "table_linalg.h"
#include "table_fft.h"
#include "table_compiled.h"
#include "table_custom.h"

int mx__cpu_add(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_subtract(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_multiply(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_divide(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_reduce(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_reshape(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_transpose(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_broadcast(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_astype(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_copy(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_full(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_arange(mx_node*, mx_array* const*, mx_array* const*);
int mx__cpu_matmul(mx_node*, mx_array* const*, mx_array* const*);

const mx_backend mx_cpu_backend = {
    .name = "cpu",
    .kernels =
        {
            [MX_PRIM_ADD] = mx__cpu_add,             /* binary.c */
            [MX_PRIM_SUBTRACT] = mx__cpu_subtract,   /* binary.c */
            [MX_PRIM_MULTIPLY] = mx__cpu_multiply,   /* binary.c */
            [MX_PRIM_DIVIDE] = mx__cpu_divide,       /* binary.c */
            [MX_PRIM_REDUCE] = mx__cpu_reduce,       /* reduce.c */
            [MX_PRIM_RESHAPE] = mx__cpu_reshape,     /* views.c */
            [MX_PRIM_TRANSPOSE] = mx__cpu_transpose, /* views.c */
            [MX_PRIM_BROADCAST] = mx__cpu_broadcast, /* views.c */
            [MX_PRIM_ASTYPE] = mx__cpu_astype,       /* copy.c */
            [MX_PRIM_COPY] = mx__cpu_copy,           /* copy.c */
            [MX_PRIM_FULL] = mx__cpu_full,           /* copy.c */
            [MX_PRIM_ARANGE] = mx__cpu_arange,       /* arange.c */
            [MX_PRIM_MATMUL] = mx__cpu_matmul,       /* matmul.c */
            MX_CPU_TABLE_UNARY
            MX_CPU_TABLE_BINARY
            MX_CPU_TABLE_REDUCE_SORT
            MX_CPU_TABLE_SHAPE
            MX_CPU_TABLE_INDEXING
            MX_CPU_TABLE_LINALG_CONV
            MX_CPU_TABLE_RANDOM
            MX_CPU_TABLE_LINALG
            MX_CPU_TABLE_FFT
            MX_CPU_TABLE_COMPILED
            MX_CPU_TABLE_CUSTOM
        },
};
