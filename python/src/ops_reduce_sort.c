/* mlx.core functions: reductions beyond sum, scans, sort/partition/topk/searchsorted. */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_reduce_sort[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
