"""mlx.utils tree helpers, checked case by case against real MLX 0.32.4.

Every case is a Python expression evaluated here and, in a subprocess, by
the reference install (/opt/mlxref).  Results are compared by repr (so that
key order and container types count) or, for tree_merge whose key order in
MLX depends on string hashing, after sorting dict keys.  Exceptions are
compared by type, and by message where the message is ours to match.
The reference tests are skipped when the reference install is absent; the
direct tests below them run everywhere.
"""

import json
import os
import subprocess
import textwrap
from collections import OrderedDict, namedtuple

import pytest

import mlx.core as mx
from mlxref import ref_env  # noqa: E402
from mlx.utils import (
    tree_flatten,
    tree_map,
    tree_map_with_path,
    tree_merge,
    tree_reduce,
    tree_unflatten,
)

REF_PYTHON = "/opt/mlxref/bin/python"

# (expression, compare mode): "repr" compares repr(result); "sorted" compares
# repr after sorting dict keys recursively; "type" compares only the
# exception type (messages of Python-internal errors differ in wording).
CASES = [
    ("tree_flatten(5)", "repr"),
    ("tree_flatten(5, prefix='.a')", "repr"),
    ("tree_flatten({})", "repr"),
    ("tree_flatten({'a': [], 'b': {}, 'c': ()})", "repr"),
    ("tree_flatten((1, (2, 3)))", "repr"),
    ("tree_flatten([1], prefix='ab')", "repr"),
    ("tree_flatten([[[0]]], prefix='.hello')", "repr"),
    ("tree_flatten({'a': {'b': 1}, 'c': [2]}, destination={})", "repr"),
    ("(lambda d: (tree_flatten({'a': 1}, destination=d), d))({'z': 0})", "repr"),
    ("(lambda l: (tree_flatten({'a': 1}, destination=l), l))([('q', 9)])", "repr"),
    ("tree_flatten({'a': 1}, destination=set())", "repr"),
    ("tree_flatten({'a': 1}, destination=())", "repr"),
    ("tree_flatten({'a': [1, 2], 'b': 3}, is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_flatten([1, 2], is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_flatten({'a': None})", "repr"),
    ("tree_flatten({1: 2, (1, 2): 3})", "repr"),
    ("tree_flatten('abc')", "repr"),
    ("tree_flatten(OrderedDict(a=1))", "repr"),
    ("tree_flatten(P(1, 2))", "repr"),
    ("tree_flatten({'layers': [{'w': 1, 'b': 2}, {'w': 3}], 'out': (4,)})", "repr"),
    ("tree_unflatten([('a.0.b', 1), ('a.1', 2), ('c', 3)])", "repr"),
    ("tree_unflatten([('0', 1), ('1', 2)])", "repr"),
    ("tree_unflatten([('0', 1), ('2', 2)])", "repr"),
    ("tree_unflatten([('1', 1), ('0', 2)])", "repr"),
    ("tree_unflatten([(str(i), i) for i in range(12)])", "repr"),
    ("tree_unflatten([('', 5)])", "repr"),
    ("tree_unflatten([])", "repr"),
    ("tree_unflatten({})", "repr"),
    ("tree_unflatten({'a.b': 1, 'a.c': 2})", "repr"),
    ("tree_unflatten([('a.0', 1), ('a.x', 2)])", "repr"),
    ("tree_unflatten([('a.x', 1), ('a.0', 2)])", "repr"),
    ("tree_unflatten([('a', 1), ('a', 2)])", "type"),
    ("tree_unflatten([('a', 1), ('a.b', 2)])", "repr"),
    ("tree_unflatten([('a.b', 1), ('a', 2)])", "repr"),
    ("tree_unflatten([('-1', 1)])", "repr"),
    ("tree_unflatten([('-1', 0), ('0', 1)])", "repr"),
    ("tree_unflatten([('2', 0), ('-1', 1)])", "repr"),
    ("tree_unflatten([('01', 1), ('0', 2)])", "repr"),
    ("tree_unflatten([('01', 0), ('1', 1)])", "repr"),
    ("tree_unflatten([('1', 0)])", "repr"),
    ("tree_unflatten([('3', 0), ('1', 1)])", "repr"),
    ("tree_unflatten([('1.a', 0), ('0', 1)])", "repr"),
    ("tree_unflatten([('a..b', 1)])", "repr"),
    ("tree_unflatten([('a.', 1)])", "repr"),
    ("tree_unflatten([('a', (1, 2))])", "repr"),
    ("tree_unflatten([['a', 1]])", "repr"),
    ("tree_unflatten(iter([('a', 1)]))", "type"),
    ("tree_unflatten([(1, 1)])", "type"),
    ("tree_unflatten(tree_flatten({'m': [{'w': 1}, [2, {'x': 3}]], 'n': 4}))", "repr"),
    ("tree_map(lambda x, y: x + y, {'a': [1, (2, 3)], 'b': 4}, {'a': [10, (20, 30)], 'b': 40})", "repr"),
    ("tree_map(lambda x, y: x + y, {'a': 1}, {'b': 1})", "type"),
    ("tree_map(lambda x, y: (x, y), {'a': 1}, {'a': 1, 'b': 2})", "repr"),
    ("tree_map(lambda x, y: x + y, [1, 2], [1])", "type"),
    ("tree_map(lambda x, y: (x, y), [1], [1, 2])", "repr"),
    ("tree_map(lambda x, y: (x, y), [1, 2], 5)", "type"),
    ("tree_map(lambda x, y: (x, y), [1, {'a': 2}], [3, {'a': [4, 5]}])", "repr"),
    ("tree_map(lambda x: x * 2, P(1, 2))", "repr"),
    ("tree_map(lambda x: x * 2, OrderedDict(a=1))", "repr"),
    ("tree_map(lambda x: x * 2, (1, [2]))", "repr"),
    ("tree_map(lambda x: x, {'a': None})", "repr"),
    ("tree_map(len, {'a': [1, 2], 'b': [3]}, is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_map(lambda x, y: (x, y), {'a': [1]}, {'a': [2]}, is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_map(lambda x, y: y, [1, 2], (3, 4))", "repr"),
    ("tree_map(lambda x, y: y, [1, 2], {0: 'a', 1: 'b'})", "repr"),
    ("tree_map_with_path(lambda p, x: (p, x), {'a': [1, {'b': 2}], 'c': 3})", "repr"),
    ("tree_map_with_path(lambda p, x: p, {'a': [1]}, path='pre')", "repr"),
    ("tree_map_with_path(lambda p, x: p, 5)", "repr"),
    ("tree_map_with_path(lambda p, x: p, 5, path='q')", "repr"),
    ("tree_map_with_path(lambda p, x, y: (p, x + y), [1, 2], [3, 4])", "repr"),
    ("tree_map_with_path(lambda p, x: p, (1, (2,)))", "repr"),
    ("tree_map_with_path(lambda p, x: p, {'a': [1]}, is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_map_with_path(lambda p, x: p, {'a': [1]}, path=3)", "repr"),
    ("tree_map_with_path(lambda p, x: p, {'a': 1}, path='')", "repr"),
    ("tree_map_with_path(lambda p, x: p, {1: 1})", "repr"),
    ("tree_map_with_path(lambda p, x: p, P(1, [2]))", "repr"),
    ("tree_map_with_path(lambda p, x, y: p, {'a': 1}, {'b': 1})", "type"),
    ("tree_reduce(lambda a, x: a + x, {'a': [1, 2, 3], 'b': (4, 5)}, 0)", "repr"),
    ("tree_reduce(lambda a, x: a + x, {'a': [1, 2, 3], 'b': (4, 5)})", "repr"),
    ("tree_reduce(lambda a, x: a + x, {})", "repr"),
    ("tree_reduce(lambda a, x: a + x, [], 7)", "repr"),
    ("tree_reduce(lambda a, x: a + x, 5)", "repr"),
    ("tree_reduce(lambda a, x: a + x, 5, 1)", "repr"),
    ("tree_reduce(lambda a, x: [a, x], [None, 1, 2])", "repr"),
    ("tree_reduce(lambda a, x: [a, x], [1, None, 2])", "repr"),
    ("tree_reduce(lambda a, x: a + len(x), {'a': [1, 2], 'b': [3]}, 0, is_leaf=lambda x: isinstance(x, list))", "repr"),
    ("tree_reduce(lambda a, x: a + x, ((1, 2), 3))", "repr"),
    ("tree_reduce(lambda a, x: a + x, P(1, 2))", "repr"),
    ("tree_reduce(lambda a, x: a + x, [1, 2], None)", "repr"),
    ("tree_merge({'a': {'b': 1}, 'c': [1, 2]}, {'a': {'d': 2}, 'e': 3})", "sorted"),
    ("tree_merge([1, {}], [{}, 2])", "repr"),
    ("tree_merge([1], [{}, 2])", "repr"),
    ("tree_merge({'a': 1}, {'a': 2})", "repr"),
    ("tree_merge({'a': 1}, {'a': 2}, merge_fn=lambda a, b: a + b)", "repr"),
    ("tree_merge({'a': 1}, [1])", "repr"),
    ("tree_merge([1], (None,))", "repr"),
    ("tree_merge({}, [1])", "repr"),
    ("tree_merge([1], {})", "repr"),
    ("tree_merge(None, {'a': 1})", "repr"),
    ("tree_merge({'a': 1}, None)", "repr"),
    ("tree_merge(1, 2)", "repr"),
    ("tree_merge(1, None)", "repr"),
    ("tree_merge((1, {}), ({}, 2))", "repr"),
    ("tree_merge((1, {}), [{}, 2])", "repr"),
    ("tree_merge({'a': {'x': 1}}, {'a': {'x': {}}})", "repr"),
    ("tree_merge({'a': {'x': 1}}, {'a': {'x': []}})", "repr"),
    ("tree_merge({'a': {}}, {'a': 5})", "repr"),
    ("tree_merge({'a': 1, 'b': None}, {'a': None, 'b': 2}, merge_fn=lambda a, b: (a, b))", "sorted"),
    ("tree_merge({'a': 0}, {'a': None})", "repr"),
    ("tree_merge({'b': 1, 'a': 1}, {'c': 1, 'a': {}})", "sorted"),
    ("tree_merge(P(1, None), P(None, 2))", "repr"),
    ("tree_merge([], {'a': 1})", "repr"),
    ("tree_merge({'a': [1]}, {'a': {'b': 1}})", "repr"),
    ("tree_merge({'a': [1, None]}, {'a': [None, 2]})", "repr"),
    ("tree_merge({'a': [1]}, {'a': {'b': 1}}, merge_fn=lambda a, b: 'M')", "repr"),
    ("tree_merge({'a': 1}, {'a': {'b': 1}}, merge_fn=lambda a, b: ('M', a, b))", "repr"),
    ("tree_merge(0, 5)", "repr"),
    ("tree_merge('', 5)", "repr"),
    ("tree_merge((), 5)", "repr"),
    ("tree_merge([1, 2, 3], [None])", "repr"),
]

