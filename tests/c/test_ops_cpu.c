/* Foundation ops on the CPU backend: every op, every dtype it accepts,
 * broadcast / transposed / sliced / empty / 0-d operands, and error cases.
 *
 * Expected values come from double-precision loops in this file (with the
 * wrapping or rounding of the target dtype applied by the test itself), or,
 * where the behaviour is MLX-specific (arange accumulation, out-of-range
 * conversions, floor division), from real MLX 0.32.4 output recorded in the
 * comments next to the check. */
#include <complex.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/backend/cpu/threadpool.h"
#include "harness.h"
#include "ops/ops.h"

static mx_stream S;

static const mx_dtype ALL[MX_DTYPE_COUNT] = {
    MX_BOOL,  MX_UINT8,   MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,     MX_INT16,
    MX_INT32, MX_INT64,   MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64};

/* --- helpers --------------------------------------------------------------- */

static uint64_t rng_state = 88172645463325252ull;
static double urand(void) { /* uniform in [0, 1) */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Stores double `v` (and imaginary part `im` for complex) as one element. */
static void put(void* p, mx_dtype dt, double v, double im) {
  switch (dt) {
    case MX_BOOL: *(bool*)p = v != 0; break;
    case MX_UINT8: *(uint8_t*)p = (uint8_t)(int64_t)v; break;
    case MX_UINT16: *(uint16_t*)p = (uint16_t)(int64_t)v; break;
    case MX_UINT32: *(uint32_t*)p = (uint32_t)(int64_t)v; break;
    case MX_UINT64: *(uint64_t*)p = (uint64_t)v; break;
    case MX_INT8: *(int8_t*)p = (int8_t)(int64_t)v; break;
    case MX_INT16: *(int16_t*)p = (int16_t)(int64_t)v; break;
    case MX_INT32: *(int32_t*)p = (int32_t)(int64_t)v; break;
    case MX_INT64: *(int64_t*)p = (int64_t)v; break;
    case MX_FLOAT16: *(uint16_t*)p = mx_f32_to_f16((float)v); break;
    case MX_FLOAT32: *(float*)p = (float)v; break;
    case MX_FLOAT64: *(double*)p = v; break;
    case MX_BFLOAT16: *(uint16_t*)p = mx_f32_to_bf16((float)v); break;
    case MX_COMPLEX64: ((float*)p)[0] = (float)v; ((float*)p)[1] = (float)im; break;
    default: break;
  }
}


/* A leaf array of `dt` holding vals (and ims for complex; may be NULL). */
static mx_array* arr_c(mx_dtype dt, int nd, const int* shape, const double* vals,
                       const double* ims) {
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  size_t isz = mx_dtype_size(dt);
  char* buf = calloc((size_t)(n > 0 ? n : 1), isz);
  for (int64_t i = 0; i < n; i++) put(buf + i * isz, dt, vals[i], ims ? ims[i] : 0);
  mx_array* a = mx_array_from_data(buf, dt, nd, shape);
  free(buf);
  return a;
}
static mx_array* arr(mx_dtype dt, int nd, const int* shape, const double* vals) {
  return arr_c(dt, nd, shape, vals, NULL);
}

/* Logical element i (row-major over the shape) of an evaluated array,
 * honouring its strides and offset. */
static double at_c(mx_array* a, int64_t i, double* im) {
  const char* p = mx_array_host_data(a);
  if (!p) return NAN;
  int64_t off = 0;
  for (int d = a->ndim - 1; d >= 0; d--) {
    off += (i % a->shape[d]) * a->strides[d];
    i /= a->shape[d];
  }
  return test_read_element(p + off * (int64_t)mx_array_itemsize(a), a->dtype, im);
}
static double at(mx_array* a, int64_t i) { return at_c(a, i, NULL); }

static int evaluate(mx_array* a) { return a ? mx_array_eval(a) : -1; }

/* The value a dtype stores for exact integer `v` (wrapping as C does). */
static double wrap(double v, mx_dtype dt) {
  unsigned char tmp[16];
  int64_t i = (int64_t)v;
  switch (dt) {
    case MX_UINT8: *(uint8_t*)tmp = (uint8_t)i; break;
    case MX_UINT16: *(uint16_t*)tmp = (uint16_t)i; break;
    case MX_UINT32: *(uint32_t*)tmp = (uint32_t)i; break;
    case MX_UINT64: *(uint64_t*)tmp = (uint64_t)i; break;
    case MX_INT8: *(int8_t*)tmp = (int8_t)i; break;
    case MX_INT16: *(int16_t*)tmp = (int16_t)i; break;
    case MX_INT32: *(int32_t*)tmp = (int32_t)i; break;
    case MX_INT64: *(int64_t*)tmp = i; break;
    default: put(tmp, dt, v, 0);
  }
  return test_read_element(tmp, dt, NULL);
}

/* Relative tolerance of a dtype's rounding. */
static double tol_of(mx_dtype dt) {
  switch (dt) {
    case MX_FLOAT16: return 2e-3;
    case MX_BFLOAT16: return 1.6e-2;
    case MX_FLOAT32:
    case MX_COMPLEX64: return 2e-6;
    case MX_FLOAT64: return 1e-13;
    default: return 0;
  }
}
static bool close_to(double got, double want, mx_dtype dt) {
  if (isnan(want)) return isnan(got);
  if (isinf(want)) return got == want;
  return fabs(got - want) <= tol_of(dt) * fabs(want) + (mx_dtype_is_inexact(dt) ? 1e-30 : 0);
}

/* Checks every element of `a` against want[i]; returns mismatches. */
static int check_values(mx_array* a, const double* want, int64_t n) {
  if (evaluate(a) != 0 || a->size != n) {
    CHECK(!"array failed to evaluate or has the wrong size");
    return 1;
  }
  int bad = 0;
  for (int64_t i = 0; i < n; i++) {
    double got = at(a, i);
    if (!close_to(got, want[i], a->dtype)) {
      if (bad < 3)
        fprintf(stderr, "  %s[%lld]: got %.17g want %.17g\n", mx_dtype_name(a->dtype),
                (long long)i, got, want[i]);
      bad++;
    }
  }
  CHECK(bad == 0);
  return bad;
}

static void expect_error(mx_array* r, mx_error_kind kind) {
  CHECK(r == NULL);
  CHECK(mx_error_last_kind() == kind);
  CHECK(mx_error_message()[0] != '\0');
  if (r) mx_array_release(r);
  mx_error_clear();
}

/* --- thread pool ------------------------------------------------------------- */

typedef struct {
  _Atomic int* hits;
} pf_ctx;
static void mark_range(int64_t b, int64_t e, void* ctx) {
  pf_ctx* c = ctx;
  for (int64_t i = b; i < e; i++) atomic_fetch_add(&c->hits[i], 1);
}
/* Nested use runs inline on the worker and must not deadlock. */
static void nested(int64_t b, int64_t e, void* ctx) {
  mx_parallel_for(e - b, 1, mark_range, ctx); /* marks [0, e-b) */
}

static void test_threadpool(void) {
  CHECK(mx_cpu_num_threads() >= 1);
  enum { N = 100003 };
  _Atomic int* hits = calloc(N, sizeof *hits);
  pf_ctx c = {hits};
  mx_parallel_for(N, 1000, mark_range, &c);
  int bad = 0;
  for (int i = 0; i < N; i++) bad += hits[i] != 1;
  CHECK(bad == 0);
  memset((void*)hits, 0, N * sizeof *hits);
  mx_parallel_for(4, 1, nested, &c);
  CHECK(hits[0] >= 1);
  mx_parallel_for(0, 10, mark_range, &c); /* empty range: no call */
  free((void*)hits);
}

/* --- shape helpers ------------------------------------------------------------ */

static void test_shape_helpers(void) {
  int a[3] = {2, 1, 4}, b[2] = {3, 1}, out[3], nd = 0;
  CHECK(mx_broadcast_shapes(3, a, 2, b, &nd, out) == 0);
  CHECK(nd == 3 && out[0] == 2 && out[1] == 3 && out[2] == 4);
  int c[2] = {2, 3}, d[1] = {4};
  CHECK(mx_broadcast_shapes(2, c, 1, d, &nd, out) == -1);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(strstr(mx_error_message(), "[broadcast_shapes] Shapes (2,3) and (4) cannot be broadcast") !=
        NULL);
  mx_error_clear();
  int e[1] = {0}, f[2] = {1, 1};
  CHECK(mx_broadcast_shapes(1, e, 2, f, &nd, out) == 0 && nd == 2 && out[0] == 1 && out[1] == 0);
  int ax = 0;
  CHECK(mx_normalize_axis(-1, 3, "sum", &ax) == 0 && ax == 2);
  CHECK(mx_normalize_axis(3, 3, "sum", &ax) == -1 && mx_error_last_kind() == MX_ERR_INDEX);
  mx_error_clear();
}

/* --- binary arithmetic -------------------------------------------------------- */

/* Reference for one element: a op b in double, then the dtype's storage. */
static double ref_binary(int op, double x, double y, mx_dtype dt) {
  if (dt == MX_BOOL) {
    bool p = x != 0, q = y != 0;
    return op == 0 ? (p || q) : op == 1 ? (p != q) : (p && q);
  }
  double r = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
  if (mx_dtype_is_integer(dt)) {
    if (op == 3) return wrap(y == 0 ? 0 : floor(x / y), dt);
    /* Exact in double for the magnitudes used here; wrap into the type. */
    return wrap(r, dt);
  }
  return wrap(r, dt); /* rounds to the float type */
}

typedef mx_array* (*binop)(mx_array*, mx_array*, mx_stream);
static const binop BINOPS[4] = {mx_add, mx_subtract, mx_multiply, mx_divide};

static void test_binary_all_dtypes(void) {
  /* Values chosen to exercise wrapping: 8-bit products overflow. */
  enum { N = 37 };
  int shape[1] = {N};
  for (int t = 0; t < MX_DTYPE_COUNT; t++) {
    mx_dtype dt = ALL[t];
    double xa[N], xb[N];
    for (int i = 0; i < N; i++) {
      if (dt == MX_BOOL) {
        xa[i] = i % 2;
        xb[i] = (i / 2) % 2;
      } else if (mx_dtype_kind_of(dt) == MX_KIND_UINT) {
        xa[i] = (i * 37) % 250;
        xb[i] = 1 + (i * 11) % 120;
      } else if (mx_dtype_is_integer(dt)) {
        xa[i] = (i * 37) % 250 - 125;
        xb[i] = (i % 7) - 3; /* includes zero: floor division by zero gives 0 */
      } else {
        xa[i] = (double)i * 0.75 - 10;
        xb[i] = 1.5 + (i % 5) * 0.25;
      }
      xa[i] = wrap(xa[i], dt);
      xb[i] = wrap(xb[i], dt);
    }
    mx_array* a = arr(dt, 1, shape, xa);
    mx_array* b = arr(dt, 1, shape, xb);
    for (int op = 0; op < 4; op++) {
      mx_array* r = BINOPS[op](a, b, S);
      CHECK(r != NULL);
      if (!r) continue;
      double want[N];
      if (op == 3) {
        /* True division: integers and bool give float32. */
        mx_dtype rt = mx_dtype_is_inexact(dt) ? dt : MX_FLOAT32;
        CHECK(r->dtype == rt);
        for (int i = 0; i < N; i++) want[i] = wrap(xa[i] / xb[i], rt);
      } else {
        CHECK(r->dtype == dt);
        for (int i = 0; i < N; i++) want[i] = ref_binary(op, xa[i], xb[i], dt);
      }
      if (check_values(r, want, N)) fprintf(stderr, "  (op %d, %s)\n", op, mx_dtype_name(dt));
      mx_array_release(r);
    }
    /* Integer DIVIDE nodes (what floor_divide builds) use floor division. */
    if (mx_dtype_is_integer(dt)) {
      mx_array* in[2] = {a, b};
      mx_array* r = mx_array_make(MX_PRIM_DIVIDE, NULL, 0, S, 2, in, dt, 1, shape);
      double want[N];
      for (int i = 0; i < N; i++) want[i] = ref_binary(3, xa[i], xb[i], dt);
      check_values(r, want, N);
      mx_array_release(r);
    }
    mx_array_release(a);
    mx_array_release(b);
  }
}

static void test_binary_mlx_cases(void) {
  int one[1] = {1}, three[1] = {3}, five[1] = {5};
  /* Wrapping, as MLX: int8 127+1 = -128, uint8 200*2 = 144, uint8 0-1 = 255. */
  double v127[1] = {127}, v1[1] = {1}, v200[1] = {200}, v2[1] = {2}, v0[1] = {0};
  mx_array* a = arr(MX_INT8, 1, one, v127);
  mx_array* b = arr(MX_INT8, 1, one, v1);
  mx_array* r = mx_add(a, b, S);
  double w1[1] = {-128};
  check_values(r, w1, 1);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);
  a = arr(MX_UINT8, 1, one, v200);
  b = arr(MX_UINT8, 1, one, v2);
  r = mx_multiply(a, b, S);
  double w2[1] = {144};
  check_values(r, w2, 1);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);
  a = arr(MX_UINT8, 1, one, v0);
  b = arr(MX_UINT8, 1, one, v1);
  r = mx_subtract(a, b, S);
  double w3[1] = {255};
  check_values(r, w3, 1);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);

  /* Bool: MLX gives [T,F,T] for add, [F,F,T] for subtract, [T,F,F] for
   * multiply and [1, nan, inf] (float32) for divide of [1,0,1] and [1,0,0]. */
  double ba[3] = {1, 0, 1}, bb[3] = {1, 0, 0};
  a = arr(MX_BOOL, 1, three, ba);
  b = arr(MX_BOOL, 1, three, bb);
  double wadd[3] = {1, 0, 1}, wsub[3] = {0, 0, 1}, wmul[3] = {1, 0, 0}, wdiv[3] = {1, NAN, INFINITY};
  r = mx_add(a, b, S);
  check_values(r, wadd, 3);
  mx_array_release(r);
  r = mx_subtract(a, b, S);
  check_values(r, wsub, 3);
  mx_array_release(r);
  r = mx_multiply(a, b, S);
  check_values(r, wmul, 3);
  mx_array_release(r);
  r = mx_divide(a, b, S);
  CHECK(r && r->dtype == MX_FLOAT32);
  check_values(r, wdiv, 3);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);

  /* Float division by zero: inf, -inf, nan. */
  double fa[3] = {1, -1, 0}, fz[3] = {0, 0, 0};
  a = arr(MX_FLOAT32, 1, three, fa);
  b = arr(MX_FLOAT32, 1, three, fz);
  r = mx_divide(a, b, S);
  double wf[3] = {INFINITY, -INFINITY, NAN};
  check_values(r, wf, 3);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);

  /* Complex, checked against MLX: (1+2j)/(0.5-1j) = -1.2+1.6j,
   * (3-1j)/2 = 1.5-0.5j, (1+2j)*(0.5-1j) = 2.5, (1+2j)/0 = inf+infj. */
  double cre[3] = {1, 3, 1}, cim[3] = {2, -1, 2}, dre[3] = {0.5, 2, 0}, dim[3] = {-1, 0, 0};
  a = arr_c(MX_COMPLEX64, 1, three, cre, cim);
  b = arr_c(MX_COMPLEX64, 1, three, dre, dim);
  r = mx_divide(a, b, S);
  CHECK(evaluate(r) == 0);
  double im;
  CHECK_NEAR(at_c(r, 0, &im), -1.2, 1e-6);
  CHECK_NEAR(im, 1.6, 1e-6);
  CHECK_NEAR(at_c(r, 1, &im), 1.5, 1e-6);
  CHECK_NEAR(im, -0.5, 1e-6);
  CHECK(isinf(at_c(r, 2, &im)) && isinf(im));
  mx_array_release(r);
  r = mx_multiply(a, b, S);
  CHECK(evaluate(r) == 0);
  CHECK_NEAR(at_c(r, 0, &im), 2.5, 1e-6);
  CHECK_NEAR(im, 0, 1e-6);
  CHECK_NEAR(at_c(r, 1, &im), 6, 1e-6);
  CHECK_NEAR(im, -2, 1e-6);
  mx_array_release(r);
  r = mx_subtract(a, b, S);
  CHECK(evaluate(r) == 0);
  CHECK_NEAR(at_c(r, 0, &im), 0.5, 1e-6);
  CHECK_NEAR(im, 3, 1e-6);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);

  /* Floor division as MLX's floor_divide: [-7,7,-7,0,5] // [2,-2,-2,3,0]
   * = [-4,-4,3,0,0]; INT32_MIN // -1 wraps instead of trapping. */
  double fx[5] = {-7, 7, -7, 0, 5}, fy[5] = {2, -2, -2, 3, 0};
  a = arr(MX_INT32, 1, five, fx);
  b = arr(MX_INT32, 1, five, fy);
  mx_array* in[2] = {a, b};
  r = mx_array_make(MX_PRIM_DIVIDE, NULL, 0, S, 2, in, MX_INT32, 1, five);
  double wfd[5] = {-4, -4, 3, 0, 0};
  check_values(r, wfd, 5);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);
  double mn[1] = {-2147483648.0}, m1[1] = {-1};
  a = arr(MX_INT32, 1, one, mn);
  b = arr(MX_INT32, 1, one, m1);
  mx_array* in2[2] = {a, b};
  r = mx_array_make(MX_PRIM_DIVIDE, NULL, 0, S, 2, in2, MX_INT32, 1, one);
  check_values(r, mn, 1);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);
}

