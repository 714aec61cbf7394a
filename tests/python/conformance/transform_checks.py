"""Transform checks generated from the op-conformance table: for every OpSpec
row, the gradient (mx.vjp against central finite differences, and mx.jvp
against mx.vjp), mx.vmap (against a Python loop and mx.stack) and mx.compile
(against the op uncompiled).  test_transforms_conformance.py turns these into
pytest cases; like opspec.py nothing here imports pytest, so the same checks
run under real MLX (`/opt/mlxref/bin/python transform_checks.py [regex]`),
which is how a row's flags are checked against MLX's behaviour.

Why finite differences over a scalar: the check differentiates
g(x) = <u, f(x)> for a random cotangent u.  vjp(u) is exactly dg/dx, so
comparing it coordinate by coordinate with (g(x + eps e_i) - g(x - eps e_i))
/ 2 eps checks the whole vjp rule.  Large inputs check a sample of
coordinates plus a few random directions (which touch every coordinate), so
a case costs a few dozen forward calls at most.

A check that fails because a primitive has no rule raises MissingRule (the
library says "[Prim] VJP/JVP/vmap is not implemented."), which the pytest
runner reports as an expected failure naming the rule, so the engineers
writing rules can read the gaps off the test report."""

import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opspec  # noqa: E402
from opspec import Skip, dname, is_complex, is_float, is_int  # noqa: E402

import mlx.core as mx  # noqa: E402

FULL = opspec.FULL
# Cases per shape class in one CI run (CONFORMANCE_FULL=1 runs every case).
GRAD_PER_CLASS = 2
VMAP_PER_CLASS = 2
COMPILE_PER_CLASS = 2
# Coordinates checked one by one per input; above this, a sample of them.
FD_COORDS = 24
FD_DIRECTIONS = 2
BATCH = 3


class MissingRule(Exception):
    """A primitive reached by the op has no vjp/jvp/vmap rule."""

    def __init__(self, kind, prim, message):
        super().__init__(f"missing {kind} rule for primitive {prim} "
                         f"(src/transforms/rules_<family>.c): {message}")
        self.kind, self.prim = kind, prim


_MISSING = re.compile(r"\[(\w+)\] (VJP|JVP|vmap) is not implemented")


def _reraise_missing(e):
    m = _MISSING.search(str(e))
    if m:
        raise MissingRule(m.group(2), m.group(1), str(e)) from e
    raise e


# ---------------------------------------------------------------------------
# flags

def flag_problems(spec):
    """Declaration errors of a row's transform flags (empty when fine): a row
    that turns a default-True flag off must give a reason."""
    out = []
    if spec.grad is False and spec.default_grad() and not spec.grad_reason:
        out.append(f"{spec.name}: grad=False on a floating elementwise row needs grad_reason")
    if spec.vmap is False and spec.default_vmap() and not spec.vmap_reason:
        out.append(f"{spec.name}: vmap=False on an elementwise row needs vmap_reason")
    return out


def skip_reason(spec, kind):
    reason = spec.grad_reason if kind == "grad" else spec.vmap_reason
    if reason:
        return f"{spec.name}: {kind}=False: {reason}"
    return f"{spec.name}: {kind} not declared for this row (set {kind}=True or {kind}_reason)"


# ---------------------------------------------------------------------------
# helpers

def _classes(spec, wanted):
    """Sampled (Case, layout, cls) of the shape classes in `wanted`, `per`
    cases each, skipping empty inputs (nothing to differentiate)."""
    out = []
    for cls, per in wanted:
        pairs = opspec.expand(spec, cls)
        pairs = [(c, lay) for c, lay in pairs if all(0 not in tuple(s) for s in c.shapes)]
        if not FULL:
            pairs = pairs[:per]
        out += [(c, lay, cls) for c, lay in pairs]
    return out


