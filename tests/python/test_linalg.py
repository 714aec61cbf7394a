"""mx.linalg against NumPy float64 (np.linalg): every function, batched and
unbatched, odd sizes, empty shapes where MLX accepts them, reconstruction
identities, and MLX 0.32.4's exception types and dtypes (checked by running
the reference install)."""
import math

import numpy as np
import pytest

import mlx.core as mx

L = mx.linalg
SIZES = [1, 2, 3, 7, 17, 64]
rng = np.random.default_rng(1234)


def rand(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def spd(n, batch=(), dtype=np.float32):
    a = rng.standard_normal(batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def A(x):
    """mx.array keeping NumPy's float64 (mx.array alone makes float32 of it)."""
    x = np.asarray(x)
    return mx.array(x, dtype=mx.float64) if x.dtype == np.float64 else mx.array(x)


def tol(dtype):
    return (2e-3, 2e-3) if dtype == np.float32 else (1e-9, 1e-9)


def close(x, y, dtype=np.float32, scale=1.0):
    rtol, atol = tol(dtype)
    np.testing.assert_allclose(np.array(x, dtype=np.complex128 if np.iscomplexobj(x) else np.float64),
                               y, rtol=rtol * scale, atol=atol * scale)


DT = [(np.float32, mx.float32), (np.float64, mx.float64)]
BATCHES = [(), (3,), (2, 2)]


# --- inv, tri_inv, cholesky, cholesky_inv ---------------------------------------


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_inv(n, batch, npdt, mxdt):
    a = spd(n, batch, npdt) + rand(*batch, n, n, dtype=npdt)
    got = L.inv(A(a))
    assert got.dtype == mxdt and got.shape == a.shape
    close(got, np.linalg.inv(a.astype(np.float64)), npdt, scale=10)
    ident = np.array(A(a) @ got)
    close(ident, np.broadcast_to(np.eye(n), a.shape), npdt, scale=10)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_tri_inv(n, upper, npdt, mxdt):
    a = rand(2, n, n, dtype=npdt) + 4 * np.eye(n, dtype=npdt)
    tri = np.triu(a) if upper else np.tril(a)
    got = L.tri_inv(A(a), upper=upper)  # the other triangle is ignored
    close(got, np.linalg.inv(tri.astype(np.float64)), npdt, scale=10)
    other = np.tril(np.array(got), -1) if upper else np.triu(np.array(got), 1)
    assert np.all(other == 0)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_cholesky(n, batch, npdt, mxdt):
    a = spd(n, batch, npdt)
    lo = L.cholesky(A(a))
    close(lo, np.linalg.cholesky(a.astype(np.float64)), npdt, scale=5)
    close(lo @ lo.swapaxes(-1, -2), a, npdt, scale=10 * n)
    up = L.cholesky(A(a), upper=True)
    close(up, np.swapaxes(np.linalg.cholesky(a.astype(np.float64)), -1, -2), npdt, scale=5)
    inv = L.cholesky_inv(lo)
    close(inv, np.linalg.inv(a.astype(np.float64)), npdt, scale=10)
    close(L.cholesky_inv(up, upper=True), np.linalg.inv(a.astype(np.float64)), npdt, scale=10)


def test_cholesky_not_positive_definite_is_nan():
    # MLX raises nothing here and leaves the result unspecified; ours is NaN.
    got = np.array(L.cholesky(mx.array([[1.0, 2.0], [2.0, 1.0]])))
    assert np.isnan(got).all()


# --- qr, svd -----------------------------------------------------------------------------


SHAPES = [(1, 1), (2, 2), (3, 3), (7, 3), (3, 7), (17, 17), (64, 64), (64, 17), (5, 1), (1, 5)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("batch", [(), (3,)])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_qr(shape, batch, npdt, mxdt):
    a = rand(*batch, *shape, dtype=npdt)
    q, r = L.qr(A(a))
    m, n = shape
    k = min(m, n)
    assert q.shape == batch + (m, k) and r.shape == batch + (k, n)
    assert q.dtype == mxdt and r.dtype == mxdt
    close(q @ r, a, npdt, scale=10)
    close(q.swapaxes(-1, -2) @ q, np.broadcast_to(np.eye(k), batch + (k, k)), npdt, scale=10)
    assert np.all(np.tril(np.array(r), -1) == 0)
    _, r_ref = np.linalg.qr(a.astype(np.float64))
    close(np.abs(np.array(r)), np.abs(r_ref), npdt, scale=10)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("batch", [(), (2,), (2, 3)])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_svd(shape, batch, npdt, mxdt):
    a = rand(*batch, *shape, dtype=npdt)
    m, n = shape
    u, s, vt = L.svd(A(a))
    assert u.shape == batch + (m, m) and s.shape == batch + (min(m, n),)
    assert vt.shape == batch + (n, n) and s.dtype == mxdt
    close(s, np.linalg.svd(a.astype(np.float64), compute_uv=False), npdt, scale=10)
    k = min(m, n)
    rec = (u[..., :, :k] * s[..., None, :]) @ vt[..., :k, :]
    close(rec, a, npdt, scale=10)
    close(u.swapaxes(-1, -2) @ u, np.broadcast_to(np.eye(m), batch + (m, m)), npdt, scale=10)
    close(vt @ vt.swapaxes(-1, -2), np.broadcast_to(np.eye(n), batch + (n, n)), npdt, scale=10)
    s_only = L.svd(A(a), compute_uv=False)
    assert isinstance(s_only, mx.array)
    close(s_only, np.array(s), npdt)


def test_svd_complex64():
    a = (rand(4, 3) + 1j * rand(4, 3)).astype(np.complex64)
    u, s, vt = L.svd(A(a))
    assert u.dtype == mx.complex64 and s.dtype == mx.float32 and vt.dtype == mx.complex64
    close(s, np.linalg.svd(a.astype(np.complex128), compute_uv=False))
    close((u[:, :3] * s[None, :].astype(mx.complex64)) @ vt, a)


def test_svd_empty_matches_mlx():
    u, s, vt = L.svd(mx.zeros((0, 3)))
    assert u.shape == (0, 0) and s.shape == (0,) and np.array_equal(np.array(vt), np.eye(3))
    u, s, vt = L.svd(mx.zeros((3, 0)))
    assert np.array_equal(np.array(u), np.eye(3)) and s.shape == (0,) and vt.shape == (0, 0)
    assert L.svd(mx.zeros((0, 0)), compute_uv=False).shape == (0,)


# --- eig, eigvals, eigh, eigvalsh -----------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("batch", [(), (3,)])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_eig(n, batch, npdt, mxdt):
    a = rand(*batch, n, n, dtype=npdt)
    w, v = L.eig(A(a))
    assert w.dtype == mx.complex64 and v.dtype == mx.complex64  # MLX: even for float64
    assert w.shape == batch + (n,) and v.shape == batch + (n, n)
    ref = np.linalg.eigvals(a.astype(np.float64))
    key = lambda z: np.lexsort((np.round(z.imag, 3), np.round(z.real, 3)), axis=-1)
    wn = np.array(w)
    np.testing.assert_allclose(np.take_along_axis(wn, key(wn), -1),
                               np.take_along_axis(ref, key(ref), -1), rtol=2e-3, atol=2e-3 * n)
    # A v = v diag(w)
    vn = np.array(v).astype(np.complex128)
    lhs = a.astype(np.complex128) @ vn
    np.testing.assert_allclose(lhs, vn * wn[..., None, :], atol=3e-3 * n, rtol=1e-3)
    close(L.eigvals(A(a)), wn, np.float32)


def test_eig_complex_pairs_and_complex_input():
    w, v = L.eig(mx.array([[0.0, -1.0], [1.0, 0.0]]))
    np.testing.assert_allclose(np.array(w), [1j, -1j], atol=1e-6)
    c = (rand(5, 5) + 1j * rand(5, 5)).astype(np.complex64)
    w, v = L.eig(A(c))
    vn, wn = np.array(v).astype(np.complex128), np.array(w)
    np.testing.assert_allclose(c @ vn, vn * wn[None, :], atol=1e-3)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("batch", [(), (2, 2)])
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_eigh(n, batch, uplo, npdt, mxdt):
    a = rand(*batch, n, n, dtype=npdt)  # not symmetric: only one triangle is read
    w, v = L.eigh(A(a), UPLO=uplo)
    assert w.dtype == mxdt and v.dtype == mxdt
    ref = np.linalg.eigvalsh(a.astype(np.float64), UPLO=uplo)
    close(w, ref, npdt, scale=10)
    sym = np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2) if uplo == "L" else \
        np.triu(a) + np.swapaxes(np.triu(a, 1), -1, -2)
    close(A(sym) @ v, v * w[..., None, :], npdt, scale=10 * n)
    close(L.eigvalsh(A(a), UPLO=uplo), ref, npdt, scale=10)


def test_eigh_uplo_rule_and_complex():
    a = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]], np.float32)
    lower = np.linalg.eigvalsh(a, "L")
    upper = np.linalg.eigvalsh(a, "U")
    # MLX reads the lower triangle only when UPLO starts with "L".
    close(L.eigvalsh(A(a)), lower)
    close(L.eigvalsh(A(a), UPLO="LX"), lower)
    for other in ["U", "l", "", "X"]:
        close(L.eigvalsh(A(a), UPLO=other), upper)
    h = rand(4, 4) + 1j * rand(4, 4)
    h = (h + h.conj().T).astype(np.complex64)
    w, v = L.eigh(A(h))
    assert w.dtype == mx.float32 and v.dtype == mx.complex64
    close(w, np.linalg.eigvalsh(h.astype(np.complex128)))


