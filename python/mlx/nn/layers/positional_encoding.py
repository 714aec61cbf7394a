"""Position encodings: rotary (RoPE), sinusoidal, and ALiBi biases.

mx.fast is not available, so RoPE is computed with plain ops.
"""

import math
from typing import Optional

import mlx.core as mx
from mlx.nn.layers.base import Module


def _rope(x, dims, traditional, base, scale, offset):
    # Rotate feature pairs of each position by angle position * base^(-2i/dims).
    # The angles are computed in float32 and the result keeps x's dtype.
    length = x.shape[-2]
    half = dims // 2
    inv_freq = mx.exp(mx.arange(0, half, dtype=mx.float32) * (-2.0 * math.log(base) / dims))
    positions = (mx.arange(length, dtype=mx.float32) + offset) * scale
    theta = positions[:, None] * inv_freq[None, :]
    cos = mx.cos(theta)
    sin = mx.sin(theta)
    rotated = x[..., :dims]
    if traditional:
        even = rotated[..., 0::2]
        odd = rotated[..., 1::2]
        r0 = even * cos - odd * sin
        r1 = even * sin + odd * cos
        out = mx.stack([r0, r1], axis=-1).reshape(*rotated.shape)
    else:
        a = rotated[..., :half]
        b = rotated[..., half:dims]
        out = mx.concatenate([a * cos - b * sin, a * sin + b * cos], axis=-1)
    out = out.astype(x.dtype)
    if dims < x.shape[-1]:
        out = mx.concatenate([out, x[..., dims:]], axis=-1)
    return out


class RoPE(Module):
    """Rotary positional encoding of the last axis, with positions along the
    second to last.

    Args:
        dims: how many leading features are rotated (the rest pass through).
        traditional: rotate adjacent pairs ``(2i, 2i+1)`` instead of the two
            halves ``(i, i + dims/2)``.
        base: the base of the geometric sequence of frequencies.
        scale: factor applied to the positions.
    """

    def __init__(
        self,
        dims: int,
        traditional: bool = False,
        base: float = 10000,
        scale: float = 1.0,
    ):
        super().__init__()
        self.dims = dims
        self.traditional = traditional
        self.base = base
        self.scale = scale

    def _extra_repr(self):
        return f"{self.dims}, traditional={self.traditional}"

    def __call__(self, x, offset: int = 0):
        if x.ndim < 3:
            raise ValueError(
                "[rope] Input must have at least 3 dimensions but got input "
                f"with {x.ndim} dimensions."
            )
        if isinstance(offset, mx.array):
            offset = offset.astype(mx.float32)
        return _rope(x, self.dims, self.traditional, self.base, self.scale, offset)


class SinusoidalPositionalEncoding(Module):
    r"""Sinusoidal encoding of (possibly fractional) positions.

    The ``dims // 2`` frequencies run geometrically from ``max_freq`` down to
    ``min_freq`` (times :math:`2\pi` with ``full_turns``); the output is
    ``[sin, cos]`` (``[cos, sin]`` with ``cos_first``) of position times
    frequency, times ``scale`` (default :math:`\sqrt{2 / \text{dims}}`).
    """

    def __init__(
        self,
        dims: int,
        min_freq: float = 0.0001,
        max_freq: float = 1,
        scale: Optional[float] = None,
        cos_first: bool = False,
        full_turns: bool = False,
    ):
        super().__init__()
        half = dims // 2
        # Position along the log-frequency range: 1 at max_freq, 0 at min_freq.
        ramp = 1 - mx.arange(0, half) / (half - 1)
        lo, hi = math.log(min_freq), math.log(max_freq)
        self._sigmas = mx.exp(ramp * (hi - lo) + lo)
        if full_turns:
            self._sigmas = self._sigmas * (2 * math.pi)
        self.scale = scale or (2 / dims) ** 0.5
        self.cos_first = cos_first

    def __call__(self, x):
        angles = x[..., None] * self._sigmas
        parts = [mx.sin(angles), mx.cos(angles)]
        if self.cos_first:
            parts.reverse()
        y = mx.concatenate(parts, axis=-1)
        if self.scale != 1:
            y = y * self.scale
        return y


def _alibi_slopes(n):
    # For a power of two n the slopes are 2^(-8 h / n), h = 1..n.  Otherwise
    # the slopes of the next lower power of two p are followed by every other
    # slope of 2p (the ones not already used), n - p of them.
    p = 1 << (n.bit_length() - 1)
    slopes = [2.0 ** (-8.0 * h / p) for h in range(1, p + 1)]
    if p != n:
        slopes += [2.0 ** (-8.0 * h / (2 * p)) for h in range(1, 2 * p + 1, 2)][: n - p]
    return slopes


class ALiBi(Module):
    """Adds ALiBi attention biases to scores of shape
    ``(N, num_heads, L_q, L_k)``: ``-|i - j|`` times a slope per head, with
    query ``i`` at position ``offset + i``."""

    @staticmethod
    def create_alibi_matrix(
        q_sequence_length: int,
        k_sequence_length: int,
        num_heads: int,
        offset: int = 0,
        dtype: mx.Dtype = mx.float32,
    ) -> mx.array:
        q_pos = mx.arange(offset, q_sequence_length)[:, None]
        k_pos = mx.arange(0, k_sequence_length)[None, :]
        distance = -mx.abs(q_pos - k_pos)
        slopes = ALiBi.create_alibi_slope(num_heads, dtype)
        return mx.expand_dims(distance * slopes, 0).astype(dtype)

    @staticmethod
    def create_alibi_slope(num_heads: int, dtype: mx.Dtype = mx.float32) -> mx.array:
        return mx.array(_alibi_slopes(num_heads), dtype=dtype).reshape(num_heads, 1, 1)

    def __call__(
        self, attention_scores: mx.array, offset: int = 0, mask: Optional[mx.array] = None
    ) -> mx.array:
        bias = ALiBi.create_alibi_matrix(
            q_sequence_length=attention_scores.shape[-2] + offset,
            k_sequence_length=attention_scores.shape[-1],
            num_heads=attention_scores.shape[-3],
            offset=offset,
            dtype=attention_scores.dtype,
        )
        if mask is not None:
            bias = bias + mask
        return attention_scores + bias
