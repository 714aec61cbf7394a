/* einsum and einsum_path.
 *
 * Parsing: subscripts are letters; "..." stands for the dims an operand has
 * beyond its letters, right-aligned across operands and given labels of
 * their own.  Without "->" the output is the ellipsis dims followed by the
 * letters that occur once, in ASCII order.  Sizes of one label broadcast
 * (a dim of 1 stretches).
 *
 * Path: the contraction order is NumPy's greedy one (the algorithm NumPy
 * documents for einsum_path(optimize="greedy"), which MLX follows): pairs
 * sharing labels are ranked by (-(size removed), cost), outer products are
 * considered only when no pair shares a label, no intermediate may be
 * larger than the largest operand or the output, and a step costing more
 * than the naive evaluation stops the search (the rest is done at once).
 * Costs are NumPy's flop estimate: the product of the sizes of the labels
 * involved, times (operands - 1, at least 1) plus one when labels are
 * summed away.
 *
 * Evaluation: repeated labels within an operand become a diagonal first.
 * Each pairwise step sums away labels only one side has and nothing later
 * needs, then contracts shared labels nothing later needs with a batched
 * matmul (so, as in MLX, contractions need inexact dtypes), or multiplies
 * with broadcasting when there is nothing to contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg_conv_internal.h"

#define MAX_LABELS 128 /* 52 letters + ellipsis dims */
#define NLETTERS 52

/* --- label sets ------------------------------------------------------------------ */

typedef struct lset {
  uint64_t w[2];
} lset;

static lset set_empty(void) { return (lset){{0, 0}}; }
static void set_add(lset* s, int l) { s->w[l >> 6] |= 1ull << (l & 63); }
static bool set_has(lset s, int l) { return (s.w[l >> 6] >> (l & 63)) & 1; }
static lset set_or(lset a, lset b) { return (lset){{a.w[0] | b.w[0], a.w[1] | b.w[1]}}; }
static lset set_and(lset a, lset b) { return (lset){{a.w[0] & b.w[0], a.w[1] & b.w[1]}}; }
static lset set_minus(lset a, lset b) { return (lset){{a.w[0] & ~b.w[0], a.w[1] & ~b.w[1]}}; }
static bool set_empty_p(lset a) { return !a.w[0] && !a.w[1]; }
static int set_count(lset a) { return __builtin_popcountll(a.w[0]) + __builtin_popcountll(a.w[1]); }

/* Product of the sizes of a set's labels. */
static uint64_t set_size(lset a, const int64_t* sizes) {
  uint64_t n = 1;
  for (int l = 0; l < MAX_LABELS; l++)
    if (set_has(a, l)) n *= (uint64_t)sizes[l];
  return n;
}

/* NumPy's flop estimate for a contraction over `idx` of `terms` operands. */
static uint64_t flop_count(lset idx, bool inner, int terms, const int64_t* sizes) {
  uint64_t f = terms - 1 > 1 ? (uint64_t)(terms - 1) : 1;
  if (inner) f += 1;
  return set_size(idx, sizes) * f;
}

/* --- parsing --------------------------------------------------------------------- */

typedef struct parsed {
  int n;
  int* nlab;   /* labels per operand (= its ndim) */
  int** lab;   /* each operand's labels, one per dim */
  int out_n;
  int out_lab[MAX_LABELS];
  int64_t sizes[MAX_LABELS];
} parsed;

static void parsed_free(parsed* p) {
  if (p->lab)
    for (int i = 0; i < p->n; i++) free(p->lab[i]);
  free(p->lab);
  free(p->nlab);
}

static int letter_label(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  return -1;
}

/* Reads one term ("ij", "i...j") of operand `k` with `ndim` dims into
 * labels.  `ell` is the number of ellipsis labels overall (dims of the
 * ellipsis are right-aligned on them); with ell < 0 only counts. */
