"""Checks shared by test_grad_unary.py and test_grad_binary.py.

* vjp against central finite differences of <cot, f(x)> in float64;
* jvp against vjp: <vjp(u), v> == <u, jvp(v)>;
* vmap against a Python loop over the mapped axis and mx.stack;
* a runner for snippets under real MLX (/opt/mlxref) so that results at
  special points can be compared with MLX's own."""

import itertools
import json
import os
import subprocess
import textwrap

import numpy as np

import mlx.core as mx
from mlxref import MLXREF, ref_env  # noqa: E402

HAS_REF = os.path.exists(MLXREF) and not os.environ.get("CMLX_TEST_REFERENCE")


def f64(x):
    return mx.array(np.asarray(x, dtype=np.float64), dtype=mx.float64)


def rand(shape, seed=0, lo=-1.0, hi=1.0):
    rng = np.random.default_rng(seed)
    return rng.uniform(lo, hi, size=shape)


def fd_vjp(f, xs, cot, i, eps=1e-6):
    """d<cot, f(xs)>/d xs[i] by central differences (xs: float64 numpy)."""
    c = np.asarray(cot)
    base = [x.copy() for x in xs]
    g = np.zeros_like(base[i])
    for idx in np.ndindex(base[i].shape):
        vals = []
        for s in (1.0, -1.0):
            args = [x.copy() for x in base]
            args[i][idx] += s * eps
            y = np.array(f(*[f64(a) for a in args]))
            vals.append(np.sum(c * y))
        g[idx] = (vals[0] - vals[1]) / (2 * eps)
    return g


def check_vjp_fd(f, xs, argnums=None, rtol=1e-5, atol=1e-6, seed=7):
    """mx.vjp of the one-output f against finite differences."""
    xs = [np.asarray(x, dtype=np.float64) for x in xs]
    argnums = range(len(xs)) if argnums is None else argnums
    y = f(*[f64(x) for x in xs])
    cot = rand(y.shape, seed)
    _, g = mx.vjp(lambda *a: f(*a), [f64(x) for x in xs], [f64(cot)])
    for i in argnums:
        assert g[i].dtype == mx.float64
        want = fd_vjp(f, xs, cot, i)
        np.testing.assert_allclose(np.array(g[i]), want, rtol=rtol, atol=atol)


def check_jvp_vjp(f, xs, rtol=1e-6, atol=1e-9, seed=11):
    """<vjp(u), v> == <u, jvp(v)> for random u, v (float64)."""
    xs = [f64(x) for x in xs]
    y = f(*xs)
    u = f64(rand(y.shape, seed))
    vs = [f64(rand(x.shape, seed + 1 + k)) for k, x in enumerate(xs)]
    _, g = mx.vjp(f, xs, [u])
    _, t = mx.jvp(f, xs, vs)
    lhs = sum(float(np.sum(np.array(gi) * np.array(vi))) for gi, vi in zip(g, vs))
    rhs = float(np.sum(np.array(u) * np.array(t[0])))
    np.testing.assert_allclose(lhs, rhs, rtol=rtol, atol=atol)


def loop_vmap(f, xs, in_axes):
    """What vmap(f, in_axes) must give (out_axes 0): f per slice, stacked."""
    n = next(x.shape[a] for x, a in zip(xs, in_axes) if a is not None)
    outs = []
    for k in range(n):
        args = [x if a is None else mx.take(x, k, axis=a) for x, a in zip(xs, in_axes)]
        outs.append(f(*args))
    if isinstance(outs[0], (list, tuple)):
        return [mx.stack([o[j] for o in outs]) for j in range(len(outs[0]))]
    return mx.stack(outs)


def check_vmap(f, xs, in_axes, rtol=1e-6, atol=1e-7):
    got = mx.vmap(f, in_axes=tuple(in_axes))(*xs)
    want = loop_vmap(f, xs, in_axes)
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    want = want if isinstance(want, list) else [want]
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(np.array(g), np.array(w), rtol=rtol, atol=atol, equal_nan=True)


def batched_inputs(shapes, axes, seed=3, lo=-1.0, hi=1.0):
    """Inputs for vmap: shape s with the batch (size 3) inserted at axis a
    (None: unbatched)."""
    out = []
    for k, (s, a) in enumerate(zip(shapes, axes)):
        s = list(s)
        if a is not None:
            s.insert(a, 3)
        out.append(mx.array(rand(tuple(s), seed + k, lo, hi).astype(np.float32)))
    return out


def axes_mixes(n):
    """in_axes combinations over n inputs (0, 1, None; at least one mapped)."""
    return [c for c in itertools.product((0, 1, None), repeat=n) if any(a is not None for a in c)]


def run_ref(code):
    """Runs code under real MLX; it must print one JSON document."""
    r = subprocess.run([MLXREF, "-c", textwrap.dedent(code)], env=ref_env(), cwd="/tmp", capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def as_json(a):
    """An array's values as JSON-able nested lists (complex as [re, im])."""
    v = np.array(a)
    if np.iscomplexobj(v):
        return [np.real(v).tolist(), np.imag(v).tolist()]
    return v.astype(np.float64).tolist()


REF_PRELUDE = """
import json, math
import numpy as np
import mlx.core as mx
inf, nan = float('inf'), float('nan')
def as_json(a):
    v = np.array(a)
    if np.iscomplexobj(v):
        return [np.real(v).tolist(), np.imag(v).tolist()]
    return v.astype(np.float64).tolist()
"""


def same_values(got, want, rtol=2e-6, atol=1e-7):
    """Compares as_json outputs: NaN matches NaN, infinities exactly."""
    g = np.array(got, dtype=np.float64)
    w = np.array(want, dtype=np.float64)
    assert g.shape == w.shape, (g.shape, w.shape)
    np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
