"""Conformance rows of the indexing family: take, take_along_axis,
put_along_axis, slice, slice_update, and the __getitem__ / __setitem__
forms.  Every row was run against real MLX 0.32.4 with run.py.

The framework gives every array input the row's dtype, so index arrays are
not inputs here: each case carries its indices (a NumPy integer array, in
range, negative ones included, which MLX wraps like NumPy) as a keyword
argument, and the mx wrappers turn them into mx arrays.  Indices that write
(put_along_axis, __setitem__) never repeat a position, so the result does
not depend on the order of the writes."""

import numpy as np

import mlx.core as mx
from opspec import ALL, Case, ErrorCase, OpSpec


class Ix:
    """An index array carried in a case's keyword arguments.  The sampler
    compares cases with ==, which a bare NumPy array cannot answer, so the
    array travels in this wrapper (compared by identity)."""

    def __init__(self, a):
        self.a = np.asarray(a)
        self.shape = self.a.shape
        self.dtype = self.a.dtype

    def __repr__(self):
        return f"idx{self.shape}"


def _np(i):
    return i.a if isinstance(i, Ix) else i


def _ix(seed, n, shape, dtype=np.int32, negative=True):
    """Indices into an axis of extent n, in [-n, n) (or [0, n))."""
    r = np.random.default_rng(seed)
    lo = -n if negative else 0
    return Ix(r.integers(lo, n, size=shape).astype(dtype))


def _unique_along(seed, n, shape, axis):
    """Indices of `shape` along `axis` into an extent n with no position
    repeated inside one line (shape[axis] <= n)."""
    r = np.random.default_rng(seed)
    shape = tuple(shape)
    ax = axis % len(shape)
    k = shape[ax]
    moved = shape[:ax] + shape[ax + 1:] + (k,)
    lines = int(np.prod(moved[:-1])) if len(moved) > 1 else 1
    if lines == 0 or k == 0:
        return Ix(np.zeros(shape, np.int32))
    out = np.stack([r.permutation(n)[:k] for _ in range(lines)]).reshape(moved)
    # Write some of them as negative indices, which mean the same position.
    out = np.where(r.integers(0, 2, size=out.shape) == 1, out - n, out)
    return Ix(np.moveaxis(out, -1, ax).astype(np.int32))


def _mxi(i):
    return mx.array(i.a) if isinstance(i, Ix) else i


def _key(key, conv):
    """An indexing key with its index arrays converted by `conv`."""
    if isinstance(key, tuple):
        return tuple(conv(k) for k in key)
    return conv(key)


def _x23():
    return mx.arange(6).reshape(2, 3)


# --- take -------------------------------------------------------------------

def _take_cases():
    rows = [
        ((7,), _ix(1, 7, (5,)), None, "odd"),
        ((3, 5), _ix(2, 5, (4,)), 1, "odd"),
        ((3, 5), _ix(3, 3, (2, 3)), 0, "odd"),
        ((1031,), _ix(4, 1031, (33,)), None, "odd"),
        ((3, 5), _ix(5, 15, (2, 2), np.int64), None, "odd"),
        ((5, 1, 7), _ix(6, 7, (3,), np.uint8, negative=False), -1, "odd"),
        ((3, 5), 2, 1, "odd"),
        ((3, 5), -3, None, "odd"),
        ((), Ix(np.zeros((3,), np.int32)), None, "scalar"),
        ((), 0, None, "scalar"),
        ((0, 3), _ix(7, 3, (2,)), 1, "empty"),
        ((4, 3), Ix(np.zeros((0,), np.int32)), 0, "empty"),
        ((3, 5), _ix(8, 5, (6,)), 1, "views"),
        ((4, 3, 2), _ix(9, 2, (3, 2)), -1, "views"),
        ((2, 3, 1, 4), _ix(10, 24, (5,)), None, "views"),
        ((3, 2, 4, 1, 2, 3), _ix(11, 4, (2,)), 2, "rank"),
        ((3, 2, 4), _ix(12, 3, (2, 1, 2)), 0, "rank"),
    ]
    return [Case((s,), {"indices": i, "axis": ax},
                 f"{s} idx{getattr(i, 'shape', ())}{getattr(i, 'dtype', 'int')} axis={ax}", cls)
            for s, i, ax, cls in rows]


