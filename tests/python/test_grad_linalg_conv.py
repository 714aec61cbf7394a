"""Transforms (vjp, jvp, vmap) of the linalg_conv family: Convolution
(conv1d/2d/3d, conv_transpose*, conv_general with every stride, padding,
dilation, groups and flip, convolve), GatherMM, BlockMaskedMM, SegmentedMM,
Hadamard, AddMM, and the composites built on them (tensordot, inner,
outer, vecdot, kron, einsum).

vjp against central differences in float64, jvp against vjp, vmap against a
Python loop for in_axes mixes, grad of vmap, and vjps against real MLX
0.32.4 (float32, in a subprocess).  MLX 0.32.4 has no jvp for Convolution,
GatherMM or BlockMaskedMM and no transforms for SegmentedMM nor vmap for
the three products; cmlx has them (checked here against differences)."""

import numpy as np
import pytest

import mlx.core as mx

from _grad_struct import HAS_REF, check_jvp_vjp, check_vjp_fd, check_vmap, rand, run_both


def R(*shape, seed=0):
    return rand(shape, seed)


# (name, f, args)
CONV = [
    ("conv1d", lambda x, w: mx.conv1d(x, w), [R(2, 7, 3), R(4, 3, 3, seed=1)]),
    ("conv1d_all", lambda x, w: mx.conv1d(x, w, stride=2, padding=2, dilation=2, groups=2),
     [R(2, 9, 4), R(6, 2, 2, seed=1)]),
    ("conv2d", lambda x, w: mx.conv2d(x, w, stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
     [R(1, 6, 7, 2), R(3, 2, 3, 2, seed=1)]),
    ("conv2d_depthwise", lambda x, w: mx.conv2d(x, w, padding=1, groups=3),
     [R(1, 4, 4, 3), R(3, 3, 3, 1, seed=1)]),
    ("conv3d", lambda x, w: mx.conv3d(x, w, stride=2, padding=1),
     [R(1, 4, 3, 4, 2), R(2, 2, 2, 2, 2, seed=1)]),
    ("conv_transpose1d", lambda x, w: mx.conv_transpose1d(x, w, stride=2, padding=1,
                                                          output_padding=1),
     [R(2, 5, 3), R(2, 3, 3, seed=1)]),
    ("conv_transpose2d", lambda x, w: mx.conv_transpose2d(x, w, stride=(2, 1), dilation=2,
                                                          groups=2),
     [R(1, 3, 4, 4), R(4, 2, 2, 2, seed=1)]),
    ("conv_transpose3d", lambda x, w: mx.conv_transpose3d(x, w, stride=2),
     [R(1, 2, 3, 2, 2), R(2, 2, 2, 2, 2, seed=1)]),
    ("conv_general", lambda x, w: mx.conv_general(
        x, w, stride=[2, 1], padding=([1, -1], [2, 0]), kernel_dilation=[1, 2],
        input_dilation=[2, 1], groups=2, flip=True),
     [R(2, 4, 6, 4), R(4, 3, 2, 2, seed=1)]),
    ("conv_general_crop", lambda x, w: mx.conv_general(x, w, padding=([-2], [-1]), stride=3),
     [R(1, 12, 2), R(3, 3, 2, seed=1)]),
    ("convolve_full", lambda a, v: mx.convolve(a, v), [R(7), R(3, seed=1)]),
    ("convolve_same", lambda a, v: mx.convolve(a, v, mode="same"), [R(4), R(7, seed=1)]),
    ("convolve_valid", lambda a, v: mx.convolve(a, v, mode="valid"), [R(8), R(4, seed=1)]),
]

LI = mx.array([0, 2, 1, 2])
RI = mx.array([1, 0, 1, 1])
MASK_O = mx.array([[True, False], [True, True]])
SEG = mx.array([[0, 2], [2, 6], [1, 5], [4, 3]])

PRODUCTS = [
    ("addmm", lambda c, a, b: mx.addmm(c, a, b, alpha=0.5, beta=2.0),
     [R(3, 5), R(3, 4, seed=1), R(4, 5, seed=2)]),
    ("gather_mm", lambda a, b: mx.gather_mm(a, b, LI, RI), [R(3, 2, 3), R(2, 3, 2, seed=1)]),
    ("gather_mm_default", lambda a, b: mx.gather_mm(a, b, None, RI[:2]),
     [R(2, 2, 3), R(2, 3, 2, seed=1)]),
    ("block_masked_mm_out", lambda a, b: mx.block_masked_mm(a, b, 32, MASK_O),
     [R(40, 8), R(8, 36, seed=1)]),
    ("block_masked_mm_lr", lambda a, b, ml, mr: mx.block_masked_mm(a, b, 32, None, ml, mr),
     [R(33, 40), R(40, 34, seed=1), R(2, 2, seed=2), R(2, 2, seed=3)]),
    ("block_masked_mm_all", lambda a, b, mo, ml: mx.block_masked_mm(
        a, b, 32, mo, ml, mx.array([[1.0], [0.5]], dtype=mx.float64)),
     [R(2, 33, 40), R(40, 5, seed=1), R(2, 2, 1, seed=2), R(2, 2, seed=3)]),
    ("segmented_mm", lambda a, b: mx.segmented_mm(a, b, SEG), [R(3, 6), R(6, 2, seed=1)]),
    ("hadamard", lambda x: mx.hadamard_transform(x, scale=0.3), [R(3, 8)]),
    ("tensordot", lambda a, b: mx.tensordot(a, b, axes=[[1, 2], [1, 0]]),
     [R(2, 3, 4), R(4, 3, 2, seed=1)]),
    ("inner", mx.inner, [R(2, 3), R(4, 3, seed=1)]),
    ("outer", mx.outer, [R(3), R(2, 2, seed=1)]),
    ("vecdot", lambda a, b: mx.vecdot(a, b, axis=0), [R(3, 2), R(3, 1, seed=1)]),
    ("kron", mx.kron, [R(2, 3), R(2, 2, seed=1)]),
    ("einsum_chain", lambda a, b, c: mx.einsum("ij,jk,kl->il", a, b, c),
     [R(2, 3), R(3, 4, seed=1), R(4, 2, seed=2)]),
    ("einsum_trace_batch", lambda a, b: mx.einsum("bii,bij->bj", a, b),
     [R(2, 3, 3), R(2, 3, 2, seed=1)]),
]
# Hadamard only exists for float16/bfloat16/float32: checked below in float32.
F64 = [c for c in CONV + PRODUCTS if c[0] != "hadamard"]
IDS = [c[0] for c in F64]


@pytest.mark.parametrize("name,f,args", F64, ids=IDS)
def test_vjp_finite_differences(name, f, args):
    check_vjp_fd(f, args)


@pytest.mark.parametrize("name,f,args", F64, ids=IDS)
def test_jvp_matches_vjp(name, f, args):
    check_jvp_vjp(f, args)


def _batched(args, axes, seed=20):
    out = []
    for k, (a, ax) in enumerate(zip(args, axes)):
        if ax is None:
            out.append(a)
        else:
            b = rand((3,) + a.shape, seed + k)
            out.append(mx.moveaxis(b, 0, ax) if ax else b)
    return out


def _mixes(n):
    mixes = [[0] * n, [None] * (n - 1) + [0], [0] + [None] * (n - 1)]
    if n > 1:
        mixes.append([1] + [0] * (n - 1))
    return [m for i, m in enumerate(mixes) if m not in mixes[:i]]


@pytest.mark.parametrize("name,f,args", F64, ids=IDS)
def test_vmap_against_loop(name, f, args):
    for axes in _mixes(len(args)):
        check_vmap(f, _batched(args, axes), axes, rtol=1e-10, atol=1e-10)


def test_vmap_conv_batch_axis_last():
    x, w = CONV[1][2]
    f = CONV[1][1]
    check_vmap(f, _batched([x, w], [3, 3]), [3, 3], rtol=1e-10, atol=1e-10)
    check_vmap(f, _batched([x, w], [None, 2]), [None, 2], out_axes=2, rtol=1e-10, atol=1e-10)


def test_hadamard_float32():
    x = mx.array(np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32))
    f = lambda a: mx.hadamard_transform(a, scale=0.3)  # noqa: E731
    u = mx.array(np.random.default_rng(1).standard_normal((3, 8)).astype(np.float32))
    (g,) = mx.vjp(f, [x], [u])[1]
    h = np.array([[1.0]])
    while h.shape[0] < 8:
        h = np.block([[h, h], [h, -h]])
    np.testing.assert_allclose(np.array(g), 0.3 * np.array(u) @ h, rtol=1e-5, atol=1e-5)
    (t,) = mx.jvp(f, [x], [u])[1]
    np.testing.assert_allclose(np.array(t), np.array(f(u)), rtol=1e-6, atol=1e-6)
    check_vmap(f, [x], [0], rtol=1e-6, atol=1e-6)
    check_vmap(f, [x.T], [1], rtol=1e-6, atol=1e-6)
    check_vmap(f, [mx.array([1.0, 2.0, 3.0])], [0])  # 0-d slices: just the scale


