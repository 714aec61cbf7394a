/* mlx.core.random: keys, the global key (mx.random.state) and the
 * distributions.  Signatures, defaults and errors are MLX's; the numbers
 * come from src/ops/random_*.c and match MLX's for the same key.
 *
 * `state` is a read-only sequence of one array, the global key, as in MLX
 * (an object of type _RandomState: state[0], len(state) == 1, iteration);
 * mx.compile passes it as inputs=/outputs= and swaps the key through
 * mx_random_state_get / mx_random_state_set. */
#include "mlxpy.h"

/* --- helpers ------------------------------------------------------------------ */

/* A `shape` argument: ndim -1 and no shape when the caller passed None or nothing
 * and the parameter's default is None. */
static int shape_of(const mxpy_value* v, int* ndim, const int** shape) {
  if (v->none) {
    *ndim = -1;
    *shape = NULL;
  } else {
    *ndim = v->ints.n;
    *shape = v->ints.v;
  }
  return 0;
}

static mx_dtype dtype_or(const mxpy_value* v, mx_dtype def) {
  return v->dtype < 0 ? def : (mx_dtype)v->dtype;
}

/* A scalar-or-array argument converted with `dtype` (-1: inferred); NULL
 * with no exception set when it was None or not given. */
static mx_array* scalar_or_array(const mxpy_value* v, int dtype) {
  if (!v->obj || v->obj == Py_None) return NULL;
  return mxpy_to_array(v->obj, dtype, false);
}

/* MLX's random functions take `stream` positionally too, so it is an
 * ordinary last parameter here rather than the table's keyword-only one. */
static int stream_arg(const mxpy_value* v, mx_stream* s) {
  return mxpy_to_stream(v->given ? v->obj : NULL, s);
}

/* --- keys -------------------------------------------------------------------------- */

static int seed_value(PyObject* obj, const char* fn, uint64_t* out) {
  if (!PyLong_Check(obj)) {
    PyErr_Format(PyExc_TypeError,
                 "%s(): incompatible function arguments. The following argument types are "
                 "supported:\n    1. %s(seed: int)",
                 fn, fn);
    return -1;
  }
  unsigned long long v = PyLong_AsUnsignedLongLong(obj);
  if (v == (unsigned long long)-1 && PyErr_Occurred()) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError,
                 "%s(): incompatible function arguments. The seed must be an integer in "
                 "[0, 2**64).",
                 fn);
    return -1;
  }
  *out = v;
  return 0;
}

static PyObject* impl_seed(mxpy_value* v, mx_stream s) {
  (void)s;
  uint64_t seed;
  if (seed_value(v[0].obj, "seed", &seed) != 0) return NULL;
  mx_random_seed(seed);
  Py_RETURN_NONE;
}

static PyObject* impl_key(mxpy_value* v, mx_stream s) {
  (void)s;
  uint64_t seed;
  if (seed_value(v[0].obj, "key", &seed) != 0) return NULL;
  return mxpy_wrap(mx_random_key(seed));
}

static PyObject* impl_split(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[2], &s) != 0) return NULL;
  if (v[1].i < 0 || v[1].i > INT32_MAX) {
    PyErr_SetString(PyExc_ValueError, "[bits] Negative dimensions not allowed.");
    return NULL;
  }
  return mxpy_wrap(mx_random_split_num(v[0].a, (int)v[1].i, s));
}

/* --- distributions ------------------------------------------------------------------ */

static PyObject* impl_uniform(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  mx_array* lo = v[0].obj ? mxpy_to_array(v[0].obj, -1, false) : mx_array_scalar_i64(0, MX_INT32);
  if (!lo) return v[0].obj ? NULL : mxpy_raise();
  mx_array* hi = v[1].obj ? mxpy_to_array(v[1].obj, -1, false) : mx_array_scalar_i64(1, MX_INT32);
  if (!hi) {
    mx_array_release(lo);
    return v[1].obj ? NULL : mxpy_raise();
  }
  mx_array* r = mx_random_uniform(lo, hi, v[2].ints.n, v[2].ints.v, dtype_or(&v[3], MX_FLOAT32),
                                  v[4].a, s);
  mx_array_release(lo);
  mx_array_release(hi);
  return mxpy_wrap(r);
}

static PyObject* impl_normal(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  mx_dtype dt = dtype_or(&v[1], MX_FLOAT32);
  mx_array* loc = scalar_or_array(&v[2], -1);
  if (!loc && PyErr_Occurred()) return NULL;
  mx_array* scale = scalar_or_array(&v[3], -1);
  if (!scale && PyErr_Occurred()) {
    mx_array_release(loc);
    return NULL;
  }
  mx_array* r = mx_random_normal(v[0].ints.n, v[0].ints.v, dt, loc, scale, v[4].a, s);
  mx_array_release(loc);
  mx_array_release(scale);
  return mxpy_wrap(r);
}

static PyObject* impl_randint(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  return mxpy_wrap(mx_random_randint(v[0].a, v[1].a, v[2].ints.n, v[2].ints.v,
                                     dtype_or(&v[3], MX_INT32), v[4].a, s));
}

