/* mlx.core functions: gather/scatter, slice/slice_update, take/put_along_axis. */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_indexing[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