static void test_binary_promotion_and_broadcast(void) {
  /* (3,1,4) int8 + (2,4) float16 -> (3,2,4) float16. */
  int sa[3] = {3, 1, 4}, sb[2] = {2, 4};
  double va[12], vb[8];
  for (int i = 0; i < 12; i++) va[i] = i - 5;
  for (int i = 0; i < 8; i++) vb[i] = 0.5 * i;
  mx_array* a = arr(MX_INT8, 3, sa, va);
  mx_array* b = arr(MX_FLOAT16, 2, sb, vb);
  mx_array* r = mx_add(a, b, S);
  CHECK(r && r->dtype == MX_FLOAT16 && r->ndim == 3 && r->shape[0] == 3 && r->shape[1] == 2 &&
        r->shape[2] == 4);
  double want[24];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++)
      for (int k = 0; k < 4; k++) want[(i * 2 + j) * 4 + k] = va[i * 4 + k] + vb[j * 4 + k];
  check_values(r, want, 24);
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);

  /* Divide of mixed integers is float32 (MLX: uint64 / int8 -> float32). */
  int one[1] = {1};
  double v7[1] = {7}, v2[1] = {2};
  mx_array* u = arr(MX_UINT64, 1, one, v7);
  mx_array* i8 = arr(MX_INT8, 1, one, v2);
  r = mx_divide(u, i8, S);
  CHECK(r && r->dtype == MX_FLOAT32);
  double w35[1] = {3.5};
  check_values(r, w35, 1);
  mx_array_release(r);
  mx_array_release(u);
  mx_array_release(i8);

  /* Scalar (0-d) with a vector, both orders; 0-d with 0-d. */
  mx_array* s = mx_array_scalar_f64(2.0, MX_FLOAT32);
  int s5[1] = {5};
  double v5[5] = {1, 2, 3, 4, 5};
  mx_array* v = arr(MX_FLOAT32, 1, s5, v5);
  double w_sv[5], w_vs[5];
  for (int i = 0; i < 5; i++) {
    w_sv[i] = 2.0 - v5[i];
    w_vs[i] = v5[i] - 2.0;
  }
  r = mx_subtract(s, v, S);
  check_values(r, w_sv, 5);
  mx_array_release(r);
  r = mx_subtract(v, s, S);
  check_values(r, w_vs, 5);
  mx_array_release(r);
  r = mx_multiply(s, s, S);
  CHECK(r && r->ndim == 0);
  double w4[1] = {4};
  check_values(r, w4, 1);
  mx_array_release(r);
  mx_array_release(s);
  mx_array_release(v);

  /* Transposed operands (same non-row layout on both sides), and a
   * transposed with a row-major operand (general strided path). */
  int s23[2] = {2, 3}, s32[2] = {3, 2};
  double x6[6] = {1, 2, 3, 4, 5, 6}, y6[6] = {10, 20, 30, 40, 50, 60};
  mx_array* x = arr(MX_FLOAT64, 2, s23, x6);
  mx_array* y = arr(MX_FLOAT64, 2, s23, y6);
  mx_array* xt = mx_transpose(x, 0, NULL, S);
  mx_array* yt = mx_transpose(y, 0, NULL, S);
  mx_array* z = arr(MX_FLOAT64, 2, s32, y6);
  r = mx_add(xt, yt, S);
  double wt[6], wz[6];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++) {
      wt[i * 2 + j] = x6[j * 3 + i] + y6[j * 3 + i];
      wz[i * 2 + j] = x6[j * 3 + i] * y6[i * 2 + j];
    }
  check_values(r, wt, 6);
  mx_array_release(r);
  r = mx_multiply(xt, z, S);
  check_values(r, wz, 6);
  mx_array_release(r);
  mx_array_release(xt);
  mx_array_release(yt);
  mx_array_release(z);

  /* A sliced view: every other column of a (2,6) buffer, offset 1. */
  int s26[2] = {2, 6};
  double big[12];
  for (int i = 0; i < 12; i++) big[i] = i * i;
  mx_array* base = arr(MX_FLOAT64, 2, s26, big);
  CHECK(evaluate(base) == 0);
  int64_t st[2] = {6, 2};
  mx_array* sl = mx_array_from_buffer(base->buffer, MX_FLOAT64, 2, s23, st, 1);
  r = mx_add(sl, x, S);
  double ws[6];
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) ws[i * 3 + j] = big[1 + i * 6 + 2 * j] + x6[i * 3 + j];
  check_values(r, ws, 6);
  mx_array_release(r);
  mx_array_release(sl);
  mx_array_release(base);
  mx_array_release(x);
  mx_array_release(y);

  /* Empty shapes: (0,3) + (1,3) -> (0,3); (0,3) + (2,3) fails. */
  int s03[2] = {0, 3}, s13[2] = {1, 3};
  double none[1] = {0}, ones3[3] = {1, 1, 1};
  mx_array* e = arr(MX_FLOAT32, 2, s03, none);
  mx_array* o = arr(MX_FLOAT32, 2, s13, ones3);
  r = mx_add(e, o, S);
  CHECK(r && r->shape[0] == 0 && r->shape[1] == 3 && evaluate(r) == 0 && r->size == 0);
  mx_array_release(r);
  mx_array* t = arr(MX_FLOAT32, 2, s23, x6);
  expect_error(mx_add(e, t, S), MX_ERR_VALUE);
  mx_array_release(e);
  mx_array_release(o);
  mx_array_release(t);

  /* Large arrays take the threaded flat path and the broadcast path. */
  int sbig[2] = {512, 700};
  mx_array* ones = mx_ones(2, sbig, MX_FLOAT32, S);
  mx_array* col = mx_arange(0, 700, 1, MX_FLOAT32, S);
  r = mx_add(ones, col, S);
  CHECK(evaluate(r) == 0);
  int bad = 0;
  for (int64_t i = 0; i < 512 * 700; i += 997) bad += at(r, i) != 1.0 + (double)(i % 700);
  CHECK(bad == 0);
  mx_array* r2 = mx_multiply(r, r, S);
  CHECK(evaluate(r2) == 0);
  bad = 0;
  for (int64_t i = 0; i < 512 * 700; i += 991) {
    double q = 1.0 + (double)(i % 700);
    bad += at(r2, i) != q * q;
  }
  CHECK(bad == 0);
  mx_array_release(r2);
  mx_array_release(r);
  mx_array_release(ones);
  mx_array_release(col);
}