static int parse_term(const char* t, size_t len, int k, int ndim, int ell, int* out,
                      int* ell_dims) {
  int letters = 0;
  bool has_ell = false;
  for (size_t i = 0; i < len; i++) {
    if (t[i] == '.' && i + 2 < len && t[i + 1] == '.' && t[i + 2] == '.' && !has_ell) {
      has_ell = true;
      i += 2;
      continue;
    }
    if (letter_label(t[i]) < 0)
      return mx_error(MX_ERR_VALUE, "[einsum] Subscripts must be letters, but got '%c'.", t[i]);
    letters++;
  }
  int ed = has_ell ? ndim - letters : 0;
  if ((!has_ell && letters != ndim) || ed < 0)
    return mx_error(MX_ERR_VALUE,
                    "[einsum] Invalid number of subscripts %d for input %d with %d dimensions.",
                    letters, k, ndim);
  *ell_dims = ed;
  if (ell < 0) return 0;
  int pos = 0;
  for (size_t i = 0; i < len; i++) {
    if (t[i] == '.') {
      for (int e = 0; e < ed; e++) out[pos++] = NLETTERS + ell - ed + e;
      i += 2;
      continue;
    }
    out[pos++] = letter_label(t[i]);
  }
  return 0;
}

static int parse(const char* subscripts, int n, mx_array* const* ops, parsed* p) {
  memset(p, 0, sizeof *p);
  if (n <= 0) return mx_error(MX_ERR_VALUE, "[einsum] At least one operand is required.");
  if (n > MAX_LABELS) return mx_error(MX_ERR_VALUE, "[einsum] Too many operands.");
  /* Spaces mean nothing. */
  size_t slen = strlen(subscripts);
  char* s = malloc(slen + 1);
  if (!s) return mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
  size_t m = 0;
  for (size_t i = 0; i < slen; i++)
    if (subscripts[i] != ' ') s[m++] = subscripts[i];
  s[m] = 0;
  int rc = -1;
  char* arrow = strstr(s, "->");
  size_t lhs_len = arrow ? (size_t)(arrow - s) : m;
  /* Terms of the left-hand side. */
  int terms = 1;
  for (size_t i = 0; i < lhs_len; i++) terms += s[i] == ',';
  if (terms != n) {
    mx_error(MX_ERR_VALUE,
             "[einsum] Number of operands, %d, does not match number of input subscripts, %d", n,
             terms);
    goto done;
  }
  p->n = n;
  p->nlab = calloc((size_t)n, sizeof(int));
  p->lab = calloc((size_t)n, sizeof(int*));
  if (!p->nlab || !p->lab) {
    mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
    goto done;
  }
  size_t starts[MAX_LABELS + 1];
  {
    int t = 0;
    starts[0] = 0;
    for (size_t i = 0; i < lhs_len; i++)
      if (s[i] == ',') starts[++t] = i + 1;
    starts[n] = lhs_len + 1;
  }
  int ell = 0;
  int ell_dims[MAX_LABELS];
  for (int k = 0; k < n; k++) {
    if (parse_term(s + starts[k], starts[k + 1] - 1 - starts[k], k, ops[k]->ndim, -1, NULL,
                   &ell_dims[k]) != 0)
      goto done;
    if (ell_dims[k] > ell) ell = ell_dims[k];
  }
  if (NLETTERS + ell > MAX_LABELS) {
    mx_error(MX_ERR_VALUE, "[einsum] Too many dimensions.");
    goto done;
  }
  for (int l = 0; l < MAX_LABELS; l++) p->sizes[l] = -1;
  int count[MAX_LABELS] = {0};
  for (int k = 0; k < n; k++) {
    mx_array* a = ops[k];
    p->nlab[k] = a->ndim;
    p->lab[k] = malloc((size_t)(a->ndim + 1) * sizeof(int));
    if (!p->lab[k]) {
      mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
      goto done;
    }
    parse_term(s + starts[k], starts[k + 1] - 1 - starts[k], k, a->ndim, ell, p->lab[k],
               &ell_dims[k]);
    /* Repeated labels inside one operand must agree exactly. */
    for (int i = 0; i < a->ndim; i++)
      for (int j = 0; j < i; j++)
        if (p->lab[k][i] == p->lab[k][j] && a->shape[i] != a->shape[j]) {
          mx_error(MX_ERR_VALUE,
                   "[einsum] Dimensions of repeated subscripts do not have the same size (%d != "
                   "%d).",
                   a->shape[j], a->shape[i]);
          goto done;
        }
    for (int i = 0; i < a->ndim; i++) {
      int l = p->lab[k][i];
      int64_t d = a->shape[i];
      count[l]++;
      if (p->sizes[l] < 0 || p->sizes[l] == 1) {
        p->sizes[l] = d;
      } else if (d != 1 && d != p->sizes[l]) {
        char b[MX__SHAPE_BUF];
        mx_error(MX_ERR_VALUE, "[einsum] Cannot broadcast dimension %d of input %d with shape %s to size %lld.",
                 i, k, mx_shape_str(a->ndim, a->shape, b, sizeof b), (long long)p->sizes[l]);
        goto done;
      }
    }
  }
  if (arrow) {
    const char* r = arrow + 2;
    size_t rl = strlen(r);
    bool seen[MAX_LABELS] = {false};
    bool had_ell = false;
    for (size_t i = 0; i < rl; i++) {
      if (r[i] == '.' && i + 2 < rl && r[i + 1] == '.' && r[i + 2] == '.' && !had_ell) {
        had_ell = true;
        for (int e = 0; e < ell; e++) p->out_lab[p->out_n++] = NLETTERS + e;
        i += 2;
        continue;
      }
      int l = letter_label(r[i]);
      if (l < 0) {
        mx_error(MX_ERR_VALUE, "[einsum] Subscripts must be letters, but got '%c'.", r[i]);
        goto done;
      }
      if (seen[l]) {
        mx_error(MX_ERR_VALUE, "[einsum] Repeat indices not allowed in output.");
        goto done;
      }
      if (!count[l]) {
        mx_error(MX_ERR_VALUE, "[einsum] Output subscript '%c' does not appear in the inputs.",
                 r[i]);
        goto done;
      }
      seen[l] = true;
      p->out_lab[p->out_n++] = l;
    }
    /* Ellipsis dims absent from the output are summed like any label. */
  } else {
    for (int e = 0; e < ell; e++) p->out_lab[p->out_n++] = NLETTERS + e;
    for (int l = 0; l < NLETTERS; l++)
      if (count[l] == 1) p->out_lab[p->out_n++] = l;
  }
  rc = 0;
done:
  free(s);
  if (rc != 0) parsed_free(p);
  return rc;
}

