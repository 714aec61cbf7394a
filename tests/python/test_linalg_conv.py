"""The matmul family and the convolutions against NumPy in float64.

Convolutions are checked against the NumPy references below (a windowed
correlation for conv_general, the scatter definition for the transposed
convolutions); results, dtypes and exception types were also compared with
MLX 0.32.4, and the few literal values here (Hadamard transforms with MLX's
order-12/20/28 matrices, einsum_path reports) were read off it."""
import inspect
import itertools
import os

import numpy as np
import pytest

import mlx.core as mx

RNG = np.random.default_rng(1234)
# Against real MLX (CMLX_TEST_REFERENCE=1) the cases MLX's CPU backend does
# not handle are skipped: float64 and grouped 3-D convolutions raise there,
# and a zero channel count or groups=0 crash the process.
REF = not os.path.abspath(mx.__file__).startswith(
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

TOL = {mx.float32: 2e-5, mx.float64: 1e-12, mx.float16: 2e-2, mx.bfloat16: 6e-2}
NP_OF = {mx.float32: np.float32, mx.float64: np.float64, mx.float16: np.float16}


def rand(*shape):
    return RNG.standard_normal(shape)


def mxa(x, dtype=mx.float32):
    return mx.array(np.asarray(x, dtype=np.float32 if dtype != mx.float64 else np.float64)).astype(dtype)


def to64(a):
    if a.dtype == mx.bfloat16:
        a = a.astype(mx.float32)
    return np.array(a).astype(np.complex128 if a.dtype == mx.complex64 else np.float64)


def close(got, want, dtype=mx.float32, scale=None):
    got = to64(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.size == 0:
        return
    s = scale if scale is not None else max(1.0, float(np.max(np.abs(want))))
    err = float(np.max(np.abs(got - want))) / s
    assert err <= TOL[dtype], err


def rounded(x, dtype):
    """x as the dtype stores it (the reference's input)."""
    return to64(mxa(x, dtype))


# --- NumPy references ----------------------------------------------------------------


def np_conv_general(x, w, stride, lo, hi, kdil, idil, groups=1, flip=False):
    """Channels-last correlation: x (N, *S, Ci), w (Co, *K, Ci/groups)."""
    d = x.ndim - 2
    N, S, Ci = x.shape[0], x.shape[1:-1], x.shape[-1]
    Co, K, Cg = w.shape[0], w.shape[1:-1], w.shape[-1]
    CoG = Co // groups
    # Dilate the input, then pad (a negative pad crops).
    xd = np.zeros((N,) + tuple((s - 1) * i + 1 for s, i in zip(S, idil)) + (Ci,))
    xd[(slice(None),) + tuple(slice(None, None, i) for i in idil)] = x
    for ax in range(d):
        a = ax + 1
        if lo[ax] < 0:
            xd = np.take(xd, range(-lo[ax], xd.shape[a]), axis=a)
        if hi[ax] < 0:
            xd = np.take(xd, range(0, xd.shape[a] + hi[ax]), axis=a)
        pw = [(0, 0)] * xd.ndim
        pw[a] = (max(lo[ax], 0), max(hi[ax], 0))
        xd = np.pad(xd, pw)
    if flip:
        w = w[(slice(None),) + (slice(None, None, -1),) * d]
    O = [(xd.shape[1 + i] - ((K[i] - 1) * kdil[i] + 1)) // stride[i] + 1 for i in range(d)]
    out = np.zeros((N,) + tuple(O) + (Co,))
    for t in itertools.product(*[range(k) for k in K]):
        win = xd[(slice(None),) + tuple(
            slice(t[i] * kdil[i], t[i] * kdil[i] + (O[i] - 1) * stride[i] + 1, stride[i])
            for i in range(d))]
        for g in range(groups):
            wt = w[(slice(g * CoG, (g + 1) * CoG),) + t]  # (CoG, Cg)
            out[..., g * CoG:(g + 1) * CoG] += win[..., g * Cg:(g + 1) * Cg] @ wt.T
    return out


def np_conv_transpose(x, w, stride, pad, dil, opad, groups=1):
    """The scatter definition: input position i reaches output i*s - p + k*d."""
    d = x.ndim - 2
    N, S, Ci = x.shape[0], x.shape[1:-1], x.shape[-1]
    Co, K, Cg = w.shape[0], w.shape[1:-1], w.shape[-1]
    CoG = Co // groups
    O = [(S[i] - 1) * stride[i] - 2 * pad[i] + dil[i] * (K[i] - 1) + opad[i] + 1 for i in range(d)]
    out = np.zeros((N,) + tuple(O) + (Co,))
    for pos in itertools.product(*[range(s) for s in S]):
        for t in itertools.product(*[range(k) for k in K]):
            o = tuple(pos[i] * stride[i] - pad[i] + t[i] * dil[i] for i in range(d))
            if any(o[i] < 0 or o[i] >= O[i] for i in range(d)):
                continue
            for g in range(groups):
                xv = x[(slice(None),) + pos + (slice(g * Cg, (g + 1) * Cg),)]
                wt = w[(slice(g * CoG, (g + 1) * CoG),) + t]
                out[(slice(None),) + o + (slice(g * CoG, (g + 1) * CoG),)] += xv @ wt.T
    return out


# --- convolutions -----------------------------------------------------------------------

CONV_CASES = [
    # (input shape, weight shape, stride, padding, dilation, groups)
    ((2, 9, 3), (4, 3, 3), 1, 0, 1, 1),
    ((2, 11, 3), (4, 3, 3), 2, 1, 2, 1),
    ((1, 8, 6), (6, 3, 2), 1, 1, 1, 3),
    ((1, 8, 4), (8, 3, 1), 1, 1, 1, 4),  # depthwise with multiplier 2
    ((2, 7, 3), (5, 1, 3), 1, 0, 1, 1),  # 1x1
    ((2, 7, 3), (4, 3, 3), 1, -1, 1, 1),  # negative padding crops
    ((2, 6, 5, 4), (3, 3, 3, 4), 1, 1, 1, 1),
    ((2, 7, 8, 4), (3, 3, 2, 4), (2, 1), (1, 2), (1, 2), 1),
    ((1, 6, 6, 4), (4, 3, 3, 2), 1, 0, 1, 2),
    ((1, 6, 6, 8), (8, 3, 3, 1), 1, 1, 1, 8),  # depthwise
    ((3, 5, 5, 2), (4, 1, 1, 2), 1, 0, 1, 1),  # 1x1, identity path
    ((1, 9, 9, 3), (16, 7, 7, 3), 2, 3, 1, 1),  # small C_in, big kernel
    ((1, 5, 6, 7, 3), (2, 3, 2, 3, 3), 2, 1, 1, 1),
    ((1, 4, 4, 4, 4), (4, 2, 2, 2, 1), 1, 1, 1, 4),
    # C_out/groups a multiple of 16 (the direct AVX-512 kernel)
    ((2, 7, 5, 20), (112, 3, 3, 20), 1, 1, 1, 1),
    ((1, 9, 8, 32), (64, 3, 2, 16), (2, 1), (1, 0), (1, 2), 2),
    ((2, 13, 24), (48, 3, 24), 2, 2, 1, 1),
    ((1, 5, 4, 6, 16), (32, 2, 3, 2, 16), 1, 1, 1, 1),
]


def _tup(v, d):
    return tuple(v) if isinstance(v, tuple) else (v,) * d


@pytest.mark.parametrize("case", CONV_CASES, ids=[str(i) for i in range(len(CONV_CASES))])
@pytest.mark.parametrize("dtype", [mx.float32, mx.float16, mx.bfloat16, mx.float64])
def test_conv_nd(case, dtype):
    xs, ws, st, pd, dl, g = case
    d = len(xs) - 2
    if REF and (dtype == mx.float64 or (g > 1 and d == 3)):
        pytest.skip("not supported by MLX's CPU backend")
    x, w = rand(*xs), rand(*ws)
    fn = {1: mx.conv1d, 2: mx.conv2d, 3: mx.conv3d}[d]
    got = fn(mxa(x, dtype), mxa(w, dtype), stride=st, padding=pd, dilation=dl, groups=g)
    assert got.dtype == dtype
    p = _tup(pd, d)
    want = np_conv_general(rounded(x, dtype), rounded(w, dtype), _tup(st, d), p, p,
                           _tup(dl, d), (1,) * d, g)
    close(got, want, dtype)


GENERAL_CASES = [
    # input, weight, stride, padding (lo, hi), kernel dilation, input dilation, groups, flip
    ((2, 5, 6, 3), (4, 3, 2, 3), [2, 1], ([1, 0], [2, 1]), [1, 2], [2, 1], 1, True),
    ((2, 5, 6, 3), (4, 3, 2, 3), [1, 1], ([0, 2], [1, 0]), [2, 1], [1, 3], 1, False),
    ((1, 7, 4), (6, 3, 2), [1], ([2], [0]), [1], [2], 2, True),
    ((1, 4, 4, 3, 2), (2, 2, 3, 2, 2), [1, 2, 1], ([1, 0, 1], [0, 1, 1]), [1, 1, 2], [1, 2, 1], 1, True),
]


@pytest.mark.parametrize("case", GENERAL_CASES, ids=[str(i) for i in range(len(GENERAL_CASES))])
def test_conv_general(case):
    xs, ws, st, (lo, hi), kd, idl, g, flip = case
    x, w = rand(*xs), rand(*ws)
    got = mx.conv_general(mxa(x), mxa(w), stride=st, padding=(lo, hi), kernel_dilation=kd,
                          input_dilation=idl, groups=g, flip=flip)
    close(got, np_conv_general(rounded(x, mx.float32), rounded(w, mx.float32), st, lo, hi, kd,
                               idl, g, flip))


def test_conv_general_argument_forms():
    x, w = rand(1, 5, 5, 4), rand(4, 3, 3, 4)
    X, W = mxa(x), mxa(w)
    ref = lambda lo, hi: np_conv_general(rounded(x, mx.float32), rounded(w, mx.float32), (1, 1),
                                         lo, hi, (1, 1), (1, 1))
    close(mx.conv_general(X, W, padding=1), ref((1, 1), (1, 1)))
    close(mx.conv_general(X, W, padding=[1, 2]), ref((1, 2), (1, 2)))
    close(mx.conv_general(X, W, padding=([1], [1, 0])), ref((1, 1), (1, 0)))
    close(mx.conv_general(X, W, 1, 0, 1, 1, 1, False), ref((0, 0), (0, 0)))


def test_conv_bool_arguments():
    # Python bools are ints to MLX 0.32.4's binding: stride=True is stride 1,
    # padding=True is padding 1, and so on (shapes read off MLX 0.32.4).
    x, w = rand(1, 5, 5, 2), rand(3, 3, 3, 2)
    X, W = mxa(x), mxa(w)
    ref = lambda lo, hi, st=(1, 1): np_conv_general(rounded(x, mx.float32), rounded(w, mx.float32),
                                                    st, lo, hi, (1, 1), (1, 1))
    close(mx.conv2d(X, W, stride=True), ref((0, 0), (0, 0)))
    close(mx.conv2d(X, W, padding=True), ref((1, 1), (1, 1)))
    close(mx.conv2d(X, W, stride=(True, 2)), ref((0, 0), (0, 0), (1, 2)))
    close(mx.conv2d(X, W, dilation=True, groups=True), ref((0, 0), (0, 0)))
    close(mx.conv_general(X, W, stride=True, padding=True), ref((1, 1), (1, 1)))
    x1, w1 = mx.ones((1, 5, 2)), mx.ones((3, 3, 2))
    assert mx.conv1d(x1, w1, stride=True).shape == (1, 3, 3)
    assert mx.conv1d(x1, w1, padding=True, groups=True).shape == (1, 5, 3)
    assert mx.conv_transpose1d(x1, w1, stride=True).shape == (1, 7, 3)
    assert mx.conv_transpose2d(X, W, output_padding=True).shape == (1, 8, 8, 3)
    x3, w3 = mx.ones((1, 4, 4, 4, 2)), mx.ones((3, 2, 2, 2, 2))
    assert mx.conv3d(x3, w3, stride=True).shape == (1, 3, 3, 3, 3)
    assert mx.conv_transpose3d(x3, w3, padding=True).shape == (1, 3, 3, 3, 3)
    with pytest.raises(ValueError):
        mx.conv2d(X, W, stride=False)  # stride 0, as in MLX


TRANSPOSE_CASES = [
    ((2, 7, 3), (4, 3, 3), 1, 0, 1, 0, 1),
    ((2, 7, 3), (4, 3, 3), 2, 1, 1, 1, 1),
    ((2, 6, 4), (6, 3, 2), 3, 2, 2, 0, 2),
    ((2, 5, 3), (3, 1, 1), 1, 0, 1, 0, 3),
    ((1, 5, 4, 4), (3, 3, 3, 4), 2, 1, 2, 1, 1),
    ((1, 5, 4, 4), (4, 3, 2, 2), (2, 1), (0, 1), (1, 1), (1, 0), 2),
    ((1, 3, 4, 2, 2), (3, 2, 2, 3, 2), 2, 0, 1, 0, 1),
]


@pytest.mark.parametrize("case", TRANSPOSE_CASES, ids=[str(i) for i in range(len(TRANSPOSE_CASES))])
def test_conv_transpose(case):
    xs, ws, st, pd, dl, op, g = case
    d = len(xs) - 2
    x, w = rand(*xs), rand(*ws)
    fn = {1: mx.conv_transpose1d, 2: mx.conv_transpose2d, 3: mx.conv_transpose3d}[d]
    got = fn(mxa(x), mxa(w), stride=st, padding=pd, dilation=dl, output_padding=op, groups=g)
    want = np_conv_transpose(rounded(x, mx.float32), rounded(w, mx.float32), _tup(st, d),
                             _tup(pd, d), _tup(dl, d), _tup(op, d), g)
    close(got, want)


def test_conv_dtypes_and_views():
    x, w = rand(1, 6, 6, 4), rand(3, 3, 3, 4)
    want = np_conv_general(rounded(x, mx.float16), rounded(w, mx.bfloat16), (1, 1), (0, 0),
                           (0, 0), (1, 1), (1, 1))
    got = mx.conv2d(mxa(x, mx.float16), mxa(w, mx.bfloat16))
    assert got.dtype == mx.float32  # float16 with bfloat16 promotes to float32
    close(got, want, mx.bfloat16)
    # integer weights are promoted; a float64 weight promotes the result
    assert mx.conv2d(mxa(x), mx.ones((3, 3, 3, 4), mx.int32)).dtype == mx.float32
    assert mx.conv2d(mxa(x, mx.float16), mxa(w, mx.float64)).dtype == mx.float64
    # transposed and sliced views as operands
    xt = rand(1, 4, 6, 6)  # channels first, transposed into a view
    X = mxa(xt).transpose(0, 2, 3, 1)
    Wv = mxa(rand(6, 3, 3, 8))[::2, :, :, ::2]
    want = np_conv_general(np.transpose(rounded(xt, mx.float32), (0, 2, 3, 1)), to64(Wv), (1, 1),
                           (1, 1), (1, 1), (1, 1), (1, 1))
    close(mx.conv2d(X, Wv, padding=1), want)


def test_conv_empty_batch_and_channels():
    if REF:
        pytest.skip("crashes MLX 0.32.4")
    assert mx.conv1d(mx.ones((0, 5, 3)), mx.ones((4, 3, 3))).shape == (0, 3, 4)
    r = mx.conv1d(mx.ones((2, 5, 0)), mx.ones((4, 3, 0)))
    assert r.shape == (2, 3, 4) and float(mx.abs(r).max()) == 0.0


def test_conv_errors():
    x = mx.ones((2, 7, 3))
    with pytest.raises(ValueError):
        mx.conv1d(x.astype(mx.int32), mx.ones((4, 3, 3)))
    with pytest.raises(ValueError):
        mx.conv1d(x.astype(mx.complex64), mx.ones((4, 3, 3)))
    with pytest.raises(ValueError):
        mx.conv1d(x, mx.ones((4, 3, 2)))  # channels
    with pytest.raises(ValueError):
        mx.conv1d(x, mx.ones((4, 9, 3)))  # kernel larger than input
    with pytest.raises(ValueError):
        mx.conv1d(x, mx.ones((4, 3, 3)), stride=0)
    with pytest.raises(ValueError):
        mx.conv1d(mx.ones((7, 3)), mx.ones((4, 3, 3)))
    with pytest.raises(ValueError):
        mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((3, 3, 3, 2)), groups=2)  # C_out % groups
    with pytest.raises(ValueError):
        mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 3)), groups=2)
    if not REF:  # MLX 0.32.4 dies of a division by zero here
        with pytest.raises(ValueError):
            mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), groups=0)
    with pytest.raises(ValueError):
        mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3)))
    with pytest.raises(ValueError):
        mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), dilation=0)
    with pytest.raises(ValueError):
        mx.conv_general(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), input_dilation=0)
    with pytest.raises(ValueError):
        mx.conv_general(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), padding=(1, 1, 1))
    with pytest.raises(ValueError):
        mx.conv_general(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), stride=[1, 2, 3])
    with pytest.raises(TypeError):
        mx.conv2d(mx.ones((1, 5, 5, 4)), mx.ones((4, 3, 3, 4)), stride=(1, 1, 1))
    with pytest.raises(TypeError):
        mx.conv1d(mx.ones((1, 5, 4)), mx.ones((4, 3, 4)), stride=(1,))
    with pytest.raises(TypeError):
        mx.conv1d(np.ones((1, 5, 2), np.float32), mx.ones((3, 3, 2)))


