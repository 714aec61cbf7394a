"""Transforms (vjp, jvp, vmap) of the indexing family: Slice, SliceUpdate,
DynamicSlice(Update), Gather, Scatter (every mode), GatherAxis,
ScatterAxis and MaskedScatter, reached through a[idx], a.at[idx].op(v),
a[idx] = v, take, take_along_axis, put_along_axis and mx.slice(_update).

vjp is checked against central differences in float64, jvp against vjp,
vmap against a Python loop; special points against real MLX 0.32.4."""

import os

import numpy as np
import pytest

import mlx.core as mx

from _grad_struct import (HAS_REF, assert_same, check_jvp_vjp, check_vjp_fd, check_vmap,
                          rand, run_both)

A = rand((4, 5), seed=3)
V = rand((3, 5), seed=4)
IDX = mx.array([2, 0, 3])
IDX2 = mx.array([[1, 3], [0, 2]])


def _set(a, key, v):
    a = a * 1
    a[key] = v
    return a


# (name, f, args, argnums for derivatives, has jvp)
CASES = [
    ("int", lambda a: a[1], [A], None, True),
    ("neg_int", lambda a: a[-1, 2], [A], None, True),
    ("slice", lambda a: a[1:3], [A], None, True),
    ("slice_step", lambda a: a[::2, 1::3], [A], None, True),
    ("slice_neg_step", lambda a: a[::-1, 3:0:-2], [A], None, True),
    ("none_ellipsis", lambda a: a[None, ..., 2], [A], None, True),
    ("array", lambda a: a[IDX], [A], None, True),
    ("array_2d", lambda a: a[IDX2], [A], None, True),
    ("array_slice", lambda a: a[IDX, 1:4], [A], None, True),
    ("slice_array", lambda a: a[:, IDX], [A], None, True),
    ("two_arrays", lambda a: a[IDX, mx.array([4, 4, 1])], [A], None, True),
    ("take", lambda a: mx.take(a, IDX, axis=1), [A], None, True),
    ("take_flat", lambda a: mx.take(a, IDX2), [A], None, True),
    ("take_along", lambda a: mx.take_along_axis(a, mx.array([[0, 4, 1, 1, 2]]), axis=0),
     [A], None, True),
    ("put_along", lambda a, v: mx.put_along_axis(a, mx.array([[3, 0, 1, 1, 2]]), v, axis=0),
     [A, rand((1, 5), seed=5)], None, True),
    ("at_add", lambda a, v: a.at[IDX].add(v), [A, V], None, False),
    ("at_add_repeat", lambda a, v: a.at[mx.array([1, 1, 3])].add(v), [A, V], None, False),
    ("at_subtract", lambda a, v: a.at[IDX].subtract(v), [A, V], None, False),
    ("at_maximum", lambda a, v: a.at[IDX].maximum(v), [A, V], None, False),
    ("at_minimum", lambda a, v: a.at[IDX].minimum(v), [A, V], None, False),
    ("at_slice_add", lambda a, v: a.at[1:4].add(v), [A, V], None, True),
    ("at_slice_multiply", lambda a, v: a.at[1:4].multiply(v), [A, V], None, False),
    ("at_slice_divide", lambda a, v: a.at[::2, 1].divide(v), [A, rand((2,), 6, lo=1, hi=2)],
     None, False),
    ("at_slice_maximum", lambda a, v: a.at[1:4].maximum(v), [A, V], None, False),
    ("at_slice_minimum", lambda a, v: a.at[1:4].minimum(v), [A, V], None, False),
    ("set_int", lambda a, v: _set(a, 2, v), [A, rand((5,), 7)], None, True),
    ("set_slice", lambda a, v: _set(a, slice(None, None, 2), v), [A, rand((2, 5), 8)], None,
     True),
    ("set_array", lambda a, v: _set(a, IDX, v), [A, V], None, False),
    # (a repeated index in a[idx] = v is not a smooth function: MLX sends
    # every update its position's cotangent; test_special_points covers it)
    ("set_mask", lambda a, v: _set(a, mx.array([True, False, True, True]), v),
     [A, V], None, True),
    ("dyn_slice", lambda a: mx.slice(a, mx.array([1, 2]), [0, 1], [2, 3]), [A], None, True),
    ("dyn_slice_update", lambda a, v: mx.slice_update(a, v, mx.array([2]), [1]),
     [A, rand((4, 2), 9)], None, True),
]


