"""Learning-rate schedules.

A schedule is a callable from the step count (a Python int or an array) to
a value.  Optimizers call it with their ``step`` array before each update,
so every schedule here is written with array operations and can be traced
by ``mx.compile``.
"""

import math
from typing import Callable, List

import mlx.core as mx

__all__ = [
    "exponential_decay",
    "step_decay",
    "cosine_decay",
    "linear_schedule",
    "join_schedules",
]


def exponential_decay(init: float, decay_rate: float) -> Callable:
    """Make an exponential decay schedule: ``init * decay_rate ** step``.

    Args:
        init (float): Initial value.
        decay_rate (float): Multiplicative factor applied every step.

    Example:
        >>> lr_schedule = optim.exponential_decay(1e-1, 0.9)
        >>> optimizer = optim.SGD(learning_rate=lr_schedule)
        >>> for _ in range(5): optimizer.update({}, {})
        >>> optimizer.learning_rate
        array(0.06561, dtype=float32)
    """

    def schedule(step):
        return init * decay_rate**step

    return schedule


def step_decay(init: float, decay_rate: float, step_size: int) -> Callable:
    """Make a step decay schedule: the value is multiplied by ``decay_rate``
    once every ``step_size`` steps.

    Args:
        init (float): Initial value.
        decay_rate (float): Multiplicative factor.
        step_size (int): Number of steps between two decays.

    Example:
        >>> lr_schedule = optim.step_decay(1e-1, 0.9, 10)
        >>> optimizer = optim.SGD(learning_rate=lr_schedule)
        >>> for _ in range(21): optimizer.update({}, {})
        >>> optimizer.learning_rate
        array(0.081, dtype=float32)
    """

    def schedule(step):
        return init * decay_rate ** (step // step_size)

    return schedule


def cosine_decay(init: float, decay_steps: int, end: float = 0.0) -> Callable:
    """Make a cosine decay schedule from ``init`` to ``end`` over
    ``decay_steps`` steps; the value stays at ``end`` afterwards.

    Args:
        init (float): Initial value.
        decay_steps (int): Number of steps to decay over.
        end (float, optional): Final value. Default: ``0``.

    Example:
        >>> lr_schedule = optim.cosine_decay(1e-1, 1000)
        >>> optimizer = optim.SGD(learning_rate=lr_schedule)
        >>> for _ in range(5): optimizer.update({}, {})
        >>> optimizer.learning_rate
        array(0.0999961, dtype=float32)
    """

    def schedule(step):
        progress = mx.minimum(step, decay_steps)
        weight = 0.5 * (1.0 + mx.cos((math.pi / decay_steps) * progress))
        return end + weight * (init - end)

    return schedule


def linear_schedule(init: float, end: float, steps: int) -> Callable:
    """Make a linear schedule from ``init`` to ``end`` over ``steps`` steps;
    the value stays at ``end`` afterwards.

    Args:
        init (float): Initial value.
        end (float): Final value.
        steps (int): Number of steps to go from ``init`` to ``end``; must be
          positive.

    Example:
        >>> lr_schedule = optim.linear_schedule(0, 1e-1, 100)
        >>> optimizer = optim.Adam(learning_rate=lr_schedule)
        >>> for _ in range(101): optimizer.update({}, {})
        >>> optimizer.learning_rate
        array(0.1, dtype=float32)
    """
    if steps < 1:
        raise ValueError(f"steps must be greater than 0, but got {steps}.")

    def schedule(step):
        progress = mx.minimum(step, steps)
        return progress * ((end - init) / steps) + init

    return schedule


def join_schedules(schedules: List[Callable], boundaries: List[int]) -> Callable:
    """Chain several schedules.

    Schedule ``i + 1`` takes over at ``boundaries[i]`` and is called with the
    number of steps since that boundary.

    Args:
        schedules (list(Callable)): The schedules, in order.
        boundaries (list(int)): The ``len(schedules) - 1`` switch-over steps.

    Example:
        >>> linear = optim.linear_schedule(0, 1e-1, steps=10)
        >>> cosine = optim.cosine_decay(1e-1, 200)
        >>> lr_schedule = optim.join_schedules([linear, cosine], [10])
    """
    if len(schedules) < 1:
        raise ValueError("Must provide at least 1 schedule to join.")
    if len(schedules) != len(boundaries) + 1:
        raise ValueError(
            f"Received {len(boundaries)} boundaries but "
            f"expected {len(schedules) - 1}."
        )

    def schedule(step):
        value = schedules[0](step)
        for boundary, later in zip(boundaries, schedules[1:]):
            # Every schedule is evaluated and the active one selected, which
            # keeps the function free of data-dependent Python branches.
            value = mx.where(step < boundary, value, later(step - boundary))
        return value

    return schedule
