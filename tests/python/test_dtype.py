"""Dtype objects, DtypeCategory, issubdtype, finfo and iinfo.

Every expected value here was checked by running MLX 0.32.4 (the reference
install at /opt/mlxref)."""

import math

import pytest

import mlx.core as mx

# name, Dtype, size in bytes, hash (MLX hashes a Dtype to its enum value).
DTYPES = [
    ("bool", mx.bool_, 1, 0),
    ("uint8", mx.uint8, 1, 1),
    ("uint16", mx.uint16, 2, 2),
    ("uint32", mx.uint32, 4, 3),
    ("uint64", mx.uint64, 8, 4),
    ("int8", mx.int8, 1, 5),
    ("int16", mx.int16, 2, 6),
    ("int32", mx.int32, 4, 7),
    ("int64", mx.int64, 8, 8),
    ("float16", mx.float16, 2, 9),
    ("float32", mx.float32, 4, 10),
    ("float64", mx.float64, 8, 11),
    ("bfloat16", mx.bfloat16, 2, 12),
    ("complex64", mx.complex64, 8, 13),
]


@pytest.mark.parametrize("name,dt,size,h", DTYPES)
def test_dtype_basics(name, dt, size, h):
    assert isinstance(dt, mx.Dtype)
    assert repr(dt) == f"mlx.core.{name}"
    assert str(dt) == f"mlx.core.{name}"
    assert dt.size == size
    assert hash(dt) == h
    assert dt == dt
    assert {dt: 1}[dt] == 1


def test_dtype_comparisons():
    assert mx.float32 != mx.int32
    assert not (mx.float32 == "float32")
    with pytest.raises(TypeError):
        mx.float32 < mx.int32
    with pytest.raises(TypeError):
        mx.Dtype()


def test_array_itemsize_matches_dtype():
    for _, dt, size, _ in DTYPES:
        # Leaves need no kernel, so float64 works on any default device.
        assert mx.array([0, 1, 2], dt).itemsize == size
        assert mx.zeros((3,), dt, stream=mx.cpu).itemsize == size


def test_categories():
    members = [(k, v.value) for k, v in mx.DtypeCategory.__members__.items()]
    assert members == [
        ("complexfloating", 0),
        ("floating", 1),
        ("inexact", 2),
        ("signedinteger", 3),
        ("unsignedinteger", 4),
        ("integer", 5),
        ("number", 6),
        ("generic", 7),
    ]
    assert repr(mx.floating) == "DtypeCategory.floating"
    assert str(mx.floating) == "DtypeCategory.floating"
    assert mx.floating is mx.DtypeCategory.floating


def test_issubdtype_table():
    c = mx.DtypeCategory
    rows = [mx.float32, mx.int8, mx.uint8, mx.bool_, mx.complex64,
            c.floating, c.integer, c.generic, c.number, c.inexact]
    cols = [mx.float32, mx.int8, c.floating, c.complexfloating, c.inexact,
            c.signedinteger, c.unsignedinteger, c.integer, c.number, c.generic]
    T, F = True, False
    expected = [
        [T, F, T, F, T, F, F, F, T, T],  # float32
        [F, T, F, F, F, T, F, T, T, T],  # int8
        [F, F, F, F, F, F, T, T, T, T],  # uint8
        [F, F, F, F, F, F, F, F, F, T],  # bool
        [F, F, F, T, T, F, F, F, T, T],  # complex64
        [F, F, T, F, T, F, F, F, T, T],  # floating
        [F, F, F, F, F, F, F, T, T, T],  # integer
        [F, F, F, F, F, F, F, F, F, T],  # generic
        [F, F, F, F, F, F, F, F, T, T],  # number
        [F, F, F, F, T, F, F, F, T, T],  # inexact
    ]
    got = [[mx.issubdtype(a, b) for b in cols] for a in rows]
    assert got == expected


def test_finfo_values():
    f = mx.finfo(mx.float32)
    assert (f.min, f.max, f.eps, f.bits, f.smallest_normal) == (
        -3.4028234663852886e38, 3.4028234663852886e38, 1.1920928955078125e-07, 32,
        1.1754943508222875e-38)
    assert f.dtype == mx.float32
    f = mx.finfo(mx.float16)
    assert (f.min, f.max, f.eps, f.bits, f.smallest_normal) == (
        -65504.0, 65504.0, 0.0009765625, 16, 6.103515625e-05)
    f = mx.finfo(mx.bfloat16)
    assert (f.min, f.max, f.eps, f.bits, f.smallest_normal) == (
        -3.3895313892515355e38, 3.3895313892515355e38, 0.0078125, 16, 1.1754943508222875e-38)
    f = mx.finfo(mx.float64)
    assert (f.min, f.max, f.eps, f.bits, f.smallest_normal) == (
        -1.7976931348623157e308, 1.7976931348623157e308, 2.220446049250313e-16, 64,
        2.2250738585072014e-308)
    # A complex type reports its component type.
    f = mx.finfo(mx.complex64)
    assert f.dtype == mx.float32 and f.bits == 32


def test_finfo_iinfo_repr():
    assert repr(mx.finfo(mx.float32)) == "finfo(min=-3.40282e+38, max=3.40282e+38, dtype=float32)"
    assert repr(mx.finfo(mx.float16)) == "finfo(min=-65504, max=65504, dtype=float16)"
    assert repr(mx.finfo(mx.bfloat16)) == "finfo(min=-3.38953e+38, max=3.38953e+38, dtype=bfloat16)"
    assert repr(mx.finfo(mx.float64)) == "finfo(min=-1.79769e+308, max=1.79769e+308, dtype=float64)"
    assert repr(mx.iinfo(mx.int8)) == "iinfo(min=-128, max=127, dtype=int8)"
    assert repr(mx.iinfo(mx.uint64)) == "iinfo(min=0, max=18446744073709551615, dtype=uint64)"
    assert repr(mx.iinfo(mx.int64)) == (
        "iinfo(min=-9223372036854775808, max=9223372036854775807, dtype=int64)")


def test_iinfo_values():
    for dt, lo, hi in [(mx.uint8, 0, 255), (mx.uint16, 0, 65535), (mx.uint32, 0, 2**32 - 1),
                       (mx.uint64, 0, 2**64 - 1), (mx.int8, -128, 127),
                       (mx.int16, -32768, 32767), (mx.int32, -2**31, 2**31 - 1),
                       (mx.int64, -2**63, 2**63 - 1)]:
        i = mx.iinfo(dt)
        assert (i.min, i.max, i.dtype) == (lo, hi, dt)
        assert isinstance(i.max, int)


def test_info_errors():
    with pytest.raises(ValueError, match=r"\[finfo\] dtype int32 is not inexact."):
        mx.finfo(mx.int32)
    with pytest.raises(ValueError, match=r"\[iinfo\] Only integer types supported but float32"):
        mx.iinfo(mx.float32)
    with pytest.raises(ValueError):
        mx.iinfo(mx.bool_)
    with pytest.raises(TypeError):
        mx.finfo(float)
    with pytest.raises(TypeError):
        mx.finfo(mx.floating)


def test_finfo_consistent_with_math():
    # eps is the gap above 1 for each float type.
    assert mx.finfo(mx.float16).eps == 2.0**-10
    assert mx.finfo(mx.bfloat16).eps == 2.0**-7
    assert math.isclose(mx.finfo(mx.float64).eps, 2.0**-52)
