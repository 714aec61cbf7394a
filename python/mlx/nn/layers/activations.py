"""Activation functions, each also wrapped as a parameter-free Module.

The functions are written with plain mlx.core ops.  Constants are Python
scalars so that they take the input's floating dtype (float16 stays float16).
"""

import math
from typing import Any

import mlx.core as mx
from mlx.nn.layers.base import Module

# -- functions -----------------------------------------------------------------


def sigmoid(x):
    r"""Logistic sigmoid :math:`1 / (1 + e^{-x})`."""
    return mx.sigmoid(x)


def relu(x):
    r"""Rectified linear unit :math:`\max(x, 0)`."""
    return mx.maximum(x, 0)


def relu2(x):
    r"""Squared ReLU :math:`\max(x, 0)^2`."""
    return mx.square(mx.maximum(x, 0))


def relu6(x):
    r"""ReLU clipped at 6: :math:`\min(\max(x, 0), 6)`."""
    return mx.minimum(mx.maximum(x, 0), 6.0)


def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU :math:`\max(\text{negative\_slope} \cdot x, x)`."""
    return mx.maximum(negative_slope * x, x)


def log_softmax(x, axis=-1):
    """Logarithm of the softmax along ``axis``."""
    return x - mx.logsumexp(x, axis=axis, keepdims=True)


def elu(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` for positive inputs,
    :math:`\alpha (e^x - 1)` otherwise."""
    return mx.where(x > 0, x, alpha * (mx.exp(x) - 1))


def softmax(x, axis=-1):
    """Softmax along ``axis``."""
    return mx.softmax(x, axis=axis)


def softplus(x):
    r"""Softplus :math:`\log(1 + e^x)`, computed without overflow."""
    return mx.logaddexp(x, 0)


def softsign(x):
    r"""Softsign :math:`x / (1 + |x|)`."""
    return mx.divide(x, 1 + mx.abs(x))


def softshrink(x, lambd: float = 0.5):
    r"""Soft shrinkage: moves values towards zero by ``lambd`` and zeroes
    those within ``lambd`` of it."""
    return mx.where(mx.abs(x) > lambd, x - mx.sign(x) * lambd, 0)


