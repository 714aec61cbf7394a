"""The Module container that every layer derives from.

A Module is a ``dict``: its items are the things that make up the model
(arrays, sub-modules, and lists or dicts of them), while plain Python
settings such as sizes or flags live in the instance ``__dict__``.  Walking
the items therefore walks the model, and the parameter trees handed to
optimizers and to ``mx.grad`` are ordinary nested dicts and lists.
"""

import textwrap
from typing import Any, Callable, List, Optional, Tuple, Union

import mlx.core as mx
from mlx.utils import tree_flatten, tree_unflatten


def _is_container(value):
    return isinstance(value, (dict, list))


def _all_dtypes_floating(dtype):
    return mx.issubdtype(dtype, mx.floating)


class Module(dict):
    """Base class for layers and models.

    Arrays, lists and dicts assigned as attributes become items of the
    module (and so part of its parameter tree); anything else is a regular
    attribute.  Sub-modules are found the same way, including inside lists
    and dicts, which is what makes ``self.layers = [Linear(...), ...]``
    work.
    """

    __call__: Callable

    def __init__(self):
        # Keys (dotted paths relative to this module) that the trainable
        # parameter views leave out; the training flag every layer reads.
        self._no_grad = set()
        self._training = True

    # -- attribute access ---------------------------------------------------

    @property
    def training(self):
        """Whether the module is in training mode (dropout, batch norm...)."""
        return self._training

    @property
    def state(self):
        """The module itself: its items are its full state."""
        return self

    def __getattr__(self, key: str):
        # Only reached when normal lookup failed, so the item is the answer.
        if key in self:
            return self[key]
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute '{key}'"
        )

    def __setattr__(self, key: str, val: Any):
        if isinstance(val, (mx.array, dict, list, tuple)):
            # A value that used to be a plain attribute moves into the tree.
            if key in self.__dict__:
                del self.__dict__[key]
            self[key] = val
        else:
            super().__setattr__(key, val)
            # Assigning e.g. None over a parameter removes the parameter.
            self.pop(key, None)

    def __delattr__(self, name):
        if name in self:
            del self[name]
        else:
            super().__delattr__(name)

    # -- printing -------------------------------------------------------------

    def _extra_repr(self) -> str:
        return ""

    def __repr__(self):
        head = f"{type(self).__name__}({self._extra_repr()}"
        children = tree_flatten(self.children(), is_leaf=self.is_module)
        if not children:
            return head + ")"
        lines = []
        for path, child in children:
            lines.append(textwrap.indent(f"({path}): {child!r}", "  "))
        return head + "\n" + "\n".join(lines) + "\n)"

    # -- filters ----------------------------------------------------------------

    @staticmethod
    def is_module(value):
        return isinstance(value, Module)

    @staticmethod
    def valid_child_filter(module, key, value):
        return isinstance(value, (dict, list))

    @staticmethod
    def valid_parameter_filter(module, key, value):
        return isinstance(value, (dict, list, mx.array)) and not key.startswith("_")

    @staticmethod
    def trainable_parameter_filter(module, key, value):
        return (
            Module.valid_parameter_filter(module, key, value)
            and key not in module._no_grad
        )

    def filter_and_map(
        self,
        filter_fn: Callable[["Module", str, Any], bool],
        map_fn: Optional[Callable] = None,
        is_leaf_fn: Optional[Callable[["Module", str, Any], bool]] = None,
    ):
        """Build a tree from this module's items.

        ``filter_fn(module, key, value)`` decides which entries are kept
        (entries of lists and dicts are asked with dotted keys relative to
        the module that holds them, so ``_no_grad`` paths like ``"d.k"``
        work); ``is_leaf_fn`` says where to stop and apply ``map_fn``.
        Entries of lists and dicts that the filter rejects become ``{}`` so
        that list positions are kept.
        """
        if map_fn is None:
            map_fn = lambda x: x  # noqa: E731
        if is_leaf_fn is None:
            is_leaf_fn = lambda m, k, v: not _is_container(v)  # noqa: E731

        def walk(owner, key, value):
            if is_leaf_fn(owner, key, value):
                return map_fn(value)
            if isinstance(value, Module):
                return {
                    k: walk(value, k, v)
                    for k, v in value.items()
                    if filter_fn(value, k, v)
                }
            if isinstance(value, dict):
                out = {}
                for k, v in value.items():
                    sub = f"{key}.{k}"
                    out[k] = walk(owner, sub, v) if filter_fn(owner, sub, v) else {}
                return out
            if isinstance(value, list):
                out = []
                for i, v in enumerate(value):
                    sub = f"{key}.{i}"
                    out.append(walk(owner, sub, v) if filter_fn(owner, sub, v) else {})
                return out
            raise RuntimeError("Unexpected leaf found while traversing the module")

        return {k: walk(self, k, v) for k, v in self.items() if filter_fn(self, k, v)}

    # -- views of the tree ------------------------------------------------------

    def parameters(self):
        """All arrays of the module and its sub-modules, as nested dicts."""
        return self.filter_and_map(self.valid_parameter_filter)

    def trainable_parameters(self):
        """The parameters that are not frozen."""
        return self.filter_and_map(self.trainable_parameter_filter)

    def children(self):
        """The direct sub-modules (kept inside their lists and dicts)."""
        return self.filter_and_map(
            self.valid_child_filter,
            is_leaf_fn=lambda m, k, v: isinstance(v, Module),
        )

    def leaf_modules(self):
        """The sub-modules that have no sub-modules of their own."""

        def is_leaf(m, k, v):
            return isinstance(v, Module) and not tree_flatten(
                v.children(), is_leaf=self.is_module
            )

        return self.filter_and_map(self.valid_child_filter, is_leaf_fn=is_leaf)

    def apply_to_modules(self, apply_fn: Callable[[str, "Module"], Any]) -> "Module":
        """Call ``apply_fn(path, module)`` on this module and every sub-module.

        The walk is depth first with an explicit stack; the order (this
        module first, then the children last-listed first) is MLX's.
        """
        stack = [("", self)]
        while stack:
            prefix, module = stack.pop()
            apply_fn(prefix, module)
            dot = prefix + "." if prefix else ""
            stack.extend(
                (dot + path, child)
                for path, child in tree_flatten(module.children(), is_leaf=self.is_module)
            )
        return self

    def modules(self):
        """Every module in the tree, this one first."""
        found = []
        self.apply_to_modules(lambda path, m: found.append(m))
        return found

    def named_modules(self):
        """``(path, module)`` for every module in the tree, this one first."""
        found = []
        self.apply_to_modules(lambda path, m: found.append((path, m)))
        return found

    # -- replacing parts ------------------------------------------------------------

    def update(self, parameters: dict, strict: bool = True) -> "Module":
        """Replace parameters with the arrays in ``parameters``.

        ``parameters`` may name only part of the tree.  With ``strict`` a key
        that the module lacks, or a value whose kind does not fit what it
        replaces, raises ``ValueError``; otherwise such entries are skipped
        (a non-array value over a leaf is stored as given).
        """

        def merge(dst, src):
            _merge_update(dst, src, strict, "parameter", place)

        def place(dst, key, current, new):
            # The kind of the value being replaced decides: an array takes
            # only an array, a list or dict takes a nested update, and any
            # other value (an int, None...) can only receive an empty update,
            # which is what filter_and_map produces for it.
            if isinstance(current, mx.array):
                if not isinstance(new, mx.array) and strict:
                    raise ValueError(f"Received invalid type: {type(new).__name__}.")
                _store(dst, key, new)
            elif _is_container(new):
                merge(current, new)
            elif strict:
                raise ValueError(f"Received invalid type: {type(new).__name__}.")
            elif not _is_container(current):
                _store(dst, key, new)

        merge(self, parameters)
        return self

    def update_modules(self, modules: dict, strict: bool = True) -> "Module":
        """Replace sub-modules with the modules in ``modules``.

        Like :meth:`update`, but the leaves are modules; ``strict`` makes
        unknown keys and values of the wrong kind raise ``ValueError``.
        """

        def merge(dst, src):
            _merge_update(dst, src, strict, "sub-module", place)

        def place(dst, key, current, new):
            # A module replaces a module; over a list or dict it is read as
            # a nested update (a Module is a dict).
            if isinstance(new, Module) and isinstance(current, Module):
                _store(dst, key, new)
            elif _is_container(new) and (
                not isinstance(new, Module) or _is_container(current)
            ):
                merge(current, new)
            elif strict:
                raise ValueError(f"Received invalid type: {type(new).__name__}.")

        merge(self, modules)
        return self

    def apply(
        self,
        map_fn: Callable[[mx.array], mx.array],
        filter_fn: Optional[Callable[["Module", str, Any], bool]] = None,
    ) -> "Module":
        """Replace each parameter ``p`` (chosen by ``filter_fn``) by ``map_fn(p)``."""
        filter_fn = filter_fn or Module.valid_parameter_filter
        self.update(self.filter_and_map(filter_fn, map_fn))
        return self

    def set_dtype(
        self,
        dtype: mx.Dtype,
        predicate: Optional[Callable[[mx.Dtype], bool]] = _all_dtypes_floating,
    ):
        """Cast the parameters whose dtype satisfies ``predicate`` (by default
        the floating point ones) to ``dtype``."""
        predicate = predicate or (lambda d: True)
        self.apply(lambda p: p.astype(dtype) if predicate(p.dtype) else p)

    # -- training mode and freezing ----------------------------------------------------

    def _set_training_mode(self, mode: bool) -> None:
        self._training = mode

    def train(self, mode: bool = True) -> "Module":
        """Set training mode on this module and all sub-modules."""
        self.apply_to_modules(lambda path, m: m._set_training_mode(mode))
        return self

    def eval(self) -> "Module":
        """Set evaluation mode (``train(False)``)."""
        return self.train(False)

    def _local_parameter_keys(self):
        # Dotted paths of the parameters held directly by this module, not
        # by its sub-modules.
        local = self.filter_and_map(
            lambda m, k, v: not isinstance(v, Module)
            and Module.valid_parameter_filter(m, k, v)
        )
        return [path for path, _ in tree_flatten(local)]

    def _validate_keys(self, keys, strict):
        keys = keys if isinstance(keys, list) else [keys]
        if strict:
            for key in keys:
                if key not in self:
                    raise KeyError(f"Module doesn't contain member {key}.")
        return keys

    def _validate_keys_recursive(self, keys):
        # With recursion a key is fine if some module in the tree has it.
        keys = keys if isinstance(keys, list) else [keys]
        holders = set()
        for m in self.modules():
            holders.update(k for k in keys if k in m)
        for key in keys:
            if key not in holders:
                raise KeyError(f"Module doesn't contain member {key}.")
        return keys

    def _change_frozen(self, freeze, recurse, keys, strict):
        if keys is not None and strict:
            if recurse:
                self._validate_keys_recursive(keys)
            else:
                self._validate_keys(keys, True)
        if keys is not None and not isinstance(keys, list):
            keys = [keys]

        def one(path, module):
            if freeze:
                chosen = keys if keys is not None else module._local_parameter_keys()
                module._no_grad.update(chosen)
            elif keys is None:
                # Unfreezing with no keys thaws everything the module froze,
                # including keys that name whole lists or dicts.
                module._no_grad.clear()
            else:
                module._no_grad.difference_update(keys)

        if recurse:
            self.apply_to_modules(one)
        else:
            one("", self)
        return self

    def freeze(
        self,
        *,
        recurse: bool = True,
        keys: Optional[Union[str, List[str]]] = None,
        strict: bool = False,
    ) -> "Module":
        """Exclude parameters from :meth:`trainable_parameters`.

        ``keys`` names the parameters (default: all local ones of each
        module); ``recurse`` applies it to every sub-module too; ``strict``
        raises ``KeyError`` for keys that no module has.
        """
        return self._change_frozen(True, recurse, keys, strict)

    def unfreeze(
        self,
        *,
        recurse: bool = True,
        keys: Optional[Union[str, List[str]]] = None,
        strict: bool = False,
    ) -> "Module":
        """Undo :meth:`freeze` for the given keys (default: all)."""
        return self._change_frozen(False, recurse, keys, strict)

    # -- weights on disk --------------------------------------------------------------

    def load_weights(
        self,
        file_or_weights: Union[str, List[Tuple[str, mx.array]]],
        strict: bool = True,
    ) -> "Module":
        """Load parameters from an ``.npz``/``.safetensors`` file or a list of
        ``(path, array)`` pairs.

        With ``strict`` every parameter of the model must be given, with its
        shape, and nothing else may be given.
        """
        weights = file_or_weights
        if isinstance(weights, str):
            weights = list(mx.load(weights).items())

        if strict:
            given = dict(weights)
            expected = dict(tree_flatten(self.parameters()))
            extras = sorted(set(given) - set(expected))
            if extras:
                listing = ",\n".join(extras)
                raise ValueError(
                    f"Received {len(extras)} parameters not in model: \n{listing}."
                )
            missing = sorted(set(expected) - set(given))
            if missing:
                listing = ",\n".join(missing)
                raise ValueError(f"Missing {len(missing)} parameters: \n{listing}.")
            for name, value in given.items():
                if not isinstance(value, mx.array):
                    raise ValueError(
                        f"Expected mx.array but received {type(value)} "
                        f"for parameter {name}"
                    )
                want = expected[name].shape
                if value.shape != want:
                    raise ValueError(
                        f"Expected shape {want} but received shape "
                        f"{value.shape} for parameter {name}"
                    )

        if weights:
            self.update(tree_unflatten(weights), strict=False)
        return self

    def save_weights(self, file: str):
        """Save the parameters to ``file`` (``.npz`` or ``.safetensors``)."""
        flat = dict(tree_flatten(self.parameters()))
        if file.endswith(".npz"):
            mx.savez(file, **flat)
        elif file.endswith(".safetensors"):
            mx.save_safetensors(file, flat)
        else:
            raise ValueError(
                f"Unsupported file extension for {file}. "
                "Use '.npz' or '.safetensors'."
            )


def _merge_update(dst, src, strict, kind, place):
    """Walk the dict or list ``src`` alongside ``dst`` and hand each entry that
    ``dst`` also has to ``place(dst, key, current, new)``.

    Module.update and Module.update_modules walk the same way; they differ
    only in ``place`` and in what a missing key is called (``kind``).
    """
    if isinstance(src, dict):
        for key, new in src.items():
            if not isinstance(dst, dict) or key not in dst:
                if strict:
                    raise ValueError(f'Module does not have {kind} named "{key}".')
                continue
            place(dst, key, dst[key], new)
    elif isinstance(src, list):
        for i, new in enumerate(src):
            if not isinstance(dst, list) or i >= len(dst):
                if strict:
                    raise ValueError(
                        f"List index {i} is out of bounds for destination "
                        f"of length {len(dst)}."
                    )
                continue
            place(dst, i, dst[i], new)


def _store(container, key, value):
    # The replaced value was an item, so the new one is stored as an item
    # too (even a non-array given to a non-strict update, as MLX does).
    container[key] = value
