"""Conformance rows for the unary family: every elementwise unary op of
mlx.core.  Result dtypes, accepted/rejected dtypes and exception types were
read off MLX 0.32.4 (a dtype-by-op table printed by real MLX).

Where MLX's CPU results for float64 are only float32-accurate (sin, exp,
erf, ... are computed in float32 there), float64 rows carry a float32-sized
tolerance so that they hold for both real MLX and cmlx (which computes in
double).  MLX's sign(NaN) is 0, not NaN; the reference says so.

run.py under real MLX passes every row except sin/cos[float64] special
values: at +-1e300 MLX's float32 arithmetic gives a different number; cmlx
computes in double and agrees with NumPy."""

import math

import numpy as np

import mlx.core as mx
from opspec import (ALL, BOOL, COMPLEX, FLOATS, INTS, NUMERIC, REALS, UINTS, ErrorCase, OpSpec)

F64_LOOSE = {mx.float64: (2e-6, 1e-6)}
MATH = FLOATS + INTS + BOOL + COMPLEX   # accepted by the float-valued math ops
REAL_MATH = FLOATS + INTS + BOOL       # ... that refuse complex64


def _flt(x):
    """Integer and bool inputs compute in floating point (MLX promotes them)."""
    return x if np.issubdtype(x.dtype, np.inexact) else x.astype(np.float64)


def _u(f):
    return lambda x: f(_flt(x))


def _sign(x):
    if np.issubdtype(x.dtype, np.complexfloating):
        m = np.abs(x)
        with np.errstate(all="ignore"):
            return np.where(m == 0, 0, x / np.where(m == 0, 1, m))
    if x.dtype == np.bool_:
        return x
    return np.where(np.isnan(x), 0, np.sign(x)) if np.issubdtype(x.dtype, np.floating) else np.sign(x)


def _erfinv(y):
    """Newton's method on math.erf, from a good start, in float64."""
    y = _flt(y)
    out = np.empty_like(y, dtype=np.float64)
    for i, v in enumerate(y.ravel()):
        if np.isnan(v) or abs(v) > 1:
            out.flat[i] = np.nan
        elif abs(v) == 1:
            out.flat[i] = math.copysign(math.inf, v)
        else:
            x = 0.0
            for _ in range(60):
                x -= (math.erf(x) - v) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
            out.flat[i] = x
    return out.reshape(y.shape)


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _same_or_real(d):
    return mx.float32 if d == mx.complex64 else d


def _split_complex(spec):
    """The complex64 rows of the log and inverse-trig functions skip the
    special-value grid: at infinite inputs the real part of the result is
    only close to NumPy's, and the checker wants infinities matched exactly."""
    import dataclasses
    real = dataclasses.replace(spec, dtypes=tuple(d for d in spec.dtypes if d != mx.complex64))
    # Complex rows: vmap works; gradients of complex inputs are compared with
    # real MLX in test_grad_unary.py (finite differences here are real-only).
    cplx = dataclasses.replace(spec, name=spec.name + "_complex", dtypes=COMPLEX, specials=False,
                               grad=False, vmap=True)
    return [real, cplx]