def _outs(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def _grad_dtype(spec):
    """float64 where the row accepts it (the CPU has it); else float32 with
    a larger step and tolerance (a few rows, such as nan_to_num, refuse
    float64 in MLX)."""
    ds = opspec.dtypes_here(spec.dtypes)
    if any(dname(d) == "float64" for d in ds):
        return mx.float64
    if any(dname(d) == "float32" for d in ds):
        return mx.float32
    raise Skip(f"{spec.name}: no float32/float64 dtype to differentiate in")


def _grad_domain(spec, i):
    """Inputs kept off the edge of the domain so x +- eps stays inside it."""
    dom = opspec._domain_for(spec, i)
    return "positive" if dom == "nonneg" else dom


def _exact(values, d):
    """An mx array of dtype d holding float64 `values` (rounded once, into
    d: mx.array of a float64 NumPy array alone would give float32)."""
    return opspec._make_base(np.asarray(values, dtype=np.float64), d)


def _random_like(rng, a):
    """Standard normal values shaped and typed like `a`; zeros for integer
    and bool arrays."""
    if is_float(a.dtype):
        return _exact(rng.standard_normal(a.shape), a.dtype)
    return mx.zeros(a.shape, a.dtype)


def _make_inputs(spec, case, layout, d, seed_parts, domain_fn=None):
    rng = np.random.default_rng(opspec._seed(*seed_parts))
    dom = domain_fn or (lambda i: opspec._domain_for(spec, i))
    return [opspec.make_input(rng, s, dom(i), d, layout) for i, s in enumerate(case.shapes)]


def _label(spec, what, cls, case, layout, d):
    return f"{spec.name}[{dname(d)}] {what} {cls} {case.label} {layout}"


# ---------------------------------------------------------------------------
# gradient: vjp against finite differences, jvp against vjp

_PRECISION = {"float64": 3, "float32": 2, "float16": 1, "bfloat16": 0}


def _coarsest(d, outs):
    """The least precise of the input dtype and the float outputs' dtypes:
    finite differences can resolve no more than it (astype to float16)."""
    for o in outs:
        if is_float(o.dtype) and _PRECISION[dname(o.dtype)] < _PRECISION[dname(d)]:
            d = o.dtype
    return d


def _fd_settings(d, spec):
    """(eps, rtol, atol) for central differences in dtype d.  Under real MLX
    a float64 row with a loose tolerance in the table is only
    float32-accurate there, and needs a larger step; cmlx computes float64
    in double, so it gets the tight check."""
    if dname(d) == "float64":
        if opspec.REFERENCE and spec.tolerance(mx.float64)[0] > 1e-9:
            return 1e-3, 5e-3, 1e-4
        return 1e-6, 1e-5, 1e-7
    if dname(d) == "float32":
        return 1e-3, 2e-2, 2e-3
    return 1e-1, 1e-1, 1e-1


def check_grad(spec):
    """mx.vjp against central differences of <u, f(x)> on sampled cases of
    the odd, broadcast and views classes (and the row's own classes for
    custom rows).  Returns the number of cases checked."""
    fn = opspec._callable(spec)
    d = _grad_dtype(spec)
    wanted = [("odd", GRAD_PER_CLASS), ("broadcast", GRAD_PER_CLASS), ("views", GRAD_PER_CLASS)]
    if spec.kind == "custom":
        wanted += [("scalar", 1), ("rank", 1)]
    cases = _classes(spec, wanted)
    if not cases:
        raise Skip(f"{spec.name}: no non-empty case to differentiate")
    failures = []
    for case, layout, cls in cases:
        label = _label(spec, "grad", cls, case, layout, d)
        try:
            _grad_case(spec, fn, d, case, layout, cls, label)
        except AssertionError as e:
            failures.append(str(e))
    if failures:
        raise AssertionError(f"{len(failures)} of {len(cases)} grad cases failed:\n" +
                             "\n".join(failures[:6]))
    return len(cases)


def _grad_case(spec, fn, d, case, layout, cls, label):
    kw = case.kwargs
    xs = _make_inputs(spec, case, layout, d, (spec.name, "grad", cls, case.label, layout),
                      lambda i: _grad_domain(spec, i))
    f = lambda *a: fn(*a, **kw)  # noqa: E731
    outs = _outs(f(*xs))
    mx.eval(*outs)
    eps, rtol, atol = _fd_settings(_coarsest(d, outs), spec)
    rng = np.random.default_rng(opspec._seed(spec.name, "cot", case.label))
    cots = [_random_like(rng, o) for o in outs]
    # The values the cotangents hold in their dtype (zero for integer and
    # bool outputs, which carry no gradient).
    cot_np = [opspec.to_numpy(c) if is_float(c.dtype) else np.zeros(c.shape) for c in cots]
    try:
        _, grads = mx.vjp(f, xs, cots)
        mx.eval(*grads)
    except (ValueError, RuntimeError) as e:
        _reraise_missing(e)
    x_np = [opspec.to_numpy(x) for x in xs]
    # The step scales with the inputs' magnitude: the output dtype must be
    # able to resolve it (astype rows feed values up to 100 into bfloat16).
    eps *= max([1.0] + [float(np.max(np.abs(x))) for x in x_np if x.size])

    def g(vals):
        r = _outs(f(*[_exact(v, d) for v in vals]))
        total = 0.0
        for o, u in zip(r, cot_np):
            if is_float(o.dtype):
                total += float(np.sum(opspec.to_numpy(o) * u))
        return total

    def central(direction_per_input):
        plus = [x + eps * v for x, v in zip(x_np, direction_per_input)]
        minus = [x - eps * v for x, v in zip(x_np, direction_per_input)]
        return (g(plus) - g(minus)) / (2 * eps)

    g0 = g(x_np)
    jumps = 0
    for i, (x, gr) in enumerate(zip(x_np, grads)):
        if tuple(gr.shape) != tuple(x.shape):
            raise AssertionError(f"{label}: gradient of input {i} has shape {gr.shape}, "
                                 f"input {x.shape}")
        gv = opspec.to_numpy(gr)
        n = x.size
        idx = np.arange(n)
        if n > FD_COORDS and not FULL:
            idx = np.sort(rng.choice(n, FD_COORDS, replace=False))
        for flat in idx:
            dirs = [np.zeros_like(v) for v in x_np]
            dirs[i].flat[flat] = 1.0
            fd = central(dirs)
            got = float(gv.flat[flat])
            if np.isclose(got, fd, rtol=rtol, atol=atol * max(1.0, abs(fd)), equal_nan=True):
                continue
            # A step or kink within eps on one side (floor, round, maximum
            # near a tie): the derivative is the one-sided difference on the
            # other side.
            plus = [xx + eps * v for xx, v in zip(x_np, dirs)]
            minus = [xx - eps * v for xx, v in zip(x_np, dirs)]
            sides = ((g(plus) - g0) / eps, (g0 - g(minus)) / eps)
            if any(np.isclose(got, sd, rtol=rtol, atol=atol * max(1.0, abs(sd)), equal_nan=True) for sd in sides):
                jumps += 1
                continue
            raise AssertionError(f"{label}: d/dx{i} at element {int(flat)}: vjp {got!r}, "
                                 f"finite differences {fd!r} (eps {eps}; one-sided "
                                 f"{sides[0]!r}, {sides[1]!r})")
    if jumps:
        return  # directions through a step would cross it too
    # Random directions through every coordinate at once.
    for _ in range(FD_DIRECTIONS):
        dirs = [rng.standard_normal(x.shape) for x in x_np]
        fd = central(dirs)
        got = sum(float(np.sum(opspec.to_numpy(gr) * v)) for gr, v in zip(grads, dirs))
        if not np.isclose(got, fd, rtol=rtol, atol=atol * max(1.0, abs(fd)), equal_nan=True):
            raise AssertionError(f"{label}: directional derivative: vjp {got!r}, "
                                 f"finite differences {fd!r}")


def check_jvp(spec):
    """<u, jvp(v)> == <vjp(u), v> for random u and v (the Jacobian-vector
    product is the transpose of the vector-Jacobian product)."""
    fn = opspec._callable(spec)
    d = _grad_dtype(spec)
    wanted = [("odd", GRAD_PER_CLASS), ("broadcast", 1), ("views", 1)]
    if spec.kind == "custom":
        wanted += [("scalar", 1)]
    cases = _classes(spec, wanted)
    if not cases:
        raise Skip(f"{spec.name}: no non-empty case to differentiate")
    failures = []
    for case, layout, cls in cases:
        label = _label(spec, "jvp", cls, case, layout, d)
        kw = case.kwargs
        f = lambda *a, _kw=kw: fn(*a, **_kw)  # noqa: E731
        xs = _make_inputs(spec, case, layout, d, (spec.name, "jvp", cls, case.label, layout),
                          lambda i: _grad_domain(spec, i))
        outs = _outs(f(*xs))
        rng = np.random.default_rng(opspec._seed(spec.name, "jvp", case.label))
        float_out = [is_float(o.dtype) for o in outs]
        cots = [_random_like(rng, o) for o in outs]
        tangents = [_random_like(rng, x) for x in xs]
        us = [opspec.to_numpy(c) if fo else np.zeros(c.shape) for c, fo in zip(cots, float_out)]
        vs = [opspec.to_numpy(t) for t in tangents]
        try:
            _, grads = mx.vjp(f, xs, cots)
            _, tans = mx.jvp(f, xs, tangents)
            mx.eval(*grads, *tans)
        except (ValueError, RuntimeError) as e:
            _reraise_missing(e)
        left = sum(float(np.sum(u * opspec.to_numpy(t)))
                   for u, t, fo in zip(us, tans, float_out) if fo)
        right = sum(float(np.sum(opspec.to_numpy(gr) * v)) for gr, v in zip(grads, vs))
        tol = {"float64": 1e-8, "float32": 1e-4}.get(dname(_coarsest(d, outs)), 2e-2)
        if not np.isclose(left, right, rtol=tol, atol=tol * max(1.0, abs(right)), equal_nan=True):
            failures.append(f"{label}: <u, jvp(v)> = {left!r} but <vjp(u), v> = {right!r}")
    if failures:
        raise AssertionError(f"{len(failures)} of {len(cases)} jvp cases failed:\n" +
                             "\n".join(failures[:6]))
    return len(cases)


# ---------------------------------------------------------------------------
# vmap: against a loop over the batch and mx.stack

def _vmap_dtype(spec):
    ds = opspec.dtypes_here(spec.dtypes)
    for want in ("float32", "float64"):
        for d in ds:
            if dname(d) == want:
                return d
    if not ds:
        raise Skip(f"{spec.name}: no dtype")
    return ds[0]


def _insert(shape, ax, n):
    s = list(shape)
    s.insert(ax, n)
    return tuple(s)


def _assert_same(spec, got, want, label, bitwise):
    if tuple(got.shape) != tuple(want.shape):
        raise AssertionError(f"{label}: shape {tuple(got.shape)}, expected {tuple(want.shape)}")
    if got.dtype != want.dtype:
        raise AssertionError(f"{label}: dtype {dname(got.dtype)}, expected {dname(want.dtype)}")
    g, w = opspec.to_numpy(got), opspec.to_numpy(want)
    if bitwise or not (is_float(got.dtype) or is_complex(got.dtype)):
        same = np.array_equal(g, w, equal_nan=bool(is_float(got.dtype) or is_complex(got.dtype)))
        if same and is_float(got.dtype):
            z = (w == 0)
            same = np.array_equal(np.signbit(g[z]), np.signbit(w[z]))
        if not same:
            diff = np.nonzero(~((g == w) | (np.isnan(g) & np.isnan(w)) if g.dtype.kind in "fc"
                                else (g == w)))
            first = tuple(int(i[0]) for i in diff) if diff and diff[0].size else ()
            raise AssertionError(f"{label}: not bitwise equal (first difference at {first}: "
                                 f"{g[first] if first else g.ravel()[:4]!r} vs "
                                 f"{w[first] if first else w.ravel()[:4]!r})")
        return
    rtol, atol = spec.tolerance(got.dtype)
    rtol, atol = max(rtol, 1e-6), max(atol, 1e-6)
    np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True, err_msg=label)


