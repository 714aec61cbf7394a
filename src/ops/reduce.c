/* Reductions: sum, prod, max, min, all, any, all built on the REDUCE
 * primitive. */
#include <stdlib.h>
#include <string.h>

#include "ops_internal.h"

/* The dtype MLX gives a sum or product: small integers and bool widen to
 * 32 bits (keeping signedness), everything else keeps its dtype. */
static mx_dtype sum_dtype(mx_dtype t) {
  switch (t) {
    case MX_BOOL:
    case MX_INT8:
    case MX_INT16: return MX_INT32;
    case MX_UINT8:
    case MX_UINT16: return MX_UINT32;
    default: return t;
  }
}

/* Builds a REDUCE node.  `axes` NULL means every axis.  Shared by every
 * reduction constructor; `name` prefixes error messages. */
static mx_array* reduce(mx_array* a, int naxes, const int* axes, bool keepdims,
                        mx_reduce_op op, mx_dtype out_dtype, const char* name, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[%s] Invalid (null) array argument.", name);
    return NULL;
  }
  int nd = a->ndim;
  bool reduced[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) reduced[i] = axes == NULL;
  if (axes) {
    if (naxes < 0) {
      mx_error(MX_ERR_VALUE, "[%s] Negative number of axes.", name);
      return NULL;
    }
    for (int i = 0; i < naxes; i++) {
      int ax;
      if (mx_normalize_axis(axes[i], nd, "", &ax) != 0) return NULL;
      if (reduced[ax]) {
        mx_error(MX_ERR_VALUE, "[%s] Duplicate axes detected in reduction.", name);
        return NULL;
      }
      reduced[ax] = true;
    }
  }
  int count = 0;
  for (int i = 0; i < nd; i++) count += reduced[i];
  /* Reducing over no axes returns the input unchanged (what MLX does, e.g.
   * for a 0-d array or axis=()); all/any still give bool. */
  if (count == 0) return mx__as_dtype(a, out_dtype == MX_BOOL ? MX_BOOL : a->dtype, s);
  /* max and min have no identity: an empty reduced axis is an error. */
  if (op == MX_REDUCE_MAX || op == MX_REDUCE_MIN) {
    for (int i = 0; i < nd; i++) {
      if (reduced[i] && a->shape[i] == 0) {
        mx_error(MX_ERR_VALUE, "[%s] Cannot %s reduce over axis %d with size 0.", name, name, i);
        return NULL;
      }
    }
  }

  size_t psize = sizeof(mx_reduce_params) + (size_t)count * sizeof(int);
  mx_reduce_params* p = calloc(1, psize);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", name);
    return NULL;
  }
  p->op = (int)op;
  p->naxes = count;
  int out_shape[nd > 0 ? nd : 1];
  int out_nd = 0, k = 0;
  for (int i = 0; i < nd; i++) {
    if (reduced[i]) {
      p->axes[k++] = i;
      if (keepdims) out_shape[out_nd++] = 1;
    } else {
      out_shape[out_nd++] = a->shape[i];
    }
  }
  mx_array* out = mx_array_make(MX_PRIM_REDUCE, p, psize, s, 1, &a, out_dtype, out_nd, out_shape);
  free(p);
  return out;
}

mx_array* mx_sum(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[sum] Invalid (null) array argument.");
    return NULL;
  }
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_SUM, sum_dtype(a->dtype), "sum", s);
}

mx_array* mx_prod(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[prod] Invalid (null) array argument.");
    return NULL;
  }
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_PROD, sum_dtype(a->dtype), "prod", s);
}

mx_array* mx_max(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[max] Invalid (null) array argument.");
    return NULL;
  }
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_MAX, a->dtype, "max", s);
}

mx_array* mx_min(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[min] Invalid (null) array argument.");
    return NULL;
  }
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_MIN, a->dtype, "min", s);
}

mx_array* mx_all(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_AND, MX_BOOL, "all", s);
}

mx_array* mx_any(mx_array* a, int naxes, const int* axes, bool keepdims, mx_stream s) {
  return reduce(a, naxes, axes, keepdims, MX_REDUCE_OR, MX_BOOL, "any", s);
}