@pytest.mark.parametrize("name,f,args,argnums,has_jvp", CASES, ids=[c[0] for c in CASES])
def test_vjp_finite_differences(name, f, args, argnums, has_jvp):
    check_vjp_fd(f, args, argnums)


@pytest.mark.parametrize("name,f,args,argnums,has_jvp",
                         [c for c in CASES if c[4]], ids=[c[0] for c in CASES if c[4]])
def test_jvp_matches_vjp(name, f, args, argnums, has_jvp):
    check_jvp_vjp(f, args, argnums)


def test_jvp_refusals_match_mlx():
    a, v = A, V
    # MLX has no jvp for Scatter, nor for slice updates that multiply or
    # take extremes.
    with pytest.raises(RuntimeError, match="JVP not yet implemented"):
        mx.jvp(lambda a, v: a.at[IDX].add(v), [a, v], [a, v])
    with pytest.raises(RuntimeError, match="JVP for product, minimum and maximum"):
        mx.jvp(lambda a, v: a.at[1:4].multiply(v), [a, v], [a, v])
    with pytest.raises(RuntimeError, match="scatter_prod"):
        mx.vjp(lambda a, v: a.at[IDX].multiply(v), [a, v], [a])


# --- vmap -----------------------------------------------------------------------

B = 3
XB = rand((B, 4, 5), seed=11)          # batch on axis 0
XB1 = rand((4, B, 5), seed=12)         # batch on axis 1
IB = mx.array([[2, 0], [1, 1], [3, 0]])  # per-row indices (B, 2)
VB = rand((B, 2, 5), seed=13)

