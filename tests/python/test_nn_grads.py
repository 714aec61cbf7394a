"""Gradients of every mlx.nn layer and every mlx.nn.losses function.

Each check differentiates a scalar L = sum(out * W), W a fixed random
cotangent, with respect to the layer's trainable parameters
(nn.value_and_grad) and its floating-point inputs (mx.grad), and compares
against

* PyTorch CPU autograd in float64 with the same weights, where torch has the
  same layer or function (the torch leaves are created in MLX's layout and
  permuted inside the torch function, so torch's .grad comes back in MLX's
  layout);
* float64 central finite differences otherwise, and additionally for every
  layer case of nn_cases.py (one random direction per parameter/input leaf,
  so a wrong leaf is named).

Convolution gradients need the linalg_conv transform rules; until they land
those cases xfail with the "VJP is not implemented" error rather than fail.
"""

import math

import numpy as np
import pytest

import mlx.core as mx
import mlx.nn as nn
import mlx.nn.losses as losses
import mlx.optimizers as optim
from mlx.utils import tree_flatten, tree_map, tree_unflatten

from nn_cases import CASES, make_inputs, torch_activations

torch = pytest.importorskip("torch")
F = torch.nn.functional

INPUTS = make_inputs()


def _missing_rule(err):
    msg = str(err)
    if "VJP is not implemented" in msg or "JVP is not implemented" in msg:
        pytest.xfail("transform rule missing: " + msg)
    raise err


def close(got, want, rtol=2e-4, atol=2e-5, what=""):
    got = np.array(got.astype(mx.float64)) if isinstance(got, mx.array) else np.asarray(got)
    if isinstance(want, torch.Tensor):
        want = want.detach().numpy()
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    scale = max(1.0, float(np.abs(want).max()) if want.size else 1.0)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * scale, err_msg=what)


# -- the two sides of a torch comparison ----------------------------------------------


def mlx_grads(model, call, xs, cot_seed=3):
    """(loss, {param: grad}, [input grads]) of sum(call(model, *xs) * W).

    Parameter gradients come from nn.value_and_grad, input gradients from
    mx.grad over the floating inputs (integer inputs get None)."""
    out = call(model, *xs)
    cot = mx.array(np.random.RandomState(cot_seed).randn(*out.shape).astype(np.float32))

    def loss(*args):
        return (call(model, *args) * cot).sum()

    val, gp = nn.value_and_grad(model, loss)(*xs)
    fl = [i for i, x in enumerate(xs) if mx.issubdtype(x.dtype, mx.floating)]
    gx = [None] * len(xs)
    if fl:
        def loss_x(*fxs):
            args = list(xs)
            for i, v in zip(fl, fxs):
                args[i] = v
            return loss(*args)

        got = mx.grad(loss_x, argnums=list(range(len(fl))))(*[xs[i] for i in fl])
        for i, g in zip(fl, got):
            gx[i] = g
    mx.eval(val, gp, gx)
    return val, dict(tree_flatten(gp)), gx, np.array(cot)


def torch_grads(params, xs, fn, cot):
    """The same loss in torch float64: fn(P, *X) with P keyed like MLX's flat
    parameter names and shaped like MLX's arrays."""
    P = {k: torch.tensor(np.array(v), dtype=torch.float64, requires_grad=True)
         for k, v in params.items()}
    X = []
    for x in xs:
        a = np.array(x)
        if np.issubdtype(a.dtype, np.floating):
            X.append(torch.tensor(a, dtype=torch.float64, requires_grad=True))
        else:
            X.append(torch.tensor(a.astype(np.int64)))
    out = fn(P, *X)
    loss = (out * torch.tensor(cot, dtype=torch.float64)).sum()
    loss.backward()
    return loss.item(), {k: p.grad for k, p in P.items()}, [x.grad if x.requires_grad else None for x in X]


def check_vs_torch(model, call, xs, fn, rtol=2e-4, atol=2e-5):
    xs = [mx.array(x) for x in xs]
    try:
        val, gp, gx, cot = mlx_grads(model, call, xs)
    except ValueError as e:
        _missing_rule(e)
    params = dict(tree_flatten(model.trainable_parameters()))
    tval, tgp, tgx = torch_grads(params, xs, fn, cot)
    close(val, tval, rtol, atol, "loss")
    assert set(gp) == set(params), (set(gp), set(params))
    for k in params:
        if tgp[k] is None:  # the torch function does not use it: zero gradient
            tgp[k] = torch.zeros(params[k].shape, dtype=torch.float64)
        close(gp[k], tgp[k], rtol, atol, "d/d" + k)
    for i, (g, tg) in enumerate(zip(gx, tgx)):
        if tg is not None:
            close(g, tg, rtol, atol, f"d/dx{i}")


rs = np.random.RandomState(11)


def randn(*shape):
    return rs.randn(*shape).astype(np.float32)


def set_random(model, scale=0.5):
    """Random values for every parameter (norm weights default to 1 and
    biases to 0, which would hide transposed or dropped gradient terms)."""
    model.update(tree_map(lambda p: mx.array(randn(*p.shape) * scale) + (p if p.ndim else 0),
                          model.trainable_parameters()))
    return model


def call1(m, x):
    return m(x)


# -- linear family ----------------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
def test_linear(bias):
    m = set_random(nn.Linear(5, 3, bias=bias))
    check_vs_torch(m, call1, [randn(2, 4, 5)],
                   lambda P, x: F.linear(x, P["weight"], P.get("bias")))


