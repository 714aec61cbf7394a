"""reduce_sort family: reductions, statistics, arg-reductions, scans,
sorting and closeness tests against NumPy (float64 reference), plus the
MLX-specific behaviour (dtypes, NaN handling, error types) read off MLX
0.32.4 at /opt/mlxref."""
import math

import numpy as np
import pytest

import mlx.core as mx

RNG = np.random.default_rng(7)
NAN = float("nan")
INF = float("inf")


def close(a, b, tol=1e-5):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


def data(shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


# --- reductions -----------------------------------------------------------------

AXES = [None, 0, 1, -1, (0, 2), (1, 2), ()]


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_basic_reductions(axis, keepdims):
    x = data((3, 4, 5))
    m = mx.array(x)
    x64 = x.astype(np.float64)
    for name in ["prod", "max", "min", "mean", "var", "std"]:
        got = getattr(mx, name)(m, axis=axis, keepdims=keepdims)
        want = getattr(np, name)(x64, axis=axis, keepdims=keepdims)
        close(got, want, 1e-4)
    b = x > 0
    for name in ["all", "any"]:
        got = getattr(mx, name)(mx.array(b), axis=axis, keepdims=keepdims)
        assert np.array_equal(np.array(got), getattr(np, name)(b, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
def test_logsumexp_softmax(axis):
    x = data((6, 7)) * 10
    x64 = x.astype(np.float64)
    m = mx.array(x)
    mx_ = np.max(x64, axis=axis, keepdims=True)
    lse = np.log(np.sum(np.exp(x64 - mx_), axis=axis, keepdims=True)) + mx_
    close(mx.logsumexp(m, axis=axis, keepdims=True), lse, 1e-5)
    close(mx.softmax(m, axis=axis), np.exp(x64 - lse), 1e-5)
    close(mx.softmax(m, axis=axis, precise=True), np.exp(x64 - lse), 1e-5)
    close(mx.logsumexp(m.T, axis=axis), np.squeeze(lse.T if axis is None else
          np.log(np.sum(np.exp(x64.T), axis=axis))), 1e-4)


def test_special_values_and_dtypes():
    # Values read off MLX 0.32.4.
    assert mx.logsumexp(mx.array([-INF, -INF])).item() == -INF
    assert mx.logsumexp(mx.array([INF, 1.0])).item() == INF
    assert math.isnan(mx.logsumexp(mx.array([NAN, 1.0])).item())
    assert all(math.isnan(v) for v in mx.softmax(mx.array([-INF, -INF])).tolist())
    with pytest.raises(ValueError):
        mx.logsumexp(mx.zeros((0,)))
    assert mx.mean(mx.array([1, 2], dtype=mx.int32)).dtype == mx.float32
    assert mx.mean(mx.array([2**31 - 1] * 2, dtype=mx.int32)).item() == -1.0  # int32 sum wraps
    assert mx.mean(mx.array([1, 2], dtype=mx.float16)).dtype == mx.float16
    assert mx.var(mx.array([1, 2], dtype=mx.int64)).dtype == mx.float32
    assert mx.var(mx.array([1.0, 2.0]), ddof=2).item() == INF
    assert mx.softmax(mx.array([1, 2])).dtype == mx.float32
    assert mx.count_nonzero(mx.array([[1, 0], [0, 0.5]]), axis=0).tolist() == [1, 1]
    assert mx.count_nonzero(mx.array([1, 0])).dtype == mx.int32
    x = mx.array([1.0, 2.0, 4.0])
    close(x.var(correction=1), np.var([1, 2, 4], ddof=1))
    close(mx.std(x, ddof=1), np.std([1, 2, 4], ddof=1))


def test_complex_var_std_logsumexp():
    # MLX 0.32.4 accepts complex64 here: var/std are float32 (the mean
    # squared modulus of the deviations, as NumPy's), logsumexp stays
    # complex64 and is log(sum(exp(a - m))) + m with m the lexicographic max,
    # or m itself where m is infinite (values read off MLX 0.32.4).
    z = (data((6, 37)) * 3 + 1j * data((6, 37)) * 3).astype(np.complex64)
    a = mx.array(z)
    for axis, ddof, kd in [(1, 0, False), (None, 1, False), (0, 0, True)]:
        v = mx.var(a, axis=axis, ddof=ddof, keepdims=kd)
        sd = mx.std(a, axis=axis, ddof=ddof, keepdims=kd)
        assert v.dtype == mx.float32 and sd.dtype == mx.float32
        ref = np.var(z.astype(np.complex128), axis=axis, ddof=ddof, keepdims=kd)
        close(v, ref)
        close(sd, np.sqrt(ref))
    for axis, kd in [(1, False), (None, False), (0, True)]:
        r = mx.logsumexp(a, axis=axis, keepdims=kd)
        assert r.dtype == mx.complex64
        ref = np.log(np.sum(np.exp(z.astype(np.complex128)), axis=axis, keepdims=kd))
        # The imaginary part is an angle: compare exp(i*angle).
        got = np.array(r).astype(np.complex128)
        close(got.real, ref.real)
        close(np.exp(1j * got.imag), np.exp(1j * ref.imag))
    sp = mx.array([[1 + 1j, complex(INF, 0)], [complex(INF, 1), complex(INF, 2)],
                   [complex(-INF, 0)] * 2, [1000 + 0j, 1000 + 0j]], dtype=mx.complex64)
    got = np.array(mx.logsumexp(sp, axis=1))
    assert got[:3].tolist() == [complex(INF, 0), complex(INF, 2), complex(-INF, 0)]
    close(got[3].real, 1000 + math.log(2))
    v = np.array(mx.var(sp, axis=1))
    assert np.isnan(v[:3]).all() and v[3] == 0


def test_complex_logcumsumexp():
    # MLX 0.32.4 scans complex64 with the complex logaddexp (checked against
    # it): log(cumsum(exp(z))) up to the branch of the imaginary part.
    z = (data((5, 8)) + 1j * data((5, 8))).astype(np.complex64)
    for kw in [{"axis": 1}, {"axis": 1, "reverse": True}, {"axis": 0, "inclusive": False}]:
        got = np.array(mx.logcumsumexp(mx.array(z), **kw)).astype(np.complex128)
        w = z.astype(np.complex128)
        ax = kw["axis"]
        if kw.get("reverse"):
            w = np.flip(w, ax)
        ref = np.log(np.cumsum(np.exp(w), axis=ax))
        if not kw.get("inclusive", True):
            first = np.full_like(np.take(ref, [0], axis=ax), complex(-INF, 0))
            ref = np.concatenate([first, np.delete(ref, -1, axis=ax)], axis=ax)
        if kw.get("reverse"):
            ref = np.flip(ref, ax)
        fin = np.isfinite(ref)
        close(got.real, ref.real)
        close(np.exp(1j * got.imag[fin]), np.exp(1j * ref.imag[fin]))
    sp = mx.array([1000 + 0j, 1000 + 1j], dtype=mx.complex64)
    got = np.array(mx.logcumsumexp(sp))
    close(got.real, [1000, 1000 + np.log(abs(1 + np.exp(1j)))], tol=1e-4)
    assert mx.logcumsumexp(mx.array([complex(INF, 0), 1])).tolist() == [complex(INF, 0)] * 2


def test_median():
    x = data((5, 6))
    for axis in [None, 0, 1, (0, 1)]:
        close(mx.median(mx.array(x), axis=axis), np.median(x.astype(np.float64), axis=axis))
    close(mx.median(mx.array([[1, 5, 3, 4]]), axis=1, keepdims=True), [[3.5]])
    assert math.isnan(mx.median(mx.array([1.0, NAN, 3.0])).item())
    assert mx.median(mx.array([1.0, 2.0, INF])).item() == 2.0
    with pytest.raises(ValueError):
        mx.median(mx.zeros((0,)))


def test_trace():
    a = np.arange(24).reshape(2, 3, 4)
    for off in [-1, 0, 1, 2]:
        assert mx.trace(mx.array(a[0]), offset=off).item() == np.trace(a[0], offset=off)
    assert mx.trace(mx.array(a)).tolist() == np.trace(a).tolist()
    assert mx.trace(mx.array(a), axis1=1, axis2=2).tolist() == np.trace(a, axis1=1, axis2=2).tolist()
    assert mx.trace(mx.ones((3, 3)), dtype=mx.int8).dtype == mx.int32


# --- argmin / argmax ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.uint16, np.int64])
@pytest.mark.parametrize("axis", [None, 0, 1, 2])
def test_arg_reductions(dtype, axis):
    x = (data((4, 37, 70)) * 5).astype(dtype)
    m = mx.array(x)
    for f, nf in [(mx.argmax, np.argmax), (mx.argmin, np.argmin)]:
        got = f(m, axis=axis)
        assert got.dtype == mx.uint32
        assert np.array_equal(np.array(got), nf(x, axis=axis))
        kd = f(m, axis=axis, keepdims=True)
        assert kd.shape == nf(x, axis=axis, keepdims=True).shape


def test_arg_reduction_ties_nan_views():
    x = np.zeros((3, 5000), np.float32)
    x[1, 4000] = 1
    x[1, 4500] = 1
    x[2, 10] = NAN
    x[2, 20] = NAN
    m = mx.array(x)
    assert mx.argmax(m, axis=1).tolist() == [0, 4000, 10]
    assert mx.argmin(m, axis=1).tolist() == [0, 0, 10]
    assert mx.argmax(mx.array([NAN, 1, NAN])).item() == 0
    assert mx.argmin(mx.array([3, NAN])).item() == 1
    assert mx.argmax(mx.array([1 + 1j, 1 + 2j])).item() == 1
    big = data((4096 * 20,))
    big[70000] = 100
    assert mx.argmax(mx.array(big)).item() == 70000
    t = data((7, 9))
    assert np.array_equal(np.array(mx.argmax(mx.array(t).T, axis=1)), np.argmax(t.T, axis=1))
    assert mx.array(t).argmax().item() == np.argmax(t)
    with pytest.raises(ValueError):
        mx.argmax(mx.zeros((0,)))
    with pytest.raises(IndexError):
        mx.argmax(mx.zeros((2, 2)), axis=2)


# --- scans ------------------------------------------------------------------------------


def np_scan(f, x, axis, reverse, inclusive, ident):
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    if reverse:
        x = np.flip(x, axis)
    y = f(x, axis=axis)
    if not inclusive:
        y = np.concatenate([np.full_like(np.take(y, [0], axis=axis), ident),
                            np.delete(y, -1, axis=axis)], axis=axis)
    if reverse:
        y = np.flip(y, axis)
    return y


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("inclusive", [True, False])
def test_scans(axis, reverse, inclusive):
    x = data((5, 600)).astype(np.float64)
    m = mx.array(x.astype(np.float32))
    cases = [(mx.cumsum, np.cumsum, 0.0), (mx.cummax, np.maximum.accumulate, -np.inf),
             (mx.cummin, np.minimum.accumulate, np.inf)]
    for f, nf, ident in cases:
        close(f(m, axis=axis, reverse=reverse, inclusive=inclusive),
              np_scan(nf, x, axis, reverse, inclusive, ident), 1e-4)
    small = mx.array((x[:, :8] * 0.5 + 1).astype(np.float32))
    close(mx.cumprod(small, axis=axis, reverse=reverse, inclusive=inclusive),
          np_scan(np.cumprod, x[:, :8] * 0.5 + 1, axis, reverse, inclusive, 1.0), 1e-4)
    lcse = np_scan(np.logaddexp.accumulate, x, axis, reverse, inclusive, -np.inf)
    close(mx.logcumsumexp(m, axis=axis, reverse=reverse, inclusive=inclusive), lcse, 1e-4)


def test_scan_dtypes():
    # Values and dtypes read off MLX 0.32.4.
    assert mx.cumsum(mx.array([True, False, True])).dtype == mx.int32
    assert mx.cumsum(mx.array([100, 100], dtype=mx.int8)).tolist() == [100, -56]
    assert mx.cumprod(mx.array([True, True])).dtype == mx.bool_
    assert mx.cumsum(mx.array([1, 2], dtype=mx.int8), dtype=mx.float32).dtype == mx.float32
    assert mx.logcumsumexp(mx.array([1, 2])).dtype == mx.float32
    assert mx.cummin(mx.array([1, 2, 0]), inclusive=False).tolist() == [2147483647, 1, 1]
    assert mx.cummax(mx.array([1, 2], dtype=mx.uint8), inclusive=False).tolist() == [0, 1]
    c = mx.cummax(mx.array([1.0, NAN, 3.0])).tolist()
    assert c[0] == 1 and math.isnan(c[1]) and math.isnan(c[2])
    h = RNG.random(3000).astype(np.float16)  # float16 accumulates in float16
    assert np.array_equal(np.array(mx.cumsum(mx.array(h))), np.cumsum(h, dtype=np.float16))
    assert mx.cumsum(mx.array(3.0)).shape == (1,)
    assert mx.array([1, 2, 3]).cumsum().tolist() == [1, 3, 6]
    with pytest.raises(IndexError):
        mx.cumsum(mx.array(3.0), axis=0)


def test_diff():
    x = RNG.integers(-9, 9, (4, 7))
    for n in [0, 1, 2, 3, 10]:
        for axis in [0, 1, -1]:
            assert np.array_equal(np.array(mx.diff(mx.array(x), n=n, axis=axis)),
                                  np.diff(x, n=n, axis=axis))
    assert mx.diff(mx.array([True, False, True])).tolist() == [True, True]
    with pytest.raises(ValueError):
        mx.diff(mx.array([1, 2]), n=-1)
    with pytest.raises(IndexError):
        mx.diff(mx.array(1))


# --- sorting --------------------------------------------------------------------------------

SORT_DTYPES = [np.float32, np.float64, np.float16, np.int8, np.int16, np.int32, np.int64,
               np.uint8, np.uint32, np.uint64, np.bool_]


@pytest.mark.parametrize("dtype", SORT_DTYPES)
@pytest.mark.parametrize("axis", [-1, 0, 1, None])
def test_sort_argsort(dtype, axis):
    x = (data((6, 300)) * 40).astype(dtype)
    m = mx.array(x)
    assert np.array_equal(np.array(mx.sort(m, axis=axis)), np.sort(x, axis=axis))
    got = np.array(mx.argsort(m, axis=axis))
    assert np.array_equal(got, np.argsort(x, axis=axis, kind="stable"))


def test_sort_nan_zero_and_views():
    x = mx.array([3.0, NAN, -NAN, 1, INF, -0.0, 0.0, -INF])
    assert mx.argsort(x).tolist() == [7, 5, 6, 3, 0, 4, 1, 2]
    s = np.array(mx.sort(x))
    assert np.array_equal(s[:6], [-INF, 0, 0, 1, 3, INF]) and np.isnan(s[6:]).all()
    assert np.signbit(s[1]) and not np.signbit(s[2])  # stable: -0 stays before +0
    assert mx.argsort(mx.array([1, 1, 1, 0, 0, 1])).tolist() == [3, 4, 0, 1, 2, 5]
    c = mx.sort(mx.array([1 + 2j, 1 + 1j, 0 + 5j])).tolist()
    assert c == [5j, 1 + 1j, 1 + 2j]
    big = data((1 << 16,))
    big[::97] = NAN
    assert np.array_equal(np.array(mx.argsort(mx.array(big))), np.argsort(big, kind="stable"))
    t = data((50, 40))
    assert np.array_equal(np.array(mx.sort(mx.array(t).T, axis=1)), np.sort(t.T, axis=1))
    with pytest.raises(IndexError):
        mx.sort(mx.array(3.0))


def test_partition_topk():
    x = RNG.integers(0, 50, (5, 33)).astype(np.int32)
    m = mx.array(x)
    for kth in [0, 5, 32, -1, -33]:
        p = np.array(mx.partition(m, kth, axis=1))
        k = kth % 33
        s = np.sort(x, axis=1)
        assert np.array_equal(p[:, k], s[:, k])
        assert (p[:, :k] <= p[:, k:k + 1]).all() and (p[:, k + 1:] >= p[:, k:k + 1]).all()
        ap = np.array(mx.argpartition(m, kth, axis=1))
        assert np.array_equal(np.take_along_axis(x, ap, 1)[:, k], s[:, k])
    for k in [0, 1, 7, 33]:
        t = np.array(mx.topk(m, k, axis=1))
        assert t.shape == (5, k)
        assert np.array_equal(np.sort(t, axis=1), np.sort(x, axis=1)[:, 33 - k:])
    assert sorted(mx.topk(mx.array([[5, 1, 4], [2, 3, 9]]), 2, axis=None).tolist()) == [5, 9]
    with pytest.raises(ValueError):
        mx.partition(m, 33)
    with pytest.raises(ValueError):
        mx.topk(m, 34)


def test_searchsorted():
    seq = np.sort(RNG.integers(0, 20, 50)).astype(np.int32)
    vals = RNG.integers(-2, 23, (4, 6)).astype(np.int32)
    for side in ["left", "right"]:
        got = mx.searchsorted(mx.array(seq), mx.array(vals), side=side)
        assert got.dtype == mx.uint32
        assert np.array_equal(np.array(got), np.searchsorted(seq, vals, side=side))
    # Mixed dtypes promote; NaN sorts last (values read off MLX 0.32.4).
    assert mx.searchsorted(mx.array([1, 2, 3]), mx.array([1.5, NAN, 2.0])).tolist() == [1, 3, 1]
    assert mx.searchsorted(mx.array([1.0, 2, NAN]), mx.array([NAN, 5.0])).tolist() == [2, 2]
    with pytest.raises(ValueError):
        mx.searchsorted(mx.array([[1, 2]]), mx.array([1]))
    with pytest.raises(ValueError):
        mx.searchsorted(mx.array([1, 2]), mx.array([1]), side="mid")


# --- closeness ------------------------------------------------------------------------------


def test_isclose_allclose_array_equal():
    a = np.array([1.0, INF, -INF, INF, NAN, 0.0, 1e-9], np.float32)
    b = np.array([1.000001, INF, INF, 1.0, NAN, 1e-9, 0.0], np.float32)
    for eq in [False, True]:
        got = np.array(mx.isclose(mx.array(a), mx.array(b), equal_nan=eq))
        assert np.array_equal(got, np.isclose(a, b, equal_nan=eq))
    got = np.array(mx.isclose(mx.array(a), mx.array(b), rtol=0.1, atol=0.0))
    assert np.array_equal(got, np.isclose(a, b, rtol=0.1, atol=0.0))
    assert mx.allclose(mx.array([1, 2]), mx.array([[1, 2], [1, 2]])).item()
    assert not mx.allclose(mx.array(a), mx.array(b)).item()
    assert mx.isclose(mx.array([1, 2], dtype=mx.int32), mx.array([1.000001, 2.5])).tolist() == [True, False]
    assert mx.array_equal(mx.array([1, 2]), mx.array([1.0, 2.0])).item()
    assert not mx.array_equal(mx.array([1, 2]), mx.array([1, 2, 3])).item()
    assert not mx.array_equal(mx.array([NAN]), mx.array([NAN])).item()
    assert mx.array_equal(mx.array([NAN]), mx.array([NAN]), equal_nan=True).item()
    assert mx.array_equal(2**62 + 1, mx.array(2**62 + 1, dtype=mx.int64)).item()
    assert not mx.array_equal(mx.array(2**62 + 1, dtype=mx.int64),
                              mx.array(2**62, dtype=mx.int64)).item()


def test_methods():
    x = data((3, 4))
    m = mx.array(x)
    for name in ["max", "min", "mean", "prod", "var", "std", "logsumexp"]:
        close(getattr(m, name)(axis=1), getattr(mx, name)(m, axis=1))
    for name in ["all", "any"]:
        assert getattr(m, name)().item() == getattr(np, name)(x)
    for name in ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"]:
        close(getattr(m, name)(axis=0, reverse=True), getattr(mx, name)(m, axis=0, reverse=True))
    assert m.argmin(axis=0).tolist() == np.argmin(x, axis=0).tolist()
