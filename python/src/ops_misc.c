/* mlx.core functions: dtype utilities, constants, print options, array-class extras. */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_misc[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
