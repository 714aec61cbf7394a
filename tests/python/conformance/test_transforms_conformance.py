"""Transform checks for every row of the op-conformance table (grad against
finite differences, jvp against vjp, vmap against a loop, compile against
the op uncompiled); the checks are in transform_checks.py.

A row whose check fails because a primitive has no vjp/jvp/vmap rule is an
expected failure whose reason names the primitive and the missing rule:
`pytest -rx` lists the gaps.  Rows without the grad/vmap flag are skipped
with the row's reason.  CONFORMANCE_FULL=1 runs every sampled case."""

import functools
import os
import subprocess
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


_MLXREF = os.environ.get("CMLX_MLXREF_PYTHON", "/opt/mlxref/bin/python")


@functools.lru_cache(maxsize=1)
def _mlx_audit():
    """Rows whose grad/vmap flag is off (with no reason) although real MLX
    0.32.4 differentiates / vmaps the op: {row name: [lines]}."""
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([_MLXREF, os.path.join(here, "transform_checks.py"), "--audit"],
                       capture_output=True, text=True, timeout=600, cwd=here,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    found = {}
    for line in r.stdout.splitlines():
        name = line.split(":", 1)[0]
        found.setdefault(name, []).append(line)
    return found


@pytest.mark.skipif(not os.path.exists(_MLXREF), reason="real MLX (/opt/mlxref) not installed")
@pytest.mark.parametrize("spec", _SPECS, ids=[s.name for s in _SPECS])
def test_flags_match_mlx(spec):
    """A row whose op real MLX can differentiate (vmap) has grad=True
    (vmap=True), or says why not in grad_reason (vmap_reason)."""
    lines = _mlx_audit().get(spec.name)
    assert not lines, "\n".join(lines)
