"""Conformance rows of the reduce_sort family: statistics, scans (cumsum,
cumprod, cummax, cummin, logcumsumexp with reverse/inclusive), sort, argsort,
partition, argpartition, topk, argmin, argmax and searchsorted.

prod/max/min/all/any have their rows in specs_foundation.py.  The single-axis
ops use `custom` rows (their axis variants per shape); partition and topk are
checked by property (their order is not unique)."""
import numpy as np

import mlx.core as mx
from opspec import BOOL, FLOATS, ErrorCase, OpSpec


def _float_of(d, shapes):
    """Statistics of integers and bool are float32; floats keep their dtype."""
    return d if d in FLOATS else mx.float32


def _lse(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    r = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return r if keepdims else np.squeeze(r, axis=axis) if axis is not None else r.reshape(())


# int8/int16/uint8/uint16 are left out of `mean` for now: mx.sum of those
# dtypes is miscompiled at -O3 (GCC 12 loop vectorizer, src/backend/cpu/
# reduce.c) for lengths such as 32 and 64; reported to the owner of reduce.c.
_WIDE_INTS = (mx.int32, mx.int64, mx.uint32, mx.uint64)

_HALF = {mx.float16: (2e-2, 2e-2), mx.bfloat16: (5e-2, 5e-2)}

SPECS = [
    OpSpec("mean", mx.mean, np.mean, grad=True, vmap=True, dtypes=BOOL + _WIDE_INTS + FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, views=True, mlx_bugs=("empty",),
           errors=[ErrorCase("axis out of range",
                             lambda: mx.mean(mx.zeros((2, 3)), axis=2), IndexError)]),
    OpSpec("var", mx.var, np.var, grad=True, vmap=True, dtypes=_WIDE_INTS + FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, mlx_bugs=("empty",)),
    OpSpec("std", lambda a, **k: mx.std(a, ddof=1, **k),
           lambda a, **k: np.std(a, ddof=1, **k), grad=True, vmap=True, dtypes=FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, mlx_bugs=("empty",)),
]


# ---------------------------------------------------------------------------
# Scans, sorting and selection, arg-reductions, searchsorted.
#
# These take one axis (or none: the flattened array), so their rows are
# `custom`: every shape class lists its shapes with the axis variants valid
# for them.  Integer scans wrap in the input dtype as MLX's do (NumPy is told
# to accumulate in that dtype); bool sums are int32.  Orders that are not
# unique (partition, topk) are checked by property, not element by element.

from opspec import ALL, COMPLEX, Case, REALS, is_complex, is_float  # noqa: E402

_SCAN_SHAPES = {
    "scalar": [()],
    "empty": [(0,), (2, 0), (0, 3)],
    "odd": [(1,), (7,), (3, 5), (1, 13, 3), (33,), (1031,), (5, 1, 7)],
    "views": [(3, 5), (4, 3, 2)],
    "rank": [(), (3,), (3, 2), (3, 2, 4), (3, 2, 4, 1), (3, 2, 4, 1, 2), (3, 2, 4, 1, 2, 3)],
}


def _axis_cases(with_none=True, need_axis=False):
    """Cases for ops taking `axis`: none (flattened) and each valid axis
    (first, last, a middle one); scalars only without an axis."""
    def cases():
        out = []
        for cls, shapes in _SCAN_SHAPES.items():
            for s in shapes:
                axes = [] if len(s) == 0 else sorted({0, len(s) - 1, len(s) // 2})
                if with_none or (need_axis and len(s) == 0):
                    out.append(Case((s,), {}, f"{s}", cls))
                for ax in axes:
                    kw = {"axis": ax if ax != len(s) - 1 or ax == 0 else -1}
                    out.append(Case((s,), kw, f"{s} axis={kw['axis']}", cls))
        return out
    return cases


def _scan_identity(kind, dtype):
    if kind == "sum":
        return 0
    if kind == "prod":
        return 1
    if kind == "lse":
        return -np.inf
    if dtype == np.bool_:
        return kind == "min"
    if np.issubdtype(dtype, np.complexfloating):  # MLX's complex extremes
        return complex(-np.inf, -np.inf) if kind == "max" else complex(np.inf, np.inf)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return info.min if kind == "max" else info.max
    return -np.inf if kind == "max" else np.inf


def _scan_ref(kind):
    def ref(a, axis=None, reverse=False, inclusive=True):
        if axis is None:
            a = a.reshape(-1)
            axis = 0
        if a.dtype == np.bool_ and kind == "sum":
            a = a.astype(np.int32)
        if a.dtype == np.bool_ and kind == "prod":
            a = a.astype(np.uint8)
        if (np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_) and kind == "lse":
            a = a.astype(np.float64)
        x = np.flip(a, axis) if reverse else a
        if kind == "sum":
            r = np.cumsum(x, axis=axis, dtype=x.dtype)
        elif kind == "prod":
            r = np.cumprod(x, axis=axis, dtype=x.dtype)
        elif kind == "max":
            r = np.maximum.accumulate(x, axis=axis) if x.size else x.copy()
        elif kind == "min":
            r = np.minimum.accumulate(x, axis=axis) if x.size else x.copy()
        else:
            r = np.logaddexp.accumulate(x, axis=axis) if x.size else x.copy()
        if not inclusive and r.shape[axis] > 0:
            first = np.full_like(np.take(r, [0], axis=axis), _scan_identity(kind, a.dtype))
            r = np.concatenate([first, np.delete(r, -1, axis=axis)], axis=axis)
        return np.flip(r, axis) if reverse else r
    return ref


def _lse_complex(a, axis=None, reverse=False, inclusive=True):
    """Complex logcumsumexp: log of the running sum of exp (principal branch)."""
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    x = np.flip(a, axis) if reverse else a
    r = np.log(np.cumsum(np.exp(x), axis=axis))
    if not inclusive and r.shape[axis] > 0:
        first = np.full_like(np.take(r, [0], axis=axis), complex(-np.inf, 0))
        r = np.concatenate([first, np.delete(r, -1, axis=axis)], axis=axis)
    return np.flip(r, axis) if reverse else r


def _lse_ref(a, **kw):
    return _lse_complex(a, **kw) if np.iscomplexobj(a) else _scan_ref("lse")(a, **kw)


def _near_one(rng, shape, npdt):
    """Factors around +-1, so long running products neither overflow nor
    vanish; small integers for the integer dtypes (they wrap as in MLX)."""
    if npdt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(npdt, np.integer):
        lo = 0 if np.issubdtype(npdt, np.unsignedinteger) else -3
        return rng.integers(lo, 4, size=shape)
    v = rng.uniform(0.9, 1.1, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    if np.issubdtype(npdt, np.complexfloating):
        return v * np.exp(1j * rng.uniform(-0.3, 0.3, size=shape))
    return v


def _scan_dtype(kind):
    def out(d):
        if kind == "sum" and d == mx.bool_:
            return mx.int32
        if kind == "lse" and not (is_float(d) or is_complex(d)):
            return mx.float32
        return d
    return out


def _angle_close(g, w, d):
    """Complex logs: real parts close, imaginary parts equal modulo 2 pi."""
    w = np.asarray(w, dtype=np.complex128)
    fin = np.isfinite(w)
    np.testing.assert_allclose(g.real, w.real, rtol=2e-5, atol=1e-4, equal_nan=True)
    np.testing.assert_allclose(np.exp(1j * g.imag[fin]), np.exp(1j * w.imag[fin]),
                               rtol=2e-5, atol=1e-4)


_SCAN_KW = [{}, {"reverse": True}, {"inclusive": False}, {"reverse": True, "inclusive": False}]
# Half floats accumulate in their own precision over up to 1031 terms (a
# random walk of roundings: about 1 absolute for bfloat16 sums near 10).
# Products drift relatively, about sqrt(n) ulps: up to ~10% for bfloat16.
_SCAN_TOL = {mx.float16: (5e-2, 3e-1), mx.bfloat16: (2e-1, 2.0), mx.float32: (2e-5, 2e-5),
             mx.complex64: (1e-5, 1e-5)}
# MLX 0.32.4's cummax/cummin of float16/bfloat16 do not propagate NaN (float32
# and float64 do, as NumPy's maximum.accumulate), and for complex64 a NaN is
# kept or dropped depending on its position; cmlx propagates for all.
_HALF_NAN_BUG = ("special:float16", "special:bfloat16", "special:complex64")
_AXIS_ERR = [ErrorCase("axis out of range", lambda: mx.cumsum(mx.zeros((2, 3)), axis=2),
                       IndexError)]


# MLX 0.32.4 has vjps but no jvps for cumprod/cummax/cummin, and the
# transforms suite checks both under `grad`.
_NO_JVP = "MLX 0.32.4 has no JVP for cumulative prod/min/max (grad runs the jvp check too)"


def _scan_row(name, fn, kind, dtypes, **extra):
    extra.setdefault("grad", True)
    return OpSpec(name, fn, _scan_ref(kind), dtypes=dtypes, kind="custom",
                  cases=_axis_cases(), kwargs=_SCAN_KW, out_dtype=_scan_dtype(kind),
                  tol=_SCAN_TOL, specials=True, vmap=True, **extra)


SPECS += [
    _scan_row("cumsum", mx.cumsum, "sum", ALL, errors=_AXIS_ERR),
    _scan_row("cumprod", mx.cumprod, "prod", ALL, domain=_near_one, grad=False,
              grad_reason=_NO_JVP,
              errors=[ErrorCase("axis out of range",
                                lambda: mx.cumprod(mx.zeros((2, 3)), axis=-3), IndexError)]),
    _scan_row("cummax", mx.cummax, "max", ALL, mlx_bugs=_HALF_NAN_BUG, grad=False,
              grad_reason=_NO_JVP,
              errors=[ErrorCase("axis out of range",
                                lambda: mx.cummax(mx.zeros((2, 3)), axis=-3), IndexError)]),
    _scan_row("cummin", mx.cummin, "min", ALL, mlx_bugs=_HALF_NAN_BUG, grad=False,
              grad_reason=_NO_JVP),
    OpSpec("logcumsumexp", mx.logcumsumexp, _scan_ref("lse"), dtypes=REALS + (mx.bool_,),
           kind="custom", cases=_axis_cases(), kwargs=_SCAN_KW, out_dtype=_scan_dtype("lse"),
           # MLX 0.32.4 computes float64 here to about float32 precision.
           # Half floats stall once the increments drop below half an ulp (MLX's
           # too: bfloat16 sits ~12% low after a thousand terms).
           tol={mx.float16: (3e-2, 5e-2), mx.bfloat16: (2e-1, 2e-1), mx.float32: (1e-5, 1e-5),
                mx.float64: (2e-7, 2e-7)},
           specials=True, vmap=True,
           errors=[ErrorCase("axis out of range",
                             lambda: mx.logcumsumexp(mx.zeros((2, 3)), axis=5), IndexError)]),
    OpSpec("logcumsumexp_complex", mx.logcumsumexp, _lse_ref, dtypes=COMPLEX, kind="custom",
           cases=_axis_cases(), kwargs=_SCAN_KW, domain="small", out_dtype="same",
           compare=_angle_close, vmap=True),
]


# --- sort, argsort, partition, argpartition, topk ---------------------------

def _order_key(v):
    """Sort keys in MLX's order: NaN after everything (then by value), complex
    numbers by real part, then imaginary part."""
    v = np.asarray(v)
    if np.iscomplexobj(v):
        nan = np.isnan(v.real) | np.isnan(v.imag)
        return [nan, np.where(nan, 0, v.real), np.where(nan, 0, v.imag)]
    if v.dtype == np.bool_:
        return [np.zeros(v.shape, bool), v.astype(np.int8)]
    if np.issubdtype(v.dtype, np.floating):
        nan = np.isnan(v)
        return [nan, np.where(nan, 0, v)]
    return [np.zeros(v.shape, bool), v]


def _le(a, b):
    """a <= b elementwise in MLX's sort order (broadcasting)."""
    ka, kb = _order_key(a), _order_key(b)
    res = np.ones(np.broadcast(ka[0], kb[0]).shape, bool)
    undecided = np.ones_like(res)
    for x, y in zip(ka, kb):
        res = np.where(undecided & (x < y), True, res)
        res = np.where(undecided & (x > y), False, res)
        undecided &= (x == y)
    return res


def _distinct(rng, shape, npdt):
    """Float values on a 0.25 grid, all different (exact in float16): finite
    differences never swap two of them.  Integers and bool keep their ties."""
    n = int(np.prod(shape))
    if npdt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(npdt, np.integer):
        lo = 0 if np.issubdtype(npdt, np.unsignedinteger) else -9
        return rng.integers(lo, 10, size=shape)
    v = ((rng.permutation(n) - n // 2) * 0.25).reshape(shape)
    if np.issubdtype(npdt, np.complexfloating):
        return v + 1j * rng.integers(-2, 3, size=shape)
    return v


def _sort_ref(a, axis=-1):
    if a.ndim == 0 and axis is not None:
        raise IndexError("no axis -1 in a 0-d array")
    if axis is None:
        a, axis = a.reshape(-1), 0
    return np.sort(a, axis=axis, kind="stable")


def _argsort_ref(a, axis=-1):
    if a.ndim == 0 and axis is not None:
        raise IndexError("no axis -1 in a 0-d array")
    if axis is None:
        a, axis = a.reshape(-1), 0
    return np.argsort(a, axis=axis, kind="stable")


def _sel_cases():
    """Sorting/selection cases: default axis (-1), axis 0, axis None."""
    out = []
    for cls, shapes in _SCAN_SHAPES.items():
        for s in shapes:
            if len(s):  # a 0-d input has no axis -1 (an error case of the rows)
                out.append(Case((s,), {}, f"{s}", cls))
            if len(s) >= 2:
                out.append(Case((s,), {"axis": 0}, f"{s} axis=0", cls))
            if len(s) != 1:
                out.append(Case((s,), {"axis": None}, f"{s} axis=None", cls))
    return out


def _kth(n, frac):
    return int(round(frac * (n - 1))) if n > 0 else 0


def _part_mx(arg):
    fn = mx.argpartition if arg else mx.partition

    def call(a, axis=-1, frac=0.5):
        n = a.size if axis is None else (a.shape[axis] if a.ndim else 0)
        return fn(a, _kth(n, frac), axis=axis)
    return call


def _part_ref(arg):
    """The partition's checking data, moved so the axis is last: the input,
    the sorted line and kth (compared by _part_check)."""
    def ref(a, axis=-1, frac=0.5):
        if axis is None:
            a, axis = a.reshape(-1), 0
        if a.ndim == 0:
            raise ValueError("partition needs an axis")
        n = a.shape[axis]
        kth = _kth(n, frac)
        if n == 0:
            raise ValueError("no kth in an empty axis")  # MLX: invalid kth
        return {"a": np.moveaxis(a, axis, -1), "axis": axis % a.ndim, "kth": kth, "arg": arg}
    return ref


def _part_check(g, w, d):
    """got is a partition: the kth element is the sorted one, nothing before
    it is greater, nothing after it smaller, and the line is a permutation of
    the input (for argpartition: the indices are)."""
    w = w.item() if isinstance(w, np.ndarray) and w.dtype == object else w
    a, axis, kth = w["a"], w["axis"], w["kth"]
    g = np.moveaxis(g, axis, -1)
    if g.shape != a.shape:
        raise AssertionError(f"shape {g.shape} != {a.shape}")
    if w["arg"]:
        if not np.array_equal(np.sort(g, axis=-1), np.broadcast_to(np.arange(a.shape[-1]), g.shape)):
            raise AssertionError("argpartition indices are not a permutation")
        g = np.take_along_axis(a, g.astype(np.int64), axis=-1)
    s = np.sort(a, axis=-1, kind="stable")
    pk, sk = g[..., kth:kth + 1], s[..., kth:kth + 1]
    if not (_le(pk, sk) & _le(sk, pk)).all():
        raise AssertionError(f"element {kth} is not the sorted one")
    if not _le(g[..., :kth], pk).all() or not _le(pk, g[..., kth + 1:]).all():
        raise AssertionError("not partitioned around kth")
    gs = np.sort(g, axis=-1, kind="stable")
    if not (_le(gs, s) & _le(s, gs)).all():
        raise AssertionError("not a permutation of the input")


def _topk_mx(a, axis=-1, frac=0.5):
    n = a.size if axis is None else (a.shape[axis] if a.ndim else 0)
    k = _kth(n, frac) if n else 0
    r = mx.topk(a, k, axis=axis)
    return r if axis is None else mx.moveaxis(r, axis, -1)


def _topk_ref(a, axis=-1, frac=0.5):
    if axis is None:
        a, axis = a.reshape(-1), 0
    if a.ndim == 0:
        raise ValueError("topk needs an axis")
    n = a.shape[axis]
    k = _kth(n, frac) if n else 0
    s = np.sort(np.moveaxis(a, axis, -1), axis=-1, kind="stable")
    return s[..., n - k:]


def _topk_check(g, w, d):
    """The k largest, in any order: compare both sorted."""
    gs = np.sort(g, axis=-1, kind="stable")
    if gs.shape != w.shape:
        raise AssertionError(f"shape {gs.shape} != {w.shape}")
    if not (_le(gs, w) & _le(w, gs)).all():
        raise AssertionError(f"got {gs.ravel()[:6]} want {w.ravel()[:6]}")


_FRACS = [{"frac": 0.0}, {"frac": 0.5}, {"frac": 1.0}, {"frac": 0.3}]
_SORT_ERRS = [
    ErrorCase("axis out of range", lambda: mx.sort(mx.zeros((2, 3)), axis=2), IndexError),
    ErrorCase("0-d input", lambda: mx.sort(mx.array(1.0)), IndexError),
]

SPECS += [
    OpSpec("sort", mx.sort, _sort_ref, dtypes=ALL, domain=_distinct, kind="custom", cases=_sel_cases,
           specials=True, errors=_SORT_ERRS, grad=True, vmap=True),
    OpSpec("argsort", mx.argsort, _argsort_ref, dtypes=ALL, domain=_distinct, kind="custom", cases=_sel_cases,
           out_dtype=mx.uint32, specials=True, vmap=True,
           errors=[ErrorCase("axis out of range",
                             lambda: mx.argsort(mx.zeros((2, 3)), axis=-3), IndexError)]),
    OpSpec("partition", _part_mx(False), _part_ref(False), dtypes=ALL, domain=_distinct, kind="custom",
           cases=_sel_cases, kwargs=_FRACS, compare=_part_check, specials=True, grad=True,
           vmap=True,
           errors=[ErrorCase("kth out of range", lambda: mx.partition(mx.zeros((2, 3)), 3)),
                   ErrorCase("negative kth out of range",
                             lambda: mx.partition(mx.zeros((2, 3)), -4)),
                   ErrorCase("0-d input", lambda: mx.partition(mx.array(1.0), 0), IndexError)]),
    OpSpec("argpartition", _part_mx(True), _part_ref(True), dtypes=ALL, domain=_distinct, kind="custom",
           cases=_sel_cases, kwargs=_FRACS, compare=_part_check, out_dtype=mx.uint32,
           specials=True, vmap=True,
           errors=[ErrorCase("axis out of range",
                             lambda: mx.argpartition(mx.zeros((2, 3)), 0, axis=2), IndexError)]),
    OpSpec("topk", _topk_mx, _topk_ref, dtypes=ALL, domain=_distinct, kind="custom", cases=_sel_cases,
           kwargs=_FRACS, compare=_topk_check, specials=True, grad=True, vmap=True,
           errors=[ErrorCase("k too large", lambda: mx.topk(mx.zeros((2, 3)), 4)),
                   ErrorCase("negative k", lambda: mx.topk(mx.zeros((2, 3)), -1)),
                   ErrorCase("axis out of range", lambda: mx.topk(mx.zeros((2, 3)), 1, axis=2),
                             IndexError)]),
]


# --- argmin / argmax, searchsorted -------------------------------------------

def _arg_cases():
    out = []
    for cls, shapes in _SCAN_SHAPES.items():
        for s in shapes:
            out.append(Case((s,), {}, f"{s}", cls))
            if len(s):  # MLX 0.32.4 fails on keepdims of a 0-d array (std::vector error)
                out.append(Case((s,), {"keepdims": True}, f"{s} keepdims", cls))
            for ax in sorted({0, len(s) - 1}) if len(s) else []:
                out.append(Case((s,), {"axis": ax}, f"{s} axis={ax}", cls))
                out.append(Case((s,), {"axis": -1 if ax else 0, "keepdims": True},
                                f"{s} axis={ax} keepdims", cls))
    return out


def _argref(np_fn):
    def ref(a, axis=None, keepdims=False):
        if a.size == 0:  # MLX refuses any empty input, whatever the axis length
            raise ValueError("empty")
        if axis is None:
            r = np.asarray(np_fn(a.reshape(-1)))
            return r.reshape((1,) * a.ndim) if keepdims else r
        return np_fn(a, axis=axis, keepdims=keepdims)
    return ref


def _search_values(rng, shape, npdt):
    """Values with repeats (ties exercise side=) and, for floats, NaN/inf."""
    if npdt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    v = rng.integers(-4, 5, size=shape).astype(np.float64)
    if np.issubdtype(npdt, np.unsignedinteger):
        v = np.abs(v)
    if np.issubdtype(npdt, np.integer):
        return v.astype(npdt)
    v = v * 0.5
    flat = v.reshape(-1)
    if flat.size >= 3 and not np.issubdtype(npdt, np.complexfloating):
        flat[rng.integers(0, flat.size, 2)] = [np.nan, np.inf]
    if np.issubdtype(npdt, np.complexfloating):
        return v + 1j * rng.integers(-1, 2, size=shape)
    return v


def _search_cases():
    out = []
    for cls, pairs in {"scalar": [((5,), ())], "empty": [((0,), (3,)), ((4,), (0,)), ((4,), (2, 0))],
                       "odd": [((7,), (7,)), ((1,), (3,)), ((33,), (5, 3)), ((1031,), (13,))],
                       "views": [((6,), (3, 5))],
                       "rank": [((9,), s) for s in [(), (3,), (3, 2), (3, 2, 4), (3, 2, 4, 1),
                                                     (3, 2, 4, 1, 2), (3, 2, 1, 1, 2, 3)]]}.items():
        for a, v in pairs:
            out.append(Case((a, v), {}, f"{a} {v}", cls))
    return out


def _search_mx(a, v, side="left"):
    return mx.searchsorted(mx.sort(a), v, side=side)


def _search_ref(a, v, side="left"):
    if np.iscomplexobj(a):
        return np.searchsorted(np.sort(a), v, side=side)
    return np.searchsorted(np.sort(a, kind="stable"), v, side=side)


SPECS += [
    OpSpec("argmax", mx.argmax, _argref(np.argmax), dtypes=ALL, kind="custom", cases=_arg_cases,
           out_dtype=mx.uint32, specials=True, vmap=True,
           errors=[ErrorCase("axis out of range", lambda: mx.argmax(mx.zeros((2, 3)), axis=2),
                             IndexError),
                   ErrorCase("empty", lambda: mx.argmax(mx.zeros((0, 3)), axis=0))]),
    OpSpec("argmin", mx.argmin, _argref(np.argmin), dtypes=ALL, kind="custom", cases=_arg_cases,
           out_dtype=mx.uint32, specials=True, vmap=True,
           errors=[ErrorCase("empty", lambda: mx.argmin(mx.zeros((0,))))]),
    OpSpec("searchsorted", _search_mx, _search_ref, arity=2, dtypes=ALL, kind="custom",
           cases=_search_cases, kwargs=[{}, {"side": "right"}], domain=_search_values,
           out_dtype=mx.uint32, views=False,
           errors=[ErrorCase("2-D sequence",
                             lambda: mx.searchsorted(mx.zeros((2, 3)), mx.array([1.0]))),
                   ErrorCase("0-d sequence",
                             lambda: mx.searchsorted(mx.array(1.0), mx.array([1.0])))]),
]
