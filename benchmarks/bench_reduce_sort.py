"""Reduction and sort benchmark of the reduce_sort family against NumPy.

Run: PYTHONPATH=<dir holding mlx/core*.so> python3 benchmarks/bench_reduce_sort.py
Prints the median time of each op in both libraries and the ratio
(NumPy time / mlx time: above 1 means mlx is faster)."""
import time

import numpy as np

import mlx.core as mx


def timeit(fn, reps=7):
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
    print(f"{name:28s} numpy {tn * 1e3:8.2f} ms   mlx {tm * 1e3:8.2f} ms   ratio {tn / tm:5.2f}")


def main():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4096, 4096)).astype(np.float32)
    ma = mx.array(a)
    for name, nf, mf in [("sum", np.sum, mx.sum), ("max", np.max, mx.max),
                         ("argmax", np.argmax, mx.argmax)]:
        for axis in (None, 1, 0):
            row(f"{name} axis={axis}", lambda: nf(a, axis=axis), lambda: mf(ma, axis=axis))
    x = rng.standard_normal(1 << 22).astype(np.float32)
    mxx = mx.array(x)
    row("sort 2^22 f32", lambda: np.sort(x), lambda: mx.sort(mxx))
    row("argsort 2^22 f32", lambda: np.argsort(x, kind="stable"), lambda: mx.argsort(mxx))
    row("argsort 2^22 f32 (quick)", lambda: np.argsort(x), lambda: mx.argsort(mxx))
    k = len(x) // 2
    row("partition 2^22 f32 k=n/2", lambda: np.partition(x, k), lambda: mx.partition(mxx, k))
    row("argpartition 2^22 f32 k=n/2", lambda: np.argpartition(x, k),
        lambda: mx.argpartition(mxx, k))
    row("topk 2^22 f32 k=10", lambda: np.partition(x, len(x) - 10)[-10:],
        lambda: mx.topk(mxx, 10))
    b = rng.standard_normal((1024, 4096)).astype(np.float32)
    mb = mx.array(b)
    row("sort 1024x4096 axis=-1", lambda: np.sort(b, axis=-1), lambda: mx.sort(mb, axis=-1))
    row("partition 1024x4096 axis=-1", lambda: np.partition(b, 100, axis=-1),
        lambda: mx.partition(mb, 100, axis=-1))
    row("argmin axis=1", lambda: np.argmin(a, axis=1), lambda: mx.argmin(ma, axis=1))
    row("cumsum 4096x4096 axis=1", lambda: np.cumsum(a, axis=1), lambda: mx.cumsum(ma, axis=1))
    row("cumsum 4096x4096 axis=0", lambda: np.cumsum(a, axis=0), lambda: mx.cumsum(ma, axis=0))


if __name__ == "__main__":
    main()
