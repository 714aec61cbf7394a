"""Convolutions over channels-last inputs: (N, L, C), (N, H, W, C) and
(N, D, H, W, C).  Weights are ``(out_channels, *kernel, in_channels / groups)``
and drawn from U(-k, k) with k = 1 / sqrt(in_channels * prod(kernel)); the
bias starts at zero."""

import math
from typing import Union

import mlx.core as mx
from mlx.nn.layers.base import Module


def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else tuple(value)


def _init_weight(in_channels, out_channels, kernel, groups=1):
    bound = math.sqrt(1 / (in_channels * math.prod(kernel)))
    return mx.random.uniform(
        -bound, bound, (out_channels, *kernel, in_channels // groups)
    )


def _check_groups(in_channels, groups):
    if in_channels % groups != 0:
        raise ValueError(
            f"The number of input channels ({in_channels}) must be divisible by "
            f"the number of groups ({groups})"
        )


class _Conv(Module):
    """What every convolution layer shares: the weight and bias, the repr and
    the call.  A subclass names its number of spatial dimensions (``_n``),
    the ``mx`` function it calls (``_op``) and the settings that function
    takes after ``dilation`` (``_extra``: ``groups`` or ``output_padding``)."""

    _n = 1
    _op = None
    _extra = ()

    def __init__(
        self, in_channels, out_channels, kernel_size, stride, padding, dilation,
        bias, **extra,
    ):
        super().__init__()
        groups = extra.get("groups", 1)
        _check_groups(in_channels, groups)
        self.weight = _init_weight(
            in_channels, out_channels, _tuple(kernel_size, self._n), groups
        )
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = self._per_dim(padding)
        self.stride = self._per_dim(stride)
        self.dilation = dilation
        for name in self._extra:
            # groups is one number; output_padding is given per dimension.
            value = extra[name]
            setattr(self, name, value if name == "groups" else self._per_dim(value))

    def _per_dim(self, value):
        # The 1D layers keep their ints as given (as MLX does); the 2D and 3D
        # ones take an int or a tuple and store a tuple.
        return value if self._n == 1 else _tuple(value, self._n)

    def _extra_repr(self):
        out_c = self.weight.shape[0]
        in_c = self.weight.shape[-1] * getattr(self, "groups", 1)
        kernel = self.weight.shape[1:-1]
        if self._n == 1:
            kernel = kernel[0]
        extra = "".join(f", {name}={getattr(self, name)}" for name in self._extra)
        return (
            f"{in_c}, {out_c}, kernel_size={kernel}, stride={self.stride}, "
            f"padding={self.padding}, dilation={self.dilation}{extra}, "
            f"bias={'bias' in self}"
        )

    def __call__(self, x):
        extra = [getattr(self, name) for name in self._extra]
        y = self._op(x, self.weight, self.stride, self.padding, self.dilation, *extra)
        if "bias" in self:
            y = y + self.bias
        return y


class Conv1d(_Conv):
    """1D convolution of ``(N, L, C_in)`` inputs."""

    _op = staticmethod(mx.conv1d)
    _extra = ("groups",)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
    ):
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            bias, groups=groups,
        )


class Conv2d(_Conv):
    """2D convolution of ``(N, H, W, C_in)`` inputs."""

    _n = 2
    _op = staticmethod(mx.conv2d)
    _extra = ("groups",)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, tuple],
        stride: Union[int, tuple] = 1,
        padding: Union[int, tuple] = 0,
        dilation: Union[int, tuple] = 1,
        groups: int = 1,
        bias: bool = True,
    ):
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            bias, groups=groups,
        )


class Conv3d(_Conv):
    """3D convolution of ``(N, D, H, W, C_in)`` inputs."""

    _n = 3
    _op = staticmethod(mx.conv3d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, tuple],
        stride: Union[int, tuple] = 1,
        padding: Union[int, tuple] = 0,
        dilation: Union[int, tuple] = 1,
        bias: bool = True,
    ):
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, bias
        )
