"""Shared pytest setup for the Python suite.

* Makes the in-tree package importable (python/ holds the mlx namespace
  package and the built mlx.core extension), so `pytest tests/python` works
  without installing anything.
* DEVICE=gpu (the switch MLX's own test suite uses) makes the GPU the default
  device when a GPU backend is available.
* Tests marked `@pytest.mark.gpu` need a GPU backend and are skipped without
  one (CI has no GPU).
"""

import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# CMLX_TEST_REFERENCE=1 runs the suite against whatever mlx is installed
# (real MLX, to check that the expectations are MLX's behaviour).
# A PYTHONPATH naming another build (PYTHONPATH=build-X/py) is honoured:
# python/ then goes after it, so that build's mlx.core is the one tested.
if not os.environ.get("CMLX_TEST_REFERENCE"):
    _pp = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    _at = max([i + 1 for i, p in enumerate(sys.path) if os.path.abspath(p or ".") in _pp],
              default=0)
    sys.path.insert(_at, os.path.join(ROOT, "python"))

# Full float32 matmuls on the GPU (MLX's CUDA default is TF32, and MLX's own
# test harness turns it off the same way): must be set before mlx.core loads.
os.environ["MLX_ENABLE_TF32"] = "0"

import mlx.core as mx  # noqa: E402

HAS_GPU = mx.is_available(mx.gpu)
WANT_GPU = os.environ.get("DEVICE", "cpu").lower() == "gpu"

# Gradient checks compare with finite differences in float64, which MLX's
# GPU backends (and ours) do not have: those modules run on the CPU even
# with DEVICE=gpu (transforms build the same graphs on either device).
# Test modules are imported (collected) with the CPU as default device, so
# module-level float64 arrays can be made; the GPU becomes the default once
# collection is done.
# (As in MLX, the default device is the GPU whenever one is present.)
# test_linalg: mx.linalg runs on the CPU only, as in MLX (its GPU error has
# its own test); test_transforms_conformance: float64 references.
CPU_ONLY_MODULES = ("test_grad_", "test_nn_grads", "test_linalg", "test_transforms_conformance")
_RUN_DEVICE = mx.gpu if (WANT_GPU and HAS_GPU) else mx.default_device()
mx.set_default_device(mx.cpu)


def pytest_collection_finish(session):
    mx.set_default_device(_RUN_DEVICE)


@pytest.fixture(autouse=True)
def _float64_modules_on_cpu(request):
    name = request.module.__name__.rsplit(".", 1)[-1]
    if mx.default_device() != mx.cpu and name.startswith(CPU_ONLY_MODULES):
        before = mx.default_device()
        mx.set_default_device(mx.cpu)
        yield
        mx.set_default_device(before)
    else:
        yield


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: the test needs a GPU backend")


def pytest_report_header(config):
    return f"mlx.core default device: {mx.default_device()} (GPU backend: {HAS_GPU})"


def pytest_collection_modifyitems(config, items):
    if HAS_GPU:
        return
    skip = pytest.mark.skip(reason="no GPU backend available")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With DEVICE=gpu, a case that fails only because it asks the GPU for
    float64 (which MLX's GPU backends reject with this ValueError, as ours
    does) is reported as skipped: it tests nothing about the GPU."""
    outcome = yield
    report = outcome.get_result()
    if not (WANT_GPU and HAS_GPU) or call.excinfo is None or report.when != "call":
        return
    if call.excinfo.errisinstance(ValueError) and \
            "float64 is not supported on the GPU" in str(call.excinfo.value):
        report.outcome = "skipped"
        report.longrepr = (str(item.fspath), item.location[1] or 0,
                           "Skipped: float64 is not supported on the GPU (as in MLX)")
