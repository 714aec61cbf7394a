/* Recording a compiled function's graph and simplifying it (see compile.h). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

/* --- enabled / disabled ------------------------------------------------------- */

static atomic_int compile_state; /* 0: unread, 1: on, 2: off */

void mx_compile_set_enabled(bool on) { atomic_store(&compile_state, on ? 1 : 2); }

bool mx_compile_enabled(void) {
  int s = atomic_load(&compile_state);
  if (s == 0) {
    const char* env = getenv("MLX_DISABLE_COMPILE");
    s = env && env[0] && strcmp(env, "0") != 0 ? 2 : 1;
    atomic_store(&compile_state, s);
  }
  return s == 1;
}

/* --- freeing -------------------------------------------------------------------- */

void mx_compiled_free(mx_compiled* c) {
  if (!c) return;
  for (int i = 0; i < c->n_inputs; i++) free(c->in_shape[i]);
  free(c->in_shape);
  free(c->in_ndim);
  free(c->in_dtype);
  for (int k = 0; k < c->n_steps; k++) {
    cstep* s = &c->steps[k];
    mx_params_release(s->prim, s->params);
    free(s->params);
    free(s->in);
    for (int j = 0; j < s->n_out; j++) free(s->out_shape[j]);
    free(s->out_shape);
    free(s->out_ndim);
    free(s->out_dtype);
  }
  free(c->steps);
  for (int i = 0; i < c->n_consts; i++) {
    mx_array_release(c->consts[i]);
    if (c->const_src) mx_array_release(c->const_src[i]);
  }
  free(c->consts);
  free(c->const_src);
  free(c->outputs);
  /* COMPILED nodes made by earlier runs hold their own references to the
   * programs (see prims/compiled.h). */
  for (int g = 0; g < c->n_groups; g++) {
    mx_fused_program_release(c->groups[g].program);
    free(c->groups[g].in);
    free(c->groups[g].out);
  }
  free(c->groups);
  free(c);
}

void mx_compiled_stats(const mx_compiled* c, int* n_steps, int* n_groups, int* n_fused_steps) {
  int live = 0, fused = 0;
  for (int k = 0; k < c->n_steps; k++) {
    if (c->steps[k].dead) continue;
    live++;
    if (c->steps[k].group >= 0) fused++;
  }
  *n_steps = live;
  *n_groups = c->n_groups;
  *n_fused_steps = fused;
}

void mx__compile_ref_shape(const mx_compiled* c, cref r, int* ndim, const int** shape,
                           mx_dtype* dtype) {
  if (r.kind == REF_INPUT) {
    *ndim = c->in_ndim[r.index];
    *shape = c->in_shape[r.index];
    *dtype = c->in_dtype[r.index];
  } else if (r.kind == REF_STEP) {
    const cstep* s = &c->steps[r.index];
    *ndim = s->out_ndim[r.out];
    *shape = s->out_shape[r.out];
    *dtype = s->out_dtype[r.out];
  } else {
    const mx_array* a = c->consts[r.index];
    *ndim = a->ndim;
    *shape = a->shape;
    *dtype = a->dtype;
  }
}

/* --- recording ------------------------------------------------------------------ */

static int* dup_ints(const int* v, int n) {
  int* out = malloc((size_t)(n ? n : 1) * sizeof *out);
  if (out && n) memcpy(out, v, (size_t)n * sizeof *out);
  return out;
}

static int add_const(mx_compiled* c, mx_array* a, int* cap) {
  for (int i = 0; i < c->n_consts; i++)
    if (c->consts[i] == a) return i;
  if (c->n_consts == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    mx_array** bigger = realloc(c->consts, (size_t)nc * sizeof *bigger);
    if (!bigger) return mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    c->consts = bigger;
    *cap = nc;
  }
  mx_array_retain(a);
  c->consts[c->n_consts] = a;
  return c->n_consts++;
}

