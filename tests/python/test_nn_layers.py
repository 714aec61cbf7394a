"""mlx.nn layers: values against PyTorch (CPU) with the same weights, and
against outputs of real MLX 0.32.4 recorded by gen_nn_refs.py (nn_refs.npz)."""

import math
import os

import numpy as np
import pytest

import mlx.core as mx
import mlx.nn as nn

from nn_cases import CASES, make_inputs, torch_activations

torch = pytest.importorskip("torch")
F = torch.nn.functional

HERE = os.path.dirname(os.path.abspath(__file__))
REFS = np.load(os.path.join(HERE, "nn_refs.npz"))
INPUTS = make_inputs()


def npy(a):
    return np.array(a.astype(mx.float32)) if a.dtype != mx.float32 else np.array(a)


def close(a, b, rtol=1e-4, atol=1e-5):
    a = npy(a) if isinstance(a, mx.array) else np.asarray(a)
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def t(a):
    return torch.tensor(np.array(a))


# -- against recorded real MLX -------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_matches_recorded_mlx(case):
    name, ctor, _, call = case
    m = eval(ctor)
    prefix = f"{name}|p|"
    params = [(k[len(prefix):], mx.array(REFS[k])) for k in REFS.files if k.startswith(prefix)]
    if params:
        m.load_weights(params)
    env = dict(m=m, nn=nn, mx=mx)
    env.update({f"x{j}": mx.array(x) for j, x in enumerate(INPUTS[name])})
    result = eval(call, env)
    result = result if isinstance(result, tuple) else (result,)
    for j, a in enumerate(result):
        want = REFS[f"{name}|out|{j}"]
        assert str(a.dtype) == str(REFS[f"{name}|dtype|{j}"])
        got = npy(a)
        assert got.shape == want.shape
        finite = np.isfinite(want)
        assert np.array_equal(finite, np.isfinite(got))
        np.testing.assert_array_equal(got[~finite], want[~finite])
        np.testing.assert_allclose(got[finite], want[finite], rtol=2e-4, atol=2e-5)


# -- against PyTorch --------------------------------------------------------------------

rs = np.random.RandomState(42)


def randn(*shape):
    return rs.randn(*shape).astype(np.float32)


def test_linear_and_bilinear():
    lin = nn.Linear(5, 3)
    x = randn(2, 4, 5)
    close(lin(mx.array(x)), F.linear(t(x), t(lin.weight), t(lin.bias)))
    lin = nn.Linear(5, 3, bias=False)
    close(lin(mx.array(x)), F.linear(t(x), t(lin.weight)))
    bl = nn.Bilinear(3, 4, 6)
    a, b = randn(7, 3), randn(7, 4)
    # torch's weight is (out, in1, in2); MLX keeps (out, in2, in1).
    want = F.bilinear(t(a), t(b), t(bl.weight).permute(0, 2, 1), t(bl.bias))
    close(bl(mx.array(a), mx.array(b)), want)


def test_embedding():
    emb = nn.Embedding(10, 4)
    idx = rs.randint(0, 10, size=(3, 5)).astype(np.int32)
    close(emb(mx.array(idx)), F.embedding(t(idx).long(), t(emb.weight)))
    x = randn(2, 4)
    close(emb.as_linear(mx.array(x)), t(x) @ t(emb.weight).T)


@pytest.mark.parametrize("groups", [1, 2])
def test_conv1d(groups):
    c = nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=groups)
    x = randn(2, 11, 4)
    want = F.conv1d(t(x).permute(0, 2, 1), t(c.weight).permute(0, 2, 1), t(c.bias),
                    stride=2, padding=1, dilation=2, groups=groups).permute(0, 2, 1)
    close(c(mx.array(x)), want)


def test_conv2d_conv3d():
    c = nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=1, groups=1)
    x = randn(2, 7, 6, 3)
    want = F.conv2d(t(x).permute(0, 3, 1, 2), t(c.weight).permute(0, 3, 1, 2), t(c.bias),
                    stride=(2, 1), padding=1).permute(0, 2, 3, 1)
    close(c(mx.array(x)), want)
    c = nn.Conv3d(2, 3, 2, padding=1, bias=False)
    x = randn(1, 4, 4, 4, 2)
    want = F.conv3d(t(x).permute(0, 4, 1, 2, 3), t(c.weight).permute(0, 4, 1, 2, 3),
                    padding=1).permute(0, 2, 3, 4, 1)
    close(c(mx.array(x)), want)


