"""Records reference outputs of mlx.core.random from real MLX.

Run with the reference install (MLX 0.32.4):

    /opt/mlxref/bin/python tests/python/gen_random_refs.py > tests/python/random_refs.py

Each case is a Python expression over `mx` (and `K`, a helper making keys);
the output file maps the expression to the dtype, shape, the SHA-256 of the
raw bytes and (for small results) the bytes themselves.  test_random.py
evaluates the same expressions with this library and requires identical
bytes, except where it documents a last-ulp tolerance.
"""
import base64
import hashlib
import sys
import zlib

import mlx.core as mx
import numpy as np

CASES = [
    # keys and splitting
    "mx.random.key(0)",
    "mx.random.key(2**64 - 1)",
    "mx.random.key(1234567890123)",
    "mx.random.split(K(0))",
    "mx.random.split(K(0), 3)",
    "mx.random.split(K(7), 1)",
    "mx.random.split(K(7), 0)",
    "mx.random.split(mx.random.split(K(5))[1], 5)",
    # the global sequence
    "seq(lambda: mx.random.uniform(shape=(4,)), 0, 3)",
    "seq(lambda: mx.random.normal(shape=(3,)), 42, 2)",
    "seq(lambda: mx.random.randint(0, 100, shape=(5,)), 1, 2)",
    # uniform: layouts (odd and even word counts), dtypes, bounds
    "mx.random.uniform(key=K(1))",
    "mx.random.uniform(shape=(1,), key=K(2))",
    "mx.random.uniform(shape=(3,), key=K(2))",
    "mx.random.uniform(shape=(5,), key=K(2))",
    "mx.random.uniform(shape=(7, 3), key=K(2))",
    "mx.random.uniform(shape=(1000,), key=K(3))",
    "mx.random.uniform(shape=(4097,), key=K(3))",
    "mx.random.uniform(shape=(300, 301), key=K(4))",
    "mx.random.uniform(shape=(9,), dtype=mx.float16, key=K(3))",
    "mx.random.uniform(shape=(9,), dtype=mx.bfloat16, key=K(3))",
    "mx.random.uniform(shape=(1000,), dtype=mx.float16, key=K(5))",
    "mx.random.uniform(shape=(1000,), dtype=mx.bfloat16, key=K(5))",
    "mx.random.uniform(shape=(200000,), dtype=mx.float16, key=K(6))",
    "mx.random.uniform(shape=(200000,), dtype=mx.bfloat16, key=K(6))",
    "mx.random.uniform(-3, 5.5, shape=(6,), key=K(3))",
    "mx.random.uniform(mx.array([0, 10.0]), mx.array([[1], [2.0]]), shape=(3, 2, 2), key=K(3))",
    "mx.random.uniform(mx.array([0, 10], mx.float16), 1, shape=(2,), dtype=mx.float16, key=K(3))",
    "mx.random.uniform(mx.array([0, 10], mx.int32), 1, shape=(2,), key=K(3))",
    "mx.random.uniform(0, float('inf'), shape=(3,), key=K(3))",
    "mx.random.uniform(2, 1, shape=(3,), key=K(3))",
    "mx.random.uniform(shape=(0,), key=K(3))",
    "mx.random.uniform(shape=(2, 0, 3), key=K(3))",
    # normal
    "mx.random.normal(key=K(7))",
    "mx.random.normal(shape=(1000,), key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.float16, key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.bfloat16, key=K(7))",
    "mx.random.normal(shape=(3, 4), dtype=mx.float64, key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.complex64, key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.complex64, loc=1.0, scale=2.0, key=K(7))",
    "mx.random.normal(shape=(1000,), loc=0.3, scale=1.7, key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.float16, loc=0.3, scale=1.7, key=K(7))",
    "mx.random.normal(shape=(1000,), dtype=mx.bfloat16, loc=0.3, scale=1.7, key=K(7))",
    "mx.random.normal(shape=(100,), dtype=mx.float64, loc=1.0, scale=2.0, key=K(7))",
    "mx.random.normal(shape=(3,), loc=mx.array([1, 2, 3], mx.int32), key=K(7))",
    "mx.random.normal(loc=mx.array([1, 2, 3.0]), key=K(7))",
    "mx.random.normal((2,), loc=mx.array([1, 2]), scale=mx.array([[1], [2]]), key=K(0))",
    # randint
    "mx.random.randint(0, 10, shape=(1000,), key=K(11))",
    "mx.random.randint(-7, 13, shape=(1000,), dtype=mx.uint8, key=K(11))",
    "mx.random.randint(-7.5, 13.2, shape=(1000,), key=K(11))",
    "mx.random.randint(7, 2, shape=(20,), key=K(11))",
    "mx.random.randint(-300, 300, shape=(1000,), dtype=mx.int8, key=K(11))",
    "mx.random.randint(-7.5, -2.5, shape=(1000,), dtype=mx.int16, key=K(11))",
    "mx.random.randint(0, 2**31 - 1, shape=(1000,), key=K(11))",
    "mx.random.randint(-2**31, 2**31 - 1, shape=(1000,), key=K(11))",
    "mx.random.randint(0, 1, shape=(20,), dtype=mx.bool_, key=K(11))",
    "mx.random.randint(0, 100, shape=(1000,), dtype=mx.int64, key=K(11))",
    "mx.random.randint(0, 2**40, shape=(200,), dtype=mx.uint32, key=K(11))",
    "mx.random.randint(mx.array([0, 10]), mx.array([[5], [20]]), shape=(2, 2), key=K(11))",
    # bernoulli
    "mx.random.bernoulli(key=K(13))",
    "mx.random.bernoulli(0.3, shape=(1000,), key=K(13))",
    "mx.random.bernoulli(mx.array([0.1, 0.5, 0.9]), key=K(13))",
    "mx.random.bernoulli(mx.array([0.1, 0.5, 0.9], mx.float16), shape=(4, 3), key=K(13))",
    "mx.random.bernoulli(mx.array([0.5, 0.2]), shape=(3, 2), key=K(13))",
    # truncated normal
    "mx.random.truncated_normal(-1.0, 2.0, shape=(1000,), key=K(17))",
    "mx.random.truncated_normal(-1.0, 2.0, shape=(1000,), dtype=mx.float16, key=K(17))",
    "mx.random.truncated_normal(-1.0, 2.0, shape=(1000,), dtype=mx.bfloat16, key=K(17))",
    "mx.random.truncated_normal(0.5, 0.7, shape=(500,), key=K(17))",
    "mx.random.truncated_normal(mx.array([0.0, 1]), 2, key=K(17))",
    "mx.random.truncated_normal(mx.array([0.0, 1]), 2, shape=(3, 2), key=K(17))",
    "mx.random.truncated_normal(2, 1, shape=(3,), key=K(17))",
    # gumbel
    "mx.random.gumbel(shape=(1000,), key=K(19))",
    "mx.random.gumbel(shape=(1000,), dtype=mx.float16, key=K(19))",
    "mx.random.gumbel(shape=(1000,), dtype=mx.bfloat16, key=K(19))",
    "mx.random.gumbel(shape=(300000,), dtype=mx.float16, key=K(19))",
    "mx.random.normal(shape=(300000,), key=K(8))",
    "mx.random.truncated_normal(-3.0, 3.0, shape=(300000,), dtype=mx.float16, key=K(8))",
    # laplace
    "mx.random.laplace(shape=(1000,), key=K(23))",
    "mx.random.laplace(shape=(1000,), loc=0.3, scale=1.7, key=K(23))",
    "mx.random.laplace(shape=(1000,), dtype=mx.float16, loc=0.3, scale=1.7, key=K(23))",
    "mx.random.laplace(shape=(1000,), dtype=mx.bfloat16, key=K(23))",
    "mx.random.laplace(shape=(100,), dtype=mx.float64, loc=0.5, scale=2.0, key=K(23))",
    # categorical
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), key=K(29))",
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), axis=0, key=K(29))",
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), num_samples=500, key=K(29))",
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), axis=0, num_samples=50, key=K(29))",
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), shape=(50, 2), key=K(29))",
    "mx.random.categorical(mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), axis=0, shape=(50, 3), key=K(29))",
    "mx.random.categorical(mx.zeros((2, 3, 4)), axis=1, shape=(5, 2, 4), key=K(29))",
    "mx.random.categorical(mx.array([[1, 2, 3], [3, 0, 1]]), shape=(500, 2), key=K(29))",
    "mx.random.categorical((mx.arange(6).reshape(2, 3) * 0.5).astype(mx.float16), num_samples=300, key=K(29))",
    "mx.random.categorical(mx.array([1.0, 2.0, 3.0]), key=K(29))",
    # permutation
    "mx.random.permutation(10, key=K(31))",
    "mx.random.permutation(1000, key=K(31))",
    "mx.random.permutation(0, key=K(31))",
    "mx.random.permutation(mx.arange(12).reshape(3, 4), key=K(31))",
    "mx.random.permutation(mx.arange(12).reshape(3, 4), axis=1, key=K(31))",
    "mx.random.permutation(mx.arange(5).astype(mx.float16), key=K(31))",
]

