"""Transforms (vjp, jvp, vmap) of the reduce_sort family: ArgReduce, Scan
(cumsum/cumprod/cummax/cummin/logcumsumexp, reverse, exclusive), Sort,
ArgSort, Partition, ArgPartition, LogSumExp, Softmax, IsClose and
SearchSorted, and the composites built on them (mean, var, std, median,
topk, trace, diff).

vjp is checked against central differences in float64, jvp against vjp,
vmap against a Python loop; special points against real MLX 0.32.4."""

import os

import numpy as np
import pytest

import mlx.core as mx

from _grad_struct import (HAS_REF, assert_same, check_jvp_vjp, check_vjp_fd, check_vmap,
                          rand, run_both)

X = rand((3, 5), seed=1)
POS = rand((3, 5), seed=2, lo=0.5, hi=1.5)
# A line with zeros for cumprod: one zero, two zeros, none.
Z = mx.array([[0.5, 0.0, 1.5, -2.0, 0.7], [1.2, 0.0, 0.9, 0.0, -1.1],
              [0.3, 1.4, -0.8, 1.1, 0.6]], dtype=mx.float64)

SCANS = []
for _name in ("cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"):
    for _rev in (False, True):
        for _inc in (True, False):
            for _ax in (0, 1):
                SCANS.append((f"{_name}-rev{int(_rev)}-inc{int(_inc)}-ax{_ax}", _name, _rev,
                              _inc, _ax))


@pytest.mark.parametrize("name,op,rev,inc,ax", SCANS, ids=[s[0] for s in SCANS])
def test_scan_vjp(name, op, rev, inc, ax):
    f = lambda a: getattr(mx, op)(a, axis=ax, reverse=rev, inclusive=inc)  # noqa: E731
    check_vjp_fd(f, [X])
    if op == "cumprod":
        # Zeros in the line: the gradient needs no division by them.
        check_vjp_fd(f, [Z])
    if op in ("cumsum", "logcumsumexp"):
        check_jvp_vjp(f, [X])
    else:
        with pytest.raises(RuntimeError, match="JVP is not implemented for cumulative"):
            mx.jvp(f, [X], [X])
    g = lambda a: getattr(mx, op)(a, axis=ax - 1, reverse=rev, inclusive=inc)  # noqa: E731
    check_vmap(g, [rand((3, 4, 5), seed=5)], 2 - 2 * ax)


def test_scan_flattened_and_integer():
    check_vjp_fd(lambda a: mx.cumsum(a), [X])
    check_vjp_fd(lambda a: mx.cumprod(a, reverse=True), [POS])
    g = mx.grad(lambda a: mx.cumsum(a).sum())(mx.array([1, 2, 3]))
    assert g.dtype == mx.int32 and g.tolist() == [3, 2, 1]


CASES = [
    ("sort", lambda a: mx.sort(a, axis=1), [X], True),
    ("sort_ax0", lambda a: mx.sort(a, axis=0), [X], True),
    ("sort_flat", lambda a: mx.sort(a, axis=None), [X], True),
    ("partition", lambda a: mx.partition(a, 2, axis=1), [X], True),
    ("topk", lambda a: mx.topk(a, 2, axis=1), [X], True),
    ("topk_flat", lambda a: mx.topk(a, 3, axis=None), [X], True),
    ("logsumexp", lambda a: mx.logsumexp(a, axis=1), [X], True),
    ("logsumexp_axes", lambda a: mx.logsumexp(a, axis=(0, 1), keepdims=True), [X], True),
    ("logsumexp_ax0", lambda a: mx.logsumexp(a, axis=0), [X], True),
    ("softmax", lambda a: mx.softmax(a, axis=-1), [X], True),
    ("softmax_ax0", lambda a: mx.softmax(a, axis=0), [X], True),
    ("softmax_all", lambda a: mx.softmax(a), [X], True),
    ("mean", lambda a: mx.mean(a, axis=1), [X], True),
    ("var", lambda a: mx.var(a, axis=0, ddof=1), [X], True),
    ("std", lambda a: mx.std(a), [X], True),
    ("median", lambda a: mx.median(a, axis=1), [X], True),
    ("median_even", lambda a: mx.median(a[:, :4], axis=1), [X], True),
    ("trace", lambda a: mx.trace(a, offset=1), [X], True),
    ("diff", lambda a: mx.diff(a, n=2, axis=1), [X], True),
    ("argmax_times", lambda a: mx.argmax(a, axis=1).astype(a.dtype) * a[:, 0], [X], True),
    ("argsort_times", lambda a: mx.argsort(a, axis=1).astype(a.dtype) * a, [X], True),
    ("argpartition_times", lambda a: mx.argpartition(a, 1, axis=0).astype(a.dtype) * a, [X],
     True),
    ("isclose_where", lambda a: mx.where(mx.isclose(a, 0.5 * a), a, 2 * a), [X], True),
    ("searchsorted_times", lambda a: mx.searchsorted(mx.array([-0.5, 0.0, 0.5], dtype=mx.float64),
                                                     a).astype(a.dtype) * a, [X], True),
]


