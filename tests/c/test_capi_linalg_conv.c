/* The linalg_conv family's mlx-c functions: every one is called on small
 * inputs, results are compared with values computed here in double (or, for
 * einsum and hadamard, values checked against real MLX 0.32.4), and bad
 * arguments return 1 without aborting. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static mlx_stream S;

static mlx_array arr_f32(const float* data, const int* shape, int ndim) {
  return mlx_array_new_data(data, shape, ndim, MLX_FLOAT32);
}

/* 0, 1, 2, ... scaled, as float32 of `shape`. */
static mlx_array ramp(const int* shape, int ndim, float scale, float offset) {
  size_t n = 1;
  for (int i = 0; i < ndim; i++) n *= (size_t)shape[i];
  float* d = malloc(n * sizeof(float) + 4);
  for (size_t i = 0; i < n; i++) d[i] = offset + scale * (float)i;
  mlx_array a = arr_f32(d, shape, ndim);
  free(d);
  return a;
}

/* Evaluates `a` and compares it with `want` (n values); frees `a`. */
static void want(mlx_array a, const double* want, size_t n, double tol) {
  CHECK(mlx_array_eval(a) == 0);
  CHECK(mlx_array_size(a) == n);
  mlx_array c = mlx_array_new();
  CHECK(mlx_astype(&c, a, MLX_FLOAT32, S) == 0);
  mlx_array r = mlx_array_new();
  CHECK(mlx_contiguous(&r, c, false, S) == 0);
  CHECK(mlx_array_eval(r) == 0);
  const float* p = mlx_array_data_float32(r);
  bool ok = p != NULL;
  for (size_t i = 0; ok && i < n; i++) ok = fabs(p[i] - want[i]) <= tol * (1 + fabs(want[i]));
  CHECK(ok);
  mlx_array_free(r);
  mlx_array_free(c);
  mlx_array_free(a);
}

/* Row-major C = A (m x k) @ B (k x n) in double. */
static void ref_mm(const float* A, const float* B, int m, int k, int n, double* C) {
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double acc = 0;
      for (int q = 0; q < k; q++) acc += (double)A[i * k + q] * B[q * n + j];
      C[i * n + j] = acc;
    }
}

