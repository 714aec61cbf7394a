/* Buffers and the caching allocator (see buffer.h).
 *
 * Blocks are rounded up (to 64 bytes below a page, to whole pages above) so
 * that freed blocks of nearly the same size can be reused.  Each side (host,
 * device) keeps a free list per rounded size in a small open hash table.  All
 * bookkeeping is under one mutex: allocation is not on any hot inner loop,
 * kernels allocate once per output. */
#include "buffer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"

enum { SIDE_HOST = 0, SIDE_DEVICE = 1, SIDE_COUNT = 2 };
#define CACHE_BUCKETS 1024

typedef struct cached_block {
  struct cached_block* next;
  void* ptr;
} cached_block;

typedef struct size_bucket {
  size_t size; /* 0 = empty slot */
  cached_block* blocks;
} size_bucket;

static struct {
  pthread_mutex_t lock;
  size_t active, peak, cache;
  size_t memory_limit, cache_limit;
  bool limits_set;
  size_bucket buckets[SIDE_COUNT][CACHE_BUCKETS];
  mx_device_memory_hooks device;
  bool have_device;
} heap = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t round_size(size_t n) {
  if (n == 0) n = 1;
  if (n < 4096) return (n + 63) & ~(size_t)63;
  return (n + 4095) & ~(size_t)4095;
}

static void init_limits_locked(void) {
  if (heap.limits_set) return;
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  size_t ram = (pages > 0 && page > 0) ? (size_t)pages * (size_t)page : (size_t)16 << 30;
  /* Like MLX, the default limits sit near the machine's memory: allocation
   * fails cleanly before the system starts swapping or kills the process. */
  heap.memory_limit = ram / 10 * 9;
  heap.cache_limit = heap.memory_limit;
  heap.limits_set = true;
}

static size_bucket* find_bucket(int side, size_t size, bool create) {
  size_t h = (size / 64) * 11400714819323198485ull;
  for (size_t i = 0; i < CACHE_BUCKETS; i++) {
    size_bucket* b = &heap.buckets[side][(h + i) % CACHE_BUCKETS];
    if (b->size == size) return b;
    if (b->size == 0) {
      if (!create) return NULL;
      b->size = size;
      return b;
    }
  }
  return NULL; /* table full: the block is simply not cached */
}

static void raw_free(int side, void* p) {
  if (side == SIDE_HOST) free(p);
  else if (heap.have_device) heap.device.free(p);
}

/* Frees every cached block (lock held). */
static void clear_cache_locked(void) {
  for (int side = 0; side < SIDE_COUNT; side++) {
    for (size_t i = 0; i < CACHE_BUCKETS; i++) {
      size_bucket* b = &heap.buckets[side][i];
      while (b->blocks) {
        cached_block* c = b->blocks;
        b->blocks = c->next;
        raw_free(side, c->ptr);
        heap.cache -= b->size;
        free(c);
      }
    }
  }
}

/* Evicts cached blocks until the cache is below `target` (lock held).  Any
 * order will do: blocks are all equally cold. */
static void trim_cache_locked(size_t target) {
  for (int side = 0; side < SIDE_COUNT && heap.cache > target; side++) {
    for (size_t i = 0; i < CACHE_BUCKETS && heap.cache > target; i++) {
      size_bucket* b = &heap.buckets[side][i];
      while (b->blocks && heap.cache > target) {
        cached_block* c = b->blocks;
        b->blocks = c->next;
        raw_free(side, c->ptr);
        heap.cache -= b->size;
        free(c);
      }
    }
  }
}

int mx__gpu_stream_count(void); /* stream.c */

/* Large host blocks ask the kernel for transparent huge pages (where THP is
 * in "madvise" mode, the common default, nothing happens without asking).
 * Streaming kernels over tens of megabytes otherwise spend a noticeable
 * share of their time on TLB misses: a 64 MB max reduction ran about 20%
 * slower on 4 KiB pages.  Only the whole pages inside the block are
 * advised; the advice is a hint, so its failure is ignored. */
