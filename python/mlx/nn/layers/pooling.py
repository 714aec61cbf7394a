"""Max and average pooling over channels-last inputs.

A pooled output is built from one strided slice per kernel offset: for
offset ``o`` along an axis the slice starts at ``o`` and steps by the stride,
so every slice has the output's shape and the reduction is element-wise over
the slices.  Padding uses ``-inf`` (the type's lowest value for integers) for
max pooling and zeros for average pooling; padded zeros count in the average.
"""

import math
from typing import Optional, Tuple, Union

import mlx.core as mx
from mlx.nn.layers.base import Module


def _as_tuple(name, cls_name, value, n):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    if len(value) != n or not all(isinstance(v, int) for v in value):
        plural = "integer" if n == 1 else "integers"
        raise ValueError(
            f"[{cls_name}] '{name}' must be an integer or a tuple containing "
            f"{n} {plural}"
        )
    return value


def _lowest(dtype):
    if mx.issubdtype(dtype, mx.inexact):
        return -float("inf")
    if dtype == mx.bool_:
        return False
    return mx.iinfo(dtype).min


class _Pool(Module):
    _dims = 0
    _kind = ""

    def __init__(self, kernel_size, stride, padding):
        super().__init__()
        name = type(self).__name__
        n = self._dims
        kernel_size = _as_tuple("kernel_size", name, kernel_size, n)
        stride = kernel_size if stride is None else _as_tuple("stride", name, stride, n)
        padding = _as_tuple("padding", name, padding, n)
        for label, value, ok, need in (
            ("kernel_size", kernel_size, lambda v: v > 0, "positive"),
            ("stride", stride, lambda v: v > 0, "positive"),
            ("padding", padding, lambda v: v >= 0, "non-negative"),
        ):
            if not all(ok(v) for v in value):
                raise ValueError(f"[{name}] '{label}' must be {need} but got {value}.")
        # The spatial axes, counted from the end (channels last).
        self._axes = tuple(range(-n - 1, -1))
        self._kernel_size = kernel_size
        self._stride = stride
        self._padding = padding

    def _extra_repr(self):
        return (
            f"kernel_size={self._kernel_size}, stride={self._stride}, "
            f"padding={self._padding}"
        )

    def __call__(self, x):
        n = self._dims
        if x.ndim < 3:
            raise ValueError(
                "To extract sliding windows at least 1 spatial dimension "
                f"(3 total) is needed but the input only has {x.ndim} dimensions."
            )
        if x.ndim - 2 != n:
            raise ValueError(
                "To extract sliding windows the window shapes and strides must have "
                "the same number of spatial dimensions as the signal but the signal "
                f"has {x.ndim - 2} dims and the window shape has {n} and strides "
                f"have {n}."
            )
        spatial = [x.ndim + a for a in self._axes]
        if any(self._padding):
            fill = _lowest(x.dtype) if self._kind == "max" else 0
            widths = [(0, 0)] * x.ndim
            for axis, p in zip(spatial, self._padding):
                widths[axis] = (p, p)
            x = mx.pad(x, widths, constant_values=fill)

        outs = []
        for axis, k, s in zip(spatial, self._kernel_size, self._stride):
            outs.append(max((x.shape[axis] - k) // s + 1, 0))

        acc = None
        for offsets in _offsets(self._kernel_size):
            index = [slice(None)] * x.ndim
            for axis, o, s, m in zip(spatial, offsets, self._stride, outs):
                index[axis] = slice(o, o + s * (m - 1) + 1, s) if m > 0 else slice(0, 0)
            window = x[tuple(index)]
            if acc is None:
                acc = window
            elif self._kind == "max":
                acc = mx.maximum(acc, window)
            else:
                acc = acc + window
        if self._kind == "avg":
            if not mx.issubdtype(acc.dtype, mx.inexact):
                acc = acc.astype(mx.float32)
            acc = acc / math.prod(self._kernel_size)
        return acc


def _offsets(kernel):
    # Every tuple of per-axis kernel offsets, last axis fastest.
    if not kernel:
        yield ()
        return
    for first in range(kernel[0]):
        for rest in _offsets(kernel[1:]):
            yield (first,) + rest


def _make(name, dims, kind, doc):
    def __init__(self, kernel_size, stride=None, padding=0):
        _Pool.__init__(self, kernel_size, stride, padding)

    t = Tuple[(int,) * dims]
    __init__.__annotations__ = {
        "kernel_size": Union[int, t],
        "stride": Optional[Union[int, t]],
        "padding": Union[int, t] if dims == 1 else Optional[Union[int, t]],
    }
    cls = type(name, (_Pool,), {"_dims": dims, "_kind": kind, "__init__": __init__})
    cls.__doc__ = doc
    cls.__module__ = __name__
    return cls


MaxPool1d = _make("MaxPool1d", 1, "max", "Max pooling over ``(N, L, C)`` inputs.")
MaxPool2d = _make("MaxPool2d", 2, "max", "Max pooling over ``(N, H, W, C)`` inputs.")
MaxPool3d = _make("MaxPool3d", 3, "max", "Max pooling over ``(N, D, H, W, C)`` inputs.")
AvgPool1d = _make("AvgPool1d", 1, "avg", "Average pooling over ``(N, L, C)`` inputs.")
AvgPool2d = _make("AvgPool2d", 2, "avg", "Average pooling over ``(N, H, W, C)`` inputs.")
AvgPool3d = _make("AvgPool3d", 3, "avg", "Average pooling over ``(N, D, H, W, C)`` inputs.")