def check_vmap(spec):
    """mx.vmap over axis 0, over the last axis, and with the second input
    unbatched (in_axes None), against the op applied to each batch element
    and stacked.  Views cases batch a transposed or sliced array."""
    fn = opspec._callable(spec)
    d = _vmap_dtype(spec)
    wanted = [("odd", VMAP_PER_CLASS), ("broadcast", VMAP_PER_CLASS), ("views", VMAP_PER_CLASS),
              ("scalar", 1), ("rank", 1)]
    cases = _classes(spec, wanted)
    if not cases:
        raise Skip(f"{spec.name}: no case to batch")
    failures, ran = [], 0
    for case, layout, cls in cases:
        shapes = [tuple(s) for s in case.shapes]
        variants = [("axis 0", [0] * len(shapes))]
        if any(len(s) >= 1 for s in shapes):
            variants.append(("last axis", [len(s) for s in shapes]))
        if len(shapes) >= 2:
            variants.append(("input 1 unbatched", [0] + [None] * (len(shapes) - 1)))
        for vname, axes in variants:
            label = _label(spec, f"vmap {vname}", cls, case, layout, d)
            try:
                _vmap_case(spec, fn, d, case, layout, shapes, axes, label, cls)
                ran += 1
            except AssertionError as e:
                failures.append(str(e))
    if failures:
        raise AssertionError(f"{len(failures)} vmap cases failed:\n" + "\n".join(failures[:6]))
    return ran