static void test_products(void) {
  float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {1, -1, 2, 0, 0.5f, 3};
  int sa[2] = {2, 3}, sb[2] = {3, 2};
  mlx_array a = arr_f32(A, sa, 2), b = arr_f32(B, sb, 2);
  double ab[4];
  ref_mm(A, B, 2, 3, 2, ab);

  float Cv[4] = {1, 2, 3, 4};
  int sc[2] = {2, 2};
  mlx_array c = arr_f32(Cv, sc, 2);
  mlx_array r = mlx_array_new();
  CHECK(mlx_addmm(&r, c, a, b, 2.0f, 0.5f, S) == 0);
  double w[4];
  for (int i = 0; i < 4; i++) w[i] = 2 * ab[i] + 0.5 * Cv[i];
  want(r, w, 4, 1e-6);

  r = mlx_array_new();
  CHECK(mlx_tensordot_axis(&r, a, b, 1, S) == 0);
  want(r, ab, 4, 1e-6);
  r = mlx_array_new();
  const int ax_a[1] = {1}, ax_b[1] = {0};
  CHECK(mlx_tensordot(&r, a, b, ax_a, 1, ax_b, 1, S) == 0);
  want(r, ab, 4, 1e-6);
  /* mismatched axis lists */
  r = mlx_array_new();
  CHECK(mlx_tensordot(&r, a, b, ax_a, 1, ax_b, 0, S) == 1);
  mlx_array_free(r);

  /* inner(a, a): a @ a.T */
  r = mlx_array_new();
  CHECK(mlx_inner(&r, a, a, S) == 0);
  const double inn[4] = {14, 32, 32, 77};
  want(r, inn, 4, 1e-6);

  /* outer of the flattened operands */
  r = mlx_array_new();
  CHECK(mlx_outer(&r, a, c, S) == 0);
  double ou[24];
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 4; j++) ou[i * 4 + j] = A[i] * Cv[j];
  want(r, ou, 24, 0);

  /* kron of (2,2) and (2,2) */
  r = mlx_array_new();
  CHECK(mlx_kron(&r, c, c, S) == 0);
  double kr[16];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) kr[i * 4 + j] = Cv[(i / 2) * 2 + j / 2] * Cv[(i % 2) * 2 + j % 2];
  want(r, kr, 16, 0);

  /* einsum through a vector of operands */
  mlx_vector_array ops = mlx_vector_array_new();
  mlx_vector_array_append_value(ops, a);
  mlx_vector_array_append_value(ops, b);
  r = mlx_array_new();
  CHECK(mlx_einsum(&r, "ij,jk->ik", ops, S) == 0);
  want(r, ab, 4, 1e-6);
  r = mlx_array_new();
  CHECK(mlx_einsum(&r, "ij,jk->ki", ops, S) == 0);
  const double abt[4] = {ab[0], ab[2], ab[1], ab[3]};
  want(r, abt, 4, 1e-6);
  r = mlx_array_new();
  CHECK(mlx_einsum(&r, "ij->i", ops, S) == 1); /* operand count */
  mlx_array_free(r);
  mlx_vector_array_free(ops);

  /* gather_mm: pick matrices 1 and 0 of a (2, 2, 3) batch */
  int s3[3] = {2, 2, 3};
  mlx_array a3 = ramp(s3, 3, 1, 0);
  const uint32_t li[2] = {1, 0};
  int sl[1] = {2};
  mlx_array lidx = mlx_array_new_data(li, sl, 1, MLX_UINT32);
  r = mlx_array_new();
  CHECK(mlx_gather_mm(&r, a3, b, lidx, mlx_array_new(), false, S) == 0);
  float A3[12];
  for (int i = 0; i < 12; i++) A3[i] = (float)i;
  double g[8];
  ref_mm(A3 + 6, B, 2, 3, 2, g);
  ref_mm(A3, B, 2, 3, 2, g + 4);
  want(r, g, 8, 1e-6);

  /* segmented_mm: segments [0,1) and [1,3) of the inner dim */
  const int32_t seg[4] = {0, 1, 1, 3};
  int ss[2] = {2, 2};
  mlx_array sgm = mlx_array_new_data(seg, ss, 2, MLX_INT32);
  r = mlx_array_new();
  CHECK(mlx_segmented_mm(&r, a, b, sgm, S) == 0);
  double sm[8];
  for (int s = 0; s < 2; s++)
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) {
        double acc = 0;
        for (int q = seg[2 * s]; q < seg[2 * s + 1]; q++) acc += (double)A[i * 3 + q] * B[q * 2 + j];
        sm[s * 4 + i * 2 + j] = acc;
      }
  want(r, sm, 8, 1e-6);

  /* block_masked_mm without masks is a matmul; with an output mask of
   * zeros the result is zero. */
  r = mlx_array_new();
  CHECK(mlx_block_masked_mm(&r, a, b, 32, mlx_array_new(), mlx_array_new(), mlx_array_new(), S) ==
        0);
  want(r, ab, 4, 1e-6);
  const bool mfalse[1] = {false};
  int s11[2] = {1, 1};
  mlx_array mo = mlx_array_new_data(mfalse, s11, 2, MLX_BOOL);
  r = mlx_array_new();
  CHECK(mlx_block_masked_mm(&r, a, b, 32, mo, mlx_array_new(), mlx_array_new(), S) == 0);
  const double zeros[4] = {0, 0, 0, 0};
  want(r, zeros, 4, 0);
  r = mlx_array_new();
  CHECK(mlx_block_masked_mm(&r, a, b, 16, mo, mlx_array_new(), mlx_array_new(), S) == 1);
  mlx_array_free(r);

  /* hadamard of [1, 2, 3, 4]: [5, -1, -2, 0] with the default scale 1/2
   * (checked against MLX), [10, -2, -4, 0] with scale 1. */
  const float hv[4] = {1, 2, 3, 4};
  int s4[1] = {4};
  mlx_array h = arr_f32(hv, s4, 1);
  r = mlx_array_new();
  CHECK(mlx_hadamard_transform(&r, h, (mlx_optional_float){0, false}, S) == 0);
  const double hw[4] = {5, -1, -2, 0};
  want(r, hw, 4, 1e-6);
  r = mlx_array_new();
  CHECK(mlx_hadamard_transform(&r, h, (mlx_optional_float){1.0f, true}, S) == 0);
  const double hw1[4] = {10, -2, -4, 0};
  want(r, hw1, 4, 1e-6);

  /* integer matmul-based products fail like MLX (ValueError) */
  const int32_t iv[4] = {1, 2, 3, 4};
  mlx_array ia = mlx_array_new_data(iv, sc, 2, MLX_INT32);
  r = mlx_array_new();
  CHECK(mlx_addmm(&r, ia, ia, ia, 1, 1, S) == 1);
  CHECK(mlx_inner(&r, ia, ia, S) == 1);
  CHECK(mlx_kron(&r, ia, ia, S) == 0); /* kron multiplies: integers are fine */
  mlx_array_free(r);

  mlx_array_free(ia);
  mlx_array_free(h);
  mlx_array_free(mo);
  mlx_array_free(sgm);
  mlx_array_free(lidx);
  mlx_array_free(a3);
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_array_free(c);
}

