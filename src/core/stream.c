/* Devices, streams, events and the per-stream workers (see stream.h). */
#include "stream.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "error.h"
#include "eval.h"
#include "scheduler.h"

typedef struct stream_state {
  mx_device device;
  pthread_mutex_t lock;
  pthread_cond_t cond;      /* signalled when work arrives or finishes */
  mx__task *head, *tail;    /* queued tasks, oldest first */
  bool busy;                /* some thread is running one of its tasks */
  bool worker_started;
  uint64_t next_seq;        /* last sequence number handed out */
  _Atomic uint64_t done_seq;   /* tasks up to here have run (GPU: launched) */
  _Atomic uint64_t synced_seq; /* GPU: kernels up to here have finished */
} stream_state;

static struct {
  pthread_mutex_t lock;
  stream_state* streams[MX_MAX_STREAMS];
  _Atomic int count;
  int default_stream[2];     /* per device type, -1 when none */
  mx_device default_device;
  mx_stream_hooks gpu;
  int gpu_count;
} table = {.lock = PTHREAD_MUTEX_INITIALIZER, .default_stream = {-1, -1}};

static stream_state* state_of(int index) {
  return (index >= 0 && index < atomic_load(&table.count)) ? table.streams[index] : NULL;
}

/* Creates a stream on `d` (table lock held). */
static int create_stream_locked(mx_device d) {
  int index = atomic_load(&table.count);
  if (index >= MX_MAX_STREAMS)
    return mx_error(MX_ERR_RUNTIME, "[new_stream] Too many streams (limit %d).", MX_MAX_STREAMS);
  stream_state* s = calloc(1, sizeof *s);
  if (!s) return mx_error(MX_ERR_MEMORY, "[new_stream] Out of memory.");
  s->device = d;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  if (d.type == MX_DEVICE_GPU && table.gpu.stream_new(index) != 0) {
    free(s);
    return -1;
  }
  table.streams[index] = s;
  atomic_store(&table.count, index + 1);
  return index;
}

void mx_stream_set_gpu_hooks(const mx_stream_hooks* hooks, int device_count) {
  pthread_mutex_lock(&table.lock);
  if (hooks && device_count > 0) {
    table.gpu = *hooks;
    table.gpu_count = device_count;
  }
  pthread_mutex_unlock(&table.lock);
}

/* Called once from mx_init after the GPU backend had its chance to register. */
void mx__streams_init(void) {
  pthread_mutex_lock(&table.lock);
  if (table.default_stream[MX_DEVICE_CPU] < 0) {
    table.default_stream[MX_DEVICE_CPU] = create_stream_locked((mx_device){MX_DEVICE_CPU, 0});
    table.default_device = (mx_device){MX_DEVICE_CPU, 0};
    if (table.gpu_count > 0) {
      int g = create_stream_locked((mx_device){MX_DEVICE_GPU, 0});
      if (g >= 0) {
        table.default_stream[MX_DEVICE_GPU] = g;
        /* As in MLX, the GPU is the default device when there is one. */
        table.default_device = (mx_device){MX_DEVICE_GPU, 0};
      } else {
        table.gpu_count = 0;
      }
    }
  }
  pthread_mutex_unlock(&table.lock);
}

bool mx_device_available(mx_device_type type) {
  mx_init();
  return type == MX_DEVICE_CPU || (type == MX_DEVICE_GPU && table.gpu_count > 0);
}

int mx_device_count(mx_device_type type) {
  mx_init();
  return type == MX_DEVICE_CPU ? 1 : table.gpu_count;
}

mx_device mx_default_device(void) {
  mx_init();
  pthread_mutex_lock(&table.lock);
  mx_device d = table.default_device;
  pthread_mutex_unlock(&table.lock);
  return d;
}

int mx_set_default_device(mx_device d) {
  mx_init();
  if (!mx_device_available(d.type) || d.index < 0 || d.index >= mx_device_count(d.type))
    return mx_error(MX_ERR_VALUE, "[set_default_device] Device %s:%d is not available.",
                    d.type == MX_DEVICE_CPU ? "cpu" : "gpu", d.index);
  pthread_mutex_lock(&table.lock);
  table.default_device = d;
  pthread_mutex_unlock(&table.lock);
  return 0;
}

mx_stream mx_default_stream(mx_device d) {
  mx_init();
  pthread_mutex_lock(&table.lock);
  int i = (d.type == MX_DEVICE_CPU || d.type == MX_DEVICE_GPU) ? table.default_stream[d.type] : -1;
  pthread_mutex_unlock(&table.lock);
  return (mx_stream){i};
}

int mx_set_default_stream(mx_stream s) {
  stream_state* st = state_of(s.index);
  if (!st) return mx_error(MX_ERR_VALUE, "[set_default_stream] Invalid stream %d.", s.index);
  pthread_mutex_lock(&table.lock);
  table.default_stream[st->device.type] = s.index;
  pthread_mutex_unlock(&table.lock);
  return 0;
}

