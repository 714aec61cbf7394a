"""Transposed convolutions over channels-last inputs.  Weights are
``(out_channels, *kernel, in_channels)``, drawn from U(-k, k) with
k = 1 / sqrt(in_channels * prod(kernel)); the bias starts at zero."""

from typing import Union

import mlx.core as mx
from mlx.nn.layers.convolution import _Conv


class ConvTranspose1d(_Conv):
    """1D transposed convolution of ``(N, L, C_in)`` inputs."""

    _op = staticmethod(mx.conv_transpose1d)
    _extra = ("output_padding",)

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
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            bias, output_padding=output_padding,
        )


class ConvTranspose2d(_Conv):
    """2D transposed convolution of ``(N, H, W, C_in)`` inputs."""

    _n = 2
    _op = staticmethod(mx.conv_transpose2d)
    _extra = ("output_padding",)

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
            bias, output_padding=output_padding,
        )


class ConvTranspose3d(_Conv):
    """3D transposed convolution of ``(N, D, H, W, C_in)`` inputs."""

    _n = 3
    _op = staticmethod(mx.conv_transpose3d)
    _extra = ("output_padding",)

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
            bias, output_padding=output_padding,
        )