SPECS = [
    OpSpec("abs", mx.abs, np.abs, dtypes=ALL, out_dtype=_same_or_real, signed_zero=True,
           grad=True, vmap=True),
    OpSpec("negative", mx.negative, np.negative, dtypes=NUMERIC, rejects=BOOL, out_dtype="same",
           signed_zero=True, grad=True, vmap=True),
    OpSpec("positive", mx.positive, np.positive, dtypes=NUMERIC, out_dtype="same",
           grad=True, vmap=True),
    OpSpec("sign", mx.sign, _sign, dtypes=ALL, out_dtype="same", grad=True, vmap=True),
    OpSpec("square", mx.square, lambda x: x if x.dtype == np.bool_ else np.square(x),
           dtypes=ALL, out_dtype="same", grad=True, vmap=True),
    OpSpec("sqrt", mx.sqrt, _u(np.sqrt), dtypes=MATH, domain="nonneg", out_dtype="float_promote",
           grad=True, vmap=True),
    OpSpec("rsqrt", mx.rsqrt, _u(lambda x: 1 / np.sqrt(x)), dtypes=MATH, domain="positive",
           out_dtype="float_promote", grad=True, vmap=True),
    OpSpec("reciprocal", mx.reciprocal, _u(lambda x: 1 / x), dtypes=MATH, domain="nonzero",
           out_dtype="float_promote", grad=True, vmap=True),
    OpSpec("exp", mx.exp, _u(np.exp), dtypes=MATH, domain="small", out_dtype="float_promote",
           tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("expm1", mx.expm1, _u(np.expm1), dtypes=REAL_MATH, rejects=COMPLEX, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("log", mx.log, _u(np.log), dtypes=MATH, domain="positive", out_dtype="float_promote",
           tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("log2", mx.log2, _u(np.log2), dtypes=MATH, domain="positive",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("log10", mx.log10, _u(np.log10), dtypes=MATH, domain="positive",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("log1p", mx.log1p, _u(np.log1p), dtypes=MATH, domain="nonneg",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("sin", mx.sin, _u(np.sin), dtypes=MATH, domain="small", out_dtype="float_promote",
           tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("cos", mx.cos, _u(np.cos), dtypes=MATH, domain="small", out_dtype="float_promote",
           tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("tan", mx.tan, _u(np.tan), dtypes=MATH, domain="unit", out_dtype="float_promote",
           tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arcsin", mx.arcsin, _u(np.arcsin), dtypes=MATH, domain="unit",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arccos", mx.arccos, _u(np.arccos), dtypes=MATH, domain="unit",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arctan", mx.arctan, _u(np.arctan), dtypes=MATH, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("sinh", mx.sinh, _u(np.sinh), dtypes=MATH, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("cosh", mx.cosh, _u(np.cosh), dtypes=MATH, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("tanh", mx.tanh, _u(np.tanh), dtypes=MATH, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arcsinh", mx.arcsinh, _u(np.arcsinh), dtypes=MATH, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arccosh", mx.arccosh, _u(np.arccosh), dtypes=MATH, domain="ge1",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("arctanh", mx.arctanh, _u(np.arctanh), dtypes=MATH, domain="unit",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("erf", mx.erf, _u(_erf), dtypes=REAL_MATH, rejects=COMPLEX, domain="small",
           out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("erfinv", mx.erfinv, _erfinv, dtypes=FLOATS + INTS[:1], rejects=COMPLEX, domain="unit",
           out_dtype="float_promote", tol={mx.float32: (2e-5, 2e-6), mx.float64: (2e-5, 2e-6)},
           grad=True, vmap=True),
    OpSpec("sigmoid", mx.sigmoid, _u(lambda x: 1 / (1 + np.exp(-x))), dtypes=REAL_MATH,
           rejects=COMPLEX, out_dtype="float_promote", tol=F64_LOOSE, grad=True, vmap=True),
    OpSpec("degrees", mx.degrees, _u(lambda x: x * (180 / np.pi)), dtypes=MATH,
           out_dtype="float_promote", grad=True, vmap=True),
    OpSpec("radians", mx.radians, _u(lambda x: x * (np.pi / 180)), dtypes=MATH,
           out_dtype="float_promote", grad=True, vmap=True),
    OpSpec("floor", mx.floor, np.floor, dtypes=REALS + BOOL, rejects=COMPLEX, out_dtype="same",
           signed_zero=True, grad=True, vmap=True),
    OpSpec("ceil", mx.ceil, np.ceil, dtypes=REALS + BOOL, rejects=COMPLEX, out_dtype="same",
           signed_zero=True, grad=True, vmap=True),
    OpSpec("trunc", mx.trunc, np.trunc, dtypes=REALS + BOOL, rejects=COMPLEX, out_dtype="same",
           grad=True, vmap=True),
    OpSpec("round", mx.round, np.round, dtypes=ALL, out_dtype="same", grad=True, vmap=True),
    OpSpec("round_decimals", lambda x: mx.round(x, 2), lambda x: np.round(x, 2),
           dtypes=(mx.float16, mx.bfloat16, mx.float32), out_dtype="same", specials=False,
           tol={mx.float16: (2e-3, 1e-2), mx.bfloat16: (1.6e-2, 1e-2), mx.float32: (2e-6, 1e-5),
                mx.float64: (1e-12, 1e-12)}, grad=False, vmap=True,
           grad_reason="finite differences cross its 0.01-wide rounding steps; the zero "
                       "gradient is checked in test_grad_unary.py"),
    # grad=False: bool output: no gradient to check (MLX's is zero; test_grad_unary.py)
    OpSpec("logical_not", mx.logical_not, np.logical_not, dtypes=ALL, out_dtype="bool", vmap=True),
    # grad=False: MLX has no vjp/jvp for BitwiseInvert (raises); so do we
    OpSpec("bitwise_invert", mx.bitwise_invert, np.invert, dtypes=INTS + BOOL,
           rejects=FLOATS + COMPLEX, out_dtype="same", vmap=True),
    # grad=False: bool output
    OpSpec("isnan", mx.isnan, np.isnan, dtypes=ALL, out_dtype="bool", vmap=True),
    # grad=False: bool output
    OpSpec("isinf", mx.isinf, np.isinf, dtypes=ALL, out_dtype="bool", vmap=True),
    # grad=False: bool output
    OpSpec("isfinite", mx.isfinite, np.isfinite, dtypes=ALL, out_dtype="bool", vmap=True),
    # grad=False: bool output
    OpSpec("isposinf", mx.isposinf, np.isposinf, dtypes=REALS + BOOL, out_dtype="bool",
           vmap=True),
    # grad=False: bool output
    OpSpec("isneginf", mx.isneginf, np.isneginf, dtypes=REALS + BOOL, out_dtype="bool",
           vmap=True),
    OpSpec("nan_to_num", lambda x: mx.nan_to_num(x, 1.0, 2.0, -3.0),
           lambda x: np.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-3.0),
           dtypes=(mx.float16, mx.bfloat16, mx.float32) + INTS, out_dtype="same", grad=True,
           vmap=True),
    OpSpec("nan_to_num_default", mx.nan_to_num, np.nan_to_num,
           dtypes=(mx.float16, mx.bfloat16, mx.float32) + INTS + BOOL,
           rejects=(mx.float64, mx.complex64), out_dtype="same", specials=False, grad=True,
           vmap=True),
    OpSpec("conj", mx.conj, np.conj, dtypes=ALL, out_dtype="same", grad=True, vmap=True),
    OpSpec("conjugate", mx.conjugate, np.conjugate, dtypes=ALL, out_dtype="same",
           grad=True, vmap=True),
    OpSpec("real", mx.real, np.real, dtypes=ALL, out_dtype=_same_or_real, grad=True, vmap=True),
    OpSpec("imag", mx.imag, np.imag, dtypes=ALL, out_dtype=_same_or_real, grad=True, vmap=True),
    OpSpec("stop_gradient", mx.stop_gradient, lambda x: x, dtypes=ALL, out_dtype="same",
           grad=False, vmap=True,
           grad_reason="its gradient is zero by definition, unlike its finite differences "
                       "(test_grad_unary.py checks the zero)"),

]

_SPLIT = {"log", "log2", "log10", "log1p", "arcsin", "arccos", "arccosh"}
SPECS = [r for sp in SPECS for r in (_split_complex(sp) if sp.name in _SPLIT else [sp])]
