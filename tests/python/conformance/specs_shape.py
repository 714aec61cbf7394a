"""Conformance rows of the shape family: reshapes, transposes, strided views,
joining, padding, rolling and triangles.  Every row was run against real MLX
0.32.4 with run.py (dtypes accepted, result dtypes and exception types)."""

import numpy as np

import mlx.core as mx
from opspec import ALL, Case, ErrorCase, OpSpec


def _x23():
    return mx.arange(6).reshape(2, 3)


def _cases(rows):
    return lambda: [Case(tuple(shapes), kw, f"{shapes} {kw}", cls) for shapes, kw, cls in rows]


def _np_flatten(a, start_axis=0, end_axis=-1):
    if a.ndim == 0:
        return a.reshape(1)
    s = start_axis % a.ndim
    e = end_axis % a.ndim
    return a.reshape(a.shape[:s] + (-1,) + a.shape[e + 1:])


def _np_unflatten(a, axis, shape):
    ax = axis % a.ndim
    return a.reshape(a.shape[:ax] + tuple(shape) + a.shape[ax + 1:])


def _np_pad(a, pad_width, mode="constant", constant_values=0):
    if mode == "constant":
        return np.pad(a, pad_width, mode=mode, constant_values=constant_values)
    return np.pad(a, pad_width, mode=mode)


def _np_diag(a, k=0):
    return np.diag(a, k)


