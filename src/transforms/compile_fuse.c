/* Grouping a trace's elementwise steps into fused programs (see compile.h
 * and prims/compiled.h).
 *
 * Steps are visited in order.  An elementwise step joins the group of a
 * producer it reads when both have the same output shape and stream and
 * every other input of the step is made before the group's first member;
 * otherwise it starts a group.  That rule keeps every group's external
 * inputs ahead of its first member, so a replay can build the group's one
 * COMPILED node at that position and every consumer comes after it. */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

/* The CPU backend says whether it has an inner loop for the step
 * (src/backend/cpu/compiled.c). */
bool mx_cpu_fusible(mx_prim p, mx_dtype in_dtype, mx_dtype out_dtype, const void* params,
                    size_t params_size);

bool mx__compile_fusible(mx_prim p) {
  if (p >= MX_PRIM_ADD && p <= MX_PRIM_DIVIDE) return true;
  if (p == MX_PRIM_ASTYPE) return true;
  if (p >= MX_PRIM_ABS && p <= MX_PRIM_STOP_GRADIENT) return true;
  if (p >= MX_PRIM_EQUAL && p <= MX_PRIM_SELECT && p != MX_PRIM_DIVMOD) return true;
  return false;
}

static mx_dtype dispatch_dtype(const mx_compiled* c, const cstep* s) {
  int nd;
  const int* sh;
  mx_dtype dt;
  mx__compile_ref_shape(c, s->in[s->prim == MX_PRIM_SELECT ? 1 : 0], &nd, &sh, &dt);
  return dt;
}

static bool can_fuse(const mx_compiled* c, const cstep* s) {
  if (s->dead || s->n_out != 1 || !mx__compile_fusible(s->prim) || s->n_in < 1 || s->n_in > 3)
    return false;
  if (mx_stream_device(s->stream).type != MX_DEVICE_CPU) return false;
  return mx_cpu_fusible(s->prim, dispatch_dtype(c, s), s->out_dtype[0], s->params, s->params_size);
}

static bool ref_eq(cref a, cref b) {
  return a.kind == b.kind && a.index == b.index && (a.kind != REF_STEP || a.out == b.out);
}

static int build_group(mx_compiled* c, int g, const int* group_of, const bool* leaves_group) {
  cgroup* grp = &c->groups[g];
  int members = 0, n_ext = 0;
  for (int k = grp->first; k < c->n_steps; k++)
    if (group_of[k] == g) {
      members++;
      n_ext += c->steps[k].n_in;
    }
  grp->in = calloc((size_t)n_ext + 1, sizeof *grp->in);
  grp->out = calloc((size_t)members + 1, sizeof *grp->out);
  mx_fused_program* p = calloc(1, sizeof *p);
  int* value_of_step = calloc((size_t)c->n_steps, sizeof *value_of_step);
  if (!grp->in || !grp->out || !p || !value_of_step) goto oom;
  grp->n_in = 0;
  for (int k = grp->first; k < c->n_steps; k++) {
    if (group_of[k] != g) continue;
    const cstep* s = &c->steps[k];
    for (int i = 0; i < s->n_in; i++) {
      cref r = s->in[i];
      if (r.kind == REF_STEP && group_of[r.index] == g) continue;
      bool seen = false;
      for (int e = 0; e < grp->n_in && !seen; e++) seen = ref_eq(grp->in[e], r);
      if (!seen) grp->in[grp->n_in++] = r;
    }
  }
  p->refcount = 1; /* the trace's */
  p->n_inputs = grp->n_in;
  p->n_values = grp->n_in + members;
  p->n_instr = members;
  p->value_dtypes = calloc((size_t)p->n_values, sizeof *p->value_dtypes);
  p->instr = calloc((size_t)members, sizeof *p->instr);
  p->outputs = calloc((size_t)members, sizeof *p->outputs);
  if (!p->value_dtypes || !p->instr || !p->outputs) goto oom;
  for (int e = 0; e < grp->n_in; e++) {
    int nd;
    const int* sh;
    mx_dtype dt;
    mx__compile_ref_shape(c, grp->in[e], &nd, &sh, &dt);
    p->value_dtypes[e] = dt;
  }
  int m = 0;
  grp->n_out = 0;
  for (int k = grp->first; k < c->n_steps; k++) {
    if (group_of[k] != g) continue;
    const cstep* s = &c->steps[k];
    int v = grp->n_in + m;
    value_of_step[k] = v;
    mx_fused_instr* ins = &p->instr[m++];
    ins->prim = s->prim;
    ins->n_src = s->n_in;
    ins->dst = v;
    ins->in_dtype = dispatch_dtype(c, s);
    ins->params_size = (int)s->params_size;
    if (s->params_size) memcpy(ins->params, s->params, s->params_size);
    for (int i = 0; i < s->n_in; i++) {
      cref r = s->in[i];
      if (r.kind == REF_STEP && group_of[r.index] == g) {
        ins->src[i] = value_of_step[r.index];
      } else {
        for (int e = 0; e < grp->n_in; e++)
          if (ref_eq(grp->in[e], r)) ins->src[i] = e;
      }
    }
    p->value_dtypes[v] = s->out_dtype[0];
    if (leaves_group[k]) {
      p->outputs[grp->n_out] = v;
      grp->out[grp->n_out++] = (cref){REF_STEP, k, 0};
    }
  }
  p->n_outputs = grp->n_out;
  grp->program = p;
  free(value_of_step);
  return 0;
oom:
  if (p) {
    free(p->value_dtypes);
    free(p->instr);
    free(p->outputs);
    free(p);
  }
  free(value_of_step);
  return mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
}

