/* The COMPILED primitive on the CPU: a fused elementwise program (see
 * src/core/prims/compiled.h) run tile by tile.
 *
 * Why tiles: run one primitive at a time over the whole array and every
 * intermediate makes a round trip through memory; run the whole program on
 * TILE elements at a time and intermediates live in L1/L2 while the inputs
 * are read once and the outputs written once.  Each instruction still uses
 * its primitive's own (vectorized) inner loop, so no code is generated at
 * run time and results are those of the unfused graph (up to the last bit
 * of a vectorized math function in a loop's scalar tail, whose position
 * moves with tile edges as it moves with an eager run's thread split).
 *
 * Inputs that walk in the output's dense order (or are one broadcast
 * element) are read in place; any other layout (broadcast rows, transposed
 * views) is gathered into a tile buffer first. */
#include <stdlib.h>
#include <string.h>

#include <emmintrin.h>

#include "cpu_internal.h"
#include "elementwise.h"
#include "threadpool.h"

#define TILE 1024

enum { IN_FLAT, IN_SCALAR, IN_GATHER };

typedef struct run_ctx {
  const mx_fused_program* prog;
  mx__cpu_inner* fns;
  int ndim;
  const int* shape;
  int n_in;
  const char** in_ptr;
  int* in_kind;
  int64_t** in_strides; /* element strides broadcast to the output (IN_GATHER) */
  size_t* vsize;        /* itemsize per value */
  int* slot;            /* scratch tile per value (values whose lives do not overlap share) */
  int n_slots;
  char** out_ptr;       /* per value: the output buffer, or NULL */
  int failed;
  /* Outputs far larger than the caches are computed into a scratch tile and
   * written with non-temporal stores: the store then needs no read of the
   * destination line first, a third less memory traffic for x*y+z. */
  bool stream_out;
} run_ctx;

/* Copies n bytes to dst with non-temporal stores (dst 16-byte aligned). */
static void stream_copy(char* dst, const char* src, size_t n) {
  size_t i = 0;
  if (((uintptr_t)dst & 15) == 0) {
    for (; i + 64 <= n; i += 64) {
      __m128i a = _mm_loadu_si128((const __m128i*)(src + i));
      __m128i b = _mm_loadu_si128((const __m128i*)(src + i + 16));
      __m128i c = _mm_loadu_si128((const __m128i*)(src + i + 32));
      __m128i d = _mm_loadu_si128((const __m128i*)(src + i + 48));
      _mm_stream_si128((__m128i*)(dst + i), a);
      _mm_stream_si128((__m128i*)(dst + i + 16), b);
      _mm_stream_si128((__m128i*)(dst + i + 32), c);
      _mm_stream_si128((__m128i*)(dst + i + 48), d);
    }
  }
  memcpy(dst + i, src + i, n - i);
}

/* Copies elements [start, start + n) (in row-major order of `shape`) of a
 * strided operand into dst. */