# --- lu, lu_factor, solve, solve_triangular, det, slogdet -------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("batch", [(), (3,)])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_lu(shape, batch, npdt, mxdt):
    a = rand(*batch, *shape, dtype=npdt)
    m, n = shape
    k = min(m, n)
    p, lo, up = L.lu(A(a))
    assert p.dtype == mx.uint32 and p.shape == batch + (m,)
    assert lo.shape == batch + (m, k) and up.shape == batch + (k, n)
    close(lo @ up, np.take_along_axis(a, np.array(p)[..., None].astype(np.int64), -2), npdt,
          scale=10)
    assert np.all(np.abs(np.tril(np.array(lo), -1)) <= 1 + 1e-6)  # partial pivoting
    lu, piv = L.lu_factor(A(a))
    assert piv.dtype == mx.uint32 and piv.shape == batch + (k,)
    close(np.tril(np.array(lu)[..., :, :k], -1) + np.eye(m, k), lo, npdt)


def test_lu_matches_mlx_pivots():
    a = mx.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]])
    lu, piv = L.lu_factor(a)
    assert np.array(piv).tolist() == [2, 2, 2]  # recorded from MLX 0.32.4
    p, _, _ = L.lu(a)
    assert np.array(p).tolist() == [2, 0, 1]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_solve(n, npdt, mxdt):
    a = spd(n, (2,), npdt) + rand(2, n, n, dtype=npdt)
    b = rand(2, n, 3, dtype=npdt)
    x = L.solve(A(a), A(b))
    assert x.dtype == mxdt and x.shape == (2, n, 3)
    close(x, np.linalg.solve(a.astype(np.float64), b.astype(np.float64)), npdt, scale=10)
    v = rand(n, dtype=npdt)
    xv = L.solve(A(a[0]), A(v))
    assert xv.shape == (n,)
    close(xv, np.linalg.solve(a[0].astype(np.float64), v.astype(np.float64)), npdt, scale=10)
    # batch dims broadcast (MLX itself fails inside take_along_axis here)
    xb = L.solve(A(a), A(b[0]))
    close(xb, np.linalg.solve(a.astype(np.float64), b[0].astype(np.float64)), npdt, scale=10)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_solve_triangular(n, upper, npdt, mxdt):
    a = rand(3, n, n, dtype=npdt) + 4 * np.eye(n, dtype=npdt)
    b = rand(3, n, 2, dtype=npdt)
    tri = np.triu(a) if upper else np.tril(a)
    x = L.solve_triangular(A(a), A(b), upper=upper)
    close(x, np.linalg.solve(tri.astype(np.float64), b.astype(np.float64)), npdt, scale=10)


