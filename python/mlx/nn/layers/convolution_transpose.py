"""Transposed convolutions over channels-last inputs.  Weights are
``(out_channels, *kernel, in_channels)``, drawn from U(-k, k) with
k = 1 / sqrt(in_channels * prod(kernel)); the bias starts at zero."""

from typing import Union

import mlx.core as mx
from mlx.nn.layers.base import Module
from mlx.nn.layers.convolution import _init_weight, _tuple


class ConvTranspose1d(Module):
    """1D transposed convolution of ``(N, L, C_in)`` inputs."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        dilation: int = 1,
        output_padding: int = 0,
        bias: bool = True,
    ):
        super().__init__()
        self.weight = _init_weight(in_channels, out_channels, (kernel_size,))
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.dilation = dilation
        self.stride = stride
        self.output_padding = output_padding

    def _extra_repr(self):
        out_c, k, in_c = self.weight.shape
        return (
            f"{in_c}, {out_c}, kernel_size={k}, stride={self.stride}, "
            f"padding={self.padding}, dilation={self.dilation}, "
            f"output_padding={self.output_padding}, bias={'bias' in self}"
        )

    def __call__(self, x):
        y = mx.conv_transpose1d(
            x, self.weight, self.stride, self.padding, self.dilation, self.output_padding
        )
        if "bias" in self:
            y = y + self.bias
        return y


class _ConvTransposeND(Module):
    _n = 0

    def __init__(
        self, in_channels, out_channels, kernel_size, stride, padding, dilation,
        output_padding, bias,
    ):
        super().__init__()
        n = self._n
        kernel_size, stride, padding, output_padding = (
            _tuple(v, n) for v in (kernel_size, stride, padding, output_padding)
        )
        self.weight = _init_weight(in_channels, out_channels, kernel_size)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.stride = stride
        self.dilation = dilation
        self.output_padding = output_padding

    def _extra_repr(self):
        out_c = self.weight.shape[0]
        in_c = self.weight.shape[-1]
        return (
            f"{in_c}, {out_c}, kernel_size={self.weight.shape[1:1 + self._n]}, "
            f"stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, output_padding={self.output_padding}, "
            f"bias={'bias' in self}"
        )


class ConvTranspose2d(_ConvTransposeND):
    """2D transposed convolution of ``(N, H, W, C_in)`` inputs."""

    _n = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, tuple],
        stride: Union[int, tuple] = 1,
        padding: Union[int, tuple] = 0,
        dilation: Union[int, tuple] = 1,
        output_padding: Union[int, tuple] = 0,
        bias: bool = True,
    ):
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            output_padding, bias,
        )

    def __call__(self, x):
        y = mx.conv_transpose2d(
            x, self.weight, self.stride, self.padding, self.dilation, self.output_padding
        )
        if "bias" in self:
            y = y + self.bias
        return y


class ConvTranspose3d(_ConvTransposeND):
    """3D transposed convolution of ``(N, D, H, W, C_in)`` inputs."""

    _n = 3

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, tuple],
        stride: Union[int, tuple] = 1,
        padding: Union[int, tuple] = 0,
        dilation: Union[int, tuple] = 1,
        output_padding: Union[int, tuple] = 0,
        bias: bool = True,
    ):
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            output_padding, bias,
        )

    def __call__(self, x):
        y = mx.conv_transpose3d(
            x, self.weight, self.stride, self.padding, self.dilation, self.output_padding
        )
        if "bias" in self:
            y = y + self.bias
        return y
