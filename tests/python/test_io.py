"""mx.save / mx.load / savez / savez_compressed / save_safetensors / save_gguf.

References: NumPy reads what we write and writes what we read (np.save,
np.savez, np.savez_compressed); real MLX 0.32.4 (/opt/mlxref, in a
subprocess) reads our safetensors and GGUF files and writes files we read.
Error types and messages were checked against MLX 0.32.4."""
import io
import os
import pathlib
import struct
import subprocess
import sys

import numpy as np
import pytest

import mlx.core as mx
from mlxref import ref_env  # noqa: E402

MLX_REF = os.environ.get("MLX_REF_PYTHON", "/opt/mlxref/bin/python")
has_ref = pytest.mark.skipif(not os.path.exists(MLX_REF), reason="no reference MLX")

NP_DTYPES = [
    (mx.bool_, np.bool_), (mx.uint8, np.uint8), (mx.uint16, np.uint16), (mx.uint32, np.uint32),
    (mx.uint64, np.uint64), (mx.int8, np.int8), (mx.int16, np.int16), (mx.int32, np.int32),
    (mx.int64, np.int64), (mx.float16, np.float16), (mx.float32, np.float32),
    (mx.float64, np.float64), (mx.complex64, np.complex64),
]
SHAPES = [(), (5,), (2, 3), (2, 1, 3), (1, 2, 2, 3), (0,), (2, 0, 3)]