def _vmap_case(spec, fn, d, case, layout, shapes, axes, label, cls):
    kw = case.kwargs
    rng = np.random.default_rng(opspec._seed(spec.name, "vmap", cls, case.label, layout, str(axes)))
    xs = []
    for i, (s, ax) in enumerate(zip(shapes, axes)):
        full = s if ax is None else _insert(s, ax, BATCH)
        xs.append(opspec.make_input(rng, full, opspec._domain_for(spec, i), d, layout))
    f = lambda *a: fn(*a, **kw)  # noqa: E731
    in_axes = tuple(axes)
    try:
        got = _outs(mx.vmap(f, in_axes=in_axes if len(in_axes) > 1 else in_axes[0])(*xs))
        mx.eval(*got)
    except (ValueError, RuntimeError, IndexError) as e:
        # The loop below tells a wrong error from a missing rule.
        try:
            _reraise_missing(e)
        except MissingRule:
            raise
        except Exception:  # noqa: BLE001
            raise AssertionError(f"{label}: vmap raised {type(e).__name__}: {e}")
    per = []
    for b in range(BATCH):
        args = [x if ax is None else mx.take(x, b, axis=ax) for x, ax in zip(xs, axes)]
        per.append(_outs(f(*args)))
    if len(got) != len(per[0]):
        raise AssertionError(f"{label}: {len(got)} outputs, the loop gives {len(per[0])}")
    for k in range(len(got)):
        want = mx.stack([p[k] for p in per], axis=0)
        _assert_same(spec, got[k], want, f"{label} output {k}", bitwise=False)


