"""The CPU sort's separate code paths: insertion sort (short lines), LSD
radix (medium lines) and the parallel top-digit split (lines of 2^16 and
more), at lengths around each threshold, with ties, NaN, -0.0 and
infinities, strided axes and every key width.  NumPy's stable argsort is
the reference: MLX 0.32.4's argsort agrees with it (checked: NaNs last in
input order, -0.0 and 0.0 tie in input order)."""
import numpy as np
import pytest

import mlx.core as mx

LENGTHS = [1, 2, 47, 48, 49, 50, 4095, 4096, 4097, 65535, 65536, 65537, 131073]


def check(x, axis=-1):
    # mx.array() turns float64 input into float32 unless told otherwise.
    a = mx.array(x, dtype=mx.float64) if x.dtype == np.float64 else mx.array(x)
    ref_idx = np.argsort(x, axis=axis, kind="stable")
    got_idx = np.array(mx.argsort(a, axis=axis))
    np.testing.assert_array_equal(got_idx, ref_idx)
    got = np.array(mx.sort(a, axis=axis))
    ref = np.take_along_axis(x, ref_idx, axis=axis)
    # Compare bit patterns so -0.0 / 0.0 and NaN payload order count.
    if x.dtype.kind == "f":
        assert got.tobytes() == ref.tobytes()
    else:
        np.testing.assert_array_equal(got, ref)


def special_floats(n, dtype, rng):
    x = rng.standard_normal(n).astype(dtype)
    pick = rng.integers(0, 10, n)
    x[pick == 0] = np.nan
    x[pick == 1] = -0.0
    x[pick == 2] = 0.0
    x[pick == 3] = np.inf
    x[pick == 4] = -np.inf
    return x


@pytest.mark.parametrize("n", LENGTHS)
def test_float32_lengths(n):
    rng = np.random.default_rng(n)
    check(rng.standard_normal(n).astype(np.float32))


@pytest.mark.parametrize("n", LENGTHS)
def test_float32_specials(n):
    check(special_floats(n, np.float32, np.random.default_rng(n + 1)))


@pytest.mark.parametrize("n", [49, 4097, 65536, 131073])
def test_ties(n):
    rng = np.random.default_rng(n)
    check(np.full(n, 1.5, np.float32))
    check(rng.integers(0, 3, n).astype(np.float32))
    check(rng.integers(-2, 2, n).astype(np.int32))
    # Keys that differ only in their low bits (constant top digit).
    check((np.float32(1000.0) + rng.integers(0, 50, n).astype(np.float32) / 64).astype(np.float32))


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
@pytest.mark.parametrize("n", [4097, 65537])
def test_other_float_specials(dtype, n):
    check(special_floats(n, dtype, np.random.default_rng(n + 2)))


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int32,
                                   np.uint32, np.int64, np.uint64, np.bool_])
@pytest.mark.parametrize("n", [49, 65537])
def test_int_types(dtype, n):
    rng = np.random.default_rng(n)
    if dtype == np.bool_:
        x = rng.integers(0, 2, n).astype(bool)
    else:
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    check(x)


def test_bfloat16_long_line():
    rng = np.random.default_rng(5)
    x = special_floats(65537, np.float32, rng)
    a = mx.array(x).astype(mx.bfloat16)
    ref = np.array(a.astype(mx.float32))  # bfloat16 values, exactly, as float32
    idx = np.argsort(ref, kind="stable")
    np.testing.assert_array_equal(np.array(mx.argsort(a)), idx)
    got = np.array(mx.sort(a).astype(mx.float32))
    assert got.tobytes() == ref[idx].tobytes()


def test_strided_long_axis():
    rng = np.random.default_rng(7)
    x = special_floats(70001 * 3, np.float32, rng).reshape(70001, 3)
    check(x, axis=0)
    check(x.T.copy(), axis=1)
    check(np.ascontiguousarray(x.T)[:, ::2], axis=1)


def test_many_long_lines():
    rng = np.random.default_rng(8)
    check(rng.standard_normal((3, 65536)).astype(np.float32))
    check(rng.standard_normal((1024, 4096)).astype(np.float32))


def test_complex_long_line():
    rng = np.random.default_rng(9)
    n = 65537
    re = rng.integers(-3, 3, n).astype(np.float32)
    im = rng.integers(-3, 3, n).astype(np.float32)
    x = (re + 1j * im).astype(np.complex64)
    got = np.array(mx.argsort(mx.array(x)))
    np.testing.assert_array_equal(got, np.argsort(x, kind="stable"))
    np.testing.assert_array_equal(np.array(mx.sort(mx.array(x))), np.sort(x, kind="stable"))
