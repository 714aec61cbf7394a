"""Issue 3 performance table: the mlx.core op set on the CPU against NumPy,
OpenBLAS (called directly) and PyTorch, each measured in the same run.

Rows: unary and binary elementwise ops on 2^24 float32 (contiguous and
broadcast, remainder among them); sum/max/argmax/argmin of a 4096x4096
float32 array over all, the last and the first axis; float32 matmul 4096^3
against cblas_sgemm; bfloat16 and float16 matmul rates against our float32
rate; sort/argsort of 2^22 float32; a ResNet conv2d layer and a depthwise
one against PyTorch CPU.  `ratio` is reference time / cmlx time (1.00 or
more means cmlx is at least as fast); `goal` is what issue 3
asks.  A row whose mx function does not exist yet prints n/a.

Run: make bench   (or PYTHONPATH=python python3 benchmarks/bench_ops.py)
     BENCH_QUICK=1 shrinks the matmul/conv rows for a fast smoke run."""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import time

AVX512_CORES = ("skylakex", "cooperlake", "sapphirerapids")


def _cpu_has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def _openblas_path():
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            ctypes.CDLL(name)
            return name
        except OSError:
            pass
    return ctypes.util.find_library("openblas")


def _probe_corename(env):
    """The kernel OpenBLAS picks under `env`, asked in a fresh process (the
    choice is made when the library loads)."""
    code = ("import ctypes,sys; l=ctypes.CDLL(sys.argv[1]); "
            "l.openblas_get_corename.restype=ctypes.c_char_p; "
            "print(l.openblas_get_corename().decode())")
    try:
        out = subprocess.run([sys.executable, "-c", code, _openblas_path()], env=env,
                             capture_output=True, text=True, timeout=60)
        return out.stdout.strip() or "?"
    except Exception:  # noqa: BLE001 - only informational
        return "?"


# OpenBLAS 0.3.21 takes some AVX-512 CPUs (Zen 4/5) for Haswell and then runs
# its AVX2 kernels.  The kernel is chosen when libopenblas loads (mlx.core
# and NumPy load it at import), so decide before importing them: when the CPU
# has AVX-512 and OpenBLAS picks a non-AVX-512 core on its own, ask for
# SkylakeX.  Both cmlx and the cblas_sgemm reference then run that kernel.
if (_openblas_path() and _cpu_has_avx512() and "OPENBLAS_CORETYPE" not in os.environ
        and not os.environ.get("BENCH_NO_CORETYPE")):
    if _probe_corename(dict(os.environ)).lower() not in AVX512_CORES:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"

import numpy as np  # noqa: E402
from timing import timeit as _timeit  # noqa: E402

import mlx.core as mx  # noqa: E402

QUICK = bool(os.environ.get("BENCH_QUICK"))


def timeit(fn, repeat=5, min_time=0.1):
    return _timeit(fn, repeat, min_time)


def header(title, ref):
    print(f"\n{title}")
    print(f"{'benchmark':<44} {'cmlx ms':>10} {ref + ' ms':>13} {'ratio':>7}  goal")


def row(name, mx_fn, ref_fn, goal=">= 1", **kw):
    """Times one row; `mx_fn` None (function missing) prints n/a."""
    if mx_fn is None:
        print(f"{name:<44} {'n/a':>10}")
        return None
    try:
        t_mx = timeit(mx_fn, **kw)
    except Exception as e:  # noqa: BLE001 - a failing op must not stop the table
        print(f"{name:<44} {'error':>10}  {type(e).__name__}: {str(e)[:60]}")
        return None
    t_ref = timeit(ref_fn, **kw) if ref_fn is not None else None
    ref_txt = f"{t_ref * 1e3:>13.2f}" if t_ref else f"{'-':>13}"
    ratio = f"{t_ref / t_mx:>7.2f}" if t_ref else f"{'-':>7}"
    print(f"{name:<44} {t_mx * 1e3:>10.2f} {ref_txt} {ratio}  {goal}")
    return t_mx, t_ref


def has(name):
    return getattr(mx, name, None)


def ev(f):
    """An mx thunk that builds and evaluates f()."""
    return lambda: mx.eval(f())


# ---------------------------------------------------------------------------

