/* Internal to src/core: the task type shared by the scheduler (stream.c)
 * and the evaluator (eval.c). */
#ifndef MX_CORE_SCHEDULER_H
#define MX_CORE_SCHEDULER_H

#include "array.h"

/* One node to run: the node (one reference held) and its outputs (each
 * retained; dead outputs replaced by temporaries). */
typedef struct mx__task {
  struct mx__task* next;
  mx_node* node;
  uint64_t seq;
  int n_outputs;
  mx_array* outputs[];
} mx__task;

/* Runs a task's kernel on the current thread and releases the task
 * (eval.c).  Failures are stored in the outputs, never returned. */
void mx__run_task(mx__task* t);

/* Gives the task its sequence number on its stream and either runs it now on
 * this thread (when `inline_ok` and the stream is idle) or queues it for the
 * stream's worker (stream.c). */
void mx__submit(mx__task* t, bool inline_ok);

#endif
