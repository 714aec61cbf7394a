"""Upsampling of channels-last inputs ``(N, *spatial, C)`` by nearest
neighbour, (multi)linear or cubic interpolation.

Each spatial axis is resampled on its own (the methods are separable): an
output position is mapped to a fractional input coordinate, and the output
is a weighted sum of input slices gathered along that axis.
"""

from typing import Literal, Tuple, Union

import mlx.core as mx
from mlx.nn.layers.base import Module


def _source_coords(n, scale, align_corners):
    # Fractional input coordinate of each of the int(scale * n) outputs.
    # Without align_corners the output grid (spacing 1 / scale in input
    # units) is centred on the input grid.
    m = int(scale * n)
    d = mx.arange(m, dtype=mx.float32)
    if align_corners:
        return d * ((n - 1) / max(m - 1, 1))
    step = 1 / scale
    shift = ((m - 1) * step - n + 1) / 2
    return d * step - shift


def _nearest_coords(n, scale):
    m = int(scale * n)
    d = mx.arange(m, dtype=mx.float32)
    if m > n:
        # Enlarging: the input pixel whose centre is nearest.
        return mx.round((d + 0.5) * (n / m) - 0.5).astype(mx.int32)
    # Shrinking (or same size): every (n / m)-th input.
    return (d * (n / m)).astype(mx.int32)


def _weighted_take(x, axis, taps):
    # sum_k w_k * take(x, idx_k, axis), with the weights broadcast along axis.
    out = None
    for idx, w in taps:
        shape = [1] * x.ndim
        shape[axis] = -1
        term = mx.take(x, idx, axis=axis) * w.reshape(shape).astype(x.dtype)
        out = term if out is None else out + term
    return out


def _linear_taps(n, scale, align_corners):
    pos = mx.clip(_source_coords(n, scale, align_corners), 0, n - 1)
    lo = mx.floor(pos)
    hi = mx.ceil(pos)
    frac = pos - lo
    return [(lo.astype(mx.int32), 1 - frac), (hi.astype(mx.int32), frac)]


def _cubic_taps(n, scale, align_corners):
    # Keys' cubic convolution kernel with a = -0.75; taps beyond the border
    # read the border value.
    a = -0.75
    pos = _source_coords(n, scale, align_corners)
    base = mx.floor(pos)
    taps = []
    for k in (-1, 0, 1, 2):
        node = base + k
        t = mx.abs(pos - node)
        if k in (0, 1):
            w = ((a + 2) * t - (a + 3)) * t * t + 1
        else:
            w = (((t - 5) * t + 8) * t - 4) * a
        taps.append((mx.clip(node, 0, n - 1).astype(mx.int32), w))
    return taps


def upsample_nearest(x: mx.array, scale_factor: Tuple):
    """Nearest neighbour upsampling of the spatial axes of ``x``."""
    dims = x.ndim - 2
    if dims != len(scale_factor):
        raise ValueError("A scale needs to be provided for each spatial dimension")
    for i, s in enumerate(scale_factor):
        axis = 1 + i
        x = mx.take(x, _nearest_coords(x.shape[axis], s), axis=axis)
    return x


def _interpolate(x, scale_factor, taps_fn, align_corners):
    dims = x.ndim - 2
    if dims != len(scale_factor):
        raise ValueError("A scale needs to be provided for each spatial dimension")
    for i, s in enumerate(scale_factor):
        axis = 1 + i
        x = _weighted_take(x, axis, taps_fn(x.shape[axis], s, align_corners))
    return x


def upsample_linear(x: mx.array, scale_factor: Tuple, align_corners: bool = False):
    """(Multi)linear upsampling of the spatial axes of ``x``."""
    return _interpolate(x, scale_factor, _linear_taps, align_corners)


def upsample_cubic(x: mx.array, scale_factor: Tuple, align_corners: bool = False):
    """Cubic (Keys, a = -0.75) upsampling of the spatial axes of ``x``."""
    return _interpolate(x, scale_factor, _cubic_taps, align_corners)


class Upsample(Module):
    """Upsamples ``(N, *spatial, C)`` inputs by ``scale_factor`` (one number
    for all spatial axes or one per axis); the output size of an axis of
    length ``n`` is ``int(scale * n)``.

    ``mode`` is ``"nearest"``, ``"linear"`` or ``"cubic"``; ``align_corners``
    maps the corner pixels of input and output onto each other (linear and
    cubic only).  ``antialias`` (a low-pass filter when shrinking) is not
    supported by nearest neighbour, and is not implemented for shrinking.
    """

    def __init__(
        self,
        scale_factor: Union[float, Tuple],
        mode: Literal["nearest", "linear", "cubic"] = "nearest",
        align_corners: bool = False,
        antialias: bool = False,
    ):
        super().__init__()
        if mode not in ("nearest", "linear", "cubic"):
            raise ValueError(f"[Upsample] Got unsupported upsampling algorithm: {mode}")
        if antialias and mode == "nearest":
            raise ValueError(
                "[Upsample] Antialiasing is not supported for nearest neighbor upsampling"
            )
        if isinstance(scale_factor, (list, tuple)):
            self.scale_factor = tuple(map(float, scale_factor))
        else:
            self.scale_factor = float(scale_factor)
        self.mode = mode
        self.align_corners = align_corners
        self.antialias = antialias

    def _extra_repr(self) -> str:
        return (
            f"scale_factor={self.scale_factor}, mode={self.mode!r}, "
            f"align_corners={self.align_corners}"
        )

    def __call__(self, x: mx.array) -> mx.array:
        dims = x.ndim - 2
        if dims <= 0:
            raise ValueError(
                "[Upsample] The input should have at least 1 spatial "
                f"dimension which means it should be at least 3D but "
                f"{x.ndim}D was provided"
            )
        scale = self.scale_factor
        if isinstance(scale, tuple):
            if len(scale) != dims:
                raise ValueError(
                    "[Upsample] One scale per spatial dimension is required but "
                    f"scale_factor={scale} and the number of spatial "
                    f"dimensions were {dims}"
                )
        else:
            scale = (scale,) * dims

        if self.antialias and any(s < 1 for s in scale):
            raise NotImplementedError(
                "[Upsample] Antialiased downsampling is not implemented yet"
            )
        if self.mode == "nearest":
            return upsample_nearest(x, scale)
        if self.mode == "linear":
            return upsample_linear(x, scale, self.align_corners)
        return upsample_cubic(x, scale, self.align_corners)