/* --- the greedy path ------------------------------------------------------------ */

typedef struct step {
  int n;
  int pos[MAX_LABELS]; /* operand positions in the current list, increasing */
} step;

/* A candidate pair: the size it removes, its cost, the labels of its
 * result, how many labels it involves, and its positions. */
typedef struct cand {
  int64_t removed;
  uint64_t cost;
  lset result;
  int dims;
  int x, y;
} cand;

/* The naive cost of contracting sets[0..n) at once, as einsum_path reports
 * it: every label involved, plus one operation when anything is summed. */
static uint64_t naive_cost(const lset* sets, int n, lset out, const int64_t* sizes, int* scale) {
  lset all = set_empty();
  for (int i = 0; i < n; i++) all = set_or(all, sets[i]);
  *scale = set_count(all);
  return flop_count(all, !set_empty_p(set_minus(all, out)), n, sizes);
}

typedef struct search {
  lset* sets;
  int n;
  lset out;
  const int64_t* sizes;
  uint64_t mem_limit, cost_limit, path_cost;
  cand* list;
  int nlist, cap;
} search;

/* Ranks the pair (x, y) and keeps it unless its result is over the memory
 * bound or it would take the path over the naive cost. */
static int consider(search* S, int x, int y) {
  lset involved = set_or(S->sets[x], S->sets[y]);
  lset needed = S->out;
  for (int i = 0; i < S->n; i++)
    if (i != x && i != y) needed = set_or(needed, S->sets[i]);
  lset result = set_and(involved, needed);
  uint64_t new_size = set_size(result, S->sizes);
  if (new_size > S->mem_limit) return 0;
  int64_t removed = (int64_t)(set_size(S->sets[x], S->sizes) + set_size(S->sets[y], S->sizes)) -
                    (int64_t)new_size;
  uint64_t cost = flop_count(involved, set_count(involved) > set_count(result), 2, S->sizes);
  if (S->path_cost + cost > S->cost_limit) return 0;
  if (S->nlist == S->cap) {
    int nc = S->cap ? S->cap * 2 : 16;
    cand* l = realloc(S->list, (size_t)nc * sizeof(cand));
    if (!l) return mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
    S->list = l;
    S->cap = nc;
  }
  S->list[S->nlist++] = (cand){removed, cost, result, set_count(involved), x, y};
  return 0;
}

