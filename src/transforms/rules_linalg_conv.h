/* Rule functions of the linalg_conv family, shared between its files: the
 * table is in rules_linalg_conv.c, the products in rules_linalg_conv_mm.c
 * and the convolution in rules_linalg_conv_conv.c. */
#ifndef MX_TRANSFORMS_RULES_LINALG_CONV_H
#define MX_TRANSFORMS_RULES_LINALG_CONV_H

#include "rules_util.h"

#define MX__LC_RULES(name)                                                                   \
  int mx__vjp_##name(mx_node* node, mx_array* const* p, mx_array* const* o,                \
                     mx_array* const* c, const bool* want, mx_array** g);                   \
  int mx__jvp_##name(mx_node* node, mx_array* const* p, mx_array* const* o,                \
                     mx_array* const* t, mx_array** out);                                   \
  int mx__vmap_##name(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,   \
                      int* oax);

MX__LC_RULES(conv)
MX__LC_RULES(gather_mm)
MX__LC_RULES(block_masked_mm)
MX__LC_RULES(segmented_mm)
MX__LC_RULES(hadamard)

#endif
