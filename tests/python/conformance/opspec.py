"""The op-conformance table format and the machinery that turns one row into
checked cases.  See README.md in this folder for how a family adds rows.

Nothing here imports pytest, so run.py can execute the same cases under any
Python that has mlx and NumPy (in particular real MLX, to check that a row
states MLX's behaviour and not ours).  A case that cannot run in the current
build (a function or a view not implemented yet) raises Skip."""

import dataclasses
import hashlib
import inspect
import os
import random
from typing import Any, Callable, Optional

import numpy as np

import mlx.core as mx


class Skip(Exception):
    """The case cannot run here (missing function, float64 on the GPU...)."""


# ---------------------------------------------------------------------------
# dtypes

def _dt(name):
    return getattr(mx, name, None)


BOOL = (mx.bool_,)
UINTS = (mx.uint8, mx.uint16, mx.uint32, mx.uint64)
SINTS = (mx.int8, mx.int16, mx.int32, mx.int64)
INTS = UINTS + SINTS
FLOATS = (mx.float16, mx.bfloat16, mx.float32, mx.float64)
REALS = INTS + FLOATS
COMPLEX = (mx.complex64,)
INEXACT = FLOATS + COMPLEX
NUMERIC = REALS + COMPLEX
ALL = BOOL + NUMERIC


def dname(d):
    """'float32' for mx.float32."""
    return str(d).split(".")[-1]


# NumPy dtype holding a value of each mx dtype exactly (bfloat16 has no NumPy
# type; its values are exact in float32).
NP_EXACT = {
    "bool": np.bool_, "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32,
    "uint64": np.uint64, "int8": np.int8, "int16": np.int16, "int32": np.int32,
    "int64": np.int64, "float16": np.float16, "bfloat16": np.float32,
    "float32": np.float32, "float64": np.float64, "complex64": np.complex64,
}
# Largest finite value of each float dtype: a float64 reference beyond it is
# inf in the op's dtype.
FMAX = {"float16": 65504.0, "bfloat16": 3.3895313892515355e38,
        "float32": float(np.finfo(np.float32).max), "float64": float(np.finfo(np.float64).max),
        "complex64": float(np.finfo(np.float32).max)}


def is_float(d):
    return dname(d) in ("float16", "bfloat16", "float32", "float64")


def is_complex(d):
    return dname(d) == "complex64"


def is_int(d):
    return dname(d) in ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")


def is_unsigned(d):
    return dname(d).startswith("uint")


# MLX 0.32.4's binary promotion table (read off real MLX with a + b for every
# pair).  Rows and columns follow _ORDER.
_ORDER = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
          "float16", "bfloat16", "float32", "float64", "complex64"]
_PROMOTE_ROWS = """
bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64
uint8 uint8 uint16 uint32 uint64 int16 int16 int32 int64 float16 bfloat16 float32 float64 complex64
uint16 uint16 uint16 uint32 uint64 int32 int32 int32 int64 float16 bfloat16 float32 float64 complex64
uint32 uint32 uint32 uint32 uint64 int64 int64 int64 int64 float16 bfloat16 float32 float64 complex64
uint64 uint64 uint64 uint64 uint64 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64
int8 int16 int32 int64 float32 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64
int16 int16 int32 int64 float32 int16 int16 int32 int64 float16 bfloat16 float32 float64 complex64
int32 int32 int32 int64 float32 int32 int32 int32 int64 float16 bfloat16 float32 float64 complex64
int64 int64 int64 int64 float32 int64 int64 int64 int64 float16 bfloat16 float32 float64 complex64
float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float32 float32 float64 complex64
bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 float32 bfloat16 float32 float64 complex64
float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float64 complex64
float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 complex64
complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64
"""
PROMOTE = {}
for _a, _row in zip(_ORDER, _PROMOTE_ROWS.split("\n")[1:]):
    for _b, _r in zip(_ORDER, _row.split()):
        PROMOTE[(_a, _b)] = _r


def promote(*dtypes):
    """MLX's result dtype for arrays of these dtypes (no weak scalars)."""
    r = dname(dtypes[0])
    for d in dtypes[1:]:
        r = PROMOTE[(r, dname(d))]
    return getattr(mx, r if r != "bool" else "bool_")


def float_promote(d):
    """Unary math ops: integers and bool compute in float32; floats keep theirs."""
    return d if (is_float(d) or is_complex(d)) else mx.float32