def test_grad_of_vmap_and_vmap_of_grad():
    x, w = R(3, 2, 6, 2), R(3, 3, 2, seed=1)
    loss = lambda a, k: mx.sum(mx.conv1d(a, k, padding=1) ** 2)  # noqa: E731
    g = mx.grad(lambda a, k: mx.sum(mx.vmap(loss, in_axes=(0, None))(a, k)), argnums=1)(x, w)
    want = sum(mx.grad(loss, argnums=1)(x[i], w) for i in range(3))
    np.testing.assert_allclose(np.array(g), np.array(want), rtol=1e-10, atol=1e-10)
    vg = mx.vmap(mx.grad(loss), in_axes=(0, None))(x, w)
    want = mx.stack([mx.grad(loss)(x[i], w) for i in range(3)])
    np.testing.assert_allclose(np.array(vg), np.array(want), rtol=1e-10, atol=1e-10)


def test_second_order_conv():
    """Hessian-vector product of a conv loss by grad of grad vs differences."""
    x, w = R(1, 6, 2), R(2, 3, 2, seed=1)
    f = lambda k: mx.sum(mx.tanh(mx.conv1d(x, k, stride=2, padding=1)))  # noqa: E731
    v = R(2, 3, 2, seed=5)
    hv = mx.grad(lambda k: mx.sum(mx.grad(f)(k) * v))(w)
    eps = 1e-5
    num = (np.array(mx.grad(f)(w + eps * v)) - np.array(mx.grad(f)(w - eps * v))) / (2 * eps)
    np.testing.assert_allclose(np.array(hv), num, rtol=1e-6, atol=1e-8)