# ---------------------------------------------------------------------------
# compile: against the op uncompiled

def _compile_dtypes(spec):
    ds = opspec.dtypes_here(spec.dtypes)
    if FULL:
        return list(ds)
    picked = []
    for want in ("float32", "int32", "float16", "bool"):
        for dd in ds:
            if dname(dd) == want and dd not in picked:
                picked.append(dd)
                break
        if len(picked) == 2:
            break
    return picked or list(ds[:1])


def _compare_or_both_raise(spec, got_fn, want_fn, label, bitwise):
    try:
        want = _outs(want_fn())
        mx.eval(*want)
    except Exception as e:  # noqa: BLE001 - the compiled call must refuse as well
        try:
            mx.eval(*_outs(got_fn()))
        except type(e):
            return
        except Exception as e2:  # noqa: BLE001
            raise AssertionError(f"{label}: compiled raised {type(e2).__name__}, "
                                 f"uncompiled {type(e).__name__}")
        raise AssertionError(f"{label}: compiled call succeeded, uncompiled raised "
                             f"{type(e).__name__}: {e}")
    got = _outs(got_fn())
    mx.eval(*got)
    if len(got) != len(want):
        raise AssertionError(f"{label}: {len(got)} outputs, uncompiled {len(want)}")
    for k, (g, w) in enumerate(zip(got, want)):
        _assert_same(spec, g, w, f"{label} output {k}", bitwise)