# ---------------------------------------------------------------------------
# tolerances: (rtol, atol) per result dtype.  The reference is float64, so the
# tolerance is the op's own rounding (a few ulps of the dtype); integers and
# bool are exact.

TOL = {
    "float16": (2e-3, 2e-3),
    "bfloat16": (1.6e-2, 1.6e-2),
    "float32": (2e-6, 1e-6),
    "float64": (1e-12, 1e-13),
    "complex64": (2e-6, 1e-6),
}


# ---------------------------------------------------------------------------
# the table row

@dataclasses.dataclass
class Case:
    """Input shapes (one per array input), keyword arguments, and a label."""
    shapes: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    label: str = ""
    cls: str = "odd"


@dataclasses.dataclass
class ErrorCase:
    """A call that must raise `error` (evaluated, so lazy errors count)."""
    label: str
    fn: Callable[[], Any]
    error: Any = ValueError


@dataclasses.dataclass
class OpSpec:
    name: str
    mx: Optional[Callable]
    ref: Callable
    arity: int = 1
    dtypes: tuple = FLOATS
    rejects: tuple = ()
    error: Any = ValueError
    errors: list = dataclasses.field(default_factory=list)
    domain: Any = "any"
    out_dtype: Any = "same"
    kind: str = "elementwise"
    cases: Optional[Callable[[], list]] = None
    kwargs: list = dataclasses.field(default_factory=lambda: [{}])
    tol: dict = dataclasses.field(default_factory=dict)
    specials: Optional[bool] = None
    signed_zero: bool = False
    views: bool = True
    max_rank: int = 6
    # None means the default: True for elementwise rows (grad: only when a
    # real float dtype is accepted and the result is not bool).  A row that
    # turns a default-True flag off must say why in grad_reason/vmap_reason
    # (transform_checks.py enforces it and reports the reason as the skip).
    grad: Optional[bool] = None
    vmap: Optional[bool] = None
    grad_reason: str = ""
    vmap_reason: str = ""
    compare: Optional[Callable] = None
    mlx_bugs: tuple = ()

    def tolerance(self, d):
        key = dname(d)
        for k, v in self.tol.items():
            if dname(k) == key:
                return v
        return TOL.get(key, (0.0, 0.0))

    def expected_dtype(self, in_dtypes, shapes=None):
        o = self.out_dtype
        if o is None:
            return None
        if o == "same":
            return in_dtypes[0]
        if o == "promote":
            return promote(*in_dtypes)
        if o == "float_promote":
            return float_promote(promote(*in_dtypes))
        if o == "bool":
            return mx.bool_
        if callable(o) and not isinstance(o, mx.Dtype):
            try:
                takes_shapes = "shapes" in inspect.signature(o).parameters
            except (TypeError, ValueError):
                takes_shapes = False
            return o(*in_dtypes, shapes=shapes) if takes_shapes else o(*in_dtypes)
        return o

    def default_grad(self):
        return (self.kind == "elementwise" and self.out_dtype != "bool"
                and any(is_float(d) for d in self.dtypes))

    def default_vmap(self):
        return self.kind == "elementwise"

    def wants_grad(self):
        return self.default_grad() if self.grad is None else bool(self.grad)

    def wants_vmap(self):
        return self.default_vmap() if self.vmap is None else bool(self.vmap)

    def wants_specials(self):
        if self.specials is not None:
            return self.specials
        return self.kind == "elementwise"


# ---------------------------------------------------------------------------
# input values

