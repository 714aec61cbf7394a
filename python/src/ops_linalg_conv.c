/* mlx.core functions: matmul family and convolutions. */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_linalg_conv[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
