"""Helpers for Python trees: nested lists, tuples and dicts whose leaves are
arrays (or anything else).

A tree node is a ``list``, ``tuple`` (named tuples included) or ``dict``
(subclasses such as ``nn.Module`` included); every other object is a leaf.
The optional ``is_leaf`` callable lets a caller stop the descent early.
Paths of leaves are written MLX's way: the keys and list indices from the
root joined with dots, e.g. ``"layers.0.weight"``.
"""

from collections import defaultdict
from itertools import zip_longest
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = [
    "tree_flatten",
    "tree_unflatten",
    "tree_map",
    "tree_map_with_path",
    "tree_reduce",
    "tree_merge",
]


def _is_named_tuple(obj):
    return isinstance(obj, tuple) and hasattr(obj, "_fields")


def _rebuild_sequence(template, items):
    """A sequence of the same kind as ``template`` holding ``items``.

    Named tuples take their fields positionally, plain tuple and list
    subclasses take one iterable.
    """
    kind = type(template)
    if _is_named_tuple(template):
        return kind(*items)
    return kind(items)


def _stops_here(tree, is_leaf):
    return is_leaf is not None and is_leaf(tree)


def tree_map(
    fn: Callable, tree: Any, *rest: Any, is_leaf: Optional[Callable] = None
) -> Any:
    """Apply ``fn`` to the leaves of ``tree`` and return a tree of the results.

    Extra trees in ``rest`` are walked alongside ``tree``: wherever ``tree``
    has a leaf, ``fn`` receives that leaf followed by whatever the other
    trees hold at the same place (a leaf or a whole subtree).  The
    structure of the result follows ``tree``; dicts come back as plain
    dicts, lists and tuples keep their type.

    Args:
        fn (callable): Called on each leaf (and the matching nodes of ``rest``).
        tree (Any): The tree that decides the structure.
        rest (tuple[Any]): Further trees, at least as deep as ``tree``.
        is_leaf (callable, optional): Returns ``True`` for nodes of ``tree``
            that should be handed to ``fn`` whole.

    Returns:
        A tree shaped like ``tree`` with the values returned by ``fn``.
    """
    if _stops_here(tree, is_leaf):
        return fn(tree, *rest)
    if isinstance(tree, (list, tuple)):
        mapped = [
            tree_map(fn, child, *(other[i] for other in rest), is_leaf=is_leaf)
            for i, child in enumerate(tree)
        ]
        return _rebuild_sequence(tree, mapped)
    if isinstance(tree, dict):
        return {
            key: tree_map(fn, child, *(other[key] for other in rest), is_leaf=is_leaf)
            for key, child in tree.items()
        }
    return fn(tree, *rest)


def tree_map_with_path(
    fn: Callable,
    tree: Any,
    *rest: Any,
    is_leaf: Optional[Callable] = None,
    path: Optional[Any] = None,
) -> Any:
    """Like :func:`tree_map`, but ``fn`` receives the dotted path of each leaf
    as its first argument.

    The path of the root is ``path`` (``None`` by default); a child's path is
    its parent's path, a dot, and its key or index (just the key when the
    parent's path is ``None`` or empty).

    Args:
        fn (callable): Called as ``fn(path, leaf, *others)``.
        tree (Any): The tree that decides the structure.
        rest (tuple[Any]): Further trees walked alongside ``tree``.
        is_leaf (callable, optional): Returns ``True`` for nodes to treat as
            leaves.
        path (Any, optional): Prefix put in front of every path.

    Returns:
        A tree shaped like ``tree`` with the values returned by ``fn``.
    """

    def child_path(key):
        return f"{path}.{key}" if path else str(key)

    if _stops_here(tree, is_leaf):
        return fn(path, tree, *rest)
    if isinstance(tree, (list, tuple)):
        mapped = [
            tree_map_with_path(
                fn,
                child,
                *(other[i] for other in rest),
                is_leaf=is_leaf,
                path=child_path(i),
            )
            for i, child in enumerate(tree)
        ]
        return _rebuild_sequence(tree, mapped)
    if isinstance(tree, dict):
        return {
            key: tree_map_with_path(
                fn,
                child,
                *(other[key] for other in rest),
                is_leaf=is_leaf,
                path=child_path(key),
            )
            for key, child in tree.items()
        }
    return fn(path, tree, *rest)


def tree_flatten(
    tree: Any,
    prefix: str = "",
    is_leaf: Optional[Callable] = None,
    destination: Optional[Union[List[Tuple[str, Any]], Dict[str, Any]]] = None,
) -> Union[List[Tuple[str, Any]], Dict[str, Any]]:
    """Flatten a tree into ``(path, leaf)`` pairs with dotted paths.

    .. code-block:: python

        tree_flatten([[[0]]])                      # [("0.0.0", 0)]
        tree_flatten([[[0]]], prefix=".hello")     # [("hello.0.0.0", 0)]
        tree_flatten({"a": {"b": 1}}, destination={})  # {"a.b": 1}

    Args:
        tree (Any): The tree to flatten.
        prefix (str): Put in front of every path; its first character is
            dropped (MLX's convention, so pass ``".name"``).
        is_leaf (callable, optional): Returns ``True`` for nodes to keep whole.
        destination (list or dict, optional): Where to put the pairs: a list
            receives ``(path, leaf)`` tuples, a dict receives ``path: leaf``
            entries.  A new list is used when ``None``.

    Returns:
        ``destination`` (or the new list) holding the flat tree.
    """
    if destination is None:
        destination = []
    if isinstance(destination, list):
        add = lambda key, value: destination.append((key, value))  # noqa: E731
    elif isinstance(destination, dict):
        add = destination.__setitem__
    else:
        raise ValueError(
            "Destination should be either a list or a dictionary or None"
        )

    def walk(node, key):
        if not _stops_here(node, is_leaf):
            if isinstance(node, (list, tuple)):
                for i, child in enumerate(node):
                    walk(child, f"{key}.{i}")
                return
            if isinstance(node, dict):
                for k, child in node.items():
                    walk(child, f"{key}.{k}")
                return
        # The root's key is the prefix itself, whose first character is
        # dropped like every other key's leading dot.
        add(key[1:], node)

    walk(tree, prefix)
    return destination


