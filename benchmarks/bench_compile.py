"""mx.compile on the CPU: a chain of 10 elementwise ops over 2^24 float32,
compiled (one fused pass over memory) against uncompiled (ten passes, nine
intermediates), with the achieved bandwidth next to a copy measured in the
same run; and the overhead of calling a cached compiled function on small
inputs against calling the function itself.

Run: PYTHONPATH=build-X/py python3 benchmarks/bench_compile.py [--n LOG2]
(also runs under real MLX for comparison: /opt/mlxref/bin/python ...)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timeit  # noqa: E402

import numpy as np  # noqa: E402

import mlx.core as mx  # noqa: E402


def chain(x, y):
    """Ten elementwise ops, two inputs read, one output written."""
    a = x * 1.5 + y          # 2
    a = mx.maximum(a, 0.0)   # 3
    a = a * a - 0.25         # 5
    a = mx.abs(a) * y        # 7
    a = a / 3.0 + x          # 9
    return mx.negative(a)    # 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=24, help="log2 of the element count")
    args = ap.parse_args()
    n = 1 << args.n
    r = np.random.default_rng(0)
    xn = r.standard_normal(n).astype(np.float32)
    yn = r.standard_normal(n).astype(np.float32)
    x, y = mx.array(xn), mx.array(yn)
    mx.eval(x, y)

    cchain = mx.compile(chain)
    # Same results (bitwise: the fused kernel runs the same inner loops).
    a, b = cchain(x, y), chain(x, y)
    mx.eval(a, b)
    same = bool(mx.array_equal(a, b).item())
    stats = getattr(mx, "_compile_stats", None)

    t_u = timeit(lambda: mx.eval(chain(x, y)))
    t_c = timeit(lambda: mx.eval(cchain(x, y)))
    # A memory-bound reference in the same run: one read + one write of
    # n floats, by MLX (x + 0 is an elementwise copy) and by NumPy.
    t_copy = timeit(lambda: mx.eval(x + 0.0))
    dst = np.empty_like(xn)
    t_np = timeit(lambda: np.copyto(dst, xn))
    gb = lambda nbytes, t: nbytes / t / 1e9  # noqa: E731
    fused_bytes = 3 * 4 * n  # read x and y, write the result
    copy_bytes = 2 * 4 * n
    print(f"elementwise chain of 10 ops over 2^{args.n} float32 "
          f"({'cmlx' if stats else 'mlx'}; fused bitwise-equal: {same})")
    if stats:
        print(f"  trace: {stats(chain, x, y)}")
    print(f"  uncompiled  {t_u * 1e3:8.2f} ms")
    print(f"  compiled    {t_c * 1e3:8.2f} ms   speed-up {t_u / t_c:5.2f}x "
          f"(target >= 3x)")
    print(f"  compiled bandwidth  {gb(fused_bytes, t_c):6.1f} GB/s (3 x 4n bytes)")
    print(f"  mx copy (x + 0)     {gb(copy_bytes, t_copy):6.1f} GB/s   "
          f"numpy copyto {gb(copy_bytes, t_np):6.1f} GB/s")
    print(f"  compiled / numpy-copy bandwidth: {gb(fused_bytes, t_c) / gb(copy_bytes, t_np):4.2f}")

    # Call overhead on small inputs: the cached trace's replay against
    # building the same lazy graph by calling the function.
    print("call overhead (small inputs, including eval):")
    for size in (1, 16, 1024):
        xs, ys = mx.ones((size,)), mx.ones((size,))
        mx.eval(xs, ys)
        cchain(xs, ys)
        tu = timeit(lambda: mx.eval(chain(xs, ys)))
        tc = timeit(lambda: mx.eval(cchain(xs, ys)))
        print(f"  n={size:5d}: uncompiled {tu * 1e6:7.1f} us   compiled {tc * 1e6:7.1f} us   "
              f"ratio {tu / tc:4.2f}x")
    f1 = lambda a: a + 1.0  # noqa: E731
    cf1 = mx.compile(f1)
    s = mx.ones((4,))
    tu = timeit(lambda: mx.eval(f1(s)))
    tc = timeit(lambda: mx.eval(cf1(s)))
    print(f"  one op (a + 1): uncompiled {tu * 1e6:6.1f} us   compiled {tc * 1e6:6.1f} us")
    tu = timeit(lambda: chain(xs, ys))
    tc = timeit(lambda: cchain(xs, ys))
    print(f"  graph building only (no eval), n=1024: function {tu * 1e6:6.1f} us   "
          f"compiled replay {tc * 1e6:6.1f} us")


if __name__ == "__main__":
    main()