/* An intermediate whose only reference is the consuming node donates its
 * buffer: the chain below needs one buffer per live array, not per op. */
static void test_donation(void) {
  int sh[1] = {1 << 20};
  mx_memory_clear_cache();
  mx_array* x = mx_full_f64(1, sh, 1.0, MX_FLOAT32, S);
  CHECK(evaluate(x) == 0);
  size_t before = mx_memory_active();
  mx_array* one = mx_array_scalar_f64(1, MX_FLOAT32);
  mx_array* y = mx_add(x, one, S);
  for (int i = 0; i < 8; i++) {
    mx_array* z = mx_add(y, one, S);
    mx_array_release(y);
    y = z;
  }
  mx_memory_reset_peak();
  CHECK(evaluate(y) == 0);
  CHECK(at(y, 12345) == 10.0);
  /* x stays alive, so the first add allocates; later adds reuse it. */
  CHECK(mx_memory_peak() <= before + 2 * (size_t)sh[0] * 4 + 4096);
  mx_array_release(y);
  mx_array_release(x);
  mx_array_release(one);
}

/* --- reductions ----------------------------------------------------------------- */

static mx_dtype sum_dtype_ref(mx_dtype t) {
  /* Read off MLX 0.32: mx.sum of bool/int8/int16 -> int32, uint8/uint16 ->
   * uint32, others unchanged. */
  switch (t) {
    case MX_BOOL:
    case MX_INT8:
    case MX_INT16: return MX_INT32;
    case MX_UINT8:
    case MX_UINT16: return MX_UINT32;
    default: return t;
  }
}

static void test_sum_dtypes_and_axes(void) {
  int sh[3] = {3, 4, 5};
  double v[60];
  for (int t = 0; t < MX_DTYPE_COUNT; t++) {
    mx_dtype dt = ALL[t];
    for (int i = 0; i < 60; i++)
      v[i] = dt == MX_BOOL ? (i % 3 == 0) : wrap(mx_dtype_is_inexact(dt) ? (i % 11) * 0.5 - 2 : (i % 11), dt);
    mx_array* a = arr(dt, 3, sh, v);
    mx_dtype rt = sum_dtype_ref(dt);
    /* All axes. */
    mx_array* r = mx_sum(a, 0, NULL, false, S);
    CHECK(r && r->dtype == rt && r->ndim == 0);
    double tot = 0;
    for (int i = 0; i < 60; i++) tot += v[i];
    check_values(r, &tot, 1);
    mx_array_release(r);
    /* Each single axis and a pair, with and without keepdims. */
    int axes_list[4][2] = {{0, 0}, {1, 0}, {-1, 0}, {0, 2}};
    int nax[4] = {1, 1, 1, 2};
    for (int c = 0; c < 4; c++) {
      for (int kd = 0; kd < 2; kd++) {
        r = mx_sum(a, nax[c], axes_list[c], kd, S);
        CHECK(r != NULL && r->dtype == rt);
        if (!r) continue;
        bool red[3] = {false, false, false};
        for (int k = 0; k < nax[c]; k++) red[(axes_list[c][k] + 3) % 3] = true;
        CHECK(r->ndim == (kd ? 3 : 3 - nax[c]));
        double want[60];
        int osh[3];
        for (int d = 0; d < 3; d++) osh[d] = red[d] ? 1 : sh[d];
        int64_t on = osh[0] * osh[1] * osh[2];
        for (int64_t o = 0; o < on; o++) want[o] = 0;
        for (int i = 0; i < 3; i++)
          for (int j = 0; j < 4; j++)
            for (int k = 0; k < 5; k++) {
              int oi = red[0] ? 0 : i, oj = red[1] ? 0 : j, ok = red[2] ? 0 : k;
              want[(oi * osh[1] + oj) * osh[2] + ok] += v[(i * 4 + j) * 5 + k];
            }
        if (check_values(r, want, on)) fprintf(stderr, "  (sum %s case %d)\n", mx_dtype_name(dt), c);
        mx_array_release(r);
      }
    }
    mx_array_release(a);
  }
}

