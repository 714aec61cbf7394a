"""mlx.nn.Module: tree views, update strictness, freezing, training mode,
weights IO and reprs.  Expected messages, orders and trees were checked
against real MLX 0.32.4; reprs and parameter trees of the layers are compared
with nn_refs.json (recorded by gen_nn_refs.py from real MLX)."""

import json
import os
import re

import numpy as np
import pytest

import mlx.core as mx
import mlx.nn as nn
from mlx.utils import tree_flatten

from nn_cases import STRUCTURE

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "nn_refs.json")) as f:
    RECORDED = json.load(f)["structure"]


def no_addresses(text):
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


@pytest.mark.parametrize("ctor", STRUCTURE)
def test_structure_matches_recorded_mlx(ctor):
    m = eval(ctor)
    want = RECORDED[ctor]
    assert no_addresses(repr(m)) == no_addresses(want["repr"])
    got = [[k, list(v.shape), str(v.dtype)] for k, v in tree_flatten(m.parameters())]
    assert got == want["params"]
    assert [k for k, _ in tree_flatten(m.trainable_parameters())] == want["trainable"]
    assert sorted(m.keys()) == want["keys"]


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2)
        self.layers = [nn.Linear(1, 1), {"x": nn.Conv2d(1, 2, 3), "y": [nn.ReLU(), 3]}]
        self.w = mx.zeros((2,))
        self.d = {"k": mx.ones(3), "z": 5, "l": [mx.ones(1), "a"]}
        self._p = mx.ones(2)
        self.n = 3


def shapes(tree):
    return [(k, v.shape) for k, v in tree_flatten(tree)]


def test_items_and_attributes():
    m = Holder()
    assert list(m.keys()) == ["a", "layers", "w", "d", "_p"]
    assert "n" not in m and m.n == 3
    assert "_p" in m and "_p" not in m.parameters()
    p = m.parameters()
    assert p["layers"][1]["y"] == [{}, {}]
    assert p["d"]["z"] == {} and p["d"]["l"][1] == {}
    assert shapes(p) == [("a.weight", (2, 2)), ("a.bias", (2,)), ("layers.0.weight", (1, 1)),
                         ("layers.0.bias", (1,)), ("layers.1.x.weight", (2, 3, 3, 1)),
                         ("layers.1.x.bias", (2,)), ("w", (2,)), ("d.k", (3,)), ("d.l.0", (1,))]
    # Assigning a non-array over a parameter removes it; an array moves a
    # plain attribute into the items.
    lin = nn.Linear(2, 2)
    lin.bias = None
    assert list(lin.keys()) == ["weight"] and lin.bias is None
    assert repr(lin) == "Linear(input_dims=2, output_dims=2, bias=False)"
    lin.q = 5
    lin.q = mx.ones(1)
    assert "q" in lin and "q" not in lin.__dict__
    del lin.q
    assert "q" not in lin
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'zz'"):
        lin.zz
    with pytest.raises(AttributeError):
        del lin.zz
    assert lin.state is lin


def test_children_leaves_and_module_order():
    m = Holder()
    ch = m.children()
    assert list(ch) == ["a", "layers", "d"]
    assert ch["d"] == {"k": {}, "z": {}, "l": [{}, {}]}
    assert [k for k, _ in tree_flatten(m.leaf_modules(), is_leaf=nn.Module.is_module)] == \
        ["a", "layers.0", "layers.1.x", "layers.1.y.0"]
    assert [k for k, _ in m.named_modules()] == ["", "layers.1.y.0", "layers.1.x", "layers.0", "a"]
    assert [type(x).__name__ for x in m.modules()] == ["Holder", "ReLU", "Conv2d", "Linear", "Linear"]


def trainable(m):
    return [k for k, _ in tree_flatten(m.trainable_parameters())]


