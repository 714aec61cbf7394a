"""Optimizers of ``mlx.optimizers``.

An optimizer keeps all of its mutable values in ``state``, a tree of dicts
and lists whose leaves are arrays: the step counter, the (possibly
scheduled) hyperparameters, and per-parameter entries laid out like the
parameter tree.  Because nothing else changes between updates, the state
can be saved with ``tree_flatten``/``mx.save_safetensors``, loaded back by
assigning ``optimizer.state``, and passed to ``mx.compile`` as an input and
output.

Subclasses describe one parameter at a time: ``init_single`` fills the state
dict of a parameter and ``apply_single`` returns the parameter's new value.
"""

import math
from typing import Callable, List, Optional, Tuple, Union

import mlx.core as mx
from mlx.utils import tree_flatten, tree_map, tree_merge, tree_reduce, tree_unflatten

__all__ = [
    "Optimizer",
    "MultiOptimizer",
    "SGD",
    "RMSprop",
    "Adagrad",
    "AdaDelta",
    "Adam",
    "AdamW",
    "Adamax",
    "Lion",
    "Adafactor",
    "Muon",
    "clip_grad_norm",
]


def _fill_missing(existing, fresh):
    """Add to ``existing`` (in place) the entries of ``fresh`` it lacks.

    Entries already present keep their values, so initializing twice, or
    after loading a saved state, never resets momenta.
    """
    if isinstance(existing, dict) and isinstance(fresh, dict):
        for key, value in fresh.items():
            if key in existing:
                existing[key] = _fill_missing(existing[key], value)
            else:
                existing[key] = value
        return existing
    if isinstance(existing, list) and isinstance(fresh, (list, tuple)):
        for i, value in enumerate(fresh):
            if i < len(existing):
                existing[i] = _fill_missing(existing[i], value)
            else:
                existing.append(value)
        return existing
    if isinstance(existing, dict):
        raise TypeError(
            "The optimizer state is a dict, so the parameters must be a dict "
            f"tree, got {type(fresh).__name__}."
        )
    return existing


class Optimizer:
    """The base class of all optimizers.

    Subclasses implement ``init_single(parameter, state)`` and
    ``apply_single(gradient, parameter, state)``; the base class walks the
    trees, counts steps and evaluates schedules.

    Args:
        schedulers (dict, optional): Initial ``name -> schedule`` entries.
    """

    def __init__(self, schedulers=None):
        self._initialized = False
        self._state = {"step": mx.array(0, mx.uint64)}
        self._schedulers = dict(schedulers) if schedulers else {}

    def update(self, model, gradients: dict):
        """Apply the gradients to the parameters of ``model`` and update the
        model with the new parameters.

        Args:
            model (mlx.nn.Module): The module to update (any dict tree with
                an ``update`` method works).
            gradients (dict): A tree of gradients, typically from
                :func:`mlx.nn.value_and_grad`.
        """
        model.update(self.apply_gradients(gradients, model))

    def init(self, parameters: dict):
        """Initialize the optimizer's state for ``parameters``.

        Optional: the first update initializes the state itself.  Entries
        that already exist are kept.

        Args:
            parameters (dict): A tree of parameters.

        Example:
            >>> optimizer = optim.SGD(learning_rate=1e-1, momentum=0.9)
            >>> optimizer.init({"weight": mx.zeros((2, 2)), "bias": mx.zeros((2,))})
            >>> optimizer.state.keys()
            dict_keys(['step', 'learning_rate', 'weight', 'bias'])
        """

        def fresh_state(parameter):
            state = {}
            self.init_single(parameter, state)
            return state

        _fill_missing(self._state, tree_map(fresh_state, parameters))
        self._initialized = True

    def init_single(self, parameter: mx.array, state: dict):
        """Fill ``state`` with the entries kept for ``parameter``."""
        raise NotImplementedError

    def apply_gradients(self, gradients: dict, parameters: dict):
        """Apply the gradients and return the updated parameters.

        ``model.update(opt.apply_gradients(grads, model))`` is exactly what
        :meth:`update` does.

        Args:
            gradients (dict): A tree of gradients.
            parameters (dict): A tree of parameters; it may be a superset of
                the gradients, and the result has the structure of the
                gradients.
        """
        if not self._initialized:
            self.init(gradients)

        # Schedules see the step count of the update being made, starting
        # from 0; the counter is advanced afterwards.
        for name, schedule in self._schedulers.items():
            self._state[name] = schedule(self.step)
        self._state["step"] = self.step + 1

        return tree_map(self.apply_single, gradients, parameters, self._state)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        """Return the new value of ``parameter`` (updating ``state``)."""
        raise NotImplementedError

    @property
    def state(self):
        """The optimizer's state dictionary."""
        return self._state

    @state.setter
    def state(self, state: dict):
        # A loaded state may lack entries for some parameters; the next
        # update fills them in.
        self._initialized = False
        self._state = state

    @property
    def step(self):
        return self._state["step"]

    @property
    def learning_rate(self):
        return self._state["learning_rate"]

    @learning_rate.setter
    def learning_rate(self, learning_rate: Union[float, mx.array]):
        self._schedulers.pop("learning_rate", None)
        self._state["learning_rate"] = mx.array(learning_rate)

    def _maybe_schedule(
        self, name: str, param: Union[float, Callable[[mx.array], mx.array]]
    ):
        """Store a hyperparameter in the state, as a constant array or as the
        current value of a schedule that is re-evaluated at every update."""
        if callable(param):
            self._schedulers[name] = param
            value = param(self.step)
        else:
            value = param
        self._state[name] = mx.array(value)