static void test_sum_layouts_and_accuracy(void) {
  /* A million float32 values: the sum must match the double sum about as
   * well as NumPy's pairwise sum (relative error well under 1e-6). */
  enum { N = 1000003 };
  double* v = malloc(N * sizeof *v);
  double ref = 0;
  int sh[1] = {N};
  float* fv = malloc(N * sizeof *fv);
  for (int i = 0; i < N; i++) {
    fv[i] = (float)(urand() * 2.0 + 0.1);
    v[i] = fv[i];
    ref += v[i];
  }
  mx_array* a = mx_array_from_data(fv, MX_FLOAT32, 1, sh);
  mx_array* r = mx_sum(a, 0, NULL, false, S);
  CHECK(evaluate(r) == 0);
  CHECK(fabs(at(r, 0) - ref) / ref < 1e-6);
  mx_array_release(r);
  mx_array_release(a);

  /* (1000, 300): first-axis (column) and last-axis (row) reductions, on the
   * array and on its transpose. */
  int s2[2] = {1000, 300};
  a = mx_array_from_data(fv, MX_FLOAT32, 2, s2);
  int ax0[1] = {0}, ax1[1] = {1};
  mx_array* r0 = mx_sum(a, 1, ax0, false, S);
  mx_array* r1 = mx_sum(a, 1, ax1, false, S);
  mx_array* at_ = mx_transpose(a, 0, NULL, S);
  mx_array* r0t = mx_sum(at_, 1, ax1, false, S); /* = r0 */
  mx_array* r1t = mx_sum(at_, 1, ax0, true, S);  /* = r1 as (1,1000) */
  double* w0 = calloc(300, sizeof *w0);
  double* w1 = calloc(1000, sizeof *w1);
  for (int i = 0; i < 1000; i++)
    for (int j = 0; j < 300; j++) {
      w0[j] += v[i * 300 + j];
      w1[i] += v[i * 300 + j];
    }
  check_values(r0, w0, 300);
  check_values(r1, w1, 1000);
  check_values(r0t, w0, 300);
  check_values(r1t, w1, 1000);
  CHECK(r1t->ndim == 2 && r1t->shape[0] == 1 && r1t->shape[1] == 1000);
  mx_array_release(r0);
  mx_array_release(r1);
  mx_array_release(r0t);
  mx_array_release(r1t);
  mx_array_release(at_);
  mx_array_release(a);

  /* Middle axis of a (10, 1000, 30) float64 (strided lines). */
  int s3[3] = {10, 1000, 30};
  double* d = malloc(300000 * sizeof *d);
  for (int i = 0; i < 300000; i++) d[i] = v[i];
  a = mx_array_from_data(d, MX_FLOAT64, 3, s3);
  r = mx_sum(a, 1, ax1, false, S);
  double* wm = calloc(300, sizeof *wm);
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 1000; j++)
      for (int k = 0; k < 30; k++) wm[i * 30 + k] += d[(i * 1000 + j) * 30 + k];
  check_values(r, wm, 300);
  mx_array_release(r);
  mx_array_release(a);

  /* Broadcast input: sum of a (4,) broadcast to (1000, 4) over axis 0. */
  int s4[1] = {4}, sb[2] = {1000, 4};
  double v4[4] = {1, 2, 3, 4};
  mx_array* small = arr(MX_INT32, 1, s4, v4);
  mx_array* bc = mx_broadcast_to(small, 2, sb, S);
  r = mx_sum(bc, 1, ax0, false, S);
  double wb[4] = {1000, 2000, 3000, 4000};
  check_values(r, wb, 4);
  mx_array_release(r);
  mx_array_release(bc);
  mx_array_release(small);

  /* Empty: (0,3) over axis 0 gives zeros of shape (3,); over axis 1 gives
   * an empty (0,). */
  int s03[2] = {0, 3};
  mx_array* e = mx_zeros(2, s03, MX_FLOAT32, S);
  r = mx_sum(e, 1, ax0, false, S);
  double z3[3] = {0, 0, 0};
  check_values(r, z3, 3);
  mx_array_release(r);
  r = mx_sum(e, 1, ax1, false, S);
  CHECK(r && r->ndim == 1 && r->shape[0] == 0 && evaluate(r) == 0);
  mx_array_release(r);
  mx_array_release(e);

  /* Overflow wraps in the output type (MLX: int32 sum of two INT32_MAX is
   * -2; int8 sum of ten 100s is 1000 in int32). */
  int s2b[1] = {2}, s10[1] = {10};
  double mx2[2] = {2147483647.0, 2147483647.0}, h[10];
  for (int i = 0; i < 10; i++) h[i] = 100;
  a = arr(MX_INT32, 1, s2b, mx2);
  r = mx_sum(a, 0, NULL, false, S);
  double wm2[1] = {-2};
  check_values(r, wm2, 1);
  mx_array_release(r);
  mx_array_release(a);
  a = arr(MX_INT8, 1, s10, h);
  r = mx_sum(a, 0, NULL, false, S);
  double w1000[1] = {1000};
  CHECK(r && r->dtype == MX_INT32);
  check_values(r, w1000, 1);
  mx_array_release(r);
  mx_array_release(a);

  /* 0-d input and axis=() return the input unchanged (dtype included). */
  mx_array* s = mx_array_scalar_f64(3, MX_INT8);
  r = mx_sum(s, 0, NULL, false, S);
  CHECK(r && r->dtype == MX_INT8 && r->ndim == 0);
  mx_array_release(r);
  mx_array_release(s);
  free(v);
  free(fv);
  free(d);
  free(w0);
  free(w1);
  free(wm);
}

/* The REDUCE kernel's other ops, through directly built nodes. */
static mx_array* reduce_node(mx_array* a, mx_reduce_op op, int naxes, const int* axes,
                             mx_dtype out_dtype) {
  size_t sz = sizeof(mx_reduce_params) + (size_t)naxes * sizeof(int);
  mx_reduce_params* p = calloc(1, sz);
  p->op = op;
  p->naxes = naxes;
  int osh[8], ond = 0, k = 0;
  for (int i = 0; i < a->ndim; i++) {
    if (k < naxes && axes[k] == i) {
      p->axes[k++] = i;
    } else {
      osh[ond++] = a->shape[i];
    }
  }
  mx_array* r = mx_array_make(MX_PRIM_REDUCE, p, sz, S, 1, &a, out_dtype, ond, osh);
  free(p);
  return r;
}

static void test_reduce_ops(void) {
  int sh[2] = {4, 6};
  double v[24];
  for (int i = 0; i < 24; i++) v[i] = ((i * 7) % 13) - 6;
  int ax0[1] = {0}, ax1[1] = {1}, both[2] = {0, 1};
  for (int t = 0; t < MX_DTYPE_COUNT; t++) {
    mx_dtype dt = ALL[t];
    if (dt == MX_COMPLEX64 || dt == MX_BOOL) continue;
    double w[24];
    for (int i = 0; i < 24; i++) w[i] = wrap(mx_dtype_kind_of(dt) == MX_KIND_UINT ? fabs(v[i]) : v[i], dt);
    mx_array* a = arr(dt, 2, sh, w);
    double wmax[6], wmin[4], wprod[6], wany[4];
    for (int j = 0; j < 6; j++) {
      wmax[j] = -INFINITY;
      wprod[j] = 1;
      for (int i = 0; i < 4; i++) {
        wmax[j] = fmax(wmax[j], w[i * 6 + j]);
        wprod[j] *= w[i * 6 + j];
      }
      wprod[j] = wrap(wprod[j], dt);
    }
    for (int i = 0; i < 4; i++) {
      wmin[i] = INFINITY;
      wany[i] = 0;
      for (int j = 0; j < 6; j++) {
        wmin[i] = fmin(wmin[i], w[i * 6 + j]);
        wany[i] = wany[i] || w[i * 6 + j] != 0;
      }
    }
    mx_array* r = reduce_node(a, MX_REDUCE_MAX, 1, ax0, dt);
    check_values(r, wmax, 6);
    mx_array_release(r);
    r = reduce_node(a, MX_REDUCE_MIN, 1, ax1, dt);
    check_values(r, wmin, 4);
    mx_array_release(r);
    r = reduce_node(a, MX_REDUCE_PROD, 1, ax0, mx_dtype_is_integer(dt) ? sum_dtype_ref(dt) : dt);
    for (int j = 0; j < 6; j++) wprod[j] = wrap(wprod[j], r->dtype);
    check_values(r, wprod, 6);
    mx_array_release(r);
    r = reduce_node(a, MX_REDUCE_OR, 1, ax1, MX_BOOL);
    check_values(r, wany, 4);
    mx_array_release(r);
    double wall = 1;
    for (int i = 0; i < 24; i++) wall = wall && w[i] != 0;
    r = reduce_node(a, MX_REDUCE_AND, 2, both, MX_BOOL);
    check_values(r, &wall, 1);
    mx_array_release(r);
    mx_array_release(a);
  }
  /* NaN propagates through max and min (MLX: max([1, nan, 3]) is nan). */
  int s3[1] = {3};
  double nv[3] = {1, NAN, 3};
  mx_array* a = arr(MX_FLOAT32, 1, s3, nv);
  mx_array* r = reduce_node(a, MX_REDUCE_MAX, 1, ax0, MX_FLOAT32);
  CHECK(evaluate(r) == 0 && isnan(at(r, 0)));
  mx_array_release(r);
  r = reduce_node(a, MX_REDUCE_MIN, 1, ax0, MX_FLOAT32);
  CHECK(evaluate(r) == 0 && isnan(at(r, 0)));
  mx_array_release(r);
  /* Long contiguous float rows take the vector path: NaN in the middle and
   * in the tail, and plain max/min against a reference. */
  {
    int sl[1] = {1003};
    double lv[1003];
    for (int i = 0; i < 1003; i++) lv[i] = sin(i * 0.37) * 100;
    double lmax = -INFINITY, lmin = INFINITY;
    for (int i = 0; i < 1003; i++) {
      lmax = fmax(lmax, lv[i]);
      lmin = fmin(lmin, lv[i]);
    }
    mx_dtype fts[2] = {MX_FLOAT32, MX_FLOAT64};
    for (int t = 0; t < 2; t++) {
      mx_array* l = arr(fts[t], 1, sl, lv);
      mx_array* q = mx_max(l, 0, NULL, false, S);
      double wq = wrap(lmax, fts[t]);
      check_values(q, &wq, 1);
      mx_array_release(q);
      q = mx_min(l, 0, NULL, false, S);
      wq = wrap(lmin, fts[t]);
      check_values(q, &wq, 1);
      mx_array_release(q);
      mx_array_release(l);
      for (int pos = 0; pos < 2; pos++) {
        double keep = lv[pos ? 1001 : 500];
        lv[pos ? 1001 : 500] = NAN;
        l = arr(fts[t], 1, sl, lv);
        q = mx_max(l, 0, NULL, false, S);
        CHECK(evaluate(q) == 0 && isnan(at(q, 0)));
        mx_array_release(q);
        q = mx_min(l, 0, NULL, false, S);
        CHECK(evaluate(q) == 0 && isnan(at(q, 0)));
        mx_array_release(q);
        mx_array_release(l);
        lv[pos ? 1001 : 500] = keep;
      }
    }
  }
  /* any([0, nan]) is true: NaN is nonzero. */
  double zn[3] = {0, NAN, 0};
  mx_array* b = arr(MX_FLOAT32, 1, s3, zn);
  r = reduce_node(b, MX_REDUCE_OR, 1, ax0, MX_BOOL);
  double t1 = 1;
  check_values(r, &t1, 1);
  mx_array_release(r);
  mx_array_release(b);
  mx_array_release(a);
  /* Complex max is lexicographic (MLX: max([1+2j, 3, 1+5j]) = 3); sum adds. */
  double cre[3] = {1, 3, 1}, cim[3] = {2, 0, 5};
  a = arr_c(MX_COMPLEX64, 1, s3, cre, cim);
  r = reduce_node(a, MX_REDUCE_MAX, 1, ax0, MX_COMPLEX64);
  double im;
  CHECK(evaluate(r) == 0 && at_c(r, 0, &im) == 3 && im == 0);
  mx_array_release(r);
  r = mx_sum(a, 0, NULL, false, S);
  CHECK(evaluate(r) == 0 && at_c(r, 0, &im) == 5 && im == 7);
  mx_array_release(r);
  mx_array_release(a);
  /* prod over an empty axis is 1; all over one is true. */
  int s03[2] = {0, 3};
  mx_array* e = mx_zeros(2, s03, MX_FLOAT32, S);
  r = reduce_node(e, MX_REDUCE_PROD, 1, ax0, MX_FLOAT32);
  double ones[3] = {1, 1, 1};
  check_values(r, ones, 3);
  mx_array_release(r);
  r = reduce_node(e, MX_REDUCE_AND, 1, ax0, MX_BOOL);
  check_values(r, ones, 3);
  mx_array_release(r);
  mx_array_release(e);
  /* A large max all-reduce (threaded partials) over int64 and float16. */
  int sn[1] = {300000};
  mx_array* ar = mx_arange(0, 300000, 1, MX_INT64, S);
  r = reduce_node(ar, MX_REDUCE_MAX, 1, ax0, MX_INT64);
  double w299[1] = {299999};
  check_values(r, w299, 1);
  mx_array_release(r);
  mx_array* h = mx_astype(ar, MX_FLOAT16, S);
  r = reduce_node(h, MX_REDUCE_MIN, 1, ax0, MX_FLOAT16);
  double w0[1] = {0};
  check_values(r, w0, 1);
  mx_array_release(r);
  mx_array_release(h);
  mx_array_release(ar);
  (void)sn;
}

