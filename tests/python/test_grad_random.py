"""Transforms of the random primitives (RandomBits, RandomMath, CovSqrt).

* vmap over a batch of keys gives, for every distribution, the samples a
  Python loop over the keys gives, and the very samples real MLX 0.32.4
  gives for the same keys (bit for bit: the streams are MLX's);
* samples differentiate with respect to loc/scale/bounds through ordinary
  ops and RandomMath (checked against finite differences and real MLX);
* differentiating through a key, and the covariance of
  multivariate_normal, raise MLX's errors."""

import numpy as np
import pytest

import mlx.core as mx

from _grad_struct import HAS_REF, check_vmap, run_both


KEYS = mx.random.split(mx.random.key(7), 3)

SAMPLERS = [
    ("normal", lambda k: mx.random.normal((2, 3), key=k)),
    ("normal_f16", lambda k: mx.random.normal((5,), dtype=mx.float16, key=k)),
    ("uniform", lambda k: mx.random.uniform(shape=(4,), key=k)),
    ("uniform_bf16", lambda k: mx.random.uniform(-2, 3, (3, 3), dtype=mx.bfloat16, key=k)
     .astype(mx.float32)),
    ("randint", lambda k: mx.random.randint(0, 10, (6,), key=k)),
    ("randint_u8", lambda k: mx.random.randint(0, 200, (7,), dtype=mx.uint8, key=k)),
    ("bernoulli", lambda k: mx.random.bernoulli(0.3, (5,), key=k)),
    ("gumbel", lambda k: mx.random.gumbel((3,), key=k)),
    ("laplace", lambda k: mx.random.laplace((4,), key=k)),
    ("truncated_normal", lambda k: mx.random.truncated_normal(-1, 1.5, (4,), key=k)),
    ("categorical", lambda k: mx.random.categorical(mx.log(mx.array([0.1, 0.6, 0.3])),
                                                     num_samples=4, key=k)),
    ("permutation", lambda k: mx.random.permutation(6, key=k)),
    ("split", lambda k: mx.random.split(k, 3)),
    ("multivariate_normal", lambda k: mx.random.multivariate_normal(
        mx.zeros(2), mx.array([[2.0, 0.5], [0.5, 1.0]]), (3,), key=k)),
]
SIDS = [s[0] for s in SAMPLERS]


@pytest.mark.parametrize("name,f", SAMPLERS, ids=SIDS)
def test_vmap_over_keys_matches_loop(name, f):
    check_vmap(f, [KEYS], [0], rtol=0, atol=0)
    check_vmap(f, [KEYS.T], [1], rtol=0, atol=0)


def test_vmap_over_keys_with_batched_data():
    x = mx.arange(6, dtype=mx.float32).reshape(3, 2)
    f = lambda k, a: a * 10 + mx.random.normal((2,), key=k)  # noqa: E731
    check_vmap(f, [KEYS, x], [0, 0])
    check_vmap(f, [KEYS, x.T], [0, 1])
    # data batched, key shared: every row sees the same draw
    out = mx.vmap(f, in_axes=(None, 0))(KEYS[0], x)
    d = np.array(out) - np.array(x) * 10
    np.testing.assert_allclose(d[0], d[1], rtol=1e-5, atol=1e-5)


