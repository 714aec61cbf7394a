/* FFT: the CPU kernel of the FFT primitive (parameters in
 * src/core/prims/fft.h), built on the 1-D engine in fft_engine.c.
 *
 * A multi-axis transform is a sequence of 1-D transforms, one axis at a
 * time, over row-contiguous buffers: the first step reads the input (or a
 * contiguous copy of it), every later step works in place on the output.
 * For a real forward transform the real axis goes first (halving the data
 * the complex steps see); for a real inverse it goes last.
 *
 * Along an axis the data is a set of lines: `outer` blocks of `len` rows of
 * `inner` elements.  When inner is 1 a line is contiguous and is
 * transformed where it lies; otherwise BLOCK neighbouring lines are
 * gathered together (each row read is a run of BLOCK elements, a cache line
 * or two), transformed, and scattered back.  Lines are spread over the
 * thread pool, except for lines whose plan threads itself (four-step). */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "fft_engine.h"

#define BLOCK 16

enum { STEP_C2C, STEP_R2C, STEP_C2R };

typedef struct step {
  int kind, inverse;
  const mx__fft_plan* plan;
  int64_t n;              /* transform length */
  int64_t outer, inner;   /* lines: outer blocks of (len x inner) */
  int64_t len_in, len_out; /* extent of the axis in src and dst */
  const char* src;        /* float (R2C) or complex elements */
  char* dst;              /* complex, or float (C2R) */
  float scale;
  int64_t groups_per_outer;
  atomic_int failed;
} step;

static void scale_line(mx__cpx* p, int64_t n, float s) {
  for (int64_t i = 0; i < n; i++) p[i].re *= s, p[i].im *= s;
}
static void scale_real(float* p, int64_t n, float s) {
  for (int64_t i = 0; i < n; i++) p[i] *= s;
}

/* One line from contiguous memory to contiguous memory. */
static void line_direct(const step* S, const char* src, char* dst, mx__cpx* work) {
  switch (S->kind) {
    case STEP_C2C:
      mx__fft_c2c(S->plan, (const mx__cpx*)src, (mx__cpx*)dst, work, S->inverse);
      if (S->scale != 1.0f) scale_line((mx__cpx*)dst, S->len_out, S->scale);
      break;
    case STEP_R2C:
      mx__fft_r2c(S->plan, (const float*)src, (mx__cpx*)dst, work);
      if (S->scale != 1.0f) scale_line((mx__cpx*)dst, S->len_out, S->scale);
      break;
    default:
      mx__fft_c2r(S->plan, (const mx__cpx*)src, (float*)dst, work);
      if (S->scale != 1.0f) scale_real((float*)dst, S->len_out, S->scale);
      break;
  }
}

static size_t in_size(const step* S) { return S->kind == STEP_R2C ? sizeof(float) : sizeof(mx__cpx); }
static size_t out_size(const step* S) { return S->kind == STEP_C2R ? sizeof(float) : sizeof(mx__cpx); }

/* Lines [g0, g1) of a step: a group is one line when inner == 1, else up to
 * BLOCK neighbouring lines. */