def test_bilinear():
    m = set_random(nn.Bilinear(3, 4, 5))
    check_vs_torch(m, lambda m, a, b: m(a, b), [randn(2, 6, 3), randn(2, 6, 4)],
                   lambda P, a, b: F.bilinear(a, b, P["weight"].permute(0, 2, 1), P["bias"]))


def test_identity():
    check_vs_torch(nn.Identity(), call1, [randn(3, 4)], lambda P, x: x)


def test_embedding_lookup_and_as_linear():
    m = nn.Embedding(10, 4)
    idx = rs.randint(0, 10, size=(3, 5)).astype(np.int32)
    idx[0, :3] = 7  # repeated rows accumulate their gradients
    check_vs_torch(m, call1, [idx], lambda P, i: F.embedding(i, P["weight"]))
    check_vs_torch(m, lambda m, x: m.as_linear(x), [randn(2, 4)],
                   lambda P, x: x @ P["weight"].T)


# -- convolutions ---------------------------------------------------------------------


@pytest.mark.parametrize("groups", [1, 2])
def test_conv1d(groups):
    m = nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=groups)
    check_vs_torch(m, call1, [randn(2, 11, 4)],
                   lambda P, x: F.conv1d(x.permute(0, 2, 1), P["weight"].permute(0, 2, 1), P["bias"],
                                         stride=2, padding=1, dilation=2,
                                         groups=groups).permute(0, 2, 1))


def test_conv2d():
    m = nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=1)
    check_vs_torch(m, call1, [randn(2, 7, 6, 3)],
                   lambda P, x: F.conv2d(x.permute(0, 3, 1, 2), P["weight"].permute(0, 3, 1, 2),
                                         P["bias"], stride=(2, 1), padding=1).permute(0, 2, 3, 1))


def test_conv3d():
    m = nn.Conv3d(2, 3, 2, padding=1, bias=False)
    check_vs_torch(m, call1, [randn(1, 4, 4, 4, 2)],
                   lambda P, x: F.conv3d(x.permute(0, 4, 1, 2, 3), P["weight"].permute(0, 4, 1, 2, 3),
                                         padding=1).permute(0, 2, 3, 4, 1))


def test_conv_transpose1d():
    m = nn.ConvTranspose1d(3, 5, 3, stride=2, padding=1, output_padding=1)
    check_vs_torch(m, call1, [randn(2, 6, 3)],
                   lambda P, x: F.conv_transpose1d(x.permute(0, 2, 1), P["weight"].permute(2, 0, 1),
                                                   P["bias"], stride=2, padding=1,
                                                   output_padding=1).permute(0, 2, 1))


def test_conv_transpose2d():
    m = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    check_vs_torch(m, call1, [randn(1, 4, 5, 3)],
                   lambda P, x: F.conv_transpose2d(x.permute(0, 3, 1, 2), P["weight"].permute(3, 0, 1, 2),
                                                   P["bias"], stride=2, padding=1).permute(0, 2, 3, 1))


def test_conv_transpose3d():
    m = nn.ConvTranspose3d(2, 2, 2, stride=2)
    check_vs_torch(m, call1, [randn(1, 3, 3, 3, 2)],
                   lambda P, x: F.conv_transpose3d(x.permute(0, 4, 1, 2, 3),
                                                   P["weight"].permute(4, 0, 1, 2, 3), P["bias"],
                                                   stride=2).permute(0, 2, 3, 4, 1))


# -- normalisation --------------------------------------------------------------------


def test_layer_norm():
    check_vs_torch(set_random(nn.LayerNorm(6)), call1, [randn(3, 4, 6)],
                   lambda P, x: F.layer_norm(x, (6,), P["weight"], P["bias"], 1e-5))
    check_vs_torch(nn.LayerNorm(6, affine=False, eps=1e-3), call1, [randn(3, 6)],
                   lambda P, x: F.layer_norm(x, (6,), eps=1e-3))
    check_vs_torch(set_random(nn.LayerNorm(6, bias=False)), call1, [randn(3, 6)],
                   lambda P, x: F.layer_norm(x, (6,), P["weight"], None, 1e-5))


def test_rms_norm():
    check_vs_torch(set_random(nn.RMSNorm(6)), call1, [randn(3, 4, 6)],
                   lambda P, x: F.rms_norm(x, (6,), P["weight"], 1e-5))


def test_group_norm():
    check_vs_torch(set_random(nn.GroupNorm(3, 6, pytorch_compatible=True)), call1, [randn(2, 4, 5, 6)],
                   lambda P, x: F.group_norm(x.permute(0, 3, 1, 2), 3, P["weight"], P["bias"],
                                             1e-5).permute(0, 2, 3, 1))
    # MLX's own grouping puts channel c in group c % groups: torch sees the
    # channels reordered into contiguous blocks.
    order = [0, 2, 4, 1, 3, 5]
    inv = np.argsort(order)

    def grouped(P, x):
        y = F.group_norm(x[..., order].permute(0, 2, 1), 2, eps=1e-5).permute(0, 2, 1)[..., inv]
        return y * P["weight"] + P["bias"]
    check_vs_torch(set_random(nn.GroupNorm(2, 6)), call1, [randn(2, 5, 6)], grouped)


def test_instance_norm():
    check_vs_torch(set_random(nn.InstanceNorm(4, affine=True)), call1, [randn(2, 5, 3, 4)],
                   lambda P, x: F.instance_norm(x.permute(0, 3, 1, 2), weight=P["weight"],
                                                bias=P["bias"], eps=1e-5).permute(0, 2, 3, 1))