/* The reference for array `a` seen from inside the trace. */
static int ref_of(mx_compiled* c, mx_pmark* where, mx_array* a, cref* out, int* const_cap) {
  int* m = mx_pmark_slot(where, a, false);
  if (m) { /* a placeholder */
    *out = (cref){REF_INPUT, *m - 1, 0};
    return 0;
  }
  if (a->node) {
    int* sm = mx_pmark_slot(where, a->node, false);
    if (sm) {
      *out = (cref){REF_STEP, *sm - 1, a->out_index};
      return 0;
    }
  }
  int k = add_const(c, a, const_cap);
  if (k < 0) return -1;
  *out = (cref){REF_CONST, k, 0};
  return 0;
}

static int record(mx_compiled* c, int n_in, mx_array** ph, int n_out, mx_array** outs) {
  mx_node** tape = NULL;
  size_t n_tape = 0;
  mx_pmark where = {0};
  int const_cap = 0, rc = 0;
  if (mx_trace_tape(n_in, ph, n_out, outs, &n_tape, &tape) != 0) return -1;
  c->steps = calloc(n_tape ? n_tape : 1, sizeof *c->steps);
  c->outputs = calloc((size_t)(n_out ? n_out : 1), sizeof *c->outputs);
  if (!c->steps || !c->outputs) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  for (int i = 0; i < n_in && rc == 0; i++) {
    int* m = mx_pmark_slot(&where, ph[i], true);
    if (!m) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    else *m = i + 1;
  }
  for (size_t k = 0; k < n_tape && rc == 0; k++) {
    mx_node* node = tape[k];
    cstep* s = &c->steps[k];
    c->n_steps = (int)k + 1;
    s->prim = node->prim;
    s->stream = node->stream;
    s->group = -1;
    s->params_size = node->params_size;
    s->params = node->params_size ? malloc(node->params_size) : NULL;
    if (node->params_size && s->params) memcpy(s->params, node->params, node->params_size);
    if (node->params_size && s->params) mx_params_retain(s->prim, s->params);
    s->n_in = node->n_inputs;
    s->in = calloc((size_t)(s->n_in ? s->n_in : 1), sizeof *s->in);
    s->n_out = node->n_outputs;
    s->out_ndim = calloc((size_t)s->n_out, sizeof *s->out_ndim);
    s->out_shape = calloc((size_t)s->n_out, sizeof *s->out_shape);
    s->out_dtype = calloc((size_t)s->n_out, sizeof *s->out_dtype);
    if ((node->params_size && !s->params) || !s->in || !s->out_ndim || !s->out_shape || !s->out_dtype) {
      rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
      break;
    }
    for (int j = 0; j < s->n_out; j++) {
      const int* sh;
      mx_node_output_info(node, j, &s->out_ndim[j], &sh, &s->out_dtype[j]);
      if (!(s->out_shape[j] = dup_ints(sh, s->out_ndim[j]))) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    }
    for (int i = 0; i < s->n_in && rc == 0; i++) rc = ref_of(c, &where, node->inputs[i], &s->in[i], &const_cap);
    int* m = rc == 0 ? mx_pmark_slot(&where, node, true) : NULL;
    if (rc == 0 && !m) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    if (m) *m = (int)k + 1;
  }
  for (int i = 0; i < n_out && rc == 0; i++) rc = ref_of(c, &where, outs[i], &c->outputs[i], &const_cap);
  c->n_outputs = n_out;
  if (rc == 0) {
    c->const_src = calloc((size_t)(c->n_consts ? c->n_consts : 1), sizeof *c->const_src);
    if (!c->const_src) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  }
  for (int i = 0; i < c->n_consts && rc == 0; i++) {
    mx_node* n = c->consts[i]->node;
    if (n && n->prim == MX_PRIM_BROADCAST && !mx_array_is_available(c->consts[i])) {
      c->const_src[i] = n->inputs[0];
      mx_array_retain(c->const_src[i]);
    }
  }
  free(tape);
  mx_pmark_free(&where);
  return rc;
}

