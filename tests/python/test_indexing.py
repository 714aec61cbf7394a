"""Indexing: a[key], a[key] = v, a.at[key].op(v), take / take_along_axis /
put_along_axis / slice / slice_update, checked against NumPy (random index
expressions over contiguous, transposed and sliced inputs) and against
behaviour observed in real MLX 0.32.4 (error types, masks, weak scalars)."""

import numpy as np
import pytest

import mlx.core as mx

RNG = np.random.default_rng(1234)


def to_np(x):
    return np.array(x)


def layouts(n):
    """(mx array, numpy array) pairs for the same values in different layouts."""
    yield mx.array(n), n
    if n.ndim >= 2:
        t = np.ascontiguousarray(n.transpose())
        yield mx.transpose(mx.array(t)), n
    big = np.zeros(tuple(2 * d + 1 for d in n.shape), n.dtype)
    sl = tuple(slice(1, 1 + 2 * d, 2) for d in n.shape)
    big[sl] = n
    yield mx.array(big)[sl], n
    rev = tuple(slice(None, None, -1) for _ in n.shape)
    yield mx.array(np.ascontiguousarray(n[rev]))[rev], n


def rand_index_array(dim, rng, bshape):
    """Random indices into a dim, of a shape that broadcasts to bshape."""
    drop = int(rng.integers(0, len(bshape) + 1))
    shape = tuple(d if rng.random() < 0.7 else 1 for d in bshape[drop:])
    return rng.integers(-dim, dim, size=shape) if dim > 0 else np.zeros(shape, np.int64)


def rand_key(shape, rng, allow_arrays=True):
    """A random index expression and its NumPy equivalent."""
    mx_key, np_key = [], []
    axes = list(range(len(shape)))
    bshape = tuple(int(rng.integers(1, 4)) for _ in range(int(rng.integers(0, 3))))
    used = int(rng.integers(0, len(shape) + 1))
    ellipsis_at = int(rng.integers(0, used + 1)) if rng.random() < 0.3 else -1
    for j in range(used):
        if j == ellipsis_at:
            mx_key.append(Ellipsis)
            np_key.append(Ellipsis)
        if rng.random() < 0.15:
            mx_key.append(None)
            np_key.append(None)
        dim = shape[axes[j]] if ellipsis_at < 0 or j < ellipsis_at else shape[
            len(shape) - used + j]
        r = rng.random()
        if r < 0.25 and dim > 0:
            i = int(rng.integers(-dim, dim))
            mx_key.append(i)
            np_key.append(i)
        elif r < 0.6 or not allow_arrays or dim == 0:
            vals = [None] + list(range(-dim - 2, dim + 3))
            start = vals[int(rng.integers(0, len(vals)))]
            stop = vals[int(rng.integers(0, len(vals)))]
            step = [None, 1, 2, 3, -1, -2, -3][int(rng.integers(0, 7))]
            mx_key.append(slice(start, stop, step))
            np_key.append(slice(start, stop, step))
        elif r < 0.8:
            ia = rand_index_array(dim, rng, bshape)
            mx_key.append(mx.array(ia.astype(np.int32)))
            np_key.append(ia)
        else:
            ia = rand_index_array(dim, rng, bshape[-1:])
            lst = ia.tolist() if ia.ndim else [int(ia)]
            mx_key.append(lst)
            np_key.append(np.array(lst))
    if ellipsis_at == used:
        mx_key.append(Ellipsis)
        np_key.append(Ellipsis)
    if rng.random() < 0.1:
        mx_key.append(None)
        np_key.append(None)
    if len(mx_key) == 1 and rng.random() < 0.5:
        return mx_key[0], np_key[0]
    return tuple(mx_key), tuple(np_key)


def explicit_ellipsis(key, ndim):
    """NumPy treats an Ellipsis as separating advanced indices even when it
    stands for no axes; MLX (checked with 0.32.4) does not.  Spelling the
    Ellipsis out as slices gives NumPy MLX's reading."""
    if not isinstance(key, tuple) or not any(k is Ellipsis for k in key):
        return key
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    out = []
    for k in key:
        if k is Ellipsis:
            out.extend([slice(None)] * (ndim - used))
        else:
            out.append(k)
    return tuple(out)


