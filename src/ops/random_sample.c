/* Sampling ops built on the distributions: categorical (the Gumbel-max
 * trick), permutation (sorting random bits) and multivariate_normal
 * (standard normals times a square root of the covariance). */
#include "random_internal.h"

#define KEEP(x) mx__rs_keep(&rs, (x))
#define TRY(var, x)            \
  if (!(var = KEEP(x))) goto done

static int categorical_axis(const mx_array* logits, int axis, int* out) {
  int ax = axis < 0 ? axis + logits->ndim : axis;
  if (ax < 0 || ax >= logits->ndim)
    return mx_error(MX_ERR_INDEX, "[categorical] Invalid axis %d for logits with %d dimensions.",
                    axis, logits->ndim);
  *out = ax;
  return 0;
}

/* argmax(logits + g, axis) for float32 Gumbel noise g of `gshape`. */
static mx_array* gumbel_argmax(mx_array* logits, int gndim, const int* gshape, int axis,
                               mx_array* key, mx_stream s) {
  mx_array* g = mx_random_gumbel(gndim, gshape, MX_FLOAT32, key, s);
  if (!g) return NULL;
  mx_array* t = mx_add(g, logits, s);
  mx_array_release(g);
  if (!t) return NULL;
  mx_array* out = mx_argmax(t, false, axis, false, s);
  mx_array_release(t);
  return out;
}

mx_array* mx_random_categorical(mx_array* logits, int axis, mx_array* key, mx_stream s) {
  int ax = 0;
  if (!logits || categorical_axis(logits, axis, &ax) != 0) return NULL;
  return gumbel_argmax(logits, logits->ndim, logits->shape, ax, key, s);
}

mx_array* mx_random_categorical_shape(mx_array* logits, int axis, int ndim, const int* shape,
                                      mx_array* key, mx_stream s) {
  int ax = 0;
  if (!logits || categorical_axis(logits, axis, &ax) != 0) return NULL;
  if (ndim < 0 || ndim > 31 || logits->ndim > 32) {
    mx_error(MX_ERR_VALUE, "[categorical] Invalid shape.");
    return NULL;
  }
  /* The requested shape must already be the broadcast of itself and the
   * logits' shape without `axis`. */
  int red[32], rn = 0, b[32], bn;
  for (int i = 0; i < logits->ndim; i++)
    if (i != ax) red[rn++] = logits->shape[i];
  if (mx_broadcast_shapes(ndim, shape, rn, red, &bn, b) != 0) return NULL;
  if (!mx_shape_equal(bn, b, ndim, shape)) {
    char sa[MX__SHAPE_BUF], sb[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE,
             "[categorical] Requested shape %s is not broadcast compatible with reduced logits shape%s.",
             mx_shape_str(ndim, shape, sa, sizeof sa), mx_shape_str(rn, red, sb, sizeof sb));
    return NULL;
  }
  /* The noise has the requested shape with the category dim put back where
   * it lines up with the logits' axis. */
  int off = ax + ndim - logits->ndim + 1;
  int g[32];
  for (int i = 0, j = 0; i <= ndim; i++) g[i] = i == off ? logits->shape[ax] : shape[j++];
  return gumbel_argmax(logits, ndim + 1, g, off, key, s);
}

mx_array* mx_random_categorical_num_samples(mx_array* logits, int axis, int num_samples,
                                            mx_array* key, mx_stream s) {
  int ax = 0;
  if (!logits || categorical_axis(logits, axis, &ax) != 0) return NULL;
  if (logits->ndim > 31) {
    mx_error(MX_ERR_VALUE, "[categorical] Too many dimensions.");
    return NULL;
  }
  /* num_samples draws per row: a trailing sample dim on both the logits
   * (size 1) and the requested shape. */
  int shape[32], n = 0, last = -1;
  for (int i = 0; i < logits->ndim; i++)
    if (i != ax) shape[n++] = logits->shape[i];
  shape[n++] = num_samples;
  mx_array* e = mx_expand_dims(logits, 1, &last, s);
  if (!e) return NULL;
  mx_array* out = mx_random_categorical_shape(e, ax, n, shape, key, s);
  mx_array_release(e);
  return out;
}

mx_array* mx_random_permutation_arange(int n, mx_array* key, mx_stream s) {
  mx_array* b = mx_random_bits(1, &n, 4, key, s);
  if (!b) return NULL;
  mx_array* out = mx_argsort(b, false, 0, s);
  mx_array_release(b);
  return out;
}

mx_array* mx_random_permutation(mx_array* x, int axis, mx_array* key, mx_stream s) {
  if (!x) {
    mx_error(MX_ERR_VALUE, "[permutation] Invalid (null) array.");
    return NULL;
  }
  int ax = axis < 0 ? axis + x->ndim : axis;
  if (ax < 0 || ax >= x->ndim) {
    mx_error(MX_ERR_INDEX, "[permutation] Invalid axis %d for array with %d dimensions.", axis,
             x->ndim);
    return NULL;
  }
  mx_array* perm = mx_random_permutation_arange(x->shape[ax], key, s);
  if (!perm) return NULL;
  mx_array* out = mx_take(x, perm, ax, s);
  mx_array_release(perm);
  return out;
}

mx_array* mx_random_multivariate_normal(mx_array* mean, mx_array* cov, int ndim,
                                        const int* shape, mx_dtype dtype, mx_array* key,
                                        mx_stream s) {
  mx__rs rs = {.n = 0};
  mx_array* out = NULL;
  if (!mean || !cov) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] Invalid (null) argument.");
    return NULL;
  }
  if (dtype != MX_FLOAT32) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] dtype must be float32.");
    return NULL;
  }
  if (mean->ndim < 1) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] mean must have at least one dimension.");
    return NULL;
  }
  if (cov->ndim < 2) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] cov must have at least two dimensions.");
    return NULL;
  }
  int n = mean->shape[mean->ndim - 1];
  if (cov->shape[cov->ndim - 1] != n || cov->shape[cov->ndim - 2] != n) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] mean and cov must have compatible shapes.");
    return NULL;
  }
  if (mx__random_check_shape(ndim, shape) != 0) return NULL;
  if (ndim > 31 || mean->ndim > 32 || cov->ndim > 33) {
    mx_error(MX_ERR_VALUE, "[multivariate_normal] Too many dimensions.");
    return NULL;
  }
  /* Output: broadcast of the batch dims of cov, mean and `shape`, plus n. */
  int b1[32], n1, b2[33], n2;
  if (mx_broadcast_shapes(cov->ndim - 2, cov->shape, mean->ndim - 1, mean->shape, &n1, b1) != 0)
    return NULL;
  if (mx_broadcast_shapes(n1, b1, ndim, shape, &n2, b2) != 0) return NULL;
  b2[n2++] = n;
  mx_array *c, *root, *z, *t;
  int m2 = -2;
  TRY(c, mx_astype(cov, MX_FLOAT32, s));
  {
    mx_array* in[1] = {c};
    TRY(root, mx_array_make(MX_PRIM_COV_SQRT, NULL, 0, s, 1, in, MX_FLOAT32, c->ndim, c->shape));
  }
  TRY(z, mx_random_normal(n2, b2, MX_FLOAT32, NULL, NULL, key, s));
  TRY(t, mx_expand_dims(z, 1, &m2, s));
  TRY(t, mx_matmul(t, root, s));
  TRY(t, mx_squeeze(t, 1, &m2, s));
  out = mx_add(mean, t, s);
done:
  mx__rs_free(&rs);
  return out;
}