/* The contraction order for sets[0..n) (n >= 3): at each step the pair
 * removing the most elements (then the cheapest) among the pairs just made
 * possible, candidates found earlier staying in the running.  Pairs without
 * a shared label are looked at only when nothing else is left.  Writes the
 * steps and the path's cost and scaling. */
static int greedy_path(const lset* sets_in, int n, lset out, const int64_t* sizes,
                       uint64_t mem_limit, uint64_t cost_limit, step* steps, int* nsteps,
                       uint64_t* cost, int* scale) {
  search S = {.n = n, .out = out, .sizes = sizes, .mem_limit = mem_limit,
              .cost_limit = cost_limit};
  S.sets = malloc((size_t)n * sizeof(lset));
  if (!S.sets) return mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
  memcpy(S.sets, sets_in, (size_t)n * sizeof(lset));
  *nsteps = 0;
  *cost = 0;
  *scale = 0;
  int rc = 0;
  int newest = -1; /* after the first step: pairs with the newest operand only */
  for (int iter = 0; iter < n - 1; iter++) {
    for (int pass = 0; pass < 2; pass++) {
      if (pass == 1 && S.nlist > 0) break;
      for (int x = 0; x < S.n; x++)
        for (int y = x + 1; y < S.n; y++) {
          if (newest >= 0 && y != newest) continue;
          if (pass == 0 && set_empty_p(set_and(S.sets[x], S.sets[y]))) continue;
          if (consider(&S, x, y) != 0) {
            rc = -1;
            goto done;
          }
        }
    }
    if (S.nlist == 0) {
      /* Nothing fits the bounds: the rest in one naive step. */
      step st = {S.n, {0}};
      for (int i = 0; i < S.n; i++) st.pos[i] = i;
      steps[(*nsteps)++] = st;
      int sc;
      *cost += naive_cost(S.sets, S.n, out, sizes, &sc);
      if (sc > *scale) *scale = sc;
      break;
    }
    int best = 0;
    for (int i = 1; i < S.nlist; i++) {
      const cand* c = &S.list[i];
      const cand* b = &S.list[best];
      if (c->removed > b->removed || (c->removed == b->removed && c->cost < b->cost)) best = i;
    }
    cand b = S.list[best];
    if (b.dims > *scale) *scale = b.dims;
    steps[(*nsteps)++] = (step){2, {b.x, b.y}};
    *cost += b.cost;
    /* The two operands leave the list, their result joins at the end. */
    int k = 0;
    for (int i = 0; i < S.n; i++)
      if (i != b.x && i != b.y) S.sets[k++] = S.sets[i];
    S.sets[k++] = b.result;
    S.n = k;
    newest = k - 1;
    /* Candidates not touching the contracted operands stay, renumbered. */
    int kept = 0;
    for (int i = 0; i < S.nlist; i++) {
      cand c = S.list[i];
      if (c.x == b.x || c.x == b.y || c.y == b.x || c.y == b.y) continue;
      c.x -= (c.x > b.x) + (c.x > b.y);
      c.y -= (c.y > b.x) + (c.y > b.y);
      S.list[kept++] = c;
    }
    S.nlist = kept;
    S.path_cost += b.cost;
  }
done:
  free(S.list);
  free(S.sets);
  return rc;
}

/* Everything einsum and einsum_path share: parse, sets, path, costs. */
typedef struct plan {
  parsed p;
  step* steps;
  int nsteps;
  uint64_t naive_cost, opt_cost;
  int naive_scale, opt_scale;
} plan;