def test_conv_transpose():
    c = nn.ConvTranspose1d(3, 5, 3, stride=2, padding=1, output_padding=1)
    x = randn(2, 6, 3)
    # MLX weight (out, k, in) -> torch (in, out, k)
    want = F.conv_transpose1d(t(x).permute(0, 2, 1), t(c.weight).permute(2, 0, 1), t(c.bias),
                              stride=2, padding=1, output_padding=1).permute(0, 2, 1)
    close(c(mx.array(x)), want)
    c = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    x = randn(1, 4, 5, 3)
    want = F.conv_transpose2d(t(x).permute(0, 3, 1, 2), t(c.weight).permute(3, 0, 1, 2), t(c.bias),
                              stride=2, padding=1).permute(0, 2, 3, 1)
    close(c(mx.array(x)), want)
    c = nn.ConvTranspose3d(2, 2, 2, stride=2)
    x = randn(1, 3, 3, 3, 2)
    want = F.conv_transpose3d(t(x).permute(0, 4, 1, 2, 3), t(c.weight).permute(4, 0, 1, 2, 3),
                              t(c.bias), stride=2).permute(0, 2, 3, 4, 1)
    close(c(mx.array(x)), want)


def test_norms():
    x = randn(3, 4, 6)
    ln = nn.LayerNorm(6)
    ln.update({"weight": mx.array(randn(6)), "bias": mx.array(randn(6))})
    close(ln(mx.array(x)), F.layer_norm(t(x), (6,), t(ln.weight), t(ln.bias), 1e-5))
    close(nn.LayerNorm(6, affine=False, eps=1e-3)(mx.array(x)), F.layer_norm(t(x), (6,), eps=1e-3))
    rms = nn.RMSNorm(6)
    rms.weight = mx.array(randn(6))
    want = t(x) * torch.rsqrt((t(x) ** 2).mean(-1, keepdim=True) + 1e-5) * t(rms.weight)
    close(rms(mx.array(x)), want)
    # half precision inputs are normalised in float32
    xh = mx.array(x).astype(mx.float16)
    close(nn.LayerNorm(6, affine=False)(xh), F.layer_norm(t(x).half().float(), (6,)), rtol=2e-3, atol=2e-3)


def test_group_norm_pytorch_compatible():
    gn = nn.GroupNorm(3, 6, pytorch_compatible=True)
    gn.update({"weight": mx.array(randn(6)), "bias": mx.array(randn(6))})
    x = randn(2, 4, 5, 6)
    want = F.group_norm(t(x).permute(0, 3, 1, 2), 3, t(gn.weight), t(gn.bias), 1e-5).permute(0, 2, 3, 1)
    close(gn(mx.array(x)), want)


def test_group_norm_default_groups_interleave():
    # MLX's default grouping puts channel c in group c % num_groups; with
    # channels permuted into blocks it equals PyTorch's grouping.
    gn = nn.GroupNorm(2, 6, affine=False)
    x = randn(2, 5, 6)
    order = [0, 2, 4, 1, 3, 5]
    want = F.group_norm(t(x[..., order]).permute(0, 2, 1), 2, eps=1e-5).permute(0, 2, 1).numpy()
    got = npy(gn(mx.array(x)))[..., order]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_instance_norm():
    inorm = nn.InstanceNorm(4, affine=True)
    inorm.update({"weight": mx.array(randn(4)), "bias": mx.array(randn(4))})
    x = randn(2, 5, 3, 4)
    want = F.instance_norm(t(x).permute(0, 3, 1, 2), weight=t(inorm.weight), bias=t(inorm.bias),
                           eps=1e-5).permute(0, 2, 3, 1)
    close(inorm(mx.array(x)), want)