def _as_int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def tree_unflatten(tree: Union[List[Tuple[str, Any]], Dict[str, Any]]) -> Any:
    """Rebuild a tree from its flat form (as made by :func:`tree_flatten`).

    Dotted paths become nested dicts; a level whose keys are all distinct
    integers becomes a list ordered by those integers, with ``{}`` filling
    any gap.

    .. code-block:: python

        tree_unflatten([("hello.world", 42)])   # {"hello": {"world": 42}}
        tree_unflatten({"hello.world": 42})     # {"hello": {"world": 42}}

    Args:
        tree (list[tuple[str, Any]] or dict[str, Any]): The flat tree.

    Returns:
        The nested tree.
    """
    if isinstance(tree, dict):
        tree = list(tree.items())
    return _unflatten_pairs(tree)


def _unflatten_pairs(pairs):
    # A single entry with nothing left of its path is the value itself.
    if len(pairs) == 1 and pairs[0][0] == "":
        return pairs[0][1]
    # Several entries whose paths are all used up (the same path given twice)
    # can never be told apart; MLX recurses on them until Python's recursion
    # limit, and we report the same error without the long descent.
    if len(pairs) > 1 and all(key == "" for key, _ in pairs):
        raise RecursionError(
            "maximum recursion depth exceeded while calling a Python object"
        )

    groups = defaultdict(list)
    for key, value in pairs:
        head, *tail = key.split(".", 1)
        groups[head].append((tail[0] if tail else "", value))

    indices = {}
    for head in groups:
        index = _as_int(head)
        if index is None:
            indices = None
            break
        indices[index] = head
    if indices is not None and len(indices) == len(groups) and groups:
        out = []
        for index in sorted(indices):
            while len(out) < index:
                out.append({})
            out.append(_unflatten_pairs(groups[indices[index]]))
        return out
    if not groups:
        return []
    return {head: _unflatten_pairs(members) for head, members in groups.items()}


def tree_reduce(fn, tree, initializer=None, is_leaf=None):
    """Fold the leaves of ``tree`` into one value with ``fn(accumulator, leaf)``.

    Leaves are visited in flattening order.  Without an initializer (or with
    ``None``) the first leaf becomes the accumulator; while the accumulator
    is still ``None`` each leaf simply replaces it.

    Example:
        >>> tree_reduce(lambda acc, x: acc + x, {"a": [1, 2, 3], "b": [4, 5]}, 0)
        15

    Args:
        fn (callable): Takes the accumulator and a leaf, returns the new
            accumulator.
        tree (Any): Nested lists, tuples and dicts.
        initializer (Any, optional): Starting accumulator.
        is_leaf (callable, optional): Returns ``True`` for nodes to treat as
            leaves.

    Returns:
        The accumulated value (``None`` for an empty tree without
        initializer).
    """
    accumulator = initializer

    def visit(node):
        nonlocal accumulator
        if not _stops_here(node, is_leaf):
            if isinstance(node, (list, tuple)):
                for child in node:
                    visit(child)
                return
            if isinstance(node, dict):
                for child in node.values():
                    visit(child)
                return
        accumulator = node if accumulator is None else fn(accumulator, node)

    visit(tree)
    return accumulator


def _is_empty(node):
    return node is None or (isinstance(node, (list, tuple, dict)) and len(node) == 0)


def tree_merge(tree_a, tree_b, merge_fn=None):
    """Merge two trees into one holding the values of both: a deep
    ``dict.update`` that refuses to overwrite.

    ``None`` and empty lists, tuples and dicts count as empty subtrees and
    give way to whatever the other tree holds there.  Dicts merge key by
    key, lists and tuples position by position (the result has the kind of
    ``tree_a``).  Where both trees hold something that cannot be merged
    structurally (two leaves, or nodes of different kinds), ``merge_fn(a, b)``
    decides; without it a ``ValueError`` is raised.

    Args:
        tree_a (Any): The first tree.
        tree_b (Any): The second tree.
        merge_fn (callable, optional): Combines two conflicting nodes.

    Returns:
        The merged tree.
    """
    if _is_empty(tree_a):
        return tree_b
    if _is_empty(tree_b):
        return tree_a
    if isinstance(tree_a, dict) and isinstance(tree_b, dict):
        merged = {}
        for key in list(tree_a) + [k for k in tree_b if k not in tree_a]:
            merged[key] = tree_merge(tree_a.get(key), tree_b.get(key), merge_fn)
        return merged
    if isinstance(tree_a, (list, tuple)) and isinstance(tree_b, (list, tuple)):
        items = [
            tree_merge(a, b, merge_fn) for a, b in zip_longest(tree_a, tree_b)
        ]
        return _rebuild_sequence(tree_a, items)
    if merge_fn is None:
        raise ValueError(
            "Trees contain elements at the same locations but no merge "
            "function was provided"
        )
    return merge_fn(tree_a, tree_b)