VMAP_CASES = [
    ("int", lambda a: a[1], [XB], 0),
    ("slice", lambda a: a[1:3, ::-2], [XB1], 1),
    ("array_unbatched_idx", lambda a: a[IDX, 1:4], [XB], 0),
    ("array_unbatched_idx_ax1", lambda a: a[:, IDX], [XB1], 1),
    ("gather_batched_idx", lambda a, i: a[i], [XB, IB], (0, 0)),
    ("gather_batched_idx_only", lambda a, i: a[i], [A, IB], (None, 0)),
    ("gather_idx_ax1", lambda a, i: a[i, 2:], [XB1, IB.T], (1, 1)),
    ("two_arrays_mixed", lambda a, i: a[i, mx.array([4, 0])], [XB, IB], (0, 0)),
    ("take_axis", lambda a, i: mx.take(a, i, axis=1), [XB, IB], (0, 0)),
    ("take_flat", lambda a, i: mx.take(a, i), [XB, IB], (0, None)),
    ("take_along", lambda a, i: mx.take_along_axis(a, i, axis=0),
     [XB, mx.array([[[0, 1, 2, 3, 3]], [[3, 2, 1, 0, 0]], [[1, 1, 1, 1, 1]]])], (0, 0)),
    ("take_along_unbatched_idx", lambda a, i: mx.take_along_axis(a, i, axis=1),
     [XB1, mx.array([[0, 4], [1, 2], [3, 3], [0, 0]])], (1, None)),
    ("put_along", lambda a, i, v: mx.put_along_axis(a, i, v, axis=0),
     [XB, mx.array([[[0, 1, 2, 3, 3]], [[3, 2, 1, 0, 0]], [[1, 1, 1, 1, 1]]]),
      rand((B, 1, 5), 14)], (0, 0, 0)),
    ("put_along_mixed", lambda a, i, v: mx.put_along_axis(a, i, v, axis=1),
     [A, mx.array([[[0], [1], [2], [3]], [[4], [3], [2], [1]], [[0], [0], [0], [0]]]),
      rand((4, 1), 15)], (None, 0, None)),
    ("scatter_add", lambda a, i, v: a.at[i].add(v), [XB, IB, VB], (0, 0, 0)),
    ("scatter_add_repeat", lambda a, i, v: a.at[i].add(v),
     [XB, mx.array([[1, 1], [0, 0], [2, 3]]), VB], (0, 0, 0)),
    ("scatter_add_src_only", lambda a, i, v: a.at[i].add(v), [XB, IDX, V], (0, None, None)),
    ("scatter_add_upd_only", lambda a, i, v: a.at[i].add(v), [A, IDX, rand((3, B, 5), 16)],
     (None, None, 1)),
    ("scatter_set_idx_only", lambda a, i, v: _set(a, i, v), [A, IB, mx.array(7.0)],
     (None, 0, None)),
    ("scatter_max", lambda a, i, v: a.at[i].maximum(v), [XB, IB, VB], (0, 0, 0)),
    ("scatter_min", lambda a, i, v: a.at[i].minimum(v), [XB1, IB, VB], (1, 0, 0)),
    ("scatter_prod", lambda a, i, v: a.at[i].multiply(v), [XB, IB, VB], (0, 0, 0)),
    ("slice_update", lambda a, v: a.at[1:3].add(v), [XB, rand((B, 2, 5), 17)], (0, 0)),
    ("slice_update_src_only", lambda a, v: _set(a, slice(0, 4, 3), v),
     [XB1, rand((2, 5), 18)], (1, None)),
    ("slice_update_upd_only", lambda a, v: a.at[::2, 1:].maximum(v),
     [A, rand((2, B, 4), 19)], (None, 1)),
    ("mask_set", lambda a, v: _set(a, mx.array([True, False, True, False]), v),
     [XB, rand((B, 2, 5), 20)], (0, 0)),
    ("mask_set_batched_mask", lambda a, m, v: _set(a, m, v),
     [A, mx.array([[True, False, False, True], [False, False, False, False],
                   [True, True, True, False]]), rand((4, 5), 21)], (None, 0, None)),
    ("dyn_slice", lambda a: mx.slice(a, mx.array([1, 2]), [0, 1], [2, 3]), [XB1], 1),
    ("dyn_slice_batched_start", lambda a, s: mx.slice(a, s, [0, 1], [2, 3]),
     [XB, mx.array([[0, 0], [2, 1], [-1, 9]])], (0, 0)),
    ("dyn_slice_start_only", lambda a, s: mx.slice(a, s, [1], [4, 2]),
     [A, mx.array([[0], [3], [-2]])], (None, 0)),
    ("dyn_update", lambda a, v: mx.slice_update(a, v, mx.array([2]), [1]),
     [XB, rand((B, 4, 2), 22)], (0, 0)),
    ("dyn_update_batched_start", lambda a, v, s: mx.slice_update(a, v, s, [1]),
     [XB, rand((4, 2), 23), mx.array([[0], [3], [-1]])], (0, None, 0)),
]


# Cases where real MLX 0.32.4 differs from the loop: it refuses vmap over
# dynamic start indices (cmlx folds the per-row starts into a gather /
# scatter), and its vmap of a stepped slice update of a source batched on
# axis 1 gives wrong rows.  cmlx follows the loop.
NOT_IN_MLX = {"dyn_slice_batched_start", "dyn_slice_start_only", "dyn_update_batched_start",
              "slice_update_src_only"}


@pytest.mark.parametrize("name,f,args,in_axes", VMAP_CASES, ids=[c[0] for c in VMAP_CASES])
def test_vmap_matches_loop(name, f, args, in_axes):
    if name in NOT_IN_MLX and os.environ.get("CMLX_TEST_REFERENCE"):
        pytest.skip("real MLX does not do this one")
    check_vmap(f, args, in_axes)