def test_freeze_unfreeze():
    m = Holder()
    everything = [k for k, _ in tree_flatten(m.parameters())]
    m.freeze()
    assert trainable(m) == []
    m.unfreeze()
    assert trainable(m) == everything
    m.freeze(keys=["weight"])
    assert trainable(m) == ["a.bias", "layers.0.bias", "layers.1.x.bias", "w", "d.k", "d.l.0"]
    m.unfreeze()
    m.freeze(recurse=False)
    assert trainable(m) == ["a.weight", "a.bias", "layers.0.weight", "layers.0.bias",
                            "layers.1.x.weight", "layers.1.x.bias"]
    m.unfreeze()
    m.a.freeze(keys="bias")
    assert "a.bias" not in trainable(m)
    m.unfreeze(keys="bias")
    assert trainable(m) == everything
    m.freeze(keys="d")
    assert "d" not in m.trainable_parameters()
    m.unfreeze(keys="d", recurse=False)
    assert trainable(m) == everything
    with pytest.raises(KeyError, match="Module doesn't contain member nope."):
        m.freeze(keys="nope", strict=True)
    with pytest.raises(KeyError, match="nope"):
        m.freeze(keys=["weight", "nope"], strict=True)
    with pytest.raises(KeyError, match="member weight"):
        m.freeze(keys="weight", strict=True, recurse=False)
    m.unfreeze(keys="w", strict=True, recurse=False)
    assert m.freeze() is m and m.unfreeze() is m


def test_batch_norm_stats_stay_frozen():
    bn = nn.BatchNorm(3)
    bn.unfreeze()
    assert set(bn.trainable_parameters()) == {"weight", "bias"}
    # from a parent, unfreezing thaws them (as in MLX)
    s = nn.Sequential(nn.BatchNorm(3))
    s.unfreeze()
    assert set(s.trainable_parameters()["layers"][0]) == {"weight", "bias", "running_mean", "running_var"}


def test_train_eval():
    m = Holder()
    assert m.training
    assert m.eval() is m
    assert not m.training and not m.a.training and not m.layers[1]["y"][0].training
    m.a.train()
    assert not m.training and m.a.training
    assert m.train() is m and m.training and m.layers[1]["x"].training


def test_update_strict_errors():
    s = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    new = mx.zeros((3, 2))
    assert s.update({"layers": [{"weight": new}]}) is s
    assert s.layers[0].weight is new
    cases = [
        ({"foo": 1}, 'Module does not have parameter named "foo".'),
        ({"layers": [{"foo": new}]}, 'Module does not have parameter named "foo".'),
        ({"layers": [{"weight": 1}]}, "Received invalid type: int."),
        ({"layers": {"weight": 1}}, 'Module does not have parameter named "weight".'),
        ({"layers": [{"weight": new}, {}, {}]}, "List index 2 is out of bounds for destination of length 2."),
        ({"layers": [{"weight": {"a": new}}]}, "Received invalid type: dict."),
        ({"layers": mx.zeros(3)}, "Received invalid type: array."),
    ]
    for tree, message in cases:
        with pytest.raises(ValueError) as e:
            s.update(tree)
        assert str(e.value) == message
    s.update({"foo": 1}, strict=False)
    assert list(s.keys()) == ["layers"]
    # non-strict: a mismatched leaf is stored as given, a container is kept
    s.update({"layers": mx.zeros(1)}, strict=False)
    assert isinstance(s.layers, list)
    s.update({"layers": [{"weight": 1}]}, strict=False)
    assert s.layers[0]["weight"] == 1 and "weight" not in s.parameters()["layers"][0]


def test_update_modules():
    s = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    cases = [
        ({"layers": [mx.zeros(2)]}, "Received invalid type: array."),
        ({"foo": nn.Linear(1, 1)}, 'Module does not have sub-module named "foo".'),
        ({"layers": [{"weight": nn.Linear(1, 1)}]}, "Received invalid type: Linear."),
        ({"layers": [{}, {}, nn.Linear(7, 7)]}, "List index 2 is out of bounds for destination of length 2."),
        ({"layers": nn.Linear(7, 7)}, 'Module does not have sub-module named "weight".'),
    ]
    for tree, message in cases:
        with pytest.raises(ValueError) as e:
            s.update_modules(tree)
        assert str(e.value) == message
    new = nn.Linear(7, 7)
    assert s.update_modules({"layers": [{}, new]}) is s
    assert s.layers[1] is new
    s.update_modules({"layers": [{}, {}, nn.Linear(1, 1)]}, strict=False)
    assert len(s.layers) == 2