def rand_shape(rng, max_rank=4):
    rank = int(rng.integers(1, max_rank + 1))
    return tuple(int(rng.integers(1, 6)) for _ in range(rank))


@pytest.mark.parametrize("seed", range(40))
def test_getitem_random(seed):
    rng = np.random.default_rng(seed)
    shape = rand_shape(rng)
    n = rng.integers(-100, 100, size=shape).astype(np.float32)
    for a, ref in layouts(n):
        for _ in range(15):
            mk, nk = rand_key(shape, rng)
            want = ref[explicit_ellipsis(nk, len(shape))]
            got = a[mk]
            assert got.shape == want.shape, repr((nk, got.shape, want.shape))
            np.testing.assert_array_equal(to_np(got), want, err_msg=str(mk))


@pytest.mark.parametrize("seed", range(40))
def test_setitem_random(seed):
    rng = np.random.default_rng(100 + seed)
    shape = rand_shape(rng)
    n = rng.integers(-100, 100, size=shape).astype(np.int32)
    for a, ref in layouts(n):
        for _ in range(10):
            mk, nk = rand_key(shape, rng)
            nk = explicit_ellipsis(nk, len(shape))
            target = ref[nk].shape
            # Values: full shape, broadcastable trailing part, or a scalar.
            r = rng.random()
            if r < 0.2:
                val = int(rng.integers(-50, 50))
                mval = val
            else:
                vshape = target if r < 0.7 else target[int(rng.integers(0, len(target) + 1)):]
                val = rng.integers(-50, 50, size=vshape).astype(np.int32)
                mval = mx.array(val)
            want = ref.copy()
            want[nk] = val
            got = mx.array(a) if rng.random() < 0.5 else a
            keep = got
            got[mk] = mval
            np.testing.assert_array_equal(to_np(got), want, err_msg=str(mk))
            if keep is not a:
                # a copy was updated: the original keeps its values
                np.testing.assert_array_equal(to_np(a), ref)
            else:
                ref = want


@pytest.mark.parametrize("seed", range(25))
def test_at_random(seed):
    rng = np.random.default_rng(200 + seed)
    shape = rand_shape(rng, 3)
    n = rng.integers(1, 20, size=shape).astype(np.float32)
    ops = [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
           ("maximum", np.maximum), ("minimum", np.minimum)]
    for a, ref in layouts(n):
        for _ in range(6):
            mk, nk = rand_key(shape, rng)
            nk = explicit_ellipsis(nk, len(shape))
            target = ref[nk].shape
            val = rng.integers(1, 9, size=target).astype(np.float32)
            name, uf = ops[int(rng.integers(0, len(ops)))]
            want = ref.copy()
            uf.at(want, nk, val)
            got = getattr(a.at[mk], name)(mx.array(val))
            np.testing.assert_allclose(to_np(got), want, rtol=1e-6, err_msg=f"{name} {mk}")


def test_at_repeated_indices_accumulate():
    a = mx.zeros((3,))
    np.testing.assert_array_equal(to_np(a.at[mx.array([0, 0, 2, 0])].add(1)), [3, 0, 1])
    b = mx.arange(6).reshape(2, 3)
    # Values checked against real MLX 0.32.4.
    assert b.at[mx.array([0, 0]), 1].add(5).tolist() == [[0, 11, 2], [3, 4, 5]]
    assert b.at[0].divide(2).tolist() == [[0, 0, 0], [3, 4, 5]]
    assert b.at[0].divide(2).dtype == mx.int32
    assert b.at[mx.array([0, 0])].subtract(1).tolist() == [[-2, -1, 0], [3, 4, 5]]
    assert b.at[mx.array([0, 0])].maximum(1.5).tolist() == [[1, 1, 2], [3, 4, 5]]
    assert b.at[mx.array([0, 0])].multiply(2).tolist() == [[0, 4, 8], [3, 4, 5]]
    assert b.at[mx.array([0, 0])].add(1.5).tolist() == [[2, 3, 4], [3, 4, 5]]
    f = mx.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(to_np(f.at[mx.array([2, 2])].divide(2.0)), [1, 2, 1])