/* The prod/max/min/all/any constructors: dtypes and values (MLX: prod of
 * bool is int32, all of int8 is bool, max of an empty reduced axis is a
 * ValueError). */
static void test_reduce_constructors(void) {
  int sh[2] = {3, 4};
  double v[12];
  for (int i = 0; i < 12; i++) v[i] = (i % 5) - 1;
  mx_array* a = arr(MX_INT8, 2, sh, v);
  int ax1[1] = {1}, ax0[1] = {0};
  mx_array* r = mx_prod(a, 1, ax1, false, S);
  CHECK(r && r->dtype == MX_INT32);
  double wp[3], wmax[4], wmin[4], wall[3], wany[3];
  for (int i = 0; i < 3; i++) {
    wp[i] = 1;
    wall[i] = 1;
    wany[i] = 0;
    for (int j = 0; j < 4; j++) {
      wp[i] *= v[i * 4 + j];
      wall[i] = wall[i] && v[i * 4 + j] != 0;
      wany[i] = wany[i] || v[i * 4 + j] != 0;
    }
  }
  for (int j = 0; j < 4; j++) {
    wmax[j] = -1e9;
    wmin[j] = 1e9;
    for (int i = 0; i < 3; i++) {
      wmax[j] = fmax(wmax[j], v[i * 4 + j]);
      wmin[j] = fmin(wmin[j], v[i * 4 + j]);
    }
  }
  check_values(r, wp, 3);
  mx_array_release(r);
  r = mx_max(a, 1, ax0, false, S);
  CHECK(r && r->dtype == MX_INT8);
  check_values(r, wmax, 4);
  mx_array_release(r);
  r = mx_min(a, 1, ax0, true, S);
  CHECK(r && r->ndim == 2 && r->shape[0] == 1);
  check_values(r, wmin, 4);
  mx_array_release(r);
  r = mx_all(a, 1, ax1, false, S);
  CHECK(r && r->dtype == MX_BOOL);
  check_values(r, wall, 3);
  mx_array_release(r);
  r = mx_any(a, 1, ax1, false, S);
  check_values(r, wany, 3);
  mx_array_release(r);
  /* all over no axes is the input as bool. */
  int none[1] = {0};
  r = mx_all(a, 0, none, false, S);
  CHECK(r && r->dtype == MX_BOOL && r->ndim == 2);
  mx_array_release(r);
  mx_array* b = mx_ones(1, (int[]){2}, MX_BOOL, S);
  r = mx_prod(b, 0, NULL, false, S);
  double w1[1] = {1};
  CHECK(r && r->dtype == MX_INT32);
  check_values(r, w1, 1);
  mx_array_release(r);
  mx_array_release(b);
  mx_array_release(a);
  int s20[2] = {2, 0};
  mx_array* e = mx_zeros(2, s20, MX_FLOAT32, S);
  expect_error(mx_max(e, 1, ax1, false, S), MX_ERR_VALUE);
  expect_error(mx_min(e, 0, NULL, false, S), MX_ERR_VALUE);
  r = mx_max(e, 1, ax0, false, S);
  CHECK(r && r->size == 0 && evaluate(r) == 0);
  mx_array_release(r);
  int bad[1] = {5};
  expect_error(mx_max(e, 1, bad, false, S), MX_ERR_INDEX);
  mx_array_release(e);
}

static void test_sum_errors(void) {
  int sh[2] = {2, 3};
  mx_array* a = mx_zeros(2, sh, MX_FLOAT32, S);
  int bad[1] = {2}, neg[1] = {-3}, dup[2] = {0, -2};
  expect_error(mx_sum(a, 1, bad, false, S), MX_ERR_INDEX);
  expect_error(mx_sum(a, 1, neg, false, S), MX_ERR_INDEX);
  expect_error(mx_sum(a, 2, dup, false, S), MX_ERR_VALUE);
  mx_array* s = mx_array_scalar_f64(1, MX_FLOAT32);
  int z[1] = {0};
  expect_error(mx_sum(s, 1, z, false, S), MX_ERR_INDEX);
  mx_array_release(s);
  mx_array_release(a);
}

/* --- shape ops --------------------------------------------------------------------- */

static void test_reshape(void) {
  int s23[2] = {2, 3};
  double v[6] = {0, 1, 2, 3, 4, 5};
  mx_array* a = arr(MX_FLOAT32, 2, s23, v);
  int t1[2] = {3, -1};
  mx_array* r = mx_reshape(a, 2, t1, S);
  CHECK(r && r->shape[0] == 3 && r->shape[1] == 2);
  check_values(r, v, 6);
  CHECK(r->buffer == a->buffer); /* a view of a row-contiguous input */
  mx_array_release(r);
  int t2[3] = {2, -1, 3};
  r = mx_reshape(a, 3, t2, S);
  CHECK(r && r->shape[1] == 1);
  mx_array_release(r);
  /* Same shape returns the input itself. */
  r = mx_reshape(a, 2, s23, S);
  CHECK(r == a);
  mx_array_release(r);

  /* Flattening a transpose needs a copy; the values follow the transposed
   * order. */
  mx_array* at_ = mx_transpose(a, 0, NULL, S);
  int f[1] = {6};
  r = mx_reshape(at_, 1, f, S);
  double wt[6] = {0, 3, 1, 4, 2, 5};
  check_values(r, wt, 6);
  CHECK(r->buffer != a->buffer);
  mx_array_release(r);
  /* Splitting a dim of a transposed view is expressible with strides: no
   * copy.  (2,3)^T is (3,2); reshape to (3,2,1) and (3,1,2). */
  int t3[3] = {3, 1, 2};
  r = mx_reshape(at_, 3, t3, S);
  check_values(r, wt, 6);
  CHECK(r->buffer == a->buffer);
  mx_array_release(r);
  /* A (4,6) transposed to (6,4), reshaped to (3,2,4): splits the first dim. */
  int s46[2] = {4, 6};
  double v24[24];
  for (int i = 0; i < 24; i++) v24[i] = i;
  mx_array* b = arr(MX_INT32, 2, s46, v24);
  mx_array* bt = mx_transpose(b, 0, NULL, S);
  int t4[3] = {3, 2, 4};
  r = mx_reshape(bt, 3, t4, S);
  double w24[24];
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 4; j++) w24[i * 4 + j] = v24[j * 6 + i];
  check_values(r, w24, 24);
  CHECK(r->buffer == b->buffer);
  mx_array_release(r);
  int t5[2] = {4, 6}; /* (6,4)^T data as (4,6): must copy */
  r = mx_reshape(bt, 2, t5, S);
  check_values(r, w24, 24);
  mx_array_release(r);
  mx_array_release(bt);
  mx_array_release(b);
  mx_array_release(at_);

  /* 0-d <-> 1-element. */
  mx_array* s = mx_array_scalar_f64(7, MX_FLOAT32);
  int m1[1] = {-1};
  r = mx_reshape(s, 1, m1, S);
  double w7[1] = {7};
  CHECK(r && r->ndim == 1 && r->shape[0] == 1);
  check_values(r, w7, 1);
  mx_array* back = mx_reshape(r, 0, NULL, S);
  CHECK(back && back->ndim == 0);
  check_values(back, w7, 1);
  mx_array_release(back);
  mx_array_release(r);
  mx_array_release(s);

  /* Errors, as MLX words them (ValueError). */
  int e1[2] = {4, 2}, e2[2] = {-1, 4}, e3[2] = {-1, -1}, e4[2] = {-2, 3};
  expect_error(mx_reshape(a, 2, e1, S), MX_ERR_VALUE);
  mx_reshape(a, 2, e2, S);
  CHECK(strstr(mx_error_message(), "Cannot reshape array of size 6 into shape (1,4)") != NULL);
  mx_error_clear();
  expect_error(mx_reshape(a, 2, e3, S), MX_ERR_VALUE);
  expect_error(mx_reshape(a, 2, e4, S), MX_ERR_VALUE);
  expect_error(mx_reshape(a, 0, NULL, S), MX_ERR_VALUE);
  int s03[2] = {0, 3}, e5[2] = {-1, 0}, ok[2] = {-1, 3};
  mx_array* e = mx_zeros(2, s03, MX_FLOAT32, S);
  expect_error(mx_reshape(e, 2, e5, S), MX_ERR_VALUE);
  r = mx_reshape(e, 2, ok, S);
  CHECK(r && r->shape[0] == 0 && evaluate(r) == 0);
  mx_array_release(r);
  mx_array_release(e);
  mx_array_release(a);
}