def test_apply_and_set_dtype():
    m = Holder()
    m.set_dtype(mx.float16)
    assert all(v.dtype == mx.float16 for _, v in tree_flatten(m.parameters()))
    m.w = mx.zeros((2,), dtype=mx.int32)
    m.set_dtype(mx.float32)
    assert m.w.dtype == mx.int32 and m.a.weight.dtype == mx.float32
    m.set_dtype(mx.bfloat16, lambda d: d == mx.int32)
    assert m.w.dtype == mx.bfloat16 and m.a.weight.dtype == mx.float32
    # the filter sees the containers on the way down as well
    m.apply(lambda x: x * 0, lambda mod, k, v: k == "bias" or isinstance(v, nn.Module))
    assert np.all(np.array(m.a.bias) == 0) and np.any(np.array(m.a.weight) != 0)
    seen = []
    assert m.apply_to_modules(lambda path, mod: seen.append(path)) is m
    assert seen == ["", "layers.1.y.0", "layers.1.x", "layers.0", "a"]


def test_load_weights_checks():
    s = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    full = [("layers.0.weight", mx.zeros((3, 2))), ("layers.0.bias", mx.zeros(3)),
            ("layers.1.weight", mx.zeros((1, 3))), ("layers.1.bias", mx.zeros(1))]
    with pytest.raises(ValueError) as e:
        s.load_weights(full[:2])
    assert str(e.value) == "Missing 2 parameters: \nlayers.1.bias,\nlayers.1.weight."
    with pytest.raises(ValueError) as e:
        s.load_weights(full + [("extra", mx.zeros(1)), ("extra2.a", mx.zeros(1))])
    assert str(e.value) == "Received 2 parameters not in model: \nextra,\nextra2.a."
    with pytest.raises(ValueError) as e:
        s.load_weights([full[0], ("layers.0.bias", mx.zeros(4))] + full[2:])
    assert str(e.value) == "Expected shape (3,) but received shape (4,) for parameter layers.0.bias"
    with pytest.raises(ValueError) as e:
        s.load_weights([full[0], ("layers.0.bias", [1, 2])] + full[2:])
    assert str(e.value) == "Expected mx.array but received <class 'list'> for parameter layers.0.bias"
    # dtypes are not checked; non-strict loads take any shape and skip extras
    assert s.load_weights([full[0], ("layers.0.bias", mx.zeros(3, dtype=mx.float16))] + full[2:]) is s
    assert s.layers[0].bias.dtype == mx.float16
    s.load_weights([("layers.0.bias", mx.ones(2)), ("zz", mx.ones(1))], strict=False)
    assert s.layers[0].bias.shape == (2,) and "zz" not in s
    with pytest.raises(ValueError, match="Unsupported file extension for w.bin"):
        s.save_weights("w.bin")


@pytest.mark.skipif(not hasattr(mx, "savez"), reason="mx.savez/mx.load not built yet")
@pytest.mark.parametrize("ext", [".npz", ".safetensors"])
def test_save_load_round_trip(tmp_path, ext):
    a = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2, bias=False))
    path = str(tmp_path / ("w" + ext))
    a.save_weights(path)
    b = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2, bias=False))
    b.load_weights(path)
    for (ka, va), (kb, vb) in zip(tree_flatten(a.parameters()), tree_flatten(b.parameters())):
        assert ka == kb and np.array_equal(np.array(va), np.array(vb))
    with pytest.raises(ValueError):
        nn.Sequential(nn.Linear(3, 5)).load_weights(path)