PRELUDE = textwrap.dedent(
    """
    import json, sys
    from collections import OrderedDict, namedtuple
    from mlx.utils import (tree_flatten, tree_map, tree_map_with_path,
                           tree_merge, tree_reduce, tree_unflatten)
    P = namedtuple("P", "x y")

    def canon(value, mode):
        def sort_dicts(v):
            if isinstance(v, dict):
                return {k: sort_dicts(v[k]) for k in sorted(v, key=repr)}
            if isinstance(v, list):
                return [sort_dicts(x) for x in v]
            return v
        return repr(sort_dicts(value) if mode == "sorted" else value)

    def run(cases):
        out = []
        for expr, mode in cases:
            try:
                out.append(["ok", canon(eval(expr), mode)])
            except Exception as e:
                message = str(e) if isinstance(e, ValueError) else ""
                out.append(["error", type(e).__name__, message])
        return out
    """
)

_here = {}
exec(PRELUDE, _here)


@pytest.fixture(scope="module")
def reference_results():
    if not os.path.exists(REF_PYTHON):
        pytest.skip("reference MLX install not present")
    script = PRELUDE + "\nprint(json.dumps(run(json.loads(sys.stdin.read()))))\n"
    done = subprocess.run(
        [REF_PYTHON, "-c", script],
        input=json.dumps(CASES),
        capture_output=True,
        text=True,
        cwd="/",
        env=ref_env(),
        timeout=120,
    )
    if done.returncode != 0:
        pytest.skip("reference MLX failed to run: " + done.stderr[-500:])
    return json.loads(done.stdout)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0][:60] for c in CASES])