REF_SAMPLES = """
import numpy as np
keys = mx.random.split(mx.random.key(7), 3)
fs = [lambda k: mx.random.normal((2, 3), key=k),
      lambda k: mx.random.uniform(-2, 3, (3, 3), dtype=mx.bfloat16, key=k),
      lambda k: mx.random.randint(0, 200, (7,), dtype=mx.uint8, key=k),
      lambda k: mx.random.gumbel((3,), key=k),
      lambda k: mx.random.truncated_normal(-1, 1.5, (4,), key=k),
      lambda k: mx.random.permutation(6, key=k),
      lambda k: mx.random.multivariate_normal(mx.zeros(2), mx.array([[2.0, 0.5], [0.5, 1.0]]),
                                               (3,), key=k)]
out = [np.array(mx.vmap(f)(keys).astype(mx.float32)).tolist() for f in fs]
out.append(np.array(mx.vmap(fs[0], in_axes=1)(keys.T)).tolist())
"""


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_vmap_samples_match_real_mlx():
    mine, theirs = run_both(REF_SAMPLES)
    assert len(mine) == len(theirs) == 8
    for k, (m, t) in enumerate(zip(mine, theirs)):
        if k == 6:  # multivariate_normal: a matrix product and SVD round differently
            np.testing.assert_allclose(np.array(m), np.array(t), rtol=1e-5, atol=1e-6)
        else:
            np.testing.assert_array_equal(np.array(m), np.array(t), err_msg=f"sampler {k}")


# (name, f(param) -> scalar, param value)
K0 = KEYS[0]
GRADS = [
    ("normal_times_sigma", lambda s: mx.sum(mx.random.normal((4,), key=K0) * s), 2.0),
    ("normal_scale", lambda s: mx.sum(mx.random.normal((4,), loc=1.0, scale=s, key=K0)), 1.5),
    ("uniform_low", lambda lo: mx.sum(mx.random.uniform(lo, 5.0, (4,), key=K0)), 1.0),
    ("uniform_high", lambda hi: mx.sum(mx.random.uniform(-1.0, hi, (4,), key=K0) ** 2), 2.0),
    ("truncated_lower", lambda lo: mx.sum(mx.random.truncated_normal(lo, 1.0, (4,), key=K0)),
     -1.0),
    ("truncated_upper", lambda hi: mx.sum(mx.random.truncated_normal(-0.5, hi, (4,), key=K0)),
     0.8),
    ("mvn_mean", lambda m: mx.sum(mx.random.multivariate_normal(
        m * mx.ones(2), mx.eye(2), (3,), key=K0)), 0.5),
    ("gumbel_shift", lambda a: mx.sum(mx.random.gumbel((3,), key=K0) * a + a), 1.2),
]
GIDS = [g[0] for g in GRADS]


@pytest.mark.parametrize("name,f,x", GRADS, ids=GIDS)
def test_grad_against_finite_differences(name, f, x):
    g = mx.grad(f)(mx.array(x))
    eps = 1e-3
    num = (float(f(mx.array(x + eps))) - float(f(mx.array(x - eps)))) / (2 * eps)
    np.testing.assert_allclose(float(g), num, rtol=2e-2, atol=2e-3)
    # jvp agrees with the gradient (one scalar parameter)
    _, (t,) = mx.jvp(f, [mx.array(x)], [mx.array(1.0)])
    np.testing.assert_allclose(float(t), float(g), rtol=1e-5, atol=1e-6)


def test_grad_of_vmap_over_keys():
    """A loss averaged over a vmapped batch of keys: grad w.r.t. sigma."""
    def loss(s):
        return mx.sum(mx.vmap(lambda k: mx.random.normal((4,), key=k) * s)(KEYS) ** 2)
    g = mx.grad(loss)(mx.array(1.5))
    z = np.stack([np.array(mx.random.normal((4,), key=k)) for k in KEYS])
    np.testing.assert_allclose(float(g), 2 * 1.5 * np.sum(z ** 2), rtol=1e-5)
    vg = mx.vmap(mx.grad(lambda s, k: mx.sum(mx.random.normal((4,), key=k) * s)),
                 in_axes=(None, 0))(mx.array(2.0), KEYS)
    np.testing.assert_allclose(np.array(vg), z.sum(axis=1), rtol=1e-5)