/* Reference 1-D/2-D cross-correlation, channels last, single group:
 * x (N, H, W, Ci), w (Co, KH, KW, Ci), stride/padding/dilation per dim. */
static void ref_conv2d(const float* x, const float* w, int N, int H, int W, int Ci, int Co,
                       int KH, int KW, const int* st, const int* pd, const int* dl, int OH, int OW,
                       double* out) {
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++)
        for (int co = 0; co < Co; co++) {
          double acc = 0;
          for (int kh = 0; kh < KH; kh++)
            for (int kw = 0; kw < KW; kw++) {
              int ih = oh * st[0] - pd[0] + kh * dl[0], iw = ow * st[1] - pd[1] + kw * dl[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (int ci = 0; ci < Ci; ci++)
                acc += (double)x[((n * H + ih) * W + iw) * Ci + ci] *
                       w[((co * KH + kh) * KW + kw) * Ci + ci];
            }
          out[((n * OH + oh) * OW + ow) * Co + co] = acc;
        }
}

static void test_convolutions(void) {
  int sx[4] = {2, 5, 6, 3}, sw[4] = {4, 3, 2, 3};
  mlx_array x = ramp(sx, 4, 0.01f, -0.5f), w = ramp(sw, 4, -0.02f, 0.7f);
  float X[180], Wt[72];
  for (int i = 0; i < 180; i++) X[i] = -0.5f + 0.01f * (float)i;
  for (int i = 0; i < 72; i++) Wt[i] = 0.7f - 0.02f * (float)i;

  /* conv2d, stride (2,1), padding (1,0), dilation (1,2): out (2,3,4,4) */
  int st[2] = {2, 1}, pd[2] = {1, 0}, dl[2] = {1, 2};
  double ref[96];
  ref_conv2d(X, Wt, 2, 5, 6, 3, 4, 3, 2, st, pd, dl, 3, 4, ref);
  mlx_array r = mlx_array_new();
  CHECK(mlx_conv2d(&r, x, w, 2, 1, 1, 0, 1, 2, 1, S) == 0);
  CHECK(mlx_array_ndim(r) == 4 && mlx_array_shape(r)[1] == 3 && mlx_array_shape(r)[2] == 4);
  want(r, ref, 96, 1e-5);

  /* the same through conv_general */
  r = mlx_array_new();
  CHECK(mlx_conv_general(&r, x, w, st, 2, pd, 2, pd, 2, dl, 2, NULL, 0, 1, false, S) == 0);
  want(r, ref, 96, 1e-5);

  /* conv1d on (N, L, C) = (2, 30, 3) viewed from the same data */
  int sx1[3] = {2, 30, 3}, sw1[3] = {4, 6, 3};
  mlx_array x1 = ramp(sx1, 3, 0.01f, -0.5f), w1 = ramp(sw1, 3, -0.02f, 0.7f);
  int st1[2] = {1, 3}, pd1[2] = {0, 2}, dl1[2] = {1, 1};
  double ref1[2 * 10 * 4];
  ref_conv2d(X, Wt, 2, 1, 30, 3, 4, 1, 6, st1, pd1, dl1, 1, 10, ref1);
  r = mlx_array_new();
  CHECK(mlx_conv1d(&r, x1, w1, 3, 2, 1, 1, S) == 0);
  want(r, ref1, 80, 1e-5);

  /* conv3d with a size-1 depth equals the 2-D result */
  int sx3[5] = {2, 1, 5, 6, 3}, sw3[5] = {4, 1, 3, 2, 3};
  mlx_array x3 = ramp(sx3, 5, 0.01f, -0.5f), w3 = ramp(sw3, 5, -0.02f, 0.7f);
  r = mlx_array_new();
  CHECK(mlx_conv3d(&r, x3, w3, 1, 2, 1, 0, 1, 0, 1, 1, 2, 1, S) == 0);
  want(r, ref, 96, 1e-5);

  /* transposed convolutions: stride 1, padding k-1 with a flipped kernel
   * is a plain "full" correlation; check the shapes MLX gives and that the
   * 1-D case of a single tap is a scaled copy (shapes checked against MLX). */
  r = mlx_array_new();
  CHECK(mlx_conv_transpose2d(&r, x, w, 2, 2, 1, 1, 1, 1, 1, 0, 1, S) == 0);
  CHECK(mlx_array_eval(r) == 0);
  CHECK(mlx_array_shape(r)[1] == 10 && mlx_array_shape(r)[2] == 10); /* as MLX */
  mlx_array_free(r);
  r = mlx_array_new();
  CHECK(mlx_conv_transpose3d(&r, x3, w3, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, S) == 0);
  CHECK(mlx_array_eval(r) == 0);
  CHECK(mlx_array_shape(r)[1] == 1 && mlx_array_shape(r)[2] == 7 && mlx_array_shape(r)[3] == 7);
  mlx_array_free(r);
  const float one_tap[3] = {2, 0, 0};
  int s113[3] = {1, 1, 3};
  mlx_array wt1 = arr_f32(one_tap, s113, 3);
  r = mlx_array_new();
  CHECK(mlx_conv_transpose1d(&r, x1, wt1, 1, 0, 1, 0, 1, S) == 0);
  double tr[60];
  for (int i = 0; i < 60; i++) tr[i] = 2 * X[i * 3];
  want(r, tr, 60, 1e-6);

  /* errors: integer input, bad groups */
  const int32_t iv[6] = {1, 2, 3, 4, 5, 6};
  int si[3] = {1, 2, 3};
  mlx_array xi = mlx_array_new_data(iv, si, 3, MLX_INT32);
  r = mlx_array_new();
  CHECK(mlx_conv1d(&r, xi, w1, 1, 0, 1, 1, S) == 1);
  CHECK(mlx_conv2d(&r, x, w, 1, 1, 0, 0, 1, 1, 0, S) == 1);
  CHECK(mlx_conv_general(&r, x, w, NULL, 3, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 1, false, S) == 1);
  mlx_array_free(r);

  mlx_array_free(xi);
  mlx_array_free(wt1);
  mlx_array_free(x3);
  mlx_array_free(w3);
  mlx_array_free(x1);
  mlx_array_free(w1);
  mlx_array_free(x);
  mlx_array_free(w);
}

int main(void) {
  mlx_set_error_handler(test_count_errors, NULL, NULL);
  S = mlx_default_cpu_stream_new();
  RUN(test_products);
  RUN(test_convolutions);
  mlx_stream_free(S);
  return test_summary();
}