def test_repr_nesting():
    class B(nn.Module):
        def __init__(self):
            super().__init__()
            self.l = nn.Linear(1, 1)
            self.inner = nn.Sequential(nn.ReLU(), nn.Linear(1, 2))

    assert repr(B()) == (
        "B(\n"
        "  (l): Linear(input_dims=1, output_dims=1, bias=True)\n"
        "  (inner): Sequential(\n"
        "    (layers.0): ReLU()\n"
        "    (layers.1): Linear(input_dims=1, output_dims=2, bias=True)\n"
        "  )\n"
        ")"
    )
    assert repr(Holder()).splitlines()[1:4] == [
        "  (a): Linear(input_dims=2, output_dims=2, bias=True)",
        "  (layers.0): Linear(input_dims=1, output_dims=1, bias=True)",
        "  (layers.1.x): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), dilation=1, groups=1, bias=True)",
    ]


def test_namespace_matches_mlx():
    # Everything in MLX 0.32.4's dir(mlx.nn) except the quantized and
    # distributed layers, which wait for mx.quantize / mx.distributed.
    not_yet = {"AllToShardedLinear", "FullyShardedModule", "QQLinear", "QuantizedAllToShardedLinear",
               "QuantizedEmbedding", "QuantizedLinear", "QuantizedShardedToAllLinear",
               "ShardedToAllLinear", "average_gradients", "distributed", "fully_shard", "quantize",
               "quantized"}
    names = ["ALiBi", "AvgPool1d", "AvgPool2d", "AvgPool3d", "BatchNorm", "Bilinear", "CELU", "Conv1d",
             "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Dropout",
             "Dropout2d", "Dropout3d", "ELU", "Embedding", "GELU", "GLU", "GRU", "GroupNorm", "HardShrink",
             "HardTanh", "Hardswish", "Identity", "InstanceNorm", "LSTM", "LayerNorm", "LeakyReLU", "Linear",
             "LogSigmoid", "LogSoftmax", "MaxPool1d", "MaxPool2d", "MaxPool3d", "Mish", "Module",
             "MultiHeadAttention", "PReLU", "RMSNorm", "RNN", "ReLU", "ReLU2", "ReLU6", "RoPE", "SELU",
             "Sequential", "SiLU", "Sigmoid", "SinusoidalPositionalEncoding", "Softmax", "Softmin",
             "Softplus", "Softshrink", "Softsign", "Step", "Tanh", "Transformer", "TransformerDecoder",
             "TransformerDecoderLayer", "TransformerEncoder", "TransformerEncoderLayer", "Upsample",
             "activations", "base", "celu", "containers", "convolution", "convolution_transpose",
             "dropout", "elu", "embedding", "gelu", "gelu_approx", "gelu_fast_approx", "glu",
             "hard_shrink", "hard_tanh", "hardswish", "init", "layers", "leaky_relu", "linear",
             "log_sigmoid", "log_softmax", "losses", "mish", "normalization", "pooling",
             "positional_encoding", "prelu", "recurrent", "relu", "relu2", "relu6", "selu", "sigmoid",
             "silu", "softmax", "softmin", "softplus", "softshrink", "softsign", "step", "tanh",
             "transformer", "upsample", "utils", "value_and_grad"]
    assert [n for n in names if not hasattr(nn, n)] == []
    assert not_yet.isdisjoint(names)


def test_value_and_grad():
    lin = nn.Linear(3, 1)
    x = mx.array(np.random.RandomState(0).randn(5, 3).astype(np.float32))

    def loss(x):
        return (lin(x) ** 2).sum()

    val, grads = nn.value_and_grad(lin, loss)(x)
    w, b = np.array(lin.weight), np.array(lin.bias)
    xn = np.array(x)
    r = xn @ w.T + b
    np.testing.assert_allclose(float(val), float((r ** 2).sum()), rtol=1e-5)
    np.testing.assert_allclose(np.array(grads["weight"]), 2 * r.T @ xn, rtol=1e-4)
    np.testing.assert_allclose(np.array(grads["bias"]), 2 * r.sum(0), rtol=1e-4)