def _check_not_negative(value, what, bound):
    # The constructors' range check, worded as MLX words it (the epsilons say
    # ">0" but, as in MLX, only a negative value is refused).
    if value < 0.0:
        raise ValueError(f"{what} should be {bound}, {value} was provided instead")


def _lr_for(optimizer, gradient):
    # The learning rate is stored as float32 but applied in the gradient's
    # dtype, so that low precision parameters stay low precision.
    return optimizer.learning_rate.astype(gradient.dtype)


class MultiOptimizer(Optimizer):
    """Delegate different parameters to different optimizers.

    Each parameter goes to the first optimizer whose filter accepts it; the
    last optimizer (which takes no filter) receives the rest.  Filters are
    called with the dotted path of the parameter and the parameter.

    Args:
        optimizers (list[Optimizer]): The optimizers.
        filters (list[Callable[[str, array], bool]]): One fewer than
            ``optimizers``.
    """

    def __init__(self, optimizers, filters: list = []):
        super().__init__()
        self._state = {}
        if len(filters) != len(optimizers) - 1:
            raise ValueError(
                f"Given {len(filters)} filters but {len(optimizers) - 1} needed."
            )
        self.optimizers = optimizers
        self.filters = list(filters) + [lambda *args, **kwargs: True]

    def _split_dictionary(self, gradients: dict):
        if len(self.optimizers) == 1:
            return [gradients]
        parts = [[] for _ in self.optimizers]
        for path, value in tree_flatten(gradients):
            for i, accept in enumerate(self.filters):
                if accept(path, value):
                    parts[i].append((path, value))
                    break
        return [tree_unflatten(part) for part in parts]

    def init(self, parameters: dict):
        for optimizer, part in zip(self.optimizers, self._split_dictionary(parameters)):
            optimizer.init(part)

    def apply_gradients(self, gradients: dict, parameters: dict):
        result = {}
        for optimizer, part in zip(self.optimizers, self._split_dictionary(gradients)):
            result = tree_merge(result, optimizer.apply_gradients(part, parameters))
        return result

    @property
    def state(self):
        return {"states": [optimizer.state for optimizer in self.optimizers]}

    @state.setter
    def state(self, state: dict):
        if "states" not in state or len(state["states"]) != len(self.optimizers):
            raise ValueError("Invalid state provided")
        for optimizer, sub_state in zip(self.optimizers, state["states"]):
            optimizer.state = sub_state

    @property
    def learning_rate(self):
        return self.optimizers[0].learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate: Union[float, mx.array]):
        for optimizer in self.optimizers:
            optimizer.learning_rate = learning_rate


