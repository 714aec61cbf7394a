/* Rule functions of the indexing family shared between its files:
 * rules_indexing.c (slices and the table) and rules_indexing_gather.c
 * (gather, scatter, the along-axis forms, masked scatter). */
#ifndef MX_TRANSFORMS_RULES_INDEXING_H
#define MX_TRANSFORMS_RULES_INDEXING_H

#include "rules_util.h"

int mx__vjp_gather(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                   const bool* want, mx_array** g);
int mx__jvp_gather(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                   mx_array** out);
int mx__vmap_gather(mx_node* node, mx_array* const* in, const int* ax, mx_array** out, int* oax);

int mx__vjp_scatter(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                    const bool* want, mx_array** g);
int mx__jvp_scatter(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                    mx_array** out);
int mx__vmap_scatter(mx_node* node, mx_array* const* in, const int* ax, mx_array** out, int* oax);

int mx__vjp_gather_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* c, const bool* want, mx_array** g);
int mx__jvp_gather_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                        mx_array* const* t, mx_array** out);
int mx__vmap_gather_axis(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                         int* oax);

int mx__vjp_scatter_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* c, const bool* want, mx_array** g);
int mx__jvp_scatter_axis(mx_node* node, mx_array* const* p, mx_array* const* o,
                         mx_array* const* t, mx_array** out);
int mx__vmap_scatter_axis(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                          int* oax);

int mx__vjp_masked_scatter(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* c, const bool* want, mx_array** g);
int mx__jvp_masked_scatter(mx_node* node, mx_array* const* p, mx_array* const* o,
                           mx_array* const* t, mx_array** out);
int mx__vmap_masked_scatter(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                            int* oax);

/* x with its batch in front, or (unbatched, ax == -1) broadcast to
 * (batch, ...x's shape). */
mx_array* mx__front_or_broadcast(mx_array* x, int ax, int batch, mx_stream s);

/* 0..n-1 (int32) shaped (n, 1, ..., 1) with `nd` dims in all. */
mx_array* mx__batch_iota(int n, int nd, mx_stream s);

#endif
