"""The first op family through the Python API: arithmetic with MLX's
weak-scalar typing, sum, reshape/transpose/broadcast_to, creation functions,
matmul, eval/async_eval and the stream= keyword.

Values are checked against NumPy computed in float64; dtypes, signatures and
exception types were checked by running MLX 0.32.4 (/opt/mlxref), and the
suite passes against it (CMLX_TEST_REFERENCE=1)."""

import numpy as np
import pytest

import mlx.core as mx

ALL = [mx.bool_, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32,
       mx.int64, mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64]
NP = {mx.bool_: np.bool_, mx.uint8: np.uint8, mx.uint16: np.uint16, mx.uint32: np.uint32,
      mx.uint64: np.uint64, mx.int8: np.int8, mx.int16: np.int16, mx.int32: np.int32,
      mx.int64: np.int64, mx.float16: np.float16, mx.float32: np.float32,
      mx.float64: np.float64, mx.complex64: np.complex64}
# MLX has no float64 on the GPU (ops raise ValueError there), so float64
# cases run only when the default device is the CPU.
F64 = mx.default_device() != mx.gpu
if not F64:
    ALL.remove(mx.float64)
TOL = {mx.float16: 1e-3, mx.bfloat16: 1e-2, mx.float32: 1e-6, mx.complex64: 1e-6}


def to_np(a):
    """An mx array as float64 (or complex128) NumPy, through tolist()."""
    v = np.array(a.tolist()).reshape(a.shape)
    return v.astype(np.complex128 if a.dtype == mx.complex64 else np.float64)


def check(got, want, dtype):
    tol = TOL.get(dtype, 0)
    np.testing.assert_allclose(to_np(got), want, rtol=tol, atol=tol)


def name(d):
    return str(d).split(".")[-1]


# --- arithmetic -----------------------------------------------------------------

@pytest.mark.parametrize("d", [d for d in ALL if d != mx.bool_], ids=name)
@pytest.mark.parametrize("op", ["add", "subtract", "multiply"])
def test_binary_same_dtype(d, op):
    rng = np.random.default_rng(1)
    a64 = rng.integers(0, 10, size=(3, 5)).astype(np.float64)
    b64 = rng.integers(0, 10, size=(3, 5)).astype(np.float64)
    if op == "subtract" and d in (mx.uint8, mx.uint16, mx.uint32, mx.uint64):
        a64 = a64 + 10  # keep unsigned results representable
    a, b = mx.array(a64, d), mx.array(b64, d)
    r = getattr(mx, op)(a, b)
    assert r.dtype == d
    check(r, getattr(np, op)(a64, b64), d)


@pytest.mark.parametrize("d", [d for d in ALL if d != mx.bool_], ids=name)
def test_divide(d):
    a64 = np.array([[1.0, 2, 3], [4, 5, 6]])
    b64 = np.array([2.0, 4, 8])
    r = mx.divide(mx.array(a64, d), mx.array(b64, d))
    # Integer division is true division in float32, as in MLX.
    want = d if d in (mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64) else mx.float32
    assert r.dtype == want
    check(r, a64 / b64, want)


def test_broadcasting_and_operators():
    rng = np.random.default_rng(2)
    a64 = rng.standard_normal((4, 1, 3))
    b64 = rng.standard_normal((5, 1))
    a, b = mx.array(a64), mx.array(b64)
    check(a + b, a64 + b64, mx.float32)
    check(a - b, a64 - b64, mx.float32)
    check(a * b, a64 * b64, mx.float32)
    check(a / b, a64 / b64, mx.float32)
    check(-a, -a64, mx.float32)
    check(2 - a, 2 - a64, mx.float32)
    check(1 / b, 1 / b64, mx.float32)
    assert (a + b).shape == (4, 5, 3)


