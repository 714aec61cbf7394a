"""Transforms (vjp, jvp, vmap) of the FFT primitive, reached through every
mx.fft function, with the n/s crop and zero-pad cases, axes and norms.

The transforms compute in complex64/float32 (as MLX's do), so the finite
difference checks use the linearity of the FFT: a central difference with a
step of 1 is exact up to float32 rounding.  For a cotangent c the vjp must
be dL/dRe(x) + i dL/dIm(x) with L = sum(Re(conj(c) * f(x))) (MLX's
conjugate-linear convention; for real x only the real part).  Results are
also compared with real MLX 0.32.4 (vjp, jvp, grad of real losses)."""

import numpy as np
import pytest

import mlx.core as mx

from _grad_struct import HAS_REF, check_vmap, run_both


F = mx.fft
rng = np.random.default_rng(5)


def crand(shape):
    return mx.array((rng.standard_normal(shape) + 1j * rng.standard_normal(shape))
                    .astype(np.complex64))


def frand(shape):
    return mx.array(rng.standard_normal(shape).astype(np.float32))


# (name, f, input shape, complex input)
CASES = [
    ("fft", lambda x: F.fft(x), (6,), True),
    ("fft_n_pad", lambda x: F.fft(x, n=9), (6,), True),
    ("fft_n_crop", lambda x: F.fft(x, n=4, axis=0), (6, 2), True),
    ("ifft", lambda x: F.ifft(x, axis=0), (5, 3), True),
    ("ifft_ortho", lambda x: F.ifft(x, norm="ortho"), (2, 5), True),
    ("fft_forward", lambda x: F.fft(x, norm="forward"), (7,), True),
    ("fft_real_in", lambda x: F.fft(x), (6,), False),
    ("fft2", lambda x: F.fft2(x), (3, 4), True),
    ("fft2_s", lambda x: F.fft2(x, s=(2, 6)), (3, 4), True),
    ("ifft2", lambda x: F.ifft2(x, axes=(0, 2)), (3, 2, 4), True),
    ("fftn", lambda x: F.fftn(x), (2, 3, 2), True),
    ("ifftn_s", lambda x: F.ifftn(x, s=(4, 2), axes=(1, 0)), (3, 3), True),
    ("rfft", lambda x: F.rfft(x), (6,), False),
    ("rfft_odd", lambda x: F.rfft(x), (7,), False),
    ("rfft_n_pad", lambda x: F.rfft(x, n=10), (7,), False),
    ("rfft_n_crop", lambda x: F.rfft(x, n=5, axis=0), (8, 2), False),
    ("rfft_ortho", lambda x: F.rfft(x, norm="ortho"), (3, 6), False),
    ("rfft2", lambda x: F.rfft2(x), (4, 6), False),
    ("rfftn_s", lambda x: F.rfftn(x, s=(3, 5), axes=(0, 1)), (4, 4), False),
    ("irfft", lambda x: F.irfft(x), (4,), True),
    ("irfft_odd_n", lambda x: F.irfft(x, n=7), (4,), True),
    ("irfft_n_pad", lambda x: F.irfft(x, n=10), (3,), True),
    ("irfft_n_crop", lambda x: F.irfft(x, n=4, axis=0), (5, 2), True),
    ("irfft_forward", lambda x: F.irfft(x, norm="forward"), (2, 5), True),
    ("irfft2", lambda x: F.irfft2(x), (3, 4), True),
    ("irfftn_s", lambda x: F.irfftn(x, s=(2, 5), axes=(0, 1)), (3, 3), True),
    ("irfftn_axes", lambda x: F.irfftn(x, axes=(1, 0)), (4, 3), True),
]
IDS = [c[0] for c in CASES]


def _input(shape, cplx, seed):
    r = np.random.default_rng(seed)
    x = r.standard_normal(shape)
    if cplx:
        return mx.array((x + 1j * r.standard_normal(shape)).astype(np.complex64))
    return mx.array(x.astype(np.float32))


def _loss(y, c):
    y = np.array(y).astype(np.complex128)
    return float(np.sum(np.real(np.conj(c) * y)))


@pytest.mark.parametrize("name,f,shape,cplx", CASES, ids=IDS)
def test_vjp_finite_differences(name, f, shape, cplx):
    x = _input(shape, cplx, 1)
    y = f(x)
    r = np.random.default_rng(2)
    c = r.standard_normal(y.shape)
    if y.dtype == mx.complex64:
        c = c + 1j * r.standard_normal(y.shape)
    (g,) = mx.vjp(f, [x], [mx.array(c.astype(np.array(y).dtype))])[1]
    assert g.shape == x.shape and g.dtype == x.dtype
    x0 = np.array(x)
    parts = [1.0, 1j] if cplx else [1.0]
    want = np.zeros(x0.shape, np.complex128)
    for unit in parts:
        for idx in np.ndindex(x0.shape):
            vals = []
            for s in (1.0, -1.0):
                xp = x0.astype(np.complex128 if cplx else np.float64).copy()
                xp[idx] += s * unit
                vals.append(_loss(f(mx.array(xp.astype(x0.dtype))), c))
            want[idx] += unit * (vals[0] - vals[1]) / 2
    np.testing.assert_allclose(np.array(g), want if cplx else want.real, rtol=1e-4, atol=2e-4)


