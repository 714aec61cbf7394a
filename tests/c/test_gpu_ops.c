/* GPU backend conformance: every op the CUDA backend implements, run on the
 * GPU stream and on the CPU stream with the same random inputs, compared
 * element by element (the CPU backend is the reference).  Covers dense,
 * scalar-broadcast, inner-broadcast, transposed, misaligned, empty and 0-d
 * operands; inputs made on the CPU stream and GPU outputs read by CPU ops;
 * and the ValueError for float64 on the GPU.
 *
 * Without a GPU (CI) it prints a skip line and passes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static mx_stream GPU, CPU;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_u64(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
/* Uniform in [lo, hi). */
static double uniform(double lo, double hi) {
  return lo + (hi - lo) * (double)(next_u64() >> 11) / 9007199254740992.0;
}

static const mx_dtype gpu_dtypes[] = {MX_BOOL,  MX_UINT8,   MX_UINT16,  MX_UINT32, MX_UINT64,
                                      MX_INT8,  MX_INT16,   MX_INT32,   MX_INT64,  MX_FLOAT16,
                                      MX_FLOAT32, MX_BFLOAT16, MX_COMPLEX64};
#define N_GPU_DTYPES (int)(sizeof gpu_dtypes / sizeof *gpu_dtypes)

/* Stores v (and im for complex) as `dtype` at p. */
static void store(void* p, mx_dtype dtype, double v, double im) {
  switch (dtype) {
    case MX_BOOL: *(bool*)p = v != 0; break;
    case MX_UINT8: *(uint8_t*)p = (uint8_t)v; break;
    case MX_UINT16: *(uint16_t*)p = (uint16_t)v; break;
    case MX_UINT32: *(uint32_t*)p = (uint32_t)v; break;
    case MX_UINT64: *(uint64_t*)p = (uint64_t)v; break;
    case MX_INT8: *(int8_t*)p = (int8_t)v; break;
    case MX_INT16: *(int16_t*)p = (int16_t)v; break;
    case MX_INT32: *(int32_t*)p = (int32_t)v; break;
    case MX_INT64: *(int64_t*)p = (int64_t)v; break;
    case MX_FLOAT16: *(uint16_t*)p = mx_f32_to_f16((float)v); break;
    case MX_FLOAT32: *(float*)p = (float)v; break;
    case MX_FLOAT64: *(double*)p = v; break;
    case MX_BFLOAT16: *(uint16_t*)p = mx_f32_to_bf16((float)v); break;
    case MX_COMPLEX64: ((float*)p)[0] = (float)v, ((float*)p)[1] = (float)im; break;
    default: break;
  }
}


/* A random leaf array.  Integers in [lo, hi] (unsigned types clamp lo at 0),
 * floats uniform in [lo, hi), bools half true; never zero when nonzero is
 * set (divisors). */
static mx_array* random_array(mx_dtype dtype, int ndim, const int* shape, double lo, double hi,
                              bool nonzero) {
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) n *= shape[d];
  size_t es = mx_dtype_size(dtype);
  unsigned char* buf = malloc((size_t)(n > 0 ? n : 1) * es);
  bool is_int = mx_dtype_is_integer(dtype);
  bool is_unsigned = mx_dtype_kind_of(dtype) == MX_KIND_UINT;
  for (int64_t i = 0; i < n; i++) {
    double v, im = 0;
    do {
      if (dtype == MX_BOOL) v = next_u64() & 1;
      else if (is_int) v = (double)(int64_t)uniform(is_unsigned && lo < 0 ? 0 : lo, hi + 1);
      else v = uniform(lo, hi), im = uniform(lo, hi);
    } while (nonzero && v == 0);
    store(buf + i * es, dtype, v, im);
  }
  mx_array* a = mx_array_from_data(buf, dtype, ndim, shape);
  free(buf);
  return a;
}

/* Element-by-element comparison through each array's own strides, so views
 * are compared as the user sees them.  NaN equals NaN; tolerance is
 * absolute plus relative. */
static bool same_values(mx_array* got, mx_array* want, double tol, const char* what) {
  if (!got || !want) {
    fprintf(stderr, "%s: missing result (%s)\n", what, mx_error_message());
    return false;
  }
  if (mx_array_eval(got) != 0 || mx_array_eval(want) != 0) {
    fprintf(stderr, "%s: eval failed: %s\n", what, mx_error_message());
    return false;
  }
  if (!mx_shape_equal(got->ndim, got->shape, want->ndim, want->shape) ||
      got->dtype != want->dtype) {
    fprintf(stderr, "%s: shape/dtype differ (%s vs %s)\n", what, mx_dtype_name(got->dtype),
            mx_dtype_name(want->dtype));
    return false;
  }
  const unsigned char* pg = mx_array_host_data(got);
  const unsigned char* pw = mx_array_host_data(want);
  if (got->size && (!pg || !pw)) {
    fprintf(stderr, "%s: no host data: %s\n", what, mx_error_message());
    return false;
  }
  size_t es = mx_array_itemsize(got);
  int idx[64] = {0};
  for (int64_t i = 0; i < got->size; i++) {
    int64_t og = 0, ow = 0;
    for (int d = 0; d < got->ndim; d++) {
      og += idx[d] * got->strides[d];
      ow += idx[d] * want->strides[d];
    }
    double gi, wi;
    double g = test_read_element(pg + og * (int64_t)es, got->dtype, &gi);
    double w = test_read_element(pw + ow * (int64_t)es, want->dtype, &wi);
    /* A complex product's small component may cancel: its error scales
     * with the whole value's magnitude, not the component's. */
    double scale = 1 + (got->dtype == MX_COMPLEX64 ? fmax(fabs(w), fabs(wi)) : fabs(w));
    bool ok = (g != g && w != w) || g == w || fabs(g - w) <= tol * scale;
    ok = ok && ((gi != gi && wi != wi) || gi == wi || fabs(gi - wi) <= tol * scale);
    if (!ok) {
      fprintf(stderr, "%s: element %lld differs: got %.9g%+.9gi want %.9g%+.9gi (%s)\n", what,
              (long long)i, g, gi, w, wi, mx_dtype_name(got->dtype));
      return false;
    }
    for (int d = got->ndim - 1; d >= 0; d--) {
      if (++idx[d] < got->shape[d]) break;
      idx[d] = 0;
    }
  }
  return true;
}