def test_promotion_between_arrays():
    assert (mx.array(1.5) + mx.array(2, mx.int64)).dtype == mx.float32
    assert (mx.array(1, mx.bool_) + mx.array(1, mx.bool_)).dtype == mx.bool_
    assert (mx.array([1], mx.uint8) + mx.array([1], mx.int8)).dtype == mx.int16
    assert (mx.array([1], mx.float16) + mx.array([1], mx.bfloat16)).dtype == mx.float32
    if F64:
        assert (mx.array([1], mx.float64) * 2).dtype == mx.float64
    assert mx.array([1 + 1j]) / 2 is not None


# Result dtype of `array([1], d) + s` and `s + array([1], d)` for Python
# scalars s in (True, 1, -1, 1.5, 1j, 2**40): exactly MLX 0.32's table, with
# "V" where MLX raises ValueError (the int does not fit).
WEAK = {
    mx.bool_: ["bool", "int32", "int32", "float32", "complex64", "int32"],
    mx.uint8: ["uint8", "uint8", "V", "float32", "complex64", "V"],
    mx.uint32: ["uint32", "uint32", "V", "float32", "complex64", "V"],
    mx.uint64: ["uint64", "uint64", "uint64", "float32", "complex64", "uint64"],
    mx.int8: ["int8", "int8", "int8", "float32", "complex64", "V"],
    mx.int32: ["int32", "int32", "int32", "float32", "complex64", "V"],
    mx.int64: ["int64", "int64", "int64", "float32", "complex64", "int64"],
    mx.float16: ["float16", "float16", "float16", "float16", "complex64", "float16"],
    mx.bfloat16: ["bfloat16", "bfloat16", "bfloat16", "bfloat16", "complex64", "bfloat16"],
    mx.float32: ["float32"] * 4 + ["complex64", "float32"],
    mx.float64: ["float64"] * 4 + ["complex64", "float64"],
    mx.complex64: ["complex64"] * 6,
}
if not F64:
    del WEAK[mx.float64]


@pytest.mark.parametrize("d", list(WEAK), ids=name)
def test_weak_scalars(d):
    for s, want in zip([True, 1, -1, 1.5, 1j, 2**40], WEAK[d]):
        for f in (lambda: mx.array([1], d) + s, lambda: s + mx.array([1], d)):
            if want == "V":
                with pytest.raises(ValueError, match="would result in overflow"):
                    f()
            else:
                assert name(f().dtype) == want, (d, s)


def test_weak_scalar_values():
    assert (mx.array([1], mx.float16) + 1.5).tolist() == [2.5]
    assert (mx.array([1], mx.float16) + 1e10).tolist() == [float("inf")]
    assert (mx.array([1, 2], mx.int8) / 2).dtype == mx.float32
    assert (mx.array([True]) * False).tolist() == [False]
    with pytest.raises(ValueError, match="Converting 128 to int8 would result in overflow."):
        mx.array([1], mx.int8) + 128
    with pytest.raises(ValueError, match="Converting -1 to uint8"):
        mx.array([1], mx.uint8) + -1
    assert (mx.array([0], mx.uint32) - 1).tolist() == [4294967295]


def test_functions_with_scalars():
    assert mx.add(1, 2).tolist() == 3 and mx.add(1, 2).dtype == mx.int32
    assert mx.add(1, 2.5).dtype == mx.float32
    assert mx.add(1.5, True).dtype == mx.float32
    assert mx.add(True, True).dtype == mx.bool_
    assert mx.add(1j, 1).dtype == mx.complex64
    # NumPy operands take the other array's dtype (MLX converts them so).
    a = mx.array([1, 2])
    assert mx.add(a, np.array([1.5, 2])).tolist() == [2, 4]
    assert (a + np.float32(1.5)).dtype == mx.int32
    assert (a * np.int64(3)).tolist() == [3, 6]
    assert (a + np.float64(2.5)).dtype == mx.float32  # np.float64 is a Python float
    # Neither side an mx.array: both are converted with their own dtypes.
    assert mx.add(np.array([1, 2], np.int8), 1).dtype == mx.int32
    assert mx.add(np.array([1.5, 2]), 1).dtype == mx.float32