static PyObject* impl_bernoulli(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[3], &s) != 0) return NULL;
  mx_array* p = v[0].obj ? mxpy_to_array(v[0].obj, -1, false) : mx_array_scalar_f64(0.5, MX_FLOAT32);
  if (!p) return v[0].obj ? NULL : mxpy_raise();
  int nd;
  const int* sh;
  shape_of(&v[1], &nd, &sh);
  mx_array* r = mx_random_bernoulli(p, nd, sh, v[2].a, s);
  mx_array_release(p);
  return mxpy_wrap(r);
}

static PyObject* impl_truncated_normal(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  int nd;
  const int* sh;
  shape_of(&v[2], &nd, &sh);
  return mxpy_wrap(mx_random_truncated_normal(v[0].a, v[1].a, nd, sh, dtype_or(&v[3], MX_FLOAT32),
                                              v[4].a, s));
}

static PyObject* impl_gumbel(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[3], &s) != 0) return NULL;
  return mxpy_wrap(
      mx_random_gumbel(v[0].ints.n, v[0].ints.v, dtype_or(&v[1], MX_FLOAT32), v[2].a, s));
}

static PyObject* impl_categorical(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  bool has_shape = !v[2].none, has_num = !v[3].none;
  if (has_shape && has_num) {
    PyErr_SetString(PyExc_ValueError,
                    "[categorical] At most one of shape or num_samples can be specified.");
    return NULL;
  }
  int axis = (int)v[1].i;
  if (has_shape)
    return mxpy_wrap(
        mx_random_categorical_shape(v[0].a, axis, v[2].ints.n, v[2].ints.v, v[4].a, s));
  if (has_num) {
    if (v[3].i < INT32_MIN || v[3].i > INT32_MAX) {
      PyErr_SetString(PyExc_ValueError, "[categorical] num_samples out of range.");
      return NULL;
    }
    return mxpy_wrap(mx_random_categorical_num_samples(v[0].a, axis, (int)v[3].i, v[4].a, s));
  }
  return mxpy_wrap(mx_random_categorical(v[0].a, axis, v[4].a, s));
}

static PyObject* impl_laplace(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  return mxpy_wrap(mx_random_laplace(v[0].ints.n, v[0].ints.v, dtype_or(&v[1], MX_FLOAT32),
                                     v[2].f, v[3].f, v[4].a, s));
}

static PyObject* impl_permutation(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[3], &s) != 0) return NULL;
  PyObject* x = v[0].obj;
  int axis = (int)v[1].i;
  if (mxpy_is_array(x)) return mxpy_wrap(mx_random_permutation(mxpy_arr(x), axis, v[2].a, s));
  if (PyLong_Check(x)) { /* bools are ints here, as in MLX */
    long long n = PyLong_AsLongLong(x);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (n > INT32_MAX || n < INT32_MIN) {
      PyErr_SetString(PyExc_ValueError, "[permutation] Size out of range.");
      return NULL;
    }
    return mxpy_wrap(mx_random_permutation_arange((int)n, v[2].a, s));
  }
  PyErr_Format(PyExc_TypeError,
               "permutation(): incompatible function arguments. The following argument types "
               "are supported:\n    1. permutation(x: int | array, axis: int = 0, key: array | "
               "None = None, stream: StreamOrDevice = None) -> array\n\nInvoked with types: %.100s",
               Py_TYPE(x)->tp_name);
  return NULL;
}

static PyObject* impl_multivariate_normal(mxpy_value* v, mx_stream s) {
  if (stream_arg(&v[5], &s) != 0) return NULL;
  return mxpy_wrap(mx_random_multivariate_normal(v[0].a, v[1].a, v[2].ints.n, v[2].ints.v,
                                                 dtype_or(&v[3], MX_FLOAT32), v[4].a, s));
}

/* --- the table ------------------------------------------------------------------------- */

#define P(n, t) {n, t, 0, NULL, {0}}
#define KEY {"key", MXPY_ARRAY, MXPY_OPT | MXPY_NONE, "None", {0}}
#define SHAPE_EMPTY {"shape", MXPY_SHAPE, MXPY_OPT, "[]", {0}}
#define SHAPE_NONE {"shape", MXPY_SHAPE, MXPY_OPT | MXPY_NONE, "None", {0}}
#define DTYPE(d, text) {"dtype", MXPY_DTYPE, MXPY_OPT | MXPY_NONE, text, {.dtype = d}}
#define STREAM {"stream", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}}
#define END {NULL, NULL, NULL, {{0}}, false}

