"""Conformance rows for the binary family (comparisons, logical and bitwise
ops, maximum/minimum, power, floor_divide, remainder, logaddexp, arctan2,
where, clip).  Result dtypes, accepted dtypes and exception types were read
off MLX 0.32.4; run.py under real MLX passes these rows.

Integer divisors are kept away from zero (MLX traps on some integer
divisions by zero) and integer exponents and shift counts small and
non-negative (NumPy refuses negative integer powers; MLX gives 0)."""

import numpy as np

import mlx.core as mx
from opspec import (ALL, BOOL, COMPLEX, FLOATS, INTS, NUMERIC, REALS, Case, ErrorCase, OpSpec)


def _flt(x):
    return x if np.issubdtype(x.dtype, np.inexact) else x.astype(np.float64)


def _b(f):
    return lambda a, b: f(_flt(a), _flt(b))


def _as_u8(x):
    return x.astype(np.uint8) if x.dtype == np.bool_ else x


def _bool_or(f, logical):
    def ref(a, b):
        if a.dtype == np.bool_ and b.dtype == np.bool_:
            return logical(a, b)
        return f(a, b)
    return ref


def _power(a, b):
    if a.dtype == np.bool_:
        return np.logical_or(a, np.logical_not(b))
    return np.power(a, b)


def _small_exp(rng, shape, npd):
    """Exponents 0..4 for integers, -3..3 for floats."""
    if np.issubdtype(npd, np.integer) or npd == np.bool_:
        return rng.integers(0, 5, size=shape).astype(npd)
    v = rng.uniform(-3, 3, size=shape)
    return v + 0j if np.issubdtype(npd, np.complexfloating) else v


def _pos_base(rng, shape, npd):
    if np.issubdtype(npd, np.integer) or npd == np.bool_:
        lo = 0 if (np.issubdtype(npd, np.unsignedinteger) or npd == np.bool_) else -3
        return rng.integers(lo, 4, size=shape).astype(npd)
    v = rng.uniform(0.5, 2.0, size=shape)
    return v + 0j if np.issubdtype(npd, np.complexfloating) else v


def _cmp(name, f):
    # grad=False: bool output (MLX's gradient is zero; test_grad_binary.py checks it)
    return OpSpec(name, getattr(mx, name), f, arity=2, dtypes=ALL, out_dtype="bool", vmap=True)


_MAXMIN_TOL = None