def test_matches_reference(reference_results, index):
    expr, mode = CASES[index]
    ours = _here["run"]([(expr, mode)])[0]
    expected = reference_results[index]
    if mode == "type" or (expected[0] == "error" and expected[1] != "ValueError"):
        assert ours[:2] == expected[:2]
    else:
        assert ours == expected


# Direct checks (run without the reference install too).


def test_flatten_unflatten_roundtrip_with_arrays():
    tree = {
        "layers": [{"w": mx.ones((2, 3)), "b": mx.zeros((3,))}, {"w": mx.ones((1,))}],
        "head": {"scale": mx.array(2.0)},
    }
    flat = tree_flatten(tree)
    assert [k for k, _ in flat] == ["layers.0.w", "layers.0.b", "layers.1.w", "head.scale"]
    back = tree_unflatten(flat)
    assert isinstance(back["layers"], list) and len(back["layers"]) == 2
    assert back["layers"][0]["w"] is tree["layers"][0]["w"]
    assert back["head"]["scale"] is tree["head"]["scale"]


def test_tree_map_arrays_and_dict_subclass():
    class Module(dict):
        pass

    m = Module(w=mx.array([1.0, 2.0]), sub=Module(b=mx.array(3.0)))
    doubled = tree_map(lambda x: x * 2, m)
    assert type(doubled) is dict and type(doubled["sub"]) is dict
    assert doubled["w"].tolist() == [2.0, 4.0]
    assert doubled["sub"]["b"].item() == 6.0
    summed = tree_map(lambda x, y: x + y, m, doubled)
    assert summed["w"].tolist() == [3.0, 6.0]


