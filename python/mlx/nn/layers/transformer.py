"""Multi-head attention and the Transformer encoder/decoder stacks.

mx.fast is not available, so attention is computed with plain ops: scaled
scores, the mask, a softmax (accumulated in float32 for half-precision
scores, in the scores' own precision otherwise), and the weighted sum of
the values.
"""

import math
from typing import Any, Callable, Optional

import mlx.core as mx
from mlx.nn.layers.activations import relu
from mlx.nn.layers.base import Module
from mlx.nn.layers.dropout import Dropout
from mlx.nn.layers.linear import Linear
from mlx.nn.layers.normalization import LayerNorm


def _attention(q, k, v, scale, mask):
    # q: (B, H, Lq, d), k and v: (B, H, Lk, d).  A boolean mask marks the
    # pairs that may attend; any other mask is added to the scores; the
    # string "causal" lines the last query up with the last key.
    scores = (q * scale) @ k.swapaxes(-1, -2)
    if isinstance(mask, str):
        if mask != "causal":
            raise ValueError(f"Unsupported mask type: {mask!r}")
        lq, lk = scores.shape[-2], scores.shape[-1]
        rows = mx.arange(lk - lq, lk)[:, None]
        cols = mx.arange(lk)[None, :]
        mask = rows >= cols
    if mask is not None:
        if mask.dtype == mx.bool_:
            scores = mx.where(mask, scores, mx.finfo(scores.dtype).min)
        else:
            scores = scores + mask
    # precise=True accumulates half-precision scores in float32; casting to
    # float32 unconditionally would also round float64 scores, which breaks
    # float64 gradient checks of every attention layer.
    weights = mx.softmax(scores, axis=-1, precise=True)
    return weights @ v


class MultiHeadAttention(Module):
    """Multi-head attention (Vaswani et al.).

    Queries, keys and values are projected to ``dims`` (values to
    ``value_dims``), split into ``num_heads`` heads, attended with scale
    ``1 / sqrt(head_dims)``, merged and projected to ``value_output_dims``.
    ``mask`` (optional) is added to the attention scores, or selects the
    allowed pairs when boolean.
    """

    def __init__(
        self,
        dims: int,
        num_heads: int,
        query_input_dims: Optional[int] = None,
        key_input_dims: Optional[int] = None,
        value_input_dims: Optional[int] = None,
        value_dims: Optional[int] = None,
        value_output_dims: Optional[int] = None,
        bias: bool = False,
    ):
        super().__init__()
        if dims % num_heads != 0:
            raise ValueError(
                "The input feature dimensions should be divisible by the "
                f"number of heads ({dims} % {num_heads}) != 0"
            )
        query_input_dims = query_input_dims or dims
        key_input_dims = key_input_dims or dims
        value_input_dims = value_input_dims or key_input_dims
        value_dims = value_dims or dims
        value_output_dims = value_output_dims or dims

        self.num_heads = num_heads
        self.query_proj = Linear(query_input_dims, dims, bias=bias)
        self.key_proj = Linear(key_input_dims, dims, bias=bias)
        self.value_proj = Linear(value_input_dims, value_dims, bias=bias)
        self.out_proj = Linear(value_dims, value_output_dims, bias=bias)

    def __call__(self, queries, keys, values, mask=None):
        queries = self.query_proj(queries)
        keys = self.key_proj(keys)
        values = self.value_proj(values)

        h = self.num_heads
        *lead_q, lq, _ = queries.shape
        lk = keys.shape[-2]

        def heads(t, length):
            return t.reshape(*t.shape[:-2], length, h, -1).swapaxes(-3, -2)

        q, k, v = heads(queries, lq), heads(keys, lk), heads(values, lk)
        scale = math.sqrt(1 / q.shape[-1])
        out = _attention(q, k, v, scale, mask)
        out = out.swapaxes(-3, -2).reshape(*lead_q, lq, -1)
        return self.out_proj(out)

    @staticmethod
    def create_additive_causal_mask(N: int, dtype: mx.Dtype = mx.float32):
        """An ``(N, N)`` mask with the dtype's lowest value above the
        diagonal (future positions) and zeros elsewhere."""
        idx = mx.arange(N)
        future = idx[:, None] < idx[None]
        return future.astype(dtype) * mx.finfo(dtype).min


class TransformerEncoderLayer(Module):
    """Self-attention followed by a two-layer MLP, each in a residual branch
    with layer norm before (``norm_first``) or after the residual sum."""

    def __init__(
        self,
        dims: int,
        num_heads: int,
        mlp_dims: Optional[int] = None,
        dropout: float = 0.0,
        activation: Callable[[Any], Any] = relu,
        norm_first: bool = True,
    ):
        super().__init__()
        mlp_dims = mlp_dims or dims * 4
        self.attention = MultiHeadAttention(dims, num_heads)
        self.ln1 = LayerNorm(dims)
        self.ln2 = LayerNorm(dims)
        self.linear1 = Linear(dims, mlp_dims)
        self.linear2 = Linear(mlp_dims, dims)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = activation
        self.norm_first = norm_first

    def _mlp(self, x):
        return self.linear2(self.dropout2(self.activation(self.linear1(x))))

    def __call__(self, x, mask):
        if self.norm_first:
            y = self.ln1(x)
            x = x + self.dropout1(self.attention(y, y, y, mask))
            return x + self._mlp(self.ln2(x))
        x = self.ln1(x + self.dropout1(self.attention(x, x, x, mask)))
        return self.ln2(x + self._mlp(x))


