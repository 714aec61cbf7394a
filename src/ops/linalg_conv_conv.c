/* Convolution constructors: conv_general (the one primitive, CONVOLUTION),
 * the conv1d/2d/3d and conv_transpose1d/2d/3d forms MLX offers on top of
 * it, and NumPy-style 1-D convolve.
 *
 * Layout is MLX's, channels last: input (N, spatial..., C_in), weight
 * (C_out, kernel..., C_in / groups).  A transposed convolution is the
 * convolution of the input dilated by the stride with the spatially
 * flipped kernel, padded by dilation * (k - 1) - padding (plus
 * output_padding on the high side). */
#include <stdio.h>
#include <string.h>

#include "linalg_conv_internal.h"

/* Formats an int list as "(a,b)" for messages. */
static const char* list_str(int n, const int* v, char* buf, size_t len) {
  return mx_shape_str(n, v, buf, len);
}

/* Expands a list of 1 or d entries (NULL: `def` everywhere) to d entries. */
static int expand(int n, const int* v, int d, int def, const char* what, int* out) {
  if (!v || n == 0) {
    for (int i = 0; i < d; i++) out[i] = def;
    return 0;
  }
  if (n != 1 && n != d) {
    char b[MX__SHAPE_BUF];
    return mx_error(MX_ERR_VALUE, "[conv] Invalid %s %s for %dD convolution.", what,
                    list_str(n, v, b, sizeof b), d);
  }
  for (int i = 0; i < d; i++) out[i] = v[n == 1 ? 0 : i];
  return 0;
}

static int check_positive(const int* v, int d, const char* what, const char* label) {
  for (int i = 0; i < d; i++) {
    if (v[i] <= 0) {
      char b[MX__SHAPE_BUF];
      return mx_error(MX_ERR_VALUE, "[conv] %s sizes must be positive. Got %s %s.", what, label,
                      list_str(d, v, b, sizeof b));
    }
  }
  return 0;
}

/* Checks input and weight ranks and dtypes; sets the spatial rank. */
static int check_operands(mx_array* in, mx_array* w, int* d) {
  if (!in || !w) return mx_error(MX_ERR_VALUE, "[conv] Invalid (null) array argument.");
  if (!mx_dtype_is_float(in->dtype))
    return mx_error(MX_ERR_VALUE,
                    "[conv] Invalid input array with type %s. Convolution currently only supports "
                    "floating point types",
                    mx_dtype_name(in->dtype));
  if (w->dtype == MX_COMPLEX64)
    return mx_error(MX_ERR_VALUE,
                    "[conv] Invalid weight array with type %s. Convolution currently only supports "
                    "floating point types",
                    mx_dtype_name(w->dtype));
  if (in->ndim < 3 || in->ndim > 2 + MX_CONV_MAX_SPATIAL)
    return mx_error(MX_ERR_VALUE,
                    "[conv] Only works for inputs with 1-3 spatial dimensions. The inputs must be "
                    "in the format [N, ..., C_in]");
  *d = in->ndim - 2;
  if (w->ndim != in->ndim)
    return mx_error(MX_ERR_VALUE,
                    "[conv] Invalid weight array with %d dimensions for %dD convolution. Expected "
                    "an array with %d dimensions following the format [C_out, ..., C_in].",
                    w->ndim, *d, in->ndim);
  return 0;
}

