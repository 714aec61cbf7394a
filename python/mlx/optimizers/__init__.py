"""``mlx.optimizers``: optimizers, learning-rate schedules and gradient
clipping, written in Python on top of ``mlx.core``."""

from mlx.optimizers.optimizers import *  # noqa: F401,F403
from mlx.optimizers.optimizers import Optimizer, MultiOptimizer, clip_grad_norm  # noqa: F401
from mlx.optimizers.schedulers import *  # noqa: F401,F403
