"""Loss functions of ``mlx.nn.losses``.

Every loss computes an elementwise (or per-sample) loss array and then
applies ``reduction``: ``'none'`` returns it as is, ``'mean'`` averages all
its elements, ``'sum'`` adds them up.  Shapes are checked up front so that a
mismatch is reported with the argument names instead of a broadcast error
deep inside an op.
"""

import math
from typing import Literal, Optional, get_args

import mlx.core as mx

Reduction = Literal["none", "mean", "sum"]

__all__ = [
    "cross_entropy",
    "binary_cross_entropy",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "gaussian_nll_loss",
    "kl_div_loss",
    "smooth_l1_loss",
    "triplet_loss",
    "hinge_loss",
    "huber_loss",
    "log_cosh_loss",
    "cosine_similarity_loss",
    "margin_ranking_loss",
]


def _reduce(loss: mx.array, reduction: Reduction = "none"):
    if reduction == "mean":
        return mx.mean(loss)
    if reduction == "sum":
        return mx.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"Invalid reduction. Must be one of {get_args(Reduction)}.")


def _check_same_shape(first, second, first_name, second_name):
    if first.shape != second.shape:
        raise ValueError(
            f"{first_name} shape {first.shape} does not match "
            f"{second_name} shape {second.shape}."
        )


def _apply_weights(loss, weights):
    if weights is None:
        return loss
    if weights.shape != loss.shape:
        raise ValueError(
            f"Weights with shape {weights.shape} is not the same as "
            f"output loss with shape {loss.shape}."
        )
    return loss * weights


def cross_entropy(
    logits: mx.array,
    targets: mx.array,
    weights: Optional[mx.array] = None,
    axis: int = -1,
    label_smoothing: float = 0.0,
    reduction: Reduction = "none",
) -> mx.array:
    """Cross entropy between ``softmax(logits)`` and the targets.

    Args:
        logits (array): Unnormalized log probabilities.
        targets (array): Either class indices (the shape of ``logits`` without
            ``axis``) or class probabilities (the shape of ``logits``).
        weights (array, optional): Per-sample weights with the shape of the
            unreduced loss. Default: ``None``.
        axis (int, optional): The class axis. Default: ``-1``.
        label_smoothing (float, optional): Mixes the target distribution with
            the uniform one by this factor, in ``[0, 1)``. Default: ``0``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The cross entropy loss.
    """
    if label_smoothing < 0 or label_smoothing >= 1:
        raise ValueError(f"Label smoothing must be in [0, 1), got {label_smoothing}.")

    probabilities = targets.ndim == logits.ndim
    if probabilities:
        expected = logits.shape
    else:
        reduced = list(logits.shape)
        if logits.ndim > 0:
            reduced.pop(axis % logits.ndim)
        expected = tuple(reduced)
    if targets.shape != expected:
        raise ValueError(
            f"Targets shape {targets.shape} does not match logits shape {logits.shape}."
        )

    # loss = logsumexp(logits) - <target distribution, logits>, where the
    # target distribution is (1 - s) * targets + s * uniform.
    if probabilities:
        target_score = mx.sum(logits * targets, axis=axis)
    else:
        picked = mx.take_along_axis(logits, mx.expand_dims(targets, axis), axis=axis)
        target_score = mx.squeeze(picked, axis=axis)
    normalizer = mx.logsumexp(logits, axis=axis)

    if label_smoothing > 0:
        uniform_score = mx.mean(logits, axis=axis)
        loss = (
            normalizer
            - (1 - label_smoothing) * target_score
            - label_smoothing * uniform_score
        )
    else:
        loss = normalizer - target_score

    loss = _apply_weights(loss, weights)
    return _reduce(loss, reduction)


def binary_cross_entropy(
    inputs: mx.array,
    targets: mx.array,
    weights: Optional[mx.array] = None,
    with_logits: bool = True,
    reduction: Reduction = "mean",
) -> mx.array:
    """Binary cross entropy.

    With ``with_logits=True`` (the default) ``inputs`` are logits and the
    loss is computed as ``log(1 + exp(x)) - x * t`` without forming the
    sigmoid.  Otherwise ``inputs`` are probabilities and their logarithms are
    clipped below at ``-100`` so that 0 and 1 give a finite loss.

    Args:
        inputs (array): Logits or probabilities.
        targets (array): Binary targets in {0, 1}.
        weights (array, optional): Per-element weights. Default: ``None``.
        with_logits (bool, optional): Whether ``inputs`` are logits.
            Default: ``True``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'mean'``.

    Returns:
        array: The binary cross entropy loss.
    """
    _check_same_shape(inputs, targets, "Inputs", "targets")
    if with_logits:
        loss = mx.logaddexp(0.0, inputs) - inputs * targets
    else:
        log_p = mx.maximum(mx.log(inputs), -100)
        log_not_p = mx.maximum(mx.log(1 - inputs), -100)
        loss = -(targets * log_p + (1 - targets) * log_not_p)
    loss = _apply_weights(loss, weights)
    return _reduce(loss, reduction)


