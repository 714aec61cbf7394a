"""Transforms (vjp, jvp, vmap) of the binary family (comparisons, logical,
maximum/minimum, power, remainder, divmod, logaddexp, arctan2, bitwise,
where) and the functions built on it (clip, floor_divide, logical_xor, ...):
float64 finite differences, jvp/vjp consistency, vmap against a loop, and
ties, zeros, infinities, integer and complex inputs against real MLX."""

import contextlib
import io
import json

import numpy as np
import pytest

import mlx.core as mx
from _grad_ew import (HAS_REF, REF_PRELUDE, as_json, axes_mixes, batched_inputs, check_jvp_vjp,
                      check_vjp_fd, check_vmap, rand, run_ref, same_values)

# name, f(a, b), range of a, range of b
SMOOTH = [
    ("maximum", mx.maximum, (-1, 1), (-1, 1)),
    ("minimum", mx.minimum, (-1, 1), (-1, 1)),
    ("power", mx.power, (0.3, 2), (-2, 2)),
    ("remainder", mx.remainder, (-3, 3), (0.6, 1.4)),
    ("remainder_neg", mx.remainder, (-3, 3), (-1.4, -0.6)),
    ("logaddexp", mx.logaddexp, (-3, 3), (-3, 3)),
    ("arctan2", mx.arctan2, (-1, 1), (-1, 1)),
    ("where", lambda a, b: mx.where(a > b, a, b * b), (-1, 1), (-1, 1)),
    ("where_const_cond", lambda a, b: mx.where(mx.array([True, False, True, False]), a, b),
     (-1, 1), (-1, 1)),
    ("clip_arrays", lambda a, b: mx.clip(a, b - 0.5, b + 0.5), (-2, 2), (-1, 1)),
    ("hypot", lambda a, b: mx.sqrt(mx.square(a) + mx.square(b)), (0.2, 1), (0.2, 1)),
    ("pow_then_log", lambda a, b: mx.log(mx.power(a, b) + 1), (0.3, 2), (-1, 1)),
]
IDS = [s[0] for s in SMOOTH]


@pytest.mark.parametrize("name,f,ra,rb", SMOOTH, ids=IDS)
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4))],
                         ids=["same", "bcast_b", "bcast_both"])
def test_vjp_finite_differences(name, f, ra, rb, shapes):
    a = rand(shapes[0], seed=1, lo=ra[0], hi=ra[1])
    b = rand(shapes[1], seed=2, lo=rb[0], hi=rb[1])
    check_vjp_fd(f, [a, b])


@pytest.mark.parametrize("name,f,ra,rb", SMOOTH, ids=IDS)
def test_jvp_matches_vjp(name, f, ra, rb):
    a = rand((3, 4), seed=3, lo=ra[0], hi=ra[1])
    b = rand((3, 4), seed=4, lo=rb[0], hi=rb[1])
    check_jvp_vjp(f, [a, b])


@pytest.mark.parametrize("name,f,ra,rb", SMOOTH, ids=IDS)
@pytest.mark.parametrize("axes", axes_mixes(2), ids=str)
def test_vmap_matches_loop(name, f, ra, rb, axes):
    a, b = batched_inputs([(2, 4), (2, 4)], axes, lo=ra[0], hi=ra[1])
    b = mx.abs(b) * (rb[1] - rb[0]) / 2 + rb[0] if rb[0] > 0 or rb[1] < 0 else b
    check_vmap(f, [a, b], list(axes), rtol=2e-6, atol=1e-6)


# Functions of the family with zero derivatives: comparisons, logical and
# bitwise ops, floor_divide and divmod.
FLAT = [
    ("equal", mx.equal), ("not_equal", mx.not_equal), ("less", mx.less),
    ("less_equal", mx.less_equal), ("greater", mx.greater), ("greater_equal", mx.greater_equal),
    ("logical_and", mx.logical_and), ("logical_or", mx.logical_or),
    ("logical_xor", mx.logical_xor), ("floor_divide", mx.floor_divide),
    ("isclose", mx.isclose),
]


@pytest.mark.parametrize("name,f", FLAT, ids=[s[0] for s in FLAT])
def test_zero_derivatives(name, f):
    a = mx.array(rand((2, 3), seed=5, lo=-2, hi=2).astype(np.float32))
    b = mx.array(rand((2, 3), seed=6, lo=-2, hi=2).astype(np.float32))
    y = f(a, b)
    _, g = mx.vjp(f, [a, b], [mx.ones(y.shape, dtype=y.dtype)])
    for gi, x in zip(g, (a, b)):
        assert gi.shape == x.shape and gi.dtype == x.dtype and not np.any(np.array(gi))
    _, t = mx.jvp(f, [a, b], [mx.ones_like(a), mx.ones_like(b)])
    assert not np.any(np.array(t[0]))
    for axes in axes_mixes(2):
        x, z = batched_inputs([(2, 3), (2, 3)], axes)
        check_vmap(f, [x, z], list(axes))


