/* GATHER and GATHER_AXIS: every output block or element reads the source
 * at a position chosen by index arrays.  Work is split over index
 * positions; each task walks its positions with an odometer. */
#include "indexing.h"

#define MAXD 64

typedef struct gather_ctx {
  const char* src;
  const mx_array* a;
  int n;                 /* index arrays */
  const mx_array* const* idx;
  const char* const* pidx;
  const int* axes;
  int bnd;               /* index dims */
  const int* bshape;
  const int* ss;         /* slice sizes (a->ndim) */
  int64_t slice_n;       /* elements per slice */
  char* out;
  size_t isz;
  /* The slice walk after collapsing: cnd dims of cshape/cstride (source
   * elements); `run` is true when the whole slice is one dense run. */
  int cnd;
  int64_t cshape[MAXD];
  int64_t cstride[MAXD];
  bool run;
} gather_ctx;

/* Copies one slice starting at `s` into `d` (row-major, dense). */
static void copy_slice(const gather_ctx* g, const char* s, char* d) {
  size_t isz = g->isz;
  if (g->run) {
    memcpy(d, s, (size_t)g->slice_n * isz);
    return;
  }
  if (g->cnd == 0) {
    mx__copy_elem(d, s, isz);
    return;
  }
  int64_t idx[MAXD] = {0};
  int last = g->cnd - 1;
  int64_t inner = g->cshape[last], ist = g->cstride[last] * (int64_t)isz;
  const char* p = s;
  for (;;) {
    const char* q = p;
    switch (isz) {
      case 1:
        for (int64_t i = 0; i < inner; i++, q += ist) d[i] = *q;
        break;
      case 2:
        for (int64_t i = 0; i < inner; i++, q += ist) memcpy(d + 2 * i, q, 2);
        break;
      case 4:
        for (int64_t i = 0; i < inner; i++, q += ist) memcpy(d + 4 * i, q, 4);
        break;
      default:
        for (int64_t i = 0; i < inner; i++, q += ist) memcpy(d + 8 * i, q, 8);
        break;
    }
    d += inner * (int64_t)isz;
    int i = last - 1;
    for (; i >= 0; i--) {
      p += g->cstride[i] * (int64_t)isz;
      if (++idx[i] < g->cshape[i]) break;
      p -= g->cshape[i] * g->cstride[i] * (int64_t)isz;
      idx[i] = 0;
    }
    if (i < 0) return;
  }
}

/* The common take: one dense index array, one element per index.  A tight
 * loop keeps many cache misses in flight for random indices. */
#define TAKE_LOOP(T, I)                                                        \
  do {                                                                         \
    const I* ip = (const I*)g->pidx[0] + b;                                    \
    const T* src = (const T*)g->src;                                           \
    T* out = (T*)g->out + b;                                                   \
    for (int64_t j = 0; j < e - b; j++) {                                      \
      int64_t v = (int64_t)ip[j];                                              \
      if (v < 0) v += dim;                                                     \
      v = v < 0 ? 0 : (v >= dim ? dim - 1 : v);                                \
      out[j] = src[v * st];                                                    \
    }                                                                          \
  } while (0)
#define TAKE_BY_SIZE(I)                                     \
  switch (g->isz) {                                         \
    case 1: TAKE_LOOP(uint8_t, I); break;                   \
    case 2: TAKE_LOOP(uint16_t, I); break;                  \
    case 4: TAKE_LOOP(uint32_t, I); break;                  \
    default: TAKE_LOOP(uint64_t, I); break;                 \
  }

static void take_range(int64_t b, int64_t e, void* ctx) {
  const gather_ctx* g = ctx;
  int ax = g->axes[0];
  int64_t dim = g->a->shape[ax], st = g->a->strides[ax];
  if (g->idx[0]->dtype == MX_INT32)
    TAKE_BY_SIZE(int32_t)
  else if (g->idx[0]->dtype == MX_INT64)
    TAKE_BY_SIZE(int64_t)
  else if (g->idx[0]->dtype == MX_UINT32)
    TAKE_BY_SIZE(uint32_t)
  else
    TAKE_BY_SIZE(uint64_t)
}

static void gather_range(int64_t b, int64_t e, void* ctx) {
  const gather_ctx* g = ctx;
  mx__odo o = {.ndim = g->bnd, .nops = g->n, .shape = g->bshape};
  for (int k = 0; k < g->n; k++) o.strides[k] = g->idx[k]->strides;
  mx__odo_seek(&o, b);
  for (int64_t pos = b; pos < e; pos++) {
    int64_t off = 0;
    for (int k = 0; k < g->n; k++) {
      const mx_array* ix = g->idx[k];
      int ax = g->axes[k];
      int64_t v = mx__idx_load(g->pidx[k] + o.off[k] * (int64_t)mx_array_itemsize(ix),
                               ix->dtype);
      off += mx__idx_fix(v, g->a->shape[ax], g->ss[ax]) * g->a->strides[ax];
    }
    copy_slice(g, g->src + off * (int64_t)g->isz, g->out + pos * g->slice_n * (int64_t)g->isz);
    mx__odo_next(&o);
  }
}