def l1_loss(
    predictions: mx.array, targets: mx.array, reduction: Reduction = "mean"
) -> mx.array:
    """Mean absolute error ``|predictions - targets|``.

    Args:
        predictions (array): The predicted values.
        targets (array): The target values.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'mean'``.

    Returns:
        array: The L1 loss.
    """
    _check_same_shape(predictions, targets, "Predictions", "targets")
    return _reduce(mx.abs(predictions - targets), reduction)


def mse_loss(
    predictions: mx.array, targets: mx.array, reduction: Reduction = "mean"
) -> mx.array:
    """Squared error ``(predictions - targets)**2``.

    Args:
        predictions (array): The predicted values.
        targets (array): The target values.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'mean'``.

    Returns:
        array: The mean squared error loss.
    """
    _check_same_shape(predictions, targets, "Predictions", "targets")
    return _reduce(mx.square(predictions - targets), reduction)


def nll_loss(
    inputs: mx.array, targets: mx.array, axis: int = -1, reduction: Reduction = "none"
) -> mx.array:
    """Negative log likelihood: minus the log probability of the target class.

    Args:
        inputs (array): Log probabilities.
        targets (array): Class indices.
        axis (int, optional): The class axis. Default: ``-1``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The NLL loss.
    """
    picked = mx.take_along_axis(inputs, mx.expand_dims(targets, axis), axis=axis)
    return _reduce(-mx.squeeze(picked, axis=axis), reduction)


def gaussian_nll_loss(
    inputs: mx.array,
    targets: mx.array,
    vars: mx.array,
    full: bool = False,
    eps: float = 1e-6,
    reduction: Reduction = "mean",
) -> mx.array:
    """Negative log likelihood of ``targets`` under N(``inputs``, ``vars``).

    The loss is ``0.5 * (log(v) + (inputs - targets)**2 / v)`` with
    ``v = max(vars, eps)``, plus ``0.5 * log(2 * pi)`` when ``full``.

    Args:
        inputs (array): Predicted means.
        targets (array): Observed samples.
        vars (array): Predicted variances.
        full (bool, optional): Include the constant term. Default: ``False``.
        eps (float, optional): Lower bound for the variance. Default: ``1e-6``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'mean'``.

    Returns:
        array: The Gaussian NLL loss.
    """
    _check_same_shape(inputs, targets, "Inputs", "targets")
    _check_same_shape(inputs, vars, "Inputs", "vars")
    variance = mx.maximum(vars, eps)
    loss = 0.5 * (mx.log(variance) + mx.square(targets - inputs) / variance)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def kl_div_loss(
    inputs: mx.array, targets: mx.array, axis: int = -1, reduction: Reduction = "none"
) -> mx.array:
    """Kullback-Leibler divergence from the predicted to the target
    distribution, both given as log probabilities:
    ``sum(exp(targets) * (targets - inputs), axis)``.

    Args:
        inputs (array): Predicted log probabilities.
        targets (array): Target log probabilities.
        axis (int, optional): The distribution axis. Default: ``-1``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The KL divergence loss.
    """
    loss = mx.sum(mx.exp(targets) * (targets - inputs), axis=axis)
    return _reduce(loss, reduction)


def smooth_l1_loss(
    predictions: mx.array,
    targets: mx.array,
    beta: float = 1.0,
    reduction: Reduction = "mean",
) -> mx.array:
    """Smooth L1: ``0.5 * d**2 / beta`` where ``|d| < beta``, otherwise
    ``|d| - 0.5 * beta``, with ``d = predictions - targets``.

    Args:
        predictions (array): The predicted values.
        targets (array): The target values.
        beta (float, optional): Where the loss turns from quadratic to
            linear. Default: ``1.0``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'mean'``.

    Returns:
        array: The smooth L1 loss.
    """
    _check_same_shape(predictions, targets, "Predictions", "targets")
    distance = mx.abs(predictions - targets)
    loss = mx.where(
        distance < beta,
        0.5 * mx.square(distance) / beta,
        distance - 0.5 * beta,
    )
    return _reduce(loss, reduction)