@pytest.mark.parametrize("name,f,args,_", CASES, ids=[c[0] for c in CASES])
def test_vjp_finite_differences(name, f, args, _):
    check_vjp_fd(f, args)


@pytest.mark.parametrize("name,f,args,_", CASES, ids=[c[0] for c in CASES])
def test_jvp_matches_vjp(name, f, args, _):
    check_jvp_vjp(f, args)


XB = rand((4, 3, 5), seed=7)
VMAP_CASES = [
    ("argmax", lambda a: mx.argmax(a, axis=1), [XB], 0),
    ("argmin_keep", lambda a: mx.argmin(a, axis=0, keepdims=True), [XB], 2),
    ("argmax_flat", lambda a: mx.argmax(a), [XB], 1),
    ("sort", lambda a: mx.sort(a, axis=-1), [XB], 1),
    ("argsort", lambda a: mx.argsort(a, axis=0), [XB], 2),
    ("partition", lambda a: mx.partition(a, 1, axis=1), [XB], 0),
    ("argpartition", lambda a: mx.argpartition(a, 2, axis=1), [XB], 2),
    ("topk", lambda a: mx.topk(a, 2, axis=0), [XB], 1),
    ("logsumexp", lambda a: mx.logsumexp(a, axis=1), [XB], 2),
    ("logsumexp_keep", lambda a: mx.logsumexp(a, axis=0, keepdims=True), [XB], 0),
    ("softmax", lambda a: mx.softmax(a, axis=-1), [XB], 2),
    ("softmax_ax0", lambda a: mx.softmax(a, axis=0), [XB], 1),
    ("median", lambda a: mx.median(a, axis=0), [XB], 0),
    ("var", lambda a: mx.var(a, axis=1), [XB], 2),
    ("trace", lambda a: mx.trace(a), [XB], 1),
    ("diff", lambda a: mx.diff(a, axis=0), [XB], 2),
    ("isclose", lambda a, b: mx.isclose(a, b, atol=0.3), [XB, XB[0] * 0.9], (0, None)),
    ("searchsorted_values", lambda v: mx.searchsorted(mx.array([-0.5, 0.0, 0.5]), v), [XB], 1),
    ("searchsorted_seq", lambda s, v: mx.searchsorted(s, v, side="right"),
     [mx.sort(rand((4, 6), 8), axis=1), rand((4, 7), 9)], (0, 0)),
    ("searchsorted_seq_only", lambda s, v: mx.searchsorted(s, v),
     [mx.sort(rand((6, 4), 10), axis=0), rand((2, 3), 11)], (1, None)),
]


@pytest.mark.parametrize("name,f,args,in_axes", VMAP_CASES, ids=[c[0] for c in VMAP_CASES])
def test_vmap_matches_loop(name, f, args, in_axes):
    if name.startswith("searchsorted_seq") and os.environ.get("CMLX_TEST_REFERENCE"):
        pytest.skip("real MLX refuses vmap over the sorted sequence")
    check_vmap(f, args, in_axes)


