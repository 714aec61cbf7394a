"""mlx.nn.init: shapes, dtypes, error messages (read off real MLX 0.32.4)
and statistics of large samples against the documented distributions."""

import inspect
import math

import numpy as np
import pytest

import mlx.core as mx
import mlx.nn.init as init

N = 200_000


def sample(initializer, shape, *args, **kwargs):
    out = initializer(mx.zeros(shape), *args, **kwargs)
    assert tuple(out.shape) == tuple(shape)
    return out


def test_public_names_match_mlx():
    names = sorted(n for n, v in vars(init).items()
                   if inspect.isfunction(v) and not n.startswith("_") and v.__module__ == init.__name__)
    assert names == ["constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
                     "identity", "normal", "orthogonal", "sparse", "uniform"]


def test_constant():
    out = sample(init.constant(2), (2,))
    assert out.dtype == mx.float32 and out.tolist() == [2.0, 2.0]
    # The input's dtype does not matter; the initializer's does.
    out = init.constant(2.5, mx.float16)(mx.zeros((2, 3), mx.int32))
    assert out.dtype == mx.float16 and np.all(np.array(out) == 2.5)


def test_normal_statistics():
    out = sample(init.normal(2.0, 3.0), (N,))
    assert out.dtype == mx.float32
    a = np.array(out)
    assert abs(a.mean() - 2.0) < 0.05 and abs(a.std() - 3.0) < 0.05
    assert sample(init.normal(dtype=mx.float16), (4,)).dtype == mx.float16
    assert sample(init.normal(dtype=mx.bfloat16), (4,)).dtype == mx.bfloat16
    with pytest.raises(ValueError):
        init.normal(dtype=mx.int32)(mx.zeros((2,)))


def test_uniform_statistics():
    a = np.array(sample(init.uniform(-2.0, 3.0), (N,)))
    assert a.min() >= -2.0 and a.max() < 3.0
    assert abs(a.mean() - 0.5) < 0.05
    assert abs(a.std() - 5 / math.sqrt(12)) < 0.05
    d = np.array(sample(init.uniform(), (N,)))
    assert d.min() >= 0.0 and d.max() < 1.0
    assert sample(init.uniform(dtype=mx.float16), (2,)).dtype == mx.float16


def test_identity():
    out = init.identity(mx.int32)(mx.zeros((2, 2)))
    assert out.dtype == mx.int32 and out.tolist() == [[1, 0], [0, 1]]
    assert np.array_equal(np.array(init.identity()(mx.zeros((5, 5)))), np.eye(5))
    assert init.identity()(mx.zeros((0, 0))).shape == (0, 0)
    for shape in [(3, 4), (3, 3, 3), (3,)]:
        with pytest.raises(ValueError, match=r"The input array must be a square matrix but got shape "
                           + re_shape(shape)):
            init.identity()(mx.zeros(shape))


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)") + r"\."


def test_fan_computation():
    assert init._calculate_fan_in_fan_out(mx.zeros((3, 4))) == (4, 3)
    assert init._calculate_fan_in_fan_out(mx.zeros((3, 5, 6, 4))) == (120, 90)
    for shape in [(3,), ()]:
        with pytest.raises(ValueError, match="Glorot / He initialization requires at least 2 "
                           f"dimensional input but input with {len(shape)} dimensions."):
            init._calculate_fan_in_fan_out(mx.zeros(shape))


@pytest.mark.parametrize("gain", [1.0, 3.0])
def test_glorot_normal(gain):
    shape = (40, 5000)
    a = np.array(sample(init.glorot_normal(), shape, gain=gain))
    std = gain * math.sqrt(2.0 / (5000 + 40))
    assert abs(a.std() / std - 1) < 0.02 and abs(a.mean()) < 0.01 * std * 10
    # Convolution-shaped weights: the receptive field enters both fans.
    b = np.array(sample(init.glorot_normal(), (64, 3, 3, 32)))
    std = math.sqrt(2.0 / (32 * 9 + 64 * 9))
    assert abs(b.std() / std - 1) < 0.03