static void gather(const char* src, const int64_t* strides, int ndim, const int* shape,
                   size_t isz, int64_t start, int64_t n, char* dst) {
  if (ndim == 0) { /* a 0-d operand: one element for every position */
    for (int64_t i = 0; i < n; i++) memcpy(dst + (size_t)i * isz, src, isz);
    return;
  }
  int64_t idx[64];
  int64_t rem = start, off = 0;
  for (int d = ndim - 1; d >= 0; d--) {
    idx[d] = shape[d] ? rem % shape[d] : 0;
    rem = shape[d] ? rem / shape[d] : 0;
    off += idx[d] * strides[d];
  }
  /* Runs along the last dim: contiguous runs are one memcpy, broadcast
   * runs (stride 0) repeat one element; then step the outer index. */
  const int last = ndim - 1;
  const int64_t ls = strides[last];
  int64_t i = 0;
  while (i < n) {
    int64_t run = shape[last] - idx[last];
    if (run > n - i) run = n - i;
    char* d = dst + (size_t)i * isz;
    const char* s = src + off * (int64_t)isz;
    if (ls == 1) {
      memcpy(d, s, (size_t)run * isz);
    } else if (ls == 0) {
      if (isz == 4) {
        uint32_t v;
        memcpy(&v, s, 4);
        for (int64_t k = 0; k < run; k++) ((uint32_t*)d)[k] = v;
      } else {
        for (int64_t k = 0; k < run; k++) memcpy(d + (size_t)k * isz, s, isz);
      }
    } else {
      for (int64_t k = 0; k < run; k++) memcpy(d + (size_t)k * isz, s + k * ls * (int64_t)isz, isz);
    }
    i += run;
    off += run * ls;
    idx[last] += run;
    /* Carry into the outer dims. */
    for (int dd = last; dd > 0 && idx[dd] >= shape[dd]; dd--) {
      off -= strides[dd] * shape[dd];
      idx[dd] = 0;
      off += strides[dd - 1];
      idx[dd - 1]++;
    }
    if (idx[0] >= shape[0] && i < n) break; /* past the end (cannot happen) */
  }
}

static void run_range(int64_t begin, int64_t end, void* vctx) {
  run_ctx* c = vctx;
  const mx_fused_program* p = c->prog;
  /* Scratch tiles, shared by values whose lives do not overlap, so the
   * working set stays in L1/L2. */
  char* scratch = malloc((size_t)(c->n_slots + 1) * TILE * 16);
  char** ptr = malloc((size_t)p->n_values * sizeof *ptr);
  int64_t* bstride = malloc((size_t)p->n_values * sizeof *bstride);
  if (!scratch || !ptr || !bstride) {
    c->failed = 1;
    free(scratch);
    free(ptr);
    free(bstride);
    return;
  }
  for (int64_t t0 = begin; t0 < end; t0 += TILE) {
    int64_t n = end - t0 < TILE ? end - t0 : TILE;
    for (int v = 0; v < p->n_values; v++) {
      char* own = scratch + (size_t)c->slot[v] * TILE * 16;
      bstride[v] = (int64_t)c->vsize[v];
      if (v < c->n_in) {
        switch (c->in_kind[v]) {
          case IN_FLAT: ptr[v] = (char*)c->in_ptr[v] + t0 * (int64_t)c->vsize[v]; break;
          case IN_SCALAR:
            ptr[v] = (char*)c->in_ptr[v];
            bstride[v] = 0;
            break;
          default:
            gather(c->in_ptr[v], c->in_strides[v], c->ndim, c->shape, c->vsize[v], t0, n, own);
            ptr[v] = own;
        }
      } else {
        ptr[v] = c->out_ptr[v] && !c->stream_out ? c->out_ptr[v] + t0 * (int64_t)c->vsize[v] : own;
      }
    }
    for (int k = 0; k < p->n_instr; k++) {
      const mx_fused_instr* ins = &p->instr[k];
      char* ops[4];
      int64_t bs[4];
      ops[0] = ptr[ins->dst];
      bs[0] = bstride[ins->dst];
      for (int j = 0; j < ins->n_src; j++) {
        ops[1 + j] = ptr[ins->src[j]];
        bs[1 + j] = bstride[ins->src[j]];
      }
      c->fns[k](n, ops, bs, NULL);
    }
    if (c->stream_out)
      for (int v = c->n_in; v < p->n_values; v++)
        if (c->out_ptr[v])
          stream_copy(c->out_ptr[v] + t0 * (int64_t)c->vsize[v], ptr[v], (size_t)n * c->vsize[v]);
    /* An output that is also an input value (a pass-through) is copied. */
    for (int o = 0; o < p->n_outputs; o++) {
      int v = p->outputs[o];
      if (v < c->n_in && c->out_ptr[p->n_values + o])
        for (int64_t i = 0; i < n; i++)
          memcpy(c->out_ptr[p->n_values + o] + (t0 + i) * (int64_t)c->vsize[v],
                 ptr[v] + i * bstride[v], c->vsize[v]);
    }
  }
  if (c->stream_out) _mm_sfence(); /* the streamed lines are visible before the task ends */
  free(scratch);
  free(ptr);
  free(bstride);
}