static const mxpy_fn random_fns[] = {
    {"seed", impl_seed, "Seed the global PRNG.", {P("seed", MXPY_OBJECT)}, true},
    {"key", impl_key, "Get a PRNG key from a seed.", {P("seed", MXPY_OBJECT)}, true},
    {"split", impl_split, "Split a PRNG key into sub keys.",
     {P("key", MXPY_ARRAY), {"num", MXPY_INT, MXPY_OPT, "2", {.i = 2}}, STREAM}, true},
    {"uniform", impl_uniform,
     "Generate uniformly distributed random numbers in the half-open interval [low, high).",
     {{"low", MXPY_OBJECT, MXPY_OPT, "0", {0}},
      {"high", MXPY_OBJECT, MXPY_OPT, "1", {0}},
      SHAPE_EMPTY,
      DTYPE(MX_FLOAT32, "float32"),
      KEY, STREAM},
     true},
    {"normal", impl_normal,
     "Generate normally distributed random numbers with mean `loc` and standard deviation "
     "`scale`.",
     {SHAPE_EMPTY,
      DTYPE(MX_FLOAT32, "float32"),
      {"loc", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}},
      {"scale", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}},
      KEY, STREAM},
     true},
    {"randint", impl_randint, "Generate random integers from the half-open interval [low, high).",
     {P("low", MXPY_SCALAR_OR_ARRAY), P("high", MXPY_SCALAR_OR_ARRAY), SHAPE_EMPTY,
      DTYPE(MX_INT32, "int32"), KEY, STREAM},
     true},
    {"bernoulli", impl_bernoulli, "Generate Bernoulli random values with probability `p`.",
     {{"p", MXPY_OBJECT, MXPY_OPT, "0.5", {0}}, SHAPE_NONE, KEY, STREAM}, true},
    {"truncated_normal", impl_truncated_normal,
     "Generate values from a truncated normal distribution between `lower` and `upper`.",
     {P("lower", MXPY_SCALAR_OR_ARRAY), P("upper", MXPY_SCALAR_OR_ARRAY), SHAPE_NONE,
      DTYPE(MX_FLOAT32, "float32"), KEY, STREAM},
     true},
    {"gumbel", impl_gumbel, "Sample from the standard Gumbel distribution.",
     {SHAPE_EMPTY, DTYPE(MX_FLOAT32, "float32"), KEY, STREAM}, true},
    {"categorical", impl_categorical, "Sample from a categorical distribution given its logits.",
     {P("logits", MXPY_ARRAY),
      {"axis", MXPY_INT, MXPY_OPT, "-1", {.i = -1}},
      SHAPE_NONE,
      {"num_samples", MXPY_INT, MXPY_OPT | MXPY_NONE, "None", {0}},
      KEY, STREAM},
     true},
    {"laplace", impl_laplace, "Sample numbers from a Laplace distribution.",
     {SHAPE_EMPTY,
      DTYPE(MX_FLOAT32, "float32"),
      {"loc", MXPY_FLOAT, MXPY_OPT, "0.0", {.f = 0.0}},
      {"scale", MXPY_FLOAT, MXPY_OPT, "1.0", {.f = 1.0}},
      KEY, STREAM},
     true},
    {"permutation", impl_permutation,
     "Generate a random permutation of `x` along `axis`, or of ``arange(x)`` when `x` is an "
     "int.",
     {P("x", MXPY_OBJECT), {"axis", MXPY_INT, MXPY_OPT, "0", {.i = 0}}, KEY, STREAM}, true},
    {"multivariate_normal", impl_multivariate_normal,
     "Generate jointly-normal random samples given a mean and covariance.",
     {P("mean", MXPY_ARRAY), P("cov", MXPY_ARRAY), SHAPE_EMPTY, DTYPE(MX_FLOAT32, "float32"),
      KEY, STREAM},
     true},
    END,
};

/* --- mx.random.state --------------------------------------------------------------------- */

static PyObject* state_current(void) {
  mx_array* k = mx_random_state_get();
  return k ? mxpy_wrap(k) : mxpy_raise();
}

static Py_ssize_t state_len(PyObject* self) {
  (void)self;
  return 1;
}

static PyObject* state_item(PyObject* self, Py_ssize_t i) {
  (void)self;
  if (i != 0) {
    PyErr_SetString(PyExc_IndexError, "random state index out of range");
    return NULL;
  }
  return state_current();
}

static PyObject* state_iter(PyObject* self) {
  (void)self;
  PyObject* k = state_current();
  if (!k) return NULL;
  PyObject* list = PyList_New(1);
  if (!list) {
    Py_DECREF(k);
    return NULL;
  }
  PyList_SET_ITEM(list, 0, k);
  PyObject* it = PyObject_GetIter(list);
  Py_DECREF(list);
  return it;
}

static PySequenceMethods state_seq = {
    .sq_length = state_len,
    .sq_item = state_item,
};

static PyTypeObject state_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mlx.core.random._RandomState",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_as_sequence = &state_seq,
    .tp_iter = state_iter,
};

int mxpy_random_init(PyObject* module) {
  PyObject* m = mxpy_submodule(module, "random");
  if (!m) return -1;
  if (mxpy_add_functions(m, random_fns) < 0) return -1;
  if (PyType_Ready(&state_type) < 0) return -1;
  PyObject* st = PyType_GenericAlloc(&state_type, 0);
  if (!st) return -1;
  Py_INCREF(&state_type);
  if (PyModule_AddObject(m, "_RandomState", (PyObject*)&state_type) < 0) {
    Py_DECREF(&state_type);
    Py_DECREF(st);
    return -1;
  }
  if (PyModule_AddObject(m, "state", st) < 0) {
    Py_DECREF(st);
    return -1;
  }
  return 0;
}
