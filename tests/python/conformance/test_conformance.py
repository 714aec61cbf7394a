"""The op-conformance runner: every OpSpec row of every specs_*.py in this
folder becomes pytest cases (op x dtype x shape class, special values,
rejected dtypes, error cases).  The table format is in README.md; the case
machinery is in opspec.py, shared with run.py."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opspec  # noqa: E402

import mlx.core as mx  # noqa: E402

_TESTS = opspec.all_tests(opspec.load_specs())
# With DEVICE=gpu the GPU is the default device, which (as in MLX) has no
# float64: those rows test nothing about the GPU.
_ON_GPU = os.environ.get("DEVICE", "cpu").lower() == "gpu" and mx.is_available(mx.gpu)


@pytest.mark.parametrize("thunk", [t for _, t in _TESTS], ids=[i for i, _ in _TESTS])
def test_op(thunk, request):
    if _ON_GPU and "float64" in request.node.callspec.id:
        pytest.skip("float64 is not supported on the GPU (as in MLX)")
    try:
        thunk()
    except opspec.Skip as e:
        pytest.skip(str(e))