def check_compile(spec):
    """mx.compile(op) against the op for sampled cases of every class and
    two dtypes; elementwise rows must agree bitwise (the fused kernel runs
    the primitives' own inner loops)."""
    fn = opspec._callable(spec)
    bitwise = spec.kind == "elementwise"
    failures, ran = [], 0
    for d in _compile_dtypes(spec):
        wanted = [(c, COMPILE_PER_CLASS) for c in ("scalar", "empty", "odd", "broadcast",
                                                   "views", "rank")]
        cases = []
        for cls, per in wanted:
            pairs = opspec.expand(spec, cls)
            cases += [(c, lay, cls) for c, lay in (pairs if FULL else pairs[:per])]
        for case, layout, cls in cases:
            label = _label(spec, "compile", cls, case, layout, d)
            kw = case.kwargs
            f = lambda *a, _kw=kw: fn(*a, **_kw)  # noqa: E731
            try:
                xs = _make_inputs(spec, case, layout, d,
                                  (spec.name, "compile", dname(d), cls, case.label, layout))
            except Skip:
                continue
            cf = mx.compile(f)
            try:
                _compare_or_both_raise(spec, lambda: cf(*xs), lambda: f(*xs), label, bitwise)
                # A second call replays the cached trace.
                _compare_or_both_raise(spec, lambda: cf(*xs), lambda: f(*xs), label + " (cached)",
                                       bitwise)
                ran += 1
            except AssertionError as e:
                failures.append(str(e))
            except Exception as e:  # noqa: BLE001
                failures.append(f"{label}: {type(e).__name__}: {e}")
    if failures:
        raise AssertionError(f"{len(failures)} compile cases failed:\n" + "\n".join(failures[:6]))
    if not ran:
        raise Skip(f"{spec.name}: no compile case could run")
    return ran


SHAPELESS_SHAPES = [[(7,), (33,)], [(3, 5), (5, 3)], [(1, 13, 3), (2, 4, 1)]]


def check_compile_shapeless(spec):
    """Elementwise rows: one mx.compile(shapeless=True) function called on
    two shapes of one rank (no retrace), each result bitwise the op's."""
    fn = opspec._callable(spec)
    if spec.kind != "elementwise":
        raise Skip(f"{spec.name}: shapeless compile is checked for elementwise rows")
    ran = 0
    failures = []
    # Float dtypes only: MLX's own shapeless trace of isnan & co. on
    # integers is a constant of the first shape and fails on the second.
    floats = [d for d in _compile_dtypes(spec) if is_float(d)]
    for d in floats:
        for k, pair in enumerate(SHAPELESS_SHAPES):
            if not FULL and k == 2:
                break
            cf = mx.compile(lambda *a: fn(*a), shapeless=True)
            for s in pair:
                case = opspec.Case(tuple([s] * spec.arity), {}, str(s))
                label = _label(spec, "compile shapeless", "odd", case, "contig", d)
                try:
                    xs = _make_inputs(spec, case, "contig", d, (spec.name, "shapeless", dname(d), s))
                except Skip:
                    continue
                try:
                    _compare_or_both_raise(spec, lambda: cf(*xs), lambda: fn(*xs), label, True)
                    ran += 1
                except AssertionError as e:
                    failures.append(str(e))
                except Exception as e:  # noqa: BLE001
                    failures.append(f"{label}: {type(e).__name__}: {e}")
    if failures:
        raise AssertionError(f"{len(failures)} shapeless cases failed:\n" + "\n".join(failures[:6]))
    if not ran:
        raise Skip(f"{spec.name}: no shapeless case could run")
    return ran