int mx__compile_fuse(mx_compiled* c) {
  int n = c->n_steps;
  if (n == 0) return 0;
  int* group_of = malloc((size_t)n * sizeof *group_of);
  int* first = malloc((size_t)n * sizeof *first);
  int* size = calloc((size_t)n, sizeof *size);
  int* n_ext = calloc((size_t)n, sizeof *n_ext);
  bool* leaves = calloc((size_t)n, sizeof *leaves);
  int* renum = malloc((size_t)n * sizeof *renum);
  int rc = 0;
  if (!group_of || !first || !size || !n_ext || !leaves || !renum) {
    rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    goto done;
  }
  int ng = 0;
  for (int k = 0; k < n; k++) {
    group_of[k] = -1;
    cstep* s = &c->steps[k];
    if (!can_fuse(c, s)) continue;
    int cand = -1;
    for (int i = 0; i < s->n_in && cand < 0; i++) {
      cref r = s->in[i];
      if (r.kind != REF_STEP || group_of[r.index] < 0) continue;
      const cstep* prod = &c->steps[r.index];
      if (prod->stream.index == s->stream.index &&
          mx_shape_equal(prod->out_ndim[0], prod->out_shape[0], s->out_ndim[0], s->out_shape[0]))
        cand = group_of[r.index];
    }
    for (int i = 0; i < s->n_in && cand >= 0; i++) {
      cref r = s->in[i];
      if (r.kind == REF_STEP && group_of[r.index] != cand && r.index >= first[cand]) cand = -1;
    }
    /* Bound the group's inputs (each member adds at most three) and its
     * members (each may be an output). */
    if (cand >= 0 && (n_ext[cand] + s->n_in > MX_MAX_GROUP_INPUTS || size[cand] + 1 > MX_MAX_GROUP_OUTPUTS))
      cand = -1;
    if (cand < 0) {
      cand = ng++;
      first[cand] = k;
    }
    group_of[k] = cand;
    size[cand]++;
    n_ext[cand] += s->n_in;
  }
  /* Single steps gain nothing from fusing. */
  int kept = 0;
  for (int g = 0; g < ng; g++) renum[g] = size[g] >= 2 ? kept++ : -1;
  for (int k = 0; k < n; k++)
    if (group_of[k] >= 0) group_of[k] = renum[group_of[k]];
  /* Which member outputs are read outside their group. */
  for (int k = 0; k < n; k++) {
    const cstep* s = &c->steps[k];
    if (s->dead) continue;
    for (int i = 0; i < s->n_in; i++) {
      cref r = s->in[i];
      if (r.kind == REF_STEP && group_of[r.index] >= 0 && group_of[r.index] != group_of[k])
        leaves[r.index] = true;
    }
  }
  for (int i = 0; i < c->n_outputs; i++)
    if (c->outputs[i].kind == REF_STEP) leaves[c->outputs[i].index] = true;
  c->groups = calloc((size_t)(kept ? kept : 1), sizeof *c->groups);
  if (!c->groups) {
    rc = mx_error(MX_ERR_MEMORY, "[compile] Out of memory.");
    goto done;
  }
  for (int g = 0; g < ng; g++)
    if (renum[g] >= 0) c->groups[renum[g]].first = first[g];
  c->n_groups = kept;
  for (int k = 0; k < n; k++) c->steps[k].group = group_of[k];
  for (int g = 0; g < kept && rc == 0; g++) rc = build_group(c, g, group_of, leaves);
done:
  free(group_of);
  free(first);
  free(size);
  free(n_ext);
  free(leaves);
  free(renum);
  return rc;
}