def test_batch_norm_train_mode():
    bn = set_random(nn.BatchNorm(4, momentum=0.2))
    x = randn(6, 5, 4)
    tmean, tvar = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)

    def fn(P, x):
        # torch updates its running statistics in place, as BatchNorm does
        # inside the gradient call.
        return F.batch_norm(x.permute(0, 2, 1), tmean, tvar, P["weight"], P["bias"], training=True,
                            momentum=0.2, eps=1e-5).permute(0, 2, 1)
    # the forward pass of mlx_grads, nn.value_and_grad and mx.grad each take a
    # training step: three updates of the running statistics on both sides
    check_vs_torch(bn, call1, [x], lambda P, x: fn(P, x))
    fn({"weight": torch.tensor(np.array(bn.weight), dtype=torch.float64),
        "bias": torch.tensor(np.array(bn.bias), dtype=torch.float64)}, torch.tensor(x, dtype=torch.float64))
    fn({"weight": torch.tensor(np.array(bn.weight), dtype=torch.float64),
        "bias": torch.tensor(np.array(bn.bias), dtype=torch.float64)}, torch.tensor(x, dtype=torch.float64))
    close(bn.running_mean, tmean, what="running_mean")
    close(bn.running_var, tvar, what="running_var")
    # running statistics are state, not trainable: no gradient entries
    _, g = nn.value_and_grad(bn, lambda x: bn(x).sum())(mx.array(x))
    assert set(tree_flatten(g, destination={})) == {"weight", "bias"}


def test_batch_norm_eval_and_untracked():
    bn = set_random(nn.BatchNorm(4))
    bn.update({"running_mean": mx.array(randn(4)), "running_var": mx.array(np.abs(randn(4)) + 0.5)})
    bn.eval()
    check_vs_torch(bn, call1, [randn(3, 4)],
                   lambda P, x: F.batch_norm(x, torch.tensor(np.array(bn.running_mean), dtype=torch.float64),
                                             torch.tensor(np.array(bn.running_var), dtype=torch.float64),
                                             P["weight"], P["bias"], training=False, eps=1e-5))
    bn = nn.BatchNorm(3, affine=False, track_running_stats=False)
    check_vs_torch(bn, call1, [randn(4, 2, 2, 3)],
                   lambda P, x: F.batch_norm(x.permute(0, 3, 1, 2), None, None,
                                             training=True).permute(0, 2, 3, 1))


# -- attention and transformers ---------------------------------------------------------


def _torch_mha(P, q, k, v, num_heads, prefix="", mask=None):
    """torch's functional multi-head attention (batch first) on MLX weights."""
    dims = P[prefix + "query_proj.weight"].shape[0]
    bias = (torch.cat([P[prefix + "query_proj.bias"], P[prefix + "key_proj.bias"],
                       P[prefix + "value_proj.bias"]])
            if prefix + "query_proj.bias" in P else None)
    out, _ = F.multi_head_attention_forward(
        q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), dims, num_heads,
        None, bias, None, None, False, 0.0, P[prefix + "out_proj.weight"],
        P.get(prefix + "out_proj.bias"), training=False, need_weights=False,
        attn_mask=mask, use_separate_proj_weight=True,
        q_proj_weight=P[prefix + "query_proj.weight"], k_proj_weight=P[prefix + "key_proj.weight"],
        v_proj_weight=P[prefix + "value_proj.weight"])
    return out.transpose(0, 1)


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("bias", [False, True])
def test_multi_head_attention(masked, bias):
    mha = set_random(nn.MultiHeadAttention(8, 2, bias=bias))
    mask = nn.MultiHeadAttention.create_additive_causal_mask(5) if masked else None
    tmask = torch.tensor(np.array(mask), dtype=torch.float64) if masked else None
    check_vs_torch(mha, lambda m, q, k, v: m(q, k, v, mask), [randn(2, 5, 8), randn(2, 5, 8), randn(2, 5, 8)],
                   lambda P, q, k, v: _torch_mha(P, q, k, v, 2, mask=tmask))


def test_multi_head_attention_key_value_dims():
    mha = set_random(nn.MultiHeadAttention(8, 4, key_input_dims=6, value_input_dims=3))
    check_vs_torch(mha, lambda m, q, k, v: m(q, k, v), [randn(2, 5, 8), randn(2, 7, 6), randn(2, 7, 3)],
                   lambda P, q, k, v: _torch_mha(P, q, k, v, 4))


@pytest.mark.parametrize("norm_first", [True, False])
def test_transformer_encoder_layer(norm_first):
    layer = set_random(nn.TransformerEncoderLayer(8, 2, mlp_dims=12, norm_first=norm_first), 0.3)
    mask = nn.MultiHeadAttention.create_additive_causal_mask(5)
    tmask = torch.tensor(np.array(mask), dtype=torch.float64)

    def fn(P, x):
        def ln(name, v):
            return F.layer_norm(v, (8,), P[name + ".weight"], P[name + ".bias"], 1e-5)

        def mlp(v):
            h = F.relu(F.linear(v, P["linear1.weight"], P["linear1.bias"]))
            return F.linear(h, P["linear2.weight"], P["linear2.bias"])

        if norm_first:
            y = ln("ln1", x)
            x = x + _torch_mha(P, y, y, y, 2, "attention.", tmask)
            return x + mlp(ln("ln2", x))
        x = ln("ln1", x + _torch_mha(P, x, x, x, 2, "attention.", tmask))
        return ln("ln2", x + mlp(x))
    check_vs_torch(layer, lambda m, x: m(x, mask), [randn(2, 5, 8)], fn, rtol=5e-4, atol=5e-5)