def test_solve_strided_inputs():
    a = rand(4, 6, 6)
    b = rand(6, 4, 2)
    at = A(a).swapaxes(-1, -2)[::2]  # transposed and sliced view
    bt = A(b).transpose(1, 0, 2)[::2]
    x = L.solve(at, bt)
    ref = np.linalg.solve(np.swapaxes(a, -1, -2)[::2].astype(np.float64),
                          np.transpose(b, (1, 0, 2))[::2].astype(np.float64))
    close(x, ref, scale=10)
    close(L.inv(at), np.linalg.inv(np.swapaxes(a, -1, -2)[::2].astype(np.float64)), scale=10)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_det_slogdet(n, npdt, mxdt):
    # Scaled so that float32 determinants stay finite at n = 64.
    a = (rand(3, n, n) / np.sqrt(n)).astype(npdt)
    ref = np.linalg.det(a.astype(np.float64))
    d = L.det(A(a))
    assert d.dtype == mxdt and d.shape == (3,)
    close(d, ref, npdt, scale=10 * max(1, np.abs(ref).max()))
    sgn, lad = L.slogdet(A(a))
    rs, rl = np.linalg.slogdet(a.astype(np.float64))
    close(sgn, rs, npdt)
    close(lad, rl, npdt, scale=10)