static void plan_free(plan* pl) {
  parsed_free(&pl->p);
  free(pl->steps);
}

static int make_plan(const char* subscripts, int n, mx_array* const* ops, plan* pl) {
  memset(pl, 0, sizeof *pl);
  if (!subscripts) return mx_error(MX_ERR_VALUE, "[einsum] Invalid (null) subscripts.");
  for (int i = 0; i < n; i++)
    if (!ops[i]) return mx_error(MX_ERR_VALUE, "[einsum] Invalid (null) array argument.");
  if (parse(subscripts, n, ops, &pl->p) != 0) return -1;
  parsed* p = &pl->p;
  lset* sets = malloc((size_t)n * sizeof(lset));
  pl->steps = malloc((size_t)n * sizeof(step));
  if (!sets || !pl->steps) {
    free(sets);
    plan_free(pl);
    return mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
  }
  lset out = set_empty();
  for (int k = 0; k < n; k++) {
    sets[k] = set_empty();
    for (int i = 0; i < p->nlab[k]; i++) set_add(&sets[k], p->lab[k][i]);
  }
  for (int i = 0; i < p->out_n; i++) set_add(&out, p->out_lab[i]);
  int64_t sizes[MAX_LABELS];
  for (int l = 0; l < MAX_LABELS; l++) sizes[l] = p->sizes[l] < 0 ? 1 : p->sizes[l];
  pl->naive_cost = naive_cost(sets, n, out, sizes, &pl->naive_scale);
  int rc = 0;
  if (n <= 2) {
    step st = {n, {0, 1}};
    pl->steps[0] = st;
    pl->nsteps = 1;
    pl->opt_cost = pl->naive_cost;
    pl->opt_scale = pl->naive_scale;
  } else {
    /* No intermediate may outgrow the largest operand or the output. */
    uint64_t mem = set_size(out, sizes);
    for (int k = 0; k < n; k++) {
      uint64_t sz = set_size(sets[k], sizes);
      if (sz > mem) mem = sz;
    }
    rc = greedy_path(sets, n, out, sizes, mem, pl->naive_cost, pl->steps, &pl->nsteps,
                     &pl->opt_cost, &pl->opt_scale);
  }
  free(sets);
  if (rc != 0) plan_free(pl);
  return rc;
}

int mx_einsum_path(const char* subscripts, int n, mx_array* const* operands, int* nsteps,
                   int** step_sizes, int** steps, char** info) {
  plan pl;
  if (make_plan(subscripts, n, operands, &pl) != 0) return -1;
  int total = 0;
  for (int i = 0; i < pl.nsteps; i++) total += pl.steps[i].n;
  *step_sizes = malloc((size_t)pl.nsteps * sizeof(int) + 1);
  *steps = malloc((size_t)total * sizeof(int) + 1);
  size_t len = strlen(subscripts) + 256;
  *info = malloc(len);
  if (!*step_sizes || !*steps || !*info) {
    free(*step_sizes);
    free(*steps);
    free(*info);
    plan_free(&pl);
    return mx_error(MX_ERR_MEMORY, "[einsum_path] Out of memory.");
  }
  int k = 0;
  for (int i = 0; i < pl.nsteps; i++) {
    (*step_sizes)[i] = pl.steps[i].n;
    for (int j = 0; j < pl.steps[i].n; j++) (*steps)[k++] = pl.steps[i].pos[j];
  }
  *nsteps = pl.nsteps;
  snprintf(*info, len,
           "  Complete contraction:  %s\n         Naive scaling:  %d\n     Optimized scaling:  %d\n"
           "      Naive FLOP count:  %llu\n  Optimized FLOP count:  %llu\n",
           subscripts, pl.naive_scale, pl.opt_scale, (unsigned long long)pl.naive_cost,
           (unsigned long long)pl.opt_cost);
  plan_free(&pl);
  return 0;
}

/* --- evaluation -------------------------------------------------------------------- */

/* An operand during evaluation: the array and one label per dim (unique). */
typedef struct term {
  mx_array* a;
  int n;
  int lab[MAX_LABELS];
} term;

