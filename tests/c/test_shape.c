/* Shape family on the CPU: views share buffers, every op's values, all pad
 * modes, the dtype view, and error kinds.  Expected values were checked
 * against real MLX 0.32.4 (and agree with NumPy where NumPy has the op). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static mx_stream S;

/* Evaluates `a` and reads it (any layout) in row-major order as doubles. */
static int read_all(mx_array* a, double* out, int64_t cap) {
  if (!a || mx_array_eval(a) != 0 || a->size > cap) return -1;
  const char* base = mx_array_host_data(a);
  int nd = a->ndim;
  int idx[8] = {0};
  size_t z = mx_dtype_size(a->dtype);
  for (int64_t n = 0; n < a->size; n++) {
    int64_t off = 0;
    for (int d = 0; d < nd; d++) off += idx[d] * a->strides[d];
    const char* p = base + off * (int64_t)z;
    double v = 0;
    switch (a->dtype) {
      case MX_BOOL: v = *(const bool*)p; break;
      case MX_UINT8: v = *(const uint8_t*)p; break;
      case MX_INT16: v = *(const int16_t*)p; break;
      case MX_INT32: v = *(const int32_t*)p; break;
      case MX_INT64: v = (double)*(const int64_t*)p; break;
      case MX_FLOAT32: v = *(const float*)p; break;
      case MX_FLOAT64: v = *(const double*)p; break;
      case MX_FLOAT16: v = mx_f16_to_f32(*(const uint16_t*)p); break;
      default: return -1;
    }
    out[n] = v;
    for (int d = nd - 1; d >= 0; d--) {
      if (++idx[d] < a->shape[d]) break;
      idx[d] = 0;
    }
  }
  return 0;
}

/* Checks that `a` holds exactly `n` expected values; releases `a`. */
static void expect(mx_array* a, const double* want, int64_t n) {
  double got[512];
  CHECK(a != NULL);
  if (!a) return;
  CHECK(read_all(a, got, 512) == 0);
  CHECK(a->size == n);
  bool same = a->size == n;
  for (int64_t i = 0; same && i < n; i++) same = got[i] == want[i];
  CHECK(same);
  if (!same) {
    printf("   got:");
    for (int64_t i = 0; i < a->size && i < 40; i++) printf(" %g", got[i]);
    printf("\n");
  }
  mx_array_release(a);
}

static bool shape_is(const mx_array* a, int nd, const int* shape) {
  return a && mx_shape_equal(a->ndim, a->shape, nd, shape);
}

/* arange(n) reshaped to `shape` (int32). */
static mx_array* iota(int nd, const int* shape) {
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  mx_array* r = mx_arange(0, (double)n, 1, MX_INT32, S);
  mx_array* out = mx_reshape(r, nd, shape, S);
  mx_array_release(r);
  return out;
}

static void expect_error(mx_array* a, mx_error_kind kind) {
  CHECK(a == NULL);
  CHECK(mx_error_last_kind() == kind);
  mx_error_clear();
  if (a) mx_array_release(a);
}

static const int S23[2] = {2, 3};

