/* The linalg_conv family through the internal API: the convolution kernel
 * (im2col, the run-copy and 1x1 fast paths, depthwise) against a direct
 * double-precision reference over many parameter combinations, the batched
 * GEMM driver's parallel path, the other product kernels, and the error
 * kinds (MLX's: shapes and dtypes are ValueError; out-of-range indices an
 * IndexError here, where MLX reads out of bounds). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static mx_stream S;
static uint64_t rng_state = 88172645463325252ull;

static double urand(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

/* A random float32 array of `shape`, its values also returned in `vals`
 * (caller frees). */
static mx_array* rand_array(int nd, const int* shape, double** vals) {
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  float* f = malloc((size_t)n * sizeof(float) + 4);
  *vals = malloc((size_t)n * sizeof(double) + 8);
  for (int64_t i = 0; i < n; i++) {
    f[i] = (float)urand();
    (*vals)[i] = f[i];
  }
  mx_array* a = mx_array_from_data(f, MX_FLOAT32, nd, shape);
  free(f);
  return a;
}

/* Evaluates `a` (float32) into a row-major double buffer (caller frees). */
static double* read_f32(mx_array* a) {
  if (!a || mx_array_eval(a) != 0 || a->dtype != MX_FLOAT32) return NULL;
  mx_array* c = mx_copy(a, S);
  if (!c || mx_array_eval(c) != 0) {
    mx_array_release(c);
    return NULL;
  }
  double* out = malloc((size_t)a->size * sizeof(double) + 8);
  const float* p = mx_array_host_data(c);
  for (int64_t i = 0; i < a->size; i++) out[i] = p[i];
  mx_array_release(c);
  return out;
}

static double max_err(const double* a, const double* b, int64_t n) {
  double m = 0;
  for (int64_t i = 0; i < n; i++) {
    double e = fabs(a[i] - b[i]) / (1 + fabs(b[i]));
    if (e > m) m = e;
  }
  return m;
}

/* Direct 2-D convolution in double (one spatial dim of size 1 gives 1-D):
 * channels last, groups, stride, low/high padding, kernel and input
 * dilation, optional flip. */
typedef struct conv_case {
  int N, H, W, Ci, Co, KH, KW, G;
  int st[2], lo[2], hi[2], kd[2], id[2];
  bool flip;
} conv_case;

static int out_size(int n, int k, int st, int lo, int hi, int kd, int id) {
  int ext = (n - 1) * id + 1 + lo + hi, kext = (k - 1) * kd + 1;
  return ext < kext ? -1 : (ext - kext) / st + 1;
}

static void ref_conv(const conv_case* c, const double* x, const double* w, int OH, int OW,
                     double* out) {
  int Cg = c->Ci / c->G, CoG = c->Co / c->G;
  for (int n = 0; n < c->N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++)
        for (int co = 0; co < c->Co; co++) {
          int g = co / CoG;
          double acc = 0;
          for (int kh = 0; kh < c->KH; kh++)
            for (int kw = 0; kw < c->KW; kw++) {
              int fh = c->flip ? c->KH - 1 - kh : kh, fw = c->flip ? c->KW - 1 - kw : kw;
              int qh = oh * c->st[0] - c->lo[0] + fh * c->kd[0];
              int qw = ow * c->st[1] - c->lo[1] + fw * c->kd[1];
              if (qh < 0 || qw < 0 || qh % c->id[0] || qw % c->id[1]) continue;
              int ih = qh / c->id[0], iw = qw / c->id[1];
              if (ih >= c->H || iw >= c->W) continue;
              for (int ci = 0; ci < Cg; ci++)
                acc += x[((n * c->H + ih) * c->W + iw) * c->Ci + g * Cg + ci] *
                       w[((co * c->KH + kh) * c->KW + kw) * Cg + ci];
            }
          out[((n * OH + oh) * OW + ow) * c->Co + co] = acc;
        }
}

static void run_conv_case(const conv_case* c) {
  int xs[4] = {c->N, c->H, c->W, c->Ci}, ws[4] = {c->Co, c->KH, c->KW, c->Ci / c->G};
  double *xv, *wv;
  mx_array* x = rand_array(4, xs, &xv);
  mx_array* w = rand_array(4, ws, &wv);
  int OH = out_size(c->H, c->KH, c->st[0], c->lo[0], c->hi[0], c->kd[0], c->id[0]);
  int OW = out_size(c->W, c->KW, c->st[1], c->lo[1], c->hi[1], c->kd[1], c->id[1]);
  mx_array* r = mx_conv_general(x, w, 2, c->st, 2, c->lo, 2, c->hi, 2, c->kd, 2, c->id, c->G,
                                c->flip, S);
  CHECK(r != NULL);
  if (r && OH > 0 && OW > 0) {
    CHECK(r->shape[1] == OH && r->shape[2] == OW && r->shape[3] == c->Co);
    int64_t n = (int64_t)c->N * OH * OW * c->Co;
    double* want = malloc((size_t)n * sizeof(double) + 8);
    ref_conv(c, xv, wv, OH, OW, want);
    double* got = read_f32(r);
    CHECK(got != NULL);
    if (got) {
      double e = max_err(got, want, n);
      CHECK(e < 1e-4);
      if (e >= 1e-4) printf("   conv case err %g\n", e);
    }
    free(got);
    free(want);
  }
  mx_array_release(r);
  mx_array_release(x);
  mx_array_release(w);
  free(xv);
  free(wv);
}