def test_divmod():
    a = mx.array([7.5, -3.0, 2.0])
    b = mx.array([2.0, 2.0, -0.75])
    _, g = mx.vjp(lambda a, b: mx.divmod(a, b), [a, b], [mx.ones(3), mx.ones(3)])
    assert all(not np.any(np.array(x)) for x in g)
    _, t = mx.jvp(lambda a, b: mx.divmod(a, b), [a, b], [mx.ones(3), mx.ones(3)])
    assert len(t) == 2 and all(not np.any(np.array(x)) for x in t)
    # only one of the two outputs used: still zero
    g1 = mx.grad(lambda a: mx.divmod(a, b)[1].sum())(a)
    assert not np.any(np.array(g1))
    for axes in axes_mixes(2):
        x, z = batched_inputs([(2, 3), (2, 3)], axes)
        z = mx.abs(z) + 0.5
        check_vmap(lambda p, q: mx.divmod(p, q), [x, z], list(axes))


def test_bitwise():
    a = mx.array([3, 5, 12])
    b = mx.array([1, 6, 2])
    for f in (mx.bitwise_and, mx.bitwise_or, mx.bitwise_xor, mx.left_shift, mx.right_shift):
        _, g = mx.vjp(f, [a, b], [f(a, b)])
        assert all(x.dtype == mx.int32 and not np.any(np.array(x)) for x in g)
        _, t = mx.jvp(f, [a, b], [a, b])
        assert not np.any(np.array(t[0]))
        for axes in axes_mixes(2):
            x, z = batched_inputs([(2, 3), (2, 3)], axes)
            x = (mx.abs(x) * 100).astype(mx.int32)
            z = (mx.abs(z) * 5).astype(mx.int32)
            check_vmap(f, [x, z], list(axes))


def test_where_condition_gets_no_gradient():
    c = mx.array([1.0, 0.0, 2.0])
    x = mx.array([1.0, 2.0, 3.0])
    y = mx.array([-1.0, -2.0, -3.0])
    gc, gx, gy = mx.grad(lambda c, x, y: (mx.where(c, x, y) * mx.array([1.0, 2.0, 3.0])).sum(),
                         argnums=(0, 1, 2))(c, x, y)
    assert np.array_equal(np.array(gc), [0, 0, 0])
    assert np.array_equal(np.array(gx), [1, 0, 3])
    assert np.array_equal(np.array(gy), [0, 2, 0])
    _, t = mx.jvp(lambda c, x, y: mx.where(c, x, y), [c, x, y], [mx.ones(3), mx.ones(3), 2 * mx.ones(3)])
    assert np.array_equal(np.array(t[0]), [1, 2, 1])
    # a tangent for the condition only: the output does not move
    _, t = mx.jvp(lambda c: mx.where(c, x, y), [c], [mx.ones(3)])
    assert np.array_equal(np.array(t[0]), [0, 0, 0])
    for axes in [(0, 0, 0), (1, None, 0), (None, 1, None), (0, None, 1)]:
        cs, xs, ys = batched_inputs([(2, 3), (2, 3), (2, 3)], axes)
        check_vmap(lambda c, p, q: mx.where(c > 0, p, q), [cs, xs, ys], list(axes))


def test_clip_scalar_bounds_and_composites():
    x = mx.array([-2.0, -0.5, 0.0, 0.5, 0.7, 2.0])
    g = mx.grad(lambda x: mx.clip(x, -0.5, 0.5).sum())(x)
    # ties at the bounds: maximum gives the tie to the bound, so 0 there
    assert np.array_equal(np.array(g), [0, 0, 1, 0, 0, 0])
    g = mx.grad(lambda x: mx.floor_divide(x, 0.3).sum() + mx.degrees(x).sum())(x)
    np.testing.assert_allclose(np.array(g), np.full(6, 180 / np.pi), rtol=1e-6)
    g = mx.grad(lambda x: (mx.radians(x) * mx.logaddexp(x, 2 * x)).sum())(x)
    xn = np.array(x, dtype=np.float64)
    r = np.pi / 180
    lae = np.logaddexp(xn, 2 * xn)
    dlae = (np.exp(xn) + 2 * np.exp(2 * xn)) / (np.exp(xn) + np.exp(2 * xn))
    np.testing.assert_allclose(np.array(g), r * lae + r * xn * dlae, rtol=1e-5)


