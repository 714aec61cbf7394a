"""Checks shared by test_grad_reduce_sort.py, test_grad_shape.py and
test_grad_indexing.py: vjp against central finite differences (float64),
jvp against vjp (<vjp(u), v> == <u, jvp(v)>), vmap against a Python loop,
and a runner for snippets under real MLX (/opt/mlxref) to compare with."""

import json
import os
import subprocess

import numpy as np

import mlx.core as mx
from mlxref import MLXREF, ref_env  # noqa: E402

HAS_REF = os.path.exists(MLXREF) and not os.environ.get("CMLX_TEST_REFERENCE")


def _outs(r):
    return list(r) if isinstance(r, (list, tuple)) else [r]


def rand(shape, seed=0, lo=-1.0, hi=1.0):
    rng = np.random.default_rng(seed)
    return mx.array(rng.uniform(lo, hi, size=shape), dtype=mx.float64)


def check_vjp_fd(f, args, argnums=None, eps=1e-6, rtol=1e-5, atol=1e-7, seed=1):
    """mx.vjp of f (all outputs, random cotangents) against central
    differences of <cot, f(x)> in float64, for the inputs in argnums."""
    args = list(args)
    argnums = range(len(args)) if argnums is None else argnums
    outs = _outs(f(*args))
    rng = np.random.default_rng(seed)
    # Outputs that are not finite (an exclusive cummax's first element)
    # get a zero cotangent: differences of infinities mean nothing.
    cots = [mx.array(np.where(np.isfinite(np.array(o)), rng.standard_normal(o.shape), 0),
                     dtype=o.dtype) for o in outs]

    def g(*xs):
        full = list(args)
        for k, i in enumerate(argnums):
            full[i] = xs[k]
        return f(*full)

    primals = [args[i] for i in argnums]
    _, vjps = mx.vjp(lambda *xs: _outs(g(*xs)), primals, cots)
    for k, i in enumerate(argnums):
        x = np.array(args[i]).astype(np.float64)
        num = np.zeros(x.shape)
        flat = x.reshape(-1)
        for j in range(flat.size):
            val = []
            for sgn in (1, -1):
                xp = flat.copy()
                xp[j] += sgn * eps
                xs = list(primals)
                xs[k] = mx.array(xp.reshape(x.shape), dtype=args[i].dtype)
                val.append(sum(float(np.sum(np.where(np.array(c) != 0, np.array(o), 0)
                                            .astype(np.float64) * np.array(c)))
                               for o, c in zip(_outs(g(*xs)), cots)))
            num.reshape(-1)[j] = (val[0] - val[1]) / (2 * eps)
        got = np.array(vjps[k])
        assert got.shape == x.shape, (got.shape, x.shape)
        np.testing.assert_allclose(got, num, rtol=rtol, atol=atol, err_msg=f"input {i}")


def check_jvp_vjp(f, args, argnums=None, rtol=1e-6, atol=1e-9, seed=2):
    """<vjp(u), v> == <u, jvp(v)> for random u, v."""
    args = list(args)
    argnums = list(range(len(args))) if argnums is None else list(argnums)

    def g(*xs):
        full = list(args)
        for k, i in enumerate(argnums):
            full[i] = xs[k]
        return _outs(f(*full))

    primals = [args[i] for i in argnums]
    rng = np.random.default_rng(seed)
    outs = g(*primals)
    us = [mx.array(rng.standard_normal(o.shape), dtype=o.dtype) for o in outs]
    vs = [mx.array(rng.standard_normal(p.shape), dtype=p.dtype) for p in primals]
    _, vjps = mx.vjp(g, primals, us)
    _, jvps = mx.jvp(g, primals, vs)
    lhs = sum(float(np.sum(np.array(a) * np.array(b))) for a, b in zip(vjps, vs))
    rhs = sum(float(np.sum(np.array(a) * np.array(b))) for a, b in zip(us, jvps))
    np.testing.assert_allclose(lhs, rhs, rtol=rtol, atol=atol)


def check_vmap(f, args, in_axes, out_axes=0, rtol=1e-6, atol=1e-9):
    """mx.vmap(f) against a loop over the mapped axis and mx.stack."""
    in_axes = list(in_axes) if isinstance(in_axes, (list, tuple)) else [in_axes] * len(args)
    n = [a.shape[ax] for a, ax in zip(args, in_axes) if ax is not None][0]
    got = _outs(mx.vmap(f, in_axes=tuple(in_axes), out_axes=out_axes)(*args))
    per = []
    for b in range(n):
        xs = [a if ax is None else mx.take(a, b, axis=ax) for a, ax in zip(args, in_axes)]
        per.append(_outs(f(*xs)))
    for k, gk in enumerate(got):
        want = mx.stack([p[k] for p in per], axis=out_axes)
        assert gk.shape == want.shape, (gk.shape, want.shape)
        assert gk.dtype == want.dtype, (gk.dtype, want.dtype)
        np.testing.assert_allclose(np.array(gk), np.array(want), rtol=rtol, atol=atol)


def ref(code):
    """Runs `code` under real MLX (0.32, checked, so that a wrong interpreter
    fails loudly); it assigns `out` (nested lists/floats), which comes back
    decoded from JSON."""
    prog = ("import json, math\nimport mlx.core as mx\nassert mx.__version__.startswith('0.32')\n"
            + code + "\nprint(json.dumps(out, allow_nan=True))\n")
    r = subprocess.run([MLXREF, "-c", prog], env=ref_env(), cwd="/tmp", capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def run_both(code):
    """Runs `code` (assigning `out`) here and under real MLX; returns both."""
    env = {"mx": mx, "np": np}
    exec(code, env)
    mine = json.loads(json.dumps(env["out"], allow_nan=True))
    return mine, ref(code)


def assert_same(mine, theirs, rtol=1e-5, atol=1e-6):
    if (isinstance(mine, list) and mine and isinstance(mine[0], list)
            and len({len(m) if isinstance(m, list) else -1 for m in mine}) > 1):
        assert isinstance(theirs, list) and len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            assert_same(m, t, rtol, atol)
        return
    a = np.array(mine, dtype=np.float64)
    b = np.array(theirs, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
