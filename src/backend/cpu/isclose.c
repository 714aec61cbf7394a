/* IsClose: elementwise closeness (isclose/allclose) or equality
 * (array_equal) of two inputs of one dtype and shape.
 *
 * Equal values are always close (this covers equal infinities); otherwise
 * a NaN or an infinity on either side is not close, and finite values are
 * close when |a - b| <= atol + rtol * |b| (NumPy's asymmetric rule, in
 * double).  With equal_nan, two NaNs count as close / equal.  Exact mode
 * compares in the dtype itself, so 64-bit integers are not rounded. */
#include <math.h>

#include "rs_common.h"

typedef struct close_ctx {
  double rtol, atol;
  bool equal_nan, exact;
} close_ctx;

static inline bool close_real(double x, double y, const close_ctx* c) {
  if (x == y) return true;
  if (x != x || y != y) return c->equal_nan && x != x && y != y;
  if (isinf(x) || isinf(y)) return false;
  return fabs(x - y) <= c->atol + c->rtol * fabs(y);
}

static inline bool close_cpx(mx__c64 x, mx__c64 y, const close_ctx* c) {
  if (x == y) return true;
  bool xn = crealf(x) != crealf(x) || cimagf(x) != cimagf(x);
  bool yn = crealf(y) != crealf(y) || cimagf(y) != cimagf(y);
  if (xn || yn) return c->equal_nan && xn && yn;
  if (isinf(crealf(x)) || isinf(cimagf(x)) || isinf(crealf(y)) || isinf(cimagf(y))) return false;
  return cabs((double _Complex)x - (double _Complex)y) <= c->atol + c->rtol * cabs(y);
}

#define CLOSE_KB(x, y, c) close_real((double)(x), (double)(y), c)
#define CLOSE_KI CLOSE_KB
#define CLOSE_KU CLOSE_KB
#define CLOSE_KF CLOSE_KB
#define CLOSE_KH CLOSE_KB
#define CLOSE_KD CLOSE_KB
#define CLOSE_KC close_cpx
#define ISNAN_R(x) ((x) != (x))
#define ISNAN_C(x) (crealf(x) != crealf(x) || cimagf(x) != cimagf(x))
#define ISNAN_KB ISNAN_R
#define ISNAN_KI ISNAN_R
#define ISNAN_KU ISNAN_R
#define ISNAN_KF ISNAN_R
#define ISNAN_KH ISNAN_R
#define ISNAN_KD ISNAN_R
#define ISNAN_KC ISNAN_C

#define DEF_CLOSE(E, ST, CT, LOAD, K)                                                  \
  static void close_##E(int64_t n, char* const* p, const int64_t* bs, void* ctx) {      \
    const close_ctx* c = ctx;                                                           \
    char* o = p[0];                                                                     \
    const char* a = p[1];                                                               \
    const char* b = p[2];                                                               \
    for (int64_t i = 0; i < n; i++, o += bs[0], a += bs[1], b += bs[2]) {               \
      ST xa, xb;                                                                        \
      memcpy(&xa, a, sizeof xa);                                                        \
      memcpy(&xb, b, sizeof xb);                                                        \
      CT va, vb;                                                                        \
      {                                                                                 \
        ST x = xa;                                                                      \
        va = LOAD;                                                                      \
      }                                                                                 \
      {                                                                                 \
        ST x = xb;                                                                      \
        vb = LOAD;                                                                      \
      }                                                                                 \
      bool r;                                                                           \
      if (c->exact)                                                                     \
        r = va == vb || (c->equal_nan && ISNAN_##K(va) && ISNAN_##K(vb));               \
      else                                                                              \
        r = CLOSE_##K(va, vb, c);                                                       \
      *(bool*)o = r;                                                                    \
    }                                                                                   \
  }
MX__CPU_TYPES(DEF_CLOSE)

#define CLOSE_CELL(E, ST, CT, LOAD, K) [MX_##E] = close_##E,
static const mx__cpu_inner close_table[MX_DTYPE_COUNT] = {MX__CPU_TYPES(CLOSE_CELL)};

int mx__cpu_isclose(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_isclose_params* prm = node->params;
  mx_array* a = inputs[0];
  mx_array* b = inputs[1];
  mx_array* out = outputs[0];
  if (!prm || a->dtype != b->dtype || !mx_shape_equal(a->ndim, a->shape, out->ndim, out->shape) ||
      !mx_shape_equal(b->ndim, b->shape, out->ndim, out->shape))
    return mx_error(MX_ERR_RUNTIME, "[IsClose] Invalid inputs.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  const char* pa = mx__cpu_in_ptr(a);
  const char* pb = mx__cpu_in_ptr(b);
  if (!pa || !pb) return -1;
  close_ctx c = {.rtol = prm->rtol, .atol = prm->atol, .equal_nan = prm->equal_nan != 0,
                 .exact = prm->exact != 0};
  int nd = out->ndim;
  int64_t ost[nd > 0 ? nd : 1];
  mx_row_strides(nd, out->shape, ost);
  char* base[3] = {po, (char*)pa, (char*)pb};
  const int64_t* st[3] = {ost, a->strides, b->strides};
  size_t isz[3] = {1, mx_array_itemsize(a), mx_array_itemsize(b)};
  mx__cpu_apply(nd, out->shape, 3, base, st, isz, close_table[a->dtype], &c);
  mx__cpu_written(out);
  return 0;
}
