"""GPU stream end to end through the Python API: results match the CPU
stream, arrays move between devices without user copies, and float64 on
the GPU raises ValueError as in MLX.  Skipped where no GPU is available."""

import numpy as np
import pytest

import mlx.core as mx

pytestmark = pytest.mark.skipif(
    not mx.is_available(mx.gpu), reason="no GPU available"
)


def rel_err(got, want):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    return np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30)


def test_matmul_add_sum_matches_cpu():
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((64, 96)).astype(np.float32)
    b_np = rng.standard_normal((96, 80)).astype(np.float32)
    c_np = rng.standard_normal((80,)).astype(np.float32)
    a, b, c = mx.array(a_np), mx.array(b_np), mx.array(c_np)
    with mx.stream(mx.gpu):
        y = (a @ b + c).sum()
    with mx.stream(mx.cpu):
        y_cpu = (a @ b + c).sum()
    ref = (a_np.astype(np.float64) @ b_np + c_np).sum()
    # float32 matmuls may run on TF32 tensor cores, as in MLX.
    scale = np.abs(a_np.astype(np.float64) @ b_np).sum()
    assert abs(y.item() - ref) <= 2e-3 * scale
    assert abs(y_cpu.item() - ref) <= 1e-5 * scale


def test_elementwise_and_reductions_match_numpy():
    rng = np.random.default_rng(1)
    x_np = rng.standard_normal((33, 65)).astype(np.float32)
    z_np = rng.standard_normal((65,)).astype(np.float32)
    x, z = mx.array(x_np), mx.array(z_np)
    with mx.stream(mx.gpu):
        r = ((x * 2 - z) / 3).sum(axis=0)
        t = mx.transpose(x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        np.array(r), ((x_np * 2 - z_np) / 3).sum(axis=0), rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        np.array(t), x_np.T.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize("dtype", [mx.float16, mx.bfloat16])
def test_half_matmul(dtype):
    rng = np.random.default_rng(2)
    a_np = rng.standard_normal((3, 40, 24)).astype(np.float32)
    b_np = rng.standard_normal((24, 56)).astype(np.float32)
    a = mx.array(a_np).astype(dtype)
    b = mx.array(b_np).astype(dtype)
    with mx.stream(mx.gpu):
        y = a @ b
    want = np.array(a.astype(mx.float32)).astype(np.float64) @ np.array(
        b.astype(mx.float32)
    )
    assert y.dtype == dtype
    assert rel_err(np.array(y.astype(mx.float32)), want) < 1e-2


def test_cross_device_chain():
    x = mx.arange(12, dtype=mx.float32).reshape(3, 4)
    with mx.stream(mx.gpu):
        g = x * x
    c = mx.add(g, 1, stream=mx.cpu)  # a GPU result read by a CPU op
    back = mx.sum(c, stream=mx.gpu)  # and a CPU result read on the GPU
    want = (np.arange(12, dtype=np.float64) ** 2 + 1).sum()
    assert back.item() == want


def test_float64_on_gpu_raises_value_error():
    a = mx.array([1.0, 2.0], dtype=mx.float64)
    with pytest.raises(ValueError):
        with mx.stream(mx.gpu):
            mx.eval(a + a)
    with pytest.raises(ValueError):
        mx.eval(mx.add(a, a, stream=mx.gpu))
    # The same op on the CPU is fine.
    assert mx.add(a, a, stream=mx.cpu).tolist() == [2.0, 4.0]