def sample(np_dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    v = np.arange(n).reshape(shape)
    if np_dtype == np.complex64:
        return (v + 1j * v).astype(np_dtype)
    return (v % 2 if np_dtype == np.bool_ else v).astype(np_dtype)


def ref(code, cwd):
    r = subprocess.run([MLX_REF, "-c", code], env=ref_env(), cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("mxt,npt", NP_DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_npy_round_trip_and_numpy(tmp_path, mxt, npt, shape):
    x = sample(npt, shape)
    a = mx.array(x, dtype=mxt)
    mx.save(str(tmp_path / "a"), a)  # .npy appended
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), x)
    b = mx.load(str(tmp_path / "a.npy"))
    assert b.dtype == mxt and b.shape == shape
    np.testing.assert_array_equal(np.array(b), x)
    np.save(tmp_path / "n.npy", x)
    c = mx.load(tmp_path / "n.npy")
    assert c.dtype == mxt
    np.testing.assert_array_equal(np.array(c), x)


def test_npy_numpy_layouts(tmp_path):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.save(tmp_path / "f.npy", np.asfortranarray(x))
    np.testing.assert_array_equal(np.array(mx.load(tmp_path / "f.npy")), x)
    np.save(tmp_path / "be.npy", x.astype(">i4"))
    np.testing.assert_array_equal(np.array(mx.load(tmp_path / "be.npy")), x.astype(np.int32))
    # A non-contiguous view is written in logical order.
    a = mx.array(x).transpose(2, 0, 1)[::2]
    mx.save(tmp_path / "v.npy", a)
    np.testing.assert_array_equal(np.load(tmp_path / "v.npy"), x.transpose(2, 0, 1)[::2])


def test_bfloat16_npy_is_v2(tmp_path):
    a = mx.array([1.5, -2.0, 3.0], dtype=mx.bfloat16)
    mx.save(tmp_path / "b.npy", a)
    assert np.load(tmp_path / "b.npy").dtype == np.dtype("V2")  # as MLX writes it
    b = mx.load(tmp_path / "b.npy")
    assert b.dtype == mx.bfloat16 and b.tolist() == [1.5, -2.0, 3.0]


def test_file_objects(tmp_path):
    a = mx.arange(6).reshape(2, 3)
    buf = io.BytesIO()
    mx.save(buf, a)
    np.testing.assert_array_equal(np.load(io.BytesIO(buf.getvalue())), np.array(a))
    assert mx.load(io.BytesIO(buf.getvalue()), format="npy").tolist() == a.tolist()
    with pytest.raises(AttributeError):  # MLX needs .name to infer the format
        mx.load(io.BytesIO(buf.getvalue()))
    with open(tmp_path / "f.npy", "wb") as f:
        mx.save(f, a)
    with open(tmp_path / "f.npy", "rb") as f:
        assert mx.load(f).tolist() == a.tolist()
    z = io.BytesIO()
    mx.savez(z, a, y=a)
    assert set(mx.load(io.BytesIO(z.getvalue()), format="npz")) == {"arr_0", "y"}
    s = io.BytesIO()
    mx.save_safetensors(s, {"a": a})
    assert mx.load(io.BytesIO(s.getvalue()), format="safetensors")["a"].tolist() == a.tolist()
    with pytest.raises(ValueError, match="Input must be a string"):
        mx.save_gguf(io.BytesIO(), {"a": a.astype(mx.float32)}, {})
    with pytest.raises(ValueError, match="Input must be a string"):
        mx.load(io.BytesIO(b"x"), format="gguf")


@pytest.mark.parametrize("compressed", [False, True])
def test_npz(tmp_path, compressed):
    save = mx.savez_compressed if compressed else mx.savez
    xs = {name: sample(npt, (3, 2)) for name, (_, npt) in zip("abcdefghijklm", NP_DTYPES)}
    save(tmp_path / "z", mx.array([1, 2]), **{k: mx.array(v, dtype=t) for (k, v), (t, _) in zip(xs.items(), NP_DTYPES)})
    with np.load(tmp_path / "z.npz") as f:
        assert set(f.files) == set(xs) | {"arr_0"}
        for k, v in xs.items():
            np.testing.assert_array_equal(f[k], v)
    got = mx.load(str(tmp_path / "z.npz"))
    for k, v in xs.items():
        np.testing.assert_array_equal(np.array(got[k]), v)
    # NumPy-written archives, stored and deflated.
    (np.savez_compressed if compressed else np.savez)(tmp_path / "n.npz", **xs)
    got = mx.load(tmp_path / "n.npz")
    for k, v in xs.items():
        np.testing.assert_array_equal(np.array(got[k]), v)


def test_npz_errors(tmp_path):
    with pytest.raises(ValueError, match="Cannot use un-named variables and keyword arr_0"):
        mx.savez(tmp_path / "z", mx.array(1), arr_0=mx.array(2))
    (tmp_path / "bad.npz").write_bytes(b"garbage" * 20)
    with pytest.raises(ValueError):
        mx.load(tmp_path / "bad.npz")
    mx.savez(tmp_path / "ok", x=mx.arange(100))
    data = (tmp_path / "ok.npz").read_bytes()
    for n in (0, 10, 100, len(data) - 5):
        (tmp_path / "cut.npz").write_bytes(data[:n])
        with pytest.raises(ValueError):
            mx.load(tmp_path / "cut.npz")


ST_DTYPES = [d for d in NP_DTYPES if d[0] != mx.float64] + [(mx.bfloat16, None)]


def test_safetensors_round_trip(tmp_path):
    arrays = {}
    for i, (mxt, npt) in enumerate(ST_DTYPES):
        for j, shape in enumerate(SHAPES):
            x = sample(npt or np.float32, shape)
            arrays[f"t{i}_{j}"] = mx.array(x).astype(mxt)
    meta = {"format": "mlx", "note": "ünïcode \"quoted\"\n"}
    mx.save_safetensors(str(tmp_path / "s"), arrays, metadata=meta)
    got, gmeta = mx.load(str(tmp_path / "s.safetensors"), return_metadata=True)
    assert gmeta == meta
    assert set(got) == set(arrays)
    for k, v in arrays.items():
        assert got[k].dtype == v.dtype and got[k].shape == v.shape
        assert mx.array_equal(got[k], v).item()
    assert set(mx.load(tmp_path / "s.safetensors")) == set(arrays)


def test_safetensors_errors(tmp_path):
    a = mx.arange(4)
    with pytest.raises(ValueError, match="Metadata must be a dictionary with string keys"):
        mx.save_safetensors(tmp_path / "x", {"a": a}, {"k": 1})
    with pytest.raises(RuntimeError, match="received invalid dtype"):
        mx.save_safetensors(tmp_path / "x", {"a": a.astype(mx.float64)})
    with pytest.raises(TypeError):
        mx.save_safetensors(tmp_path / "x", [a])
    mx.save_safetensors(tmp_path / "ok", {"a": a, "b": a})
    data = (tmp_path / "ok.safetensors").read_bytes()
    for n in range(0, len(data)):
        (tmp_path / "cut.safetensors").write_bytes(data[:n])
        with pytest.raises(RuntimeError):
            mx.load(tmp_path / "cut.safetensors")
    with pytest.raises(ValueError, match="metadata not supported for format npy"):
        mx.load(tmp_path / "ok.safetensors", format="npy", return_metadata=True)
    with pytest.raises(ValueError, match="Unknown file format foo"):
        mx.load(tmp_path / "ok.safetensors", format="foo")
    with pytest.raises(ValueError, match="Could not infer file format"):
        mx.load(tmp_path / "noext")
    with pytest.raises(RuntimeError, match="Failed to open file"):
        mx.load(tmp_path / "missing.npy")


def gguf_bytes(kvs, tensors):
    """A GGUF v3 file: kvs are (key, type, packed value bytes)."""
    s = lambda x: struct.pack("<Q", len(x.encode())) + x.encode()
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs))
    for k, t, v in kvs:
        out += s(k) + struct.pack("<I", t) + v
    off, blob = 0, b""
    for name, ttype, dims, data in tensors:
        out += s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", ttype, off)
        blob += data + b"\0" * ((-len(data)) % 32)
        off = len(blob)
    return out + b"\0" * ((-len(out)) % 32) + blob


