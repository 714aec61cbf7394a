"""Transforms (vjp, jvp, vmap) of mx.linalg.

MLX 0.32.4 differentiates none of its decompositions (LUF, QRF, SVD,
Inverse, Cholesky, Eig, Eigh raise "[Primitive::vjp] / [Primitive::jvp]
Not implemented for <name>."), vmaps all of them but LUF and QRF, and
differentiates solve / solve_triangular with respect to b only (they are
composites there).  These tests check that cmlx does the same:

* solve / solve_triangular in b: float64 central finite differences
  (batched and broadcast too), jvp/vjp consistency, grad of vmap and vmap of
  grad;
* vmap of every vmappable function against a Python loop + mx.stack for
  in_axes 0, 1, 2 and None mixes;
* the differentiable composites (norm with ord None/"fro"/1/-1/inf/-inf and
  vector ords, cross) by finite differences;
* every refusal's exception type and message, and a sample of results,
  against real MLX (subprocess to /opt/mlxref; skipped when absent)."""

import inspect
import os

import numpy as np
import pytest

import mlx.core as mx
from _grad_ew import (HAS_REF, REF_PRELUDE, as_json, check_jvp_vjp, check_vjp_fd, check_vmap,
                      f64, rand, run_ref, same_values)

CPU = mx.cpu
LA = mx.linalg
# Set when this file runs under real MLX (to check the expectations): cases
# where MLX 0.32.4 itself is wrong are skipped then.
UNDER_REF = bool(os.environ.get("CMLX_TEST_REFERENCE"))
# MLX's vmap of its Inverse primitive drops the triangular flag: vmapped
# tri_inv (and solve_triangular, which MLX builds on it) invert the whole
# matrix.  cmlx keeps the flag.
MLX_TRI_VMAP_BUG = "MLX 0.32.4 vmaps tri_inv / solve_triangular as a full inverse"


def well_conditioned(shape, seed, spd=False):
    """Random (..., n, n) float64 matrices with a strong diagonal; `spd`
    makes them symmetric positive definite."""
    n = shape[-1]
    a = rand(shape, seed)
    if spd:
        a = a @ np.swapaxes(a, -1, -2)
    return a + n * np.eye(n)


def solve(a, b):
    return LA.solve(a, b, stream=CPU)


def tri(upper):
    return lambda a, b: LA.solve_triangular(a, b, upper=upper, stream=CPU)


# --- solve / solve_triangular: differentiable in b -------------------------------------------

# a shape, b shape (broadcast batch dims and 1-D b included)
SOLVE_SHAPES = [((4, 4), (4, 3)), ((4, 4), (4,)), ((2, 3, 3), (2, 3, 2)), ((3, 3), (2, 3, 2)),
                ((2, 1, 3, 3), (4, 3, 1))]
SOLVERS = [("solve", solve), ("tri_lower", tri(False)), ("tri_upper", tri(True))]


def _skip_mlx_solve_broadcast(name, shapes):
    # MLX 0.32.4's solve raises "[take_along_axis] Indices of dimension ..."
    # when a's and b's batch dims differ; cmlx broadcasts them.
    if UNDER_REF and name == "solve" and shapes[0][:-2] != shapes[1][:-2] and len(shapes[1]) > 1:
        pytest.skip("MLX 0.32.4's solve does not broadcast batch dims")


@pytest.mark.parametrize("name,op", SOLVERS, ids=[s[0] for s in SOLVERS])
@pytest.mark.parametrize("shapes", SOLVE_SHAPES, ids=str)
def test_solve_vjp_in_b_finite_differences(name, op, shapes):
    _skip_mlx_solve_broadcast(name, shapes)
    # The other triangle of a holds junk: the triangular solvers must ignore it.
    a = f64(well_conditioned(shapes[0], seed=1))
    b = rand(shapes[1], seed=2)
    check_vjp_fd(lambda x: op(a, x), [b])


