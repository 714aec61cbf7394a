"""Parameter initializers of ``mlx.nn.init``.

Each public function takes the distribution's settings and returns an
``initializer`` callable.  The initializer takes an array and returns a new
array of the same shape (the input's values are ignored) in the dtype chosen
when the initializer was built.

Weights follow MLX's layout ``[out, ..., in]``: the fan-in is the last axis
and the fan-out the first, both multiplied by the size of the axes between
them (the receptive field of a convolution kernel).
"""

import math
from typing import Callable, Literal

import mlx.core as mx

__all__ = [
    "constant",
    "normal",
    "uniform",
    "identity",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "orthogonal",
    "sparse",
]


def constant(
    value: float, dtype: mx.Dtype = mx.float32
) -> Callable[[mx.array], mx.array]:
    """An initializer that fills the array with ``value``.

    Args:
        value (float): The fill value.
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(a: mx.array) -> mx.array:
        return mx.full(a.shape, value, dtype=dtype)

    return initializer


def normal(
    mean: float = 0.0, std: float = 1.0, dtype: mx.Dtype = mx.float32
) -> Callable[[mx.array], mx.array]:
    """An initializer drawing from a normal distribution.

    Args:
        mean (float, optional): The mean. Default: ``0.0``.
        std (float, optional): The standard deviation. Default: ``1.0``.
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(a: mx.array) -> mx.array:
        return mx.random.normal(shape=a.shape, scale=std, loc=mean, dtype=dtype)

    return initializer


def uniform(
    low: float = 0.0, high: float = 1.0, dtype: mx.Dtype = mx.float32
) -> Callable[[mx.array], mx.array]:
    """An initializer drawing uniformly from ``[low, high)``.

    Args:
        low (float, optional): The lower bound. Default: ``0.0``.
        high (float, optional): The upper bound. Default: ``1.0``.
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(a: mx.array) -> mx.array:
        return mx.random.uniform(low, high, a.shape, dtype=dtype)

    return initializer


def identity(dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    """An initializer that returns the identity matrix; the array must be
    square.

    Args:
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(arr: mx.array) -> mx.array:
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
            raise ValueError(
                f"The input array must be a square matrix but got shape {arr.shape}."
            )
        return mx.eye(n=arr.shape[0], dtype=dtype)

    return initializer


def _calculate_fan_in_fan_out(x):
    if x.ndim < 2:
        raise ValueError(
            "Glorot / He initialization requires at least 2 dimensional input"
            f" but input with {x.ndim} dimensions."
        )
    receptive_field = 1
    for size in x.shape[1:-1]:
        receptive_field *= size
    return x.shape[-1] * receptive_field, x.shape[0] * receptive_field


def glorot_normal(
    dtype: mx.Dtype = mx.float32,
) -> Callable[[mx.array, float], mx.array]:
    """A Glorot (Xavier) normal initializer with standard deviation
    ``gain * sqrt(2 / (fan_in + fan_out))``.

    Args:
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array, float], array]: The initializer, taking the array and
        an optional ``gain`` (default ``1.0``).
    """

    def initializer(a: mx.array, gain: float = 1.0) -> mx.array:
        fan_in, fan_out = _calculate_fan_in_fan_out(a)
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
        return mx.random.normal(shape=a.shape, dtype=dtype) * std

    return initializer


def glorot_uniform(
    dtype: mx.Dtype = mx.float32,
) -> Callable[[mx.array, float], mx.array]:
    """A Glorot (Xavier) uniform initializer on ``[-limit, limit]`` with
    ``limit = gain * sqrt(6 / (fan_in + fan_out))``.

    Args:
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array, float], array]: The initializer, taking the array and
        an optional ``gain`` (default ``1.0``).
    """

    def initializer(a: mx.array, gain: float = 1.0) -> mx.array:
        fan_in, fan_out = _calculate_fan_in_fan_out(a)
        limit = gain * math.sqrt(6.0 / (fan_in + fan_out))
        return mx.random.uniform(-limit, limit, a.shape, dtype=dtype)

    return initializer


def _select_fan(a, mode):
    fan_in, fan_out = _calculate_fan_in_fan_out(a)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"Invalid mode: {mode}. Valid modes are: fan_in, fan_out")


def he_normal(
    dtype: mx.Dtype = mx.float32,
) -> Callable[[mx.array, Literal["fan_in", "fan_out"], float], mx.array]:
    """A He (Kaiming) normal initializer with standard deviation
    ``gain / sqrt(fan)``, where ``fan`` is the fan-in or the fan-out
    depending on ``mode``.

    Args:
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array, str, float], array]: The initializer, taking the
        array, ``mode`` (``"fan_in"`` by default) and ``gain`` (``1.0``).
    """

    def initializer(
        a: mx.array,
        mode: Literal["fan_in", "fan_out"] = "fan_in",
        gain: float = 1.0,
    ) -> mx.array:
        fan = _select_fan(a, mode)
        std = gain / math.sqrt(fan)
        return mx.random.normal(shape=a.shape, dtype=dtype) * std

    return initializer


