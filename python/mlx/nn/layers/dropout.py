"""Dropout layers: element-wise, and whole channels of 2D and 3D maps."""

import mlx.core as mx
from mlx.nn.layers.base import Module


def _check_probability(p):
    if p < 0 or p >= 1:
        raise ValueError(f"The dropout probability {p} is not in [0, 1)")


class _DropoutBase(Module):
    # What element and channel dropout share: the probability, the repr and
    # the scaled random mask (one entry per element or per channel).

    def __init__(self, p: float = 0.5):
        super().__init__()
        _check_probability(p)
        self._p_1 = 1 - p

    def _extra_repr(self):
        return f"p={1 - self._p_1}"

    def _drop(self, x, mask_shape):
        if self._p_1 == 1 or not self.training:
            return x
        keep = mx.random.bernoulli(self._p_1, mask_shape)
        return (keep * x) * (1 / self._p_1)


class Dropout(_DropoutBase):
    """Zeroes each element with probability ``p`` while training and scales
    the survivors by ``1 / (1 - p)``; the identity in eval mode."""

    def __call__(self, x):
        return self._drop(x, x.shape)


class _ChannelDropout(_DropoutBase):
    # Zeroes whole channels: the mask is broadcast over the spatial axes
    # (the ones between the batch and the channel axis).
    _spatial = 0
    _ranks = ()

    def __call__(self, x):
        if x.ndim not in self._ranks:
            raise ValueError(
                f"Received input with {x.ndim} dimensions. Expected "
                f"{self._ranks[0]} or {self._ranks[1]} dimensions."
            )
        shape = list(x.shape)
        for axis in range(2, 2 + self._spatial):
            shape[-axis] = 1
        return self._drop(x, shape)


class Dropout2d(_ChannelDropout):
    """Drops entire channels of ``(N, H, W, C)`` or ``(H, W, C)`` inputs
    with probability ``p`` while training."""

    _spatial = 2
    _ranks = (3, 4)


class Dropout3d(_ChannelDropout):
    """Drops entire channels of ``(N, D, H, W, C)`` or ``(D, H, W, C)``
    inputs with probability ``p`` while training."""

    _spatial = 3
    _ranks = (4, 5)