# --- convolve ---------------------------------------------------------------------------


@pytest.mark.parametrize("n,m", [(9, 4), (4, 9), (5, 1), (7, 7), (6, 3), (4, 2)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve(n, m, mode):
    a, v = rand(n), rand(m)
    close(mx.convolve(mxa(a), mxa(v), mode=mode),
          np.convolve(rounded(a, mx.float32), rounded(v, mx.float32), mode))


def test_convolve_dtypes_errors():
    assert mx.convolve(mx.ones((4,), mx.float16), mx.ones((2,), mx.float16)).dtype == mx.float16
    assert mx.convolve(mx.ones((4,), mx.float16), mx.ones((2,))).dtype == mx.float32
    for bad in [lambda: mx.convolve(mx.ones((4,)), mx.ones((2,)), mode="bad"),
                lambda: mx.convolve(mx.ones((4, 2)), mx.ones((2,))),
                lambda: mx.convolve(mx.ones((0,)), mx.ones((2,))),
                lambda: mx.convolve(mx.array([1, 2, 3]), mx.array([1, 1]))]:
        with pytest.raises(ValueError):
            bad()


# --- matmul and its relatives -------------------------------------------------------------


@pytest.mark.parametrize("dtype", [mx.float32, mx.float16, mx.bfloat16, mx.float64])
@pytest.mark.parametrize("shapes", [((5, 3, 4), (4, 2)), ((4,), (2, 4, 3)), ((3, 4), (4,)),
                                    ((2, 1, 3, 4), (5, 4, 2)), ((300, 8, 8), (300, 8, 8)),
                                    ((64, 33, 17), (17, 9)), ((0, 4), (4, 3)), ((3, 0), (0, 2))])
def test_matmul(dtype, shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    got = mx.matmul(mxa(a, dtype), mxa(b, dtype))
    assert got.dtype == dtype
    close(got, np.matmul(rounded(a, dtype), rounded(b, dtype)), dtype)


def test_matmul_views_and_errors():
    a = rand(6, 5, 4)
    A = mxa(a)
    close(A.transpose(0, 2, 1) @ A, np.transpose(to64(A), (0, 2, 1)) @ to64(A))
    B = mxa(rand(4, 3))
    close(A[::2, 1:, ::-1] @ B[::-1], to64(A)[::2, 1:, ::-1] @ to64(B)[::-1])
    for dt in [mx.int32, mx.bool_, mx.uint8]:
        with pytest.raises(ValueError):
            mx.matmul(mx.ones((2, 2), dt), mx.ones((2, 2), dt))
    with pytest.raises(ValueError):
        mx.matmul(mx.array(1.0), mx.ones((2,)))
    with pytest.raises(ValueError):
        mx.matmul(mx.ones((2, 3)), mx.ones((2, 3)))


def test_matmul_batched_parallel_matches_loop():
    # Many small products take the batch-parallel path.
    a, b = rand(1000, 7, 5), rand(1, 5, 6)
    close(mxa(a) @ mxa(b), rounded(a, mx.float32) @ rounded(b, mx.float32))


def test_addmm():
    a, b, c = rand(3, 4), rand(4, 5), rand(3, 5)
    r = mx.addmm(mxa(c), mxa(a), mxa(b), 2.0, 0.5)
    close(r, 2 * rounded(a, mx.float32) @ rounded(b, mx.float32) + 0.5 * rounded(c, mx.float32))
    # broadcast c, batched a, 1-D a
    c1, a3 = rand(5), rand(2, 3, 4)
    close(mx.addmm(mxa(c1), mxa(a3), mxa(b), alpha=-1.0, beta=3.0),
          -rounded(a3, mx.float32) @ rounded(b, mx.float32) + 3 * rounded(c1, mx.float32))
    a1 = rand(4)
    close(mx.addmm(mxa(c1), mxa(a1), mxa(b)), rounded(a1, mx.float32) @ rounded(b, mx.float32) +
          rounded(c1, mx.float32))
    # beta = 0 ignores c, NaN included (as MLX and BLAS)
    r = mx.addmm(mx.array(float("nan")), mx.ones((2, 4)), mx.ones((4, 3)), beta=0.0)
    assert np.array(r).tolist() == [[4.0] * 3] * 2
    r = mx.addmm(mxa(c, mx.float16), mxa(a, mx.float16), mxa(b, mx.float16), 2.0, 3.0)
    assert r.dtype == mx.float16
    close(r, 2 * rounded(a, mx.float16) @ rounded(b, mx.float16) + 3 * rounded(c, mx.float16),
          mx.float16)
    assert mx.addmm(mx.ones((2, 3), mx.int32), mx.ones((2, 4)), mx.ones((4, 3))).dtype == mx.float32
    for bad in [lambda: mx.addmm(mx.ones((2, 3), mx.int32), mx.ones((2, 4), mx.int32),
                                 mx.ones((4, 3), mx.int32)),
                lambda: mx.addmm(mx.ones((2, 3)), mx.ones((4,)), mx.ones((4, 3))),
                lambda: mx.addmm(mx.ones((4, 3)), mx.ones((2, 4)), mx.ones((4, 3))),
                lambda: mx.addmm(mx.ones((5, 2, 3)), mx.ones((2, 4)), mx.ones((4, 3)))]:
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(TypeError):
        mx.addmm(1.0, mx.ones((2, 2)), mx.ones((2, 2)))


def test_tensordot_inner_outer():
    a, b = rand(2, 3, 4), rand(3, 4, 5)
    A, B = mxa(a), mxa(b)
    ra, rb = rounded(a, mx.float32), rounded(b, mx.float32)
    close(mx.tensordot(A, B), np.tensordot(ra, rb))
    close(mx.tensordot(A, B, 0), np.tensordot(ra, rb, 0))
    c = rand(4, 3, 5)
    close(mx.tensordot(A, mxa(c), [[1, -1], [1, 0]]),
          np.tensordot(ra, rounded(c, mx.float32), [[1, 2], [1, 0]]))
    close(mx.tensordot(A, mxa(c), ([1], [1])), np.tensordot(ra, rounded(c, mx.float32), ([1], [1])))
    for bad, err in [(lambda: mx.tensordot(A, B, -1), ValueError),
                     (lambda: mx.tensordot(A, B, 4), ValueError),
                     (lambda: mx.tensordot(A, mxa(rand(3, 5)), 1), ValueError),
                     (lambda: mx.tensordot(A, B, [[1], [1, 0]]), ValueError),
                     (lambda: mx.tensordot(A, B, [1, 1]), TypeError),
                     (lambda: mx.tensordot(A.astype(mx.int32), B.astype(mx.int32), 0), ValueError)]:
        with pytest.raises(err):
            bad()
    x, y = rand(2, 3), rand(4, 3)
    close(mx.inner(mxa(x), mxa(y)), np.inner(rounded(x, mx.float32), rounded(y, mx.float32)))
    assert mx.inner(mx.array(2), mx.ones((3,), mx.int32)).dtype == mx.int32
    with pytest.raises(ValueError):
        mx.inner(mx.ones((2, 3)), mx.ones((4, 2)))
    u, v = rand(2, 3), rand(4)
    close(mx.outer(mxa(u), mxa(v)), np.outer(rounded(u, mx.float32), rounded(v, mx.float32)))
    assert mx.outer(mx.ones((2,), mx.bool_), mx.ones((4,), mx.bool_)).dtype == mx.bool_
    assert mx.outer(mx.array(2.0), mx.ones((4,))).shape == (1, 4)


def test_vecdot_kron():
    a, b = rand(2, 3), rand(1, 3)
    close(mx.vecdot(mxa(a), mxa(b)), np.sum(rounded(a, mx.float32) * rounded(b, mx.float32), -1))
    c = rand(2, 1)
    close(mx.vecdot(mxa(a), mxa(c), axis=0),
          np.sum(rounded(a, mx.float32) * rounded(c, mx.float32), 0))
    z = mx.array([[1 + 2j, 3j]])
    w = mx.array([[1 + 2j, 1]])
    assert np.allclose(np.array(mx.vecdot(z, w)), np.vdot(np.array(z), np.array(w)))
    assert mx.vecdot(mx.ones((2, 3), mx.int8), mx.ones((2, 3), mx.int8)).dtype == mx.int32
    assert mx.vecdot(mx.ones((2, 3), mx.uint16), mx.ones((2, 3), mx.uint16)).dtype == mx.uint32
    with pytest.raises(ValueError):
        mx.vecdot(mx.ones((2, 3)), mx.ones((3,)))
    with pytest.raises(IndexError):
        mx.vecdot(mx.ones((2, 3)), mx.ones((2, 3)), axis=2)
    with pytest.raises(ValueError):
        mx.vecdot(mx.ones((2, 3)), mx.ones((2, 4)))
    with pytest.raises(ValueError):
        mx.vecdot(mx.array(2.0), mx.array(3.0))
    x, y = rand(2, 1, 3), rand(4, 5)
    close(mx.kron(mxa(x), mxa(y)), np.kron(rounded(x, mx.float32), rounded(y, mx.float32)))
    i8 = np.array([[1, -2, 3], [4, 5, -6]], np.int8)
    u8 = np.array([7, 2], np.uint8)
    r = mx.kron(mx.array(i8), mx.array(u8))
    assert r.dtype == mx.int16 and np.array(r).tolist() == np.kron(i8.astype(np.int16), u8).tolist()
    with pytest.raises(ValueError):
        mx.kron(mx.ones((0, 3)), mx.ones((2,)))


def test_gather_mm():
    a, b = rand(3, 2, 4), rand(5, 4, 3)
    li = np.array([[0], [2]])
    ri = np.array([1, 2, 4])
    got = mx.gather_mm(mxa(a), mxa(b), mx.array(li), mx.array(ri))
    ra, rb = rounded(a, mx.float32), rounded(b, mx.float32)
    close(got, ra[li] @ rb[ri])
    close(mx.gather_mm(mxa(a), mxa(b[0])), ra @ rb[0])
    a4 = rand(2, 3, 2, 4)
    close(mx.gather_mm(mxa(a4), mxa(b), mx.array([0, 5]), mx.array([0, 2]), sorted_indices=True),
          rounded(a4, mx.float32).reshape(6, 2, 4)[[0, 5]] @ rb[[0, 2]])
    v = rand(4)
    close(mx.gather_mm(mxa(v), mxa(b), None, mx.array([0, 2])), rounded(v, mx.float32) @ rb[[0, 2]])
    with pytest.raises(ValueError):
        mx.gather_mm(mxa(a), mxa(b), mx.array([0.0, 2]))
    with pytest.raises(ValueError):
        mx.gather_mm(mxa(a), mxa(b), mx.array([0, 2]))  # default rhs indices (5) vs (2)
    with pytest.raises(ValueError):
        mx.gather_mm(mx.ones((3, 2, 4), mx.int32), mx.ones((5, 4, 3), mx.int32), mx.array([0, 2]))
    if not REF:  # MLX reads out of bounds; here it is an IndexError, never a crash
        with pytest.raises(IndexError):
            mx.eval(mx.gather_mm(mxa(a), mxa(b), mx.array([0, 2]), mx.array([0, 9])))


def _expand(mask, bs, rows, cols):
    m = np.asarray(mask, np.float64)
    return np.kron(m, np.ones((bs, bs)))[..., :rows, :cols]


def test_block_masked_mm():
    a, b = rand(70, 64), rand(64, 40)
    ra, rb = rounded(a, mx.float32), rounded(b, mx.float32)
    om = np.array([[2.0, 0.5], [1, 1], [3, 0]], np.float32)
    close(mx.block_masked_mm(mxa(a), mxa(b), 32, mx.array(om)), (ra @ rb) * _expand(om, 32, 70, 40))
    lm = np.array([[True, False], [False, True], [True, True]])
    rm = np.array([[0.5, 1.0], [2.0, 0.0]], np.float32)
    want = (ra * _expand(lm, 32, 70, 64)) @ (rb * _expand(rm, 32, 64, 40))
    close(mx.block_masked_mm(mxa(a), mxa(b), 32, None, mx.array(lm), mx.array(rm)), want)
    # bool masks clear blocks outright (inf inside stays out); float masks multiply
    a2 = np.ones((64, 64), np.float32)
    a2[0, 0] = np.inf
    lb = np.array([[False, True], [True, True]])
    r = np.array(mx.block_masked_mm(mx.array(a2), mx.ones((64, 64)), 32, None, mx.array(lb)))
    assert np.isfinite(r).all()
    r = np.array(mx.block_masked_mm(mx.array(a2), mx.ones((64, 64)), 32, None,
                                    mx.array(lb.astype(np.float32))))
    assert np.isnan(r[0]).all()
    # batched operands, broadcast masks; no masks is a plain matmul
    a3 = rand(3, 70, 64)
    close(mx.block_masked_mm(mxa(a3), mxa(b), 32, mx.array(lm.astype(np.float32)[:, :2])),
          (rounded(a3, mx.float32) @ rb) * _expand(lm[:, :2], 32, 70, 40))
    close(mx.block_masked_mm(mxa(a), mxa(b), 16), ra @ rb)
    for bad in [lambda: mx.block_masked_mm(mx.ones((4, 4)), mx.ones((4, 4)), 2, mx.ones((2, 2))),
                lambda: mx.block_masked_mm(mxa(a), mxa(b), 32, mx.ones((2, 2))),
                lambda: mx.block_masked_mm(mx.ones((70, 64), mx.int32), mx.ones((64, 40), mx.int32), 32)]:
        with pytest.raises(ValueError):
            bad()


def test_segmented_mm():
    a, b = rand(3, 4), rand(4, 5)
    ra, rb = rounded(a, mx.float32), rounded(b, mx.float32)
    seg = np.array([[0, 2], [2, 4], [3, 1], [0, 4], [1, 1]])
    want = np.stack([ra[:, lo:hi] @ rb[lo:hi] if hi > lo else np.zeros((3, 5)) for lo, hi in seg])
    close(mx.segmented_mm(mxa(a), mxa(b), mx.array(seg)), want)
    assert mx.segmented_mm(mxa(a), mxa(b), mx.array([[[0, 2], [2, 4]]])).shape == (1, 2, 3, 5)
    assert mx.segmented_mm(mxa(a, mx.float16), mxa(b), mx.array([[0, 2]])).dtype == mx.float32
    for bad in [lambda: mx.segmented_mm(mx.ones((5, 2, 4)), mx.ones((5, 4, 3)), mx.array([[0, 2]])),
                lambda: mx.segmented_mm(mxa(a), mxa(b), mx.array([[0.0, 2]])),
                lambda: mx.segmented_mm(mxa(a), mxa(b), mx.array([[0, 2, 3]])),
                lambda: mx.segmented_mm(mx.ones((2, 4), mx.int32), mx.ones((4, 3), mx.int32),
                                        mx.array([[0, 2]]))]:
        with pytest.raises(ValueError):
            bad()


def _sylvester(n):
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


def test_hadamard_transform():
    x = rand(3, 64)
    close(mx.hadamard_transform(mxa(x)), rounded(x, mx.float32) @ _sylvester(64).T / 8)
    close(mx.hadamard_transform(mxa(x), scale=0.25), rounded(x, mx.float32) @ _sylvester(64).T / 4)
    # MLX's order-12/20/28 matrices (values read off MLX 0.32.4)
    close(mx.hadamard_transform(mx.arange(12.0), scale=1.0),
          [64, -6, 0, -6, -20, -10, 0, -14, 20, -18, 0, -22])
    close(mx.hadamard_transform(mx.arange(20.0) * 0.5 - 3, scale=1.0),
          [7, 10, 13, 16, 19, -5, -10, -5, 0, -5, 10, 15, 10, 5, 10, -26, -25, -24, -23, -22])
    close(mx.hadamard_transform(mx.arange(28.0) % 5, scale=1.0),
          [-9, -23, -7, -11, -25, -9, -13, -11, -1, -9, -19, -19, -7, 3, -5, -15, -15, -13, -11, 9,
           -11, -21, -9, -9, 1, -9, 1, -7])
    close(mx.hadamard_transform(mx.arange(24.0), scale=1.0),
          [266, -10, -26, 2, 2, -2, -26, 2, -78, -2, -42, 2, 2, -2, -58, 2, 82, -2, -74, 2, 2, -2,
           -90, 2])
    for m in (12, 20, 28):  # orthogonal: H @ H.T = n I
        h = to64(mx.hadamard_transform(mx.eye(m * 4), scale=1.0))
        assert np.array_equal(h @ h.T, m * 4 * np.eye(m * 4))
    h16 = mx.hadamard_transform(mxa(x, mx.float16))
    assert h16.dtype == mx.float16
    close(h16, rounded(x, mx.float16) @ _sylvester(64).T / 8, mx.float16)
    assert mx.hadamard_transform(mx.ones((2,), mx.int64)).dtype == mx.float32
    close(mx.hadamard_transform(mx.array([1 + 2j, 3 + 0j])), [4 / np.sqrt(2), -2 / np.sqrt(2)])
    close(mx.hadamard_transform(mxa(x).T[:, :2].T), rounded(x, mx.float32).T[:, :2].T @ _sylvester(64).T / 8)
    assert float(mx.hadamard_transform(mx.array(3.0))) == 3.0
    # (36 = 12 * 3 is not m * 2^k; MLX computes garbage for it, here it is refused)
    for bad in [lambda: mx.eval(mx.hadamard_transform(mx.ones((8,), mx.float64))),
                lambda: mx.eval(mx.hadamard_transform(mx.ones((0,)))),
                lambda: mx.eval(mx.hadamard_transform(mx.ones((3,))))] + (
                    [] if REF else [lambda: mx.eval(mx.hadamard_transform(mx.ones((36,))))]):
        with pytest.raises(ValueError):
            bad()
    # MLX takes `a` positionally and `stream` by keyword only
    close(mx.hadamard_transform(mxa(x), None, stream=mx.cpu),
          rounded(x, mx.float32) @ _sylvester(64).T / 8)
    with pytest.raises(TypeError):
        mx.hadamard_transform(mxa(x), None, mx.cpu)


# --- einsum -------------------------------------------------------------------------------

EINSUM = [
    ("ij,jk", [(2, 3), (3, 4)]), ("ij,jk->ki", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]), ("iij->j", [(3, 3, 2)]), ("...ij,...jk", [(4, 2, 3), (3, 5)]),
    ("i...,...i", [(2, 3), (3, 2)]), ("ij...,jk", [(2, 3, 4), (3, 5)]),
    ("abc,bcd,de,ea->", [(2, 3, 4), (3, 4, 5), (5, 6), (6, 2)]),
    ("ij,ij,ij->ij", [(2, 3)] * 3), ("ab,cd,ef->abcdef", [(2, 3), (2, 2), (3, 2)]),
    ("ijk,jkl,klm,lmn->in", [(2, 3, 4), (3, 4, 5), (4, 5, 2), (5, 2, 3)]),
    ("i,i->", [(1,), (3,)]), ("ij,ij->ij", [(1, 3), (2, 1)]), ("iJ->i", [(2, 3)]),
    ("ba,cb->ac", [(3, 2), (4, 3)]), ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("i j , jk", [(2, 3), (3, 4)]), ("->", [()]), ("i,j,k->ijk", [(2,), (3,), (2,)]),
    ("abcd,dcba->", [(2, 3, 2, 3), (3, 2, 3, 2)]), ("ab,bc,cd,de,ef->af", [(2, 3), (3, 2), (2, 4), (4, 2), (2, 3)]),
]


@pytest.mark.parametrize("expr,shapes", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum(expr, shapes):
    ops = [rand(*s) for s in shapes]
    got = mx.einsum(expr, *[mxa(o) for o in ops])
    close(got, np.einsum(expr.replace(" ", ""), *[rounded(o, mx.float32) for o in ops]))


def test_einsum_dtypes_and_errors():
    i = mx.array(np.arange(6).reshape(2, 3), mx.int32)
    assert mx.einsum("ij,ij->ij", i, i).dtype == mx.int32  # no contraction: multiply
    assert mx.einsum("ij->", i.astype(mx.int8)).dtype == mx.int32  # a sum
    r = mx.einsum("ij,ij,ij->ij", i, i, i)
    assert r.dtype == mx.int32 and np.array(r).tolist() == (np.arange(6) ** 3).reshape(2, 3).tolist()
    assert mx.einsum("ij,jk", i.astype(mx.float16), i.T.astype(mx.bfloat16)).dtype == mx.float32
    for bad in ["mx.einsum('ij,jk', i, i.T)", "mx.einsum('ij,ij->i', i, i)",
                "mx.einsum('ij,jk', mx.ones((2,3)), mx.ones((4,5)))",
                "mx.einsum('ij,jk->ik', mx.ones((2,3)), mx.ones((3,5)), mx.ones((3,)))",
                "mx.einsum('ij->ii', mx.ones((2,3)))", "mx.einsum('ij->j.', mx.ones((2,3)))",
                "mx.einsum('i1->i', mx.ones((2,3)))", "mx.einsum('', mx.ones((2,3)))",
                "mx.einsum('ii', mx.ones((3,4)))", "mx.einsum('i->i')",
                "mx.einsum('ijk,jk', mx.ones((2,3)), mx.ones((3,5)))"]:
        with pytest.raises(ValueError):
            eval(bad)


def test_einsum_path():
    # Reports read off MLX 0.32.4.
    p, s = mx.einsum_path("ij,jk,kl->il", mx.ones((2, 3)), mx.ones((3, 5)), mx.ones((5, 7)))
    assert p == [(1, 2), (0, 1)]
    assert s == ("  Complete contraction:  ij,jk,kl->il\n         Naive scaling:  4\n"
                 "     Optimized scaling:  3\n      Naive FLOP count:  630\n"
                 "  Optimized FLOP count:  294\n")
    p, s = mx.einsum_path("abc,bcd,de,ea->", mx.ones((2, 3, 4)), mx.ones((3, 4, 5)),
                          mx.ones((5, 6)), mx.ones((6, 2)))
    assert p == [(0, 1), (0, 1), (0, 1)] and "Naive FLOP count:  2880\n" in s
    assert "Optimized FLOP count:  380\n" in s
    assert mx.einsum_path("ij", mx.ones((2, 3)))[0] == [(0,)]
    assert mx.einsum_path("ij,ij,ij->ij", *[mx.ones((2, 3))] * 3)[0] == [(0, 1), (0, 1)]
    ops = [mx.ones(s) for s in [(3, 5, 3), (5, 3, 5), (3, 5, 6), (5, 6, 2)]]
    p, s = mx.einsum_path("ijk,jkl,klm,lmn->in", *ops)
    assert p == [(2, 3), (1, 2), (0, 1)]
    assert "Naive FLOP count:  10800\n  Optimized FLOP count:  840\n" in s
    sizes = dict(zip("fedcba", [3, 2, 4, 2, 3, 2]))
    ops = [mx.ones(tuple(sizes[c] for c in t)) for t in ["fe", "bc", "a", "d", "c"]]
    p, s = mx.einsum_path("fe,bc,a,d,c->fcd", *ops)
    assert len(p) == 4 and all(len(t) == 2 for t in p)
    p, s = mx.einsum_path("b,bde->deb", mx.ones((2,)), mx.ones((2, 4, 4)))
    assert "Naive FLOP count:  32\n" in s


def test_signatures():
    """The signatures MLX's docstrings show (nanobind functions have no
    inspect.Signature, so this runs only against cmlx)."""
    if REF:
        pytest.skip("nanobind functions have no inspect.Signature")
    sig = lambda f: str(inspect.signature(f))
    assert sig(mx.addmm) == "(c, a, b, /, alpha=1.0, beta=1.0, *, stream=None)"
    assert sig(mx.conv2d) == ("(input, weight, /, stride=1, padding=0, dilation=1, groups=1, *, "
                              "stream=None)")
    assert sig(mx.conv_general) == ("(input, weight, /, stride=1, padding=0, kernel_dilation=1, "
                                    "input_dilation=1, groups=1, flip=False, *, stream=None)")
    assert sig(mx.gather_mm) == ("(a, b, /, lhs_indices=None, rhs_indices=None, *, "
                                 "sorted_indices=False, stream=None)")
    assert sig(mx.hadamard_transform) == "(a, /, scale=None, *, stream=None)"
    assert sig(mx.einsum) == "(subscripts, *operands, stream=None)"
    assert sig(mx.einsum_path) == "(subscripts, *operands)"
    assert sig(mx.vecdot) == "(a, b, /, axis=-1, *, stream=None)"  # axis positional in MLX too
    assert sig(mx.kron) == "(a, b, *, stream=None)"