def test_grad_of_vmap_and_vmap_of_grad():
    a = mx.array(rand((4, 3), seed=8, lo=0.5, hi=2).astype(np.float32))
    b = mx.array(rand((4, 3), seed=9, lo=-1, hi=1).astype(np.float32))
    ga, gb = mx.grad(lambda a, b: mx.vmap(mx.power)(a, b).sum(), argnums=(0, 1))(a, b)
    an, bn = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    np.testing.assert_allclose(np.array(ga), bn * an ** (bn - 1), rtol=1e-5)
    np.testing.assert_allclose(np.array(gb), np.log(an) * an ** bn, rtol=1e-5, atol=1e-6)
    gv = mx.vmap(mx.grad(lambda p, q: mx.arctan2(p, q).sum(), argnums=1), in_axes=(1, 0))(a.T, b)
    np.testing.assert_allclose(np.array(gv), -an / (an ** 2 + bn ** 2), rtol=1e-5)
    gm = mx.vmap(mx.grad(lambda p, q: mx.maximum(p, q)), in_axes=(0, None))(
        mx.array([1.0, 2.0, 3.0]), mx.array(2.0))
    assert np.array_equal(np.array(gm), [0, 0, 1])
    d2 = mx.grad(mx.grad(lambda p: mx.logaddexp(p, mx.array(0.5))))(mx.array(0.2))
    s = 1 / (1 + np.exp(-(0.2 - 0.5)))
    np.testing.assert_allclose(float(d2), s * (1 - s), rtol=1e-5)


# --- against real MLX -----------------------------------------------------------

REF_CODE = """
out = {}
inf, nan = float("inf"), float("nan")
def both(name, f, xs, cots, tans):
    out[name] = [[as_json(g) for g in mx.vjp(f, xs, cots)[1]],
                 [as_json(t) for t in mx.jvp(f, xs, tans)[1]]]
a = mx.array([1.0, 2.0, 3.0, 0.0, -1.0, nan, -0.0, inf])
b = mx.array([1.0, 3.0, 2.0, 0.0, -1.0, 1.0, 0.0, inf])
one = mx.ones(8)
for n in ["maximum", "minimum", "power", "remainder", "logaddexp", "arctan2"]:
    both(n, getattr(mx, n), [a, b], [one], [one, 2 * one])
x = mx.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5, nan, 0.0, 2.0, 2.0, -2.0, -2.0])
p = mx.array([0.0, 1.0, 2.0, -1.0, 0.5, 1000.0, -1000.0, 0.0, inf, -inf, 0.0, 2.0, 0.5])
both("power0", mx.power, [x, p], [mx.ones(13)], [mx.ones(13), mx.ones(13)])
both("power0_neg", mx.power, [x, p], [-mx.ones(13)], [mx.zeros(13), -mx.ones(13)])
both("power_py_int", lambda x: x ** 3, [x], [mx.ones(13)], [mx.ones(13)])
i = mx.array([-inf, inf, -inf, 2.0])
j = mx.array([-inf, inf, 1.0, -inf])
both("logaddexp_inf", mx.logaddexp, [i, j], [mx.ones(4)], [mx.ones(4), mx.ones(4)])
xi = mx.array([0, 1, 2, 3, -2]); pi = mx.array([2, 3, 0, -1, 3])
ci = mx.array([1, 1, 1, 1, 2])
out["power_int_a"] = as_json(mx.vjp(mx.power, [xi, pi], [ci])[1][0])
for n in ["maximum", "minimum", "logaddexp", "arctan2", "floor_divide"]:
    f = getattr(mx, n)
    out["int_" + n] = [as_json(g) for g in mx.vjp(f, [xi, pi], [f(xi, pi)])[1]]
out["int_remainder_a"] = as_json(mx.vjp(mx.remainder, [xi, pi], [mx.remainder(xi, pi)])[1][0])
z = mx.array([1 + 2j, -0.5 + 0.3j, 2 + 0j]); w = mx.array([0.3 - 1j, 2 + 0.5j, 2 + 0j])
c = mx.array([0.7 - 0.2j, 1.1 + 0.4j, -0.3 + 0.9j])
for n in ["power", "maximum", "minimum"]:
    both("c_" + n, getattr(mx, n), [z, w], [c], [c, 2 * c])
cond = mx.array([True, False, True])
both("c_where", lambda x, y: mx.where(cond, x, y), [z, w], [c], [c, 2 * c])
f16 = mx.array([1.0, 2.0, 2.0], dtype=mx.float16); g16 = mx.array([2.0, 1.0, 2.0], dtype=mx.float16)
both("f16_max", mx.maximum, [f16, g16], [mx.ones(3, dtype=mx.float16)], [f16, g16])
print(json.dumps(out))
"""


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_against_real_mlx():
    want = run_ref(REF_PRELUDE + REF_CODE)
    ns = {"mx": mx, "as_json": as_json, "json": json}
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(REF_CODE, ns)
    got = json.loads(buf.getvalue())
    assert set(got) == set(want)
    for key in want:
        g, w = got[key], want[key]
        if key.startswith("int_") or key == "power_int_a":
            same_values(g, w)
            continue
        for gs, ws in zip(g, w):
            for gg, ww in zip(gs, ws):
                same_values(gg, ww, rtol=1e-5, atol=1e-6)
                gg, ww = np.array(gg), np.array(ww)
                fin = ~np.isnan(ww)
                # Complex zeros: the sign of a zero part depends on MLX's
                # internal multiplication order, not on the math.
                if not key.startswith("c_"):
                    assert np.array_equal(np.signbit(gg[fin]), np.signbit(ww[fin])), key