@pytest.mark.parametrize("name,f,shape,cplx", CASES, ids=IDS)
def test_jvp_is_the_map(name, f, shape, cplx):
    """The FFT is linear: jvp(x, v) == f(v)."""
    x = _input(shape, cplx, 3)
    v = _input(shape, cplx, 4)
    y, (t,) = mx.jvp(f, [x], [v])
    w = f(v)
    assert t.shape == w.shape and t.dtype == w.dtype
    np.testing.assert_allclose(np.array(t), np.array(w), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name,f,shape,cplx", CASES, ids=IDS)
def test_vmap_against_loop(name, f, shape, cplx):
    for ax in (0, len(shape)):
        s = list(shape)
        s.insert(ax, 3)
        x = _input(tuple(s), cplx, 5)
        check_vmap(f, [x], [ax], rtol=1e-5, atol=1e-5)
    # out_axes other than 0
    s = (3,) + shape
    check_vmap(f, [_input(s, cplx, 6)], [0], out_axes=1, rtol=1e-5, atol=1e-5)


def test_grad_of_vmap_and_vmap_of_grad():
    x = frand((3, 6))

    def loss(a):
        return mx.sum(mx.abs(F.rfft(a)) ** 2)

    g_batched = mx.grad(lambda a: mx.sum(mx.vmap(loss)(a)))(x)
    g_loop = mx.stack([mx.grad(loss)(x[i]) for i in range(3)])
    np.testing.assert_allclose(np.array(g_batched), np.array(g_loop), rtol=1e-5, atol=1e-4)
    vg = mx.vmap(mx.grad(loss))(x)
    np.testing.assert_allclose(np.array(vg), np.array(g_loop), rtol=1e-5, atol=1e-4)
    # |rfft(x)|^2 summed over the half spectrum: compare with NumPy's
    # closed form 2 Re(F^H pad(y)) for y = rfft(x).
    y = np.fft.rfft(np.array(x[0]).astype(np.float64))
    full = np.zeros(6, np.complex128)
    full[:4] = y
    want = 2 * np.real(np.fft.ifft(full) * 6)
    np.testing.assert_allclose(np.array(g_loop[0]), want, rtol=1e-4, atol=1e-4)


def test_second_order():
    """grad of grad through a real transform pair stays a transform."""
    x = frand((8,))
    f = lambda a: mx.sum(F.irfft(F.rfft(a) * F.rfft(a)))  # noqa: E731
    h = mx.grad(lambda a: mx.sum(mx.grad(f)(a) * mx.arange(8)))(x)
    eps = 1e-2
    e = np.eye(8, dtype=np.float32)
    gf = lambda a: float(mx.sum(mx.grad(f)(a) * mx.arange(8)))  # noqa: E731
    num = [(gf(x + eps * mx.array(e[i])) - gf(x - eps * mx.array(e[i]))) / (2 * eps)
           for i in range(8)]
    np.testing.assert_allclose(np.array(h), num, rtol=2e-3, atol=2e-3)


REF_CODE = """
import numpy as np
F = mx.fft
r = np.random.default_rng(9)
def c(*s): return mx.array((r.standard_normal(s) + 1j * r.standard_normal(s)).astype(np.complex64))
def f(*s): return mx.array(r.standard_normal(s).astype(np.float32))
def cj(a):
    a = np.array(a)
    return [np.real(a).tolist(), np.imag(a).tolist()] if np.iscomplexobj(a) else a.tolist()
cases = [
  (lambda x: F.fft(x, n=8), c(6)), (lambda x: F.ifft(x, n=4), c(6)),
  (lambda x: F.fft2(x, s=(2, 5), norm="ortho"), c(3, 4)), (lambda x: F.ifftn(x), c(2, 3)),
  (lambda x: F.rfft(x), f(6)), (lambda x: F.rfft(x, n=9), f(6)), (lambda x: F.rfftn(x), f(3, 4)),
  (lambda x: F.rfft2(x, s=(2, 3), norm="forward"), f(3, 5)),
  (lambda x: F.irfft(x), c(4)), (lambda x: F.irfft(x, n=5), c(4), False), (lambda x: F.irfft(x, n=9), c(4), False),
  (lambda x: F.irfft2(x), c(3, 4)), (lambda x: F.irfftn(x, s=(4, 7), axes=(0, 1), norm="ortho"), c(3, 4), False),
  (lambda x: F.fft(x), f(5)),
]
out = []
for fn, x, *jvp_ok in cases:
    y = fn(x)
    ct = c(*y.shape) if y.dtype == mx.complex64 else f(*y.shape)
    (g,) = mx.vjp(fn, [x], [ct])[1]
    out.append(cj(g))
    # MLX's jvp of irfft ignores an explicit odd or padded n (its result
    # has the default length 2 (m - 1)); cmlx gives the output's shape.
    if not jvp_ok:
        (t,) = mx.jvp(fn, [x], [x * 0.5 + 1])[1]
        out.append(cj(t))
x = f(6)
out.append(cj(mx.grad(lambda a: F.rfft(a).real.sum())(x)))
out.append(cj(mx.grad(lambda a: mx.abs(F.fft(a)).sum())(x)))
out.append(cj(mx.grad(lambda a: (F.irfft(F.fft(a)[:4]) ** 2).sum())(x)))
out.append(cj(mx.grad(lambda a: F.fftshift(F.fft(a)).imag.sum())(x)))
"""


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_against_real_mlx():
    mine, theirs = run_both(REF_CODE)
    assert len(mine) == len(theirs)
    for k, (m, t) in enumerate(zip(mine, theirs)):
        _close(m, t, f"case {k}")


def _close(m, t, where):
    """Nested lists of numbers compared leaf array by leaf array."""
    if isinstance(m, list) and m and isinstance(m[0], list) and not _rect(m):
        assert isinstance(t, list) and len(m) == len(t), where
        for a, b in zip(m, t):
            _close(a, b, where)
        return
    a, b = np.array(m, dtype=np.float64), np.array(t, dtype=np.float64)
    assert a.shape == b.shape, (where, a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4, err_msg=where)


def _rect(x):
    try:
        np.array(x, dtype=np.float64)
        return True
    except ValueError:
        return False
