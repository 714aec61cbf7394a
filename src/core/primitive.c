/* Primitive names, from the one X-macro list in primitive.h. */
#include "primitive.h"

static const char* const prim_names[MX_PRIM_COUNT] = {
#define PRIM_NAME(e, n) [MX_PRIM_##e] = n,
    MX_PRIMITIVES(PRIM_NAME)
#undef PRIM_NAME
};

const char* mx_prim_name(mx_prim p) {
  return (p >= 0 && p < MX_PRIM_COUNT) ? prim_names[p] : "Unknown";
}
