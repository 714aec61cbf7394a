/* Graph evaluation (see eval.h): ordering, running and detaching nodes. */
#include "eval.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "scheduler.h"

#ifdef MX_HAVE_CUDA
void mx_cuda_init(void);
#endif

void mx__streams_init(void);

static const mx_backend* gpu_backend = NULL;

void mx_register_gpu_backend(const mx_backend* b) { gpu_backend = b; }

const mx_backend* mx_backend_for(mx_device_type type) {
  return type == MX_DEVICE_GPU ? gpu_backend : &mx_cpu_backend;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_impl(void) {
#ifdef MX_HAVE_CUDA
  mx_cuda_init(); /* registers hooks and the GPU backend when a GPU is found */
#endif
  mx__streams_init();
}

void mx_init(void) { pthread_once(&init_once, init_impl); }

/* --- running one task -------------------------------------------------------- */

static void fail_outputs(mx__task* t, mx_error_kind kind, const char* msg) {
  for (int i = 0; i < t->n_outputs; i++) {
    mx_array* o = t->outputs[i];
    if (o->error) continue;
    o->error = strdup(msg ? msg : "unknown error");
    o->error_kind = kind ? kind : MX_ERR_RUNTIME;
  }
}

void mx__run_task(mx__task* t) {
  mx_node* node = t->node;
  int stream = node->stream.index;
  mx_device_type dev = mx_stream_device(node->stream).type;
  const char* upstream_error = NULL;
  int upstream_kind = MX_ERR_RUNTIME;
  int rc = 0;

  /* Cross-stream inputs: wait for their producers.  Same-stream inputs are
   * already complete (or queued ahead on the same device queue). */
  for (int i = 0; i < node->n_inputs && rc == 0; i++) {
    mx_array* in = node->inputs[i];
    if (in->error) {
      upstream_error = in->error;
      upstream_kind = in->error_kind;
      rc = -1;
    } else if (in->event.stream >= 0 && in->event.stream != stream) {
      rc = mx_event_wait(in->event);
    }
  }
  if (rc == 0) {
    const mx_backend* be = mx_backend_for(dev);
    mx_kernel_fn fn = be ? be->kernels[node->prim] : NULL;
    /* A primitive the GPU backend lacks runs its CPU kernel on the GPU
     * stream's worker: the kernel reads its inputs through
     * mx_array_host_data, which waits for the GPU work producing them and
     * copies them to the host, and GPU consumers of its outputs copy them
     * back.  Slower than a GPU kernel, but every op works on every device. */
    if (!fn && dev == MX_DEVICE_GPU) fn = mx_cpu_backend.kernels[node->prim];
    if (!fn)
      rc = mx_error(MX_ERR_VALUE, "[%s] Not supported on the %s.", mx_prim_name(node->prim),
                    dev == MX_DEVICE_GPU ? "GPU" : "CPU");
    else
      rc = fn(node, node->inputs, t->outputs);
    if (rc == MX_KERNEL_FALLBACK && dev == MX_DEVICE_GPU && mx_cpu_backend.kernels[node->prim]) {
      /* The GPU kernel declined this case: drop anything it allocated and
       * run the CPU kernel, as for a primitive with no GPU kernel. */
      for (int i = 0; i < t->n_outputs; i++) {
        mx_buffer_release(t->outputs[i]->buffer);
        t->outputs[i]->buffer = NULL;
      }
      rc = mx_cpu_backend.kernels[node->prim](node, node->inputs, t->outputs);
    } else if (rc == MX_KERNEL_FALLBACK) {
      rc = mx_error(MX_ERR_VALUE, "[%s] Not supported on the %s.", mx_prim_name(node->prim),
                    dev == MX_DEVICE_GPU ? "GPU" : "CPU");
    }
  }
  if (rc != 0) {
    if (upstream_error) fail_outputs(t, upstream_kind, upstream_error);
    else fail_outputs(t, mx_error_last_kind(), mx_error_message());
  }

  /* Publish, then detach: each output drops its node reference, and the last
   * one frees the node and with it the references to the inputs. */
  for (int i = 0; i < t->n_outputs; i++) {
    mx_array* o = t->outputs[i];
    atomic_store_explicit(&o->status, MX_STATUS_AVAILABLE, memory_order_release);
  }
  /* Nodes made by a transform's trace stay attached while tracing is on:
   * the transform walks them afterwards.  (An output evaluated that way
   * keeps its graph until it is released.) */
  if (!(node->keep_graph && mx_tracing()))
    for (int i = 0; i < t->n_outputs; i++) mx_array_detach(t->outputs[i]);
  mx_node_release(node); /* the task's own reference */
  for (int i = 0; i < t->n_outputs; i++) mx_array_release(t->outputs[i]);
  free(t);
}

/* --- building the tape ------------------------------------------------------- */

static bool needs_work(mx_array* a) {
  return atomic_load_explicit(&a->status, memory_order_acquire) == MX_STATUS_UNSCHEDULED &&
         a->node != NULL;
}

/* A set of node pointers (open addressing), to visit each node once. */
typedef struct node_set {
  mx_node** slots;
  size_t cap, n;
} node_set;

static size_t hash_ptr(const void* p) { return ((uintptr_t)p >> 4) * 11400714819323198485ull; }

static int set_insert(node_set* s, mx_node* node) {
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    mx_node** slots = calloc(cap, sizeof *slots);
    if (!slots) return mx_error(MX_ERR_MEMORY, "[eval] Out of memory.");
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slots[i]) continue;
      size_t j = hash_ptr(s->slots[i]) & (cap - 1);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  size_t j = hash_ptr(node) & (s->cap - 1);
  while (s->slots[j]) {
    if (s->slots[j] == node) return 0;
    j = (j + 1) & (s->cap - 1);
  }
  s->slots[j] = node;
  s->n++;
  return 1;
}