/* Tolerance for results of `dtype` after one rounding (or a short sum). */
static double tol_for(mx_dtype dtype) {
  switch (dtype) {
    case MX_FLOAT16: return 2e-3;
    case MX_BFLOAT16: return 1.6e-2;
    case MX_FLOAT32: case MX_COMPLEX64: return 2e-6;
    default: return 0;
  }
}

static void check_pair(mx_array* g, mx_array* c, double tol, const char* what) {
  CHECK(same_values(g, c, tol, what));
  mx_array_release(g);
  mx_array_release(c);
}

/* --- elementwise ----------------------------------------------------------- */

typedef mx_array* (*binary_fn)(mx_array*, mx_array*, mx_stream);

static void binary_case(binary_fn fn, const char* name, mx_dtype dt, int nda, const int* sa,
                        int ndb, const int* sb, bool transpose_a) {
  bool div = fn == mx_divide;
  mx_array* a = random_array(dt, nda, sa, -50, 50, false);
  mx_array* b = random_array(dt, ndb, sb, -50, 50, div);
  if (transpose_a) {
    mx_array* t = mx_transpose(a, 0, NULL, CPU);
    mx_array_release(a);
    a = t;
  }
  char what[128];
  snprintf(what, sizeof what, "%s %s nda=%d ndb=%d%s", name, mx_dtype_name(dt), nda, ndb,
           transpose_a ? " (a transposed)" : "");
  mx_array* g = fn(a, b, GPU);
  mx_array* c = fn(a, b, CPU);
  mx_array* res = g ? g : NULL;
  double tol = tol_for(res ? res->dtype : dt);
  if (div && res && res->dtype == MX_FLOAT32) tol = 4e-6;
  check_pair(g, c, tol, what);
  mx_array_release(a);
  mx_array_release(b);
}

static void test_binary(void) {
  binary_fn fns[] = {mx_add, mx_subtract, mx_multiply, mx_divide};
  const char* names[] = {"add", "subtract", "multiply", "divide"};
  int big[1] = {4099}, mat[2] = {37, 41}, matT[2] = {41, 37}, col[2] = {37, 1}, row[2] = {1, 41};
  int empty[2] = {0, 5}, r3[3] = {3, 1, 5}, r3b[3] = {4, 5};
  for (int f = 0; f < 4; f++) {
    for (int t = 0; t < N_GPU_DTYPES; t++) {
      mx_dtype dt = gpu_dtypes[t];
      binary_case(fns[f], names[f], dt, 1, big, 1, big, false);   /* dense, vector path */
      binary_case(fns[f], names[f], dt, 0, NULL, 2, mat, false);  /* scalar op matrix */
      binary_case(fns[f], names[f], dt, 2, mat, 0, NULL, false);  /* matrix op scalar */
      binary_case(fns[f], names[f], dt, 2, col, 2, row, false);   /* outer broadcast */
      binary_case(fns[f], names[f], dt, 2, matT, 2, mat, true);   /* transposed operand */
      binary_case(fns[f], names[f], dt, 2, empty, 2, empty, false);
      binary_case(fns[f], names[f], dt, 0, NULL, 0, NULL, false); /* 0-d */
      binary_case(fns[f], names[f], dt, 3, r3, 2, r3b, false);    /* rank-3 broadcast */
    }
  }
}

/* Views at odd element offsets defeat 16-byte vector loads: the kernels must
 * notice and fall back. */
static void test_misaligned(void) {
  int n = 1001;
  mx_array* base = random_array(MX_FLOAT32, 1, &n, -1, 1, false);
  CHECK(mx_array_eval(base) == 0 && mx_array_host_data(base));
  int shape[1] = {997};
  int64_t strides[1] = {1};
  mx_array* a = mx_array_from_buffer(base->buffer, MX_FLOAT32, 1, shape, strides, 1);
  mx_array* b = mx_array_from_buffer(base->buffer, MX_FLOAT32, 1, shape, strides, 3);
  CHECK(a && b);
  check_pair(mx_add(a, b, GPU), mx_add(a, b, CPU), 0, "add at offsets 1 and 3");
  int axes[1] = {0};
  check_pair(mx_sum(a, 1, axes, false, GPU), mx_sum(a, 1, axes, false, CPU), 1e-5,
             "sum at offset 1");
  mx_array_release(a);
  mx_array_release(b);
  mx_array_release(base);
}

/* --- reductions -------------------------------------------------------------- */

