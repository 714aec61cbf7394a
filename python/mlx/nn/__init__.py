"""mlx.nn: neural network layers, losses and initialisers on top of mlx.core."""

from mlx.nn import init, losses
from mlx.nn.layers import *  # noqa: F401,F403
from mlx.nn.utils import value_and_grad