def test_negative():
    assert (-mx.array([1, 2])).tolist() == [-1, -2]
    x = -mx.array([1, 2], mx.uint32)
    assert x.dtype == mx.uint32 and x.tolist() == [4294967295, 4294967294]
    assert (-mx.array([1.5], mx.float16)).dtype == mx.float16
    assert (-mx.array([1 + 2j])).tolist() == [-1 - 2j]
    with pytest.raises(ValueError, match="Not supported for bool"):
        -mx.array([True])


def test_bad_operands():
    a = mx.array([1, 2])
    with pytest.raises(ValueError, match="Cannot perform addition on an mlx.core.array and str"):
        a + "x"
    with pytest.raises(ValueError, match="Cannot perform subtraction"):
        "x" - a
    with pytest.raises(ValueError, match="Cannot perform multiplication on an mlx.core.array and list"):
        a * [1, 2]
    with pytest.raises(TypeError):
        a + None
    with pytest.raises(TypeError):
        a @ 1
    with pytest.raises(TypeError):
        a @ [1, 2]
    with pytest.raises(ValueError, match="Invalid type list"):
        mx.add(a, [1, 2])
    with pytest.raises(ValueError, match="Invalid type str"):
        mx.add(a, "x")
    with pytest.raises(TypeError):
        mx.add(a, None)
    with pytest.raises(TypeError):
        mx.add(a=1, b=2)
    with pytest.raises(TypeError):
        mx.add(1, 2, mx.cpu)  # stream is keyword-only
    with pytest.raises(ValueError):
        mx.array([1, 2]) + mx.array([1, 2, 3])


# --- sum ---------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), [1], (), (0, 1, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_axes(axis, keepdims):
    rng = np.random.default_rng(3)
    x64 = rng.standard_normal((3, 4, 5))
    x = mx.array(x64)
    want = np.sum(x64, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims)
    got = mx.sum(x, axis=axis, keepdims=keepdims)
    assert got.shape == np.shape(want)
    check(got, want, mx.float32)
    check(x.sum(axis, keepdims), want, mx.float32)


def test_sum_dtypes():
    # Accumulation dtypes as MLX: small ints go to int32/uint32, bool to int32.
    assert mx.sum(mx.array([True, True])).dtype == mx.int32
    assert mx.sum(mx.array([1, 2], mx.uint8)).dtype == mx.uint32
    assert mx.sum(mx.array([1, 2], mx.uint16)).dtype == mx.uint32
    assert mx.sum(mx.array([1, 2], mx.int8)).dtype == mx.int32
    assert mx.sum(mx.array([1, 2], mx.int16)).dtype == mx.int32
    assert mx.sum(mx.array([1, 2], mx.uint64)).dtype == mx.uint64
    assert mx.sum(mx.array([1, 2], mx.float16)).dtype == mx.float16
    assert mx.sum(mx.array([1, 2], mx.bfloat16)).dtype == mx.bfloat16
    if F64:
        assert mx.sum(mx.array([1, 2], mx.float64)).dtype == mx.float64
    assert mx.sum(mx.array([1, 2], mx.complex64)).item() == 3 + 0j
    assert mx.sum(mx.array([[1, 2]]), None, True).tolist() == [[3]]


def test_sum_errors():
    with pytest.raises(TypeError):
        mx.sum([1, 2])
    with pytest.raises(TypeError):
        mx.sum(a=mx.array([1, 2]))
    with pytest.raises(TypeError):
        mx.sum(mx.array([1, 2]), axis=1.0)
    with pytest.raises(TypeError):
        mx.sum(mx.array([[1, 2]]), keepdims=1)
    with pytest.raises(ValueError, match="Duplicate axes"):
        mx.sum(mx.array([1, 2]), axis=(0, 0))
    # MLX raises IndexError for an axis out of range.
    with pytest.raises((IndexError, ValueError)):
        mx.sum(mx.array([1, 2]), axis=2)