def test_batch_norm_training_and_eval():
    bn = nn.BatchNorm(4, momentum=0.2)
    tb = torch.nn.BatchNorm1d(4, momentum=0.2)
    for _ in range(3):
        x = randn(8, 5, 4)
        y = bn(mx.array(x))
        ty = tb(t(x).permute(0, 2, 1)).permute(0, 2, 1)
        close(y, ty)
    close(bn.running_mean, tb.running_mean)
    close(bn.running_var, tb.running_var)
    bn.eval()
    tb.eval()
    x = randn(3, 4)
    close(bn(mx.array(x)), tb(t(x)))
    # running statistics are parameters but never trainable
    assert set(bn.parameters()) == {"weight", "bias", "running_mean", "running_var"}
    assert set(bn.trainable_parameters()) == {"weight", "bias"}


def test_batch_norm_without_running_stats():
    bn = nn.BatchNorm(3, affine=False, track_running_stats=False)
    x = randn(4, 2, 2, 3)
    want = F.batch_norm(t(x).permute(0, 3, 1, 2), None, None, training=True).permute(0, 2, 3, 1)
    close(bn(mx.array(x)), want)
    bn.eval()
    close(bn(mx.array(x)), want)


@pytest.mark.parametrize("masked", [False, True])
def test_multi_head_attention(masked):
    mha = nn.MultiHeadAttention(8, 2, bias=True)
    tm = torch.nn.MultiheadAttention(8, 2, bias=True, batch_first=True)
    with torch.no_grad():
        tm.in_proj_weight.copy_(torch.cat([t(mha.query_proj.weight), t(mha.key_proj.weight),
                                           t(mha.value_proj.weight)]))
        tm.in_proj_bias.copy_(torch.cat([t(mha.query_proj.bias), t(mha.key_proj.bias),
                                         t(mha.value_proj.bias)]))
        tm.out_proj.weight.copy_(t(mha.out_proj.weight))
        tm.out_proj.bias.copy_(t(mha.out_proj.bias))
    q, k = randn(2, 5, 8), randn(2, 5, 8)
    mask = nn.MultiHeadAttention.create_additive_causal_mask(5) if masked else None
    want, _ = tm(t(q), t(k), t(k), attn_mask=None if mask is None else t(mask))
    close(mha(mx.array(q), mx.array(k), mx.array(k), mask), want)
    if masked:
        # a boolean mask marks the allowed pairs
        allowed = mx.array(np.tril(np.ones((5, 5), bool)))
        close(mha(mx.array(q), mx.array(k), mx.array(k), allowed), want)


def test_causal_mask_values():
    m = nn.MultiHeadAttention.create_additive_causal_mask(4)
    lowest = np.finfo(np.float32).min
    np.testing.assert_array_equal(npy(m), np.triu(np.full((4, 4), lowest, np.float32), 1))
    assert nn.MultiHeadAttention.create_additive_causal_mask(3, mx.float16).dtype == mx.float16


def _copy_rnn_to_torch(trnn, Wx, Wh, b_ih, b_hh):
    with torch.no_grad():
        trnn.weight_ih_l0.copy_(t(Wx))
        trnn.weight_hh_l0.copy_(t(Wh))
        trnn.bias_ih_l0.copy_(t(b_ih) if b_ih is not None else 0)
        trnn.bias_hh_l0.copy_(t(b_hh) if b_hh is not None else 0)


def test_rnn():
    r = nn.RNN(3, 4)
    tr = torch.nn.RNN(3, 4, batch_first=True)
    _copy_rnn_to_torch(tr, r.Wxh, r.Whh, r.bias, None)
    x, h0 = randn(2, 6, 3), randn(2, 4)
    close(r(mx.array(x)), tr(t(x))[0])
    close(r(mx.array(x), mx.array(h0)), tr(t(x), t(h0)[None])[0])


def test_gru():
    g = nn.GRU(3, 4)
    tg = torch.nn.GRU(3, 4, batch_first=True)
    bhh = np.concatenate([np.zeros(8, np.float32), np.array(g.bhn)])
    _copy_rnn_to_torch(tg, g.Wx, g.Wh, g.b, bhh)
    x, h0 = randn(2, 6, 3), randn(2, 4)
    close(g(mx.array(x)), tg(t(x))[0])
    close(g(mx.array(x), mx.array(h0)), tg(t(x), t(h0)[None])[0])