# Distributions whose numbers go through transcendental functions (erfinv,
# erf, log, log1p): their bytes are recorded so that a failing test can show
# where and by how much it differs.
TOLERANT = ("normal", "gumbel", "laplace", "categorical")

# Matches that are close rather than bit-identical, with the tolerance the
# test applies: multivariate_normal's covariance square root comes from our
# own SVD, so its samples agree with MLX's to float32 rounding only.
CLOSE = [
    "mx.random.multivariate_normal(mx.array([1.0, 2.0]), mx.array([[2.0, 0.5], [0.5, 1.0]]), shape=(3,), key=K(37), stream=mx.cpu)",
    "mx.random.multivariate_normal(mx.zeros(3), mx.array([[4.0, 1, 0.3], [1, 3, 0.2], [0.3, 0.2, 2]]), shape=(1000,), key=K(37), stream=mx.cpu)",
    "mx.random.multivariate_normal(mx.ones((3, 2)), mx.array([[2.0, 0.5], [0.5, 1.0]]), key=K(37), stream=mx.cpu)",
]


def K(seed):
    return mx.random.key(seed)


def seq(fn, seed, n):
    """n successive draws from the global key after seed(seed), stacked."""
    mx.random.seed(seed)
    return mx.stack([fn() for _ in range(n)])


