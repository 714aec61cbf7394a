/* CPU kernel table entries for the shape/view ops and creation ops family,
 * as designated initializers ([MX_PRIM_X] = mx__cpu_x,), with their
 * declarations.  backend.c splices MX_CPU_TABLE_SHAPE into the table. */
#ifndef MX_CPU_TABLE_SHAPE_H
#define MX_CPU_TABLE_SHAPE_H

struct mx_node;
struct mx_array;

/* shape_views.c */
int mx__cpu_strided_view(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_as_strided(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_view(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_contiguous(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
/* shape_join.c */
int mx__cpu_concatenate(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_pad(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
/* shape_create.c */
int mx__cpu_eye(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_tri(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_tri_mask(struct mx_node*, struct mx_array* const*, struct mx_array* const*);
int mx__cpu_window(struct mx_node*, struct mx_array* const*, struct mx_array* const*);

#define MX_CPU_TABLE_SHAPE                            \
  [MX_PRIM_STRIDED_VIEW] = mx__cpu_strided_view,      \
  [MX_PRIM_AS_STRIDED] = mx__cpu_as_strided,          \
  [MX_PRIM_VIEW] = mx__cpu_view,                      \
  [MX_PRIM_CONTIGUOUS] = mx__cpu_contiguous,          \
  [MX_PRIM_CONCATENATE] = mx__cpu_concatenate,        \
  [MX_PRIM_PAD] = mx__cpu_pad,                        \
  [MX_PRIM_EYE] = mx__cpu_eye,                        \
  [MX_PRIM_TRI] = mx__cpu_tri,                        \
  [MX_PRIM_TRI_MASK] = mx__cpu_tri_mask,              \
  [MX_PRIM_WINDOW] = mx__cpu_window,

#endif
