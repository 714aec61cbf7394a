"""Integer sums and products over contiguous rows of every length class.

Regression test: GCC 12 once vectorized the 16-lane widening int8/int16 sum
and product wrongly (rows of 32+ elements gave wrong totals).  The reference
is NumPy in int64, wrapped to the output width MLX uses."""
import numpy as np
import pytest

import mlx.core as mx

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.bool_]


@pytest.mark.parametrize("npdt", INT_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("n", [1, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 5000])
@pytest.mark.parametrize("op", ["sum", "prod", "max", "min"])
def test_integer_reduction(npdt, n, op):
    if npdt is np.bool_ and op != "sum":
        pytest.skip("bool max/min/prod follow other rules")
    x = np.random.default_rng(n).integers(-100, 100, n).astype(npdt)
    out = getattr(mx, op)(mx.array(x))
    ref = getattr(np, op)(x.astype(np.int64))
    if op in ("sum", "prod"):
        bits = 8 * np.dtype(np.array(out).dtype).itemsize
        assert int(np.array(out).astype(np.int64)) % 2**bits == int(ref) % 2**bits
    else:
        assert int(out.item()) == int(ref)
