"""Record real MLX's results for the mlx.nn tests.

Run with the reference install:  /opt/mlxref/bin/python tests/python/gen_nn_refs.py
It writes tests/python/nn_refs.npz (per layer case of nn_cases.CASES: the
parameters real MLX initialised and its outputs on nn_cases inputs) and
tests/python/nn_refs.json (repr, parameter shapes/dtypes, trainable keys and
item keys of each nn_cases.STRUCTURE constructor).  Both files are checked in;
test_nn_layers.py and test_nn_module.py read them.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mlx.core as mx  # noqa: E402
import mlx.nn as nn  # noqa: E402
from mlx.utils import tree_flatten  # noqa: E402

from nn_cases import CASES, STRUCTURE, make_inputs  # noqa: E402


def main():
    inputs = make_inputs()
    arrays = {}
    for i, (name, ctor, _, call) in enumerate(CASES):
        mx.random.seed(1000 + i)
        m = eval(ctor)
        for key, value in tree_flatten(m.parameters()):
            arrays[f"{name}|p|{key}"] = np.array(value)
        env = dict(m=m, nn=nn, mx=mx)
        env.update({f"x{j}": mx.array(x) for j, x in enumerate(inputs[name])})
        result = eval(call, env)
        result = result if isinstance(result, tuple) else (result,)
        for j, a in enumerate(result):
            arrays[f"{name}|out|{j}"] = np.array(a.astype(mx.float32))
            arrays[f"{name}|dtype|{j}"] = np.array(str(a.dtype))
    np.savez_compressed(os.path.join(HERE, "nn_refs.npz"), **arrays)

    records = {}
    for ctor in STRUCTURE:
        m = eval(ctor)
        records[ctor] = {
            "repr": repr(m),
            "params": [[k, list(v.shape), str(v.dtype)] for k, v in tree_flatten(m.parameters())],
            "trainable": [k for k, _ in tree_flatten(m.trainable_parameters())],
            "keys": sorted(m.keys()),
        }
    with open(os.path.join(HERE, "nn_refs.json"), "w") as f:
        json.dump({"mlx_version": mx.__version__, "structure": records}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