static void test_views_share_buffers(void) {
  mx_array* a = iota(2, S23);
  CHECK(mx_array_eval(a) == 0);
  mx_array* f = mx_flip(a, 0, NULL, S);
  const double wf[] = {5, 4, 3, 2, 1, 0};
  CHECK(mx_array_eval(f) == 0);
  CHECK(f->buffer == a->buffer);
  CHECK(!(f->flags & MX_FLAG_CONTIGUOUS));
  /* A negative-stride view feeding an elementwise op. */
  mx_array* sum = mx_add(f, a, S);
  const double ws[] = {5, 5, 5, 5, 5, 5};
  expect(sum, ws, 6);
  expect(f, wf, 6);

  int n = 0;
  mx_array** parts = mx_split(a, 3, 1, S, &n);
  CHECK(parts && n == 3);
  if (parts) {
    const double w1[] = {1, 4};
    CHECK(mx_array_eval(parts[1]) == 0);
    CHECK(parts[1]->buffer == a->buffer);
    mx_array_retain(parts[1]);
    expect(parts[1], w1, 2);
    mx_array_list_free(parts, n);
  }
  mx_array** rows = mx_unstack(a, 0, S, &n);
  CHECK(rows && n == 2);
  if (rows) {
    const double w[] = {3, 4, 5};
    CHECK(mx_array_eval(rows[1]) == 0);
    CHECK(rows[1]->buffer == a->buffer && (rows[1]->flags & MX_FLAG_ROW_CONTIGUOUS));
    mx_array_retain(rows[1]);
    expect(rows[1], w, 3);
    mx_array_list_free(rows, n);
  }
  const int s234[3] = {2, 3, 4};
  mx_array* b = iota(3, s234);
  mx_array* d = mx_diagonal(b, 0, 2, 0, S);
  const int ds[2] = {3, 2};
  CHECK(shape_is(d, 2, ds));
  const double wd[] = {0, 13, 4, 17, 8, 21}; /* MLX: [[0,13],[4,17],[8,21]] */
  CHECK(mx_array_eval(d) == 0 && d->buffer == b->buffer);
  expect(d, wd, 6);
  const double wd1[] = {1, 5}, wdm1[] = {3};
  expect(mx_diagonal(a, 1, 0, 1, S), wd1, 2);
  expect(mx_diagonal(a, -1, 0, 1, S), wdm1, 1);
  expect(mx_diagonal(a, 5, 0, 1, S), NULL, 0);
  mx_array_release(b);
  mx_array_release(a);
}

static void test_reshapes(void) {
  const int s[4] = {1, 2, 1, 3};
  mx_array* b = iota(4, s);
  mx_array* r = mx_squeeze(b, 0, NULL, S);
  CHECK(shape_is(r, 2, S23));
  mx_array_release(r);
  int ax = 1;
  expect_error(mx_squeeze(b, 1, &ax, S), MX_ERR_VALUE);
  ax = 5;
  expect_error(mx_squeeze(b, 1, &ax, S), MX_ERR_INDEX);
  int dup[2] = {0, -4};
  expect_error(mx_squeeze(b, 2, dup, S), MX_ERR_VALUE);
  r = mx_flatten(b, 1, 2, S);
  const int f12[3] = {1, 2, 3};
  CHECK(shape_is(r, 3, f12));
  mx_array_release(r);
  expect_error(mx_flatten(b, 2, 1, S), MX_ERR_VALUE);
  int e[2] = {0, 3};
  mx_array* a = iota(2, S23);
  r = mx_expand_dims(a, 2, e, S);
  const int es[4] = {1, 2, 3, 1};
  CHECK(shape_is(r, 4, es));
  mx_array_release(r);
  ax = 3;
  expect_error(mx_expand_dims(a, 1, &ax, S), MX_ERR_INDEX);
  int us[2] = {-1, 1};
  r = mx_unflatten(a, 1, 2, us, S);
  const int ush[3] = {2, 3, 1};
  CHECK(shape_is(r, 3, ush));
  mx_array_release(r);
  int bad[2] = {2, 2};
  expect_error(mx_unflatten(a, 1, 2, bad, S), MX_ERR_VALUE);
  r = mx_moveaxis(b, 0, -1, S);
  const int ms[4] = {2, 1, 3, 1};
  CHECK(shape_is(r, 4, ms));
  mx_array_release(r);
  r = mx_swapaxes(b, 0, 3, S);
  const int ss[4] = {3, 2, 1, 1};
  CHECK(shape_is(r, 4, ss));
  mx_array_release(r);
  expect_error(mx_swapaxes(b, 0, 4, S), MX_ERR_INDEX);
  mx_array* one = mx_array_scalar_i64(1, MX_INT32);
  r = mx_atleast(one, 3, S);
  const int a3[3] = {1, 1, 1};
  CHECK(shape_is(r, 3, a3));
  mx_array_release(r);
  mx_array_release(one);
  r = mx_atleast(a, 3, S);
  const int a23[3] = {2, 3, 1};
  CHECK(shape_is(r, 3, a23));
  mx_array_release(r);
  mx_array_release(a);
  mx_array_release(b);
}

