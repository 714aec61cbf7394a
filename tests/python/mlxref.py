"""The reference MLX (real MLX 0.32.4, in its own environment at /opt/mlxref)
for tests that compare with it in a subprocess.

The subprocess must import real MLX, never this build: PYTHONPATH (which
points the test run at a cmlx build) is removed from its environment, and
the working directory is /tmp so that no in-tree `mlx` package is found."""
import os

MLXREF = os.environ.get("MLX_REF_PYTHON", "/opt/mlxref/bin/python")


def ref_env():
    """os.environ without the variables that would make the reference
    interpreter load cmlx."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("CMLX_TEST_REFERENCE", None)
    return env