static void test_transpose_broadcast(void) {
  int s234[3] = {2, 3, 4};
  double v[24];
  for (int i = 0; i < 24; i++) v[i] = i;
  mx_array* a = arr(MX_INT16, 3, s234, v);
  int perm[3] = {2, 0, -2};
  mx_array* r = mx_transpose(a, 3, perm, S);
  CHECK(r && r->shape[0] == 4 && r->shape[1] == 2 && r->shape[2] == 3);
  double w[24];
  for (int k = 0; k < 4; k++)
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 3; j++) w[(k * 2 + i) * 3 + j] = v[(i * 3 + j) * 4 + k];
  check_values(r, w, 24);
  CHECK(r->buffer == a->buffer);
  /* A copy of the transpose is row-contiguous with the same values. */
  mx_array* c = mx_copy(r, S);
  check_values(c, w, 24);
  CHECK(c->flags & MX_FLAG_ROW_CONTIGUOUS);
  mx_array_release(c);
  mx_array_release(r);
  /* copy of a row-contiguous array. */
  c = mx_copy(a, S);
  check_values(c, v, 24);
  mx_array_release(c);

  /* Larger transposes take the tiled path: a (3, 70, 45) int64 with its
   * last two axes swapped, copied and added to a row-major operand. */
  {
    int s3[3] = {3, 70, 45}, sp[3] = {3, 45, 70}, pm[3] = {0, 2, 1};
    double* big = malloc(3 * 70 * 45 * sizeof *big);
    double* wt = malloc(3 * 70 * 45 * sizeof *wt);
    double* wsum = malloc(3 * 70 * 45 * sizeof *wsum);
    for (int i = 0; i < 3 * 70 * 45; i++) big[i] = (i * 7919) % 10007;
    for (int p = 0; p < 3; p++)
      for (int i = 0; i < 45; i++)
        for (int j = 0; j < 70; j++) {
          wt[(p * 45 + i) * 70 + j] = big[(p * 70 + j) * 45 + i];
          wsum[(p * 45 + i) * 70 + j] = wt[(p * 45 + i) * 70 + j] + big[(p * 45 + i) * 70 + j];
        }
    mx_array* g = arr(MX_INT64, 3, s3, big);
    mx_array* gt = mx_transpose(g, 3, pm, S);
    mx_array* gc = mx_copy(gt, S);
    check_values(gc, wt, 3 * 70 * 45);
    mx_array* h = arr(MX_INT64, 3, sp, big);
    mx_array* gs = mx_add(gt, h, S);
    check_values(gs, wsum, 3 * 70 * 45);
    mx_array* gf = mx_astype(gt, MX_FLOAT32, S);
    check_values(gf, wt, 3 * 70 * 45);
    mx_array_release(gf);
    mx_array_release(gs);
    mx_array_release(h);
    mx_array_release(gc);
    mx_array_release(gt);
    mx_array_release(g);
    free(big);
    free(wt);
    free(wsum);
  }

  int p2[2] = {0, 1}, p3[3] = {0, 0, 1}, p4[3] = {0, 3, 1}, p5[3] = {-4, 0, 1};
  expect_error(mx_transpose(a, 2, p2, S), MX_ERR_VALUE);
  expect_error(mx_transpose(a, 3, p3, S), MX_ERR_VALUE);
  expect_error(mx_transpose(a, 3, p4, S), MX_ERR_INDEX);
  expect_error(mx_transpose(a, 3, p5, S), MX_ERR_INDEX);
  mx_array* s = mx_array_scalar_f64(1, MX_FLOAT32);
  r = mx_transpose(s, 0, NULL, S);
  CHECK(r && r->ndim == 0 && evaluate(r) == 0);
  mx_array_release(r);

  /* broadcast_to: (3,1) -> (2,3,4), a view with zero strides. */
  int s31[2] = {3, 1}, tgt[3] = {2, 3, 4};
  double v3[3] = {5, 6, 7};
  mx_array* b = arr(MX_UINT8, 2, s31, v3);
  r = mx_broadcast_to(b, 3, tgt, S);
  for (int i = 0; i < 24; i++) w[i] = v3[(i / 4) % 3];
  check_values(r, w, 24);
  CHECK(r->buffer == b->buffer && r->strides[0] == 0 && r->strides[2] == 0);
  mx_array_release(r);
  /* A scalar to an empty shape. */
  int s0[2] = {0, 4};
  r = mx_broadcast_to(s, 2, s0, S);
  CHECK(r && r->size == 0 && evaluate(r) == 0);
  mx_array_release(r);
  int bad1[1] = {3}, bad2[2] = {1, 1}, bad3[2] = {-1, 1}, bad4[3] = {2, 4, 1};
  expect_error(mx_broadcast_to(b, 1, bad1, S), MX_ERR_VALUE);
  expect_error(mx_broadcast_to(b, 2, bad2, S), MX_ERR_VALUE);
  expect_error(mx_broadcast_to(b, 2, bad3, S), MX_ERR_VALUE);
  expect_error(mx_broadcast_to(b, 3, bad4, S), MX_ERR_VALUE);
  mx_array_release(b);
  mx_array_release(s);
  mx_array_release(a);
}

/* --- conversions ------------------------------------------------------------------- */

static void test_astype_matrix(void) {
  /* Values every dtype holds exactly: the 14x14 conversions must round
   * trip them (bool keeps only zero/nonzero). */
  enum { N = 6 };
  int sh[1] = {N};
  double vals[N] = {0, 1, 2, 3, 100, 7};
  for (int s = 0; s < MX_DTYPE_COUNT; s++) {
    mx_array* a = arr(ALL[s], 1, sh, vals);
    double src[N];
    for (int i = 0; i < N; i++) src[i] = ALL[s] == MX_BOOL ? (vals[i] != 0) : vals[i];
    for (int d = 0; d < MX_DTYPE_COUNT; d++) {
      mx_array* r = mx_astype(a, ALL[d], S);
      CHECK(r && r->dtype == ALL[d]);
      double want[N];
      for (int i = 0; i < N; i++) want[i] = ALL[d] == MX_BOOL ? (src[i] != 0) : src[i];
      if (check_values(r, want, N))
        fprintf(stderr, "  (%s -> %s)\n", mx_dtype_name(ALL[s]), mx_dtype_name(ALL[d]));
      mx_array_release(r);
    }
    /* Through a transposed/broadcast view as well. */
    int tgt[2] = {3, N};
    mx_array* bc = mx_broadcast_to(a, 2, tgt, S);
    mx_array* r = mx_astype(bc, MX_FLOAT64, S);
    double want[3 * N];
    for (int i = 0; i < 3 * N; i++) want[i] = src[i % N];
    check_values(r, want, 3 * N);
    mx_array_release(r);
    mx_array_release(bc);
    mx_array_release(a);
  }
}

static void test_astype_semantics(void) {
  int s9[1] = {9};
  /* float32 -> integer truncates toward zero; MLX (x86) results for the
   * out-of-range cases: 300.7 -> uint8 44, -300.7 -> uint8 212, int8 -44,
   * 65535.9 -> int8 -1; nan -> int32 INT32_MIN, inf -> int64 INT64_MIN,
   * nan -> uint64 2^63 but inf -> uint64 0. */
  double f[9] = {2.5, -2.5, 300.7, -300.7, 65535.9, NAN, INFINITY, -0.5, 1e10};
  mx_array* a = arr(MX_FLOAT32, 1, s9, f);
  struct {
    mx_dtype dt;
    double want[9];
  } cases[] = {
      {MX_UINT8, {2, 254, 44, 212, 255, 0, 0, 0, 0}},
      {MX_INT8, {2, -2, 44, -44, -1, 0, 0, 0, 0}},
      {MX_INT16, {2, -2, 300, -300, -1, 0, 0, 0, 0}},
      {MX_UINT16, {2, 65534, 300, 65236, 65535, 0, 0, 0, 0}},
      {MX_INT32, {2, -2, 300, -300, 65535, -2147483648.0, -2147483648.0, 0, -2147483648.0}},
      {MX_INT64, {2, -2, 300, -300, 65535, -9223372036854775808.0, -9223372036854775808.0, 0, 1e10}},
      {MX_UINT64, {2, 18446744073709551614.0, 300, 18446744073709551316.0, 65535,
                   9223372036854775808.0, 0, 0, 1e10}},
      {MX_BOOL, {1, 1, 1, 1, 1, 1, 1, 1, 1}},
      {MX_FLOAT16, {2.5, -2.5, 300.75, -300.75, INFINITY, NAN, INFINITY, -0.5, INFINITY}},
      {MX_BFLOAT16, {2.5, -2.5, 300, -300, 65536, NAN, INFINITY, -0.5, 9999220736.0}},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    mx_array* r = mx_astype(a, cases[c].dt, S);
    if (check_values(r, cases[c].want, 9)) fprintf(stderr, "  (-> %s)\n", mx_dtype_name(cases[c].dt));
    mx_array_release(r);
  }
  mx_array_release(a);

  /* Integer narrowing wraps (MLX: [-1, 300, 70000, -70000] -> uint8
   * [255, 44, 112, 144], int16 [-1, 300, 4464, -4464]); int32 max ->
   * float16 is inf. */
  int s4[1] = {4};
  double iv[4] = {-1, 300, 70000, -70000};
  a = arr(MX_INT32, 1, s4, iv);
  double wu8[4] = {255, 44, 112, 144}, wi16[4] = {-1, 300, 4464, -4464};
  mx_array* r = mx_astype(a, MX_UINT8, S);
  check_values(r, wu8, 4);
  mx_array_release(r);
  r = mx_astype(a, MX_INT16, S);
  check_values(r, wi16, 4);
  mx_array_release(r);
  mx_array_release(a);

  /* Complex -> real keeps the real part; -> bool tests both parts. */
  double cre[4] = {1, -3.5, 0, 0}, cim[4] = {2, -1, 0, 1};
  a = arr_c(MX_COMPLEX64, 1, s4, cre, cim);
  double wf[4] = {1, -3.5, 0, 0}, wi[4] = {1, -3, 0, 0}, wb[4] = {1, 1, 0, 1};
  r = mx_astype(a, MX_FLOAT32, S);
  check_values(r, wf, 4);
  mx_array_release(r);
  r = mx_astype(a, MX_INT32, S);
  check_values(r, wi, 4);
  mx_array_release(r);
  r = mx_astype(a, MX_BOOL, S);
  check_values(r, wb, 4);
  mx_array_release(r);
  mx_array_release(a);

  /* Same dtype: the input itself. */
  mx_array* s = mx_array_scalar_f64(1, MX_FLOAT32);
  r = mx_astype(s, MX_FLOAT32, S);
  CHECK(r == s);
  mx_array_release(r);
  expect_error(mx_astype(s, (mx_dtype)99, S), MX_ERR_VALUE);
  mx_array_release(s);
}

