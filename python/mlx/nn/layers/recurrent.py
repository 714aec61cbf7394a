"""Recurrent layers: Elman RNN, GRU and LSTM.

Inputs are ``(N, L, D)`` or ``(L, D)``; the outputs hold the hidden state of
every step, stacked along the length axis.  The input projection of all
steps is one matrix product; only the recurrent part loops.  All weights and
biases are drawn from U(-k, k) with k = 1 / sqrt(hidden_size).
"""

import math
from typing import Callable, Optional

import mlx.core as mx
from mlx.nn.layers.activations import tanh
from mlx.nn.layers.base import Module


def _uniform(bound, shape):
    return mx.random.uniform(-bound, bound, shape)


def _project(x, weight, bias):
    if bias is not None:
        return mx.addmm(bias, x, weight.T)
    return x @ weight.T


class RNN(Module):
    r"""Elman recurrent layer:
    :math:`h_t = \sigma(W_{xh} x_t + b + W_{hh} h_{t-1})` with
    :math:`\sigma` = ``nonlinearity`` (default ``tanh``)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: Optional[Callable] = None,
    ):
        super().__init__()
        self.nonlinearity = nonlinearity or tanh
        if not callable(self.nonlinearity):
            raise ValueError(
                f"Nonlinearity must be callable. Current value: {nonlinearity}."
            )
        self.hidden_size = hidden_size
        k = 1.0 / math.sqrt(hidden_size)
        self.Wxh = _uniform(k, (hidden_size, input_size))
        self.Whh = _uniform(k, (hidden_size, hidden_size))
        if bias:
            self.bias = _uniform(k, (hidden_size,))

    def _extra_repr(self):
        return (
            f"input_dims={self.Wxh.shape[1]}, hidden_size={self.hidden_size}, "
            f"nonlinearity={self.nonlinearity}, bias={'bias' in self}"
        )

    def __call__(self, x, hidden=None):
        xs = _project(x, self.Wxh, self.get("bias"))
        states = []
        for t in range(x.shape[-2]):
            h = xs[..., t, :]
            if hidden is not None:
                h = h + hidden @ self.Whh.T
            hidden = self.nonlinearity(h)
            states.append(hidden)
        return mx.stack(states, axis=-2)


class GRU(Module):
    r"""Gated recurrent unit.

    With gates ordered ``r, z, n`` in ``Wx`` (``(3H, D)``), ``Wh``
    (``(3H, H)``) and ``b`` (``3H``), and ``bhn`` (``H``) the hidden bias of
    the candidate:

    .. math::
        r, z = \sigma(W_x x + b + W_h h)_{r,z},\quad
        n = \tanh((W_x x + b)_n + r \odot ((W_h h)_n + b_{hn})),\quad
        h' = (1 - z) \odot n + z \odot h.

    Without an initial hidden state, ``h`` is zero.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.hidden_size = hidden_size
        k = 1.0 / math.sqrt(hidden_size)
        self.Wx = _uniform(k, (3 * hidden_size, input_size))
        self.Wh = _uniform(k, (3 * hidden_size, hidden_size))
        if bias:
            self.b = _uniform(k, (3 * hidden_size,))
            self.bhn = _uniform(k, (hidden_size,))

    def _extra_repr(self):
        return (
            f"input_dims={self.Wx.shape[1]}, hidden_size={self.hidden_size}, "
            f"bias={'b' in self}"
        )

    def __call__(self, x, hidden=None):
        H = self.hidden_size
        xs = _project(x, self.Wx, self.get("b"))
        states = []
        for t in range(x.shape[-2]):
            step = xs[..., t, :]
            rz = step[..., : 2 * H]
            n = step[..., 2 * H :]
            if hidden is not None:
                hp = hidden @ self.Wh.T
                rz = rz + hp[..., : 2 * H]
            rz = mx.sigmoid(rz)
            r, z = rz[..., :H], rz[..., H:]
            # The candidate's recurrent term is W_hn h + b_hn; with no hidden
            # state yet only b_hn remains.
            hn = hp[..., 2 * H :] if hidden is not None else None
            if "bhn" in self:
                hn = self.bhn if hn is None else hn + self.bhn
            if hn is not None:
                n = n + r * hn
            n = mx.tanh(n)
            hidden = (1 - z) * n if hidden is None else (1 - z) * n + z * hidden
            states.append(hidden)
        return mx.stack(states, axis=-2)


class LSTM(Module):
    r"""Long short-term memory layer.

    With gates ordered ``i, f, g, o`` in ``Wx`` (``(4H, D)``), ``Wh``
    (``(4H, H)``) and ``bias`` (``4H``):
    :math:`c' = \sigma(f) c + \sigma(i) \tanh(g)`,
    :math:`h' = \sigma(o) \tanh(c')`.  Returns the hidden and the cell states
    of every step.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.hidden_size = hidden_size
        k = 1.0 / math.sqrt(hidden_size)
        self.Wx = _uniform(k, (4 * hidden_size, input_size))
        self.Wh = _uniform(k, (4 * hidden_size, hidden_size))
        if bias:
            self.bias = _uniform(k, (4 * hidden_size,))

    def _extra_repr(self):
        return (
            f"input_dims={self.Wx.shape[1]}, hidden_size={self.hidden_size}, "
            f"bias={'bias' in self}"
        )

    def __call__(self, x, hidden=None, cell=None):
        H = self.hidden_size
        xs = _project(x, self.Wx, self.get("bias"))
        hs, cs = [], []
        for t in range(x.shape[-2]):
            gates = xs[..., t, :]
            if hidden is not None:
                gates = gates + hidden @ self.Wh.T
            i = mx.sigmoid(gates[..., :H])
            f = mx.sigmoid(gates[..., H : 2 * H])
            g = mx.tanh(gates[..., 2 * H : 3 * H])
            o = mx.sigmoid(gates[..., 3 * H :])
            cell = i * g if cell is None else f * cell + i * g
            hidden = o * mx.tanh(cell)
            hs.append(hidden)
            cs.append(cell)
        return mx.stack(hs, axis=-2), mx.stack(cs, axis=-2)