def test_gguf_round_trip(tmp_path):
    arrays = {f"w{i}": mx.array(sample(np.float32, s)).astype(t)
              for i, (t, s) in enumerate([(mx.float32, (2, 3)), (mx.float16, (5,)),
                                          (mx.int8, (1, 2, 2, 3)), (mx.int16, (2, 1, 3)),
                                          (mx.int32, ()), (mx.float32, (0, 3))])}
    meta = {"name": "m", "tokens": ["a", "", "ccc"], "ids": mx.array([1, 2, 3]),
            "flag": mx.array(True), "big": mx.array(2**40, dtype=mx.int64),
            "f": mx.array([0.5, 1.5]), "u8": mx.array([7], dtype=mx.uint8)}
    mx.save_gguf(str(tmp_path / "g"), arrays, meta)
    got, gmeta = mx.load(str(tmp_path / "g.gguf"), return_metadata=True)
    for k, v in arrays.items():
        assert got[k].dtype == v.dtype and got[k].shape == v.shape
        assert mx.array_equal(got[k], v).item()
    assert gmeta["name"] == "m" and gmeta["tokens"] == ["a", "", "ccc"]
    for k in ("ids", "flag", "big", "f", "u8"):
        assert gmeta[k].dtype == meta[k].dtype and gmeta[k].shape == meta[k].shape
        assert mx.array_equal(gmeta[k], meta[k]).item()