# --- shapes ---------------------------------------------------------------------------

def test_reshape():
    x64 = np.arange(24.0).reshape(2, 3, 4)
    x = mx.array(x64)
    for shape in [(6, 4), (24,), (-1, 2), (2, -1, 3), (4, 3, 2)]:
        check(mx.reshape(x, shape), x64.reshape(shape), mx.float32)
    check(x.reshape(4, 6), x64.reshape(4, 6), mx.float32)
    check(x.reshape((4, 6)), x64.reshape(4, 6), mx.float32)
    check(x.reshape([4, 6]), x64.reshape(4, 6), mx.float32)
    check(x.reshape(-1), x64.reshape(-1), mx.float32)
    check(mx.reshape(x, shape=[24]), x64.reshape(24), mx.float32)
    assert mx.reshape(mx.array(5), (1, 1)).shape == (1, 1)
    with pytest.raises(ValueError, match="Cannot reshape array of size 2 into shape"):
        mx.reshape(mx.array([1, 2]), (3,))
    with pytest.raises(ValueError, match="infer one dimension"):
        mx.reshape(mx.array([1, 2]), (1, -1, -1))
    with pytest.raises(TypeError):
        mx.reshape(mx.array([1, 2]), 2)


def test_transpose():
    x64 = np.arange(24.0).reshape(2, 3, 4)
    x = mx.array(x64)
    check(mx.transpose(x), x64.T, mx.float32)
    check(mx.transpose(x, (1, 0, 2)), x64.transpose(1, 0, 2), mx.float32)
    check(mx.transpose(x, axes=[2, 0, 1]), x64.transpose(2, 0, 1), mx.float32)
    check(mx.transpose(x, (-1, 0, 1)), x64.transpose(2, 0, 1), mx.float32)
    check(x.transpose(1, 2, 0), x64.transpose(1, 2, 0), mx.float32)
    check(x.transpose((1, 2, 0)), x64.transpose(1, 2, 0), mx.float32)
    check(x.transpose(), x64.T, mx.float32)
    check(x.T, x64.T, mx.float32)
    assert mx.array(1).T.shape == ()
    # A transposed view feeds the next op correctly.
    check(x.T + 1, x64.T + 1, mx.float32)
    with pytest.raises(ValueError, match="Repeat axes"):
        mx.transpose(mx.array([[1, 2], [3, 4]]), (0, 0))
    with pytest.raises(ValueError, match="Received 1 axes"):
        mx.transpose(mx.array([[1, 2], [3, 4]]), (0,))
    with pytest.raises((IndexError, ValueError)):
        mx.transpose(mx.array([[1, 2], [3, 4]]), (1, 2))


def test_broadcast_to():
    check(mx.broadcast_to(mx.array([1, 2]), (3, 2)), np.broadcast_to([1.0, 2.0], (3, 2)), mx.int32)
    x = mx.broadcast_to(1.5, (2,))
    assert x.dtype == mx.float32 and x.tolist() == [1.5, 1.5]
    assert mx.broadcast_to(np.array([1, 2]), (2, 2)).dtype == mx.int64
    with pytest.raises(ValueError, match="cannot be broadcast"):
        mx.broadcast_to(mx.array([1, 2]), (3,))
    with pytest.raises(ValueError, match="Invalid type list"):
        mx.broadcast_to([1, 2], (2, 2))


def test_astype():
    x = mx.array([1.7, -2.2, 3.0])
    assert x.astype(mx.int32).tolist() == [1, -2, 3]
    assert x.astype(dtype=mx.float16).dtype == mx.float16
    assert x.astype(mx.bool_).tolist() == [True, True, True]
    assert x.astype(mx.complex64).tolist() == [1.7000000476837158 + 0j, -2.200000047683716 + 0j, 3 + 0j]
    with pytest.raises(TypeError):
        x.astype(np.float16)
    with pytest.raises(TypeError):
        x.astype("float16")