static void run_groups(int64_t g0, int64_t g1, void* ctx) {
  step* S = ctx;
  size_t isz = in_size(S), osz = out_size(S);
  int64_t work = mx__fft_work_size(S->plan);
  int64_t nb = S->inner == 1 ? 1 : BLOCK;
  /* Scratch: the engine's work, then (gathered lines only) the input and
   * output lines, all counted in complex elements. */
  int64_t in_c = (int64_t)((nb * S->len_in * isz + sizeof(mx__cpx) - 1) / sizeof(mx__cpx));
  int64_t out_c = (int64_t)((nb * S->len_out * osz + sizeof(mx__cpx) - 1) / sizeof(mx__cpx));
  int64_t total = work + (S->inner == 1 ? 0 : in_c + out_c);
  mx__cpx* buf = malloc(sizeof(mx__cpx) * (size_t)(total > 0 ? total : 1));
  if (!buf) {
    atomic_store(&S->failed, 1);
    return;
  }
  char* lin = (char*)(buf + work);
  char* lout = (char*)(buf + work + in_c);
  for (int64_t g = g0; g < g1; g++) {
    int64_t o = g / S->groups_per_outer, i0 = (g % S->groups_per_outer) * nb;
    const char* sbase = S->src + (o * S->len_in * S->inner + i0) * (int64_t)isz;
    char* dbase = S->dst + (o * S->len_out * S->inner + i0) * (int64_t)osz;
    if (S->inner == 1) {
      line_direct(S, sbase, dbase, buf);
      continue;
    }
    int64_t cnt = S->inner - i0 < nb ? S->inner - i0 : nb;
    /* Gather: row j of the block is `cnt` adjacent elements. */
    for (int64_t j = 0; j < S->len_in; j++) {
      const char* row = sbase + j * S->inner * (int64_t)isz;
      if (isz == sizeof(mx__cpx)) {
        const mx__cpx* r = (const mx__cpx*)row;
        mx__cpx* l = (mx__cpx*)lin;
        for (int64_t c = 0; c < cnt; c++) l[c * S->len_in + j] = r[c];
      } else {
        const float* r = (const float*)row;
        float* l = (float*)lin;
        for (int64_t c = 0; c < cnt; c++) l[c * S->len_in + j] = r[c];
      }
    }
    for (int64_t c = 0; c < cnt; c++)
      line_direct(S, lin + c * S->len_in * (int64_t)isz, lout + c * S->len_out * (int64_t)osz,
                  buf);
    for (int64_t j = 0; j < S->len_out; j++) {
      char* row = dbase + j * S->inner * (int64_t)osz;
      if (osz == sizeof(mx__cpx)) {
        mx__cpx* r = (mx__cpx*)row;
        const mx__cpx* l = (const mx__cpx*)lout;
        for (int64_t c = 0; c < cnt; c++) r[c] = l[c * S->len_out + j];
      } else {
        float* r = (float*)row;
        const float* l = (const float*)lout;
        for (int64_t c = 0; c < cnt; c++) r[c] = l[c * S->len_out + j];
      }
    }
  }
  free(buf);
}

/* One 1-D step along `axis` of the row-contiguous shape `shape` (the
 * source's shape; the destination differs only along the axis, where it
 * has len_out entries). */
static int run_step(int kind, int inverse, int ndim, const int* shape, int axis, int64_t len_out,
                    const char* src, char* dst, float scale) {
  step S;
  memset(&S, 0, sizeof S);
  S.kind = kind;
  S.inverse = inverse;
  S.len_in = shape[axis];
  S.len_out = len_out;
  S.n = kind == STEP_R2C ? S.len_in : kind == STEP_C2R ? len_out : S.len_in;
  S.outer = 1;
  S.inner = 1;
  for (int d = 0; d < axis; d++) S.outer *= shape[d];
  for (int d = axis + 1; d < ndim; d++) S.inner *= shape[d];
  if (S.outer == 0 || S.inner == 0 || S.n == 0) return 0;
  S.plan = kind == STEP_C2C ? mx__fft_plan_c2c(S.n) : mx__fft_plan_real(S.n);
  if (!S.plan) return -1;
  S.src = src;
  S.dst = dst;
  S.scale = scale;
  int64_t nb = S.inner == 1 ? 1 : BLOCK;
  S.groups_per_outer = (S.inner + nb - 1) / nb;
  int64_t groups = S.outer * S.groups_per_outer;
  atomic_init(&S.failed, 0);
  if (mx__fft_plan_threaded(S.plan)) {
    /* The plan parallelises each line itself. */
    run_groups(0, groups, &S);
  } else {
    int64_t per_group = nb * (S.len_in > S.len_out ? S.len_in : S.len_out);
    int64_t grain = MX__GRAIN / (per_group > 0 ? per_group : 1);
    mx_parallel_for(groups, grain > 0 ? grain : 1, run_groups, &S);
  }
  if (atomic_load(&S.failed)) return mx_error(MX_ERR_MEMORY, "[FFT] Out of memory.");
  return 0;
}

/* The input as a row-contiguous buffer of dtype `dt`: its own data when it
 * already is one, else a copy in *tmp (malloc'd, the caller frees it). */
