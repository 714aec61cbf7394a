/* Fork-join thread pool (see threadpool.h).
 *
 * One job runs at a time.  The caller publishes the job under `lock`, bumps
 * the generation and wakes the workers; everyone, the caller included, takes
 * chunk indices from an atomic counter until none are left.  The caller then
 * waits until every worker has left the job, so the job description (which
 * lives on the caller's stack) stays valid while anyone reads it. */
#include "threadpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 128

typedef struct job {
  mx_parallel_fn fn;
  void* ctx;
  int64_t n, chunk, nchunks;
  atomic_llong next; /* next chunk index to hand out */
} job;

static struct {
  pthread_once_t once;
  int nthreads; /* workers + caller */
  pthread_mutex_t lock;
  pthread_cond_t wake, done;
  pthread_mutex_t busy; /* held by the thread whose job is running */
  job* current;
  uint64_t generation;
  int active; /* workers still inside the current job */
} pool = {.once = PTHREAD_ONCE_INIT,
          .lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER,
          .done = PTHREAD_COND_INITIALIZER,
          .busy = PTHREAD_MUTEX_INITIALIZER};

/* Set in pool workers, so that nested parallel_for calls run inline. */
static _Thread_local bool in_worker = false;

static void run_chunks(job* j) {
  for (;;) {
    int64_t c = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed);
    if (c >= j->nchunks) break;
    int64_t b = c * j->chunk;
    int64_t e = b + j->chunk < j->n ? b + j->chunk : j->n;
    j->fn(b, e, j->ctx);
  }
}

static void* worker_main(void* arg) {
  (void)arg;
  in_worker = true;
  uint64_t seen = 0;
  pthread_mutex_lock(&pool.lock);
  for (;;) {
    while (pool.generation == seen) pthread_cond_wait(&pool.wake, &pool.lock);
    seen = pool.generation;
    job* j = pool.current;
    if (!j) continue;
    pool.active++;
    pthread_mutex_unlock(&pool.lock);
    run_chunks(j);
    pthread_mutex_lock(&pool.lock);
    if (--pool.active == 0) pthread_cond_broadcast(&pool.done);
  }
  return NULL;
}

static void pool_init(void) {
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int n = ncpu > 0 ? (int)ncpu : 1;
  const char* env = getenv("CMLX_NUM_THREADS");
  if (env && atoi(env) > 0) n = atoi(env);
  if (n > MAX_THREADS) n = MAX_THREADS;
  int started = 1;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (int i = 1; i < n; i++) {
    pthread_t t;
    /* A worker that cannot start only costs parallelism. */
    if (pthread_create(&t, &attr, worker_main, NULL) == 0) started++;
  }
  pthread_attr_destroy(&attr);
  pool.nthreads = started;
}

int mx_cpu_num_threads(void) {
  pthread_once(&pool.once, pool_init);
  return pool.nthreads;
}

void mx_parallel_for(int64_t n, int64_t grain, mx_parallel_fn fn, void* ctx) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  if (n <= grain || in_worker) {
    fn(0, n, ctx);
    return;
  }
  int nt = mx_cpu_num_threads();
  if (nt <= 1 || pthread_mutex_trylock(&pool.busy) != 0) {
    fn(0, n, ctx);
    return;
  }
  /* A few chunks per thread balance uneven progress without much overhead. */
  int64_t max_chunks = (n + grain - 1) / grain;
  int64_t nchunks = (int64_t)nt * 4 < max_chunks ? (int64_t)nt * 4 : max_chunks;
  job j = {.fn = fn, .ctx = ctx, .n = n};
  j.chunk = (n + nchunks - 1) / nchunks;
  j.nchunks = (n + j.chunk - 1) / j.chunk;
  atomic_init(&j.next, 0);

  pthread_mutex_lock(&pool.lock);
  pool.current = &j;
  pool.generation++;
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.lock);

  in_worker = true; /* the caller's own chunks must not re-enter the pool */
  run_chunks(&j);
  in_worker = false;

  pthread_mutex_lock(&pool.lock);
  pool.current = NULL;
  while (pool.active > 0) pthread_cond_wait(&pool.done, &pool.lock);
  pthread_mutex_unlock(&pool.lock);
  pthread_mutex_unlock(&pool.busy);
}
