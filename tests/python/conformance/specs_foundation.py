"""Conformance rows for the foundation ops (issue 2): arithmetic, the basic
reductions, reshape/transpose/broadcast_to, astype and matmul.  Result dtypes
and exception types were read off MLX 0.32.4; `run.py` under
/opt/mlxref/bin/python passes every row."""

import numpy as np

import mlx.core as mx
from opspec import (ALL, BOOL, INEXACT, INTS, NP_EXACT, Case,
                    ErrorCase, OpSpec, dname, is_complex, is_float, is_unsigned)


def _bool_ref(f, logical):
    """NumPy refuses some arithmetic on bools; MLX computes it and casts the
    result to bool, which is the logical form given here."""
    def ref(a, b):
        if a.dtype == np.bool_ and b.dtype == np.bool_:
            return logical(a, b)
        return f(a, b)
    return ref


def _sum_dtype(d, shapes):
    """MLX's sum/prod accumulate small integers in 32 bits; a 0-d input has
    nothing to reduce and keeps its dtype."""
    if shapes[0] == ():
        return d
    n = dname(d)
    if n == "bool" or n in ("int8", "int16"):
        return mx.int32
    if n in ("uint8", "uint16"):
        return mx.uint32
    return d


def _near_one(rng, shape, npd):
    """Products of many values stay finite when the factors are near 1."""
    if np.issubdtype(npd, np.integer) or npd == np.bool_:
        return rng.integers(0 if np.issubdtype(npd, np.unsignedinteger) else -2, 3,
                            size=shape).astype(npd)
    v = rng.uniform(0.9, 1.1, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return v + 0j if np.issubdtype(npd, np.complexfloating) else v


def _divide_ref(a, b):
    return np.divide(a.astype(np.float64) if a.dtype == np.bool_ else a,
                     b.astype(np.float64) if b.dtype == np.bool_ else b)


# Summing 1031 standard normals: each partial sum rounds to the dtype, so
# half-precision tolerances scale with the sum's size (about 30).
_SUM_TOL = {mx.float16: (1e-2, 0.1), mx.bfloat16: (3e-2, 0.5), mx.float32: (1e-5, 2e-5),
            mx.complex64: (1e-5, 2e-5)}

# MLX 0.32.4 mishandles some reductions of empty arrays: the full product
# of an empty array is uninitialised (0, or garbage for bool) where NumPy and
# cmlx give 1, and `sum(zeros((0,3,1), bool), axis=(0,-1))` right after a
# reduction of shape (0,) hangs.  Those classes are skipped only when the
# table is run against real MLX.
_EMPTY_REDUCE_BUG = ("empty",)

_x23 = lambda: mx.zeros((2, 3))  # noqa: E731

SPECS = [
    OpSpec("add", mx.add, _bool_ref(np.add, np.logical_or), arity=2, dtypes=ALL,
           out_dtype="promote", signed_zero=True, grad=True, vmap=True,
           errors=[ErrorCase("shapes", lambda: mx.add(mx.zeros((2, 3)), mx.zeros((4, 3))))]),
    OpSpec("subtract", mx.subtract, _bool_ref(np.subtract, np.not_equal), arity=2,
           dtypes=ALL, out_dtype="promote", signed_zero=True, grad=True, vmap=True),
    OpSpec("multiply", mx.multiply, _bool_ref(np.multiply, np.logical_and), arity=2,
           dtypes=ALL, out_dtype="promote", signed_zero=True, grad=True, vmap=True),
    OpSpec("divide", mx.divide, _divide_ref, arity=2, dtypes=ALL,
           domain=("any", "nonzero"), out_dtype="float_promote", grad=True, vmap=True),

    OpSpec("sum", mx.sum, np.sum, dtypes=ALL, kind="reduce", out_dtype=_sum_dtype,
           mlx_bugs=_EMPTY_REDUCE_BUG,
           tol=_SUM_TOL, specials=True, grad=True, vmap=True,
           errors=[ErrorCase("axis out of range", lambda: mx.sum(_x23(), axis=2), IndexError),
                   ErrorCase("duplicate axes", lambda: mx.sum(_x23(), axis=(0, 0)))]),
    OpSpec("prod", mx.prod, np.prod, dtypes=ALL, kind="reduce", out_dtype=_sum_dtype,
           domain=_near_one, tol=_SUM_TOL, specials=True, grad=True, vmap=True,
           mlx_bugs=_EMPTY_REDUCE_BUG,
           errors=[ErrorCase("axis out of range", lambda: mx.prod(_x23(), axis=-3),
                             IndexError)]),
    OpSpec("max", mx.max, np.max, mlx_bugs=_EMPTY_REDUCE_BUG,
           dtypes=ALL, kind="reduce", specials=True,
           grad=True, vmap=True,
           errors=[ErrorCase("empty", lambda: mx.max(mx.zeros((0,)))),
                   ErrorCase("axis out of range", lambda: mx.max(_x23(), axis=5), IndexError)]),
    OpSpec("min", mx.min, np.min, mlx_bugs=_EMPTY_REDUCE_BUG,
           dtypes=ALL, kind="reduce", specials=True,
           grad=True, vmap=True,
           errors=[ErrorCase("empty axis", lambda: mx.min(mx.zeros((0, 3)), axis=0))]),
    OpSpec("all", mx.all, np.all, mlx_bugs=_EMPTY_REDUCE_BUG,
           dtypes=ALL, kind="reduce", out_dtype="bool",
           domain="int_small", vmap=True),
    OpSpec("any", mx.any, np.any, mlx_bugs=_EMPTY_REDUCE_BUG,
           dtypes=ALL, kind="reduce", out_dtype="bool",
           domain="int_small", vmap=True),
]


# --- shape ops: their own cases (a shape argument per input shape) ---------

def _reshape_cases():
    c = [((6,), (2, 3), "odd"), ((2, 3), (-1,), "odd"), ((3, 5), (5, 3), "odd"),
         ((2, 3, 4), (4, -1), "odd"), ((), (1, 1), "scalar"), ((1,), (), "scalar"),
         ((0, 3), (3, 0), "empty"), ((0,), (2, 0, 5), "empty"),
         ((3, 4), (2, 6), "views"), ((2, 3, 4), (24,), "views"),
         ((2, 3, 4, 1, 2, 3), (6, 24), "rank"), ((144,), (3, 2, 4, 1, 2, 3), "rank"),
         ((4, 6), (2, 2, 2, 3), "rank")]
    return [Case((s,), {"shape": t}, f"{s}->{t}", cls) for s, t, cls in c]


def _transpose_cases():
    c = [((3, 5), None, "odd"), ((3, 5, 7), (1, 0, 2), "odd"), ((2, 3, 4), (-1, 0, 1), "odd"),
         ((), None, "scalar"), ((), (), "scalar"), ((0, 3), None, "empty"),
         ((2, 0, 4), (2, 0, 1), "empty"), ((3, 5), (1, 0), "views"),
         ((4, 3, 2), (0, 2, 1), "views")]
    for r in range(7):
        s = (3, 2, 4, 1, 2, 3)[:r]
        c.append((s, tuple(reversed(range(r))), "rank"))
    return [Case((s,), {} if a is None else {"axes": a}, f"{s} {a}", cls) for s, a, cls in c]


def _broadcast_to_cases():
    c = [((1,), (5,), "odd"), ((3, 1), (3, 7), "odd"), ((5,), (2, 3, 5), "odd"),
         ((), (3, 2), "scalar"), ((), (), "scalar"), ((1, 0), (4, 0), "empty"),
         ((0,), (3, 0), "empty"), ((3, 1), (2, 3, 4), "views"), ((2, 3), (4, 2, 3), "views"),
         ((1, 2, 1, 1, 2, 3), (3, 2, 4, 1, 2, 3), "rank"), ((), (1, 1, 1, 1, 1, 2), "rank")]
    return [Case((s,), {"shape": t}, f"{s}->{t}", cls) for s, t, cls in c]


SPECS += [
    OpSpec("reshape", mx.reshape, lambda a, shape: np.reshape(a, shape), dtypes=ALL,
           kind="custom", cases=_reshape_cases, grad=True, vmap=True,
           errors=[ErrorCase("size", lambda: mx.reshape(_x23(), (4,))),
                   ErrorCase("two -1", lambda: mx.reshape(_x23(), (-1, -1)))]),
    OpSpec("transpose", mx.transpose, lambda a, axes=None: np.transpose(a, axes), dtypes=ALL,
           kind="custom", cases=_transpose_cases, grad=True, vmap=True,
           errors=[ErrorCase("repeated axes", lambda: mx.transpose(_x23(), (0, 0))),
                   ErrorCase("too few axes", lambda: mx.transpose(_x23(), (0,))),
                   ErrorCase("axis out of range", lambda: mx.transpose(_x23(), (0, 2)),
                             IndexError)]),
    OpSpec("broadcast_to", mx.broadcast_to, lambda a, shape: np.broadcast_to(a, shape),
           dtypes=ALL, kind="custom", cases=_broadcast_to_cases, grad=True, vmap=True,
           errors=[ErrorCase("incompatible", lambda: mx.broadcast_to(_x23(), (4, 3)))]),
]


# --- astype: one row per target dtype, every source dtype ------------------

def _astype_row(t):
    tn = dname(t)

    def ref(a):
        if is_complex(t):
            return a.astype(np.complex128)
        if np.iscomplexobj(a):
            a = a.real  # MLX keeps the real part
        if is_float(t):
            return a.astype(np.float64) if tn != "float16" else a.astype(np.float16)
        return a.astype(NP_EXACT[tn])

    # Values a conversion maps exactly: small non-negative numbers for
    # unsigned targets (negative -> unsigned differs between libraries).
    def domain(rng, shape, npd):
        if np.issubdtype(npd, np.bool_):
            return rng.integers(0, 2, size=shape).astype(np.bool_)
        lo = 0 if (is_unsigned(t) or np.issubdtype(npd, np.unsignedinteger)) else -100
        v = rng.integers(lo, 100, size=shape)
        if np.issubdtype(npd, np.integer):
            return v.astype(npd)
        v = v + rng.uniform(0, 0.9, size=shape) * (v >= 0) - rng.uniform(0, 0.9, size=shape) * (v < 0)
        return v + 0j if np.issubdtype(npd, np.complexfloating) else v

    return OpSpec(f"astype_{tn}", lambda a, _t=t: a.astype(_t), ref, dtypes=ALL,
                  domain=domain, out_dtype=t, specials=is_float(t) or is_complex(t),
                  grad=is_float(t), vmap=True,
                  grad_reason="" if is_float(t) else
                  "the result is not real floating point: no real-valued gradient to check")


SPECS += [_astype_row(t) for t in ALL]


# --- matmul ------------------------------------------------------------------

def _matmul_cases():
    c = [(((3, 4), (4, 5)), "odd"), (((4,), (4, 5)), "odd"), (((3, 4), (4,)), "odd"),
         (((7,), (7,)), "odd"), (((2, 3, 4), (4, 5)), "odd"), (((33, 65), (65, 17)), "odd"),
         (((1, 1), (1, 1)), "scalar"), (((1,), (1,)), "scalar"),
         (((0, 4), (4, 3)), "empty"), (((3, 0), (0, 5)), "empty"), (((2, 0, 3), (3, 4)), "empty"),
         (((2, 1, 3, 4), (5, 4, 2)), "broadcast"), (((3, 4), (2, 4, 5)), "broadcast"),
         (((5, 1, 2, 3), (1, 4, 3, 2)), "broadcast"),
         (((3, 5), (5, 4)), "views"), (((2, 3, 4), (2, 4, 3)), "views"),
         (((2, 1, 2, 1, 3, 4), (4, 2)), "rank"), (((2, 2, 1, 3, 4), (2, 1, 1, 4, 2)), "rank"),
         (((3, 4), (1, 1, 1, 4, 2)), "rank")]
    return [Case(s, {}, f"{s[0]}@{s[1]}", cls) for s, cls in c]


SPECS += [
    OpSpec("matmul", mx.matmul, np.matmul, arity=2, dtypes=INEXACT, rejects=BOOL + INTS,
           kind="custom", cases=_matmul_cases, out_dtype="promote",
           tol={mx.float16: (1e-2, 3e-2), mx.bfloat16: (3e-2, 1e-1), mx.float32: (1e-5, 1e-5),
                mx.complex64: (1e-5, 1e-5)},
           grad=True, vmap=True,
           errors=[ErrorCase("0-d", lambda: mx.matmul(mx.zeros(()), mx.zeros(()))),
                   ErrorCase("inner dims", lambda: mx.matmul(_x23(), mx.zeros((4, 3))))]),
]


