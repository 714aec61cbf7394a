#!/usr/bin/env python3
"""Regenerates the oracle table of tests/c/test_print.c from real MLX.

Every case builds an array with the reference MLX (mlx.core), records the
bytes (or the arange recipe) the C test needs to rebuild the same array, and
records what MLX's repr() prints for it.  The C test rebuilds each array with
cmlx and checks that mx_array_tostring() prints exactly the same text.

Usage (needs the reference install, MLX 0.32.4):
    /opt/mlxref/bin/python tests/c/gen_print_cases.py           # print the table
    /opt/mlxref/bin/python tests/c/gen_print_cases.py --write   # rewrite test_print.c

--write replaces the text between the BEGIN/END GENERATED markers in
test_print.c and leaves the rest of the file alone.
"""
import os
import sys

import mlx.core as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "test_print.c")
BEGIN = "/* BEGIN GENERATED (tests/c/gen_print_cases.py) */"
END = "/* END GENERATED */"

DTYPES = {
    "bool": mx.bool_, "uint8": mx.uint8, "uint16": mx.uint16, "uint32": mx.uint32,
    "uint64": mx.uint64, "int8": mx.int8, "int16": mx.int16, "int32": mx.int32,
    "int64": mx.int64, "float16": mx.float16, "float32": mx.float32,
    "float64": mx.float64, "bfloat16": mx.bfloat16, "complex64": mx.complex64,
}
NP_DTYPES = {
    "bool": np.bool_, "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32,
    "uint64": np.uint64, "int8": np.int8, "int16": np.int16, "int32": np.int32,
    "int64": np.int64, "float16": np.float16, "float32": np.float32,
    "float64": np.float64, "complex64": np.complex64,
}
INF = float("inf")
NAN = float("nan")

cases = []


def expected_of(a, precision):
    with mx.printoptions(precision=precision):
        r = repr(a)
        s = str(a)
    # cmlx's mx_array_tostr() is tested against the same string, so stop
    # here if MLX ever makes str() differ from repr().
    assert r == s, (r, s)
    return r


def raw_bytes(a):
    """The array's elements in row-major order as little-endian bytes."""
    flat = mx.contiguous(a.reshape(-1))
    if a.dtype == mx.bool_:
        flat = flat.astype(mx.uint8)
    return np.array(flat.view(mx.uint8)).tobytes()


def add_array(name, a, precision=-1):
    cases.append(dict(name=name, dtype=dtype_name(a.dtype), shape=tuple(a.shape),
                      fill="hex", hex=raw_bytes(a).hex(), precision=precision,
                      expected=expected_of(a, precision)))


def dtype_name(d):
    for k, v in DTYPES.items():
        if v == d:
            return k
    raise ValueError(d)


def from_values(dt, values, shape=None):
    """An MLX array of dtype `dt` holding `values` (bfloat16 goes through float32)."""
    # NumPy 0-d arrays reach MLX as Python scalars (and lose their dtype), so
    # everything goes through a 1-D array and is reshaped afterwards.
    flat = np.array(values).reshape(-1)
    if dt == "bfloat16":
        a = mx.array(flat.astype(np.float32)).astype(mx.bfloat16)
    else:
        a = mx.array(flat.astype(NP_DTYPES[dt]), dtype=DTYPES[dt])
    assert a.dtype == DTYPES[dt], (a.dtype, dt)
    return a.reshape(np.shape(values) if shape is None else shape)


def from_bits16(dt, bits):
    return mx.array(np.array(bits, dtype=np.uint16)).view(DTYPES[dt])


def arange_np(dt, n, start, step):
    v = np.arange(n, dtype=np.float64) * step + start
    if dt == "complex64":
        return (v - 1j * v).astype(np.complex64)
    return v


def arange_mx(dt, shape, start=0.0, step=1.0):
    n = int(np.prod(shape)) if len(shape) else 1
    v = arange_np(dt, n, start, step)
    if dt == "bfloat16":
        a = mx.array(v.astype(np.float32)).astype(mx.bfloat16)
    else:
        a = mx.array(v.astype(NP_DTYPES[dt]), dtype=DTYPES[dt])
    return a.reshape(shape)


def add_arange(name, dt, shape, start=0.0, step=1.0, precision=-1):
    """Large arrays are described by a recipe (start + i * step, exact in
    every dtype used) instead of their bytes, to keep the C file small."""
    a = arange_mx(dt, shape, start, step)
    cases.append(dict(name=name, dtype=dt, shape=tuple(shape), fill="arange",
                      start=start, step=step, precision=precision,
                      expected=expected_of(a, precision)))