typedef struct frame {
  mx_node* node;
  int next_input;
} frame;

typedef struct vec {
  void* items;
  size_t n, cap, elem;
} vec;

static int vec_push(vec* v, const void* item) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    void* items = realloc(v->items, cap * v->elem);
    if (!items) return mx_error(MX_ERR_MEMORY, "[eval] Out of memory.");
    v->items = items;
    v->cap = cap;
  }
  memcpy((char*)v->items + v->n * v->elem, item, v->elem);
  v->n++;
  return 0;
}

/* Depth-first post-order over unevaluated nodes, with an explicit stack. */
static int build_tape(int n, mx_array* const* arrays, vec* tape) {
  node_set seen = {0};
  vec stack = {.elem = sizeof(frame)};
  int rc = 0;
  for (int k = 0; k < n && rc == 0; k++) {
    mx_array* a = arrays[k];
    if (!a || !needs_work(a)) continue;
    int ins = set_insert(&seen, a->node);
    if (ins < 0) { rc = -1; break; }
    if (ins == 0) continue;
    frame f = {a->node, 0};
    if ((rc = vec_push(&stack, &f)) != 0) break;
    while (stack.n && rc == 0) {
      frame* top = (frame*)stack.items + stack.n - 1;
      if (top->next_input < top->node->n_inputs) {
        mx_array* in = top->node->inputs[top->next_input++];
        if (!needs_work(in)) continue;
        ins = set_insert(&seen, in->node);
        if (ins < 0) { rc = -1; break; }
        if (ins == 0) continue;
        frame child = {in->node, 0};
        rc = vec_push(&stack, &child);
      } else {
        mx_node* done = top->node;
        stack.n--;
        rc = vec_push(tape, &done);
      }
    }
  }
  free(seen.slots);
  free(stack.items);
  return rc;
}

/* Makes a task for `node`: retains the node and every output, creating
 * temporaries for outputs that died unevaluated. */
static mx__task* make_task(mx_node* node) {
  mx__task* t = calloc(1, sizeof *t + (size_t)node->n_outputs * sizeof(mx_array*));
  if (!t) {
    mx_error(MX_ERR_MEMORY, "[eval] Out of memory.");
    return NULL;
  }
  t->node = node;
  t->n_outputs = node->n_outputs;
  atomic_fetch_add(&node->refcount, 1);
  for (int i = 0; i < node->n_outputs; i++) {
    mx_array* o = atomic_load(&node->outputs[i]);
    if (o) {
      mx_array_retain(o);
    } else {
      struct mx_node_output_meta* m = &node->out_meta[i];
      o = mx_array_alloc(m->dtype, m->ndim, m->shape);
      if (!o) {
        for (int j = 0; j < i; j++) mx_array_release(t->outputs[j]);
        mx_node_release(node);
        free(t);
        return NULL;
      }
      o->node = node;
      o->out_index = i;
      atomic_fetch_add(&node->refcount, 1);
      atomic_store(&node->outputs[i], o);
    }
    t->outputs[i] = o;
  }
  return t;
}

static int schedule(int n, mx_array* const* arrays, bool inline_ok) {
  mx_init();
  vec tape = {.elem = sizeof(mx_node*)};
  if (build_tape(n, arrays, &tape) != 0) {
    free(tape.items);
    return -1;
  }
  mx_node** nodes = tape.items;
  int rc = 0;
  for (size_t i = 0; i < tape.n; i++) {
    mx__task* t = make_task(nodes[i]);
    if (!t) {
      rc = -1;
      break;
    }
    for (int k = 0; k < t->n_outputs; k++)
      atomic_store_explicit(&t->outputs[k]->status, MX_STATUS_SCHEDULED, memory_order_release);
    mx__submit(t, inline_ok);
  }
  free(tape.items);
  return rc;
}

int mx_eval(int n, mx_array* const* arrays) {
  for (int i = 0; i < n; i++) mx_array_retain(arrays[i]);
  int rc = schedule(n, arrays, true);
  for (int i = 0; i < n && rc == 0; i++) {
    mx_array* a = arrays[i];
    if (!a) continue;
    /* Wait for the task that produces `a`, wherever it runs. */
    if (a->event.stream >= 0 && mx_event_wait(a->event) != 0) rc = -1;
    else if (a->error) rc = mx_error(a->error_kind, "%s", a->error);
  }
  for (int i = 0; i < n; i++) mx_array_release(arrays[i]);
  return rc;
}

int mx_async_eval(int n, mx_array* const* arrays) { return schedule(n, arrays, false); }

int mx_array_eval(mx_array* a) { return mx_eval(1, &a); }