class _LayerStack(Module):
    # The encoder and the decoder: ``num_layers`` copies of ``_layer``, each
    # fed the previous one's output and the same extra inputs, then a final
    # layer norm.

    _layer = None

    def __init__(
        self,
        num_layers: int,
        dims: int,
        num_heads: int,
        mlp_dims: Optional[int] = None,
        dropout: float = 0.0,
        activation=relu,
        norm_first: bool = True,
        checkpoint: bool = False,
    ):
        super().__init__()
        self.layers = [
            self._layer(dims, num_heads, mlp_dims, dropout, activation, norm_first)
            for _ in range(num_layers)
        ]
        self.ln = LayerNorm(dims)
        self.checkpoint = checkpoint

    def _run(self, x, *inputs):
        for layer in self.layers:
            x = _maybe_checkpoint(layer, self.checkpoint)(x, *inputs)
        return self.ln(x)


class TransformerEncoder(_LayerStack):
    """``num_layers`` encoder layers followed by a final layer norm."""

    _layer = TransformerEncoderLayer

    def __call__(self, x, mask):
        return self._run(x, mask)


class TransformerDecoderLayer(Module):
    """Self-attention, cross-attention to ``memory`` and a two-layer MLP, each
    in a residual branch with layer norm before (``norm_first``) or after the
    residual sum."""

    def __init__(
        self,
        dims: int,
        num_heads: int,
        mlp_dims: Optional[int] = None,
        dropout: float = 0.0,
        activation: Callable[[Any], Any] = relu,
        norm_first: bool = True,
    ):
        super().__init__()
        mlp_dims = mlp_dims or dims * 4
        self.self_attention = MultiHeadAttention(dims, num_heads)
        self.cross_attention = MultiHeadAttention(dims, num_heads)
        self.ln1 = LayerNorm(dims)
        self.ln2 = LayerNorm(dims)
        self.ln3 = LayerNorm(dims)
        self.linear1 = Linear(dims, mlp_dims)
        self.linear2 = Linear(mlp_dims, dims)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = activation
        self.norm_first = norm_first

    def _mlp(self, x):
        return self.linear2(self.dropout3(self.activation(self.linear1(x))))

    def __call__(self, x, memory, x_mask, memory_mask):
        if self.norm_first:
            y = self.ln1(x)
            x = x + self.dropout1(self.self_attention(y, y, y, x_mask))
            y = self.ln2(x)
            x = x + self.dropout2(self.cross_attention(y, memory, memory, memory_mask))
            return x + self._mlp(self.ln3(x))
        x = self.ln1(x + self.dropout1(self.self_attention(x, x, x, x_mask)))
        x = self.ln2(
            x + self.dropout2(self.cross_attention(x, memory, memory, memory_mask))
        )
        return self.ln3(x + self._mlp(x))


class TransformerDecoder(_LayerStack):
    """``num_layers`` decoder layers followed by a final layer norm."""

    _layer = TransformerDecoderLayer

    def __call__(self, x, memory, x_mask, memory_mask):
        return self._run(x, memory, x_mask, memory_mask)


def _maybe_checkpoint(layer, wanted):
    # Checkpointing recomputes the layer in the backward pass, with the
    # layer's parameters as inputs so their gradients are kept.  (Imported
    # here: mlx.nn.utils imports the layers package.)
    from mlx.nn.utils import checkpoint

    return checkpoint(layer) if wanted else layer


class Transformer(Module):
    """An encoder-decoder Transformer: ``decoder(tgt, encoder(src))``.

    ``custom_encoder`` / ``custom_decoder`` replace the default stacks.
    """

    def __init__(
        self,
        dims: int = 512,
        num_heads: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        mlp_dims: Optional[int] = None,
        dropout: float = 0.0,
        activation: Callable[[Any], Any] = relu,
        custom_encoder: Optional[Any] = None,
        custom_decoder: Optional[Any] = None,
        norm_first: bool = True,
        checkpoint: bool = False,
    ):
        super().__init__()
        # An empty Module is a falsy dict, so test against None explicitly.
        if custom_encoder is None:
            custom_encoder = TransformerEncoder(
                num_encoder_layers, dims, num_heads, mlp_dims, dropout, activation,
                norm_first, checkpoint,
            )
        if custom_decoder is None:
            custom_decoder = TransformerDecoder(
                num_decoder_layers, dims, num_heads, mlp_dims, dropout, activation,
                norm_first, checkpoint,
            )
        self.encoder = custom_encoder
        self.decoder = custom_decoder

    def __call__(self, src, tgt, src_mask, tgt_mask, memory_mask):
        memory = self.encoder(src, src_mask)
        return self.decoder(tgt, memory, tgt_mask, memory_mask)
