/* Tracing helpers shared by the transforms (see transforms.h): an
 * identity-keyed array map, stand-ins, and the walk that finds the nodes
 * between a function's inputs and its outputs. */
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

void mx_arrays_free(int n, mx_array** arrays) {
  if (!arrays) return;
  for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
  free(arrays);
}

/* --- identity-keyed maps ------------------------------------------------------ */

static size_t hash_ptr(const void* p) {
  return (size_t)(((uintptr_t)p >> 4) * 11400714819323198485ull);
}

struct mx_amap_slot* mx_amap_get(const mx_amap* m, const mx_array* key) {
  if (!m->cap) return NULL;
  size_t j = hash_ptr(key) & (m->cap - 1);
  while (m->slots[j].key) {
    if (m->slots[j].key == key) return &m->slots[j];
    j = (j + 1) & (m->cap - 1);
  }
  return NULL;
}

static int amap_grow(mx_amap* m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  struct mx_amap_slot* slots = calloc(cap, sizeof *slots);
  if (!slots) return mx_error(MX_ERR_MEMORY, "[transforms] Out of memory.");
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key) continue;
    size_t j = hash_ptr(m->slots[i].key) & (cap - 1);
    while (slots[j].key) j = (j + 1) & (cap - 1);
    slots[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

int mx_amap_put(mx_amap* m, const mx_array* key, mx_array* value, int aux) {
  struct mx_amap_slot* s = mx_amap_get(m, key);
  if (s) {
    mx_array_release(s->value);
    s->value = value;
    s->aux = aux;
    return 0;
  }
  if ((m->n + 1) * 2 > m->cap && amap_grow(m) != 0) {
    mx_array_release(value);
    return -1;
  }
  size_t j = hash_ptr(key) & (m->cap - 1);
  while (m->slots[j].key) j = (j + 1) & (m->cap - 1);
  m->slots[j] = (struct mx_amap_slot){key, value, aux};
  m->n++;
  return 0;
}

void mx_amap_free(mx_amap* m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key) mx_array_release(m->slots[i].value);
  free(m->slots);
  *m = (mx_amap){0};
}

