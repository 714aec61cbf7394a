"""The op-conformance runner: every OpSpec row of every specs_*.py in this
folder becomes pytest cases (op x dtype x shape class, special values,
rejected dtypes, error cases).  The table format is in README.md; the case
machinery is in opspec.py, shared with run.py."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opspec  # noqa: E402

_TESTS = opspec.all_tests(opspec.load_specs())


@pytest.mark.parametrize("thunk", [t for _, t in _TESTS], ids=[i for i, _ in _TESTS])
def test_op(thunk):
    try:
        thunk()
    except opspec.Skip as e:
        pytest.skip(str(e))
