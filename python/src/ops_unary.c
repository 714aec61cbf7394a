/* mlx.core functions: elementwise unary ops (abs ... bitwise_invert), and
 * the array methods MLX gives the same ops (a.abs(), a.round(1), ...).
 *
 * As in MLX the operand is positional only and may be an array or a Python
 * or NumPy scalar (converted with mx.array's rules); `stream` is keyword
 * only. */
#include "mlxpy.h"

typedef mx_array* (*unary_fn)(mx_array*, mx_stream);

#define U(fn) \
  static PyObject* impl_##fn(mxpy_value* v, mx_stream s) { return mxpy_wrap(mx_##fn(v[0].a, s)); }
U(abs) U(negative) U(positive) U(sign) U(square) U(sqrt) U(rsqrt) U(reciprocal) U(exp) U(expm1)
U(log) U(log2) U(log10) U(log1p) U(sin) U(cos) U(tan) U(arcsin) U(arccos) U(arctan) U(sinh)
U(cosh) U(tanh) U(arcsinh) U(arccosh) U(arctanh) U(erf) U(erfinv) U(sigmoid) U(degrees)
U(radians) U(floor) U(ceil) U(trunc) U(logical_not) U(isnan) U(isinf) U(isposinf) U(isneginf)
U(isfinite) U(bitwise_invert) U(conjugate) U(real) U(imag) U(stop_gradient)
#undef U

static PyObject* impl_round(mxpy_value* v, mx_stream s) {
  if (v[1].i < INT32_MIN || v[1].i > INT32_MAX) {
    PyErr_SetString(PyExc_OverflowError, "round(): decimals does not fit in a 32-bit integer.");
    return NULL;
  }
  return mxpy_wrap(mx_round(v[0].a, (int)v[1].i, s));
}

static PyObject* impl_nan_to_num(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_nan_to_num(v[0].a, v[1].f, !v[2].none, v[2].f, !v[3].none, v[3].f, s));
}

#define A {"a", MXPY_SCALAR_OR_ARRAY, MXPY_POSONLY, NULL, {0}}
#define ROW(name, impl, doc) {name, impl_##impl, doc, {A}, false}

