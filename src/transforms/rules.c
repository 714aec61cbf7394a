/* The rule table: each family file (rules_<family>.c) defines a table
 * indexed by primitive holding the rules of its own primitives; the first
 * table with an entry for a primitive supplies its rules.  A family adds
 * its table to the list below (one line each). */
#include "rules_util.h"

#define MX__RULE_FAMILIES(X) \
  X(foundation)              \
  X(unary)                   \
  X(binary)                  \
  X(reduce_sort)             \
  X(shape)                   \
  X(indexing)                \
  X(linalg_conv)             \
  X(random)                  \
  X(linalg)                  \
  X(fft)                     \
  X(compiled)                \
  X(custom)

#define MX__DECLARE(f) extern const mx_transform_rules mx__rules_##f[MX_PRIM_COUNT];
MX__RULE_FAMILIES(MX__DECLARE)

static const mx_transform_rules* const families[] = {
#define MX__LIST(f) mx__rules_##f,
    MX__RULE_FAMILIES(MX__LIST)
};

static const mx_transform_rules none = {0};

const mx_transform_rules* mx_rules_for(mx_prim p) {
  if ((int)p < 0 || p >= MX_PRIM_COUNT) return &none;
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
    const mx_transform_rules* r = &families[i][p];
    if (r->vjp || r->jvp || r->vmap) return r;
  }
  return &none;
}
