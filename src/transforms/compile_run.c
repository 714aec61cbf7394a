/* Replaying a compiled function's steps on new inputs (see compile.h).
 *
 * With the traced shapes every step is rebuilt as it was.  A shapeless
 * trace called with other shapes infers each step's output shapes:
 * elementwise steps (and fused groups) broadcast their inputs; reductions,
 * transposes and matmuls follow their parameters; steps whose result has
 * the shape of their first input keep that.  Broadcasts recorded in the
 * trace fixed the traced sizes, so in that mode they are deferred: an
 * elementwise consumer broadcasts its (unbroadcast) inputs against each
 * other instead.  Anything else raises a ValueError naming the primitive. */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "rules_util.h"

typedef struct value {
  mx_array* a;   /* owned */
  bool deferred; /* a broadcast not applied yet (shapeless replay) */
  /* For a deferred broadcast: its traced input and output shapes. */
  int tin_nd, tout_nd;
  const int* tin;
  const int* tout;
} value;

typedef struct replay {
  mx_compiled* c;
  mx_array* const* inputs;
  value** vals; /* per step, per output */
  bool infer;   /* shapes differ from the trace */
} replay;

static value get(replay* r, cref ref) {
  if (ref.kind == REF_INPUT) return (value){.a = r->inputs[ref.index]};
  if (ref.kind == REF_CONST) {
    mx_array* k = r->c->consts[ref.index];
    mx_array* src = r->c->const_src[ref.index];
    /* A constant broadcast made inside the function (a Python scalar in
     * `x + 1` becomes one) is deferred like a recorded broadcast step. */
    if (r->infer && src)
      return (value){.a = src, .deferred = true, .tin_nd = src->ndim, .tin = src->shape,
                     .tout_nd = k->ndim, .tout = k->shape};
    return (value){.a = k};
  }
  return r->vals[ref.index][ref.out];
}

static bool is_elementwise(mx_prim p) {
  return mx__compile_fusible(p) || p == MX_PRIM_DIVMOD || p == MX_PRIM_COMPILED;
}

/* A deferred broadcast applied on its own: dims that the trace did not
 * broadcast take the new input's size, the others keep the traced size. */
static mx_array* materialize(replay* r, value v) {
  if (!v.deferred) {
    mx_array_retain(v.a);
    return v.a;
  }
  int tnd = v.tin_nd;
  const int* tin = v.tin;
  int nd = v.tout_nd;
  int shape[MX_MAX_NDIM];
  if (nd > MX_MAX_NDIM || v.a->ndim != tnd) {
    mx_error(MX_ERR_VALUE, "[compile] Cannot infer the shape of a broadcast with shapeless=True.");
    return NULL;
  }
  for (int d = 0; d < nd; d++) {
    int di = d - (nd - tnd);
    shape[d] = (di >= 0 && tin[di] == v.tout[d]) ? v.a->shape[di] : v.tout[d];
  }
  return mx_broadcast_to(v.a, nd, shape, mx_stream_for_default());
}

/* The broadcast of n arrays' shapes (MX_ERR_VALUE when they don't
 * broadcast). */
static int common_shape(int n, mx_array* const* a, int* nd, int* shape) {
  *nd = 0;
  for (int i = 0; i < n; i++) {
    int tmp[MX_MAX_NDIM], tnd;
    if (mx_broadcast_shapes(*nd, shape, a[i]->ndim, a[i]->shape, &tnd, tmp) != 0) return -1;
    *nd = tnd;
    memcpy(shape, tmp, (size_t)tnd * sizeof(int));
  }
  return 0;
}

/* Inputs for one step (or group), new references.  Elementwise consumers
 * broadcast deferred inputs against each other. */
static int gather_inputs(replay* r, int n, const cref* refs, bool elementwise, mx_stream s,
                         mx_array** out) {
  bool any_deferred = false;
  for (int i = 0; i < n; i++) any_deferred |= get(r, refs[i]).deferred;
  if (elementwise && any_deferred) {
    mx_array* src[MX_MAX_GROUP_INPUTS];
    if (n > MX_MAX_GROUP_INPUTS) return mx_error(MX_ERR_VALUE, "[compile] Too many inputs.");
    for (int i = 0; i < n; i++) src[i] = get(r, refs[i]).a;
    int nd, shape[MX_MAX_NDIM];
    if (common_shape(n, src, &nd, shape) != 0) return -1;
    for (int i = 0; i < n; i++) {
      out[i] = mx_broadcast_to(src[i], nd, shape, s);
      if (!out[i]) {
        for (int j = 0; j < i; j++) mx_array_release(out[j]);
        return -1;
      }
    }
    return 0;
  }
  for (int i = 0; i < n; i++) {
    out[i] = materialize(r, get(r, refs[i]));
    if (!out[i]) {
      for (int j = 0; j < i; j++) mx_array_release(out[j]);
      return -1;
    }
  }
  return 0;
}