int mx__cpu_gather(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* out = outputs[0];
  const mx_gather_params* p = node->params;
  int n = p ? p->naxes : -1;
  if (!p || node->n_inputs != n + 1 || out->ndim < a->ndim || out->dtype != a->dtype)
    return mx_error(MX_ERR_RUNTIME, "[Gather] Inconsistent parameters.");
  int bnd = out->ndim - a->ndim;
  if (bnd > MAXD || a->ndim > MAXD)
    return mx_error(MX_ERR_RUNTIME, "[Gather] Too many dimensions.");
  if (n > MX__ODO_OPS)
    return mx_error(MX_ERR_RUNTIME, "[Gather] At most %d index arrays are supported on the CPU.",
                    MX__ODO_OPS);
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  char* po = mx__cpu_out_ptr(out);
  const char* pa = po ? mx__cpu_in_ptr(a) : NULL;
  if (!pa) return -1;
  const char* pidx[MX__ODO_OPS];
  for (int k = 0; k < n; k++) {
    if (inputs[k + 1]->ndim != bnd)
      return mx_error(MX_ERR_RUNTIME, "[Gather] Index shape mismatch.");
    pidx[k] = mx__cpu_in_ptr(inputs[k + 1]);
    if (!pidx[k]) return -1;
  }
  gather_ctx g = {.src = pa, .a = a, .n = n, .idx = (const mx_array* const*)inputs + 1,
                  .pidx = pidx, .axes = p->axes, .bnd = bnd, .bshape = out->shape,
                  .ss = out->shape + bnd, .out = po, .isz = mx_array_itemsize(a)};
  g.slice_n = 1;
  for (int i = 0; i < a->ndim; i++) g.slice_n *= g.ss[i];
  /* Collapse the slice walk over the source's strides. */
  int64_t* stp[1] = {g.cstride};
  for (int i = 0; i < a->ndim; i++) {
    g.cshape[i] = g.ss[i];
    g.cstride[i] = a->strides[i];
  }
  g.cnd = mx__cpu_collapse(a->ndim, g.cshape, 1, stp);
  g.run = g.cnd == 1 && g.cstride[0] == 1;
  int64_t nb = out->size / g.slice_n;
  int64_t grain = MX__GRAIN / (g.slice_n > 0 ? g.slice_n : 1);
  mx_dtype it = n == 1 ? inputs[1]->dtype : MX_BOOL;
  bool take = n == 1 && g.slice_n == 1 && (inputs[1]->flags & MX_FLAG_ROW_CONTIGUOUS) &&
              inputs[1]->data_size == inputs[1]->size && g.isz <= 8 &&
              (it == MX_INT32 || it == MX_INT64 || it == MX_UINT32 || it == MX_UINT64);
  mx_parallel_for(nb, grain > 0 ? grain : 1, take ? take_range : gather_range, &g);
  mx__cpu_written(out);
  return 0;
}

/* --- GATHER_AXIS ----------------------------------------------------------------- */

typedef struct axis_ctx {
  const mx_array* a;   /* source (gather) or destination (scatter) */
  const mx_array* idx;
  const mx_array* val; /* scatter values */
  const char* pa;
  const char* pi;
  const char* pv;
  char* po;
  int ax;
  int ond;             /* dims of the outer walk (all but ax) */
  int oshape[MAXD];
  int64_t ost[3][MAXD]; /* outer strides: source or destination, idx, values or output */
  int64_t inner;        /* size of idx along ax */
  int64_t ist[3];       /* strides along ax: a/out, idx, values */
  int64_t dim;          /* a's size along ax */
  size_t isz;
  mx__combine_fn fn;    /* scatter only */
} axis_ctx;

static void gather_axis_range(int64_t b, int64_t e, void* ctx) {
  const axis_ctx* c = ctx;
  mx__odo o = {.ndim = c->ond, .nops = 3, .shape = c->oshape};
  for (int k = 0; k < 3; k++) o.strides[k] = c->ost[k];
  mx__odo_seek(&o, b);
  size_t isz = c->isz;
  size_t iisz = mx_array_itemsize(c->idx);
  for (int64_t r = b; r < e; r++) {
    const char* src = c->pa + o.off[0] * (int64_t)isz;
    const char* ip = c->pi + o.off[1] * (int64_t)iisz;
    char* d = c->po + o.off[2] * (int64_t)isz;
    for (int64_t j = 0; j < c->inner; j++) {
      int64_t v = mx__idx_fix(mx__idx_load(ip + j * c->ist[1] * (int64_t)iisz, c->idx->dtype),
                              c->dim, 1);
      mx__copy_elem(d + j * c->ist[2] * (int64_t)isz, src + v * c->ist[0] * (int64_t)isz, isz);
    }
    mx__odo_next(&o);
  }
}