def bench_elementwise(rng):
    header("elementwise, 2^24 float32 (4096x4096)", "numpy")
    n = 4096
    x_np = rng.standard_normal((n, n)).astype(np.float32)
    y_np = rng.standard_normal((n, n)).astype(np.float32)
    p_np = np.abs(x_np) + 0.5
    row_np = rng.standard_normal(n).astype(np.float32)
    col_np = rng.standard_normal((n, 1)).astype(np.float32)
    x, y, p = mx.array(x_np), mx.array(y_np), mx.array(p_np)
    r, c = mx.array(row_np), mx.array(col_np)
    mx.eval(x, y, p, r, c)
    unary = [("abs", np.abs, x, x_np), ("negative", np.negative, x, x_np),
             ("square", np.square, x, x_np), ("sqrt", np.sqrt, p, p_np),
             ("exp", np.exp, x, x_np), ("log", np.log, p, p_np), ("sin", np.sin, x, x_np),
             ("tanh", np.tanh, x, x_np), ("sigmoid", None, x, x_np),
             ("floor", np.floor, x, x_np)]
    for name, ref, a, a_np in unary:
        f = has(name)
        if name == "sigmoid":
            ref_fn = (lambda: np.reciprocal(1 + np.exp(-x_np)))
        else:
            ref_fn = (lambda ref=ref, a_np=a_np: ref(a_np))
        row(f"{name}", f and ev(lambda f=f, a=a: f(a)), ref_fn)
    binary = [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
              ("divide", np.divide), ("maximum", np.maximum), ("power", np.power),
              ("remainder", np.remainder), ("greater", np.greater)]
    for name, ref in binary:
        f = has(name)
        a, a_np = (p, p_np) if name == "power" else (x, x_np)
        row(f"{name}", f and ev(lambda f=f, a=a: f(a, y)), lambda ref=ref, a_np=a_np: ref(a_np, y_np))
    for name, ref in [("add", np.add), ("multiply", np.multiply), ("maximum", np.maximum)]:
        f = has(name)
        row(f"{name} broadcast row (n,n)+(n,)", f and ev(lambda f=f: f(x, r)),
            lambda ref=ref: ref(x_np, row_np))
        row(f"{name} broadcast col (n,n)+(n,1)", f and ev(lambda f=f: f(x, c)),
            lambda ref=ref: ref(x_np, col_np))
    f = has("add")
    xt, xt_np = (mx.transpose(x) if has("transpose") else None), x_np.T
    row("add transposed (n,n).T+(n,n)", f and xt is not None and ev(lambda: f(xt, y)),
        lambda: np.add(xt_np, y_np))
    f = has("where")
    row("where (ternary)", f and ev(lambda: f(x > 0, x, y)),
        lambda: np.where(x_np > 0, x_np, y_np))


def bench_reductions(rng):
    header("reductions, 4096x4096 float32", "numpy")
    x_np = rng.standard_normal((4096, 4096)).astype(np.float32)
    x = mx.array(x_np)
    mx.eval(x)
    for name in ("sum", "max", "argmax", "argmin"):
        f = has(name)
        ref = getattr(np, name)
        for label, axis in (("all", None), ("last", -1), ("first", 0)):
            if name in ("argmax", "argmin") and axis is None:
                mx_fn = f and ev(lambda f=f: f(x))
            else:
                mx_fn = f and ev(lambda f=f, axis=axis: f(x, axis=axis))
            row(f"{name} over {label} axis" if axis is not None else f"{name} over all",
                mx_fn, lambda ref=ref, axis=axis: ref(x_np, axis=axis))


def _cblas_sgemm():
    """cblas_sgemm and openblas_get_corename through ctypes, or None."""
    path = _openblas_path()
    if not path:
        return None, "no libopenblas"
    lib = ctypes.CDLL(path)
    lib.openblas_get_corename.restype = ctypes.c_char_p
    lib.openblas_get_config.restype = ctypes.c_char_p
    f = lib.cblas_sgemm
    f.restype = None
    f.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                  ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                  ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int]
    info = (f"{lib.openblas_get_corename().decode()} kernel, "
            f"{lib.openblas_get_num_threads()} threads ({lib.openblas_get_config().decode()})")
    return f, info