static mx__cpu_inner instr_fn(const mx_fused_instr* ins, int out_dtype) {
  mx_prim p = (mx_prim)ins->prim;
  if (p == MX_PRIM_ASTYPE) return mx__cpu_convert_fn((mx_dtype)ins->in_dtype, (mx_dtype)out_dtype);
  if (p >= MX_PRIM_ADD && p <= MX_PRIM_DIVIDE) return mx__cpu_arith_inner(p, (mx_dtype)ins->in_dtype);
  if (p >= MX_PRIM_ABS && p <= MX_PRIM_STOP_GRADIENT) return mx__cpu_unary_inner(p, (mx_dtype)ins->in_dtype);
  if (p >= MX_PRIM_EQUAL && p <= MX_PRIM_SELECT)
    return mx__cpu_binary_inner(p, (mx_dtype)ins->in_dtype, ins->params, (size_t)ins->params_size);
  return NULL;
}

int mx__cpu_compiled(mx_node* node, mx_array* const* in, mx_array* const* out) {
  const mx_fused_program* p = ((const mx_compiled_params*)node->params)->program;
  mx_array* o0 = out[0];
  int nd = o0->ndim;
  if (nd > 64) return mx_error(MX_ERR_VALUE, "[Compiled] Too many dimensions.");
  int rc = -1;
  run_ctx c = {.prog = p, .ndim = nd, .shape = o0->shape, .n_in = p->n_inputs};
  c.fns = calloc((size_t)p->n_instr + 1, sizeof *c.fns);
  c.in_ptr = calloc((size_t)p->n_inputs + 1, sizeof *c.in_ptr);
  c.in_kind = calloc((size_t)p->n_inputs + 1, sizeof *c.in_kind);
  c.in_strides = calloc((size_t)p->n_inputs + 1, sizeof *c.in_strides);
  c.vsize = calloc((size_t)p->n_values + 1, sizeof *c.vsize);
  c.out_ptr = calloc((size_t)(p->n_values + p->n_outputs) + 1, sizeof *c.out_ptr);
  if (!c.fns || !c.in_ptr || !c.in_kind || !c.in_strides || !c.vsize || !c.out_ptr) {
    mx_error(MX_ERR_MEMORY, "[Compiled] Out of memory.");
    goto done;
  }
  for (int v = 0; v < p->n_values; v++) c.vsize[v] = mx_dtype_size((mx_dtype)p->value_dtypes[v]);
  for (int k = 0; k < p->n_instr; k++) {
    c.fns[k] = instr_fn(&p->instr[k], p->value_dtypes[p->instr[k].dst]);
    if (!c.fns[k]) {
      mx_error(MX_ERR_VALUE, "[Compiled] %s has no CPU kernel for %s.",
               mx_prim_name((mx_prim)p->instr[k].prim), mx_dtype_name((mx_dtype)p->instr[k].in_dtype));
      goto done;
    }
  }
  for (int i = 0; i < p->n_inputs; i++) {
    mx_array* a = in[i];
    c.in_ptr[i] = mx__cpu_in_ptr(a);
    if (!c.in_ptr[i]) goto done;
    if (a->data_size == 1) {
      c.in_kind[i] = IN_SCALAR;
    } else if (mx_shape_equal(a->ndim, a->shape, nd, o0->shape) && mx__cpu_flat_like(a, NULL)) {
      c.in_kind[i] = IN_FLAT;
    } else {
      c.in_kind[i] = IN_GATHER;
      c.in_strides[i] = malloc((size_t)(nd ? nd : 1) * sizeof(int64_t));
      if (!c.in_strides[i]) {
        mx_error(MX_ERR_MEMORY, "[Compiled] Out of memory.");
        goto done;
      }
      mx__cpu_bcast_strides(a, nd, o0->shape, c.in_strides[i]);
    }
  }
  for (int o = 0; o < p->n_outputs; o++) {
    char* po = mx__cpu_alloc(out[o]);
    if (!po) goto done;
    int v = p->outputs[o];
    /* The first output computed into value v gets v's writes; a value that
     * is an input (or already taken) is copied at the end of each tile. */
    if (v >= p->n_inputs && !c.out_ptr[v]) c.out_ptr[v] = po;
    else c.out_ptr[p->n_values + o] = po;
  }
  /* Liveness: value v lives from its definition to its last use; a slot
   * is free again after its value's last use. */
  c.slot = calloc((size_t)p->n_values + 1, sizeof *c.slot);
  int* last = calloc((size_t)p->n_values + 1, sizeof *last);
  int* slot_free_at = calloc((size_t)p->n_values + 1, sizeof *slot_free_at);
  if (!c.slot || !last || !slot_free_at) {
    free(last);
    free(slot_free_at);
    mx_error(MX_ERR_MEMORY, "[Compiled] Out of memory.");
    goto done;
  }
  for (int k = 0; k < p->n_instr; k++)
    for (int j = 0; j < p->instr[k].n_src; j++) last[p->instr[k].src[j]] = k;
  for (int o = 0; o < p->n_outputs; o++) last[p->outputs[o]] = p->n_instr;
  for (int v = 0; v < p->n_inputs; v++) c.slot[v] = c.n_slots++; /* gathered inputs */
  int first_temp_slot = c.n_slots;
  for (int k = 0; k < p->n_instr; k++) {
    int v = p->instr[k].dst;
    int s = -1;
    for (int t = first_temp_slot; t < c.n_slots && s < 0; t++)
      if (slot_free_at[t] < k) s = t; /* its value's last use is an earlier instruction */
    if (s < 0) s = c.n_slots++;
    /* The instruction reads its sources while writing v: a slot whose
     * value is read by this very instruction is not free (strict <). */
    c.slot[v] = s;
    slot_free_at[s] = last[v];
  }
  free(last);
  free(slot_free_at);
  int64_t total = o0->size;
  size_t out_bytes = 0;
  for (int o = 0; o < p->n_outputs; o++) out_bytes += (size_t)total * c.vsize[p->outputs[o]];
  c.stream_out = out_bytes >= ((size_t)32 << 20);
  if (total > 0) mx_parallel_for(total, 16 * TILE, run_range, &c);
  if (c.failed) {
    mx_error(MX_ERR_MEMORY, "[Compiled] Out of memory.");
    goto done;
  }
  /* Outputs written twice (two outputs naming one computed value). */
  for (int o = 0; o < p->n_outputs; o++) {
    int v = p->outputs[o];
    if (v >= p->n_inputs && c.out_ptr[p->n_values + o] && c.out_ptr[v])
      memcpy(c.out_ptr[p->n_values + o], c.out_ptr[v], (size_t)total * c.vsize[v]);
  }
  for (int o = 0; o < p->n_outputs; o++) mx__cpu_written(out[o]);
  rc = 0;
done:
  if (c.in_strides)
    for (int i = 0; i < p->n_inputs; i++) free(c.in_strides[i]);
  free(c.fns);
  free(c.in_ptr);
  free(c.in_kind);
  free(c.in_strides);
  free(c.vsize);
  free(c.out_ptr);
  free(c.slot);
  return rc;
}

bool mx_cpu_fusible(mx_prim p, mx_dtype in_dtype, mx_dtype out_dtype, const void* params,
                    size_t params_size) {
  mx_fused_instr ins = {.prim = p, .in_dtype = in_dtype};
  if (params_size > sizeof ins.params) return false;
  if (params_size) memcpy(ins.params, params, params_size);
  ins.params_size = (int)params_size;
  return instr_fn(&ins, out_dtype) != NULL;
}