def _mx_take(a, indices, axis=None):
    return mx.take(a, _mxi(indices), axis=axis)


def _np_take(a, indices, axis=None):
    return np.take(a, _np(indices), axis=axis)


# --- take_along_axis / put_along_axis ---------------------------------------

def _along_cases(unique):
    mk = (lambda seed, n, shape, ax: _unique_along(seed, n, shape, ax)) if unique else \
        (lambda seed, n, shape, ax: _ix(seed, n, shape))
    rows = [
        ((3, 5), (3, 4), 1, "odd"),
        ((3, 5), (2, 5), 0, "odd"),
        ((1, 13, 3), (1, 13, 2), -1, "odd"),
        ((33,), (7,), 0, "odd"),
        ((0, 3), (0, 2), 1, "empty"),
        ((4, 3), (4, 0), 1, "empty"),
        ((3, 5), (3, 2), 1, "views"),
        ((4, 3, 2), (4, 2, 2), 1, "views"),
        ((3, 2, 4, 1, 2, 3), (3, 2, 2, 1, 2, 3), 2, "rank"),
    ]
    out = []
    for k, (s, ishape, ax, cls) in enumerate(rows):
        n = s[ax]
        idx = mk(100 + k, n, ishape, ax) if n > 0 else Ix(np.zeros(ishape, np.int32))
        shapes = (s, ishape) if unique else (s,)
        out.append(Case(shapes, {"indices": idx, "axis": ax}, f"{s} idx{ishape} axis={ax}", cls))
    if not unique:
        # axis=None gathers from the flattened array with 1-d indices.
        out.append(Case(((3, 5),), {"indices": _ix(120, 15, (6,)), "axis": None},
                        "(3, 5) idx(6,) axis=None", "odd"))
        out.append(Case(((),), {"indices": Ix(np.zeros((2,), np.int32)), "axis": None},
                        "() idx(2,) axis=None", "scalar"))
    else:
        # Values broadcast against the indices.
        out.append(Case(((3, 5), (1, 2)), {"indices": _unique_along(121, 5, (3, 2), 1), "axis": 1},
                        "(3, 5) idx(3, 2) values(1, 2) axis=1", "odd"))
        out.append(Case(((3, 5), ()), {"indices": _unique_along(122, 3, (2, 5), 0), "axis": 0},
                        "(3, 5) idx(2, 5) scalar values axis=0", "scalar"))
        out.append(Case(((3, 5), (4,)), {"indices": Ix(np.array([3, -15, 7, -2], np.int32)),
                                         "axis": None},
                        "(3, 5) flat idx(4,) axis=None", "odd"))
    return out


def _mx_tala(a, indices, axis):
    return mx.take_along_axis(a, _mxi(indices), axis=axis)


def _np_tala(a, indices, axis):
    indices = _np(indices)
    if axis is None:
        return np.take_along_axis(a.reshape(-1), indices, axis=0)
    return np.take_along_axis(a, indices, axis=axis)


def _mx_pala(a, values, indices, axis):
    return mx.put_along_axis(a, _mxi(indices), values, axis=axis)


def _np_pala(a, values, indices, axis):
    indices = _np(indices)
    out = np.array(a, copy=True)
    if axis is None:
        flat = out.reshape(-1)
        flat[indices] = np.broadcast_to(values, indices.shape)
        return flat.reshape(out.shape)
    np.put_along_axis(out, indices, values, axis=axis)
    return out


# --- slice / slice_update ---------------------------------------------------

def _slice_cases(update):
    # (shape, start, axes, size, class)
    rows = [
        ((7,), [2], [0], [4], "odd"),
        ((3, 5), [1, 1], [0, 1], [2, 3], "odd"),
        ((3, 5), [2], [1], [3], "odd"),
        ((1, 13, 3), [5, 1], [1, -1], [6, 2], "odd"),
        ((1031,), [500], [0], [531], "odd"),
        ((4, 3, 2), [1, 0], [0, 2], [3, 1], "views"),
        ((3, 5), [0, 4], [0, 1], [3, 1], "views"),
        ((0, 3), [0], [1], [2], "empty"),
        ((4, 3), [1], [0], [0], "empty"),
        ((3, 2, 4, 1, 2, 3), [1, 2, 1], [0, 2, 5], [2, 2, 2], "rank"),
    ]
    out = []
    for s, st, axes, size, cls in rows:
        kw = {"start_indices": Ix(np.array(st, np.int32)), "axes": axes}
        if update:
            us = list(s)
            for ax, n in zip(axes, size):
                us[ax] = n
            out.append(Case((s, tuple(us)), kw, f"{s} start={st} axes={axes} update{tuple(us)}", cls))
        else:
            # slice_size names the extent of every dimension of the result.
            full = list(s)
            for ax, n in zip(axes, size):
                full[ax] = n
            kw["slice_size"] = full
            size = full
            out.append(Case((s,), kw, f"{s} start={st} axes={axes} size={size}", cls))
    return out


