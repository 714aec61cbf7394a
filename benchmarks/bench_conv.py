"""Convolution and matrix-product benchmark: cmlx against PyTorch (CPU) and
NumPy/OpenBLAS, measured in the same run.

    PYTHONPATH=<dir with mlx/core*.so> python3 benchmarks/bench_conv.py

Prints one line per case with the best-of-N time of each side and the ratio
ours / theirs (lower is better; the target for the ResNet layer is <= 1.5).
PyTorch is compared in channels-last memory format (MLX's layout) and in
its default NCHW layout; both run on the same number of threads as cmlx.
The two sides are timed alternately, and PyTorch's OpenMP workers are told
to sleep when idle (OMP_WAIT_POLICY=PASSIVE): by default they spin for a
while after each call and steal the cores from whatever runs next.
"""
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np

import mlx.core as mx

try:
    import torch
except ImportError:  # the comparison needs `pip install torch`
    torch = None


def best_of(fn, repeat=10, warmup=2):
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def best_of_pair(f, g, repeat=15, warmup=2):
    """Best times of f and g, measured alternately so load changes hit both."""
    for _ in range(warmup):
        f()
        g()
    bf = bg = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        bf = min(bf, time.perf_counter() - t)
        t = time.perf_counter()
        g()
        bg = min(bg, time.perf_counter() - t)
    return bf, bg


def conv_case(name, n, h, w, cin, cout, k, stride, pad, groups=1, dtype=mx.float32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, h, w, cin), dtype=np.float32)
    wt = rng.standard_normal((cout, k, k, cin // groups), dtype=np.float32)
    xm, wm = mx.array(x).astype(dtype), mx.array(wt).astype(dtype)
    mx.eval(xm, wm)
    run_ours = lambda: mx.eval(mx.conv2d(xm, wm, stride=stride, padding=pad, groups=groups))
    ours = best_of(run_ours)
    ho = (h + 2 * pad - k) // stride + 1
    wo = (w + 2 * pad - k) // stride + 1
    flops = 2.0 * n * ho * wo * cout * k * k * (cin // groups)
    tail = ""
    if torch is not None and dtype == mx.float32:
        xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
        wtt = torch.from_numpy(wt).permute(0, 3, 1, 2).contiguous()
        xcl = xt.contiguous(memory_format=torch.channels_last)
        wcl = wtt.contiguous(memory_format=torch.channels_last)
        f = torch.nn.functional.conv2d
        with torch.no_grad():
            ours, t_cl = best_of_pair(run_ours,
                                      lambda: f(xcl, wcl, stride=stride, padding=pad, groups=groups))
            _, t_nchw = best_of_pair(run_ours,
                                     lambda: f(xt, wtt, stride=stride, padding=pad, groups=groups))
        tail = (f" | torch NHWC {t_cl * 1e3:7.2f} ms ratio {ours / t_cl:5.2f}"
                f" | torch NCHW {t_nchw * 1e3:7.2f} ms ratio {ours / t_nchw:5.2f}")
    print(f"{name:<34} cmlx {ours * 1e3:8.2f} ms ({flops / ours / 1e9:6.1f} GFLOP/s){tail}",
          flush=True)


def matmul_case(n, dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    am, bm = mx.array(a).astype(dtype), mx.array(b).astype(dtype)
    mx.eval(am, bm)
    ours = best_of(lambda: mx.eval(am @ bm), repeat=3, warmup=1)
    ref = best_of(lambda: a @ b, repeat=3, warmup=1)
    print(f"matmul {n}^3 {str(dtype):<18} cmlx {2 * n**3 / ours / 1e9:7.1f} GFLOP/s | "
          f"numpy f32 {2 * n**3 / ref / 1e9:7.1f} GFLOP/s | ratio to f32 BLAS {ref / ours:5.2f}",
          flush=True)


def batched_case(batch, n):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((batch, n, n), dtype=np.float32)
    am = mx.array(a)
    mx.eval(am)
    ours = best_of(lambda: mx.eval(am @ am))
    ref = best_of(lambda: a @ a)
    print(f"batched matmul {batch}x{n}^3 float32      cmlx {ours * 1e3:7.2f} ms | numpy "
          f"{ref * 1e3:7.2f} ms | ratio {ours / ref:5.2f}", flush=True)


if __name__ == "__main__":
    threads = os.cpu_count()
    if torch is not None:
        torch.set_num_threads(threads)
    print(f"threads: {threads}; torch: {torch.__version__ if torch else 'not installed'}")
    conv_case("conv2d ResNet 8x56x56 64->64 3x3", 8, 56, 56, 64, 64, 3, 1, 1)
    conv_case("conv2d 8x28x28 128->128 3x3", 8, 28, 28, 128, 128, 3, 1, 1)
    conv_case("conv2d 8x56x56 64->128 3x3 s2", 8, 56, 56, 64, 128, 3, 2, 1)
    conv_case("conv2d 8x56x56 64->256 1x1", 8, 56, 56, 64, 256, 1, 1, 0)
    conv_case("conv2d 8x112x112 3->64 7x7 s2", 8, 224, 224, 3, 64, 7, 2, 3)
    conv_case("conv2d depthwise 8x56x56 64 3x3", 8, 56, 56, 64, 64, 3, 1, 1, groups=64)
    conv_case("conv2d ResNet layer bfloat16", 8, 56, 56, 64, 64, 3, 1, 1, dtype=mx.bfloat16)
    n = int(os.environ.get("BENCH_MATMUL_N", "2048"))  # the table uses 4096
    for dt in (mx.float32, mx.bfloat16, mx.float16):
        matmul_case(n, dt)
    batched_case(4096, 32)
    batched_case(256, 128)