/* Output shapes of step s on `in` when they differ from the trace. */
static int infer_shapes(replay* r, const cstep* s, mx_array* const* in, int* nd, int (*shape)[MX_MAX_NDIM]) {
  mx_prim p = s->prim;
  if (is_elementwise(p)) {
    int n, sh[MX_MAX_NDIM];
    if (common_shape(s->n_in, in, &n, sh) != 0) return -1;
    for (int j = 0; j < s->n_out; j++) {
      nd[j] = n;
      memcpy(shape[j], sh, (size_t)n * sizeof(int));
    }
    return 0;
  }
  /* Same shape as the traced step's inputs: the traced output shapes. */
  bool same = true;
  for (int i = 0; i < s->n_in && same; i++) {
    int tnd;
    const int* tsh;
    mx_dtype dt;
    mx__compile_ref_shape(r->c, s->in[i], &tnd, &tsh, &dt);
    same = mx_shape_equal(tnd, tsh, in[i]->ndim, in[i]->shape);
  }
  if (same) {
    for (int j = 0; j < s->n_out; j++) {
      nd[j] = s->out_ndim[j];
      memcpy(shape[j], s->out_shape[j], (size_t)nd[j] * sizeof(int));
    }
    return 0;
  }
  const mx_array* a = in[0];
  switch (p) {
    case MX_PRIM_REDUCE: {
      const mx_reduce_params* rp = s->params;
      int tnd;
      const int* tsh;
      mx_dtype dt;
      mx__compile_ref_shape(r->c, s->in[0], &tnd, &tsh, &dt);
      bool keep = s->out_ndim[0] == tnd;
      int n = 0;
      for (int d = 0; d < a->ndim; d++) {
        bool red = false;
        for (int k = 0; k < rp->naxes; k++) red |= rp->axes[k] == d;
        if (!red) shape[0][n++] = a->shape[d];
        else if (keep) shape[0][n++] = 1;
      }
      nd[0] = n;
      return 0;
    }
    case MX_PRIM_TRANSPOSE: {
      const mx_transpose_params* tp = s->params;
      nd[0] = tp->ndim;
      for (int d = 0; d < tp->ndim; d++) shape[0][d] = a->shape[tp->perm[d]];
      return 0;
    }
    case MX_PRIM_MATMUL: {
      nd[0] = a->ndim;
      memcpy(shape[0], a->shape, (size_t)a->ndim * sizeof(int));
      shape[0][a->ndim - 1] = in[1]->shape[in[1]->ndim - 1];
      return 0;
    }
    case MX_PRIM_SOFTMAX:
    case MX_PRIM_SCAN:
    case MX_PRIM_SORT:
    case MX_PRIM_ARGSORT:
    case MX_PRIM_PARTITION:
    case MX_PRIM_ARGPARTITION:
    case MX_PRIM_COPY:
    case MX_PRIM_CONTIGUOUS:
      nd[0] = a->ndim;
      memcpy(shape[0], a->shape, (size_t)a->ndim * sizeof(int));
      return 0;
    default:
      return mx_error(MX_ERR_VALUE,
                      "[compile] Cannot infer output shapes of %s with shapeless=True when the "
                      "input shapes change; compile without shapeless.",
                      mx_prim_name(p));
  }
}

static int make(replay* r, mx_prim prim, const void* params, size_t params_size, mx_stream stream,
                int n_in, mx_array** in, int n_out, const cstep* shape_from, mx_array** out) {
  int nd[8];
  int shape[8][MX_MAX_NDIM];
  const int* sp[8];
  mx_dtype dt[8];
  if (n_out > 8) return mx_error(MX_ERR_VALUE, "[compile] Too many outputs.");
  for (int j = 0; j < n_out; j++) dt[j] = shape_from->out_dtype[j];
  if (r->infer) {
    if (infer_shapes(r, shape_from, in, nd, shape) != 0) return -1;
    for (int j = 0; j < n_out; j++) sp[j] = shape[j];
  } else {
    for (int j = 0; j < n_out; j++) {
      nd[j] = shape_from->out_ndim[j];
      sp[j] = shape_from->out_shape[j];
    }
  }
  return mx_array_make_node(prim, params, params_size, stream, n_in, in, n_out, nd, sp, dt, out);
}

static int run_group(replay* r, const cgroup* g) {
  const cstep* first = &r->c->steps[g->first];
  mx_array* in[MX_MAX_GROUP_INPUTS];
  mx_array* out[MX_MAX_GROUP_OUTPUTS];
  if (g->n_in > MX_MAX_GROUP_INPUTS || g->n_out > MX_MAX_GROUP_OUTPUTS)
    return mx_error(MX_ERR_VALUE, "[compile] Group too large.");
  if (gather_inputs(r, g->n_in, g->in, true, first->stream, in) != 0) return -1;
  /* All outputs share the group's shape; the first member's dtype is not
   * theirs in general, so describe each output with its own step. */
  int nd, shape[MX_MAX_NDIM];
  int rc = 0;
  if (r->infer) {
    rc = common_shape(g->n_in, in, &nd, shape);
  } else {
    nd = first->out_ndim[0];
    memcpy(shape, first->out_shape[0], (size_t)nd * sizeof(int));
  }
  int nds[MX_MAX_GROUP_OUTPUTS];
  const int* sps[MX_MAX_GROUP_OUTPUTS];
  mx_dtype dts[MX_MAX_GROUP_OUTPUTS];
  for (int o = 0; o < g->n_out; o++) {
    nds[o] = nd;
    sps[o] = shape;
    dts[o] = r->c->steps[g->out[o].index].out_dtype[0];
  }
  mx_compiled_params params = {g->program};
  if (rc == 0)
    rc = mx_array_make_node(MX_PRIM_COMPILED, &params, sizeof params, first->stream, g->n_in, in,
                            g->n_out, nds, sps, dts, out);
  for (int i = 0; i < g->n_in; i++) mx_array_release(in[i]);
  if (rc != 0) return -1;
  for (int o = 0; o < g->n_out; o++) r->vals[g->out[o].index][0].a = out[o];
  return 0;
}