SPECS = [
    _cmp("equal", np.equal),
    _cmp("not_equal", np.not_equal),
    _cmp("less", np.less),
    _cmp("less_equal", np.less_equal),
    _cmp("greater", np.greater),
    _cmp("greater_equal", np.greater_equal),
    # grad=False: bool output
    OpSpec("logical_and", mx.logical_and, np.logical_and, arity=2, dtypes=ALL, out_dtype="bool",
           vmap=True),
    # grad=False: bool output
    OpSpec("logical_or", mx.logical_or, np.logical_or, arity=2, dtypes=ALL, out_dtype="bool",
           vmap=True),
    # grad=False: bool output
    OpSpec("logical_xor", mx.logical_xor, np.logical_xor, arity=2, dtypes=ALL, out_dtype="bool",
           vmap=True),
    OpSpec("maximum", mx.maximum, np.maximum, arity=2, dtypes=REALS + BOOL, out_dtype="promote",
           grad=True, vmap=True),
    OpSpec("minimum", mx.minimum, np.minimum, arity=2, dtypes=REALS + BOOL, out_dtype="promote",
           grad=True, vmap=True),
    OpSpec("power", mx.power, _power, arity=2, dtypes=REALS + BOOL, domain=(_pos_base, _small_exp),
           out_dtype="promote", grad=True, vmap=True,
           tol={mx.float16: (4e-3, 4e-3), mx.bfloat16: (3e-2, 3e-2)}),
    # grad=False: complex; its gradient is compared with real MLX in test_grad_binary.py
    OpSpec("power_complex", mx.power, np.power, arity=2, dtypes=COMPLEX,
           domain=(_pos_base, _small_exp), out_dtype="promote", specials=False, vmap=True,
           tol={mx.complex64: (2e-5, 2e-5)}),
    OpSpec("floor_divide", mx.floor_divide, _bool_or(np.floor_divide, np.logical_and), arity=2,
           dtypes=REALS + BOOL, domain=("any", "nonzero"), out_dtype="promote", specials=False,
           grad=True, vmap=True),
    OpSpec("remainder", mx.remainder, np.remainder, arity=2, dtypes=REALS,
           domain=("any", "nonzero"), rejects=COMPLEX, out_dtype="promote", specials=False,
           tol={mx.float16: (2e-3, 4e-3), mx.bfloat16: (1.6e-2, 3e-2)}, grad=True, vmap=True),
    OpSpec("logaddexp", mx.logaddexp, _b(np.logaddexp), arity=2, dtypes=REALS + BOOL,
           out_dtype="float_promote",
           tol={mx.float64: (2e-6, 1e-6)}, grad=True, vmap=True),
    OpSpec("arctan2", mx.arctan2, _b(np.arctan2), arity=2, dtypes=REALS + BOOL,
           rejects=COMPLEX, out_dtype="float_promote",
           tol={mx.float64: (2e-6, 1e-6)}, grad=True, vmap=True),
    # grad=False for the bitwise ops and shifts: integer-only (MLX's gradient is zero)
    OpSpec("bitwise_and", mx.bitwise_and, np.bitwise_and, arity=2, dtypes=INTS + BOOL,
           rejects=FLOATS + COMPLEX, error=RuntimeError, out_dtype="promote", vmap=True),
    OpSpec("bitwise_or", mx.bitwise_or, np.bitwise_or, arity=2, dtypes=INTS + BOOL,
           rejects=FLOATS + COMPLEX, error=RuntimeError, out_dtype="promote", vmap=True),
    OpSpec("bitwise_xor", mx.bitwise_xor, np.bitwise_xor, arity=2, dtypes=INTS + BOOL,
           rejects=FLOATS + COMPLEX, error=RuntimeError, out_dtype="promote", vmap=True),
    OpSpec("left_shift", mx.left_shift, lambda a, b: np.left_shift(_as_u8(a), _as_u8(b)),
           arity=2, dtypes=INTS, domain=("any", "int_small"), rejects=FLOATS + COMPLEX,
           error=RuntimeError, out_dtype="promote", vmap=True),
    OpSpec("right_shift", mx.right_shift, lambda a, b: np.right_shift(_as_u8(a), _as_u8(b)),
           arity=2, dtypes=INTS, domain=("any", "int_small"), rejects=FLOATS + COMPLEX,
           error=RuntimeError, out_dtype="promote", vmap=True),
    OpSpec("where", lambda x, y: mx.where(x > y, x, y), lambda x, y: np.where(x > y, x, y),
           arity=2, dtypes=ALL, out_dtype="promote", grad=True, vmap=True),
    OpSpec("clip", lambda a: mx.clip(a, -0.5, 0.5) if a.dtype in FLOATS else mx.clip(a, 1, 3),
           lambda a: np.clip(a, -0.5, 0.5) if np.issubdtype(a.dtype, np.floating)
           else np.clip(a, 1, 3),
           dtypes=REALS, out_dtype="same", specials=False, grad=True, vmap=True,
           errors=[ErrorCase("no bounds", lambda: mx.clip(mx.zeros((2,)), None, None)),
                   ErrorCase("bound overflows uint8",
                             lambda: mx.clip(mx.zeros((2,), mx.uint8), None, 300))]),
    OpSpec("divmod", lambda a, b: mx.divmod(a, b), lambda a, b: list(np.divmod(a, b)), arity=2,
           dtypes=REALS, domain=("any", "nonzero"), rejects=COMPLEX, out_dtype="promote",
           specials=False, tol={mx.float16: (2e-3, 4e-3), mx.bfloat16: (1.6e-2, 3e-2)},
           grad=False, vmap=True,
           grad_reason="MLX's DivMod has a zero vjp/jvp for both outputs although the "
                       "remainder moves with a; we match MLX (test_grad_binary.py)"),
]