def test_gather_mm_index_vjp_error():
    a, b = R(3, 2, 3), R(2, 3, 2, seed=1)
    with pytest.raises(ValueError, match="Cannot calculate VJP with respect to indices"):
        mx.vjp(lambda a, b, i: mx.gather_mm(a, b, i, RI), [a, b, LI], [mx.ones((4, 2, 2))])


REF_CODE = """
import numpy as np
r = np.random.default_rng(3)
def f(*s): return mx.array(r.standard_normal(s).astype(np.float32))
cases = [
  (lambda x, w: mx.conv1d(x, w, stride=2, padding=2, dilation=2, groups=2), [f(2, 9, 4), f(6, 2, 2)]),
  (lambda x, w: mx.conv2d(x, w, stride=(2, 1), padding=(1, 0)), [f(1, 6, 7, 2), f(3, 2, 3, 2)]),
  (lambda x, w: mx.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1), [f(1, 3, 4, 2), f(3, 3, 3, 2)]),
  (lambda x, w: mx.conv_general(x, w, stride=[2, 1], padding=([1, -1], [2, 0]), kernel_dilation=[1, 2],
                                input_dilation=[2, 1], groups=2, flip=True), [f(2, 4, 6, 4), f(4, 3, 2, 2)]),
  (lambda a, v: mx.convolve(a, v, mode="same"), [f(4), f(7)]),
  (lambda a, b: mx.gather_mm(a, b, mx.array([0, 2, 1, 2]), mx.array([1, 0, 1, 1])), [f(3, 2, 3), f(2, 3, 2)]),
  (lambda a, b, ml, mr: mx.block_masked_mm(a, b, 32, mx.array([[True, False], [True, True]]), ml, mr),
   [f(33, 40), f(40, 34), f(2, 2), f(2, 2)]),
  (lambda a, b, ml: mx.block_masked_mm(a, b, 32, None, ml, mx.array([[1.0, 0.0], [0.5, 2.0]])),
   [f(2, 40, 40), f(40, 40), f(2, 2)]),
  (lambda x: mx.hadamard_transform(x), [f(3, 16)]),
  (lambda a, b: mx.einsum("bij,bjk->bki", a, b), [f(2, 3, 4), f(2, 4, 2)]),
]
out = []
for fn, xs in cases:
    y = fn(*xs)
    _, g = mx.vjp(fn, xs, [f(*y.shape)])
    out.append([np.array(gi).tolist() for gi in g])
x, w = f(3, 2, 6, 2), f(3, 3, 2)
out.append(np.array(mx.vmap(lambda a, k: mx.conv1d(a, k), in_axes=(0, 0))(x, mx.stack([w] * 3))).tolist())
"""


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_against_real_mlx():
    mine, theirs = run_both(REF_CODE)
    assert len(mine) == len(theirs)
    for k, (m, t) in enumerate(zip(mine[:-1], theirs[:-1])):
        assert len(m) == len(t)
        for i, (a, b) in enumerate(zip(m, t)):
            np.testing.assert_allclose(np.array(a), np.array(b), rtol=2e-4, atol=2e-4,
                                       err_msg=f"case {k} input {i}")
    np.testing.assert_allclose(np.array(mine[-1]), np.array(theirs[-1]), rtol=1e-5, atol=1e-5)