static void test_conv_random(void) {
  /* Fixed cases for each kernel path, then random ones. */
  conv_case fixed[] = {
      {2, 6, 7, 4, 5, 3, 3, 1, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, false}, /* runs */
      {1, 5, 5, 6, 4, 1, 1, 1, {1, 1}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, false}, /* 1x1 */
      {1, 5, 5, 6, 4, 1, 1, 2, {1, 1}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, false}, /* 1x1 grouped */
      {2, 6, 6, 8, 8, 3, 3, 8, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, false}, /* depthwise */
      {1, 6, 6, 4, 8, 3, 2, 4, {2, 1}, {1, 0}, {0, 1}, {1, 2}, {1, 1}, true},  /* depthwise x2 */
      {1, 9, 9, 3, 7, 5, 5, 1, {2, 2}, {2, 2}, {2, 2}, {1, 1}, {1, 1}, false}, /* small C_in */
      {1, 4, 5, 3, 2, 3, 3, 1, {1, 1}, {2, 2}, {2, 2}, {1, 1}, {2, 2}, true},  /* transposed */
      {1, 7, 7, 2, 3, 3, 3, 1, {1, 1}, {-1, 0}, {0, -1}, {1, 1}, {1, 1}, false}, /* crop */
      /* C_out/groups a multiple of 16: the direct kernel (widths 64+32+16,
       * position tails, padding, strides, dilations, flips, groups, and the
       * packed rows of small C_in) */
      {2, 7, 5, 20, 112, 3, 3, 1, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, false},
      {1, 9, 8, 32, 64, 3, 2, 2, {2, 1}, {1, 0}, {2, 1}, {1, 2}, {1, 1}, true},
      {1, 6, 7, 17, 48, 1, 1, 1, {1, 1}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, false},
      {1, 5, 6, 16, 32, 3, 3, 1, {1, 2}, {2, 2}, {2, 2}, {1, 1}, {2, 1}, true},
      {2, 11, 9, 3, 16, 5, 5, 1, {2, 2}, {2, 1}, {2, 3}, {1, 1}, {1, 1}, false},
      {1, 6, 6, 4, 64, 3, 3, 4, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, false},
  };
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) run_conv_case(&fixed[i]);
  for (int t = 0; t < 60; t++) {
    conv_case c;
    memset(&c, 0, sizeof c);
    c.G = 1 + (int)((urand() + 1) * 1.5);
    c.N = 1 + (int)((urand() + 1) * 1);
    c.Ci = c.G * (1 + (int)((urand() + 1) * 2));
    c.Co = c.G * (1 + (int)((urand() + 1) * 1.5));
    c.H = 1 + (int)((urand() + 1) * 4);
    c.W = 2 + (int)((urand() + 1) * 4);
    c.KH = 1 + (int)((urand() + 1) * 1.5);
    c.KW = 1 + (int)((urand() + 1) * 1.5);
    for (int i = 0; i < 2; i++) {
      c.st[i] = 1 + (int)((urand() + 1) * 1);
      c.lo[i] = (int)((urand() + 1) * 1.5);
      c.hi[i] = (int)((urand() + 1) * 1.5);
      c.kd[i] = 1 + (int)((urand() + 1) * 0.75);
      c.id[i] = 1 + (int)((urand() + 1) * 0.75);
    }
    c.flip = urand() > 0;
    if (out_size(c.H, c.KH, c.st[0], c.lo[0], c.hi[0], c.kd[0], c.id[0]) <= 0 ||
        out_size(c.W, c.KW, c.st[1], c.lo[1], c.hi[1], c.kd[1], c.id[1]) <= 0)
      continue;
    run_conv_case(&c);
  }
}

/* Batched products: many small matrices (the batch-parallel path) and a
 * broadcast batch operand, against a double loop. */
