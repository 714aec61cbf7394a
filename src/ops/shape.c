/* Shape ops: reshape, transpose, broadcast_to and copy.  Reshape, transpose
 * and broadcast make view nodes: their kernels share the input's buffer
 * whenever the layout allows it. */
#include <stdlib.h>

#include "ops_internal.h"

mx_array* mx_reshape(mx_array* a, int ndim, const int* shape, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[reshape] Invalid (null) array argument.");
    return NULL;
  }
  if (ndim < 0) {
    mx_error(MX_ERR_VALUE, "[reshape] Negative number of dimensions.");
    return NULL;
  }
  int out[ndim > 0 ? ndim : 1];
  int infer = -1;
  int64_t known = 1;
  bool bad = false;
  for (int i = 0; i < ndim; i++) {
    out[i] = shape[i];
    if (shape[i] == -1) {
      if (infer >= 0) {
        mx_error(MX_ERR_VALUE, "[reshape] Reshape can only infer one dimension.");
        return NULL;
      }
      infer = i;
    } else if (shape[i] < 0) {
      bad = true;
    } else {
      known *= shape[i];
    }
  }
  char sb[MX__SHAPE_BUF];
  if (!bad && infer >= 0) {
    if (known == 0) {
      mx_error(MX_ERR_VALUE, "[reshape] Cannot infer the shape of an empty array");
      return NULL;
    }
    /* A non-divisible size leaves a wrong product, reported below with the
     * inferred dim filled in, as MLX does. */
    out[infer] = (int)(a->size / known);
    known *= out[infer];
  }
  if (bad || known != a->size) {
    mx_error(MX_ERR_VALUE, "[reshape] Cannot reshape array of size %lld into shape %s.",
             (long long)a->size, mx_shape_str(ndim, out, sb, sizeof sb));
    return NULL;
  }
  if (mx_shape_equal(a->ndim, a->shape, ndim, out)) {
    mx_array_retain(a);
    return a;
  }
  return mx_array_make(MX_PRIM_RESHAPE, NULL, 0, s, 1, &a, a->dtype, ndim, out);
}

mx_array* mx_transpose(mx_array* a, int naxes, const int* axes, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[transpose] Invalid (null) array argument.");
    return NULL;
  }
  int nd = a->ndim;
  if (axes && naxes != nd) {
    mx_error(MX_ERR_VALUE, "[transpose] Received %d axes for array with %d dimensions.", naxes,
             nd);
    return NULL;
  }
  size_t psize = sizeof(mx_transpose_params) + (size_t)nd * sizeof(int);
  mx_transpose_params* p = calloc(1, psize);
  if (!p) {
    mx_error(MX_ERR_MEMORY, "[transpose] Out of memory.");
    return NULL;
  }
  p->ndim = nd;
  bool seen[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) seen[i] = false;
  int shape[nd > 0 ? nd : 1];
  for (int i = 0; i < nd; i++) {
    int ax = axes ? axes[i] : nd - 1 - i;
    if (ax < -nd || ax >= nd) {
      mx_error(MX_ERR_INDEX, "[transpose] Invalid axis (%d) for array with %d dimensions.", ax,
               nd);
      free(p);
      return NULL;
    }
    if (ax < 0) ax += nd;
    if (seen[ax]) {
      mx_error(MX_ERR_VALUE, "[transpose] Repeat axes not allowed.");
      free(p);
      return NULL;
    }
    seen[ax] = true;
    p->perm[i] = ax;
    shape[i] = a->shape[ax];
  }
  mx_array* out = mx_array_make(MX_PRIM_TRANSPOSE, p, psize, s, 1, &a, a->dtype, nd, shape);
  free(p);
  return out;
}

mx_array* mx_broadcast_to(mx_array* a, int ndim, const int* shape, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[broadcast_to] Invalid (null) array argument.");
    return NULL;
  }
  if (ndim < 0) {
    mx_error(MX_ERR_VALUE, "[broadcast_to] Negative number of dimensions.");
    return NULL;
  }
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0) {
      mx_error(MX_ERR_VALUE, "[broadcast_to] Negative dimensions not allowed.");
      return NULL;
    }
  }
  if (mx__check_broadcast_to(a, ndim, shape) != 0) return NULL;
  return mx__broadcast_unchecked(a, ndim, shape, s);
}

mx_array* mx_copy(mx_array* a, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[copy] Invalid (null) array argument.");
    return NULL;
  }
  return mx_array_make(MX_PRIM_COPY, NULL, 0, s, 1, &a, a->dtype, a->ndim, a->shape);
}
