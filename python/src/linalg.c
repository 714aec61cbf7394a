/* mlx.core.linalg: the Python face of src/ops/ops_linalg.h.  Signatures,
 * defaults and the keyword-only `stream` are MLX 0.32's; functions with
 * several results return tuples, as MLX does (svd with compute_uv=False
 * returns the singular values alone). */
#include "mlxpy.h"

/* --- helpers ------------------------------------------------------------------ */

/* A tuple of n new arrays (references stolen); NULL after raising when any
 * is NULL or rc failed. */
static PyObject* tuple_of(int rc, int n, mx_array** arrs) {
  if (rc != 0) {
    for (int i = 0; i < n; i++)
      if (arrs[i]) mx_array_release(arrs[i]);
    return mxpy_raise();
  }
  PyObject* t = PyTuple_New(n);
  if (!t) {
    for (int i = 0; i < n; i++) mx_array_release(arrs[i]);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    PyObject* w = mxpy_wrap(arrs[i]);
    if (!w) {
      for (int j = i + 1; j < n; j++) mx_array_release(arrs[j]);
      Py_DECREF(t);
      return NULL;
    }
    PyTuple_SET_ITEM(t, i, w);
  }
  return t;
}

/* The UPLO argument: a str (MLX's type), "L" when not given. */
static int uplo_arg(const mxpy_value* v, const char** out) {
  *out = "L";
  if (!v->given) return 0;
  if (!PyUnicode_Check(v->obj)) {
    PyErr_SetString(PyExc_TypeError, "UPLO must be a str ('L' or 'U').");
    return -1;
  }
  *out = PyUnicode_AsUTF8(v->obj);
  return *out ? 0 : -1;
}

/* --- implementations -------------------------------------------------------------- */

static PyObject* impl_norm(mxpy_value* v, mx_stream s) {
  mx_array* a = v[0].a;
  PyObject* ord = v[1].given ? v[1].obj : Py_None;
  const int* axes = v[2].none || !v[2].given ? NULL : v[2].ints.v;
  int naxes = axes ? v[2].ints.n : 0;
  bool keepdims = v[3].b;
  if (ord == Py_None) return mxpy_wrap(mx_linalg_norm_l2(a, naxes, axes, keepdims, s));
  if (PyUnicode_Check(ord)) {
    const char* str = PyUnicode_AsUTF8(ord);
    if (!str) return NULL;
    return mxpy_wrap(mx_linalg_norm_str(a, str, naxes, axes, keepdims, s));
  }
  if (PyFloat_Check(ord) || PyLong_Check(ord)) {
    double p = PyFloat_AsDouble(ord);
    if (p == -1.0 && PyErr_Occurred()) return NULL;
    return mxpy_wrap(mx_linalg_norm_p(a, p, naxes, axes, keepdims, s));
  }
  PyErr_SetString(PyExc_TypeError,
                  "norm(): incompatible function arguments. ord must be None, an int, a float "
                  "or a str.");
  return NULL;
}

static PyObject* impl_cross(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_cross(v[0].a, v[1].a, (int)v[2].i, s));
}

static PyObject* impl_qr(mxpy_value* v, mx_stream s) {
  mx_array* r[2] = {NULL, NULL};
  return tuple_of(mx_linalg_qr(v[0].a, s, &r[0], &r[1]), 2, r);
}

static PyObject* impl_svd(mxpy_value* v, mx_stream s) {
  mx_array* r[3] = {NULL, NULL, NULL};
  if (!v[1].b) {
    if (mx_linalg_svd(v[0].a, false, s, NULL, &r[1], NULL)) return mxpy_raise();
    return mxpy_wrap(r[1]);
  }
  return tuple_of(mx_linalg_svd(v[0].a, true, s, &r[0], &r[1], &r[2]), 3, r);
}