def _values(rng, shape, domain, d):
    """float64 (or complex128, integer, bool) NumPy values for one input."""
    name = dname(d)
    if callable(domain):
        return np.asarray(domain(rng, shape, NP_EXACT[name]))
    if name == "bool":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if is_int(d):
        lo, hi = (0, 10) if is_unsigned(d) else (-9, 10)
        if domain in ("positive", "nonzero", "ge1"):
            lo = max(lo, 1)
        if domain == "nonneg":
            lo = 0
        if domain == "int_small":
            lo, hi = 0, 5
        v = rng.integers(lo, hi, size=shape)
        if domain == "nonzero" and not is_unsigned(d):
            v = v * rng.choice([-1, 1], size=shape)
        return v.astype(NP_EXACT[name])

    def real():
        if domain == "positive":
            return rng.uniform(0.1, 4.0, size=shape)
        if domain == "nonneg":
            return np.abs(rng.standard_normal(shape))
        if domain == "unit":
            return rng.uniform(-0.9, 0.9, size=shape)
        if domain == "ge1":
            return rng.uniform(1.1, 4.0, size=shape)
        if domain == "nonzero":
            return rng.uniform(0.5, 3.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        if domain == "small":
            return rng.uniform(-3.0, 3.0, size=shape)
        if domain == "int_small":
            return rng.integers(0, 5, size=shape).astype(np.float64)
        return rng.standard_normal(shape)

    if is_complex(d):
        return real() + 1j * real()
    return real()


def to_numpy(a):
    """An mx array as exact NumPy values (float64 for half floats)."""
    name = dname(a.dtype)
    v = a.tolist()
    if name in ("float16", "bfloat16", "float32", "float64"):
        out = np.array(v, dtype=np.float64)
    elif name == "complex64":
        out = np.array(v, dtype=np.complex128)
    else:
        out = np.array(v, dtype=NP_EXACT[name])
    return out.reshape(a.shape)


def ref_input(a):
    """The reference's view of an input: float64/complex128 for inexact
    dtypes, the native NumPy dtype for integers and bool."""
    return to_numpy(a)


def _make_base(values, d):
    try:
        return mx.array(values.astype(NP_EXACT[dname(d)]) if not is_complex(d) else values.astype(np.complex64), dtype=d) \
            if dname(d) != "bfloat16" else mx.array(values.astype(np.float32)).astype(d)
    except (TypeError, ValueError) as e:
        raise Skip(f"cannot build {dname(d)} input: {e}")


def make_input(rng, shape, domain, d, layout):
    """An mx array of `shape` and dtype `d` laid out as `layout`:
    'contig', 'transposed' (a transpose of a contiguous array), or 'sliced'
    (every second element of a larger array, offset by one)."""
    shape = tuple(shape)
    if layout == "transposed" and len(shape) >= 2:
        base = _make_base(_values(rng, shape[::-1], domain, d), d)
        return mx.transpose(base)
    if layout == "sliced" and len(shape) >= 1:
        big = tuple(2 * n + 1 for n in shape)
        base = _make_base(_values(rng, big, domain, d), d)
        idx = tuple(slice(1, None, 2) for _ in shape)
        try:
            return base[idx]
        except TypeError:
            pass
        strided = getattr(mx, "as_strided", None)
        if strided is None:
            raise Skip("strided views need __getitem__ or as_strided")
        strides, acc = [], 1
        for n in reversed(big):
            strides.append(2 * acc)
            acc *= n
        return strided(base, shape, tuple(reversed(strides)), offset=sum(
            s // 2 for s in strides))
    return _make_base(_values(rng, shape, domain, d), d)


# ---------------------------------------------------------------------------
# shape classes

ODD = [(1,), (7,), (3, 5), (1, 13, 3), (33,), (1031,), (5, 1, 7)]
EMPTY = [(0,), (2, 0), (0, 3, 1)]
BROADCAST = [((3, 1, 5), (4, 5)), ((1,), (2, 3)), ((), (4, 3)), ((2, 1), (1, 3)),
             ((4, 1, 3), (1, 5, 1)), ((0, 1), (1, 3))]
VIEW_SHAPES = [(3, 5), (4, 3, 2), (2, 3, 1, 4)]


def rank_shape(r):
    """A small shape of rank r with mixed extents (sizes stay under ~300)."""
    pattern = [3, 2, 4, 1, 2, 3]
    return tuple(pattern[:r])


def _same(shape, arity):
    return tuple(tuple(shape) for _ in range(arity))


def _reduce_kwargs(rank):
    """axis/keepdims variants that are valid for this rank."""
    out = [{}]
    if rank >= 1:
        out += [{"axis": 0}, {"axis": -1, "keepdims": True}]
    if rank >= 2:
        out += [{"axis": (0, -1)}]
    if rank >= 3:
        out += [{"axis": 1}]
    return out


def shape_cases(spec, cls):
    """Case list for one shape class of a spec (before sampling)."""
    a = spec.arity
    if spec.kind == "custom":
        return [Case(c.shapes, dict(c.kwargs), c.label or str(c.shapes), cls)
                for c in spec.cases() if c.cls == cls]
    if cls == "scalar":
        shapes = [()]
    elif cls == "empty":
        shapes = EMPTY
    elif cls == "odd":
        shapes = ODD
    elif cls == "rank":
        shapes = [rank_shape(r) for r in range(spec.max_rank + 1)]
    elif cls == "views":
        shapes = VIEW_SHAPES
    elif cls == "broadcast":
        if a < 2:
            return []
        out = []
        for s0, s1 in BROADCAST:
            extra = [s1] * (a - 2)
            out.append(Case((s0, s1, *extra), {}, f"{s0}x{s1}"))
            out.append(Case((s1, s0, *extra), {}, f"{s1}x{s0}"))
        return out
    else:
        return []
    out = []
    for s in shapes:
        if spec.kind == "reduce":
            for kw in _reduce_kwargs(len(s)):
                out.append(Case(_same(s, a), kw, f"{s} {kw}"))
        else:
            out.append(Case(_same(s, a), {}, str(s)))
    return out


CLASSES = ["scalar", "empty", "odd", "broadcast", "views", "rank"]
# How many cases of each class one CI run takes (CONFORMANCE_FULL=1: all).
SAMPLE = {"scalar": 2, "empty": 2, "odd": 4, "broadcast": 4, "views": 4, "rank": 7}
FULL = bool(os.environ.get("CONFORMANCE_FULL"))
# CONFORMANCE_TRACE=1 prints each case before running it (to find a hang).
TRACE = bool(os.environ.get("CONFORMANCE_TRACE"))


def _seed(*parts):
    h = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(h[:8], "little")


def _sample(items, k, seed):
    if FULL or len(items) <= k:
        return list(items)
    r = random.Random(seed)
    return sorted(r.sample(list(items), k), key=items.index)


def expand(spec, cls):
    """(Case, layout) pairs one test of this class runs, deterministically sampled."""
    base = shape_cases(spec, cls)
    kw_variants = spec.kwargs or [{}]
    cases = [Case(c.shapes, {**c.kwargs, **kw}, c.label + (f" {kw}" if kw else ""))
             for c in base for kw in kw_variants]
    if cls == "views":
        if not spec.views:
            return []
        layouts = ["transposed", "sliced"]
        pairs = [(c, lay) for c in cases for lay in layouts]
    else:
        pairs = [(c, "contig") for c in cases]
    return _sample(pairs, SAMPLE.get(cls, 4) * (2 if cls == "views" else 1),
                   _seed(spec.name, cls))


# ---------------------------------------------------------------------------
# checking

def _domain_for(spec, i):
    dom = spec.domain
    if isinstance(dom, tuple):
        return dom[i] if i < len(dom) else "any"
    return dom


def _callable(spec):
    if spec.mx is None:
        raise Skip(f"{spec.name}: not implemented")
    return spec.mx


def _evaluate(out):
    if isinstance(out, (tuple, list)):
        mx.eval(*out)
    else:
        mx.eval(out)
    return out


def _ref_cast(want, d):
    """The float64 reference rounded into the result dtype's range: values
    beyond the largest finite number are inf there."""
    name = dname(d)
    if name not in FMAX:
        return want
    if np.iscomplexobj(want):
        return _complex_cast(want, d)
    if np.issubdtype(want.dtype, np.floating):
        with np.errstate(over="ignore", invalid="ignore"):
            big = np.abs(want) > FMAX[name] * (1 + 2 ** -10)
            want = np.where(big, np.sign(want) * np.inf, want)
    return want


def _complex_cast(want, d):
    """Complex overflow per part, keeping NaN parts NaN (adding 1j*nan would
    spread NaN into the real part)."""
    out = np.empty(want.shape, dtype=np.complex128)
    out.real = _ref_cast(want.real, d)
    out.imag = _ref_cast(want.imag, d)
    return out


def compare(spec, got, want, label):
    """Assert an mx result equals the reference within the dtype's tolerance."""
    g = to_numpy(got)
    w = np.asarray(want)
    if spec.compare is not None:
        spec.compare(g, w, got.dtype)
        return
    if tuple(g.shape) != tuple(w.shape):
        raise AssertionError(f"{label}: shape {g.shape} != reference {w.shape}")
    rtol, atol = spec.tolerance(got.dtype)
    if is_float(got.dtype) or is_complex(got.dtype):
        w = _ref_cast(w.astype(np.complex128 if is_complex(got.dtype) else np.float64)
                      if w.dtype != np.bool_ else w.astype(np.float64), got.dtype)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True,
                                   err_msg=f"{label}")
    else:
        w_cast = w.astype(g.dtype) if w.dtype != g.dtype else w
        if not np.array_equal(g, w_cast):
            raise AssertionError(f"{label}: got {g.ravel()[:8]} want {w_cast.ravel()[:8]}")


def run_case(spec, d, cls, case, layout):
    """Build inputs, call the op, check dtype and values against NumPy."""
    fn = _callable(spec)
    seed = _seed(spec.name, dname(d), cls, case.label, layout)
    rng = np.random.default_rng(seed)
    dts = (d,) * spec.arity
    ins = [make_input(rng, s, _domain_for(spec, i), dts[i], layout)
           for i, s in enumerate(case.shapes)]
    refs = [ref_input(a) for a in ins]
    label = f"{spec.name}[{dname(d)}] {cls} {case.label} {layout}"
    if TRACE:
        print("case", label, flush=True)
    try:
        with np.errstate(all="ignore"):
            want = spec.ref(*refs, **case.kwargs)
    except (ValueError, IndexError, TypeError) as e:
        # NumPy refuses (e.g. max of an empty array): MLX must refuse too.
        try:
            _evaluate(fn(*ins, **case.kwargs))
        except (ValueError, IndexError, RuntimeError):
            return
        raise AssertionError(f"{label}: no error, NumPy refuses ({e})")
    out = _evaluate(fn(*ins, **case.kwargs))
    outs = out if isinstance(out, (tuple, list)) else (out,)
    wants = want if isinstance(want, (tuple, list)) else (want,)
    if len(outs) != len(wants):
        raise AssertionError(f"{label}: {len(outs)} outputs, reference has {len(wants)}")
    exp = spec.expected_dtype(dts, [tuple(a.shape) for a in ins])
    for o, w in zip(outs, wants):
        if exp is not None and o.dtype != exp:
            raise AssertionError(f"{label}: dtype {dname(o.dtype)}, MLX gives {dname(exp)}")
        compare(spec, o, w, label)


SPECIAL_VALUES = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-30, 3e38, -3e38]


def run_specials(spec, d):
    """NaN, infinities, signed zeros and extremes through the op."""
    fn = _callable(spec)
    if _mlx_bug(spec, "special", d):
        raise Skip(f"{spec.name} special values: known MLX bug, cmlx follows NumPy")
    vals = np.array(SPECIAL_VALUES)
    if dname(d) == "float16":
        vals = np.where(np.abs(vals) > 6e4, np.sign(vals) * 6e4, vals)
        vals = np.where((np.abs(vals) < 1e-7) & (vals != 0), 1e-4, vals)
    grids = np.meshgrid(*([vals] * spec.arity), indexing="ij") if spec.arity > 1 else [vals]
    ins = []
    for g in grids:
        flat = g.ravel()
        if is_complex(d):
            flat = flat + 0j
        ins.append(_make_base(flat, d))
    refs = [ref_input(a) for a in ins]
    out = _evaluate(fn(*ins))
    with np.errstate(all="ignore"):
        want = spec.ref(*refs)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    wants = want if isinstance(want, (tuple, list)) else (want,)
    for o, w in zip(outs, wants):
        label = f"{spec.name}[{dname(d)}] special values"
        compare(spec, o, w, label)
        if spec.signed_zero and (is_float(o.dtype)):
            g, w64 = to_numpy(o), np.asarray(w, dtype=np.float64)
            zero = (w64 == 0)
            if not np.array_equal(np.signbit(g[zero]), np.signbit(w64[zero])):
                raise AssertionError(f"{label}: sign of zero differs")


def run_reject(spec, d):
    """The op refuses this dtype with MLX's exception type."""
    fn = _callable(spec)
    rng = np.random.default_rng(0)
    shapes = shape_cases(spec, "odd")
    shape_set = shapes[0].shapes if shapes else ((3,),) * spec.arity
    kwargs = shapes[0].kwargs if shapes else {}
    ins = [make_input(rng, s, "any", d, "contig") for s in shape_set]
    try:
        _evaluate(fn(*ins, **kwargs))
    except spec.error:
        return
    except Exception as e:  # noqa: BLE001 - reported as a mismatch
        raise AssertionError(f"{spec.name}[{dname(d)}]: raised {type(e).__name__}, "
                             f"MLX raises {spec.error.__name__}: {e}")
    raise AssertionError(f"{spec.name}[{dname(d)}]: accepted a dtype MLX rejects")


def run_error(spec, ec):
    _callable(spec)
    try:
        r = ec.fn()
        if r is not None:
            _evaluate(r)
    except ec.error:
        return
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f"{spec.name} {ec.label}: raised {type(e).__name__}, "
                             f"MLX raises {ec.error.__name__}: {e}")
    raise AssertionError(f"{spec.name} {ec.label}: no error, MLX raises {ec.error.__name__}")


