"""Embedding lookup table."""

import math

import mlx.core as mx
from mlx.nn.layers.base import Module


class Embedding(Module):
    r"""Maps integer indices to rows of a ``(num_embeddings, dims)`` table
    initialised from :math:`\mathcal{N}(0, 1/\text{dims})`."""

    def __init__(self, num_embeddings: int, dims: int):
        super().__init__()
        self.weight = mx.random.normal(
            shape=(num_embeddings, dims), scale=math.sqrt(1 / dims)
        )

    def _extra_repr(self):
        return f"{self.weight.shape[0]}, {self.weight.shape[1]}"

    def __call__(self, x):
        return self.weight[x]

    def as_linear(self, x):
        """Uses the table as a linear layer (``x @ weight.T``), as done for
        tied input and output embeddings."""
        return x @ self.weight.T