def test_setitem_rebinds_and_keeps_other_references():
    a = mx.arange(5)
    b = a
    c = a[1:3]
    a[0] = 10
    assert a.tolist() == [10, 1, 2, 3, 4]
    # Arrays are values: MLX's __setitem__ replaces the object's array, and
    # `b` is the same Python object, so it sees the update; a slice taken
    # before does not.
    assert b.tolist() == [10, 1, 2, 3, 4]
    assert c.tolist() == [1, 2]


def test_setitem_weak_scalar_and_cast():
    a = mx.arange(12).reshape(3, 4)
    a[mx.array([0, 0, 1])] = 2.5
    assert a.dtype == mx.int32
    assert a.tolist()[:2] == [[2] * 4, [2] * 4]
    h = mx.zeros((2,), dtype=mx.float16)
    h[0] = 1.5
    assert h.dtype == mx.float16 and h.tolist() == [1.5, 0.0]


def test_setitem_value_with_extra_leading_ones():
    a = mx.arange(12).reshape(3, 4)
    a[0] = mx.array([[[1, 2, 3, 4]]])
    assert a.tolist()[0] == [1, 2, 3, 4]
    with pytest.raises(ValueError):
        a[0] = mx.array([1, 2])


def test_masked_setitem():
    base = mx.arange(12).reshape(3, 4)
    M3 = mx.array(np.arange(12).reshape(3, 4) % 3 == 0)
    r = mx.array([True, False, True])
    cases = [
        (r, mx.array([1, 2, 3, 4]), [[1, 2, 3, 4], [4, 5, 6, 7], [1, 2, 3, 4]]),
        (r, mx.array([[1, 2, 3, 4], [5, 6, 7, 8]]), [[1, 2, 3, 4], [4, 5, 6, 7], [5, 6, 7, 8]]),
        (r, mx.arange(100, 112).reshape(3, 4),
         [[100, 101, 102, 103], [4, 5, 6, 7], [104, 105, 106, 107]]),
        (r, mx.array([[1], [2]]), [[1, 1, 1, 1], [4, 5, 6, 7], [2, 2, 2, 2]]),
        (M3, mx.arange(100, 104),
         [[100, 1, 2, 101], [4, 5, 102, 7], [8, 103, 10, 11]]),
        (M3, mx.array(5.5), [[5, 1, 2, 5], [4, 5, 5, 7], [8, 5, 10, 11]]),
        ([True, False, True], 7, [[7] * 4, [4, 5, 6, 7], [7] * 4]),
    ]
    for key, val, want in cases:
        c = mx.array(base)
        c[key] = val
        assert c.tolist() == want
    c = mx.array(base)
    with pytest.raises(ValueError):
        c[mx.array([True, False])] = 5
    with pytest.raises(ValueError):
        c[r] = mx.arange(8)
    with pytest.raises(RuntimeError):
        c[M3] = mx.array([5])
        mx.eval(c)


def test_getitem_errors_and_types():
    a = mx.arange(12).reshape(3, 4)
    with pytest.raises(ValueError, match="boolean"):
        a[mx.array([True, False, True])]
    with pytest.raises(ValueError, match="boolean"):
        a[[True, False, True]]
    for bad in (1.5, "x", True, np.array([0, 1])):
        with pytest.raises(ValueError):
            a[bad]
    with pytest.raises(ValueError):
        a[..., ...]
    with pytest.raises(ValueError):
        a[0, 0, 0]
    with pytest.raises(ValueError):
        a[(0, 1),]
    with pytest.raises(ValueError):
        a[mx.array([0.0, 1.0])]
    with pytest.raises(ValueError):
        a[::0]
    with pytest.raises(IndexError):
        a[3]
    with pytest.raises(IndexError):
        a[0, -5]
    with pytest.raises(ValueError):
        mx.array(3.0)[0]
    assert a[np.int64(1)].tolist() == [4, 5, 6, 7]
    assert a[mx.array(1)].tolist() == [4, 5, 6, 7]
    assert a[mx.array([0, 1], dtype=mx.uint8)].shape == (2, 4)
    s = mx.array(3.0)
    assert s[None].shape == (1,) and s[...].shape == ()
    assert a[(1, [0, 1])].tolist() == [4, 5]
    assert a[[[0, 1], [1, 2]]].shape == (2, 2, 4)


