"""Shape family: creation ops, multi-output ops, views and array methods,
against NumPy (float64) and against values and exception types read off
real MLX 0.32.4."""

import inspect

import numpy as np
import pytest

import mlx.core as mx


def npa(x):
    return np.array(x.tolist() if x.ndim else x.item()).reshape(x.shape)


def test_linspace():
    # MLX computes (1 - t) * start + t * stop in float32: 0.59999996 here.
    got = mx.linspace(0.1, 0.7, 7)
    assert got.dtype == mx.float32
    want = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.59999996, 0.7], np.float32)
    assert np.array_equal(np.array(got.tolist(), np.float32), want)
    assert mx.linspace(5, 1, 3, dtype=mx.int32).tolist() == [5, 3, 1]
    assert mx.linspace(0, 1, 1).tolist() == [0.0]
    assert mx.linspace(0, 1, 0).shape == (0,)
    np.testing.assert_allclose(npa(mx.linspace(0, 1, 5, endpoint=False)),
                               np.linspace(0, 1, 5, endpoint=False), rtol=1e-6)
    np.testing.assert_allclose(npa(mx.linspace(-3.3, 7.1, 13)), np.linspace(-3.3, 7.1, 13),
                               rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError):
        mx.linspace(0, 1, -1)


@pytest.mark.parametrize("n,m,k", [(3, None, 0), (3, 4, 1), (4, 3, -2), (3, 3, 5), (0, None, 0)])
def test_eye_tri(n, m, k):
    assert np.array_equal(npa(mx.eye(n, m, k)), np.eye(n, m, k))
    assert np.array_equal(npa(mx.tri(n, m, k)), np.tri(n, m, k))
    assert mx.eye(n, m, k).dtype == mx.float32 and mx.tri(n, m, k).dtype == mx.float32
    assert mx.eye(n, m, k, dtype=mx.int32).dtype == mx.int32


def test_eye_errors_and_identity():
    with pytest.raises(ValueError):
        mx.eye(-1)
    assert mx.identity(2, mx.bool_).tolist() == [[True, False], [False, True]]
    assert mx.tri(-1).shape == (0, 0)


@pytest.mark.parametrize("k", [-2, 0, 1, 4])
def test_tril_triu(k):
    x = np.arange(24).reshape(2, 3, 4)
    a = mx.array(x)
    assert np.array_equal(npa(mx.tril(a, k)), np.tril(x, k))
    assert np.array_equal(npa(mx.triu(a, k)), np.triu(x, k))
    with pytest.raises(ValueError):
        mx.tril(mx.arange(3))


@pytest.mark.parametrize("name", ["bartlett", "hanning", "hamming", "blackman"])
@pytest.mark.parametrize("m", [0, 1, 2, 5, 16])
def test_windows(name, m):
    got = getattr(mx, name)(m)
    assert got.dtype == mx.float32 and got.shape == (m,)
    np.testing.assert_allclose(npa(got), getattr(np, name)(m), atol=1e-6)


def test_full_like_empty_asarray():
    a = mx.arange(6).reshape(2, 3)
    assert mx.full_like(a, 2.5).tolist() == [[2, 2, 2], [2, 2, 2]]
    assert mx.full_like(a, 2.5, dtype=mx.float32).dtype == mx.float32
    assert mx.full_like(a, mx.array([1, 2, 3])).tolist() == [[1, 2, 3], [1, 2, 3]]
    assert mx.empty((2, 3)).shape == (2, 3) and mx.empty((2, 3)).dtype == mx.float32
    assert mx.empty_like(a).dtype == mx.int32
    assert mx.asarray([1, 2]).dtype == mx.int32
    assert mx.asarray(a, mx.float32).dtype == mx.float32
    assert mx.asarray(np.arange(3.0)).tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError):
        mx.asarray(np.arange(3), copy=False)


def test_meshgrid():
    x, y = np.arange(2), np.arange(3)
    for indexing in ("xy", "ij"):
        for sparse in (False, True):
            got = mx.meshgrid(mx.array(x), mx.array(y), sparse=sparse, indexing=indexing)
            want = np.meshgrid(x, y, sparse=sparse, indexing=indexing)
            assert isinstance(got, tuple) and len(got) == 2
            for g, w in zip(got, want):
                assert np.array_equal(npa(g), w)
    assert mx.meshgrid(mx.arange(2), mx.arange(3), mx.arange(4))[0].shape == (3, 2, 4)
    assert mx.meshgrid() == ()
    with pytest.raises(ValueError):
        mx.meshgrid(mx.arange(2), indexing="foo")
    sig = inspect.signature(mx.meshgrid)
    assert sig.parameters["arrays"].kind == inspect.Parameter.VAR_POSITIONAL
    assert sig.parameters["indexing"].kind == inspect.Parameter.KEYWORD_ONLY


def test_split_unstack():
    x = np.arange(24).reshape(4, 6)
    a = mx.array(x)
    parts = mx.split(a, 3, axis=1)
    assert isinstance(parts, list) and len(parts) == 3
    for g, w in zip(parts, np.split(x, 3, axis=1)):
        assert np.array_equal(npa(g), w)
    for idx in ([1], [2, 1], [-1], [1, 5, 9]):
        got = mx.split(a, idx, axis=1)
        want = np.split(x, idx, axis=1)
        assert [g.shape for g in got] == [w.shape for w in want]
        for g, w in zip(got, want):
            assert np.array_equal(npa(g), w)
    with pytest.raises(ValueError):
        mx.split(a, 4, axis=1)
    with pytest.raises(ValueError):
        mx.split(a, 0)
    got = mx.unstack(a, axis=1)
    assert isinstance(got, tuple) and len(got) == 6
    assert np.array_equal(npa(got[4]), x[:, 4])
    assert mx.unstack(mx.zeros((0, 2))) == ()
    with pytest.raises(IndexError):
        mx.unstack(a, axis=2)
    assert [p.shape for p in a.split(2)] == [(2, 6), (2, 6)]


