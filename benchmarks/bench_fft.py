"""mx.fft against NumPy (pocketfft) in the same run: a 2^20-point complex64
fft, a 2^20-point float32 rfft, a batch of 256 x 4096 complex transforms
(along the contiguous axis and along the strided one), the inverse real
transform and a 2-D real transform.  Prints times and ratios (NumPy time /
ours: above 1 means we are faster).  NumPy computes complex64 input in
single precision since 2.0, so both sides do the same work."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timeit  # noqa: E402

import mlx.core as mx  # noqa: E402
import numpy as np  # noqa: E402


def main():
    rng = np.random.default_rng(0)
    n = 1 << 20
    c = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    r = rng.standard_normal(n).astype(np.float32)
    cb = (rng.standard_normal((256, 4096)) + 1j * rng.standard_normal((256, 4096))).astype(
        np.complex64)
    r2 = rng.standard_normal((1024, 1024)).astype(np.float32)
    spec = np.fft.rfft(r).astype(np.complex64)
    cases = [
        ("fft complex64 2^20", c, np.fft.fft, mx.fft.fft),
        ("rfft float32 2^20", r, np.fft.rfft, mx.fft.rfft),
        ("irfft 2^20", spec, np.fft.irfft, mx.fft.irfft),
        ("fft 256x4096 (last axis)", cb, np.fft.fft, mx.fft.fft),
        ("fft 256x4096 (axis 0)", cb, lambda a: np.fft.fft(a, axis=0),
         lambda a: mx.fft.fft(a, axis=0)),
        ("rfft2 1024x1024", r2, np.fft.rfft2, mx.fft.rfft2),
        ("fft prime 1000003", c[:1000003], np.fft.fft, mx.fft.fft),
    ]
    print(f"{'case':28s} {'numpy ms':>10s} {'cmlx ms':>10s} {'ratio':>7s}")
    for name, x, npf, mxf in cases:
        xm = mx.array(x)
        mx.eval(xm)
        t_np = timeit(lambda: npf(x))
        t_mx = timeit(lambda: mx.eval(mxf(xm)))
        print(f"{name:28s} {t_np * 1e3:10.3f} {t_mx * 1e3:10.3f} {t_np / t_mx:7.2f}")
    t_c = timeit(lambda: mx.eval(mx.fft.fft(mx.array(r))))
    t_r = timeit(lambda: mx.eval(mx.fft.rfft(mx.array(r))))
    print(f"rfft speed-up over fft on the same 2^20 real input: {t_c / t_r:.2f}x")


if __name__ == "__main__":
    main()
