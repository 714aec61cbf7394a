"""The timer shared by the benchmark scripts (no mlx or NumPy import here, so
a script can set environment variables before importing them)."""
import statistics
import time


def timeit(fn, repeat=5, min_time=0.1, max_calls=1 << 16):
    """Median seconds per call of `fn` over `repeat` rounds of at least
    about `min_time` seconds each, after one warm-up call (caches, thread
    pool, first allocation)."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= min_time / 4 or n >= max_calls:
            break
        n *= 4
    rounds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - t0) / n)
    return statistics.median(rounds)