def he_uniform(
    dtype: mx.Dtype = mx.float32,
) -> Callable[[mx.array, Literal["fan_in", "fan_out"], float], mx.array]:
    """A He (Kaiming) uniform initializer on ``[-limit, limit]`` with
    ``limit = gain * sqrt(3 / fan)``, where ``fan`` is the fan-in or the
    fan-out depending on ``mode``.

    Args:
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array, str, float], array]: The initializer, taking the
        array, ``mode`` (``"fan_in"`` by default) and ``gain`` (``1.0``).
    """

    def initializer(
        a: mx.array,
        mode: Literal["fan_in", "fan_out"] = "fan_in",
        gain: float = 1.0,
    ) -> mx.array:
        fan = _select_fan(a, mode)
        limit = gain * math.sqrt(3.0 / fan)
        return mx.random.uniform(-limit, limit, a.shape, dtype=dtype)

    return initializer


def _orthonormal_columns(a):
    """Orthonormalize the columns of the tall float32 matrix ``a``.

    Uses ``mx.linalg.qr`` when the build has it (with the signs of R's
    diagonal folded into Q, so that the result is uniformly distributed);
    otherwise Gram-Schmidt with a second orthogonalization pass, which gives
    the same Q as that sign-fixed QR.
    """
    linalg = getattr(mx, "linalg", None)
    if linalg is not None and hasattr(linalg, "qr"):
        q, r = linalg.qr(a, stream=mx.cpu)
        signs = mx.sign(mx.diag(r))
        signs = mx.where(signs == 0, 1, signs)
        return q * signs
    if a.shape[1] == 0:
        return a
    basis = None
    for j in range(a.shape[1]):
        v = a[:, j : j + 1]
        if basis is not None:
            # Two projection passes keep the columns orthogonal to float32
            # precision (one pass of classical Gram-Schmidt does not).
            for _ in range(2):
                v = v - basis @ (basis.T @ v)
        v = v / mx.sqrt(mx.sum(v * v))
        basis = v if basis is None else mx.concatenate([basis, v], axis=1)
        if j % 32 == 31:
            mx.eval(basis)
    return basis


def orthogonal(
    gain: float = 1.0, dtype: mx.Dtype = mx.float32
) -> Callable[[mx.array], mx.array]:
    """An initializer returning a (semi-)orthogonal matrix scaled by ``gain``.

    For a tall matrix the columns are orthonormal, for a wide one the rows.

    Args:
        gain (float, optional): Scale of the result. Default: ``1.0``.
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(a: mx.array) -> mx.array:
        if a.ndim != 2:
            raise ValueError(
                "Orthogonal initialization requires a 2D array but got"
                f" a {a.ndim}D array."
            )
        rows, cols = a.shape
        tall = max(rows, cols), min(rows, cols)
        sample = mx.random.normal(shape=tall, dtype=mx.float32)
        q = _orthonormal_columns(sample)
        if rows < cols:
            q = q.T
        return (gain * q).astype(dtype)

    return initializer


def sparse(
    sparsity: float,
    mean: float = 0.0,
    std: float = 1.0,
    dtype: mx.Dtype = mx.float32,
) -> Callable[[mx.array], mx.array]:
    """An initializer drawing from a normal distribution and then zeroing
    ``ceil(sparsity * columns)`` randomly chosen entries of every row.

    Args:
        sparsity (float): The fraction of each row set to zero.
        mean (float, optional): The mean of the normal distribution.
          Default: ``0.0``.
        std (float, optional): Its standard deviation. Default: ``1.0``.
        dtype (Dtype, optional): The data type of the result. Default:
          ``float32``.

    Returns:
        Callable[[array], array]: The initializer.
    """

    def initializer(a: mx.array) -> mx.array:
        if a.ndim != 2:
            raise ValueError("Only tensors with 2 dimensions are supported")
        rows, cols = a.shape
        zeros_per_row = min(max(int(math.ceil(sparsity * cols)), 0), cols)
        values = mx.random.normal(shape=a.shape, scale=std, loc=mean, dtype=dtype)
        # The rank of an entry among i.i.d. uniform keys of its row is a
        # random permutation; the entries ranked first are zeroed.
        ranks = mx.argsort(mx.argsort(mx.random.uniform(shape=a.shape), axis=1), axis=1)
        return mx.where(ranks < zeros_per_row, mx.zeros((), dtype=dtype), values)

    return initializer
