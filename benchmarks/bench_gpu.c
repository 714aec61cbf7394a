/* GPU benchmarks: memory-bound ops against the device-to-device copy
 * bandwidth measured in the same run, matrix products in TFLOP/s, and the
 * cost of one small op (launch plus scheduling).
 *
 * Each timing is the median of several runs of: build the op, eval, wait for
 * the GPU stream.  Bytes count each input read once and the output written
 * once.  Prints "skip" and exits 0 without a GPU.
 *
 * Run: build-dir/bench_gpu */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/ops.h"

#ifdef MX_HAVE_CUDA
#include <cuda_runtime_api.h>
#endif

static mx_stream GPU;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* Random float32 array of n elements in [-1, 1), made on the host and moved
 * to the GPU once (copy on the GPU stream). */
static mx_array* random_gpu(int ndim, const int* shape, mx_dtype dtype) {
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) n *= shape[d];
  float* buf = malloc((size_t)n * sizeof(float));
  uint32_t x = 2463534242u;
  for (int64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    buf[i] = (float)((x >> 8) * (1.0 / 8388608.0) - 1.0);
  }
  mx_array* h = mx_array_from_data(buf, MX_FLOAT32, ndim, shape);
  free(buf);
  mx_array* g = mx_astype(h, dtype, GPU);
  mx_array_release(h);
  if (mx_array_eval(g) != 0 || mx_synchronize(GPU) != 0) {
    fprintf(stderr, "setup failed: %s\n", mx_error_message());
    exit(1);
  }
  return g;
}

typedef mx_array* (*op_fn)(void* ctx);

/* Median seconds of `reps` runs of fn (after two warm-ups). */
static double time_op(op_fn fn, void* ctx, int reps) {
  double t[64];
  if (reps > 64) reps = 64;
  for (int i = -2; i < reps; i++) {
    double t0 = now();
    mx_array* y = fn(ctx);
    if (!y || mx_array_eval(y) != 0 || mx_synchronize(GPU) != 0) {
      fprintf(stderr, "op failed: %s\n", mx_error_message());
      exit(1);
    }
    double dt = now() - t0;
    mx_array_release(y);
    if (i >= 0) t[i] = dt;
  }
  qsort(t, (size_t)reps, sizeof *t, cmp_double);
  return t[reps / 2];
}

typedef struct ctx {
  mx_array *a, *b;
  int axis;
  mx_dtype dtype;
} ctx;

static mx_array* op_add(void* c) { return mx_add(((ctx*)c)->a, ((ctx*)c)->b, GPU); }
static mx_array* op_sum_all(void* c) { return mx_sum(((ctx*)c)->a, 0, NULL, false, GPU); }
static mx_array* op_sum_axis(void* c) {
  int ax[1] = {((ctx*)c)->axis};
  return mx_sum(((ctx*)c)->a, 1, ax, false, GPU);
}
static mx_array* op_maximum(void* c) { return mx_maximum(((ctx*)c)->a, ((ctx*)c)->b, GPU); }
static mx_array* op_exp(void* c) { return mx_exp(((ctx*)c)->a, GPU); }
static mx_array* op_copy(void* c) { return mx_copy(((ctx*)c)->a, GPU); }
static mx_array* op_astype(void* c) { return mx_astype(((ctx*)c)->a, ((ctx*)c)->dtype, GPU); }
static mx_array* op_matmul(void* c) { return mx_matmul(((ctx*)c)->a, ((ctx*)c)->b, GPU); }

#ifdef MX_HAVE_CUDA
/* Device-to-device copy bandwidth (bytes read + written per second), the
 * ceiling for memory-bound ops. */
static double memcpy_bandwidth(size_t bytes) {
  void *src = NULL, *dst = NULL;
  cudaEvent_t e0, e1;
  if (cudaMalloc(&src, bytes) != cudaSuccess || cudaMalloc(&dst, bytes) != cudaSuccess) return 0;
  cudaMemset(src, 1, bytes);
  cudaEventCreate(&e0);
  cudaEventCreate(&e1);
  double t[10];
  for (int i = -2; i < 10; i++) {
    cudaEventRecord(e0, 0);
    cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, 0);
    cudaEventRecord(e1, 0);
    cudaEventSynchronize(e1);
    float ms = 0;
    cudaEventElapsedTime(&ms, e0, e1);
    if (i >= 0) t[i] = ms * 1e-3;
  }
  qsort(t, 10, sizeof *t, cmp_double);
  cudaFree(src);
  cudaFree(dst);
  cudaEventDestroy(e0);
  cudaEventDestroy(e1);
  return 2.0 * (double)bytes / t[5];
}
#endif

static double peak_bw = 0;

static void report_bw(const char* name, double secs, double bytes) {
  double bw = bytes / secs;
  printf("%-44s %10.3f ms %8.1f GB/s %7.2f of copy peak\n", name, secs * 1e3, bw * 1e-9,
         peak_bw > 0 ? bw / peak_bw : 0.0);
}

