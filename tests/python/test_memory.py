"""The memory API.  Names, signatures and return types follow MLX 0.32.4
(checked at /opt/mlxref); the numbers are our allocator's."""

import pytest

import mlx.core as mx


def test_functions_return_ints():
    for f in (mx.get_active_memory, mx.get_peak_memory, mx.get_cache_memory, mx.get_memory_limit):
        v = f()
        assert isinstance(v, int) and v >= 0
    assert mx.reset_peak_memory() is None
    assert mx.clear_cache() is None


def test_active_and_peak_follow_allocations():
    mx.eval(mx.array(0))
    start = mx.get_active_memory()
    mx.reset_peak_memory()
    x = mx.zeros((1024, 1024))  # 4 MiB of float32
    mx.eval(x)
    assert mx.get_active_memory() >= start + 4 * 1024 * 1024
    assert mx.get_peak_memory() >= 4 * 1024 * 1024
    del x
    assert mx.get_active_memory() <= start
    mx.clear_cache()
    assert mx.get_cache_memory() == 0


def test_limits_return_previous_values():
    old = mx.set_cache_limit(1 << 20)
    try:
        assert mx.set_cache_limit(2 << 20) == 1 << 20
    finally:
        mx.set_cache_limit(old)
    old = mx.get_memory_limit()
    assert mx.set_memory_limit(old) == old
    assert isinstance(mx.set_wired_limit(0), int)
    with pytest.raises(TypeError):
        mx.set_cache_limit(-1)
    with pytest.raises(TypeError):
        mx.set_memory_limit(1.5)


def test_cache_limit_zero_disables_cache():
    old = mx.set_cache_limit(0)
    try:
        x = mx.ones((256, 256))
        mx.eval(x)
        del x
        assert mx.get_cache_memory() == 0
    finally:
        mx.set_cache_limit(old)


def test_metal_aliases_are_deprecated(capfd):
    assert mx.metal.get_active_memory() == mx.get_active_memory()
    err = capfd.readouterr().err
    assert ("mx.metal.get_active_memory is deprecated and will be removed in a future "
            "version. Use mx.get_active_memory instead.") in err
    assert mx.metal.get_active_memory.__name__ == "get_active_memory"
    for name in ("get_peak_memory", "reset_peak_memory", "get_cache_memory", "set_memory_limit",
                 "set_cache_limit", "set_wired_limit", "clear_cache"):
        assert callable(getattr(mx.metal, name))