def test_det_dtypes_and_degenerate():
    a = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    # dtypes recorded from MLX 0.32.4
    assert L.det(mx.array(a, dtype=mx.int32)).dtype == mx.float32
    assert L.det(mx.array(a, dtype=mx.float16)).dtype == mx.float16
    assert L.det(mx.array(a, dtype=mx.bfloat16)).dtype == mx.bfloat16
    assert L.det(mx.array(a, dtype=mx.int32)).item() == pytest.approx(-3, rel=1e-5)
    assert L.det(mx.zeros((0, 0))).item() == 1.0
    assert L.det(mx.zeros((0, 3, 3))).shape == (0,)
    s, la = L.slogdet(mx.zeros((3, 3)))
    assert s.item() == 0 and la.item() == -math.inf
    s, la = L.slogdet(mx.full((3, 3), float("nan")))
    assert s.item() == 0 and math.isnan(la.item())


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 5), (1, 1), (17, 7)])
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_pinv(shape, npdt, mxdt):
    a = rand(2, *shape, dtype=npdt)
    got = L.pinv(A(a))
    assert got.shape == (2, shape[1], shape[0])
    close(got, np.linalg.pinv(a.astype(np.float64)), npdt, scale=10)
    close(L.pinv(mx.ones((4, 2))), np.full((2, 4), 0.125))
    close(L.pinv(mx.zeros((3, 3))), np.zeros((3, 3)))
    assert L.pinv(mx.zeros((0, 3))).shape == (3, 0)


# --- norm, cross ----------------------------------------------------------------------------


VEC_ORDS = [None, 0, 1, 2, -1, -2, 3, 0.5, 2.5, math.inf, -math.inf]
MAT_ORDS = [None, 1, -1, 2, -2, math.inf, -math.inf, "fro", "nuc"]


@pytest.mark.parametrize("ord", VEC_ORDS)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_vector_norm(ord, npdt, mxdt):
    v = rand(17, dtype=npdt)
    v[3] = 0
    got = L.norm(A(v), ord=ord)
    assert got.dtype == mxdt
    close(got, np.linalg.norm(v.astype(np.float64), ord=ord), npdt)
    m = rand(4, 5, dtype=npdt)
    for axis in [0, 1, -1]:
        for kd in [False, True]:
            close(L.norm(A(m), ord=ord, axis=axis, keepdims=kd),
                  np.linalg.norm(m.astype(np.float64), ord=ord, axis=axis, keepdims=kd), npdt)


@pytest.mark.parametrize("ord", MAT_ORDS)
@pytest.mark.parametrize("npdt,mxdt", DT)
def test_matrix_norm(ord, npdt, mxdt):
    m = rand(7, 5, dtype=npdt)
    close(L.norm(A(m), ord=ord), np.linalg.norm(m.astype(np.float64), ord=ord), npdt)
    t = rand(3, 4, 5, dtype=npdt)
    for axes in [(0, 1), (1, 2), (2, 0), (-1, -2)]:
        for kd in [False, True]:
            got = L.norm(A(t), ord=ord, axis=axes, keepdims=kd)
            ref = np.linalg.norm(t.astype(np.float64), ord=ord, axis=axes, keepdims=kd)
            assert got.shape == ref.shape
            close(got, ref, npdt)


