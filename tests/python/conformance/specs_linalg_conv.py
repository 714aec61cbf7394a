"""Conformance rows of the linalg_conv family: the products beyond matmul
(whose row is in specs_foundation.py) and the convolutions.  Result dtypes
and exception types were read off MLX 0.32.4; `run.py` under
/opt/mlxref/bin/python checks the rows against it.  float64 convolutions
are left out of the rows (MLX's CPU backend refuses them; cmlx computes
them, see tests/python/test_linalg_conv.py, which also holds the
transposed-convolution, gather/segmented/block-masked and einsum_path
checks that need index or mask inputs).  Every row differentiates and
vmaps (grad=True, vmap=True); tests/python/test_grad_linalg_conv.py checks
the transforms of gather_mm, block_masked_mm and segmented_mm, which have
no rows here."""
import itertools

import numpy as np

import mlx.core as mx
from opspec import BOOL, COMPLEX, FLOATS, INEXACT, INTS, Case, ErrorCase, OpSpec

_HALF_FLOATS = (mx.float16, mx.bfloat16, mx.float32)
_TOL = {mx.float16: (2e-2, 5e-2), mx.bfloat16: (5e-2, 2e-1), mx.float32: (2e-5, 2e-5),
        mx.complex64: (2e-5, 2e-5)}


def _cases(shape_lists):
    return lambda: [Case(s, k, lbl, cls) for s, k, lbl, cls in shape_lists]


# --- products ---------------------------------------------------------------------

def _addmm_ref(c, a, b, alpha=1.0, beta=1.0):
    return alpha * np.matmul(a, b) + beta * c


_ADDMM = [(((3, 5), (3, 4), (4, 5)), {}, "2d", "odd"),
          (((5,), (2, 3, 4), (4, 5)), {"alpha": 0.5, "beta": 2.0}, "batched", "broadcast"),
          (((5,), (4,), (4, 5)), {}, "vec", "odd"),
          (((1, 1), (1, 1), (1, 1)), {"beta": 0.0}, "tiny", "scalar"),
          (((3, 5), (3, 0), (0, 5)), {}, "empty-k", "empty"),
          (((2, 3, 5), (2, 3, 4), (2, 4, 5)), {"alpha": -1.0}, "views", "views")]


def _tensordot_ref(a, b, axes=2):
    return np.tensordot(a, b, axes)


_TDOT = [(((2, 3, 4), (3, 4, 5)), {}, "axes2", "odd"),
         (((2, 3), (3, 2)), {"axes": 0}, "outer", "odd"),
         (((2, 3, 4), (4, 3, 5)), {"axes": [[1, 2], [1, 0]]}, "lists", "odd"),
         (((3, 4), (4, 5)), {"axes": 1}, "views", "views"),
         (((0, 4), (4, 5)), {"axes": 1}, "empty", "empty")]

_PAIR = [(((2, 3), (4, 3)), {}, "2d", "odd"), (((3,), (3,)), {}, "1d", "odd"),
         (((2, 1, 3), (4, 3)), {}, "3d", "rank"), (((3, 5), (2, 5)), {}, "views", "views")]

_VEC = [(((2, 3), (1, 3)), {}, "bcast", "broadcast"), (((4, 3), (4, 3)), {"axis": 0}, "axis0", "odd"),
        (((2, 0), (2, 0)), {}, "empty", "empty"), (((3, 5), (3, 5)), {}, "views", "views")]

_KRON = [(((2, 3), (4,)), {}, "mixed", "odd"), (((2, 1, 3), (4, 5)), {}, "3d", "rank"),
         (((1,), (1,)), {}, "tiny", "scalar"), (((3, 2), (2, 3)), {}, "views", "views")]


def _einsum_row(expr, shapes, dtypes=INEXACT, rejects=()):
    return OpSpec(f"einsum[{expr}]", lambda *a: mx.einsum(expr, *a),
                  lambda *a: np.einsum(expr, *a), arity=len(shapes), dtypes=dtypes,
                  rejects=rejects, kind="custom", out_dtype="promote", tol=_TOL, grad=True, vmap=True,
                  cases=_cases([(tuple(shapes), {}, expr, "odd"),
                                (tuple(shapes), {}, expr, "views")]))


# --- convolutions ------------------------------------------------------------------