static int label_index(const term* t, int l) {
  for (int i = 0; i < t->n; i++)
    if (t->lab[i] == l) return i;
  return -1;
}

/* Replaces t->a by `a` (a new reference; NULL means failure). */
static int term_set(term* t, mx_array* a) {
  if (!a) return -1;
  mx_array_release(t->a);
  t->a = a;
  return 0;
}

/* Makes labels unique (diagonals) and stretches size-1 dims to the
 * label's size. */
static int term_prepare(term* t, const int* lab, int n, const int64_t* sizes, mx_stream s) {
  t->n = n;
  memcpy(t->lab, lab, (size_t)n * sizeof(int));
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i < t->n && !again; i++)
      for (int j = i + 1; j < t->n && !again; j++) {
        if (t->lab[i] != t->lab[j]) continue;
        /* The diagonal replaces dims i and j with one dim at the end. */
        if (term_set(t, mx_diagonal(t->a, 0, i, j, s)) != 0) return -1;
        int l = t->lab[i], k = 0;
        for (int d = 0; d < t->n; d++)
          if (d != i && d != j) t->lab[k++] = t->lab[d];
        t->lab[k++] = l;
        t->n = k;
        again = true;
      }
  }
  int shape[MAX_LABELS];
  bool stretch = false;
  for (int i = 0; i < t->n; i++) {
    shape[i] = (int)sizes[t->lab[i]];
    stretch |= shape[i] != t->a->shape[i];
  }
  if (stretch && term_set(t, mx_broadcast_to(t->a, t->n, shape, s)) != 0) return -1;
  return 0;
}

/* Sums away the labels of t that are not in `keep`. */
static int term_reduce(term* t, lset keep, mx_stream s) {
  int axes[MAX_LABELS], na = 0, k = 0;
  for (int i = 0; i < t->n; i++) {
    if (set_has(keep, t->lab[i])) t->lab[k++] = t->lab[i];
    else axes[na++] = i;
  }
  if (!na) return 0;
  t->n = k;
  return term_set(t, mx_sum(t->a, na, axes, false, s));
}

/* Transposes t to the label order `order` (all of t's labels). */
static int term_order(term* t, const int* order, int n, mx_stream s) {
  int perm[MAX_LABELS];
  bool same = true;
  for (int i = 0; i < n; i++) {
    perm[i] = label_index(t, order[i]);
    same &= perm[i] == i;
  }
  if (!same && term_set(t, mx_transpose(t->a, n, perm, s)) != 0) return -1;
  memcpy(t->lab, order, (size_t)n * sizeof(int));
  return 0;
}

static lset term_set_of(const term* t) {
  lset r = set_empty();
  for (int i = 0; i < t->n; i++) set_add(&r, t->lab[i]);
  return r;
}