def test_getitem_dtypes():
    for dt in [mx.bool_, mx.uint8, mx.int16, mx.uint32, mx.int64, mx.float16, mx.bfloat16,
               mx.float32, mx.float64, mx.complex64]:
        n = (np.arange(24).reshape(2, 3, 4) % 5).astype(np.float32)
        a = mx.array(n).astype(dt)
        n = np.array(a.astype(mx.float32))
        got = a[mx.array([1, 0, 1]), 1:, ::-2]
        want = mx.array(n[np.array([1, 0, 1]), 1:, ::-2]).astype(dt)
        assert got.dtype == dt
        assert mx.array_equal(got, want).item() if hasattr(mx, "array_equal") else True
        np.testing.assert_array_equal(to_np(got.astype(mx.float32)),
                                      to_np(want.astype(mx.float32)))
        c = mx.array(a)
        c[0, mx.array([2, 0])] = a[1, :2]
        w = n.copy()
        w[0, [2, 0]] = n[1, :2]
        np.testing.assert_array_equal(to_np(c.astype(mx.float32)), w)


def test_empty_and_zero_size():
    a = mx.zeros((0, 3))
    assert a[:, 1].shape == (0,)
    assert a[mx.array([], dtype=mx.int32)].shape == (0, 3)
    b = mx.arange(6).reshape(2, 3)
    assert b[5:].shape == (0, 3)
    assert b[:, mx.zeros((0,), dtype=mx.int32)].shape == (2, 0)
    c = mx.array(b)
    c[5:] = 3
    assert c.tolist() == b.tolist()
    with pytest.raises(ValueError):
        b[[]]


def test_take():
    n = np.arange(24).reshape(2, 3, 4).astype(np.float32)
    for a, ref in layouts(n):
        for axis in [None, 0, 1, 2, -1, -3]:
            for idx in [np.array([0, -1, 1]), np.array([[2, 0], [1, -2]]), np.array(1)]:
                dim = ref.size if axis is None else ref.shape[axis]
                idx = np.clip(idx, -dim, dim - 1)
                want = np.take(ref, idx, axis=axis)
                got = mx.take(a, mx.array(idx), axis=axis) if axis is not None else mx.take(
                    a, mx.array(idx))
                assert got.shape == want.shape
                np.testing.assert_array_equal(to_np(got), want)
        assert mx.take(a, 5).item() == 5
        assert mx.take(a, 1, axis=1).tolist() == n[:, 1].tolist()
        assert mx.take(a, -1, axis=2).tolist() == n[:, :, -1].tolist()
    with pytest.raises(IndexError):
        mx.take(mx.array(n), mx.array([0]), axis=3)
    with pytest.raises(ValueError):
        mx.take(mx.array(n), mx.array([0.5]))


def test_take_along_axis_and_put_along_axis():
    rng = np.random.default_rng(7)
    n = rng.standard_normal((3, 4, 5)).astype(np.float32)
    for a, ref in layouts(n):
        for axis in [0, 1, 2, -1]:
            ishape = list(ref.shape)
            ishape[axis] = 6
            idx = rng.integers(-ref.shape[axis], ref.shape[axis], size=ishape)
            want = np.take_along_axis(ref, idx, axis=axis)
            got = mx.take_along_axis(a, mx.array(idx), axis=axis)
            np.testing.assert_array_equal(to_np(got), want)
            # Broadcasting indices on the other axes.
            bshape = [1] * ref.ndim
            bshape[axis] = 2
            bidx = rng.integers(0, ref.shape[axis], size=bshape)
            np.testing.assert_array_equal(
                to_np(mx.take_along_axis(a, mx.array(bidx), axis=axis)),
                np.take_along_axis(ref, bidx, axis=axis))
            # put_along_axis with distinct indices per fiber.
            pshape = list(ref.shape)
            pshape[axis] = 2
            perm = np.argsort(rng.random(ref.shape), axis=axis)
            pidx = np.take(perm, [0, 1], axis=axis)
            vals = rng.standard_normal(pshape).astype(np.float32)
            w = ref.copy()
            np.put_along_axis(w, pidx, vals, axis=axis)
            got = mx.put_along_axis(a, mx.array(pidx), mx.array(vals), axis=axis)
            np.testing.assert_array_equal(to_np(got), w)
        assert mx.take_along_axis(a, mx.array([5, 0]), axis=None).tolist() == [
            float(ref.reshape(-1)[5]), float(ref.reshape(-1)[0])]
    b = mx.arange(6).reshape(2, 3)
    assert mx.put_along_axis(b, mx.array([[0], [1]]), mx.array(9), axis=1).tolist() == [
        [9, 1, 2], [3, 9, 5]]
    assert mx.put_along_axis(b, mx.array([0, 4]), mx.array([7, 8]), axis=None).tolist() == [
        [7, 1, 2], [3, 8, 5]]
    with pytest.raises(ValueError):
        mx.take_along_axis(b, mx.array([0, 1]), axis=1)
    with pytest.raises(IndexError):
        mx.take_along_axis(b, mx.array([[0]]), axis=2)


