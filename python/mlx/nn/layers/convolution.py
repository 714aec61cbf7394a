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


class Conv1d(Module):
    """1D convolution of ``(N, L, C_in)`` inputs."""

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
        super().__init__()
        _check_groups(in_channels, groups)
        self.weight = _init_weight(in_channels, out_channels, (kernel_size,), groups)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.dilation = dilation
        self.stride = stride
        self.groups = groups

    def _extra_repr(self):
        out_c, k, in_c = self.weight.shape
        return (
            f"{in_c * self.groups}, {out_c}, kernel_size={k}, stride={self.stride}, "
            f"padding={self.padding}, dilation={self.dilation}, "
            f"groups={self.groups}, bias={'bias' in self}"
        )

    def __call__(self, x):
        y = mx.conv1d(x, self.weight, self.stride, self.padding, self.dilation, self.groups)
        if "bias" in self:
            y = y + self.bias
        return y


class Conv2d(Module):
    """2D convolution of ``(N, H, W, C_in)`` inputs."""

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
        super().__init__()
        _check_groups(in_channels, groups)
        kernel_size, stride, padding = (
            _tuple(v, 2) for v in (kernel_size, stride, padding)
        )
        self.weight = _init_weight(in_channels, out_channels, kernel_size, groups)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.stride = stride
        self.dilation = dilation
        self.groups = groups

    def _extra_repr(self):
        out_c = self.weight.shape[0]
        in_c = self.weight.shape[-1] * self.groups
        return (
            f"{in_c}, {out_c}, kernel_size={self.weight.shape[1:3]}, "
            f"stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, groups={self.groups}, bias={'bias' in self}"
        )

    def __call__(self, x):
        y = mx.conv2d(x, self.weight, self.stride, self.padding, self.dilation, self.groups)
        if "bias" in self:
            y = y + self.bias
        return y


class Conv3d(Module):
    """3D convolution of ``(N, D, H, W, C_in)`` inputs."""

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
        super().__init__()
        kernel_size, stride, padding = (
            _tuple(v, 3) for v in (kernel_size, stride, padding)
        )
        self.weight = _init_weight(in_channels, out_channels, kernel_size)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.stride = stride
        self.dilation = dilation

    def _extra_repr(self):
        out_c = self.weight.shape[0]
        in_c = self.weight.shape[-1]
        return (
            f"{in_c}, {out_c}, kernel_size={self.weight.shape[1:4]}, "
            f"stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, bias={'bias' in self}"
        )

    def __call__(self, x):
        y = mx.conv3d(x, self.weight, self.stride, self.padding, self.dilation)
        if "bias" in self:
            y = y + self.bias
        return y