def test_vmap_out_axes_and_nesting():
    x = rand((2, 3, 4, 5), seed=30)
    i = mx.array([[[1, 0], [2, 2], [0, 3]], [[3, 3], [1, 0], [0, 0]]])
    f = lambda a, j: a[j]  # noqa: E731
    got = mx.vmap(mx.vmap(f, in_axes=(0, 0)), in_axes=(0, 0))(x, i)
    want = mx.stack([mx.stack([x[b, c][i[b, c]] for c in range(3)]) for b in range(2)])
    np.testing.assert_allclose(np.array(got), np.array(want))
    check_vmap(lambda a, j: a.at[j].add(1.0), [XB, IB], (0, 0), out_axes=1)


def test_grad_of_vmap_and_vmap_of_grad():
    def loss(a, i):
        return (a[i] ** 2).sum() + mx.take_along_axis(a, i[:, None] % 4, axis=0).sum()

    g = mx.grad(lambda a: mx.vmap(loss, in_axes=(0, 0))(a, IB).sum())(XB)
    want = mx.stack([mx.grad(loss)(XB[b], IB[b]) for b in range(B)])
    np.testing.assert_allclose(np.array(g), np.array(want), rtol=1e-12)
    vg = mx.vmap(mx.grad(loss), in_axes=(0, 0))(XB, IB)
    np.testing.assert_allclose(np.array(vg), np.array(want), rtol=1e-12)

    def upd(a, v):
        return (a.at[1:3].multiply(v) ** 2).sum()

    vb = rand((B, 2, 5), 40)
    g2 = mx.vmap(mx.grad(upd, argnums=1))(XB, vb)
    want2 = mx.stack([mx.grad(upd, argnums=1)(XB[b], vb[b]) for b in range(B)])
    np.testing.assert_allclose(np.array(g2), np.array(want2), rtol=1e-12)


def test_index_inputs_have_zero_gradient():
    # The float source of indices gets nothing back through them (MLX
    # raises unless the indices pass through stop_gradient; cmlx gives the
    # zero either way).
    f = lambda a: (a[:, mx.stop_gradient(mx.argsort(a[0]))] * 1).sum()  # noqa: E731
    g = mx.grad(f)(A)
    np.testing.assert_allclose(np.array(g), np.full(A.shape, 1.0))


@pytest.mark.skipif(not HAS_REF, reason="real MLX not available")
def test_special_points_match_mlx():
    code = """
a = mx.array([1.0, 5.0, 3.0, 5.0])
c = mx.array([1.0, 10.0, 100.0, 1000.0])
idx = mx.array([1, 3, 1, 2])
v = mx.array([5.0, 2.0, 7.0, 3.0])
out = []
# ties of the scattered maximum with the source / between updates
out.append([g.tolist() for g in mx.vjp(lambda a, v: a.at[idx].maximum(v), [a, v], [c])[1]])
out.append([g.tolist() for g in mx.vjp(lambda a, v: a.at[idx].minimum(v), [a, v], [c])[1]])
# repeated overwrite: the last write wins, every update reads its position
def s(a, v):
    a = a * 1
    a[idx] = v
    return a
out.append([g.tolist() for g in mx.vjp(s, [a, v], [c])[1]])
out.append([g.tolist() for g in mx.vjp(lambda a, v: a.at[1:3].maximum(v), [a, v[:2]], [c])[1]])
out.append([g.tolist() for g in mx.vjp(lambda a, v: a.at[1:3].multiply(v), [a, mx.array([0.0, 2.0])], [c])[1]])
out.append(mx.grad(lambda a: a[mx.array([0, 0, 3])].sum())(a).tolist())
# (take with out-of-range indices is left out: MLX 0.32.4 corrupts its heap on it)
out.append(mx.vmap(lambda a, i: a[i])(mx.arange(12.).reshape(3, 4), mx.array([3, 0, 2])).tolist())
out.append(mx.vmap(lambda a, i, u: a.at[i].add(u))(mx.zeros((3, 4)), mx.array([[1, 1], [0, 3], [2, 2]]), mx.ones((3, 2))).tolist())
"""
    mine, theirs = run_both(code)
    for m, t in zip(mine, theirs):
        assert_same(m, t)
