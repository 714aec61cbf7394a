"""Transform checks for every row of the op-conformance table (grad against
finite differences, jvp against vjp, vmap against a loop, compile against
the op uncompiled); the checks are in transform_checks.py.

A row whose check fails because a primitive has no vjp/jvp/vmap rule is an
expected failure whose reason names the primitive and the missing rule:
`pytest -rx` lists the gaps.  Rows without the grad/vmap flag are skipped
with the row's reason.  CONFORMANCE_FULL=1 runs every sampled case."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opspec  # noqa: E402
import transform_checks as tc  # noqa: E402

_SPECS = opspec.load_specs()
_CHECKS = tc.all_checks(_SPECS)


@pytest.mark.parametrize("spec", _SPECS, ids=[s.name for s in _SPECS])
def test_flags(spec):
    """A row that turns off a default-True transform flag says why."""
    problems = tc.flag_problems(spec)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("thunk", [c[3] for c in _CHECKS], ids=[c[0] for c in _CHECKS])
def test_transform(thunk):
    try:
        thunk()
    except opspec.Skip as e:
        pytest.skip(str(e))
    except tc.MissingRule as e:
        pytest.xfail(str(e))