def test_tree_map_keeps_named_tuples():
    P = namedtuple("P", "x y")
    out = tree_map(lambda x: x + 1, P(1, [2, 3]))
    assert isinstance(out, P) and out == P(2, [3, 4])


def test_tree_map_with_path_paths():
    seen = []
    tree_map_with_path(
        lambda path, x: seen.append(path),
        {"model": [{"w": 0, "b": 1}, {"w": 0, "b": 1}]},
    )
    assert seen == ["model.0.w", "model.0.b", "model.1.w", "model.1.b"]


def test_tree_reduce_arrays():
    tree = {"a": [mx.array([1.0, 2.0]), mx.array([3.0])], "b": mx.array([4.0])}
    total = tree_reduce(lambda acc, x: acc + x.sum(), tree, 0.0)
    assert total.item() == 10.0


def test_tree_merge_arrays_and_conflicts():
    merged = tree_merge({"a": mx.array([1, 2])}, {"b": mx.array(0)})
    assert set(merged) == {"a", "b"}
    with pytest.raises(ValueError, match="no merge function"):
        tree_merge({"a": mx.array([])}, {"a": mx.array(1)})
    added = tree_merge({"a": mx.array(1)}, {"a": mx.array(2)}, merge_fn=lambda x, y: x + y)
    assert added["a"].item() == 3


def test_error_cases_direct():
    with pytest.raises(ValueError, match="Destination should be either a list or a dictionary"):
        tree_flatten({"a": 1}, destination=set())
    with pytest.raises(RecursionError):
        tree_unflatten([("a", 1), ("a", 2)])
    with pytest.raises(KeyError):
        tree_map(lambda x, y: x, {"a": 1}, {"b": 1})
    with pytest.raises(IndexError):
        tree_map(lambda x, y: x, [1, 2], [1])
