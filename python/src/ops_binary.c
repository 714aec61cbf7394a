/* mlx.core functions: elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...). */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_binary[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