def bench_matmul(rng):
    k = 1024 if QUICK else 4096
    sgemm, info = _cblas_sgemm()
    header(f"matmul {k}^3", "OpenBLAS")
    print(f"OpenBLAS: {info}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    a_np = rng.standard_normal((k, k)).astype(np.float32)
    b_np = rng.standard_normal((k, k)).astype(np.float32)
    c_np = np.empty((k, k), np.float32)
    a, b = mx.array(a_np), mx.array(b_np)
    mx.eval(a, b)
    flops = 2.0 * k ** 3
    ref = None
    if sgemm is not None:
        pa, pb, pc = (arr.ctypes.data for arr in (a_np, b_np, c_np))
        # Row-major (101), no transposes (111).
        ref = lambda: sgemm(101, 111, 111, k, k, k, 1.0, pa, k, pb, k, 0.0, pc, k)  # noqa: E731
    kw = {"repeat": 3, "min_time": 0.5}
    res = row("float32 matmul vs cblas_sgemm", has("matmul") and ev(lambda: mx.matmul(a, b)),
              ref, goal=">= 0.85", **kw)
    if res:
        t_mx, t_ref = res
        extra = f", OpenBLAS {flops / t_ref / 1e9:.1f} GFLOP/s" if t_ref else ""
        print(f"{'':<44} cmlx {flops / t_mx / 1e9:.1f} GFLOP/s{extra}")
        row("float32 matmul vs numpy.matmul", ev(lambda: mx.matmul(a, b)),
            lambda: np.matmul(a_np, b_np), goal="(info)", **kw)
    for dt in ("bfloat16", "float16"):
        d = getattr(mx, dt)
        ah, bh = a.astype(d), b.astype(d)
        mx.eval(ah, bh)
        if res is None:
            print(f"{dt + ' matmul rate / float32 rate':<44} {'n/a':>10}")
            continue
        try:
            t_h = timeit(ev(lambda ah=ah, bh=bh: mx.matmul(ah, bh)), repeat=2, min_time=0.5)
        except Exception as e:  # noqa: BLE001
            print(f"{dt + ' matmul':<44} {'error':>10}  {type(e).__name__}: {e}")
            continue
        print(f"{dt + ' matmul rate / float32 rate':<44} {t_h * 1e3:>10.2f} "
              f"{res[0] * 1e3:>13.2f} {res[0] / t_h:>7.2f}  >= 0.5   "
              f"({flops / t_h / 1e9:.1f} GFLOP/s)")


def bench_sort(rng):
    header("sort, 2^22 float32", "numpy")
    x_np = rng.standard_normal(1 << 22).astype(np.float32)
    x = mx.array(x_np)
    mx.eval(x)
    for name in ("sort", "argsort"):
        f = has(name)
        ref = getattr(np, name)
        row(name, f and ev(lambda f=f: f(x)), lambda ref=ref: ref(x_np), repeat=3)
    x2_np = x_np.reshape(1024, 4096)
    x2 = mx.array(x2_np)
    f = has("sort")
    row("sort 1024x4096 last axis", f and ev(lambda: f(x2, axis=-1)),
        lambda: np.sort(x2_np, axis=-1), repeat=3)


def bench_conv(rng):
    # ResNet-50 stage-1 3x3 layer: 56x56, 64 -> 64 channels, padding 1.
    n = 2 if QUICK else 8
    header(f"conv2d ResNet layer: batch {n}, 56x56, 64->64, 3x3, pad 1", "torch")
    try:
        import torch
    except Exception:  # noqa: BLE001 - the row is optional
        print(f"{'conv2d vs torch':<44} {'n/a':>10}  (torch not importable)")
        return
    x_np = rng.standard_normal((n, 56, 56, 64)).astype(np.float32)
    w_np = (rng.standard_normal((64, 3, 3, 64)) * 0.05).astype(np.float32)
    x, w = mx.array(x_np), mx.array(w_np)
    mx.eval(x, w)
    xt = torch.from_numpy(np.ascontiguousarray(x_np.transpose(0, 3, 1, 2)))
    wt = torch.from_numpy(np.ascontiguousarray(w_np.transpose(0, 3, 1, 2)))
    torch.set_num_threads(os.cpu_count() or 1)
    f = has("conv2d")

    def ref():
        with torch.no_grad():
            torch.nn.functional.conv2d(xt, wt, padding=1)

    row(f"conv2d vs torch ({torch.get_num_threads()} threads)",
        f and ev(lambda: f(x, w, stride=1, padding=1)), ref, goal=">= 0.67", repeat=3)
    # Depthwise (groups == channels), against torch's faster layout for it
    # (channels last, which is also MLX's).
    wd_np = (rng.standard_normal((64, 3, 3, 1)) * 0.3).astype(np.float32)
    wd = mx.array(wd_np)
    xcl = xt.contiguous(memory_format=torch.channels_last)
    wdt = torch.from_numpy(np.ascontiguousarray(wd_np.transpose(0, 3, 1, 2)))

    def ref_dw():
        with torch.no_grad():
            torch.nn.functional.conv2d(xcl, wdt, padding=1, groups=64)

    row("depthwise conv2d 64 groups vs torch NHWC",
        f and ev(lambda: f(x, wd, stride=1, padding=1, groups=64)), ref_dw, goal=">= 0.67",
        repeat=3)


def main():
    mx.set_default_device(mx.cpu)
    rng = np.random.default_rng(0)
    print(f"cmlx benchmark, {os.cpu_count()} CPUs; ratio = reference time / cmlx time")
    for bench in (bench_elementwise, bench_reductions, bench_matmul, bench_sort, bench_conv):
        bench(rng)


if __name__ == "__main__":
    main()
