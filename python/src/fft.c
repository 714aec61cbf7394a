/* mlx.core.fft: the discrete Fourier transforms, the sample frequencies and
 * the spectrum shifts, over src/ops/fft*.c.  Signatures, defaults and
 * errors are MLX 0.32's: the stream is an ordinary last parameter (it can be
 * passed positionally), `s` without `axes` is an error for the n-D forms,
 * and the 2-D forms default to the last two axes. */
#include "mlxpy.h"

/* The stream is positional here, as in MLX's fft module. */
static int stream_arg(const mxpy_value* v, mx_stream* s) {
  return mxpy_to_stream(v->given ? v->obj : NULL, s);
}

static int norm_arg(const mxpy_value* v, const char* fn, mx_fft_norm* out) {
  if (!v->given) {
    *out = MX_FFT_NORM_BACKWARD;
    return 0;
  }
  if (!PyUnicode_Check(v->obj)) {
    PyErr_Format(PyExc_TypeError,
                 "%s(): incompatible function arguments. The argument 'norm' must be a str, not "
                 "%.100s.",
                 fn, Py_TYPE(v->obj)->tp_name);
    return -1;
  }
  const char* text = PyUnicode_AsUTF8(v->obj);
  if (!text) return -1;
  if (mx_fft_norm_parse(text, fn, out) != 0) return mxpy_raise_int();
  return 0;
}

/* A Python int outside int32 is MLX's "incompatible function arguments"
 * TypeError, for every integer argument of this module. */
static bool int32_ok(long long x, const char* fn, const char* what) {
  if (x >= INT32_MIN && x <= INT32_MAX) return true;
  PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: %s is out of range.", fn,
               what);
  return false;
}

/* --- 1-D transforms: (a, n=None, axis=-1, norm="backward", stream=None) --- */

typedef mx_array* (*fft1_fn)(mx_array*, const int*, int, mx_fft_norm, mx_stream);

static PyObject* one(mxpy_value* v, mx_stream s, fft1_fn fn, const char* name) {
  if (stream_arg(&v[4], &s) != 0) return NULL;
  mx_fft_norm norm;
  if (norm_arg(&v[3], name, &norm) != 0) return NULL;
  int n = 0;
  if (!v[1].none) {
    if (!int32_ok(v[1].i, name, "n")) return NULL;
    n = (int)v[1].i;
  }
  if (!int32_ok(v[2].i, name, "axis")) return NULL;
  return mxpy_wrap(fn(v[0].a, v[1].none ? NULL : &n, (int)v[2].i, norm, s));
}

static PyObject* impl_fft(mxpy_value* v, mx_stream s) { return one(v, s, mx_fft_fft, "fft"); }
static PyObject* impl_ifft(mxpy_value* v, mx_stream s) { return one(v, s, mx_fft_ifft, "ifft"); }
static PyObject* impl_rfft(mxpy_value* v, mx_stream s) { return one(v, s, mx_fft_rfft, "rfft"); }
static PyObject* impl_irfft(mxpy_value* v, mx_stream s) {
  return one(v, s, mx_fft_irfft, "irfft");
}

/* --- n-D transforms: (a, s=None, axes=..., norm="backward", stream=None) --- */

typedef mx_array* (*fftn_fn)(mx_array*, int, const int*, int, const int*, mx_fft_norm, mx_stream);

static PyObject* many(mxpy_value* v, mx_stream s, fftn_fn fn, const char* name, bool two) {
  if (stream_arg(&v[4], &s) != 0) return NULL;
  mx_fft_norm norm;
  if (norm_arg(&v[3], name, &norm) != 0) return NULL;
  static const int last_two[2] = {-2, -1};
  const int* axes = NULL;
  int naxes = -1;
  if (!v[2].given) {
    if (two) axes = last_two, naxes = 2;
  } else if (!v[2].none) {
    axes = v[2].ints.v;
    naxes = v[2].ints.n;
  }
  bool has_s = v[1].given && !v[1].none;
  if (has_s && !axes) {
    PyErr_Format(PyExc_ValueError, "[%s] `axes` should not be `None` if `s` is not `None`.",
                 name);
    return NULL;
  }
  return mxpy_wrap(fn(v[0].a, has_s ? v[1].ints.n : 0, has_s ? v[1].ints.v : NULL, naxes, axes,
                      norm, s));
}

/* Each table row needs its own impl; they differ only in the op, the name
 * and whether the axes default to the last two. */
#define IMPL_MANY(nm, fn, two) \
  static PyObject* impl_##nm(mxpy_value* v, mx_stream s) { return many(v, s, fn, #nm, two); }
IMPL_MANY(fft2, mx_fft_fftn, true)
IMPL_MANY(ifft2, mx_fft_ifftn, true)
IMPL_MANY(rfft2, mx_fft_rfftn, true)
IMPL_MANY(irfft2, mx_fft_irfftn, true)
IMPL_MANY(fftn, mx_fft_fftn, false)
IMPL_MANY(ifftn, mx_fft_ifftn, false)
IMPL_MANY(rfftn, mx_fft_rfftn, false)
IMPL_MANY(irfftn, mx_fft_irfftn, false)
#undef IMPL_MANY