def _np_window(shape, start_indices, axes, size):
    key = [slice(None)] * len(shape)
    for st, ax, n in zip(start_indices, axes, size):
        key[ax] = slice(int(st), int(st) + n)
    return tuple(key)


def _mx_slice(a, start_indices, axes, slice_size):
    return mx.slice(a, _mxi(start_indices), axes, slice_size)


def _np_slice(a, start_indices, axes, slice_size):
    size = [slice_size[ax] for ax in axes]
    return a[_np_window(a.shape, _np(start_indices), axes, size)]


def _mx_slice_update(a, update, start_indices, axes):
    return mx.slice_update(a, update, _mxi(start_indices), axes)


def _np_slice_update(a, update, start_indices, axes):
    out = np.array(a, copy=True)
    size = [update.shape[ax] for ax in axes]
    out[_np_window(a.shape, _np(start_indices), axes, size)] = update
    return out


# --- __getitem__ / __setitem__ ----------------------------------------------

def _getitem_cases():
    rows = [
        ((7,), 3, "odd"),
        ((7,), -1, "odd"),
        ((7,), slice(1, None, 2), "odd"),
        ((33,), slice(None, None, -3), "odd"),
        ((3, 5), (slice(1, None), slice(None, None, -2)), "odd"),
        ((3, 5), (Ellipsis, None, 1), "odd"),
        ((1, 13, 3), (0, slice(2, 11, 3), None), "odd"),
        ((3, 5), _ix(20, 3, (4,)), "odd"),
        ((3, 5), (slice(None), _ix(21, 5, (2, 2))), "odd"),
        ((3, 5), (_ix(22, 3, (4,)), _ix(23, 5, (4,))), "odd"),
        ((4, 3, 2), (_ix(24, 4, (2,)), slice(None), _ix(25, 2, (2,))), "views"),
        ((4, 3, 2), (slice(None, None, -1), 1), "views"),
        ((3, 5), (slice(None), None, slice(1, 4)), "views"),
        ((), None, "scalar"),
        ((), Ellipsis, "scalar"),
        ((3, 5), slice(3, None), "empty"),
        ((0, 3), (slice(None), 1), "empty"),
        ((3, 2, 4, 1, 2, 3), (1, Ellipsis, slice(None, None, 2)), "rank"),
        ((3, 2, 4, 1, 2, 3), (slice(None), _ix(26, 2, (3,)), 2), "rank"),
    ]
    return [Case((s,), {"key": k}, f"{s}[{_klabel(k)}]", cls) for s, k, cls in rows]


def _setitem_cases():
    # (shape, key, value shape, class); array keys never repeat a position.
    rows = [
        ((7,), 3, (), "odd"),
        ((7,), slice(1, None, 2), (3,), "odd"),
        ((33,), slice(None, None, -3), (1,), "odd"),
        ((3, 5), (slice(1, None), slice(None, None, -2)), (2, 3), "odd"),
        ((3, 5), (Ellipsis, 1), (3,), "odd"),
        ((3, 5), Ix(np.array([2, -3], np.int32)), (5,), "odd"),
        ((3, 5), (slice(None), Ix(np.array([4, 0, -4], np.int32))), (3, 3), "odd"),
        ((3, 5), (Ix(np.array([0, 2, 1])), Ix(np.array([1, 1, -1]))), (3,), "views"),
        ((4, 3, 2), (slice(None, None, -1), 1), (4, 2), "views"),
        ((4, 3, 2), (1, slice(None), None), (3, 1, 2), "views"),
        ((), Ellipsis, (), "scalar"),
        ((3, 5), slice(3, None), (5,), "empty"),
        ((0, 3), (slice(None), 1), (), "empty"),
        ((3, 2, 4, 1, 2, 3), (1, Ellipsis, slice(None, None, 2)), (2,), "rank"),
    ]
    return [Case((s, vs), {"key": k}, f"{s}[{_klabel(k)}] = {vs}", cls) for s, k, vs, cls in rows]