def test_gguf_reading_value_types(tmp_path):
    kvs = [("u8", 0, struct.pack("<B", 7)), ("i8", 1, struct.pack("<b", -7)),
           ("u16", 2, struct.pack("<H", 700)), ("i16", 3, struct.pack("<h", -700)),
           ("u32", 4, struct.pack("<I", 70000)), ("i32", 5, struct.pack("<i", -70000)),
           ("f32", 6, struct.pack("<f", 1.5)), ("b", 7, struct.pack("<?", True)),
           ("s", 8, struct.pack("<Q", 5) + b"hello"), ("u64", 10, struct.pack("<Q", 2**40)),
           ("i64", 11, struct.pack("<q", -2**40)),
           ("ai8", 9, struct.pack("<IQbb", 1, 2, -1, 2)),
           ("astr", 9, struct.pack("<IQ", 8, 2) + struct.pack("<Q", 1) + b"a"
            + struct.pack("<Q", 2) + b"bc"),
           ("aempty", 9, struct.pack("<IQ", 5, 0))]
    x = np.arange(6, dtype=np.float32)
    bf = (x.view(np.uint32) >> 16).astype(np.uint16)
    tensors = [("t32", 0, [3, 2], x.tobytes()), ("t16", 1, [6], x.astype(np.float16).tobytes()),
               ("tbf", 30, [2, 3], bf.tobytes()), ("ti32", 26, [6], x.astype(np.int32).tobytes())]
    (tmp_path / "v.gguf").write_bytes(gguf_bytes(kvs, tensors))
    arrs, meta = mx.load(tmp_path / "v.gguf", return_metadata=True)
    # Recorded from MLX 0.32.4 on the same file.
    expect = {"u8": (mx.uint8, 7), "i8": (mx.int8, -7), "u16": (mx.uint16, 700),
              "i16": (mx.int16, -700), "u32": (mx.uint32, 70000), "i32": (mx.int32, -70000),
              "f32": (mx.float32, 1.5), "b": (mx.bool_, True), "u64": (mx.uint64, 2**40),
              "i64": (mx.int64, -2**40)}
    for k, (dt, v) in expect.items():
        assert meta[k].dtype == dt and meta[k].shape == () and meta[k].item() == v
    assert meta["s"] == "hello" and meta["astr"] == ["a", "bc"]
    assert meta["ai8"].dtype == mx.int8 and meta["ai8"].tolist() == [-1, 2]
    assert meta["aempty"].dtype == mx.int32 and meta["aempty"].shape == (0,)
    assert arrs["t32"].shape == (2, 3) and arrs["t32"].tolist() == x.reshape(2, 3).tolist()
    assert arrs["t16"].dtype == mx.float16
    assert arrs["tbf"].dtype == mx.float16 and arrs["tbf"].shape == (3, 2)  # MLX converts BF16
    assert arrs["tbf"].tolist() == x.reshape(3, 2).tolist()
    assert arrs["ti32"].dtype == mx.int32


def test_gguf_errors(tmp_path):
    a = mx.arange(4)
    with pytest.raises(RuntimeError, match="dtype bfloat16 is not supported"):
        mx.save_gguf(tmp_path / "x", {"a": a.astype(mx.bfloat16)}, {})
    with pytest.raises(ValueError, match="array type float16 not support for metadata"):
        mx.save_gguf(tmp_path / "x", {}, {"m": a.astype(mx.float16)})
    with pytest.raises(RuntimeError, match="more than one dimension"):
        mx.save_gguf(tmp_path / "x", {}, {"m": mx.zeros((2, 2))})
    nested = ("n", 9, struct.pack("<IQ", 9, 1) + struct.pack("<IQi", 5, 1, 1))
    (tmp_path / "n.gguf").write_bytes(gguf_bytes([nested], []))
    with pytest.raises(ValueError, match="1-layer of nested arrays"):
        mx.load(tmp_path / "n.gguf")
    (tmp_path / "q.gguf").write_bytes(gguf_bytes([], [("t", 2, [32], bytes(18))]))
    with pytest.raises(RuntimeError, match="Q4_0"):
        mx.load(tmp_path / "q.gguf")
    mx.save_gguf(tmp_path / "ok", {"w": mx.ones((4, 4))}, {"s": "x", "v": mx.array([1, 2])})
    data = (tmp_path / "ok.gguf").read_bytes()
    for n in range(0, len(data)):
        (tmp_path / "cut.gguf").write_bytes(data[:n])
        with pytest.raises(RuntimeError):
            mx.load(tmp_path / "cut.gguf")