# ---------------------------------------------------------------------------
# collection

def load_specs():
    """Every SPECS row from specs_*.py next to this file, in file order."""
    import importlib
    import pathlib
    import sys
    here = pathlib.Path(__file__).resolve().parent
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    # CONFORMANCE_SPECS=unary,binary loads only specs_unary.py and specs_binary.py.
    only = [f for f in os.environ.get("CONFORMANCE_SPECS", "").split(",") if f]
    specs = []
    for p in sorted(here.glob("specs_*.py")):
        if only and p.stem[len("specs_"):] not in only:
            continue
        mod = importlib.import_module(p.stem)
        specs.extend(getattr(mod, "SPECS", []))
    return specs


def on_gpu():
    try:
        return mx.default_device() == mx.gpu
    except Exception:  # noqa: BLE001
        return False


def dtypes_here(dtypes):
    """MLX has no float64 on the GPU: drop it there."""
    if on_gpu():
        return tuple(d for d in dtypes if dname(d) != "float64")
    return tuple(dtypes)


# True when the mlx under test is Apple's (run.py under /opt/mlxref, or
# CMLX_TEST_REFERENCE=1): rows' `mlx_bugs` classes are skipped there.
REFERENCE = bool(os.environ.get("CMLX_TEST_REFERENCE")) or "mlxref" in (
    getattr(mx, "__file__", "") or "")