/* Fills the outer walk (every dim but ax) of an axis context. */
static int axis_setup(axis_ctx* c, const mx_array* shape_of, const mx_array* ops[3]) {
  int nd = shape_of->ndim;
  if (nd > MAXD + 1) return mx_error(MX_ERR_RUNTIME, "[GatherAxis] Too many dimensions.");
  c->ond = 0;
  for (int i = 0; i < nd; i++) {
    if (i == c->ax) continue;
    c->oshape[c->ond] = shape_of->shape[i];
    for (int k = 0; k < 3; k++) c->ost[k][c->ond] = ops[k] ? ops[k]->strides[i] : 0;
    c->ond++;
  }
  for (int k = 0; k < 3; k++) c->ist[k] = ops[k] ? ops[k]->strides[c->ax] : 0;
  c->inner = shape_of->shape[c->ax];
  return 0;
}

int mx__cpu_gather_axis(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* idx = inputs[1];
  mx_array* out = outputs[0];
  const mx_axis_index_params* p = node->params;
  if (!p || idx->ndim != a->ndim || out->ndim != a->ndim || p->axis < 0 || p->axis >= a->ndim)
    return mx_error(MX_ERR_RUNTIME, "[GatherAxis] Inconsistent parameters.");
  if (mx_array_alloc_data(out, false) != 0) return -1;
  if (out->size == 0) return 0;
  axis_ctx c = {.a = a, .idx = idx, .ax = p->axis, .isz = mx_array_itemsize(a),
                .dim = a->shape[p->axis]};
  c.po = mx__cpu_out_ptr(out);
  c.pa = c.po ? mx__cpu_in_ptr(a) : NULL;
  c.pi = c.pa ? mx__cpu_in_ptr(idx) : NULL;
  if (!c.pi) return -1;
  const mx_array* ops[3] = {a, idx, out};
  if (axis_setup(&c, idx, ops) != 0) return -1;
  int64_t rows = out->size / c.inner;
  int64_t grain = MX__GRAIN / c.inner;
  mx_parallel_for(rows, grain > 0 ? grain : 1, gather_axis_range, &c);
  mx__cpu_written(out);
  return 0;
}

/* --- SCATTER_AXIS ------------------------------------------------------------------ */

static void scatter_axis_range(int64_t b, int64_t e, void* ctx) {
  const axis_ctx* c = ctx;
  mx__odo o = {.ndim = c->ond, .nops = 3, .shape = c->oshape};
  for (int k = 0; k < 3; k++) o.strides[k] = c->ost[k];
  mx__odo_seek(&o, b);
  size_t isz = c->isz;
  size_t iisz = mx_array_itemsize(c->idx);
  for (int64_t r = b; r < e; r++) {
    char* dst = c->po + o.off[0] * (int64_t)isz;
    const char* ip = c->pi + o.off[1] * (int64_t)iisz;
    const char* vp = c->pv + o.off[2] * (int64_t)isz;
    for (int64_t j = 0; j < c->inner; j++) {
      int64_t v = mx__idx_fix(mx__idx_load(ip + j * c->ist[1] * (int64_t)iisz, c->idx->dtype),
                              c->dim, 1);
      c->fn(dst + v * c->ist[0] * (int64_t)isz, vp + j * c->ist[2] * (int64_t)isz);
    }
    mx__odo_next(&o);
  }
}

int mx__cpu_scatter_axis(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* idx = inputs[1];
  mx_array* val = inputs[2];
  mx_array* out = outputs[0];
  const mx_axis_index_params* p = node->params;
  if (!p || idx->ndim != a->ndim || val->ndim != a->ndim || val->dtype != a->dtype ||
      p->axis < 0 || p->axis >= a->ndim)
    return mx_error(MX_ERR_RUNTIME, "[ScatterAxis] Inconsistent parameters.");
  if (out->size == 0) return mx_array_alloc_data(out, false);
  char* po = mx__cpu_copy_or_donate(out, a);
  if (!po) return -1;
  if (idx->size > 0) {
    axis_ctx c = {.a = out, .idx = idx, .val = val, .ax = p->axis, .isz = mx_array_itemsize(a),
                  .dim = a->shape[p->axis], .po = po,
                  .fn = mx__cpu_combine_fn(p->op, a->dtype)};
    c.pi = mx__cpu_in_ptr(idx);
    c.pv = c.pi ? mx__cpu_in_ptr(val) : NULL;
    if (!c.pv) return -1;
    const mx_array* ops[3] = {out, idx, val};
    if (axis_setup(&c, idx, ops) != 0) return -1;
    /* Rows write disjoint fibers of the output, so they may run in
     * parallel; repeated indices inside one row are applied in order. */
    int64_t rows = idx->size / c.inner;
    int64_t grain = MX__GRAIN / c.inner;
    mx_parallel_for(rows, grain > 0 ? grain : 1, scatter_axis_range, &c);
  }
  mx__cpu_written(out);
  return 0;
}