# -- recurrent ----------------------------------------------------------------------------


def _torch_rnn(kind, P, x, h0=None, c0=None, nonlin="tanh"):
    """torch's RNN/GRU/LSTM with MLX's weights (torch's extra hidden bias set
    so that it adds what MLX adds)."""
    names = {"rnn": ("Wxh", "Whh", "bias"), "gru": ("Wx", "Wh", "b"), "lstm": ("Wx", "Wh", "bias")}[kind]
    wx, wh, b = (P.get(n) for n in names)
    hidden = wh.shape[1]
    H = hidden
    if kind == "gru":
        bhh = torch.cat([torch.zeros(2 * H, dtype=torch.float64), P["bhn"]]) if "bhn" in P else None
    else:
        bhh = torch.zeros(wh.shape[0], dtype=torch.float64) if b is not None else None
    flat = [wx, wh] + ([b, bhh] if b is not None else [])
    batched = x.dim() == 3
    xb = x if batched else x[None]
    mode = {"rnn": "RNN_TANH" if nonlin == "tanh" else "RNN_RELU", "gru": "GRU", "lstm": "LSTM"}[kind]
    hx = h0 if h0 is not None else torch.zeros(xb.shape[0], H, dtype=torch.float64)
    hx = hx if hx.dim() == 2 else hx[None]
    if kind == "lstm":
        cx = c0 if c0 is not None else torch.zeros_like(hx)
        out, hn, cn = torch._VF.lstm(xb, (hx[None], cx[None]), flat, b is not None, 1, 0.0, False, False, True)
        # MLX returns the cell states of every step too; rebuild them by
        # running step by step is torch's job: use LSTMCell for that.
        cs = []
        h, c = hx, cx
        for t_ in range(xb.shape[1]):
            h, c = torch._VF.lstm_cell(xb[:, t_], (h, c), wx, wh, b, bhh)
            cs.append(c)
        cs = torch.stack(cs, 1)
        return torch.cat([out, cs], -1) if batched else torch.cat([out, cs], -1)[0]
    fn = {"RNN_TANH": torch._VF.rnn_tanh, "RNN_RELU": torch._VF.rnn_relu, "GRU": torch._VF.gru}[mode]
    out, _ = fn(xb, hx[None], flat, b is not None, 1, 0.0, False, False, True)
    return out if batched else out[0]


@pytest.mark.parametrize("with_h", [False, True])
def test_rnn(with_h):
    m = set_random(nn.RNN(3, 4))
    xs = [randn(2, 5, 3)] + ([randn(2, 4)] if with_h else [])
    check_vs_torch(m, lambda m, *a: m(*a), xs, lambda P, x, *h: _torch_rnn("rnn", P, x, *h))
    m = set_random(nn.RNN(3, 4, nonlinearity=nn.relu, bias=False))
    check_vs_torch(m, lambda m, *a: m(*a), [randn(5, 3)],
                   lambda P, x: _torch_rnn("rnn", P, x, nonlin="relu"))


@pytest.mark.parametrize("with_h", [False, True])
def test_gru(with_h):
    m = set_random(nn.GRU(3, 4))
    xs = [randn(2, 5, 3)] + ([randn(2, 4)] if with_h else [])
    check_vs_torch(m, lambda m, *a: m(*a), xs, lambda P, x, *h: _torch_rnn("gru", P, x, *h))


@pytest.mark.parametrize("with_hc", [False, True])
def test_lstm(with_hc):
    m = set_random(nn.LSTM(3, 4))
    xs = [randn(2, 5, 3)] + ([randn(2, 4), randn(2, 4)] if with_hc else [])
    check_vs_torch(m, lambda m, *a: mx.concatenate(m(*a), -1), xs,
                   lambda P, x, *hc: _torch_rnn("lstm", P, x, *hc))


# -- pooling and upsampling ---------------------------------------------------------------


def _nlc(fn, nd):
    """torch pools take channels first; MLX's layers take them last."""
    to = (0, nd + 1) + tuple(range(1, nd + 1))
    back = (0,) + tuple(range(2, nd + 2)) + (1,)
    return lambda P, x: fn(x.permute(*to)).permute(*back)


POOLS = [
    ("max1", "nn.MaxPool1d(3, 2, 1)", (2, 9, 3), lambda x: F.max_pool1d(x, 3, 2, 1)),
    ("max2", "nn.MaxPool2d((2, 3), (1, 2), 1)", (2, 7, 8, 3), lambda x: F.max_pool2d(x, (2, 3), (1, 2), 1)),
    ("max3", "nn.MaxPool3d(2, 1)", (1, 4, 5, 4, 2), lambda x: F.max_pool3d(x, 2, 1)),
    ("avg1", "nn.AvgPool1d(3, 2, 1)", (2, 9, 3), lambda x: F.avg_pool1d(x, 3, 2, 1)),
    ("avg2", "nn.AvgPool2d(2)", (2, 7, 8, 3), lambda x: F.avg_pool2d(x, 2)),
    ("avg2p", "nn.AvgPool2d(3, 2, 1)", (2, 7, 7, 3), lambda x: F.avg_pool2d(x, 3, 2, 1)),
    ("avg3", "nn.AvgPool3d((1, 2, 3))", (1, 4, 5, 6, 2), lambda x: F.avg_pool3d(x, (1, 2, 3))),
]


