"""Conformance rows of the reduce_sort family (statistics and log-sum-exp).

prod/max/min/all/any have their rows in specs_foundation.py; argmin/argmax,
scans and sorts are checked in tests/python/test_reduce_sort.py, whose
single-axis signatures and index outputs do not fit the reduce row kind."""
import numpy as np

import mlx.core as mx
from opspec import BOOL, FLOATS, ErrorCase, OpSpec


def _float_of(d, shapes):
    """Statistics of integers and bool are float32; floats keep their dtype."""
    return d if d in FLOATS else mx.float32


def _lse(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    r = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return r if keepdims else np.squeeze(r, axis=axis) if axis is not None else r.reshape(())


# int8/int16/uint8/uint16 are left out of `mean` for now: mx.sum of those
# dtypes is miscompiled at -O3 (GCC 12 loop vectorizer, src/backend/cpu/
# reduce.c) for lengths such as 32 and 64; reported to the owner of reduce.c.
_WIDE_INTS = (mx.int32, mx.int64, mx.uint32, mx.uint64)

_HALF = {mx.float16: (2e-2, 2e-2), mx.bfloat16: (5e-2, 5e-2)}

SPECS = [
    OpSpec("mean", mx.mean, np.mean, grad=True, vmap=True, dtypes=BOOL + _WIDE_INTS + FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, views=True, mlx_bugs=("empty",),
           errors=[ErrorCase("axis out of range",
                             lambda: mx.mean(mx.zeros((2, 3)), axis=2), IndexError)]),
    OpSpec("var", mx.var, np.var, grad=True, vmap=True, dtypes=_WIDE_INTS + FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, mlx_bugs=("empty",)),
    OpSpec("std", lambda a, **k: mx.std(a, ddof=1, **k),
           lambda a, **k: np.std(a, ddof=1, **k), grad=True, vmap=True, dtypes=FLOATS, kind="reduce",
           out_dtype=_float_of, tol=_HALF, mlx_bugs=("empty",)),
]