def record(expr):
    out = eval(expr, {"mx": mx, "K": K, "seq": seq})
    mx.eval(out)
    a = np.array(out.astype(mx.float32) if out.dtype == mx.bfloat16 else out)
    raw = np.array(out.view(mx.uint16)) if out.dtype == mx.bfloat16 else a
    digest = hashlib.sha256(np.ascontiguousarray(raw).tobytes()).hexdigest()
    data = np.ascontiguousarray(raw).tobytes()
    # Small results keep their bytes (compressed) so that the test can
    # report where it differs and compare within ulps where allowed.
    keep = len(data) <= 16384 and any(w in expr for w in TOLERANT)
    payload = base64.b64encode(zlib.compress(data, 9)).decode() if keep else None
    return (str(out.dtype).split(".")[-1], tuple(out.shape), digest, payload, a)


def main():
    w = sys.stdout.write
    w('"""Reference outputs of mlx.core.random recorded from MLX 0.32.4.\n\n')
    w("Generated by tests/python/gen_random_refs.py; do not edit by hand.\n")
    w("Each entry: expression -> (dtype, shape, sha256 of the raw bytes, the raw\n")
    w("bytes zlib-compressed and base64-encoded, or None for large results).\n")
    w('"""\n\ninf = float("inf")\nnan = float("nan")\n\nREFS = {\n')
    for expr in CASES:
        dt, shape, digest, payload, _ = record(expr)
        w(f"    {expr!r}: ({dt!r}, {shape!r}, {digest!r}, {payload!r}),\n")
    w("}\n\n# Close (not bit-exact) references: expression -> (dtype, shape, values).\nCLOSE = {\n")
    for expr in CLOSE:
        dt, shape, _, _, a = record(expr)
        w(f"    {expr!r}: ({dt!r}, {shape!r}, {a.reshape(-1)[:24].tolist()!r}),\n")
    w("}\n")


if __name__ == "__main__":
    main()