static void report_flops(const char* name, double secs, double flops) {
  printf("%-44s %10.3f ms %8.1f TFLOP/s\n", name, secs * 1e3, flops / secs * 1e-12);
}

int main(void) {
  mx_init();
  if (!mx_device_available(MX_DEVICE_GPU)) {
    printf("skip: no GPU available\n");
    return 0;
  }
  GPU = mx_default_stream((mx_device){MX_DEVICE_GPU, 0});
#ifdef MX_HAVE_CUDA
  peak_bw = memcpy_bandwidth((size_t)1 << 30);
  printf("%-44s %24.1f GB/s (read + write)\n", "cudaMemcpy device-to-device, 1 GiB",
         peak_bw * 1e-9);
#endif

  const int N = 1 << 28; /* 256 Mi float32 = 1 GiB */
  int shape1[1] = {N};
  ctx c = {0};
  c.a = random_gpu(1, shape1, MX_FLOAT32);
  c.b = random_gpu(1, shape1, MX_FLOAT32);
  report_bw("add float32 2^28 (dense)", time_op(op_add, &c, 10), 3.0 * N * 4);
  mx_array* b_full = c.b;
  c.b = mx_array_scalar_f64(0.5, MX_FLOAT32);
  report_bw("add float32 2^28 + scalar", time_op(op_add, &c, 10), 2.0 * N * 4);
  mx_array_release(c.b);
  c.b = b_full;
  report_bw("sum float32 2^28 (all)", time_op(op_sum_all, &c, 10), 1.0 * N * 4);
  report_bw("maximum float32 2^28 (dense)", time_op(op_maximum, &c, 10), 3.0 * N * 4);
  report_bw("exp float32 2^28 (dense)", time_op(op_exp, &c, 10), 2.0 * N * 4);
  c.dtype = MX_BFLOAT16;
  report_bw("astype float32 -> bfloat16 2^28", time_op(op_astype, &c, 10), 1.0 * N * 6);
  mx_array_release(c.a);
  mx_array_release(c.b);

  int sq[2] = {16384, 16384};
  c.a = random_gpu(2, sq, MX_FLOAT32);
  c.axis = 0;
  report_bw("sum float32 16384x16384 axis 0", time_op(op_sum_axis, &c, 10), 1.0 * N * 4);
  c.axis = 1;
  report_bw("sum float32 16384x16384 axis 1", time_op(op_sum_axis, &c, 10), 1.0 * N * 4);
  mx_array* t = mx_transpose(c.a, 0, NULL, GPU);
  mx_array_release(c.a);
  c.a = t;
  report_bw("copy of transposed float32 16384x16384", time_op(op_copy, &c, 10), 2.0 * N * 4);
  mx_array_release(c.a);

  int mshape[2] = {8192, 8192};
  double flops = 2.0 * 8192.0 * 8192.0 * 8192.0;
  mx_dtype mts[3] = {MX_BFLOAT16, MX_FLOAT16, MX_FLOAT32};
  const char* mnames[3] = {"matmul bfloat16 8192^3", "matmul float16 8192^3",
                           "matmul float32 8192^3 (TF32 allowed)"};
  for (int i = 0; i < 3; i++) {
    c.a = random_gpu(2, mshape, mts[i]);
    c.b = random_gpu(2, mshape, mts[i]);
    report_flops(mnames[i], time_op(op_matmul, &c, 10), flops);
    if (i == 0) {
      mx_array* bt = mx_transpose(c.b, 0, NULL, GPU);
      mx_array_release(c.b);
      c.b = bt;
      report_flops("matmul bfloat16 8192^3, b transposed", time_op(op_matmul, &c, 10), flops);
    }
    mx_array_release(c.a);
    mx_array_release(c.b);
  }

  /* One small op: what a decode step pays per kernel. */
  int small[1] = {1024};
  c.a = random_gpu(1, small, MX_FLOAT32);
  c.b = random_gpu(1, small, MX_FLOAT32);
  double t0 = now();
  const int iters = 2000;
  for (int i = 0; i < iters; i++) {
    mx_array* y = mx_add(c.a, c.b, GPU);
    mx_array_eval(y);
    mx_array_release(y);
  }
  mx_synchronize(GPU);
  printf("%-44s %10.2f us per op (eval without sync)\n", "add float32 1024",
         (now() - t0) / iters * 1e6);
  t0 = now();
  for (int i = 0; i < 200; i++) {
    mx_array* y = mx_add(c.a, c.b, GPU);
    mx_array_eval(y);
    mx_synchronize(GPU);
    mx_array_release(y);
  }
  printf("%-44s %10.2f us per op (eval + sync)\n", "add float32 1024", (now() - t0) / 200 * 1e6);
  mx_array_release(c.a);
  mx_array_release(c.b);
  return 0;
}
