/* Op constructors of the unary family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Result dtypes follow MLX: the transcendental ops (sqrt, exp, log, sin,
 * ..., erf, sigmoid) give float32 for bool and integer inputs and keep
 * inexact dtypes; abs/real/imag of complex64 give float32; the predicates
 * (isnan, ..., logical_not) give bool; everything else keeps the dtype.
 * Unsupported dtypes are MX_ERR_VALUE (ceil/floor/trunc/erf/erfinv/expm1/
 * sigmoid of complex, negative of bool, bitwise_invert of inexact types,
 * nan_to_num of float64/complex64). */
#ifndef MX_OPS_UNARY_H
#define MX_OPS_UNARY_H

#include <stdbool.h>

#include "../core/core.h"

mx_array* mx_abs(mx_array* a, mx_stream s);
mx_array* mx_negative(mx_array* a, mx_stream s);
mx_array* mx_positive(mx_array* a, mx_stream s);
mx_array* mx_sign(mx_array* a, mx_stream s);
mx_array* mx_square(mx_array* a, mx_stream s);
mx_array* mx_sqrt(mx_array* a, mx_stream s);
mx_array* mx_rsqrt(mx_array* a, mx_stream s);
mx_array* mx_reciprocal(mx_array* a, mx_stream s);
mx_array* mx_exp(mx_array* a, mx_stream s);
mx_array* mx_expm1(mx_array* a, mx_stream s);
mx_array* mx_log(mx_array* a, mx_stream s);
mx_array* mx_log2(mx_array* a, mx_stream s);
mx_array* mx_log10(mx_array* a, mx_stream s);
mx_array* mx_log1p(mx_array* a, mx_stream s);
mx_array* mx_sin(mx_array* a, mx_stream s);
mx_array* mx_cos(mx_array* a, mx_stream s);
mx_array* mx_tan(mx_array* a, mx_stream s);
mx_array* mx_arcsin(mx_array* a, mx_stream s);
mx_array* mx_arccos(mx_array* a, mx_stream s);
mx_array* mx_arctan(mx_array* a, mx_stream s);
mx_array* mx_sinh(mx_array* a, mx_stream s);
mx_array* mx_cosh(mx_array* a, mx_stream s);
mx_array* mx_tanh(mx_array* a, mx_stream s);
mx_array* mx_arcsinh(mx_array* a, mx_stream s);
mx_array* mx_arccosh(mx_array* a, mx_stream s);
mx_array* mx_arctanh(mx_array* a, mx_stream s);
mx_array* mx_erf(mx_array* a, mx_stream s);
mx_array* mx_erfinv(mx_array* a, mx_stream s);
mx_array* mx_sigmoid(mx_array* a, mx_stream s);
mx_array* mx_degrees(mx_array* a, mx_stream s);
mx_array* mx_radians(mx_array* a, mx_stream s);

/* Rounding: floor/ceil/trunc keep integer inputs as they are; round rounds
 * half to even, to `decimals` places (negative: tens, hundreds, ...). */
mx_array* mx_floor(mx_array* a, mx_stream s);
mx_array* mx_ceil(mx_array* a, mx_stream s);
mx_array* mx_trunc(mx_array* a, mx_stream s);
mx_array* mx_round(mx_array* a, int decimals, mx_stream s);

/* Predicates (bool results). */
mx_array* mx_logical_not(mx_array* a, mx_stream s);
mx_array* mx_isnan(mx_array* a, mx_stream s);
mx_array* mx_isinf(mx_array* a, mx_stream s);
mx_array* mx_isposinf(mx_array* a, mx_stream s);
mx_array* mx_isneginf(mx_array* a, mx_stream s);
mx_array* mx_isfinite(mx_array* a, mx_stream s);

/* NaN -> nan, +inf -> posinf (the dtype's largest finite value unless
 * has_posinf), -inf -> neginf (the lowest unless has_neginf).  Integer and
 * bool inputs are returned unchanged. */
mx_array* mx_nan_to_num(mx_array* a, double nan, bool has_posinf, double posinf, bool has_neginf,
                        double neginf, mx_stream s);

/* Bits and complex parts. */
mx_array* mx_bitwise_invert(mx_array* a, mx_stream s);
mx_array* mx_conjugate(mx_array* a, mx_stream s);
mx_array* mx_real(mx_array* a, mx_stream s);
mx_array* mx_imag(mx_array* a, mx_stream s);

/* The input's value, as a node that gradients do not flow through. */
mx_array* mx_stop_gradient(mx_array* a, mx_stream s);

#endif