def triplet_loss(
    anchors: mx.array,
    positives: mx.array,
    negatives: mx.array,
    axis: int = -1,
    p: int = 2,
    margin: float = 1.0,
    eps: float = 1e-6,
    reduction: Reduction = "none",
) -> mx.array:
    """Triplet margin loss
    ``max(||a - p||_p - ||a - n||_p + margin, 0)``, where each p-norm is
    taken as ``(sum(|x|**p) + eps) ** (1 / p)`` along ``axis``.

    Args:
        anchors (array): Anchor samples.
        positives (array): Samples of the anchor's class.
        negatives (array): Samples of another class.
        axis (int, optional): The feature axis. Default: ``-1``.
        p (int, optional): The norm degree. Default: ``2``.
        margin (float, optional): The margin. Default: ``1.0``.
        eps (float, optional): Added inside the norm. Default: ``1e-6``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The triplet loss (``axis`` removed when not reduced).
    """

    def distance(a, b):
        total = mx.sum(mx.power(mx.abs(a - b), p), axis=axis) + eps
        return mx.power(total, 1.0 / p)

    loss = mx.maximum(
        distance(anchors, positives) - distance(anchors, negatives) + margin, 0
    )
    return _reduce(loss, reduction)


def hinge_loss(
    inputs: mx.array, targets: mx.array, reduction: Reduction = "none"
) -> mx.array:
    """Hinge loss ``max(0, 1 - targets * inputs)`` for targets in {-1, 1}.

    Args:
        inputs (array): The predicted values.
        targets (array): The target values, -1 or 1.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The hinge loss.
    """
    return _reduce(mx.maximum(1 - inputs * targets, 0), reduction)


def huber_loss(
    inputs: mx.array,
    targets: mx.array,
    delta: float = 1.0,
    reduction: Reduction = "none",
) -> mx.array:
    """Huber loss: ``0.5 * d**2`` where ``|d| <= delta``, otherwise
    ``delta * (|d| - 0.5 * delta)``, with ``d = inputs - targets``.

    Args:
        inputs (array): The predicted values.
        targets (array): The target values.
        delta (float, optional): Where the loss turns from quadratic to
            linear. Default: ``1.0``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The Huber loss.
    """
    error = mx.abs(inputs - targets)
    # Split |d| into the part inside the quadratic zone and the rest; this
    # is the same piecewise function without a select.
    inside = mx.minimum(error, delta)
    loss = 0.5 * mx.square(inside) + delta * (error - inside)
    return _reduce(loss, reduction)


def log_cosh_loss(
    inputs: mx.array, targets: mx.array, reduction: Reduction = "none"
) -> mx.array:
    """Log-cosh loss ``log(cosh(inputs - targets))``.

    It is evaluated as ``logaddexp(d, -d) - log(2)`` so that large errors do
    not overflow ``cosh``.

    Args:
        inputs (array): The predicted values.
        targets (array): The target values.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The log cosh loss.
    """
    error = inputs - targets
    loss = mx.logaddexp(error, -error) - math.log(2)
    return _reduce(loss, reduction)


def cosine_similarity_loss(
    x1: mx.array,
    x2: mx.array,
    axis: int = 1,
    eps: float = 1e-8,
    reduction: Reduction = "none",
) -> mx.array:
    """Cosine similarity ``x1 . x2 / max(||x1|| * ||x2||, eps)`` along ``axis``.

    Args:
        x1 (array): First inputs.
        x2 (array): Second inputs.
        axis (int, optional): The embedding axis. Default: ``1``.
        eps (float, optional): Lower bound for the denominator.
            Default: ``1e-8``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The cosine similarity.
    """
    dot = mx.sum(x1 * x2, axis=axis)
    norm1 = mx.sqrt(mx.sum(mx.square(x1), axis=axis))
    norm2 = mx.sqrt(mx.sum(mx.square(x2), axis=axis))
    loss = dot / mx.maximum(norm1 * norm2, eps)
    return _reduce(loss, reduction)


def margin_ranking_loss(
    inputs1: mx.array,
    inputs2: mx.array,
    targets: mx.array,
    margin: float = 0.0,
    reduction: Reduction = "none",
) -> mx.array:
    """Margin ranking loss ``max(0, -targets * (inputs1 - inputs2) + margin)``.

    Args:
        inputs1 (array): Scores of the first inputs.
        inputs2 (array): Scores of the second inputs.
        targets (array): 1 where ``inputs1`` should rank higher, -1 otherwise.
        margin (float, optional): The required separation. Default: ``0.0``.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``.
            Default: ``'none'``.

    Returns:
        array: The margin ranking loss.
    """
    if not (inputs1.shape == inputs2.shape == targets.shape):
        raise ValueError(
            "The shapes of the arguments do not match. The provided shapes are "
            f"inputs1.shape={inputs1.shape}, inputs2.shape={inputs2.shape}, "
            f"and targets.shape={targets.shape}."
        )
    loss = mx.maximum(-targets * (inputs1 - inputs2) + margin, 0)
    return _reduce(loss, reduction)