# ---------------------------------------------------------------------------
# collection (shared with the pytest runner)

def all_checks(specs):
    """(test id, kind, spec, thunk) for every row: flags, grad, jvp, vmap,
    compile, compile_shapeless.  grad/jvp/vmap thunks of rows without the
    flag raise Skip with the row's reason."""
    out = []

    def gated(kind, flag, check):
        def run(s):
            if not flag(s):
                raise Skip(skip_reason(s, kind))
            return check(s)
        return run

    kinds = [("grad", gated("grad", lambda s: s.wants_grad(), check_grad)),
             ("jvp", gated("grad", lambda s: s.wants_grad(), check_jvp)),
             ("vmap", gated("vmap", lambda s: s.wants_vmap(), check_vmap)),
             ("compile", check_compile),
             ("compile_shapeless", check_compile_shapeless)]
    for spec in specs:
        for kind, run in kinds:
            if kind == "compile_shapeless" and spec.kind != "elementwise":
                continue
            out.append((f"{spec.name}-{kind}", kind, spec, lambda s=spec, r=run: r(s)))
    return out


def audit_flags(specs):
    """Under real MLX: rows whose grad/vmap flag is off although MLX
    differentiates (or vmaps) the op on the row's first case.  Prints one
    line per finding; the flags must then be set, or a reason given."""
    found = []
    for spec in specs:
        if spec.mx is None:
            continue
        cases = _classes(spec, [("odd", 1), ("views", 1), ("scalar", 1)])
        if not cases:
            continue
        case, layout, cls = cases[0]
        for kind, on, reason in (("grad", spec.wants_grad(), spec.grad_reason),
                                 ("vmap", spec.wants_vmap(), spec.vmap_reason)):
            if on or reason:
                continue
            try:
                d = _grad_dtype(spec) if kind == "grad" else _vmap_dtype(spec)
                xs = _make_inputs(spec, case, layout, d, (spec.name, "audit"))
                f = lambda *a: spec.mx(*a, **case.kwargs)  # noqa: E731
                outs = _outs(f(*xs))
                if kind == "grad":
                    if not any(is_float(o.dtype) for o in outs):
                        continue
                    _, g = mx.vjp(f, xs, [mx.ones_like(o) for o in outs])
                    mx.eval(*g)
                    if not any(np.any(opspec.to_numpy(x) != 0) for x in g):
                        continue  # zero gradient everywhere: nothing to check
                else:
                    r = mx.vmap(f)(*[mx.stack([x, x]) for x in xs])
                    mx.eval(*_outs(r))
            except Exception:  # noqa: BLE001 - MLX refuses: the flag is right
                continue
            found.append(f"{spec.name}: MLX supports {kind}; set {kind}=True "
                         f"(or {kind}_reason)")
    return found


def main(argv):
    """Runs the checks without pytest (e.g. under real MLX):
    transform_checks.py [--audit] [name-regex]."""
    audit = "--audit" in argv
    argv = [a for a in argv if a != "--audit"]
    pat = re.compile(argv[0]) if argv else None
    specs = [s for s in opspec.load_specs() if not pat or pat.search(s.name)]
    if audit:
        for line in audit_flags(specs):
            print(line)
        return 0
    bad = 0
    for tid, kind, spec, thunk in all_checks(specs):
        try:
            thunk()
            print("ok     ", tid)
        except Skip as e:
            print("skip   ", tid, "-", e)
        except MissingRule as e:
            print("missing", tid, "-", e)
        except Exception as e:  # noqa: BLE001
            bad += 1
            print("FAIL   ", tid, "-", str(e).splitlines()[0], "|",
                  " / ".join(str(e).splitlines()[1:3]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
