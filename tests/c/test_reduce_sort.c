/* reduce_sort kernels through the internal API: the layouts each kernel
 * has a path for (innermost axis, leading axis, transposed and broadcast
 * inputs), long lines that take the parallel / bucketed paths, exact
 * 64-bit keys, and the error kinds of bad arguments.  Expected values are
 * computed here with plain loops (the reference for sorted order is a
 * simple insertion sort). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ops/ops.h"

static mx_stream S;

static mx_array* from_f32(const float* v, int ndim, const int* shape) {
  return mx_array_from_data(v, MX_FLOAT32, ndim, shape);
}
static const void* eval_data(mx_array* a) {
  if (!a || mx_eval(1, &a) != 0) return NULL;
  return mx_array_host_data(a);
}
/* Row-contiguous copy of `a` evaluated; caller releases. */
static mx_array* dense(mx_array* a) {
  mx_array* c = mx_copy(a, S);
  eval_data(c);
  return c;
}

static void test_argreduce_layouts(void) {
  enum { R = 37, C = 5000 };
  float* v = malloc(sizeof(float) * R * C);
  uint64_t st = 12345;
  for (int i = 0; i < R * C; i++) {
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    v[i] = (float)((st >> 33) % 100000) / 7.0f;
  }
  v[3 * C + 4000] = 1e9f;
  v[3 * C + 4001] = 1e9f; /* a tie: the first index wins */
  v[7 * C + 12] = NAN;
  int shape[2] = {R, C};
  mx_array* x = from_f32(v, 2, shape);
  mx_array* am = mx_argmax(x, false, 1, false, S);
  const uint32_t* d = eval_data(am);
  CHECK(d != NULL);
  bool ok = true;
  for (int r = 0; d && r < R; r++) {
    int best = 0;
    for (int c = 1; c < C; c++) {
      float a = v[r * C + c], b = v[r * C + best];
      if ((a > b || (a != a && b == b)) && !(b != b)) best = c;
    }
    ok &= d[r] == (uint32_t)best;
  }
  CHECK(ok);
  CHECK(d && d[3] == 4000 && d[7] == 12);
  /* Leading axis (column mode) on the transposed view equals row mode. */
  mx_array* xt = mx_transpose(x, 0, NULL, S);
  mx_array* amt = mx_argmax(xt, false, 0, false, S);
  const uint32_t* dt = eval_data(amt);
  CHECK(dt && memcmp(dt, d, sizeof(uint32_t) * R) == 0);
  /* Over everything (chunked in parallel): the first NaN. */
  mx_array* all = mx_argmin(x, true, 0, false, S);
  const uint32_t* da = eval_data(all);
  CHECK(da && da[0] == 7 * C + 12);
  mx_array_release(all);
  mx_array_release(amt);
  mx_array_release(xt);
  mx_array_release(am);
  mx_array_release(x);
  free(v);
}

static void test_sort_long_and_exact(void) {
  enum { N = 200003 };
  int64_t* v = malloc(sizeof(int64_t) * N);
  uint64_t st = 99;
  for (int i = 0; i < N; i++) {
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    v[i] = (int64_t)(st ^ (st >> 29)) >> (i % 40); /* both signs, many magnitudes */
  }
  v[5] = INT64_MAX;
  v[6] = INT64_MAX - 1;
  v[7] = INT64_MIN;
  int n = N;
  mx_array* x = mx_array_from_data(v, MX_INT64, 1, &n);
  mx_array* s = mx_sort(x, false, 0, S);
  mx_array* as = mx_argsort(x, false, 0, S);
  const int64_t* ds = eval_data(s);
  const uint32_t* di = eval_data(as);
  bool sorted = ds != NULL && di != NULL;
  for (int i = 1; sorted && i < N; i++) sorted = ds[i - 1] <= ds[i];
  for (int i = 0; sorted && i < N; i++) sorted = v[di[i]] == ds[i];
  for (int i = 1; sorted && i < N; i++) /* stable: equal keys keep their order */
    if (ds[i - 1] == ds[i]) sorted = di[i - 1] < di[i];
  CHECK(sorted);
  CHECK(ds && ds[0] == INT64_MIN && ds[N - 1] == INT64_MAX && ds[N - 2] == INT64_MAX - 1);
  mx_array_release(as);
  mx_array_release(s);
  mx_array_release(x);
  free(v);

  /* float32 long line with NaN and -0: the index path keeps their bits. */
  enum { M = 70000 };
  float* f = malloc(sizeof(float) * M);
  for (int i = 0; i < M; i++) f[i] = (float)((i * 7919) % 1000) - 500.0f;
  f[10] = NAN;
  f[11] = -0.0f;
  f[12] = 0.0f;
  int m = M;
  mx_array* y = from_f32(f, 1, &m);
  mx_array* ys = mx_sort(y, false, 0, S);
  const float* dy = eval_data(ys);
  CHECK(dy && isnan(dy[M - 1]) && dy[0] == -500.0f);
  int zero_at = -1;
  for (int i = 0; dy && i < M; i++)
    if (dy[i] == 0.0f) {
      zero_at = i;
      break;
    }
  /* Zeros of both signs share a key, so they must come out in input order
   * with their own sign bits. */
  int zs = 0, zi[64];
  for (int i = 0; i < M && zs < 64; i++)
    if (f[i] == 0.0f) zi[zs++] = i;
  bool zeros_ok = zero_at >= 0;
  for (int k = 0; zeros_ok && k < zs; k++)
    zeros_ok = signbit(dy[zero_at + k]) == signbit(f[zi[k]]);
  CHECK(zeros_ok);
  mx_array_release(ys);
  mx_array_release(y);
  free(f);
}