int mx_stream_new(mx_device d, mx_stream* out) {
  mx_init();
  if (!mx_device_available(d.type))
    return mx_error(MX_ERR_VALUE, "[new_stream] Device %s is not available.",
                    d.type == MX_DEVICE_CPU ? "cpu" : "gpu");
  pthread_mutex_lock(&table.lock);
  int i = create_stream_locked(d);
  pthread_mutex_unlock(&table.lock);
  if (i < 0) return -1;
  out->index = i;
  return 0;
}

mx_device mx_stream_device(mx_stream s) {
  stream_state* st = state_of(s.index);
  return st ? st->device : (mx_device){MX_DEVICE_CPU, 0};
}

int mx__gpu_stream_count(void) {
  int n = atomic_load(&table.count), gpu = 0;
  for (int i = 0; i < n; i++) gpu += table.streams[i]->device.type == MX_DEVICE_GPU;
  return gpu;
}

mx_stream mx_stream_for_default(void) { return mx_default_stream(mx_default_device()); }

bool mx_stream_valid(mx_stream s) { return state_of(s.index) != NULL; }

/* --- workers ----------------------------------------------------------------- */

static void finish_locked(stream_state* s, uint64_t seq) {
  s->busy = false;
  atomic_store(&s->done_seq, seq);
  pthread_cond_broadcast(&s->cond);
}

/* Pops the oldest queued task and runs it with the lock released (lock held
 * on entry and on return; the queue must not be empty). */
static void run_next_locked(stream_state* s) {
  mx__task* t = s->head;
  s->head = t->next;
  if (!s->head) s->tail = NULL;
  s->busy = true;
  uint64_t seq = t->seq;
  pthread_mutex_unlock(&s->lock);
  mx__run_task(t);
  pthread_mutex_lock(&s->lock);
  finish_locked(s, seq);
}

static void* worker_main(void* arg) {
  stream_state* s = arg;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->head || s->busy) pthread_cond_wait(&s->cond, &s->lock);
    run_next_locked(s);
  }
  return NULL;
}

void mx__submit(mx__task* t, bool inline_ok) {
  stream_state* s = state_of(t->node->stream.index);
  pthread_mutex_lock(&s->lock);
  t->seq = ++s->next_seq;
  for (int i = 0; i < t->n_outputs; i++) t->outputs[i]->event = (mx_event){t->node->stream.index, t->seq};
  if (inline_ok && !s->busy && !s->head) {
    s->busy = true;
    uint64_t seq = t->seq;
    pthread_mutex_unlock(&s->lock);
    mx__run_task(t);
    pthread_mutex_lock(&s->lock);
    finish_locked(s, seq);
    pthread_mutex_unlock(&s->lock);
    return;
  }
  t->next = NULL;
  if (s->tail) s->tail->next = t;
  else s->head = t;
  s->tail = t;
  if (!s->worker_started) {
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, worker_main, s) == 0) {
      s->worker_started = true;
    } else {
      /* No thread to be had: run everything queued here, in order. */
      while (s->head) run_next_locked(s);
    }
    pthread_attr_destroy(&attr);
  }
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

/* --- events and synchronisation --------------------------------------------- */

static int gpu_sync_upto(stream_state* s, int index, uint64_t seq) {
  if (s->device.type != MX_DEVICE_GPU || atomic_load(&s->synced_seq) >= seq) return 0;
  uint64_t launched = atomic_load(&s->done_seq);
  if (table.gpu.synchronize(index) != 0) return -1;
  uint64_t cur = atomic_load(&s->synced_seq);
  while (cur < launched && !atomic_compare_exchange_weak(&s->synced_seq, &cur, launched)) {
  }
  return 0;
}

bool mx_event_done(mx_event e) {
  stream_state* s = state_of(e.stream);
  if (!s) return true;
  if (s->device.type == MX_DEVICE_GPU) return atomic_load(&s->synced_seq) >= e.seq;
  return atomic_load(&s->done_seq) >= e.seq;
}

int mx_event_wait(mx_event e) {
  stream_state* s = state_of(e.stream);
  if (!s) return 0;
  if (atomic_load(&s->done_seq) < e.seq) {
    pthread_mutex_lock(&s->lock);
    while (atomic_load(&s->done_seq) < e.seq) pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
  }
  return gpu_sync_upto(s, e.stream, e.seq);
}

int mx_synchronize(mx_stream st) {
  stream_state* s = state_of(st.index);
  if (!s) return mx_error(MX_ERR_VALUE, "[synchronize] Invalid stream %d.", st.index);
  pthread_mutex_lock(&s->lock);
  uint64_t last = s->next_seq;
  while (atomic_load(&s->done_seq) < last) pthread_cond_wait(&s->cond, &s->lock);
  pthread_mutex_unlock(&s->lock);
  return gpu_sync_upto(s, st.index, last);
}

int mx_synchronize_all(void) {
  int n = atomic_load(&table.count);
  for (int i = 0; i < n; i++)
    if (mx_synchronize((mx_stream){i}) != 0) return -1;
  return 0;
}