def add_view(name, dt, base_shape, fn, precision=-1):
    """A strided view of an arange base: NumPy gives the strides and offset,
    MLX gives the text for the same indexing expression."""
    n = int(np.prod(base_shape))
    nb = arange_np(dt, n, 0.0, 1.0).astype(NP_DTYPES.get(dt, np.float32)).reshape(base_shape)
    nv = fn(nb)
    item = nb.itemsize
    offset = (nv.__array_interface__["data"][0] - nb.__array_interface__["data"][0]) // item
    strides = tuple(s // item for s in nv.strides)
    mv = fn(arange_mx(dt, base_shape))
    assert tuple(mv.shape) == nv.shape
    cases.append(dict(name=name, dtype=dt, shape=tuple(nv.shape), fill="arange",
                      start=0.0, step=1.0, precision=precision,
                      view=dict(base_shape=tuple(base_shape), strides=strides,
                                offset=offset),
                      expected=expected_of(mv, precision)))


def build_cases():
    # --- integers and booleans ------------------------------------------------
    add_array("bool_1d", from_values("bool", [True, False, True]))
    add_array("bool_2d", from_values("bool", [[True, False], [False, True]]))
    add_array("bool_0d_true", mx.array(True))
    add_array("bool_0d_false", mx.array(False))
    add_array("bool_summarised", from_values("bool", [i % 3 == 0 for i in range(9)]))
    add_array("uint8_extremes", from_values("uint8", [0, 1, 127, 128, 255]))
    add_array("int8_extremes", from_values("int8", [-128, -1, 0, 1, 127]))
    add_array("uint16_extremes", from_values("uint16", [0, 1, 32768, 65535]))
    add_array("int16_extremes", from_values("int16", [-32768, -1, 0, 32767]))
    add_array("uint32_extremes", from_values("uint32", [0, 1, 2**31, 2**32 - 1]))
    add_array("int32_extremes", from_values("int32", [-2**31, -1, 0, 2**31 - 1]))
    add_array("uint64_extremes", from_values("uint64", [0, 1, 2**63, 2**64 - 1]))
    add_array("int64_extremes", from_values("int64", [-2**63, -1, 0, 2**63 - 1]))
    add_array("int32_example", mx.array([6, 8, 10, 12]))
    for dt in ["uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"]:
        add_array(f"{dt}_0d", from_values(dt, 7, ()))
    add_array("int32_0d_negative", mx.array(-5))

    # --- floats ---------------------------------------------------------------
    groups = [
        [1.5, 1.0, 0.1, 1e-5, 1e10, 100.0],
        [INF, -INF, NAN, -NAN, -0.0, 0.0],
        [123456.0, 1234567.0, 999999.5, 0.0001, 0.000123456789, 3.14159265],
        [2.0 / 3.0, 1e16, 1e-38, 3.4e38, 1e-45, -2.5],
        [0.5, 12.5, -1e-7, 65504.0, 6e-8, 1e300],
    ]
    for dt in ["float16", "bfloat16", "float32", "float64"]:
        for gi, g in enumerate(groups):
            add_array(f"{dt}_values{gi}", from_values(dt, g))
        for v, tag in [(1.0, "one"), (1.5, "one_and_half"), (-0.0, "neg_zero"), (NAN, "nan")]:
            add_array(f"{dt}_0d_{tag}", from_values(dt, v, ()))
    # Bit patterns: signed NaNs, infinities, the smallest subnormal, all-ones.
    for dt in ["float16", "bfloat16"]:
        if dt == "float16":
            bits = [0xFE00, 0x7E00, 0xFC00, 0x8000, 0x0001, 0x7BFF]
        else:
            bits = [0xFFC0, 0x7FC0, 0xFF80, 0x8000, 0x0001, 0x7F7F]
        add_array(f"{dt}_bits", from_bits16(dt, bits))
    add_array("float32_summarised", mx.arange(10, dtype=mx.float32) / 3)
    add_array("float32_big_and_small",
              from_values("float32", [0.5, 1234567.5, 2469135.0, 3703702.5, 4938270.0, 6172837.5]))

    # Seeded random values over many magnitudes exercise the "%g" switch
    # between fixed and exponent forms and the rounding to 6 digits.
    rng = np.random.default_rng(1234)
    for dt in ["float16", "bfloat16", "float32", "float64"]:
        lo, hi = (-9, 5) if dt == "float16" else (-40, 38)
        for k in range(3):
            mant = rng.uniform(-10, 10, size=(4, 6))
            expo = rng.integers(lo, hi, size=(4, 6)).astype(np.float64)
            add_array(f"{dt}_random{k}", from_values(dt, mant * 10.0 ** expo))
    for k in range(2):
        v = rng.uniform(-1e3, 1e3, size=(3, 5)) + 1j * rng.uniform(-1e-3, 1e-3, size=(3, 5))
        add_array(f"complex_random{k}", mx.array(v.astype(np.complex64)))
    add_array("float32_random_precision4",
              from_values("float32", rng.uniform(-1e4, 1e4, size=(2, 6))), precision=4)

    # --- complex --------------------------------------------------------------
    c = np.array([1 + 2j, 3 - 4j, -1.5 + 0.25j, 0j], dtype=np.complex64)
    add_array("complex_basic", mx.array(c))
    special = np.array([complex(1, -0.0), complex(-0.0, 0.0), complex(1, INF),
                        complex(1, -INF), complex(NAN, NAN), complex(1, 0)], dtype=np.complex64)
    special.imag[5] = -NAN  # a NaN with its sign bit set
    add_array("complex_special", mx.array(special))
    add_array("complex_negnan_real", mx.array(np.array([complex(-NAN, 1)], dtype=np.complex64)))
    add_array("complex_scale", mx.array(np.array([complex(1e-5, 1e10), complex(0.1, -1 / 3)],
                                                 dtype=np.complex64)))
    add_array("complex_0d", mx.array(1 + 2j))
    add_array("complex_2d", mx.array(np.array([[1 + 1j, 2 - 2j], [3.5j, -4]], dtype=np.complex64)))

    # --- empty arrays ---------------------------------------------------------
    for shape in [(0,), (2, 0), (0, 3), (2, 0, 3), (2, 3, 0), (3, 0), (7, 0), (0, 7),
                  (7, 0, 2), (1, 0, 2), (0, 0)]:
        tag = "x".join(str(s) for s in shape)
        add_array(f"empty_f32_{tag}", mx.zeros(shape))
    add_array("empty_int32_2x0", mx.zeros((2, 0), dtype=mx.int32))
    add_array("empty_bool_0", mx.zeros((0,), dtype=mx.bool_))
    add_array("empty_complex_0", mx.zeros((0,), dtype=mx.complex64))

    # --- nesting and summarisation --------------------------------------------
    for n in range(1, 9):
        add_arange(f"int32_1d_n{n}", "int32", (n,))
    add_arange("int32_1d_n1000", "int32", (1000,))
    add_arange("int32_1d_n1001", "int32", (1001,))
    add_arange("int32_2x3", "int32", (2, 3))
    add_arange("int32_2x6", "int32", (2, 6))
    add_arange("int32_2x7", "int32", (2, 7))
    add_arange("int32_7x2", "int32", (7, 2))
    add_arange("int32_7x7", "int32", (7, 7))
    add_arange("int32_2x3x4", "int32", (2, 3, 4))
    add_arange("int32_2x7x2", "int32", (2, 7, 2))
    add_arange("int32_7x2x2", "int32", (7, 2, 2))
    add_arange("int32_8x8x8", "int32", (8, 8, 8))
    add_arange("int32_2x2x2x2", "int32", (2, 2, 2, 2))
    add_arange("int32_2x1x2x1x2", "int32", (2, 1, 2, 1, 2))
    add_arange("int32_6d", "int32", (2, 2, 2, 2, 2, 2))
    add_arange("int32_6d_summarised", "int32", (1, 7, 1, 2, 1, 8))
    add_arange("float32_7d_ones", "float32", (1, 1, 1, 1, 1, 1, 1), start=1.0)
    add_arange("int32_1x1", "int32", (1, 1), start=1.0)
    add_arange("int32_40d_ones", "int32", (1,) * 40, start=1.0, step=0.0)
    add_arange("int32_9d_mixed", "int32", (1, 2, 1) * 3, start=1.0, step=0.0)
    add_arange("float32_100x100", "float32", (100, 100), start=-50.0, step=0.25)
    add_arange("float16_3x9", "float16", (3, 9), start=-3.0, step=0.125)
    add_arange("bfloat16_9x2", "bfloat16", (9, 2), start=0.5, step=0.5)
    add_arange("float64_2x2", "float64", (2, 2), start=0.1, step=1.0)
    add_arange("complex_8", "complex64", (8,), start=0.5, step=1.0)
    add_arange("uint8_2x8", "uint8", (2, 8))
    add_arange("int64_7", "int64", (7,), start=-3.0)

    # --- strided views --------------------------------------------------------
    add_view("view_transpose", "int32", (3, 4), lambda x: x.T)
    add_view("view_step", "int32", (3, 4), lambda x: x[::2, 1::2])
    add_view("view_offset", "int32", (3, 4), lambda x: x[1:, 2:])
    add_view("view_reversed", "int32", (3, 4), lambda x: x[::-1, ::-2])
    add_view("view_broadcast", "float32", (2,),
             lambda x: (np.broadcast_to(x, (3, 2)) if isinstance(x, np.ndarray)
                        else mx.broadcast_to(x, (3, 2))))
    add_view("view_transpose_summarised", "float32", (8, 9), lambda x: x.T)
    add_view("view_3d_swap", "int16", (2, 3, 4),
             lambda x: (np.swapaxes(x, 0, 2) if isinstance(x, np.ndarray)
                        else mx.swapaxes(x, 0, 2)))

    # --- precision option -------------------------------------------------------
    pvals = [1.5, 1.0, 0.1, 1e-5, 1e10, 123456.0, 1234567.0, 3.14159265, 2 / 3,
             NAN, -INF, -0.0, 0.000123456789, 12.5, 0.5]
    for p in [0, 1, 3, 10, 20, -2]:
        ptag = f"m{-p}" if p < 0 else str(p)
        for dt in ["float16", "bfloat16", "float32", "float64"]:
            for lo in range(0, len(pvals), 5):
                add_array(f"precision{ptag}_{dt}_{lo}", from_values(dt, pvals[lo:lo + 5]),
                          precision=p)
        add_array(f"precision{ptag}_complex",
                  mx.array(np.array([1 + 2.5j, 1 / 3 - 2j, -0.5 + 0j], dtype=np.complex64)),
                  precision=p)
        add_array(f"precision{ptag}_int32", mx.array([1, -2, 3]), precision=p)
        add_array(f"precision{ptag}_bool", mx.array([True, False]), precision=p)
        add_array(f"precision{ptag}_f32_0d", mx.array(1 / 3), precision=p)
    # The thread test in test_print.c flips between these two.
    add_array("thirds_default", from_values("float32", [1 / 3, 2 / 3]))
    add_array("thirds_precision3", from_values("float32", [1 / 3, 2 / 3]), precision=3)
    add_array("precision50_f32", from_values("float32", [1 / 3, 1e-30]), precision=50)
    add_array("precision100_f32", from_values("float32", [1 / 3, 3.4e38]), precision=100)
    add_array("precision3_f64_huge", from_values("float64", [1e300, -1e-300]), precision=3)


# --- C emission -------------------------------------------------------------------


def c_string(s, indent):
    """A C string literal, split after each newline for readability."""
    esc = s.replace("\\", "\\\\").replace('"', '\\"')
    parts = esc.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + [parts[-1]]
    return ("\n" + " " * indent).join(f'"{ln}"' for ln in lines if ln != "" or len(lines) == 1)


def c_hex(h, indent):
    chunks = [h[i:i + 96] for i in range(0, len(h), 96)] or [""]
    return ("\n" + " " * indent).join(f'"{c}"' for c in chunks)


def c_ints(xs):
    return "{" + ", ".join(str(int(x)) for x in xs) + "}" if xs else "{0}"


def emit():
    out = [BEGIN,
           "/* Produced by MLX " + mx.__version__ + " (repr() of mlx.core arrays, which equals",
           " * str()); regenerate with tests/c/gen_print_cases.py --write. */",
           "static const print_case cases[] = {"]
    for c in cases:
        head = (f'.name = "{c["name"]}", .dtype = MX_{c["dtype"].upper()}, '
                f'.ndim = {len(c["shape"])}, .shape = {c_ints(c["shape"])}, '
                f'.precision = {c["precision"]}')
        f = [head]
        if c["fill"] == "hex":
            f.append(".fill = FILL_HEX, .hex = " + c_hex(c["hex"], 30))
        else:
            f.append(f'.fill = FILL_ARANGE, .start = {c["start"]!r}, .step = {c["step"]!r}')
        if "view" in c:
            v = c["view"]
            f.append(f'.view = 1, .base_ndim = {len(v["base_shape"])}, '
                     f'.base_shape = {c_ints(v["base_shape"])}, '
                     f'.strides = {c_ints(v["strides"])}, .offset = {v["offset"]}')
        f.append(".expected = " + c_string(c["expected"], 17))
        out.append("    {" + ",\n     ".join(f) + "},")
    out.append("};")
    out.append(END)
    return "\n".join(out)


def main():
    with np.errstate(over="ignore", invalid="ignore"):
        build_cases()
    text = emit()
    if "--write" in sys.argv:
        with open(TARGET) as fh:
            src = fh.read()
        a = src.index(BEGIN)
        b = src.index(END) + len(END)
        with open(TARGET, "w") as fh:
            fh.write(src[:a] + text + src[b:])
        print(f"wrote {len(cases)} cases to {TARGET}")
    else:
        print(text)


if __name__ == "__main__":
    main()