def test_norm_defaults_dtypes_and_quirks():
    t = rand(2, 3, 4)
    close(L.norm(A(t)), np.linalg.norm(t.ravel().astype(np.float64)))
    assert L.norm(A(t), keepdims=True).shape == (1, 1, 1)
    assert L.norm(mx.array([3, 4])).dtype == mx.float32
    assert L.norm(mx.array([3, 4])).item() == 5
    assert L.norm(mx.array([3, 4], dtype=mx.float16)).dtype == mx.float16
    assert L.norm(mx.array(-3.0)).item() == 3
    # complex: 2-norm / fro / nuc are real, other orders complex64 (MLX 0.32.4)
    c = mx.array([3 + 4j, 1])
    assert L.norm(c).dtype == mx.float32 and L.norm(c, ord=2).dtype == mx.float32
    assert L.norm(c, ord=1).dtype == mx.complex64
    assert L.norm(c, ord=1).item() == pytest.approx(6)
    cm = mx.array([[3 + 4j, 1], [0, 1j]])
    assert L.norm(cm, "fro").dtype == mx.float32 and L.norm(cm, "nuc").dtype == mx.float32
    assert L.norm(cm, 2).dtype == mx.complex64
    assert L.norm(mx.zeros((0,))).item() == 0


def test_norm_errors():
    v = mx.array([1.0, 2.0])
    with pytest.raises(ValueError, match="only supported for matrices"):
        L.norm(v, "fro")
    with pytest.raises(ValueError, match="only supported for matrices"):
        L.norm(mx.ones((2, 3, 4)), "fro")
    with pytest.raises(ValueError, match="too many axes"):
        L.norm(mx.ones((2, 3, 4)), ord=2)
    with pytest.raises(ValueError, match="too many axes"):
        L.norm(mx.ones((2, 3, 4)), axis=(0, 1, 2))
    with pytest.raises(ValueError, match="Invalid ord 0 for matrix norm"):
        L.norm(mx.ones((2, 2)), ord=0)
    with pytest.raises(ValueError, match="Invalid ord value 'foo'"):
        L.norm(mx.ones((2, 2)), ord="foo")
    with pytest.raises(IndexError):
        L.norm(mx.ones((2, 3, 4)), axis=5)
    with pytest.raises(ValueError):
        L.norm(mx.ones((2, 3, 4)), axis=(1, 1))


def test_cross():
    a, b = rand(5, 3), rand(5, 3)
    close(L.cross(A(a), A(b)), np.cross(a, b))
    close(L.cross(A(a.T), A(b.T), axis=0), np.cross(a, b).T)
    close(L.cross(A(a), A(b[0])), np.cross(a, b[0]))
    # size-2 vectors have a zero z component (MLX pads them)
    close(L.cross(mx.array([1.0, 1.0]), mx.array([1.0, 0.0, 0.0])), [0, 0, -1])
    assert L.cross(mx.array([1, 2, 3]), mx.array([0, 1, 0])).dtype == mx.int32
    with pytest.raises(ValueError, match="size 2 or 3"):
        L.cross(mx.ones((4,)), mx.ones((4,)))
    with pytest.raises(IndexError):
        L.cross(mx.ones((3,)), mx.ones((3,)), axis=2)
    with pytest.raises(ValueError):
        L.cross(mx.ones((2, 3)), mx.ones((4, 3)))


# --- errors (types and messages recorded from MLX 0.32.4) -----------------------------------


ONE_ARG = ["inv", "tri_inv", "cholesky", "cholesky_inv", "pinv", "eigvals", "eig", "eigvalsh",
           "eigh", "lu", "lu_factor", "qr", "svd", "det", "slogdet"]
FLOAT_ONLY = {"inv", "tri_inv", "cholesky", "cholesky_inv", "pinv", "lu", "lu_factor", "qr"}


@pytest.mark.parametrize("name", ONE_ARG)
def test_argument_errors(name):
    f = getattr(L, name)
    with pytest.raises(ValueError, match=">= 2 dimensions"):
        f(mx.ones((3,)))
    if name not in ("det", "slogdet"):
        with pytest.raises(ValueError, match="Arrays must have type float32"):
            f(mx.ones((3, 3), dtype=mx.int32))
        with pytest.raises(ValueError, match="Arrays must have type float32"):
            f(mx.ones((3, 3), dtype=mx.float16))
    if name in FLOAT_ONLY:
        with pytest.raises(ValueError, match="float32 or float64. Received array with type complex64"):
            f(mx.ones((3, 3), dtype=mx.complex64))
    if name in ("det", "slogdet"):
        with pytest.raises(ValueError, match="Complex inputs are not supported"):
            f(mx.ones((3, 3), dtype=mx.complex64))
    if name not in ("pinv", "lu", "lu_factor", "qr", "svd"):
        with pytest.raises(ValueError, match="square matri"):
            f(mx.ones((2, 3)))