const mxpy_fn mxpy_ops_unary[] = {
    ROW("abs", abs, "Element-wise absolute value."),
    ROW("negative", negative, "Element-wise negation."),
    ROW("positive", positive, "Element-wise identity (+a)."),
    ROW("sign", sign, "Element-wise sign."),
    ROW("square", square, "Element-wise square."),
    ROW("sqrt", sqrt, "Element-wise square root."),
    ROW("rsqrt", rsqrt, "Element-wise reciprocal and square root."),
    ROW("reciprocal", reciprocal, "Element-wise reciprocal."),
    ROW("exp", exp, "Element-wise exponential."),
    ROW("expm1", expm1, "Element-wise exponential minus 1 (exact for small inputs)."),
    ROW("log", log, "Element-wise natural logarithm."),
    ROW("log2", log2, "Element-wise base-2 logarithm."),
    ROW("log10", log10, "Element-wise base-10 logarithm."),
    ROW("log1p", log1p, "Element-wise natural log of one plus the array."),
    ROW("sin", sin, "Element-wise sine."),
    ROW("cos", cos, "Element-wise cosine."),
    ROW("tan", tan, "Element-wise tangent."),
    ROW("arcsin", arcsin, "Element-wise inverse sine."),
    ROW("asin", arcsin, "Element-wise inverse sine (alias of arcsin)."),
    ROW("arccos", arccos, "Element-wise inverse cosine."),
    ROW("acos", arccos, "Element-wise inverse cosine (alias of arccos)."),
    ROW("arctan", arctan, "Element-wise inverse tangent."),
    ROW("atan", arctan, "Element-wise inverse tangent (alias of arctan)."),
    ROW("sinh", sinh, "Element-wise hyperbolic sine."),
    ROW("cosh", cosh, "Element-wise hyperbolic cosine."),
    ROW("tanh", tanh, "Element-wise hyperbolic tangent."),
    ROW("arcsinh", arcsinh, "Element-wise inverse hyperbolic sine."),
    ROW("asinh", arcsinh, "Element-wise inverse hyperbolic sine (alias of arcsinh)."),
    ROW("arccosh", arccosh, "Element-wise inverse hyperbolic cosine."),
    ROW("acosh", arccosh, "Element-wise inverse hyperbolic cosine (alias of arccosh)."),
    ROW("arctanh", arctanh, "Element-wise inverse hyperbolic tangent."),
    ROW("atanh", arctanh, "Element-wise inverse hyperbolic tangent (alias of arctanh)."),
    ROW("erf", erf, "Element-wise error function."),
    ROW("erfinv", erfinv, "Element-wise inverse of the error function."),
    ROW("sigmoid", sigmoid, "Element-wise logistic sigmoid 1 / (1 + exp(-a))."),
    ROW("degrees", degrees, "Convert angles from radians to degrees."),
    ROW("radians", radians, "Convert angles from degrees to radians."),
    ROW("floor", floor, "Element-wise floor."),
    ROW("ceil", ceil, "Element-wise ceil."),
    ROW("trunc", trunc, "Element-wise truncation towards zero."),
    ROW("logical_not", logical_not, "Element-wise logical not."),
    ROW("isnan", isnan, "Return a boolean array indicating which elements are NaN."),
    ROW("isinf", isinf, "Return a boolean array indicating which elements are +/- infinity."),
    ROW("isposinf", isposinf, "Return a boolean array indicating which elements are +infinity."),
    ROW("isneginf", isneginf, "Return a boolean array indicating which elements are -infinity."),
    ROW("isfinite", isfinite, "Return a boolean array indicating which elements are finite."),
    ROW("bitwise_invert", bitwise_invert, "Element-wise bitwise inverse (logical not for bool)."),
    ROW("conj", conjugate, "Return the elementwise complex conjugate of the input."),
    ROW("conjugate", conjugate, "Return the elementwise complex conjugate of the input."),
    ROW("real", real, "Returns the real part of a complex array."),
    ROW("imag", imag, "Returns the imaginary part of a complex array."),
    ROW("stop_gradient", stop_gradient,
        "Stop gradients from being computed: the result equals the input and is\n"
        "treated as a constant by the transforms."),
    {"round", impl_round, "Round to the given number of decimals (half to even).",
     {A, {"decimals", MXPY_INT, MXPY_OPT, "0", {.i = 0}}}, false},
    {"nan_to_num", impl_nan_to_num,
     "Replace NaN with `nan`, +inf with `posinf` and -inf with `neginf`\n"
     "(by default the largest and lowest finite values of the dtype).",
     {A, {"nan", MXPY_FLOAT, MXPY_OPT, "0", {.f = 0.0}},
      {"posinf", MXPY_FLOAT, MXPY_OPT | MXPY_NONE, "None", {0}},
      {"neginf", MXPY_FLOAT, MXPY_OPT | MXPY_NONE, "None", {0}}},
     false},
    {NULL, NULL, NULL, {{0}}, false},
};

/* Array methods: a.abs(), a.sqrt(), a.round(decimals), ... */
#define SELF {"self", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}}
#define METHOD(name, impl) {name, impl_##impl, "See :func:`" name "`.", {SELF}, false}

const mxpy_fn mxpy_unary_methods[] = {
    METHOD("abs", abs),
    METHOD("conj", conjugate),
    METHOD("cos", cos),
    METHOD("exp", exp),
    METHOD("log", log),
    METHOD("log10", log10),
    METHOD("log1p", log1p),
    METHOD("log2", log2),
    METHOD("reciprocal", reciprocal),
    METHOD("rsqrt", rsqrt),
    METHOD("sin", sin),
    METHOD("sqrt", sqrt),
    METHOD("square", square),
    {"round", impl_round, "See :func:`round`.",
     {SELF, {"decimals", MXPY_INT, MXPY_OPT, "0", {.i = 0}}}, false},
    {NULL, NULL, NULL, {{0}}, false},
};