static void test_scan_layouts(void) {
  float v[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  int shape[2] = {3, 4};
  mx_array* x = from_f32(v, 2, shape);
  mx_array* xt = mx_transpose(x, 0, NULL, S); /* (4, 3) strided */
  mx_array* c = mx_cumsum(xt, false, 1, false, true, -1, S);
  mx_array* cd = dense(c);
  const float* d = mx_array_host_data(cd);
  /* row j of xt is column j of x: (j+1, j+5, j+9) */
  bool ok = d != NULL;
  for (int j = 0; ok && j < 4; j++)
    ok = d[j * 3] == j + 1 && d[j * 3 + 1] == 2 * j + 6 && d[j * 3 + 2] == 3 * j + 15;
  CHECK(ok);
  /* Broadcast input (stride 0) through cummax along axis 0. */
  int bshape[2] = {5, 4};
  int rshape[2] = {1, 4};
  mx_array* r1 = from_f32(v, 2, rshape);
  mx_array* b = mx_broadcast_to(r1, 2, bshape, S);
  mx_array* cm = mx_cumprod(b, false, 0, true, false, -1, S);
  mx_array* cmd = dense(cm);
  const float* e = mx_array_host_data(cmd);
  CHECK(e && e[0] == 1 * 1 * 1 * 1 && e[4 * 4 + 3] == 1 && e[0 * 4 + 1] == 16 && e[3 * 4 + 2] == 3);
  mx_array_release(cmd);
  mx_array_release(cm);
  mx_array_release(b);
  mx_array_release(r1);
  mx_array_release(cd);
  mx_array_release(c);
  mx_array_release(xt);
  mx_array_release(x);
}

static void test_errors(void) {
  float v[6] = {0};
  int shape[2] = {2, 3};
  mx_array* x = from_f32(v, 2, shape);
  int bad = 2;
  struct {
    mx_array* r;
    mx_error_kind kind;
  } cases[] = {
      {mx_argmax(x, false, 2, false, S), MX_ERR_INDEX},
      {mx_sort(x, false, -3, S), MX_ERR_INDEX},
      {mx_cumsum(x, false, 5, false, true, -1, S), MX_ERR_INDEX},
      {mx_partition(x, 3, false, 1, S), MX_ERR_VALUE},
      {mx_topk(x, 4, false, 1, S), MX_ERR_VALUE},
      {mx_mean(x, 1, &bad, false, S), MX_ERR_INDEX},
      {mx_diff(x, -1, 0, S), MX_ERR_VALUE},
      {mx_searchsorted(x, x, false, S), MX_ERR_VALUE},
      {mx_isclose(x, x, 0, 0, false, S), MX_ERR_NONE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (cases[i].kind == MX_ERR_NONE) {
      CHECK(cases[i].r != NULL);
    } else {
      CHECK(cases[i].r == NULL);
    }
    if (cases[i].r) mx_array_release(cases[i].r);
  }
  mx_error_clear();
  CHECK(mx_argmax(x, false, 2, false, S) == NULL && mx_error_last_kind() == MX_ERR_INDEX);
  CHECK(mx_topk(x, -1, false, 1, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  mx_array* empty = mx_zeros(1, (int[]){0}, MX_FLOAT32, S);
  CHECK(mx_logsumexp(empty, 0, NULL, false, S) == NULL && mx_error_last_kind() == MX_ERR_VALUE);
  mx_array_release(empty);
  mx_array_release(x);
}

/* Partitions of long lines (the sampled one-pass path) and short ones, on a
 * strided axis too: the kth element is the sorted one, nothing before it is
 * greater, nothing after it smaller, and argpartition returns a permutation
 * of the line's indices.  Also a line of one repeated value (the middle
 * block is then the whole line). */
static bool partitioned(const float* line, int64_t stride, int n, int kth, const float* sorted) {
  float p = line[kth * stride];
  if (p != sorted[kth]) return false;
  for (int i = 0; i < n; i++) {
    float v = line[i * stride];
    if (i < kth && v > p) return false;
    if (i > kth && v < p) return false;
  }
  return true;
}

static int cmp_f32(const void* a, const void* b) {
  float x = *(const float*)a, y = *(const float*)b;
  return (x > y) - (x < y);
}

static void test_partition_paths(void) {
  const int lens[3] = {100, 5003, 70001};
  for (int li = 0; li < 3; li++) {
    int n = lens[li];
    float* v = malloc(sizeof(float) * (size_t)n * 2);
    float* sorted = malloc(sizeof(float) * (size_t)n);
    uint64_t st = 7 + (uint64_t)n;
    for (int i = 0; i < 2 * n; i++) {
      st = st * 6364136223846793005ull + 1442695040888963407ull;
      v[i] = (float)((int64_t)(st >> 40) % 20000) * 0.5f;
    }
    /* Row 0 of a (2, n) array, and the same values on axis 0 of (n, 2). */
    memcpy(sorted, v, sizeof(float) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof(float), cmp_f32);
    int shape[2] = {2, n};
    mx_array* x = from_f32(v, 2, shape);
    int perm[2] = {1, 0};
    mx_array* xt = mx_transpose(x, 2, perm, S); /* (n, 2): column 0 is row 0 */
    const int kths[4] = {0, n / 3, n / 2, n - 1};
    for (int q = 0; q < 4; q++) {
      int kth = kths[q];
      mx_array* p = mx_partition(x, kth, false, 1, S);
      mx_array* pt = mx_partition(xt, kth, false, 0, S);
      mx_array* ap = mx_argpartition(x, kth, false, 1, S);
      const float* dp = eval_data(p);
      const float* dpt = eval_data(pt);
      const uint32_t* da = eval_data(ap);
      CHECK(dp && partitioned(dp, 1, n, kth, sorted));
      CHECK(dpt && partitioned(dpt, 2, n, kth, sorted));
      bool perm_ok = da != NULL;
      char* seen = calloc((size_t)n, 1);
      for (int i = 0; perm_ok && i < n; i++) {
        perm_ok = da[i] < (uint32_t)n && !seen[da[i]];
        if (perm_ok) seen[da[i]] = 1;
      }
      free(seen);
      CHECK(perm_ok);
      if (perm_ok) {
        float* g = malloc(sizeof(float) * (size_t)n);
        for (int i = 0; i < n; i++) g[i] = v[da[i]];
        CHECK(partitioned(g, 1, n, kth, sorted));
        free(g);
      }
      mx_array_release(ap);
      mx_array_release(pt);
      mx_array_release(p);
    }
    mx_array_release(xt);
    mx_array_release(x);
    /* One repeated value. */
    for (int i = 0; i < n; i++) v[i] = 3.0f;
    mx_array* c = from_f32(v, 1, &n);
    mx_array* pc = mx_partition(c, n / 2, false, 0, S);
    const float* dc = eval_data(pc);
    bool same = dc != NULL;
    for (int i = 0; same && i < n; i++) same = dc[i] == 3.0f;
    CHECK(same);
    mx_array_release(pc);
    mx_array_release(c);
    free(sorted);
    free(v);
  }
}

int main(void) {
  mx_init();
  S = mx_default_stream((mx_device){MX_DEVICE_CPU, 0});
  RUN(test_argreduce_layouts);
  RUN(test_sort_long_and_exact);
  RUN(test_scan_layouts);
  RUN(test_partition_paths);
  RUN(test_errors);
  return test_summary();
}
