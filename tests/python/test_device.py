"""Devices, streams and the stream context manager.

Reprs and error types were checked against MLX 0.32.4 (/opt/mlxref) on a
machine without a GPU backend; the GPU-only parts are marked and skipped
where no GPU backend runs."""

import pytest

import mlx.core as mx

HAS_GPU = mx.is_available(mx.gpu)
no_gpu = pytest.mark.skipif(HAS_GPU, reason="checks behaviour without a GPU backend")


def test_device_types():
    assert repr(mx.cpu) == "DeviceType.cpu"
    assert str(mx.gpu) == "DeviceType.gpu"
    assert mx.cpu is mx.DeviceType.cpu
    assert mx.DeviceType.cpu.value == 0 and mx.DeviceType.gpu.value == 1
    assert list(mx.DeviceType.__members__) == ["cpu", "gpu"]
    assert not (mx.DeviceType.cpu == 0)


def test_device_objects():
    d = mx.Device(mx.cpu)
    assert repr(d) == "Device(cpu, 0)" and str(d) == "Device(cpu, 0)"
    assert repr(mx.Device(mx.gpu, 1)) == "Device(gpu, 1)"
    assert d.type == mx.cpu
    assert d == mx.cpu and d == mx.Device(mx.cpu, 0)
    assert mx.Device(mx.cpu, 1) != mx.cpu
    assert not (d == "cpu")
    with pytest.raises(TypeError):
        mx.Device("cpu")


def test_streams():
    s = mx.default_stream(mx.cpu)
    assert repr(s) == "Stream(Device(cpu, 0), 0)"
    assert s.device == mx.Device(mx.cpu)
    assert s == mx.default_stream(mx.Device(mx.cpu))
    with pytest.raises(TypeError):
        mx.Stream()
    with pytest.raises(TypeError):
        mx.default_stream()
    a, b = mx.new_stream(mx.cpu), mx.new_stream(mx.cpu)
    assert a != b and a == a
    assert repr(a).startswith("Stream(Device(cpu, 0), ")
    assert int(repr(b)[len("Stream(Device(cpu, 0), "):-1]) > int(repr(a)[len("Stream(Device(cpu, 0), "):-1])


def test_default_device():
    before = mx.default_device()
    if not HAS_GPU:
        assert before == mx.Device(mx.cpu, 0)
    try:
        mx.set_default_device(mx.cpu)
        assert mx.default_device() == mx.cpu
        mx.set_default_device(mx.Device(mx.cpu))
        assert mx.default_device() == mx.Device(mx.cpu, 0)
    finally:
        mx.set_default_device(before)  # keep DEVICE=gpu runs on the GPU


def test_stream_context_restores_defaults():
    before_dev = mx.default_device()
    before = mx.default_stream(mx.cpu)
    s = mx.new_stream(mx.cpu)
    ctx = mx.stream(s)
    assert isinstance(ctx, mx.StreamContext)
    with ctx as entered:
        assert entered is None
        assert mx.default_stream(mx.cpu) == s
        assert mx.default_device() == mx.cpu
    assert mx.default_stream(mx.cpu) == before
    assert mx.default_device() == before_dev
    with mx.stream(mx.cpu):
        assert mx.default_device() == mx.cpu
        assert mx.default_stream(mx.cpu) == before
    assert mx.default_device() == before_dev
    with mx.stream(mx.Device(mx.cpu)):
        assert mx.default_device() == mx.cpu
    assert mx.default_device() == before_dev
    with pytest.raises(TypeError):
        mx.stream(None)


def test_set_default_stream():
    before = mx.default_stream(mx.cpu)
    s = mx.new_stream(mx.cpu)
    try:
        mx.set_default_stream(s)
        assert mx.default_stream(mx.cpu) == s
        x = mx.add(mx.array([1.0, 2.0]), 1, stream=mx.cpu)
        mx.eval(x)
        assert x.tolist() == [2.0, 3.0]
    finally:
        mx.set_default_stream(before)


def test_work_on_other_streams():
    s = mx.new_stream(mx.cpu)
    x = mx.add(mx.array([1, 2]), mx.array([3, 4]), stream=s)
    y = mx.multiply(x, 2, stream=mx.cpu)
    z = mx.subtract(y, 1, stream=mx.Device(mx.cpu))
    mx.synchronize(s)
    assert z.tolist() == [7, 11]
    mx.synchronize()
    mx.synchronize(mx.cpu)
    mx.synchronize(mx.Device(mx.cpu))
    with pytest.raises(TypeError):
        mx.add(1, 2, stream=3)


def test_availability():
    assert mx.is_available(mx.cpu) is True
    assert mx.is_available(mx.Device(mx.cpu)) is True
    assert mx.device_count(mx.cpu) == 1
    assert mx.metal.is_available() is False
    assert mx.cuda.is_available() == HAS_GPU
    assert mx.is_available(mx.gpu) == (mx.device_count(mx.gpu) > 0)
    with pytest.raises(TypeError):
        mx.device_count(mx.Device(mx.cpu))


@pytest.mark.gpu
def test_default_device_gpu_roundtrip():
    before = mx.default_device()
    try:
        mx.set_default_device(mx.gpu)
        assert mx.default_device() == mx.Device(mx.gpu, 0)
        assert (mx.array([1.0, 2.0]) * 3).tolist() == [3.0, 6.0]
    finally:
        mx.set_default_device(before)


def test_device_info_cpu():
    info = mx.device_info(mx.cpu)
    assert set(info) == {"architecture", "device_name"}
    assert info["architecture"] == "x86_64"
    assert isinstance(info["device_name"], str)


@no_gpu
def test_gpu_refused_without_backend():
    with pytest.raises(ValueError, match="without gpu backend"):
        mx.default_stream(mx.gpu)
    with pytest.raises(ValueError, match="without gpu backend"):
        mx.new_stream(mx.gpu)
    with pytest.raises(ValueError, match="without gpu backend"):
        mx.set_default_device(mx.gpu)
    with pytest.raises(ValueError):
        mx.stream(mx.gpu).__enter__()
    with pytest.raises(ValueError):
        mx.add(1, 2, stream=mx.gpu)
    assert mx.device_info(mx.gpu) == {}
    assert mx.device_count(mx.gpu) == 0


@pytest.mark.gpu
def test_gpu_stream_roundtrip():
    s = mx.new_stream(mx.gpu)
    assert repr(s).startswith("Stream(Device(gpu, 0), ")
    with mx.stream(mx.gpu):
        assert mx.default_device() == mx.gpu
        x = mx.array([1.0, 2.0, 3.0]) * 2
    y = x + 1  # a GPU result feeds the CPU stream without a copy by the user
    mx.eval(y)
    assert y.tolist() == [3.0, 5.0, 7.0]