mx_array* mx_conv_general(mx_array* input, mx_array* weight, int nstride, const int* stride,
                          int npad_lo, const int* pad_lo, int npad_hi, const int* pad_hi,
                          int nkdil, const int* kernel_dilation, int nidil,
                          const int* input_dilation, int groups, bool flip, mx_stream s) {
  int d;
  if (check_operands(input, weight, &d) != 0) return NULL;
  char b1[MX__SHAPE_BUF], b2[MX__SHAPE_BUF], b3[MX__SHAPE_BUF], b4[MX__SHAPE_BUF];
  if (groups <= 0) {
    mx_error(MX_ERR_VALUE, "[conv] Groups must be a positive integer, got %d.", groups);
    return NULL;
  }
  int cin = input->shape[d + 1], wcin = weight->shape[d + 1], cout = weight->shape[0];
  if ((int64_t)wcin * groups != cin) {
    if (groups == 1)
      mx_error(MX_ERR_VALUE,
               "[conv] Expect the input channels in the input and weight array to match but got "
               "shapes - input: %s and weight: %s",
               mx_shape_str(input->ndim, input->shape, b1, sizeof b1),
               mx_shape_str(weight->ndim, weight->shape, b2, sizeof b2));
    else
      mx_error(MX_ERR_VALUE,
               "Given groups=%d and weights of shape %s, expected to have %lld input channels but "
               "got %d input channels instead.",
               groups, mx_shape_str(weight->ndim, weight->shape, b2, sizeof b2),
               (long long)wcin * groups, cin);
    return NULL;
  }
  if (groups > 1 && cout % groups != 0) {
    mx_error(MX_ERR_VALUE,
             "[conv] If groups > 1, the output channels must be divisible by the number of "
             "groups. Got %d output channels and %d groups.",
             cout, groups);
    return NULL;
  }
  mx_conv_params p;
  memset(&p, 0, sizeof p);
  p.nspatial = d;
  p.groups = groups;
  p.flip = flip;
  if (expand(nstride, stride, d, 1, "strides", p.stride) != 0) return NULL;
  if ((npad_lo > 1 && npad_lo != d) || (npad_hi > 1 && npad_hi != d)) {
    mx_error(MX_ERR_VALUE, "[conv] Invalid padding %s | %s for %dD convolution.",
             list_str(npad_lo, pad_lo, b1, sizeof b1), list_str(npad_hi, pad_hi, b2, sizeof b2), d);
    return NULL;
  }
  if (expand(npad_lo, pad_lo, d, 0, "padding", p.pad_lo) != 0 ||
      expand(npad_hi, pad_hi, d, 0, "padding", p.pad_hi) != 0 ||
      expand(nkdil, kernel_dilation, d, 1, "kernel dilation", p.kernel_dilation) != 0 ||
      expand(nidil, input_dilation, d, 1, "input dilation", p.input_dilation) != 0)
    return NULL;
  if (check_positive(p.stride, d, "Stride", "strides") != 0 ||
      check_positive(p.kernel_dilation, d, "Kernel dilation", "kernel dilation") != 0 ||
      check_positive(p.input_dilation, d, "Input dilation", "input dilation") != 0)
    return NULL;

  int oshape[2 + MX_CONV_MAX_SPATIAL];
  oshape[0] = input->shape[0];
  oshape[d + 1] = cout;
  for (int i = 0; i < d; i++) {
    int64_t n = input->shape[1 + i], k = weight->shape[1 + i];
    int64_t in_ext = n > 0 ? (n - 1) * p.input_dilation[i] + 1 : 0;
    int64_t padded = in_ext + p.pad_lo[i] + p.pad_hi[i];
    int64_t k_ext = k > 0 ? (k - 1) * p.kernel_dilation[i] + 1 : 0;
    if (padded < k_ext || n == 0) {
      mx_error(MX_ERR_VALUE,
               "[conv] Spatial dimensions of input after padding cannot be smaller than weight "
               "spatial dimensions. Got error at axis %d for input with shape %s, padding low %s, "
               "padding high %s, and weight of shape %s.",
               i + 1, mx_shape_str(input->ndim, input->shape, b1, sizeof b1),
               list_str(d, p.pad_lo, b2, sizeof b2), list_str(d, p.pad_hi, b3, sizeof b3),
               mx_shape_str(weight->ndim, weight->shape, b4, sizeof b4));
      return NULL;
    }
    int64_t o = (padded - k_ext) / p.stride[i] + 1;
    if (o > INT32_MAX) {
      mx_error(MX_ERR_VALUE, "[conv] Output is too large.");
      return NULL;
    }
    oshape[1 + i] = (int)o;
  }
  mx_dtype dt = mx_promote_types(input->dtype, weight->dtype);
  if (!mx_dtype_is_float(dt)) {
    mx_error(MX_ERR_VALUE, "[conv] Convolution currently only supports floating point types");
    return NULL;
  }
  mx_array* ci = mx__as_dtype(input, dt, s);
  mx_array* cw = ci ? mx__as_dtype(weight, dt, s) : NULL;
  mx_array* out = NULL;
  if (cw) {
    mx_array* in[2] = {ci, cw};
    out = mx_array_make(MX_PRIM_CONVOLUTION, &p, sizeof p, s, 2, in, dt, d + 2, oshape);
  }
  mx_array_release(ci);
  mx_array_release(cw);
  return out;
}