static int run_step(replay* r, int k) {
  const cstep* s = &r->c->steps[k];
  if (r->infer && s->prim == MX_PRIM_BROADCAST) {
    value v = get(r, s->in[0]);
    mx_array_retain(v.a);
    int tnd;
    const int* tin;
    mx_dtype dt;
    mx__compile_ref_shape(r->c, s->in[0], &tnd, &tin, &dt);
    /* A broadcast of a deferred broadcast keeps the inner source, with the
     * traced shapes of the whole chain. */
    r->vals[k][0] = (value){.a = v.a, .deferred = true,
                            .tin_nd = v.deferred ? v.tin_nd : tnd, .tin = v.deferred ? v.tin : tin,
                            .tout_nd = s->out_ndim[0], .tout = s->out_shape[0]};
    return 0;
  }
  mx_array* in[64];
  mx_array* out[8];
  if (s->n_in > 64) return mx_error(MX_ERR_VALUE, "[compile] Too many inputs.");
  if (gather_inputs(r, s->n_in, s->in, is_elementwise(s->prim), s->stream, in) != 0) return -1;
  int rc = make(r, s->prim, s->params, s->params_size, s->stream, s->n_in, in, s->n_out, s, out);
  for (int i = 0; i < s->n_in; i++) mx_array_release(in[i]);
  if (rc != 0) return -1;
  for (int j = 0; j < s->n_out; j++) r->vals[k][j].a = out[j];
  return 0;
}

int mx_compile_run(mx_compiled* c, int n_in, mx_array* const* inputs, int* n_out,
                   mx_array*** outputs) {
  *n_out = 0;
  *outputs = NULL;
  if (n_in != c->n_inputs)
    return mx_error(MX_ERR_VALUE, "[compile] Expected %d inputs but got %d.", c->n_inputs, n_in);
  replay r = {.c = c, .inputs = inputs};
  for (int i = 0; i < n_in; i++) {
    if (inputs[i]->dtype != c->in_dtype[i])
      return mx_error(MX_ERR_VALUE, "[compile] Input %d has dtype %s; the trace has %s.", i,
                      mx_dtype_name(inputs[i]->dtype), mx_dtype_name(c->in_dtype[i]));
    if (!mx_shape_equal(inputs[i]->ndim, inputs[i]->shape, c->in_ndim[i], c->in_shape[i])) {
      if (!c->shapeless)
        return mx_error(MX_ERR_VALUE, "[compile] Input %d has a shape other than the trace's.", i);
      r.infer = true;
    }
  }
  /* Under another transform, every primitive must stay visible to it. */
  bool fuse = !mx_tracing();
  r.vals = calloc((size_t)(c->n_steps ? c->n_steps : 1), sizeof *r.vals);
  mx_array** result = calloc((size_t)(c->n_outputs ? c->n_outputs : 1), sizeof *result);
  int rc = r.vals && result ? 0 : mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  for (int k = 0; k < c->n_steps && rc == 0; k++) {
    const cstep* s = &c->steps[k];
    if (s->dead) continue;
    r.vals[k] = calloc((size_t)s->n_out, sizeof **r.vals);
    if (!r.vals[k]) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  }
  for (int k = 0; k < c->n_steps && rc == 0; k++) {
    const cstep* s = &c->steps[k];
    if (s->dead) continue;
    if (fuse && s->group >= 0) {
      if (c->groups[s->group].first == k) rc = run_group(&r, &c->groups[s->group]);
      continue;
    }
    rc = run_step(&r, k);
  }
  for (int i = 0; i < c->n_outputs && rc == 0; i++) {
    result[i] = materialize(&r, get(&r, c->outputs[i]));
    if (!result[i]) rc = -1;
  }
  for (int k = 0; k < c->n_steps; k++) {
    if (!r.vals || !r.vals[k]) continue;
    for (int j = 0; j < c->steps[k].n_out; j++) mx_array_release(r.vals[k][j].a);
    free(r.vals[k]);
  }
  free(r.vals);
  if (rc != 0) {
    mx_arrays_free(c->n_outputs, result);
    return -1;
  }
  *n_out = c->n_outputs;
  *outputs = result;
  return 0;
}