@pytest.mark.parametrize("name,op", SOLVERS, ids=[s[0] for s in SOLVERS])
@pytest.mark.parametrize("shapes", SOLVE_SHAPES, ids=str)
def test_solve_jvp_matches_vjp(name, op, shapes):
    _skip_mlx_solve_broadcast(name, shapes)
    a = f64(well_conditioned(shapes[0], seed=3))
    check_jvp_vjp(lambda x: op(a, x), [rand(shapes[1], seed=4)])


@pytest.mark.parametrize("name,op", SOLVERS, ids=[s[0] for s in SOLVERS])
def test_solve_grad_matches_closed_form(name, op):
    # d sum(w * A^-1 b)/db = A^-T w (the triangle that is read, for the triangular ones).
    a_np = well_conditioned((4, 4), seed=5)
    a_read = {"solve": a_np, "tri_lower": np.tril(a_np), "tri_upper": np.triu(a_np)}[name]
    b_np, w_np = rand((4, 2), seed=6), rand((4, 2), seed=7)
    g = mx.grad(lambda x: (op(f64(a_np), x) * f64(w_np)).sum())(f64(b_np))
    np.testing.assert_allclose(np.array(g), np.linalg.solve(a_read.T, w_np), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("name,op", SOLVERS, ids=[s[0] for s in SOLVERS])
def test_solve_float32_grad_dtype(name, op):
    a = mx.array(well_conditioned((3, 3), seed=8).astype(np.float32))
    b = mx.array(rand((3, 2), seed=9).astype(np.float32))
    g = mx.grad(lambda x: op(a, x).sum())(b)
    assert g.dtype == mx.float32 and g.shape == b.shape
    want = np.array(mx.grad(lambda x: op(a.astype(mx.float64), x).sum())(b.astype(mx.float64)))
    np.testing.assert_allclose(np.array(g), want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,op", SOLVERS, ids=[s[0] for s in SOLVERS])
def test_solve_grad_of_vmap_and_vmap_of_grad(name, op):
    a = f64(well_conditioned((3, 3), seed=10))
    bs = f64(rand((4, 3, 2), seed=11))
    f = lambda x: (op(a, x) ** 2).sum()
    # grad of a vmapped function == the sum of per-item grads.
    g = mx.grad(lambda x: mx.vmap(lambda y: op(a, y), in_axes=0)(x).square().sum())(bs)
    want = mx.stack([mx.grad(f)(bs[k]) for k in range(4)])
    np.testing.assert_allclose(np.array(g), np.array(want), rtol=1e-10, atol=1e-12)
    # vmap of grad, the batch on axis 2.
    bt = mx.moveaxis(bs, 0, 2)
    g2 = mx.vmap(mx.grad(f), in_axes=2)(bt)
    np.testing.assert_allclose(np.array(g2), np.array(want), rtol=1e-10, atol=1e-12)


# --- vmap against a loop ----------------------------------------------------------------------

def _sq(seed, spd=False):
    return lambda shape: well_conditioned(shape, seed, spd).astype(np.float32)


def _gen(seed):
    return lambda shape: rand(shape, seed).astype(np.float32)


def _sym_complex(shape):
    n = shape[-1]
    a = rand(shape, 30) + 1j * rand(shape, 31)
    return (a + np.conj(np.swapaxes(a, -1, -2)) + 2 * n * np.eye(n)).astype(np.complex64)


# name, f, [input makers (shape -> np array)], [per-item shapes]
VMAPPED = [
    ("inv", lambda a: LA.inv(a, stream=CPU), [_sq(1)], [(3, 3)]),
    ("tri_inv_lower", lambda a: LA.tri_inv(a, upper=False, stream=CPU), [_sq(2)], [(3, 3)]),
    ("tri_inv_upper", lambda a: LA.tri_inv(a, upper=True, stream=CPU), [_sq(3)], [(3, 3)]),
    ("cholesky", lambda a: LA.cholesky(a, stream=CPU), [_sq(4, True)], [(3, 3)]),
    ("cholesky_upper", lambda a: LA.cholesky(a, upper=True, stream=CPU), [_sq(5, True)], [(3, 3)]),
    ("cholesky_inv", lambda a: LA.cholesky_inv(LA.cholesky(a, stream=CPU), stream=CPU),
     [_sq(6, True)], [(3, 3)]),
    ("svd", lambda a: LA.svd(a, stream=CPU), [_gen(7)], [(4, 3)]),
    ("svd_wide", lambda a: LA.svd(a, stream=CPU), [_gen(8)], [(2, 4)]),
    ("svd_values", lambda a: LA.svd(a, compute_uv=False, stream=CPU), [_gen(9)], [(3, 4)]),
    ("pinv", lambda a: LA.pinv(a, stream=CPU), [_gen(10)], [(4, 3)]),
    ("norm_nuc", lambda a: LA.norm(a, "nuc", stream=CPU), [_gen(11)], [(3, 4)]),
    ("norm_2", lambda a: LA.norm(a, 2, stream=CPU), [_gen(12)], [(3, 4)]),
    ("eig", lambda a: LA.eig(a, stream=CPU), [_sq(13)], [(3, 3)]),
    ("eigvals", lambda a: LA.eigvals(a, stream=CPU), [_sq(14)], [(3, 3)]),
    ("eigh", lambda a: LA.eigh(a, stream=CPU), [_sq(15, True)], [(3, 3)]),
    # Only the named triangle is read: a non-symmetric input tells U from L.
    ("eigh_L", lambda a: LA.eigh(a, UPLO="L", stream=CPU), [_sq(16)], [(3, 3)]),
    ("eigvalsh_U", lambda a: LA.eigvalsh(a, UPLO="U", stream=CPU), [_sq(17)], [(3, 3)]),
    ("eigh_complex", lambda a: LA.eigh(a, stream=CPU), [_sym_complex], [(3, 3)]),
    ("solve_tri", tri(False), [_sq(18), _gen(19)], [(3, 3), (3, 2)]),
    ("solve_tri_upper", tri(True), [_sq(20), _gen(21)], [(3, 3), (3, 2)]),
    ("norm_fro", lambda a: LA.norm(a, stream=CPU), [_gen(22)], [(3, 4)]),
    ("norm_inf", lambda a: LA.norm(a, float("inf"), stream=CPU), [_gen(23)], [(3, 4)]),
    ("cross", lambda a, b: LA.cross(a, b, stream=CPU), [_gen(24), _gen(25)], [(2, 3), (2, 3)]),
]


def _axes_for(n):
    if n == 1:
        return [(0,), (1,), (2,)]
    return [(0, 0), (1, 2), (None, 0), (2, None), (0, 1)]


def _item_inputs(makers, shapes, axes):
    """Inputs whose mapped axis sits anywhere while each item is a
    well-conditioned matrix: items are made stacked in front, then moved."""
    out = []
    for mk, s, a in zip(makers, shapes, axes):
        if a is None:
            out.append(mx.array(mk(tuple(s))))
        else:
            x = mk((3,) + tuple(s))
            out.append(mx.array(np.ascontiguousarray(np.moveaxis(x, 0, a))))
    return out


@pytest.mark.parametrize("name,f,makers,shapes", VMAPPED, ids=[v[0] for v in VMAPPED])
def test_vmap_matches_loop(name, f, makers, shapes):
    if UNDER_REF and name.startswith(("tri_inv", "solve_tri")):
        pytest.skip(MLX_TRI_VMAP_BUG)
    for axes in _axes_for(len(makers)):
        axes = tuple(a if a is None or a <= len(s) else len(s) for a, s in zip(axes, shapes))
        xs = _item_inputs(makers, shapes, axes)
        # Same kernels per item, so the loop and the batch agree to rounding.
        check_vmap(f, xs, list(axes), rtol=1e-5, atol=1e-5)


def test_vmap_out_axes():
    a = mx.array(well_conditioned((3, 4, 4), seed=40).astype(np.float32))
    got = mx.vmap(lambda x: LA.inv(x, stream=CPU), in_axes=0, out_axes=2)(a)
    want = np.moveaxis(np.linalg.inv(np.array(a, dtype=np.float64)), 0, 2)
    np.testing.assert_allclose(np.array(got), want, rtol=1e-4, atol=1e-5)


def test_vmap_solve_with_unbatched_a():
    a = well_conditioned((3, 3), seed=41)
    bs = rand((4, 3, 2), seed=42)
    for axes, b_in in (((None, 0), bs), ((None, 2), np.moveaxis(bs, 0, 2))):
        xs = [mx.array(a.astype(np.float32)), mx.array(np.ascontiguousarray(b_in).astype(np.float32))]
        check_vmap(solve, xs, list(axes), rtol=1e-5, atol=1e-5)
    # A vector b per item.
    bv = mx.array(rand((5, 3), seed=43).astype(np.float32))
    got = mx.vmap(lambda b: solve(mx.array(a.astype(np.float32)), b))(bv)
    want = np.linalg.solve(a, np.array(bv, dtype=np.float64).T).T
    np.testing.assert_allclose(np.array(got), want, rtol=1e-4, atol=1e-5)


# --- differentiable composites ------------------------------------------------------------------

NORMS = [
    ("none", {}), ("fro", {"ord": "fro"}), ("one", {"ord": 1}), ("minus_one", {"ord": -1}),
    ("inf", {"ord": float("inf")}), ("minus_inf", {"ord": float("-inf")}),
    ("axis_vec", {"axis": 1}), ("vec_p3", {"ord": 3, "axis": 0}),
    ("vec_inf", {"ord": float("inf"), "axis": 1}), ("keepdims", {"axis": (0, 1), "keepdims": True}),
]


@pytest.mark.parametrize("name,kw", NORMS, ids=[n[0] for n in NORMS])
def test_norm_finite_differences(name, kw):
    # Distinct magnitudes keep the max/min selections of the ord=1/inf norms away from ties.
    x = rand((3, 4), seed=50, lo=0.2, hi=1.5) * np.sign(rand((3, 4), seed=51))
    f = lambda a: LA.norm(a, **kw)
    check_vjp_fd(f, [x])
    check_jvp_vjp(f, [x])


def test_cross_finite_differences():
    a, b = rand((2, 3), seed=52), rand((2, 3), seed=53)
    f = lambda x, y: LA.cross(x, y)
    check_vjp_fd(f, [a, b])
    check_jvp_vjp(f, [a, b])


def test_vmap_of_grad_of_norm():
    xs = f64(rand((3, 2, 4), seed=54, lo=0.2, hi=1.0))
    g = mx.vmap(mx.grad(lambda a: LA.norm(a)))(xs)
    want = np.array(xs) / np.linalg.norm(np.array(xs), axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(np.array(g), want, rtol=1e-12)


# --- det / slogdet of 1x1, 2x2, 3x3 matrices ----------------------------------------------------

# MLX computes these determinants in closed form (cofactors of the first row)
# instead of through LUF, so they are differentiable and vmappable there; for
# 4x4 and larger the LU route refuses (see the refusal table below).
DETS = [("det", lambda a: LA.det(a, stream=CPU)),
        ("slogdet_log", lambda a: LA.slogdet(a, stream=CPU)[1])]


@pytest.mark.parametrize("name,f", DETS, ids=[d[0] for d in DETS])
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (2, 3, 3), (2, 1, 2, 2)], ids=str)
def test_small_det_finite_differences(name, f, shape):
    # Random signs on a strong diagonal: negative determinants too.
    x = well_conditioned(shape, seed=80) * np.sign(rand(shape[:-2] + (1, 1), seed=81))
    check_vjp_fd(f, [x])
    check_jvp_vjp(f, [x])


@pytest.mark.parametrize("n", [1, 2, 3])
def test_small_det_grad_is_cofactor_matrix(n):
    x = well_conditioned((n, n), seed=82)
    g = mx.grad(lambda a: LA.det(a, stream=CPU))(f64(x))
    np.testing.assert_allclose(np.array(g), np.linalg.det(x) * np.linalg.inv(x).T, rtol=1e-12)
    g2 = mx.grad(lambda a: LA.slogdet(a, stream=CPU)[1])(f64(x))
    np.testing.assert_allclose(np.array(g2), np.linalg.inv(x).T, rtol=1e-12)
    # The sign is piecewise constant.
    g3 = mx.grad(lambda a: LA.slogdet(a, stream=CPU)[0])(f64(x))
    assert not np.any(np.array(g3))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_small_det_vmap_matches_loop(n):
    xs = mx.array(well_conditioned((4, n, n), seed=83).astype(np.float32))
    for ax in (0, 1, 2):
        x = mx.moveaxis(xs, 0, ax)
        check_vmap(lambda a: LA.det(a, stream=CPU), [x], [ax], rtol=1e-5, atol=1e-5)
        check_vmap(lambda a: LA.slogdet(a, stream=CPU), [x], [ax], rtol=1e-5, atol=1e-5)


def test_small_det_values():
    # Closed form: singular integer matrices give exact zeros, a determinant
    # that underflows reads as singular, and float16 is computed in float16.
    sing = mx.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert LA.det(sing, stream=CPU).item() == 0.0
    sgn, lad = LA.slogdet(sing, stream=CPU)
    assert sgn.item() == 0.0 and lad.item() == -np.inf
    tiny = mx.array([[1e-30, 0.0], [0.0, 1e-30]])
    assert LA.slogdet(tiny, stream=CPU)[1].item() == -np.inf
    h = mx.array([[3.1, 0.1], [0.1, 3.1]]).astype(mx.float16)
    d = LA.det(h, stream=CPU)
    assert d.dtype == mx.float16 and d.item() == np.float32(np.float16(9.6015625))
    assert LA.det(mx.array([[1, 2], [3, 4]]), stream=CPU).dtype == mx.float32


# --- MLX's refusals ----------------------------------------------------------------------------

# 4x4: MLX computes det/slogdet of matrices up to 3x3 in closed form (see below).
A_SPD = well_conditioned((4, 4), seed=60, spd=True).astype(np.float32)
B_RHS = rand((4, 2), seed=61).astype(np.float32)

# name, function of one (3, 3) float32 matrix (expression also run under MLX)
REFUSED = [
    ("inv", "mx.linalg.inv(a, stream=mx.cpu)"),
    ("tri_inv", "mx.linalg.tri_inv(a, upper=True, stream=mx.cpu)"),
    ("cholesky", "mx.linalg.cholesky(a, stream=mx.cpu)"),
    ("cholesky_inv", "mx.linalg.cholesky_inv(a, stream=mx.cpu)"),
    ("svd_values", "mx.linalg.svd(a, compute_uv=False, stream=mx.cpu)"),
    ("svd_u", "mx.linalg.svd(a, stream=mx.cpu)[0]"),
    ("pinv", "mx.linalg.pinv(a, stream=mx.cpu)"),
    ("norm_2", "mx.linalg.norm(a, 2, stream=mx.cpu)"),
    ("norm_nuc", "mx.linalg.norm(a, 'nuc', stream=mx.cpu)"),
    ("eigh", "mx.linalg.eigh(a, stream=mx.cpu)[1]"),
    ("eigvalsh", "mx.linalg.eigvalsh(a, stream=mx.cpu)"),
    ("eigvals", "mx.linalg.eigvals(a, stream=mx.cpu).real"),
    ("eig", "mx.linalg.eig(a, stream=mx.cpu)[1].real"),
    ("qr", "mx.linalg.qr(a, stream=mx.cpu)[1]"),
    ("lu", "mx.linalg.lu(a, stream=mx.cpu)[2]"),
    ("lu_factor", "mx.linalg.lu_factor(a, stream=mx.cpu)[0]"),
    ("det", "mx.linalg.det(a, stream=mx.cpu)"),
    ("slogdet", "mx.linalg.slogdet(a, stream=mx.cpu)[1]"),
    ("solve_a", "mx.linalg.solve(a, b, stream=mx.cpu)"),
    ("solve_tri_a", "mx.linalg.solve_triangular(a, b, upper=False, stream=mx.cpu)"),
]

# Every outcome, as MLX 0.32.4 reports it: (grad, jvp, vmap) -> "ok" or the message.
VJP_NI, JVP_NI, VMAP_NI = ("[Primitive::vjp] Not implemented for {}.",
                           "[Primitive::jvp] Not implemented for {}.",
                           "[Primitive::vmap] Not implemented for {}.")
GATHER = ("[gather_axis] Cannot calculate VJP with respect to indices. Use stop_gradient on "
          "indices to stop gradients from being computed.")
EXPECTED = {
    "inv": ("Inverse", "Inverse", None), "tri_inv": ("Inverse", "Inverse", None),
    "cholesky": ("Cholesky", "Cholesky", None), "cholesky_inv": ("Inverse", "Inverse", None),
    "svd_values": ("SVD", "SVD", None), "svd_u": ("SVD", "SVD", None), "pinv": ("SVD", "SVD", None),
    "norm_2": ("SVD", "SVD", None), "norm_nuc": ("SVD", "SVD", None),
    "eigh": ("Eigh", "Eigh", None), "eigvalsh": ("Eigh", "Eigh", None),
    "eigvals": ("Eig", "Eig", None), "eig": ("Eig", "Eig", None),
    "qr": ("QRF", "QRF", "QRF"), "lu": ("LUF", "LUF", "LUF"), "lu_factor": ("LUF", "LUF", "LUF"),
    "det": ("LUF", "LUF", "LUF"), "slogdet": ("LUF", "LUF", "LUF"),
    "solve_a": (GATHER, "LUF", "LUF"), "solve_tri_a": ("Inverse", "Inverse", None),
}


def _outcomes(expr):
    """(grad, jvp, vmap) of the expression in `a` (b fixed): 'ok' or
    'ExcType: message'.  Its source is sent as is to real MLX, so that
    both sides run the very same checks."""
    a, b = mx.array(A_SPD), mx.array(B_RHS)
    f = eval("lambda a: (" + expr + ")", {"mx": mx, "b": b})
    res = []
    for kind in ("grad", "jvp", "vmap"):
        try:
            if kind == "grad":
                r = mx.grad(lambda x: f(x).sum())(a)
            elif kind == "jvp":
                r = mx.jvp(f, (a,), (mx.ones_like(a),))[1]
            else:
                r = mx.vmap(f)(mx.stack([a, a + mx.eye(4)]))
            mx.eval(r)
            res.append("ok")
        except Exception as e:  # noqa: BLE001 - the type is part of the outcome
            res.append(f"{type(e).__name__}: {e}")
    return res


@pytest.mark.parametrize("name,expr", REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_as_mlx(name, expr):
    g, j, v = EXPECTED[name]
    want = [
        "ValueError: " + (g if g.startswith("[") else VJP_NI.format(g)),
        "ValueError: " + JVP_NI.format(j),
        "ok" if v is None else "ValueError: " + VMAP_NI.format(v),
    ]
    assert _outcomes(expr) == want


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_refusals_match_real_mlx():
    code = REF_PRELUDE + f"""
A_SPD = np.array({A_SPD.tolist()!r}, dtype=np.float32)
B_RHS = np.array({B_RHS.tolist()!r}, dtype=np.float32)
""" + inspect.getsource(_outcomes) + f"""
print(json.dumps({{name: _outcomes(expr) for name, expr in {REFUSED!r}}}))
"""
    ref = run_ref(code)
    for name, expr in REFUSED:
        assert _outcomes(expr) == ref[name], name


@pytest.mark.skipif(not HAS_REF, reason="real MLX not installed")
def test_values_match_real_mlx():
    a = well_conditioned((2, 3, 3), seed=70).astype(np.float32)
    s = well_conditioned((2, 3, 3), seed=71, spd=True).astype(np.float32)
    b = rand((2, 3, 2), seed=72).astype(np.float32)
    w = rand((2, 3, 2), seed=73).astype(np.float32)
    m = rand((2, 3, 4), seed=74).astype(np.float32)
    snippet = """
def results(a, s, b, w, m):
    cpu = mx.cpu
    L = mx.linalg
    out = {}
    out["grad_solve_b"] = mx.grad(lambda x: (L.solve(a, x, stream=cpu) * w).sum())(b)
    out["grad_tri_b"] = mx.grad(lambda x: (L.solve_triangular(a, x, upper=True, stream=cpu) * w).sum())(b)
    out["jvp_tri_b"] = mx.jvp(lambda x: L.solve_triangular(a, x, upper=False, stream=cpu), (b,), (w,))[1][0]
    out["jvp_solve_b"] = mx.jvp(lambda x: L.solve(a, x, stream=cpu), (b,), (w,))[1][0]
    out["vmap_solve_b"] = mx.vmap(lambda x: L.solve(a[0], x, stream=cpu), in_axes=2)(mx.moveaxis(b, 0, 2))
    out["vmap_eigvalsh"] = mx.vmap(lambda x: L.eigvalsh(x, UPLO="L", stream=cpu), in_axes=1)(mx.moveaxis(s, 0, 1))
    out["vmap_svd_s"] = mx.vmap(lambda x: L.svd(x, compute_uv=False, stream=cpu), in_axes=2)(m)
    out["vmap_inv"] = mx.vmap(lambda x: L.inv(x, stream=cpu), in_axes=1)(mx.moveaxis(a, 0, 1))
    out["vmap_chol"] = mx.vmap(lambda x: L.cholesky(x, stream=cpu), in_axes=2)(mx.moveaxis(s, 0, 2))
    out["grad_norm_inf"] = mx.grad(lambda x: L.norm(x, float("inf")))(m[0])
    out["grad_norm_fro"] = mx.grad(lambda x: L.norm(x, "fro", axis=(1, 2)).sum())(m)
    out["grad_cross"] = mx.grad(lambda x: (L.cross(x, m[:, :, :3]) * a).sum())(b[:, :, :1] + a)
    out["grad_det3"] = mx.grad(lambda x: L.det(x, stream=cpu).sum())(a)
    out["grad_logdet3"] = mx.grad(lambda x: L.slogdet(x, stream=cpu)[1].sum())(a)
    out["jvp_det2"] = mx.jvp(lambda x: L.det(x, stream=cpu), (a[:, :2, :2],), (s[:, :2, :2],))[1][0]
    out["vmap_det3"] = mx.vmap(lambda x: L.det(x, stream=cpu), in_axes=2)(mx.moveaxis(a, 0, 2))
    out["det3"] = L.det(m[:, :, :3] * 7, stream=cpu)
    return {k: as_json(v) for k, v in out.items()}
"""
    arrs = dict(a=a, s=s, b=b, w=w, m=m)
    code = REF_PRELUDE + snippet + "args = {" + ", ".join(
        f"{k!r}: mx.array(np.array({v.tolist()!r}, dtype=np.float32))" for k, v in arrs.items()
    ) + "}\nprint(json.dumps(results(**args)))\n"
    ref = run_ref(code)
    ns = {"mx": mx, "as_json": as_json}
    exec(snippet, ns)
    ours = ns["results"](**{k: mx.array(v) for k, v in arrs.items()})
    assert set(ours) == set(ref)
    for k in ref:
        same_values(ours[k], ref[k], rtol=2e-5, atol=2e-5)