@pytest.mark.parametrize("name,ctor,shape,ref", POOLS, ids=[p[0] for p in POOLS])
def test_pooling(name, ctor, shape, ref):
    check_vs_torch(eval(ctor), call1, [randn(*shape)], _nlc(ref, len(shape) - 2))


@pytest.mark.parametrize("mode,align", [("nearest", False), ("linear", False), ("linear", True),
                                        ("cubic", False), ("cubic", True)])
def test_upsample(mode, align):
    tmode = {"nearest": "nearest", "linear": "bilinear", "cubic": "bicubic"}[mode]
    kw = {} if mode == "nearest" else {"align_corners": align}
    check_vs_torch(nn.Upsample((2, 3), mode, align), call1, [randn(2, 4, 5, 3)],
                   _nlc(lambda x: F.interpolate(x, scale_factor=(2, 3), mode=tmode, **kw), 2))


def test_upsample_1d_linear():
    check_vs_torch(nn.Upsample(2, "linear"), call1, [randn(2, 6, 3)],
                   _nlc(lambda x: F.interpolate(x, scale_factor=2, mode="linear"), 1))


# -- activations ---------------------------------------------------------------------------


ACTIVATIONS = torch_activations(torch)


@pytest.mark.parametrize("name,ref", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_function(name, ref):
    check_vs_torch(nn.Identity(), lambda m, x: getattr(nn, name)(x), [randn(4, 6) * 3],
                   lambda P, x: ref(x))


MODULES = [
    ("nn.ReLU()", F.relu), ("nn.ReLU6()", F.relu6), ("nn.LeakyReLU(0.2)", lambda v: F.leaky_relu(v, 0.2)),
    ("nn.ELU(0.5)", lambda v: F.elu(v, 0.5)), ("nn.CELU(1.5)", lambda v: F.celu(v, 1.5)),
    ("nn.SELU()", F.selu), ("nn.GELU()", F.gelu), ("nn.GELU('precise')", lambda v: F.gelu(v, approximate="tanh")),
    ("nn.GELU('tanh')", lambda v: F.gelu(v, approximate="tanh")),
    ("nn.GELU('fast')", lambda v: v * torch.sigmoid(1.702 * v)), ("nn.SiLU()", F.silu),
    ("nn.Sigmoid()", torch.sigmoid), ("nn.HardTanh()", F.hardtanh), ("nn.Hardswish()", F.hardswish),
    ("nn.HardShrink(0.7)", lambda v: F.hardshrink(v, 0.7)), ("nn.Softshrink(0.3)", lambda v: F.softshrink(v, 0.3)),
    ("nn.Softplus()", F.softplus), ("nn.Softsign()", F.softsign), ("nn.Softmax()", lambda v: F.softmax(v, -1)),
    ("nn.Softmin()", lambda v: F.softmin(v, -1)), ("nn.LogSoftmax()", lambda v: F.log_softmax(v, -1)),
    ("nn.LogSigmoid()", F.logsigmoid), ("nn.Mish()", F.mish), ("nn.Tanh()", torch.tanh),
    ("nn.GLU(0)", lambda v: F.glu(v, 0)), ("nn.ReLU2()", lambda v: F.relu(v) ** 2),
]


@pytest.mark.parametrize("ctor,ref", MODULES, ids=[m[0] for m in MODULES])
def test_activation_module(ctor, ref):
    check_vs_torch(eval(ctor), call1, [randn(4, 6) * 3], lambda P, x: ref(x))


def test_prelu():
    m = nn.PReLU(4, 0.1)
    m.weight = mx.array(randn(4))
    check_vs_torch(m, call1, [randn(3, 4) * 2], lambda P, x: F.prelu(x, P["weight"]))
    m = nn.PReLU()
    check_vs_torch(m, call1, [randn(3, 5) * 2], lambda P, x: F.prelu(x, P["weight"]))


def test_step_has_zero_gradient():
    x = mx.array(randn(4, 6))
    for f, thr in ((lambda v: nn.step(v) * v, 0.0), (lambda v: nn.Step(0.2)(v) * v, 0.2)):
        g = mx.grad(lambda v: f(v).sum())(x)
        # d/dx (step(x) * x) = step(x): the step itself contributes nothing
        close(g, (np.array(x) >= thr).astype(np.float64))


def test_dropout_gradient_is_the_scaled_mask():
    mx.random.seed(3)
    for layer, p, shape in ((nn.Dropout(0.3), 0.3, (6, 8)), (nn.Dropout2d(0.5), 0.5, (2, 3, 4, 5)),
                            (nn.Dropout3d(0.25), 0.25, (2, 3, 2, 2, 16))):
        x = mx.array(randn(*shape) + 5.0)  # nonzero everywhere, so zeros mark dropped entries
        w = mx.array(randn(*shape))

        def loss(x):
            y = layer(x)
            return (y * w).sum(), y

        (_, y), g = mx.value_and_grad(loss)(x)
        keep = np.array(y) != 0
        assert 0 < keep.mean() < 1
        close(g, keep * np.array(w) / (1 - p))


# -- layers without a torch twin: float64 central differences over nn_cases ---------------


def _fd_case(name, ctor, call):
    m = eval(ctor)
    m.set_dtype(mx.float64)
    if "eval()" in call:
        m.eval()
    # mx.array rounds NumPy float64 to float32 unless dtype is given (as MLX)
    xs = [mx.array(x, dtype=mx.float64) if x.dtype == np.float32 else mx.array(x) for x in INPUTS[name]]
    state = dict(tree_flatten(m.parameters()))
    params = m.trainable_parameters()
    fl = [i for i, x in enumerate(xs) if x.dtype == mx.float64]
    cot_rs = np.random.RandomState(1)
    cots = {}

    def f(params, fx):
        m.update(tree_unflatten(list(state.items())))  # running statistics reset each call
        m.update(params)
        ys = list(xs)
        for i, v in zip(fl, fx):
            ys[i] = v
        env = dict(m=m, nn=nn, mx=mx)
        env.update({f"x{j}": y for j, y in enumerate(ys)})
        r = eval(call, env)
        r = r if isinstance(r, tuple) else (r,)
        total = None
        for j, a in enumerate(r):
            if a.dtype != mx.float64:
                continue
            if j not in cots:
                cots[j] = mx.array(cot_rs.randn(*a.shape), dtype=mx.float64)
            term = (a * cots[j]).sum()
            total = term if total is None else total + term
        return total

    fx = [xs[i] for i in fl]
    if f(params, fx) is None:
        assert name in ("alibi_mat", "causal", "f_step", "m_Step(0.2)"), name
        pytest.skip("no floating-point output")
    leaves = tree_flatten(params) + [(f"x{i}", x) for i, x in zip(fl, fx)]
    if not leaves:
        pytest.skip("nothing to differentiate")
    try:
        _, (gp, gx) = mx.value_and_grad(f, argnums=(0, 1))(params, fx)
        mx.eval(gp, gx)
    except ValueError as e:
        _missing_rule(e)
    grads = dict(tree_flatten(gp) + [(f"x{i}", g) for i, g in zip(fl, gx)])
    flat = dict(tree_flatten(params))
    drs = np.random.RandomState(7)
    eps = 1e-6
    for key, val in leaves:
        d = drs.randn(*val.shape)

        def at(s):
            p2, x2 = dict(flat), list(fx)
            moved = val + mx.array(d * s, dtype=mx.float64)
            if key in p2:
                p2[key] = moved
            else:
                x2[fl.index(int(key[1:]))] = moved
            return f(tree_unflatten(list(p2.items())), x2).item()

        fd = (at(eps) - at(-eps)) / (2 * eps)
        an = float((np.array(grads[key]) * d).sum())
        assert math.isclose(an, fd, rel_tol=1e-5, abs_tol=1e-6), (key, an, fd)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_against_finite_differences(case):
    name, ctor, _, call = case
    _fd_case(name, ctor, call)


# -- losses --------------------------------------------------------------------------------


def loss_check(ours, ref, args, diff, rtol=2e-4, atol=2e-5):
    """Gradients of ours(*args) w.r.t. the positions in diff, against torch."""
    margs = [mx.array(a) for a in args]
    try:
        val, got = mx.value_and_grad(lambda *d: _call_with(ours, margs, diff, d), argnums=list(range(len(diff))))(
            *[margs[i] for i in diff])
    except ValueError as e:
        _missing_rule(e)
    targs = []
    for i, a in enumerate(args):
        a = np.asarray(a)
        if np.issubdtype(a.dtype, np.floating):
            targs.append(torch.tensor(a, dtype=torch.float64, requires_grad=i in diff))
        else:
            targs.append(torch.tensor(a.astype(np.int64)))
    tval = ref(*targs)
    tval.backward()
    close(val, tval, rtol, atol, "value")
    for i, g in zip(diff, got):
        close(g, targs[i].grad, rtol, atol, f"d/darg{i}")


def _call_with(fn, margs, diff, d):
    args = list(margs)
    for i, v in zip(diff, d):
        args[i] = v
    out = fn(*args)
    return out if out.ndim == 0 else (out * mx.array(np.linspace(0.5, 1.5, out.size).reshape(out.shape)
                                                    .astype(np.float32))).sum()


def _weigh(t_out):
    if t_out.dim() == 0:
        return t_out
    w = torch.tensor(np.linspace(0.5, 1.5, t_out.numel()).reshape(tuple(t_out.shape)).astype(np.float32),
                     dtype=torch.float64)
    return (t_out * w).sum()


REDUCTIONS = ["none", "mean", "sum"]
lrs = np.random.default_rng(5)


def lrandn(*shape):
    return lrs.normal(size=shape).astype(np.float32)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_indices(reduction, smoothing):
    x, y = lrandn(5, 7), lrs.integers(0, 7, size=5).astype(np.int32)
    loss_check(lambda a, b: losses.cross_entropy(a, b, label_smoothing=smoothing, reduction=reduction),
               lambda a, b: _weigh(F.cross_entropy(a, b, label_smoothing=smoothing, reduction=reduction)),
               [x, y], [0])


def test_cross_entropy_probabilities_weights_axis():
    x, p = lrandn(5, 7), lrs.dirichlet(np.ones(7), size=5).astype(np.float32)
    loss_check(lambda a, b: losses.cross_entropy(a, b, reduction="mean"),
               lambda a, b: F.cross_entropy(a, b, reduction="mean"), [x, p], [0])
    # MLX computes logsumexp(x) - sum(x * p) for probability targets (torch
    # scales the logsumexp by sum(p)): equal values, different d/dp.
    w = lrs.random(5).astype(np.float32)
    y = lrs.integers(0, 7, size=5).astype(np.int32)
    loss_check(lambda a, b, c: losses.cross_entropy(a, b, weights=c, reduction="sum"),
               lambda a, b, c: (F.cross_entropy(a, b, reduction="none") * c).sum(), [x, y, w], [0, 2])
    loss_check(lambda a, b: losses.cross_entropy(a, b, axis=0),
               lambda a, b: _weigh(F.cross_entropy(a.T, b, reduction="none")), [x.T.copy(), y], [0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction):
    x, y, w = lrandn(4, 6) * 3, lrs.integers(0, 2, size=(4, 6)).astype(np.float32), lrs.random((4, 6)).astype(np.float32)
    loss_check(lambda a, b, c: losses.binary_cross_entropy(a, b, weights=c, reduction=reduction),
               lambda a, b, c: _weigh(F.binary_cross_entropy_with_logits(a, b, weight=c, reduction=reduction)),
               [x, y, w], [0, 1])
    p = lrs.uniform(0.05, 0.95, size=(4, 6)).astype(np.float32)
    soft = lrs.random((4, 6)).astype(np.float32)
    loss_check(lambda a, b: losses.binary_cross_entropy(a, b, with_logits=False, reduction=reduction),
               lambda a, b: _weigh(F.binary_cross_entropy(a, b, reduction=reduction)), [p, soft], [0, 1])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_l1_mse_smooth_l1_huber(reduction):
    a, b = lrandn(4, 5), lrandn(4, 5)
    loss_check(lambda p, t: losses.l1_loss(p, t, reduction=reduction),
               lambda p, t: _weigh(F.l1_loss(p, t, reduction=reduction)), [a, b], [0, 1])
    loss_check(lambda p, t: losses.mse_loss(p, t, reduction=reduction),
               lambda p, t: _weigh(F.mse_loss(p, t, reduction=reduction)), [a, b], [0, 1])
    for beta in (0.5, 1.0):
        loss_check(lambda p, t: losses.smooth_l1_loss(p, t, beta=beta, reduction=reduction),
                   lambda p, t: _weigh(F.smooth_l1_loss(p, t, beta=beta, reduction=reduction)), [a, b], [0, 1])
    for delta in (0.5, 2.0):
        loss_check(lambda p, t: losses.huber_loss(p, t, delta=delta, reduction=reduction),
                   lambda p, t: _weigh(F.huber_loss(p, t, delta=delta, reduction=reduction)), [a, b], [0, 1])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_and_kl_div(reduction):
    logp = np.log(lrs.dirichlet(np.ones(6), size=4)).astype(np.float32)
    y = lrs.integers(0, 6, size=4).astype(np.int32)
    loss_check(lambda a, b: losses.nll_loss(a, b, reduction=reduction),
               lambda a, b: _weigh(F.nll_loss(a, b, reduction=reduction)), [logp, y], [0])
    logq = np.log(lrs.dirichlet(np.ones(6), size=4)).astype(np.float32)
    red = {"none": lambda v: v, "mean": torch.mean, "sum": torch.sum}[reduction]
    loss_check(lambda a, b: losses.kl_div_loss(a, b, reduction=reduction),
               lambda a, b: _weigh(red(F.kl_div(a, b, log_target=True, reduction="none").sum(-1))),
               [logp, logq], [0, 1])


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll(full, reduction):
    mu, y = lrandn(8), lrandn(8)
    var = lrs.uniform(0.1, 2.0, size=8).astype(np.float32)
    loss_check(lambda a, b, c: losses.gaussian_nll_loss(a, b, c, full=full, reduction=reduction),
               lambda a, b, c: _weigh(F.gaussian_nll_loss(a, b, c, full=full, eps=1e-6, reduction=reduction)),
               [mu, y, var], [0, 1, 2])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cosine_similarity_and_margin_ranking(reduction):
    a, b = lrandn(4, 6), lrandn(4, 6)
    red = {"none": lambda v: v, "mean": torch.mean, "sum": torch.sum}[reduction]
    loss_check(lambda p, q: losses.cosine_similarity_loss(p, q, reduction=reduction),
               lambda p, q: _weigh(red(F.cosine_similarity(p, q, dim=1))), [a, b], [0, 1])
    x1, x2 = lrandn(9), lrandn(9)
    y = np.where(lrs.random(9) < 0.5, -1.0, 1.0).astype(np.float32)
    loss_check(lambda p, q, t: losses.margin_ranking_loss(p, q, t, margin=0.3, reduction=reduction),
               lambda p, q, t: _weigh(F.margin_ranking_loss(p, q, t, margin=0.3, reduction=reduction)),
               [x1, x2, y], [0, 1])


def _fd_loss(fn, args, diff):
    """vjp of a loss (any reduction) against float64 central differences."""
    margs = [mx.array(a, dtype=mx.float64) if np.asarray(a).dtype.kind == "f" else mx.array(a)
             for a in args]
    out0 = fn(*margs)
    assert out0.dtype == mx.float64
    cot = mx.array(np.random.RandomState(2).randn(*out0.shape), dtype=mx.float64)

    def scalar(*d):
        args2 = list(margs)
        for i, v in zip(diff, d):
            args2[i] = v
        return (fn(*args2) * cot).sum()
    got = mx.grad(scalar, argnums=list(range(len(diff))))(*[margs[i] for i in diff])
    drs = np.random.RandomState(9)
    for i, g in zip(diff, got):
        d = drs.randn(*margs[i].shape)

        def at(s):
            pts = [margs[j] for j in diff]
            pts[diff.index(i)] = margs[i] + mx.array(d * s, dtype=mx.float64)
            return scalar(*pts).item()
        fd = (at(1e-6) - at(-1e-6)) / 2e-6
        an = float((np.array(g) * d).sum())
        assert math.isclose(an, fd, rel_tol=1e-5, abs_tol=1e-7), (i, an, fd)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_triplet_finite_differences(reduction, p):
    a, b, c = lrandn(5, 4), lrandn(5, 4), lrandn(5, 4)
    _fd_loss(lambda x, y, z: losses.triplet_loss(x, y, z, p=p, margin=2.0, reduction=reduction),
             [a, b, c], [0, 1, 2])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_log_cosh_finite_differences(reduction):
    x = lrandn(4, 5) * 2
    y = np.where(lrs.random((4, 5)) < 0.5, -1.0, 1.0).astype(np.float32)
    _fd_loss(lambda a, b: losses.hinge_loss(a, b, reduction=reduction), [x, y], [0, 1])
    _fd_loss(lambda a, b: losses.log_cosh_loss(a, b, reduction=reduction), [x, lrandn(4, 5)], [0, 1])


def test_every_loss_is_checked():
    # a new function in nn.losses must get a gradient check here
    names = {n for n in dir(losses) if not n.startswith("_") and callable(getattr(losses, n))
             and getattr(getattr(losses, n), "__module__", "") == losses.__name__}
    checked = {"cross_entropy", "binary_cross_entropy", "l1_loss", "mse_loss", "nll_loss",
               "gaussian_nll_loss", "kl_div_loss", "smooth_l1_loss", "triplet_loss", "hinge_loss",
               "huber_loss", "log_cosh_loss", "cosine_similarity_loss", "margin_ranking_loss"}
    assert names == checked, names ^ checked


# -- whole training steps -----------------------------------------------------------------


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(12, 16)
        self.l2 = nn.Linear(16, 5)

    def __call__(self, x):
        return self.l2(nn.relu(self.l1(x)))


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_training_steps_match_torch(compiled, opt):
    """value_and_grad + an optimizer over several steps (optionally compiled
    with the model and optimizer state captured) tracks torch.optim."""
    mx.random.seed(0)
    net = _Net()
    tnet = torch.nn.Sequential(torch.nn.Linear(12, 16), torch.nn.ReLU(), torch.nn.Linear(16, 5)).double()
    with torch.no_grad():
        for i, name in ((0, "l1"), (2, "l2")):
            tnet[i].weight.copy_(torch.tensor(np.array(getattr(net, name).weight)))
            tnet[i].bias.copy_(torch.tensor(np.array(getattr(net, name).bias)))
    if opt == "sgd":
        o, to = optim.SGD(0.1, momentum=0.9), torch.optim.SGD(tnet.parameters(), lr=0.1, momentum=0.9)
    else:
        # MLX's Adam skips the bias correction unless asked; torch always applies it
        o, to = optim.Adam(0.01, bias_correction=True), torch.optim.Adam(tnet.parameters(), lr=0.01, eps=1e-8)
    lg = nn.value_and_grad(net, lambda x, y: losses.cross_entropy(net(x), y, reduction="mean"))
    state = [net.state, o.state]

    def step(x, y):
        loss, g = lg(x, y)
        o.update(net, g)
        return loss

    if compiled:
        step = mx.compile(step, inputs=state, outputs=state)
    drs = np.random.RandomState(4)
    for _ in range(6):
        x = drs.randn(32, 12).astype(np.float32)
        y = drs.randint(0, 5, size=32).astype(np.int32)
        loss = step(mx.array(x), mx.array(y))
        mx.eval(state, loss)
        to.zero_grad()
        tl = F.cross_entropy(tnet(torch.tensor(x, dtype=torch.float64)), torch.tensor(y, dtype=torch.int64))
        tl.backward()
        to.step()
        close(loss, tl.item(), 1e-4, 1e-5, "loss")
    close(net.l1.weight, tnet[0].weight, 2e-4, 2e-5, "l1.weight")
    close(net.l2.bias, tnet[2].bias, 2e-4, 2e-5, "l2.bias")


COMPILE_CASES = [c for c in CASES if c[0] not in ("bn_train", "alibi_mat", "causal")
                 and not c[0].startswith(("f_step", "m_Step"))]


@pytest.mark.parametrize("case", COMPILE_CASES, ids=[c[0] for c in COMPILE_CASES])
def test_compiled_gradients_match_eager(case):
    """mx.compile of a layer's value_and_grad gives the eager gradients."""
    name, ctor, _, call = case
    m = eval(ctor)
    if "eval()" in call:
        m.eval()
    xs = [mx.array(x) for x in INPUTS[name]]

    def loss(params, *args):
        m.update(params)
        env = dict(m=m, nn=nn, mx=mx)
        env.update({f"x{j}": a for j, a in enumerate(args)})
        r = eval(call, env)
        r = r if isinstance(r, tuple) else (r,)
        return sum(((a * (j + 1.5)) ** 2).sum() for j, a in enumerate(r) if a.dtype == mx.float32)

    params = m.trainable_parameters()
    vg = mx.value_and_grad(loss)
    try:
        want_v, want_g = vg(params, *xs)
        mx.eval(want_v, want_g)
    except ValueError as e:
        _missing_rule(e)
    got_v, got_g = mx.compile(vg)(params, *xs)
    m.update(params)
    close(got_v, want_v, 1e-5, 1e-6, "value")
    want = dict(tree_flatten(want_g))
    got = dict(tree_flatten(got_g))
    assert set(got) == set(want)
    for k in want:
        close(got[k], want[k], 1e-5, 1e-6, k)