def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU:
    :math:`\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))`."""
    return mx.maximum(x, 0.0) + alpha * (mx.exp(mx.minimum(x, 0.0) / alpha) - 1)


def silu(x):
    r"""Sigmoid linear unit (swish) :math:`x \sigma(x)`."""
    return x * mx.sigmoid(x)


def log_sigmoid(x):
    r"""Logarithm of the sigmoid, :math:`-\text{softplus}(-x)`."""
    return -softplus(-x)


def gelu(x) -> mx.array:
    r"""Gaussian error linear unit :math:`x \Phi(x)` with the exact normal
    CDF :math:`\Phi(x) = (1 + \text{erf}(x / \sqrt{2})) / 2`."""
    return x * (1 + mx.erf(x / math.sqrt(2))) / 2


def gelu_approx(x):
    r"""GELU with the tanh approximation of the normal CDF:
    :math:`0.5 x (1 + \tanh(\sqrt{2/\pi} (x + 0.044715 x^3)))`."""
    return 0.5 * x * (1 + mx.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def gelu_fast_approx(x):
    r"""GELU approximated by :math:`x \sigma(1.702 x)`."""
    return x * mx.sigmoid(1.702 * x)


def glu(x: mx.array, axis: int = -1) -> mx.array:
    r"""Gated linear unit: splits ``x`` in two halves :math:`a, b` along
    ``axis`` and returns :math:`a \sigma(b)`."""
    a, b = mx.split(x, indices_or_sections=2, axis=axis)
    return a * mx.sigmoid(b)


def step(x: mx.array, threshold: float = 0.0):
    r"""Heaviside step: 1 where :math:`x \ge` ``threshold``, else 0 (int32)."""
    return mx.where(x >= threshold, 1, 0)


def selu(x):
    r"""Scaled ELU: :math:`\lambda\, \text{elu}(x, \alpha)` with
    :math:`\alpha \approx 1.6733` and :math:`\lambda \approx 1.0507`."""
    return elu(x, 1.67326) * 1.0507


def prelu(x: mx.array, alpha: mx.array) -> mx.array:
    r"""Parametric ReLU: :math:`\max(0, x) + \alpha \min(0, x)`."""
    return mx.maximum(0, x) + alpha * mx.minimum(0, x)


def mish(x: mx.array) -> mx.array:
    r"""Mish :math:`x \tanh(\text{softplus}(x))`."""
    return x * mx.tanh(softplus(x))


def hardswish(x):
    r"""Hard swish :math:`x \min(\max(x + 3, 0), 6) / 6`."""
    return x * mx.minimum(mx.maximum(x + 3, 0), 6) / 6


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    """Clips ``x`` to ``[min_val, max_val]``."""
    return mx.minimum(mx.maximum(x, min_val), max_val)


def hard_shrink(x, lambd=0.5):
    """Zeroes the values within ``lambd`` of zero."""
    return mx.where(mx.abs(x) > lambd, x, 0)


def softmin(x, axis=-1):
    """Softmax of ``-x`` along ``axis``."""
    return mx.softmax(-x, axis=axis)


def tanh(x):
    """Hyperbolic tangent."""
    return mx.tanh(x)


# -- modules ----------------------------------------------------------------------


def _wrap(fn, name):
    """A parameter-free Module class whose call is ``fn(x)``."""

    def __call__(self, x):
        return fn(x)

    cls = type(name, (Module,), {"__call__": __call__})
    cls.__doc__ = f"Applies :func:`{fn.__name__}` element-wise (a Module)."
    cls.__module__ = __name__
    return cls


Sigmoid = _wrap(sigmoid, "Sigmoid")
ReLU = _wrap(relu, "ReLU")
ReLU2 = _wrap(relu2, "ReLU2")
ReLU6 = _wrap(relu6, "ReLU6")
Softplus = _wrap(softplus, "Softplus")
Softsign = _wrap(softsign, "Softsign")
SiLU = _wrap(silu, "SiLU")
LogSigmoid = _wrap(log_sigmoid, "LogSigmoid")
Mish = _wrap(mish, "Mish")
Tanh = _wrap(tanh, "Tanh")
Hardswish = _wrap(hardswish, "Hardswish")
HardTanh = _wrap(hard_tanh, "HardTanh")
SELU = _wrap(selu, "SELU")
Softmax = _wrap(softmax, "Softmax")
Softmin = _wrap(softmin, "Softmin")
LogSoftmax = _wrap(log_softmax, "LogSoftmax")


class LeakyReLU(Module):
    """Leaky ReLU with slope ``negative_slope`` for negative inputs."""

    def __init__(self, negative_slope=1e-2):
        super().__init__()
        self._negative_slope = negative_slope

    def __call__(self, x):
        return leaky_relu(x, self._negative_slope)


class ELU(Module):
    """Exponential linear unit with parameter ``alpha``."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return elu(x, self._alpha)


class CELU(Module):
    """Continuously differentiable ELU with parameter ``alpha``."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return celu(x, self._alpha)


class Softshrink(Module):
    """Soft shrinkage by ``lambd``."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return softshrink(x, self.lambd)


class HardShrink(Module):
    """Hard shrinkage by ``lambd``."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return hard_shrink(x, self.lambd)


class GLU(Module):
    """Gated linear unit along ``axis``."""

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def __call__(self, x) -> Any:
        return glu(x=x, axis=self.axis)


class Step(Module):
    """Heaviside step at ``threshold``."""

    def __init__(self, threshold: float = 0.0):
        super().__init__()
        self.threshold = threshold

    def __call__(self, x: mx.array):
        return step(x, self.threshold)


class PReLU(Module):
    """Parametric ReLU with a learned slope per channel (``num_parameters``
    slopes, initialised to ``init``)."""

    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.weight = mx.full([num_parameters], init)

    def __call__(self, x: mx.array):
        return prelu(x, self.weight)


class GELU(Module):
    """GELU; ``approx`` selects the exact form (``'none'``), the tanh
    approximation (``'precise'`` or ``'tanh'``) or ``x * sigmoid(1.702 x)``
    (``'fast'``)."""

    _choices = {
        "none": gelu,
        "precise": gelu_approx,
        "tanh": gelu_approx,
        "fast": gelu_fast_approx,
    }

    def __init__(self, approx="none"):
        super().__init__()
        if approx not in self._choices:
            raise ValueError(
                f"The approximation should be in {list(self._choices)} "
                f"but '{approx}' was given"
            )
        self._approx = approx
        self._act = self._choices[approx]

    def __call__(self, x):
        return self._act(x)