/* --- simplification ---------------------------------------------------------------- */

static bool same_ref(cref a, cref b) {
  return a.kind == b.kind && a.index == b.index && (a.kind != REF_STEP || a.out == b.out);
}

/* Equal scalar constants (same dtype and bytes, already evaluated) share one
 * entry. */
/* The scalar a constant holds: itself, or the scalar it broadcasts. */
static mx_array* scalar_of(const mx_compiled* c, int i) {
  mx_array* a = c->const_src && c->const_src[i] ? c->const_src[i] : c->consts[i];
  return a->size == 1 ? a : NULL;
}

static void merge_constants(mx_compiled* c, int* const_map) {
  for (int i = 0; i < c->n_consts; i++) {
    const_map[i] = i;
    mx_array* a = scalar_of(c, i);
    if (!a) continue;
    if (a->size != 1 || !mx_array_is_available(a) || !a->buffer || a->error) continue;
    void* pa = mx_array_host_data(a);
    if (!pa) {
      mx_error_clear();
      continue;
    }
    for (int j = 0; j < i; j++) {
      mx_array* b = scalar_of(c, j);
      if (const_map[j] != j || !b || b->dtype != a->dtype || b->ndim != a->ndim ||
          !mx_shape_equal(c->consts[i]->ndim, c->consts[i]->shape, c->consts[j]->ndim,
                          c->consts[j]->shape) ||
          !mx_array_is_available(b) || !b->buffer || b->error)
        continue;
      void* pb = mx_array_host_data(b);
      if (pb && memcmp(pa, pb, mx_dtype_size(a->dtype)) == 0) {
        const_map[i] = j;
        break;
      }
      if (!pb) mx_error_clear();
    }
  }
}

static bool is_noop(const mx_compiled* c, const cstep* s) {
  if (s->n_in != 1 || s->n_out != 1) return false;
  int nd;
  const int* sh;
  mx_dtype dt;
  mx__compile_ref_shape(c, s->in[0], &nd, &sh, &dt);
  if (!mx_shape_equal(nd, sh, s->out_ndim[0], s->out_shape[0]) || dt != s->out_dtype[0]) return false;
  switch (s->prim) {
    case MX_PRIM_BROADCAST:
    case MX_PRIM_RESHAPE:
    case MX_PRIM_ASTYPE:
      return true;
    case MX_PRIM_TRANSPOSE: {
      const mx_transpose_params* tp = s->params;
      for (int d = 0; d < tp->ndim; d++)
        if (tp->perm[d] != d) return false;
      return true;
    }
    default:
      return false;
  }
}

static bool same_step(const cstep* a, const cstep* b) {
  if (a->prim != b->prim || a->n_in != b->n_in || a->n_out != b->n_out ||
      a->params_size != b->params_size || a->stream.index != b->stream.index)
    return false;
  if (a->params_size && memcmp(a->params, b->params, a->params_size) != 0) return false;
  for (int i = 0; i < a->n_in; i++)
    if (!same_ref(a->in[i], b->in[i])) return false;
  for (int j = 0; j < a->n_out; j++)
    if (a->out_dtype[j] != b->out_dtype[j] ||
        !mx_shape_equal(a->out_ndim[j], a->out_shape[j], b->out_ndim[j], b->out_shape[j]))
      return false;
  return true;
}

static uint64_t step_hash(const cstep* s) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)s->prim;
  for (int i = 0; i < s->n_in; i++)
    h = (h ^ (uint64_t)(s->in[i].kind * 1000003 + s->in[i].index * 31 + s->in[i].out)) * 1099511628211ull;
  for (size_t b = 0; b < s->params_size; b++) h = (h ^ ((unsigned char*)s->params)[b]) * 1099511628211ull;
  return h;
}

/* Merges duplicate steps, removes no-ops and equal constants, in one pass
 * in step order: each step's inputs are first rewritten through the
 * replacements found so far. */