def test_solve_errors():
    a = mx.eye(3)
    with pytest.raises(ValueError, match="First input must have >= 2 dimensions"):
        L.solve(mx.ones((3,)), mx.ones((3,)))
    with pytest.raises(ValueError, match="Second input must have >= 1 dimensions"):
        L.solve(a, mx.array(1.0))
    with pytest.raises(ValueError, match="First input must be a square matrix"):
        L.solve(mx.ones((2, 3)), mx.ones((2,)))
    with pytest.raises(ValueError, match=r"with shape \(3,3\) must match .* with shape \(4\)"):
        L.solve(a, mx.ones((4,)))
    with pytest.raises(ValueError, match="must promote to float32 or float64"):
        L.solve(a.astype(mx.int32), mx.ones((3,), dtype=mx.int32))
    with pytest.raises(ValueError, match="must promote to float32 or float64"):
        L.solve(a.astype(mx.complex64), mx.ones((3,)))
    with pytest.raises(ValueError, match="solve_triangular"):
        L.solve_triangular(mx.ones((2, 3)), mx.ones((2,)))


@pytest.mark.parametrize("call", [
    lambda: L.inv(mx.zeros((3, 3))),
    lambda: L.tri_inv(mx.zeros((3, 3))),
    lambda: L.cholesky_inv(mx.zeros((3, 3))),
    lambda: L.solve(mx.zeros((3, 3)), mx.ones((3,))),
    lambda: L.solve_triangular(mx.zeros((3, 3)), mx.ones((3,))),
    lambda: L.svd(mx.full((3, 3), float("nan"))),
    lambda: L.eigh(mx.full((3, 3), float("nan"))),
    lambda: L.eigvals(mx.full((3, 3), float("nan"))),
])
def test_runtime_errors(call):
    # MLX raises RuntimeError for these at evaluation (eigvals: MLX aborts
    # inside LAPACK; ours raises like the others).
    with pytest.raises(RuntimeError):
        mx.eval(call())


def test_singular_lu_is_not_an_error():
    p, lo, up = L.lu(mx.zeros((3, 3)))
    assert np.array(p).tolist() == [0, 1, 2]
    assert np.all(np.array(up) == 0)


def test_gpu_stream_rejected_like_mlx():
    if not mx.is_available(mx.gpu):
        pytest.skip("no GPU")
    with pytest.raises(ValueError, match=r"\[linalg::inv\] This op is not yet supported on the GPU"):
        L.inv(mx.eye(3), stream=mx.gpu)
    # norm and cross run anywhere
    mx.eval(L.norm(mx.ones((3,)), stream=mx.gpu), L.cross(mx.ones((3,)), mx.ones((3,)), stream=mx.gpu))


def test_empty_batches_and_matrices():
    for name in ["inv", "cholesky", "tri_inv", "cholesky_inv", "pinv"]:
        assert getattr(L, name)(mx.zeros((0, 3, 3))).shape[0] == 0
    assert L.inv(mx.zeros((0, 0))).shape == (0, 0)  # MLX crashes on this; we return it empty
    assert L.cholesky(mx.zeros((0, 0))).shape == (0, 0)
    q, r = L.qr(mx.zeros((0, 3)))
    assert q.shape == (0, 0) and r.shape == (0, 3)
    w, v = L.eigh(mx.zeros((0, 0)))
    assert w.shape == (0,) and v.shape == (0, 0)
    w, v = L.eig(mx.zeros((0, 3, 3)))
    assert w.shape == (0, 3) and w.dtype == mx.complex64
    p, lo, up = L.lu(mx.zeros((0, 0)))
    assert p.shape == (0,) and lo.shape == (0, 0)
    assert L.solve(mx.zeros((0, 0)), mx.zeros((0,))).shape == (0,)


def test_signatures():
    with pytest.raises(TypeError):
        L.solve_triangular(mx.eye(2), mx.ones((2,)), True)  # upper is keyword-only
    x = L.svd(a=mx.eye(2), compute_uv=False)
    assert x.shape == (2,)
    with pytest.raises(TypeError):
        L.norm(a=mx.ones((2,)))  # a is positional-only