mx_array* mx_conv_nd(mx_array* input, mx_array* weight, int d, const int* stride,
                     const int* padding, const int* dilation, int groups, mx_stream s) {
  return mx_conv_general(input, weight, d, stride, d, padding, d, padding, d, dilation, 0, NULL,
                         groups, false, s);
}

mx_array* mx_conv_transpose_nd(mx_array* input, mx_array* weight, int d, const int* stride,
                               const int* padding, const int* dilation,
                               const int* output_padding, int groups, mx_stream s) {
  int sd;
  if (check_operands(input, weight, &sd) != 0) return NULL;
  if (d < 1 || d > MX_CONV_MAX_SPATIAL) {
    mx_error(MX_ERR_VALUE, "[conv] Only 1-3 spatial dimensions are supported.");
    return NULL;
  }
  /* The lists have d entries; a higher-rank input uses the first entry for
   * every spatial dim, as the general convolution would. */
  int lo[MX_CONV_MAX_SPATIAL], hi[MX_CONV_MAX_SPATIAL], st[MX_CONV_MAX_SPATIAL],
      dl[MX_CONV_MAX_SPATIAL];
  if (sd != d && d != 1) {
    char b[MX__SHAPE_BUF];
    mx_error(MX_ERR_VALUE, "[conv] Invalid strides %s for %dD convolution.",
             list_str(d, stride, b, sizeof b), sd);
    return NULL;
  }
  for (int i = 0; i < sd; i++) {
    int j = sd == d ? i : 0;
    int64_t k = weight->shape[1 + i];
    int64_t base = (int64_t)dilation[j] * (k - 1) - padding[j];
    lo[i] = (int)base;
    hi[i] = (int)(base + output_padding[j]);
    st[i] = stride[j];
    dl[i] = dilation[j];
  }
  int one = 1;
  return mx_conv_general(input, weight, 1, &one, sd, lo, sd, hi, sd, dl, sd, st, groups, true, s);
}

mx_array* mx_convolve(mx_array* a, mx_array* v, const char* mode, mx_stream s) {
  if (!a || !v) {
    mx_error(MX_ERR_VALUE, "[convolve] Invalid (null) array argument.");
    return NULL;
  }
  if (a->ndim != 1 || v->ndim != 1) {
    mx_error(MX_ERR_VALUE, "[convolve] Inputs must be 1D.");
    return NULL;
  }
  if (a->size == 0 || v->size == 0) {
    mx_error(MX_ERR_VALUE, "[convolve] Inputs cannot be empty.");
    return NULL;
  }
  int which;
  if (mode && strcmp(mode, "full") == 0) which = 0;
  else if (mode && strcmp(mode, "same") == 0) which = 1;
  else if (mode && strcmp(mode, "valid") == 0) which = 2;
  else {
    mx_error(MX_ERR_VALUE, "[convolve] Invalid mode.");
    return NULL;
  }
  /* The longer operand is the signal, the shorter the (flipped) kernel. */
  if (v->size > a->size) {
    mx_array* t = a;
    a = v;
    v = t;
  }
  int n = a->shape[0], m = v->shape[0];
  int lo = 0, hi = 0;
  if (which == 0) {
    lo = hi = m - 1;
  } else if (which == 1) {
    /* NumPy's "same" window starts (m - 1) / 2 into the full result. */
    hi = (m - 1) / 2;
    lo = m - 1 - hi;
  }
  int as[3] = {1, n, 1}, vs[3] = {1, m, 1}, os[1] = {-1};
  mx_array* ra = mx_reshape(a, 3, as, s);
  mx_array* rv = ra ? mx_reshape(v, 3, vs, s) : NULL;
  mx_array* c = rv ? mx_conv_general(ra, rv, 0, NULL, 1, &lo, 1, &hi, 0, NULL, 0, NULL, 1, true, s)
                   : NULL;
  mx_array* out = c ? mx_reshape(c, 1, os, s) : NULL;
  mx_array_release(ra);
  mx_array_release(rv);
  mx_array_release(c);
  return out;
}