static int simplify(mx_compiled* c) {
  int* const_map = malloc((size_t)(c->n_consts ? c->n_consts : 1) * sizeof *const_map);
  cref* alias = malloc((size_t)(c->n_steps ? c->n_steps : 1) * sizeof *alias); /* for 1-output steps */
  int* repl = malloc((size_t)(c->n_steps ? c->n_steps : 1) * sizeof *repl);     /* merged into */
  size_t cap = 16;
  while (cap < 2 * (size_t)c->n_steps) cap *= 2;
  int* table = malloc(cap * sizeof *table);
  if (!const_map || !alias || !repl || !table) {
    free(const_map);
    free(alias);
    free(repl);
    free(table);
    return mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  }
  for (size_t i = 0; i < cap; i++) table[i] = -1;
  merge_constants(c, const_map);
#define REWRITE(r)                                                   \
  do {                                                               \
    if ((r).kind == REF_CONST) (r).index = const_map[(r).index];     \
    else if ((r).kind == REF_STEP) {                                 \
      if (repl[(r).index] >= 0) (r).index = repl[(r).index];         \
      if (alias[(r).index].kind >= 0) (r) = alias[(r).index];        \
    }                                                                \
  } while (0)
  for (int k = 0; k < c->n_steps; k++) {
    cstep* s = &c->steps[k];
    repl[k] = -1;
    alias[k].kind = -1;
    for (int i = 0; i < s->n_in; i++) REWRITE(s->in[i]);
    if (is_noop(c, s)) {
      alias[k] = s->in[0];
      s->dead = true;
      continue;
    }
    size_t j = (size_t)step_hash(s) & (cap - 1);
    while (table[j] >= 0) {
      if (same_step(&c->steps[table[j]], s)) break;
      j = (j + 1) & (cap - 1);
    }
    if (table[j] >= 0) {
      repl[k] = table[j];
      s->dead = true;
    } else {
      table[j] = k;
    }
  }
  for (int i = 0; i < c->n_outputs; i++) REWRITE(c->outputs[i]);
#undef REWRITE
  free(const_map);
  free(alias);
  free(repl);
  free(table);
  return 0;
}

/* --- the trace ---------------------------------------------------------------------- */

/* A placeholder: the input's shape and dtype, no data, no node. */
static mx_array* placeholder(void* ctx, int i, mx_array* a) {
  (void)ctx;
  (void)i;
  return mx_array_alloc(a->dtype, a->ndim, a->shape);
}

mx_compiled* mx_compile_trace(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                              bool shapeless) {
  mx_compiled* c = calloc(1, sizeof *c);
  if (!c) {
    mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    return NULL;
  }
  c->shapeless = shapeless;
  c->n_inputs = n_in;
  c->in_ndim = calloc((size_t)(n_in ? n_in : 1), sizeof *c->in_ndim);
  c->in_shape = calloc((size_t)(n_in ? n_in : 1), sizeof *c->in_shape);
  c->in_dtype = calloc((size_t)(n_in ? n_in : 1), sizeof *c->in_dtype);
  int rc = c->in_ndim && c->in_shape && c->in_dtype ? 0 : mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  for (int i = 0; i < n_in && rc == 0; i++) {
    mx_array* a = inputs[i];
    c->in_ndim[i] = a->ndim;
    c->in_dtype[i] = a->dtype;
    if (!(c->in_shape[i] = dup_ints(a->shape, a->ndim))) rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
  }
  int n_out = 0;
  mx_array** outs = NULL;
  mx_array** ph = NULL;
  if (rc == 0) rc = mx_trace_call_with(fn, payload, n_in, inputs, placeholder, NULL, &ph, &n_out, &outs);
  if (rc == 0) rc = record(c, n_in, ph, n_out, outs);
  if (rc == 0) rc = simplify(c);
  if (rc == 0) rc = mx__compile_fuse(c);
  mx_arrays_free(n_out, outs);
  mx_arrays_free(n_in, ph);
  if (rc != 0) {
    mx_compiled_free(c);
    return NULL;
  }
  return c;
}