def test_random_math_derivatives():
    """The erf/erfinv steps of truncated_normal: grad through the bounds
    of every sample equals the analytic one,
    d/dlo [sqrt2 erfinv(u)] with u = a + p (b - a), a = erf(lo / sqrt2)."""
    from math import erf, exp, pi, sqrt
    lo, hi = -0.7, 1.1
    f = lambda l: mx.random.truncated_normal(l, hi, (5,), key=K0)  # noqa: E731
    y = np.array(f(mx.array(lo))).astype(np.float64)
    (g,) = mx.vjp(f, [mx.array(lo)], [mx.ones((5,))])[1]
    a, b = erf(lo / sqrt(2)), erf(hi / sqrt(2))
    u = np.array([erf(v / sqrt(2)) for v in y])
    p = (u - a) / (b - a)
    du_dlo = (1 - p) * (2 / sqrt(pi)) * exp(-lo * lo / 2) / sqrt(2)
    want = np.sum(sqrt(2) * (sqrt(pi) / 2) * np.exp((y / sqrt(2)) ** 2) * du_dlo)
    np.testing.assert_allclose(float(g), want, rtol=1e-3)


def test_errors_match_mlx():
    with pytest.raises(ValueError, match="RandomBits"):
        mx.grad(lambda k: mx.sum(mx.random.normal((3,), key=k)))(K0)
    with pytest.raises(ValueError, match="RandomBits"):
        mx.jvp(lambda k: mx.random.normal((3,), key=k), [K0], [K0])
    with pytest.raises(ValueError, match="SVD"):
        mx.grad(lambda c: mx.sum(mx.random.multivariate_normal(mx.zeros(2), c, (3,), key=K0)))(
            mx.eye(2))
    with pytest.raises(ValueError, match="SVD"):
        mx.jvp(lambda c: mx.random.multivariate_normal(mx.zeros(2), c, (3,), key=K0),
               [mx.eye(2)], [mx.eye(2)])


def test_vmap_over_covariances():
    covs = mx.stack([mx.eye(2), mx.array([[2.0, 0.3], [0.3, 1.0]])])
    f = lambda c: mx.random.multivariate_normal(mx.zeros(2), c, (3,), key=K0)  # noqa: E731
    check_vmap(f, [covs], [0], rtol=1e-5, atol=1e-5)


REF_GRADS = """
k = mx.random.split(mx.random.key(7), 3)[0]
out = [
  mx.grad(lambda s: mx.sum(mx.random.normal((4,), key=k) * s))(mx.array(2.0)).item(),
  mx.grad(lambda s: mx.sum(mx.random.normal((4,), loc=1.0, scale=s, key=k)))(mx.array(1.5)).item(),
  mx.grad(lambda lo: mx.sum(mx.random.uniform(lo, 5.0, (4,), key=k)))(mx.array(1.0)).item(),
  mx.grad(lambda lo: mx.sum(mx.random.truncated_normal(lo, 1.0, (4,), key=k)))(mx.array(-1.0)).item(),
  mx.grad(lambda hi: mx.sum(mx.random.truncated_normal(-0.5, hi, (4,), key=k)))(mx.array(0.8)).item(),
  mx.grad(lambda p: mx.sum(mx.random.bernoulli(p, (3,), key=k)))(mx.array(0.5)).item(),
  mx.grad(lambda l: mx.sum(mx.random.categorical(l, key=k).astype(mx.float32)))(mx.zeros(4)).tolist(),
  mx.grad(lambda m: mx.sum(mx.random.multivariate_normal(m, mx.eye(2), (3,), key=k)))(mx.zeros(2)).tolist(),
  mx.grad(lambda x: mx.sum(mx.random.permutation(x, key=k) * mx.arange(4)))(mx.arange(4.0)).tolist(),
]
"""


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_grads_match_real_mlx():
    mine, theirs = run_both(REF_GRADS)
    for k, (m, t) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(np.array(m, dtype=np.float64), np.array(t, dtype=np.float64),
                                   rtol=1e-5, atol=1e-6, err_msg=f"case {k}")
