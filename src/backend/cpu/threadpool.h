/* A small fork-join thread pool for the CPU kernels.
 *
 * mx_parallel_for() splits [0, n) into chunks of at least `grain` items and
 * runs fn(begin, end, ctx) on them, on the pool's workers and on the calling
 * thread, returning when every chunk is done.  Small ranges, calls made from
 * inside a worker (nesting) and calls made while another thread is using the
 * pool run inline on the caller, so the function is safe to call from any
 * thread, including the stream workers, and never deadlocks.
 *
 * The pool starts lazily with one worker per online CPU minus one; the
 * environment variable CMLX_NUM_THREADS overrides the total thread count. */
#ifndef MX_BACKEND_CPU_THREADPOOL_H
#define MX_BACKEND_CPU_THREADPOOL_H

#include <stdint.h>

typedef void (*mx_parallel_fn)(int64_t begin, int64_t end, void* ctx);

void mx_parallel_for(int64_t n, int64_t grain, mx_parallel_fn fn, void* ctx);

/* Threads a parallel_for may use (workers plus the caller). */
int mx_cpu_num_threads(void);

#endif