#define HUGE_ADVICE_MIN ((size_t)4 << 20)
static void advise_huge(void* p, size_t size) {
#ifdef MADV_HUGEPAGE
  if (size < HUGE_ADVICE_MIN) return;
  uintptr_t page = 4096, b = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t e = ((uintptr_t)p + size) & ~(page - 1);
  if (e > b) (void)madvise((void*)b, e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

static void* block_alloc(int side, size_t nbytes) {
  size_t size = round_size(nbytes);
  pthread_mutex_lock(&heap.lock);
  init_limits_locked();
  size_bucket* b = find_bucket(side, size, false);
  if (b && b->blocks) {
    /* One GPU stream orders every reuse after the last reader; with several,
     * wait for all of them first.  (Not under the lock: other threads may
     * allocate meanwhile; this block is still ours once we pop it.) */
    if (side == SIDE_DEVICE && heap.device.wait_all && mx__gpu_stream_count() > 1) {
      pthread_mutex_unlock(&heap.lock);
      heap.device.wait_all();
      pthread_mutex_lock(&heap.lock);
      b = find_bucket(side, size, false);
    }
  }
  if (b && b->blocks) {
    cached_block* c = b->blocks;
    b->blocks = c->next;
    void* p = c->ptr;
    free(c);
    heap.cache -= size;
    heap.active += size;
    if (heap.active > heap.peak) heap.peak = heap.active;
    pthread_mutex_unlock(&heap.lock);
    return p;
  }
  /* As in MLX the memory limit is a guideline: going over it first gives the
   * cache back to the system; only a refusal by the system is an error. */
  if (heap.active + heap.cache + size > heap.memory_limit) trim_cache_locked(0);
  void* p = NULL;
  for (int attempt = 0; attempt < 2 && !p; attempt++) {
    if (side == SIDE_HOST) p = aligned_alloc(64, size);
    else p = heap.device.malloc(size);
    if (!p && attempt == 0) clear_cache_locked(); /* retry once with the cache released */
  }
  if (p) {
    heap.active += size;
    if (heap.active > heap.peak) heap.peak = heap.active;
    if (side == SIDE_HOST) advise_huge(p, size);
  }
  pthread_mutex_unlock(&heap.lock);
  if (!p)
    mx_error(MX_ERR_MEMORY, "[malloc] Unable to allocate %zu bytes on the %s.", nbytes,
             side == SIDE_HOST ? "host" : "GPU");
  return p;
}

static void block_free(int side, void* p, size_t nbytes) {
  if (!p) return;
  size_t size = round_size(nbytes);
  pthread_mutex_lock(&heap.lock);
  heap.active -= size;
  size_bucket* b = heap.cache + size <= heap.cache_limit ? find_bucket(side, size, true) : NULL;
  cached_block* c = b ? malloc(sizeof *c) : NULL;
  if (c) {
    c->ptr = p;
    c->next = b->blocks;
    b->blocks = c;
    heap.cache += size;
  } else {
    raw_free(side, p);
  }
  pthread_mutex_unlock(&heap.lock);
}

static mx_buffer* buffer_struct(size_t nbytes) {
  mx_buffer* b = calloc(1, sizeof *b);
  if (!b) {
    mx_error(MX_ERR_MEMORY, "[malloc] Unable to allocate a buffer descriptor.");
    return NULL;
  }
  atomic_init(&b->refcount, 1);
  b->nbytes = nbytes;
  pthread_mutex_init(&b->lock, NULL);
  return b;
}

mx_buffer* mx_buffer_new(size_t nbytes, bool device) {
  if (device && !heap.have_device) {
    mx_error(MX_ERR_RUNTIME, "[malloc] No GPU is available for a device allocation.");
    return NULL;
  }
  mx_buffer* b = buffer_struct(nbytes);
  if (!b) return NULL;
  int side = device ? SIDE_DEVICE : SIDE_HOST;
  void* p = block_alloc(side, nbytes);
  if (!p) {
    pthread_mutex_destroy(&b->lock);
    free(b);
    return NULL;
  }
  if (device) {
    b->device = p;
    b->valid = MX_VALID_DEVICE;
  } else {
    b->host = p;
    b->valid = MX_VALID_HOST;
  }
  return b;
}

mx_buffer* mx_buffer_wrap(void* host, size_t nbytes, void (*deleter)(void*), void* ctx) {
  mx_buffer* b = buffer_struct(nbytes);
  if (!b) return NULL;
  b->host = host;
  b->valid = MX_VALID_HOST;
  b->deleter = deleter;
  b->deleter_ctx = ctx;
  b->external = true;
  return b;
}

void mx_buffer_retain(mx_buffer* b) {
  if (b) atomic_fetch_add_explicit(&b->refcount, 1, memory_order_relaxed);
}

void mx_buffer_release(mx_buffer* b) {
  if (!b || atomic_fetch_sub_explicit(&b->refcount, 1, memory_order_acq_rel) != 1) return;
  if (b->external) {
    if (b->deleter) b->deleter(b->deleter_ctx);
  } else {
    block_free(SIDE_HOST, b->host, b->nbytes);
  }
  block_free(SIDE_DEVICE, b->device, b->nbytes);
  pthread_mutex_destroy(&b->lock);
  free(b);
}

void* mx_buffer_host(mx_buffer* b) {
  pthread_mutex_lock(&b->lock);
  void* p = b->host;
  if (!(b->valid & MX_VALID_HOST)) {
    if (!p) p = b->host = block_alloc(SIDE_HOST, b->nbytes);
    if (p && (b->valid & MX_VALID_DEVICE) && b->nbytes) {
      if (heap.device.copy_to_host(p, b->device, b->nbytes) != 0) p = NULL;
    }
    if (p) b->valid |= MX_VALID_HOST;
  }
  pthread_mutex_unlock(&b->lock);
  return p;
}

void* mx_buffer_device(mx_buffer* b) {
  if (!heap.have_device) {
    mx_error(MX_ERR_RUNTIME, "[malloc] No GPU is available.");
    return NULL;
  }
  pthread_mutex_lock(&b->lock);
  void* p = b->device;
  if (!(b->valid & MX_VALID_DEVICE)) {
    if (!p) p = b->device = block_alloc(SIDE_DEVICE, b->nbytes);
    if (p && (b->valid & MX_VALID_HOST) && b->nbytes) {
      if (heap.device.copy_to_device(p, b->host, b->nbytes) != 0) p = NULL;
    }
    if (p) b->valid |= MX_VALID_DEVICE;
  }
  pthread_mutex_unlock(&b->lock);
  return p;
}

void mx_buffer_mark_written(mx_buffer* b, unsigned side) {
  pthread_mutex_lock(&b->lock);
  b->valid = side;
  pthread_mutex_unlock(&b->lock);
}

void mx_buffer_set_device_hooks(const mx_device_memory_hooks* hooks) {
  pthread_mutex_lock(&heap.lock);
  if (hooks) heap.device = *hooks;
  heap.have_device = hooks != NULL;
  pthread_mutex_unlock(&heap.lock);
}

/* --- memory API ---------------------------------------------------------- */

#define LOCKED_READ(expr)               \
  size_t v;                             \
  pthread_mutex_lock(&heap.lock);       \
  init_limits_locked();                 \
  v = (expr);                           \
  pthread_mutex_unlock(&heap.lock);     \
  return v

size_t mx_memory_active(void) { LOCKED_READ(heap.active); }
size_t mx_memory_peak(void) { LOCKED_READ(heap.peak); }
size_t mx_memory_cache(void) { LOCKED_READ(heap.cache); }
size_t mx_memory_limit(void) { LOCKED_READ(heap.memory_limit); }

void mx_memory_reset_peak(void) {
  pthread_mutex_lock(&heap.lock);
  heap.peak = heap.active;
  pthread_mutex_unlock(&heap.lock);
}

size_t mx_memory_set_limit(size_t limit) {
  pthread_mutex_lock(&heap.lock);
  init_limits_locked();
  size_t old = heap.memory_limit;
  heap.memory_limit = limit;
  pthread_mutex_unlock(&heap.lock);
  return old;
}

size_t mx_memory_set_cache_limit(size_t limit) {
  pthread_mutex_lock(&heap.lock);
  init_limits_locked();
  size_t old = heap.cache_limit;
  heap.cache_limit = limit;
  trim_cache_locked(limit);
  pthread_mutex_unlock(&heap.lock);
  return old;
}

size_t mx_memory_set_wired_limit(size_t limit) {
  static size_t wired = 0; /* Linux has no wired memory; keep the value for the API */
  pthread_mutex_lock(&heap.lock);
  size_t old = wired;
  wired = limit;
  pthread_mutex_unlock(&heap.lock);
  return old;
}

void mx_memory_clear_cache(void) {
  pthread_mutex_lock(&heap.lock);
  clear_cache_locked();
  pthread_mutex_unlock(&heap.lock);
}
