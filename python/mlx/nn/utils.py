"""Helpers that tie a Module's parameters to mlx.core's function transforms."""

from functools import wraps
from typing import Callable, Optional

import mlx.core as mx
from mlx.nn.layers.base import Module


def value_and_grad(model: Module, fn: Callable):
    """Wrap ``fn`` so that calling it returns ``(value, grads)``, where
    ``grads`` are the gradients of the scalar ``fn(*args, **kwargs)`` with
    respect to ``model.trainable_parameters()``.

    The transform differentiates a function of the parameter tree: the tree
    is written into the model before ``fn`` runs, so ``fn`` can simply call
    the model.
    """

    def of_parameters(params, *args, **kwargs):
        model.update(params)
        return fn(*args, **kwargs)

    transformed = None

    def wrapped(*args, **kwargs):
        nonlocal transformed
        if transformed is None:
            # Looked up on first use so that importing mlx.nn does not need
            # the transforms to exist.
            transformed = mx.value_and_grad(of_parameters)
        return transformed(model.trainable_parameters(), *args, **kwargs)

    return wrapped


def checkpoint(module: Module, fn: Optional[Callable] = None):
    """Wrap ``module`` (called as ``fn``, default the module itself) so that
    its activations are recomputed in the backward pass instead of stored.

    The gradients are taken with respect to the module's trainable
    parameters as well as the inputs: the parameters are passed to
    ``mx.checkpoint`` as an argument, so they are not captured constants.
    """
    if fn is None:
        # The module rather than its bound __call__, so a __call__ patched
        # in later is the one that runs.
        fn = module

    def of_parameters(params, *args, **kwargs):
        module.update(params)
        return fn(*args, **kwargs)

    checkpointed = mx.checkpoint(of_parameters)

    @wraps(fn)
    def wrapped(*args, **kwargs):
        return checkpointed(module.trainable_parameters(), *args, **kwargs)

    return wrapped