class SGD(Optimizer):
    r"""Stochastic gradient descent.

    .. math::

        v_{t+1} &= \mu v_t + (1 - \tau) g_t \\
        w_{t+1} &= w_t - \lambda v_{t+1}

    Weight decay adds ``weight_decay * w`` to the gradient first.  With
    Nesterov momentum the step is ``g + mu * v_{t+1}`` instead of
    ``v_{t+1}``.

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        momentum (float, optional): The momentum strength :math:`\mu`. Default: ``0``
        weight_decay (float, optional): The weight decay (L2 penalty). Default: ``0``
        dampening (float, optional): Dampening for momentum :math:`\tau`. Default: ``0``
        nesterov (bool, optional): Enables Nesterov momentum. Default: ``False``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
    ):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening."
            )
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.dampening = dampening
        self.nesterov = nesterov

    def init_single(self, parameter: mx.array, state: dict):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        if self.weight_decay != 0:
            gradient = gradient + self.weight_decay * parameter
        lr = _lr_for(self, gradient)
        if self.momentum <= 0:
            return parameter - lr * gradient

        velocity = self.momentum * state["v"]
        if self.dampening > 0:
            velocity = velocity + (1 - self.dampening) * gradient
        else:
            velocity = velocity + gradient
        state["v"] = velocity

        direction = gradient + self.momentum * velocity if self.nesterov else velocity
        return parameter - lr * direction


class RMSprop(Optimizer):
    r"""RMSprop.

    .. math::

        v_{t+1} &= \alpha v_t + (1 - \alpha) g_t^2 \\
        w_{t+1} &= w_t - \lambda \frac{g_t}{\sqrt{v_{t+1}} + \epsilon}

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        alpha (float, optional): The smoothing constant. Default: ``0.99``
        eps (float, optional): Added to the denominator. Default: ``1e-8``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        alpha: float = 0.99,
        eps: float = 1e-8,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.alpha = alpha
        self.eps = eps
        _check_not_negative(self.alpha, "RMSprop alpha", ">=0")
        _check_not_negative(self.eps, "RMSprop epsilon", ">0")

    def init_single(self, parameter: mx.array, state: dict):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        average = self.alpha * state["v"] + (1 - self.alpha) * mx.square(gradient)
        state["v"] = average
        return parameter - lr * gradient / (mx.sqrt(average) + self.eps)