static void test_batched_matmul(void) {
  int as[3] = {500, 5, 7}, bs[2] = {7, 3};
  double *av, *bv;
  mx_array* a = rand_array(3, as, &av);
  mx_array* b = rand_array(2, bs, &bv);
  mx_array* r = mx_matmul(a, b, S);
  double* got = read_f32(r);
  CHECK(got != NULL);
  double* want = malloc(500 * 5 * 3 * sizeof(double));
  for (int n = 0; n < 500; n++)
    for (int i = 0; i < 5; i++)
      for (int j = 0; j < 3; j++) {
        double acc = 0;
        for (int k = 0; k < 7; k++) acc += av[(n * 5 + i) * 7 + k] * bv[k * 3 + j];
        want[(n * 5 + i) * 3 + j] = acc;
      }
  if (got) CHECK(max_err(got, want, 1500) < 1e-5);
  free(got);
  free(want);
  mx_array_release(r);
  /* integer operands are refused, as in MLX */
  int s2[2] = {2, 2};
  mx_array* i32 = mx_ones(2, s2, MX_INT32, S);
  CHECK(mx_matmul(i32, i32, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  mx_array_release(i32);
  mx_array_release(a);
  mx_array_release(b);
  free(av);
  free(bv);
}

static void test_products_and_errors(void) {
  int as[3] = {3, 2, 4}, bs[3] = {5, 4, 3};
  double *av, *bv;
  mx_array* a = rand_array(3, as, &av);
  mx_array* b = rand_array(3, bs, &bv);
  /* gather_mm picking a[2] @ b[4] */
  const uint32_t li[1] = {2}, ri[1] = {4};
  int s1[1] = {1};
  mx_array* l = mx_array_from_data(li, MX_UINT32, 1, s1);
  mx_array* rr = mx_array_from_data(ri, MX_UINT32, 1, s1);
  mx_array* g = mx_gather_mm(a, b, l, rr, false, S);
  double* got = read_f32(g);
  CHECK(got != NULL);
  bool ok = got != NULL;
  for (int i = 0; ok && i < 2; i++)
    for (int j = 0; j < 3; j++) {
      double acc = 0;
      for (int k = 0; k < 4; k++) acc += av[(2 * 2 + i) * 4 + k] * bv[(4 * 4 + k) * 3 + j];
      ok = ok && fabs(got[i * 3 + j] - acc) < 1e-5;
    }
  CHECK(ok);
  free(got);
  mx_array_release(g);
  /* an index past the batch is an error at evaluation, never a crash */
  const uint32_t bad[1] = {7};
  mx_array* bi = mx_array_from_data(bad, MX_UINT32, 1, s1);
  g = mx_gather_mm(a, b, l, bi, false, S);
  CHECK(g != NULL && mx_array_eval(g) != 0 && mx_error_last_kind() == MX_ERR_INDEX);
  mx_array_release(g);
  mx_array_release(bi);

  /* hadamard: an unsupported length and float64 are ValueErrors */
  int s3[1] = {3};
  mx_array* h3 = mx_ones(1, s3, MX_FLOAT32, S);
  CHECK(mx_hadamard_transform(h3, false, 0, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  mx_array_release(h3);
  /* conv errors: integer input, channel mismatch, out-of-range dims */
  int xs[3] = {1, 5, 2}, ws[3] = {3, 3, 3};
  mx_array* xi = mx_ones(3, xs, MX_INT32, S);
  mx_array* w = mx_ones(3, ws, MX_FLOAT32, S);
  int one = 1;
  CHECK(mx_conv_nd(xi, w, 1, &one, &one, &one, 1, S) == NULL &&
        mx_error_last_kind() == MX_ERR_VALUE);
  mx_array* xf = mx_ones(3, xs, MX_FLOAT32, S);
  CHECK(mx_conv_nd(xf, w, 1, &one, &one, &one, 1, S) == NULL &&
        mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(mx_convolve(xf, w, "full", S) == NULL);
  /* tensordot/vecdot axis errors */
  CHECK(mx_vecdot(a, a, 3, S) == NULL && mx_error_last_kind() == MX_ERR_INDEX);
  int ax = 5;
  CHECK(mx_tensordot(a, b, 1, &ax, &ax, S) == NULL && mx_error_last_kind() == MX_ERR_INDEX);
  /* einsum parse errors and a working contraction */
  mx_array* ops[2] = {a, b};
  CHECK(mx_einsum("ij,jk", 1, ops, S) == NULL);
  mx_array* e = mx_einsum("bij,cjk->bcik", 2, ops, S);
  CHECK(e != NULL && e->ndim == 4 && e->shape[0] == 3 && e->shape[1] == 5);
  mx_array_release(e);
  int nsteps, *sizes, *steps;
  char* info;
  CHECK(mx_einsum_path("bij,cjk->bcik", 2, ops, &nsteps, &sizes, &steps, &info) == 0);
  CHECK(nsteps == 1 && sizes[0] == 2 && steps[0] == 0 && steps[1] == 1);
  CHECK(strstr(info, "Complete contraction:  bij,cjk->bcik") != NULL);
  free(sizes);
  free(steps);
  free(info);
  mx_array_release(xi);
  mx_array_release(xf);
  mx_array_release(w);
  mx_array_release(l);
  mx_array_release(rr);
  mx_array_release(a);
  mx_array_release(b);
  free(av);
  free(bv);
}

int main(void) {
  S = mx_stream_for_default();
  RUN(test_conv_random);
  RUN(test_batched_matmul);
  RUN(test_products_and_errors);
  return test_summary();
}