/* --- frequencies and shifts ------------------------------------------------------ */

static PyObject* freq(mxpy_value* v, mx_stream s, bool real) {
  if (stream_arg(&v[2], &s) != 0) return NULL;
  long long n = v[0].i;
  if (!int32_ok(n, real ? "rfftfreq" : "fftfreq", "n")) return NULL;
  /* d is anything Python can turn into a float (a 0-d array included, as
   * MLX's binding converts it). */
  double d = 1.0;
  if (v[1].given) {
    d = PyFloat_AsDouble(v[1].obj);
    if (d == -1.0 && PyErr_Occurred()) return NULL;
  }
  return mxpy_wrap(real ? mx_fft_rfftfreq((int)n, d, s) : mx_fft_fftfreq((int)n, d, s));
}

static PyObject* impl_fftfreq(mxpy_value* v, mx_stream s) { return freq(v, s, false); }
static PyObject* impl_rfftfreq(mxpy_value* v, mx_stream s) { return freq(v, s, true); }

static PyObject* shift(mxpy_value* v, mx_stream s, bool inverse) {
  if (stream_arg(&v[2], &s) != 0) return NULL;
  const int* axes = v[1].none ? NULL : v[1].ints.v;
  int naxes = v[1].none ? -1 : v[1].ints.n;
  return mxpy_wrap(inverse ? mx_fft_ifftshift(v[0].a, naxes, axes, s)
                           : mx_fft_fftshift(v[0].a, naxes, axes, s));
}

static PyObject* impl_fftshift(mxpy_value* v, mx_stream s) { return shift(v, s, false); }
static PyObject* impl_ifftshift(mxpy_value* v, mx_stream s) { return shift(v, s, true); }

/* --- the table ------------------------------------------------------------------------ */

#define A {"a", MXPY_ARRAY, 0, NULL, {0}}
#define N_NONE {"n", MXPY_INT, MXPY_OPT | MXPY_NONE, "None", {0}}
#define AXIS {"axis", MXPY_INT, MXPY_OPT, "-1", {.i = -1}}
#define NORM {"norm", MXPY_OBJECT, MXPY_OPT, "'backward'", {0}}
#define S_NONE {"s", MXPY_SHAPE, MXPY_OPT | MXPY_NONE, "None", {0}}
#define AXES_NONE {"axes", MXPY_SHAPE, MXPY_OPT | MXPY_NONE, "None", {0}}
#define AXES_TWO {"axes", MXPY_SHAPE, MXPY_OPT | MXPY_NONE, "[-2, -1]", {0}}
#define STREAM {"stream", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}}
#define FN1(name, impl, doc) {name, impl, doc, {A, N_NONE, AXIS, NORM, STREAM}, true}
#define FN2(name, impl, doc) {name, impl, doc, {A, S_NONE, AXES_TWO, NORM, STREAM}, true}
#define FNN(name, impl, doc) {name, impl, doc, {A, S_NONE, AXES_NONE, NORM, STREAM}, true}

static const mxpy_fn fft_fns[] = {
    FN1("fft", impl_fft, "One dimensional discrete Fourier Transform."),
    FN1("ifft", impl_ifft, "One dimensional inverse discrete Fourier Transform."),
    FN1("rfft", impl_rfft, "One dimensional discrete Fourier Transform on a real input."),
    FN1("irfft", impl_irfft, "The inverse of :func:`rfft`."),
    FN2("fft2", impl_fft2, "Two dimensional discrete Fourier Transform."),
    FN2("ifft2", impl_ifft2, "Two dimensional inverse discrete Fourier Transform."),
    FN2("rfft2", impl_rfft2, "Two dimensional real discrete Fourier Transform."),
    FN2("irfft2", impl_irfft2, "The inverse of :func:`rfft2`."),
    FNN("fftn", impl_fftn, "n-dimensional discrete Fourier Transform."),
    FNN("ifftn", impl_ifftn, "n-dimensional inverse discrete Fourier Transform."),
    FNN("rfftn", impl_rfftn, "n-dimensional real discrete Fourier Transform."),
    FNN("irfftn", impl_irfftn, "The inverse of :func:`rfftn`."),
    {"fftfreq", impl_fftfreq, "Return the discrete Fourier Transform sample frequencies.",
     {{"n", MXPY_INT, 0, NULL, {0}}, {"d", MXPY_OBJECT, MXPY_OPT, "1.0", {0}}, STREAM},
     true},
    {"rfftfreq", impl_rfftfreq,
     "Return the discrete Fourier Transform sample frequencies for :func:`rfft`.",
     {{"n", MXPY_INT, 0, NULL, {0}}, {"d", MXPY_OBJECT, MXPY_OPT, "1.0", {0}}, STREAM},
     true},
    {"fftshift", impl_fftshift,
     "Shift the zero-frequency component to the center of the spectrum.",
     {A, {"axes", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}}, STREAM}, true},
    {"ifftshift", impl_ifftshift, "The inverse of :func:`fftshift`.",
     {A, {"axes", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}}, STREAM}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

int mxpy_fft_init(PyObject* module) {
  PyObject* m = mxpy_submodule(module, "fft");
  if (!m) return -1;
  return mxpy_add_functions(m, fft_fns);
}
