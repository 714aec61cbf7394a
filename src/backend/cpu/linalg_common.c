/* Shared helpers of the CPU linalg kernels: the per-precision LAPACK tables,
 * workspace sizes, and the strided gather / row-major store between arrays
 * and LAPACK's column-major scratch matrices (see linalg_lapack.h). */
#include <math.h>
#include <string.h>

#include "linalg_lapack.h"

static const mx__lapack lapack_f32 = {
    .getrf = sgetrf_, .getri = sgetri_, .getrs = sgetrs_, .trtri = strtri_, .potrf = spotrf_,
    .geqrf = sgeqrf_, .orgqr = sorgqr_, .gesdd = sgesdd_, .geev = sgeev_, .syevd = ssyevd_,
    .elsize = 4,
};
static const mx__lapack lapack_f64 = {
    .getrf = dgetrf_, .getri = dgetri_, .getrs = dgetrs_, .trtri = dtrtri_, .potrf = dpotrf_,
    .geqrf = dgeqrf_, .orgqr = dorgqr_, .gesdd = dgesdd_, .geev = dgeev_, .syevd = dsyevd_,
    .elsize = 8,
};

const mx__lapack* mx__lapack_for(mx_dtype dt) {
  return dt == MX_FLOAT32 ? &lapack_f32 : dt == MX_FLOAT64 ? &lapack_f64 : NULL;
}

int mx__la_lwork(const void* work0, mx_dtype dt) {
  double w = dt == MX_FLOAT64 ? *(const double*)work0 : (double)*(const float*)work0;
  /* Single-precision queries can round a large size down; ask a little more. */
  if (dt != MX_FLOAT64) w *= 1.0 + 1e-6;
  if (!(w >= 1)) return 1;
  if (w > 2147483647.0) return 2147483647;
  return (int)ceil(w);
}

int64_t mx__la_batch(const mx_array* a) {
  int64_t n = 1;
  for (int d = 0; d < a->ndim - 2; d++) n *= a->shape[d];
  return n;
}

/* Element offset of matrix `b` of the batch of `in`. */
static int64_t batch_offset(const mx_array* in, int64_t b) {
  int64_t off = 0;
  for (int d = in->ndim - 3; d >= 0; d--) {
    off += (b % in->shape[d]) * in->strides[d];
    b /= in->shape[d];
  }
  return off;
}

void mx__la_gather(mx_array* in, int64_t b, void* dst, int ld) {
  int rows = in->shape[in->ndim - 2], cols = in->shape[in->ndim - 1];
  int64_t rs = in->strides[in->ndim - 2], cs = in->strides[in->ndim - 1];
  size_t esz = mx_array_itemsize(in);
  const char* base = mx__cpu_in_ptr(in) + batch_offset(in, b) * (int64_t)esz;
  if (esz == 4) {
    const uint32_t* src = (const uint32_t*)base;
    uint32_t* d = dst;
    for (int j = 0; j < cols; j++)
      for (int i = 0; i < rows; i++) d[i + (int64_t)j * ld] = src[i * rs + j * cs];
  } else {
    const uint64_t* src = (const uint64_t*)base;
    uint64_t* d = dst;
    for (int j = 0; j < cols; j++)
      for (int i = 0; i < rows; i++) d[i + (int64_t)j * ld] = src[i * rs + j * cs];
  }
}

void mx__la_store(const void* src, int ld, int rows, int cols, size_t esz, void* dst, char tri) {
  /* Row i keeps columns [lo, hi): everything, the lower or the upper triangle. */
#define STORE(T)                                                        \
  do {                                                                  \
    const T* s = src;                                                   \
    T* d = dst;                                                         \
    for (int i = 0; i < rows; i++) {                                    \
      int lo = tri == 'U' ? i : 0, hi = tri == 'L' ? i + 1 : cols;      \
      if (hi > cols) hi = cols;                                         \
      if (lo > cols) lo = cols;                                         \
      T* row = d + (int64_t)i * cols;                                   \
      for (int j = 0; j < lo; j++) row[j] = 0;                          \
      for (int j = lo; j < hi; j++) row[j] = s[i + (int64_t)j * ld];    \
      for (int j = hi; j < cols; j++) row[j] = 0;                       \
    }                                                                   \
  } while (0)
  if (esz == 4)
    STORE(uint32_t);
  else
    STORE(uint64_t);
#undef STORE
}

int mx__la_oom(const char* who) { return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", who); }

/* Allocates the first n outputs; -1 (error set) when one failed.  An empty
 * output may have no buffer, which is not a failure. */
static int alloc_outputs(mx_array* const* outputs, int n) {
  for (int i = 0; i < n; i++)
    if (!mx__cpu_alloc(outputs[i]) && outputs[i]->size > 0) return -1;
  return 0;
}

int mx__la_begin(const char* who, mx_dtype dt, bool complex_ok, mx_array* const* outputs, int nout,
                 const mx__lapack** la) {
  *la = mx__lapack_for(dt);
  if (!*la && !(complex_ok && dt == MX_COMPLEX64))
    return mx_error(MX_ERR_RUNTIME, "[%s] Unsupported dtype %s.", who, mx_dtype_name(dt));
  return alloc_outputs(outputs, nout);
}

void mx__la_mark_written(mx_array* const* outputs, int n) {
  for (int i = 0; i < n; i++) mx__cpu_written(outputs[i]);
}