def _conv_ref(x, w, stride=1, padding=0, dilation=1, groups=1, lo=None, hi=None,
              input_dilation=1, flip=False):
    """Channels-last correlation in float64: x (N, *S, Ci), w (Co, *K, Ci/groups)."""
    d = x.ndim - 2
    tup = lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,) * d
    st, kd, idl = tup(stride), tup(dilation), tup(input_dilation)
    lo = tup(padding) if lo is None else tup(lo)
    hi = tup(padding) if hi is None else tup(hi)
    S, K = x.shape[1:-1], w.shape[1:-1]
    Co, Cg = w.shape[0], w.shape[-1]
    CoG = Co // groups
    xd = np.zeros((x.shape[0],) + tuple((s - 1) * i + 1 for s, i in zip(S, idl)) + (x.shape[-1],))
    xd[(slice(None),) + tuple(slice(None, None, i) for i in idl)] = x
    xd = np.pad(xd, [(0, 0)] + [(lo[i], hi[i]) for i in range(d)] + [(0, 0)])
    if flip:
        w = w[(slice(None),) + (slice(None, None, -1),) * d]
    O = [(xd.shape[1 + i] - (K[i] - 1) * kd[i] - 1) // st[i] + 1 for i in range(d)]
    out = np.zeros((x.shape[0],) + tuple(O) + (Co,))
    for t in itertools.product(*[range(k) for k in K]):
        win = xd[(slice(None),) + tuple(slice(t[i] * kd[i], t[i] * kd[i] + (O[i] - 1) * st[i] + 1,
                                              st[i]) for i in range(d))]
        for g in range(groups):
            out[..., g * CoG:(g + 1) * CoG] += (win[..., g * Cg:(g + 1) * Cg]
                                                @ w[(slice(g * CoG, (g + 1) * CoG),) + t].T)
    return out


def _general_ref(x, w, stride=1, padding=0, kernel_dilation=1, input_dilation=1, groups=1,
                 flip=False):
    lo, hi = padding if isinstance(padding, tuple) else (padding, padding)
    return _conv_ref(x, w, stride, 0, kernel_dilation, groups, lo, hi, input_dilation, flip)


_CONV1 = [(((2, 9, 3), (4, 3, 3)), {}, "plain", "odd"),
          (((2, 11, 3), (4, 3, 3)), {"stride": 2, "padding": 1, "dilation": 2}, "sd", "odd"),
          (((1, 8, 6), (6, 3, 2)), {"groups": 3, "padding": 1}, "groups", "odd"),
          (((1, 7, 32), (48, 3, 32)), {"padding": 1}, "direct", "odd"),
          (((0, 5, 3), (4, 3, 3)), {}, "empty", "empty"),
          (((2, 9, 3), (4, 3, 3)), {"padding": 2}, "views", "views")]
_CONV2 = [(((2, 6, 5, 4), (3, 3, 3, 4)), {"padding": 1}, "plain", "odd"),
          (((2, 7, 8, 4), (3, 3, 2, 4)), {"stride": (2, 1), "padding": (1, 2), "dilation": (1, 2)},
           "sd", "odd"),
          (((1, 6, 6, 8), (8, 3, 3, 1)), {"groups": 8, "padding": 1}, "depthwise", "odd"),
          (((1, 7, 6, 24), (64, 3, 3, 24)), {"padding": 1}, "direct", "odd"),
          (((1, 9, 9, 3), (16, 5, 5, 3)), {"stride": 2, "padding": 2}, "stem", "odd"),
          (((1, 5, 6, 4), (3, 1, 1, 4)), {}, "1x1", "odd"),
          (((2, 6, 5, 4), (3, 3, 3, 4)), {}, "views", "views")]
_CONV3 = [(((1, 5, 6, 7, 3), (2, 3, 2, 3, 3)), {"stride": 2, "padding": 1}, "plain", "odd"),
          (((1, 4, 4, 5, 16), (32, 2, 2, 3, 16)), {"padding": 1}, "direct", "odd")]
_GENERAL = [(((2, 5, 6, 3), (4, 3, 2, 3)),
             {"stride": [2, 1], "padding": ([1, 0], [2, 1]), "kernel_dilation": [1, 2],
              "input_dilation": [2, 1], "flip": True}, "all", "odd"),
            (((1, 7, 4), (6, 3, 2)),
             {"padding": ([2], [0]), "input_dilation": [2], "groups": 2, "flip": True}, "groups",
             "odd")]


def _conv_row(name, fn, ref, cases):
    return OpSpec(name, fn, ref, arity=2, dtypes=_HALF_FLOATS, rejects=INTS + BOOL + COMPLEX,
                  kind="custom", cases=_cases(cases), out_dtype="promote", tol=_TOL,
                  grad=True, vmap=True)


def _convolve_ref(a, v, mode="full"):
    return np.convolve(a, v, mode)


_CONVOLVE = [(((9,), (4,)), {}, "full", "odd"), (((4,), (9,)), {"mode": "same"}, "same", "odd"),
             (((9,), (4,)), {"mode": "valid"}, "valid", "odd"),
             (((1,), (1,)), {}, "tiny", "scalar")]


def _sylvester(n):
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


def _hadamard_ref(a, scale=None):
    n = a.shape[-1] if a.ndim else 1
    s = 1 / np.sqrt(n) if scale is None else scale
    return (a @ _sylvester(n).T) * s if a.ndim else a * s


_HADAMARD = [(((3, 64),), {}, "64", "odd"), (((2, 1),), {}, "1", "odd"),
             (((4, 8),), {"scale": 0.5}, "scale", "odd"), (((),), {}, "0-d", "scalar"),
             (((2, 3, 4, 16),), {}, "rank", "rank"), (((16, 4),), {}, "views", "views")]


SPECS = [
    OpSpec("addmm", mx.addmm, _addmm_ref, arity=3, dtypes=INEXACT, rejects=INTS + BOOL,
           grad=True, vmap=True, kind="custom", cases=_cases(_ADDMM), out_dtype="promote", tol=_TOL,
           errors=[ErrorCase("c shape", lambda: mx.addmm(mx.ones((4, 3)), mx.ones((2, 4)),
                                                         mx.ones((4, 3)))),
                   ErrorCase("inner", lambda: mx.addmm(mx.ones((2, 3)), mx.ones((2, 4)),
                                                       mx.ones((5, 3))))]),
    OpSpec("tensordot", mx.tensordot, _tensordot_ref, arity=2, dtypes=INEXACT,
           rejects=INTS + BOOL, grad=True, vmap=True, kind="custom", cases=_cases(_TDOT), out_dtype="promote", tol=_TOL,
           errors=[ErrorCase("negative", lambda: mx.tensordot(mx.ones((2, 3)), mx.ones((3, 2)), -1)),
                   ErrorCase("shapes", lambda: mx.tensordot(mx.ones((2, 3)), mx.ones((2, 3)), 1))]),
    OpSpec("inner", mx.inner, np.inner, arity=2, dtypes=INEXACT, rejects=INTS + BOOL,
           grad=True, vmap=True, kind="custom", cases=_cases(_PAIR), out_dtype="promote", tol=_TOL,
           errors=[ErrorCase("last dim", lambda: mx.inner(mx.ones((2, 3)), mx.ones((4, 2))))]),
    OpSpec("outer", mx.outer, lambda a, b: np.outer(a, b), arity=2, dtypes=FLOATS + INTS,
           grad=True, vmap=True, kind="custom", cases=_cases(_PAIR), out_dtype="promote", tol=_TOL),
    OpSpec("vecdot", mx.vecdot, lambda a, b, axis=-1: np.sum(np.conj(a) * b, axis=axis), arity=2,
           dtypes=FLOATS + COMPLEX, grad=True, vmap=True, kind="custom", cases=_cases(_VEC), out_dtype="promote",
           tol=_TOL,
           errors=[ErrorCase("axis", lambda: mx.vecdot(mx.ones((2, 3)), mx.ones((2, 3)), axis=2),
                             IndexError),
                   ErrorCase("ranks", lambda: mx.vecdot(mx.ones((2, 3)), mx.ones((3,))))]),
    OpSpec("kron", mx.kron, np.kron, arity=2, dtypes=FLOATS + INTS + COMPLEX, grad=True, vmap=True, kind="custom",
           cases=_cases(_KRON), out_dtype="promote", tol=_TOL,
           errors=[ErrorCase("empty", lambda: mx.kron(mx.ones((0, 3)), mx.ones((2,))))]),
    _einsum_row("ij,jk->ik", [(3, 4), (4, 5)], rejects=INTS),
    _einsum_row("bij,bjk->bki", [(2, 3, 4), (2, 4, 5)], rejects=INTS),
    _einsum_row("ii->i", [(4, 4)], dtypes=FLOATS + INTS),
    _einsum_row("ij,ij->ij", [(3, 4), (3, 4)], dtypes=FLOATS + INTS),
    _einsum_row("abc,bcd,de,ea->", [(2, 3, 4), (3, 4, 5), (5, 6), (6, 2)], dtypes=FLOATS),
    _conv_row("conv1d", mx.conv1d, _conv_ref, _CONV1),
    _conv_row("conv2d", mx.conv2d, _conv_ref, _CONV2),
    _conv_row("conv3d", mx.conv3d, _conv_ref, _CONV3),
    _conv_row("conv_general", mx.conv_general, _general_ref, _GENERAL),
    OpSpec("convolve", mx.convolve, _convolve_ref, arity=2, dtypes=_HALF_FLOATS,
           rejects=INTS + BOOL, grad=True, vmap=True, kind="custom", cases=_cases(_CONVOLVE), out_dtype="promote",
           tol=_TOL, errors=[ErrorCase("mode", lambda: mx.convolve(mx.ones((3,)), mx.ones((2,)),
                                                                   mode="bad")),
                             ErrorCase("2-D", lambda: mx.convolve(mx.ones((3, 2)), mx.ones((2,))))]),
    OpSpec("hadamard_transform", mx.hadamard_transform, _hadamard_ref, arity=1,
           dtypes=_HALF_FLOATS, grad=True, vmap=True, kind="custom", cases=_cases(_HADAMARD), out_dtype="same",
           tol=_TOL, errors=[ErrorCase("length", lambda: mx.eval(mx.hadamard_transform(
               mx.ones((3,))))), ErrorCase("empty", lambda: mx.hadamard_transform(mx.ones((0,))))]),
]
