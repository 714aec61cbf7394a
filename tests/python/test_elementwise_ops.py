"""The unary and binary families from Python: operators (with MLX's
reflected / in-place forms and errors), weak scalar typing, divmod, where,
clip, round with decimals, array methods and special values.  Expected
values are NumPy's (float64) or, where MLX differs from NumPy, what real MLX
0.32.4 printed for the same call (noted next to the case)."""

import math

import numpy as np
import pytest

import mlx.core as mx

nan, inf = float("nan"), float("inf")


def npy(a):
    return np.array(a.tolist())


# --- operators ------------------------------------------------------------


def test_arith_operators_match_numpy():
    x = np.array([7, -7, 5, -3, 0], dtype=np.int32)
    y = np.array([2, 2, -3, -3, 4], dtype=np.int32)
    a, b = mx.array(x), mx.array(y)
    assert np.array_equal(npy(a // b), x // y)
    assert np.array_equal(npy(a % b), x % y)
    assert np.array_equal(npy(a ** mx.array([1, 2, 3, 0, 1])), x ** np.array([1, 2, 3, 0, 1]))
    assert np.array_equal(npy(7 // b), 7 // y)  # reflected forms exist for // % **
    assert np.array_equal(npy(7 % b), 7 % y)
    assert np.array_equal(npy(2 ** mx.array([0, 3])), [1, 8])
    assert (a ** 2).dtype == mx.int32 and (a ** 0.5).dtype == mx.float32


def test_bitwise_operators():
    a = mx.array([12, -3, 1], dtype=mx.int32)
    assert (a & 10).tolist() == [8, 8, 0]
    assert (a | 1).tolist() == [13, -3, 1]
    assert (a ^ 5).tolist() == [9, -8, 4]
    assert (a << 2).tolist() == [48, -12, 4]
    assert (a >> 1).tolist() == [6, -2, 0]
    assert (~a).tolist() == [-13, 2, -2]
    assert (~mx.array([True, False])).tolist() == [False, True]
    # MLX has no reflected bitwise operators: 1 & a is a TypeError.
    with pytest.raises(TypeError):
        1 & a
    with pytest.raises(ValueError):
        a & 1.5
    with pytest.raises(ValueError):
        ~mx.array([1.0])


def test_comparison_operators():
    a = mx.array([1, 2, 3])
    assert (a == 2).tolist() == [False, True, False]
    assert (a != 2).tolist() == [True, False, True]
    assert (a < 2).tolist() == [True, False, False]
    assert (a <= 2).tolist() == [True, True, False]
    assert (2 < a).tolist() == [False, False, True]
    assert (a >= 2.5).tolist() == [False, False, True]
    # Non-operands: == is False, != True, orderings raise; None is a TypeError.
    assert (a == "x") is False and (a != [1, 2, 3]) is True
    with pytest.raises(ValueError):
        a < "x"
    with pytest.raises(TypeError):
        a == None  # noqa: E711
    assert hash(a) == hash(a)


def test_unary_operators():
    f = mx.array([1.5, -2.5])
    assert npy(-f).tolist() == [-1.5, 2.5]
    assert npy(abs(f)).tolist() == [1.5, 2.5]
    assert (+f).tolist() == [1.5, -2.5]
    assert (-mx.array([1], mx.uint8)).tolist() == [255]
    with pytest.raises(ValueError):
        -mx.array([True])


def test_inplace_operators_rebind():
    a = mx.array([5, 6]); b = a
    a //= 2
    assert a.tolist() == [2, 3] and b.tolist() == [2, 3]
    a = mx.array([5, 6]); a %= 4; assert a.tolist() == [1, 2]
    a = mx.array([2, 3]); a **= 2; assert a.tolist() == [4, 9]
    a = mx.array([6, 3]); a &= 2; assert a.tolist() == [2, 2]
    a = mx.array([6, 3]); a |= 1; assert a.tolist() == [7, 3]
    a = mx.array([6, 3]); a ^= 1; assert a.tolist() == [7, 2]
    a = mx.array([1, 2]); a <<= 3; assert a.tolist() == [8, 16]
    a = mx.array([8, 16]); a >>= 3; assert a.tolist() == [1, 2]


# --- weak typing and dtypes ---------------------------------------------------


def test_weak_scalars():
    h = mx.array([1.0], mx.float16)
    assert mx.maximum(h, 2.5).dtype == mx.float16
    assert mx.power(mx.array([2], mx.uint8), 3).dtype == mx.uint8
    assert mx.maximum(mx.array([1]), 2.5).dtype == mx.float32
    with pytest.raises(ValueError):
        mx.equal(mx.array([1], mx.uint8), 300)  # MLX: overflow converting 300 to uint8
    assert mx.where(mx.array([True, False]), 1, mx.array([1, 2], mx.float16)).dtype == mx.float16
    assert mx.where(mx.array([True, False]), mx.array([1], mx.uint8),
                    mx.array([1], mx.int8)).dtype == mx.int16
    assert mx.left_shift(mx.array([True]), mx.array([True])).dtype == mx.uint8


@pytest.mark.parametrize("name", ["sqrt", "exp", "sin", "log1p", "erf", "sigmoid", "arctan"])
def test_int_inputs_promote_to_float32(name):
    r = getattr(mx, name)(mx.array([1, 2], mx.int16))
    assert r.dtype == mx.float32


def test_rejections():
    with pytest.raises(RuntimeError):
        mx.bitwise_and(mx.array([1.0]), mx.array([1.0]))
    with pytest.raises(ValueError):
        mx.remainder(mx.array([1j]), mx.array([1j]))
    with pytest.raises(ValueError):
        mx.divmod(mx.array([1j]), mx.array([1j]))
    with pytest.raises(ValueError):
        mx.ceil(mx.array([1j]))
    with pytest.raises(ValueError):
        mx.nan_to_num(mx.array([1.0], mx.float64))
    with pytest.raises(ValueError):
        mx.add(mx.zeros((2, 3)), mx.zeros((4, 3)))
    with pytest.raises(ValueError):
        mx.abs([1, 2])  # lists are not arrays here, as in MLX


# --- divmod, where, clip, round ---------------------------------------------


def test_divmod_matches_numpy():
    x = np.array([7.5, -7.5, 3.0, -0.5], np.float32)
    y = np.array([2.0, 2.0, -4.0, 3.0], np.float32)
    q, r = mx.divmod(mx.array(x), mx.array(y))
    qn, rn = np.divmod(x.astype(np.float64), y.astype(np.float64))
    assert np.allclose(npy(q), qn) and np.allclose(npy(r), rn)
    qi, ri = mx.divmod(mx.array([7, -7, 9]), mx.array([2, 2, -4]))
    assert qi.tolist() == [3, -4, -3] and ri.tolist() == [1, 1, -3]


def test_where_and_clip():
    c = mx.array([True, False, True])
    assert mx.where(c, mx.array([1, 2, 3]), 0).tolist() == [1, 0, 3]
    assert mx.where(c, 1.5, mx.array([1, 2, 3])).tolist() == [1.5, 2.0, 1.5]
    x = mx.array([[1.0, -5.0, 9.0]])
    assert mx.where(mx.array([[True], [False]]), x, -x).shape == (2, 3)
    assert mx.clip(mx.array([1, 5, 9]), 2, 7).tolist() == [2, 5, 7]
    assert mx.clip(mx.array([1, 5, 9]), None, 7).tolist() == [1, 5, 7]
    assert mx.clip(mx.array([1, 5, 9]), 2.5, 7).dtype == mx.float32
    r = mx.clip(mx.array([nan, 1.0]), 0, 0.5).tolist()
    assert math.isnan(r[0]) and r[1] == 0.5
    with pytest.raises(ValueError):
        mx.clip(mx.array([1]), None, None)
    with pytest.raises(ValueError):
        mx.clip(mx.array([1], mx.uint8), None, 300)


def test_round():
    assert mx.round(mx.array([0.5, 1.5, 2.5, -0.5])).tolist() == [0.0, 2.0, 2.0, -0.0]
    # MLX 0.32.4: round(15, -1) == 20, round(25, -1) == 20 (half to even).
    assert mx.round(mx.array([15, 25, -15]), -1).tolist() == [20, 20, -20]
    assert abs(mx.round(mx.array([2.675]), 2).item() - 2.68) < 1e-6  # MLX gives 2.68
    a = mx.array([1.26, -3.14159])
    assert np.allclose(npy(a.round(1)), [1.3, -3.1]) and a.round(decimals=2).dtype == mx.float32


# --- special values -----------------------------------------------------------


def test_special_values():
    x = mx.array([nan, inf, -inf, -0.0, 0.0, 1.0])
    assert mx.isnan(x).tolist() == [True, False, False, False, False, False]
    assert mx.isinf(x).tolist() == [False, True, True, False, False, False]
    assert mx.isfinite(x).tolist() == [False, False, False, True, True, True]
    assert mx.isposinf(x).tolist() == [False, True, False, False, False, False]
    assert mx.isneginf(x).tolist() == [False, False, True, False, False, False]
    assert mx.nan_to_num(x).tolist()[:3] == [0.0, np.finfo(np.float32).max, -np.finfo(np.float32).max]
    assert mx.sign(mx.array([nan, -0.0, -3.0])).tolist() == [0.0, 0.0, -1.0]  # MLX: sign(nan) = 0
    m = mx.maximum(mx.array([nan, 1.0]), mx.array([1.0, nan])).tolist()
    assert all(math.isnan(v) for v in m)
    assert mx.logaddexp(mx.array([-inf, inf]), mx.array([-inf, inf])).tolist() == [-inf, inf]
    assert np.allclose(npy(mx.arctan2(mx.array([0.0, -0.0]), mx.array([-0.0, -0.0]))),
                       [math.pi, -math.pi])
    e = mx.erfinv(mx.array([-1.0, 1.0, 2.0])).tolist()
    assert e[0] == -inf and e[1] == inf and math.isnan(e[2])
    assert mx.sqrt(mx.array([-0.0])).tolist()[0] == 0.0 and \
        math.copysign(1, mx.sqrt(mx.array([-0.0])).item()) == -1


def test_integer_wrapping():
    assert mx.abs(mx.array([-128], mx.int8)).tolist() == [-128]
    assert mx.square(mx.array([200], mx.uint8)).tolist() == [64]
    assert mx.power(mx.array([3], mx.int32), mx.array([40], mx.int32)).tolist() == [689956897]
    assert mx.power(mx.array([1, -1], mx.int32), -3).tolist() == [0, 0]  # MLX: negative exponent -> 0
    assert mx.floor_divide(mx.array([-128], mx.int8), mx.array([-1], mx.int8)).tolist() == [-128]
    assert mx.floor_divide(mx.array([5]), mx.array([0])).tolist() == [0]
    assert mx.remainder(mx.array([5]), mx.array([0])).tolist() == [5]
    assert mx.left_shift(mx.array([1], mx.uint8), mx.array([9], mx.uint8)).tolist() == [0]
    assert mx.right_shift(mx.array([-8, 8]), mx.array([40, 33])).tolist() == [-1, 4]


def test_methods_and_properties():
    a = mx.array([0.25, 4.0])
    for m in ["abs", "cos", "exp", "log", "log10", "log1p", "log2", "reciprocal", "rsqrt",
              "sin", "sqrt", "square"]:
        ref = {"abs": np.abs, "cos": np.cos, "exp": np.exp, "log": np.log, "log10": np.log10,
               "log1p": np.log1p, "log2": np.log2, "reciprocal": lambda v: 1 / v,
               "rsqrt": lambda v: 1 / np.sqrt(v), "sin": np.sin, "sqrt": np.sqrt,
               "square": np.square}[m](np.array([0.25, 4.0]))
        assert np.allclose(npy(getattr(a, m)()), ref, rtol=1e-6), m
    z = mx.array([1 + 2j])
    assert z.conj().tolist() == [1 - 2j] and z.real.tolist() == [1.0] and z.imag.tolist() == [2.0]


def test_views_and_broadcast():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7 - 1
    a = mx.array(x)
    assert np.allclose(npy(mx.exp(a.transpose(2, 0, 1))), np.exp(x.transpose(2, 0, 1)), rtol=1e-6)
    assert np.allclose(npy(mx.tanh(a[:, ::2, 1::2])), np.tanh(x[:, ::2, 1::2]), rtol=1e-6)
    y = np.linspace(-1, 1, 4).astype(np.float32)
    assert np.array_equal(npy(mx.maximum(a, mx.array(y))), np.maximum(x, y))
    assert np.array_equal(npy(mx.less(a.transpose(1, 0, 2), 0)), x.transpose(1, 0, 2) < 0)
    big = np.random.default_rng(0).standard_normal(100003).astype(np.float32)
    assert np.allclose(npy(mx.sin(mx.array(big))), np.sin(big), rtol=2e-6, atol=1e-6)
