"""The misc area of mlx.core: dtype utilities (result_type, can_cast,
isdtype, issubdtype and the DtypeCategory objects), constants, print
options, depends, from_dlpack, and the array extras (copy, deepcopy,
pickling, __format__, __array_namespace__, DLPack export, __div__).

Every expected value and exception type here was read off MLX 0.32.4
(/opt/mlxref) by running the same calls; the promotion table is the one in
conformance/opspec.py, which was read off MLX pair by pair."""

import copy
import math
import os
import pickle
import sys

import numpy as np
import pytest

import mlx.core as mx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "conformance"))
import opspec  # noqa: E402

DTYPES = [mx.bool_, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32,
          mx.int64, mx.float16, mx.bfloat16, mx.float32, mx.float64, mx.complex64]


# --- dtype utilities ------------------------------------------------------------

def test_result_type_matches_promotion_table():
    for a in DTYPES:
        for b in DTYPES:
            assert mx.result_type(a, b) == opspec.promote(a, b), (a, b)
    assert mx.result_type(mx.int8) == mx.int8
    assert mx.result_type(mx.array([1], mx.int8), mx.float16) == mx.float16
    assert mx.result_type(mx.uint8, mx.int8, mx.float16) == mx.float16


@pytest.mark.parametrize("args", [(), (1,), (1.0,), (np.float32,), (mx.floating,),
                                  (mx.array([1]), 1.0)])
def test_result_type_errors(args):
    with pytest.raises(ValueError):
        mx.result_type(*args)


def test_result_type_no_keywords():
    with pytest.raises(TypeError):
        mx.result_type(arrays_and_dtypes=mx.int8)


def test_can_cast():
    for a in DTYPES:
        for b in DTYPES:
            assert mx.can_cast(a, b) == (opspec.promote(a, b) == b), (a, b)
    assert mx.can_cast(mx.int8, mx.int16) and not mx.can_cast(mx.int16, mx.int8)
    assert not mx.can_cast(mx.uint64, mx.int64)
    assert mx.can_cast(mx.float64, mx.complex64)
    assert mx.can_cast(mx.array([1]), mx.float32)
    assert mx.can_cast(from_=mx.int8, to=mx.int16)
    with pytest.raises(ValueError):
        mx.can_cast(1, mx.int8)
    with pytest.raises(TypeError):
        mx.can_cast(mx.int8, mx.floating)
    with pytest.raises(TypeError):
        mx.can_cast(mx.int8, 1)


