"""mx.linalg benchmark against NumPy in the same run: 1024x1024 float32
inv, svd, eigh, solve (plus qr, cholesky and a batch of small inverses).

Run: PYTHONPATH=<dir holding mlx/core*.so> python3 benchmarks/bench_linalg.py
Prints the median time per call of each library and the ratio NumPy time /
mlx time (above 1 means mlx is faster).  Both call LAPACK (NumPy through
its bundled OpenBLAS, mlx through the system OpenBLAS), with the same
drivers: getrf/getri or gesv, gesdd, syevd."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timeit  # noqa: E402

import mlx.core as mx  # noqa: E402

L = mx.linalg


def row(name, np_fn, mx_fn):
    tn = timeit(np_fn, repeat=3, min_time=0.3)
    tm = timeit(lambda: mx.eval(mx_fn()), repeat=3, min_time=0.3)
    print(f"{name:34s} numpy {tn * 1e3:9.2f} ms   mlx {tm * 1e3:9.2f} ms   ratio {tn / tm:5.2f}",
          flush=True)


def main():
    rng = np.random.default_rng(0)
    n = 1024
    a = rng.standard_normal((n, n)).astype(np.float32)
    spd = (a @ a.T + n * np.eye(n)).astype(np.float32)
    b = rng.standard_normal((n, 16)).astype(np.float32)
    ma, ms, mb = mx.array(a), mx.array(spd), mx.array(b)
    row(f"inv {n}x{n} f32", lambda: np.linalg.inv(a), lambda: L.inv(ma))
    row(f"solve {n}x{n} f32 (16 rhs)", lambda: np.linalg.solve(a, b), lambda: L.solve(ma, mb))
    row(f"svd {n}x{n} f32", lambda: np.linalg.svd(a), lambda: L.svd(ma))
    row(f"svd {n}x{n} f32 values only", lambda: np.linalg.svd(a, compute_uv=False),
        lambda: L.svd(ma, compute_uv=False))
    row(f"eigh {n}x{n} f32", lambda: np.linalg.eigh(spd), lambda: L.eigh(ms))
    row(f"eigvalsh {n}x{n} f32", lambda: np.linalg.eigvalsh(spd), lambda: L.eigvalsh(ms))
    row(f"qr {n}x{n} f32", lambda: np.linalg.qr(a), lambda: L.qr(ma))
    row(f"cholesky {n}x{n} f32", lambda: np.linalg.cholesky(spd), lambda: L.cholesky(ms))
    small = rng.standard_normal((4096, 8, 8)).astype(np.float32) + 4 * np.eye(8, dtype=np.float32)
    msmall = mx.array(small)
    row("inv 4096 x (8x8) f32", lambda: np.linalg.inv(small), lambda: L.inv(msmall))


if __name__ == "__main__":
    main()