def test_grad_of_vmap_and_vmap_of_grad():
    def loss(a):
        return (mx.sort(a, axis=-1) ** 3).sum() + mx.logsumexp(a).sum() + \
            (mx.cumprod(a, axis=0) ** 2).sum() + (mx.cummax(a, axis=1) * a).sum()

    g = mx.grad(lambda a: mx.vmap(loss)(a).sum())(XB)
    want = mx.stack([mx.grad(loss)(XB[b]) for b in range(XB.shape[0])])
    np.testing.assert_allclose(np.array(g), np.array(want), rtol=1e-12)
    vg = mx.vmap(mx.grad(loss))(XB)
    np.testing.assert_allclose(np.array(vg), np.array(want), rtol=1e-12)
    # Second order through the rules (sort, softmax, logcumsumexp).
    for f in (lambda a: (mx.sort(a) ** 3).sum(), lambda a: (mx.softmax(a) ** 2).sum(),
              lambda a: (mx.logcumsumexp(a) ** 2).sum()):
        check_vjp_fd(lambda a: mx.grad(f)(a), [X[0]], rtol=1e-4)


@pytest.mark.skipif(not HAS_REF, reason="real MLX not available")
def test_special_points_match_mlx():
    code = """
out = []
c = mx.arange(1, 7).astype(mx.float32)
x = mx.array([2.0, 0.0, 3.0, 0.0, 4.0, 5.0])
t = mx.array([1.0, 3.0, 3.0, 2.0, 5.0, 5.0])
for rev in (False, True):
    for inc in (True, False):
        for f in (mx.cumprod, mx.cummax, mx.cummin, mx.logcumsumexp, mx.cumsum):
            for v in (x, t):
                out.append(mx.vjp(lambda a: f(a, reverse=rev, inclusive=inc), [v], [c])[1][0].tolist())
        out.append(mx.jvp(lambda a: mx.logcumsumexp(a, reverse=rev, inclusive=inc), [x], [c])[1][0].tolist())
ninf = float("-inf")
for v in ([ninf, ninf], [float("inf"), 1.0], [ninf, 0.0]):
    a = mx.array(v)
    out.append(mx.grad(lambda a: mx.logsumexp(a))(a).tolist())
    out.append(mx.grad(lambda a: mx.softmax(a)[0])(a).tolist())
out.append(mx.grad(lambda a: mx.logcumsumexp(a).sum())(mx.array([ninf, 0.0, 1.0])).tolist())
s = mx.array([3.0, 1.0, 2.0, 1.0, 5.0])
out.append(mx.vjp(lambda a: mx.sort(a), [s], [c[:5]])[1][0].tolist())
out.append(mx.vjp(lambda a: mx.topk(a, 2), [s], [c[:2]])[1][0].tolist())
out.append(mx.grad(lambda a: mx.median(a))(mx.array([3.0, 1.0, 2.0, 4.0])).tolist())
out.append(mx.grad(lambda a: mx.max(a))(mx.array([1.0, 3.0, 3.0])).tolist())
out.append(mx.grad(lambda a: (mx.argsort(a).astype(mx.float32) * a).sum())(s).tolist())
out.append(mx.grad(lambda a: mx.std(a))(mx.array([1.0, 1.0, 1.0])).tolist())
"""
    mine, theirs = run_both(code)
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        assert_same(m, t, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(not HAS_REF, reason="real MLX not available")
def test_complex_scans_match_mlx():
    code = """
x = mx.array([1+2j, 3-1j, 0.5+0.5j])
c = mx.array([1+1j, 2, 3j])
out = []
for f in (mx.cumprod, mx.cumsum, mx.sort):
    g = mx.vjp(lambda a: f(a), [x], [c])[1][0]
    out.append([[v.real, v.imag] for v in g.tolist()])
"""
    mine, theirs = run_both(code)
    for m, t in zip(mine, theirs):
        assert_same(m, t)