def test_dynamic_slice_and_update():
    a = mx.arange(12).reshape(3, 4)
    assert mx.slice(a, mx.array([1]), [1], [2, 2]).tolist() == [[1, 2], [5, 6]]
    assert mx.slice(a, mx.array([1, 1]), (0, 1), (1, 2)).tolist() == [[5, 6]]
    assert mx.slice(a, mx.array(1), [1], [2, 2]).tolist() == [[1, 2], [5, 6]]
    assert mx.slice_update(a, mx.array([[7, 7]]), mx.array([1]), (1,)).tolist() == [
        [0, 7, 7, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    assert mx.slice_update(a, mx.array([[7, 7, 7, 7]]), mx.array([1]), (0,)).tolist() == [
        [0, 1, 2, 3], [7, 7, 7, 7], [8, 9, 10, 11]]
    x = mx.arange(5)
    assert mx.slice(x, mx.array([1]), [0], [3]).tolist() == [1, 2, 3]
    assert mx.slice_update(x, mx.array([9, 9]), mx.array([1]), [0]).tolist() == [0, 9, 9, 3, 4]
    with pytest.raises(ValueError):
        mx.slice(a, mx.array([1]), [1], [2])
    with pytest.raises(ValueError):
        mx.slice(a, mx.array([1.0]), [1], [2, 2])
    with pytest.raises(ValueError):
        mx.slice(a, mx.array([1, 2]), [1], [2, 2])
    with pytest.raises(IndexError):
        mx.slice(a, mx.array([1]), [5], [2, 2])
    with pytest.raises(ValueError):
        mx.slice(a, mx.array([1]), [1], [2, 7])
    # Starts past the end are clamped into range (MLX leaves them undefined).
    assert mx.slice(x, mx.array([4]), [0], [3]).tolist() == [2, 3, 4]


def test_views_share_and_large_gather():
    n = np.arange(200000, dtype=np.float32).reshape(1000, 200)
    a = mx.array(n)
    idx = RNG.integers(0, 1000, size=5000)
    np.testing.assert_array_equal(to_np(a[mx.array(idx)]), n[idx])
    np.testing.assert_array_equal(to_np(a[:, mx.array(idx[:50] % 200)]), n[:, idx[:50] % 200])
    z = mx.zeros((1000, 200))
    z2 = z.at[mx.array(idx)].add(mx.ones((5000, 200)))
    want = np.zeros((1000, 200), np.float32)
    np.add.at(want, idx, 1)
    np.testing.assert_array_equal(to_np(z2), want)


def test_signatures():
    import inspect
    assert str(inspect.signature(mx.take)).startswith("(a, /, indices, axis=None, *, stream=None)")
    assert str(inspect.signature(mx.take_along_axis)).startswith("(a, /, indices, axis=-1")
    assert str(inspect.signature(mx.put_along_axis)).startswith(
        "(a, /, indices, values, axis=None")
    assert str(inspect.signature(mx.slice)).startswith("(a, start_indices, axes, slice_size")
    assert str(inspect.signature(mx.slice_update)).startswith(
        "(a, update, start_indices, axes")