def test_lstm():
    lstm = nn.LSTM(3, 4)
    tl = torch.nn.LSTM(3, 4, batch_first=True)
    _copy_rnn_to_torch(tl, lstm.Wx, lstm.Wh, lstm.bias, None)
    x, h0, c0 = randn(2, 6, 3), randn(2, 4), randn(2, 4)
    hs, cs = lstm(mx.array(x))
    out, (hn, cn) = tl(t(x))
    close(hs, out)
    close(cs[:, -1], cn[0])
    hs, cs = lstm(mx.array(x), mx.array(h0), mx.array(c0))
    out, (hn, cn) = tl(t(x), (t(h0)[None], t(c0)[None]))
    close(hs, out)
    close(cs[:, -1], cn[0])


def test_pooling():
    x = randn(2, 9, 3)
    close(nn.MaxPool1d(3, 2, 1)(mx.array(x)),
          F.max_pool1d(t(x).permute(0, 2, 1), 3, 2, 1).permute(0, 2, 1))
    close(nn.AvgPool1d(3, 2, 1)(mx.array(x)),
          F.avg_pool1d(t(x).permute(0, 2, 1), 3, 2, 1, count_include_pad=True).permute(0, 2, 1))
    x = randn(2, 7, 8, 3)
    close(nn.MaxPool2d((2, 3), (1, 2), 1)(mx.array(x)),
          F.max_pool2d(t(x).permute(0, 3, 1, 2), (2, 3), (1, 2), 1).permute(0, 2, 3, 1))
    close(nn.AvgPool2d(2)(mx.array(x)),
          F.avg_pool2d(t(x).permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1))
    x = randn(1, 4, 5, 6, 2)
    close(nn.MaxPool3d(2, 1)(mx.array(x)),
          F.max_pool3d(t(x).permute(0, 4, 1, 2, 3), 2, 1).permute(0, 2, 3, 4, 1))
    close(nn.AvgPool3d((1, 2, 3))(mx.array(x)),
          F.avg_pool3d(t(x).permute(0, 4, 1, 2, 3), (1, 2, 3)).permute(0, 2, 3, 4, 1))


@pytest.mark.parametrize("mode,align", [("nearest", False), ("linear", False), ("linear", True),
                                        ("cubic", False), ("cubic", True)])
def test_upsample_integer_scales(mode, align):
    x = randn(2, 4, 5, 3)
    tmode = {"nearest": "nearest", "linear": "bilinear", "cubic": "bicubic"}[mode]
    kw = {} if mode == "nearest" else {"align_corners": align}
    want = F.interpolate(t(x).permute(0, 3, 1, 2), scale_factor=(2, 3), mode=tmode, **kw)
    close(nn.Upsample((2, 3), mode, align)(mx.array(x)), want.permute(0, 2, 3, 1), atol=1e-4)


def test_rope_against_numpy():
    x = randn(2, 5, 8)
    dims, base = 8, 10000.0
    pos = np.arange(5)[:, None] + 2
    theta = pos * base ** (-np.arange(0, dims, 2) / dims)
    c, s = np.cos(theta), np.sin(theta)
    a, b = x[..., :4], x[..., 4:]
    want = np.concatenate([a * c - b * s, a * s + b * c], -1)
    close(nn.RoPE(8)(mx.array(x), offset=2), want)
    e, o = x[..., 0::2], x[..., 1::2]
    want = np.stack([e * c - o * s, e * s + o * c], -1).reshape(x.shape)
    close(nn.RoPE(8, traditional=True)(mx.array(x), offset=2), want)


# The step function has no gradient, so only the forward test has it.
ACTIVATIONS = torch_activations(torch) + [("step", lambda v: (v >= 0).int())]