static void test_join(void) {
  mx_array* a = iota(2, S23);
  mx_array* t = mx_transpose(a, 0, NULL, S); /* (3,2) view */
  mx_array* tt = mx_transpose(t, 0, NULL, S);
  mx_array* z = mx_zeros(2, (int[]){1, 3}, MX_FLOAT32, S);
  mx_array* in[3] = {a, z, tt};
  mx_array* c = mx_concatenate(3, in, 0, S);
  CHECK(c && c->dtype == MX_FLOAT32);
  const double wc[] = {0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 1, 2, 3, 4, 5};
  expect(c, wc, 15);
  mx_array* in2[2] = {a, a};
  const double w1[] = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5};
  expect(mx_concatenate(2, in2, 1, S), w1, 12);
  const double ws[] = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5};
  mx_array* st = mx_stack(2, in2, 1, S);
  const int sts[3] = {2, 2, 3};
  CHECK(shape_is(st, 3, sts));
  expect(st, ws, 12);
  mx_array* bad[2] = {a, t};
  expect_error(mx_concatenate(2, bad, 0, S), MX_ERR_VALUE);
  expect_error(mx_concatenate(2, in2, 2, S), MX_ERR_INDEX);
  expect_error(mx_stack(2, bad, 0, S), MX_ERR_VALUE);
  expect_error(mx_concatenate(0, NULL, 0, S), MX_ERR_VALUE);

  const double wr[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
  expect(mx_repeat(a, 2, 1, S), wr, 12);
  expect(mx_repeat_flat(a, 2, S), wr, 12);
  expect_error(mx_repeat(a, -1, 0, S), MX_ERR_VALUE);
  const double wt[] = {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5};
  int reps = 2;
  expect(mx_tile(a, 1, &reps, S), wt, 12);

  /* MLX: roll(a, 1) -> [[5,0,1],[2,3,4]]; roll(a, (1,2), (0,1)) ->
   * [[4,5,3],[1,2,0]]; roll(a, -7, 1) -> [[1,2,0],[4,5,3]]. */
  int sh1 = 1, sh12[2] = {1, 2}, ax01[2] = {0, 1}, shm7 = -7, ax1 = 1;
  const double r1[] = {5, 0, 1, 2, 3, 4}, r2[] = {4, 5, 3, 1, 2, 0}, r3[] = {1, 2, 0, 4, 5, 3};
  expect(mx_roll(a, 1, &sh1, 0, NULL, S), r1, 6);
  expect(mx_roll(a, 2, sh12, 2, ax01, S), r2, 6);
  expect(mx_roll(a, 1, &shm7, 1, &ax1, S), r3, 6);

  mx_array* out[2];
  mx_array* one = mx_array_scalar_f64(1.5, MX_FLOAT32);
  mx_array* pair[2] = {a, one};
  CHECK(mx_broadcast_arrays(2, pair, S, out) == 0);
  const double wb[] = {1.5, 1.5, 1.5, 1.5, 1.5, 1.5};
  CHECK(shape_is(out[0], 2, S23));
  mx_array_release(out[0]);
  expect(out[1], wb, 6);
  mx_array_release(one);

  mx_array* x = mx_arange(0, 2, 1, MX_INT32, S);
  mx_array* y = mx_arange(0, 3, 1, MX_INT32, S);
  mx_array* xy[2] = {x, y};
  CHECK(mx_meshgrid(2, xy, false, "xy", S, out) == 0);
  const double g0[] = {0, 1, 0, 1, 0, 1}, g1[] = {0, 0, 1, 1, 2, 2};
  expect(out[0], g0, 6);
  expect(out[1], g1, 6);
  CHECK(mx_meshgrid(2, xy, true, "ij", S, out) == 0);
  const int i0[2] = {2, 1}, i1[2] = {1, 3};
  CHECK(shape_is(out[0], 2, i0) && shape_is(out[1], 2, i1));
  mx_array_release(out[0]);
  mx_array_release(out[1]);
  CHECK(mx_meshgrid(2, xy, false, "foo", S, out) != 0 && mx_error_last_kind() == MX_ERR_VALUE);
  mx_error_clear();
  mx_array_release(x);
  mx_array_release(y);
  mx_array_release(z);
  mx_array_release(tt);
  mx_array_release(t);
  mx_array_release(a);
}