class Adagrad(Optimizer):
    r"""Adagrad.

    .. math::

        v_{t+1} &= v_t + g_t^2 \\
        w_{t+1} &= w_t - \lambda \frac{g_t}{\sqrt{v_{t+1}} + \epsilon}

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        eps (float, optional): Added to the denominator. Default: ``1e-8``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        eps: float = 1e-8,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.eps = eps
        _check_not_negative(self.eps, "Adagrad epsilon", ">0")

    def init_single(self, parameter: mx.array, state: dict):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        total = state["v"] + mx.square(gradient)
        state["v"] = total
        return parameter - lr * gradient / (mx.sqrt(total) + self.eps)


class AdaDelta(Optimizer):
    r"""AdaDelta (with a learning rate).

    .. math::

        v_{t+1} &= \rho v_t + (1 - \rho) g_t^2 \\
        \Delta w_{t+1} &= \frac{\sqrt{u_t + \epsilon}}{\sqrt{v_{t+1} + \epsilon}} g_t \\
        u_{t+1} &= \rho u_t + (1 - \rho) \Delta w_{t+1}^2 \\
        w_{t+1} &= w_t - \lambda \Delta w_{t+1}

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        rho (float, optional): Averaging coefficient. Default: ``0.9``
        eps (float, optional): Added inside the square roots. Default: ``1e-6``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        rho: float = 0.9,
        eps: float = 1e-6,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.rho = rho
        self.eps = eps
        _check_not_negative(self.rho, "AdaDelta rho", ">=0")
        _check_not_negative(self.eps, "AdaDelta epsilon", ">0")

    def init_single(self, parameter: mx.array, state: dict):
        state["v"] = mx.zeros_like(parameter)
        state["u"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        rho = self.rho
        v = rho * state["v"] + (1 - rho) * mx.square(gradient)
        delta = mx.sqrt(state["u"] + self.eps) / mx.sqrt(v + self.eps) * gradient
        u = rho * state["u"] + (1 - rho) * mx.square(delta)
        state["v"] = v
        state["u"] = u
        return parameter - lr * delta


class Adam(Optimizer):
    r"""Adam.

    .. math::

        m_{t+1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
        v_{t+1} &= \beta_2 v_t + (1 - \beta_2) g_t^2 \\
        w_{t+1} &= w_t - \lambda \frac{m_{t+1}}{\sqrt{v_{t+1}} + \epsilon}

    With ``bias_correction`` the moments are divided by
    :math:`1 - \beta^t` before use.

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        betas (Tuple[float, float], optional): :math:`(\beta_1, \beta_2)`.
          Default: ``(0.9, 0.999)``
        eps (float, optional): Added to the denominator. Default: ``1e-8``
        bias_correction (bool, optional): Apply bias correction.
          Default: ``False``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        betas: List[float] = [0.9, 0.999],
        eps: float = 1e-8,
        bias_correction: bool = False,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.betas = betas
        self.eps = eps
        self.bias_correction = bias_correction

    def init_single(self, parameter: mx.array, state: dict):
        state["m"] = mx.zeros_like(parameter)
        state["v"] = mx.zeros_like(parameter)

    def _adam_step(self, gradient, parameter, state, lr):
        beta1, beta2 = self.betas
        m = beta1 * state["m"] + (1 - beta1) * gradient
        v = beta2 * state["v"] + (1 - beta2) * mx.square(gradient)
        state["m"] = m
        state["v"] = v
        if self.bias_correction:
            # The corrections are scalars computed in float32 and only then
            # cast, so low precision moments lose nothing extra.
            step = self.step
            scale_m = (lr / (1 - beta1**step)).astype(gradient.dtype)
            scale_v = mx.rsqrt(1 - beta2**step).astype(gradient.dtype)
            return parameter - scale_m * m / (mx.sqrt(v) * scale_v + self.eps)
        return parameter - lr * m / (mx.sqrt(v) + self.eps)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        return self._adam_step(gradient, parameter, state, _lr_for(self, gradient))


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    .. math::

        w_{t+1} = w_t - \alpha \left(\frac{m_{t+1}}{\sqrt{v_{t+1}} + \epsilon}
                  + \lambda w_t\right)

    Args:
        learning_rate (float or callable): The learning rate :math:`\alpha`.
        betas (Tuple[float, float], optional): :math:`(\beta_1, \beta_2)`.
          Default: ``(0.9, 0.999)``
        eps (float, optional): Added to the denominator. Default: ``1e-8``
        weight_decay (float, optional): The weight decay :math:`\lambda`.
          Default: ``0.01``.
        bias_correction (bool, optional): Apply bias correction.
          Default: ``False``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        betas: List[float] = [0.9, 0.999],
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        bias_correction: bool = False,
    ):
        super().__init__(
            learning_rate=learning_rate,
            betas=betas,
            eps=eps,
            bias_correction=bias_correction,
        )
        self.weight_decay = weight_decay

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        decayed = parameter * (1 - lr * self.weight_decay)
        return self._adam_step(gradient, decayed, state, lr)


class Adamax(Adam):
    r"""Adamax, the infinity-norm variant of Adam (without bias correction).

    .. math::

        m_{t+1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
        v_{t+1} &= \max(\beta_2 v_t, |g_t|) \\
        w_{t+1} &= w_t - \lambda \frac{m_{t+1}}{v_{t+1} + \epsilon}

    Args:
        learning_rate (float or callable): The learning rate :math:`\lambda`.
        betas (Tuple[float, float], optional): :math:`(\beta_1, \beta_2)`.
          Default: ``(0.9, 0.999)``
        eps (float, optional): Added to the denominator. Default: ``1e-8``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        betas: List[float] = [0.9, 0.999],
        eps: float = 1e-8,
    ):
        super().__init__(learning_rate, betas, eps)
        if not 0.0 <= eps:
            raise ValueError(
                f"Epsilon value should be >=0, {self.eps} was provided instead"
            )

    def init_single(self, parameter: mx.array, state: dict):
        state["m"] = mx.zeros_like(parameter)
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        beta1, beta2 = self.betas
        m = beta1 * state["m"] + (1 - beta1) * gradient
        v = mx.maximum(beta2 * state["v"], mx.abs(gradient))
        state["m"] = m
        state["v"] = v
        return parameter - lr * m / (v + self.eps)


class Lion(Optimizer):
    r"""Lion.

    .. math::

        c_{t + 1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
        m_{t + 1} &= \beta_2 m_t + (1 - \beta_2) g_t \\
        w_{t + 1} &= w_t - \eta (\text{sign}(c_t) + \lambda w_t)

    Args:
        learning_rate (float or callable): The learning rate :math:`\eta`.
        betas (Tuple[float, float], optional): :math:`(\beta_1, \beta_2)`.
          Default: ``(0.9, 0.99)``
        weight_decay (float, optional): The weight decay :math:`\lambda`.
          Default: ``0.0``
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        betas: List[float] = [0.9, 0.99],
        weight_decay: float = 0.0,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.betas = betas
        self.weight_decay = weight_decay

    def init_single(self, parameter: mx.array, state: dict):
        state["m"] = mx.zeros_like(parameter)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        lr = _lr_for(self, gradient)
        beta1, beta2 = self.betas
        direction = beta1 * state["m"] + (1 - beta1) * gradient
        state["m"] = beta2 * state["m"] + (1 - beta2) * gradient
        if self.weight_decay > 0:
            parameter = (1 - lr * self.weight_decay) * parameter
        return parameter - lr * mx.sign(direction)


def _rms(x):
    return mx.sqrt(mx.mean(mx.square(x)))


class Adafactor(Optimizer):
    r"""Adafactor, following `Adafactor: Adaptive Learning Rates with
    Sublinear Memory Cost <https://arxiv.org/abs/1804.04235>`_.

    Parameters with two or more dimensions keep factored second moments
    (one value per row and one per column of the last two axes); others
    keep a full one.

    Args:
        learning_rate (float or callable, optional): The learning rate, used
            only when ``relative_step`` is ``False``. Default: ``None``.
        eps (tuple(float, float), optional): :math:`\epsilon_1` added to the
            squared gradients and :math:`\epsilon_2`, the smallest parameter
            scale. Default: ``(1e-30, 1e-3)``.
        clip_threshold (float, optional): Clips the RMS of the unscaled
            update at this value. Default: ``1.0``.
        decay_rate (float, optional): Exponent of the second moment decay
            schedule :math:`1 - t^{c}`. Default: ``-0.8``.
        beta_1 (float, optional): Enables a first moment with this
            coefficient. Default: ``None``.
        weight_decay (float, optional): The weight decay. Default: ``0.0``.
        scale_parameter (bool, optional): Scale the step by
            :math:`\max(\epsilon_2, \text{RMS}(w_{t-1}))`. Default: ``True``.
        relative_step (bool, optional): Use the relative step size
            :math:`\min(10^{-2}, 1/\sqrt{t})` instead of ``learning_rate``.
            Default: ``True``.
        warmup_init (bool, optional): Use :math:`\min(10^{-6} t, 1/\sqrt{t})`
            as the relative step size. Default: ``False``.
    """

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array], None] = None,
        eps: Tuple[float, float] = (1e-30, 1e-3),
        clip_threshold: float = 1.0,
        decay_rate: float = -0.8,
        beta_1: Optional[float] = None,
        weight_decay: float = 0.0,
        scale_parameter: bool = True,
        relative_step: bool = True,
        warmup_init: bool = False,
    ):
        super().__init__()
        if learning_rate is not None:
            self._maybe_schedule("learning_rate", learning_rate)
        self.eps = eps
        self.clip_threshold = clip_threshold
        self.decay_rate = decay_rate
        self.beta_1 = beta_1
        self.weight_decay = weight_decay
        self.scale_parameter = scale_parameter
        self.relative_step = relative_step
        self.warmup_init = warmup_init

    def init_single(self, parameter: mx.array, state: dict):
        shape = parameter.shape
        if parameter.ndim >= 2:
            state["exp_avg_sq_row"] = mx.zeros(shape[:-1], dtype=parameter.dtype)
            state["exp_avg_sq_col"] = mx.zeros(
                shape[:-2] + shape[-1:], dtype=parameter.dtype
            )
        else:
            state["exp_avg_sq"] = mx.zeros_like(parameter)
        if self.beta_1 is not None:
            state["exp_avg"] = mx.zeros_like(parameter)

    def _compute_rms(self, inputs):
        return _rms(inputs)

    def _compute_learning_rate(self, step, parameter_rms):
        if self.relative_step:
            ceiling = 1e-6 * step if self.warmup_init else 1e-2
            step_size = mx.minimum(ceiling, mx.rsqrt(step))
        else:
            step_size = self.learning_rate
        step_size = step_size.astype(parameter_rms.dtype)
        if self.scale_parameter:
            return mx.maximum(self.eps[1], parameter_rms) * step_size
        return step_size

    def _approximate_exp_moving_avg(self, exp_avg_sq_row, exp_avg_sq_col):
        # The factored estimate of 1/sqrt(V): rows normalized by their mean,
        # combined with the columns as an outer product.
        row_factor = mx.rsqrt(
            exp_avg_sq_row / mx.mean(exp_avg_sq_row, axis=-1, keepdims=True)
        )
        col_factor = mx.rsqrt(exp_avg_sq_col)
        return mx.expand_dims(row_factor, -1) * mx.expand_dims(col_factor, -2)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        step = self.step
        parameter_rms = _rms(parameter)
        lr = self._compute_learning_rate(step, parameter_rms)
        beta2 = 1.0 - (step**self.decay_rate).astype(parameter_rms.dtype)
        squared = mx.square(gradient) + self.eps[0]

        if gradient.ndim >= 2:
            row = beta2 * state["exp_avg_sq_row"] + (1 - beta2) * mx.mean(squared, axis=-1)
            col = beta2 * state["exp_avg_sq_col"] + (1 - beta2) * mx.mean(squared, axis=-2)
            state["exp_avg_sq_row"] = row
            state["exp_avg_sq_col"] = col
            update = self._approximate_exp_moving_avg(row, col) * gradient
        else:
            second = beta2 * state["exp_avg_sq"] + (1 - beta2) * squared
            state["exp_avg_sq"] = second
            update = mx.rsqrt(second) * gradient

        update = update / mx.maximum(1.0, _rms(update) / self.clip_threshold)
        update = lr * update

        if self.beta_1 is not None:
            update = self.beta_1 * state["exp_avg"] + (1 - self.beta_1) * update
            state["exp_avg"] = update

        if self.weight_decay != 0:
            parameter = parameter - self.weight_decay * lr * parameter
        return parameter - update


class Muon(Optimizer):
    r"""Muon (MomentUm Orthogonalized by Newton-Schulz), following
    `Muon: An optimizer for hidden layers in neural networks
    <https://kellerjordan.github.io/posts/muon/>`_.

    The momentum of every parameter with two or more dimensions (flattened
    to 2D past the first axis) is replaced by an approximation of its
    orthogonal factor computed with a quintic Newton-Schulz iteration.
    0D and 1D parameters get plain momentum SGD.

    Args:
        learning_rate (float or callable): The learning rate.
        momentum (float, optional): The momentum strength. Default: ``0.95``
        weight_decay (float, optional): The weight decay (L2 penalty).
            Default: ``0.01``
        nesterov (bool, optional): Enables Nesterov momentum. Default: ``True``
        ns_steps (int, optional): Number of Newton-Schulz iterations.
            Default: ``5``
    """

    # Coefficients of the quintic iteration X <- aX + b(XX^T)X + c(XX^T)^2 X,
    # chosen in the reference implementation to push all singular values
    # towards 1 quickly.
    _NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)

    def __init__(
        self,
        learning_rate: Union[float, Callable[[mx.array], mx.array]],
        momentum: float = 0.95,
        weight_decay: float = 0.01,
        nesterov: bool = True,
        ns_steps: int = 5,
    ):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.nesterov = nesterov
        self.ns_steps = ns_steps

    def init_single(self, parameter: mx.array, state: dict):
        state["v"] = mx.zeros_like(parameter)

    def _zeropower_via_newtonschulz5(self, X, steps: int):
        a, b, c = self._NS_COEFFICIENTS
        # Work on the wide orientation so that the Gram matrix is the small one.
        tall = X.shape[-2] > X.shape[-1]
        if tall:
            X = X.T
        X = X / (mx.sqrt(mx.sum(mx.square(X), keepdims=True)) + 1e-7)
        for _ in range(steps):
            gram = X @ X.T
            poly = b * gram + c * (gram @ gram)
            X = a * X + poly @ X
        if tall:
            X = X.T
        return X

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        if self.weight_decay != 0:
            gradient = gradient + self.weight_decay * parameter
        velocity = self.momentum * state["v"] + (1 - self.momentum) * gradient
        state["v"] = velocity
        if self.nesterov:
            direction = (1 - self.momentum) * gradient + self.momentum * velocity
        else:
            direction = velocity

        lr = _lr_for(self, gradient)
        if direction.ndim >= 2:
            shape = direction.shape
            matrix = mx.reshape(direction, (shape[0], -1)) if direction.ndim > 2 else direction
            matrix = self._zeropower_via_newtonschulz5(matrix, steps=self.ns_steps)
            direction = mx.reshape(matrix, shape)
            # Tall matrices get a larger step, as their orthogonal factor
            # has a smaller RMS.
            lr = lr * math.sqrt(max(1.0, direction.shape[-2] / direction.shape[-1]))
        return parameter - lr * direction.astype(gradient.dtype)


def clip_grad_norm(grads, max_norm):
    """Rescale a tree of gradients so that their global L2 norm is at most
    ``max_norm``.

    Example:
        >>> grads = {"w1": mx.array([2, 3]), "w2": mx.array([1])}
        >>> clipped_grads, total_norm = clip_grad_norm(grads, max_norm=2.0)

    Args:
        grads (dict): A tree of gradient arrays.
        max_norm (float): The largest allowed global norm.

    Returns:
        (dict, array): The possibly rescaled gradients and the norm they had.
    """
    squared = tree_reduce(lambda total, g: total + mx.sum(mx.square(g)), grads, 0.0)
    norm = mx.sqrt(squared)
    factor = mx.minimum(max_norm / (norm + 1e-6), 1.0)
    return tree_map(lambda g: g * factor, grads), norm