/* --- creation ------------------------------------------------------------------------ */

static void test_full(void) {
  int sh[2] = {3, 5};
  for (int t = 0; t < MX_DTYPE_COUNT; t++) {
    mx_dtype dt = ALL[t];
    mx_array* z = mx_zeros(2, sh, dt, S);
    mx_array* o = mx_ones(2, sh, dt, S);
    mx_array* f = mx_full_f64(2, sh, 3.0, dt, S);
    CHECK(z && o && f && z->dtype == dt);
    double wz[15], wo[15], wf[15];
    for (int i = 0; i < 15; i++) {
      wz[i] = 0;
      wo[i] = 1;
      wf[i] = dt == MX_BOOL ? 1 : 3;
    }
    check_values(z, wz, 15);
    check_values(o, wo, 15);
    check_values(f, wf, 15);
    mx_array* zl = mx_zeros_like(f, S);
    mx_array* ol = mx_ones_like(z, S);
    CHECK(zl && zl->dtype == dt && ol && ol->dtype == dt);
    check_values(zl, wz, 15);
    check_values(ol, wo, 15);
    mx_array_release(zl);
    mx_array_release(ol);
    mx_array_release(z);
    mx_array_release(o);
    mx_array_release(f);
  }
  /* An array value broadcast into the shape with conversion. */
  int s5[1] = {5};
  double row[5] = {1.5, -2.5, 3.25, 0, 9};
  mx_array* v = arr(MX_FLOAT64, 1, s5, row);
  mx_array* r = mx_full(2, sh, v, MX_INT32, S);
  double w[15];
  for (int i = 0; i < 15; i++) w[i] = trunc(row[i % 5]);
  check_values(r, w, 15);
  mx_array_release(r);
  /* 0-d and empty outputs. */
  r = mx_full_f64(0, NULL, 2.0, MX_FLOAT32, S);
  double w2[1] = {2};
  CHECK(r && r->ndim == 0);
  check_values(r, w2, 1);
  mx_array_release(r);
  int s0[2] = {0, 5};
  r = mx_full(2, s0, v, MX_FLOAT32, S);
  CHECK(r && evaluate(r) == 0 && r->size == 0);
  mx_array_release(r);
  /* Errors: negative dims, shape mismatch, value of higher rank. */
  int neg[2] = {2, -1}, bad[2] = {2, 3}, lower[1] = {3}, one3[2] = {1, 5};
  expect_error(mx_full(2, neg, v, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_zeros(2, neg, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_full(2, bad, v, MX_FLOAT32, S), MX_ERR_VALUE);
  int s25[2] = {2, 5};
  mx_array* m = mx_zeros(2, s25, MX_FLOAT32, S);
  expect_error(mx_full(1, lower, m, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_full(2, one3, m, MX_FLOAT32, S), MX_ERR_VALUE);
  mx_array_release(m);
  mx_array_release(v);
}

static void test_arange(void) {
  /* float32 accumulates in float32 (MLX: 0.1, 0.2, 0.30000001, ...,
   * 0.80000007, 0.90000010). */
  mx_array* r = mx_arange(0.0, 1.0, 0.1, MX_FLOAT32, S);
  double wf[10];
  float acc = 0;
  for (int i = 0; i < 10; i++, acc += 0.1f) wf[i] = acc;
  CHECK(r && r->shape[0] == 10);
  check_values(r, wf, 10);
  CHECK(at(r, 9) == (double)0.9000000953674316f);
  mx_array_release(r);
  /* float16 rounds after every step (MLX values). */
  r = mx_arange(0.0, 3.0, 0.3, MX_FLOAT16, S);
  double wh[10] = {0.0, 0.300048828125, 0.60009765625, 0.900390625, 1.2001953125,
                   1.5, 1.7998046875, 2.099609375, 2.400390625, 2.701171875};
  check_values(r, wh, 10);
  for (int i = 0; i < 10; i++) CHECK(at(r, i) == wh[i]);
  mx_array_release(r);
  r = mx_arange(0.0, 3.0, 0.3, MX_BFLOAT16, S);
  double wbf[10] = {0.0, 0.30078125, 0.6015625, 0.90234375, 1.203125,
                    1.5, 1.796875, 2.09375, 2.390625, 2.6875};
  for (int i = 0; i < 10; i++) CHECK(evaluate(r) == 0 && at(r, i) == wbf[i]);
  mx_array_release(r);
  /* float64 accumulates in double: MLX's last value is 0.8999999999999999. */
  r = mx_arange(0.0, 1.0, 0.1, MX_FLOAT64, S);
  CHECK(evaluate(r) == 0 && at(r, 9) == 0.8999999999999999 && at(r, 3) == 0.30000000000000004);
  mx_array_release(r);
  /* Integers: MLX gives ten zeros for int32 arange(0, 5, 0.5), [0,1,2,3]
   * for (-0.5, 5, 1.5), [253,254,255,0,1,2] for uint8 (-3, 3), and wraps
   * int8 (0, 300, 50) to [0,50,100,-106,-56,-6]. */
  r = mx_arange(0, 5, 0.5, MX_INT32, S);
  double z10[10] = {0};
  check_values(r, z10, 10);
  mx_array_release(r);
  r = mx_arange(-0.5, 5, 1.5, MX_INT32, S);
  double w4[4] = {0, 1, 2, 3};
  check_values(r, w4, 4);
  mx_array_release(r);
  r = mx_arange(-3, 3, 1, MX_UINT8, S);
  double wu[6] = {253, 254, 255, 0, 1, 2};
  check_values(r, wu, 6);
  mx_array_release(r);
  r = mx_arange(0, 300, 50, MX_INT8, S);
  double wi8[6] = {0, 50, 100, -106, -56, -6};
  check_values(r, wi8, 6);
  mx_array_release(r);
  r = mx_arange(10, 0, -3, MX_INT64, S);
  double wd[4] = {10, 7, 4, 1};
  check_values(r, wd, 4);
  mx_array_release(r);
  r = mx_arange(0, 5, 1, MX_COMPLEX64, S);
  double wc[5] = {0, 1, 2, 3, 4};
  check_values(r, wc, 5);
  mx_array_release(r);
  /* Empty and infinite-step ranges (MLX: size 0, and [0] for step inf). */
  r = mx_arange(5, 0, 1, MX_INT32, S);
  CHECK(r && r->shape[0] == 0 && evaluate(r) == 0);
  mx_array_release(r);
  r = mx_arange(0, 5, INFINITY, MX_FLOAT32, S);
  double w0[1] = {0};
  CHECK(r && r->shape[0] == 1);
  check_values(r, w0, 1);
  mx_array_release(r);
  r = mx_arange(0, 5, -INFINITY, MX_FLOAT32, S);
  CHECK(r && r->shape[0] == 0);
  mx_array_release(r);
  /* Errors (ValueError in MLX). */
  expect_error(mx_arange(0, 10, 0, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_arange(0, 1e12, 1, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_arange(0, 10, 1, MX_BOOL, S), MX_ERR_VALUE);
  expect_error(mx_arange(0, INFINITY, 1, MX_FLOAT32, S), MX_ERR_VALUE);
  expect_error(mx_arange(0, NAN, 1, MX_FLOAT32, S), MX_ERR_VALUE);
}

/* --- matmul ---------------------------------------------------------------------------- */

/* Reference batched matmul over logical (row-major) element values. */
static void ref_matmul(const double* A, const double* B, double* C, int64_t batch_a,
                       int64_t batch_b, int64_t batch, int M, int K, int N) {
  for (int64_t bi = 0; bi < batch; bi++) {
    const double* a = A + (batch_a == 1 ? 0 : bi) * M * K;
    const double* b = B + (batch_b == 1 ? 0 : bi) * K * N;
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
        C[(bi * M + i) * N + j] = s;
      }
  }
}

static void values_of(mx_array* a, double* out) {
  evaluate(a);
  for (int64_t i = 0; i < a->size; i++) out[i] = at(a, i);
}

static void check_matmul_case(mx_array* a, mx_array* b, double tol_rel) {
  mx_array* r = mx_matmul(a, b, S);
  CHECK(r != NULL);
  if (!r) return;
  int M = a->ndim == 1 ? 1 : a->shape[a->ndim - 2];
  int K = a->shape[a->ndim - 1];
  int N = b->ndim == 1 ? 1 : b->shape[b->ndim - 1];
  int64_t ba = a->size / ((int64_t)M * K), bb = b->size / ((int64_t)K * N);
  int64_t batch = ba > bb ? ba : bb;
  double* A = malloc((size_t)(a->size + 1) * sizeof *A);
  double* B = malloc((size_t)(b->size + 1) * sizeof *B);
  double* C = malloc((size_t)(batch * M * N + 1) * sizeof *C);
  values_of(a, A);
  values_of(b, B);
  ref_matmul(A, B, C, ba, bb, batch, M, K, N);
  CHECK(evaluate(r) == 0 && r->size == batch * M * N);
  double scale = 0;
  for (int64_t i = 0; i < batch * M * N; i++) scale = fmax(scale, fabs(C[i]));
  int bad = 0;
  for (int64_t i = 0; i < r->size && i < batch * M * N; i++)
    if (fabs(at(r, i) - C[i]) > tol_rel * (scale + 1)) bad++;
  CHECK(bad == 0);
  if (bad) fprintf(stderr, "  matmul %s: %d mismatches\n", mx_dtype_name(r->dtype), bad);
  mx_array_release(r);
  free(A);
  free(B);
  free(C);
}

static mx_array* rand_arr(mx_dtype dt, int nd, const int* shape) {
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  double* v = malloc((size_t)(n + 1) * sizeof *v);
  double* im = malloc((size_t)(n + 1) * sizeof *im);
  for (int64_t i = 0; i < n; i++) {
    v[i] = urand() * 2 - 1;
    im[i] = urand() * 2 - 1;
  }
  mx_array* a = arr_c(dt, nd, shape, v, im);
  free(v);
  free(im);
  return a;
}

static void test_matmul(void) {
  mx_dtype types[4] = {MX_FLOAT32, MX_FLOAT64, MX_FLOAT16, MX_BFLOAT16};
  double tols[4] = {1e-5, 1e-12, 4e-3, 3e-2};
  for (int t = 0; t < 4; t++) {
    mx_dtype dt = types[t];
    int s1[2] = {7, 5}, s2[2] = {5, 9};
    mx_array* a = rand_arr(dt, 2, s1);
    mx_array* b = rand_arr(dt, 2, s2);
    check_matmul_case(a, b, tols[t]);
    /* Transposed views go to BLAS without copies. */
    mx_array* at_ = mx_transpose(a, 0, NULL, S);
    mx_array* bt = mx_transpose(b, 0, NULL, S);
    check_matmul_case(bt, at_, tols[t]);
    mx_array_release(at_);
    mx_array_release(bt);
    /* Batch broadcasting: (2,1,3,4) x (3,4,5) -> (2,3,3,5). */
    int s3[4] = {2, 1, 3, 4}, s4[3] = {3, 4, 5};
    mx_array* c = rand_arr(dt, 4, s3);
    mx_array* d = rand_arr(dt, 3, s4);
    mx_array* r = mx_matmul(c, d, S);
    CHECK(r && r->ndim == 4 && r->shape[0] == 2 && r->shape[1] == 3 && r->shape[2] == 3 &&
          r->shape[3] == 5);
    mx_array_release(r);
    /* Check values through an explicit broadcast of both operands. */
    int t4[4] = {2, 3, 3, 4}, t5[4] = {2, 3, 4, 5};
    mx_array* cb = mx_broadcast_to(c, 4, t4, S);
    mx_array* db = mx_broadcast_to(d, 4, t5, S);
    mx_array* cbc = mx_copy(cb, S);
    mx_array* dbc = mx_copy(db, S);
    check_matmul_case(cbc, dbc, tols[t]);
    mx_array* r1 = mx_matmul(c, d, S);
    mx_array* r2 = mx_matmul(cbc, dbc, S);
    CHECK(evaluate(r1) == 0 && evaluate(r2) == 0);
    int bad = 0;
    for (int64_t i = 0; i < r1->size; i++) bad += fabs(at(r1, i) - at(r2, i)) > tols[t] * 4;
    CHECK(bad == 0);
    mx_array_release(r1);
    mx_array_release(r2);
    mx_array_release(cb);
    mx_array_release(db);
    mx_array_release(cbc);
    mx_array_release(dbc);
    mx_array_release(c);
    mx_array_release(d);
    /* 1-D operands: vector-matrix, matrix-vector, dot. */
    int v5[1] = {5}, v7[1] = {7};
    mx_array* x = rand_arr(dt, 1, v5);
    mx_array* y = rand_arr(dt, 1, v7);
    r = mx_matmul(a, x, S);
    CHECK(r && r->ndim == 1 && r->shape[0] == 7);
    mx_array_release(r);
    check_matmul_case(a, x, tols[t]);
    check_matmul_case(y, a, tols[t]);
    r = mx_matmul(x, x, S);
    CHECK(r && r->ndim == 0);
    mx_array_release(r);
    check_matmul_case(x, x, tols[t]);
    mx_array_release(x);
    mx_array_release(y);
    mx_array_release(a);
    mx_array_release(b);
  }
  /* A layout BLAS cannot take: rows broadcast from one row (stride 0). */
  int s15[2] = {1, 5}, s45[2] = {4, 5}, s53[2] = {5, 3};
  mx_array* row = rand_arr(MX_FLOAT32, 2, s15);
  mx_array* rb = mx_broadcast_to(row, 2, s45, S);
  mx_array* m = rand_arr(MX_FLOAT32, 2, s53);
  check_matmul_case(rb, m, 1e-5);
  mx_array_release(rb);
  mx_array_release(row);
  /* A sliced view (every other column) as the left operand. */
  int s4x10[2] = {4, 10};
  mx_array* wide = rand_arr(MX_FLOAT32, 2, s4x10);
  CHECK(evaluate(wide) == 0);
  int64_t st[2] = {10, 2};
  mx_array* sl = mx_array_from_buffer(wide->buffer, MX_FLOAT32, 2, s45, st, 1);
  check_matmul_case(sl, m, 1e-5);
  mx_array_release(sl);
  mx_array_release(wide);
  mx_array_release(m);
  /* A bigger float32 product against the double reference. */
  int sA[2] = {130, 257}, sB[2] = {257, 70};
  mx_array* A = rand_arr(MX_FLOAT32, 2, sA);
  mx_array* B = rand_arr(MX_FLOAT32, 2, sB);
  check_matmul_case(A, B, 1e-5);
  mx_array_release(A);
  mx_array_release(B);

  /* complex64 (cgemm): check one entry by hand. */
  int s22[2] = {2, 2};
  double are[4] = {1, 2, 3, 4}, aim[4] = {1, 0, -1, 2}, bre[4] = {0, 1, 1, 0}, bim[4] = {1, 0, 0, -1};
  mx_array* ca = arr_c(MX_COMPLEX64, 2, s22, are, aim);
  mx_array* cb = arr_c(MX_COMPLEX64, 2, s22, bre, bim);
  mx_array* cr = mx_matmul(ca, cb, S);
  CHECK(cr && cr->dtype == MX_COMPLEX64 && evaluate(cr) == 0);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) {
      double complex s = 0;
      for (int k = 0; k < 2; k++)
        s += (are[i * 2 + k] + I * aim[i * 2 + k]) * (bre[k * 2 + j] + I * bim[k * 2 + j]);
      double im;
      double re = at_c(cr, i * 2 + j, &im);
      CHECK_NEAR(re, creal(s), 1e-5);
      CHECK_NEAR(im, cimag(s), 1e-5);
    }
  mx_array_release(cr);

  /* Promotion: int32 x float32 -> float32; bfloat16 x float16 -> float32. */
  int s23[2] = {2, 3}, s32[2] = {3, 2};
  mx_array* i32 = mx_ones(2, s23, MX_INT32, S);
  mx_array* f32 = mx_ones(2, s32, MX_FLOAT32, S);
  mx_array* r = mx_matmul(i32, f32, S);
  double w3[4] = {3, 3, 3, 3};
  CHECK(r && r->dtype == MX_FLOAT32);
  check_values(r, w3, 4);
  mx_array_release(r);
  mx_array* bf = mx_ones(2, s23, MX_BFLOAT16, S);
  mx_array* hf = mx_ones(2, s32, MX_FLOAT16, S);
  r = mx_matmul(bf, hf, S);
  CHECK(r && r->dtype == MX_FLOAT32);
  mx_array_release(r);
  /* K = 0 gives zeros; M = 0 an empty result. */
  int s20[2] = {2, 0}, s03[2] = {0, 3};
  mx_array* e1 = mx_zeros(2, s20, MX_FLOAT32, S);
  mx_array* e2 = mx_zeros(2, s03, MX_FLOAT32, S);
  r = mx_matmul(e1, e2, S);
  double z6[6] = {0};
  CHECK(r && r->shape[0] == 2 && r->shape[1] == 3);
  check_values(r, z6, 6);
  mx_array_release(r);
  mx_array* e3 = mx_zeros(2, s03, MX_FLOAT32, S);
  mx_array* f33 = mx_ones(2, (int[]){3, 3}, MX_FLOAT32, S);
  r = mx_matmul(e3, f33, S);
  CHECK(r && r->shape[0] == 0 && evaluate(r) == 0);
  mx_array_release(r);

  /* Errors (ValueError in MLX): integer operands, 0-d, K mismatch, batch
   * mismatch. */
  mx_array* i32b = mx_ones(2, s32, MX_INT32, S);
  expect_error(mx_matmul(i32, i32b, S), MX_ERR_VALUE);
  mx_array* bo = mx_ones(2, s32, MX_BOOL, S);
  expect_error(mx_matmul(bo, bo, S), MX_ERR_VALUE);
  mx_array* sc = mx_array_scalar_f64(1, MX_FLOAT32);
  expect_error(mx_matmul(sc, f32, S), MX_ERR_VALUE);
  expect_error(mx_matmul(f32, f32, S), MX_ERR_VALUE);
  mx_array* b1 = mx_ones(3, (int[]){2, 3, 4}, MX_FLOAT32, S);
  mx_array* b2 = mx_ones(3, (int[]){3, 4, 5}, MX_FLOAT32, S);
  expect_error(mx_matmul(b1, b2, S), MX_ERR_VALUE);
  mx_array_release(b1);
  mx_array_release(b2);
  mx_array_release(sc);
  mx_array_release(bo);
  mx_array_release(i32b);
  mx_array_release(e1);
  mx_array_release(e2);
  mx_array_release(e3);
  mx_array_release(f33);
  mx_array_release(bf);
  mx_array_release(hf);
  mx_array_release(i32);
  mx_array_release(f32);
  mx_array_release(ca);
  mx_array_release(cb);
}

/* Null arguments are errors, not crashes. */
static void test_null_arguments(void) {
  mx_array* s = mx_array_scalar_f64(1, MX_FLOAT32);
  expect_error(mx_add(NULL, s, S), MX_ERR_VALUE);
  expect_error(mx_matmul(s, NULL, S), MX_ERR_VALUE);
  expect_error(mx_sum(NULL, 0, NULL, false, S), MX_ERR_VALUE);
  expect_error(mx_reshape(NULL, 0, NULL, S), MX_ERR_VALUE);
  expect_error(mx_full(0, NULL, NULL, MX_FLOAT32, S), MX_ERR_VALUE);
  mx_array_release(s);
}

int main(void) {
  S = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  RUN(test_threadpool);
  RUN(test_shape_helpers);
  RUN(test_binary_all_dtypes);
  RUN(test_binary_mlx_cases);
  RUN(test_binary_promotion_and_broadcast);
  RUN(test_donation);
  RUN(test_sum_dtypes_and_axes);
  RUN(test_sum_layouts_and_accuracy);
  RUN(test_reduce_ops);
  RUN(test_reduce_constructors);
  RUN(test_sum_errors);
  RUN(test_reshape);
  RUN(test_transpose_broadcast);
  RUN(test_astype_matrix);
  RUN(test_astype_semantics);
  RUN(test_full);
  RUN(test_arange);
  RUN(test_matmul);
  RUN(test_null_arguments);
  return test_summary();
}