/* Contracts x and y into x, keeping the labels in `keep`. */
static int contract_pair(term* x, term* y, lset keep, const int64_t* sizes, mx_stream s) {
  lset sx = term_set_of(x), sy = term_set_of(y);
  lset shared = set_and(sx, sy);
  if (term_reduce(x, set_or(keep, shared), s) != 0 || term_reduce(y, set_or(keep, shared), s) != 0)
    return -1;
  sx = term_set_of(x);
  sy = term_set_of(y);
  lset batch = set_and(shared, keep), summed = set_minus(shared, keep);
  int bl[MAX_LABELS], xl[MAX_LABELS], yl[MAX_LABELS], cl[MAX_LABELS];
  int nb = 0, nx = 0, ny = 0, nc = 0;
  int64_t B = 1, M = 1, N = 1, K = 1;
  for (int i = 0; i < x->n; i++) {
    int l = x->lab[i];
    if (set_has(batch, l)) bl[nb++] = l, B *= sizes[l];
    else if (set_has(summed, l)) cl[nc++] = l, K *= sizes[l];
    else xl[nx++] = l, M *= sizes[l];
  }
  for (int i = 0; i < y->n; i++) {
    int l = y->lab[i];
    if (!set_has(shared, l)) yl[ny++] = l, N *= sizes[l];
  }
  int order[MAX_LABELS], k = 0;
  if (nc == 0) {
    /* No contraction: a broadcast product over the union of labels. */
    for (int i = 0; i < nb; i++) order[k++] = bl[i];
    for (int i = 0; i < nx; i++) order[k++] = xl[i];
    int xs[MAX_LABELS], ys[MAX_LABELS];
    if (term_order(x, order, k, s) != 0) return -1;
    for (int i = 0; i < k; i++) xs[i] = (int)sizes[order[i]];
    for (int i = 0; i < ny; i++) xs[k + i] = 1;
    int yorder[MAX_LABELS], yk = 0;
    for (int i = 0; i < nb; i++) yorder[yk++] = bl[i];
    for (int i = 0; i < ny; i++) yorder[yk++] = yl[i];
    if (term_order(y, yorder, yk, s) != 0) return -1;
    for (int i = 0; i < nb; i++) ys[i] = (int)sizes[bl[i]];
    for (int i = 0; i < nx; i++) ys[nb + i] = 1;
    for (int i = 0; i < ny; i++) ys[nb + nx + i] = (int)sizes[yl[i]];
    int nd = nb + nx + ny;
    mx_array* rx = mx_reshape(x->a, nd, xs, s);
    mx_array* ry = rx ? mx_reshape(y->a, nd, ys, s) : NULL;
    mx_array* prod = ry ? mx_multiply(rx, ry, s) : NULL;
    mx_array_release(rx);
    mx_array_release(ry);
    if (term_set(x, prod) != 0) return -1;
    x->n = 0;
    for (int i = 0; i < nb; i++) x->lab[x->n++] = bl[i];
    for (int i = 0; i < nx; i++) x->lab[x->n++] = xl[i];
    for (int i = 0; i < ny; i++) x->lab[x->n++] = yl[i];
    return 0;
  }
  if (B > INT32_MAX || M > INT32_MAX || N > INT32_MAX || K > INT32_MAX)
    return mx_error(MX_ERR_VALUE, "[einsum] Operands are too large.");
  /* x as (B, M, K), y as (B, K, N), one batched matmul. */
  for (int i = 0; i < nb; i++) order[k++] = bl[i];
  for (int i = 0; i < nx; i++) order[k++] = xl[i];
  for (int i = 0; i < nc; i++) order[k++] = cl[i];
  if (term_order(x, order, k, s) != 0) return -1;
  k = 0;
  for (int i = 0; i < nb; i++) order[k++] = bl[i];
  for (int i = 0; i < nc; i++) order[k++] = cl[i];
  for (int i = 0; i < ny; i++) order[k++] = yl[i];
  if (term_order(y, order, k, s) != 0) return -1;
  int xs[3] = {(int)B, (int)M, (int)K}, ys[3] = {(int)B, (int)K, (int)N};
  mx_array* rx = mx_reshape(x->a, 3, xs, s);
  mx_array* ry = rx ? mx_reshape(y->a, 3, ys, s) : NULL;
  mx_array* prod = ry ? mx_matmul(rx, ry, s) : NULL;
  mx_array_release(rx);
  mx_array_release(ry);
  int os[MAX_LABELS], on = 0;
  x->n = 0;
  for (int i = 0; i < nb; i++) os[on++] = (int)sizes[bl[i]], x->lab[x->n++] = bl[i];
  for (int i = 0; i < nx; i++) os[on++] = (int)sizes[xl[i]], x->lab[x->n++] = xl[i];
  for (int i = 0; i < ny; i++) os[on++] = (int)sizes[yl[i]], x->lab[x->n++] = yl[i];
  mx_array* r = prod ? mx_reshape(prod, on, os, s) : NULL;
  mx_array_release(prod);
  return term_set(x, r);
}

/* Contracts t[0..n) into t[0] the plain way: every operand broadcast over
 * the union of labels, multiplied, then the labels not in `keep` summed
 * (no matmul, so integer operands work, as in MLX's naive path). */