static const char* contiguous_input(mx_array* in, mx_dtype dt, char** tmp) {
  *tmp = NULL;
  const char* p = mx__cpu_in_ptr(in);
  if (!p) return NULL;
  if (in->dtype == dt && (in->flags & MX_FLAG_ROW_CONTIGUOUS)) return p;
  *tmp = malloc(mx_dtype_size(dt) * (size_t)(in->size > 0 ? in->size : 1));
  if (!*tmp) {
    mx_error(MX_ERR_MEMORY, "[FFT] Out of memory.");
    return NULL;
  }
  mx__cpu_copy_into(in, p, *tmp, dt, in->ndim, in->shape);
  return *tmp;
}

int mx__cpu_fft(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_fft_params* P = node->params;
  mx_array *in = inputs[0], *out = outputs[0];
  int nd = in->ndim, na = P->naxes;
  if (na < 1 || na > nd) return mx_error(MX_ERR_RUNTIME, "[FFT] Bad parameters.");
  int last = P->axes[na - 1];
  int shape[nd > 0 ? nd : 1];
  memcpy(shape, in->shape, sizeof(int) * (size_t)nd);
  int rc = 0;
  char* tmp = NULL;

  if (!P->real) {
    /* Complex: the first axis reads the input where it lies (or the output
     * itself when the input buffer was donated or had to be copied there). */
    char* dst = mx__cpu_alloc_donate(out, inputs, 1);
    if (!dst && out->size > 0) return -1;
    if (out->size == 0) goto done;
    const char* src = mx__cpu_in_ptr(in);
    if (!src) return -1;
    if (in->buffer != out->buffer && !(in->flags & MX_FLAG_ROW_CONTIGUOUS)) {
      mx__cpu_copy_into(in, src, dst, MX_COMPLEX64, nd, in->shape);
      src = dst;
    } else if (in->buffer == out->buffer) {
      src = dst;
    }
    for (int i = na - 1; i >= 0 && rc == 0; i--) {
      int ax = P->axes[i];
      rc = run_step(STEP_C2C, P->inverse, nd, shape, ax, shape[ax], src, dst,
                    i == 0 ? P->scale : 1.0f);
      src = dst;
    }
    goto done;
  }

  if (!P->inverse) {
    /* Real forward: the real axis first, then the complex ones in place. */
    char* dst = mx__cpu_alloc(out);
    if (!dst && out->size > 0) return -1;
    if (out->size == 0) goto done;
    const char* src = contiguous_input(in, MX_FLOAT32, &tmp);
    if (!src) return -1;
    int64_t nout = shape[last] / 2 + 1;
    rc = run_step(STEP_R2C, 0, nd, shape, last, nout, src, dst, na == 1 ? P->scale : 1.0f);
    free(tmp);
    tmp = NULL;
    shape[last] = (int)nout;
    for (int i = na - 2; i >= 0 && rc == 0; i--) {
      int ax = P->axes[i];
      rc = run_step(STEP_C2C, 0, nd, shape, ax, shape[ax], dst, dst, i == 0 ? P->scale : 1.0f);
    }
    goto done;
  }

  /* Real inverse: the complex axes on a copy of the input, then the real one. */
  {
    char* dst = mx__cpu_alloc(out);
    if (!dst && out->size > 0) return -1;
    if (out->size == 0) goto done;
    const char* src;
    if (na == 1) {
      src = contiguous_input(in, MX_COMPLEX64, &tmp);
      if (!src) return -1;
    } else {
      const char* p = mx__cpu_in_ptr(in);
      if (!p) return -1;
      tmp = malloc(sizeof(mx__cpx) * (size_t)in->size);
      if (!tmp) return mx_error(MX_ERR_MEMORY, "[FFT] Out of memory.");
      mx__cpu_copy_into(in, p, tmp, MX_COMPLEX64, nd, in->shape);
      for (int i = na - 2; i >= 0 && rc == 0; i--) {
        int ax = P->axes[i];
        rc = run_step(STEP_C2C, 1, nd, shape, ax, shape[ax], tmp, tmp, 1.0f);
      }
      src = tmp;
    }
    if (rc == 0)
      rc = run_step(STEP_C2R, 1, nd, shape, last, out->shape[last], src, dst, P->scale);
    free(tmp);
    tmp = NULL;
  }

done:
  free(tmp);
  if (rc != 0) return -1;
  mx__cpu_written(out);
  return 0;
}