static void test_pad(void) {
  mx_array* a = iota(2, S23);
  int axes[2] = {0, 1};
  /* Expected rows recorded from MLX 0.32.4 (identical to numpy.pad). */
  int lo1[2] = {1, 0}, hi1[2] = {0, 2};
  const double edge[] = {0, 1, 2, 2, 2, 0, 1, 2, 2, 2, 3, 4, 5, 5, 5};
  expect(mx_pad(a, 2, axes, lo1, hi1, NULL, "edge", S), edge, 15);
  int lo2[2] = {1, 2}, hi2[2] = {1, 2};
  const double refl[] = {5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0,
                         5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0};
  expect(mx_pad(a, 2, axes, lo2, hi2, NULL, "reflect", S), refl, 28);
  const double sym[] = {1, 0, 0, 1, 2, 2, 1, 1, 0, 0, 1, 2, 2, 1,
                        4, 3, 3, 4, 5, 5, 4, 4, 3, 3, 4, 5, 5, 4};
  expect(mx_pad(a, 2, axes, lo2, hi2, NULL, "symmetric", S), sym, 28);
  int ax1 = 1, l3 = 3, l4 = 4;
  const double refl3[] = {1, 2, 1, 0, 1, 2, 1, 0, 1, 4, 5, 4, 3, 4, 5, 4, 3, 4};
  expect(mx_pad(a, 1, &ax1, &l3, &l3, NULL, "reflect", S), refl3, 18);
  const double sym4[] = {2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 5, 5, 4, 3, 3, 4, 5, 5, 4, 3, 3};
  expect(mx_pad(a, 1, &ax1, &l4, &l4, NULL, "symmetric", S), sym4, 22);
  mx_array* v = mx_array_scalar_f64(2.5, MX_FLOAT32);
  int one[2] = {1, 1};
  const double cst[] = {2, 2, 2, 2, 2, 2, 0, 1, 2, 2, 2, 3, 4, 5, 2, 2, 2, 2, 2, 2};
  expect(mx_pad(a, 2, axes, one, one, v, "constant", S), cst, 20);
  mx_array_release(v);
  int neg = -1;
  expect_error(mx_pad(a, 1, &ax1, &neg, &neg, NULL, "constant", S), MX_ERR_VALUE);
  expect_error(mx_pad(a, 2, axes, one, one, NULL, "wrap", S), MX_ERR_VALUE);
  /* A transposed input through the constant path. */
  mx_array* t = mx_transpose(a, 0, NULL, S);
  const double ct[] = {0, 0, 3, 0, 1, 4, 0, 2, 5, 0, 0, 0};
  int lo0[2] = {0, 1}, hi0[2] = {1, 0};
  expect(mx_pad(t, 2, axes, lo0, hi0, NULL, "constant", S), ct, 12);
  mx_array_release(t);
  mx_array_release(a);
}