static PyObject* impl_inv(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_inv(v[0].a, s));
}
static PyObject* impl_tri_inv(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_tri_inv(v[0].a, v[1].b, s));
}
static PyObject* impl_cholesky(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_cholesky(v[0].a, v[1].b, s));
}
static PyObject* impl_cholesky_inv(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_cholesky_inv(v[0].a, v[1].b, s));
}
static PyObject* impl_pinv(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_pinv(v[0].a, s));
}
static PyObject* impl_eigvals(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_eigvals(v[0].a, s));
}
static PyObject* impl_eig(mxpy_value* v, mx_stream s) {
  mx_array* r[2] = {NULL, NULL};
  return tuple_of(mx_linalg_eig(v[0].a, s, &r[0], &r[1]), 2, r);
}
static PyObject* impl_eigvalsh(mxpy_value* v, mx_stream s) {
  const char* uplo;
  if (uplo_arg(&v[1], &uplo)) return NULL;
  return mxpy_wrap(mx_linalg_eigvalsh(v[0].a, uplo, s));
}
static PyObject* impl_eigh(mxpy_value* v, mx_stream s) {
  const char* uplo;
  if (uplo_arg(&v[1], &uplo)) return NULL;
  mx_array* r[2] = {NULL, NULL};
  return tuple_of(mx_linalg_eigh(v[0].a, uplo, s, &r[0], &r[1]), 2, r);
}
static PyObject* impl_lu(mxpy_value* v, mx_stream s) {
  mx_array* r[3] = {NULL, NULL, NULL};
  return tuple_of(mx_linalg_lu(v[0].a, s, &r[0], &r[1], &r[2]), 3, r);
}
static PyObject* impl_lu_factor(mxpy_value* v, mx_stream s) {
  mx_array* r[2] = {NULL, NULL};
  return tuple_of(mx_linalg_lu_factor(v[0].a, s, &r[0], &r[1]), 2, r);
}
static PyObject* impl_solve(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_solve(v[0].a, v[1].a, s));
}
static PyObject* impl_solve_triangular(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_solve_triangular(v[0].a, v[1].a, v[2].b, s));
}
static PyObject* impl_det(mxpy_value* v, mx_stream s) {
  return mxpy_wrap(mx_linalg_det(v[0].a, s));
}
static PyObject* impl_slogdet(mxpy_value* v, mx_stream s) {
  mx_array* r[2] = {NULL, NULL};
  return tuple_of(mx_linalg_slogdet(v[0].a, s, &r[0], &r[1]), 2, r);
}

/* --- the table ------------------------------------------------------------------------ */

#define A {"a", MXPY_ARRAY, 0, NULL, {0}}
#define B {"b", MXPY_ARRAY, 0, NULL, {0}}
#define UPPER {"upper", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}
#define UPLO {"UPLO", MXPY_OBJECT, MXPY_OPT, "'L'", {0}}
#define END {NULL, NULL, NULL, {{0}}, false}

static const mxpy_fn linalg_fns[] = {
    {"norm", impl_norm, "Matrix or vector norm.",
     {{"a", MXPY_ARRAY, MXPY_POSONLY, NULL, {0}},
      {"ord", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}},
      {"axis", MXPY_AXES, MXPY_OPT | MXPY_NONE, "None", {0}},
      {"keepdims", MXPY_BOOL, MXPY_OPT, "False", {.b = false}}},
     false},
    {"cross", impl_cross, "Compute the cross product of two arrays along a specified axis.",
     {A, B, {"axis", MXPY_INT, MXPY_OPT, "-1", {.i = -1}}}, false},
    {"qr", impl_qr, "The QR factorization of the input matrix.", {A}, false},
    {"svd", impl_svd, "The Singular Value Decomposition (SVD) of the input matrix.",
     {A, {"compute_uv", MXPY_BOOL, MXPY_OPT, "True", {.b = true}}}, false},
    {"inv", impl_inv, "Compute the inverse of a square matrix.", {A}, false},
    {"tri_inv", impl_tri_inv, "Compute the inverse of a triangular square matrix.", {A, UPPER},
     false},
    {"cholesky", impl_cholesky,
     "Compute the Cholesky decomposition of a real symmetric positive semi-definite matrix.",
     {A, UPPER}, false},
    {"cholesky_inv", impl_cholesky_inv,
     "Compute the inverse of a real symmetric positive semi-definite matrix using its Cholesky "
     "decomposition.",
     {A, UPPER}, false},
    {"pinv", impl_pinv, "Compute the (Moore-Penrose) pseudo-inverse of a matrix.", {A}, false},
    {"eigvals", impl_eigvals, "Compute the eigenvalues of a square matrix.", {A}, false},
    {"eig", impl_eig, "Compute the eigenvalues and eigenvectors of a square matrix.", {A}, false},
    {"eigvalsh", impl_eigvalsh,
     "Compute the eigenvalues of a complex Hermitian or real symmetric matrix.", {A, UPLO},
     false},
    {"eigh", impl_eigh,
     "Compute the eigenvalues and eigenvectors of a complex Hermitian or real symmetric matrix.",
     {A, UPLO}, false},
    {"lu", impl_lu, "Compute the LU factorization of the given matrix ``A``.", {A}, false},
    {"lu_factor", impl_lu_factor, "Computes a compact representation of the LU factorization.",
     {A}, false},
    {"solve", impl_solve, "Compute the solution to a system of linear equations ``AX = B``.",
     {A, B}, false},
    {"solve_triangular", impl_solve_triangular,
     "Computes the solution of a triangular system of linear equations ``AX = B``.",
     {A, B, {"upper", MXPY_BOOL, MXPY_OPT | MXPY_KWONLY, "False", {.b = false}}}, false},
    {"det", impl_det, "Compute the determinant of a square matrix.", {A}, false},
    {"slogdet", impl_slogdet,
     "Compute the sign and natural log of the absolute value of the determinant of a square "
     "matrix.",
     {A}, false},
    END,
};

int mxpy_linalg_init(PyObject* module) {
  PyObject* m = mxpy_submodule(module, "linalg");
  if (!m) return -1;
  return mxpy_add_functions(m, linalg_fns) < 0 ? -1 : 0;
}
