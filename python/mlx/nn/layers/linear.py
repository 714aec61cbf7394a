"""Affine layers: Identity, Linear and Bilinear."""

import math
from typing import Any

import mlx.core as mx
from mlx.nn.layers.base import Module


class Identity(Module):
    """Returns its input unchanged; any constructor arguments are ignored so
    that it can stand in for another layer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def __call__(self, x: mx.array) -> mx.array:
        return x


class Linear(Module):
    r"""Affine map :math:`y = x W^\top + b`.

    ``weight`` has shape ``(output_dims, input_dims)``; it and ``bias`` are
    drawn from :math:`\mathcal{U}(-k, k)` with :math:`k = 1/\sqrt{D_{in}}`.
    """

    def __init__(self, input_dims: int, output_dims: int, bias: bool = True) -> None:
        super().__init__()
        bound = math.sqrt(1.0 / input_dims)
        self.weight = mx.random.uniform(-bound, bound, (output_dims, input_dims))
        if bias:
            self.bias = mx.random.uniform(-bound, bound, (output_dims,))

    def _extra_repr(self) -> str:
        out_dims, in_dims = self.weight.shape
        return f"input_dims={in_dims}, output_dims={out_dims}, bias={'bias' in self}"

    def __call__(self, x: mx.array) -> mx.array:
        if "bias" in self:
            return mx.addmm(self["bias"], x, self["weight"].T)
        return x @ self["weight"].T


class Bilinear(Module):
    r"""Bilinear map :math:`y_o = x_1^\top W_o x_2 + b_o`.

    ``weight`` has shape ``(output_dims, input2_dims, input1_dims)``; it and
    ``bias`` are drawn from :math:`\mathcal{U}(-k, k)` with
    :math:`k = 1/\sqrt{D_1}`.
    """

    def __init__(
        self, input1_dims: int, input2_dims: int, output_dims: int, bias: bool = True
    ) -> None:
        super().__init__()
        bound = math.sqrt(1.0 / input1_dims)
        self.weight = mx.random.uniform(
            -bound, bound, (output_dims, input2_dims, input1_dims)
        )
        if bias:
            self.bias = mx.random.uniform(-bound, bound, (output_dims,))

    def _extra_repr(self) -> str:
        out_dims, in2, in1 = self.weight.shape
        return (
            f"input1_dims={in1}, input2_dims={in2}, output_dims={out_dims}, "
            f"bias={'bias' in self}"
        )

    def __call__(self, x1: mx.array, x2: mx.array) -> mx.array:
        out_dims, in2, in1 = self.weight.shape
        lead = x1.shape[:-1]
        a = x1.reshape(-1, in1)
        b = x2.reshape(-1, 1, in2)
        # Contract x1 with the weight first: (N, out * in2), then with x2.
        t = (a @ self.weight.reshape(out_dims * in2, in1).T).reshape(-1, out_dims, in2)
        y = (t * b).sum(axis=-1)
        if "bias" in self:
            y = y + self.bias
        return y.reshape(*lead, out_dims)