SPECS = [
    OpSpec("flatten", mx.flatten, _np_flatten, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3, 4),), {}, "odd"), (((2, 3, 4),), {"start_axis": 1}, "views"),
        (((2, 3, 4, 5),), {"start_axis": 1, "end_axis": 2}, "rank"), (((),), {}, "scalar"),
        (((0, 3),), {}, "empty"), (((3, 2, 4, 1, 2, 3),), {"end_axis": -3}, "rank")]),
        vmap=True, grad=True,
        errors=[ErrorCase("start > end", lambda: mx.flatten(_x23(), 1, 0))]),
    OpSpec("unflatten", mx.unflatten, _np_unflatten, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 6),), {"axis": 1, "shape": (3, 2)}, "odd"),
        (((12,),), {"axis": 0, "shape": (-1, 4)}, "views"),
        (((2, 0),), {"axis": 1, "shape": (-1, 3)}, "empty")]),
        errors=[ErrorCase("size", lambda: mx.unflatten(_x23(), 1, (2, 2))),
                ErrorCase("axis", lambda: mx.unflatten(_x23(), 2, (3,)), IndexError)]),
    OpSpec("squeeze", mx.squeeze, lambda a, axis=None: np.squeeze(a, axis), dtypes=ALL,
           kind="custom", cases=_cases([
               (((1, 3, 1, 2),), {}, "odd"), (((1, 3, 1, 2),), {"axis": (0, 2)}, "views"),
               (((),), {}, "scalar"), (((1, 0),), {"axis": 0}, "empty")]),
           grad=True, vmap=True,
           errors=[ErrorCase("not size 1", lambda: mx.squeeze(_x23(), 0)),
                   ErrorCase("axis", lambda: mx.squeeze(_x23(), 3), IndexError)]),
    OpSpec("expand_dims", mx.expand_dims, lambda a, axis: np.expand_dims(a, axis), dtypes=ALL,
           kind="custom", cases=_cases([
               (((2, 3),), {"axis": 0}, "odd"), (((2, 3),), {"axis": (0, 3)}, "views"),
               (((),), {"axis": (0, 1)}, "scalar"), (((0, 2),), {"axis": -1}, "empty")]),
           grad=True, vmap=True,
           errors=[ErrorCase("axis", lambda: mx.expand_dims(_x23(), 3), IndexError),
                   ErrorCase("duplicate", lambda: mx.expand_dims(_x23(), (0, 0)))]),
    OpSpec("flip", mx.flip, lambda a, axis=None: np.flip(a, axis), dtypes=ALL, kind="custom",
           cases=_cases([(((5, 7),), {}, "odd"), (((5, 7),), {"axis": 1}, "views"),
                          (((3, 4, 5),), {"axis": (0, 2)}, "rank"), (((),), {}, "scalar"),
                          (((0, 3),), {"axis": 1}, "empty")]),
           grad=True, vmap=True,
           errors=[ErrorCase("axis", lambda: mx.flip(_x23(), 2), IndexError)]),
    OpSpec("moveaxis", mx.moveaxis, np.moveaxis, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3, 4),), {"source": 0, "destination": -1}, "odd"),
        (((2, 3, 4),), {"source": 2, "destination": 0}, "views")]),
        grad=True, vmap=True,
        errors=[ErrorCase("axis", lambda: mx.moveaxis(_x23(), 5, 0), IndexError)]),
    OpSpec("swapaxes", mx.swapaxes, np.swapaxes, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3, 4),), {"axis1": 0, "axis2": 2}, "odd"),
        (((2, 3),), {"axis1": -1, "axis2": 0}, "views")]),
        grad=True, vmap=True,
        errors=[ErrorCase("axis", lambda: mx.swapaxes(_x23(), 0, 4), IndexError)]),
    OpSpec("matrix_transpose", mx.matrix_transpose, lambda a: np.swapaxes(a, -1, -2), grad=True, vmap=True, dtypes=ALL,
           kind="custom", cases=_cases([(((2, 3, 4),), {}, "odd"), (((3, 5),), {}, "views")]),
           errors=[ErrorCase("1-d", lambda: mx.matrix_transpose(mx.arange(3)))]),
    OpSpec("repeat", mx.repeat, np.repeat, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3),), {"repeats": 3}, "odd"), (((2, 3),), {"repeats": 2, "axis": 1}, "views"),
        (((),), {"repeats": 2}, "scalar"), (((2, 3),), {"repeats": 0, "axis": 0}, "empty")]),
        errors=[ErrorCase("negative", lambda: mx.repeat(_x23(), -1))]),
    OpSpec("tile", lambda a, reps: mx.tile(a, reps), np.tile, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3),), {"reps": 2}, "odd"), (((2, 3),), {"reps": (2, 1, 2)}, "views"),
        (((),), {"reps": (3,)}, "scalar"), (((0, 2),), {"reps": (2, 2)}, "empty")])),
    OpSpec("pad", mx.pad, _np_pad, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((3, 5),), {"pad_width": 1}, "odd"),
        (((3, 5),), {"pad_width": [(1, 0), (2, 3)], "mode": "edge"}, "views"),
        (((3, 5),), {"pad_width": [(2, 2), (4, 6)], "mode": "reflect"}, "odd"),
        (((3, 5),), {"pad_width": [(3, 4), (7, 1)], "mode": "symmetric"}, "views"),
        (((2, 3, 4),), {"pad_width": (1, 2), "mode": "constant"}, "rank"),
        (((4,),), {"pad_width": (2, 3), "mode": "reflect"}, "odd")]),
        errors=[ErrorCase("mode", lambda: mx.pad(_x23(), 1, mode="wrap")),
                ErrorCase("negative", lambda: mx.pad(_x23(), -1))]),
    OpSpec("roll", lambda a, shift, axis=None: mx.roll(a, shift, axis), np.roll, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((2, 3),), {"shift": 1}, "odd"), (((5, 7),), {"shift": -3, "axis": 1}, "views"),
        (((5, 7),), {"shift": (2, 9), "axis": (0, 1)}, "odd"), (((),), {"shift": 3}, "scalar"),
        (((0, 3),), {"shift": 1}, "empty")]),
        errors=[ErrorCase("axis", lambda: mx.roll(_x23(), 1, 2), IndexError)]),
    OpSpec("diagonal", mx.diagonal, np.diagonal, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((4, 5),), {}, "odd"), (((4, 5),), {"offset": 2}, "views"),
        (((4, 5),), {"offset": -3}, "odd"), (((2, 3, 4),), {"axis1": 2, "axis2": 0}, "rank"),
        (((3, 3),), {"offset": 5}, "empty")]),
        errors=[ErrorCase("same axis", lambda: mx.diagonal(_x23(), 0, 0, 0)),
                ErrorCase("1-d", lambda: mx.diagonal(mx.arange(3)))]),
    OpSpec("diag", mx.diag, _np_diag, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((4,),), {}, "odd"), (((3,),), {"k": 2}, "odd"), (((3,),), {"k": -1}, "views"),
        (((4, 5),), {"k": 1}, "views")]),
        errors=[ErrorCase("3-d", lambda: mx.diag(mx.zeros((2, 2, 2))))]),
    OpSpec("tril", mx.tril, np.tril, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((4, 5),), {}, "odd"), (((4, 5),), {"k": 1}, "views"), (((2, 3, 3),), {"k": -1}, "rank")]),
        errors=[ErrorCase("1-d", lambda: mx.tril(mx.arange(3)))]),
    OpSpec("triu", mx.triu, np.triu, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((4, 5),), {}, "odd"), (((4, 5),), {"k": -2}, "views"), (((2, 3, 3),), {"k": 1}, "rank")]),
        errors=[ErrorCase("1-d", lambda: mx.triu(mx.arange(3)))]),
    OpSpec("contiguous", mx.contiguous, lambda a: a, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_cases([
        (((3, 5),), {}, "odd"), (((4, 3),), {}, "views"), (((),), {}, "scalar")])),
    OpSpec("concatenate", lambda a, b, **kw: mx.concatenate([a, b], **kw),
           lambda a, b, axis=0: np.concatenate([a, b], axis=axis), arity=2, grad=True, vmap=True, dtypes=ALL,
           out_dtype="promote", kind="custom", cases=_cases([
               (((2, 3), (4, 3)), {}, "odd"), (((2, 3), (2, 5)), {"axis": 1}, "views"),
               (((2, 3), (3, 2)), {"axis": None}, "odd"), (((0, 3), (2, 3)), {}, "empty")]),
           errors=[ErrorCase("shapes", lambda: mx.concatenate([_x23(), mx.zeros((2, 2))])),
                   ErrorCase("axis", lambda: mx.concatenate([_x23(), _x23()], 2), IndexError)]),
    OpSpec("stack", lambda a, b, **kw: mx.stack([a, b], **kw),
           lambda a, b, axis=0: np.stack([a, b], axis=axis), arity=2, grad=True, vmap=True, dtypes=ALL,
           out_dtype="promote", kind="custom", cases=_cases([
               (((2, 3), (2, 3)), {}, "odd"), (((2, 3), (2, 3)), {"axis": -1}, "views"),
               (((), ()), {}, "scalar")]),
           errors=[ErrorCase("shapes", lambda: mx.stack([_x23(), mx.zeros((3, 2))]))]),
]