static void sum_case(mx_dtype dt, int ndim, const int* shape, int naxes, const int* axes,
                     bool keepdims, bool transpose, double tol) {
  mx_array* a = random_array(dt, ndim, shape, -10, 10, false);
  if (transpose) {
    mx_array* t = mx_transpose(a, 0, NULL, CPU);
    mx_array_release(a);
    a = t;
  }
  /* Float sums depend on the order of additions.  Both sides accumulate in
   * float32, so each may be off by up to R * eps32 * max|x| (R elements
   * reduced per output, |x| < 10): allow that on top of the output rounding. */
  int64_t R = 1;
  for (int i = 0; i < (naxes ? naxes : a->ndim); i++) R *= a->shape[naxes ? axes[i] : i];
  if (mx_dtype_is_inexact(dt)) tol = fmax(tol, 2.0 * (double)R * 6e-8 * 10);
  char what[160];
  snprintf(what, sizeof what, "sum %s shape (%d,%d,...) naxes=%d%s%s", mx_dtype_name(dt),
           ndim > 0 ? shape[0] : 0, ndim > 1 ? shape[1] : 0, naxes, keepdims ? " keepdims" : "",
           transpose ? " transposed" : "");
  check_pair(mx_sum(a, naxes, axes, keepdims, GPU), mx_sum(a, naxes, axes, keepdims, CPU), tol,
             what);
  mx_array_release(a);
}

static void test_reduce(void) {
  mx_dtype dts[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_INT32, MX_UINT8, MX_INT64,
                    MX_BOOL,    MX_INT8,    MX_COMPLEX64, MX_UINT64};
  int v[1] = {1000}, m[2] = {64, 300}, c[3] = {8, 16, 32}, tall[2] = {100000, 3};
  int wide[2] = {2049, 64};
  int ax0[1] = {0}, ax1[1] = {1}, ax01[2] = {0, 1}, ax02[2] = {0, 2}, ax2[1] = {2};
  for (size_t t = 0; t < sizeof dts / sizeof *dts; t++) {
    mx_dtype dt = dts[t];
    /* Sums of float16/bfloat16 round the total once; the CPU may round
     * differently on the way, so allow a few ulps of the total. */
    double tol = dt == MX_FLOAT16    ? 8e-3
                 : dt == MX_BFLOAT16 ? 3e-2
                 : (dt == MX_FLOAT32 || dt == MX_COMPLEX64) ? 2e-5
                                                           : 0;
    sum_case(dt, 1, v, 0, NULL, false, false, tol);
    sum_case(dt, 2, m, 1, ax0, false, false, tol);
    sum_case(dt, 2, m, 1, ax1, true, false, tol);
    sum_case(dt, 2, m, 2, ax01, false, false, tol);
    sum_case(dt, 3, c, 2, ax02, false, false, tol);
    sum_case(dt, 3, c, 1, ax2, true, true, tol);
    sum_case(dt, 2, tall, 1, ax0, false, false, tol);
    sum_case(dt, 2, tall, 1, ax1, false, false, tol);
    sum_case(dt, 2, wide, 1, ax0, false, false, tol); /* columns, 16-byte loads */
  }
  /* A large all-reduce takes the split path.  Long float32 sums depend on
   * the order of additions, so this one is checked against a float64 sum. */
  int big[1] = {1 << 22};
  mx_array* x = random_array(MX_FLOAT32, 1, big, 0, 1, false);
  mx_array* gs = mx_sum(x, 0, NULL, false, GPU);
  const float* px = mx_array_host_data(x);
  double ref = 0;
  for (int i = 0; px && i < big[0]; i++) ref += px[i];
  CHECK(gs && mx_array_eval(gs) == 0);
  const float* pg = gs ? mx_array_host_data(gs) : NULL;
  CHECK(pg && fabs(*pg - ref) <= 1e-5 * ref);
  if (pg) printf("   sum of 2^22 floats: gpu %.3f, float64 reference %.3f\n", *pg, ref);
  mx_array_release(gs);
  mx_array_release(x);
  sum_case(MX_INT32, 1, big, 0, NULL, false, false, 0);
  int e[2] = {0, 4};
  sum_case(MX_FLOAT32, 2, e, 1, ax0, false, false, 0); /* empty reduction: zeros */
  sum_case(MX_FLOAT32, 0, NULL, 0, NULL, false, false, 0);
}

/* --- copies, conversions, creation ---------------------------------------------- */

static void test_astype(void) {
  int shape[2] = {33, 65};
  for (int i = 0; i < N_GPU_DTYPES; i++) {
    /* Values in [0, 100] convert the same way everywhere (no negative to
     * unsigned, no overflow). */
    mx_array* a = random_array(gpu_dtypes[i], 2, shape, 0, 100, false);
    mx_array* at = mx_transpose(a, 0, NULL, CPU);
    for (int j = 0; j < N_GPU_DTYPES; j++) {
      mx_dtype to = gpu_dtypes[j];
      char what[96];
      snprintf(what, sizeof what, "astype %s -> %s", mx_dtype_name(gpu_dtypes[i]),
               mx_dtype_name(to));
      check_pair(mx_astype(a, to, GPU), mx_astype(a, to, CPU), 0, what);
      snprintf(what, sizeof what, "astype %s -> %s (transposed)", mx_dtype_name(gpu_dtypes[i]),
               mx_dtype_name(to));
      check_pair(mx_astype(at, to, GPU), mx_astype(at, to, CPU), 0, what);
    }
    mx_array_release(at);
    mx_array_release(a);
  }
}