@pytest.mark.parametrize("name,ref", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_functions(name, ref):
    x = randn(4, 6) * 3
    close(getattr(nn, name)(mx.array(x)), ref(t(x)), rtol=1e-4, atol=1e-5)


def test_activation_modules_and_parameters():
    x = randn(4, 6) * 3
    close(nn.LeakyReLU(0.2)(mx.array(x)), F.leaky_relu(t(x), 0.2))
    close(nn.ELU(0.5)(mx.array(x)), F.elu(t(x), 0.5))
    close(nn.CELU(1.5)(mx.array(x)), F.celu(t(x), 1.5))
    close(nn.HardShrink(0.7)(mx.array(x)), F.hardshrink(t(x), 0.7))
    close(nn.Softshrink(0.3)(mx.array(x)), F.softshrink(t(x), 0.3))
    close(nn.GLU(0)(mx.array(x)), F.glu(t(x), 0))
    close(nn.hard_tanh(mx.array(x), -2.0, 2.0), F.hardtanh(t(x), -2.0, 2.0))
    close(nn.GELU("tanh")(mx.array(x)), F.gelu(t(x), approximate="tanh"))
    p = nn.PReLU(6, 0.1)
    close(p(mx.array(x)), F.prelu(t(x), torch.full((6,), 0.1)))
    assert nn.Step(0.5)(mx.array([0.4, 0.5, 0.6])).tolist() == [0, 1, 1]
    with pytest.raises(ValueError):
        nn.GELU("bad")


def test_dtypes_follow_inputs():
    h = mx.array(randn(3, 4)).astype(mx.float16)
    for fn in (nn.gelu, nn.gelu_approx, nn.silu, nn.leaky_relu, nn.softplus, nn.mish, nn.elu, nn.selu):
        assert fn(h).dtype == mx.float16
    assert nn.relu(mx.array([-1, 2])).dtype == mx.int32


def test_dropout():
    x = mx.ones((100, 100))
    d = nn.Dropout(0.25)
    y = np.array(d(x))
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert abs(kept.mean() - 0.75) < 0.03
    d.eval()
    assert np.array_equal(np.array(d(x)), np.array(x))
    d2 = nn.Dropout2d(0.5)
    y = np.array(d2(mx.ones((4, 3, 5, 16))))
    # whole channels are kept or dropped
    per_channel = y.reshape(4, 15, 16)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))
    y = np.array(nn.Dropout3d(0.5)(mx.ones((2, 3, 3, 2, 16))))
    per_channel = y.reshape(2, 18, 16)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))
    with pytest.raises(ValueError, match=r"not in \[0, 1\)"):
        nn.Dropout(1.0)
    with pytest.raises(ValueError, match="Expected 3 or 4 dimensions"):
        nn.Dropout2d()(mx.ones((2, 2)))


def test_initialisation_ranges():
    mx.random.seed(3)
    lin = nn.Linear(64, 200)
    w = np.array(lin.weight)
    assert w.shape == (200, 64) and np.abs(w).max() <= 1 / 8 and np.abs(w).max() > 0.12
    emb = nn.Embedding(1000, 16)
    assert abs(np.array(emb.weight).std() - 0.25) < 0.01
    conv = nn.Conv2d(4, 300, 3)
    assert np.abs(np.array(conv.weight)).max() <= math.sqrt(1 / 36)
    assert np.all(np.array(conv.bias) == 0)
    lstm = nn.LSTM(3, 16)
    assert np.abs(np.array(lstm.Wx)).max() <= 0.25


def test_sequential_and_transformer_shapes():
    seq = nn.Sequential(nn.Linear(4, 8), nn.relu, nn.Linear(8, 2))
    assert seq(mx.ones((3, 4))).shape == (3, 2)
    tf = nn.Transformer(16, 4, 2, 2, 32)
    out = tf(mx.ones((2, 5, 16)), mx.ones((2, 3, 16)), None,
             nn.MultiHeadAttention.create_additive_causal_mask(3), None)
    assert out.shape == (2, 3, 16)


def test_dropout_mask_matches_mlx_for_a_seed():
    # Real MLX 0.32.4 prints this for seed 0 (the mask is
    # mx.random.bernoulli(1 - p, shape), so it follows the RNG exactly).
    mx.random.seed(0)
    got = nn.Dropout(0.5)(mx.ones((2, 6))).tolist()
    assert got == [[2.0, 0.0, 2.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0, 2.0, 0.0]]