def _mlx_bug(spec, cls, d):
    """`mlx_bugs` names a shape class, or a class of one dtype ("special:float16")."""
    return REFERENCE and (cls in spec.mlx_bugs or f"{cls}:{dname(d)}" in spec.mlx_bugs)


def run_group(spec, d, cls, pairs):
    """Every sampled case of one class; all failures reported together."""
    if _mlx_bug(spec, cls, d):
        raise Skip(f"{spec.name} {cls}: known MLX bug, cmlx follows NumPy")
    failures, ran, skipped = [], 0, ""
    for case, layout in pairs:
        try:
            run_case(spec, d, cls, case, layout)
            ran += 1
        except Skip as e:
            skipped = str(e)
        except AssertionError as e:
            failures.append(str(e))
        except Exception as e:  # noqa: BLE001 - an unexpected exception is a failure
            failures.append(f"{spec.name}[{dname(d)}] {cls} {case.label} {layout}: "
                            f"{type(e).__name__}: {e}")
    if failures:
        raise AssertionError(f"{len(failures)} of {len(pairs)} cases failed:\n" +
                             "\n".join(failures[:10]))
    if not ran:
        raise Skip(skipped)


def all_tests(specs):
    """(test id, thunk) for every op x dtype x shape class, the special-value,
    reject and error checks: what both runners use."""
    out = []
    for spec in specs:
        for d in dtypes_here(spec.dtypes):
            for cls in CLASSES:
                pairs = expand(spec, cls)
                if pairs:
                    out.append((f"{spec.name}-{dname(d)}-{cls}",
                                lambda s=spec, dd=d, c=cls, p=pairs: run_group(s, dd, c, p)))
            if spec.wants_specials() and (is_float(d) or is_complex(d)):
                out.append((f"{spec.name}-{dname(d)}-special",
                            lambda s=spec, dd=d: run_specials(s, dd)))
        for d in dtypes_here(spec.rejects):
            out.append((f"{spec.name}-{dname(d)}-reject", lambda s=spec, dd=d: run_reject(s, dd)))
        for ec in spec.errors:
            out.append((f"{spec.name}-error-{ec.label}", lambda s=spec, e=ec: run_error(s, e)))
    return out


__all__ = ["OpSpec", "Case", "ErrorCase", "Skip", "BOOL", "UINTS", "SINTS", "INTS", "FLOATS",
           "REALS", "COMPLEX", "INEXACT", "NUMERIC", "ALL", "TOL", "promote", "float_promote",
           "dname", "is_float", "is_int", "is_complex", "is_unsigned", "load_specs", "all_tests"]