KINDS = {
    "bool": [mx.bool_],
    "signed integer": [mx.int8, mx.int16, mx.int32, mx.int64],
    "unsigned integer": [mx.uint8, mx.uint16, mx.uint32, mx.uint64],
    "integral": [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32,
                 mx.uint64],
    "real floating": [mx.float16, mx.bfloat16, mx.float32, mx.float64],
    "complex floating": [mx.complex64],
    "numeric": [d for d in DTYPES if d != mx.bool_],
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_isdtype_kinds(kind):
    for d in DTYPES:
        assert mx.isdtype(d, kind) == (d in KINDS[kind]), (d, kind)


def test_isdtype_forms_and_errors():
    assert mx.isdtype(mx.int8, mx.int8) and not mx.isdtype(mx.int8, mx.int16)
    assert not mx.isdtype(mx.int8, ("bool", mx.float32))
    assert mx.isdtype(mx.int8, ("bool", "integral"))
    assert not mx.isdtype(mx.int8, ())
    assert not mx.isdtype(dtype=mx.int8, kind="bool")
    with pytest.raises(ValueError, match="Unknown data type kind"):
        mx.isdtype(mx.uint8, "foo")
    for bad in (mx.integer, ["bool"], 3, ("bool", 3), ("bool", mx.integer)):
        with pytest.raises(ValueError):
            mx.isdtype(mx.int8, bad)
    with pytest.raises(TypeError):
        mx.isdtype(mx.array([1]), "integral")


def test_categories_and_issubdtype():
    cats = [mx.complexfloating, mx.floating, mx.inexact, mx.signedinteger, mx.unsignedinteger,
            mx.integer, mx.number, mx.generic]
    assert list(mx.DtypeCategory) == cats
    assert repr(mx.floating) == "DtypeCategory.floating"
    assert mx.issubdtype(mx.float32, mx.floating) and mx.issubdtype(mx.bfloat16, mx.inexact)
    assert mx.issubdtype(mx.uint8, mx.integer) and not mx.issubdtype(mx.uint8, mx.signedinteger)
    assert mx.issubdtype(mx.complex64, mx.number) and not mx.issubdtype(mx.bool_, mx.number)
    assert mx.issubdtype(mx.bool_, mx.generic) and mx.issubdtype(mx.floating, mx.inexact)
    assert not mx.issubdtype(mx.inexact, mx.floating)


def test_constants():
    assert mx.e == math.e and mx.pi == math.pi and mx.inf == math.inf
    assert math.isnan(mx.nan) and type(mx.nan) is float
    assert mx.euler_gamma == 0.5772156649015329
    assert mx.newaxis is None


# --- print options ----------------------------------------------------------------

@pytest.fixture
def restore_print():
    yield
    mx.set_printoptions()


def test_printoptions(restore_print):
    x = mx.array([1.23456, 2])
    assert mx.get_printoptions().precision == -1
    mx.set_printoptions(precision=3)
    assert str(x) == "array([1.235, 2.000], dtype=float32)"
    assert mx.get_printoptions().precision == 3
    mx.set_printoptions()
    assert mx.get_printoptions().precision == -1
    mx.set_printoptions(4)
    assert mx.get_printoptions().precision == 4
    mx.set_printoptions(precision=-5)
    assert str(x) == "array([1.234560, 2.000000], dtype=float32)"
    with pytest.raises(TypeError):
        mx.set_printoptions(precision=2.5)
    with pytest.raises(TypeError):
        mx.set_printoptions(precision=None)


def test_printoptions_objects(restore_print):
    p = mx.get_printoptions()
    assert type(p).__name__ == "PrintOptions" and type(p).__module__ == "mlx.core"
    assert p is not mx.get_printoptions()
    p.precision = 3  # a snapshot: the global options do not change
    assert mx.get_printoptions().precision == -1
    assert mx.PrintOptions().precision == -1 and mx.PrintOptions(precision=3).precision == 3
    assert mx.PrintOptions(5).precision == 5


def test_printoptions_context(restore_print):
    c = mx.printoptions(precision=2)
    assert mx.get_printoptions().precision == -1  # applied on entry only
    with c as entered:
        assert entered is c
        assert str(mx.array([1.23456])) == "array([1.23], dtype=float32)"
        with mx.printoptions(precision=5):
            assert mx.get_printoptions().precision == 5
        assert mx.get_printoptions().precision == 2
    assert mx.get_printoptions().precision == -1
    mx.set_printoptions(precision=3)
    with mx.printoptions():
        assert mx.get_printoptions().precision == -1
    assert mx.get_printoptions().precision == 3
    assert type(c).__name__ == "_PrintOptionsContext"


# --- depends ------------------------------------------------------------------------

def test_depends():
    x, y = mx.array([1, 2]), mx.array([3])
    r = mx.depends(x + 1, y * 2)
    assert isinstance(r, mx.array) and r.tolist() == [2, 3] and r.dtype == mx.int32
    r = mx.depends([x, mx.array(2.5)], [y])
    assert isinstance(r, list) and len(r) == 2
    assert r[0].tolist() == [1, 2] and r[1].item() == 2.5 and r[1].dtype == mx.float32
    r = mx.depends((x,), y)
    assert isinstance(r, list) and r[0].tolist() == [1, 2]
    assert mx.depends([], [y]) == []
    with pytest.raises(TypeError):
        mx.depends(inputs=x, dependencies=y)
    with pytest.raises(TypeError):
        mx.depends(1, y)
    with pytest.raises(TypeError):
        mx.depends(x, [1])


# --- array extras -----------------------------------------------------------------------

def test_hash_is_identity():
    a = mx.array([1, 2])
    assert hash(a) == id(a) >> 4
    assert len({a, mx.array([1, 2])}) == 2


def test_copy_and_deepcopy():
    a = mx.array([1, 2, 3])
    b = copy.copy(a)
    assert b is not a and b.tolist() == [1, 2, 3]
    np.asarray(a)[1] = 7  # a shallow copy shares memory, as in MLX
    assert b.tolist() == [1, 7, 3]
    a = mx.array([1, 2, 3])
    c = copy.deepcopy(a)
    np.asarray(a)[1] = 7
    assert c.tolist() == [1, 2, 3]
    for d in (mx.bfloat16, mx.complex64, mx.bool_, mx.float64):
        x = mx.array([1, 0, 2], d)
        y = copy.deepcopy(x)
        assert y.dtype == d and y.tolist() == x.tolist()
    t = mx.transpose(mx.reshape(mx.arange(6), (2, 3)))
    assert copy.deepcopy(t).tolist() == [[0, 3], [1, 4], [2, 5]]


@pytest.mark.parametrize("d", DTYPES, ids=str)
def test_pickle_roundtrip(d):
    a = mx.array([[1, 0, 3], [4, 5, 0]], d)
    for proto in (2, 4, 5):
        b = pickle.loads(pickle.dumps(a, protocol=proto))
        assert b.dtype == d and b.shape == (2, 3) and b.tolist() == a.tolist()


def test_pickle_state_format():
    a = mx.array([[1.5, 2], [3, 4]])
    data, code = a.__getstate__()
    assert isinstance(data, np.ndarray) and data.dtype == np.float32 and code == 10
    data, code = mx.array([1.5, 2], mx.bfloat16).__getstate__()
    assert data.dtype == np.uint16 and data.tolist() == [16320, 16384] and code == 12
    with pytest.raises(TypeError):
        a.__reduce__()


# Bytes of pickle.dumps(...) made by MLX 0.32.4: pickles move both ways.
MLX_PICKLES = [
    (b'\x80\x04\x95\xb8\x00\x00\x00\x00\x00\x00\x00\x8c\x08mlx.core\x94\x8c\x05array\x94\x93'
     b'\x94)\x81\x94\x8c\x16numpy._core.multiarray\x94\x8c\x0c_reconstruct\x94\x93\x94\x8c\x05'
     b'numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94C\x01b\x94\x87\x94R\x94(K\x01K\x02K\x02'
     b'\x86\x94h\x07\x8c\x05dtype\x94\x93\x94\x8c\x02f4\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01<'
     b'\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94b\x89C\x10\x00\x00\xc0?\x00\x00\x00@'
     b'\x00\x00@@\x00\x00\x80@\x94t\x94bK\n\x86\x94b.', mx.float32, [[1.5, 2.0], [3.0, 4.0]]),
    (b'\x80\x04\x95\xaa\x00\x00\x00\x00\x00\x00\x00\x8c\x08mlx.core\x94\x8c\x05array\x94\x93'
     b'\x94)\x81\x94\x8c\x16numpy._core.multiarray\x94\x8c\x0c_reconstruct\x94\x93\x94\x8c\x05'
     b'numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94C\x01b\x94\x87\x94R\x94(K\x01K\x02\x85'
     b'\x94h\x07\x8c\x05dtype\x94\x93\x94\x8c\x02u2\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01<\x94'
     b'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94b\x89C\x04\xc0?\x00\xc0\x94t\x94bK\x0c\x86'
     b'\x94b.', mx.bfloat16, [1.5, -2.0]),
    (b'\x80\x04\x95\xae\x00\x00\x00\x00\x00\x00\x00\x8c\x08mlx.core\x94\x8c\x05array\x94\x93'
     b'\x94)\x81\x94\x8c\x16numpy._core.multiarray\x94\x8c\x0c_reconstruct\x94\x93\x94\x8c\x05'
     b'numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94C\x01b\x94\x87\x94R\x94(K\x01K\x01\x85'
     b'\x94h\x07\x8c\x05dtype\x94\x93\x94\x8c\x02c8\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01<\x94'
     b'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94b\x89C\x08\x00\x00\x80?\x00\x00\x00@\x94t'
     b'\x94bK\r\x86\x94b.', mx.complex64, [1 + 2j]),
]


@pytest.mark.parametrize("blob,dtype,value", MLX_PICKLES)
def test_load_mlx_pickles(blob, dtype, value):
    a = pickle.loads(blob)
    assert isinstance(a, mx.array) and a.dtype == dtype and a.tolist() == value


def test_format():
    assert f"{mx.array(1.5):.3f}" == "1.500"
    assert f"{mx.array(3):d}" == "3"
    assert format(mx.array(2), ">5") == "    2"
    assert format(mx.array(2), ".2f") == "2.00"
    assert format(mx.array(True), ">6") == "     1"
    assert f"{mx.array(True)}" == "True"
    assert f"{mx.array(2.5, mx.bfloat16):.2f}" == "2.50"
    assert f"{mx.array(2.5 + 1j):.2f}" == "2.50+1.00j"
    assert format(mx.array(2.5) + 1, ".1f") == "3.5"
    assert format(mx.array(2.5), "") == "2.5"
    a = mx.array([[1.5, 2], [3, 4]])
    assert f"{a}" == str(a)
    for bad in (mx.array([1.5]), a):
        with pytest.raises(TypeError, match="unsupported format string"):
            f"{bad:.2f}"


def test_array_namespace_and_div():
    a = mx.array([[1.5, 2], [3, 4]])
    assert a.__array_namespace__() is mx
    assert a.__array_namespace__(None) is mx
    with pytest.raises(ValueError):
        a.__array_namespace__(api_version="2023.12")
    assert a.__div__(2).tolist() == [[0.75, 1.0], [1.5, 2.0]]
    np.testing.assert_allclose(np.array(a.__rdiv__(2).tolist()), 2 / np.array([[1.5, 2], [3, 4]]),
                               rtol=1e-6)


def test_scalar_conversions():
    assert bool(mx.array([2])) is True and int(mx.array(2.7)) == 2
    assert float(mx.array(3)) == 3.0 and complex(mx.array(3)) == 3 + 0j
    assert [1, 2, 3][mx.array(1)] == 2
    for f in (bool, int, float):
        with pytest.raises(ValueError):
            f(mx.array([1, 2]))
    with pytest.raises(TypeError):
        [1, 2, 3][mx.array(1.0)]
    with pytest.raises(TypeError):
        len(mx.array(1))
    with pytest.raises(TypeError):
        iter(mx.array(1))
    assert len(mx.array([[1, 2], [3, 4]])) == 2
    assert [r.tolist() for r in mx.array([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    assert bytes(mx.array([1, 2], mx.int16)) == b"\x01\x00\x02\x00"


# --- DLPack ----------------------------------------------------------------------------------

def test_dlpack_export_to_numpy():
    a = mx.array([[1, 2], [3, 4]])
    assert a.__dlpack_device__() == (1, 0)
    cap = a.__dlpack__()
    assert type(cap).__name__ == "PyCapsule" and 'dltensor' in repr(cap)
    a.__dlpack__(max_version=(1, 0))
    del cap  # an unconsumed capsule frees its tensor
    n = np.from_dlpack(mx.transpose(a))
    assert n.tolist() == [[1, 3], [2, 4]] and n.dtype == np.int32
    assert np.from_dlpack(mx.array([1.5]) + 1).tolist() == [2.5]  # evaluated first
    for d, nd in ((mx.float16, np.float16), (mx.uint64, np.uint64), (mx.bool_, np.bool_),
                  (mx.complex64, np.complex64), (mx.float64, np.float64)):
        n = np.from_dlpack(mx.array([1, 0], d))
        assert n.dtype == nd and n.tolist() == [1, 0]


def test_from_dlpack():
    c = np.arange(6.0).reshape(2, 3)[:, ::2]
    r = mx.from_dlpack(c)
    # As in MLX 0.32.4: float64 data arrives as float32, always copied.
    assert r.dtype == mx.float32 and r.tolist() == [[0, 2], [3, 5]]
    assert mx.from_dlpack(c, copy=True).tolist() == [[0, 2], [3, 5]]
    with pytest.raises(ValueError):
        mx.from_dlpack(c, copy=False)
    with pytest.raises(TypeError):
        mx.from_dlpack(3)
    assert mx.from_dlpack(np.arange(3, dtype=np.int16)).dtype == mx.int16
    assert mx.from_dlpack(np.array([True])).dtype == mx.bool_
    assert mx.from_dlpack(np.array([1.5], np.float16)).dtype == mx.float16
    z = mx.from_dlpack(np.array([1.5j], np.complex128))
    assert z.dtype == mx.complex64 and z.tolist() == [1.5j]
    s = mx.from_dlpack(np.array(2.5))
    assert s.shape == () and s.item() == 2.5
    x = np.arange(3.0)
    y = mx.from_dlpack(x)
    x[0] = 100
    assert y.tolist() == [0, 1, 2]
    assert mx.from_dlpack(np.zeros((0, 3), np.float32)).shape == (0, 3)
    b = mx.from_dlpack(mx.array([1.5, -2], mx.bfloat16))
    assert b.dtype == mx.bfloat16 and b.tolist() == [1.5, -2]
    t = mx.from_dlpack(mx.transpose(mx.reshape(mx.arange(6), (2, 3))))
    assert t.tolist() == [[0, 3], [1, 4], [2, 5]]


def test_from_dlpack_torch():
    torch = pytest.importorskip("torch")
    t = torch.arange(6, dtype=torch.bfloat16).reshape(2, 3).T
    r = mx.from_dlpack(t)
    assert r.dtype == mx.bfloat16 and r.tolist() == [[0, 3], [1, 4], [2, 5]]
    back = torch.from_dlpack(mx.array([[1.0, 2.0]]))
    assert back.tolist() == [[1.0, 2.0]]
