/* Transform rules (vjp, jvp, vmap) of the shape primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions. */
#include "rules_util.h"

const mx_transform_rules mx__rules_shape[MX_PRIM_COUNT] = {
    [0] = {0},
};
