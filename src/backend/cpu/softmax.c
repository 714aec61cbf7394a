/* Softmax and LogSumExp over the last axis (the constructors move the
 * requested axes there).  float16/bfloat16 compute in float32 and round
 * once at the end; float32 in float32, float64 in double.
 *
 * Both subtract the line's maximum before exponentiating.  A NaN anywhere
 * makes the line NaN; for softmax an infinite maximum gives NaN too (inf -
 * inf), as in MLX, while logsumexp returns an infinite maximum itself (all
 * -inf gives -inf, any +inf gives +inf). */
#include <math.h>
#include <stdlib.h>

#include "rs_common.h"

#define DEF_LAST(E, ST, CT, LOAD, STORE, EXPF, LOGF)                                        \
  static MX__SIMD CT max_##E(int64_t n, const ST* xs) {                                    \
    CT m = -INFINITY;                                                                       \
    bool nan = false;                                                                       \
    for (int64_t i = 0; i < n; i++) {                                                       \
      ST x = xs[i];                                                                         \
      CT v = LOAD;                                                                          \
      nan |= v != v;                                                                        \
      m = v > m ? v : m;                                                                    \
    }                                                                                       \
    return nan ? (CT)NAN : m;                                                               \
  }                                                                                         \
  static void lse_##E(int64_t n, const char* pin, char* pout) {                             \
    const ST* xs = (const ST*)pin;                                                          \
    CT m = max_##E(n, xs);                                                                  \
    CT r;                                                                                   \
    if (m != m || m == INFINITY || m == -INFINITY) {                                        \
      r = m;                                                                                \
    } else {                                                                                \
      CT s = 0;                                                                             \
      for (int64_t i = 0; i < n; i++) {                                                     \
        ST x = xs[i];                                                                       \
        s += EXPF((CT)(LOAD) - m);                                                          \
      }                                                                                     \
      r = m + LOGF(s);                                                                      \
    }                                                                                       \
    ST* o = (ST*)pout;                                                                      \
    {                                                                                       \
      CT y = r;                                                                             \
      *o = STORE;                                                                           \
    }                                                                                       \
  }                                                                                         \
  static void sm_##E(int64_t n, const char* pin, char* pout) {                              \
    const ST* xs = (const ST*)pin;                                                          \
    ST* os = (ST*)pout;                                                                     \
    CT m = max_##E(n, xs);                                                                  \
    CT s = 0;                                                                               \
    /* The unnormalised exponentials go to the output first (in the                        \
     * output precision only for float32/float64, where nothing is lost). */               \
    CT* tmp = sizeof(ST) == sizeof(CT) ? (CT*)os : malloc((size_t)n * sizeof(CT));          \
    if (!tmp) {                                                                             \
      for (int64_t i = 0; i < n; i++) {                                                     \
        ST x = xs[i];                                                                       \
        s += EXPF((CT)(LOAD) - m);                                                          \
      }                                                                                     \
      CT inv = 1 / s;                                                                       \
      for (int64_t i = 0; i < n; i++) {                                                     \
        ST x = xs[i];                                                                       \
        CT y = EXPF((CT)(LOAD) - m) * inv;                                                  \
        os[i] = STORE;                                                                      \
      }                                                                                     \
      return;                                                                               \
    }                                                                                       \
    for (int64_t i = 0; i < n; i++) {                                                       \
      ST x = xs[i];                                                                         \
      CT e = EXPF((CT)(LOAD) - m);                                                          \
      tmp[i] = e;                                                                           \
      s += e;                                                                               \
    }                                                                                       \
    CT inv = 1 / s;                                                                         \
    for (int64_t i = 0; i < n; i++) {                                                       \
      CT y = tmp[i] * inv;                                                                  \
      os[i] = STORE;                                                                        \
    }                                                                                       \
    if ((void*)tmp != (void*)os) free(tmp);                                                 \
  }

DEF_LAST(FLOAT32, float, float, (x), (y), expf, logf)
DEF_LAST(FLOAT64, double, double, (x), (y), exp, log)
DEF_LAST(FLOAT16, _Float16, float, ((float)x), ((_Float16)y), expf, logf)
DEF_LAST(BFLOAT16, uint16_t, float, (mx__bf16_load(x)), (mx__bf16_store(y)), expf, logf)

typedef void (*last_fn)(int64_t n, const char* in, char* out);

typedef struct last_ctx {
  last_fn fn;
  const mx__rs_view* v;
  size_t isz;
  char* out;
  int64_t out_step; /* output bytes per line */
} last_ctx;

static void last_task(int64_t b, int64_t e, void* p) {
  const last_ctx* c = p;
  for (int64_t l = b; l < e; l++)
    c->fn(c->v->n, c->v->data + l * c->v->n * (int64_t)c->isz, c->out + l * c->out_step);
}

static int run_last(mx_array* in, mx_array* out, bool softmax, const char* name) {
  last_fn fn = NULL;
  switch (in->dtype) {
    case MX_FLOAT32: fn = softmax ? sm_FLOAT32 : lse_FLOAT32; break;
    case MX_FLOAT64: fn = softmax ? sm_FLOAT64 : lse_FLOAT64; break;
    case MX_FLOAT16: fn = softmax ? sm_FLOAT16 : lse_FLOAT16; break;
    case MX_BFLOAT16: fn = softmax ? sm_BFLOAT16 : lse_BFLOAT16; break;
    default: break;
  }
  if (!fn || in->ndim < 1 || in->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[%s] Unsupported input (%s).", name,
                    mx_dtype_name(in->dtype));
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  mx__rs_view v;
  if (mx__rs_view_of(in, in->ndim - 1, &v) != 0) return -1;
  size_t isz = mx_array_itemsize(in);
  last_ctx c = {.fn = fn, .v = &v, .isz = isz, .out = po,
                .out_step = softmax ? v.n * (int64_t)isz : (int64_t)isz};
  int64_t grain = v.n >= MX__GRAIN / 8 ? 1 : (MX__GRAIN / 8) / (v.n > 0 ? v.n : 1);
  mx_parallel_for(v.outer, grain, last_task, &c);
  mx__rs_view_free(&v);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_softmax(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  return run_last(inputs[0], outputs[0], true, "Softmax");
}

int mx__cpu_logsumexp(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  (void)node;
  return run_last(inputs[0], outputs[0], false, "LogSumExp");
}