@pytest.mark.parametrize("gain", [1.0, 3.0])
def test_glorot_uniform(gain):
    a = np.array(sample(init.glorot_uniform(), (40, 5000), gain=gain))
    limit = gain * math.sqrt(6.0 / (5000 + 40))
    assert a.min() >= -limit and a.max() <= limit
    assert a.max() > 0.99 * limit and a.min() < -0.99 * limit
    assert abs(a.std() / (limit / math.sqrt(3)) - 1) < 0.02
    assert sample(init.glorot_uniform(mx.float16), (4, 4)).dtype == mx.float16
    # The output dtype is the initializer's, not the input's.
    assert init.glorot_uniform()(mx.zeros((2, 2), mx.float16)).dtype == mx.float32


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_he_normal(mode, gain):
    a = np.array(sample(init.he_normal(), (40, 5000), mode=mode, gain=gain))
    fan = 5000 if mode == "fan_in" else 40
    std = gain / math.sqrt(fan)
    assert abs(a.std() / std - 1) < 0.02


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_he_uniform(mode, gain):
    a = np.array(sample(init.he_uniform(), (40, 5000), mode=mode, gain=gain))
    fan = 5000 if mode == "fan_in" else 40
    limit = gain * math.sqrt(3.0 / fan)
    assert a.min() >= -limit and a.max() <= limit and a.max() > 0.99 * limit
    assert abs(a.std() / (limit / math.sqrt(3)) - 1) < 0.02


def test_he_defaults_and_errors():
    a = np.array(sample(init.he_normal(), (10, 20000)))
    assert abs(a.std() * math.sqrt(20000) - 1) < 0.02  # default: fan_in, gain 1
    for maker in (init.he_normal, init.he_uniform):
        with pytest.raises(ValueError, match="Invalid mode: x. Valid modes are: fan_in, fan_out"):
            maker()(mx.zeros((3, 4)), mode="x")
        with pytest.raises(ValueError, match="at least 2 dimensional"):
            maker()(mx.zeros((3,)))
    with pytest.raises(ValueError, match="at least 2 dimensional"):
        init.glorot_normal()(mx.zeros((3,)))


@pytest.mark.parametrize("shape", [(4, 4), (2, 6), (6, 2), (64, 16), (1, 5)])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_orthogonal(shape, gain):
    w = np.array(sample(init.orthogonal(gain=gain), shape)).astype(np.float64)
    rows, cols = shape
    if rows <= cols:
        np.testing.assert_allclose(w @ w.T, gain**2 * np.eye(rows), atol=1e-5 * gain**2)
    else:
        np.testing.assert_allclose(w.T @ w, gain**2 * np.eye(cols), atol=1e-5 * gain**2)


def test_orthogonal_dtype_randomness_and_errors():
    assert sample(init.orthogonal(dtype=mx.float16), (3, 3)).dtype == mx.float16
    a = np.array(init.orthogonal()(mx.zeros((8, 8))))
    b = np.array(init.orthogonal()(mx.zeros((8, 8))))
    assert not np.allclose(a, b)
    for shape, nd in [((3,), 1), ((2, 3, 3), 3)]:
        with pytest.raises(ValueError, match=f"Orthogonal initialization requires a 2D array but got a {nd}D array."):
            init.orthogonal()(mx.zeros(shape))


@pytest.mark.parametrize(
    "sparsity, cols, zeros",
    # ceil(sparsity * cols) zeros per row, as real MLX produces.
    [(0.3, 10, 3), (0.5, 3, 2), (0.5, 7, 4), (0.0, 7, 0), (1.0, 7, 7), (1.5, 7, 7), (-0.1, 7, 0)],
)
def test_sparse_zero_count(sparsity, cols, zeros):
    w = np.array(sample(init.sparse(sparsity), (9, cols)))
    assert np.all((w == 0).sum(axis=1) == zeros)


def test_sparse_statistics_and_errors():
    w = np.array(sample(init.sparse(0.25, mean=1.0, std=2.0), (400, 400)))
    assert np.all((w == 0).sum(axis=1) == 100)
    nonzero = w[w != 0]
    assert abs(nonzero.mean() - 1.0) < 0.03 and abs(nonzero.std() - 2.0) < 0.03
    # Zeros fall in different columns for different rows.
    assert len({tuple(np.flatnonzero(row == 0)) for row in w[:20]}) > 1
    assert sample(init.sparse(0.5, dtype=mx.float16), (4, 4)).dtype == mx.float16
    for shape in [(4,), (4, 4, 4)]:
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            init.sparse(0.5)(mx.zeros(shape))


def test_initializer_signatures():
    def sig(f):
        return [(p.name, p.default) for p in inspect.signature(f).parameters.values()]

    assert sig(init.glorot_normal()) == [("a", inspect.Parameter.empty), ("gain", 1.0)]
    assert sig(init.he_uniform()) == [("a", inspect.Parameter.empty), ("mode", "fan_in"), ("gain", 1.0)]
    assert sig(init.sparse) == [("sparsity", inspect.Parameter.empty), ("mean", 0.0), ("std", 1.0),
                                ("dtype", mx.float32)]
    assert sig(init.orthogonal) == [("gain", 1.0), ("dtype", mx.float32)]
