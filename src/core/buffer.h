/* Data buffers and the caching allocator.
 *
 * A buffer is the refcounted storage behind one or more arrays (views share a
 * buffer).  Its bytes may live in host memory, in GPU memory, or both: each
 * side has its own pointer and a `valid` bit.  A kernel asks for the side it
 * runs on with mx_buffer_host() or mx_buffer_device(); the buffer copies the
 * bytes across when the other side holds the only valid copy.  That is how
 * every array can feed every stream without the user writing a copy, while
 * GPU kernels read device memory at full speed.
 *
 * Freed blocks go to a per-side cache keyed by size; the memory statistics
 * (active, peak, cache) and limits follow MLX's memory API. */
#ifndef MX_CORE_BUFFER_H
#define MX_CORE_BUFFER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>

enum {
  MX_VALID_HOST = 1u << 0,
  MX_VALID_DEVICE = 1u << 1,
};

typedef struct mx_buffer {
  atomic_int refcount;
  size_t nbytes;
  void* host;        /* host copy, or NULL */
  void* device;      /* device copy, or NULL */
  unsigned valid;    /* MX_VALID_* bits: which copies hold current data */
  /* External host memory (mlx_array_new_data_managed): freed by calling
   * `deleter(deleter_ctx)` instead of returning to the cache. */
  void (*deleter)(void*);
  void* deleter_ctx;
  bool external;        /* host memory belongs to the caller, not the cache */
  pthread_mutex_t lock; /* serialises migration between sides */
} mx_buffer;

/* Allocates `nbytes` on the host (device=false) or on the GPU (device=true).
 * Returns NULL with MX_ERR_MEMORY set when the memory limit or the system
 * refuses.  nbytes may be 0. */
mx_buffer* mx_buffer_new(size_t nbytes, bool device);
/* Wraps caller-owned host memory; `deleter(ctx)` runs when the last reference
 * goes (deleter may be NULL when the caller keeps ownership). */
mx_buffer* mx_buffer_wrap(void* host, size_t nbytes, void (*deleter)(void*), void* ctx);
void mx_buffer_retain(mx_buffer* b);
void mx_buffer_release(mx_buffer* b);

/* Pointer to current bytes on the host / device, migrating first when needed.
 * Return NULL with an error set on failure.  Writers call
 * mx_buffer_mark_written() afterwards so stale copies are dropped. */
void* mx_buffer_host(mx_buffer* b);
void* mx_buffer_device(mx_buffer* b);
void mx_buffer_mark_written(mx_buffer* b, unsigned side);

/* Memory API (bytes). */
size_t mx_memory_active(void);
size_t mx_memory_peak(void);
void mx_memory_reset_peak(void);
size_t mx_memory_cache(void);
size_t mx_memory_limit(void);
size_t mx_memory_set_limit(size_t limit);      /* returns the previous limit */
size_t mx_memory_set_cache_limit(size_t limit); /* returns the previous limit */
size_t mx_memory_set_wired_limit(size_t limit); /* accepted, no effect on Linux */
void mx_memory_clear_cache(void);

/* Hooks the GPU backend installs at start-up; NULL when no GPU backend runs.
 * They must be thread safe.  copy_* are synchronous with respect to all
 * streams (the scheduler has already waited for the producer). */
typedef struct mx_device_memory_hooks {
  void* (*malloc)(size_t nbytes);
  void (*free)(void* ptr);
  int (*copy_to_host)(void* dst, const void* src, size_t nbytes);
  int (*copy_to_device)(void* dst, const void* src, size_t nbytes);
  size_t (*free_bytes)(void); /* what the device reports free now */
  /* Waits for all launched device work.  Called before a cached device block
   * is handed out again while several GPU streams exist: a kernel on another
   * stream may still be reading the block.  May be NULL. */
  int (*wait_all)(void);
} mx_device_memory_hooks;
void mx_buffer_set_device_hooks(const mx_device_memory_hooks* hooks);

#endif
