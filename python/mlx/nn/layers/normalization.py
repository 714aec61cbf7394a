"""Normalisation layers.

mx.fast is not available, so the norms are written with plain ops.  Inputs
of 16-bit float types are normalised in float32 and cast back, which keeps
the statistics accurate the way a fused kernel would.
"""


import mlx.core as mx
from mlx.nn.layers.base import Module


def _wide(x):
    # The dtype the statistics are computed in, and whether to cast back.
    if x.dtype in (mx.float16, mx.bfloat16):
        return x.astype(mx.float32), x.dtype
    return x, None


def _normalize(x, axes, eps):
    # (x - mean) / sqrt(var + eps) over ``axes`` with the biased variance.
    xw, back = _wide(x)
    mean = mx.mean(xw, axis=axes, keepdims=True)
    var = mx.var(xw, axis=axes, keepdims=True)
    y = (xw - mean) * mx.rsqrt(var + eps)
    return y.astype(back) if back is not None else y


def _layer_norm(x, weight, bias, eps):
    if weight is not None and weight.size != x.shape[-1]:
        raise ValueError(
            "[layer_norm] weight must have the same size as the last dimension "
            f"of x but has {weight.size} elements."
        )
    y = _normalize(x, -1, eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def _rms_norm(x, weight, eps):
    if weight.size != x.shape[-1]:
        raise ValueError(
            "[rms_norm] (*weight) must have the same size as the last dimension "
            f"of x but has {weight.size} elements."
        )
    xw, back = _wide(x)
    y = xw * mx.rsqrt(mx.mean(mx.square(xw), axis=-1, keepdims=True) + eps)
    if back is not None:
        y = y.astype(back)
    return y * weight


class InstanceNorm(Module):
    r"""Normalises each channel of each sample over the spatial axes of a
    channels-last input ``(N, ..., C)``; with ``affine`` a per-channel scale
    (ones) and shift (zeros) follow."""

    def __init__(self, dims: int, eps: float = 1e-5, affine: bool = False):
        super().__init__()
        if affine:
            self.weight = mx.ones((dims,))
            self.bias = mx.zeros((dims,))
        self.dims = dims
        self.eps = eps

    def _extra_repr(self):
        return f"{self.dims}, eps={self.eps}, affine={'weight' in self}"

    def __call__(self, x: mx.array) -> mx.array:
        if x.ndim < 3:
            raise ValueError(
                "InstanceNorm expects inputs with at least 3 dimensions (N, ..., C) "
                f"but the input has {x.ndim} dimensions."
            )
        y = _normalize(x, tuple(range(1, x.ndim - 1)), self.eps)
        if "weight" in self:
            y = y * self.weight + self.bias
        return y


class LayerNorm(Module):
    r"""Normalises over the last axis (of size ``dims``), then scales by
    ``weight`` (ones) and shifts by ``bias`` (zeros) when ``affine`` (and
    ``bias``) are set."""

    def __init__(self, dims: int, eps: float = 1e-5, affine: bool = True, bias: bool = True):
        super().__init__()
        if affine:
            self.weight = mx.ones((dims,))
            if bias:
                self.bias = mx.zeros((dims,))
        self.eps = eps
        self.dims = dims

    def _extra_repr(self):
        return f"{self.dims}, eps={self.eps}, affine={'weight' in self}"

    def __call__(self, x):
        return _layer_norm(x, self.get("weight"), self.get("bias"), self.eps)


class RMSNorm(Module):
    r"""Root-mean-square normalisation over the last axis,
    :math:`x / \sqrt{\text{mean}(x^2) + \epsilon}`, scaled by ``weight``
    (ones)."""

    def __init__(self, dims: int, eps: float = 1e-5):
        super().__init__()
        self.weight = mx.ones((dims,))
        self.eps = eps

    def _extra_repr(self):
        return f"{self.weight.shape[0]}, eps={self.eps}"

    def __call__(self, x):
        return _rms_norm(x, self["weight"], self.eps)


class GroupNorm(Module):
    r"""Splits the ``dims`` channels (last axis) into ``num_groups`` groups and
    normalises each group over the channels and spatial axes of a sample.

    By default channel ``c`` belongs to group ``c % num_groups``;
    ``pytorch_compatible=True`` uses contiguous blocks of channels
    (group ``c // (dims / num_groups)``), as PyTorch does.
    """

    def __init__(
        self,
        num_groups: int,
        dims: int,
        eps: float = 1e-5,
        affine: bool = True,
        pytorch_compatible: bool = False,
    ):
        super().__init__()
        if dims % num_groups != 0:
            raise ValueError(
                f"The number of features ({dims}) must be evenly divisible by "
                f"the number of groups ({num_groups})."
            )
        if affine:
            self.bias = mx.zeros((dims,))
            self.weight = mx.ones((dims,))
        self.num_groups = num_groups
        self.dims = dims
        self.eps = eps
        self.pytorch_compatible = pytorch_compatible

    def _extra_repr(self):
        return (
            f"{self.num_groups}, {self.dims}, eps={self.eps}, "
            f"affine={'weight' in self}, pytorch_compatible={self.pytorch_compatible}"
        )

    def _grouped(self, x):
        batch, *rest, dims = x.shape
        g = self.num_groups
        if self.pytorch_compatible:
            # (B, S, G, C/G) -> (B, G, S * C/G): each row one group.
            t = x.reshape(batch, -1, g, dims // g)
            t = t.transpose(0, 2, 1, 3).reshape(batch, g, -1)
            t = _normalize(t, -1, self.eps)
            t = t.reshape(batch, g, -1, dims // g).transpose(0, 2, 1, 3)
            return t.reshape(x.shape)
        # Interleaved groups: (B, S * C/G, G), normalised over axis 1.
        t = x.reshape(batch, -1, g)
        t = _normalize(t, 1, self.eps)
        return t.reshape(x.shape)

    def __call__(self, x):
        y = self._grouped(x)
        if "weight" in self:
            y = y * self.weight + self.bias
        return y


class BatchNorm(Module):
    r"""Batch normalisation over every axis but the last (channels) of
    ``(N, C)``, ``(N, L, C)`` or ``(N, H, W, C)`` inputs.

    While training, batch statistics normalise the input and, with
    ``track_running_stats``, update ``running_mean`` and ``running_var``
    (the latter from the unbiased batch variance) by
    ``(1 - momentum) * running + momentum * batch``.  In eval mode the
    running statistics are used.  The running statistics are part of the
    parameters but are frozen.
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
    ):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = mx.ones((num_features,))
            self.bias = mx.zeros((num_features,))
        if track_running_stats:
            self.running_mean = mx.zeros((num_features,))
            self.running_var = mx.ones((num_features,))
            self.freeze(keys=["running_mean", "running_var"], recurse=False)

    def unfreeze(self, *args, **kwargs):
        """Like :meth:`Module.unfreeze`, but the running statistics stay
        frozen."""
        super().unfreeze(*args, **kwargs)
        self.freeze(keys=["running_mean", "running_var"], recurse=False)
        return self

    def _extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={'weight' in self}, "
            f"track_running_stats={self.track_running_stats}"
        )

    def __call__(self, x: mx.array) -> mx.array:
        if x.ndim < 2 or x.ndim > 4:
            raise ValueError(
                f"Expected input tensor to have 2, 3 or 4 dimensions, but got {x.ndim}"
            )
        axes = tuple(range(x.ndim - 1))
        tracking = self.track_running_stats and "running_mean" in self
        if self.training or not tracking:
            mean = mx.mean(x, axis=axes)
            var = mx.var(x, axis=axes)
            if self.training and tracking:
                count = x.size // x.shape[-1]
                unbiased = var * (count / max(count - 1, 1))
                m = self.momentum
                self.running_mean = (1 - m) * self.running_mean + m * mean
                self.running_var = (1 - m) * self.running_var + m * unbiased
        else:
            mean = self.running_mean
            var = self.running_var
        y = (x - mean) * mx.rsqrt(var + self.eps)
        if "weight" in self:
            y = self.weight * y + self.bias
        return y
