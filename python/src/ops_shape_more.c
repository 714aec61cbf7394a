/* mlx.core functions: shape/view ops and creation ops beyond the foundation. */
#include "mlxpy.h"

const mxpy_fn mxpy_ops_shape_more[] = {
    {NULL, NULL, NULL, {{0}}, false},
};
