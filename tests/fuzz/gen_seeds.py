"""Writes a few small valid files per format into DIR/<format>/ as fuzz seeds.

Usage: python3 gen_seeds.py DIR   (needs NumPy only; run by run.sh)."""
import io
import json
import os
import struct
import sys
import zipfile

import numpy as np

out = sys.argv[1]


def put(fmt, name, data):
    os.makedirs(os.path.join(out, fmt), exist_ok=True)
    with open(os.path.join(out, fmt, name), "wb") as f:
        f.write(data)


def npy(arr):
    b = io.BytesIO()
    np.save(b, arr)
    return b.getvalue()


put("npy", "f32", npy(np.arange(6, dtype=np.float32).reshape(2, 3)))
put("npy", "fortran", npy(np.asfortranarray(np.arange(6, dtype=">i2").reshape(2, 3))))
put("npy", "bool0d", npy(np.array(True)))
put("npy", "c64", npy(np.array([1 + 2j], dtype=np.complex64)))
for comp in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", comp) as z:
        z.writestr("a.npy", npy(np.arange(4, dtype=np.int64)))
        z.writestr("b.npy", npy(np.ones((2, 2), dtype=np.float16)))
    put("npz", "zip%d" % comp, b.getvalue())


def safetensors(tensors, meta):
    header, blob = {}, b""
    if meta:
        header["__metadata__"] = meta
    for name, (dt, arr) in tensors.items():
        raw = arr.tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape),
                        "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + blob


put("safetensors", "two", safetensors(
    {"w": ("F32", np.arange(6, dtype=np.float32).reshape(2, 3)),
     "b": ("I8", np.array([1, -2], dtype=np.int8))}, {"k": "v\u00e9"}))
put("safetensors", "empty", safetensors({"e": ("BF16", np.zeros((0, 3), np.uint16))}, None))


def gs(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf():
    kv = [gs("general.alignment") + struct.pack("<II", 4, 32),
          gs("name") + struct.pack("<I", 8) + gs("test"),
          gs("ints") + struct.pack("<IIQ", 9, 5, 2) + struct.pack("<ii", 1, 2),
          gs("strs") + struct.pack("<IIQ", 9, 8, 2) + gs("a") + gs("bc"),
          gs("f") + struct.pack("<If", 6, 1.5)]
    data = np.arange(6, dtype=np.float32).tobytes()
    info = gs("t") + struct.pack("<IQQIQ", 2, 3, 2, 0, 0)
    head = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kv)) + b"".join(kv) + info
    head += b"\0" * ((-len(head)) % 32)
    return head + data


put("gguf", "basic", gguf())