int* mx_pmark_slot(mx_pmark* m, const void* key, bool insert) {
  if (insert && (m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    void* slots = calloc(cap, sizeof *m->slots);
    if (!slots) return NULL;
    mx_pmark g = {slots, cap, 0};
    for (size_t i = 0; i < m->cap; i++)
      if (m->slots[i].key) *mx_pmark_slot(&g, m->slots[i].key, true) = m->slots[i].mark;
    free(m->slots);
    *m = g;
  }
  if (!m->cap) return NULL;
  size_t j = hash_ptr(key) & (m->cap - 1);
  while (m->slots[j].key) {
    if (m->slots[j].key == key) return &m->slots[j].mark;
    j = (j + 1) & (m->cap - 1);
  }
  if (!insert) return NULL;
  m->slots[j].key = key;
  m->slots[j].mark = 0;
  m->n++;
  return &m->slots[j].mark;
}

void mx_pmark_free(mx_pmark* m) {
  free(m->slots);
  *m = (mx_pmark){0};
}

/* --- stand-ins and the tape --------------------------------------------------- */

mx_array* mx_trace_standin(mx_array* a) {
  /* A broadcast to the same shape: a view node, so it costs no copy, and a
   * distinct array whose graph position marks "the function's input". */
  mx_stream s = a->node ? a->node->stream : mx_stream_for_default();
  return mx_array_make(MX_PRIM_BROADCAST, NULL, 0, s, 1, &a, a->dtype, a->ndim, a->shape);
}

enum { MARK_SOURCE = 1, MARK_OPEN = 2, MARK_DEPENDS = 3, MARK_CONSTANT = 4 };

typedef struct frame {
  mx_node* node;
  int next;
  bool depends;
} frame;

int mx_trace_tape(int n_sources, mx_array* const* sources, int n_outputs,
                  mx_array* const* outputs, size_t* n_nodes, mx_node*** nodes) {
  mx_pmark marks = {0};
  frame* stack = NULL;
  size_t sn = 0, scap = 0, tn = 0, tcap = 0;
  mx_node** tape = NULL;
  int rc = 0;
  *n_nodes = 0;
  *nodes = NULL;
  for (int i = 0; i < n_sources && rc == 0; i++) {
    int* m = mx_pmark_slot(&marks, sources[i], true);
    if (!m) rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory.");
    else *m = MARK_SOURCE;
  }
  for (int k = 0; k < n_outputs && rc == 0; k++) {
    mx_array* o = outputs[k];
    if (!o || !o->node) continue;
    int* am = mx_pmark_slot(&marks, o, false);
    if (am && *am == MARK_SOURCE) continue;
    int* m = mx_pmark_slot(&marks, o->node, true);
    if (!m) { rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory."); break; }
    if (*m) continue;
    *m = MARK_OPEN;
    sn = 0;
    if (scap == 0) {
      scap = 64;
      stack = malloc(scap * sizeof *stack);
      if (!stack) { rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory."); break; }
    }
    stack[sn++] = (frame){o->node, 0, false};
    while (sn && rc == 0) {
      frame* top = &stack[sn - 1];
      if (top->next < top->node->n_inputs) {
        mx_array* in = top->node->inputs[top->next++];
        int* im = mx_pmark_slot(&marks, in, false);
        if (im && *im == MARK_SOURCE) {
          top->depends = true;
          continue;
        }
        if (!in->node) continue;
        int* nm = mx_pmark_slot(&marks, in->node, true);
        if (!nm) { rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory."); break; }
        if (*nm == MARK_DEPENDS) top->depends = true;
        if (*nm) continue; /* done, or open (cannot happen in a DAG) */
        *nm = MARK_OPEN;
        if (sn == scap) {
          frame* bigger = realloc(stack, 2 * scap * sizeof *stack);
          if (!bigger) { rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory."); break; }
          stack = bigger;
          scap *= 2;
        }
        stack[sn++] = (frame){in->node, 0, false};
      } else {
        frame done = *top;
        sn--;
        *mx_pmark_slot(&marks, done.node, false) = done.depends ? MARK_DEPENDS : MARK_CONSTANT;
        if (sn && done.depends) stack[sn - 1].depends = true;
        if (!done.depends) continue;
        if (tn == tcap) {
          tcap = tcap ? 2 * tcap : 64;
          mx_node** bigger = realloc(tape, tcap * sizeof *tape);
          if (!bigger) { rc = mx_error(MX_ERR_MEMORY, "[transforms] Out of memory."); break; }
          tape = bigger;
        }
        tape[tn++] = done.node;
      }
    }
  }
  free(stack);
  mx_pmark_free(&marks);
  if (rc != 0) {
    free(tape);
    return -1;
  }
  *n_nodes = tn;
  *nodes = tape;
  return 0;
}

int mx_trace_call_with(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                       mx_standin_fn make, void* ctx, mx_array*** standins, int* n_out,
                       mx_array*** outputs) {
  *standins = NULL;
  *outputs = NULL;
  *n_out = 0;
  mx_array** s = calloc((size_t)(n_in ? n_in : 1), sizeof *s);
  if (!s) return mx_error(MX_ERR_MEMORY, "[transforms] Out of memory.");
  mx_trace_begin();
  int rc = 0;
  for (int i = 0; i < n_in && rc == 0; i++)
    if (!(s[i] = make(ctx, i, inputs[i]))) rc = -1;
  if (rc == 0) rc = fn(payload, n_in, s, n_out, outputs);
  mx_trace_end();
  if (rc != 0) {
    mx_arrays_free(n_in, s);
    *n_out = 0;
    *outputs = NULL;
    return -1;
  }
  *standins = s;
  return 0;
}

static mx_array* same_value_standin(void* ctx, int i, mx_array* a) {
  (void)ctx;
  (void)i;
  return mx_trace_standin(a);
}

int mx_trace_call(mx_fn fn, void* payload, int n_in, mx_array* const* inputs,
                  mx_array*** standins, int* n_out, mx_array*** outputs) {
  return mx_trace_call_with(fn, payload, n_in, inputs, same_value_standin, NULL, standins, n_out,
                            outputs);
}