static void test_copy_full_arange(void) {
  int shape[3] = {5, 7, 9}, perm[3] = {2, 0, 1};
  for (int i = 0; i < N_GPU_DTYPES; i++) {
    mx_dtype dt = gpu_dtypes[i];
    mx_array* a = random_array(dt, 3, shape, -20, 20, false);
    mx_array* t = mx_transpose(a, 3, perm, CPU);
    check_pair(mx_copy(a, GPU), mx_copy(a, CPU), 0, "copy dense");
    check_pair(mx_copy(t, GPU), mx_copy(t, CPU), 0, "copy transposed");
    int bshape[4] = {2, 5, 7, 9};
    mx_array* bc = mx_broadcast_to(a, 4, bshape, CPU);
    check_pair(mx_copy(bc, GPU), mx_copy(bc, CPU), 0, "copy broadcast");
    mx_array_release(bc);
    /* A batch of transposed matrices: the tiled copy kernel, partial tiles. */
    int bshape3[3] = {3, 50, 70}, bperm[3] = {0, 2, 1};
    mx_array* m = random_array(dt, 3, bshape3, -20, 20, false);
    mx_array* mt = mx_transpose(m, 3, bperm, CPU);
    check_pair(mx_copy(mt, GPU), mx_copy(mt, CPU), 0, "copy of batched transpose");
    mx_array_release(mt);
    mx_array_release(m);
    int fshape[2] = {130, 3};
    check_pair(mx_full_f64(2, fshape, 3.0, dt, GPU), mx_full_f64(2, fshape, 3.0, dt, CPU), 0,
               "full scalar");
    int vshape[1] = {3};
    mx_array* vals = random_array(MX_INT32, 1, vshape, -5, 5, false);
    check_pair(mx_full(2, fshape, vals, dt, GPU), mx_full(2, fshape, vals, dt, CPU), 0,
               "full from array");
    mx_array_release(vals);
    mx_array_release(t);
    mx_array_release(a);
  }
  mx_dtype ar[] = {MX_INT32, MX_INT64, MX_UINT8, MX_INT16, MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
  for (size_t i = 0; i < sizeof ar / sizeof *ar; i++) {
    char what[64];
    snprintf(what, sizeof what, "arange %s", mx_dtype_name(ar[i]));
    /* bfloat16 holds consecutive integers only up to 256. */
    double stop = ar[i] == MX_UINT8 || ar[i] == MX_BFLOAT16 ? 250 : 1000;
    check_pair(mx_arange(2, stop, 3, ar[i], GPU), mx_arange(2, stop, 3, ar[i], CPU),
               tol_for(ar[i]), what);
  }
  check_pair(mx_arange(0.5, 100, 0.25, MX_FLOAT32, GPU),
             mx_arange(0.5, 100, 0.25, MX_FLOAT32, CPU), 1e-6, "arange float32 fractional step");
  check_pair(mx_arange(0, 0, 1, MX_FLOAT32, GPU), mx_arange(0, 0, 1, MX_FLOAT32, CPU), 0,
             "arange empty");
}

static void test_views(void) {
  int shape[3] = {4, 6, 10};
  mx_array* a = random_array(MX_FLOAT32, 3, shape, -1, 1, false);
  mx_array* ga = mx_copy(a, GPU); /* lives on the GPU */
  CHECK(mx_array_eval(ga) == 0);
  int rs[2] = {24, -1};
  mx_array* r = mx_reshape(ga, 2, rs, GPU);
  CHECK(mx_array_eval(r) == 0 && r->buffer == ga->buffer); /* a view, no copy */
  check_pair(r, mx_reshape(a, 2, rs, CPU), 0, "reshape contiguous");
  mx_array* t = mx_transpose(ga, 0, NULL, GPU);
  CHECK(mx_array_eval(t) == 0 && t->buffer == ga->buffer);
  mx_array* tc = mx_transpose(a, 0, NULL, CPU);
  CHECK(same_values(t, tc, 0, "transpose"));
  int rs2[2] = {10, 24};
  check_pair(mx_reshape(t, 2, rs2, GPU), mx_reshape(tc, 2, rs2, CPU), 0,
             "reshape of a transposed view (copies)");
  int bs[4] = {3, 4, 6, 10};
  mx_array* b = mx_broadcast_to(ga, 4, bs, GPU);
  CHECK(mx_array_eval(b) == 0 && b->buffer == ga->buffer);
  check_pair(b, mx_broadcast_to(a, 4, bs, CPU), 0, "broadcast_to");
  mx_array_release(t);
  mx_array_release(tc);
  mx_array_release(ga);
  mx_array_release(a);
}

/* --- matmul -------------------------------------------------------------------- */

/* ||g - c|| / ||c|| over all elements (both made dense by the CPU). */
static double rel_error(mx_array* g, mx_array* c) {
  mx_array* gd = mx_astype(g, MX_FLOAT32, CPU);
  mx_array* cd = mx_astype(c, MX_FLOAT32, CPU);
  mx_array* gc = mx_copy(gd, CPU);
  mx_array* cc = mx_copy(cd, CPU);
  double num = 0, den = 0;
  if (mx_array_eval(gc) == 0 && mx_array_eval(cc) == 0) {
    const float* pg = mx_array_host_data(gc);
    const float* pc = mx_array_host_data(cc);
    for (int64_t i = 0; i < cc->size; i++) {
      double d = (double)pg[i] - pc[i];
      num += d * d;
      den += (double)pc[i] * pc[i];
    }
  } else {
    num = 1, den = 0;
  }
  mx_array_release(gd);
  mx_array_release(cd);
  mx_array_release(gc);
  mx_array_release(cc);
  return den > 0 ? sqrt(num / den) : (num > 0 ? INFINITY : 0);
}

static void matmul_case(mx_dtype dt, int nda, const int* sa, int ndb, const int* sb, bool ta,
                        bool tb, double tol) {
  mx_array* a = random_array(dt, nda, sa, -1, 1, false);
  mx_array* b = random_array(dt, ndb, sb, -1, 1, false);
  if (ta) {
    int perm[8];
    for (int d = 0; d < nda; d++) perm[d] = d;
    perm[nda - 1] = nda - 2, perm[nda - 2] = nda - 1;
    mx_array* t = mx_transpose(a, nda, perm, CPU);
    mx_array_release(a);
    a = t;
  }
  if (tb) {
    int perm[8];
    for (int d = 0; d < ndb; d++) perm[d] = d;
    perm[ndb - 1] = ndb - 2, perm[ndb - 2] = ndb - 1;
    mx_array* t = mx_transpose(b, ndb, perm, CPU);
    mx_array_release(b);
    b = t;
  }
  mx_array* g = mx_matmul(a, b, GPU);
  mx_array* c = mx_matmul(a, b, CPU);
  char what[128];
  snprintf(what, sizeof what, "matmul %s nda=%d ndb=%d ta=%d tb=%d", mx_dtype_name(dt), nda, ndb,
           ta, tb);
  if (!g || !c || mx_array_eval(g) != 0 || mx_array_eval(c) != 0) {
    fprintf(stderr, "%s: failed: %s\n", what, mx_error_message());
    CHECK(false);
  } else {
    CHECK(mx_shape_equal(g->ndim, g->shape, c->ndim, c->shape) && g->dtype == c->dtype);
    double err = rel_error(g, c);
    if (!(err <= tol)) fprintf(stderr, "%s: relative error %g > %g\n", what, err, tol);
    CHECK(err <= tol);
  }
  mx_array_release(g);
  mx_array_release(c);
  mx_array_release(a);
  mx_array_release(b);
}

static void test_matmul(void) {
  /* float32 may use TF32 tensor cores (MLX's default): ~1e-3 relative. */
  mx_dtype dts[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
  double tols[] = {3e-3, 3e-3, 2e-2};
  for (int i = 0; i < 3; i++) {
    mx_dtype dt = dts[i];
    double tol = tols[i];
    int a1[2] = {64, 32}, b1[2] = {32, 48};
    matmul_case(dt, 2, a1, 2, b1, false, false, tol);
    int a1t[2] = {32, 64}, b1t[2] = {48, 32};
    matmul_case(dt, 2, a1t, 2, b1, true, false, tol);
    matmul_case(dt, 2, a1, 2, b1t, false, true, tol);
    matmul_case(dt, 2, a1t, 2, b1t, true, true, tol);
    int a2[3] = {3, 17, 33}, b2[3] = {3, 33, 9};
    matmul_case(dt, 3, a2, 3, b2, false, false, tol);
    int a3[4] = {2, 1, 5, 7}, b3[3] = {3, 7, 4}; /* broadcast batch */
    matmul_case(dt, 4, a3, 3, b3, false, false, tol);
    int b4[2] = {7, 4}; /* batched a, plain b */
    matmul_case(dt, 4, a3, 2, b4, false, false, tol);
    int v[1] = {33}, m[2] = {33, 5}, m2[2] = {6, 33};
    matmul_case(dt, 1, v, 2, m, false, false, tol);  /* vector @ matrix */
    matmul_case(dt, 2, m2, 1, v, false, false, tol); /* matrix @ vector */
    matmul_case(dt, 1, v, 1, v, false, false, tol);  /* dot */
    int big[2] = {512, 512};
    matmul_case(dt, 2, big, 2, big, false, false, tol);
    int odd_a[2] = {5, 3}, odd_b[2] = {3, 7}; /* odd sizes: unaligned rows */
    matmul_case(dt, 2, odd_a, 2, odd_b, false, false, tol);
  }
  int z1[2] = {5, 0}, z2[2] = {0, 3};
  mx_array* a = random_array(MX_FLOAT32, 2, z1, -1, 1, false);
  mx_array* b = random_array(MX_FLOAT32, 2, z2, -1, 1, false);
  check_pair(mx_matmul(a, b, GPU), mx_matmul(a, b, CPU), 0, "matmul K=0 gives zeros");
  mx_array_release(a);
  mx_array_release(b);
}

/* --- across devices -------------------------------------------------------------- */

static void test_cross_device(void) {
  int shape[2] = {128, 96};
  mx_array* a = random_array(MX_FLOAT32, 2, shape, -1, 1, false);
  mx_array* b = random_array(MX_FLOAT32, 2, shape, -1, 1, false);
  /* CPU -> GPU -> CPU -> GPU, unevaluated in between: the scheduler moves
   * each intermediate to where its consumer runs. */
  mx_array* c1 = mx_multiply(a, b, CPU);
  mx_array* g1 = mx_add(c1, a, GPU);
  mx_array* c2 = mx_subtract(g1, b, CPU);
  mx_array* g2 = mx_multiply(c2, c2, GPU);
  int axes[1] = {1};
  mx_array* g3 = mx_sum(g2, 1, axes, false, GPU);
  mx_array* r1 = mx_multiply(a, b, CPU);
  mx_array* r2 = mx_add(r1, a, CPU);
  mx_array* r3 = mx_subtract(r2, b, CPU);
  mx_array* r4 = mx_multiply(r3, r3, CPU);
  mx_array* r5 = mx_sum(r4, 1, axes, false, CPU);
  CHECK(same_values(g3, r5, 1e-5, "cpu->gpu->cpu->gpu chain"));
  /* A GPU result read by a CPU op after it was evaluated on its own. */
  mx_array* cpu_after = mx_add(g2, g2, CPU);
  mx_array* ref_after = mx_add(r4, r4, CPU);
  CHECK(same_values(cpu_after, ref_after, 1e-6, "gpu result consumed on cpu"));
  mx_array* list[] = {c1, g1, c2, g2, g3, r1, r2, r3, r4, r5, cpu_after, ref_after, a, b};
  for (size_t i = 0; i < sizeof list / sizeof *list; i++) mx_array_release(list[i]);
}

static void test_float64_rejected(void) {
  int shape[1] = {4};
  mx_array* a = random_array(MX_FLOAT64, 1, shape, -1, 1, false);
  mx_error_clear();
  mx_array* g = mx_add(a, a, GPU);
  bool failed = g == NULL || mx_array_eval(g) != 0;
  CHECK(failed);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(strstr(mx_error_message(), "float64 is not supported on the GPU") != NULL);
  mx_array_release(g);
  mx_error_clear();
  mx_array* f = mx_astype(a, MX_FLOAT32, CPU);
  mx_array* h = mx_astype(f, MX_FLOAT64, GPU);
  CHECK(h == NULL || mx_array_eval(h) != 0);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  mx_array_release(h);
  mx_array_release(f);
  mx_array_release(a);
}

/* --- unary and binary elementwise families -------------------------------- */

/* Float values where the kernels' special cases live: NaN, infinities,
 * signed zeros, halves (round half to even), |x| = 1 (erfinv, arctanh),
 * tiny and large magnitudes. */
static const double special[] = {NAN,  INFINITY, -INFINITY, 0.0,  -0.0, 1.0,   -1.0, 0.5,
                                 -0.5, 1.5,      2.5,       -2.5, 3.0,  1e-30, 100., -100.};
#define N_SPECIAL (int)(sizeof special / sizeof *special)

static bool is_float_dtype(mx_dtype t) {
  return t == MX_FLOAT32 || t == MX_FLOAT16 || t == MX_BFLOAT16;
}

/* Exact results must also agree on the sign of zero (maximum(-0, 0),
 * negative(0), remainder's zero, ...).  Results are fresh row-contiguous
 * arrays. */
static bool same_zero_signs(mx_array* got, mx_array* want, const char* what) {
  if (!is_float_dtype(got->dtype) || !(got->flags & MX_FLAG_ROW_CONTIGUOUS) ||
      !(want->flags & MX_FLAG_ROW_CONTIGUOUS))
    return true;
  const unsigned char* pg = mx_array_host_data(got);
  const unsigned char* pw = mx_array_host_data(want);
  size_t es = mx_array_itemsize(got);
  for (int64_t i = 0; i < got->size; i++) {
    double gi, wi;
    double g = test_read_element(pg + i * (int64_t)es, got->dtype, &gi);
    double w = test_read_element(pw + i * (int64_t)es, want->dtype, &wi);
    if (g == 0 && w == 0 && signbit(g) != signbit(w)) {
      fprintf(stderr, "%s: element %lld: zero signs differ (%s)\n", what, (long long)i,
              mx_dtype_name(got->dtype));
      return false;
    }
  }
  return true;
}

/* GPU result against CPU result.  Where the CPU refuses the case (an op
 * that rejects the dtype), the GPU must refuse it too.  tol < 0: exact,
 * zero signs included. */
static void check_ew(mx_array* g, mx_array* c, double tol, const char* what) {
  bool c_fails = !c || mx_array_eval(c) != 0;
  if (c_fails) {
    bool g_fails = !g || mx_array_eval(g) != 0;
    if (!g_fails) fprintf(stderr, "%s: CPU failed but GPU did not\n", what);
    CHECK(g_fails);
    mx_error_clear();
  } else {
    bool ok = same_values(g, c, tol < 0 ? 0 : tol, what);
    if (ok && tol < 0) ok = same_zero_signs(g, c, what);
    CHECK(ok);
  }
  mx_array_release(g);
  mx_array_release(c);
}

typedef mx_array* (*unary_fn)(mx_array*, mx_stream);
typedef struct unary_case_t {
  const char* name;
  unary_fn fn;
  bool exact;
  double lo, hi;
} unary_case_t;

static mx_array* round0(mx_array* a, mx_stream s) { return mx_round(a, 0, s); }

static const unary_case_t unary_cases[] = {
    {"abs", mx_abs, true, -50, 50},          {"negative", mx_negative, true, -50, 50},
    {"sign", mx_sign, true, -50, 50},        {"square", mx_square, true, -50, 50},
    {"sqrt", mx_sqrt, true, -1, 50},         {"rsqrt", mx_rsqrt, true, -1, 50},
    {"exp", mx_exp, false, -20, 20},         {"expm1", mx_expm1, false, -3, 3},
    {"log", mx_log, false, -1, 50},          {"log2", mx_log2, false, -1, 50},
    {"log10", mx_log10, false, -1, 50},      {"log1p", mx_log1p, false, -1.5, 50},
    {"sin", mx_sin, false, -6, 6},           {"cos", mx_cos, false, -6, 6},
    {"tan", mx_tan, false, -1.5, 1.5},       {"arcsin", mx_arcsin, false, -1.2, 1.2},
    {"arccos", mx_arccos, false, -1.2, 1.2}, {"arctan", mx_arctan, false, -20, 20},
    {"sinh", mx_sinh, false, -5, 5},         {"cosh", mx_cosh, false, -5, 5},
    {"tanh", mx_tanh, false, -5, 5},         {"arcsinh", mx_arcsinh, false, -20, 20},
    {"arccosh", mx_arccosh, false, 0.5, 20}, {"arctanh", mx_arctanh, false, -1.2, 1.2},
    {"erf", mx_erf, false, -3, 3},           {"erfinv", mx_erfinv, false, -1.1, 1.1},
    {"sigmoid", mx_sigmoid, false, -20, 20}, {"floor", mx_floor, true, -50, 50},
    {"ceil", mx_ceil, true, -50, 50},        {"trunc", mx_trunc, true, -50, 50},
    {"round", round0, true, -50, 50},        {"logical_not", mx_logical_not, true, -2, 2},
    {"bitwise_invert", mx_bitwise_invert, true, -50, 50},
    {"stop_gradient", mx_stop_gradient, true, -50, 50},
    {"isnan", mx_isnan, true, -1, 1},        {"reciprocal", mx_reciprocal, false, -5, 5},
};
#define N_UNARY (int)(sizeof unary_cases / sizeof *unary_cases)

static double ew_tol(const unary_case_t* u, mx_dtype out) {
  if (u->exact) return -1;
  /* Transcendental functions: CUDA's float functions and the CPU's vector
   * library may each be off by a few ulps. */
  return out == MX_FLOAT32 ? 4e-6 : tol_for(out);
}

static void unary_one(const unary_case_t* u, mx_array* a, const char* layout) {
  char what[160];
  snprintf(what, sizeof what, "%s %s %s", u->name, mx_dtype_name(a->dtype), layout);
  mx_array* g = u->fn(a, GPU);
  mx_array* c = u->fn(a, CPU);
  check_ew(g, c, c ? ew_tol(u, c->dtype) : 0, what);
}

static void test_unary_ew(void) {
  int big[1] = {4099}, matT[2] = {41, 37}, empty[2] = {0, 5}, base_n = 1003;
  for (int k = 0; k < N_UNARY; k++) {
    const unary_case_t* u = &unary_cases[k];
    for (int t = 0; t < N_GPU_DTYPES; t++) {
      mx_dtype dt = gpu_dtypes[t];
      mx_array* a = random_array(dt, 1, big, u->lo, u->hi, false);
      unary_one(u, a, "dense");
      mx_array_release(a);
      a = random_array(dt, 2, matT, u->lo, u->hi, false);
      mx_array* at = mx_transpose(a, 0, NULL, CPU);
      unary_one(u, at, "transposed");
      mx_array_release(at);
      mx_array_release(a);
      /* A view at an odd offset: no 16-byte loads. */
      a = random_array(dt, 1, &base_n, u->lo, u->hi, false);
      if (mx_array_eval(a) == 0 && mx_array_host_data(a)) {
        int shape[1] = {999};
        int64_t strides[1] = {1};
        mx_array* v = mx_array_from_buffer(a->buffer, dt, 1, shape, strides, 3);
        unary_one(u, v, "offset 3");
        mx_array_release(v);
      }
      mx_array_release(a);
      a = random_array(dt, 0, NULL, u->lo, u->hi, false);
      unary_one(u, a, "0-d");
      mx_array_release(a);
      a = random_array(dt, 2, empty, u->lo, u->hi, false);
      unary_one(u, a, "empty");
      mx_array_release(a);
    }
    /* Special values, in each float dtype. */
    mx_dtype fdt[3] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
    for (int f = 0; f < 3; f++) {
      unsigned char buf[N_SPECIAL * 4];
      for (int i = 0; i < N_SPECIAL; i++)
        store(buf + i * mx_dtype_size(fdt[f]), fdt[f], special[i], 0);
      int n = N_SPECIAL;
      mx_array* a = mx_array_from_data(buf, fdt[f], 1, &n);
      unary_one(u, a, "special values");
      mx_array_release(a);
    }
  }
}

typedef struct binary_case_t {
  const char* name;
  binary_fn fn;
  bool exact;
  double lo, hi;
} binary_case_t;

static mx_array* where_fn(mx_array* a, mx_array* b, mx_stream s) {
  /* The condition comes from the operands so that layouts carry over. */
  mx_array* c = mx_greater(a, b, CPU);
  mx_array* r = mx_where(c, a, b, s);
  mx_array_release(c);
  return r;
}
static mx_array* array_equal_nan(mx_array* a, mx_array* b, mx_stream s) {
  return mx_array_equal(a, b, true, s);
}
static mx_array* isclose_nan(mx_array* a, mx_array* b, mx_stream s) {
  return mx_isclose(a, b, 1e-5, 1e-8, true, s);
}

static const binary_case_t binary_cases[] = {
    {"equal", mx_equal, true, -3, 3},
    {"not_equal", mx_not_equal, true, -3, 3},
    {"less", mx_less, true, -3, 3},
    {"less_equal", mx_less_equal, true, -3, 3},
    {"greater", mx_greater, true, -3, 3},
    {"greater_equal", mx_greater_equal, true, -3, 3},
    {"logical_and", mx_logical_and, true, -1, 1},
    {"logical_or", mx_logical_or, true, -1, 1},
    {"logical_xor", mx_logical_xor, true, -1, 1},
    {"maximum", mx_maximum, true, -50, 50},
    {"minimum", mx_minimum, true, -50, 50},
    {"power", mx_power, false, -4, 4},
    {"remainder", mx_remainder, true, -50, 50},
    {"floor_divide", mx_floor_divide, true, -50, 50},
    {"logaddexp", mx_logaddexp, false, -20, 20},
    {"arctan2", mx_arctan2, false, -5, 5},
    {"bitwise_and", mx_bitwise_and, true, -50, 50},
    {"bitwise_or", mx_bitwise_or, true, -50, 50},
    {"bitwise_xor", mx_bitwise_xor, true, -50, 50},
    {"left_shift", mx_left_shift, true, -40, 40},
    {"right_shift", mx_right_shift, true, -40, 40},
    {"where", where_fn, true, -50, 50},
    {"array_equal(equal_nan)", array_equal_nan, true, -1, 1},
    {"isclose(equal_nan)", isclose_nan, false, -1, 1},
};
#define N_BINARY (int)(sizeof binary_cases / sizeof *binary_cases)

static void binary_one(const binary_case_t* bc, mx_array* a, mx_array* b, const char* layout) {
  char what[160];
  snprintf(what, sizeof what, "%s %s %s", bc->name, mx_dtype_name(a->dtype), layout);
  mx_array* g = bc->fn(a, b, GPU);
  mx_array* c = bc->fn(a, b, CPU);
  double tol = -1;
  if (!bc->exact && c) tol = c->dtype == MX_FLOAT32 ? 4e-6 : tol_for(c->dtype);
  check_ew(g, c, tol, what);
}

static void test_binary_ew(void) {
  int big[1] = {4099}, mat[2] = {37, 41}, matT[2] = {41, 37}, col[2] = {37, 1}, row[2] = {1, 41};
  int empty[2] = {0, 5}, r3[3] = {3, 1, 5}, r3b[3] = {4, 5}, base_n = 1003;
  for (int k = 0; k < N_BINARY; k++) {
    const binary_case_t* bc = &binary_cases[k];
    for (int t = 0; t < N_GPU_DTYPES; t++) {
      mx_dtype dt = gpu_dtypes[t];
      struct {
        int nda, ndb;
        const int *sa, *sb;
        bool tr;
        const char* name;
      } lay[] = {{1, 1, big, big, false, "dense"},
                 {0, 2, NULL, mat, false, "scalar-matrix"},
                 {2, 0, mat, NULL, false, "matrix-scalar"},
                 {2, 2, col, row, false, "outer broadcast"},
                 {2, 2, matT, mat, true, "a transposed"},
                 {2, 2, empty, empty, false, "empty"},
                 {0, 0, NULL, NULL, false, "0-d"},
                 {3, 2, r3, r3b, false, "rank-3 broadcast"}};
      for (size_t l = 0; l < sizeof lay / sizeof *lay; l++) {
        mx_array* a = random_array(dt, lay[l].nda, lay[l].sa, bc->lo, bc->hi, false);
        mx_array* b = random_array(dt, lay[l].ndb, lay[l].sb, bc->lo, bc->hi, false);
        if (lay[l].tr) {
          mx_array* at = mx_transpose(a, 0, NULL, CPU);
          mx_array_release(a);
          a = at;
        }
        binary_one(bc, a, b, lay[l].name);
        mx_array_release(a);
        mx_array_release(b);
      }
      /* Odd offsets: no 16-byte loads. */
      mx_array* base = random_array(dt, 1, &base_n, bc->lo, bc->hi, false);
      if (mx_array_eval(base) == 0 && mx_array_host_data(base)) {
        int shape[1] = {997};
        int64_t strides[1] = {1};
        mx_array* a = mx_array_from_buffer(base->buffer, dt, 1, shape, strides, 1);
        mx_array* b = mx_array_from_buffer(base->buffer, dt, 1, shape, strides, 5);
        binary_one(bc, a, b, "offsets 1 and 5");
        mx_array_release(a);
        mx_array_release(b);
      }
      mx_array_release(base);
    }
    /* Every pair of special values, dense, in each float dtype. */
    mx_dtype fdt[3] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
    for (int f = 0; f < 3; f++) {
      size_t es = mx_dtype_size(fdt[f]);
      unsigned char ba[N_SPECIAL * N_SPECIAL * 4], bb[N_SPECIAL * N_SPECIAL * 4];
      for (int i = 0; i < N_SPECIAL; i++)
        for (int j = 0; j < N_SPECIAL; j++) {
          store(ba + (i * N_SPECIAL + j) * es, fdt[f], special[i], 0);
          store(bb + (i * N_SPECIAL + j) * es, fdt[f], special[j], 0);
        }
      int n = N_SPECIAL * N_SPECIAL;
      mx_array* a = mx_array_from_data(ba, fdt[f], 1, &n);
      mx_array* b = mx_array_from_data(bb, fdt[f], 1, &n);
      binary_one(bc, a, b, "special pairs");
      mx_array_release(a);
      mx_array_release(b);
    }
  }
  /* where with a scalar condition and scalar branches. */
  int shape[1] = {4099};
  mx_array* c1 = random_array(MX_BOOL, 0, NULL, 0, 1, false);
  mx_array* x = random_array(MX_FLOAT32, 1, shape, -1, 1, false);
  mx_array* y = random_array(MX_FLOAT32, 0, NULL, -1, 1, false);
  mx_array* cv = random_array(MX_BOOL, 1, shape, 0, 1, false);
  check_ew(mx_where(c1, x, y, GPU), mx_where(c1, x, y, CPU), -1, "where scalar cond");
  check_ew(mx_where(cv, y, x, GPU), mx_where(cv, y, x, CPU), -1, "where scalar x");
  check_ew(mx_where(cv, x, y, GPU), mx_where(cv, x, y, CPU), -1, "where scalar y");
  mx_array* list[] = {c1, x, y, cv};
  for (size_t i = 0; i < sizeof list / sizeof *list; i++) mx_array_release(list[i]);
}

int main(void) {
  mx_init();
  if (!mx_device_available(MX_DEVICE_GPU)) {
    printf("skip: no GPU available, GPU op tests not run\n");
    return 0;
  }
  GPU = mx_default_stream((mx_device){MX_DEVICE_GPU, 0});
  CPU = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  RUN(test_binary);
  RUN(test_misaligned);
  RUN(test_unary_ew);
  RUN(test_binary_ew);
  RUN(test_reduce);
  RUN(test_astype);
  RUN(test_copy_full_arange);
  RUN(test_views);
  RUN(test_matmul);
  RUN(test_cross_device);
  RUN(test_float64_rejected);
  return test_summary();
}
