/* Transform rules (vjp, jvp, vmap) of the reduce_sort primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions. */
#include "rules_util.h"

const mx_transform_rules mx__rules_reduce_sort[MX_PRIM_COUNT] = {
    [0] = {0},
};