def test_broadcast_arrays_shapes_atleast():
    a = mx.arange(6).reshape(2, 3)
    got = mx.broadcast_arrays(a, mx.array(1.0))
    assert isinstance(got, list) and got[1].shape == (2, 3) and got[1].dtype == mx.float32
    with pytest.raises(ValueError):
        mx.broadcast_arrays(a, mx.zeros(2))
    assert mx.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert mx.broadcast_shapes([2, 3]) == (2, 3)
    with pytest.raises(ValueError):
        mx.broadcast_shapes((2, 1), (3, 2))
    with pytest.raises(ValueError):
        mx.broadcast_shapes()
    one = mx.array(1)
    for fn, nfn in ((mx.atleast_1d, np.atleast_1d), (mx.atleast_2d, np.atleast_2d),
                    (mx.atleast_3d, np.atleast_3d)):
        for x in (np.array(1), np.arange(2), np.arange(6).reshape(2, 3)):
            assert fn(mx.array(x)).shape == nfn(x).shape
        both = fn(a, one)
        assert isinstance(both, list) and len(both) == 2


def test_as_strided_view_contiguous():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    a = mx.array(x)
    assert mx.as_strided(a, (3, 2), (1, 3)).tolist() == [[0, 3], [1, 4], [2, 5]]
    assert mx.as_strided(a.T).tolist() == x.T.tolist()  # copied to row order first
    assert mx.as_strided(a, (2,), (1,), 3).tolist() == [3, 4]
    with pytest.raises(ValueError):
        mx.as_strided(a, (7,), (1,))  # would read past the data (MLX does not check)
    assert np.array_equal(npa(mx.view(a, mx.uint8)), x.view(np.uint8))
    assert np.array_equal(npa(a.T.view(mx.int16)), np.ascontiguousarray(x.T).view(np.int16))
    f = np.arange(4, dtype=np.float32)
    assert np.array_equal(npa(mx.view(mx.array(f), mx.int32)), f.view(np.int32))
    assert mx.view(1.0, mx.int32).item() == 1065353216
    with pytest.raises(ValueError):
        mx.view(a, mx.int64)
    with pytest.raises(ValueError):
        mx.view(mx.array(1.0), mx.int16)
    assert mx.contiguous(a.T).tolist() == x.T.tolist()


def test_methods_and_aliases():
    a = mx.arange(24).reshape(2, 3, 4)
    x = np.arange(24).reshape(2, 3, 4)
    assert a.flatten(1).shape == (2, 12)
    assert a.swapaxes(0, 2).shape == (4, 3, 2)
    assert a.moveaxis(0, -1).shape == (3, 4, 2)
    assert mx.expand_dims(a, 0).squeeze().shape == (2, 3, 4)
    assert np.array_equal(npa(a.diagonal(1, 1, 2)), x.diagonal(1, 1, 2))
    assert mx.arange(6).reshape(2, 3).diag().tolist() == [0, 4]
    assert a.view(mx.uint8).shape == (2, 3, 16)
    assert mx.concat([a, a], axis=2).shape == (2, 3, 8)
    assert mx.permute_dims(a).shape == (4, 3, 2)
    assert mx.concatenate([a, a], axis=None).shape == (48,)
    with pytest.raises(TypeError):
        mx.concatenate([a, [1, 2]])


def test_views_compose_with_arithmetic():
    x = np.arange(35, dtype=np.float32).reshape(5, 7)
    a = mx.array(x)
    f = mx.flip(a)
    assert np.array_equal(npa(f + a), x[::-1, ::-1] + x)
    assert np.array_equal(npa(mx.flip(f)), x)
    d = mx.diagonal(a)
    assert np.array_equal(npa(d * 2), np.diagonal(x) * 2)
    p = mx.split(a, [2], axis=1)[1]
    assert np.array_equal(npa(p.sum(axis=0)), x[:, 2:].sum(axis=0))


def test_mT_property():
    # MLX 0.32.4: a.mT swaps the last two axes; fewer than 2 dims is a ValueError.
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    a = mx.array(x)
    np.testing.assert_array_equal(np.array(a.mT), np.swapaxes(x, -1, -2))
    with pytest.raises(ValueError):
        mx.array([1, 2]).mT


def test_roll_keywords_and_pad_tuple_pairs():
    # MLX's bindings take shift/axis by keyword and (lo, hi) pairs in a tuple.
    x = mx.arange(6).reshape(2, 3)
    xn = np.arange(6).reshape(2, 3)
    assert mx.roll(x, 1, axis=1).tolist() == np.roll(xn, 1, axis=1).tolist()
    assert mx.roll(x, shift=1, axis=0).tolist() == np.roll(xn, 1, axis=0).tolist()
    want = np.pad(xn, ((1, 2), (0, 1))).tolist()
    assert mx.pad(x, ((1, 2), (0, 1))).tolist() == want
    assert mx.pad(x, [(1, 2), (0, 1)]).tolist() == want