static int contract_naive(term* t, int n, lset keep, mx_stream s) {
  int order[MAX_LABELS], k = 0;
  for (int j = 0; j < n; j++)
    for (int i = 0; i < t[j].n; i++) {
      bool seen = false;
      for (int q = 0; q < k; q++) seen |= order[q] == t[j].lab[i];
      if (!seen) order[k++] = t[j].lab[i];
    }
  mx_array* acc = NULL;
  for (int j = 0; j < n; j++) {
    /* This operand's labels in union order, then size-1 dims for the rest. */
    int mine[MAX_LABELS], m = 0, shape[MAX_LABELS];
    for (int q = 0; q < k; q++) {
      shape[q] = 1;
      if (label_index(&t[j], order[q]) >= 0) mine[m++] = order[q];
    }
    if (term_order(&t[j], mine, m, s) != 0) goto fail;
    for (int q = 0, i = 0; q < k; q++)
      if (i < m && mine[i] == order[q]) shape[q] = t[j].a->shape[i++];
    mx_array* r = mx_reshape(t[j].a, k, shape, s);
    if (!r) goto fail;
    if (!acc) {
      acc = r;
    } else {
      mx_array* p = mx_multiply(acc, r, s);
      mx_array_release(r);
      mx_array_release(acc);
      acc = p;
      if (!acc) goto fail;
    }
  }
  if (term_set(&t[0], acc) != 0) return -1;
  t[0].n = k;
  memcpy(t[0].lab, order, (size_t)k * sizeof(int));
  return term_reduce(&t[0], keep, s);
fail:
  mx_array_release(acc);
  return -1;
}

mx_array* mx_einsum(const char* subscripts, int n, mx_array* const* operands, mx_stream s) {
  plan pl;
  if (make_plan(subscripts, n, operands, &pl) != 0) return NULL;
  parsed* p = &pl.p;
  int64_t sizes[MAX_LABELS];
  for (int l = 0; l < MAX_LABELS; l++) sizes[l] = p->sizes[l] < 0 ? 1 : p->sizes[l];
  term* terms = calloc((size_t)n, sizeof(term));
  mx_array* out = NULL;
  int cur = 0;
  if (!terms) {
    mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
    goto done;
  }
  for (int k = 0; k < n; k++) {
    terms[k].a = operands[k];
    mx_array_retain(operands[k]);
    cur++;
    if (term_prepare(&terms[k], p->lab[k], p->nlab[k], sizes, s) != 0) goto done;
  }
  lset outset = set_empty();
  for (int i = 0; i < p->out_n; i++) set_add(&outset, p->out_lab[i]);
  for (int st = 0; st < pl.nsteps; st++) {
    const step* sp = &pl.steps[st];
    /* Gather the step's operands (in path order), then the others. */
    term* mine = malloc((size_t)sp->n * sizeof(term));
    if (!mine) {
      mx_error(MX_ERR_MEMORY, "[einsum] Out of memory.");
      goto done;
    }
    bool taken[MAX_LABELS] = {false};
    for (int j = 0; j < sp->n; j++) {
      mine[j] = terms[sp->pos[j]];
      taken[sp->pos[j]] = true;
    }
    int r = 0;
    for (int i = 0; i < cur; i++)
      if (!taken[i]) terms[r++] = terms[i];
    /* Labels still needed: the output and the operands not in this step. */
    lset others = outset;
    for (int i = 0; i < r; i++) others = set_or(others, term_set_of(&terms[i]));
    int rc;
    if (sp->n == 2)
      rc = contract_pair(&mine[0], &mine[1], others, sizes, s);
    else
      rc = contract_naive(mine, sp->n, others, s);
    for (int j = 1; j < sp->n; j++) mx_array_release(mine[j].a);
    terms[r++] = mine[0];
    cur = r;
    free(mine);
    if (rc != 0) goto done;
  }
  /* One operand is left, holding exactly the output labels. */
  if (cur == 1 && term_order(&terms[0], p->out_lab, p->out_n, s) == 0) {
    out = terms[0].a;
    terms[0].a = NULL;
  }
done:
  if (terms)
    for (int i = 0; i < cur; i++) mx_array_release(terms[i].a);
  free(terms);
  plan_free(&pl);
  return out;
}
