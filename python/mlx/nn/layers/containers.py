"""Sequential: calls its modules one after the other."""

from mlx.nn.layers.base import Module


class Sequential(Module):
    """Applies ``modules`` in order; any callable is accepted, and the
    Modules among them are stored in ``self.layers``."""

    def __init__(self, *modules):
        super().__init__()
        self.layers = list(modules)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
