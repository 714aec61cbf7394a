"""Foundation benchmarks: per-op overhead, a large add and a matmul, each
against NumPy measured in the same run.  Prints a table of times and the
ratio NumPy time / cmlx time (above 1 means cmlx is faster).

Run: make bench   (or PYTHONPATH=python python3 benchmarks/bench_core.py)"""
import time

import numpy as np
from timing import timeit as _timeit

import mlx.core as mx


def timeit(fn, repeat=7, min_time=0.2):
    return _timeit(fn, repeat, min_time, max_calls=1 << 20)


def row(name, t_mx, t_np):
    print(f"{name:<40} {t_mx * 1e6:>12.1f} {t_np * 1e6:>12.1f} {t_np / t_mx:>8.2f}")


def main():
    mx.set_default_device(mx.cpu)
    rng = np.random.default_rng(0)
    print(f"{'benchmark (CPU)':<40} {'cmlx us':>12} {'numpy us':>12} {'ratio':>8}")

    # Per-op overhead: build one small op and evaluate it.
    a_np = rng.standard_normal(4).astype(np.float32)
    b_np = rng.standard_normal(4).astype(np.float32)
    a, b = mx.array(a_np), mx.array(b_np)
    row("op overhead: add of 4 floats + eval", timeit(lambda: mx.eval(a + b)),
        timeit(lambda: a_np + b_np))

    # Large elementwise add: 2^24 float32 (bandwidth bound).
    n = 1 << 24
    x_np = rng.standard_normal(n).astype(np.float32)
    y_np = rng.standard_normal(n).astype(np.float32)
    x, y = mx.array(x_np), mx.array(y_np)
    row("add 2^24 float32", timeit(lambda: mx.eval(x + y), repeat=5),
        timeit(lambda: np.add(x_np, y_np), repeat=5))

    # Sum of 2^24 float32.
    row("sum 2^24 float32", timeit(lambda: mx.eval(x.sum()), repeat=5),
        timeit(lambda: x_np.sum(), repeat=5))

    # Matmul, float32 (BLAS on both sides).
    for k in (256, 1024, 2048):
        p_np = rng.standard_normal((k, k)).astype(np.float32)
        q_np = rng.standard_normal((k, k)).astype(np.float32)
        p, q = mx.array(p_np), mx.array(q_np)
        t_mx = timeit(lambda: mx.eval(p @ q), repeat=3)
        t_np = timeit(lambda: p_np @ q_np, repeat=3)
        row(f"matmul {k}x{k}x{k} float32", t_mx, t_np)
        print(f"{'':<40} {2 * k ** 3 / t_mx / 1e9:>9.1f} GF {2 * k ** 3 / t_np / 1e9:>9.1f} GF")


if __name__ == "__main__":
    main()