@has_ref
def test_safetensors_against_mlx(tmp_path):
    ref("""
import mlx.core as mx
arrs = {n: mx.arange(6).reshape(2, 3).astype(getattr(mx, n)) for n in
        ["bool_", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
         "float16", "float32", "bfloat16", "complex64"]}
arrs["empty"] = mx.zeros((0, 2))
arrs["scalar"] = mx.array(3.5)
mx.save_safetensors("ref", arrs, {"who": "mlx"})
mx.save_safetensors("nometa", {"a": mx.arange(3)})  # writes "__metadata__":null
""", tmp_path)
    nm, nmeta = mx.load(str(tmp_path / "nometa.safetensors"), return_metadata=True)
    assert nmeta == {} and nm["a"].tolist() == [0, 1, 2]
    got, meta = mx.load(str(tmp_path / "ref.safetensors"), return_metadata=True)
    assert meta == {"who": "mlx"}
    for name, v in got.items():
        if name == "empty":
            assert v.shape == (0, 2)
        elif name == "scalar":
            assert v.item() == 3.5
        else:
            assert v.dtype == getattr(mx, name)
            assert mx.array_equal(v, mx.arange(6).reshape(2, 3).astype(v.dtype)).item()
    mx.save_safetensors(str(tmp_path / "ours"), got, {"who": "cmlx"})
    out = ref("""
import mlx.core as mx
g, m = mx.load("ours.safetensors", return_metadata=True)
print(m["who"], sorted((k, str(v.dtype), v.shape, v.tolist()) for k, v in g.items()))
""", tmp_path)
    expect = sorted((k, str(v.dtype), v.shape, v.tolist()) for k, v in got.items())
    assert out.strip() == "cmlx " + str(expect)


@has_ref
def test_gguf_against_mlx(tmp_path):
    ref("""
import mlx.core as mx
mx.save_gguf("ref", {"w": mx.arange(6, dtype=mx.float32).reshape(2, 3),
                     "h": mx.ones((4,), dtype=mx.float16), "i": mx.array([1, 2], dtype=mx.int8)},
             {"s": "str", "v": ["x", "yy"], "a": mx.array([1, 2], dtype=mx.uint8),
              "sc": mx.array(7, dtype=mx.int64)})
""", tmp_path)
    got, meta = mx.load(str(tmp_path / "ref.gguf"), return_metadata=True)
    assert got["w"].tolist() == [[0, 1, 2], [3, 4, 5]] and got["w"].dtype == mx.float32
    assert got["h"].dtype == mx.float16 and got["i"].dtype == mx.int8
    assert meta["s"] == "str" and meta["v"] == ["x", "yy"]
    assert meta["a"].dtype == mx.uint8 and meta["a"].tolist() == [1, 2]
    assert meta["sc"].dtype == mx.int64 and meta["sc"].item() == 7
    mx.save_gguf(str(tmp_path / "ours"), got, meta)
    out = ref("""
import mlx.core as mx
g, m = mx.load("ours.gguf", return_metadata=True)
print(sorted((k, str(v.dtype), v.tolist()) for k, v in g.items()))
print(sorted((k, v if isinstance(v, (str, list)) else (str(v.dtype), v.tolist())) for k, v in m.items()))
""", tmp_path)
    lines = out.strip().split("\n")
    assert lines[0] == str(sorted((k, str(v.dtype), v.tolist()) for k, v in got.items()))
    assert lines[1] == str(sorted(
        (k, v if isinstance(v, (str, list)) else (str(v.dtype), v.tolist())) for k, v in meta.items()))


@has_ref
def test_npy_npz_against_mlx(tmp_path):
    mx.save(tmp_path / "b.npy", mx.array([1.5, 2.0], dtype=mx.bfloat16))
    mx.savez_compressed(tmp_path / "z", x=mx.arange(3))
    out = ref("""
import mlx.core as mx
print(mx.load("b.npy").tolist(), mx.load("b.npy").dtype, mx.load("z.npz")["x"].tolist())
""", tmp_path)
    assert out.strip() == "[1.5, 2.0] mlx.core.bfloat16 [0, 1, 2]"