# --- creation ---------------------------------------------------------------------------

def test_zeros_ones_full():
    assert mx.zeros(3).tolist() == [0.0, 0.0, 0.0] and mx.zeros(3).dtype == mx.float32
    assert mx.zeros((2, 2), mx.int32).dtype == mx.int32
    assert mx.zeros([2], dtype=None).dtype == mx.float32
    assert mx.zeros(shape=(1,)).shape == (1,)
    assert mx.ones((2,)).tolist() == [1.0, 1.0]
    assert mx.ones((2, 3), mx.bool_).tolist() == [[True] * 3] * 2
    assert mx.full((2,), 3).dtype == mx.int32
    assert mx.full((2,), 3.5).tolist() == [3.5, 3.5]
    assert mx.full((2,), True).dtype == mx.bool_
    assert mx.full((2,), 3, mx.float32).tolist() == [3.0, 3.0]
    assert mx.full((2, 2), mx.array([1, 2])).tolist() == [[1, 2], [1, 2]]
    assert mx.zeros_like(mx.array([1, 2])).tolist() == [0, 0]
    assert mx.zeros_like(mx.array([1, 2]), mx.float16).dtype == mx.float16
    assert mx.ones_like(mx.array([1, 2]), dtype=mx.bool_).tolist() == [True, True]
    assert mx.ones_like(mx.array([[1.5]])).dtype == mx.float32
    with pytest.raises(ValueError, match="Negative dimensions"):
        mx.zeros(-1)
    with pytest.raises(ValueError):
        mx.full((2, 2), mx.array([1, 2, 3]))
    with pytest.raises(ValueError, match="Invalid type list"):
        mx.full(2, [1, 2])
    with pytest.raises(TypeError):
        mx.ones_like([1, 2])
    with pytest.raises(TypeError):
        mx.zeros((2,), "x")
    with pytest.raises(OverflowError):
        mx.zeros((2**31,))


def test_arange():
    def same(a, want, dtype):
        assert a.dtype == dtype
        np.testing.assert_allclose(to_np(a), np.asarray(want, np.float64))

    same(mx.arange(5), np.arange(5), mx.int32)
    same(mx.arange(0.5), [0.0], mx.float32)
    same(mx.arange(1, 5), np.arange(1, 5), mx.int32)
    same(mx.arange(1, 5, 2), [1, 3], mx.int32)
    same(mx.arange(1, 5, 0.5), np.arange(1, 5, 0.5), mx.float32)
    same(mx.arange(5, dtype=mx.float16), np.arange(5), mx.float16)
    same(mx.arange(0, 5, 1, mx.int64), np.arange(5), mx.int64)
    same(mx.arange(start=1, stop=3), [1, 2], mx.int32)
    same(mx.arange(stop=3), [0, 1, 2], mx.int32)
    same(mx.arange(5, step=2), [0, 2, 4], mx.int32)
    same(mx.arange(5, 0), [], mx.int32)
    same(mx.arange(5, 0, -1), [5, 4, 3, 2, 1], mx.int32)
    same(mx.arange(-1.5, 1.0, 0.25), np.arange(-1.5, 1.0, 0.25), mx.float32)
    with pytest.raises(ValueError, match="step must be nonzero"):
        mx.arange(0, 5, 0)
    with pytest.raises(ValueError, match="bool not supported"):
        mx.arange(True)
    with pytest.raises(TypeError):
        mx.arange(mx.array(3))


# --- matmul -------------------------------------------------------------------------------

@pytest.mark.parametrize("sa,sb", [((4, 6), (6, 5)), ((6,), (6, 3)), ((4, 6), (6,)), ((6,), (6,)),
                                   ((2, 1, 4, 6), (3, 6, 5)), ((1, 1), (1, 1)), ((0, 3), (3, 2))])
