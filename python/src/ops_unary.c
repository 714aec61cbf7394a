/* mlx.core functions: elementwise unary ops (abs ... bitwise_invert). */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_unary[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
