"""Sort/argsort benchmark against NumPy for the cases the CPU sort is tuned for.

Run: PYTHONPATH=<dir holding mlx/core*.so> python3 benchmarks/bench_sort_focus.py
Ratio = NumPy time / mlx time (above 1: mlx is faster)."""
import time

import numpy as np

import mlx.core as mx


def timeit(fn, reps=9):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]


def row(name, np_fn, mx_fn):
    tn = timeit(np_fn)
    tm = timeit(lambda: mx.eval(mx_fn()))
    print(f"{name:34s} numpy {tn * 1e3:8.2f} ms   mlx {tm * 1e3:8.2f} ms   ratio {tn / tm:5.2f}")


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(1 << 22).astype(np.float32)
    mxx = mx.array(x)
    row("sort 2^22 f32", lambda: np.sort(x), lambda: mx.sort(mxx))
    row("argsort 2^22 f32 (stable)", lambda: np.argsort(x, kind="stable"), lambda: mx.argsort(mxx))
    b = rng.standard_normal((1024, 4096)).astype(np.float32)
    mb = mx.array(b)
    row("sort 1024x4096 axis=-1", lambda: np.sort(b, axis=-1), lambda: mx.sort(mb, axis=-1))
    row("argsort 1024x4096 axis=-1 (stable)", lambda: np.argsort(b, axis=-1, kind="stable"),
        lambda: mx.argsort(mb, axis=-1))


if __name__ == "__main__":
    main()