def _klabel(k):
    if isinstance(k, tuple):
        return ", ".join(_klabel(e) for e in k)
    if isinstance(k, Ix):
        return repr(k)
    if isinstance(k, slice):
        return f"{'' if k.start is None else k.start}:{'' if k.stop is None else k.stop}" + \
            (f":{k.step}" if k.step is not None else "")
    return "..." if k is Ellipsis else str(k)


def _mx_getitem(a, key):
    return a[_key(key, _mxi)]


def _np_getitem(a, key):
    return np.array(a[_key(key, _np)])


def _mx_setitem(a, v, key):
    a[_key(key, _mxi)] = v
    return a


def _np_setitem(a, v, key):
    out = np.array(a, copy=True)
    out[_key(key, _np)] = v
    return out


def _set_in_place(a, key, v):
    a[key] = v
    return a


SPECS = [
    OpSpec("take", _mx_take, _np_take, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_take_cases,
           errors=[ErrorCase("axis", lambda: mx.take(_x23(), mx.array([0]), axis=2), IndexError),
                   ErrorCase("float indices", lambda: mx.take(_x23(), mx.array([0.5]), axis=0))]),
    OpSpec("take_along_axis", _mx_tala, _np_tala, grad=True, vmap=True, dtypes=ALL, kind="custom",
           cases=lambda: _along_cases(False),
           errors=[ErrorCase("ndim", lambda: mx.take_along_axis(_x23(), mx.array([0]), axis=1)),
                   ErrorCase("axis", lambda: mx.take_along_axis(_x23(), mx.zeros((2, 1), mx.int32),
                                                                axis=2), IndexError)]),
    OpSpec("put_along_axis", _mx_pala, _np_pala, arity=2, grad=True, vmap=True, dtypes=ALL, kind="custom",
           cases=lambda: _along_cases(True),
           errors=[ErrorCase("ndim", lambda: mx.put_along_axis(
               _x23(), mx.array([0]), mx.array(1), axis=1)),
               ErrorCase("axis", lambda: mx.put_along_axis(
                   _x23(), mx.zeros((2, 1), mx.int32), mx.array(1), axis=2), IndexError)]),
    OpSpec("slice", _mx_slice, _np_slice, grad=True, vmap=True, dtypes=ALL, kind="custom",
           cases=lambda: _slice_cases(False)),
    OpSpec("slice_update", _mx_slice_update, _np_slice_update, arity=2, grad=True, vmap=True, dtypes=ALL,
           kind="custom", cases=lambda: _slice_cases(True),
           errors=[ErrorCase("update too big", lambda: mx.slice_update(
               _x23(), mx.zeros((3, 3), mx.int32), mx.array([0]), [0]))]),
    OpSpec("getitem", _mx_getitem, _np_getitem, grad=True, vmap=True, dtypes=ALL, kind="custom", cases=_getitem_cases,
           # MLX raises ValueError (not NumPy's IndexError) for too many indices.
           errors=[ErrorCase("too many indices", lambda: _x23()[0, 0, 0], ValueError)]),
    # grad off: with array indices a[idx] = v is a Scatter, which has no
    # JVP in MLX (nor here), and the generated gradient check runs jvp too;
    # test_grad_indexing.py checks the vjp of every form of a[idx] = v.
    OpSpec("setitem", _mx_setitem, _np_setitem, arity=2, vmap=True, dtypes=ALL, kind="custom",
           grad=False, grad_reason="MLX has no Scatter JVP (array-index a[idx] = v); vjp is "
           "checked in test_grad_indexing.py",
           cases=_setitem_cases,
           errors=[ErrorCase("too many indices", lambda: _set_in_place(_x23(), (0, 0, 0), 1),
                             ValueError),
                   ErrorCase("shape", lambda: _set_in_place(_x23(), 0, mx.zeros((4,))))]),
]