static void test_creation(void) {
  const double e[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}; /* eye(3, 4, k=-1) */
  expect(mx_eye(3, 4, -1, MX_INT32, S), e, 12);
  const double tr[] = {1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1}; /* tri(3, 4, 1) */
  expect(mx_tri(3, 4, 1, MX_FLOAT32, S), tr, 12);
  expect_error(mx_eye(-1, 2, 0, MX_FLOAT32, S), MX_ERR_VALUE);
  const int s34[2] = {3, 4};
  mx_array* a = iota(2, s34);
  const double tl[] = {0, 1, 0, 0, 4, 5, 6, 0, 8, 9, 10, 11};
  expect(mx_tril(a, 1, S), tl, 12);
  const double tu[] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11};
  expect(mx_triu(a, -1, S), tu, 12);
  mx_array* v = mx_arange(0, 3, 1, MX_INT32, S);
  expect_error(mx_tril(v, 0, S), MX_ERR_VALUE);
  mx_array_release(v);
  mx_array_release(a);
  /* MLX: linspace(0.1, 0.7, 7) in float32 (note 0.59999996). */
  const float lf[] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.59999996f, 0.7f};
  double ld[7];
  for (int i = 0; i < 7; i++) ld[i] = lf[i];
  expect(mx_linspace(0.1, 0.7, 7, true, MX_FLOAT32, S), ld, 7);
  const double li[] = {5, 3, 1};
  expect(mx_linspace(5, 1, 3, true, MX_INT32, S), li, 3);
  expect_error(mx_linspace(0, 1, -1, true, MX_FLOAT32, S), MX_ERR_VALUE);
  /* Windows against NumPy's formulas in double, rounded to float. */
  const int m = 7;
  double wb[7], wh[7];
  for (int i = 0; i < m; i++) {
    wb[i] = (float)(1.0 - fabs(2.0 * i / (m - 1) - 1.0));
    wh[i] = (float)(0.54 - 0.46 * cos(2.0 * M_PI * i / (m - 1)));
  }
  expect(mx_bartlett(m, S), wb, m);
  expect(mx_hamming(m, S), wh, m);
  const double w1[] = {1};
  expect(mx_hanning(1, S), w1, 1);
  expect(mx_blackman(0, S), NULL, 0);
}

static void test_strided_and_view(void) {
  mx_array* a = iota(2, S23);
  const int sh[2] = {3, 2};
  const int64_t st[2] = {1, 3};
  const double w[] = {0, 3, 1, 4, 2, 5};
  expect(mx_as_strided(a, 2, sh, st, 0, S), w, 6);
  mx_array* t = mx_transpose(a, 0, NULL, S);
  const int64_t rst[2] = {2, 1};
  expect(mx_as_strided(t, 2, sh, rst, 0, S), w, 6); /* copied to row order first */
  const int s7 = 7;
  const int64_t one = 1;
  expect_error(mx_as_strided(a, 1, &s7, &one, 0, S), MX_ERR_VALUE);

  mx_array* u8 = mx_view(a, MX_UINT8, S);
  const int us[2] = {2, 12};
  CHECK(shape_is(u8, 2, us));
  double bytes[24];
  CHECK(read_all(u8, bytes, 24) == 0);
  CHECK(bytes[4] == 1 && bytes[5] == 0 && bytes[20] == 5);
  mx_array_release(u8);
  expect_error(mx_view(a, MX_INT64, S), MX_ERR_VALUE);
  mx_array* f = mx_array_scalar_f64(1.0, MX_FLOAT32);
  const double bits[] = {1065353216};
  expect(mx_view(f, MX_INT32, S), bits, 1);
  expect_error(mx_view(f, MX_INT16, S), MX_ERR_VALUE);
  mx_array_release(f);
  /* MLX: view(a.T, int16) -> [[0,0,3,0],[1,0,4,0],[2,0,5,0]]. */
  const double tv[] = {0, 0, 3, 0, 1, 0, 4, 0, 2, 0, 5, 0};
  expect(mx_view(t, MX_INT16, S), tv, 12);

  mx_array* c = mx_contiguous(t, false, S);
  CHECK(mx_array_eval(c) == 0 && (c->flags & MX_FLAG_ROW_CONTIGUOUS));
  expect(c, w, 6);
  c = mx_contiguous(t, true, S);
  CHECK(mx_array_eval(c) == 0 && c->buffer == a->buffer);
  mx_array_release(c);
  mx_array_release(t);

  const double dm[] = {0, 0, 0, 1, 0, 0, 0, 2, 0}; /* diag([1, 2], -1) */
  mx_array* v = mx_arange(1, 3, 1, MX_INT32, S);
  expect(mx_diag(v, -1, S), dm, 9);
  const double dp[] = {0, 1, 0, 0, 0, 2, 0, 0, 0};
  expect(mx_diag(v, 1, S), dp, 9);
  mx_array_release(v);
  mx_array_release(a);
}

int main(void) {
  mx_init();
  S = mx_stream_for_default();
  RUN(test_views_share_buffers);
  RUN(test_reshapes);
  RUN(test_join);
  RUN(test_pad);
  RUN(test_creation);
  RUN(test_strided_and_view);
  return test_summary();
}