def test_matmul(sa, sb):
    rng = np.random.default_rng(4)
    a64, b64 = rng.standard_normal(sa), rng.standard_normal(sb)
    a, b = mx.array(a64), mx.array(b64)
    want = a64 @ b64
    got = mx.matmul(a, b)
    assert got.shape == np.shape(want)
    # On the GPU float32 products may use TF32 tensor cores, as MLX's CUDA
    # backend does by default (MLX_ENABLE_TF32).
    tol = 1e-5 if F64 else 1e-2
    np.testing.assert_allclose(to_np(got), want, rtol=tol, atol=tol)
    np.testing.assert_allclose(to_np(a @ b), want, rtol=tol, atol=tol)


def test_matmul_errors():
    with pytest.raises(ValueError, match="Last dimension of first input"):
        mx.array([[1.0, 2]]) @ mx.array([[1, 2]])
    with pytest.raises(ValueError, match="0 dimension"):
        mx.matmul(mx.array([1.0, 2]), mx.array(1.0))
    with pytest.raises(TypeError):
        mx.matmul([1.0, 2], [1.0, 2])


# --- eval, async_eval, streams ------------------------------------------------------------------

def test_eval_nested_structures():
    a, b, c, d = mx.array(1) + 1, mx.array(2) + 1, mx.array(3) + 1, mx.array(4) + 1
    assert mx.eval(a, [b, (c,)], {"k": d}) is None
    assert [x.item() for x in (a, b, c, d)] == [2, 3, 4, 5]
    for junk in (1, [1], "s", None, {"a": 1}):
        assert mx.eval(junk) is None
    assert mx.eval() is None
    e = mx.ones((64, 64)) @ mx.ones((64, 64))
    assert mx.async_eval(e) is None
    assert e.sum().item() == 64.0 * 64 * 64


def test_stream_keyword():
    s = mx.new_stream(mx.cpu)
    streams = [None, s, mx.cpu, mx.Device(mx.cpu), mx.default_stream(mx.cpu)]
    if mx.is_available(mx.gpu):
        streams += [mx.gpu, mx.new_stream(mx.gpu)]
    for st in streams:
        assert mx.add(1, 2, stream=st).item() == 3
        assert mx.sum(mx.array([1, 2]), stream=st).item() == 3
        assert mx.zeros((2,), stream=st).tolist() == [0.0, 0.0]
        assert mx.arange(3, stream=st).tolist() == [0, 1, 2]
        assert mx.array([1.5]).astype(mx.int32, stream=st).tolist() == [1]
        assert mx.array([[1, 2]]).reshape(2, stream=st).tolist() == [1, 2]
        assert mx.array([[1, 2]]).transpose(stream=st).shape == (2, 1)
        assert mx.array([[1, 2]]).sum(1, stream=st).tolist() == [3]


# --- signatures ---------------------------------------------------------------------------

@pytest.mark.skipif(bool(__import__("os").environ.get("CMLX_TEST_REFERENCE")),
                    reason="MLX's functions do not support inspect.signature")
def test_signatures_follow_mlx_docs():
    # The parameter lists of MLX 0.32's documented signatures (its docstrings).
    import inspect
    want = {
        "add": "(a, b, /, *, stream=None)",
        "sum": "(a, /, axis=None, keepdims=False, *, stream=None)",
        "reshape": "(a, /, shape, *, stream=None)",
        "transpose": "(a, /, axes=None, *, stream=None)",
        "matmul": "(a, b, /, *, stream=None)",
        "zeros": "(shape, dtype=mlx.core.float32, *, stream=None)",
        "full": "(shape, vals, dtype=None, *, stream=None)",
        "broadcast_to": "(a, /, shape, *, stream=None)",
        "zeros_like": "(a, /, dtype=None, *, stream=None)",
    }
    for fn, sig in want.items():
        assert str(inspect.signature(getattr(mx, fn))) == sig, fn
    assert str(inspect.signature(mx.array([1]).sum)) == "(axis=None, keepdims=False, *, stream=None)"
    assert mx.sum.__name__ == "sum" and mx.sum.__module__ == "mlx.core"
