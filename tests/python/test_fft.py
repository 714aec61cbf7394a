"""mlx.core.fft against NumPy's float64/complex128 transforms.

Every transform is compared with np.fft on the same float32/complex64 data
promoted to double; the error is measured relative to the norm of the
reference (the scale float32 rounding errors grow with), with a bound that
allows for float32 arithmetic over log2(n) passes.  The dtype, shape and
exception rules (types and messages' prefixes) were checked against MLX
0.32.4; run with CMLX_TEST_REFERENCE=1 to check them against real MLX."""
import math

import mlx.core as mx
import numpy as np
import pytest

RNG = np.random.default_rng(1234)
LENGTHS = [1, 2, 3, 5, 7, 8, 12, 17, 97, 101, 1000, 1024, 4096]


def cdata(*shape):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(np.complex64)


def rdata(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def check(ours, ref, dtype=None, tol=None):
    """`ours` (an mx.array) matches the double-precision `ref`."""
    mx.eval(ours)
    got = np.array(ours)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    if dtype is not None:
        assert ours.dtype == dtype
    n = max(ref.size, 2)
    if tol is None:
        tol = 1e-6 * (4 + math.log2(n))
    scale = np.linalg.norm(ref.ravel())
    err = np.linalg.norm((got.astype(ref.dtype) - ref).ravel())
    assert err <= tol * max(scale, 1e-30), (err, scale)
    # No single element may be far off either (relative to the RMS size).
    rms = scale / math.sqrt(ref.size) if ref.size else 0
    if ref.size:
        assert np.abs(got - ref).max() <= 50 * tol * max(rms, 1e-30)


# --- 1-D transforms --------------------------------------------------------------


@pytest.mark.parametrize("n", LENGTHS)
def test_fft_ifft_lengths(n):
    x = cdata(n)
    check(mx.fft.fft(mx.array(x)), np.fft.fft(x.astype(np.complex128)), mx.complex64)
    check(mx.fft.ifft(mx.array(x)), np.fft.ifft(x.astype(np.complex128)), mx.complex64)


@pytest.mark.parametrize("n", LENGTHS)
def test_rfft_irfft_lengths(n):
    r = rdata(n)
    check(mx.fft.rfft(mx.array(r)), np.fft.rfft(r.astype(np.float64)), mx.complex64)
    spec = cdata(n // 2 + 1)
    ref = np.fft.irfft(spec.astype(np.complex128), n=n)
    check(mx.fft.irfft(mx.array(spec), n=n), ref, mx.float32)


def test_large_power_of_two_and_prime():
    # 2^20 runs the four-step path; 1000003 is prime (Bluestein with a
    # four-step convolution); 3 * 2^17 mixes radices in the four-step split.
    for n in [1 << 20, 1000003, 3 << 17]:
        x = cdata(n)
        check(mx.fft.fft(mx.array(x)), np.fft.fft(x.astype(np.complex128)))
        check(mx.fft.ifft(mx.array(x)), np.fft.ifft(x.astype(np.complex128)))
    r = rdata(1 << 20)
    check(mx.fft.rfft(mx.array(r)), np.fft.rfft(r.astype(np.float64)))
    spec = np.fft.rfft(r).astype(np.complex64)
    check(mx.fft.irfft(mx.array(spec)), np.fft.irfft(spec.astype(np.complex128)))


def test_radices_and_generic_factors():
    # Lengths with factors 2, 3, 4, 5, odd primes up to 41 and one above it.
    for n in [6, 9, 10, 15, 16, 25, 27, 30, 49, 60, 64, 77, 121, 169, 210, 243, 343, 360, 625,
              41 * 4, 43 * 2, 1681, 2310, 4099, 65536 + 2]:
        x = cdata(n)
        check(mx.fft.fft(mx.array(x)), np.fft.fft(x.astype(np.complex128)))
        r = rdata(n)
        check(mx.fft.rfft(mx.array(r)), np.fft.rfft(r.astype(np.float64)))
        spec = cdata(n // 2 + 1)
        check(mx.fft.irfft(mx.array(spec), n=n), np.fft.irfft(spec.astype(np.complex128), n=n))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_batched_axes(axis):
    x = cdata(6, 10, 12)
    xd = x.astype(np.complex128)
    check(mx.fft.fft(mx.array(x), axis=axis), np.fft.fft(xd, axis=axis))
    check(mx.fft.ifft(mx.array(x), axis=axis), np.fft.ifft(xd, axis=axis))
    r = rdata(6, 10, 12)
    check(mx.fft.rfft(mx.array(r), axis=axis), np.fft.rfft(r.astype(np.float64), axis=axis))
    check(mx.fft.irfft(mx.array(x), axis=axis), np.fft.irfft(xd, axis=axis))


def test_batched_many_lines():
    x = cdata(256, 4096)
    check(mx.fft.fft(mx.array(x)), np.fft.fft(x.astype(np.complex128)))
    check(mx.fft.fft(mx.array(x), axis=0), np.fft.fft(x.astype(np.complex128), axis=0))
    r = rdata(33, 1000)
    check(mx.fft.rfft(mx.array(r), axis=0), np.fft.rfft(r.astype(np.float64), axis=0))


def test_strided_inputs():
    x = cdata(16, 24)
    xd = x.astype(np.complex128)
    a = mx.array(x)
    check(mx.fft.fft(a.T), np.fft.fft(xd.T))
    check(mx.fft.fft(a[::2, 1::3]), np.fft.fft(xd[::2, 1::3]))
    check(mx.fft.fft(a[:, ::-1], axis=0), np.fft.fft(xd[:, ::-1], axis=0))
    r = rdata(16, 24)
    check(mx.fft.rfft(mx.array(r).T), np.fft.rfft(r.astype(np.float64).T))
    check(mx.fft.irfft(a.T[2:, :]), np.fft.irfft(xd.T[2:, :]))
    b = mx.broadcast_to(mx.array(x[0]), (5, 24))
    check(mx.fft.fft(b), np.fft.fft(np.broadcast_to(xd[0], (5, 24))))


@pytest.mark.parametrize("n", [1, 3, 7, 8, 12, 20, 33, 64])
def test_n_crop_and_pad(n):
    x = cdata(4, 12)
    xd = x.astype(np.complex128)
    r = rdata(4, 12)
    rd = r.astype(np.float64)
    for ax in (0, 1):
        check(mx.fft.fft(mx.array(x), n=n, axis=ax), np.fft.fft(xd, n=n, axis=ax))
        check(mx.fft.ifft(mx.array(x), n=n, axis=ax), np.fft.ifft(xd, n=n, axis=ax))
        check(mx.fft.rfft(mx.array(r), n=n, axis=ax), np.fft.rfft(rd, n=n, axis=ax))
        check(mx.fft.irfft(mx.array(x), n=n, axis=ax), np.fft.irfft(xd, n=n, axis=ax))


@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
def test_norm_modes(norm):
    x = cdata(5, 18)
    xd = x.astype(np.complex128)
    r = rdata(5, 18)
    rd = r.astype(np.float64)
    a, ar = mx.array(x), mx.array(r)
    check(mx.fft.fft(a, norm=norm), np.fft.fft(xd, norm=norm))
    check(mx.fft.ifft(a, norm=norm), np.fft.ifft(xd, norm=norm))
    check(mx.fft.rfft(ar, norm=norm), np.fft.rfft(rd, norm=norm))
    check(mx.fft.irfft(a, n=18, norm=norm), np.fft.irfft(xd, n=18, norm=norm))
    check(mx.fft.fft2(a, norm=norm), np.fft.fft2(xd, norm=norm))
    check(mx.fft.ifft2(a, norm=norm), np.fft.ifft2(xd, norm=norm))
    check(mx.fft.rfft2(ar, norm=norm), np.fft.rfft2(rd, norm=norm))
    check(mx.fft.irfft2(a, norm=norm), np.fft.irfft2(xd, norm=norm))
    check(mx.fft.fftn(a, norm=norm), np.fft.fftn(xd, norm=norm))
    check(mx.fft.ifftn(a, norm=norm), np.fft.ifftn(xd, norm=norm))
    check(mx.fft.rfftn(ar, norm=norm), np.fft.rfftn(rd, norm=norm))
    check(mx.fft.irfftn(a, norm=norm), np.fft.irfftn(xd, norm=norm))


def test_round_trips():
    x = cdata(3, 40)
    a = mx.array(x)
    check(mx.fft.ifft(mx.fft.fft(a)), x.astype(np.complex128))
    r = rdata(3, 41)
    check(mx.fft.irfft(mx.fft.rfft(mx.array(r)), n=41), r.astype(np.float64))
    check(mx.fft.irfftn(mx.fft.rfftn(mx.array(r)), s=[3, 41], axes=[0, 1]), r.astype(np.float64))


# --- n-D transforms ----------------------------------------------------------------


ND_CASES = [
    (None, None),
    (None, [0]),
    (None, [2, 0]),
    (None, [1, 2]),
    (None, [-1, -3, -2]),
    ([5, 7], [0, 2]),
    ([3, 16], [2, 1]),
    ([8, 3, 4], [0, 1, 2]),
    ([1, 1], [1, 2]),
]


@pytest.mark.parametrize("s,axes", ND_CASES)
def test_nd(s, axes):
    x = cdata(6, 10, 9)
    xd = x.astype(np.complex128)
    r = rdata(6, 10, 9)
    rd = r.astype(np.float64)
    a, ar = mx.array(x), mx.array(r)
    check(mx.fft.fftn(a, s=s, axes=axes), np.fft.fftn(xd, s=s, axes=axes))
    check(mx.fft.ifftn(a, s=s, axes=axes), np.fft.ifftn(xd, s=s, axes=axes))
    check(mx.fft.rfftn(ar, s=s, axes=axes), np.fft.rfftn(rd, s=s, axes=axes))
    check(mx.fft.irfftn(a, s=s, axes=axes), np.fft.irfftn(xd, s=s, axes=axes))


@pytest.mark.parametrize("s,axes", [(None, None), ([4, 6], None), (None, [0, 2]),
                                    ([3, 5], [2, 0]), (None, [1])])
def test_2d(s, axes):
    x = cdata(4, 6, 8)
    xd = x.astype(np.complex128)
    r = rdata(4, 6, 8)
    rd = r.astype(np.float64)
    a, ar = mx.array(x), mx.array(r)
    kw = {} if axes is None else {"axes": axes}
    kw_np = {} if axes is None else {"axes": axes}
    check(mx.fft.fft2(a, s=s, **kw), np.fft.fftn(xd, s=s, axes=axes or (-2, -1), **{}))
    check(mx.fft.ifft2(a, s=s, **kw), np.fft.ifftn(xd, s=s, axes=axes or (-2, -1)))
    check(mx.fft.rfft2(ar, s=s, **kw), np.fft.rfftn(rd, s=s, axes=axes or (-2, -1)))
    check(mx.fft.irfft2(a, s=s, **kw), np.fft.irfftn(xd, s=s, axes=axes or (-2, -1)))
    del kw_np


def test_2d_axes_none_is_all_axes():
    x = cdata(3, 4, 5)
    check(mx.fft.fft2(mx.array(x), axes=None), np.fft.fftn(x.astype(np.complex128)))


def test_large_2d():
    x = rdata(512, 768)
    xd = x.astype(np.float64)
    check(mx.fft.rfft2(mx.array(x)), np.fft.rfft2(xd))
    check(mx.fft.fft2(mx.array(x)), np.fft.fft2(xd))
    spec = np.fft.rfft2(xd).astype(np.complex64)
    check(mx.fft.irfft2(mx.array(spec), s=[512, 768]), np.fft.irfft2(spec.astype(np.complex128),
                                                                     s=[512, 768]))


def test_empty_axes_returns_input():
    x = cdata(3, 4)
    a = mx.array(x)
    out = mx.fft.fftn(a, axes=[])
    assert out.dtype == mx.complex64 and np.array_equal(np.array(out), x)
    r = mx.array(rdata(3, 4))
    out = mx.fft.rfftn(r, axes=[])
    assert out.dtype == mx.float32 and np.array_equal(np.array(out), np.array(r))


# --- dtypes ------------------------------------------------------------------------


@pytest.mark.parametrize("dt", ["int32", "int64", "uint8", "bool_", "float16", "bfloat16",
                                "float32", "float64"])
def test_real_dtypes_promote(dt):
    base = np.array([0, 1, 2, 3, 0, 1, 1, 2], dtype=np.float64)
    if dt == "bool_":
        base = base > 0.5
    a = mx.array(base).astype(getattr(mx, dt))
    ref = np.fft.fft(np.array(a.astype(mx.float32)).astype(np.float64))
    check(mx.fft.fft(a), ref, mx.complex64)
    check(mx.fft.ifft(a), np.fft.ifft(np.array(a.astype(mx.float32)).astype(np.float64)),
          mx.complex64)
    check(mx.fft.rfft(a), np.fft.rfft(np.array(a.astype(mx.float32)).astype(np.float64)),
          mx.complex64)
    out = mx.fft.irfft(a)
    assert out.dtype == mx.float32
    check(out, np.fft.irfft(np.array(a.astype(mx.float32)).astype(np.float64)))


def test_complex_input_to_rfft_uses_real_part():
    x = cdata(3, 10)
    check(mx.fft.rfft(mx.array(x)), np.fft.rfft(x.real.astype(np.float64)), mx.complex64)
    check(mx.fft.rfftn(mx.array(x)), np.fft.rfftn(x.real.astype(np.float64)), mx.complex64)


def test_irfft_ignores_imaginary_dc_and_nyquist():
    spec = cdata(9)
    check(mx.fft.irfft(mx.array(spec)), np.fft.irfft(spec.astype(np.complex128)))
    check(mx.fft.irfft(mx.array(spec), n=17), np.fft.irfft(spec.astype(np.complex128), n=17))


def test_zero_size_batch():
    out = mx.fft.fft(mx.zeros((3, 0)), axis=0)
    assert out.shape == (3, 0) and out.dtype == mx.complex64
    out = mx.fft.rfft(mx.zeros((0, 8)))
    assert out.shape == (0, 5) and out.dtype == mx.complex64
    out = mx.fft.irfft(mx.zeros((0, 5), dtype=mx.complex64))
    assert out.shape == (0, 8) and out.dtype == mx.float32
    mx.eval(out)


def test_size_one_axis():
    x = cdata(4, 1)
    check(mx.fft.fft(mx.array(x)), np.fft.fft(x.astype(np.complex128)))
    check(mx.fft.rfft(mx.array(x.real)), np.fft.rfft(x.real.astype(np.float64)))
    out = mx.fft.irfft(mx.array(x), n=1)
    check(out, np.fft.irfft(x.astype(np.complex128), n=1))


def test_positional_arguments_and_stream():
    x = cdata(4, 6)
    a = mx.array(x)
    check(mx.fft.fft(a, 4, 0, "ortho", mx.cpu), np.fft.fft(x.astype(np.complex128), 4, 0, "ortho"))
    check(mx.fft.fftn(a, (3, 5), (0, 1), "forward", mx.cpu),
          np.fft.fftn(x.astype(np.complex128), (3, 5), (0, 1), "forward"))
    check(mx.fft.rfft2(a.real, None, [-2, -1], "backward", stream=mx.cpu),
          np.fft.rfft2(x.real.astype(np.float64)))


# --- errors ------------------------------------------------------------------------


def test_errors():
    a = mx.zeros((4, 8))
    v = mx.zeros((8,))
    with pytest.raises(ValueError, match=r"\[fft\] Invalid norm"):
        mx.fft.fft(v, norm="bad")
    with pytest.raises(ValueError, match=r"\[rfft2\] Invalid norm"):
        mx.fft.rfft2(a, norm="ORTHO")
    with pytest.raises(TypeError):
        mx.fft.fft(v, norm=None)
    with pytest.raises(TypeError):
        mx.fft.fft(v, n=4.0)
    with pytest.raises(TypeError):
        mx.fft.fft(np.zeros(4))
    with pytest.raises(TypeError):
        mx.fft.fftn(a, axes=1)
    with pytest.raises(TypeError):
        mx.fft.fftn(a, s=3, axes=[0])
    with pytest.raises(ValueError, match="Invalid FFT output size"):
        mx.fft.fft(v, n=0)
    with pytest.raises(ValueError, match="Invalid FFT output size"):
        mx.fft.rfft(v, n=-1)
    with pytest.raises(ValueError, match="Invalid FFT output size"):
        mx.fft.fft(mx.zeros((0,)))
    with pytest.raises(ValueError, match="Invalid FFT output size"):
        mx.fft.irfft(mx.zeros((3, 1), dtype=mx.complex64))
    with pytest.raises(ValueError, match="Invalid FFT output size"):
        mx.fft.fftn(a, s=[-3, 4], axes=[0, 1])
    with pytest.raises(IndexError):
        mx.fft.fft(v, axis=1)
    with pytest.raises(IndexError):
        mx.fft.fft(v, axis=-2)
    with pytest.raises(IndexError):
        mx.fft.fft(mx.array(1.0))
    with pytest.raises(IndexError):
        mx.fft.fft2(v)
    with pytest.raises(IndexError):
        mx.fft.fftn(a, axes=[2])
    with pytest.raises(IndexError):
        mx.fft.fftn(a, s=[2, 2], axes=[0, -7])
    with pytest.raises(ValueError, match="Requires array with at least one dimension"):
        mx.fft.fftn(mx.array(1.0))
    with pytest.raises(ValueError, match=r"Duplicated axis received \(0,0\)"):
        mx.fft.fftn(a, axes=[0, 0])
    with pytest.raises(ValueError, match=r"Duplicated axis received \(0,-2\)"):
        mx.fft.rfftn(a, s=[2, 2], axes=[0, -2])
    with pytest.raises(ValueError, match="Shape and axes have different sizes"):
        mx.fft.fftn(a, s=[3], axes=[0, 1])
    with pytest.raises(ValueError, match="Shape and axes have different sizes"):
        mx.fft.fft2(a, s=[3])
    with pytest.raises(ValueError, match=r"\[fftn\] `axes` should not be `None`"):
        mx.fft.fftn(a, s=[3, 4])
    with pytest.raises(ValueError, match=r"\[fft2\] `axes` should not be `None`"):
        mx.fft.fft2(a, s=[3, 4], axes=None)
    with pytest.raises(ValueError, match=r"\[irfftn\] `axes` should not be `None`"):
        mx.fft.irfftn(a, s=[3, 4])


# --- frequencies and shifts --------------------------------------------------------


def test_fftfreq_values():
    for n in [1, 2, 3, 4, 5, 8, 9, 100, 101]:
        for d in [1.0, 0.5, 0.1, 3.0, -2.0]:
            out = mx.fft.fftfreq(n, d)
            assert out.dtype == mx.float32 and out.shape == (n,)
            np.testing.assert_allclose(np.array(out), np.fft.fftfreq(n, d), rtol=1e-6, atol=0)
            # MLX's exact float32 values: k * float32(1 / (n d)).
            k = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)])
            assert np.array_equal(np.array(out),
                                  k.astype(np.float32) * np.float32(1.0 / (n * d)))
            out = mx.fft.rfftfreq(n, d)
            assert out.dtype == mx.float32 and out.shape == (n // 2 + 1,)
            np.testing.assert_allclose(np.array(out), np.fft.rfftfreq(n, d), rtol=1e-6, atol=0)
    np.testing.assert_allclose(np.array(mx.fft.fftfreq(3, d=mx.array(2.0))),
                               np.fft.fftfreq(3, 2.0), rtol=1e-6)
    np.testing.assert_allclose(np.array(mx.fft.fftfreq(n=6, d=2)), np.fft.fftfreq(6, 2),
                               rtol=1e-6)


def test_fftfreq_errors():
    for fn, name in [(mx.fft.fftfreq, "fftfreq"), (mx.fft.rfftfreq, "rfftfreq")]:
        with pytest.raises(ValueError, match=rf"\[{name}\] `n` must be greater than 0"):
            fn(0)
        with pytest.raises(ValueError, match=rf"\[{name}\] `n` must be greater than 0"):
            fn(-3)
        with pytest.raises(ValueError, match=rf"\[{name}\] `d` must be non-zero"):
            fn(4, 0.0)
        with pytest.raises(TypeError):
            fn(4.0)


def test_shifts():
    for shape in [(5,), (6,), (3, 4), (5, 7, 2)]:
        x = np.arange(np.prod(shape), dtype=np.int32).reshape(shape)
        a = mx.array(x)
        out = mx.fft.fftshift(a)
        assert out.dtype == mx.int32
        assert np.array_equal(np.array(out), np.fft.fftshift(x))
        assert np.array_equal(np.array(mx.fft.ifftshift(a)), np.fft.ifftshift(x))
        for ax in range(len(shape)):
            assert np.array_equal(np.array(mx.fft.fftshift(a, axes=ax)),
                                  np.fft.fftshift(x, axes=ax))
            assert np.array_equal(np.array(mx.fft.ifftshift(a, axes=[ax - len(shape)])),
                                  np.fft.ifftshift(x, axes=[ax]))
    x = np.arange(5)
    # A repeated axis rolls twice (MLX: [1, 2, 3, 4, 0]); NumPy's roll agrees.
    assert np.array_equal(np.array(mx.fft.fftshift(mx.array(x), axes=[0, 0])), np.roll(x, 4))
    assert np.array_equal(np.array(mx.fft.fftshift(mx.array(x), axes=[])), x)
    s = mx.fft.fftshift(mx.array(3))
    assert s.shape == () and s.item() == 3
    c = cdata(4, 6)
    assert np.array_equal(np.array(mx.fft.fftshift(mx.array(c), axes=(0,))),
                          np.fft.fftshift(c, axes=0))


def test_shift_errors():
    a = mx.zeros((2, 3))
    with pytest.raises(IndexError, match=r"\[fftshift\] Invalid axis 5"):
        mx.fft.fftshift(a, axes=5)
    with pytest.raises(IndexError, match=r"\[ifftshift\] Invalid axis -4"):
        mx.fft.ifftshift(a, axes=-4)
    with pytest.raises(TypeError):
        mx.fft.fftshift(a, axes=[1.0])
